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

mod antidilution;
mod conversion;
mod dividends;
mod expect;
mod liquidation;
mod redemption;
mod safe;
mod stock;
mod voting;

pub use antidilution::*;
pub use conversion::*;
pub use dividends::*;
pub use expect::*;
pub use liquidation::*;
pub use redemption::*;
pub use safe::{Note, Safe, liquidity_shares, outstanding_as_converted};
pub use stock::*;
pub use voting::*;

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
    /// Groups of parties that act together, in declaration order.
    pub groups: Vec<PartyGroup>,
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

impl Charter {
    /// Class `id` and its terms, where it is a SAFE or note.
    pub fn instrument(&self, id: ClassId) -> Option<(&Class, &Safe)> {
        let c = self.classes.get(id)?;
        Some((c, c.safe.as_deref()?))
    }

    /// The first SAFE or note, where the charter has one.
    pub fn any_instrument(&self) -> Option<(&Class, &Safe)> {
        (0..self.classes.len()).find_map(|id| self.instrument(id))
    }

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

impl Charter {
    /// Cash a share of class `id` receives on conversion as things stand:
    /// the stated amount, plus declared dividends where the clause adds them.
    pub fn conversion_cash(&self, id: ClassId) -> Result<Decimal, crate::diagnostic::Kind> {
        use crate::num::Checked;
        let (cash, declared) = self.conversion_cash_parts(id);
        cash.add(declared, "cash on conversion")
    }

    /// [`Charter::conversion_cash`] in its two parts: the stated amount,
    /// owed to every share converting, and the declared dividends it adds,
    /// owed to the shares of record only.
    pub fn conversion_cash_parts(&self, id: ClassId) -> (Decimal, Decimal) {
        let Some(Some(r)) = self.conversion.rights.get(id) else {
            return (Decimal::ZERO, Decimal::ZERO);
        };
        match self.classes.get(id) {
            Some(c) if r.cash_plus_declared => (r.cash_per_share, c.declared_dividends),
            _ => (r.cash_per_share, Decimal::ZERO),
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
