//! Classes, named holders and option pools as checked.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

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
    /// Par value per share, if stated.
    pub par: Option<Decimal>,
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
    /// Where the class is a SAFE lowered to one: its terms.
    pub safe: Option<Box<Safe>>,
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

/// One member of a group: a class, a pool, or a named holder (every holding
/// of that name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Member {
    /// A class, all of its shares.
    Class(ClassId),
    /// An option or warrant pool, by index.
    Pool(usize),
    /// A named holding, by index among the charter's holders.
    Holder(usize),
}

/// Parties that act together (`group "Founders": "Ada", "Ben"`): payouts
/// show their sum, and a goal seek can aim at it.
#[derive(Debug, Clone)]
pub struct PartyGroup {
    /// The group's name.
    pub name: String,
    /// Its members; no two groups share one, and none is inside another
    /// (a holder and its class).
    pub members: Vec<Member>,
    /// Where it is declared.
    pub cite: Cite,
}

/// The members `name` stands for: the holdings of a named holder, a pool by
/// its name (with or without its kind, `"Plan"` or `"Plan (options)"`), or
/// a class by its short or display name, in that order. O(H + P + C).
pub fn members_named(
    name: &str,
    classes: &[Class],
    holders: &[Holder],
    pools: &[Pool],
) -> Vec<Member> {
    let held: Vec<Member> = holders
        .iter()
        .enumerate()
        .filter(|(_, h)| h.name == name)
        .map(|(i, _)| Member::Holder(i))
        .collect();
    if !held.is_empty() {
        return held;
    }
    let pool = pools.iter().position(|p| {
        p.name == name
            || p.name
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(" ("))
    });
    if let Some(i) = pool {
        return vec![Member::Pool(i)];
    }
    classes
        .iter()
        .position(|c| c.ident == name || c.name == name)
        .map(Member::Class)
        .into_iter()
        .collect()
}

/// The class a member is inside of, for a holding: the two in one group
/// would count its shares twice.
pub fn enclosing(member: Member, holders: &[Holder]) -> Option<Member> {
    match member {
        Member::Holder(i) => holders.get(i).map(|h| Member::Class(h.class)),
        Member::Class(_) | Member::Pool(_) => None,
    }
}
