//! Redemptions worked out by hand from the charter text (arithmetic in the
//! comments); none is copied from the program.

use crate::common;

use charter::eval::redemption::RedeemOutcome;
use charter::query::{Answer, Session};
use common::{d, load_file};

fn redeem(s: &mut Session, statement: &str) -> RedeemOutcome {
    match s.run("test", statement) {
        Ok(Answer::Redeem(r)) => r,
        Ok(other) => panic!("{other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

#[test]
fn avesta_d_first_then_each_holders_request_with_the_late_penalty() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // § A.3(a): on 2002-12-31 each holder may have up to 1/3 of its own
    // shares redeemed, in whole shares. D: FTV 500,000 / 3 → 166,666, FTV (Q)
    // 200,000 / 3 → 66,666, the other holders 1,127,667 / 3 → 375,889:
    // 609,221 shares (the series' 1,827,667 / 3 → 609,222 would be one more)
    // at the greater of $7.00 (fair value) and $6.24 (§ A.3(c)) =
    // $4,264,547, paid first ("In no event, shall a share of Series A ... be
    // redeemed prior to a share of Series D"). Of $5M, $735,453 is left for A
    // 589,081 × $2.2917 + B 712,917 × $4.34 + C 1,032,111 × $4.06 =
    // $8,634,427.3677: 735,453 / 8,634,427.3677 = 8.51768…% of each request
    // (§ A.3(e)), in whole shares: A 589,081 → 50,176.8… → 50,176; B 712,917
    // → 60,723; C, Pilgrim Baxter's 333,333 → 28,392 and the others' 698,778
    // → 59,519, 87,911 in all.
    let r = redeem(&mut s, "redeem on 2002-12-31 funds $5M at $7.00");
    let by = |n: &str| r.classes.iter().find(|c| c.name == n).unwrap().clone();
    assert_eq!(by("Series D").redeemed, d("609221"));
    assert_eq!(by("Series D").paid, d("4264547"));
    let ftv = by("Series D").holders;
    assert_eq!(ftv[0].1, d("166666"));
    assert_eq!(ftv[0].2, d("1166662"));
    assert_eq!(by("Series A").redeemed, d("50176"));
    assert_eq!(by("Series B").redeemed, d("60723"));
    assert_eq!(by("Series C").redeemed, d("87911"));
    assert_eq!(by("Series C").holders[0].1, d("28392"));
    assert_eq!(by("Series A").short, d("538905"));
    // The rest of A's request is owed, at $2.2917 increased by 20% a year
    // compounded annually (§ A.3(f)): a year later $2.2917 × 1.2 = $2.75004.
    let r = redeem(&mut s, "redeem on 2003-12-31 funds $100M at $7.00");
    let owed_a = r
        .classes
        .iter()
        .find(|c| c.name == "Series A" && c.price > d("2.3"))
        .unwrap();
    assert_eq!(owed_a.price, d("2.75004"));
    assert_eq!(owed_a.redeemed, d("538905"));
    assert!(r.classes.iter().all(|c| c.short.is_zero()));
}

#[test]
fn scc_thirds_with_carry_over() {
    let mut s = Session::new(&load_file("scc.charter"));
    // § 5(a): the fifth anniversary of 1999-12-30 is 2004-12-30: up to 33.3%
    // of 1,250,000 = 416,250 shares. Holders ask for half: 208,125. The price
    // is the Series C Liquidation Amount with the accrued dividends (§ 5(b),
    // § 1(a)): $10.05 + $0.804 × 1,827 / 365 = $14.074405….
    let r = redeem(&mut s, "redeem on 2004-12-30 requests C 50%");
    let c = &r.classes[0];
    assert_eq!(c.eligible, d("416250"));
    assert_eq!(c.redeemed, d("208125"));
    assert_eq!(c.price.round_dp(6), d("14.074405"));
    assert!(
        r.assumptions
            .iter()
            .any(|a| a.contains("a majority of Series C"))
    );
    // The sixth anniversary: 33.3% of the 1,250,000 outstanding at the first
    // date (416,250) plus the 208,125 eligible then and not redeemed: 624,375.
    let r = redeem(&mut s, "redeem on 2005-12-30");
    assert_eq!(r.classes[0].eligible, d("624375"));
    // Any other date has nothing scheduled.
    assert_eq!(
        s.run("t", "redeem on 2006-01-15").unwrap_err()[0]
            .kind
            .code(),
        "charter::query::impossible"
    );
}

#[test]
fn avesta_redemption_upon_a_transaction() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // § A.3(b): C and D may redeem all their shares upon a transaction not
    // treated as a liquidation. D first (§ A.3(c)) at the greater of $5.00 and
    // its $6.24 preference: $10,000,000 / $6.24 = 1,602,564.1 → 1,602,564
    // shares ($9,999,999.36); none left for C's 1,548,167 requested (50%).
    let r = redeem(
        &mut s,
        "redeem on 2001-06-01 upon transaction funds $10M requests C 50% at $5.00",
    );
    let by = |n: &str| r.classes.iter().find(|c| c.name == n).unwrap().clone();
    assert_eq!(by("Series D").redeemed, d("1602564"));
    assert_eq!(by("Series D").paid, d("9999999.36"));
    assert_eq!(by("Series C").requested, d("1548167"));
    assert_eq!(by("Series C").redeemed, d("0"));
    assert_eq!(r.assumptions.len(), 2);
}

#[test]
fn a_late_penalty_that_does_not_say_how_part_of_a_year_counts_refuses_to_guess() {
    // Avesta's § A.3(f) clause without its part-of-a-year rule: owed from
    // 2002-12-31 and paid on 2003-06-30, 181 days in, the answer depends on
    // a term the file does not state, so it is a diagnostic, not a number.
    let path = format!("{}/charters/avesta.charter", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "late: 20% per annum compounded annually, a part of a year pro rata",
        "late: 20% per annum compounded annually",
    );
    let charter = common::load("avesta.charter", &text);
    let mut s = Session::new(&charter);
    redeem(&mut s, "redeem on 2002-12-31 funds $5M at $7.00");
    let err = s
        .run("test", "redeem on 2003-06-30 funds $100M at $7.00")
        .unwrap_err();
    let shown = err[0].kind.to_string();
    assert!(shown.contains("181 days past a whole year"), "{shown}");
    assert!(shown.contains("a part of a year pro rata"), "{shown}");
    // On the anniversary there is no part of a year, and 20% compounds once:
    // 538,905 × $2.2917 × 1.2 = 538,905 × $2.75004.
    let mut s = Session::new(&charter);
    redeem(&mut s, "redeem on 2002-12-31 funds $5M at $7.00");
    let r = redeem(&mut s, "redeem on 2003-12-31 funds $100M at $7.00");
    assert!(
        r.classes
            .iter()
            .any(|c| c.name == "Series A" && c.price == d("2.75004"))
    );
}

/// SCC § 5: "presuming there previously has not been a Liquidity Event, the
/// Series C Preferred Stock shall be redeemable". An offering at $8.00
/// raising $20M is a Public Offering (§ 2(a)(ix): below 3 × $10.05 =
/// $30.15, so not qualified), a Liquidity Event: on the fifth anniversary
/// nothing is redeemable (it paid $4,373,687.69, issue 31). Without the
/// offering the same date redeems.
#[test]
fn no_redemption_after_a_liquidity_event() {
    let c = crate::common::load_file("scc.charter");
    let mut after = charter::query::Session::new(&c);
    after
        .run("q", "ipo at $8.00 raising $20M net $18.6M on 2000-06-01")
        .unwrap();
    let err = after.run("q", "redeem on 2004-12-30").unwrap_err();
    let shown = charter::render::diagnostics::render(&err, false);
    assert!(shown.contains("no shares are redeemable"), "{shown}");
    assert!(
        shown.contains("(§ 5)") && shown.contains("2000-06-01"),
        "{shown}"
    );
    let mut s = charter::query::Session::new(&c);
    assert!(s.run("q", "redeem on 2004-12-30").is_ok());
}
