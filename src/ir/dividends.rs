//! Dividends as checked: rates, cumulative dividends and waivers.

use rust_decimal::Decimal;

use super::*;

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
