//! Dividends: what has accrued, and how a declared amount is split.
//!
//! Day count: a cumulative dividend "accrue[s] on a daily basis" at a rate
//! "per annum" (000 section 1(a)); the clause says how a day's share of the
//! year is counted: `actual/365` (1/365 each day, leap years included) or
//! `actual/actual` (1/365 or 1/366, by the calendar year the day falls in).
//! Accrual runs from the original issue date to the scenario's date, the
//! first day excluded and the last included.
//!
//! A declaration pays, in order: cumulative dividends accrued and unpaid
//! (classes with priority first, a tier sharing in proportion to what each is
//! owed); then one year's preferential rate, less what earlier declarations
//! in the same calendar year paid of it (a short declaration shared in
//! proportion to full amounts); then the rest, as the charter says: shared as
//! converted, or to common with preferred receiving the greater of its rate
//! and common's amount, or — without a rule — to common. What is declared
//! becomes declared but unpaid, and a preference that adds declared dividends
//! includes it.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

pub use super::accrual::{Accrual, accrued, on_conversion, set_accrued, years_between};
use super::apportion;
use super::scenario::{Scenario, add};
use crate::diagnostic::Kind;
use crate::ir::{Cite, ClassId, Dividends, Duration};
use crate::num::{self, Checked};

mod beyond;

/// One part of a class's share of a declaration.
#[derive(Debug, Clone)]
pub struct DividendLine {
    /// The class.
    pub class: ClassId,
    /// Display name.
    pub name: String,
    /// What it is.
    pub what: String,
    /// Amount, to the cent.
    pub amount: Decimal,
    /// The clause.
    pub cite: Cite,
}

/// The answer to `declare dividend $X`.
#[derive(Debug, Clone)]
pub struct Declaration {
    /// The amount declared.
    pub amount: Decimal,
    /// The date.
    pub date: NaiveDate,
    /// Per class: name, shares, amount to the cent, per share.
    pub classes: Vec<(String, Decimal, Decimal, Decimal)>,
    /// The parts, by clause.
    pub lines: Vec<DividendLine>,
    /// Named holders' shares of it (and the rest of their classes): holder, class, shares, amount.
    pub holders: Vec<(String, String, Decimal, Decimal)>,
}

/// Each class's total of its parts, exactly.
fn class_totals(exact: &Parts) -> Result<Vec<Decimal>, Kind> {
    exact
        .iter()
        .map(|v| num::sum(v.iter().map(|x| x.1), "dividend"))
        .collect()
}

/// Each class's parts of a declaration, exactly, before rounding to cents:
/// what each is, the amount, and the clause.
type Parts = Vec<Vec<(String, Decimal, Cite)>>;

/// A class's shares as converted into common.
fn as_converted(s: &Scenario, id: ClassId) -> Result<Decimal, Kind> {
    let ratio = s
        .charter
        .classes
        .get(id)
        .and_then(|c| c.ratio)
        .unwrap_or(Decimal::ONE);
    s.outstanding(id).mul(ratio, "shares as converted")
}

/// The tier a class is paid in: classes listed first in a priority clause
/// come first.
fn tier(d: &Dividends, id: ClassId) -> usize {
    if d.priority.iter().any(|p| p.0.contains(&id)) {
        0
    } else {
        1
    }
}

/// Splits a declared amount and records it as declared but unpaid.
pub fn declare(
    s: &mut Scenario,
    amount: Decimal,
    date: NaiveDate,
    to: &[ClassId],
) -> Result<Declaration, Kind> {
    let Some(d) = s.charter.dividends.clone() else {
        return Err(Kind::MissingFact(
            "the charter file states no dividend provisions: add a `dividends { ... }` block"
                .to_string(),
        ));
    };
    let mut exact: Parts = vec![Vec::new(); s.charter.classes.len()];
    let remaining = cumulative(s, &d, date, amount, &mut exact)?;
    start_year(s, &d, date);
    let (remaining, rate_paid) = preferential(s, &d, remaining, &mut exact)?;
    if remaining > Decimal::ZERO {
        beyond::rest(s, &d, to, (amount, remaining), &rate_paid, &mut exact)?;
    }
    record(s, amount, date, &exact)
}

/// Step 1: cumulative dividends accrued and unpaid, tier by tier, a tier sharing
/// in proportion to what each class is owed: what is left of `remaining`.
fn cumulative(
    s: &mut Scenario,
    d: &Dividends,
    date: NaiveDate,
    mut remaining: Decimal,
    exact: &mut Parts,
) -> Result<Decimal, Kind> {
    let n = s.charter.classes.len();
    for t in 0..2 {
        let mut owed = Vec::new();
        for id in (0..n).filter(|&i| tier(d, i) == t) {
            if let Some(a) = accrued(s, id, date)? {
                let o = a.per_share.mul(a.shares, "accrued dividends")?;
                if o > Decimal::ZERO {
                    owed.push((id, o, a.cite.clone()));
                }
            }
        }
        let total = num::sum(owed.iter().map(|o| o.1), "accrued dividends")?;
        if total.is_zero() {
            continue;
        }
        let pay = remaining.min(total);
        for (id, o, cite) in owed {
            // Multiplied before divided, so that an even split stays exact.
            let part = pay.mul(o, "accrued dividends")?.div(total, "share")?;
            if let Some(v) = exact.get_mut(id) {
                v.push(("cumulative dividends accrued".to_string(), part, cite));
            }
            let sh = s.outstanding(id);
            if !sh.is_zero()
                && let Some(p) = s.dividends_paid.get_mut(id)
            {
                *p = p.add(part.div(sh, "per share")?, "dividends paid")?;
            }
        }
        remaining = remaining.sub(pay, "remaining")?;
    }
    Ok(remaining)
}

/// The dividend year `date` falls in: the one an earlier declaration began
/// while it runs, else a new one, with nothing paid in it yet.
fn start_year(s: &mut Scenario, d: &Dividends, date: NaiveDate) {
    let running = s.dividend_year.filter(|start| {
        *start <= date && add(*start, Duration::Years(1)).is_some_and(|end| date < end)
    });
    if running.is_none() {
        let n = s.charter.classes.len();
        s.dividend_year = if d.from_first {
            Some(date)
        } else {
            NaiveDate::from_ymd_opt(date.year(), 1, 1)
        };
        s.rate_paid = vec![Decimal::ZERO; n];
        s.year_paid = vec![Decimal::ZERO; n];
    }
}

/// Step 2: one year's preferential rate, less what earlier declarations this
/// year paid of it, a short declaration shared in proportion to full
/// amounts: what is left, and what each class was paid of its rate.
fn preferential(
    s: &mut Scenario,
    d: &Dividends,
    mut remaining: Decimal,
    exact: &mut Parts,
) -> Result<(Decimal, Vec<Decimal>), Kind> {
    let n = s.charter.classes.len();
    let mut rate_paid = vec![Decimal::ZERO; n];
    for t in 0..2 {
        let mut full = Vec::new();
        for id in (0..n).filter(|&i| tier(d, i) == t) {
            if let Some(Some((rate, cite))) = d.rates.get(id) {
                // What an earlier declaration this year paid counts against
                // the year's rate.
                let earlier = s.rate_paid.get(id).copied().unwrap_or_default();
                let due = rate
                    .sub(earlier, "preferential dividend")?
                    .max(Decimal::ZERO);
                let f = due.mul(s.outstanding(id), "preferential dividend")?;
                if f > Decimal::ZERO {
                    full.push((id, f, cite.clone()));
                }
            }
        }
        let total = num::sum(full.iter().map(|f| f.1), "preferential dividends")?;
        if total.is_zero() {
            continue;
        }
        let pay = remaining.min(total);
        for (id, f, cite) in full {
            let part = pay.mul(f, "preferential dividend")?.div(total, "share")?;
            if let Some(r) = rate_paid.get_mut(id) {
                *r = part;
            }
            let held = s.outstanding(id);
            if let Some(slot) = s.rate_paid.get_mut(id)
                && !held.is_zero()
            {
                *slot = slot.add(part.div(held, "per share")?, "preferential dividend")?;
            }
            let (what, cite) = if pay < total {
                (
                    "preferential dividend, short declaration shared in proportion to full amounts",
                    d.sharing.as_ref().map_or(cite, |x| x.1.clone()),
                )
            } else {
                ("preferential dividend", cite)
            };
            if let Some(v) = exact.get_mut(id) {
                v.push((what.to_string(), part, cite));
            }
        }
        remaining = remaining.sub(pay, "remaining")?;
    }
    Ok((remaining, rate_paid))
}

/// To the cent, summing exactly to the amount (largest remainder, first
/// among classes and then among each class's parts and holders); recorded
/// as declared and unpaid.
fn record(
    s: &mut Scenario,
    amount: Decimal,
    date: NaiveDate,
    exact: &Parts,
) -> Result<Declaration, Kind> {
    let totals = class_totals(exact)?;
    let cents = apportion::to_cents(amount, &totals)?;
    let mut classes = Vec::new();
    let mut lines = Vec::new();
    let mut holders = Vec::new();
    for (id, (parts, total)) in exact.iter().zip(cents.iter()).enumerate() {
        let Some(c) = s.charter.classes.get(id).cloned() else {
            continue;
        };
        if parts.is_empty() {
            continue;
        }
        let per = if c.outstanding.is_zero() {
            Decimal::ZERO
        } else {
            total.div(c.outstanding, "per share")?
        };
        classes.push((c.name.clone(), c.outstanding, *total, per.round_dp(6)));
        let part_cents =
            apportion::to_cents(*total, &parts.iter().map(|p| p.1).collect::<Vec<_>>())?;
        for ((what, _, cite), a) in parts.iter().zip(part_cents) {
            lines.push(DividendLine {
                class: id,
                name: c.name.clone(),
                what: what.clone(),
                amount: a,
                cite: cite.clone(),
            });
        }
        for (h, sh, a) in apportion::to_holders(&s.charter, id, c.outstanding, *total)? {
            holders.push((h, c.name.clone(), sh, a));
        }
        if let Some(x) = Arc::make_mut(&mut s.charter).classes.get_mut(id) {
            x.declared_dividends = x.declared_dividends.add(per, "declared dividends")?;
        }
        if let Some(y) = s.year_paid.get_mut(id) {
            *y = y.add(per, "dividends this year")?;
        }
    }
    Ok(Declaration {
        holders,
        amount,
        date,
        classes,
        lines,
    })
}
