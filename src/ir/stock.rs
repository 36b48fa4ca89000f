//! Classes, named holders and option pools as checked.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

/// A class or series of stock.
#[derive(Debug, Clone)]
pub struct Class {
    /// The display name (`Series A`), as reported.
    pub name: String,
    /// The short name used in clauses (`A`).
    pub ident: String,
    /// Common rather than preferred.
    pub common: bool,
    /// Authorized shares, if stated.
    pub authorized: Option<Decimal>,
    /// Par value per share, if stated.
    pub par: Option<Decimal>,
    /// Shares outstanding.
    pub outstanding: Decimal,
    /// Original issue price, if stated.
    pub issue_price: Option<Decimal>,
    /// Common shares per share on conversion (1 for common).
    pub ratio: Option<Decimal>,
    /// Declared but unpaid dividends per share.
    pub declared_dividends: Decimal,
    /// Accrued and unpaid cumulative dividends per share, as of the scenario's
    /// date (set by the scenario before a payout).
    pub accrued_dividends: Decimal,
    /// Conversion price, where one is stated.
    pub conversion_price: Option<Decimal>,
    /// Original issue date.
    pub issued: Option<NaiveDate>,
    /// The `stock` block's span.
    pub span: Span,
}

/// A named holder's shares.
#[derive(Debug, Clone)]
pub struct Holder {
    /// Holder name.
    pub name: String,
    /// Class held.
    pub class: ClassId,
    /// Shares held.
    pub shares: Decimal,
}

/// Options or warrants outstanding.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Name, prefixed with its kind in reports.
    pub name: String,
    /// Shares it can buy.
    pub count: Decimal,
    /// The class bought.
    pub class: ClassId,
    /// Exercise price per share.
    pub strike: Decimal,
    /// Shares vested.
    pub vested: Decimal,
    /// Where it is declared.
    pub cite: Cite,
}
