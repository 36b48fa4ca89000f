//! Approvals worked out by hand from the charters' protective provisions
//! (arithmetic in the comments); none is copied from the program.

use crate::common;

use charter::eval::approval::ApprovalOutcome;
use charter::query::{Answer, Session};
use common::{d, load, load_file};

fn approve(file: &str, statement: &str) -> ApprovalOutcome {
    let mut s = Session::new(&load_file(file));
    match s.run("test", statement) {
        Ok(Answer::Approval(a)) => a,
        Ok(other) => panic!("not an approval: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

#[test]
fn avesta_merger_price_veto_and_named_holders() {
    let ftv = "and \"Financial Technology Ventures, L.P.\" yes, \"Financial Technology Ventures (Q), L.P.\" yes";
    // § A.6(a)(v): 75% of the preferred together, by shares. A 100%, B 100%,
    // C 60%, D 80% with both FTV funds (700,000 D) voting for, so D's 80% is
    // of its other 1,127,667 shares: 1,767,243 + 2,138,752 + 0.6 × 3,096,335 +
    // 700,000 + 0.8 × 1,127,667 = 7,365,929.6 of 8,829,997 = 83.4% ≥ 75%.
    // § A.6(b)(iv): $8.00 before 2000-07-13 is below 1.5 × $6.24 = $9.36, so a
    // majority of D is needed, including both FTV funds (700,000 of 1,827,667
    // = 38.3% ≥ 35%): 700,000 + 0.8 × 1,127,667 = 1,602,133.6 > 913,833.5.
    // The stockholders keep 40% of the survivor, so neither provision's
    // exception (a majority kept) applies.
    let a = approve(
        "avesta.charter",
        &format!(
            "approve merger where stockholders keep 40% at $8.00 per share with A 100%, B 100%, C 60%, D 80% {ftv}"
        ),
    );
    let a6a = &a.consents[0];
    assert_eq!(a6a.counts[0].yes, Some(d("7365929.6")));
    assert_eq!(a6a.counts[0].total, d("8829997"));
    let a6b = &a.consents[1];
    assert_eq!(a6b.required, Some(true));
    assert_eq!(a6b.counts[0].yes, Some(d("1602133.6")));
    // $10.00 is not below $9.36 during the first year: § A.6(b)(iv) is not
    // required (whether the merger then passes is an `expect` block in
    // charters/avesta.charter).
    let a = approve(
        "avesta.charter",
        "approve merger where stockholders keep 40% at $10.00 per share on 2000-07-13 with A 100%, B 100%, C 60%, D 80%",
    );
    assert_eq!(a.consents[1].required, Some(false));
    // After the first year the test is 2 × $6.24 = $12.48: $10.00 is below it.
    let a = approve(
        "avesta.charter",
        "approve merger where stockholders keep 40% at $10.00 per share on 2000-07-14 with A 100%, B 100%, C 60%, D 80%",
    );
    assert_eq!(a.consents[1].required, Some(true));
    // Without a price, whether 6(b)(iv) applies is a fact the answer asks for.
    let a = approve(
        "avesta.charter",
        "approve merger where stockholders keep 40% with A 100%, B 100%, C 60%, D 80%",
    );
    assert_eq!(a.consents[1].required, None);
    assert!(a.missing.iter().any(|m| m.contains("price per share")));
    // Where the stockholders keep 60% of the survivor, neither applies.
    let a = approve(
        "avesta.charter",
        "approve merger where stockholders keep 60% at $8.00 per share with A 0%",
    );
    assert_eq!(a.consents[0].required, Some(false));
    assert_eq!(a.consents[1].required, Some(false));
    assert_eq!(a.passes, Some(true));
}

#[test]
fn quintus_voting_power_differs_from_shares() {
    // § 6(b): a majority of the preferred's voting power, together. § 5(c):
    // A has 10 votes per common share, B-F 14. Voting power: A 9,100,000 × 10
    // = 91,000,000; B-F (1,000,000 + 3,000,000 + 1,455,000 + 3,000,000 +
    // 1,500,000) × 14 = 139,370,000; in all 230,370,000. A 100% and F 60%:
    // 91,000,000 + 0.6 × 21,000,000 = 103,600,000 = 44.97%: fails. Counted
    // by shares, the same split would be 9,100,000 + 900,000 = 10,000,000 of
    // 19,055,000 = 52.48%, a majority.
    let a = approve("quintus.charter", "approve merger with A 100%, F 60%");
    let count = &a.consents[0].counts[0];
    assert_eq!(count.total, d("230370000"));
    assert_eq!(count.yes, Some(d("103600000")));

    let shares_vs_power = load(
        "basis.charter",
        "charter \"Basis, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 1_000 }\n\
         stock A \"Series A\" { preferred outstanding 600 original issue price $1 conversion price $1 }\n\
         stock B \"Series B\" { preferred outstanding 400 original issue price $1 conversion price $1 }\n\
         liquidation { A pari passu with B  preference A, B: 1x original issue price\n shortfall A, B: ratably by shares  A, B do not participate }\n\
         conversion { A, B convert at the holder's option }\n\
         voting { Common: 1 vote per share  A: 1 vote per share as converted  B: 2 votes per share as converted }\n\
         protective provisions {\n action by-shares \"counted by shares\"\n action by-power \"counted by voting power\"\n\
           a majority of A, B together by shares for by-shares\n a majority of A, B together by voting power for by-power }\n",
    );
    // A 100%, B 0%: by shares 600 of 1,000 = 60% passes; by voting power 600
    // of 600 + 800 = 1,400 = 42.9% fails.
    let run = |st: &str| match Session::new(&shares_vs_power).run("t", st) {
        Ok(Answer::Approval(a)) => a.passes,
        other => panic!("{other:?}"),
    };
    assert_eq!(run("approve by-shares with A 100%"), Some(true));
    assert_eq!(run("approve by-power with A 100%"), Some(false));
}

#[test]
fn quintus_series_affected_differently_is_assumed_when_not_said() {
    // § 6(c) applies to a series affected differently; an amendment that names
    // no affected series is answered on the stated assumption that none is
    // (the passing and failing cases are `expect` blocks in quintus.charter).
    let a = approve(
        "quintus.charter",
        "approve amend-charter-adversely with A 100%, B 100%, C 100%, D 100%, F 100%",
    );
    assert!(
        a.assumptions
            .iter()
            .any(|x| x.contains("affected differently"))
    );
}

#[test]
fn unknown_action_and_series_have_spans() {
    let mut s = Session::new(&load_file("avesta.charter"));
    let p = s.run("q", "approve mergr").unwrap_err();
    assert_eq!(p[0].kind.code(), "charter::check::unknown_action");
    assert_eq!((p[0].span.start, p[0].span.end), (8, 13));
    assert_eq!(p[0].help.as_deref(), Some("did you mean `merger`?"));
    let p = s.run("q", "approve merger with Z 50%").unwrap_err();
    assert_eq!(p[0].kind.code(), "charter::check::unknown_class");
    assert_eq!((p[0].span.start, p[0].span.end), (20, 21));
}

#[test]
fn a_series_with_no_shares_outstanding_cannot_withhold_consent() {
    // SCC § 3(c) with no Series C outstanding: 2/3 of A and B together as
    // converted (A 2,100,000 at $2.965 → 2,100,000 common; B 400,000 → 400,000)
    // at 70% is 1,750,000 of 2,500,000 ≥ 2/3; C's separate 2/3 is a vote of
    // nobody, so it is met, and the merger passes.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/scc.charter"),
    )
    .unwrap()
    .replace("outstanding 1_250_000", "outstanding 0");
    let mut s = Session::new(&load("scc-no-c", &text));
    let Ok(Answer::Approval(a)) = s.run("test", "approve merger with A 70%, B 70%") else {
        panic!("no approval");
    };
    let c3c = &a.consents[0];
    assert_eq!(c3c.counts[0].yes, Some(d("1750000")));
    assert_eq!(c3c.counts[1].total, d("0"));
    assert_eq!(c3c.counts[1].met, Some(true));
    assert_eq!(a.passes, Some(true));
}

/// § 5(a): with the authorized common raised by amendment from 40,000,000
/// to 400,000,000, issuing 300,000,000 common makes common 315,000,000 votes
/// against the preferred's 230,370,000: the voting shift is in force, the
/// board is at least 5, A and B elect 3/4 × 5 = 3.75 → 4, C elects 1, and
/// common the rest (none). Without the amendment the issue is refused.
#[test]
fn quintus_voting_shift() {
    let path = format!("{}/charters/quintus.charter", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let filed = common::load("quintus.charter", &text);
    match Session::new(&filed).run("t", "issue 300_000_000 Common at $20.00") {
        Err(p) => assert_eq!(p[0].kind.code(), "charter::query::above_authorized"),
        Ok(other) => panic!("issued beyond the authorized shares: {other:?}"),
    }
    assert!(text.contains("authorized 40_000_000"));
    let amended = common::load(
        "quintus (amended).charter",
        &text.replacen("authorized 40_000_000", "authorized 400_000_000", 1),
    );
    let mut s = Session::new(&amended);
    s.run("t", "issue 300_000_000 Common at $20.00").unwrap();
    let board = match s.run("t", "board") {
        Ok(Answer::Board(b)) => b,
        other => panic!("{other:?}"),
    };
    let seats = |who: &str| {
        board
            .seats
            .iter()
            .find(|(w, _, _)| w == who)
            .and_then(|x| x.2)
    };
    assert_eq!(seats("Series A, Series B together"), Some(4), "{board:?}");
    assert_eq!(seats("Series C"), Some(1), "{board:?}");
    assert_eq!(seats("Common"), Some(0), "{board:?}");
}

#[test]
fn at_least_counts_the_threshold_itself() {
    // The NVCA model's "at any time when 1,000,000 shares of Preferred Stock
    // are outstanding": with exactly 1,000,000 Series A outstanding, `while at
    // least 1_000_000` is in force and `while more than 1_000_000` is not.
    let text = |cond: &str| {
        format!(
            r#"charter "Threshold, Inc." {{ filed 2024-01-01 }}
stock Common {{ common outstanding 1_000_000 }}
stock A "Series A" {{ preferred outstanding 1_000_000 original issue price $1 conversion price $1 }}
liquidation {{
  preference A: 1x original issue price
  A does not participate
}}
conversion {{ A converts at the holder's option }}
protective provisions § 3 {{
  a majority of A while {cond} 1_000_000 shares of A outstanding for merger   § 3
}}
"#
        )
    };
    let outcome = |cond: &str| {
        let c = load("threshold.charter", &text(cond));
        let mut s = Session::new(&c);
        match s.run("test", "approve merger with A 40%") {
            Ok(Answer::Approval(a)) => a,
            other => panic!("{other:?}"),
        }
    };
    let at_least = outcome("at least");
    assert_eq!(at_least.consents[0].required, Some(true));
    // 400,000 of 1,000,000 is not a majority: the merger fails.
    assert_eq!(at_least.consents[0].counts[0].yes, Some(d("400000")));
    let more_than = outcome("more than");
    assert_eq!(more_than.consents[0].required, Some(false));
}
