//! Properties of payouts on generated charters: they sum exactly to the exit,
//! none is negative, a rank is paid in full before a junior rank or common
//! receives anything, and no class or pool could gain by deciding otherwise
//! alone. Runs 64 cases by default; set `PROPTEST_CASES` for more.

use crate::common;

use common::generated::{series, text};

use charter::eval::Decider;
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn payouts_are_exact_ordered_and_in_equilibrium(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..7),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
        exit_cents in 0u64..100_000_000_000,
    ) {
        let src = text(common, &list, options);
        let c = common::load("generated.charter", &src);
        let exit = Decimal::new(exit_cents as i64, 2);
        let p = common::payout(&c, &format!("payout {exit}"));

        // Exact, and never negative.
        let total: Decimal = p.classes.iter().map(|x| x.payout).chain(p.pools.iter().map(|x| x.payout)).sum();
        prop_assert_eq!(total, exit, "payouts sum to the exit\n{}", src);
        prop_assert!(p.classes.iter().all(|x| x.payout >= Decimal::ZERO));
        prop_assert!(p.pools.iter().all(|x| x.payout >= Decimal::ZERO));

        // Seniority: if anything reaches a rank below r (or common), every
        // unconverted class of rank r has its full preference (to the cent,
        // allowing the one cent the remainder rule may move).
        let cent = Decimal::new(1, 2);
        for r in 0..3u8 {
            let below: Decimal = p.classes.iter().enumerate().filter(|(i, x)| {
                *i == 0 || list.get(i - 1).is_some_and(|s| s.rank > r) || x.converted
            }).map(|(_, x)| x.payout).sum::<Decimal>();
            if below <= cent * Decimal::from(list.len() + 1) {
                continue;
            }
            for (i, s) in list.iter().enumerate().filter(|(_, s)| s.rank == r) {
                let x = &p.classes[i + 1];
                if x.converted {
                    continue;
                }
                let full = Decimal::from(s.shares) * Decimal::from(s.issue_cents) * Decimal::from(s.multiple_tenths) / Decimal::from(1000);
                let pref: Decimal = x.lines.iter().filter(|l| l.reason.what == "liquidation preference").map(|l| l.amount).sum();
                prop_assert!(pref >= full.round_dp(2) - cent, "S{} of rank {} got {} of its {} preference while juniors were paid\n{}", i, r, pref, full, src);
            }
        }

        // Equilibrium: no class or pool gains by switching alone.
        for d in &p.decisions {
            if d.decider != Decider::Group {
                prop_assert!(d.chosen >= d.alternative - cent, "{} would gain by switching: {} vs {}\n{}", d.who, d.chosen, d.alternative, src);
            }
        }
    }
}
