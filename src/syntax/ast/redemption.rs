//! The redemption block: schedules, prices, order, shortfall and late penalty.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

/// When a redemption tranche falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// On a date.
    Date(NaiveDate),
    /// On an anniversary of the class's original issue.
    Anniversary(u32),
    /// Upon a transaction not treated as a liquidation.
    Transaction,
}

/// One tranche of a redemption schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Tranche {
    /// Up to this fraction (numerator, denominator); all when `None`.
    pub fraction: Option<(Decimal, Decimal)>,
    /// What it adds of the tranche before.
    pub carry_over: Carry,
    /// When.
    pub when: When,
}

/// What a redemption tranche adds of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Nothing.
    None,
    /// `plus carry-over`: the shares eligible then and not redeemed.
    Unredeemed,
    /// `plus all eligible before`: every share eligible then.
    AllEligible,
    /// `in all`: not a share of what is held now but of what was held at
    /// the first tranche, less the shares redeemed or owed since.
    InAll,
}

/// One clause of a redemption block.
#[derive(Debug, Clone, PartialEq)]
pub enum RedemptionClause {
    /// `X redeemable ...: TRANCHES`
    Schedule {
        /// The classes.
        classes: Vec<Spanned<String>>,
        /// On election of a threshold of these classes; at each holder's request when `None`.
        election: Option<(Threshold, Vec<Spanned<String>>)>,
        /// The tranches.
        tranches: Vec<Spanned<Tranche>>,
    },
    /// `price X: preference` / `price X: the greater of fair market value and preference`
    Price {
        /// The classes.
        classes: Vec<Spanned<String>>,
        /// The greater of fair market value and the preference.
        greater_of_value: bool,
    },
    /// `X before Y`
    Order {
        /// Redeemed first.
        first: Vec<Spanned<String>>,
        /// After.
        then: Vec<Spanned<String>>,
    },
    /// `only before any public offering`
    BeforeOffering,
    /// `insufficient funds: pro rata by ...`
    Shortfall {
        /// By redemption amount rather than shares requested.
        by_amount: bool,
    },
    /// `late: P% per annum compounded annually[, a part of a year ...]`
    Penalty {
        /// The rate a year.
        rate: Spanned<Decimal>,
        /// How a part of a year counts, where stated.
        part_year: Option<PartYear>,
    },
}

/// How a late penalty counts a part of a year after its last whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartYear {
    /// Simple, in proportion to its days over 365.
    ProRata,
    /// Not at all: the penalty grows on each anniversary only.
    NotCounted,
}

/// The redemption block.
#[derive(Debug, Clone, PartialEq)]
pub struct Redemption {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<RedemptionClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}
