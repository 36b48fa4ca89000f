//! Original issue prices that move with conversion prices (`original issue
//! price adjusted likewise`: "subject to adjustment in the same manner as the
//! Conversion Price", 000 section 2(a)(i)-(iii)), and every term stated as a
//! multiple of one: preferences, participation caps and thresholds. The
//! tests that read an issue price when they run (an IPO's price test,
//! dividends at a rate of it, conversion-dividend tiers, shortfall weights)
//! read the class's moved price.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::scenario::Scenario;
use crate::diagnostic::Kind;
use crate::ir::{Cap, ClassId, IssuePriceFollows, Terms};
use crate::num::Checked;

/// Brings each following class's issue price, and the terms stated as a
/// multiple of it, to where the scenario's conversion prices and splits put
/// it. Each price is worked from the charter as written (so adjustments do
/// not compound their rounding), and nothing is written where nothing
/// moved. O(F·(E + 1)) for F following classes and E deemed-liquidation
/// events.
pub fn follow(s: &mut Scenario) -> Result<(), Kind> {
    let rules: Vec<(ClassId, IssuePriceFollows)> = s
        .charter
        .antidilution
        .iter()
        .filter_map(|b| b.issue_price.as_ref().map(|(rule, _)| (b, *rule)))
        .flat_map(|(b, rule)| b.classes.iter().map(move |&id| (id, rule)))
        .collect();
    for (id, rule) in rules {
        let Some(written) = s.original.classes.get(id) else {
            continue;
        };
        let Some(ip0) = written.issue_price else {
            continue;
        };
        let ip = match rule {
            IssuePriceFollows::Every => {
                match (
                    written.conversion_price,
                    s.prices.get(id).copied().flatten(),
                ) {
                    (Some(cp0), Some(cp)) if !cp0.is_zero() => ip0
                        .mul(cp, "issue price as adjusted")?
                        .div(cp0, "issue price as adjusted")?,
                    _ => continue,
                }
            }
            // The scenario's splits are of common: a series' own price
            // stays as written.
            IssuePriceFollows::OwnSeries => continue,
            // `split` is new shares for old, so a price moves by old / new.
            IssuePriceFollows::SplitsOnly => ip0
                .mul(s.split.1, "issue price as adjusted")?
                .div(s.split.0, "issue price as adjusted")?,
        };
        if s.charter.classes.get(id).and_then(|c| c.issue_price) == Some(ip) {
            continue;
        }
        s.moved_issue_prices.push((id, s.date, ip));
        let charter = Arc::make_mut(&mut s.charter);
        if let Some(class) = charter.classes.get_mut(id) {
            class.issue_price = Some(ip);
        }
        rescale(&mut charter.liquidation, id, ip)?;
        for event in &mut charter.events {
            rescale(&mut event.terms, id, ip)?;
        }
    }
    Ok(())
}

/// Restates class `id`'s terms that are multiples of its issue price at
/// issue price `ip`.
fn rescale(terms: &mut Terms, id: ClassId, ip: Decimal) -> Result<(), Kind> {
    if let Some(Some(p)) = terms.preference.get_mut(id)
        && let Some(m) = p.multiple
    {
        p.per_share = m.mul(ip, "preference")?;
    }
    if let Some(Some(p)) = terms.participation.get_mut(id) {
        if let Some(m) = p.cap_multiple {
            let v = m.mul(ip, "participation cap")?;
            p.cap = p.cap.map(|c| match c {
                Cap::Total(_) => Cap::Total(v),
                Cap::More(_) => Cap::More(v),
            });
        }
        if let Some(m) = p.while_under_multiple {
            p.while_under = Some(m.mul(ip, "participation threshold")?);
        }
    }
    Ok(())
}
