//! The header, stock classes, holders and option pools.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

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

/// `group "Founders": "Ada", "Ben"`: parties reported and solved for as one.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyGroup {
    /// The group's name.
    pub name: Spanned<String>,
    /// Its members, as written: named holders, pools or classes.
    pub members: Vec<Spanned<String>>,
    /// Section cited.
    pub cite: Cite,
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

/// A `safe` block: a Simple Agreement for Future Equity.
#[derive(Debug, Clone, PartialEq)]
pub struct Safe {
    /// The short name used in clauses (`Seed`).
    pub ident: Spanned<String>,
    /// The display name; the short name when omitted.
    pub display: Option<Spanned<String>>,
    /// Section cited on the block.
    pub cite: Cite,
    /// The terms in the order written.
    pub fields: Vec<Spanned<SafeField>>,
}

/// One line of a `safe` block, with its citation.
#[derive(Debug, Clone, PartialEq)]
pub enum SafeField {
    /// `post-money` or `pre-money`: the form, which defines the
    /// capitalization its cap divides.
    PostMoney(bool, Cite),
    /// `purchase amount $X`.
    PurchaseAmount(Spanned<Decimal>, Cite),
    /// `valuation cap $X`.
    ValuationCap(Spanned<Decimal>, Cite),
    /// `discount rate R%`: the Discount Rate (100% less the discount).
    DiscountRate(Spanned<Decimal>, Cite),
    /// `exit multiple Nx`: the Cash-Out Amount's multiple of the purchase
    /// amount.
    ExitMultiple(Spanned<Decimal>, Cite),
    /// `most favored nation`.
    Mfn(Cite),
    /// `pro rata rights`.
    ProRata(Cite),
    /// `issued YYYY-MM-DD`.
    Issued(Spanned<NaiveDate>, Cite),
}

/// A `note` block: a convertible promissory note.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The short name used in clauses (`Bridge`).
    pub ident: Spanned<String>,
    /// The display name; the short name when omitted.
    pub display: Option<Spanned<String>>,
    /// Section cited on the block.
    pub cite: Cite,
    /// The terms in the order written.
    pub fields: Vec<Spanned<NoteField>>,
}

/// One line of a `note` block, with its citation.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteField {
    /// `post-money` or `pre-money`: whose shares the cap divides.
    PostMoney(bool, Cite),
    /// `principal $X`.
    Principal(Spanned<Decimal>, Cite),
    /// `interest R% per annum, accruing daily DAYCOUNT, simple|compounding annually`.
    Interest {
        /// The annual rate.
        rate: Spanned<Decimal>,
        /// How days are counted.
        day_count: DayCount,
        /// Compounding annually, else simple.
        compounding: bool,
        /// Its section.
        cite: Cite,
    },
    /// `issued YYYY-MM-DD`: interest runs from here.
    Issued(Spanned<NaiveDate>, Cite),
    /// `maturity YYYY-MM-DD`: recorded.
    Maturity(Spanned<NaiveDate>, Cite),
    /// `valuation cap $X`.
    ValuationCap(Spanned<Decimal>, Cite),
    /// `discount rate R%`: recorded for a financing.
    DiscountRate(Spanned<Decimal>, Cite),
    /// `change of control: Nx principal and interest[, or conversion at the cap]`.
    ChangeOfControl {
        /// The multiple of principal and interest repaid.
        multiple: Spanned<Decimal>,
        /// Or, where greater, conversion at the cap.
        converts: bool,
        /// Its section.
        cite: Cite,
    },
}
