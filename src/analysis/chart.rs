//! What a payout chart draws: each class's (or named holder's) payout, or
//! value per common-equivalent share, against the exit, at every breakpoint
//! in the range, with the breakpoints marked by their causes.
//!
//! Every payout is linear between breakpoints, so a line through the points
//! at the breakpoints (both sides of a jump) is the payout function itself,
//! drawn exactly. The amounts are the payouts to the cent, the same figures
//! `payout` prints at those exits.

use rust_decimal::Decimal;

use super::rows::{exits, past_last};
use crate::diagnostic::{Kind, Problem};
use crate::eval::breakpoints::{curve_for, payout_at};
use crate::eval::curve::Detail;
use crate::eval::{amount_problem, check_exit};
use crate::ir::{Charter, Span};
use crate::num::Checked;
use crate::syntax::ast::Spanned;

/// What to draw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Value per common-equivalent share instead of amounts (drawn as lines).
    pub per_share: bool,
    /// Named holders (and the rest of each class) instead of classes; pools
    /// either way.
    pub holders: bool,
    /// A line per party instead of stacked areas.
    pub lines: bool,
}

/// A chart, ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The title: the company and the event.
    pub title: String,
    /// What the vertical axis measures.
    pub measure: String,
    /// Whether the parties are stacked areas (else lines).
    pub stacked: bool,
    /// The range of exits.
    pub from: Decimal,
    /// Its top.
    pub to: Decimal,
    /// The exits drawn at, increasing.
    pub exits: Vec<Decimal>,
    /// One per party, in declaration order.
    pub series: Vec<Series>,
    /// The breakpoints in the range.
    pub markers: Vec<Marker>,
}

/// One party's line or area.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// Its value at each exit.
    pub values: Vec<Decimal>,
    /// Its colour, by index (the same party, the same colour).
    pub color: usize,
    /// Drawn dashed (a comparison's second charter).
    pub dashed: bool,
}

/// A breakpoint marked on the chart.
#[derive(Debug, Clone)]
pub struct Marker {
    /// The exit.
    pub exit: Decimal,
    /// Its causes, in words, with their sections.
    pub label: String,
}

/// The chart of `charter`'s payouts over `range` (by default $0 to a little
/// past the last breakpoint), under `event`.
pub fn chart(
    charter: &Charter,
    range: Option<(&Spanned<Decimal>, &Spanned<Decimal>)>,
    event: Option<&Spanned<String>>,
    options: Options,
    span: Span,
) -> Result<Chart, Problem> {
    if let Some((from, to)) = range {
        check_exit(from)?;
        check_exit(to)?;
    }
    let (event_name, c) = curve_for(charter, event, None, Detail::Explained, span)?;
    let at = amount_problem(span);
    let (from, to) = match range {
        Some((f, t)) if f.node < t.node => (f.node, t.node),
        Some((f, t)) if f.node > t.node => (t.node, f.node),
        Some((f, _)) => {
            return Err(Problem::new(
                Kind::BadNumber("a chart's range runs from one exit to a larger one".to_string()),
                f.span,
                "the same exit twice",
            ));
        }
        None => (Decimal::ZERO, past_last(&[&c]).map_err(at)?),
    };
    let xs = exits(&[&c], from, to).map_err(at)?;
    let mut series: Vec<Series> = Vec::new();
    for (i, x) in xs.iter().enumerate() {
        let cents = payout_at(charter, &c, *x).map_err(at)?;
        let values = values(charter, &cents, options).map_err(at)?;
        for (k, (name, v)) in values.into_iter().enumerate() {
            match series.get_mut(k) {
                Some(s) => s.values.push(v),
                None if i == 0 => series.push(Series {
                    name,
                    values: vec![v],
                    color: k,
                    dashed: false,
                }),
                None => {}
            }
        }
    }
    let markers = c
        .breakpoints
        .iter()
        .filter(|b| b.exit > from && b.exit <= to)
        .map(|b| Marker {
            exit: b.exit,
            label: b
                .causes
                .iter()
                .map(|k| match k.cite.section_mark() {
                    m if m.is_empty() => k.what.clone(),
                    m => format!("{} ({m})", k.what),
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let what = if options.holders { "holder" } else { "class" };
    Ok(Chart {
        title: format!(
            "{}: payout by {what} ({})",
            charter.company,
            event_name.as_deref().unwrap_or("liquidation")
        ),
        measure: if options.per_share {
            "value per common-equivalent share".to_string()
        } else {
            "payout".to_string()
        },
        stacked: !options.lines && !options.per_share,
        from,
        to,
        exits: xs,
        series,
        markers,
    })
}

/// Each party's value at one exit ([`super::rows::parties`]): per
/// common-equivalent share if asked.
fn values(
    charter: &Charter,
    cents: &crate::eval::Cents,
    options: Options,
) -> Result<Vec<(String, Decimal)>, Kind> {
    super::rows::parties(charter, cents, options.holders)?
        .into_iter()
        .map(|p| {
            let v = if !options.per_share {
                p.amount
            } else if p.shares.is_zero() {
                Decimal::ZERO
            } else {
                p.amount.div(p.shares, "value per share")?
            };
            Ok((p.name, v))
        })
        .collect()
}
