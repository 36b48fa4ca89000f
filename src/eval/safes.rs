//! SAFEs in a scenario: the shares a capped SAFE converts into at a
//! Liquidity Event follow the capitalization, so an event that issues
//! shares (or options) moves them. Set before every payout with the
//! accrued dividends (`accrual::set_accrued`).

use std::sync::Arc;

use super::scenario::Scenario;
use crate::diagnostic::Kind;

/// Sets each SAFE's conversion shares from the scenario's capitalization
/// (`ir::liquidity_shares`); the charter is copied only where one moves.
pub fn refresh(s: &mut Scenario) -> Result<(), Kind> {
    if s.charter.classes.iter().all(|c| c.safe.is_none()) {
        return Ok(());
    }
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
