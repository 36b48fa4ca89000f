//! Votes, board seats, consents and the standard action vocabulary.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

/// Votes a class casts.
#[derive(Debug, Clone)]
pub struct VoteRight {
    /// Votes per share, or per common share as converted.
    pub per_share: Decimal,
    /// Counted on the common shares the class converts into.
    pub as_converted: bool,
    /// The clause.
    pub cite: Cite,
}

/// How many directors a seat gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeatCount {
    /// A fixed number.
    Fixed(u32),
    /// The directors no other seat elects.
    Rest,
    /// A fraction of the board, rounded to the nearest whole director.
    Share(Decimal, Decimal),
}

/// Who elects how many directors.
#[derive(Debug, Clone)]
pub struct Seat {
    /// The classes that elect, voting together.
    pub electors: Vec<ClassId>,
    /// Voting as converted.
    pub as_converted: bool,
    /// How many.
    pub count: SeatCount,
}

/// The voting shift of 001 section 5(a).
#[derive(Debug, Clone)]
pub struct Shift {
    /// The smallest board during the shift.
    pub minimum: u32,
    /// The seats during the shift.
    pub seats: Vec<Seat>,
    /// The clause.
    pub cite: Cite,
}

/// Voting rights.
#[derive(Debug, Clone)]
pub struct Voting {
    /// Per class: its votes, or `None` for a class with no votes.
    pub rights: Vec<Option<VoteRight>>,
    /// Rounding of fractional votes: the rule, per holder, the clause.
    pub fractional: Option<(FractionMode, bool, Cite)>,
    /// The board seats and their clause.
    pub board: Option<(Vec<Seat>, Cite)>,
    /// Cumulative voting for directors.
    pub cumulative: Option<Cite>,
    /// The voting shift.
    pub shift: Option<Shift>,
    /// The block.
    pub cite: Cite,
}

/// What a consent counts.
pub use crate::syntax::ast::VoteBasis;

/// Who a consent asks.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsentGroup {
    /// Each class separately.
    Each(Vec<ClassId>),
    /// The classes together.
    Together(Vec<ClassId>),
    /// Each series affected differently, separately.
    Affected,
}

/// One required vote.
#[derive(Debug, Clone)]
pub struct ConsentPart {
    /// The threshold.
    pub threshold: Threshold,
    /// Who votes.
    pub group: ConsentGroup,
    /// What is counted.
    pub basis: VoteBasis,
}

/// When a consent is required.
#[derive(Debug, Clone)]
pub enum ConsentCondition {
    /// While more than `count` shares of the classes are outstanding.
    MoreThan(Decimal, Vec<ClassId>),
    /// While at least `count` shares of the classes are outstanding.
    AtLeast(Decimal, Vec<ClassId>),
    /// While any shares of the classes are outstanding.
    Any(Vec<ClassId>),
    /// The majority must include these holders while they hold `share` of the class.
    Including {
        /// The holders.
        holders: Vec<String>,
        /// The fraction of the class they must hold together.
        share: Decimal,
        /// The class.
        class: ClassId,
    },
    /// Not where the stockholders before the transaction keep more than this
    /// share of the surviving or purchasing entity.
    UnlessKept(Decimal),
    /// Only where the price per share is below a multiple of a class's issue price.
    Price {
        /// The multiple (through `until`, if given).
        multiple: Decimal,
        /// Whose issue price.
        class: ClassId,
        /// After this date, the second multiple.
        until: Option<(NaiveDate, Decimal)>,
    },
}

/// A consent the charter requires for some actions.
#[derive(Debug, Clone)]
pub struct Consent {
    /// Its parts, all required.
    pub parts: Vec<ConsentPart>,
    /// When it is required.
    pub conditions: Vec<ConsentCondition>,
    /// The actions it covers.
    pub actions: Vec<String>,
    /// The clause.
    pub cite: Cite,
}

/// The protective provisions.
#[derive(Debug, Clone, Default)]
pub struct Protective {
    /// Actions the charter defines beyond the standard vocabulary: name,
    /// description, clause.
    pub actions: Vec<(String, String, Cite)>,
    /// The consents.
    pub consents: Vec<Consent>,
}

/// The standard action vocabulary, with what each word covers. A charter
/// maps its own wording onto these in its protective provisions, so that one
/// query works across charters.
pub const STANDARD_ACTIONS: [(&str, &str); 16] = [
    ("merger", "a merger or consolidation of the corporation"),
    ("asset-sale", "a sale of all or substantially all assets"),
    ("stock-sale", "a sale of a majority of the stock"),
    (
        "control-transfer",
        "a transaction disposing of a majority of the voting power",
    ),
    ("liquidation", "a liquidation, dissolution or winding up"),
    ("recapitalization", "a recapitalization or reorganization"),
    (
        "create-senior-stock",
        "creating or issuing stock senior to the preferred",
    ),
    (
        "create-parity-stock",
        "creating or issuing stock on a parity with the preferred",
    ),
    (
        "amend-charter-adversely",
        "amending the charter to the preferred's detriment",
    ),
    (
        "change-authorized-preferred",
        "increasing or decreasing the authorized preferred",
    ),
    ("redeem-stock", "redeeming or repurchasing stock"),
    ("pay-dividend", "paying or declaring a dividend"),
    ("change-board-size", "changing the number of directors"),
    (
        "reclassify-senior",
        "reclassifying stock into stock senior to or on a parity with the preferred",
    ),
    (
        "sell-subsidiary-stock",
        "a subsidiary issuing or selling its securities",
    ),
    ("change-business", "materially changing the business"),
];
