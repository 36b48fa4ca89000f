//! Dividends worked out by hand from the charter text (arithmetic in the
//! comments, checked with exact fractions); none is copied from the program.

use crate::common;

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
fn avesta_declared_dividends_enter_the_preference() {
    let mut s = Session::new(&load_file("avesta.charter"));
    // $3,000,000 declared: A receives its $242,995.9125 preferential amount
    // plus $129,803.6625 as converted alongside common (§ A.5(b)), $372,799.58
    // to the cent (how it is shared is an `expect` block in avesta.charter).
    declared(run(&mut s, "declare dividend $3M"));
    // What is declared is declared and unpaid: A's preference now adds
    // $372,799.58 / 1,767,243 a share.
    let a = &s.scenario.charter.classes[1];
    assert_eq!(
        (a.declared_dividends * d("1767243")).round_dp(2),
        d("372799.58")
    );
}

#[test]
fn to_names_classes_only_where_the_charter_leaves_it_to_the_board() {
    // Avesta § A.5(b) says how the rest is shared: naming classes is refused.
    let mut s = Session::new(&load_file("avesta.charter"));
    let err = s.run("t", "declare dividend $3M to A").unwrap_err();
    assert_eq!(err[0].kind.code(), "charter::query::impossible");
    // SCC § 1(b) leaves it to the Board. Nothing has accrued on C's issue
    // date, 1999-12-30, so $1M goes to A's 2,100,000 and B's 400,000 shares
    // alike: $0.40 a share, A $840,000, B $160,000.
    let mut s = Session::new(&load_file("scc.charter"));
    let dec = declared(run(&mut s, "declare dividend $1M to A, B on 1999-12-30"));
    assert_eq!(amount(&dec, "Series A"), d("840000"));
    assert_eq!(amount(&dec, "Series B"), d("160000"));
}
