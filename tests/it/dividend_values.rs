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

/// 1,000 common; Series A, 1,000 outstanding at $1.00, owed $0.50 a share
/// of dividends declared and unpaid, a 1x preference "plus declared
/// dividends"; warrants for 1,000 more A at $1.00. The dividends are owed to
/// the 1,000 shares of record, not to shares the warrants would buy.
fn owed(participation: &str) -> charter::ir::Charter {
    common::load("owed.charter", &owed_text(participation, ""))
}

fn owed_text(participation: &str, more: &str) -> String {
    format!(
        "charter \"Owed, Inc.\" {{ filed 2020-01-01 }}\n\
         stock Common {{ common outstanding 1_000 }}\n\
         stock A \"Series A\" {{ preferred outstanding 1_000 original issue price $1.00 conversion price $1.00 declared unpaid dividends $0.50 per share }}\n\
         warrants \"Lender\" 1_000 A at $1.00\n{more}\
         liquidation {{\n  preference A: 1x original issue price plus declared dividends\n  {participation}\n}}\n\
         conversion {{ A converts at the holder's option }}\n"
    )
}

/// Non-participating, at $2,000: A takes 1,000 × $1.00 + 1,000 × $0.50 =
/// $1,500 (converting would give 1,000/2,000 × $2,000 = $1,000), Common the
/// other $500. Exercising the warrants pays in $1,000 for a claim of 1,000 ×
/// $1.00 = $1,000 (no dividends: the shares were not of record), a gain of
/// $0, so they are not exercised. (Before, the exercised shares took $1.50
/// each: $1,500 for $1,000, exercised, and Common got $0.) At $5,000 A
/// converts and the warrants exercise: ($5,000 + $1,000) / 3,000 = $2.00 a
/// share, Common $2,000, A $2,000, the warrants $2,000 − $1,000 = $1,000.
#[test]
fn declared_dividends_are_owed_to_the_shares_of_record_only() {
    let c = owed("A does not participate");
    let p = common::payout(&c, "payout $2000");
    common::assert_payouts(&p, &[("Common", "500"), ("Series A", "1500")]);
    assert_eq!(p.pools[0].payout, d("0"));
    assert!(!p.pools[0].exercised);
    let p = common::payout(&c, "payout $5000");
    common::assert_payouts(&p, &[("Common", "2000"), ("Series A", "2000")]);
    assert_eq!(p.pools[0].payout, d("1000"));
}

/// Fully participating. Exercising at exit X pays in $1,000; the claim is
/// 2,000 × $1.00 + 1,000 × $0.50 = $2,500 (the record $1,500, the warrant
/// shares $1,000), the residual X + $1,000 − $2,500 shared by 3,000 shares:
/// the warrants net $1,000 + (X − $1,500)/3 − $1,000 = (X − $1,500)/3, so
/// they exercise above $1,500. At $4,500: the residual $3,000 is $1.00 a
/// share: Common $1,000, A $1,500 + $1,000 = $2,500, the warrants $1,000.
/// At $1,200, below the claim: exercising would give the warrant shares
/// 1,000/2,500 of $2,200 = $880 for $1,000, so A takes all $1,200. Past
/// $1,500 each of the 3,000 shares takes a third of the next dollar.
#[test]
fn a_shortfall_and_the_residual_divide_by_what_each_share_is_owed() {
    let c = owed("A participates");
    let p = common::payout(&c, "payout $4500");
    common::assert_payouts(&p, &[("Common", "1000"), ("Series A", "2500")]);
    assert_eq!(p.pools[0].payout, d("1000"));
    let p = common::payout(&c, "payout $1200");
    common::assert_payouts(&p, &[("Common", "0"), ("Series A", "1200")]);
    assert_eq!(p.pools[0].payout, d("0"));
    let b = common::breakpoints(&c, "breakpoints");
    let exits: Vec<rust_decimal::Decimal> = b.rows.iter().map(|r| r.exit).collect();
    assert_eq!(exits, [d("0"), d("1500")]);
    let last = &b.rows[1];
    assert_eq!(last.shares.len(), 3);
    for s in &last.shares {
        assert_eq!(
            s.share.decimal().round_dp(12),
            d("0.333333333333"),
            "{}",
            s.name
        );
    }
}

/// Shares issued after a declaration are owed none of it: after `issue
/// 1_000 A at $1.00`, A's 2,000 shares are owed 2,000 × $1.00 + the 1,000
/// shares of record's 1,000 × $0.50 = $2,500 (not 2,000 × $1.50 = $3,000).
/// At $3,000 A stays (converting: 2,000/3,000 × $3,000 = $2,000), Common
/// takes the other $500. Named holders of the class would make the split
/// among its holders depend on who held when; that is refused, not guessed.
#[test]
fn shares_issued_after_a_declaration_are_owed_none_of_it() {
    let c = owed("A does not participate");
    let mut s = Session::new(&c);
    run(&mut s, "issue 1_000 A at $1.00 on 2021-01-01");
    let Answer::Payout(p) = run(&mut s, "payout $3000") else {
        panic!("not a payout")
    };
    common::assert_payouts(&p, &[("Common", "500"), ("Series A", "2500")]);
    let named = common::load(
        "named.charter",
        &owed_text("A does not participate", "holders { \"Ada\" 400 A }\n"),
    );
    let mut s = Session::new(&named);
    let Err(p) = s.run("test", "issue 1_000 A at $1.00 on 2021-01-01") else {
        panic!("an issue beside named holders owed dividends was accepted")
    };
    let text = charter::render::diagnostics::render(&p, false);
    assert!(text.contains("owed none of them"), "{text}");
}
