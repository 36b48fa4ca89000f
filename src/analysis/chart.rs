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
    /// Named holders (and the rest of each class) instead of classes.
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

/// Each party's value at one exit: classes and pools, or named holders and
/// the rest of each class; per common-equivalent share if asked.
fn values(
    charter: &Charter,
    cents: &crate::eval::Cents,
    options: Options,
) -> Result<Vec<(String, Decimal)>, Kind> {
    let ratio = |class: &str| {
        charter
            .classes
            .iter()
            .find(|c| c.name == class)
            .and_then(|c| c.ratio)
            .unwrap_or(Decimal::ONE)
    };
    let per = |amount: Decimal, shares: Decimal| -> Result<Decimal, Kind> {
        if !options.per_share {
            return Ok(amount);
        }
        if shares.is_zero() {
            return Ok(Decimal::ZERO);
        }
        amount.div(shares, "value per share")
    };
    let mut out = Vec::new();
    if options.holders {
        for h in &cents.holders {
            let shares = h.shares.mul(ratio(&h.class), "shares as converted")?;
            out.push((h.name.clone(), per(h.payout, shares)?));
        }
        return Ok(out);
    }
    for (c, amount) in charter.classes.iter().zip(&cents.classes) {
        let shares = c
            .outstanding
            .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
        out.push((c.name.clone(), per(*amount, shares)?));
    }
    for (p, amount) in charter.pools.iter().zip(&cents.pools) {
        out.push((p.name.clone(), per(*amount, p.count)?));
    }
    Ok(out)
}
