//! The liquidation waterfall for one set of conversion decisions.
//!
//! The waterfall is a list of tranches, each a size (or unbounded) and the
//! weights by which it is split among classes. Money fills the tranches in
//! order. For fixed decisions, every class's payout is therefore piecewise
//! linear in the amount distributed, with a breakpoint at each cumulative
//! tranche boundary — the form from which exit-value breakpoints are derived.
//!
//! Order of tranches:
//! 1. each rank's claims, most senior first: the preferences of the classes
//!    that did not convert, and the cash owed on conversion to those that did
//!    (a class converting "into common plus cash" keeps its place in the
//!    ranking for the cash: a senior preference is "prior ... to any
//!    distribution" to the junior holders, 001 section 2(a)). A shortfall
//!    within a rank is shared by the rank's rule, water-filling so that no
//!    class is paid beyond its full claim;
//! 2. the residual, shared as converted among common, converted classes and
//!    participating classes, each capped class dropping out at its cap.

mod build;
mod read;

use build::build_with;

pub use read::{Levels, at_level, fill, level_at, locate, pour, take, totals_of};
use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::eval::record::Owed;
use crate::ir::{Cap, Charter, Cite, ClassId, ShortfallRule, Terms};
use crate::num::{Checked, sum};

/// Which units have converted or exercised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decisions {
    /// Per class: converted into common.
    pub converted: Vec<bool>,
    /// Per pool: exercised.
    pub exercised: Vec<bool>,
}

/// Why a class receives a share of a tranche.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// What the amount is, in words.
    pub what: String,
    /// The clause that pays it.
    pub cite: Cite,
}

/// One slice of the distribution and how it is split.
#[derive(Debug, Clone)]
pub struct Tranche {
    /// Its size; `None` for the last, unbounded one.
    pub size: Option<Decimal>,
    /// Where its receiving claims (class, weight, reason) lie in
    /// [`Waterfall::claims`]: those still unpaid in a water-fill are the
    /// ones at the highest levels, so each tranche is a suffix of its
    /// stage's claims and no tranche copies them.
    pub claims: std::ops::Range<usize>,
    /// The sum of the weights.
    pub weight: Decimal,
    /// The claims paid in full at its end (class and reason): what makes
    /// the next tranche split differently.
    pub ends: Vec<(ClassId, usize)>,
    /// Part of the residual (else of a rank's preferences).
    pub residual: bool,
    /// The amount per unit of weight paid at its end, counted from the start
    /// of its rank (or of the residual); `None` for the unbounded tranche.
    pub level: Option<Decimal>,
}

impl Tranche {
    /// The share of this tranche that a weight takes. Every path that pays
    /// from a tranche divides here, so that a payout computed directly and
    /// one read off the exit curve do the same arithmetic.
    pub fn rate(&self, weight: Decimal) -> Result<Decimal, Kind> {
        weight.div(self.weight, "pro rata share")
    }
}

/// The waterfall for one set of decisions.
#[derive(Debug, Clone)]
pub struct Waterfall {
    /// Amount distributed: the exit plus exercise prices paid in.
    pub proceeds: Decimal,
    /// Shares of each class taking part, including exercised options and warrants.
    pub shares: Vec<Decimal>,
    /// The tranches in payment order.
    pub tranches: Vec<Tranche>,
    /// Every stage's claims, each stage's in order of the level at which
    /// it is paid in full; the tranches are ranges of these.
    pub claims: Vec<(ClassId, Decimal, usize)>,
    /// Reasons referred to by the tranches.
    pub reasons: Vec<Reason>,
    /// Per class, its claim where shares issued on exercise take part and
    /// dividends are owed to the shares of record only (see
    /// [`crate::eval::record`]); `None` where every share is owed alike.
    pub owed: Vec<Option<Owed>>,
}

impl Waterfall {
    /// The receiving classes of a tranche, their weights and reasons.
    pub fn shares(&self, t: &Tranche) -> &[(ClassId, Decimal, usize)] {
        self.claims.get(t.claims.clone()).unwrap_or(&[])
    }
}

/// What each class receives, in total and by reason.
#[derive(Debug, Clone)]
pub struct Fill {
    /// Total per class (on its shares including exercised pools).
    pub total: Vec<Decimal>,
    /// Amount per class per reason index.
    pub by_reason: Vec<Vec<(usize, Decimal)>>,
    /// Amount no class could take.
    pub unclaimed: Decimal,
}

/// The distribution per share that conditional participation is tested
/// against: the exit divided by all shares as if every preferred share had
/// converted (000 section 2(a)(vii), "Distribution Amount").
pub fn distribution_per_share(charter: &Charter, exit: Decimal) -> Result<Decimal, Kind> {
    let shares = shares_as_converted(charter)?;
    if shares.is_zero() {
        return Ok(Decimal::ZERO);
    }
    exit.div(shares, "distribution per share")
}

/// How a class shares the residual beyond its preference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sharing {
    /// It does not (or not at this distribution per share).
    No,
    /// Without limit.
    Uncapped,
    /// Up to this much per share.
    Upto(Decimal),
}

/// How class `id` shares the residual under `terms` at distribution per
/// share `dps`: its cap less the preference for a cap "in total", the cap
/// itself for one "more". The waterfall, the deciders' prices and their
/// alternatives all read it here.
pub fn sharing(terms: &Terms, id: ClassId, dps: Decimal) -> Result<Sharing, Kind> {
    let Some(Some(p)) = terms.participation.get(id) else {
        return Ok(Sharing::No);
    };
    if !p.active(dps) {
        return Ok(Sharing::No);
    }
    let pref = terms
        .preference
        .get(id)
        .and_then(|p| p.as_ref())
        .map_or(Decimal::ZERO, |p| p.per_share);
    Ok(match p.cap {
        None => Sharing::Uncapped,
        Some(Cap::Total(c)) => Sharing::Upto(c.sub(pref, "participation cap")?.max(Decimal::ZERO)),
        Some(Cap::More(c)) => Sharing::Upto(c),
    })
}

/// The distribution per share where some participation under `terms`
/// depends on it, else zero: only conditional participation reads it, and it
/// sums every class.
pub fn distribution_read(charter: &Charter, terms: &Terms, exit: Decimal) -> Result<Decimal, Kind> {
    if terms.conditional() {
        distribution_per_share(charter, exit)
    } else {
        Ok(Decimal::ZERO)
    }
}

/// Every class's outstanding shares as converted, in all: what the
/// distribution per share divides by.
pub fn shares_as_converted(charter: &Charter) -> Result<Decimal, Kind> {
    let mut shares = Decimal::ZERO;
    for c in &charter.classes {
        let as_converted = c
            .outstanding
            .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
        shares = shares.add(as_converted, "shares as converted")?;
    }
    Ok(shares)
}

/// Builds the waterfall for `decisions`, with the reason for every share.
pub fn build(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<Waterfall, Kind> {
    build_with(charter, terms, decisions, exit, true)
}

/// Builds the waterfall for `decisions` without reasons (every share's
/// reason is 0, and `reasons` is empty): what reading amounts off it needs,
/// for the many waterfalls a search builds and never explains.
pub fn build_bare(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<Waterfall, Kind> {
    build_with(charter, terms, decisions, exit, false)
}
