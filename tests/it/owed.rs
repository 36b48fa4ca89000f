//! Dividends owed to the shares of record, by a second route: warrants for a
//! series owed declared dividends pay what warrants for a twin series pay —
//! a series of its own, with the same terms, no shares outstanding and no
//! dividends, pari passu with the first and sharing a shortfall with it by
//! full preferential amount. The twin is paid by the waterfall's ordinary
//! classes; the first charter by one claim divided between the shares of
//! record and the shares issued on exercise (`src/eval/record.rs`). The
//! series is one that does not convert, so that neither charter has a
//! conversion decision the other lacks (a series converts as one; its twin
//! would decide alone). Runs 32 cases by default; set `PROPTEST_CASES`.

use crate::common;

use common::generated::{Series, config, money, series, text};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The generated charter with series `k` owed `cents` a share of declared
/// dividends that its preference adds, and warrants for `count` more of it
/// at `strike` cents — bought in series `k` itself, or (`twin`) in a twin
/// series `T` that is owed none.
fn owed_text(
    list: &[Series],
    base: &str,
    k: usize,
    cents: u32,
    warrants: (u32, u32),
    twin: bool,
) -> String {
    let s = &list[k];
    let stock = format!(
        "stock S{k} {{ preferred outstanding {} original issue price {} conversion price {} }}\n",
        s.shares,
        money(s.issue_cents),
        money(s.conversion_cents)
    );
    let owed = stock.replacen(
        " }\n",
        &format!(" declared unpaid dividends {} per share }}\n", money(cents)),
        1,
    );
    let mut t = base.replace(&stock, &owed);
    let pref = format!(
        "  preference S{k}: {}.{}x original issue price\n",
        s.multiple_tenths / 10,
        s.multiple_tenths % 10
    );
    let with = pref.replace('\n', " plus declared dividends\n");
    t = t.replace(&pref, &with);
    let (count, strike) = warrants;
    let bought = if twin {
        "T".to_string()
    } else {
        format!("S{k}")
    };
    t = t.replace(
        "liquidation {\n",
        &format!(
            "warrants \"Lender\" {count} {bought} at {}\nliquidation {{\n",
            money(strike)
        ),
    );
    if !twin {
        return t;
    }
    // The twin: S{k}'s terms, no shares, no dividends, in S{k}'s rank.
    t = t.replace(
        "liquidation {\n",
        &format!(
            "stock T {{ preferred outstanding 0 original issue price {} conversion price {} }}\nliquidation {{\n",
            money(s.issue_cents),
            money(s.conversion_cents)
        ),
    );
    let participation = t
        .lines()
        .find(|l| l.starts_with(&format!("  S{k} ")) && l.contains("particip"))
        .unwrap_or_default()
        .replacen(&format!("S{k}"), "T", 1);
    // The shortfall clause of S{k}'s rank, if it shares one.
    let member = format!("S{k}");
    let shortfall = t
        .lines()
        .find(|l| {
            l.strip_prefix("  shortfall ")
                .and_then(|rest| rest.split(':').next())
                .is_some_and(|names| names.split(", ").any(|n| n == member))
        })
        .map(str::to_string);
    let mut clauses = format!(
        "  T pari passu with S{k}\n  preference T: {}.{}x original issue price\n{participation}\n",
        s.multiple_tenths / 10,
        s.multiple_tenths % 10
    );
    match shortfall {
        Some(line) => {
            t = t.replace(&line, &line.replacen("shortfall ", "shortfall T, ", 1));
        }
        None => clauses.push_str(&format!(
            "  shortfall T, S{k}: ratably by full preferential amount\n"
        )),
    }
    t = t.replace("liquidation {\n", &format!("liquidation {{\n{clauses}"));
    t.replace("conversion {\n", "conversion {\n  T does not convert\n")
}

proptest! {
    #![proptest_config(config(32))]

    /// The two charters pay every class and the warrants the same, to the
    /// cent, at random exits and around every breakpoint of the first.
    #[test]
    fn warrants_for_a_series_owed_dividends_pay_as_for_a_twin_owed_none(
        common_shares in 1u32..20_000_000,
        mut list in prop::collection::vec(series(), 1..5),
        pick in 0usize..4,
        cents in 1u32..300,
        warrants in (1u32..3_000_000, 1u32..2_000),
        samples in prop::collection::vec(0u64..30_000_000_000, 6),
    ) {
        let k = pick % list.len();
        list[k].convertible = false;
        let base = text(common_shares, &list, None);
        let first = owed_text(&list, &base, k, cents, warrants, false);
        let second = owed_text(&list, &base, k, cents, warrants, true);
        let a = common::load("owed.charter", &first);
        let b = common::load("twin.charter", &second);
        let mut exits: Vec<Decimal> = samples.iter().map(|c| Decimal::new(*c as i64, 2)).collect();
        for r in &common::breakpoints(&a, "breakpoints").rows {
            let x = r.exit.round_dp(2);
            exits.extend([x, x + Decimal::new(1, 2), x + Decimal::ONE]);
        }
        for x in exits {
            let (p, q) = (common::payout(&a, &format!("payout ${x}")), common::payout(&b, &format!("payout ${x}")));
            for c in &p.classes {
                prop_assert_eq!(c.payout, common::class(&q, &c.name), "{} at ${}\n{}\n{}", c.name, x, first, second);
            }
            prop_assert_eq!(p.pools[0].payout, q.pools[0].payout, "the warrants at ${}\n{}\n{}", x, first, second);
        }
    }
}
