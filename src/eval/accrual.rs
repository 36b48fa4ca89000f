//! Cumulative dividends as they accrue: the amount accrued and unpaid on a
//! date (by the day count the clause states, across moved issue prices),
//! set on the scenario's classes before a payout reads them, and the share
//! of it paid when a class converts.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use super::interest::years_between;
use super::scenario::Scenario;
use crate::diagnostic::Kind;
use crate::ir::{Cite, ClassId};
use crate::num::{self, Checked};
use crate::syntax::ast::DayCount;

/// What a class has accrued.
#[derive(Debug, Clone)]
pub struct Accrual {
    /// The class.
    pub class: ClassId,
    /// Display name.
    pub name: String,
    /// Accrual start (original issue).
    pub start: NaiveDate,
    /// As of.
    pub date: NaiveDate,
    /// Days accrued.
    pub days: i64,
    /// Annual rate.
    pub rate: Decimal,
    /// Compounding annually.
    pub compounding: bool,
    /// How days are counted.
    pub day_count: DayCount,
    /// Accrued and unpaid per share, exact.
    pub per_share: Decimal,
    /// Shares outstanding.
    pub shares: Decimal,
    /// Accrued and unpaid for the class, to the cent.
    pub total: Decimal,
    /// Paid or declared so far, per share.
    pub paid: Decimal,
    /// The issue price accrued on, where it has moved with the conversion
    /// price: the price at the start, then each new price and the date from
    /// which it applies.
    pub prices: Option<(Decimal, Vec<(NaiveDate, Decimal)>)>,
    /// The clause.
    pub cite: Cite,
}

/// Accrued and unpaid cumulative dividends of `class` as of `date`.
pub fn accrued(s: &Scenario, class: ClassId, date: NaiveDate) -> Result<Option<Accrual>, Kind> {
    let Some(d) = &s.charter.dividends else {
        return Ok(None);
    };
    let Some(Some(cum)) = d.cumulative.get(class) else {
        return Ok(None);
    };
    let Some(c) = s.charter.classes.get(class) else {
        return Ok(None);
    };
    let (Some(start), Some(ip)) = (c.issued, c.issue_price) else {
        return Ok(None);
    };
    let days = date.signed_duration_since(start).num_days().max(0);
    // The issue price in force over each stretch, where it has moved.
    let moves: Vec<(NaiveDate, Decimal)> = s
        .moved_issue_prices
        .iter()
        .filter(|m| m.0 == class && m.1 < date)
        .map(|m| (m.1, m.2))
        .collect();
    let first = s
        .original
        .classes
        .get(class)
        .and_then(|c| c.issue_price)
        .unwrap_or(ip);
    let prices = (!moves.is_empty()).then(|| (first, moves.clone()));
    let gross = if !moves.is_empty() {
        if cum.compounding {
            return Err(Kind::Unsupported(format!(
                "{}'s dividends compound on an issue price that has moved since {}; only simple accrual is worked out across a moved issue price",
                c.name,
                moves.first().map(|m| m.0).unwrap_or(start)
            )));
        }
        let mut gross = Decimal::ZERO;
        let (mut from, mut price) = (start, first);
        for (to, next) in moves.into_iter().chain(std::iter::once((date, ip))) {
            let years = years_between(from.max(start), to, cum.day_count)?;
            gross = gross.add(
                price.mul(cum.rate, "accrual")?.mul(years, "accrual")?,
                "accrual",
            )?;
            (from, price) = (to.max(from), next);
        }
        gross
    } else {
        super::interest::interest(ip, (cum.rate, cum.compounding, cum.day_count), start, date)?
    };
    let paid = s.dividends_paid.get(class).copied().unwrap_or_default();
    let per_share = gross.sub(paid, "accrual")?.max(Decimal::ZERO);
    Ok(Some(Accrual {
        class,
        name: c.name.clone(),
        start,
        date,
        days,
        rate: cum.rate,
        compounding: cum.compounding,
        day_count: cum.day_count,
        per_share,
        shares: c.outstanding,
        total: per_share
            .mul(c.outstanding, "accrual")?
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        paid,
        prices,
        cite: cum.cite.clone(),
    }))
}

/// Sets each class's accrued dividends per share as of the scenario's date,
/// for the payout.
pub fn set_accrued(s: &mut Scenario) -> Result<(), Kind> {
    // SAFEs convert into shares the capitalization sets, as it now stands.
    super::safes::refresh(s)?;
    let date = s.date;
    for id in 0..s.charter.classes.len() {
        let a = accrued(s, id, date)?.map_or(Decimal::ZERO, |a| a.per_share);
        // Written only where it changes: the charter stays shared otherwise.
        if s.charter
            .classes
            .get(id)
            .is_some_and(|c| c.accrued_dividends != a)
            && let Some(c) = Arc::make_mut(&mut s.charter).classes.get_mut(id)
        {
            c.accrued_dividends = a;
        }
    }
    Ok(())
}

/// The share of accrued dividends paid on conversion, given common's value
/// per share: all, half, or none under the charter's waiver tiers.
pub fn on_conversion(
    s: &Scenario,
    class: ClassId,
    fmv: Option<Decimal>,
) -> Result<Option<(Decimal, String)>, Kind> {
    let Some(a) = accrued(s, class, s.date)? else {
        return Ok(None);
    };
    let waiver = s
        .charter
        .dividends
        .as_ref()
        .and_then(|d| d.waivers.get(class).cloned().flatten());
    let ip = s
        .charter
        .classes
        .get(class)
        .and_then(|c| c.issue_price)
        .unwrap_or_default();
    // Paid in cash, so to the cent: the exact accrual, or the exact half of
    // it, rounded half away from zero as `accrued` rounds (halving the
    // rounded accrual would round twice).
    let exact = a.per_share.mul(a.shares, "accrued")?;
    let cents = |v: Decimal| {
        v.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let total = cents(exact);
    let in_kind = super::conversion_dividends::in_kind_note(&s.charter, class).unwrap_or_default();
    Ok(Some(match (waiver, fmv) {
        (None, _) => (
            total,
            format!("accrued dividends paid in full{}", a.cite.paren()),
        ),
        (Some(w), Some(v)) => {
            let (share, words) = super::conversion_dividends::tier(
                &w,
                ip,
                v,
                super::conversion_dividends::Side::At,
            )?;
            (
                cents(exact.mul(share, "waiver")?),
                format!(
                    "accrued dividends {words}: common at {} against {}x and {}x the issue price{}",
                    num::dollars(v),
                    w.half_above.normalize(),
                    w.all_at.normalize(),
                    w.cite.paren()
                ),
            )
        }
        (Some(w), None) => (
            total,
            format!(
                "accrued dividends, before any waiver: half or all are waived if common is worth more than {}x or at least {}x the issue price (add `at $FMV`){}",
                w.half_above.normalize(),
                w.all_at.normalize(),
                w.cite.paren()
            ),
        ),
    })
    .map(|(amount, words)| (amount, words + &in_kind)))
}
