//! Interest on an amount over a stretch of days: what a cumulative
//! dividend accrues on its issue price, and a note on its principal.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::num::Checked;
use crate::syntax::ast::DayCount;

/// What `base` earns from `start` to `date` at `rate` a year, counting
/// days by `day_count`: simply, or compounding annually (whole years
/// compound; the days since the last anniversary accrue simply on the grown
/// base). A cumulative dividend on its issue price and a note's interest on
/// its principal are both this.
pub fn interest(
    base: Decimal,
    (rate, compounding, day_count): (Decimal, bool, DayCount),
    start: NaiveDate,
    date: NaiveDate,
) -> Result<Decimal, Kind> {
    if !compounding {
        return base
            .mul(rate, "accrual")?
            .mul(years_between(start, date, day_count)?, "accrual");
    }
    let (years, anniversary) = whole_years(start, date);
    let mut grown = base;
    for _ in 0..years {
        grown = grown.mul(Decimal::ONE.add(rate, "compounding")?, "compounding")?;
    }
    let partial = grown
        .mul(rate, "accrual")?
        .mul(years_between(anniversary, date, day_count)?, "accrual")?;
    grown.sub(base, "accrual")?.add(partial, "accrual")
}

/// The whole years from `start` to `date`, and the last anniversary of
/// `start` on or before `date`: what compounds annually (interest, a late
/// redemption's penalty) compounds over.
pub fn whole_years(start: NaiveDate, date: NaiveDate) -> (i32, NaiveDate) {
    let mut years = 0i32;
    let mut anniversary = start;
    while let Some(next) = start.with_year(start.year().saturating_add(years).saturating_add(1)) {
        if next > date {
            break;
        }
        years = years.saturating_add(1);
        anniversary = next;
    }
    (years, anniversary)
}

/// The years from `from` to `to` (none if `to` is earlier) as the day count
/// reckons them: days over 365, or, for actual/actual, each calendar year's
/// days over that year's length, summed. Exact where each part's quotient
/// terminates; else to 28 digits, one division per calendar year.
pub fn years_between(from: NaiveDate, to: NaiveDate, count: DayCount) -> Result<Decimal, Kind> {
    if to <= from {
        return Ok(Decimal::ZERO);
    }
    match count {
        DayCount::Actual365 => Decimal::from(to.signed_duration_since(from).num_days())
            .div(Decimal::from(365), "day count"),
        DayCount::ActualActual => {
            let mut total = Decimal::ZERO;
            let mut at = from;
            while at < to {
                let next_year = NaiveDate::from_ymd_opt(at.year().saturating_add(1), 1, 1)
                    .ok_or_else(|| Kind::Overflow("day count".to_string()))?;
                let end = next_year.min(to);
                let length = if NaiveDate::from_ymd_opt(at.year(), 2, 29).is_some() {
                    366
                } else {
                    365
                };
                total = total.add(
                    Decimal::from(end.signed_duration_since(at).num_days())
                        .div(Decimal::from(length), "day count")?,
                    "day count",
                )?;
                at = end;
            }
            Ok(total)
        }
    }
}
