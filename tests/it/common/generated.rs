//! Generated charters for property tests: up to three ranks of series with
//! every kind of participation, optionally convertible, and an option pool.

use proptest::prelude::*;

/// One generated series.
#[derive(Debug, Clone)]
pub struct Series {
    pub shares: u32,
    pub issue_cents: u32,
    pub conversion_cents: u32,
    pub multiple_tenths: u32,
    pub participation: u8,
    pub cap_tenths: u32,
    pub convertible: bool,
    pub rank: u8,
}

pub fn series() -> impl Strategy<Value = Series> {
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

pub fn money(cents: u32) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// Writes a charter for the generated series, ranks 0 (most senior) to 2.
pub fn text(common: u32, list: &[Series], options: Option<(u32, u32)>) -> String {
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
    let fixed: Vec<String> = (0..list.len())
        .filter(|&i| !list[i].convertible)
        .map(|i| format!("S{i}"))
        .collect();
    t.push_str("conversion {\n");
    if !convertible.is_empty() {
        t.push_str(&format!(
            "  {} convert at the holder's option\n",
            convertible.join(", ")
        ));
    }
    if !fixed.is_empty() {
        t.push_str(&format!("  {} do not convert\n", fixed.join(", ")));
    }
    t.push_str("}\n");
    t
}

/// A property's configuration: `default` cases unless `PROPTEST_CASES`
/// says otherwise, no regression file (a failure prints its charters).
pub fn config(default: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
