//! Properties of payouts on generated charters: they sum exactly to the exit,
//! none is negative, a rank is paid in full before a junior rank or common
//! receives anything, and no class or pool could gain by deciding otherwise
//! alone. Runs 64 cases by default; set `PROPTEST_CASES` for more.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use charter::eval::Decider;
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
struct Series {
    shares: u32,
    issue_cents: u32,
    conversion_cents: u32,
    multiple_tenths: u32,
    participation: u8,
    cap_tenths: u32,
    convertible: bool,
    rank: u8,
}

fn series() -> impl Strategy<Value = Series> {
    (
        1u32..5_000_000,
        10u32..2_000,
        10u32..2_000,
        10u32..30,
        0u8..4,
        5u32..40,
        any::<bool>(),
        0u8..3,
    )
        .prop_map(
            |(
                shares,
                issue_cents,
                conversion_cents,
                multiple_tenths,
                participation,
                cap_tenths,
                convertible,
                rank,
            )| Series {
                shares,
                issue_cents,
                conversion_cents,
                multiple_tenths,
                participation,
                cap_tenths,
                convertible,
                rank,
            },
        )
}

fn money(cents: u32) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// Writes a charter for the generated series, ranks 0 (most senior) to 2.
fn text(common: u32, list: &[Series], options: Option<(u32, u32)>) -> String {
    let mut t = String::from("charter \"Generated, Inc.\" { filed 2020-01-01 }\n");
    t.push_str(&format!("stock Common {{ common outstanding {common} }}\n"));
    for (i, s) in list.iter().enumerate() {
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding {} original issue price {} conversion price {} }}\n",
            s.shares,
            money(s.issue_cents),
            money(s.conversion_cents)
        ));
    }
    if let Some((count, strike)) = options {
        t.push_str(&format!(
            "options \"Plan\" {count} Common at {}\n",
            money(strike)
        ));
    }
    t.push_str("liquidation {\n");
    let ranks: Vec<Vec<usize>> = (0..3u8)
        .map(|r| (0..list.len()).filter(|&i| list[i].rank == r).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .collect();
    for group in &ranks {
        if group.len() > 1 {
            let names: Vec<String> = group.iter().map(|i| format!("S{i}")).collect();
            t.push_str(&format!(
                "  S{} pari passu with {}\n",
                group[0],
                names[1..].join(", ")
            ));
            t.push_str(&format!(
                "  shortfall {}: ratably by full preferential amount\n",
                names.join(", ")
            ));
        }
    }
    for pair in ranks.windows(2) {
        t.push_str(&format!("  S{} senior to S{}\n", pair[0][0], pair[1][0]));
    }
    for (i, s) in list.iter().enumerate() {
        t.push_str(&format!(
            "  preference S{i}: {}.{}x original issue price\n",
            s.multiple_tenths / 10,
            s.multiple_tenths % 10
        ));
        let total_cap = s.multiple_tenths + s.cap_tenths;
        t.push_str(&match s.participation {
            0 => format!("  S{i} does not participate\n"),
            1 => format!("  S{i} participates\n"),
            2 => format!(
                "  S{i} participates until {}.{}x original issue price in total\n",
                total_cap / 10,
                total_cap % 10
            ),
            _ => format!(
                "  S{i} participates until {}.{}x original issue price more\n",
                s.cap_tenths / 10,
                s.cap_tenths % 10
            ),
        });
    }
    t.push_str("}\n");
    let convertible: Vec<String> = (0..list.len())
        .filter(|&i| list[i].convertible)
        .map(|i| format!("S{i}"))
        .collect();
    if !convertible.is_empty() {
        t.push_str(&format!(
            "conversion {{ {} convert at the holder's option }}\n",
            convertible.join(", ")
        ));
    }
    t
}

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
