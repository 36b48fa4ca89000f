//! Statements of the query language, as the REPL, `query` and `expect` blocks write them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

/// How a `curve` statement samples its range.
#[derive(Debug, Clone, PartialEq)]
pub enum CurveStep {
    /// `in N steps`.
    Steps(Spanned<Decimal>),
    /// `by $STEP`.
    By(Spanned<Decimal>),
}

/// The REPL's `compare with FILE [FROM TO] [as EVENT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareWith {
    /// The file compared with.
    pub file: Spanned<String>,
    /// The range of exits, if given.
    pub range: Option<(Spanned<Decimal>, Spanned<Decimal>)>,
    /// The event, if any.
    pub event: Option<Spanned<String>>,
}

/// The equity value of a `value` statement: given, or backsolved.
#[derive(Debug, Clone, PartialEq)]
pub enum EquityBasis {
    /// `at $100M`.
    At(Spanned<Decimal>),
    /// `solving B at $2.10 per share`: the equity value at which that class
    /// (or pool, or named holder) is worth that much a share.
    Solving {
        /// The class, pool or named holder.
        party: Spanned<String>,
        /// Its price per share.
        price: Spanned<Decimal>,
    },
}

/// What a party must receive in `solve exit where X receives ...`.
#[derive(Debug, Clone, PartialEq)]
pub enum SolveTarget {
    /// `$10M`.
    Amount(Decimal),
    /// `3x its investment`: a multiple of what it paid (shares times the
    /// original issue price).
    Multiple(Decimal),
    /// `$2.50 per share`: an amount on each share it holds.
    PerShare(Decimal),
}

/// A statement of the query language.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// `breakpoints [as EVENT] [up to $X]`
    Breakpoints {
        /// The event, if any.
        event: Option<Spanned<String>>,
        /// The highest exit asked about.
        upto: Option<Spanned<Decimal>>,
        /// The statement's span.
        span: Span,
    },
    /// `curve FROM TO [in N steps | by STEP] [as EVENT]`
    Curve {
        /// First exit.
        from: Spanned<Decimal>,
        /// Last exit.
        to: Spanned<Decimal>,
        /// The sampling, if given (else 100 steps).
        step: Option<CurveStep>,
        /// The event, if any.
        event: Option<Spanned<String>>,
    },
    /// `solve exit where X receives TARGET [as EVENT]`
    Solve {
        /// The class, named holder, pool or group.
        party: Spanned<String>,
        /// Parties that receive with it, as one (`"Ada" and "Ben" receive
        /// $20M`).
        with: Vec<Spanned<String>>,
        /// What it must receive.
        target: Spanned<SolveTarget>,
        /// The event, if any.
        event: Option<Spanned<String>>,
    },
    /// `value at $EQUITY volatility P% term N years rate P% [as EVENT]`
    Value {
        /// Total equity value, or what to solve it for.
        equity: EquityBasis,
        /// Volatility a year, as a fraction.
        volatility: Spanned<Decimal>,
        /// Years to the exit.
        term: Spanned<Decimal>,
        /// Risk-free rate a year, as a fraction.
        rate: Spanned<Decimal>,
        /// The event, if any.
        event: Option<Spanned<String>>,
    },
    /// `payout AMOUNT [as EVENT]`
    Payout {
        /// The exit amount.
        amount: Spanned<Decimal>,
        /// The event, if any.
        event: Option<Spanned<String>>,
    },
    /// `issue N CLASS at $P [fees $F] [on DATE] [excluded as CATEGORY]`
    Issue {
        /// Shares issued.
        count: Spanned<Decimal>,
        /// The class issued.
        class: Spanned<String>,
        /// Price per share.
        price: Spanned<Decimal>,
        /// Fees paid out of the proceeds.
        fees: Option<Spanned<Decimal>>,
        /// When.
        date: Option<Spanned<NaiveDate>>,
        /// The excluded category claimed.
        excluded: Option<Spanned<String>>,
        /// The options reserved and not granted before the round.
        unissued: Option<Spanned<Decimal>>,
        /// The increase of that pool the round requires.
        increase: Option<Spanned<Decimal>>,
    },
    /// `grant N options at $P [vested M] [on DATE] [excluded as CATEGORY]`
    Grant {
        /// Options granted.
        count: Spanned<Decimal>,
        /// Exercise price.
        price: Spanned<Decimal>,
        /// Options vested, if fewer than all.
        vested: Option<Spanned<Decimal>>,
        /// When.
        date: Option<Spanned<NaiveDate>>,
        /// The excluded category claimed.
        excluded: Option<Spanned<String>>,
    },
    /// `split N:M` or `combine N:M`: N new shares for every M held.
    Split {
        /// Whether written `combine`.
        combine: bool,
        /// New shares.
        new: Spanned<Decimal>,
        /// For every so many old shares.
        old: Spanned<Decimal>,
        /// When.
        date: Option<Spanned<NaiveDate>>,
    },
    /// `ipo at $P raising $X [net $Y] [filed DATE] [on DATE]`
    Ipo {
        /// Price per share.
        price: Spanned<Decimal>,
        /// Gross proceeds.
        gross: Spanned<Decimal>,
        /// Net proceeds.
        net: Option<Spanned<Decimal>>,
        /// When the registration statement was filed.
        filed: Option<Spanned<NaiveDate>>,
        /// When it closes.
        date: Option<Spanned<NaiveDate>>,
    },
    /// `conversion prices`
    Prices,
    /// `convert CLASS [for "HOLDER"] [at $FMV]`
    Convert {
        /// The class.
        class: Spanned<String>,
        /// One holder.
        holder: Option<Spanned<String>>,
        /// Fair market value of a common share, for cash in lieu.
        fmv: Option<Spanned<Decimal>>,
        /// Funds legally available for the cash owed on conversion.
        funds: Option<Spanned<Decimal>>,
    },
    /// `explain conversion price CLASS`
    Explain {
        /// The class.
        class: Spanned<String>,
    },
    /// `on DATE`
    On(Spanned<NaiveDate>),
    /// `approve ACTION [at $P per share] [on DATE] [affecting X] [with CLASS P%, ...] [and "H" yes|no, ...]`
    Approve {
        /// The action.
        action: Spanned<String>,
        /// The price per share in the transaction.
        price: Option<Spanned<Decimal>>,
        /// The date of the vote.
        date: Option<Spanned<NaiveDate>>,
        /// Series affected differently from the others.
        affecting: Vec<Spanned<String>>,
        /// The share of the surviving entity the stockholders keep.
        kept: Option<Spanned<Decimal>>,
        /// The share of each class voting for.
        votes: Vec<(Spanned<String>, Spanned<Decimal>)>,
        /// Named holders' own votes.
        holders: Vec<(Spanned<String>, bool)>,
        /// Whether any votes were given (`with ...`).
        counted: bool,
    },
    /// `votes`
    Votes,
    /// `board [of N]`
    Board(Option<Spanned<Decimal>>),
    /// `declare dividend $X [to A, B] [on DATE]`
    Declare {
        /// The amount declared.
        amount: Spanned<Decimal>,
        /// The classes the rest is declared on, where the charter leaves it
        /// to the Board.
        to: Vec<Spanned<String>>,
        /// When.
        date: Option<Spanned<NaiveDate>>,
    },
    /// `redeem on DATE [funds $X] [requests A P%, ...] [at $FMV]`
    Redeem {
        /// The date.
        date: Spanned<NaiveDate>,
        /// Funds legally available, if limited.
        funds: Option<Spanned<Decimal>>,
        /// The share of eligible shares each class requests (all, when not named).
        requests: Vec<(Spanned<String>, Spanned<Decimal>)>,
        /// Fair market value per share, where a price depends on it.
        fmv: Option<Spanned<Decimal>>,
        /// Upon a transaction not treated as a liquidation.
        upon_transaction: bool,
    },
    /// `accrued [CLASS] [on DATE]`
    Accrued {
        /// One class, or all.
        class: Option<Spanned<String>>,
        /// As of when.
        date: Option<Spanned<NaiveDate>>,
    },
}
