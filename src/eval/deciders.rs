//! The deciders and when switching pays them.
//!
//! A decider is a class converting at its holders' option, a group of
//! classes converting on one election, or a pool of options or warrants being
//! exercised ([`Unit`]). Its payout reads off a waterfall as a linear
//! combination of class totals ([`Party`]), so under fixed decisions it is a
//! piecewise-linear function of the exit ([`Pl`]). [`settle`] makes the best
//! switches at a point until none pays; [`crossing`] finds the first exit at
//! which a switch starts to pay.

use rust_decimal::Decimal;

use super::linear::{PLACES, Party, Pl, merged_knots};
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
fn tolerance() -> Decimal {
    Decimal::new(1, 9)
}

/// A slope below this (dollars per dollar of exit) is no slope, for the
/// same reason.
fn slope_tolerance() -> Decimal {
    Decimal::new(1, 24)
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
    match unit {
        Unit::Class(id) => {
            if let Some(c) = d.converted.get_mut(*id) {
                *c = !*c;
            }
        }
        Unit::Group(g) => {
            if let Some(group) = charter.conversion.groups.get(*g) {
                let now = switched(charter, &d, unit);
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
    d
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
}

/// The reading of class totals under decisions `d` with `eff` shares taking part.
pub fn reading(charter: &Charter, eff: &[Decimal], d: &Decisions) -> Result<Reading, Kind> {
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
    Ok(Reading { classes, pools })
}

impl Reading {
    /// The amounts, classes then pools, from class totals.
    pub fn amounts(&self, totals: &[Decimal]) -> Result<Vec<Decimal>, Kind> {
        let mut out = Vec::with_capacity(self.classes.len() + self.pools.len());
        for (total, share) in totals.iter().zip(&self.classes) {
            out.push(total.mul(*share, "class payout")?);
        }
        for pool in &self.pools {
            out.push(match pool {
                Some((class, share, paid)) => totals
                    .get(*class)
                    .copied()
                    .unwrap_or_default()
                    .mul(*share, "pool payout")?
                    .sub(*paid, "pool payout")?,
                None => Decimal::ZERO,
            });
        }
        Ok(out)
    }
}

/// What each class (on its outstanding shares) and each pool (net of its
/// exercise price) receives, from class totals on the shares taking part.
/// The payout, the curve and the decisions all read amounts here.
pub fn amounts(
    charter: &Charter,
    eff: &[Decimal],
    d: &Decisions,
    totals: &[Decimal],
) -> Result<Vec<Decimal>, Kind> {
    reading(charter, eff, d)?.amounts(totals)
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
    amounts(charter, &w.shares, d, &totals)
}

/// How a party's payout reads off class totals (see [`amounts`]).
fn party(charter: &Charter, eff: &[Decimal], d: &Decisions, who: Who) -> Result<Party, Kind> {
    let share = |id: ClassId, n: Decimal| -> Result<Decimal, Kind> {
        let e = eff.get(id).copied().unwrap_or_default();
        if e.is_zero() {
            Ok(Decimal::ZERO)
        } else {
            n.div(e, "share of class")
        }
    };
    match who {
        Who::Class(id) => {
            let n = charter
                .classes
                .get(id)
                .map(|c| c.outstanding)
                .unwrap_or_default();
            Ok(Party {
                terms: vec![(id, share(id, n)?)],
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
                terms: vec![(pool.class, share(pool.class, pool.count)?)],
                less: pool.count.mul(pool.strike, "exercise price")?,
            })
        }
    }
}

/// A class or a pool, as a payee.
#[derive(Debug, Clone, Copy)]
enum Who {
    Class(ClassId),
    Pool(usize),
}

/// Those whose gain decides a switch, with the shares each votes (a class
/// or a pool deciding alone votes one).
fn deciders(charter: &Charter, unit: &Unit) -> Vec<(Who, Decimal)> {
    match unit {
        Unit::Class(id) => vec![(Who::Class(*id), Decimal::ONE)],
        Unit::Pool(p) => vec![(Who::Pool(*p), Decimal::ONE)],
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .map(|group| {
                group
                    .electors
                    .iter()
                    .map(|e| {
                        let n = charter
                            .classes
                            .get(*e)
                            .map(|c| c.outstanding)
                            .unwrap_or_default();
                        (Who::Class(*e), n)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Whether the deciders gaining (`yes` of `all` votes) carry the switch.
fn carried(charter: &Charter, unit: &Unit, yes: Decimal, all: Decimal) -> bool {
    match unit {
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .is_some_and(|group| group.threshold.met(yes, all)),
        _ => yes > Decimal::ZERO,
    }
}

/// The shares a decider's gain is divided by, to order switches by gain per
/// common-equivalent share.
fn per_share_weight(charter: &Charter, eff: &[Decimal], unit: &Unit) -> Result<Decimal, Kind> {
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
fn members(charter: &Charter, g: usize) -> &[ClassId] {
    charter
        .conversion
        .groups
        .get(g)
        .map(|g| g.members.as_slice())
        .unwrap_or(&[])
}

/// The payout of a unit as a whole (a group: its members').
fn unit_party(
    charter: &Charter,
    eff: &[Decimal],
    d: &Decisions,
    unit: &Unit,
) -> Result<Party, Kind> {
    match unit {
        Unit::Class(id) => party(charter, eff, d, Who::Class(*id)),
        Unit::Pool(p) => party(charter, eff, d, Who::Pool(*p)),
        Unit::Group(g) => {
            let mut all = Party::default();
            for m in members(charter, *g) {
                all.terms
                    .extend(party(charter, eff, d, Who::Class(*m))?.terms);
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
    fn pl(&self, charter: &Charter, who: Who, from: Decimal) -> Result<Pl, Kind> {
        let p = party(charter, &self.w.shares, &self.d, who)?;
        Pl::of(&self.w, self.paid, &p, from)
    }
}

/// Whether a gain of `(value, slope)` at a point is a gain just right of it
/// (`right`) or at the point itself.
fn gains(value: Decimal, slope: Decimal, right: bool) -> bool {
    value > tolerance() || (right && value.abs() <= tolerance() && slope > slope_tolerance())
}

/// Settles decisions at `x` by best response from `d`: each round, the
/// switch with the greatest gain per common-equivalent share is made, until
/// none gains. With `right`, gains are judged just right of `x` (value,
/// then slope); else at `x` itself.
pub(crate) fn settle(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    x: Decimal,
    rep: Decimal,
    mut d: Decisions,
    right: bool,
) -> Result<Decisions, Kind> {
    let mut seen: Vec<Decisions> = Vec::new();
    loop {
        if seen.contains(&d) {
            return Err(Kind::NoEquilibrium);
        }
        seen.push(d.clone());
        let base = build(charter, terms, &d, rep)?;
        let mut best: Option<((Decimal, Decimal), usize)> = None;
        for (i, (unit, _)) in units.iter().enumerate() {
            let alt = build(charter, terms, &toggle(charter, &d, unit), rep)?;
            let mut yes = Decimal::ZERO;
            let mut all = Decimal::ZERO;
            for (who, votes) in deciders(charter, unit) {
                let (b, bs) = base.pl(charter, who, x)?.at(x)?;
                let (a, as_) = alt.pl(charter, who, x)?.at(x)?;
                all = all.add(votes, "votes")?;
                if gains(a.sub(b, "gain")?, as_.sub(bs, "gain")?, right) {
                    yes = yes.add(votes, "votes")?;
                }
            }
            if !carried(charter, unit, yes, all) {
                continue;
            }
            let bp = unit_party(charter, &base.w.shares, &base.d, unit)?;
            let ap = unit_party(charter, &alt.w.shares, &alt.d, unit)?;
            let (b, bs) = Pl::of(&base.w, base.paid, &bp, x)?.at(x)?;
            let (a, as_) = Pl::of(&alt.w, alt.paid, &ap, x)?.at(x)?;
            let weight = per_share_weight(charter, &base.w.shares, unit)?;
            let per = |v: Decimal| -> Result<Decimal, Kind> {
                if weight.is_zero() {
                    Ok(v)
                } else {
                    v.div(weight, "gain per share")
                }
            };
            let g = (per(a.sub(b, "gain")?)?, per(as_.sub(bs, "gain")?)?);
            if best.is_none_or(|(b, _)| g > b) {
                best = Some((g, i));
            }
        }
        match best.and_then(|(_, i)| units.get(i)) {
            Some((unit, _)) => d = toggle(charter, &d, unit),
            None => return Ok(d),
        }
    }
}

/// The first exit after `x0` (and before `end`) at which switching `unit`
/// pays its deciders, given the other decisions of `base`.
pub(crate) fn crossing(
    charter: &Charter,
    terms: &Terms,
    base: &Built,
    unit: &Unit,
    x0: Decimal,
    rep: Decimal,
    end: Option<Decimal>,
) -> Result<Option<Decimal>, Kind> {
    let alt = build(charter, terms, &toggle(charter, &base.d, unit), rep)?;
    let mut pairs = Vec::new();
    for (who, votes) in deciders(charter, unit) {
        pairs.push((base.pl(charter, who, x0)?, alt.pl(charter, who, x0)?, votes));
    }
    let all = crate::num::sum(pairs.iter().map(|p| p.2), "votes")?;
    let pls: Vec<&Pl> = pairs.iter().flat_map(|(b, a, _)| [b, a]).collect();
    let xs = merged_knots(&pls, x0, end);
    for (i, a) in xs.iter().enumerate() {
        let b = xs.get(i + 1).copied().or(end);
        // The gains at `a` and their slopes; where each turns positive.
        let mut points = vec![*a];
        let mut lines = Vec::new();
        for (bp, ap, votes) in &pairs {
            let (bv, bs) = bp.at(*a)?;
            let (av, as_) = ap.at(*a)?;
            let (g, s) = (av.sub(bv, "gain")?, as_.sub(bs, "gain")?);
            if s > slope_tolerance() && g < Decimal::ZERO {
                let root = a.sub(g.div(s, "crossing")?, "crossing")?;
                if b.is_none_or(|b| root < b) {
                    points.push(root);
                }
            }
            lines.push((g, s, *votes));
        }
        points.sort();
        for p in points {
            let mut yes = Decimal::ZERO;
            for (g, s, votes) in &lines {
                let v = g.add(p.sub(*a, "exit")?.mul(*s, "gain")?, "gain")?;
                if gains(v, *s, true) {
                    yes = yes.add(*votes, "votes")?;
                }
            }
            let p = p.round_dp(PLACES);
            if p > x0 && carried(charter, unit, yes, all) {
                return Ok(Some(p));
            }
        }
    }
    Ok(None)
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

/// Where a decider switches by the residual's level alone.
///
/// A class converting at its own option, with no warrants or options for its
/// own shares, gains by converting exactly when a common-equivalent share of
/// the residual is worth more than what the class gets per common-equivalent
/// share without converting: its preference (with dividends), plus the
/// participation its cap allows, less any cash paid on conversion. At that
/// price converting or not pays every holder the same, so the switch leaves
/// the level where it is, and above it the class gains. A fully
/// participating class never gains (converting gives up its preference for a
/// share of it). An option or warrant pool for common gains exactly above its
/// strike. Groups and pools for preferred are decided by the general search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Price {
    /// Switches when the level passes this amount per common-equivalent share.
    At(Decimal),
    /// Never gains by switching.
    Never,
}

/// The price of each decider, or `None` for one the general search decides,
/// under the terms in force at exit `rep` (conditional participation).
pub(crate) fn prices(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    rep: Decimal,
) -> Result<Vec<Option<Price>>, Kind> {
    let dps = waterfall::distribution_per_share(charter, rep)?;
    let grouped = |id: ClassId| {
        charter
            .conversion
            .groups
            .iter()
            .any(|g| g.members.contains(&id) || g.electors.contains(&id))
    };
    let mut out = Vec::with_capacity(units.len());
    for (unit, _) in units {
        out.push(match unit {
            Unit::Group(_) => None,
            Unit::Pool(p) => charter.pools.get(*p).and_then(|pool| {
                charter
                    .classes
                    .get(pool.class)
                    .filter(|c| c.common)
                    .map(|_| {
                        // With nothing to exercise, nothing is gained.
                        if pool.count.is_zero() {
                            Price::Never
                        } else {
                            Price::At(pool.strike)
                        }
                    })
            }),
            Unit::Class(id) => {
                let id = *id;
                let Some(class) = charter.classes.get(id) else {
                    out.push(None);
                    continue;
                };
                let ratio = class.ratio.unwrap_or(Decimal::ONE);
                if class.outstanding.is_zero() && !grouped(id) {
                    // No shares: converting gains nothing, so it keeps its stock.
                    out.push(Some(Price::Never));
                    continue;
                }
                if grouped(id)
                    || charter.pools.iter().any(|p| p.class == id)
                    || ratio <= Decimal::ZERO
                {
                    out.push(None);
                    continue;
                }
                let pref = terms.preference.get(id).and_then(|p| p.as_ref());
                let with_dividends = match pref {
                    Some(p) => p
                        .with_dividends(class)
                        .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?,
                    None => Decimal::ZERO,
                };
                let room = match terms.participation.get(id).and_then(|p| p.as_ref()) {
                    Some(p) if p.active(dps) => match p.cap {
                        None => {
                            out.push(Some(Price::Never));
                            continue;
                        }
                        Some(crate::ir::Cap::Total(c)) => c
                            .sub(
                                pref.map_or(Decimal::ZERO, |p| p.per_share),
                                "participation cap",
                            )?
                            .max(Decimal::ZERO),
                        Some(crate::ir::Cap::More(c)) => c,
                    },
                    _ => Decimal::ZERO,
                };
                let cash = charter
                    .conversion
                    .rights
                    .get(id)
                    .and_then(|r| r.as_ref())
                    .map_or(Decimal::ZERO, |r| r.cash_per_share);
                let per_share = with_dividends
                    .add(room, "conversion price")?
                    .sub(cash, "conversion price")?;
                Some(Price::At(per_share.div(ratio, "conversion price")?))
            }
        });
    }
    Ok(out)
}

/// The first exit after `x0` (and before `end`) at which a decider with a
/// price gains by switching, read off `base`'s residual: `Ok(None)` where it
/// never does, `Err(())` where the reading is not conclusive (the level
/// already stands past the price at `x0`), for the general search.
pub(crate) fn crossing_at_price(
    base: &Built,
    price: Price,
    switched: bool,
    x0: Decimal,
    end: Option<Decimal>,
) -> Result<Result<Option<Decimal>, ()>, Kind> {
    let Price::At(p) = price else {
        return Ok(Ok(None));
    };
    if switched {
        // The level only rises along the regime: a class that converted
        // below it stays converted.
        return Ok(Ok(None));
    }
    let Some(y) = waterfall::at_level(&base.w, p)? else {
        return Ok(Ok(None));
    };
    let x = y.sub(base.paid, "exit")?.round_dp(PLACES);
    if x <= x0 {
        return Ok(Err(()));
    }
    Ok(Ok(end.is_none_or(|e| x < e).then_some(x)))
}

/// Settles decisions at `x` for deciders with prices by comparing the
/// residual's level with each price, one price at a time, most in the money
/// first; deciders without a price are then settled by the general search.
/// Starts from `start`, the waterfall of the decisions as they stand (built
/// for `rep`), and returns the settled decisions' waterfall, so that the
/// walk builds each waterfall once.
#[allow(clippy::too_many_arguments)]
pub(crate) fn settle_by_price(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    prices: &[Option<Price>],
    x: Decimal,
    rep: Decimal,
    start: Built,
    right: bool,
) -> Result<Built, Kind> {
    let mut seen: Vec<Decisions> = Vec::new();
    let mut base = start;
    loop {
        if seen.contains(&base.d) {
            return Err(Kind::NoEquilibrium);
        }
        seen.push(base.d.clone());
        let (level, slope) = waterfall::level_at(&base.w, x.add(base.paid, "proceeds")?)?;
        // The switches that pay: (how far in the money, unit); a converted
        // class returns to preferred stock only if the level is below its price.
        let mut best: Option<(Decimal, Decimal)> = None;
        let mut wanting = Vec::new();
        for (i, ((unit, _), price)) in units.iter().zip(prices).enumerate() {
            let Some(Price::At(p)) = price else { continue };
            let weight = per_share_weight(charter, &base.w.shares, unit)?;
            let tol = if weight.is_zero() {
                tolerance()
            } else {
                tolerance().div(weight, "tolerance")?
            };
            let gain = level.sub(*p, "gain")?;
            let now = switched(charter, &base.d, unit);
            let wants = if now {
                gain < -tol
            } else {
                gain > tol || (right && gain.abs() <= tol && slope > Decimal::ZERO)
            };
            if wants {
                let by = gain.abs();
                wanting.push((i, *p));
                if best.is_none_or(|(b, _)| by > b) {
                    best = Some((by, *p));
                }
            }
        }
        let Some((_, price)) = best else {
            break;
        };
        // Deciders at the same price switch together: at that price none of
        // them moves the level.
        let mut d = base.d.clone();
        for (i, p) in wanting {
            if p == price
                && let Some((unit, _)) = units.get(i)
            {
                d = toggle(charter, &d, unit);
            }
        }
        base = build(charter, terms, &d, rep)?;
    }
    if prices.iter().any(Option::is_none) {
        let d = settle(charter, terms, units, x, rep, base.d.clone(), right)?;
        if d != base.d {
            base = build(charter, terms, &d, rep)?;
        }
    }
    Ok(base)
}

/// What a decider with a price would receive at `w`'s proceeds by deciding
/// the other way alone, solved from `w`'s residual without building the
/// other waterfall: switching moves the preferences by the decider's own
/// (less any cash on conversion), or adds the exercise price, and swaps its
/// claim in the residual; the residual's new level is one water-fill solve.
/// `None` where the proceeds do not reach the residual both ways (the general
/// answer, a waterfall built for the switch, is needed there).
pub(crate) fn alternative_by_price(
    charter: &Charter,
    terms: &Terms,
    w: &Waterfall,
    d: &Decisions,
    unit: &Unit,
) -> Result<Option<Decimal>, Kind> {
    // The residual's claims: (class, weight, level at which it is full).
    let mut start = Decimal::ZERO;
    let mut first = None;
    for (k, t) in w.tranches.iter().enumerate() {
        if t.residual {
            first = Some(k);
            break;
        }
        start = start.add(t.size.unwrap_or_default(), "tranche end")?;
    }
    let Some(first) = first else { return Ok(None) };
    let mut claims: Vec<(ClassId, Decimal, Option<Decimal>)> = Vec::new();
    for t in w.tranches.iter().skip(first) {
        for (id, _) in &t.ends {
            if let Some((_, weight, _)) = w.shares(t).iter().find(|s| s.0 == *id) {
                claims.push((*id, *weight, t.level));
            }
        }
        if t.size.is_none() {
            for (id, weight, _) in w.shares(t) {
                claims.push((*id, *weight, None));
            }
        }
    }
    let y = w.proceeds;
    let residual = y.sub(start, "residual")?;
    if residual < Decimal::ZERO {
        return Ok(None);
    }
    match unit {
        Unit::Pool(p) => {
            let Some(pool) = charter.pools.get(*p) else {
                return Ok(None);
            };
            if d.exercised.get(*p).copied().unwrap_or(false) {
                return Ok(Some(Decimal::ZERO));
            }
            let paid = pool.count.mul(pool.strike, "exercise price")?;
            claims.push((pool.class, pool.count, None));
            let level = solve_level(&claims, residual.add(paid, "residual")?)?;
            Ok(Some(
                level
                    .mul(pool.count, "pool payout")?
                    .sub(paid, "pool payout")?,
            ))
        }
        Unit::Class(id) => {
            let id = *id;
            let Some(class) = charter.classes.get(id) else {
                return Ok(None);
            };
            let n = class.outstanding;
            let a = n.mul(class.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
            let pref = match terms.preference.get(id).and_then(|p| p.as_ref()) {
                Some(p) => n.mul(
                    p.with_dividends(class)
                        .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?,
                    "preference",
                )?,
                None => Decimal::ZERO,
            };
            let cash = charter
                .conversion
                .rights
                .get(id)
                .and_then(|r| r.as_ref())
                .map_or(Ok(Decimal::ZERO), |r| {
                    n.mul(r.cash_per_share, "cash on conversion")
                })?;
            let own = claims.iter().position(|c| c.0 == id);
            if let Some(i) = own {
                claims.remove(i);
            }
            if d.converted.get(id).copied().unwrap_or(false) {
                // Back to preferred: its preference is claimed again, ahead of the residual.
                let residual = residual.add(cash, "residual")?.sub(pref, "residual")?;
                if residual < Decimal::ZERO {
                    return Ok(None);
                }
                let dps = waterfall::distribution_per_share(charter, y)?;
                let part = terms.participation.get(id).and_then(|p| p.as_ref());
                let room = match part {
                    Some(p) if p.active(dps) => match p.cap {
                        None => Some(None),
                        Some(crate::ir::Cap::Total(c)) => Some(Some(
                            n.mul(
                                c.sub(
                                    terms
                                        .preference
                                        .get(id)
                                        .and_then(|p| p.as_ref())
                                        .map_or(Decimal::ZERO, |p| p.per_share),
                                    "participation cap",
                                )?
                                .max(Decimal::ZERO),
                                "participation cap",
                            )?,
                        )),
                        Some(crate::ir::Cap::More(c)) => Some(Some(n.mul(c, "participation cap")?)),
                    },
                    _ => None,
                };
                let Some(room) = room else {
                    return Ok(Some(pref));
                };
                let level_cap = room.map(|r| r.div(a, "level")).transpose()?;
                claims.push((id, a, level_cap));
                let level = solve_level(&claims, residual)?;
                let share = level.mul(a, "participation")?;
                Ok(Some(
                    pref.add(room.map_or(share, |r| share.min(r)), "payout")?,
                ))
            } else {
                // Converting: its preference gives way to any cash, and it joins the residual as common.
                if cash > pref {
                    return Ok(None);
                }
                let residual = residual.add(pref, "residual")?.sub(cash, "residual")?;
                claims.push((id, a, None));
                let level = solve_level(&claims, residual)?;
                Ok(Some(cash.add(level.mul(a, "residual share")?, "payout")?))
            }
        }
        Unit::Group(_) => Ok(None),
    }
}

/// The water-fill level at which claims (weight, level at which each is
/// full, or none) take `amount` in all.
fn solve_level(
    claims: &[(ClassId, Decimal, Option<Decimal>)],
    amount: Decimal,
) -> Result<Decimal, Kind> {
    let mut sorted: Vec<&(ClassId, Decimal, Option<Decimal>)> = claims.iter().collect();
    sorted.sort_by_key(|c| (c.2.is_none(), c.2));
    let mut active = crate::num::sum(sorted.iter().map(|c| c.1), "weights")?;
    let mut taken = Decimal::ZERO;
    let mut prev = Decimal::ZERO;
    for c in sorted {
        if active <= Decimal::ZERO {
            break;
        }
        let Some(level) = c.2 else { break };
        let next = taken.add(level.sub(prev, "level")?.mul(active, "tranche")?, "tranche")?;
        if next >= amount {
            break;
        }
        taken = next;
        prev = level;
        active = active.sub(c.1, "weights")?;
    }
    if active <= Decimal::ZERO {
        return Ok(prev);
    }
    prev.add(amount.sub(taken, "level")?.div(active, "level")?, "level")
}
