//! The exit curve: every class's, pool's and holder's payout as a function
//! of the exit value, walked once along the exit axis.
//!
//! For fixed conversion decisions the waterfall is a list of tranches, so
//! each payout is piecewise linear in the exit. The walk starts at $0 with no
//! class converted and no option exercised, and carries the equilibrium from
//! one stretch of exits (a *regime*) to the next: for every decision it finds
//! the first exit at which switching pays the decider strictly more, given
//! the others' decisions; the nearest such exit (or a threshold of
//! conditional participation) ends the regime; there the decisions are
//! settled again by best response, just right of it. An exactly indifferent
//! decider keeps what it has, so the exit of a conversion still belongs to the
//! regime before it.
//!
//! Each regime holds one piece per tranche it crosses: the class totals at the
//! tranche's start and each class's rate in it. A payout read off the curve
//! is a binary search and one multiply per class, and does the same
//! arithmetic as a payout computed directly from the regime's waterfall
//! ([`waterfall::fill`]), so the two agree to the last digit.
//!
//! Cost: one waterfall per decider at each change of decisions, each
//! O(N log N + T) for N classes and T tranches; the pieces are O(N) each.

use rust_decimal::Decimal;

use super::equilibrium::{Unit, units};
use super::linear::{Party, Pl, merged_knots};
use super::waterfall::{self, Decisions, Tranche, Waterfall};
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, ClassId, Terms};
use crate::num::Checked;

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

/// Breakpoints are kept to this many decimal places: far below the cent,
/// and far above the noise of 28-digit division, so that an exit computed
/// as 210,000,000.000…01 is the 210,000,000 it is.
pub const PLACES: u32 = 12;

/// The most regimes a walk may have before it is reported rather than
/// continued: decisions that kept changing back and forth.
const MAX_REGIMES: usize = 100_000;

/// One tranche as a regime crosses it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The tranche's index in the regime's waterfall (the number of
    /// tranches for the stretch past them all, where nothing is paid).
    pub tranche: usize,
    /// Proceeds at which the tranche starts.
    pub start: Decimal,
    /// Class totals (on the shares taking part) at its start.
    pub base: Vec<Decimal>,
    /// Each receiving class, its weight and its rate.
    pub shares: Vec<(ClassId, Decimal, Decimal)>,
    /// The tranche's total weight.
    pub weight: Decimal,
    /// Why the split changes where it starts.
    pub causes: Vec<Cause>,
}

/// A stretch of exits under one set of decisions.
#[derive(Debug, Clone)]
pub struct Regime {
    /// The first exit.
    pub start: Decimal,
    /// Whether `start` itself belongs to this regime (else to the one
    /// before: the decider there was indifferent and kept what it had).
    pub closed: bool,
    /// The decisions.
    pub decisions: Decisions,
    /// An exit inside the regime, for conditional participation.
    pub rep: Decimal,
    /// Exercise prices paid in.
    pub paid: Decimal,
    /// Shares taking part, per class.
    pub eff: Vec<Decimal>,
    /// The tranches it crosses, in order.
    pub pieces: Vec<Piece>,
}

/// Why the curve bends at an exit.
#[derive(Debug, Clone)]
pub struct Cause {
    /// In words.
    pub what: String,
    /// The clause behind it.
    pub cite: Cite,
}

/// A point where some payout changes slope (or jumps).
#[derive(Debug, Clone)]
pub struct Breakpoint {
    /// The exit, to [`PLACES`] decimal places.
    pub exit: Decimal,
    /// Why, in order.
    pub causes: Vec<Cause>,
    /// The regime holding the exits just below it.
    pub left: usize,
    /// The regime holding the exits just above it (the next dollar's).
    pub right: usize,
}

/// The exit curve of a charter under one set of terms.
#[derive(Debug, Clone)]
pub struct Curve {
    /// The regimes, in increasing exit.
    pub regimes: Vec<Regime>,
    /// The breakpoints, in increasing exit; the first is $0.
    pub breakpoints: Vec<Breakpoint>,
    /// The exit the walk went to, if it was bounded.
    pub upto: Option<Decimal>,
}

/// Class totals (on shares taking part) at an exit, and the regime.
#[derive(Debug, Clone)]
pub struct Point {
    /// Index of the regime.
    pub regime: usize,
    /// Class totals.
    pub totals: Vec<Decimal>,
    /// Proceeds no class could take.
    pub unclaimed: Decimal,
}

impl Curve {
    /// The regime holding `x`. O(log R).
    pub fn regime_at(&self, x: Decimal) -> usize {
        self.regimes
            .partition_point(|r| r.start < x || (r.start == x && r.closed))
            .saturating_sub(1)
    }

    /// Class totals at `x`: a binary search, then one multiply per class.
    pub fn at(&self, x: Decimal) -> Result<Point, Kind> {
        self.at_in(self.regime_at(x), x)
    }

    /// The piece of regime `ri` that holds `x` (extended past the regime's
    /// ends, for the limits at a jump).
    pub fn piece_in(&self, ri: usize, x: Decimal) -> Result<&Piece, Kind> {
        let r = self
            .regimes
            .get(ri)
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?;
        let y = x.add(r.paid, "amount distributed")?;
        let pi = r.pieces.partition_point(|p| p.start <= y).saturating_sub(1);
        r.pieces
            .get(pi)
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))
    }

    /// Class totals at `x` under regime `ri`.
    pub fn at_in(&self, ri: usize, x: Decimal) -> Result<Point, Kind> {
        let r = self
            .regimes
            .get(ri)
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?;
        let p = self.piece_in(ri, x)?;
        let y = x.add(r.paid, "amount distributed")?;
        let rest = y.sub(p.start, "remaining proceeds")?;
        let mut totals = p.base.clone();
        let mut unclaimed = Decimal::ZERO;
        if p.shares.is_empty() {
            unclaimed = rest.max(Decimal::ZERO);
        } else if rest > Decimal::ZERO {
            // The same arithmetic as `waterfall::fill` on the tranche.
            for (id, _, rate) in &p.shares {
                if let Some(t) = totals.get_mut(*id) {
                    *t = t.add(rest.mul(*rate, "pro rata amount")?, "class payout")?;
                }
            }
        }
        Ok(Point {
            regime: ri,
            totals,
            unclaimed,
        })
    }
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

/// What each class (on its outstanding shares) and each pool (net of its
/// exercise price) receives, from class totals on the shares taking part.
/// The payout, the curve and the decisions all read amounts here.
pub fn amounts(
    charter: &Charter,
    eff: &[Decimal],
    d: &Decisions,
    totals: &[Decimal],
) -> Result<Vec<Decimal>, Kind> {
    let mut out = Vec::with_capacity(charter.classes.len() + charter.pools.len());
    for (id, c) in charter.classes.iter().enumerate() {
        let total = totals.get(id).copied().unwrap_or_default();
        let n = eff.get(id).copied().unwrap_or_default();
        out.push(if n.is_zero() {
            Decimal::ZERO
        } else {
            total.mul(c.outstanding.div(n, "share of class")?, "class payout")?
        });
    }
    for (p, pool) in charter.pools.iter().enumerate() {
        if !d.exercised.get(p).copied().unwrap_or(false) {
            out.push(Decimal::ZERO);
            continue;
        }
        let total = totals.get(pool.class).copied().unwrap_or_default();
        let n = eff.get(pool.class).copied().unwrap_or_default();
        let gross = if n.is_zero() {
            Decimal::ZERO
        } else {
            total.mul(pool.count.div(n, "pool share")?, "pool payout")?
        };
        out.push(gross.sub(
            pool.count.mul(pool.strike, "exercise price")?,
            "pool payout",
        )?);
    }
    Ok(out)
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
struct Built {
    d: Decisions,
    w: Waterfall,
    paid: Decimal,
}

fn build(charter: &Charter, terms: &Terms, d: &Decisions, rep: Decimal) -> Result<Built, Kind> {
    let w = waterfall::build(charter, terms, d, rep)?;
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
fn settle(
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
fn crossing(
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

/// The pieces of `b`'s waterfall from exit `x0` to `x1` (to the end when
/// `None`).
fn pieces(
    charter: &Charter,
    b: &Built,
    x0: Decimal,
    x1: Option<Decimal>,
) -> Result<Vec<Piece>, Kind> {
    let classes = charter.classes.len();
    let y0 = x0.add(b.paid, "amount distributed")?;
    let y1 = x1
        .map(|x| x.add(b.paid, "amount distributed"))
        .transpose()?;
    let (k0, _) = waterfall::locate(&b.w, y0)?;
    let mut out = Vec::new();
    let mut fill = waterfall::pour(&b.w, classes, k0)?;
    let mut start = Decimal::ZERO;
    for t in b.w.tranches.iter().take(k0) {
        start = start.add(t.size.unwrap_or_default(), "tranche end")?;
    }
    let mut k = k0;
    loop {
        let t: Option<&Tranche> = b.w.tranches.get(k);
        let mut shares = Vec::new();
        if let Some(t) = t {
            for (id, weight, _) in &t.shares {
                shares.push((*id, *weight, t.rate(*weight)?));
            }
        }
        out.push(Piece {
            tranche: k,
            start,
            base: fill.total.clone(),
            shares,
            weight: t.map(|t| t.weight).unwrap_or_default(),
            causes: super::bends::at_tranche(charter, &b.w, k),
        });
        let Some(size) = t.and_then(|t| t.size) else {
            break;
        };
        let end = start.add(size, "tranche end")?;
        if y1.is_some_and(|y1| end > y1) {
            break;
        }
        // The same arithmetic as `waterfall::pour`, one tranche further.
        fill = waterfall::pour(&b.w, classes, k + 1)?;
        start = end;
        k += 1;
    }
    Ok(out)
}

/// Walks the exit axis from $0 (to `upto`, if given) under `terms`.
pub fn walk(charter: &Charter, terms: &Terms, upto: Option<Decimal>) -> Result<Curve, Kind> {
    let units = units(charter);
    let bounds = thresholds(charter, terms)?;
    let zero = Decimal::ZERO;
    let mut regimes: Vec<Regime> = Vec::new();
    let mut events: Vec<(Decimal, Vec<Cause>)> = Vec::new();

    let mut d = settle(charter, terms, &units, zero, zero, nobody(charter), false)?;
    let mut x0 = zero;
    let mut closed = true;
    let right = settle(charter, terms, &units, zero, zero, d.clone(), true)?;
    if right != d {
        push_regime(&mut regimes, charter, terms, &d, zero, true, Some(zero))?;
        events.push((zero, switches(charter, &units, &d, &right)));
        d = right;
        closed = false;
    }
    loop {
        if regimes.len() > MAX_REGIMES {
            return Err(Kind::NoEquilibrium);
        }
        let rep = x0;
        let base = build(charter, terms, &d, rep)?;
        let bound = bounds.iter().find(|(b, _)| *b > x0).map(|b| b.0);
        let end = match (bound, upto) {
            (Some(b), Some(u)) => Some(b.min(u)),
            (b, u) => b.or(u),
        };
        let mut next: Option<Decimal> = None;
        for (unit, _) in &units {
            if let Some(c) = crossing(charter, terms, &base, unit, x0, rep, end)?
                && next.is_none_or(|n| c < n)
            {
                next = Some(c);
            }
        }
        // A crossing past `upto` is not walked to: the walk ends there.
        let crossing_first = next.is_some_and(|c| end.is_none_or(|e| c < e));
        let x1 = if crossing_first { next } else { end };
        let at_bound = !crossing_first && x1.is_some() && x1 == bound;
        let mut r = regime(charter, &base, x0, closed, x1)?;
        r.rep = rep;
        regimes.push(r);
        let Some(x1) = x1 else { break };
        if !crossing_first && !at_bound {
            break; // reached `upto`
        }
        if at_bound {
            // Conditional participation switches at the threshold itself.
            let at = settle(charter, terms, &units, x1, x1, d.clone(), false)?;
            let right = settle(charter, terms, &units, x1, x1, at.clone(), true)?;
            let mut causes = bounds
                .iter()
                .filter(|(b, _)| *b == x1)
                .map(|(_, c)| c.clone())
                .collect::<Vec<_>>();
            causes.extend(switches(charter, &units, &d, &at));
            if at != right {
                push_regime(&mut regimes, charter, terms, &at, x1, true, Some(x1))?;
                events.push((x1, causes));
                events.push((x1, switches(charter, &units, &at, &right)));
                closed = false;
            } else {
                events.push((x1, causes));
                closed = true;
            }
            d = right;
        } else {
            let right = settle(charter, terms, &units, x1, x1, d.clone(), true)?;
            events.push((x1, switches(charter, &units, &d, &right)));
            d = right;
            closed = false;
        }
        x0 = x1;
    }
    let breakpoints = breakpoints(&regimes, &events)?;
    Ok(Curve {
        regimes,
        breakpoints,
        upto,
    })
}

fn regime(
    charter: &Charter,
    b: &Built,
    x0: Decimal,
    closed: bool,
    x1: Option<Decimal>,
) -> Result<Regime, Kind> {
    Ok(Regime {
        start: x0,
        closed,
        decisions: b.d.clone(),
        rep: x0,
        paid: b.paid,
        eff: b.w.shares.clone(),
        pieces: pieces(charter, b, x0, x1)?,
    })
}

fn push_regime(
    regimes: &mut Vec<Regime>,
    charter: &Charter,
    terms: &Terms,
    d: &Decisions,
    x0: Decimal,
    closed: bool,
    x1: Option<Decimal>,
) -> Result<(), Kind> {
    let b = build(charter, terms, d, x0)?;
    regimes.push(regime(charter, &b, x0, closed, x1)?);
    Ok(())
}

/// The exits at which conditional participation stops (or starts), each with
/// its cause: the exit at which the distribution per share reaches the
/// clause's amount.
fn thresholds(charter: &Charter, terms: &Terms) -> Result<Vec<(Decimal, Cause)>, Kind> {
    let mut shares = Decimal::ZERO;
    for c in &charter.classes {
        shares = shares.add(
            c.outstanding
                .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")?,
            "shares as converted",
        )?;
    }
    let mut out = Vec::new();
    for (id, p) in terms.participation.iter().enumerate() {
        let Some(p) = p else { continue };
        let Some(t) = p.while_under else { continue };
        if !p.participates || shares.is_zero() {
            continue;
        }
        let x = t.mul(shares, "participation threshold")?.round_dp(PLACES);
        let name = charter
            .classes
            .get(id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        out.push((
            x,
            Cause {
                what: format!(
                    "{name} stops participating: the distribution per share reaches {} (it participates only below it)",
                    crate::num::exact_dollars(t)
                ),
                cite: p.cite.clone(),
            },
        ));
    }
    out.sort_by_key(|a| a.0);
    Ok(out)
}

/// The causes of a change of decisions from `d` to `e`.
fn switches(charter: &Charter, units: &[(Unit, Cite)], d: &Decisions, e: &Decisions) -> Vec<Cause> {
    let mut out = Vec::new();
    for (unit, cite) in units {
        let (was, now) = (switched(charter, d, unit), switched(charter, e, unit));
        if was == now {
            continue;
        }
        let who = super::unit_name(charter, unit);
        let what = match (unit, now) {
            (Unit::Class(_), true) => {
                format!(
                    "{who} converts: from here converting pays it more than keeping its preferred stock"
                )
            }
            (Unit::Class(_), false) => {
                format!("{who} stops converting: from here its preferred stock pays it more")
            }
            (Unit::Group(_), true) => format!(
                "{who} convert together: from here the holders gaining by it carry the election"
            ),
            (Unit::Group(_), false) => format!(
                "{who} stop converting: from here the holders gaining by it no longer carry the election"
            ),
            (Unit::Pool(_), true) => {
                format!("{who} come into the money: exercised from here")
            }
            (Unit::Pool(_), false) => format!("{who} are no longer exercised"),
        };
        out.push(Cause {
            what,
            cite: cite.clone(),
        });
    }
    out
}

/// The breakpoints: $0, each change of decisions or participation, and each
/// tranche boundary inside a regime, merged where they fall together.
fn breakpoints(
    regimes: &[Regime],
    events: &[(Decimal, Vec<Cause>)],
) -> Result<Vec<Breakpoint>, Kind> {
    let mut found: Vec<(Decimal, Vec<Cause>)> = events.to_vec();
    for r in regimes {
        for p in &r.pieces {
            let x = p.start.sub(r.paid, "exit")?.round_dp(PLACES);
            // A tranche that began before the regime bends nothing in it.
            if x >= r.start {
                found.push((x, p.causes.clone()));
            }
        }
    }
    found.sort_by_key(|a| a.0);
    let mut out: Vec<Breakpoint> = Vec::new();
    for (x, causes) in found {
        match out.last_mut() {
            Some(last) if last.exit == x => {
                for c in causes {
                    if !last.causes.iter().any(|k| k.what == c.what) {
                        last.causes.push(c);
                    }
                }
            }
            _ => out.push(Breakpoint {
                exit: x,
                causes,
                left: 0,
                right: 0,
            }),
        }
    }
    for b in &mut out {
        b.left = regimes
            .partition_point(|r| r.start < b.exit)
            .saturating_sub(1);
        b.right = regimes
            .partition_point(|r| r.start <= b.exit)
            .saturating_sub(1);
    }
    Ok(out)
}
