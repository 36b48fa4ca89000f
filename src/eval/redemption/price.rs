//! What a share is redeemed at: the charter's price on the date, and the
//! late penalty on what was owed.

use super::*;

/// The penalty factor from `due` to `date` at the penalty's rate a year,
/// compounded annually; a part of a year after the last whole one counts as
/// the clause says, and where it says nothing the answer is refused rather
/// than guessed.
pub fn penalty_factor(p: &Penalty, due: NaiveDate, date: NaiveDate) -> Result<Decimal, Kind> {
    let rate = p.rate;
    let (years, anniversary) = crate::eval::interest::whole_years(due, date);
    let mut f = Decimal::ONE;
    for _ in 0..years {
        f = f.mul(Decimal::ONE.add(rate, "penalty")?, "penalty")?;
    }
    let days = Decimal::from(date.signed_duration_since(anniversary).num_days().max(0));
    if days.is_zero() {
        return Ok(f);
    }
    match p.part_year {
        Some(PartYear::NotCounted) => Ok(f),
        Some(PartYear::ProRata) => {
            let part = Decimal::ONE.add(
                rate.mul(days, "penalty")?
                    .div(Decimal::from(365), "penalty")?,
                "penalty",
            )?;
            f.mul(part, "penalty")
        }
        None => Err(Kind::MissingFact(format!(
            "the late penalty runs {days} days past a whole year, and the charter file does not say how a part of a year counts: add `, a part of a year pro rata` or `, a part of a year not counted` to the `late:` clause"
        ))),
    }
}

/// The redemption price of a share of `c` on the scenario's date (its
/// accrued dividends set): its preference with dividends, or the greater of
/// that and the fair market value where the charter says so.
pub(super) fn price_on(
    s: &Scenario,
    r: &crate::ir::Redemption,
    c: ClassId,
    fmv: Option<Decimal>,
) -> Result<(Decimal, Option<Cite>), Kind> {
    let class = s
        .charter
        .classes
        .get(c)
        .ok_or_else(|| Kind::Overflow("redemption class".to_string()))?;
    let (greater, cite) = match r.price.get(c).cloned().flatten() {
        Some((g, cite)) => (g, Some(cite)),
        None => (false, None),
    };
    let pref = s
        .charter
        .liquidation
        .preference
        .get(c)
        .and_then(|p| p.as_ref())
        .ok_or_else(|| {
            Kind::MissingFact(format!(
                "`{}` has no liquidation preference to redeem at",
                class.name
            ))
        })?
        .with_dividends(class)
        .ok_or_else(|| Kind::Overflow("redemption price".to_string()))?;
    if !greater {
        return Ok((pref, cite));
    }
    match fmv {
        Some(v) => Ok((v.max(pref), cite)),
        None => Err(Kind::MissingFact(format!(
            "`{}` is redeemed at the greater of fair market value and its preference ({}): give the value with `at $X`",
            class.name,
            num::dollars(pref)
        ))),
    }
}
