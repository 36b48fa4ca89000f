//! Conversion rights as checked: modes, groups, cash, IPO conversion and fractional shares.

use rust_decimal::Decimal;

use super::*;

pub use crate::syntax::ast::When;

/// The conversion provisions of a charter.
#[derive(Debug, Clone, Default)]
pub struct Conversions {
    /// Conversion right of each class (indexed by [`ClassId`]).
    pub rights: Vec<Option<ConversionRight>>,
    /// Groups whose conversion is decided by one election.
    pub groups: Vec<Group>,
    /// How fractional shares on conversion are settled.
    pub fractional: Option<Fractional>,
    /// Automatic conversion on a public offering.
    pub automatic_ipo: Vec<AutomaticIpo>,
    /// Automatic conversion on a vote of holders.
    pub automatic_vote: Vec<AutomaticVote>,
    /// Conversion at the greater of two ratios in a low-priced offering.
    pub ipo_ratchets: Vec<IpoRatchet>,
    /// Conversion price resets to a share of the offering price.
    pub ipo_resets: Vec<IpoReset>,
    /// Funds short of the cash owed on conversion are applied ratably, the
    /// rest owed until more are available: the clause.
    pub cash_shortfall: Option<Cite>,
}

/// How fractional shares are settled.
#[derive(Debug, Clone)]
pub struct Fractional {
    /// The rule.
    pub mode: FractionMode,
    /// Whether a holder's shares are added up before rounding.
    pub aggregated: bool,
    /// The clause.
    pub cite: Cite,
}

/// The minimum offering price per share.
#[derive(Debug, Clone, PartialEq)]
pub enum PriceMinimum {
    /// A fixed price (adjusted for later splits).
    Fixed(Decimal),
    /// A multiple of a price.
    Multiple {
        /// The multiple.
        multiple: Decimal,
        /// Conversion or issue price.
        basis: PriceBasis,
        /// Whose; the converting class's own when `None`.
        of: Option<ClassId>,
    },
}

/// A test of an offering.
#[derive(Debug, Clone, PartialEq)]
pub enum IpoTest {
    /// Of the price per share.
    Price {
        /// `>` rather than `>=`.
        strict: bool,
        /// The minimums, joined by `or`: the price passes by meeting any.
        minimums: Vec<PriceMinimum>,
    },
    /// Of the proceeds.
    Proceeds {
        /// Net rather than gross.
        net: bool,
        /// `>` rather than `>=`.
        strict: bool,
        /// The minimum.
        minimum: Decimal,
    },
}

/// Classes that convert automatically on an offering that passes every test.
#[derive(Debug, Clone)]
pub struct AutomaticIpo {
    /// The classes.
    pub classes: Vec<ClassId>,
    /// The tests.
    pub tests: Vec<IpoTest>,
    /// The clause.
    pub cite: Cite,
}

/// Who votes on an automatic conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum VoteScope {
    /// Each class separately, by shares.
    Each(Vec<ClassId>),
    /// The classes together; as converted when `true`, else by shares.
    Together(Vec<ClassId>, bool),
}

/// Classes that convert automatically on a vote.
#[derive(Debug, Clone)]
pub struct AutomaticVote {
    /// The classes.
    pub classes: Vec<ClassId>,
    /// The threshold.
    pub threshold: Threshold,
    /// Who votes.
    pub scope: VoteScope,
    /// The clause.
    pub cite: Cite,
}

/// Conversion at the greater of `numerator / IPO price` and the usual ratio,
/// in an offering priced below `below`.
#[derive(Debug, Clone)]
pub struct IpoRatchet {
    /// The class.
    pub class: ClassId,
    /// The price below which it applies (adjusted for later splits).
    pub below: Decimal,
    /// The numerator of the offering ratio (adjusted for later splits).
    pub numerator: Decimal,
    /// The clause.
    pub cite: Cite,
}

/// A conversion price reset to a fraction of the offering price when the
/// registration statement is filed within a window after original issue.
#[derive(Debug, Clone)]
pub struct IpoReset {
    /// The class.
    pub class: ClassId,
    /// The fraction of the offering price.
    pub fraction: Decimal,
    /// The window.
    pub within: Duration,
    /// Only where it lowers the conversion price.
    pub lower_only: bool,
    /// The clause.
    pub cite: Cite,
}

/// How a class may convert.
#[derive(Debug, Clone)]
pub enum ConversionMode {
    /// Each holder, at its option.
    Optional,
    /// All members of a group together, on one election.
    Group(usize),
}

/// A class's right to convert into common.
#[derive(Debug, Clone)]
pub struct ConversionRight {
    /// How it is exercised.
    pub mode: ConversionMode,
    /// Cash received per share on conversion, before declared dividends.
    pub cash_per_share: Decimal,
    /// The cash adds the class's declared but unpaid dividends, as they
    /// stand when it converts (a scenario's declarations included).
    pub cash_plus_declared: bool,
    /// The conversion clause.
    pub cite: Cite,
    /// The cash clause, if any.
    pub cash_cite: Option<Cite>,
    /// Classes whose rank the cash is paid ahead of (`, ahead of A, B`);
    /// empty: in the converting class's own rank.
    pub cash_ahead_of: Vec<ClassId>,
}

/// Classes that convert together on one election.
#[derive(Debug, Clone)]
pub struct Group {
    /// Classes that convert.
    pub members: Vec<ClassId>,
    /// Classes whose holders vote, together as one class.
    pub electors: Vec<ClassId>,
    /// The election's threshold.
    pub threshold: Threshold,
    /// The clause.
    pub cite: Cite,
}
