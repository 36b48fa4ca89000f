//! What a scenario owes: redemptions that funds did not cover, paid first
//! when funds allow. A module of its own, below both the scenario that holds
//! them and the redemption that creates and pays them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ir::ClassId;

/// An obligation to redeem that funds did not cover.
#[derive(Debug, Clone)]
pub struct Obligation {
    /// The class.
    pub class: ClassId,
    /// Shares still to be redeemed.
    pub shares: Decimal,
    /// Price per share when due.
    pub price: Decimal,
    /// When it was due.
    pub due: NaiveDate,
}
