//! The liquidation block and deemed liquidation events: ranks, preferences, participation.

use rust_decimal::Decimal;

use super::*;

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
        /// The distribution per share it is tested on is counted in shares as
        /// they stood before the splits and combinations since filing
        /// (`while distribution per share adjusted for splits < ...`).
        split_adjusted: bool,
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
