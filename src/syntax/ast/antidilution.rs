//! The anti-dilution block: formulas, exclusions and rounding.

use rust_decimal::Decimal;

use super::*;

/// What the weighted-average formula counts as outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Common stock outstanding.
    Common,
    /// Preferred stock, as converted.
    Preferred,
    /// Options, vested or not.
    Options,
    /// Options to the extent vested.
    VestedOptions,
    /// Other convertible securities (warrants for preferred), as converted.
    Convertibles,
}

/// The unit prices are rounded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingUnit {
    /// To the cent.
    Cent,
    /// To the hundredth of a cent.
    HundredthCent,
}

/// One clause of an anti-dilution block.
#[derive(Debug, Clone, PartialEq)]
pub enum AntiDilutionClause {
    /// `weighted average counting ...`
    WeightedAverage(Vec<Spanned<Basis>>),
    /// `full ratchet [for X] [through D after original issue]`
    FullRatchet {
        /// Classes it applies to (all of the block's when empty).
        classes: Vec<Spanned<String>>,
        /// The window after original issue.
        window: Option<Spanned<Duration>>,
    },
    /// `round [weighted average] to nearest UNIT [and 1/10 share]`
    Rounding {
        /// The unit.
        unit: RoundingUnit,
        /// Only the weighted-average computation, rather than every adjustment.
        weighted_only: bool,
        /// Share counts in the computation to the nearest tenth of a share.
        share_tenths: bool,
    },
    /// `excluded CATEGORY [up to N shares]`
    Excluded {
        /// The category.
        category: Spanned<String>,
        /// The cap on shares.
        cap: Option<Spanned<Decimal>>,
    },
    /// `no adjustment under $X [, carried forward D]`
    MinimumAdjustment {
        /// The minimum.
        amount: Spanned<Decimal>,
        /// How long a smaller adjustment is carried.
        carry: Option<Spanned<Duration>>,
    },
    /// `consideration gross` / `consideration net of fees`
    Consideration {
        /// Net of fees.
        net: bool,
    },
    /// `splits and combinations adjust proportionally`
    Splits,
    /// `original issue price adjusted likewise [for splits and combinations
    /// [of its own series]]`
    IssuePriceFollows {
        /// With splits and combinations only (else with every adjustment).
        splits_only: bool,
        /// With its own series' splits and combinations only.
        own_series: bool,
    },
}

/// An anti-dilution block.
#[derive(Debug, Clone, PartialEq)]
pub struct AntiDilution {
    /// Classes protected.
    pub classes: Vec<Spanned<String>>,
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<AntiDilutionClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}
