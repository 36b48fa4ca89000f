//! Payout results as aligned text tables for a terminal.

use comfy_table::Cell;

use super::{right, table};

use crate::eval::{Decider, Payout};
use crate::num::{dollars, group, shares};

/// Renders a payout: classes, holders, pools, decisions and the explanation.
pub fn payout(p: &Payout) -> String {
    let mut out = String::new();
    let event = p.event.as_ref().map_or_else(
        || "liquidation".to_string(),
        |e| format!("deemed liquidation \"{e}\""),
    );
    out.push_str(&format!("Payout of {} on {event}\n", dollars(p.exit)));

    let mut t = table(&["class", "shares", "payout", "per share", "converted"]);
    for c in &p.classes {
        t.add_row(vec![
            Cell::new(&c.name),
            right(shares(c.shares)),
            right(dollars(c.payout)),
            right(format!("${}", group(c.per_share, 4))),
            Cell::new(if c.converted { "yes" } else { "no" }),
        ]);
    }
    let total = p
        .classes
        .iter()
        .map(|c| c.payout)
        .chain(p.pools.iter().map(|x| x.payout))
        .fold(
            rust_decimal::Decimal::ZERO,
            rust_decimal::Decimal::saturating_add,
        );
    t.add_row(vec![
        Cell::new("total"),
        Cell::new(""),
        right(dollars(total)),
        Cell::new(""),
        Cell::new(""),
    ]);
    out.push_str(&t.to_string());
    out.push('\n');

    if !p.pools.is_empty() {
        let mut t = table(&[
            "options and warrants",
            "shares",
            "exercise price",
            "exercised",
            "net payout",
        ]);
        for x in &p.pools {
            t.add_row(vec![
                Cell::new(&x.name),
                right(shares(x.count)),
                right(format!("${}", group(x.strike, 4))),
                Cell::new(if x.exercised { "yes" } else { "no" }),
                right(dollars(x.payout)),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }

    if !p.holders.is_empty() {
        let mut t = table(&["holder", "class", "shares", "payout"]);
        for h in &p.holders {
            t.add_row(vec![
                Cell::new(&h.name),
                Cell::new(&h.class),
                right(shares(h.shares)),
                right(dollars(h.payout)),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }

    if !p.groups.is_empty() {
        let mut t = table(&["group", "members", "payout"]);
        for g in &p.groups {
            t.add_row(vec![
                Cell::new(&g.name),
                Cell::new(g.members.join(", ")),
                right(dollars(g.payout)),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }

    out.push('\n');
    out.push_str(&why(p, None));
    out
}

/// The derivation of one class's payout: its row and the "Why" lines that
/// concern it, for a claim about that class (or a holder in it).
pub fn payout_of(p: &Payout, class: &str) -> String {
    let mut out = String::new();
    let event = p.event.as_ref().map_or_else(
        || "liquidation".to_string(),
        |e| format!("deemed liquidation \"{e}\""),
    );
    out.push_str(&format!("Payout of {} on {event}\n", dollars(p.exit)));
    for c in p.classes.iter().filter(|c| c.name == class) {
        out.push_str(&format!(
            "{}: {} shares, {} (${} per share){}\n",
            c.name,
            shares(c.shares),
            dollars(c.payout),
            group(c.per_share, 4),
            if c.converted { ", converted" } else { "" }
        ));
    }
    for h in p.holders.iter().filter(|h| h.class == class) {
        out.push_str(&format!(
            "  {}: {} shares, {}\n",
            h.name,
            shares(h.shares),
            dollars(h.payout)
        ));
    }
    out.push_str(&why(p, Some(class)));
    out
}

/// The "Why" section of a payout: assumptions, decisions and each class's
/// amounts by clause; only those naming `only`, if given.
fn why(p: &Payout, only: Option<&str>) -> String {
    let mut out = String::new();
    let wanted = |who: &str| only.is_none_or(|o| who.split(", ").any(|w| w == o) || who == o);
    out.push_str("Why:\n");
    for (text, cite) in &p.assumptions {
        out.push_str(&format!("  assumes {text}{}\n", cite.paren()));
    }
    for d in p.decisions.iter().filter(|d| wanted(&d.who)) {
        let (did, other) = match (d.decider, d.switched) {
            (Decider::Class, true) => ("converts", "staying"),
            (Decider::Class, false) => ("does not convert", "converting"),
            (Decider::Group, true) => ("convert together", "staying"),
            (Decider::Group, false) => ("do not convert", "converting together"),
            (Decider::Pool, true) => ("exercised", "not exercising"),
            (Decider::Pool, false) => ("not exercised", "exercising"),
        };
        out.push_str(&format!(
            "  {} {did}: {} as decided, {} by {other}{}\n",
            d.who,
            dollars(d.chosen),
            dollars(d.alternative),
            d.cite.paren()
        ));
    }
    // Each clause is quoted once: a clause naming thousands of classes is
    // not repeated for each of them.
    let mut quoted: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for c in p.classes.iter().filter(|c| wanted(&c.name)) {
        for l in &c.lines {
            if l.amount.is_zero() {
                continue;
            }
            let span = l.reason.cite.span;
            let clause = if quoted.insert((span.start, span.end)) {
                l.reason.cite.clause.to_string()
            } else {
                "the clause quoted above".to_string()
            };
            out.push_str(&format!(
                "  {}: {} {} — {clause}{}\n",
                c.name,
                dollars(l.amount),
                l.reason.what,
                l.reason.cite.paren()
            ));
        }
    }
    out.push_str("  amounts are rounded down to the cent; leftover cents go to the largest fractions dropped\n");
    out
}

/// A payout as CSV: a row per class, pool and named holder, with the same
/// figures as the table.
pub fn payout_csv(p: &Payout) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    super::csv_record(
        &mut w,
        [
            "party",
            "kind",
            "class",
            "shares",
            "payout",
            "per_share",
            "converted",
        ],
    )?;
    for c in &p.classes {
        super::csv_record(
            &mut w,
            [
                c.name.as_str(),
                "class",
                c.name.as_str(),
                &c.shares.normalize().to_string(),
                &format!("{:.2}", c.payout),
                &c.per_share.normalize().to_string(),
                &c.converted.to_string(),
            ],
        )?;
    }
    for pool in &p.pools {
        super::csv_record(
            &mut w,
            [
                pool.name.as_str(),
                "pool",
                pool.class.as_str(),
                &pool.count.normalize().to_string(),
                &format!("{:.2}", pool.payout),
                "",
                &pool.exercised.to_string(),
            ],
        )?;
    }
    for h in &p.holders {
        super::csv_record(
            &mut w,
            [
                h.name.as_str(),
                "holder",
                h.class.as_str(),
                &h.shares.normalize().to_string(),
                &format!("{:.2}", h.payout),
                "",
                "",
            ],
        )?;
    }
    for g in &p.groups {
        super::csv_record(
            &mut w,
            [
                g.name.as_str(),
                "group",
                "",
                "",
                &format!("{:.2}", g.payout),
                "",
                "",
            ],
        )?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
