//! Approval, voting-power and board answers as text.

use comfy_table::Cell;
use rust_decimal::Decimal;

use super::{right, table};
use crate::eval::approval::{ApprovalOutcome, basis_text};
use crate::eval::votes::{Board, ClassVotes};
use crate::num::{group, shares};

fn pct(yes: Decimal, total: Decimal) -> String {
    if total.is_zero() {
        "—".to_string()
    } else {
        match yes
            .checked_div(total)
            .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
        {
            Some(p) => format!("{}%", group(p, 2)),
            None => "—".to_string(),
        }
    }
}

/// `approve ACTION`.
pub fn approval(a: &ApprovalOutcome) -> String {
    let verdict = match a.passes {
        Some(true) => "passes",
        Some(false) => "fails",
        None if a.missing.iter().any(|m| m.starts_with("the votes")) => "needs the consents below",
        None => "undecided: it depends on the facts below",
    };
    let mut out = format!(
        "Approval of `{}` ({}): {verdict}\n",
        a.action, a.description
    );
    if a.consents.iter().all(|c| c.required == Some(false)) {
        out.push_str("  the charter's protective provisions require no class vote for it now (votes required by law aside)\n");
    }
    for c in &a.consents {
        let state = match (c.required, c.met) {
            (Some(false), _) => "not required",
            (_, Some(true)) => "met",
            (Some(true), Some(false)) => "NOT met",
            (None, Some(false)) => "not met, if required",
            (Some(true), None) => "required",
            (None, None) => "may be required",
        };
        out.push_str(&format!("  {} — {state}\n", c.cite.section_mark()));
        for cond in &c.conditions {
            out.push_str(&format!("      {cond}\n"));
        }
        for n in &c.counts {
            let reached = match n.yes {
                _ if n.total.is_zero() => ": none outstanding, so no vote is needed ✓".to_string(),
                Some(y) => format!(
                    ": {} of {} for ({}) {}",
                    shares(y),
                    shares(n.total),
                    pct(y, n.total),
                    if n.met == Some(true) { "✓" } else { "✗" }
                ),
                None => format!(" of {}", shares(n.total)),
            };
            out.push_str(&format!(
                "      {} of {} {}{reached}\n",
                n.threshold.words(),
                n.voters,
                basis_text(n.basis)
            ));
        }
        if let Some((holders, yes)) = &c.including {
            let state = match yes {
                Some(true) => "they vote for ✓",
                Some(false) => "they do not all vote for ✗",
                None => "their votes are not given",
            };
            out.push_str(&format!(
                "      including {}: {state}\n",
                holders.join(" and ")
            ));
        }
    }
    for s in &a.assumptions {
        out.push_str(&format!("  assumes {s}\n"));
    }
    for m in &a.missing {
        out.push_str(&format!("  depends on {m}\n"));
    }
    out
}

/// `votes`.
pub fn votes(list: &[ClassVotes]) -> String {
    let total: Decimal = list
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(v.votes));
    let mut t = table(&[
        "class / holder",
        "shares",
        "as converted",
        "votes each",
        "votes",
        "of all",
    ]);
    for v in list {
        t.add_row(vec![
            Cell::new(&v.name),
            right(shares(v.shares)),
            right(shares(v.as_converted)),
            right(match v.per_share {
                Some(p) if v.counted_as_converted => format!("{} per common", p.normalize()),
                Some(p) => p.normalize().to_string(),
                None => "none".to_string(),
            }),
            right(shares(v.votes)),
            right(pct(v.votes, total)),
        ]);
        if v.holders.len() > 1
            || v.holders
                .first()
                .is_some_and(|h| !h.name.starts_with("other holders"))
        {
            for h in &v.holders {
                t.add_row(vec![
                    Cell::new(format!("  {}", h.name)),
                    right(shares(h.shares)),
                    right(shares(h.as_converted)),
                    Cell::new(""),
                    right(shares(h.votes)),
                    right(pct(h.votes, total)),
                ]);
            }
        }
    }
    t.add_row(vec![
        Cell::new("total"),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        right(shares(total)),
        Cell::new(""),
    ]);
    format!("{t}\n")
}

/// `board`.
pub fn board(b: &Board) -> String {
    let mut out = match b.size {
        Some(n) => format!("Board of {n} directors\n"),
        None => "Board\n".to_string(),
    };
    if let Some((in_force, why, cite)) = &b.shift {
        out.push_str(&format!(
            "  voting shift{}: {} — {why}\n",
            cite.paren(),
            if *in_force {
                "in force"
            } else {
                "not in force"
            }
        ));
    }
    for (who, count, _) in &b.seats {
        out.push_str(&format!("  {who} elects {count}\n"));
    }
    if b.seats.is_empty() {
        out.push_str("  the charter file assigns no seats: the stockholders elect the board voting together\n");
    }
    if let Some(c) = b.cite.as_ref().filter(|c| c.section.is_some()) {
        out.push_str(&format!(" {}\n", c.paren()));
    }
    if let Some((text, cite)) = &b.cumulative {
        out.push_str(&format!("  cumulative voting{}: {text}\n", cite.paren()));
    }
    out
}
