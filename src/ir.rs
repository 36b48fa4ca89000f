//! The checked charter: names resolved to class indices, ranks derived from
//! seniority, per-share amounts computed. The interpreter runs on this and
//! never on the syntax tree; every term keeps the citation of the clause that
//! set it, so that each figure can be traced back to the charter.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::Source;
pub use crate::syntax::ast::{
    Basis, Carry, Duration, EventKind, FractionMode, PartYear, PlusDividends, PriceBasis,
    RoundingUnit, ShortfallRule, Span,
};

/// Index of a class in [`Charter::classes`], in declaration order.
pub type ClassId = usize;

/// Where a term comes from: the clause text, its span, and the section it cites.
///
/// The texts are shared: every class a clause names, and every answer that
/// cites it, holds the one copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    /// The section cited (`A.1(e)`), or the enclosing block's section.
    pub section: Option<Arc<str>>,
    /// The clause's span in the file.
    pub span: Span,
    /// The clause as written, on one line.
    pub clause: Arc<str>,
}

impl Cite {
    /// `§ 2(a)` or an empty string.
    pub fn section_mark(&self) -> String {
        self.section
            .as_ref()
            .map(|s| format!("§ {s}"))
            .unwrap_or_default()
    }

    /// ` (§ 2(a))` after a clause's effect, or nothing where the block
    /// cites no section: never an empty `()`.
    pub fn paren(&self) -> String {
        self.section
            .as_ref()
            .map(|s| format!(" (§ {s})"))
            .unwrap_or_default()
    }
}

/// A checked charter, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Charter {
    /// The file it came from.
    pub source: Source,
    /// Company name.
    pub company: String,
    /// Filing date.
    pub filed: Option<NaiveDate>,
    /// Jurisdiction.
    pub jurisdiction: Option<String>,
    /// Classes in declaration order.
    pub classes: Vec<Class>,
    /// Named holders.
    pub holders: Vec<Holder>,
    /// Options and warrants outstanding.
    pub pools: Vec<Pool>,
    /// The terms of an actual liquidation.
    pub liquidation: Terms,
    /// Deemed liquidation events.
    pub events: Vec<Event>,
    /// The conversion provisions.
    pub conversion: Conversions,
    /// Anti-dilution blocks.
    pub antidilution: Vec<AntiDilution>,
    /// Voting rights and board seats, if the charter file states them.
    pub voting: Option<Voting>,
    /// Protective provisions: consents required for actions.
    pub protective: Protective,
    /// Dividend provisions, if the charter file states them.
    pub dividends: Option<Dividends>,
    /// Redemption provisions, if the charter file states them.
    pub redemption: Option<Redemption>,
    /// The readings the file offers where the words allow more than one,
    /// with the alternative taken.
    pub readings: Vec<Reading>,
}

/// A reading the file offers, and which alternative this charter was
/// lowered under.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Its name: `day count`.
    pub name: String,
    /// Where it is offered (the first time).
    pub span: Span,
    /// The section whose words are read.
    pub section: Option<String>,
    /// The words, if quoted.
    pub quoting: Option<String>,
    /// The alternatives, the file's first.
    pub alternatives: Vec<String>,
    /// The index of the one taken.
    pub chosen: usize,
}

impl Reading {
    /// The alternative taken.
    pub fn taken(&self) -> &str {
        self.alternatives
            .get(self.chosen)
            .map_or("", String::as_str)
    }
}

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

impl Charter {
    /// The class written as `name` (its short or display name), or a problem
    /// at the name's span that lists the classes.
    pub fn find_class(
        &self,
        name: &crate::syntax::ast::Spanned<String>,
    ) -> Result<ClassId, crate::diagnostic::Problem> {
        use crate::diagnostic::{Kind, Problem, did_you_mean};
        let c = &self.classes;
        c.iter()
            .position(|x| x.ident == name.node || x.name == name.node)
            .ok_or_else(|| {
                let names: Vec<String> = c.iter().map(|x| format!("`{}`", x.ident)).collect();
                let spellings = c.iter().flat_map(|x| [x.ident.as_str(), x.name.as_str()]);
                let help = match did_you_mean(&name.node, spellings) {
                    Some(s) => format!("{s} classes: {}", names.join(", ")),
                    None => format!("classes: {}", names.join(", ")),
                };
                Problem::new(
                    Kind::UnknownClass(name.node.clone()),
                    name.span,
                    "not a class of this charter",
                )
                .with_help(help)
            })
    }
}

/// A tranche: up to a fraction `(numerator, denominator)` of the shares (all
/// when `None`), whether it carries over earlier eligible shares, and when.
pub type RedemptionTranche = (Option<(Decimal, Decimal)>, Carry, When);

/// A redemption schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The classes.
    pub classes: Vec<ClassId>,
    /// On election of a threshold of these classes; at each holder's request when `None`.
    pub election: Option<(Threshold, Vec<ClassId>)>,
    /// The tranches: up to a fraction (or all), with carry-over, and when.
    pub tranches: Vec<RedemptionTranche>,
    /// The clause.
    pub cite: Cite,
}

/// Redemption provisions.
#[derive(Debug, Clone)]
pub struct Redemption {
    /// Schedules.
    pub schedules: Vec<Schedule>,
    /// Per class: the greater of fair market value and the preference (else the preference), and its clause.
    pub price: Vec<Option<(bool, Cite)>>,
    /// Classes redeemed before others.
    pub order: Vec<(Vec<ClassId>, Vec<ClassId>, Cite)>,
    /// A shortfall shared by redemption amount (else by shares requested), and its clause.
    pub shortfall: Option<(bool, Cite)>,
    /// Late penalty per annum, compounded annually.
    pub penalty: Option<Penalty>,
    /// The block.
    pub cite: Cite,
}

/// A late penalty on redemptions not paid when due: a rate a year,
/// compounded annually.
#[derive(Debug, Clone)]
pub struct Penalty {
    /// The rate a year.
    pub rate: Decimal,
    /// How a part of a year counts; `None`: the charter file does not say.
    pub part_year: Option<PartYear>,
    /// The clause.
    pub cite: Cite,
}

/// A cumulative dividend.
#[derive(Debug, Clone)]
pub struct Cumulative {
    /// Annual rate, as a fraction of the original issue price.
    pub rate: Decimal,
    /// How a day's share of a year is counted.
    pub day_count: crate::syntax::ast::DayCount,
    /// Compounding annually rather than simple.
    pub compounding: bool,
    /// The clause.
    pub cite: Cite,
}

/// Waiver of accrued dividends on conversion by the value of common.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Half waived when common is worth more than this multiple of the issue price.
    pub half_above: Decimal,
    /// All waived at or above this multiple.
    pub all_at: Decimal,
    /// The clause.
    pub cite: Cite,
}

/// Dividend provisions.
#[derive(Debug, Clone)]
pub struct Dividends {
    /// Non-cumulative preferential rate per share per annum, when declared.
    pub rates: Vec<Option<(Decimal, Cite)>>,
    /// Whether the dividend year ("per annum") runs twelve months from the
    /// first declaration in it (else it is the calendar year of the
    /// declaration).
    pub from_first: bool,
    /// Cumulative dividends.
    pub cumulative: Vec<Option<Cumulative>>,
    /// Priorities: the first classes are paid before any of the second.
    pub priority: Vec<(Vec<ClassId>, Vec<ClassId>, Cite)>,
    /// Classes sharing a short declaration in proportion to full amounts.
    pub sharing: Option<(Vec<ClassId>, Cite)>,
    /// Beyond the preferential amounts, these share as converted.
    pub beyond: Option<(Vec<ClassId>, Cite)>,
    /// These receive the greater of their rate and what the common class receives as converted.
    pub greater: Option<(Vec<ClassId>, ClassId, Cite)>,
    /// No dividend on the common class unless an equal one, as converted, on these.
    pub blocker: Option<(ClassId, Vec<ClassId>, Cite)>,
    /// Waivers on conversion, per class.
    pub waivers: Vec<Option<Waiver>>,
    /// Per class, the class whose shares its holders may take for accrued
    /// dividends instead of cash, and the clause.
    pub in_kind: Vec<Option<(ClassId, Cite)>>,
    /// The block.
    pub cite: Cite,
}

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
}

/// A class or series of stock.
#[derive(Debug, Clone)]
pub struct Class {
    /// The display name (`Series A`), as reported.
    pub name: String,
    /// The short name used in clauses (`A`).
    pub ident: String,
    /// Common rather than preferred.
    pub common: bool,
    /// Authorized shares, if stated.
    pub authorized: Option<Decimal>,
    /// Shares outstanding.
    pub outstanding: Decimal,
    /// Original issue price, if stated.
    pub issue_price: Option<Decimal>,
    /// Common shares per share on conversion (1 for common).
    pub ratio: Option<Decimal>,
    /// Declared but unpaid dividends per share.
    pub declared_dividends: Decimal,
    /// Accrued and unpaid cumulative dividends per share, as of the scenario's
    /// date (set by the scenario before a payout).
    pub accrued_dividends: Decimal,
    /// Conversion price, where one is stated.
    pub conversion_price: Option<Decimal>,
    /// Original issue date.
    pub issued: Option<NaiveDate>,
    /// The `stock` block's span.
    pub span: Span,
}

/// A named holder's shares.
#[derive(Debug, Clone)]
pub struct Holder {
    /// Holder name.
    pub name: String,
    /// Class held.
    pub class: ClassId,
    /// Shares held.
    pub shares: Decimal,
}

/// Options or warrants outstanding.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Name, prefixed with its kind in reports.
    pub name: String,
    /// Shares it can buy.
    pub count: Decimal,
    /// The class bought.
    pub class: ClassId,
    /// Exercise price per share.
    pub strike: Decimal,
    /// Shares vested.
    pub vested: Decimal,
    /// Where it is declared.
    pub cite: Cite,
}

/// The liquidation terms that apply in one kind of event.
#[derive(Debug, Clone)]
pub struct Terms {
    /// Ranks, most senior first; each holds the classes paid pari passu.
    pub ranks: Vec<Rank>,
    /// Preference per class.
    pub preference: Vec<Option<Preference>>,
    /// Participation per class (`None` for common, which always shares the residual).
    pub participation: Vec<Option<Participation>>,
    /// The block these terms come from (it pays common its residual).
    pub cite: Cite,
    /// Accrued dividends each class is paid on converting, per share, for
    /// one stretch of exits (`eval::conversion_dividends` sets them from the
    /// value of common; empty as lowered).
    pub conversion_dividends: Vec<Option<ConversionDividend>>,
}

/// Accrued dividends paid per share on converting, under a waiver tier.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversionDividend {
    /// Amount per share.
    pub per_share: Decimal,
    /// How the tier came out and why, in words ("half waived: ...").
    pub words: String,
    /// The waiver clause, else the cumulative dividend's.
    pub cite: Cite,
}

/// Classes paid pari passu, and how a shortfall among them is shared.
#[derive(Debug, Clone)]
pub struct Rank {
    /// Members, in declaration order.
    pub classes: Vec<ClassId>,
    /// Shortfall rule.
    pub rule: ShortfallRule,
    /// The shortfall clause, if one was needed.
    pub cite: Option<Cite>,
}

/// A liquidation preference.
#[derive(Debug, Clone)]
pub struct Preference {
    /// Amount per share before dividends.
    pub per_share: Decimal,
    /// The multiple of the class's original issue price it is, where it is
    /// one: an issue price that moves (`original issue price adjusted
    /// likewise`) moves it.
    pub multiple: Option<Decimal>,
    /// The dividends it adds: declared, or accrued and declared.
    pub plus: PlusDividends,
    /// The clause.
    pub cite: Cite,
}

impl Preference {
    /// The amount per share with the dividends this preference adds.
    pub fn with_dividends(&self, class: &Class) -> Option<Decimal> {
        match self.plus {
            PlusDividends::None => Some(self.per_share),
            PlusDividends::Declared => self.per_share.checked_add(class.declared_dividends),
            PlusDividends::AccruedAndDeclared => self
                .per_share
                .checked_add(class.declared_dividends)?
                .checked_add(class.accrued_dividends),
        }
    }
}

/// A participation cap, per share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cap {
    /// Total received per share, preference included.
    Total(Decimal),
    /// Received per share in addition to the preference.
    More(Decimal),
}

/// Whether and how far a preferred class shares the residual.
#[derive(Debug, Clone)]
pub struct Participation {
    /// Shares the residual at all.
    pub participates: bool,
    /// Cap, if any.
    pub cap: Option<Cap>,
    /// The multiple of the class's original issue price the cap is, where
    /// it is one.
    pub cap_multiple: Option<Decimal>,
    /// Participates only while the distribution per share is below this amount.
    pub while_under: Option<Decimal>,
    /// The multiple of the class's original issue price that amount is.
    pub while_under_multiple: Option<Decimal>,
    /// The clause.
    pub cite: Cite,
}

impl Participation {
    /// Whether the class shares the residual when the distribution per share
    /// is `dps` ("participates while ... less than").
    pub fn active(&self, dps: Decimal) -> bool {
        self.participates && self.while_under.is_none_or(|t| dps < t)
    }
}

impl Terms {
    /// Accrued dividends class `id` is paid per share on converting, under
    /// these terms.
    pub fn conversion_dividend(&self, id: ClassId) -> Decimal {
        self.conversion_dividends
            .get(id)
            .and_then(|d| d.as_ref())
            .map_or(Decimal::ZERO, |d| d.per_share)
    }

    /// Whether any participation depends on the distribution per share, the
    /// only reader of it: where none does, it need not be computed.
    pub fn conditional(&self) -> bool {
        self.participation
            .iter()
            .flatten()
            .any(|p| p.while_under.is_some())
    }
}

/// A deemed liquidation event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The charter's name for it.
    pub name: String,
    /// Transactions it covers.
    pub kinds: Vec<EventKind>,
    /// Its terms (the liquidation terms with its overrides).
    pub terms: Terms,
    /// Facts the payout assumes, each with its clause.
    pub assumptions: Vec<(String, Cite)>,
    /// The block's citation.
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

/// The threshold of an election: more than half, or at least an exact
/// fraction `num / den` (2/3 stays 2/3, never 0.6667).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// More than half.
    Majority,
    /// At least `num / den`.
    AtLeast {
        /// Numerator.
        num: Decimal,
        /// Denominator.
        den: Decimal,
    },
}

impl Threshold {
    /// Whether `part` of `whole` meets the threshold, compared exactly by
    /// cross-multiplying.
    pub fn met(self, part: Decimal, whole: Decimal) -> bool {
        if whole.is_zero() {
            return false;
        }
        match self {
            Threshold::Majority => part
                .checked_mul(Decimal::TWO)
                .is_none_or(|twice| twice > whole),
            Threshold::AtLeast { num, den } => {
                match (part.checked_mul(den), whole.checked_mul(num)) {
                    (Some(a), Some(b)) => a >= b,
                    _ => part >= whole,
                }
            }
        }
    }

    /// In words: `a majority`, `50%`, `2/3`.
    pub fn words(self) -> String {
        match self {
            Threshold::Majority => "a majority".to_string(),
            Threshold::AtLeast { num, den } if den == Decimal::ONE_HUNDRED => {
                format!("{}%", num.normalize())
            }
            Threshold::AtLeast { num, den } => {
                format!("{}/{}", num.normalize(), den.normalize())
            }
        }
    }
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

impl Charter {
    /// Cash a share of class `id` receives on conversion as things stand:
    /// the stated amount, plus declared dividends where the clause adds them.
    pub fn conversion_cash(&self, id: ClassId) -> Result<Decimal, crate::diagnostic::Kind> {
        use crate::num::Checked;
        let Some(Some(r)) = self.conversion.rights.get(id) else {
            return Ok(Decimal::ZERO);
        };
        match self.classes.get(id) {
            Some(c) if r.cash_plus_declared => r
                .cash_per_share
                .add(c.declared_dividends, "cash on conversion"),
            _ => Ok(r.cash_per_share),
        }
    }

    /// The terms for an event name or kind; `None` means an actual liquidation.
    pub fn event(&self, id: Option<usize>) -> &Terms {
        id.and_then(|i| self.events.get(i))
            .map_or(&self.liquidation, |e| &e.terms)
    }
}

/// The `expect` and `snapshot` blocks of one file (a charter or its
/// companion `NAME.charter.test`), checked against the charter.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The file they are written in; their spans point into it.
    pub source: Source,
    /// The expectations, in file order.
    pub expectations: Vec<Expectation>,
    /// The snapshots, in file order.
    pub snapshots: Vec<SnapshotSpec>,
}

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
    Run(Statement),
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
