//! The typed syntax tree of a `.charter` file, as written: names are not yet
//! resolved and nothing is validated. Every node carries the byte span of the
//! text it came from, so that later stages can point back into the file.

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::diagnostic::Span;

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
    /// `holders { ... }`
    Holders(Vec<Spanned<Holding>>),
    /// `options ...` / `warrants ...`
    Pool(Pool),
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
}

/// When a redemption tranche falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// On a date.
    Date(NaiveDate),
    /// On an anniversary of the class's original issue.
    Anniversary(u32),
    /// Upon a transaction not treated as a liquidation.
    Transaction,
}

/// One tranche of a redemption schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Tranche {
    /// Up to this fraction (numerator, denominator); all when `None`.
    pub fraction: Option<(Decimal, Decimal)>,
    /// What it adds of the tranche before.
    pub carry_over: Carry,
    /// When.
    pub when: When,
}

/// What a redemption tranche adds of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Nothing.
    None,
    /// `plus carry-over`: the shares eligible then and not redeemed.
    Unredeemed,
    /// `plus all eligible before`: every share eligible then.
    AllEligible,
    /// `in all`: not a share of what is held now but of what was held at
    /// the first tranche, less the shares redeemed or owed since.
    InAll,
}

/// One clause of a redemption block.
#[derive(Debug, Clone, PartialEq)]
pub enum RedemptionClause {
    /// `X redeemable ...: TRANCHES`
    Schedule {
        /// The classes.
        classes: Vec<Spanned<String>>,
        /// On election of a threshold of these classes; at each holder's request when `None`.
        election: Option<(Threshold, Vec<Spanned<String>>)>,
        /// The tranches.
        tranches: Vec<Spanned<Tranche>>,
    },
    /// `price X: preference` / `price X: the greater of fair market value and preference`
    Price {
        /// The classes.
        classes: Vec<Spanned<String>>,
        /// The greater of fair market value and the preference.
        greater_of_value: bool,
    },
    /// `X before Y`
    Order {
        /// Redeemed first.
        first: Vec<Spanned<String>>,
        /// After.
        then: Vec<Spanned<String>>,
    },
    /// `insufficient funds: pro rata by ...`
    Shortfall {
        /// By redemption amount rather than shares requested.
        by_amount: bool,
    },
    /// `late: P% per annum compounded annually[, a part of a year ...]`
    Penalty {
        /// The rate a year.
        rate: Spanned<Decimal>,
        /// How a part of a year counts, where stated.
        part_year: Option<PartYear>,
    },
}

/// How a late penalty counts a part of a year after its last whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartYear {
    /// Simple, in proportion to its days over 365.
    ProRata,
    /// Not at all: the penalty grows on each anniversary only.
    NotCounted,
}

/// The redemption block.
#[derive(Debug, Clone, PartialEq)]
pub struct Redemption {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<RedemptionClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}

/// One clause of a dividends block.
#[derive(Debug, Clone, PartialEq)]
pub enum DividendClause {
    /// `A $X, B $Y per share per annum when declared [, a year from the first declaration]`
    Rates {
        /// Rate per share, by class.
        items: Vec<(Spanned<String>, Spanned<Decimal>)>,
        /// The year runs from the first declaration in it (else the
        /// calendar year).
        from_first: bool,
    },
    /// `C: 8% of original issue price per annum, cumulative, accruing daily actual/365, simple`
    Cumulative {
        /// The class.
        class: Spanned<String>,
        /// The annual rate, as a fraction.
        rate: Spanned<Decimal>,
        /// How a day's share of a year is counted.
        day_count: DayCount,
        /// Compounding annually rather than simple.
        compounding: bool,
    },
    /// `X before Y`
    Priority {
        /// Paid first.
        first: Vec<Spanned<String>>,
        /// Paid after.
        then: Vec<Spanned<String>>,
    },
    /// `X share a short declaration in proportion to full amounts`
    Sharing(Vec<Spanned<String>>),
    /// `beyond the preferential amounts, X share as converted`
    Beyond(Vec<Spanned<String>>),
    /// `X receive the greater of their rate and what C receives as converted`
    Greater {
        /// The preferred classes.
        classes: Vec<Spanned<String>>,
        /// The common class compared with.
        common: Spanned<String>,
    },
    /// `no dividend on C unless an equal dividend as converted on X`
    Blocker {
        /// The common class.
        common: Spanned<String>,
        /// The preferred classes that must receive as much.
        preferred: Vec<Spanned<String>>,
    },
    /// `C waives half of its accrued dividends on conversion when common is worth more than Nx original issue price, all at Mx`
    Waiver {
        /// The class.
        class: Spanned<String>,
        /// Half waived above this multiple of the issue price.
        half_above: Spanned<Decimal>,
        /// All waived at or above this multiple.
        all_at: Spanned<Decimal>,
    },
    /// `C takes its accrued dividends in cash or in shares of D, at the holders' option`
    InKind {
        /// The class paid.
        class: Spanned<String>,
        /// The class whose shares may be taken instead.
        shares_of: Spanned<String>,
    },
}

/// The dividends block.
#[derive(Debug, Clone, PartialEq)]
pub struct Dividends {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<DividendClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}

/// What a preference adds for dividends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlusDividends {
    /// Nothing.
    None,
    /// Declared but unpaid dividends.
    Declared,
    /// Accrued and declared unpaid dividends.
    AccruedAndDeclared,
}

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

/// The charter header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Company name.
    pub company: Spanned<String>,
    /// Filing date.
    pub filed: Option<Spanned<NaiveDate>>,
    /// Jurisdiction of incorporation.
    pub jurisdiction: Option<Spanned<String>>,
    /// The source document this file encodes.
    pub source: Option<Spanned<String>>,
    /// Section cited by the header itself.
    pub cite: Cite,
}

/// Whether a class is common or preferred stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockKind {
    /// Common stock.
    Common,
    /// Preferred stock.
    Preferred,
}

/// A `stock` block: one class or series.
#[derive(Debug, Clone, PartialEq)]
pub struct Stock {
    /// The short name used in clauses (`A`).
    pub ident: Spanned<String>,
    /// The display name (`"Series A"`); the short name when omitted.
    pub display: Option<Spanned<String>>,
    /// Section cited on the block.
    pub cite: Cite,
    /// The fields in the order written.
    pub fields: Vec<Spanned<StockField>>,
}

/// One line of a `stock` block, with its citation.
#[derive(Debug, Clone, PartialEq)]
pub enum StockField {
    /// `common` / `preferred`
    Kind(StockKind, Cite),
    /// `authorized N`
    Authorized(Spanned<Decimal>, Cite),
    /// `par $X`
    Par(Spanned<Decimal>, Cite),
    /// `outstanding N`
    Outstanding(Spanned<Decimal>, Cite),
    /// `original issue price $X`
    IssuePrice(Spanned<Decimal>, Cite),
    /// `conversion price $X`
    ConversionPrice(Spanned<Decimal>, Cite),
    /// `conversion ratio R`
    ConversionRatio(Spanned<Decimal>, Cite),
    /// `declared unpaid dividends $X per share`
    DeclaredDividends(Spanned<Decimal>, Cite),
    /// `issued YYYY-MM-DD`
    Issued(Spanned<NaiveDate>, Cite),
}

/// A named holder's shares of one class.
#[derive(Debug, Clone, PartialEq)]
pub struct Holding {
    /// Holder name.
    pub name: Spanned<String>,
    /// Shares held.
    pub shares: Spanned<Decimal>,
    /// The class held.
    pub class: Spanned<String>,
}

/// Options or warrants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    /// Employee options.
    Options,
    /// Warrants.
    Warrants,
}

/// An outstanding pool of options or warrants.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Options or warrants.
    pub kind: PoolKind,
    /// The pool's name.
    pub name: Spanned<String>,
    /// How many shares it can buy.
    pub count: Spanned<Decimal>,
    /// The class the shares are of.
    pub class: Spanned<String>,
    /// Exercise price per share.
    pub strike: Spanned<Decimal>,
    /// Shares vested, where fewer than all.
    pub vested: Option<Spanned<Decimal>>,
    /// Section cited.
    pub cite: Cite,
}

/// A per-share amount, as a multiple of the original issue price or a fixed sum.
#[derive(Debug, Clone, PartialEq)]
pub enum PerShare {
    /// `Nx original issue price`
    IssuePriceMultiple(Spanned<Decimal>),
    /// `$X per share`
    Fixed(Spanned<Decimal>),
}

/// The rule for sharing a shortfall within one rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortfallRule {
    /// In proportion to each holder's full preferential amount.
    ByPreference,
    /// In proportion to shares held.
    ByShares,
    /// In proportion to the original issue price of the shares held.
    ByIssuePrice,
}

/// How two groups of classes relate in seniority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Left paid before right.
    SeniorTo,
    /// Right paid before left.
    JuniorTo,
    /// Same rank.
    PariPassu,
}

/// A participation cap: the amount and whether it includes the preference.
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    /// The cap per share.
    pub amount: PerShare,
    /// `Some(true)` for `in total` (preference included), `Some(false)` for
    /// `more`, `None` where the clause does not say (the checker asks).
    pub in_total: Option<bool>,
}

/// What a class takes of the residual after the preferences.
#[derive(Debug, Clone, PartialEq)]
pub enum Participation {
    /// `does not participate`
    None,
    /// `participates [until CAP] [while distribution per share < Nx original issue price]`
    Participates {
        /// The cap, if any.
        cap: Option<Spanned<Cap>>,
        /// Participates only while the distribution per share is under this multiple.
        while_under: Option<Spanned<Decimal>>,
    },
}

/// One clause of a liquidation or deemed-liquidation block.
#[derive(Debug, Clone, PartialEq)]
pub enum LiquidationClause {
    /// `X senior to Y`
    Seniority {
        /// Left-hand classes.
        left: Vec<Spanned<String>>,
        /// The relation.
        relation: Relation,
        /// Right-hand classes.
        right: Vec<Spanned<String>>,
    },
    /// `preference X: ...`
    Preference {
        /// Classes it applies to.
        classes: Vec<Spanned<String>>,
        /// The amount per share.
        amount: PerShare,
        /// What dividends are added.
        plus_dividends: PlusDividends,
    },
    /// `shortfall X: ratably by ...`
    Shortfall {
        /// Classes of the rank.
        classes: Vec<Spanned<String>>,
        /// The rule.
        rule: ShortfallRule,
    },
    /// `X participates ...`
    Participation {
        /// Classes it applies to.
        classes: Vec<Spanned<String>>,
        /// The participation.
        participation: Participation,
    },
}

/// How a day's share of a year's rate is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCount {
    /// Each day is 1/365 of a year, leap years included.
    Actual365,
    /// Each day is 1/365 or 1/366 of a year, by the calendar year it falls in.
    ActualActual,
}

impl DayCount {
    /// As written: `actual/365`.
    pub fn word(self) -> &'static str {
        match self {
            DayCount::Actual365 => "actual/365",
            DayCount::ActualActual => "actual/actual",
        }
    }
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

/// The liquidation block.
#[derive(Debug, Clone, PartialEq)]
pub struct Liquidation {
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<LiquidationClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
}

/// The kinds of transaction a charter may deem a liquidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A merger.
    Merger,
    /// A consolidation.
    Consolidation,
    /// A sale of all or substantially all assets.
    AssetSale,
    /// A sale of a majority of the stock.
    StockSale,
    /// A transfer of a majority of the voting power.
    ControlTransfer,
    /// A public offering that is not a qualified one.
    PublicOffering,
}

impl EventKind {
    /// The word used in the language.
    pub fn word(self) -> &'static str {
        match self {
            EventKind::Merger => "merger",
            EventKind::Consolidation => "consolidation",
            EventKind::AssetSale => "asset-sale",
            EventKind::StockSale => "stock-sale",
            EventKind::ControlTransfer => "control-transfer",
            EventKind::PublicOffering => "public-offering",
        }
    }

    /// Every kind, for help texts.
    pub const ALL: [EventKind; 6] = [
        EventKind::Merger,
        EventKind::Consolidation,
        EventKind::AssetSale,
        EventKind::StockSale,
        EventKind::ControlTransfer,
        EventKind::PublicOffering,
    ];

    /// The kind a word names.
    pub fn from_word(w: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.word() == w)
    }
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

/// One clause of a deemed-liquidation block.
#[derive(Debug, Clone, PartialEq)]
pub enum DeemedClause {
    /// `on merger, asset-sale`
    On(Vec<Spanned<EventKind>>),
    /// `only if elected by P of each of X`
    Election {
        /// The threshold.
        threshold: Threshold,
        /// Series each of which must elect.
        classes: Vec<Spanned<String>>,
    },
    /// `unless stockholders keep a majority of the survivor`
    UnlessContinuity,
    /// A preference or participation that replaces the liquidation one.
    Terms(LiquidationClause),
}

/// A deemed liquidation event.
#[derive(Debug, Clone, PartialEq)]
pub struct Deemed {
    /// The charter's name for it.
    pub name: Spanned<String>,
    /// Section cited on the block.
    pub cite: Cite,
    /// Clauses in order.
    pub clauses: Vec<Clause<DeemedClause>>,
    /// The readings it offers; their clauses are among `clauses`.
    pub readings: Vec<Reading>,
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
    /// `original issue price adjusted likewise [for splits and combinations]`
    IssuePriceFollows {
        /// With splits and combinations only (else with every adjustment).
        splits_only: bool,
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

/// How a `curve` statement samples its range.
#[derive(Debug, Clone, PartialEq)]
pub enum CurveStep {
    /// `in N steps`.
    Steps(Spanned<Decimal>),
    /// `by $STEP`.
    By(Spanned<Decimal>),
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
