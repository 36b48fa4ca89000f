//! Anti-dilution as checked: formulas, exclusions, rounding and ratchets.

use rust_decimal::Decimal;

use super::*;

/// A full ratchet.
#[derive(Debug, Clone)]
pub struct Ratchet {
    /// Classes it protects.
    pub classes: Vec<ClassId>,
    /// Window after each class's original issue; always when `None`.
    pub window: Option<Duration>,
    /// The clause.
    pub cite: Cite,
}

/// How an anti-dilution block rounds.
#[derive(Debug, Clone)]
pub struct Rounding {
    /// The unit prices are rounded to.
    pub unit: RoundingUnit,
    /// Only weighted-average prices, rather than every adjustment.
    pub weighted_only: bool,
    /// Share counts in the computation to the nearest tenth.
    pub share_tenths: bool,
    /// The clause.
    pub cite: Cite,
}

/// A category of issuance that does not adjust conversion prices.
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// Its name.
    pub category: String,
    /// At most so many shares.
    pub cap: Option<Decimal>,
    /// The clause.
    pub cite: Cite,
}

/// Anti-dilution protection for a set of classes.
#[derive(Debug, Clone)]
pub struct AntiDilution {
    /// Classes protected.
    pub classes: Vec<ClassId>,
    /// The weighted average: what it counts as outstanding, and its clause.
    pub weighted: Option<(Vec<Basis>, Cite)>,
    /// Full ratchets.
    pub ratchets: Vec<Ratchet>,
    /// Rounding of prices and share counts.
    pub rounding: Option<Rounding>,
    /// Excluded issuances.
    pub excluded: Vec<Exclusion>,
    /// Minimum adjustment and how long a smaller one is carried.
    pub minimum: Option<(Decimal, Option<Duration>, Cite)>,
    /// Consideration net of fees (else gross).
    pub net_of_fees: bool,
    /// The splits clause.
    pub splits: Option<Cite>,
    /// Whether the classes' original issue prices move with their
    /// conversion prices, and with which adjustments.
    pub issue_price: Option<(IssuePriceFollows, Cite)>,
    /// The block.
    pub cite: Cite,
}

/// Which adjustments of a conversion price the original issue price follows
/// ("subject to adjustment in the same manner as the Conversion Price",
/// 000 section 2(a)(i)-(iii)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuePriceFollows {
    /// Every adjustment: the issue price stays in the same proportion to
    /// the conversion price.
    Every,
    /// Splits, combinations and stock dividends of common only.
    SplitsOnly,
    /// Splits and combinations of the series itself only: a split of
    /// common leaves the issue price where it is.
    OwnSeries,
}
