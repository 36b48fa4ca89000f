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
//! Each regime holds one piece per tranche it crosses ([`super::pieces`]):
//! each class's rate in it, and the class totals at its start at
//! checkpoints. A payout read off the curve is a binary search, the
//! tranches since the checkpoint replayed, and one multiply per class; it
//! does the same arithmetic as a payout computed directly from the regime's
//! waterfall ([`waterfall::fill`]), so the two agree to the last digit.
//!
//! Cost: one waterfall per decider at each change of decisions, each
//! O(N log N + T) for N classes and T tranches; a regime's pieces hold
//! O(S) for the S shares of its tranches, and O(N) per checkpoint (at most
//! one per N/64 pieces).

use rust_decimal::Decimal;

use super::bends::Cause;
use super::conversion_dividends::{self, Side};
use super::deciders::{Built, Unit, build, nobody, switched, unit_name, units};
use super::linear::PLACES;
pub use super::pieces::Piece;
use super::pieces::pieces;
use super::prices::{Price, crossing_at_price, prices, settle_by_price};
use super::search::crossing;
use super::waterfall::{self, Decisions};
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, Terms};
use crate::num::Checked;

/// The most regimes a walk may have before it is reported rather than
/// continued: decisions that kept changing back and forth.
const MAX_REGIMES: usize = 100_000;

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
    /// Exercise prices paid in.
    pub paid: Decimal,
    /// Shares taking part, per class.
    pub eff: Vec<Decimal>,
    /// How its class totals become amounts.
    pub reading: super::deciders::Reading,
    /// The tranches it crosses, in order.
    pub pieces: Vec<Piece>,
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
}

/// How much of the curve a walk keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// The regimes' decisions only: what a payout at the walk's end needs.
    Decisions,
    /// Also each regime's pieces, to read payouts off the curve.
    Pieces,
    /// Also the breakpoints and their causes.
    Explained,
}

/// Class totals (on shares taking part) at an exit.
#[derive(Debug, Clone)]
pub struct Point {
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
        r.pieces
            .get(r.piece_index(y))
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))
    }

    /// Class totals at `x` under regime `ri`.
    pub fn at_in(&self, ri: usize, x: Decimal) -> Result<Point, Kind> {
        let r = self
            .regimes
            .get(ri)
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?;
        let y = x.add(r.paid, "amount distributed")?;
        let pi = r.piece_index(y);
        let p = r
            .pieces
            .get(pi)
            .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?;
        let rest = y.sub(p.start, "remaining proceeds")?;
        let mut totals = r.base(pi)?;
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
        Ok(Point { totals, unclaimed })
    }
}

/// Walks the exit axis from $0 (to `upto`, if given) under `given` terms.
///
/// The terms in force change only at the bounds: where conditional
/// participation switches, or accrued dividends on conversion change tier
/// ([`conversion_dividends`]); a tier that changes just above a bound rather
/// than at it gets a regime of its own for the bound itself.
pub fn walk(
    charter: &Charter,
    given: &Terms,
    upto: Option<Decimal>,
    detail: Detail,
) -> Result<Curve, Kind> {
    let bounds = thresholds(charter, given)?;
    let zero = Decimal::ZERO;
    let mut w = Walk {
        charter,
        given,
        units: units(charter),
        detail,
        regimes: Vec::new(),
        events: Vec::new(),
        terms: conversion_dividends::at(charter, given, zero, Side::Above)?,
        priced: Vec::new(),
        closed: true,
    };
    let mut base = w.settle_at(zero, &nobody(charter), None)?;
    let mut x0 = zero;
    loop {
        if w.regimes.len() > MAX_REGIMES {
            return Err(Kind::NoEquilibrium);
        }
        crate::budget::check()?;
        let d = base.d.clone();
        let bound = bounds.iter().find(|(b, _)| *b > x0).map(|b| b.0);
        let end = match (bound, upto) {
            (Some(b), Some(u)) => Some(b.min(u)),
            (b, u) => b.or(u),
        };
        let next = w.next_crossing(&base, x0, end)?;
        // A crossing past `upto` is not walked to: the walk ends there.
        let crossing_first = next.is_some_and(|c| end.is_none_or(|e| c < e));
        let x1 = if crossing_first { next } else { end };
        let at_bound = !crossing_first && x1.is_some() && x1 == bound;
        w.regimes
            .push(regime(charter, &w.terms, &base, x0, w.closed, x1, detail)?);
        let Some(x1) = x1 else { break };
        if !crossing_first && !at_bound {
            break; // reached `upto`
        }
        base = if at_bound {
            let causes = bounds
                .iter()
                .filter(|(b, _)| *b == x1)
                .map(|(_, c)| c.clone())
                .collect();
            w.settle_at(x1, &d, Some(causes))?
        } else {
            let right =
                settle_by_price(charter, &w.terms, &w.units, &w.priced, x1, x1, base, true)?;
            w.events
                .push((x1, switches(charter, &w.units, &d, &right.d)));
            w.closed = false;
            right
        };
        x0 = x1;
    }
    let breakpoints = if detail == Detail::Explained {
        breakpoints(&w.regimes, &w.events)?
    } else {
        Vec::new()
    };
    Ok(Curve {
        regimes: w.regimes,
        breakpoints,
    })
}

/// The walk under way: the regimes and the events between them so far, and
/// the terms, the deciders' prices and whether the current regime includes
/// its start.
struct Walk<'a> {
    charter: &'a Charter,
    given: &'a Terms,
    units: Vec<(Unit, Cite)>,
    detail: Detail,
    regimes: Vec<Regime>,
    events: Vec<(Decimal, Vec<Cause>)>,
    terms: std::borrow::Cow<'a, Terms>,
    priced: Vec<Option<Price>>,
    closed: bool,
}

impl Walk<'_> {
    /// Settles the decisions at exit `x` from decisions `d`, and just right
    /// of it: a regime of the point alone where they differ, or where the
    /// terms change there (conditional participation switches at a
    /// threshold itself; a waiver tier "greater than" a value, just above
    /// it). A threshold's `causes` are an event at `x`, with the decisions
    /// that switch at the point. The terms and prices right of `x` become
    /// the walk's, and the decisions right of it are returned.
    fn settle_at(
        &mut self,
        x: Decimal,
        d: &Decisions,
        causes: Option<Vec<Cause>>,
    ) -> Result<Built, Kind> {
        let charter = self.charter;
        let point_terms = conversion_dividends::at(charter, self.given, x, Side::At)?;
        let above = conversion_dividends::at(charter, self.given, x, Side::Above)?;
        let split = point_terms.conversion_dividends != above.conversion_dividends;
        // The deciders' prices change only where the terms do.
        let point_priced = prices(charter, &point_terms, &self.units, x)?;
        let fresh = build(charter, &point_terms, d, x)?;
        let at = settle_by_price(
            charter,
            &point_terms,
            &self.units,
            &point_priced,
            x,
            x,
            fresh,
            false,
        )?;
        self.priced = prices(charter, &above, &self.units, x)?;
        let start = if split {
            build(charter, &above, &at.d, x)?
        } else {
            at.clone()
        };
        let right = settle_by_price(
            charter,
            &above,
            &self.units,
            &self.priced,
            x,
            x,
            start,
            true,
        )?;
        if let Some(mut causes) = causes {
            causes.extend(switches(charter, &self.units, d, &at.d));
            self.events.push((x, causes));
        }
        self.closed = !(split || at.d != right.d);
        if !self.closed {
            self.regimes.push(regime(
                charter,
                &point_terms,
                &at,
                x,
                true,
                Some(x),
                self.detail,
            )?);
            if at.d != right.d {
                self.events
                    .push((x, switches(charter, &self.units, &at.d, &right.d)));
            }
        }
        self.terms = above;
        Ok(right)
    }

    /// The nearest exit in (x0, end) at which a decider would switch, given
    /// the others' decisions in `base`.
    fn next_crossing(
        &self,
        base: &Built,
        x0: Decimal,
        end: Option<Decimal>,
    ) -> Result<Option<Decimal>, Kind> {
        let mut next: Option<Decimal> = None;
        // Indexed once: each priced decider's crossing is then a search.
        let levels = waterfall::Levels::new(&base.w)?;
        for ((unit, _), price) in self.units.iter().zip(&self.priced) {
            // A decider with a price is read off the residual; the others,
            // and a reading that is not conclusive, take the general search.
            let fast = match price {
                Some(p) => crossing_at_price(
                    base,
                    &levels,
                    *p,
                    switched(self.charter, &base.d, unit),
                    x0,
                    end,
                )?,
                None => Err(()),
            };
            let c = match fast {
                Ok(c) => c,
                Err(()) => crossing(self.charter, &self.terms, base, unit, x0, x0, end)?,
            };
            if let Some(c) = c
                && next.is_none_or(|n| c < n)
            {
                next = Some(c);
            }
        }
        Ok(next)
    }
}

impl Regime {
    /// The index of the piece holding amount distributed `y`. O(log P).
    pub fn piece_index(&self, y: Decimal) -> usize {
        super::pieces::index(&self.pieces, y)
    }

    /// Class totals at the start of piece `pi` ([`super::pieces::base`]).
    pub fn base(&self, pi: usize) -> Result<Vec<Decimal>, Kind> {
        super::pieces::base(&self.pieces, pi)
    }
}

fn regime(
    charter: &Charter,
    terms: &Terms,
    b: &Built,
    x0: Decimal,
    closed: bool,
    x1: Option<Decimal>,
    detail: Detail,
) -> Result<Regime, Kind> {
    Ok(Regime {
        start: x0,
        closed,
        decisions: b.d.clone(),
        paid: b.paid,
        eff: b.w.shares.clone(),
        reading: super::deciders::reading(charter, &b.w, &b.d)?,
        pieces: if detail >= Detail::Pieces {
            pieces(charter, terms, b, x0, x1, detail == Detail::Explained)?
        } else {
            Vec::new()
        },
    })
}

/// The exits at which conditional participation stops (or starts), each with
/// its cause: the exit at which the distribution per share reaches the
/// clause's amount.
fn thresholds(charter: &Charter, terms: &Terms) -> Result<Vec<(Decimal, Cause)>, Kind> {
    let shares = waterfall::shares_as_converted(charter)?;
    let mut out = Vec::new();
    for (id, p) in terms.participation.iter().enumerate() {
        let Some(p) = p else { continue };
        let Some(t) = p.while_under else { continue };
        if !p.participates || shares.is_zero() {
            continue;
        }
        // Tested "adjusted for splits", the distribution per share is
        // multiplied by the split factor: it reaches `t` at `t / factor`.
        let at = match p.split_factor {
            Some(f) if !f.is_zero() => t.div(f, "participation threshold")?,
            _ => t,
        };
        let x = at.mul(shares, "participation threshold")?.round_dp(PLACES);
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
    for (x, what, cite) in conversion_dividends::bounds(charter)? {
        out.push((x.round_dp(PLACES), Cause { what, cite }));
    }
    out.sort_by_key(|a| a.0);
    Ok(out)
}

/// Whether class `id` is a SAFE or a note (whose choice its terms word
/// their own way).
fn is_safe(charter: &Charter, id: usize) -> bool {
    charter.classes.get(id).is_some_and(|c| c.safe.is_some())
}

/// A SAFE's or note's two amounts, in its own words.
fn words(charter: &Charter, id: usize) -> (&'static str, &'static str) {
    charter
        .classes
        .get(id)
        .and_then(|c| c.safe.as_deref())
        .map_or(("", ""), crate::ir::Safe::words)
}

/// The causes of a change of decisions from `d` to `e`.
fn switches(charter: &Charter, units: &[(Unit, Cite)], d: &Decisions, e: &Decisions) -> Vec<Cause> {
    let mut out = Vec::new();
    for (unit, cite) in units {
        let (was, now) = (switched(charter, d, unit), switched(charter, e, unit));
        if was == now {
            continue;
        }
        let who = unit_name(charter, unit);
        let what = match (unit, now) {
            (Unit::Class(id), true) if is_safe(charter, *id) => {
                let (cash, convert) = words(charter, *id);
                format!("{who} converts: from here its {convert} is more than its {cash}")
            }
            (Unit::Class(id), false) if is_safe(charter, *id) => {
                let (cash, convert) = words(charter, *id);
                format!("{who} stops converting: from here its {cash} is more than its {convert}")
            }
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
    for (i, r) in regimes.iter().enumerate() {
        // Where the next regime begins this one's pieces are no longer
        // read: a tranche of it that starts there bends nothing (a class
        // that converts where nothing more would be distributed).
        let until = regimes.get(i.saturating_add(1)).map(|n| n.start);
        for p in &r.pieces {
            let x = p.start.sub(r.paid, "exit")?.round_dp(PLACES);
            // A tranche that began before the regime bends nothing in it.
            if x >= r.start && until.is_none_or(|u| x < u || u == r.start) {
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
