//! Valuing each class by the option pricing method (OPM): the exit is
//! lognormal, each tranche of the payout between two breakpoints is a call
//! spread on total equity, C(lower) − C(upper) with C the Black-Scholes
//! call, shared among the parties in their share of the next dollar on that
//! stretch; a jump in a payout (conditional participation) is a digital
//! option paying the jump if the exit passes the breakpoint.
//!
//! The option arithmetic runs in f64 (the normal CDF is statrs'); each call
//! value enters the decimals rounded to a millionth of a dollar, and what
//! follows is decimal: the tranches telescope to C(0), which is the equity
//! value itself, so the parties' values sum to it exactly before they are
//! rounded to the cent by the remainder rule. O(B) calls for B breakpoints
//! after the walk that finds them.

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::diagnostic::{Kind, Problem};
use crate::eval::apportion;
use crate::eval::breakpoints::{curve_for, exact_at, rows_of};
use crate::eval::curve::Detail;
use crate::ir::{Charter, Cite, Span};
use crate::num::{self, Checked};
use crate::syntax::ast::Spanned;

/// The OPM's inputs.
#[derive(Debug, Clone, Copy)]
pub struct Inputs {
    /// Total equity value today.
    pub equity: Decimal,
    /// Volatility a year, as a fraction (0.55).
    pub volatility: Decimal,
    /// Years to the exit.
    pub term: Decimal,
    /// The risk-free rate a year, continuously compounded, as a fraction.
    pub rate: Decimal,
}

/// One tranche: from a breakpoint to the next (or without end).
#[derive(Debug, Clone)]
pub struct Tranche {
    /// Its lower strike.
    pub from: Decimal,
    /// Its upper strike; `None` for the last.
    pub to: Option<Decimal>,
    /// The call's value at the lower strike, as computed (f64's digits).
    pub call: Decimal,
    /// The tranche's value: the call at `from` less the call at `to`.
    pub value: Decimal,
    /// Each party's share of it (its share of the next dollar there), where
    /// not zero.
    pub shares: Vec<crate::eval::breakpoints::Share>,
    /// Why the payout bends at `from`, with the clause.
    pub causes: Vec<(String, Cite)>,
}

/// A jump valued as a digital option.
#[derive(Debug, Clone)]
pub struct Digital {
    /// The exit at which payouts jump.
    pub exit: Decimal,
    /// The value of a dollar paid if the exit passes it: e^(−rT) N(d2).
    pub unit: Decimal,
    /// Each party's jump (after less before) and its value.
    pub parts: Vec<(String, Decimal, Decimal)>,
}

/// One party's value.
#[derive(Debug, Clone)]
pub struct PartyValue {
    /// Class, pool or named holder.
    pub name: String,
    /// Its shares.
    pub shares: Decimal,
    /// Its value, to the cent.
    pub value: Decimal,
    /// Its value per share, to four places.
    pub per_share: Decimal,
}

/// The answer to `value at $EQUITY volatility ... term ... rate ...`.
#[derive(Debug, Clone)]
pub struct Valuation {
    /// The deemed liquidation, or `None` for a liquidation.
    pub event: Option<String>,
    /// The inputs.
    pub inputs: Inputs,
    /// Classes, then pools, in declaration order.
    pub parties: Vec<PartyValue>,
    /// Named holders (and the rest of each class they hold in).
    pub holders: Vec<PartyValue>,
    /// The tranches.
    pub tranches: Vec<Tranche>,
    /// The jumps.
    pub digitals: Vec<Digital>,
    /// Where the equity value was backsolved: for whom, at what price a
    /// share, in words.
    pub backsolved: Option<String>,
}

/// The Black-Scholes pieces in f64.
pub(super) struct Model {
    v: f64,
    sigma_t: f64,
    drift: f64,
    discount: f64,
    normal: Normal,
}

impl Model {
    pub(super) fn new(i: &Inputs) -> Option<Model> {
        let v = i.equity.to_f64()?;
        let sigma = i.volatility.to_f64()?;
        let t = i.term.to_f64()?;
        let r = i.rate.to_f64()?;
        Some(Model {
            v,
            sigma_t: sigma * t.sqrt(),
            drift: (r + sigma * sigma / 2.0) * t,
            discount: (-r * t).exp(),
            normal: Normal::new(0.0, 1.0).ok()?,
        })
    }

    fn d1(&self, k: f64) -> f64 {
        ((self.v / k).ln() + self.drift) / self.sigma_t
    }

    /// C(K) = V N(d1) − K e^(−rT) N(d2); C(0) = V.
    pub(super) fn call(&self, k: f64) -> f64 {
        if k <= 0.0 {
            return self.v;
        }
        let d1 = self.d1(k);
        self.v * self.normal.cdf(d1) - k * self.discount * self.normal.cdf(d1 - self.sigma_t)
    }

    /// e^(−rT) N(d2): today's value of a dollar paid if the exit passes K.
    pub(super) fn digital(&self, k: f64) -> f64 {
        if k <= 0.0 {
            return self.discount;
        }
        self.discount * self.normal.cdf(self.d1(k) - self.sigma_t)
    }
}

/// An f64 from the option arithmetic as a decimal, with every digit it has:
/// nothing is rounded inside the valuation (a digital rounded to a millionth
/// per dollar of jump once moved a class by dollars); the values are rounded
/// once, to the cent, at the end.
fn to_decimal(x: f64) -> Result<Decimal, Kind> {
    Decimal::from_f64_retain(x)
        .or_else(|| Decimal::from_f64(x))
        .ok_or_else(|| Kind::Overflow("an option value".to_string()))
}

/// Values each class, pool and named holder by the OPM.
pub fn value(
    charter: &Charter,
    inputs: Inputs,
    event: Option<&Spanned<String>>,
    span: Span,
) -> Result<Valuation, Problem> {
    let at = |k: Kind| Problem::new(k, span, "this valuation");
    let model = Model::new(&inputs)
        .ok_or_else(|| at(Kind::Overflow("the valuation's inputs".to_string())))?;
    // One walk: the breakpoints' rows and the jumps are both read off it.
    let (event_name, curve) = curve_for(charter, event, None, Detail::Explained, span)?;
    let rows = rows_of(charter, &curve, None).map_err(at)?;
    let tranches = tranches(rows, &model, inputs.equity).map_err(at)?;
    let names: Vec<String> = charter
        .classes
        .iter()
        .map(|c| c.name.clone())
        .chain(charter.pools.iter().map(|p| p.name.clone()))
        .collect();
    let mut exact = vec![Decimal::ZERO; names.len()];
    for t in &tranches {
        for s in &t.shares {
            let part = num::scale(t.value, s.share.num, s.share.den, "class value").map_err(at)?;
            if let Some(e) = exact.get_mut(s.index) {
                *e = e.add(part, "class value").map_err(at)?;
            }
        }
    }
    let digitals = digitals(&curve, &model, &names, &mut exact).map_err(at)?;
    let cents = apportion::to_cents(inputs.equity, &exact).map_err(at)?;
    let shares: Vec<Decimal> = charter
        .classes
        .iter()
        .map(|c| c.outstanding)
        .chain(charter.pools.iter().map(|p| p.count))
        .collect();
    let mut parties = Vec::new();
    for ((name, value), held) in names.iter().zip(&cents).zip(&shares) {
        parties.push(PartyValue {
            name: name.clone(),
            shares: *held,
            value: *value,
            per_share: per_share(*value, *held).map_err(at)?,
        });
    }
    let holders = holders(charter, &cents).map_err(at)?;
    Ok(Valuation {
        event: event_name,
        inputs,
        parties,
        holders,
        tranches,
        digitals,
        backsolved: None,
    })
}

/// A strike as the option arithmetic reads it.
pub(super) fn strike(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(0.0)
}

/// The tranches: from each breakpoint to the next, each the call at its
/// lower strike less the next one's (they telescope to C(0), the equity).
fn tranches(
    rows: Vec<crate::eval::breakpoints::Row>,
    model: &Model,
    equity: Decimal,
) -> Result<Vec<Tranche>, Kind> {
    let mut out: Vec<Tranche> = Vec::with_capacity(rows.len());
    let ends: Vec<Decimal> = rows.iter().map(|r| r.exit).skip(1).collect();
    for (i, r) in rows.into_iter().enumerate() {
        crate::budget::check()?;
        let call = if r.exit.is_zero() {
            equity
        } else {
            to_decimal(model.call(strike(r.exit)))?
        };
        out.push(Tranche {
            from: r.exit,
            to: ends.get(i).copied(),
            call,
            value: Decimal::ZERO,
            shares: r.shares,
            causes: r.causes.into_iter().map(|c| (c.what, c.cite)).collect(),
        });
    }
    let calls: Vec<Decimal> = out.iter().map(|t| t.call).collect();
    for (i, t) in out.iter_mut().enumerate() {
        let next = calls.get(i.saturating_add(1)).copied().unwrap_or_default();
        t.value = t.call.sub(next, "tranche value")?;
    }
    Ok(out)
}

/// Each jump as a digital option: every party's jump times today's value
/// of a dollar paid if the exit passes it, added to `exact`.
fn digitals(
    curve: &crate::eval::curve::Curve,
    model: &Model,
    names: &[String],
    exact: &mut [Decimal],
) -> Result<Vec<Digital>, Kind> {
    let mut out = Vec::new();
    for b in curve.breakpoints.iter().filter(|b| b.left != b.right) {
        let before = exact_at(curve, b.left, b.exit)?;
        let after = exact_at(curve, b.right, b.exit)?;
        let unit = to_decimal(model.digital(strike(b.exit)))?;
        let mut parts = Vec::new();
        for (k, (p, q)) in before.iter().zip(&after).enumerate() {
            let jump = q.sub(*p, "jump")?;
            if jump.abs() <= Decimal::new(1, 6) {
                continue;
            }
            let worth = jump.mul(unit, "digital value")?;
            if let Some(e) = exact.get_mut(k) {
                *e = e.add(worth, "class value")?;
            }
            parts.push((names.get(k).cloned().unwrap_or_default(), jump, worth));
        }
        if !parts.is_empty() {
            out.push(Digital {
                exit: b.exit,
                unit,
                parts,
            });
        }
    }
    Ok(out)
}

/// A value per share, to four places.
fn per_share(value: Decimal, shares: Decimal) -> Result<Decimal, Kind> {
    if shares.is_zero() {
        return Ok(Decimal::ZERO);
    }
    Ok(value.div(shares, "value per share")?.round_dp(4))
}

/// Each named holder's value (and the rest of its class's): its class's
/// cents shared by shares, by the remainder rule.
fn holders(charter: &Charter, cents: &[Decimal]) -> Result<Vec<PartyValue>, Kind> {
    let mut out = Vec::new();
    for (id, c) in charter.classes.iter().enumerate() {
        let total = cents.get(id).copied().unwrap_or_default();
        for (name, held, value) in apportion::to_holders(charter, id, c.outstanding, total)? {
            out.push(PartyValue {
                per_share: per_share(value, held)?,
                name,
                shares: held,
                value,
            });
        }
    }
    Ok(out)
}
