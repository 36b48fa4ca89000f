//! Groups: founders are people, and people act together. A term sheet of
//! two founders, a pool, a Seed and a participating Series A, worked by
//! hand: the group's payout, its goal seek (declared, and named together in
//! the statement), its column in a curve, its line in a comparison by
//! holder, its valuation; and the checker's refusals.

use crate::common::{self, charter, d, load, payout, stdout};
use charter::analysis::solve::{Outcome, Solved};
use charter::query::{self, Answer};

/// Common 8,000,000 (Ada 5,000,000, Ben 3,000,000); Series Seed 2,000,000
/// at $1.00, 1x, non-participating; Series A 4,000,000 at $2.50, senior,
/// 1x and participating; 2,000,000 options at $0.50.
pub const TERM_SHEET: &str = r#"
charter "Termsheet, Inc." { filed 2026-01-01 }
stock Common { common outstanding 8_000_000 }
stock Seed "Series Seed" { preferred outstanding 2_000_000 original issue price $1.00 conversion price $1.00 }
stock A "Series A" { preferred outstanding 4_000_000 original issue price $2.50 conversion price $2.50 }
options "Plan" 2_000_000 Common at $0.50
holders {
  "Ada" 5_000_000 Common
  "Ben" 3_000_000 Common
  "Fund" 4_000_000 A
}
group "Founders": "Ada", "Ben"
liquidation {
  A senior to Seed
  preference A, Seed: 1x original issue price
  A participates
  Seed does not participate
}
conversion { A, Seed convert at the holder's option }
"#;

fn solved(statement: &str) -> Solved {
    let c = load("termsheet.charter", TERM_SHEET);
    match query::run(&c, "q", statement) {
        Ok(Answer::Solve(s)) => s,
        Ok(other) => panic!("{other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn exit_of(s: &Solved) -> rust_decimal::Decimal {
    match &s.outcome {
        Outcome::At { exit, .. } => *exit,
        other => panic!("{other:?}"),
    }
}

/// At $100M: A takes its $10M preference (4,000,000 × $2.50) and then
/// shares as converted; Seed converts (below). With p the value of a
/// common-equivalent share, 16,000,000 p − $1,000,000 (the options'
/// exercise price) = $90,000,000, p = $91M / 16M = $5.6875. Seed
/// converted: 2,000,000 × $5.6875 = $11,375,000 > its $2,000,000
/// preference. The founders: 8,000,000 × $5.6875 = $45,500,000.
#[test]
fn a_group_is_paid_the_sum_of_its_members() {
    let c = load("termsheet.charter", TERM_SHEET);
    let p = payout(&c, "payout $100M");
    assert_eq!(p.groups.len(), 1);
    assert_eq!(p.groups[0].name, "Founders");
    assert_eq!(p.groups[0].payout, d("45500000"));
    assert_eq!(p.groups[0].members, ["Ada (Common)", "Ben (Common)"]);
    let file = common::written("termsheet.charter", TERM_SHEET);
    let json = stdout(&charter(&["payout", &file, "$100M", "--json"]));
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(v["groups"][0]["payout"], "45500000.00");
    let table = stdout(&charter(&["payout", &file, "$100M"]));
    assert!(table.contains("Founders"), "{table}");
    assert!(table.contains("$45,500,000.00"), "{table}");
    // The curve's column is the same figure.
    let csv = stdout(&charter(&[
        "curve", &file, "$0", "$100M", "--steps", "2", "--csv",
    ]));
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let last: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "Founders").unwrap();
    assert_eq!(last[col], "45500000.00");
}

/// The founders receive $20M when p = $20M / 8M = $2.50 (Seed converted:
/// 2,000,000 × $2.50 = $5M > $2M). The exit: $10M of A's preference plus
/// 16,000,000 × $2.50 − $1,000,000 = $39M, so $49,000,000.
#[test]
fn a_group_is_solved_for_declared_or_named_together() {
    let declared = solved("solve exit where \"Founders\" receives $20M");
    assert_eq!(exit_of(&declared), d("49000000"));
    let together = solved("solve exit where \"Ada\" and \"Ben\" receive $20M");
    assert_eq!(exit_of(&together), d("49000000"));
    assert!(together.together);
    assert_eq!(together.party, "Ada and Ben");
    // With the pool: 8,000,000 p + 2,000,000 (p − $0.50) = $30M, p =
    // $3.10; the exit $10M + 16,000,000 × $3.10 − $1M = $58,600,000.
    let with_pool = solved("solve exit where Founders and Plan receive $30M");
    assert_eq!(exit_of(&with_pool), d("58600000"));
    // The command line, plural.
    let file = common::written("termsheet.charter", TERM_SHEET);
    let o = charter(&["solve", &file, "\"Ada\" and \"Ben\" receive $20M"]);
    assert!(
        stdout(&o).contains("from an exit of $49,000,000.00: Ada and Ben receive $20,000,000.00"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_party_named_twice_is_refused() {
    let c = load("termsheet.charter", TERM_SHEET);
    for (statement, says) in [
        (
            "solve exit where Ada and Common receive $1M",
            "`Common` would be counted twice",
        ),
        (
            "solve exit where Founders and Ada receive $1M",
            "`Ada` would be counted twice",
        ),
        (
            "solve exit where Common and Ada receive $1M",
            "`Ada` would be counted twice",
        ),
        (
            "solve exit where Plan and Plan receive $1M",
            "`Plan` would be counted twice",
        ),
        ("solve exit where Ada and Nobody receive $1M", "`Nobody`"),
    ] {
        let err = query::run(&c, "q", statement).unwrap_err();
        let text = charter::render::diagnostics::render(&err, false);
        assert!(text.contains(says), "{statement}: {text}");
    }
}

/// By holder, the founders are one line, and every dollar is there.
#[test]
fn a_group_is_one_line_in_a_comparison_and_a_chart_by_holder() {
    let file = common::written("termsheet.charter", TERM_SHEET);
    let csv = stdout(&charter(&[
        "compare",
        &file,
        &file,
        "$0",
        "$100M",
        "--holders",
        "--csv",
    ]));
    let at_100m: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("100000000.00,"))
        .collect();
    let parties: Vec<&str> = at_100m
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        parties,
        ["Founders", "Series Seed", "Fund", "Plan (options)"]
    );
    assert!(
        at_100m[0].contains(",45500000.00,45500000.00,0.00"),
        "{}",
        at_100m[0]
    );
}

/// A group's value per share by the option pricing method is its members'
/// values over their shares: backsolved, it reads as the price asked.
#[test]
fn a_group_is_backsolved() {
    let c = load("termsheet.charter", TERM_SHEET);
    let v = match query::run(
        &c,
        "q",
        "value solving \"Founders\" at $1.50 per share volatility 50% term 3 years rate 4%",
    ) {
        Ok(Answer::Value(v)) => v,
        other => panic!("{other:?}"),
    };
    let sum: rust_decimal::Decimal = v
        .holders
        .iter()
        .filter(|h| h.name == "Ada" || h.name == "Ben")
        .map(|h| h.value)
        .sum();
    assert_eq!((sum / d("8000000")).round_dp(2), d("1.50"));
}

#[test]
fn the_checker_refuses_a_group_it_cannot_count() {
    let base = TERM_SHEET.replace("group \"Founders\": \"Ada\", \"Ben\"\n", "");
    for (group, code, says) in [
        (
            "group \"Founders\": \"Ada\", \"Bem\"",
            "unknown_member",
            "did you mean `Ben`",
        ),
        (
            "group \"Founders\": \"Ada\"\ngroup \"Team\": \"Ada\", \"Ben\"",
            "bad_group",
            "`Ada` is counted in the group `Founders` already",
        ),
        (
            "group \"Founders\": \"Ada\", Common",
            "bad_group",
            "`Common` is counted",
        ),
        (
            "group \"Fund\": \"Ada\"",
            "bad_group",
            "`Fund` names a holder, pool or class already",
        ),
        (
            "group \"Founders\": \"Ada\"\ngroup \"Founders\": \"Ben\"",
            "bad_group",
            "declared twice",
        ),
    ] {
        let text = format!("{base}{group}\n");
        let err = charter::check::load(&charter::diagnostic::Source::new(
            "g.charter",
            text.as_str(),
        ))
        .unwrap_err();
        let shown = charter::render::diagnostics::render(&err, false);
        assert!(
            shown.contains(&format!("charter::check::{code}")),
            "{group}: {shown}"
        );
        assert!(shown.contains(says), "{group}: {shown}");
    }
}
