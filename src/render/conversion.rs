//! Conversion answers as text: events, offerings, prices, conversions, explanations.

use comfy_table::Cell;

use super::{right, table};
use rust_decimal::Decimal;

use crate::eval::convert::ConvertOutcome;
use crate::eval::ipo::IpoOutcome;
use crate::eval::scenario::{Adjustment, price_text};
use crate::num::{dollars, plain, shares};
use crate::query::{Explanation, PriceLine};

fn ratio_text(r: Decimal) -> String {
    let shown = r.round_dp(6).normalize();
    if shown == r.normalize() {
        plain(shown)
    } else {
        format!("{}…", plain(shown))
    }
}

/// One adjustment as indented lines.
fn adjustment(out: &mut String, name: &str, a: &Adjustment) {
    let change = if a.before == a.after {
        format!("{} unchanged", price_text(a.before))
    } else {
        format!("{} → {}", price_text(a.before), price_text(a.after))
    };
    out.push_str(&format!(
        "  {name}: {} {change} on {}{}\n",
        a.kind,
        a.date,
        a.cite.paren()
    ));
    for s in &a.steps {
        out.push_str(&format!("      {s}\n"));
    }
}

/// What an event did.
pub fn event(text: &str, adjustments: &[Adjustment], name: impl Fn(usize) -> String) -> String {
    let mut out = format!("{text}\n");
    if adjustments.is_empty() {
        out.push_str("  no conversion price changes\n");
    }
    for a in adjustments {
        adjustment(&mut out, &name(a.class), a);
    }
    out
}

/// `conversion prices`.
pub fn prices(lines: &[PriceLine]) -> String {
    let mut t = table(&[
        "series",
        "conversion price",
        "common per share",
        "adjustments",
    ]);
    for l in lines {
        t.add_row(vec![
            Cell::new(&l.name),
            right(l.price.map_or_else(|| "—".to_string(), price_text)),
            right(l.ratio.map_or_else(|| "—".to_string(), ratio_text)),
            Cell::new(match &l.converted {
                Some(how) => format!("converted {how}"),
                None => l
                    .adjustments
                    .iter()
                    .filter(|a| a.before != a.after)
                    .count()
                    .to_string(),
            }),
        ]);
    }
    let mut out = format!("{t}\n");
    for l in lines {
        for a in &l.adjustments {
            adjustment(&mut out, &l.name, a);
        }
    }
    out
}

/// The name of a series in an offering's answer.
fn series_name(o: &IpoOutcome, class: usize) -> String {
    o.series
        .iter()
        .find(|s| s.class == class)
        .map_or(String::new(), |s| s.name.clone())
}

/// `ipo at $P raising $X`.
pub fn ipo(o: &IpoOutcome) -> String {
    let mut out = format!(
        "Offering at {} raising {}{}: {} shares sold\n",
        price_text(o.price),
        dollars(o.gross),
        o.net
            .map(|n| format!(" ({} net)", dollars(n)))
            .unwrap_or_default(),
        shares(o.shares_sold)
    );
    for a in &o.resets {
        adjustment(&mut out, &series_name(o, a.class), a);
    }
    let mut t = table(&[
        "series",
        "converts",
        "common per share",
        "common shares",
        "cash",
    ]);
    for s in &o.series {
        t.add_row(vec![
            Cell::new(&s.name),
            Cell::new(if s.converts { "yes" } else { "no" }),
            right(ratio_text(s.ratio)),
            right(if s.converts {
                shares(s.common_shares)
            } else {
                "—".to_string()
            }),
            right(if s.converts && !s.cash.is_zero() {
                dollars(s.cash)
            } else {
                "—".to_string()
            }),
        ]);
    }
    out.push_str(&format!("{t}\n\nWhy:\n"));
    for s in &o.series {
        if s.rules.is_empty() {
            out.push_str(&format!(
                "  {}: no automatic conversion on an offering\n",
                s.name
            ));
        }
        for (cite, tests) in &s.rules {
            let verdict = if tests.iter().all(|t| t.passed) {
                "converts"
            } else {
                "does not convert"
            };
            out.push_str(&format!(
                "  {}: {verdict} under {}\n",
                s.name,
                cite.section_mark()
            ));
            for t in tests {
                out.push_str(&format!(
                    "      {} {}\n",
                    if t.passed { "✓" } else { "✗" },
                    t.text
                ));
            }
        }
        if let Some(n) = &s.ratio_note {
            out.push_str(&format!("      {n}\n"));
        }
    }
    for a in &o.adjustments {
        adjustment(&mut out, &series_name(o, a.class), a);
    }
    out
}

/// `convert X`.
pub fn convert(c: &ConvertOutcome) -> String {
    let mut out = format!(
        "Conversion of {}: {} common per share{}\n",
        c.name,
        ratio_text(c.ratio),
        c.price
            .map(|p| format!(" (conversion price {})", price_text(p)))
            .unwrap_or_default()
    );
    // The cash left owed for want of funds gets a column only when there is some.
    let short = c.holders.iter().any(|h| !h.cash_owed.is_zero());
    let dividends = c.holders.iter().any(|h| h.dividends.is_some());
    let mut head = vec![
        "holder",
        "shares",
        "common (exact)",
        "delivered",
        "fraction",
        "cash in lieu",
        "cash on conversion",
    ];
    if short {
        head.push("cash owed");
    }
    if dividends {
        head.push("dividends");
    }
    let mut t = table(&head);
    let cash = |x: rust_decimal::Decimal| {
        right(if x.is_zero() {
            "—".to_string()
        } else {
            dollars(x)
        })
    };
    for h in &c.holders {
        let mut row = vec![
            Cell::new(&h.name),
            right(shares(h.shares)),
            right(shares(h.exact)),
            right(shares(h.delivered)),
            right(shares(h.fraction)),
            right(h.cash_in_lieu.map_or_else(|| "—".to_string(), dollars)),
            cash(h.cash_on_conversion),
        ];
        if short {
            row.push(cash(h.cash_owed));
        }
        if dividends {
            row.push(cash(h.dividends.unwrap_or_default()));
        }
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    out.push_str(&format!(
        "  converts {}{}\n",
        c.how,
        c.cite.as_ref().map(|x| x.paren()).unwrap_or_default()
    ));
    if let Some((amount, words)) = &c.dividends {
        out.push_str(&format!("  {}: {words}\n", dollars(*amount)));
    }
    if let Some(f) = &c.funds {
        let owed: rust_decimal::Decimal =
            c.holders.iter().fold(rust_decimal::Decimal::ZERO, |a, h| {
                a.saturating_add(h.cash_owed)
            });
        out.push_str(&match &f.cite {
            None => format!(
                "  funds of {} cover the {} of cash owed on conversion of {}\n",
                dollars(f.available),
                dollars(f.owed),
                f.classes.join(", ")
            ),
            Some(cite) => format!(
                "  funds of {} are short of the {} of cash owed on conversion of {}: applied ratably, {} of {}'s cash left owed until more funds are legally available{}\n",
                dollars(f.available),
                dollars(f.owed),
                f.classes.join(", "),
                dollars(owed),
                c.name,
                cite.paren()
            ),
        });
    }
    match &c.rule {
        Some((words, cite)) => {
            out.push_str(&format!("  fractional shares: {words}{}\n", cite.paren()))
        }
        None => out.push_str(
            "  the charter file states no rule for fractional shares: exact shares shown\n",
        ),
    }
    if c.fmv.is_none() && c.holders.iter().any(|h| !h.fraction.is_zero()) {
        out.push_str("  cash in lieu is the fraction times a common share's fair market value: add `at $X` to compute it\n");
    }
    out
}

/// `explain conversion price X`.
pub fn explain(e: &Explanation) -> String {
    let mut out = format!("Conversion price of {}\n", e.name);
    match e.initial {
        Some(p) => out.push_str(&format!(
            "  set by the charter at {} ({})\n",
            price_text(p),
            e.initial_cite
                .as_ref()
                .map(|c| c.clause.clone())
                .unwrap_or_default()
        )),
        None => out.push_str("  the charter sets a conversion ratio, not a price\n"),
    }
    for a in &e.adjustments {
        adjustment(&mut out, &e.name, a);
    }
    if let (Some(p), Some(ip), Some(r)) = (e.price, e.issue_price, e.ratio) {
        out.push_str(&format!(
            "  now {}: {} / {} = {} common per share\n",
            price_text(p),
            price_text(ip),
            price_text(p),
            ratio_text(r)
        ));
    } else if let Some(r) = e.ratio {
        out.push_str(&format!("  now {} common per share\n", ratio_text(r)));
    }
    if let Some((ip, cite)) = &e.issue_price_now {
        out.push_str(&format!(
            "  its original issue price, adjusted likewise{}, is now {}\n",
            cite.paren(),
            price_text(*ip)
        ));
    }
    out
}

/// `approve conversion`.
pub fn vote(v: &crate::eval::vote::VoteOutcome) -> String {
    let mut out = String::new();
    for r in &v.rules {
        out.push_str(&format!(
            "{} {} automatically: {} needed{}\n",
            r.classes.join(", "),
            match (r.passed, r.classes.len() > 1) {
                (true, true) => "convert",
                (true, false) => "converts",
                (false, true) => "do not convert",
                (false, false) => "does not convert",
            },
            r.threshold.words(),
            r.cite.paren()
        ));
        for c in &r.counts {
            let pct = c
                .yes
                .checked_div(c.all)
                .and_then(|r| r.checked_mul(rust_decimal::Decimal::ONE_HUNDRED))
                .unwrap_or_default();
            out.push_str(&format!(
                "      {} {}: {} of {} for ({}%)\n",
                if c.passed { "✓" } else { "✗" },
                c.who,
                shares(c.yes),
                shares(c.all),
                crate::num::group(pct, 2)
            ));
        }
    }
    for (name, common, cash) in &v.converted {
        out.push_str(&format!(
            "  {name} converts into {} common{}\n",
            shares(*common),
            if cash.is_zero() {
                String::new()
            } else {
                format!(" and {} cash", dollars(*cash))
            }
        ));
    }
    out
}
