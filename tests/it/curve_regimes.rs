//! The exit curve's regimes and breakpoints on small charters worked by
//! hand (`charter::eval::curve`): a regime of a single point exactly where
//! the decisions at a bound differ from those just right of it, or where a
//! conversion-dividend tier changes just above it; the causes of events at
//! one exit merged into one breakpoint; a tranche of a regime that starts
//! where the next regime begins bending nothing; a crossing that falls on a
//! threshold; and the guards of the conditional-participation thresholds.
//! (cargo mutants: the operators of `walk`, `Walk::settle_at`, `thresholds`
//! and `breakpoints` each test names survived the suite.)

use crate::common;

use charter::eval::Payout;
use charter::eval::breakpoints::payout_at;
use charter::eval::curve::{Curve, Detail, walk};
use charter::ir::Charter;
use charter::query::{Answer, Session};
use rust_decimal::Decimal;

fn load(text: &str) -> Charter {
    common::load("test.charter", text)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn payout(s: &mut Session, exit: &str) -> Payout {
    match s.run("test", &format!("payout ${exit}")) {
        Ok(Answer::Payout(p)) => p,
        other => panic!("payout ${exit}: {other:?}"),
    }
}

/// Each class's payout and whether it converted, by name.
fn classes(p: &Payout) -> Vec<(String, Decimal, bool)> {
    p.classes
        .iter()
        .map(|c| (c.name.clone(), c.payout, c.converted))
        .collect()
}

/// Each class's payout read off the curve at `x`, to the cent as `payout`
/// gives it.
fn read(c: &Charter, curve: &Curve, x: &str) -> Vec<Decimal> {
    payout_at(c, curve, d(x)).unwrap().classes
}

/// The regimes as (start, closed, converted classes).
fn regimes(curve: &Curve) -> Vec<(Decimal, bool, Vec<bool>)> {
    curve
        .regimes
        .iter()
        .map(|r| (r.start, r.closed, r.decisions.converted.clone()))
        .collect()
}

/// The causes of the breakpoint at `x`, in words.
fn causes(curve: &Curve, x: &str) -> Vec<String> {
    curve
        .breakpoints
        .iter()
        .find(|b| b.exit == d(x))
        .unwrap_or_else(|| panic!("no breakpoint at {x}"))
        .causes
        .iter()
        .map(|c| c.what.clone())
        .collect()
}

/// Series P (1,500,000 shares, $2 issue price, converting 1:1) participates
/// only while the distribution per share is below $2; Common has 500,000
/// shares, so 2,000,000 as converted and the threshold is at $4,000,000.
const QUITS: &str = r#"charter "Quit, Inc." { filed 2024-01-01 }
stock Common { common outstanding 500_000 }
stock P "Series P" { preferred outstanding 1_500_000 original issue price $2 conversion price $2 }
liquidation § 2 {
  preference P: 1x original issue price
  P participates while distribution per share < 1x original issue price
}
conversion § 4 {
  P converts at the holder's option
}
"#;

/// At $4,000,000 Series P stops participating (the threshold belongs to the
/// stretch after it). There, not participating, it takes its $3,000,000
/// preference and Common the other $1,000,000, $2 a share; converting, it
/// would take 1.5M/2M × $4M = $3,000,000 too: exactly indifferent, it keeps
/// its preferred stock at the point, and converts just right of it, where
/// the residual's $2 a share starts to rise. So the point is a regime of its
/// own, closed, and the one after it is open; the breakpoint there has both
/// events' causes. Below it P takes $3M + 0.75 × (X − $3M): at
/// $3,999,999.99, $3,749,999.99 (Common 0.25 × $999,999.99 = $249,999.9975,
/// $250,000.00 with the leftover cent). (cargo mutants: `split != ...` as
/// `==`, each operator of `self.closed = !(split || at.d != right.d)`, `!`
/// deleted from `if !self.closed`, `at.d != right.d` as `==` for the event,
/// and the merging of causes in `breakpoints` survived.)
#[test]
fn decisions_that_change_just_right_of_a_threshold_make_a_regime_of_the_point() {
    let c = load(QUITS);
    let curve = walk(&c, &c.liquidation, None, Detail::Explained).unwrap();
    let x = d("4000000");
    assert_eq!(
        regimes(&curve),
        vec![
            (Decimal::ZERO, true, vec![false, false]),
            (x, true, vec![false, false]),
            (x, false, vec![false, true]),
        ]
    );
    let at = causes(&curve, "4000000");
    assert_eq!(at.len(), 2, "{at:?}");
    assert!(at[0].starts_with("Series P stops participating"), "{at:?}");
    assert!(at[1].starts_with("Series P converts"), "{at:?}");
    let b = curve.breakpoints.iter().find(|b| b.exit == x).unwrap();
    assert_eq!((b.left, b.right), (0, 2));

    let mut s = Session::new(&c);
    let name = |n: &str| n.to_string();
    for (exit, common, p, converted) in [
        ("3999999.99", "250000.00", "3749999.99", false),
        ("4000000", "1000000.00", "3000000.00", false),
        ("4000000.01", "1000000.00", "3000000.01", true),
    ] {
        let direct = payout(&mut s, exit);
        assert_eq!(
            classes(&direct),
            vec![
                (name("Common"), d(common), false),
                (name("Series P"), d(p), converted)
            ],
            "payout ${exit}"
        );
        assert_eq!(read(&c, &curve, exit), vec![d(common), d(p)], "at ${exit}");
        let r = &curve.regimes[curve.regime_at(d(exit))];
        assert_eq!(r.decisions.converted, vec![false, converted], "at ${exit}");
    }
}

/// Series C (1,000,000 shares, $10, 8% simple from 2021-01-01: $0.80 a
/// share accrued on 2022-01-01) waives half its accrual on conversion above
/// 2x its issue price and all of it from 4x; with Common's 1,000,000 shares
/// the tiers change at $40M and $80M.
const TIERS: &str = r#"charter "Tiers, Inc." { filed 2021-01-01 }
stock Common { common outstanding 1_000_000 }
stock C "Series C" { preferred outstanding 1_000_000 original issue price $10 conversion price $10 issued 2021-01-01 }
liquidation § 2 {
  preference C: 1x original issue price plus accrued and declared dividends
  C does not participate
}
dividends § 1 {
  C: 8% of original issue price per annum, cumulative, accruing daily actual/365, simple
  C waives half of its accrued dividends on conversion when common is worth more than 2x original issue price, all at 4x
}
conversion § 4 {
  C converts at the holder's option
}
"#;

/// C's preference is $10.80 a share; converting, it is paid its accrual in
/// cash and shares the rest with Common, so below $40M it converts where
/// Common's (X − $10.8M) / 1M passes $10.80 − $0.80 = $10: at $20.8M. At
/// $40M exactly ("more than 2x") C is paid its whole $800,000: $800,000 +
/// ($40M − $0.8M)/2 = $20,400,000, Common $19,600,000 (two cents below,
/// $20,399,999.99 and $19,599,999.99); just above, half: $400,000 +
/// ($40,000,000.02 − $0.4M)/2 = $20,200,000.01, Common $19,800,000.01. Two
/// cents below $80M, $400,000 + ($79,999,999.98 − $0.4M)/2 =
/// $40,199,999.99, Common $39,799,999.99; from $80M ("at 4x") nothing, at
/// the point too: $40M each. So $40M is a regime of its own (the tier
/// changes just above it, the decisions do not) and $80M is not. (cargo
/// mutants: `split != ...` as `==` and `split || ...` as `&&` survived.)
#[test]
fn a_tier_that_changes_just_above_a_bound_makes_a_regime_of_the_point() {
    let mut s = Session::new(&load(TIERS));
    s.run("test", "on 2022-01-01").unwrap();
    // A payout brings the accrual up to the scenario's date.
    payout(&mut s, "1");
    let c = s.scenario.charter.clone();
    let curve = walk(&c, &c.liquidation, None, Detail::Explained).unwrap();
    let (no, yes) = (vec![false, false], vec![false, true]);
    assert_eq!(
        regimes(&curve),
        vec![
            (Decimal::ZERO, true, no),
            (d("20800000"), false, yes.clone()),
            (d("40000000"), true, yes.clone()),
            (d("40000000"), false, yes.clone()),
            (d("80000000"), true, yes),
        ]
    );
    for (exit, common, series_c) in [
        ("20800000", "10000000.00", "10800000.00"),
        ("39999999.98", "19599999.99", "20399999.99"),
        ("40000000", "19600000.00", "20400000.00"),
        ("40000000.02", "19800000.01", "20200000.01"),
        ("79999999.98", "39799999.99", "40199999.99"),
        ("80000000", "40000000.00", "40000000.00"),
    ] {
        let direct: Vec<Decimal> = payout(&mut s, exit)
            .classes
            .iter()
            .map(|p| p.payout)
            .collect();
        assert_eq!(direct, vec![d(common), d(series_c)], "payout ${exit}");
        assert_eq!(read(&c, &curve, exit), direct, "at ${exit}");
    }
}

/// Series A (1,000,000 shares, $1, not participating) is the only stock
/// outstanding. As preferred it takes the first $1,000,000 and nothing
/// claims the rest; converting it takes everything, so it converts from
/// $1,000,000 on. The tranche of the first regime that starts there
/// ("nothing more is distributed") is never read, and bends nothing: the
/// breakpoint has the conversion alone. (cargo mutants: `x < u` as `x <=
/// u` and `u == r.start` as `!=` in `breakpoints` survived.)
#[test]
fn a_tranche_that_starts_where_the_next_regime_begins_bends_nothing() {
    let c = load(
        r#"charter "Empty, Inc." { filed 2024-01-01 }
stock Common { common outstanding 0 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
liquidation § 2 {
  preference A: 1x original issue price
  A does not participate
}
conversion § 4 {
  A converts at the holder's option
}
"#,
    );
    let curve = walk(&c, &c.liquidation, None, Detail::Explained).unwrap();
    assert_eq!(
        regimes(&curve),
        vec![
            (Decimal::ZERO, true, vec![false, false]),
            (d("1000000"), false, vec![false, true]),
        ]
    );
    let exits: Vec<Decimal> = curve.breakpoints.iter().map(|b| b.exit).collect();
    assert_eq!(exits, vec![Decimal::ZERO, d("1000000")]);
    let at = causes(&curve, "1000000");
    assert_eq!(at.len(), 1, "{at:?}");
    assert!(at[0].starts_with("Series A converts"), "{at:?}");
}

/// Series B (1,000,000 shares, $1) does not participate; Common has
/// 1,000,000 shares. B's preference is paid in full at $1M, and B converts
/// where Common's (X − $1M)/1M passes $1: at $2M. A threshold on a class
/// that does not participate stops nothing (`Participation::active` is
/// false whatever it says), so a `while_under` of $2 set on B's clause — no
/// charter text writes one there — adds no breakpoint at $2 × 2M = $4M.
/// (cargo mutants: `||` as `&&` in `!p.participates || shares.is_zero()`
/// survived. Its other case, a charter without shares, cannot be seen
/// through the walk: the threshold it makes is at $0, never past the walk's
/// start.)
#[test]
fn a_class_that_does_not_participate_has_no_threshold() {
    let mut c = load(
        r#"charter "Plain, Inc." { filed 2024-01-01 }
stock Common { common outstanding 1_000_000 }
stock B "Series B" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
liquidation § 2 {
  preference B: 1x original issue price
  B does not participate
}
conversion § 4 {
  B converts at the holder's option
}
"#,
    );
    let p = c.liquidation.participation[1].as_mut().unwrap();
    assert!(!p.participates);
    p.while_under = Some(d("2"));
    let curve = walk(&c, &c.liquidation, None, Detail::Explained).unwrap();
    let exits: Vec<Decimal> = curve.breakpoints.iter().map(|b| b.exit).collect();
    assert_eq!(exits, vec![Decimal::ZERO, d("1000000"), d("2000000")]);
    assert_eq!(
        regimes(&curve),
        vec![
            (Decimal::ZERO, true, vec![false, false]),
            (d("2000000"), false, vec![false, true]),
        ]
    );
}

/// Tested "adjusted for splits", the distribution per share is multiplied by
/// the split factor; at a factor of zero it is $0 whatever the exit, Series
/// P participates at every exit (`Participation::active`), and the walk
/// must not divide by the factor. P then takes $3M and 3/4 of the rest: at
/// $5M, $4,500,000, Common $500,000. (cargo mutants: the guard
/// `!f.is_zero()` as `true` survived. No charter text makes the factor zero:
/// it is set here.)
#[test]
fn a_split_factor_of_zero_does_not_stop_the_walk() {
    let mut c = load(&QUITS.replace(
        "while distribution per share <",
        "while distribution per share adjusted for splits <",
    ));
    let p = c.liquidation.participation[1].as_mut().unwrap();
    assert_eq!(p.split_factor, Some(Decimal::ONE));
    p.split_factor = Some(Decimal::ZERO);
    let curve = walk(&c, &c.liquidation, None, Detail::Pieces).unwrap();
    for (exit, common, series_p) in [
        ("4000000", "250000.00", "3750000.00"),
        ("5000000", "500000.00", "4500000.00"),
    ] {
        assert_eq!(
            read(&c, &curve, exit),
            vec![d(common), d(series_p)],
            "at ${exit}"
        );
        let direct: Vec<Decimal> = payout(&mut Session::new(&c), exit)
            .classes
            .iter()
            .map(|p| p.payout)
            .collect();
        assert_eq!(direct, vec![d(common), d(series_p)], "payout ${exit}");
    }
}

/// Series A (100,000 shares, $2, not participating) converts only by its
/// own election, which the general search decides; Series P (300,000
/// shares, $2) participates while the distribution per share, over 600,000
/// shares as converted, is below 1.5 × $2 = $3: up to $1,800,000. Below it,
/// converting, A would take 1/6 of what is left after P's $600,000
/// preference: (X − $600,000)/6 passes A's $200,000 preference at X =
/// $1,800,000, the threshold itself. Computed, that crossing rounds to the
/// threshold from below it.
const ELECTS: &str = r#"charter "Edge, Inc." { filed 2024-01-01 }
stock Common { common outstanding 200_000 }
stock A "Series A" { preferred outstanding 100_000 original issue price $2 conversion price $2 }
stock P "Series P" { preferred outstanding 300_000 original issue price $2 conversion price $2 }
liquidation § 2 {
  A pari passu with P
  preference A, P: 1x original issue price
  shortfall A, P: ratably by full preferential amount
  A does not participate
  P participates while distribution per share < 1.5x original issue price
}
conversion § 4 {
  P converts at the holder's option
  A convert together on election of a majority of A
}
"#;

/// At $1,800,000 P no longer participates. As preferred the three classes
/// would take $200,000 (A), $600,000 (P) and $1,000,000 (Common, $5 a
/// share), so P converts ($1.6M over 500,000 shares, $3.20 a share against
/// its $2) and A elects to convert ($3 a share against its $2): all
/// converted, $3 a share, Common $600,000, A $300,000, P $900,000. A cent
/// below, P participating, Common and P share $999,999.99 by 2:3 after the
/// preferences: Common $399,999.996 → $400,000.00 (the leftover cent), P
/// $1,199,999.994 → $1,199,999.99; A's election would give it
/// $1,199,999.99/6 = $199,999.998, less than its $200,000. The threshold
/// is walked to and its terms settled there even where a crossing falls on
/// it. (cargo mutants: `c < e` as `c <= e` in `walk` survived: the walk
/// then took $1.8M for a crossing, with the prices from below it, left the
/// point to the regime below, where nobody converts — `payout $1800000`
/// gave Common $1M, A $200,000 and P $600,000 — and lost the threshold's
/// cause.)
#[test]
fn a_crossing_at_a_threshold_settles_the_threshold() {
    let c = load(ELECTS);
    let curve = walk(&c, &c.liquidation, None, Detail::Explained).unwrap();
    let x = d("1800000");
    assert_eq!(
        regimes(&curve),
        vec![
            (Decimal::ZERO, true, vec![false, false, false]),
            (x, true, vec![false, true, true]),
        ]
    );
    let at = causes(&curve, "1800000");
    assert!(at[0].starts_with("Series P stops participating"), "{at:?}");
    let mut s = Session::new(&c);
    let name = |n: &str| n.to_string();
    for (exit, common, a, p, converted) in [
        ("1799999.99", "400000.00", "200000.00", "1199999.99", false),
        ("1800000", "600000.00", "300000.00", "900000.00", true),
    ] {
        assert_eq!(
            classes(&payout(&mut s, exit)),
            vec![
                (name("Common"), d(common), false),
                (name("Series A"), d(a), converted),
                (name("Series P"), d(p), converted),
            ],
            "payout ${exit}"
        );
        assert_eq!(
            read(&c, &curve, exit),
            vec![d(common), d(a), d(p)],
            "at ${exit}"
        );
    }
}
