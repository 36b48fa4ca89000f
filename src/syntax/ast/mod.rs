//! The typed syntax tree of a `.charter` file, as written: names are not yet
//! resolved and nothing is validated. Every node carries the byte span of the
//! text it came from, so that later stages can point back into the file.

use rust_decimal::Decimal;

pub use crate::diagnostic::Span;

pub mod antidilution;
pub mod conversion;
pub mod dividends;
pub mod expect;
pub mod liquidation;
pub mod redemption;
pub mod statement;
pub mod stock;
pub mod voting;

pub use antidilution::*;
pub use conversion::*;
pub use dividends::*;
pub use expect::*;
pub use liquidation::*;
pub use redemption::*;
pub use statement::*;
pub use stock::*;
pub use voting::*;

/// A value with the span it was written at. Equality ignores the span, so
/// that tree comparisons in tests do not depend on layout.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// A section citation such as `§ A.1(e)`; `None` where a clause cites none.
pub type Cite = Option<Spanned<String>>;

/// A whole file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    /// The blocks in the order written.
    pub items: Vec<Spanned<Item>>,
}

/// One top-level block.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `charter "Name" { ... }`
    Header(Header),
    /// `stock A "Series A" { ... }`
    Stock(Stock),
    /// `safe Seed "Seed SAFE" { ... }`
    Safe(Safe),
    /// `note Bridge "Bridge Note" { ... }`
    Note(Note),
    /// `holders { ... }`
    Holders(Vec<Spanned<Holding>>),
    /// `options ...` / `warrants ...`
    Pool(Pool),
    /// `group "Founders": "Ada", "Ben"`
    Group(PartyGroup),
    /// `liquidation { ... }`
    Liquidation(Liquidation),
    /// `deemed liquidation "Name" { ... }`
    Deemed(Deemed),
    /// `conversion { ... }`
    Conversion(Conversion),
    /// `anti-dilution A, B { ... }`
    AntiDilution(AntiDilution),
    /// `voting { ... }`
    Voting(Voting),
    /// `protective provisions { ... }`
    Protective(Protective),
    /// `dividends { ... }`
    Dividends(Dividends),
    /// `redemption { ... }`
    Redemption(Redemption),
    /// `expect "name" § X { ... }`
    Expect(Expect),
    /// `snapshot "name" { ... }`
    Snapshot(Snapshot),
    /// `todo "..."`: a term not stated yet, which the checker reports.
    Todo(Spanned<String>),
}

/// A clause with its span and citation.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause<T> {
    /// The clause.
    pub node: T,
    /// Where it was written.
    pub span: Span,
    /// Section cited.
    pub cite: Cite,
    /// The reading it belongs to, if it is one of several the file offers.
    pub reading: Option<Alternative>,
}

/// Which alternative of which reading a clause is written under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The reading's name: `day count`.
    pub reading: String,
    /// The alternative's name: `actual/365`.
    pub name: String,
}

/// `reading "NAME" § X quoting "..." { "A" { ... } "B" { ... } }`: where the
/// text allows more than one reading, the clauses of each; the first is
/// taken unless another is chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Its name.
    pub name: Spanned<String>,
    /// The section whose words are read.
    pub cite: Cite,
    /// The words, if quoted.
    pub quoting: Option<String>,
    /// The alternatives' names, in order: the first is the file's.
    pub alternatives: Vec<Spanned<String>>,
}

/// A threshold of holders.
#[derive(Debug, Clone, PartialEq)]
pub enum Threshold {
    /// More than half.
    Majority,
    /// At least this percentage (as a fraction: 50% is 0.5).
    Percent(Spanned<Decimal>),
    /// At least this exact fraction, numerator and denominator (`2/3`).
    Fraction(Spanned<(Decimal, Decimal)>),
}

/// A length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// So many days.
    Days(u32),
    /// So many calendar months.
    Months(u32),
    /// So many years.
    Years(u32),
}
