//! The provisions OCF (and JOCF) can state: seniority, preferences,
//! participation, conversion, anti-dilution, dividends and votes; a gap for
//! each that it cannot.

use rust_decimal::Decimal;

use super::{Writer, multiple};
use crate::interchange::ocf::model::StockClass;
use crate::num;

/// The preferred classes, by index.
fn preferred(w: &Writer) -> Vec<usize> {
    (0..w.ledger.classes.len())
        .filter(|i| class(w, *i).is_some_and(|c| c.class_type != "COMMON"))
        .collect()
}

/// The OCF stock class at `i`.
fn class<'a>(w: &Writer<'a>, i: usize) -> Option<&'a StockClass> {
    w.ledger.classes.get(i).map(|c| &c.class.item)
}

/// Class names joined for a clause: `A, B`.
fn list(w: &Writer, classes: &[usize]) -> String {
    classes
        .iter()
        .map(|i| w.ident(*i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `liquidation` block: ranks from OCF seniority (higher is more senior,
/// equal is pari passu), preferences, participation.
pub fn liquidation(w: &mut Writer) {
    let pref = preferred(w);
    if pref.is_empty() {
        return;
    }
    w.out.push_str("liquidation {\n");
    ranks(w, &pref);
    for &i in &pref {
        preference(w, i);
        participation(w, i);
    }
    w.out.push_str("}\n");
    w.flush();
    w.out.push('\n');
}

/// Seniority clauses, most senior first.
fn ranks(w: &mut Writer, pref: &[usize]) {
    let mut ranked: Vec<(Decimal, usize)> = Vec::new();
    for &i in pref {
        match class(w, i).and_then(|c| c.seniority) {
            Some(s) => ranked.push((s.0, i)),
            None => w.gap(format!("{}: seniority — OCF gives none; write where it ranks (`senior to`, `pari passu with`)", w.called(i))),
        }
    }
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut groups: Vec<(Decimal, Vec<usize>)> = Vec::new();
    for (s, i) in ranked {
        match groups.last_mut() {
            Some((last, members)) if *last == s => members.push(i),
            _ => groups.push((s, vec![i])),
        }
    }
    w.out
        .push_str("  # OCF seniority: a higher number is more senior, equal numbers pari passu.\n");
    for (s, members) in &groups {
        if let [first, rest @ ..] = members.as_slice()
            && !rest.is_empty()
        {
            let text = format!("{} pari passu with {}", w.ident(*first), list(w, rest));
            w.line(1, &text, &format!("seniority {}", s.normalize()));
            w.gap(format!(
                "{}: how a shortfall is shared among classes of equal seniority — OCF does not say; write `shortfall {}: ratably by full preferential amount` (or by shares, or by original issue price) in the liquidation block",
                list(w, members),
                list(w, members)
            ));
        }
    }
    for pair in groups.windows(2) {
        if let [(hi, above), (lo, below)] = pair {
            let text = format!("{} senior to {}", list(w, above), list(w, below));
            w.line(
                1,
                &text,
                &format!("seniority {} over {}", hi.normalize(), lo.normalize()),
            );
        }
    }
    let top_common = (0..w.ledger.classes.len())
        .filter_map(|i| {
            class(w, i)
                .filter(|c| c.class_type == "COMMON")
                .and_then(|c| c.seniority)
        })
        .map(|s| s.0)
        .max();
    let bottom = groups.last().map(|(s, _)| *s);
    if let (Some(c), Some(b)) = (top_common, bottom)
        && c >= b
    {
        w.gap(format!("a common class has OCF seniority {} at or above a preferred class's {}; a charter pays common after every preference: check the OCF seniority numbers", c.normalize(), b.normalize()));
    }
}

/// The preference of class `i`: a multiple of its issue price, plus the
/// dividends JOCF's cumulation says.
fn preference(w: &mut Writer, i: usize) {
    let Some(c) = class(w, i) else { return };
    let jocf = c
        .jocf
        .as_ref()
        .and_then(|j| j.liquidation_preference_attributes.as_ref());
    let (m, source) = match (jocf, c.liquidation_preference_multiple) {
        (Some(j), _) => (
            j.liquidation_preference_multiple.0,
            "JOCF liquidation_preference_attributes",
        ),
        (None, Some(m)) => (m.0, "liquidation_preference_multiple"),
        (None, None) => {
            w.gap(format!("{}: liquidation preference — OCF STOCK_CLASS {} gives no liquidation_preference_multiple; write `preference {}: Nx original issue price`", w.called(i), c.id, w.ident(i)));
            return;
        }
    };
    if w.priced.get(i).copied().flatten().is_none() {
        w.gap(format!("{}: liquidation preference — {} of the original issue price, which OCF does not give; add the price, then `preference {}: {} original issue price`", w.called(i), multiple(m), w.ident(i), multiple(m)));
        return;
    }
    let plus = match jocf.and_then(|j| j.cumulative_category.as_deref()) {
        Some("CUMULATIVE") => " plus accrued and declared dividends",
        Some(_) => {
            w.gap(format!("{}: JOCF says the preference does not accumulate dividends; say whether it adds declared but unpaid ones (`plus declared dividends`), or remove this line", w.called(i)));
            ""
        }
        None => {
            w.gap(format!("{}: whether the preference adds dividends — OCF does not say; append `plus declared dividends` (or `plus accrued and declared dividends`) to the preference, or remove this line if it adds none", w.called(i)));
            ""
        }
    };
    let text = format!(
        "preference {}: {} original issue price{plus}",
        w.ident(i),
        multiple(m)
    );
    w.line(1, &text, &format!("STOCK_CLASS {}: {source}", c.id));
}

/// Participation: from JOCF's category; OCF alone cannot say (a cap of 1x
/// and no cap are written alike).
fn participation(w: &mut Writer, i: usize) {
    let Some(c) = class(w, i) else { return };
    let ident = w.ident(i).to_string();
    let category = c
        .jocf
        .as_ref()
        .and_then(|j| j.liquidation_preference_attributes.as_ref())
        .and_then(|l| l.participation_category.as_deref());
    let cap = c.participation_cap_multiple.map(|m| multiple(m.0));
    match (category, &cap) {
        (Some("NON_PARTICIPATION"), _) => {
            w.line(1, &format!("{ident} does not participate"), "JOCF participation_category NON_PARTICIPATION")
        }
        (Some("FULL_PARTICIPATION"), None) => w.line(1, &format!("{ident} participates as converted"), "JOCF participation_category FULL_PARTICIPATION"),
        (Some("FULL_PARTICIPATION"), Some(cap)) => w.gap(format!(
            "{}: participation — JOCF says it participates and OCF caps it at {cap} (participation_cap_multiple); say whether the cap counts the preference: `{ident} participates as converted until {cap} original issue price in total` (or `more`)",
            w.called(i)
        )),
        _ => w.gap(format!(
            "{}: participation — OCF has no participation type{}; write `{ident} does not participate`, `{ident} participates as converted`, or `{ident} participates as converted until Nx original issue price in total`",
            w.called(i),
            cap.as_ref().map(|m| format!(" and its participation_cap_multiple {m} could mean a cap or none")).unwrap_or_default()
        )),
    }
}

/// The `conversion` block: optional conversion at the ratio recorded, and
/// fractional shares by the mechanism's rounding type.
pub fn conversion(w: &mut Writer) {
    if w.converts.is_empty() {
        return;
    }
    w.out.push_str("conversion {\n");
    for (i, source, _) in w.converts.clone() {
        let text = format!("{} converts at the holder's option", w.ident(i));
        w.line(1, &text, &format!("OCF conversion right ({source})"));
    }
    let mut roundings: Vec<Option<String>> = w.converts.iter().map(|(_, _, r)| r.clone()).collect();
    roundings.sort();
    roundings.dedup();
    match roundings.as_slice() {
        [Some(r)] if r == "NORMAL" => w.line(1, "fractional shares: round to nearest whole share", "rounding_type NORMAL"),
        [Some(r)] if r == "FLOOR" => w.line(1, "fractional shares: round down", "rounding_type FLOOR"),
        _ => w.gap("fractional shares on conversion — OCF's rounding types differ between classes, or are CEILING, which a charter does not write; state the rule (`fractional shares: cash in lieu`, ...)"),
    }
    w.out.push_str("}\n");
    let names: Vec<usize> = w.converts.iter().map(|(i, _, _)| *i).collect();
    w.gap(format!(
        "automatic conversion of {} (on a public offering or a vote) — OCF does not record it; write the clauses (`... convert automatically on ipo: ...`), or remove this line if there are none",
        list(w, &names)
    ));
    w.flush();
    w.out.push('\n');
}

/// Anti-dilution from JOCF's trigger; a gap where none is given.
pub fn antidilution(w: &mut Writer) {
    for i in preferred(w) {
        let Some(c) = class(w, i) else { continue };
        let kind = c.jocf.as_ref().and_then(|j| {
            j.conversion_triggers
                .iter()
                .find(|t| t.kind == "ANTI_DILUTION_IN_DOWN_ROUND")
                .and_then(|t| t.anti_dilution_protection_type.clone())
        });
        let ident = w.ident(i).to_string();
        let clause = match kind.as_deref() {
            Some("FULL_RATCHET") => Some("full ratchet"),
            // Broad-based: every share of common outstanding or issuable.
            Some("BROAD_BASED_WEIGHTED_AVERAGE") => Some(
                "weighted average counting common, preferred as converted, options, convertibles",
            ),
            // Narrow-based: the preferred alone.
            Some("NARROW_BASED_WEIGHTED_AVERAGE") => {
                Some("weighted average counting preferred as converted")
            }
            _ => None,
        };
        match (clause, kind) {
            (Some(clause), Some(kind)) => {
                w.out.push_str(&format!("anti-dilution {ident} {{\n"));
                w.line(1, clause, &format!("JOCF anti_dilution_protection_type {kind}"));
                w.out.push_str("}\n");
                w.gap(format!("{}: what the anti-dilution excludes, how it rounds, and how splits adjust it — JOCF gives only the type; add `excluded ...`, `round ...` and `splits and combinations adjust proportionally` as the charter states, or remove this line", w.called(i)));
            }
            _ => w.gap(format!("{}: anti-dilution — OCF does not record it; write an `anti-dilution {ident}` block, or remove this line if it has none", w.called(i))),
        }
        w.flush();
    }
    if !preferred(w).is_empty() {
        w.out.push('\n');
    }
}

/// Dividends from JOCF's attributes; a gap where none are given.
pub fn dividends(w: &mut Writer) {
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut sharing: Vec<usize> = Vec::new();
    for i in preferred(w) {
        let Some(c) = class(w, i) else { continue };
        let ident = w.ident(i).to_string();
        let Some(d) = c.jocf.as_ref().and_then(|j| j.dividend_attributes.as_ref()) else {
            w.gap(format!("{}: dividends — OCF does not record dividend rights; write them in a `dividends` block, or remove this line if the charter gives none", w.called(i)));
            continue;
        };
        let rate = d.dividend_rate.0;
        // The issue price as written, after any split.
        let price = w.priced.get(i).copied().flatten();
        match (d.cumulative_category.as_deref(), price) {
            (Some("NON_CUMULATIVE"), Some(p)) => match p.checked_mul(rate) {
                Some(amount) => lines.push((
                    format!("{ident} {} per share per annum when declared", num::exact_dollars(amount.normalize())),
                    format!("JOCF dividend_rate {} × original issue price", num::percent(rate)),
                )),
                None => w.gap(format!("{}: dividends — the rate times the price is too large", w.called(i))),
            },
            (Some("CUMULATIVE"), _) => w.gap(format!(
                "{}: a cumulative dividend of {} a year (JOCF) — JOCF does not say how it accrues; write `{ident}: {} of original issue price per annum, cumulative, accruing daily actual/365, simple` (or as the charter states)",
                w.called(i), num::percent(rate), num::percent(rate)
            )),
            _ => w.gap(format!("{}: dividends at {} a year (JOCF) — whether cumulative, or the issue price, is not given; write the dividend clause", w.called(i), num::percent(rate))),
        }
        if d.participation_category.as_deref() == Some("FULL_PARTICIPATION") {
            sharing.push(i);
        }
    }
    if !lines.is_empty() || !sharing.is_empty() {
        w.out.push_str("dividends {\n");
        for (text, source) in lines {
            w.line(1, &text, &source);
        }
        let common: Vec<usize> = (0..w.ledger.classes.len())
            .filter(|i| class(w, *i).is_some_and(|c| c.class_type == "COMMON"))
            .collect();
        if common.len() != 1 && !sharing.is_empty() {
            w.gap(format!("{}: JOCF says the dividends participate, but the package has {} common classes; write `beyond the preferential amounts, ... share as converted` naming the one they share with", list(w, &sharing), common.len()));
        }
        if let ([c], false) = (common.as_slice(), sharing.is_empty()) {
            let text = format!(
                "beyond the preferential amounts, {} and {} share as converted",
                w.ident(*c),
                list(w, &sharing)
            );
            w.line(
                1,
                &text,
                "JOCF dividend participation_category FULL_PARTICIPATION",
            );
        }
        w.out.push_str("}\n");
    }
    w.flush();
    w.out.push('\n');
}

/// Votes per share, and a gap for what OCF cannot say about voting.
pub fn voting(w: &mut Writer) {
    w.out.push_str("voting {\n");
    for i in 0..w.ledger.classes.len() {
        let Some(c) = class(w, i) else { continue };
        let ident = w.ident(i).to_string();
        let source = format!("STOCK_CLASS {}: votes_per_share", c.id);
        match c.votes_per_share {
            Some(v) if v.0.is_zero() => w.line(1, &format!("{ident}: no votes"), &source),
            Some(v) => {
                let word = if v.0 == Decimal::ONE { "vote" } else { "votes" };
                w.line(
                    1,
                    &format!("{ident}: {} {word} per share", num::exact(v.0)),
                    &source,
                )
            }
            None => w.gap(format!(
                "{}: votes per share — OCF gives none; write `{ident}: N votes per share`",
                w.called(i)
            )),
        }
    }
    w.out.push_str("}\n");
    w.gap("board seats, protective provisions and class votes — OCF does not record them; write them in the voting and protective blocks, or remove this line if the charter has none");
    w.gap("redemption — OCF does not record redemption rights; write a `redemption` block, or remove this line if the charter has none");
    w.flush();
}
