//! The dividends block: rates, cumulative dividends, priorities and waivers.

use rust_decimal::Decimal;

use super::*;

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
