//! Dividend answers as text.

use comfy_table::Cell;

use super::{right, table};
use crate::eval::dividends::{Accrual, Declaration};
use crate::eval::redemption::RedeemOutcome;
use crate::eval::scenario::price_text;
use crate::num::{dollars, group, shares};

/// `declare dividend $X`.
pub fn declaration(d: &Declaration) -> String {
    let mut t = table(&["class", "shares", "dividend", "per share"]);
    for (name, sh, amount, per) in &d.classes {
        t.add_row(vec![
            Cell::new(name),
            right(shares(*sh)),
            right(dollars(*amount)),
            right(format!("${}", group(*per, 6))),
        ]);
    }
    let mut out = format!(
        "Dividend of {} declared on {}\n{t}\n",
        dollars(d.amount),
        d.date
    );
    for l in &d.lines {
        out.push_str(&format!(
            "  {}: {} {}{}\n",
            l.name,
            dollars(l.amount),
            l.what,
            l.cite.paren()
        ));
    }
    for (h, class, sh, a) in &d.holders {
        out.push_str(&format!(
            "  {h} ({} {class}): {}\n",
            shares(*sh),
            dollars(*a)
        ));
    }
    out.push_str(
        "  declared and unpaid until paid: a preference that adds declared dividends includes it\n",
    );
    out
}

/// `accrued`.
pub fn accrued(list: &[Accrual]) -> String {
    let mut t = table(&["class", "from", "to", "days", "per share", "total"]);
    for a in list {
        t.add_row(vec![
            Cell::new(&a.name),
            Cell::new(a.start.to_string()),
            Cell::new(a.date.to_string()),
            right(a.days.to_string()),
            right(format!("${}", group(a.per_share, 6))),
            right(dollars(a.total)),
        ]);
    }
    let mut out = format!("{t}\n");
    for a in list {
        out.push_str(&format!(
            "  {}: {} of the original issue price a year, {}, {}{}\n",
            a.name,
            crate::num::percent(a.rate),
            if a.compounding {
                "compounding annually"
            } else {
                "simple"
            },
            a.day_count.word(),
            a.cite.paren()
        ));
        if let Some((first, moves)) = &a.prices {
            let mut line = format!("    on an issue price of {}", price_text(*first));
            for (date, price) in moves {
                line.push_str(&format!(", {} from {date}", price_text(*price)));
            }
            out.push_str(&line);
            out.push_str(" (adjusted likewise with the conversion price)\n");
        }
    }
    out
}

/// `redeem on DATE`.
pub fn redemption(r: &RedeemOutcome) -> String {
    let mut t = table(&[
        "series",
        "eligible",
        "requested",
        "redeemed",
        "price",
        "paid",
        "owed",
    ]);
    for c in &r.classes {
        t.add_row(vec![
            Cell::new(&c.name),
            right(shares(c.eligible)),
            right(shares(c.requested)),
            right(shares(c.redeemed)),
            right(format!("${}", group(c.price, 4))),
            right(dollars(c.paid)),
            right(shares(c.short)),
        ]);
    }
    let mut out = format!(
        "Redemption on {}{}\n{t}\n",
        r.date,
        r.funds
            .map(|f| format!(" with {} available", dollars(f)))
            .unwrap_or_default()
    );
    for c in &r.classes {
        let mut marks: Vec<String> = Vec::new();
        for m in c.cites.iter().map(|x| x.section_mark()) {
            if !marks.contains(&m) {
                marks.push(m);
            }
        }
        out.push_str(&format!(
            "  {}: {} ({})\n",
            c.name,
            c.notes.join("; "),
            marks.join(", ")
        ));
    }
    for c in &r.classes {
        for (h, sh, a) in &c.holders {
            out.push_str(&format!(
                "  {h}: {} {} redeemed for {}\n",
                shares(*sh),
                c.name,
                dollars(*a)
            ));
        }
    }
    for a in &r.assumptions {
        out.push_str(&format!("  assumes {a}\n"));
    }
    out
}
