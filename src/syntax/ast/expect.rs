//! `expect` and `snapshot` blocks: steps and claims.

use rust_decimal::Decimal;

use super::*;

/// `expect "name" § X [quoting "..."] { ... }`: a scenario and the answers
/// the charter is read to give in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// What the expectation is about, in the writer's words.
    pub name: Spanned<String>,
    /// The section it interprets.
    pub section: Spanned<String>,
    /// The sentence it interprets, if quoted.
    pub quoting: Option<Spanned<String>>,
    /// The readings it runs under (`under reading "X" is "Y"`), if not the
    /// file's.
    pub readings: Vec<(Spanned<String>, Spanned<String>)>,
    /// Statements and expected answers, in order.
    pub steps: Vec<Step>,
}

/// One line of an `expect` block.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A statement of the query language, run on the scenario; the span
    /// covers the statement's text.
    Statement(Spanned<Query>),
    /// An expected answer.
    Claim(Clause<Claim>),
}

/// An expected answer, as a lawyer would state it.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// `X receives [about] FIGURE`: from the latest payout, dividend,
    /// redemption or conversion.
    Receives {
        /// A class or a named holder.
        who: Spanned<String>,
        /// Compared at the places written.
        about: bool,
        /// What is received.
        figure: Figure,
    },
    /// `X converts` / `X does not convert`.
    Converts {
        /// The class.
        class: Spanned<String>,
        /// Whether it converts.
        yes: bool,
    },
    /// `conversion price of X is [about] $P`.
    ConversionPrice {
        /// The class.
        class: Spanned<String>,
        /// Compared at the places written.
        about: bool,
        /// The price.
        value: Spanned<Decimal>,
    },
    /// `conversion ratio of X is [about] R`.
    ConversionRatio {
        /// The class.
        class: Spanned<String>,
        /// Compared at the places written.
        about: bool,
        /// Common shares per share.
        value: Spanned<Decimal>,
    },
    /// `passes`: the latest approval passes.
    Passes,
    /// `fails [on § X, § Y]`: the latest approval fails, on exactly these consents if named.
    Fails {
        /// The sections of the consents not met.
        on: Vec<Spanned<String>>,
    },
    /// `X has accrued [about] $A`: cumulative dividends accrued and unpaid.
    Accrued {
        /// The class.
        class: Spanned<String>,
        /// Compared at the places written.
        about: bool,
        /// The amount for the class.
        value: Spanned<Decimal>,
    },
    /// `X has [about] N votes`: from the latest `votes`.
    Votes {
        /// A class or a named holder.
        who: Spanned<String>,
        /// Compared at the places written.
        about: bool,
        /// The votes.
        value: Spanned<Decimal>,
    },
    /// `X [, Y together] elect N directors`: from the latest `board`.
    Elects {
        /// The classes that elect the seats together.
        who: Vec<Spanned<String>>,
        /// The seats.
        seats: Spanned<Decimal>,
    },
}

/// What an expectation says is received.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// `$A`: in all.
    Money(Spanned<Decimal>),
    /// `$A per share`.
    PerShare(Spanned<Decimal>),
    /// `N shares`: of common, on conversion.
    Shares(Spanned<Decimal>),
}

/// `snapshot "name" [§ X] { statements }`: statements whose whole answers
/// are recorded beside the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The snapshot's name, unique in the file.
    pub name: Spanned<String>,
    /// Section cited, if any.
    pub cite: Cite,
    /// The statements, in order.
    pub statements: Vec<Spanned<Query>>,
}
