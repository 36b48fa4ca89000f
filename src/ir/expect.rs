//! `expect` and `snapshot` blocks as checked: statements and claims.

use rust_decimal::Decimal;

use super::*;

/// A checked `expect` block.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// Its name, in the writer's words.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The section it interprets.
    pub section: String,
    /// The sentence it interprets, if quoted.
    pub quoting: Option<String>,
    /// Statements and claims, in order.
    pub steps: Vec<ExpectStep>,
    /// The readings it runs under, where not the file's: (reading,
    /// alternative).
    pub readings: Vec<(String, String)>,
    /// The charter lowered under those readings (the suite's own if none).
    pub charter: Option<Box<Charter>>,
}

/// A step of an expectation.
#[derive(Debug, Clone)]
pub enum ExpectStep {
    /// Run a statement on the scenario.
    Run(Box<Statement>),
    /// Compare an answer with what the charter is read to give.
    Check(Claim),
}

/// A statement written in a file, with its text for event logs.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The parsed statement; its spans point into the file.
    pub query: crate::syntax::ast::Query,
    /// The statement as written, on one line.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// A checked claim: what it says, where, and the section it rests on.
#[derive(Debug, Clone)]
pub struct Claim {
    /// What is claimed, names resolved.
    pub what: ClaimKind,
    /// The claim as written, on one line.
    pub text: String,
    /// Where it is written.
    pub span: Span,
    /// Its own section, else its block's.
    pub section: String,
}

/// Who receives, votes or elects: a class or a named holder.
#[derive(Debug, Clone, PartialEq)]
pub enum Party {
    /// A class of stock.
    Class(ClassId),
    /// A holder named in the `holders` block.
    Holder(String),
}

/// A figure written in a claim, and whether it is compared only to the
/// places written (`about`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expected {
    /// The figure.
    pub value: Decimal,
    /// Compare after rounding the actual figure to the places written.
    pub about: bool,
}

/// What a claim says.
#[derive(Debug, Clone)]
pub enum ClaimKind {
    /// `X receives $A` in all.
    ReceivesMoney(Party, Expected),
    /// `X receives $A per share`.
    ReceivesPerShare(ClassId, Expected),
    /// `X receives N shares` on conversion.
    ReceivesShares(Party, Expected),
    /// `X converts` (`true`) or `X does not convert`.
    Converts(ClassId, bool),
    /// `conversion price of X is $P`.
    ConversionPrice(ClassId, Expected),
    /// `conversion ratio of X is R`.
    ConversionRatio(ClassId, Expected),
    /// `passes`.
    Passes,
    /// `fails [on § X, ...]`: the sections of the consents not met.
    Fails(Vec<String>),
    /// `X has accrued $A`.
    Accrued(ClassId, Expected),
    /// `X has N votes`.
    Votes(Party, Expected),
    /// `X [, Y together] elect N directors`: the classes, and the seats.
    Elects(Vec<ClassId>, u32),
}

/// A checked `snapshot` block.
#[derive(Debug, Clone)]
pub struct SnapshotSpec {
    /// Its name, unique in the file.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The statements whose answers are recorded.
    pub statements: Vec<Statement>,
}
