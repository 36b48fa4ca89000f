//! The voting and protective-provision blocks: votes, board seats and consents.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

/// How many directors a seat clause gives.
#[derive(Debug, Clone, PartialEq)]
pub enum SeatCount {
    /// A fixed number.
    Fixed(Spanned<Decimal>),
    /// The directors no other clause elects.
    Rest,
    /// A fraction of the board, rounded to the nearest whole director.
    Share(Spanned<(Decimal, Decimal)>),
}

/// `X elects N`.
#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    /// Who elects.
    pub electors: Vec<Spanned<String>>,
    /// Voting as converted (else by their votes).
    pub as_converted: bool,
    /// How many.
    pub count: SeatCount,
}

/// One clause of a voting block.
#[derive(Debug, Clone, PartialEq)]
pub enum VotingClause {
    /// `X: N votes per share [as converted]`
    Votes {
        /// The classes.
        classes: Vec<Spanned<String>>,
        /// Votes per share (or per common share as converted).
        per_share: Spanned<Decimal>,
        /// Counted on the common shares the class converts into.
        as_converted: bool,
    },
    /// `X: no votes`
    NonVoting(Vec<Spanned<String>>),
    /// `fractional votes: MODE [, aggregated per holder]`
    Fractional {
        /// How fractions are rounded.
        mode: FractionMode,
        /// Per holder, after adding up its shares.
        aggregated: bool,
    },
    /// `board: SEATS`
    Board(Vec<Spanned<Seat>>),
    /// `cumulative voting for directors`
    Cumulative,
    /// `during a voting shift: board of at least N: SEATS`
    Shift {
        /// The smallest board during the shift.
        minimum: Spanned<Decimal>,
        /// Who elects whom during the shift.
        seats: Vec<Spanned<Seat>>,
    },
}

/// The voting block.
#[derive(Debug, Clone, PartialEq)]
pub struct Voting {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<VotingClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}

/// What a consent counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteBasis {
    /// Shares outstanding.
    Shares,
    /// Common shares as converted.
    AsConverted,
    /// Votes, with the voting block's multipliers and rounding.
    VotingPower,
}

/// Who a consent asks.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsentGroup {
    /// Each class separately.
    Each(Vec<Spanned<String>>),
    /// The classes together as one.
    Together(Vec<Spanned<String>>),
    /// Each series affected differently from the others, separately.
    Affected,
}

/// `THRESHOLD of GROUP [BASIS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentPart {
    /// The threshold.
    pub threshold: Threshold,
    /// Who votes.
    pub group: ConsentGroup,
    /// What is counted (shares, when not stated).
    pub basis: Option<VoteBasis>,
}

/// A condition on a consent.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsentCondition {
    /// `while more than N shares of X outstanding`
    MoreThan {
        /// The count.
        count: Spanned<Decimal>,
        /// Whose shares.
        classes: Vec<Spanned<String>>,
    },
    /// `while at least N shares of X outstanding`
    AtLeast {
        /// The count.
        count: Spanned<Decimal>,
        /// Whose shares.
        classes: Vec<Spanned<String>>,
    },
    /// `while any shares of X outstanding`
    Any(Vec<Spanned<String>>),
    /// `including "H1", "H2" while they hold P% of X`
    Including {
        /// The holders.
        holders: Vec<Spanned<String>>,
        /// While they hold at least this fraction.
        share: Spanned<Decimal>,
        /// Of this class.
        class: Spanned<String>,
    },
    /// `unless stockholders keep more than P%`
    UnlessKept(Spanned<Decimal>),
    /// `if price per share < Mx original issue price of X [until DATE, Nx after]`
    Price {
        /// The multiple (until the date, if one is given).
        multiple: Spanned<Decimal>,
        /// Whose issue price.
        class: Spanned<String>,
        /// After this date, the second multiple.
        until: Option<(Spanned<NaiveDate>, Spanned<Decimal>)>,
    },
}

/// One clause of a protective-provisions block.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtectiveClause {
    /// `action NAME "description"`
    Action {
        /// The action word.
        name: Spanned<String>,
        /// What it means, in the charter's words.
        description: Spanned<String>,
    },
    /// A consent.
    Consent {
        /// Its parts, all required.
        parts: Vec<Spanned<ConsentPart>>,
        /// Conditions under which it is required.
        conditions: Vec<Spanned<ConsentCondition>>,
        /// The actions it covers.
        actions: Vec<Spanned<String>>,
    },
}

/// The protective provisions block.
#[derive(Debug, Clone, PartialEq)]
pub struct Protective {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<ProtectiveClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}
