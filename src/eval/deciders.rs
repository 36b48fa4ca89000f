//! The deciders and what they receive.
//!
//! A decider is a class converting at its holders' option, a group of
//! classes converting on one election, or a pool of options or warrants being
//! exercised ([`Unit`]). Its payout reads off a waterfall as a linear
//! combination of class totals ([`Reading`] for every class and pool at once,
//! a [`Party`] for one decider). When switching pays it is decided in
//! [`super::prices`] (deciders with a price) and [`super::search`] (the
//! others).

use rust_decimal::Decimal;

use super::linear::{Party, Pl, Term};
use super::record::Owed;
use super::waterfall::{self, Decisions, Waterfall};
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, ClassId, ConversionMode, Terms};
use crate::num::Checked;

/// One decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A class converting at its holders' option.
    Class(usize),
    /// A group converting on one election.
    Group(usize),
    /// An option or warrant pool being exercised.
    Pool(usize),
}

/// Every decision the charter leaves to holders.
pub fn units(charter: &Charter) -> Vec<(Unit, Cite)> {
    let mut out = Vec::new();
    for (id, right) in charter.conversion.rights.iter().enumerate() {
        if let Some(r) = right
            && matches!(r.mode, ConversionMode::Optional)
        {
            out.push((Unit::Class(id), r.cite.clone()));
        }
    }
    for (g, group) in charter.conversion.groups.iter().enumerate() {
        out.push((Unit::Group(g), group.cite.clone()));
    }
    for (p, pool) in charter.pools.iter().enumerate() {
        out.push((Unit::Pool(p), pool.cite.clone()));
    }
    out
}

/// A gain below this (in dollars, for a whole decider) is no gain: decimal
/// division carries 28 digits, and differences in the last of them are noise.
pub(crate) fn tolerance() -> Decimal {
    Decimal::new(1, 9)
}

/// The decisions of nobody: no class converted, no option exercised.
pub fn nobody(charter: &Charter) -> Decisions {
    Decisions {
        converted: vec![false; charter.classes.len()],
        exercised: vec![false; charter.pools.len()],
    }
}

/// Switches one decider.
pub fn toggle(charter: &Charter, d: &Decisions, unit: &Unit) -> Decisions {
    let mut d = d.clone();
    toggle_in(charter, &mut d, unit);
    d
}

/// [`toggle`] in place: a loop that switches many deciders one after
/// another copies the decisions once, not once a decider.
pub fn toggle_in(charter: &Charter, d: &mut Decisions, unit: &Unit) {
    match unit {
        Unit::Class(id) => {
            if let Some(c) = d.converted.get_mut(*id) {
                *c = !*c;
            }
        }
        Unit::Group(g) => {
            if let Some(group) = charter.conversion.groups.get(*g) {
                let now = switched(charter, d, unit);
                for m in &group.members {
                    if let Some(c) = d.converted.get_mut(*m) {
                        *c = !now;
                    }
                }
            }
        }
        Unit::Pool(p) => {
            if let Some(e) = d.exercised.get_mut(*p) {
                *e = !*e;
            }
        }
    }
}

/// Whether a decider has switched (converted or exercised).
pub fn switched(charter: &Charter, d: &Decisions, unit: &Unit) -> bool {
    match unit {
        Unit::Class(id) => d.converted.get(*id).copied().unwrap_or(false),
        Unit::Group(g) => charter.conversion.groups.get(*g).is_some_and(|group| {
            group
                .members
                .iter()
                .any(|m| d.converted.get(*m).copied().unwrap_or(false))
        }),
        Unit::Pool(p) => d.exercised.get(*p).copied().unwrap_or(false),
    }
}

/// Exercise prices paid in under `d`.
pub fn paid_in(charter: &Charter, d: &Decisions) -> Result<Decimal, Kind> {
    let mut paid = Decimal::ZERO;
    for (pool, e) in charter.pools.iter().zip(&d.exercised) {
        if *e {
            paid = paid.add(
                pool.count.mul(pool.strike, "exercise price paid")?,
                "amount distributed",
            )?;
        }
    }
    Ok(paid)
}

/// How class totals (on the shares taking part) become what each class (on
/// its outstanding shares) and each pool (net of its exercise price)
/// receives: fixed while the decisions are, so a curve keeps one per regime.
#[derive(Debug, Clone)]
pub struct Reading {
    /// Per class, the share of its total its outstanding shares take.
    pub classes: Vec<Decimal>,
    /// Per pool, if exercised: its class, the share of that class's total
    /// its shares take, and the exercise price paid.
    pub pools: Vec<Option<(ClassId, Decimal, Decimal)>>,
    /// Per class, where its shares are not all owed alike (dividends owed
    /// to its shares of record only, beside shares issued on exercise): its
    /// claim, which its shares divide by what each is owed before the
    /// residual divides by shares. Where any is set the amounts are not a
    /// fixed share of the class totals.
    pub owed: Vec<Option<Owed>>,
    /// Per pool, the shares it buys.
    counts: Vec<Decimal>,
}

/// The reading of class totals under decisions `d` off waterfall `w`.
pub fn reading(charter: &Charter, w: &Waterfall, d: &Decisions) -> Result<Reading, Kind> {
    let eff = &w.shares;
    let share = |id: ClassId, n: Decimal, what: &str| -> Result<Decimal, Kind> {
        let e = eff.get(id).copied().unwrap_or_default();
        if e.is_zero() {
            Ok(Decimal::ZERO)
        } else {
            n.div(e, what)
        }
    };
    let mut classes = Vec::with_capacity(charter.classes.len());
    for (id, c) in charter.classes.iter().enumerate() {
        classes.push(share(id, c.outstanding, "share of class")?);
    }
    let mut pools = Vec::with_capacity(charter.pools.len());
    for (p, pool) in charter.pools.iter().enumerate() {
        pools.push(if d.exercised.get(p).copied().unwrap_or(false) {
            Some((
                pool.class,
                share(pool.class, pool.count, "pool share")?,
                pool.count.mul(pool.strike, "exercise price")?,
            ))
        } else {
            None
        });
    }
    Ok(Reading {
        classes,
        pools,
        owed: w.owed.clone(),
        counts: charter.pools.iter().map(|p| p.count).collect(),
    })
}

impl Reading {
    /// The amounts, classes then pools, from class totals. Where a class's
    /// shares are not all owed alike, each exercised pool takes its part and
    /// the shares of record the rest, so the parts add up to the total.
    pub fn amounts(&self, totals: &[Decimal]) -> Result<Vec<Decimal>, Kind> {
        let total = |id: ClassId| totals.get(id).copied().unwrap_or_default();
        let mut taken = Vec::with_capacity(self.pools.len());
        // What the pools take of each class whose shares are not owed alike.
        let mut by_pools = vec![Decimal::ZERO; self.classes.len()];
        for (p, pool) in self.pools.iter().enumerate() {
            taken.push(match (pool, pool.and_then(|(c, ..)| self.owed_of(c))) {
                (Some((class, _, paid)), Some(o)) => {
                    let count = self.counts.get(p).copied().unwrap_or_default();
                    let gross = o.amount(total(*class), count, false)?;
                    if let Some(slot) = by_pools.get_mut(*class) {
                        *slot = slot.add(gross, "pool payout")?;
                    }
                    gross.sub(*paid, "pool payout")?
                }
                (Some((class, share, paid)), None) => total(*class)
                    .mul(*share, "pool payout")?
                    .sub(*paid, "pool payout")?,
                (None, _) => Decimal::ZERO,
            });
        }
        let mut out = Vec::with_capacity(self.classes.len().saturating_add(self.pools.len()));
        for (id, share) in self.classes.iter().enumerate() {
            out.push(match self.owed_of(id) {
                Some(_) => total(id).sub(
                    by_pools.get(id).copied().unwrap_or_default(),
                    "class payout",
                )?,
                None => total(id).mul(*share, "class payout")?,
            });
        }
        out.extend(taken);
        Ok(out)
    }

    /// Whether every amount is a fixed share of a class total.
    pub fn linear(&self) -> bool {
        self.owed.iter().all(Option::is_none)
    }

    /// Class `id`'s claim, where its shares are not all owed alike.
    pub fn owed_of(&self, id: ClassId) -> Option<&Owed> {
        self.owed.get(id).and_then(Option::as_ref)
    }
}

/// What each class (on its outstanding shares) and each pool (net of its
/// exercise price) receives, from class totals on the shares taking part of
/// waterfall `w`. The payout, the curve and the decisions all read amounts
/// here.
pub fn amounts(
    charter: &Charter,
    w: &Waterfall,
    d: &Decisions,
    totals: &[Decimal],
) -> Result<Vec<Decimal>, Kind> {
    reading(charter, w, d)?.amounts(totals)
}

/// [`amounts`] at `w`'s proceeds for the classes a decider's payout reads
/// (its own, a group's members, a pool's class); the others are left zero.
pub fn amounts_of(
    charter: &Charter,
    w: &Waterfall,
    d: &Decisions,
    unit: &Unit,
) -> Result<Vec<Decimal>, Kind> {
    let ids: Vec<ClassId> = match unit {
        Unit::Class(id) => vec![*id],
        Unit::Group(g) => members(charter, *g).to_vec(),
        Unit::Pool(p) => charter
            .pools
            .get(*p)
            .map(|p| vec![p.class])
            .unwrap_or_default(),
    };
    let some = waterfall::totals_of(w, &ids)?;
    let mut totals = vec![Decimal::ZERO; charter.classes.len()];
    for (id, t) in ids.iter().zip(some) {
        if let Some(slot) = totals.get_mut(*id) {
            *slot = t;
        }
    }
    amounts(charter, w, d, &totals)
}

/// How a party's payout reads off class totals (see [`amounts`]): per
/// class, the share of what its claim pays and of what the residual pays
/// that the party's shares take.
pub(crate) fn party(
    charter: &Charter,
    w: &Waterfall,
    d: &Decisions,
    who: Who,
) -> Result<Party, Kind> {
    let eff = &w.shares;
    let term = |id: ClassId, n: Decimal, of_record: bool| -> Result<Term, Kind> {
        let e = eff.get(id).copied().unwrap_or_default();
        let residual = if e.is_zero() {
            Decimal::ZERO
        } else {
            n.div(e, "share of class")?
        };
        let claim = match w.owed.get(id).and_then(Option::as_ref) {
            Some(o) => o.claim_share(n, of_record)?.decimal(),
            None => residual,
        };
        Ok(Term {
            class: id,
            claim,
            residual,
        })
    };
    match who {
        Who::Class(id) => {
            let n = charter
                .classes
                .get(id)
                .map(|c| c.outstanding)
                .unwrap_or_default();
            Ok(Party {
                terms: vec![term(id, n, true)?],
                less: Decimal::ZERO,
            })
        }
        Who::Pool(p) => {
            let Some(pool) = charter.pools.get(p) else {
                return Ok(Party::default());
            };
            if !d.exercised.get(p).copied().unwrap_or(false) {
                return Ok(Party::default());
            }
            Ok(Party {
                terms: vec![term(pool.class, pool.count, false)?],
                less: pool.count.mul(pool.strike, "exercise price")?,
            })
        }
    }
}

/// A class or a pool, as a payee.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who {
    Class(ClassId),
    Pool(usize),
}

/// The shares a decider's gain is divided by, to order switches by gain per
/// common-equivalent share.
pub(crate) fn per_share_weight(
    charter: &Charter,
    eff: &[Decimal],
    unit: &Unit,
) -> Result<Decimal, Kind> {
    let as_converted = |id: ClassId| -> Result<Decimal, Kind> {
        let ratio = charter
            .classes
            .get(id)
            .and_then(|c| c.ratio)
            .unwrap_or(Decimal::ONE);
        eff.get(id)
            .copied()
            .unwrap_or_default()
            .mul(ratio, "shares as converted")
    };
    match unit {
        Unit::Class(id) => as_converted(*id),
        Unit::Pool(p) => Ok(charter.pools.get(*p).map_or(Decimal::ONE, |p| p.count)),
        Unit::Group(g) => {
            let mut w = Decimal::ZERO;
            for m in members(charter, *g) {
                w = w.add(as_converted(*m)?, "group shares")?;
            }
            Ok(w)
        }
    }
}

/// The classes converting on a group's election.
pub(crate) fn members(charter: &Charter, g: usize) -> &[ClassId] {
    charter
        .conversion
        .groups
        .get(g)
        .map(|g| g.members.as_slice())
        .unwrap_or(&[])
}

/// The payout of a unit as a whole (a group: its members').
pub(crate) fn unit_party(
    charter: &Charter,
    w: &Waterfall,
    d: &Decisions,
    unit: &Unit,
) -> Result<Party, Kind> {
    match unit {
        Unit::Class(id) => party(charter, w, d, Who::Class(*id)),
        Unit::Pool(p) => party(charter, w, d, Who::Pool(*p)),
        Unit::Group(g) => {
            let mut all = Party::default();
            for m in members(charter, *g) {
                all.terms
                    .extend(party(charter, w, d, Who::Class(*m))?.terms);
            }
            Ok(all)
        }
    }
}

/// A waterfall under decisions, with what it takes to read payouts off it.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    pub(crate) d: Decisions,
    pub(crate) w: Waterfall,
    pub(crate) paid: Decimal,
}

pub(crate) fn build(
    charter: &Charter,
    terms: &Terms,
    d: &Decisions,
    rep: Decimal,
) -> Result<Built, Kind> {
    let w = waterfall::build_bare(charter, terms, d, rep)?;
    let paid = paid_in(charter, d)?;
    Ok(Built {
        d: d.clone(),
        w,
        paid,
    })
}

impl Built {
    /// `who`'s payout under this waterfall as a function of the exit, from `from`.
    pub(crate) fn pl(&self, charter: &Charter, who: Who, from: Decimal) -> Result<Pl, Kind> {
        let p = party(charter, &self.w, &self.d, who)?;
        Pl::of(&self.w, self.paid, &p, from)
    }
}

/// A decider's name: a class's, a group's members', a pool's.
pub fn unit_name(charter: &Charter, unit: &Unit) -> String {
    let class = |id: &usize| {
        charter
            .classes
            .get(*id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    match unit {
        Unit::Class(id) => class(id),
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .map(|g| g.members.iter().map(class).collect::<Vec<_>>().join(", "))
            .unwrap_or_default(),
        Unit::Pool(p) => charter
            .pools
            .get(*p)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    }
}
