//! Accrued dividends paid when a class converts, all, half or none of them by
//! the value of a common share (SCC § 1(a): half waived when common is worth
//! more than 2x the Series C Issue Price, all from 4x).
//!
//! `convert ... at $FMV` is given the value. In a payout the value is read
//! as the distribution per share (the exit over every share as converted),
//! which does not depend on who converts: the tier is then fixed for a
//! stretch of exits, so it is set on a copy of the terms for that stretch
//! ([`at`]), and the exit curve changes it where the distribution per share
//! passes a tier's multiple ([`bounds`]). The charter file states that
//! reading where it encodes the waiver.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::waterfall;
use crate::diagnostic::Kind;
use crate::ir::{Charter, ClassId, ConversionDividend, Terms, Waiver};
use crate::num::{self, Checked};

/// Which side of an exit a tier is read for: at it, or just above it (the
/// walk of the exit curve starts a stretch there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// At the value itself.
    At,
    /// Just above it.
    Above,
}

/// The share of the accrual paid under waiver `w` when common is worth
/// `value` and the issue price is `ip`, and how it came out in words.
pub fn tier(
    w: &Waiver,
    ip: Decimal,
    value: Decimal,
    side: Side,
) -> Result<(Decimal, &'static str), Kind> {
    let all_at = w.all_at.mul(ip, "waiver")?;
    let half_above = w.half_above.mul(ip, "waiver")?;
    // "greater than two times": at 2x exactly the accrual is paid in full,
    // and just above it half.
    let past_half = match side {
        Side::At => value > half_above,
        Side::Above => value >= half_above,
    };
    Ok(if value >= all_at {
        (Decimal::ZERO, "all waived")
    } else if past_half {
        (Decimal::new(5, 1), "half waived")
    } else {
        (Decimal::ONE, "paid in full")
    })
}

/// `terms` with each class's accrued dividends on conversion set for the
/// exit `exit` (or just above it); the terms themselves where no class has
/// accrued any. O(N) in the classes, and a copy of the terms only then.
pub fn at<'a>(
    charter: &Charter,
    terms: &'a Terms,
    exit: Decimal,
    side: Side,
) -> Result<Cow<'a, Terms>, Kind> {
    if charter
        .classes
        .iter()
        .all(|c| c.accrued_dividends.is_zero())
    {
        return Ok(Cow::Borrowed(terms));
    }
    let value = waterfall::distribution_per_share(charter, exit)?;
    let mut out = terms.clone();
    out.conversion_dividends = (0..charter.classes.len())
        .map(|id| per_share(charter, id, value, side))
        .collect::<Result<_, _>>()?;
    Ok(Cow::Owned(out))
}

/// Class `id`'s accrued dividends on conversion per share when common is
/// worth `value`: `None` where it has accrued none.
fn per_share(
    charter: &Charter,
    id: ClassId,
    value: Decimal,
    side: Side,
) -> Result<Option<ConversionDividend>, Kind> {
    let Some(class) = charter.classes.get(id) else {
        return Ok(None);
    };
    if class.accrued_dividends.is_zero() {
        return Ok(None);
    }
    let dividends = charter.dividends.as_ref();
    let waiver = dividends
        .and_then(|d| d.waivers.get(id))
        .and_then(|w| w.as_ref());
    let cumulative = dividends
        .and_then(|d| d.cumulative.get(id))
        .and_then(|c| c.as_ref());
    let Some(cite) = waiver
        .map(|w| w.cite.clone())
        .or_else(|| cumulative.map(|c| c.cite.clone()))
    else {
        return Ok(None);
    };
    let (share, words) = match waiver {
        Some(w) => {
            let (share, words) = tier(w, class.issue_price.unwrap_or_default(), value, side)?;
            (
                share,
                format!(
                    "{words}: common valued at the distribution per share, {}, against {}x and {}x the issue price",
                    num::exact_dollars(value.round_dp(6)),
                    w.half_above.normalize(),
                    w.all_at.normalize()
                ),
            )
        }
        None => (Decimal::ONE, "paid in full".to_string()),
    };
    let words = words + &in_kind_note(charter, id).unwrap_or_default();
    Ok(Some(ConversionDividend {
        per_share: class.accrued_dividends.mul(share, "accrued dividends")?,
        words,
        cite,
    }))
}

/// Where the holders of `id` may take its accrued dividends in shares
/// instead of cash: the words saying so. The charter states no value for such
/// a share, so what is computed is the cash.
pub fn in_kind_note(charter: &Charter, id: ClassId) -> Option<String> {
    let (of, cite) = charter
        .dividends
        .as_ref()
        .and_then(|d| d.in_kind.get(id))
        .and_then(|k| k.as_ref())?;
    let name = charter.classes.get(*of).map(|c| c.name.as_str())?;
    Some(format!(
        "; shown in cash: the holders may take shares of {name} instead, at a value the charter does not state{}",
        cite.paren()
    ))
}

/// The exits at which a class's accrued dividends on conversion change
/// tier, each with what changes there and the waiver's clause.
pub fn bounds(charter: &Charter) -> Result<Vec<(Decimal, String, crate::ir::Cite)>, Kind> {
    let Some(dividends) = charter.dividends.as_ref() else {
        return Ok(Vec::new());
    };
    let shares = waterfall::shares_as_converted(charter)?;
    let mut out = Vec::new();
    for (id, w) in dividends.waivers.iter().enumerate() {
        let (Some(w), Some(class)) = (w, charter.classes.get(id)) else {
            continue;
        };
        if class.accrued_dividends.is_zero() || shares.is_zero() {
            continue;
        }
        let ip = class.issue_price.unwrap_or_default();
        for (multiple, what) in [
            (w.half_above, "half waived above"),
            (w.all_at, "all waived from"),
        ] {
            let value = multiple.mul(ip, "waiver")?;
            out.push((
                value.mul(shares, "waiver threshold")?,
                format!(
                    "{}'s accrued dividends on conversion are {what} here: the distribution per share reaches {} ({}x the issue price)",
                    class.name,
                    num::exact_dollars(value),
                    multiple.normalize()
                ),
                w.cite.clone(),
            ));
        }
    }
    Ok(out)
}
