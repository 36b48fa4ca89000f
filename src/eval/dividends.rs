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
use crate::ir::{Cite, ClassId, Duration};
use crate::num::{self, Checked};

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
fn class_totals(exact: &[Vec<(String, Decimal, Cite)>]) -> Result<Vec<Decimal>, Kind> {
    exact
        .iter()
        .map(|v| num::sum(v.iter().map(|x| x.1), "dividend"))
        .collect()
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
    let n = s.charter.classes.len();
    let shares = |s: &Scenario, id: ClassId| {
        s.charter
            .classes
            .get(id)
            .map(|c| c.outstanding)
            .unwrap_or_default()
    };
    let ratio = |s: &Scenario, id: ClassId| {
        s.charter
            .classes
            .get(id)
            .and_then(|c| c.ratio)
            .unwrap_or(Decimal::ONE)
    };
    let mut exact: Vec<Vec<(String, Decimal, Cite)>> = vec![Vec::new(); n];
    let mut remaining = amount;
    // The tier a class is paid in: classes listed first in a priority clause come first.
    let tier = |id: ClassId| {
        if d.priority.iter().any(|p| p.0.contains(&id)) {
            0
        } else {
            1
        }
    };

    // 1. Cumulative dividends accrued and unpaid.
    for t in 0..2 {
        let mut owed = Vec::new();
        for id in (0..n).filter(|&i| tier(i) == t) {
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
            let sh = shares(s, id);
            if !sh.is_zero()
                && let Some(p) = s.dividends_paid.get_mut(id)
            {
                *p = p.add(part.div(sh, "per share")?, "dividends paid")?;
            }
        }
        remaining = remaining.sub(pay, "remaining")?;
    }

    // 2. One year's preferential rate, a short declaration shared in proportion to full amounts.
    // The dividend year `date` falls in: the one an earlier declaration
    // began while it runs, else a new one, with nothing paid in it yet.
    let running = s.dividend_year.filter(|start| {
        *start <= date && add(*start, Duration::Years(1)).is_some_and(|end| date < end)
    });
    if running.is_none() {
        s.dividend_year = if d.from_first {
            Some(date)
        } else {
            NaiveDate::from_ymd_opt(date.year(), 1, 1)
        };
        s.rate_paid = vec![Decimal::ZERO; n];
        s.year_paid = vec![Decimal::ZERO; n];
    }
    let mut rate_paid = vec![Decimal::ZERO; n];
    for t in 0..2 {
        let mut full = Vec::new();
        for id in (0..n).filter(|&i| tier(i) == t) {
            if let Some(Some((rate, cite))) = d.rates.get(id) {
                // What an earlier declaration this year paid counts against
                // the year's rate.
                let earlier = s.rate_paid.get(id).copied().unwrap_or_default();
                let due = rate
                    .sub(earlier, "preferential dividend")?
                    .max(Decimal::ZERO);
                let f = due.mul(shares(s, id), "preferential dividend")?;
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
            let held = shares(s, id);
            if let Some(slot) = s.rate_paid.get_mut(id)
                && !held.is_zero()
            {
                *slot = slot.add(part.div(held, "per share")?, "preferential dividend")?;
            }
            let what = if pay < total {
                "preferential dividend, short declaration shared in proportion to full amounts"
            } else {
                "preferential dividend"
            };
            let cite = if pay < total {
                d.sharing.as_ref().map_or(cite.clone(), |x| x.1.clone())
            } else {
                cite
            };
            if let Some(v) = exact.get_mut(id) {
                v.push((what.to_string(), part, cite));
            }
        }
        remaining = remaining.sub(pay, "remaining")?;
    }

    // 3. The rest.
    if remaining > Decimal::ZERO {
        let as_converted =
            |s: &Scenario, id: ClassId| shares(s, id).mul(ratio(s, id), "shares as converted");
        let ruled = d.beyond.is_some() || d.blocker.is_some() || d.greater.is_some();
        if ruled && !to.is_empty() {
            return Err(Kind::Impossible(
                "the charter says how a dividend beyond the preferential amounts is shared: declare it without `to`".to_string(),
            ));
        }
        let shared: Option<(Vec<ClassId>, Cite, &str)> = if !to.is_empty() {
            // Declared by the Board on the classes named, alike on each share.
            Some((
                to.to_vec(),
                d.cite.clone(),
                "declared on the classes named, alike per share",
            ))
        } else if let Some((list, cite)) = &d.beyond {
            Some((
                list.clone(),
                cite.clone(),
                "beyond the preferential amounts, shared as converted",
            ))
        } else if let Some((common_id, pref, cite)) = &d.blocker {
            let mut l = vec![*common_id];
            l.extend(pref.iter().copied());
            Some((
                l,
                cite.clone(),
                "shared as converted: no dividend on common without an equal one on the preferred",
            ))
        } else {
            None
        };
        if let Some((list, cite, what)) = shared {
            // Classes named in the statement share alike per share held;
            // the charter's rules share as converted.
            let weight = |s: &Scenario, id: ClassId| {
                if to.is_empty() {
                    as_converted(s, id)
                } else {
                    Ok(shares(s, id))
                }
            };
            let mut w = Decimal::ZERO;
            for i in &list {
                w = w.add(weight(s, *i)?, "shares")?;
            }
            for id in list {
                let part = if w.is_zero() {
                    Decimal::ZERO
                } else {
                    remaining.mul(weight(s, id)?, "dividend")?.div(w, "share")?
                };
                if let Some(v) = exact.get_mut(id) {
                    v.push((what.to_string(), part, cite.clone()));
                }
            }
        } else if let Some((pref, common_id, cite)) = &d.greater {
            // Common takes c a share more; a preferred class tops up to
            // common's year as converted once that passes what the class has
            // had this year ("as determined on a per annum basis"). `ahead`
            // is that lead in dollars: the class's year so far and this
            // declaration's rate, less common's year so far as converted.
            // Each declaration leaves no class behind common, so it is not
            // negative; it is held at zero in any case.
            let base = shares(s, *common_id);
            let common_year = s.year_paid.get(*common_id).copied().unwrap_or_default();
            let mut joins: Vec<(Decimal, ClassId, Decimal)> = Vec::new();
            let mut ahead = vec![Decimal::ZERO; n];
            for &p in pref {
                let w = as_converted(s, p)?;
                if w.is_zero() {
                    continue;
                }
                let before = s
                    .year_paid
                    .get(p)
                    .copied()
                    .unwrap_or_default()
                    .mul(shares(s, p), "dividends this year")?;
                let lead = before
                    .add(
                        rate_paid.get(p).copied().unwrap_or_default(),
                        "dividends this year",
                    )?
                    .sub(common_year.mul(w, "common's year as converted")?, "lead")?
                    .max(Decimal::ZERO);
                if let Some(slot) = ahead.get_mut(p) {
                    *slot = lead;
                }
                joins.push((lead.div(w, "threshold")?, p, w));
            }
            joins.sort_by_key(|j| j.0);
            // Find c: remaining = base × c + Σ max(0, c × w_p − paid_p).
            let mut active_w = base;
            let mut spent = Decimal::ZERO;
            let mut level = Decimal::ZERO;
            let mut idx = 0;
            let c = loop {
                let step = match joins.get(idx) {
                    Some(j) => Some((
                        j.0,
                        j.0.sub(level, "dividend")?.mul(active_w, "dividend")?,
                        j.2,
                    )),
                    None => None,
                };
                match step {
                    Some((t, cost, w)) if spent.add(cost, "dividend")? <= remaining => {
                        spent = spent.add(cost, "dividend")?;
                        level = t;
                        active_w = active_w.add(w, "dividend")?;
                        idx = idx.saturating_add(1);
                    }
                    _ if active_w.is_zero() => break level,
                    _ => {
                        break level.add(
                            remaining
                                .sub(spent, "dividend")?
                                .div(active_w, "dividend per share")?,
                            "dividend",
                        )?;
                    }
                }
            };
            if let Some(v) = exact.get_mut(*common_id) {
                v.push((
                    "dividend on common".to_string(),
                    base.mul(c, "dividend")?,
                    d.cite.clone(),
                ));
            }
            for (_, p, w) in joins.iter().take(idx) {
                let paid = ahead.get(*p).copied().unwrap_or_default();
                let top = w
                    .mul(c, "dividend")?
                    .sub(paid, "dividend")?
                    .max(Decimal::ZERO);
                if let Some(v) = exact.get_mut(*p) {
                    v.push((
                        "the greater of its rate and what common receives as converted".to_string(),
                        top,
                        cite.clone(),
                    ));
                }
            }
        } else {
            let preferential = amount.sub(remaining, "preferential")?;
            return Err(Kind::MissingFact(format!(
                "the charter file does not say how a dividend beyond the preferential amounts ({}) is shared: declare at most that, name the classes it is declared on (`declare dividend $X to A, B`), or state the rule in the dividends block",
                num::dollars(preferential)
            )));
        }
    }

    // To the cent, summing exactly to the amount; recorded as declared and unpaid.
    let totals = class_totals(&exact)?;
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
