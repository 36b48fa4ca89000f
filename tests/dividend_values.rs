//! Dividends worked out by hand from the charter text (arithmetic in the
//! comments, checked with exact fractions); none is copied from the program.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use charter::eval::dividends::Declaration;
use charter::query::{Answer, Session};
use common::{class, d, load_file};

fn run(s: &mut Session, statement: &str) -> Answer {
    match s.run("test", statement) {
        Ok(a) => a,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn declared(a: Answer) -> Declaration {
    match a {
        Answer::Declaration(d) => d,
        other => panic!("{other:?}"),
    }
}

fn amount(dec: &Declaration, name: &str) -> rust_decimal::Decimal {
    dec.classes
        .iter()
        .find(|c| c.0 == name)
        .map_or(rust_decimal::Decimal::ZERO, |c| c.2)
}

#[test]
fn scc_series_c_accrues_daily_actual_365() {
    let mut s = Session::new(&load_file("scc.charter"));
    // § 1(a): 8% of $10.05 a year, daily from 1999-12-30. To 2001-12-30 is
    // 731 days (2000 is a leap year): $0.804 × 731 / 365 = $1.610203 a share;
    // 1,250,000 shares: $2,012,753.42.
    match run(&mut s, "accrued C on 2001-12-30") {
        Answer::Accrued(list) => {
            assert_eq!(list[0].days, 731);
            assert_eq!(list[0].per_share.round_dp(6), d("1.610203"));
            assert_eq!(list[0].total, d("2012753.42"));
        }
        other => panic!("{other:?}"),
    }
    // A leap year of 366 days accrues 366/365 of the year's $0.804: $0.806203.
    match run(&mut s, "accrued C on 2000-12-30") {
        Answer::Accrued(list) => assert_eq!(list[0].per_share.round_dp(6), d("0.806203")),
        other => panic!("{other:?}"),
    }
    // At a liquidation on 2001-12-30, C's preference carries the accrual:
    // $30M leaves enough for every preference, so C's preference line is
    // 1,250,000 × $10.05 + $2,012,753.42 = $14,575,253.42 (to the cent, the
    // class's lines share its rounding).
    run(&mut s, "on 2001-12-30");
    let p = match run(&mut s, "payout $30M") {
        Answer::Payout(p) => p,
        other => panic!("{other:?}"),
    };
    let c = p.classes.iter().find(|c| c.name == "Series C").unwrap();
    let pref: rust_decimal::Decimal = c
        .lines
        .iter()
        .filter(|l| l.reason.what == "liquidation preference")
        .map(|l| l.amount)
        .sum();
    assert!((pref - d("14575253.42")).abs() <= d("0.01"), "{pref}");
    assert_eq!(class(&p, "Series B"), d("2000000"));
    // $500,000 declared goes to C's accrued dividends first (§ 1(b)); the
    // accrual falls by $0.40 a share.
    let dec = declared(run(&mut s, "declare dividend $500K"));
    assert_eq!(amount(&dec, "Series C"), d("500000"));
    match run(&mut s, "accrued C") {
        Answer::Accrued(list) => assert_eq!(list[0].per_share.round_dp(6), d("1.210203")),
        other => panic!("{other:?}"),
    }
    // The charter says nothing of how more than the accrual is shared.
    let err = s.run("t", "declare dividend $5M").unwrap_err();
    assert_eq!(err[0].kind.code(), "charter::query::missing_fact");
}

#[test]
fn avesta_short_declaration_shared_by_full_amounts() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // § A.5(a): full amounts A 1,767,243 × $0.1375 = $242,995.9125, B
    // $556,931.0208, C $754,267.206, D $684,278.5248; $2,238,472.6641 in all.
    // $500,000 in proportion: A $54,277.1677, B $124,399.7815, C
    // $168,478.0918, D $152,844.9589. Floors sum to $499,999.98; the cents go
    // to D (.0089) and A (.0077).
    let dec = declared(run(&mut s, "declare dividend $500K"));
    assert_eq!(amount(&dec, "Series A"), d("54277.17"));
    assert_eq!(amount(&dec, "Series B"), d("124399.78"));
    assert_eq!(amount(&dec, "Series C"), d("168478.09"));
    assert_eq!(amount(&dec, "Series D"), d("152844.96"));
    assert_eq!(amount(&dec, "Common"), d("0"));
    // D's $152,844.96 among its holders by shares: FTV 500,000 / 1,827,667 →
    // $41,814.2254…, FTV (Q) 200,000 → $16,725.6901…, the other 1,127,667 →
    // $94,305.0443…; floors sum to $152,844.95, the cent to FTV (.0055).
    let h = |n: &str| dec.holders.iter().find(|x| x.0 == n).unwrap().3;
    assert_eq!(h("Financial Technology Ventures, L.P."), d("41814.23"));
    assert_eq!(h("Financial Technology Ventures (Q), L.P."), d("16725.69"));
    assert_eq!(h("other holders of Series D"), d("94305.04"));
}

#[test]
fn avesta_common_dividend_is_blocked_unless_preferred_shares_equally() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // $3,000,000: the preferential amounts ($2,238,472.6641) first; the other
    // $761,527.3359 goes to common only with an equal as-converted dividend on
    // the preferred (§ A.5(b)): over 20,735,992 shares as converted, Common
    // 8,000,000 → $293,799.2399; A 3,534,486 → $129,803.6625 (+ its
    // $242,995.9125 = $372,799.5750); B $714,021.9488; C $867,979.8147;
    // D $751,399.4217. Floors sum to $2,999,999.97: cents to Common (.0099),
    // B (.0088) and A (.0050).
    let dec = declared(run(&mut s, "declare dividend $3M"));
    assert_eq!(amount(&dec, "Common"), d("293799.24"));
    assert_eq!(amount(&dec, "Series A"), d("372799.58"));
    assert_eq!(amount(&dec, "Series B"), d("714021.95"));
    assert_eq!(amount(&dec, "Series C"), d("867979.81"));
    assert_eq!(amount(&dec, "Series D"), d("751399.42"));
    // What is declared is declared and unpaid: A's preference now adds
    // $372,799.58 / 1,767,243 a share.
    let a = &s.scenario.charter.classes[1];
    assert_eq!(
        (a.declared_dividends * d("1767243")).round_dp(2),
        d("372799.58")
    );
}

#[test]
fn quintus_preferred_receives_the_greater_of_rate_and_common() {
    let mut s = Session::new(&load_file("quintus.charter"));
    // § 1(a): rates A $1,820,000, B $286,000, C $1,146,000, D $800,250,
    // E $2,490,000, F $2,475,000: $9,017,250. Of the other $10,982,750 common
    // takes c a share, and a series tops up to c per common share once c
    // passes its rate: A at $0.20 (cost 15M × 0.20 = $3M), B at $0.286 (24.1M
    // × 0.086 = $2,072,600), C at $0.382 (25.1M × 0.096 = $2,409,600); D's
    // $0.55 is out of reach: c = 0.382 + 3,500,550 / 28,100,000 = $0.506575.
    // Common 15M × c = $7,598,620.9964; A 9.1M × c = $4,609,830.0712; B
    // $506,574.7331; C $1,519,724.1993; D, E, F their rates. Floors sum to
    // $19,999,999.98: cents to C (.0093) and Common (.0064).
    let dec = declared(run(&mut s, "declare dividend $20M"));
    assert_eq!(amount(&dec, "Common"), d("7598621.00"));
    assert_eq!(amount(&dec, "Series A"), d("4609830.07"));
    assert_eq!(amount(&dec, "Series C"), d("1519724.20"));
    assert_eq!(amount(&dec, "Series D"), d("800250"));
    assert_eq!(amount(&dec, "Series F"), d("2475000"));
}

#[test]
fn scc_waiver_tiers_on_conversion() {
    // § 1(a): on conversion, accrued dividends are paid in full when common is
    // worth at most 2 × $10.05 = $20.10, half when above that and below
    // 4 × $10.05 = $40.20, none at $40.20 or more. On 2001-12-30 the accrual
    // is $2,012,753.42.
    let charter = load_file("scc.charter");
    for (fmv, paid) in [
        ("15.00", "2012753.42"),
        ("20.10", "2012753.42"),
        ("25.00", "1006376.71"),
        ("40.20", "0"),
    ] {
        let mut s = Session::new(&charter);
        run(&mut s, "on 2001-12-30");
        match run(&mut s, &format!("convert C at ${fmv}")) {
            Answer::Convert(c) => {
                assert_eq!(c.dividends.unwrap().0.round_dp(2), d(paid), "at ${fmv}")
            }
            other => panic!("{other:?}"),
        }
    }
}
