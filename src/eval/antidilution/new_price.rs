//! One protected class's new conversion price for an issuance: the full
//! ratchet inside its window or the weighted average, rounded as the block
//! says, never rising, and held back under a minimum adjustment.

use super::*;
use crate::ir::Ratchet;

/// Adjusts class `c`'s conversion price for the part of an issuance a block
/// counts, given what the block counts as outstanding before it, and logs
/// the derivation.
pub(super) fn adjust_class(
    s: &mut Scenario,
    iss: &Issuance,
    block: &AntiDilution,
    c: ClassId,
    k: &Counted,
    before: Option<&Outstanding>,
) -> Result<(), Problem> {
    let fail = |e: Kind| at(e, iss.span);
    if s.converted.get(c).is_some_and(|x| x.is_some()) {
        return Ok(());
    }
    let old = s.price(c);
    if old.is_zero() || k.per_share >= old {
        return Ok(());
    }
    let mut steps: Vec<String> = k.excluded_note.iter().cloned().collect();
    steps.push(format!(
        "{} additional shares for {}{}: {} a share, below the conversion price {}",
        num::shares(k.additional),
        num::dollars(k.consideration),
        if block.net_of_fees && !iss.fees.is_zero() {
            " net of fees"
        } else {
            ""
        },
        price_text(k.per_share),
        price_text(old)
    ));
    let (exact, kind, cite, weighted) = if let Some(r) = ratchet(s, block, c, iss.date) {
        if let Some(w) = r.window {
            steps.push(format!(
                "{} is within {} after original issue: full ratchet to the price per share",
                iss.date,
                words(w)
            ));
        } else {
            steps.push("full ratchet to the price per share".to_string());
        }
        (k.per_share, "full ratchet", r.cite.clone(), false)
    } else if let (Some((_, cite)), Some(n)) = (&block.weighted, before) {
        let exact = weighted_average(block, old, n, k, &mut steps).map_err(fail)?;
        (exact, "weighted average", cite.clone(), true)
    } else {
        return Ok(());
    };
    let unit = block
        .rounding
        .as_ref()
        .filter(|r| weighted || !r.weighted_only)
        .map(|r| r.unit);
    let (new, rounded) = round(exact, unit);
    steps.extend(rounded);
    // A price never rises by an adjustment for an issuance.
    let new = new.min(old);
    let made = minimum(s, block, c, iss.date, (old, new), &mut steps).map_err(fail)?;
    let (after, kind) = match made {
        Some(new) => {
            s.set_price(c, new)?;
            (new, kind.to_string())
        }
        None => (old, format!("{kind}, carried forward")),
    };
    s.log.push(Adjustment {
        class: c,
        event: iss.text.to_string(),
        date: iss.date,
        before: old,
        after,
        kind,
        steps,
        cite,
    });
    Ok(())
}

/// The full ratchet protecting class `c` on `date`, if any: one without a
/// window, or one whose window after original issue has not closed.
fn ratchet<'b>(
    s: &Scenario,
    block: &'b AntiDilution,
    c: ClassId,
    date: NaiveDate,
) -> Option<&'b Ratchet> {
    block.ratchets.iter().find(|r| {
        r.classes.contains(&c)
            && match r.window {
                None => true,
                Some(w) => s
                    .charter
                    .classes
                    .get(c)
                    .and_then(|x| x.issued)
                    .and_then(|d| add(d, w))
                    .is_some_and(|end| date <= end),
            }
    })
}

/// The weighted-average price, exactly, with its derivation in `steps`.
fn weighted_average(
    block: &AntiDilution,
    old: Decimal,
    (exact_n, parts): &Outstanding,
    k: &Counted,
    steps: &mut Vec<String>,
) -> Result<Decimal, Kind> {
    let tenths = block.rounding.as_ref().is_some_and(|r| r.share_tenths);
    let n = if tenths { tenth(*exact_n) } else { *exact_n };
    if tenths && n != *exact_n {
        steps.push(format!(
            "{} shares counted to the nearest 1/10 share: {}",
            num::shares(*exact_n),
            num::shares(n)
        ));
    }
    // price × (N + C / price) / (N + A) is (price × N + C) / (N + A):
    // multiplying first leaves one division, so a price that terminates
    // (47/16 = $2.9375) comes out exact.
    let numerator = old
        .mul(n, "weighted average")?
        .add(k.consideration, "weighted average")?;
    let den = n.add(k.additional, "weighted average")?;
    let exact = numerator.div(den, "weighted average")?;
    let listing: Vec<String> = parts
        .iter()
        .map(|(l, v)| format!("{l} {}", num::shares(*v)))
        .collect();
    steps.push(format!(
        "outstanding before the issue: {} ({})",
        num::shares(n),
        listing.join(", ")
    ));
    steps.push(format!(
        "{} × ({} + {} / {}) / ({} + {})",
        price_text(old),
        num::shares(n),
        num::dollars(k.consideration),
        price_text(old),
        num::shares(n),
        num::shares(k.additional)
    ));
    steps.push(format!(
        "= ({} × {} + {}) / {}",
        price_text(old),
        num::shares(n),
        num::dollars(k.consideration),
        num::shares(den),
    ));
    steps.push(format!(
        "= {} / {} = {}",
        num::exact_dollars(numerator),
        num::shares(den),
        price_text(exact)
    ));
    Ok(exact)
}

/// Under a minimum adjustment, the price to set (`old` less what is carried
/// forward and this adjustment), or `None` where the total is still under
/// the minimum and is carried forward instead.
fn minimum(
    s: &mut Scenario,
    block: &AntiDilution,
    c: ClassId,
    date: NaiveDate,
    (old, new): (Decimal, Decimal),
    steps: &mut Vec<String>,
) -> Result<Option<Decimal>, Kind> {
    let Some((minimum, carry, min_cite)) = &block.minimum else {
        return Ok(Some(new));
    };
    let (carried, since) = s.carried.get(c).copied().unwrap_or((Decimal::ZERO, None));
    let total = carried.add(old.sub(new, "adjustment")?, "adjustment")?;
    if total < *minimum {
        if let Some(x) = s.carried.get_mut(c) {
            *x = (total, since.or(Some(date)));
        }
        steps.push(format!(
            "the adjustment of {} is under {} and is not made; it is carried forward{}{}",
            price_text(total),
            price_text(*minimum),
            carry
                .map(|d| format!(" for up to {}", words(d)))
                .unwrap_or_default(),
            min_cite.paren()
        ));
        return Ok(None);
    }
    let mut new = new;
    if !carried.is_zero() {
        steps.push(format!(
            "with {} carried forward, the price falls by {}",
            price_text(carried),
            price_text(total)
        ));
        new = old.sub(total, "adjustment")?;
    }
    if let Some(x) = s.carried.get_mut(c) {
        *x = (Decimal::ZERO, None);
    }
    Ok(Some(new))
}
