//! Properties of anti-dilution on generated charters and issuances: the
//! weighted average never raises a price and lands between the issue price and
//! the old price; a full ratchet never leaves a higher price than the weighted
//! average; a split and the reverse combination restore the price (exactly
//! where the split's ratio terminates in decimal, to 20 places where it does
//! not).

use crate::common;

use charter::query::Session;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn charter(common: u32, series: &[(u32, u32)], adjustment: &str) -> charter::ir::Charter {
    let mut t = format!(
        "charter \"Gen, Inc.\" {{ filed 2020-01-01 }}\nstock Common {{ common outstanding {common} }}\n"
    );
    let names: Vec<String> = (0..series.len()).map(|i| format!("S{i}")).collect();
    for (i, (shares, cents)) in series.iter().enumerate() {
        let p = format!("${}.{:02}", cents / 100, cents % 100);
        t.push_str(&format!("stock S{i} {{ preferred outstanding {shares} original issue price {p} conversion price {p} }}\n"));
    }
    let list = names.join(", ");
    t.push_str(&format!("liquidation {{\n  S0 pari passu with {list}\n  preference {list}: 1x original issue price\n  shortfall {list}: ratably by full preferential amount\n  {list} do not participate\n}}\n"));
    t.push_str(&format!(
        "conversion {{ {list} convert at the holder's option }}\n"
    ));
    t.push_str(&format!("anti-dilution {list} {{\n  {adjustment}\n  splits and combinations adjust proportionally\n}}\n"));
    common::load("gen.charter", &t)
}

fn prices(s: &Session) -> Vec<Decimal> {
    s.scenario.prices.iter().flatten().copied().collect()
}

fn series() -> impl Strategy<Value = Vec<(u32, u32)>> {
    prop::collection::vec((1u32..5_000_000, 50u32..2_000), 1..5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn weighted_average_lowers_but_not_below_the_issue_price(
        common in 1u32..20_000_000, list in series(), shares in 1u32..10_000_000, cents in 1u32..2_500,
    ) {
        let c = charter(common, &list, "weighted average counting common, preferred as converted");
        let mut s = Session::new(&c);
        let before = prices(&s);
        let p = Decimal::new(cents as i64, 2);
        s.run("t", &format!("issue {shares} Common at ${p}")).unwrap();
        for (old, new) in before.iter().zip(prices(&s)) {
            prop_assert!(new <= *old, "rose from {old} to {new}");
            prop_assert!(new >= p.min(*old), "{new} fell below the issue price {p}");
        }
    }

    #[test]
    fn full_ratchet_is_never_above_the_weighted_average(
        common in 1u32..20_000_000, list in series(), shares in 1u32..10_000_000, cents in 1u32..2_500,
    ) {
        let statement = format!("issue {shares} Common at ${}", Decimal::new(cents as i64, 2));
        let mut wa = Session::new(&charter(common, &list, "weighted average counting common, preferred as converted"));
        let mut fr = Session::new(&charter(common, &list, "full ratchet"));
        wa.run("t", &statement).unwrap();
        fr.run("t", &statement).unwrap();
        for (w, f) in prices(&wa).iter().zip(prices(&fr)) {
            prop_assert!(f <= *w, "ratchet {f} above weighted average {w}");
        }
    }

    #[test]
    fn a_split_and_the_reverse_combination_restore_the_price(
        common in 1u32..20_000_000, list in series(), n in 2u32..10, m in 1u32..5,
    ) {
        prop_assume!(n > m);
        let c = charter(common, &list, "weighted average counting common");
        let mut s = Session::new(&c);
        let before = prices(&s);
        s.run("t", &format!("split {n}:{m}")).unwrap();
        s.run("t", &format!("combine {m}:{n}")).unwrap();
        // A split of 3:2 leaves a price of a repeating decimal (28 digits);
        // the combination brings it back to within 10^-20 of the original.
        for (after, was) in prices(&s).iter().zip(&before) {
            prop_assert!((*after - *was).abs() <= *was * Decimal::new(1, 20), "{after} vs {was}");
        }
        let shares = s.scenario.charter.classes[0].outstanding;
        prop_assert!((shares - Decimal::from(common)).abs() <= Decimal::from(common) * Decimal::new(1, 20));
    }
}
