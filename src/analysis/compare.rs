//! Two charters side by side: each party's payout under A and under B, and
//! the difference, at every breakpoint of either charter in a range of
//! exits; where each party gains and loses most; and which clauses differ.
//! The parties are the classes and the pools, or the named holders, the rest
//! of each class and the pools: every dollar of the exit is in the
//! comparison, so the differences at an exit net to zero.
//!
//! Between two breakpoints of either charter every payout is linear, so the
//! difference is too, and its extremes over the range fall on the rows: the
//! rows are the range's ends, each breakpoint to the cent (rounded up; both
//! sides of a jump, a cent apart), in O((B_A + B_B) · N) after the two
//! walks.

use rust_decimal::Decimal;

use super::clauses::{self, ClauseChange};
use super::rows::{PartyAmount, exits, parties, past_last};
use crate::diagnostic::Problem;
use crate::eval::breakpoints::{curve_for, payout_at};
use crate::eval::curve::Detail;
use crate::eval::{amount_problem, check_exit};
use crate::ir::{Charter, Span};
use crate::syntax::ast::Spanned;

/// The answer to a comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// What A and B are called in the answer (file names, or "as edited").
    pub labels: (String, String),
    /// The deemed liquidation, or `None` for a liquidation.
    pub event: Option<String>,
    /// The range of exits.
    pub from: Decimal,
    /// Its top.
    pub to: Decimal,
    /// Every party of either charter (classes and pools, or holders, the
    /// rest of each class and pools), matched by name: A's in declaration
    /// order, then those only B has; and whether each charter has it.
    pub classes: Vec<(String, bool, bool)>,
    /// Whether the parties are holders rather than classes.
    pub by_holder: bool,
    /// One row per exit: each party's payout to the cent under A and under
    /// B (`None` where that charter has no such party).
    pub rows: Vec<Row>,
    /// Per class (in `classes` order), where it gains and loses most under
    /// B against A.
    pub extremes: Vec<Extremes>,
    /// The clauses that differ.
    pub clauses: Vec<ClauseChange>,
}

/// The payouts at one exit.
#[derive(Debug, Clone)]
pub struct Row {
    /// The exit, to the cent.
    pub exit: Decimal,
    /// Per class: under A and under B.
    pub amounts: Vec<(Option<Decimal>, Option<Decimal>)>,
}

impl Row {
    /// B less A for class `i`, a missing class counting as nothing.
    pub fn difference(&self, i: usize) -> Decimal {
        let (a, b) = self.amounts.get(i).copied().unwrap_or_default();
        b.unwrap_or_default()
            .checked_sub(a.unwrap_or_default())
            .unwrap_or_default()
    }
}

/// Where a class gains and loses most under B.
#[derive(Debug, Clone, Default)]
pub struct Extremes {
    /// The largest gain, and the exits from and to which it holds; `None`
    /// when B never pays it more.
    pub gain: Option<(Decimal, Decimal, Decimal)>,
    /// The largest loss (a negative amount), likewise.
    pub loss: Option<(Decimal, Decimal, Decimal)>,
}

/// One side of a comparison: its label and charter.
pub type Side<'a> = (&'a str, &'a Charter);

/// Compares `a` with `b` over `range` (by default from $0 to a little past
/// the last breakpoint of either), under `event` (which both must have), by
/// class or by holder.
pub fn compare(
    a: Side,
    b: Side,
    range: Option<(&Spanned<Decimal>, &Spanned<Decimal>)>,
    event: Option<&Spanned<String>>,
    by_holder: bool,
    span: Span,
) -> Result<Comparison, Problem> {
    if let Some((from, to)) = range {
        check_exit(from)?;
        check_exit(to)?;
    }
    let (event_name, ca) = curve_for(a.1, event, None, Detail::Explained, span)?;
    let (_, cb) = curve_for(b.1, event, None, Detail::Explained, span)?;
    let at = amount_problem(span);
    let (from, to) = match range {
        Some((f, t)) if f.node <= t.node => (f.node, t.node),
        Some((f, t)) => (t.node, f.node),
        None => (Decimal::ZERO, past_last(&[&ca, &cb]).map_err(at)?),
    };
    let exits = exits(&[&ca, &cb], from, to).map_err(at)?;
    let mut classes = Vec::new();
    let mut rows = Vec::with_capacity(exits.len());
    for x in exits {
        let pa = parties(a.1, &payout_at(a.1, &ca, x).map_err(at)?, by_holder).map_err(at)?;
        let pb = parties(b.1, &payout_at(b.1, &cb, x).map_err(at)?, by_holder).map_err(at)?;
        if classes.is_empty() {
            classes = union(&pa, &pb);
        }
        let find =
            |ps: &[PartyAmount], name: &str| ps.iter().find(|p| p.name == name).map(|p| p.amount);
        let amounts = classes
            .iter()
            .map(|(name, _, _)| (find(&pa, name), find(&pb, name)))
            .collect();
        rows.push(Row { exit: x, amounts });
    }
    let extremes = (0..classes.len()).map(|i| extremes(&rows, i)).collect();
    Ok(Comparison {
        labels: (a.0.to_string(), b.0.to_string()),
        event: event_name,
        from,
        to,
        classes,
        by_holder,
        rows,
        extremes,
        clauses: clauses::changes(&a.1.source.text, &b.1.source.text),
    })
}

/// The parties of both charters, matched by name. O(P²) in the parties of
/// one exit, which are few beside the rows.
fn union(a: &[PartyAmount], b: &[PartyAmount]) -> Vec<(String, bool, bool)> {
    let mut out: Vec<(String, bool, bool)> = a
        .iter()
        .map(|p| (p.name.clone(), true, b.iter().any(|k| k.name == p.name)))
        .collect();
    for p in b {
        if !out.iter().any(|(n, _, _)| *n == p.name) {
            out.push((p.name.clone(), false, true));
        }
    }
    out
}

/// Class `i`'s largest gain and loss over the rows, each with the run of
/// consecutive rows at which it holds.
fn extremes(rows: &[Row], i: usize) -> Extremes {
    let run = |best: Decimal| {
        let first = rows.iter().position(|r| r.difference(i) == best)?;
        let last = rows
            .iter()
            .skip(first)
            .take_while(|r| r.difference(i) == best)
            .last()?;
        Some((best, rows.get(first)?.exit, last.exit))
    };
    let max = rows
        .iter()
        .map(|r| r.difference(i))
        .max()
        .unwrap_or_default();
    let min = rows
        .iter()
        .map(|r| r.difference(i))
        .min()
        .unwrap_or_default();
    Extremes {
        gain: (max > Decimal::ZERO).then(|| run(max)).flatten(),
        loss: (min < Decimal::ZERO).then(|| run(min)).flatten(),
    }
}

/// The comparison as a chart: each class under A (solid) and under B
/// (dashed, the same colour), at the rows' exits.
pub fn chart(c: &Comparison, companies: (&str, &str)) -> super::chart::Chart {
    let mut series = Vec::new();
    for (i, (name, in_a, in_b)) in c.classes.iter().enumerate() {
        for (present, label, dashed) in [(*in_a, &c.labels.0, false), (*in_b, &c.labels.1, true)] {
            if !present {
                continue;
            }
            let values = c
                .rows
                .iter()
                .map(|r| {
                    let (a, b) = r.amounts.get(i).copied().unwrap_or_default();
                    if dashed { b } else { a }.unwrap_or_default()
                })
                .collect();
            series.push(super::chart::Series {
                name: format!("{name} ({label})"),
                values,
                color: i,
                dashed,
            });
        }
    }
    let title = if companies.0 == companies.1 {
        companies.0.to_string()
    } else {
        format!("{} and {}", companies.0, companies.1)
    };
    super::chart::Chart {
        title: format!(
            "{title}: {} against {} ({})",
            c.labels.0,
            c.labels.1,
            c.event.as_deref().unwrap_or("liquidation")
        ),
        measure: "payout".to_string(),
        stacked: false,
        from: c.from,
        to: c.to,
        exits: c.rows.iter().map(|r| r.exit).collect(),
        series,
        markers: Vec::new(),
    }
}
