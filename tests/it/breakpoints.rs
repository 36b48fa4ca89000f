//! Breakpoints of the exit curve, worked by hand from small charters, and
//! properties of the curve on generated charters: read off the curve, every
//! payout equals the direct one to the cent; shares of the next dollar sum to
//! one; breakpoints are sorted and distinct; no payout falls except at a
//! reported jump; and the walk's decisions agree with the direct
//! best-response search; and the fixed-point reading of the curve gives
//! the decimal reading's cents wherever it answers.

use crate::common;

use charter::eval::breakpoints::{Breakpoints, Row, payout_at};
use charter::eval::fixed::{Fixed, Scratch};
use charter::eval::{curve, deciders, equilibrium, waterfall};
use charter::ir::Charter;
use charter::num::Fraction;
use charter::query::{self, Answer};
use common::generated::{series, text};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn bps(c: &Charter, statement: &str) -> Breakpoints {
    common::breakpoints(c, statement)
}

/// The walk's decisions at `x`.
fn cur_decisions(c: &curve::Curve, x: Decimal) -> &charter::eval::waterfall::Decisions {
    &c.regimes[c.regime_at(x)].decisions
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The exits, and each row's shares of the next dollar as `name share`.
fn exits(b: &Breakpoints) -> Vec<Decimal> {
    b.rows.iter().map(|r| r.exit).collect()
}

/// A party's share of the next dollar: "0" where it is not listed (a row
/// lists only the parties taking some of it).
fn share(r: &Row, name: &str) -> String {
    r.shares
        .iter()
        .find(|s| s.name == name)
        .map_or_else(|| "0".to_string(), |s| s.share.to_string())
}

/// A party's amounts just below and at a jump.
fn limit(r: &Row, name: &str) -> Option<(Decimal, Decimal)> {
    r.jump
        .iter()
        .find(|l| l.name == name)
        .map(|l| (l.before, l.after))
}

fn cause(r: &Row) -> String {
    r.causes
        .iter()
        .map(|c| c.what.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn two_pari_passu_series_common_and_warrants() {
    let c = common::load(
        "pari.charter",
        r#"charter "Pari, Inc." { filed 2024-01-01 }
stock Common { common outstanding 6_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $2 conversion price $2 }
stock B "Series B" { preferred outstanding 1_000_000 original issue price $4 conversion price $4 }
warrants "Bank" 1_000_000 Common at $1.00   § 5
liquidation § 2 {
  A pari passu with B
  preference A, B: 1x original issue price
  shortfall A, B: ratably by full preferential amount
  A, B do not participate
}
conversion § 4 { A, B convert at the holder's option }
"#,
    );
    let b = bps(&c, "breakpoints");
    // Preferences A $2M and B $4M share a shortfall 1:2 up to $6M; then
    // common alone. The warrants exercise once a common share is worth more
    // than $1: (x − $6M + $1M) / 7M > $1 from x = $12M. A converts where
    // (x + $1M − $4M) / 8M = $2: x = $19M. B converts where
    // (x + $1M) / 9M = $4: x = $35M.
    assert_eq!(
        exits(&b),
        vec![
            d("0"),
            d("6000000"),
            d("12000000"),
            d("19000000"),
            d("35000000")
        ]
    );
    let r = &b.rows;
    assert_eq!(
        (share(&r[0], "Series A"), share(&r[0], "Series B")),
        ("1/3".into(), "2/3".into())
    );
    assert!(
        cause(&r[1]).contains("rank paid in full"),
        "{}",
        cause(&r[1])
    );
    assert!(cause(&r[1]).contains("the residual begins: Common"));
    assert_eq!(share(&r[1], "Common"), "1");
    assert!(cause(&r[2]).contains("Bank (warrants) come into the money"));
    assert_eq!(r[2].causes[0].cite.section.as_deref(), Some("5"));
    assert_eq!(
        (share(&r[2], "Common"), share(&r[2], "Bank (warrants)")),
        ("6/7".into(), "1/7".into())
    );
    assert!(cause(&r[3]).starts_with("Series A converts"));
    assert_eq!(r[3].causes[0].cite.section.as_deref(), Some("4"));
    assert_eq!(share(&r[3], "Series A"), "0.125");
    assert!(cause(&r[4]).starts_with("Series B converts"));
    assert_eq!(share(&r[4], "Common"), "2/3");
    assert_eq!(share(&r[4], "Series B"), "1/9");
    assert!(
        r.iter().all(|r| r.jump.is_empty()),
        "conversions at indifference are continuous"
    );

    // At $19M exactly A is indifferent and keeps its preferred stock; a cent
    // more and it converts.
    let at = common::payout(&c, "payout $19M");
    assert!(!at.classes[1].converted);
    assert_eq!(common::class(&at, "Series A"), d("2000000.00"));
    let above = common::payout(&c, "payout $19000000.01");
    assert!(above.classes[1].converted);
}

#[test]
fn strict_chain_with_a_shortfall_split_by_shares() {
    let c = common::load(
        "chain.charter",
        r#"charter "Chain, Inc." { filed 2024-01-01 }
stock Common { common outstanding 1_000_000 }
stock B "Series B" { preferred outstanding 1_000_000 original issue price $3 conversion price $3 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
stock A2 "Series A-2" { preferred outstanding 1_000_000 original issue price $2 conversion price $2 }
liquidation {
  B senior to A
  A pari passu with A2
  preference B, A, A2: 1x original issue price
  shortfall A, A2: ratably by shares
  B, A, A2 do not participate
}
conversion { B, A, A2 convert at the holder's option }
"#,
    );
    let b = bps(&c, "breakpoints");
    // B's $3M first. A and A-2 then split by shares, half each, until A's
    // $1M is paid at $3M + $2M = $5M; A-2 alone takes its last $1M to $6M;
    // then common. Conversions where a common share is worth the preference
    // per share: A at (x − $5M)/2M = $1 → $7M; A-2 at (x − $3M)/3M = $2 →
    // $9M; B at x/4M = $3 → $12M.
    assert_eq!(
        exits(&b),
        vec![
            d("0"),
            d("3000000"),
            d("5000000"),
            d("6000000"),
            d("7000000"),
            d("9000000"),
            d("12000000")
        ]
    );
    let r = &b.rows;
    assert_eq!(share(&r[1], "Series A"), "0.5");
    assert!(
        cause(&r[2]).starts_with("shortfall split ends for Series A"),
        "{}",
        cause(&r[2])
    );
    // A-2 goes on in the same rank: no "then" as if a new rank began.
    assert!(!cause(&r[2]).contains("then "), "{}", cause(&r[2]));
    assert_eq!(share(&r[2], "Series A-2"), "1");
    assert!(cause(&r[3]).contains("rank paid in full"));
    assert_eq!(share(&r[6], "Common"), "0.25");
}

#[test]
fn capped_participation_converts_above_its_cap() {
    let c = common::load(
        "capped.charter",
        r#"charter "Capped, Inc." { filed 2024-01-01 }
stock Common { common outstanding 3_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
liquidation § 2 {
  preference A: 1x original issue price              § 2(a)
  A participates until 3x original issue price in total   § 2(b)
}
conversion { A converts at the holder's option }
"#,
    );
    let b = bps(&c, "breakpoints");
    // $1M preference; then 3:1 with common until A holds $3 a share: its
    // $2M of participation is reached when the residual is $8M, at $9M; common
    // alone; A converts where x/4M = $3: $12M.
    assert_eq!(
        exits(&b),
        vec![d("0"), d("1000000"), d("9000000"), d("12000000")]
    );
    let r = &b.rows;
    assert_eq!(share(&r[1], "Series A"), "0.25");
    assert_eq!(cause(&r[2]), "Series A's participation reaches its cap");
    assert_eq!(r[2].causes[0].cite.section.as_deref(), Some("2(b)"));
    assert_eq!(share(&r[2], "Common"), "1");
    assert_eq!(share(&r[3], "Series A"), "0.25");
    // Capped at $3M below $12M, converted above it.
    assert_eq!(
        common::class(&common::payout(&c, "payout $11M"), "Series A"),
        d("3000000.00")
    );
    assert_eq!(
        common::class(&common::payout(&c, "payout $16M"), "Series A"),
        d("4000000.00")
    );
}

#[test]
fn a_group_election_is_a_jump() {
    let c = common::load(
        "group.charter",
        r#"charter "Group, Inc." { filed 2024-01-01 }
stock Common { common outstanding 1_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
stock B "Series B" { preferred outstanding 1_000_000 original issue price $3 conversion price $3 }
liquidation {
  A pari passu with B
  preference A, B: 1x original issue price
  shortfall A, B: ratably by full preferential amount
  A, B do not participate
}
conversion { A, B convert together on election of a majority of A, B   § 4 }
"#,
    );
    let b = bps(&c, "breakpoints");
    // Converting together pays each series x/3M a share. A gains above $3M
    // but holds only half the electing shares; B gains above $9M, so both
    // carry the election there. Just below $9M common has $9M − $4M = $5M,
    // A $1M, B $3M; above it each has a third: common falls to $3M and A
    // rises to $3M — a jump, reported with both limits.
    assert_eq!(exits(&b), vec![d("0"), d("4000000"), d("9000000")]);
    let r = &b.rows[2];
    assert!(
        cause(r).starts_with("Series A, Series B convert together"),
        "{}",
        cause(r)
    );
    assert_eq!(limit(r, "Common"), Some((d("5000000.00"), d("3000000.00"))));
    assert_eq!(
        limit(r, "Series A"),
        Some((d("1000000.00"), d("3000000.00")))
    );
    assert_eq!(limit(r, "Series B"), None, "B is indifferent at $9M");
    assert_eq!(share(r, "Common"), "1/3");
}

#[test]
fn conditional_participation_stops_with_a_jump() {
    let c = common::load(
        "conditional.charter",
        r#"charter "Conditional, Inc." { filed 2024-01-01 }
stock Common { common outstanding 1_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }
liquidation § 2 {
  preference A: 1x original issue price
  A participates while distribution per share < 4x original issue price   § 2(v)
}
conversion { A converts at the holder's option }
"#,
    );
    let b = bps(&c, "breakpoints");
    // The distribution per share is x / 2M; A participates while it is
    // below $4, i.e. below $8M. Just below, A has $1M + ($8M − $1M)/2 =
    // $4.5M and common $3.5M; at $8M A no longer participates and converts
    // ($4M beats its $1M preference): both have $4M.
    assert_eq!(exits(&b), vec![d("0"), d("1000000"), d("8000000")]);
    let r = &b.rows[2];
    assert!(
        cause(r).starts_with("Series A stops participating"),
        "{}",
        cause(r)
    );
    assert!(cause(r).contains("Series A converts"));
    assert_eq!(r.causes[0].cite.section.as_deref(), Some("2(v)"));
    assert_eq!(
        limit(r, "Series A"),
        Some((d("4500000.00"), d("4000000.00")))
    );
    assert_eq!(limit(r, "Common"), Some((d("3500000.00"), d("4000000.00"))));
    // The threshold belongs to the stretch above it.
    let p = common::payout(&c, "payout $8M");
    assert_eq!(common::class(&p, "Series A"), d("4000000.00"));
    let p = common::payout(&c, "payout $7999999.99");
    // $1M + ($7,999,999.99 − $1M)/2 = $4,499,999.995: the half cent goes to
    // the class listed first (Common), by the remainder rule.
    assert_eq!(common::class(&p, "Series A"), d("4499999.99"));
}

#[test]
fn up_to_stops_the_list() {
    let c = common::load_file("quintus.charter");
    let all = bps(&c, "breakpoints");
    let some = bps(&c, "breakpoints up to $20M");
    assert!(some.rows.len() < all.rows.len());
    assert!(some.rows.iter().all(|r| r.exit <= d("20000000")));
    assert_eq!(
        some.rows.len(),
        all.rows.iter().filter(|r| r.exit <= d("20000000")).count()
    );
    // A limit that is itself a breakpoint keeps it ("up to" includes it);
    // a cent below leaves it out.
    let at = all.rows[2].exit;
    let upto = bps(&c, &format!("breakpoints up to ${at}"));
    assert_eq!(exits(&upto), exits(&all)[..3]);
    let below = bps(&c, &format!("breakpoints up to ${}", at - d("0.01")));
    assert_eq!(exits(&below), exits(&all)[..2]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    #[test]
    fn the_curve_is_the_payout(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..6),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
        samples in prop::collection::vec(0u64..60_000_000_000, 4),
    ) {
        let src = text(common, &list, options);
        let c = common::load("generated.charter", &src);
        let b = bps(&c, "breakpoints");
        let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();

        // Sorted and distinct, starting at $0.
        prop_assert_eq!(b.rows.first().map(|r| r.exit), Some(Decimal::ZERO));
        prop_assert!(b.rows.windows(2).all(|w| w[0].exit < w[1].exit), "{:?}", exits(&b));

        // Shares of the next dollar sum to one wherever anyone takes it, to
        // within the 28 digits of a decimal: a rounded conversion ratio
        // ($0.10/$0.17) or a 29-digit product carries its rounding. (The
        // hand-worked cases above assert exact fractions.)
        for r in &b.rows {
            let shares: Vec<Fraction> = r.shares.iter().map(|s| s.share).collect();
            if shares.iter().all(|s| s.is_zero()) {
                continue;
            }
            let total: Decimal = shares.iter().map(|f| f.num / f.den).sum();
            prop_assert!((total - Decimal::ONE).abs() < Decimal::new(1, 20), "shares sum to {} at {}\n{}", total, r.exit, src);
        }

        // Exits: the samples, and each breakpoint and a cent either side.
        let mut xs: Vec<Decimal> = samples.iter().map(|s| Decimal::new(*s as i64, 2)).collect();
        for r in b.rows.iter().take(12) {
            let x = r.exit.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            xs.extend([x, x + Decimal::new(1, 2), (x - Decimal::new(1, 2)).max(Decimal::ZERO)]);
        }
        xs.sort();
        xs.dedup();
        let mut last: Option<(Decimal, Vec<Decimal>)> = None;
        for x in xs {
            let direct = common::payout(&c, &format!("payout {x}"));
            let read = payout_at(&c, &walked, x).unwrap();
            let direct_classes: Vec<Decimal> = direct.classes.iter().map(|k| k.payout).collect();
            // The payout's decisions (found directly where every decider has
            // a price) are the walk's at this exit.
            let converted: Vec<bool> = direct.classes.iter().map(|k| k.converted).collect();
            prop_assert_eq!(&converted, &cur_decisions(&walked, x).converted, "decisions at {}\n{}", x, src);
            let exercised: Vec<bool> = direct.pools.iter().map(|k| k.exercised).collect();
            prop_assert_eq!(&exercised, &cur_decisions(&walked, x).exercised, "exercise at {}\n{}", x, src);
            prop_assert_eq!(&read.classes, &direct_classes, "classes at {}\n{}", x, src);
            let direct_pools: Vec<Decimal> = direct.pools.iter().map(|k| k.payout).collect();
            prop_assert_eq!(&read.pools, &direct_pools, "pools at {}\n{}", x, src);

            // The independent best-response search reaches the same payouts
            // to the cent. (Its decisions can differ within its tolerance: it
            // ignores gains under $10^-9, where the walk converts a class a
            // cent past the exact exit at which converting starts to pay.)
            let old = equilibrium::settle(&c, &c.liquidation, x).unwrap();
            let exact = deciders::amounts(&c, &old.waterfall, &old.decisions, &old.fill.total).unwrap();
            let old_cents = charter::eval::cents(&c, x, &exact).unwrap();
            prop_assert_eq!(&old_cents.classes, &direct_classes, "direct search at {}\n{}", x, src);

            // Each decider's alternative, solved from the payout's waterfall,
            // is what a waterfall built for the switch pays it.
            let units = deciders::units(&c);
            for ((unit, _), dec) in units.iter().zip(&direct.decisions) {
                let alt_d = deciders::toggle(&c, cur_decisions(&walked, x), unit);
                let w = waterfall::build_bare(&c, &c.liquidation, &alt_d, x).unwrap();
                let alt = deciders::amounts_of(&c, &w, &alt_d, unit).unwrap();
                let built: Decimal = match unit {
                    deciders::Unit::Class(id) => alt[*id],
                    deciders::Unit::Pool(p) => alt[c.classes.len() + p],
                    deciders::Unit::Group(_) => continue,
                };
                prop_assert!((built.round_dp(2) - dec.alternative).abs() <= Decimal::new(1, 2),
                    "{} alternative {} solved, {} built, at {}\n{}", dec.who, dec.alternative, built, x, src);
            }

            // No payout falls unless a jump lies between.
            let mut all = direct_classes.clone();
            all.extend(direct_pools);
            if let Some((px, prev)) = &last {
                let jumped = b.rows.iter().any(|r| r.exit > *px && r.exit <= x && !r.jump.is_empty());
                if !jumped {
                    for (i, (a, bb)) in prev.iter().zip(&all).enumerate() {
                        prop_assert!(*bb >= *a - Decimal::new(1, 2), "payout {} fell from {} at {} to {} at {}\n{}", i, a, px, bb, x, src);
                    }
                }
            }
            last = Some((x, all));
        }
    }
}

/// The decimal reading's row at `x` cents: classes, pools, holders, in cents.
fn decimal_row(c: &Charter, walked: &curve::Curve, x: u64) -> Option<Vec<i128>> {
    let p = payout_at(c, walked, Decimal::new(i64::try_from(x).ok()?, 2)).ok()?;
    // Whole cents: the mantissa scaled to two places.
    let cents = |v: &Decimal| v.mantissa() * 10i128.pow(2 - v.scale());
    Some(
        p.classes
            .iter()
            .chain(&p.pools)
            .chain(p.holders.iter().map(|h| &h.payout))
            .map(cents)
            .collect(),
    )
}

/// Reads `xs` both ways; returns how many the fixed reading declined.
fn compare_readings(c: &Charter, src: &str, xs: &[u64]) -> Result<usize, TestCaseError> {
    let walked = curve::walk(c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
    let fixed = Fixed::new(&walked);
    let (mut scratch, mut out) = (Scratch::default(), Vec::new());
    let mut declined = 0;
    for &x in xs {
        if fixed.row((c, &walked), x, &mut scratch, &mut out) {
            let want = decimal_row(c, &walked, x);
            prop_assert_eq!(Some(&out), want.as_ref(), "at {} cents\n{}", x, src);
        } else {
            declined += 1;
        }
    }
    Ok(declined)
}

#[test]
fn the_fixed_reading_of_twenty_series() {
    let c = common::load_file("../tests/cases/good/twenty_series.charter");
    // 200,001 exits from $0 to $1B, each a multiple of $5,000 plus 37 cents
    // times the row (so the cents vary), every breakpoint's neighbours too.
    let mut xs: Vec<u64> = (0..200_001u64)
        .map(|i| i * 500_000 + (i * 37) % 100)
        .collect();
    for k in 1..=20u64 {
        // S_k converts where $k a share as converted is reached: 30M shares.
        let at = k * 30_000_000 * 100;
        xs.extend([at - 1, at, at + 1]);
    }
    let declined = compare_readings(&c, "twenty_series", &xs).unwrap();
    // Only exits within a cent of a piece's end decline here.
    assert!(declined <= 200, "{declined} of {} declined", xs.len());
}

#[test]
fn the_fixed_reading_of_the_four_charters() {
    for name in [
        "avesta.charter",
        "juniper.charter",
        "quintus.charter",
        "scc.charter",
    ] {
        let c = common::load_file(name);
        // Every $2,500.01 from $0 to $250M: 100,000 exits with varied cents.
        let xs: Vec<u64> = (0..100_000u64).map(|i| i * 250_001).collect();
        let declined = compare_readings(&c, name, &xs).unwrap();
        assert!(
            declined <= 100,
            "{name}: {declined} of {} declined",
            xs.len()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    #[test]
    fn the_fixed_reading_is_the_decimal_one(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..6),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
        held in (1u32..1000, 1u32..1000),
        samples in prop::collection::vec(0u64..60_000_000_000, 200),
    ) {
        let mut src = text(common, &list, options);
        // Two named holders: a part of S0 and a part of Common.
        let s0 = u64::from(list[0].shares) * u64::from(held.0) / 1000;
        let cm = u64::from(common) * u64::from(held.1) / 1000;
        if s0 > 0 && cm > 0 {
            src.push_str(&format!("holders {{\n  \"Fund\" {s0} S0\n  \"Founder\" {cm} Common\n}}\n"));
        }
        let c = common::load("generated.charter", &src);
        let b = bps(&c, "breakpoints");
        let mut xs = samples.clone();
        for r in &b.rows {
            let x = (r.exit * Decimal::ONE_HUNDRED).floor().mantissa();
            let x = u64::try_from(x).unwrap_or(0);
            xs.extend([x.saturating_sub(1), x, x + 1, x + 2]);
        }
        let declined = compare_readings(&c, &src, &xs)?;
        // Away from the ends of pieces the fixed reading answers.
        prop_assert!(declined <= 4 * b.rows.len() + 10, "{} declined of {}", declined, xs.len());
    }
}

/// Under every reading each seed offers, the curve read at an exit is the
/// direct payout there, and its fixed-point reading the decimal one: a
/// reading that moves a term (conversion cash ahead of the preferences, issue
/// prices that follow the conversion price, ...) keeps the one-number rule.
#[test]
fn every_reading_of_the_four_charters_reads_the_same_both_ways() {
    use charter::check::readings::parse_choice;
    use charter::diagnostic::Source;
    for name in [
        "avesta.charter",
        "juniper.charter",
        "quintus.charter",
        "scc.charter",
    ] {
        let path = format!("{}/charters/{name}", env!("CARGO_MANIFEST_DIR"));
        let source = Source::new(&path, std::fs::read_to_string(&path).unwrap());
        let first = charter::check::load(&source).unwrap();
        for r in &first.readings {
            for alt in r.alternatives.iter().skip(1) {
                let choice = parse_choice(&format!("{}={alt}", r.name)).unwrap();
                let c = charter::check::load_with(&source, &[choice]).unwrap();
                let what = format!("{name} under {}={alt}", r.name);
                // Every $1,250,000.07 from $0 to $250M, 201 exits.
                let xs: Vec<u64> = (0..=200u64).map(|i| i * 125_000_007).collect();
                let declined = compare_readings(&c, &what, &xs).unwrap();
                assert!(declined <= 5, "{what}: {declined} declined");
                let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
                for &x in xs.iter().step_by(10) {
                    let exit = Decimal::new(i64::try_from(x).unwrap(), 2);
                    let read = payout_at(&c, &walked, exit).unwrap();
                    let direct = common::payout(&c, &format!("payout ${exit}"));
                    let direct: Vec<Decimal> = direct.classes.iter().map(|p| p.payout).collect();
                    assert_eq!(read.classes, direct, "{what} at ${exit}");
                }
            }
        }
    }
}

/// SCC § 1(a) in the exit curve: a converting Series C is paid all, half or
/// none of its accrual by the distribution per share, so the tiers' exits
/// are breakpoints, and losing the accrual at 4x is a jump.
#[test]
fn scc_conversion_dividend_tiers_are_breakpoints() {
    let mut s = query::Session::new(&common::load_file("scc.charter"));
    s.run("test", "on 2001-12-30").unwrap();
    let b = match s.run("test", "breakpoints") {
        Ok(Answer::Breakpoints(b)) => b,
        other => panic!("{other:?}"),
    };
    let row = |x: &str| {
        b.rows
            .iter()
            .find(|r| r.exit.round_dp(2) == d(x))
            .unwrap_or_else(|| panic!("no breakpoint at {x}: {:?}", exits(&b)))
    };
    // 7,750,000 shares as converted. Half waived above 2 × $10.05 × 7.75M =
    // $155,775,000; C is not converted there, so nothing jumps.
    let half = row("155775000");
    assert!(cause(half).contains("half waived above"), "{}", cause(half));
    assert!(half.jump.is_empty());
    // C as preferred takes at most $10.05 + $1.6102… accrued + $10.05 =
    // $21.7102… a share; converting, half the accrual ($0.8051… a share) and
    // the level (X − $1,006,376.7123…) / 7.75M, everyone else converted: it
    // converts above 7.75M × $20.9051… + $1,006,376.7123… = $163,020,912.33.
    let converts = row("163020912.33");
    assert!(
        cause(converts).contains("Series C converts"),
        "{}",
        cause(converts)
    );
    // All waived from 4 × $10.05 × 7.75M = $311,550,000, where C falls from
    // 1.25/7.75 × ($311,550,000 − $1,006,376.7123…) + $1,006,376.7123… =
    // $51,094,057.89 to 1.25/7.75 × $311,550,000 = $50,250,000, and Common
    // rises from 4/7.75 × $310,543,623.2876… = $160,280,579.76 to $160,800,000.
    let all = row("311550000");
    assert!(cause(all).contains("all waived from"), "{}", cause(all));
    assert_eq!(
        limit(all, "Series C"),
        Some((d("51094057.89"), d("50250000.00")))
    );
    assert_eq!(
        limit(all, "Common"),
        Some((d("160280579.76"), d("160800000.00")))
    );
    // Read off the curve, the payout at and around each of them is the
    // direct one.
    let c = s.scenario.charter.clone();
    let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
    for x in [
        "155774999.99",
        "155775000",
        "155775000.01",
        "163020912.33",
        "200000000",
        "311549999.99",
        "311550000",
        "320000000",
    ] {
        let read = payout_at(&c, &walked, d(x)).unwrap();
        let direct = match s.run("test", &format!("payout ${x}")) {
            Ok(Answer::Payout(p)) => p,
            other => panic!("{other:?}"),
        };
        let direct: Vec<Decimal> = direct.classes.iter().map(|p| p.payout).collect();
        assert_eq!(read.classes, direct, "at ${x}");
    }
    // The fixed-point reading gives the decimal one's cents: every
    // $1,600,000.07 to $320M.
    let xs: Vec<u64> = (0..=200u64).map(|i| i * 160_000_007).collect();
    let declined = compare_readings(&c, "scc.charter on 2001-12-30", &xs).unwrap();
    assert!(declined <= 5, "{declined} declined");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    /// At every breakpoint the shares of the next dollar reported are the
    /// slope of each class's and pool's payout on the stretch after it: read
    /// at two interior points of that stretch (a third and two thirds of
    /// the way to the next breakpoint), where nothing bends. Caps that bind
    /// at an exit that is not a whole number of cents are where the shares
    /// of the stretch before were once reported (issue 31).
    #[test]
    fn the_next_dollar_is_the_slope_after_each_breakpoint(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..6),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
    ) {
        let src = text(common, &list, options);
        let c = common::load("generated.charter", &src);
        let b = bps(&c, "breakpoints");
        let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
        let amounts = |x: Decimal| {
            charter::eval::breakpoints::exact_at(&walked, walked.regime_at(x), x).unwrap()
        };
        for (i, r) in b.rows.iter().enumerate() {
            let width = b.rows.get(i + 1).map_or(Decimal::from(3), |n| n.exit - r.exit);
            let (x1, x2) = (r.exit + width / Decimal::from(3), r.exit + width * Decimal::from(2) / Decimal::from(3));
            let (a1, a2) = (amounts(x1), amounts(x2));
            // Every party: one not listed takes none of the next dollar.
            prop_assert!(r.shares.windows(2).all(|w| w[0].index < w[1].index));
            for k in 0..a1.len() {
                let listed = r.shares.iter().find(|s| s.index == k);
                let slope = (a2[k] - a1[k]) / (x2 - x1);
                let share = listed.map_or(Decimal::ZERO, |s| s.share.num / s.share.den);
                prop_assert!(listed.is_none_or(|s| !s.share.is_zero()));
                prop_assert!(
                    (slope - share).abs() < Decimal::new(1, 9),
                    "after {} ({}), party {} takes {} of the next dollar but its slope is {}\n{}",
                    r.exit, cause(r), k, share, slope, src
                );
            }
        }
    }
}

/// The breakpoints' and a valuation's JSON written a row at a time is the
/// JSON tree's text, byte for byte, on every shipped charter.
#[test]
fn breakpoints_json_written_by_rows_is_the_tree() {
    for name in common::SHIPPED {
        let c = common::load_file(name);
        for statement in ["breakpoints", "breakpoints up to $10M"] {
            let b = bps(&c, statement);
            assert!(!b.rows.is_empty());
            let tree = charter::render::curve::json(&b).to_string();
            assert_eq!(charter::render::curve::json_text(&b), tree, "{name}");
        }
        // And a valuation's, a tranche at a time.
        let v = match query::run(
            &c,
            "t",
            "value at $40M volatility 55% term 3.5 years rate 4.2%",
        ) {
            Ok(Answer::Value(v)) => v,
            other => panic!("{other:?}"),
        };
        assert!(v.tranches.len() > 2);
        let tree = charter::render::value::valuation_json(&v).to_string();
        assert_eq!(
            charter::render::value::valuation_json_text(&v),
            tree,
            "{name}"
        );
    }
}

/// A chain of 200 series, each senior to the last and owed a different
/// amount: 200 pieces in one regime, whose totals are kept only every third
/// piece (200 / 64) and replayed between. Read off the curve, each payout is
/// the direct one, at each piece's start, a cent after it, and inside it.
#[test]
fn a_long_chain_reads_the_same_off_the_curve() {
    let n = 200;
    let src = common::wide::chain_of(n, common::wide::cents_price, "do not convert");
    let c = common::load("chain.charter", &src);
    let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
    assert_eq!(walked.regimes.len(), 1);
    assert!(walked.regimes[0].pieces.len() > n);
    // The most senior, S199, is paid first ($29.90 × 10 = $299); the exit at
    // which S{k} is paid in full is the sum of what S199 … S{k} are owed.
    let owed = |i: usize| Decimal::from(100 + i as u64) / Decimal::from(10);
    let mut s = query::Session::new(&c);
    let mut paid = Decimal::ZERO;
    let mut checked = 0;
    for k in (0..n).rev() {
        for x in [
            paid,
            paid + Decimal::new(1, 2),
            paid + owed(k) / Decimal::TWO,
        ] {
            let read = payout_at(&c, &walked, x).unwrap();
            let direct = match s.run("test", &format!("payout ${x}")) {
                Ok(Answer::Payout(p)) => p,
                other => panic!("{other:?}"),
            };
            let direct: Vec<Decimal> = direct.classes.iter().map(|p| p.payout).collect();
            assert_eq!(read.classes, direct, "at ${x}");
            checked += 1;
        }
        // Half-way into S{k}'s claim, it holds half of it.
        let mid = payout_at(&c, &walked, paid + owed(k) / Decimal::TWO).unwrap();
        assert_eq!(mid.classes[k + 1], (owed(k) / Decimal::TWO).round_dp(2));
        paid += owed(k);
    }
    assert_eq!(checked, 3 * n);
    // Every class in full (the sum of $10.00 … $29.90 is 200 × $19.95 =
    // $3,990), and common takes the rest.
    assert_eq!(paid, Decimal::from(3990));
    let top = payout_at(&c, &walked, Decimal::from(5000)).unwrap();
    assert_eq!(top.classes[0], Decimal::from(1010));
    // The fixed reading agrees, at a cent stepping through the whole chain.
    let xs: Vec<u64> = (0..=500u64).map(|i| i * 997).collect();
    let declined = compare_readings(&c, "chain.charter", &xs).unwrap();
    assert!(declined < 250, "{declined} declined");
}

/// The shapes the benchmarks of size grow, at a size worked by hand.
#[test]
fn the_benchmark_shapes_at_a_size_worked_by_hand() {
    // Staircase of four, S{i} owed and converting at $1.0i, 10 shares each,
    // shortfall by shares: each takes a quarter until S0's $10 is paid at
    // $40; then S1..S3 a third until S1's $10.10 at $40 + 3 × $0.10; then
    // $40.50 and $40.60. S0 converts where (x − $40.60 + $10) / 1,010 shares
    // reaches $1.00: $1,040.60; S1 where (x − $30.60 + $10.10) / 1,020 =
    // $1.01: $1,050.70; S2 (x − $20.50 + $10.20) / 1,030 = $1.02:
    // $1,060.90; S3 (x − $10.30 + $10.30) / 1,040 = $1.03: $1,071.20.
    let c = common::load("stair.charter", &common::wide::staircase(4));
    let b = bps(&c, "breakpoints");
    let want: Vec<Decimal> = [
        "0", "40", "40.3", "40.5", "40.6", "1040.6", "1050.7", "1060.9", "1071.2",
    ]
    .iter()
    .map(|x| d(x))
    .collect();
    assert_eq!(exits(&b), want);
    let last = b.rows.last().unwrap();
    assert_eq!(share(last, "Common"), "25/26"); // 1,000 of 1,040 shares
    assert_eq!(share(last, "S3"), "1/104"); // 10 of 1,040
    // Chain of three, S2 senior to S1 senior to S0, each owed $10: $0, $10,
    // $20, then common from $30. Each converts where its 10 shares' part of
    // what it leaves behind reaches its $10: for S0, (x − $20) / 1,010 =
    // $1 at $1,030; for S1, (x − $10) / 1,020 = $1 and for S2 x / 1,030 =
    // $1: the same $1,030, where all three convert together.
    let c = common::load("chain.charter", &common::wide::chain(3));
    let b = bps(&c, "breakpoints");
    let want: Vec<Decimal> = ["0", "10", "20", "30", "1030"]
        .iter()
        .map(|x| d(x))
        .collect();
    assert_eq!(exits(&b), want);
    assert_eq!(share(&b.rows[0], "S2"), "1");
    assert_eq!(share(&b.rows[4], "Common"), "100/103"); // 1,000 of 1,030
    // Mixed ranks of thirty: three ranks of ten, each participating to 3x.
    let c = common::load("mixed.charter", &common::wide::mixed_ranks(30));
    assert_eq!(c.classes.len(), 31);
    // Ranks chain upwards (S10 senior to S0, S20 senior to S10): the first
    // dollar goes to the ten of the most senior, S20 … S29, each by its
    // full preferential amount (1,000 shares × $3.00 … $3.90: S20's $3,000
    // of the rank's $34,500 is 2/23).
    let b = bps(&c, "breakpoints");
    let first: Vec<&str> = b.rows[0].shares.iter().map(|s| s.name.as_str()).collect();
    let senior: Vec<String> = (20..30).map(|i| format!("S{i}")).collect();
    assert_eq!(first, senior);
    assert_eq!(share(&b.rows[0], "S20"), "2/23");
}
