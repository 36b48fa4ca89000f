//! Redemption as checked: schedules, prices, order and the late penalty.

use rust_decimal::Decimal;

use super::*;

/// A tranche: up to a fraction `(numerator, denominator)` of the shares (all
/// when `None`), whether it carries over earlier eligible shares, and when.
pub type RedemptionTranche = (Option<(Decimal, Decimal)>, Carry, When);

/// A redemption schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The classes.
    pub classes: Vec<ClassId>,
    /// On election of a threshold of these classes; at each holder's request when `None`.
    pub election: Option<(Threshold, Vec<ClassId>)>,
    /// The tranches: up to a fraction (or all), with carry-over, and when.
    pub tranches: Vec<RedemptionTranche>,
    /// The clause.
    pub cite: Cite,
}

/// Redemption provisions.
#[derive(Debug, Clone)]
pub struct Redemption {
    /// Schedules.
    pub schedules: Vec<Schedule>,
    /// Per class: the greater of fair market value and the preference (else the preference), and its clause.
    pub price: Vec<Option<(bool, Cite)>>,
    /// Classes redeemed before others.
    pub order: Vec<(Vec<ClassId>, Vec<ClassId>, Cite)>,
    /// A shortfall shared by redemption amount (else by shares requested), and its clause.
    pub shortfall: Option<(bool, Cite)>,
    /// Late penalty per annum, compounded annually.
    pub penalty: Option<Penalty>,
    /// Redemption only while no public offering has been made, and its
    /// clause.
    pub before_offering: Option<Cite>,
    /// The block.
    pub cite: Cite,
}

/// A late penalty on redemptions not paid when due: a rate a year,
/// compounded annually.
#[derive(Debug, Clone)]
pub struct Penalty {
    /// The rate a year.
    pub rate: Decimal,
    /// How a part of a year counts; `None`: the charter file does not say.
    pub part_year: Option<PartYear>,
    /// The clause.
    pub cite: Cite,
}
