//! SAFEs and notes in a scenario: a note owes its principal and the
//! interest to the scenario's date, and the shares a capped SAFE or note
//! converts into follow the capitalization, so an event that issues shares
//! (or options) moves them. Set before every payout with the accrued
//! dividends (`accrual::set_accrued`).

pub mod financing;

use std::sync::Arc;

use rust_decimal::Decimal;

use super::scenario::Scenario;
use crate::diagnostic::Kind;
use crate::num::Checked;

/// Sets each note's issue price to what it owes at the scenario's date
/// (principal and interest from its issue), and its change-of-control
/// claim to its multiple of that, in every set of liquidation terms.
fn owed(s: &mut Scenario) -> Result<(), Kind> {
    let date = s.date;
    let mut owed: Vec<(usize, Decimal, Decimal)> = Vec::new();
    for (id, c) in s.charter.classes.iter().enumerate() {
        let Some(n) = c.safe.as_ref().and_then(|x| x.note.as_deref()) else {
            continue;
        };
        let interest = if date > n.issued {
            super::interest::interest(n.principal, n.interest, n.issued, date)?
        } else {
            Decimal::ZERO
        };
        let amount = n.principal.add(interest, "principal and interest")?;
        if c.issue_price != Some(amount) {
            let claim = amount.mul(n.multiple, "change-of-control amount")?;
            owed.push((id, amount, claim));
        }
    }
    if owed.is_empty() {
        return Ok(());
    }
    let charter = Arc::make_mut(&mut s.charter);
    for (id, amount, claim) in owed {
        if let Some(c) = charter.classes.get_mut(id) {
            c.issue_price = Some(amount);
        }
        let events = charter.events.iter_mut().map(|e| &mut e.terms);
        for terms in std::iter::once(&mut charter.liquidation).chain(events) {
            if let Some(Some(p)) = terms.preference.get_mut(id) {
                p.per_share = claim;
            }
        }
    }
    Ok(())
}

/// Sets each SAFE's conversion shares from the scenario's capitalization
/// (`ir::liquidity_shares`); the charter is copied only where one moves.
pub(crate) fn refresh(s: &mut Scenario) -> Result<(), Kind> {
    if s.charter.classes.iter().all(|c| c.safe.is_none()) {
        return Ok(());
    }
    owed(s)?;
    let shares = crate::ir::liquidity_shares(&s.charter.classes, &s.charter.pools)
        .map_err(Kind::Unsupported)?;
    for (id, now) in shares.into_iter().enumerate() {
        let moved = s
            .charter
            .classes
            .get(id)
            .is_some_and(|c| c.safe.is_some() && c.ratio != now);
        if moved && let Some(c) = Arc::make_mut(&mut s.charter).classes.get_mut(id) {
            c.ratio = now;
        }
    }
    Ok(())
}
