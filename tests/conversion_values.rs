//! Conversion prices, conversions and automatic conversion, worked out by
//! hand from the charter text (arithmetic in the comments, checked with exact
//! fractions); none is copied from the program.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use charter::eval::convert::ConvertOutcome;
use charter::eval::ipo::IpoOutcome;
use charter::query::{Answer, Session};
use common::{d, load, load_file};
use rust_decimal::Decimal;

fn run(s: &mut Session, statement: &str) -> Answer {
    match s.run("test", statement) {
        Ok(a) => a,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn price(s: &Session, ident: &str) -> Decimal {
    let id = s
        .scenario
        .charter
        .classes
        .iter()
        .position(|c| c.ident == ident)
        .unwrap();
    s.scenario.prices[id].unwrap()
}

fn ratio(s: &Session, ident: &str) -> Decimal {
    s.scenario
        .charter
        .classes
        .iter()
        .find(|c| c.ident == ident)
        .unwrap()
        .ratio
        .unwrap()
}

fn converted(a: Answer) -> ConvertOutcome {
    match a {
        Answer::Convert(c) => c,
        other => panic!("not a conversion: {other:?}"),
    }
}

fn ipo(a: Answer) -> IpoOutcome {
    match a {
        Answer::Ipo(o) => o,
        other => panic!("not an offering: {other:?}"),
    }
}

#[test]
fn avesta_broad_based_weighted_average_to_the_cent() {
    let mut s = Session::new(&load_file("avesta.charter"));
    run(&mut s, "issue 2_000_000 Common at $3.00");
    // § A.2(d)(iv): outstanding before = 8,000,000 common + 2 × 1,767,243 +
    // 2 × 2,138,752 + 3,096,335 + 1,827,667 as converted = 20,735,992.
    // D: $6.24 × (20,735,992 + 6,000,000 / 6.24) / 22,735,992 = $5.95499… → $5.95.
    // C: $4.06 × (20,735,992 + 6,000,000 / 4.06) / 22,735,992 = $3.96676… → $3.97.
    // A ($1.14585) and B ($2.17) are below $3.00: unchanged.
    assert_eq!(price(&s, "D"), d("5.95"));
    assert_eq!(price(&s, "C"), d("3.97"));
    assert_eq!(price(&s, "A"), d("1.145850"));
    assert_eq!(price(&s, "B"), d("2.17"));
    // Ratio $6.24 / $5.95 = 624/595. FTV's 500,000 D: 524,369.7479 common,
    // 524,369 delivered and 0.7479 × $4.00 = $2.99 in cash (§ A.2(c)).
    let c = converted(run(
        &mut s,
        "convert D for \"Financial Technology Ventures, L.P.\" at $4.00",
    ));
    assert_eq!(c.ratio, d("6.24") / d("5.95"));
    let h = &c.holders[0];
    assert_eq!(h.delivered, d("524369"));
    assert_eq!(h.cash_in_lieu, Some(d("2.99")));
}

#[test]
fn avesta_plan_exclusion_up_to_its_cap() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // 3,000,000 options under the plan: within the 3,700,000 cap (§ A.2(d)(i)(4)(B)).
    run(&mut s, "grant 3_000_000 options at $1.00 excluded as plan");
    assert_eq!(price(&s, "A"), d("1.145850"));
    // 1,000,000 more: 700,000 fill the cap; 300,000 are Additional Shares at
    // $1.00, below A's $1.14585. Outstanding counts the 3,000,000 vested
    // options: 20,735,992 + 3,000,000 = 23,735,992. A: $1.14585 × (23,735,992
    // + 300,000 / 1.14585) / 24,035,992 = $1.14403 → $1.14. B: $2.15540 →
    // $2.16. C: $4.02181 → $4.02. D: $6.17460 → $6.17.
    run(&mut s, "grant 1_000_000 options at $1.00 excluded as plan");
    assert_eq!(price(&s, "A"), d("1.14"));
    assert_eq!(price(&s, "B"), d("2.16"));
    assert_eq!(price(&s, "C"), d("4.02"));
    assert_eq!(price(&s, "D"), d("6.17"));
}

#[test]
fn scc_full_ratchet_inside_the_window_weighted_average_after() {
    let mut s = Session::new(&load_file("scc.charter"));
    // 2000-06-01, within two years of C's 1999-12-30 issue: $4.00 less $200,000
    // fees is $3.80 a share net (§ 4(d)(ii)(A)); C ratchets to $3.80
    // (§ 4(d)(ii)(D)). B: $5.00 × (7,750,000 + 3,800,000 / 5) / 8,750,000 =
    // $4.862857… → $4.8629 (to 1/100 cent, § 4(d)(ii)(I)). A ($2.965) is below $3.80.
    run(
        &mut s,
        "issue 1_000_000 Common at $4.00 fees $200K on 2000-06-01",
    );
    assert_eq!(price(&s, "C"), d("3.80"));
    assert_eq!(price(&s, "B"), d("4.8629"));
    assert_eq!(price(&s, "A"), d("2.965"));
    // 2002-06-01 is past 2001-12-30: C takes the weighted average, not the
    // ratchet, so it stays above the $2.00 issue price.
    run(&mut s, "issue 500_000 Common at $2.00 on 2002-06-01");
    assert!(price(&s, "C") > d("2.00") && price(&s, "C") < d("3.80"));
}

#[test]
fn quintus_minimum_adjustment_is_carried_forward() {
    let mut s = Session::new(&load_file("quintus.charter"));
    // § 3(d)(i)(A), outstanding 15,000,000 + 19,055,000 preferred = 34,055,000.
    // 100,000 at $0.90: A's adjustment is $1 − (34,055,000 + 90,000) /
    // 34,155,000 = $0.000293, under one cent: carried (§ 3(d)(i)(B)). F's is
    // $0.0215: F = $8.25 × (34,055,000 + 90,000 / 8.25) / 34,155,000 =
    // $8.228480456741….
    run(&mut s, "issue 100_000 Common at $0.90 on 2000-01-01");
    assert_eq!(price(&s, "A"), d("1.00"));
    assert_eq!(price(&s, "F").round_dp(12), d("8.228480456741"));
    // A second such issue: D's carried $0.005416 plus its new $0.005400 makes
    // $0.010817, over a cent, so D falls to $2.739183463301…; A's $0.000585
    // stays carried.
    run(&mut s, "issue 100_000 Common at $0.90 on 2000-06-01");
    assert_eq!(price(&s, "D").round_dp(12), d("2.739183463301"));
    assert_eq!(price(&s, "E").round_dp(12), d("4.130997976069"));
    assert_eq!(price(&s, "F").round_dp(12), d("8.207089006452"));
    assert_eq!(price(&s, "A"), d("1.00"));
    // Three years after the first carried event (2003-01-01) it is made.
    run(&mut s, "on 2003-01-02");
    assert_eq!(price(&s, "A").round_dp(12), d("0.999415322341"));
}

#[test]
fn quintus_ipo_ratchets_take_the_greater_ratio() {
    let mut s = Session::new(&load_file("quintus.charter"));
    // $7.00 raising $50M: gross ≥ $40M, so all series convert (§ 3(b)). E:
    // $7.00 < $8.30, ratio max(8.30 / 7, 4.15 / 4.15) = 1.185714…; 3,000,000 E
    // become 3,557,142.857… common. F: max(11 / 7, 1) = 1.571428…. A-D
    // convert with their cash: A 9,100,000 × $0.925 = $8,417,500.
    let o = ipo(run(&mut s, "ipo at $7.00 raising $50M"));
    let e = o.series.iter().find(|x| x.name == "Series E").unwrap();
    assert!(e.converts);
    assert_eq!(e.common_shares.round_dp(12), d("3557142.857142857143"));
    let f = o.series.iter().find(|x| x.name == "Series F").unwrap();
    assert_eq!(f.common_shares.round_dp(12), d("2357142.857142857143"));
    let a = o.series.iter().find(|x| x.name == "Series A").unwrap();
    assert_eq!(a.cash, d("8417500"));
    // $39M fails the $40M test: nothing converts.
    let mut s = Session::new(&load_file("quintus.charter"));
    let o = ipo(run(&mut s, "ipo at $12.00 raising $39M"));
    assert!(o.series.iter().all(|x| !x.converts));
}

#[test]
fn juniper_d1_reset_by_filing_window_and_series_thresholds() {
    let charter = load_file("juniper.charter");
    // D1 issued 1998-06-01 (§ 6(c)). Filed 1998-10-01, within 180 days: 85% of
    // $10.00 = $8.50. Filed 1999-05-01 (after 1998-11-28, by 1999-06-01): 75%.
    // Filed 1999-08-01 (by 1999-09-01, 15 months): 65%. Filed 1999-10-01: none.
    for (filed, reset) in [
        ("1998-10-01", Some("8.50")),
        ("1999-05-01", Some("7.50")),
        ("1999-08-01", Some("6.50")),
        ("1999-10-01", None),
    ] {
        let mut s = Session::new(&charter);
        let o = ipo(run(
            &mut s,
            &format!("ipo at $10.00 raising $50M filed {filed} on 1999-12-01"),
        ));
        assert_eq!(
            o.resets.first().map(|r| r.after),
            reset.map(d),
            "filed {filed}"
        );
        // D1 converts when $10 ≥ its (reset) price: not when it stays $11.03.
        let d1 = o.series.iter().find(|x| x.name == "Series D1").unwrap();
        assert_eq!(d1.converts, reset.is_some());
        if reset.is_none() {
            // Not converted, D1 is adjusted for the offering's 5,000,000 shares at
            // $10: common after A, B, C convert is 30,000,000 + 3,963,070.45 +
            // 8,781,999.25 + 11,696,725.44 = 54,441,795.1477; with D and D1 as
            // converted 57,621,795.1477; $11.03 × (57,621,795.1477 + 50,000,000 /
            // 11.03) / 62,621,795.1477 = $10.94776 → $10.95.
            assert_eq!(price(&s, "D1"), d("10.95"));
        }
    }
    // The 1998-10-01 offering in full: A (3 × $0.44 = $1.32), B ($3.21) and C
    // (1.5 × $3.97 = $5.955) convert; D ($11.03) does not. A becomes
    // 1,743,751 / 0.44 = 3,963,070.4545 common. The offering's 5,000,000 shares
    // at $10.00 then adjust D (§ 6(d)(iv)): outstanding 30,000,000 + the
    // converted 57,789,724.5595 − 30,000,000 ... in all 57,789,724.5595 common
    // plus D's 600,000 = 58,389,724.5595; $11.03 × (58,389,724.5595 +
    // 50,000,000 / 11.03) / 63,389,724.5595 = $10.94876 → $10.95.
    let mut s = Session::new(&charter);
    let o = ipo(run(
        &mut s,
        "ipo at $10.00 raising $50M filed 1998-10-01 on 1999-01-15",
    ));
    let by = |n: &str| o.series.iter().find(|x| x.name == n).unwrap().clone();
    assert!(by("Series A").converts && by("Series B").converts && by("Series C").converts);
    assert!(!by("Series D").converts);
    assert_eq!(by("Series A").common_shares.round_dp(4), d("3963070.4545"));
    assert_eq!(price(&s, "D"), d("10.95"));
}

#[test]
fn approval_counts_two_thirds_exactly() {
    let c = load_file("avesta.charter");
    // § A.2(b)(ii): two-thirds of each series separately. 66.6666% of D is
    // below 2/3; 66.67% is above.
    let mut s = Session::new(&c);
    run(
        &mut s,
        "approve conversion with A 70%, B 67%, C 100%, D 66.6666%",
    );
    assert!(s.scenario.converted.iter().all(|x| x.is_none()));
    run(
        &mut s,
        "approve conversion with A 70%, B 67%, C 100%, D 66.67%",
    );
    assert!(s.scenario.converted.iter().skip(1).all(|x| x.is_some()));
    // Everything is common now: 8,000,000 + 12,735,992 = 20,735,992 shares.
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("20735992"));
}

#[test]
fn quintus_group_election_and_stock_dividend() {
    let mut s = Session::new(&load_file("quintus.charter"));
    // § 3(a): a majority of A-D together, by shares. A alone is 9,100,000 of
    // 14,555,000 (62.5%): A-D convert, with 9,100,000 × $0.925 + 1,000,000 ×
    // $1.325 + 3,000,000 × $1.765 + 1,455,000 × $2.544 = $18,739,020 in cash.
    match run(&mut s, "approve conversion with A 100%") {
        Answer::Vote(v) => {
            let cash: Decimal = v.converted.iter().map(|c| c.2).sum();
            assert_eq!(cash, d("18739020"));
            assert_eq!(v.converted.len(), 4);
        }
        other => panic!("{other:?}"),
    }
    // A 10% stock dividend is a split of 110:100: F's $8.25 becomes $7.50
    // (§ 3(d)(iii)); common 15,000,000 + 14,555,000 converted = 29,555,000
    // becomes 32,510,500.
    run(&mut s, "stock dividend 10%");
    assert_eq!(price(&s, "F"), d("7.5"));
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("32510500"));
}

#[test]
fn narrow_based_counts_common_only_and_splits_restore() {
    let c = load(
        "narrow.charter",
        "charter \"Narrow, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 1_000_000 }\n\
         stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $2.00 conversion price $2.00 }\n\
         liquidation { preference A: 1x original issue price  A does not participate }\n\
         conversion { A convert at the holder's option }\n\
         anti-dilution A { weighted average counting common  splits and combinations adjust proportionally }\n",
    );
    let mut s = Session::new(&c);
    // Narrow-based: $2.00 × (1,000,000 + 1,000,000 / 2) / (1,000,000 + 1,000,000) = $1.50.
    run(&mut s, "issue 1_000_000 Common at $1.00");
    assert_eq!(price(&s, "A"), d("1.5"));
    // A 3:1 split divides the price by 3 and a 1:3 combination multiplies it back.
    run(&mut s, "split 3:1");
    assert_eq!(price(&s, "A"), d("0.5"));
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("6000000"));
    run(&mut s, "combine 1:3");
    assert_eq!(price(&s, "A"), d("1.5"));
    assert_eq!(ratio(&s, "A"), d("2") / d("1.5"));
}

#[test]
fn quintus_rounds_to_the_nearest_whole_share() {
    let mut s = Session::new(&load_file("quintus.charter"));
    // A 3:2 split: E's price $4.15 × 2/3 = $2.7666…, ratio 1.5; 3,000,000 E
    // become exactly 4,500,000 common (§ 3(h), nothing to round).
    run(&mut s, "split 3:2");
    let c = converted(run(&mut s, "convert E"));
    assert_eq!(c.holders[0].delivered, d("4500000"));
}
