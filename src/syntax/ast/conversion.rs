//! The conversion block: rights, groups, IPO conversion and fractional shares.

use rust_decimal::Decimal;

use super::*;

/// How fractional shares on conversion are settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FractionMode {
    /// Whole shares, and cash for the fraction.
    CashInLieu,
    /// Rounded to the nearest whole share.
    RoundNearest,
    /// Rounded down, the fraction forfeited.
    RoundDown,
    /// Rounded to the nearest tenth of a share.
    RoundTenth,
}

/// The price basis of an IPO price test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceBasis {
    /// A multiple of a conversion price.
    ConversionPrice,
    /// A multiple of an original issue price.
    IssuePrice,
}

/// The minimum IPO price per share.
#[derive(Debug, Clone, PartialEq)]
pub enum PriceMinimum {
    /// A fixed price.
    Fixed(Spanned<Decimal>),
    /// A multiple of a class's price (the converting class's own when `of` is absent).
    Multiple {
        /// The multiple.
        multiple: Spanned<Decimal>,
        /// Conversion or issue price.
        basis: PriceBasis,
        /// Whose price.
        of: Option<Spanned<String>>,
    },
}

/// One test an IPO must pass for automatic conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum IpoTest {
    /// The price per share.
    Price {
        /// `>` rather than `>=`.
        strict: bool,
        /// The minimums, joined by `or`: the price passes by meeting any.
        minimums: Vec<PriceMinimum>,
    },
    /// The proceeds.
    Proceeds {
        /// Net of underwriting rather than gross.
        net: bool,
        /// `>` rather than `>=`.
        strict: bool,
        /// The minimum.
        minimum: Spanned<Decimal>,
    },
}

/// Who votes on an automatic conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum VoteScope {
    /// Each listed series separately.
    Each(Vec<Spanned<String>>),
    /// The listed series together, by shares or as converted.
    Together(Vec<Spanned<String>>, bool),
}

/// One clause of a conversion block.
#[derive(Debug, Clone, PartialEq)]
pub enum ConversionClause {
    /// `X do not convert`
    None(Vec<Spanned<String>>),
    /// `X convert at the holder's option`
    Optional(Vec<Spanned<String>>),
    /// `X convert together on election of T of Y`
    Group {
        /// Classes that convert.
        classes: Vec<Spanned<String>>,
        /// The threshold of the election.
        threshold: Threshold,
        /// Classes whose holders vote, together as one class.
        electors: Vec<Spanned<String>>,
    },
    /// `cash on conversion A $X, B $Y per share [plus declared dividends]`
    Cash {
        /// Cash per share, by class.
        items: Vec<(Spanned<String>, Spanned<Decimal>)>,
        /// Whether declared unpaid dividends are added.
        plus_dividends: bool,
        /// `, ahead of A, B`: paid before those classes' rank.
        ahead_of: Vec<Spanned<String>>,
    },
    /// `short of cash on conversion: ratably, the rest when funds allow`
    CashShortfall,
    /// `fractional shares: MODE [, aggregated per holder]`
    Fractional {
        /// How fractions are settled.
        mode: FractionMode,
        /// Whether a holder's shares are added up before rounding.
        aggregated: bool,
    },
    /// `X convert automatically on ipo: TESTS`
    AutomaticIpo {
        /// Classes that convert.
        classes: Vec<Spanned<String>>,
        /// Tests, all of which must pass.
        tests: Vec<Spanned<IpoTest>>,
    },
    /// `X convert automatically on approval of T of SCOPE`
    AutomaticVote {
        /// Classes that convert.
        classes: Vec<Spanned<String>>,
        /// The threshold.
        threshold: Threshold,
        /// Who votes.
        scope: VoteScope,
    },
    /// `X on ipo below $P converts at the greater of $N / ipo price and original issue price / conversion price`
    IpoRatchet {
        /// The class.
        class: Spanned<String>,
        /// Applies when the IPO price is below this.
        below: Spanned<Decimal>,
        /// The numerator of the IPO ratio.
        numerator: Spanned<Decimal>,
    },
    /// `X conversion price becomes P% of the ipo price if filed within D of original issue`
    IpoReset {
        /// The class.
        class: Spanned<String>,
        /// The fraction of the IPO price.
        fraction: Spanned<Decimal>,
        /// The filing window.
        within: Spanned<Duration>,
        /// Only where it lowers the conversion price.
        lower_only: bool,
    },
}

/// The conversion block.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<ConversionClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}
