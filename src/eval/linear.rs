//! Piecewise-linear functions of the exit value, for finding where a
//! decision changes.
//!
//! For fixed conversion decisions every payout is piecewise linear in the
//! amount distributed, bending where a tranche of the waterfall ends. A
//! party's payout under the current decisions and under a switch are two
//! such functions; the exit at which switching starts to pay is where their
//! difference first turns positive.

use rust_decimal::Decimal;

use super::waterfall::Waterfall;
use crate::diagnostic::Kind;
use crate::ir::ClassId;
use crate::num::Checked;

/// Breakpoints are kept to this many decimal places: far below the cent,
/// and far above the noise of 28-digit division, so that an exit computed
/// as 210,000,000.000…01 is the 210,000,000 it is.
pub const PLACES: u32 = 12;

/// A piecewise-linear function on `[first knot, ∞)`: each knot is an exit,
/// the value there and the slope to its right.
#[derive(Debug, Clone, Default)]
pub struct Pl {
    /// `(exit, value, slope)`, in increasing exit.
    pub knots: Vec<(Decimal, Decimal, Decimal)>,
}

/// A linear combination of class totals (on the shares taking part, as the
/// waterfall pays them) less a constant: how a party's payout reads off a
/// waterfall.
#[derive(Debug, Clone, Default)]
pub struct Party {
    /// Each class and the multipliers of its total.
    pub terms: Vec<Term>,
    /// Subtracted (an exercise price paid).
    pub less: Decimal,
}

/// A party's part of one class's total: of what the class's claim ahead of
/// the residual pays, and of what the residual pays. They differ only where
/// dividends are owed to the class's shares of record alone
/// ([`crate::eval::record`]).
#[derive(Debug, Clone, Copy)]
pub struct Term {
    /// The class.
    pub class: ClassId,
    /// The multiplier of what the class's claim pays.
    pub claim: Decimal,
    /// The multiplier of what the residual pays the class.
    pub residual: Decimal,
}

impl Pl {
    /// The party's payout under `w` as a function of the exit, from `from`
    /// on: `w`'s proceeds are the exit plus `paid`. O(T·m) for T tranches and
    /// m classes in the party.
    pub fn of(w: &Waterfall, paid: Decimal, party: &Party, from: Decimal) -> Result<Pl, Kind> {
        let mut knots = Vec::new();
        let mut start = Decimal::ZERO;
        let mut value = Decimal::ZERO.sub(party.less, "payout")?;
        for t in &w.tranches {
            let mut slope = Decimal::ZERO;
            for term in &party.terms {
                let m = if t.residual {
                    term.residual
                } else {
                    term.claim
                };
                for (c, weight, _) in w.shares(t) {
                    if *c == term.class {
                        slope = slope.add(t.rate(*weight)?.mul(m, "slope")?, "slope")?;
                    }
                }
            }
            knots.push((start.sub(paid, "exit")?, value, slope));
            let Some(size) = t.size else {
                break;
            };
            value = value.add(size.mul(slope, "payout")?, "payout")?;
            start = start.add(size, "tranche end")?;
        }
        if w.tranches.last().is_none_or(|t| t.size.is_some()) {
            // Past every tranche nothing more is paid.
            knots.push((start.sub(paid, "exit")?, value, Decimal::ZERO));
        }
        let mut pl = Pl { knots };
        pl.clip(from)?;
        Ok(pl)
    }

    /// Drops what lies before `from`, keeping a knot at `from`.
    fn clip(&mut self, from: Decimal) -> Result<(), Kind> {
        let (v, s) = self.at(from)?;
        self.knots.retain(|k| k.0 > from);
        self.knots.insert(0, (from, v, s));
        Ok(())
    }

    /// The value at `x` and the slope just right of it.
    pub fn at(&self, x: Decimal) -> Result<(Decimal, Decimal), Kind> {
        let i = self.knots.partition_point(|k| k.0 <= x);
        match i.checked_sub(1).and_then(|i| self.knots.get(i)) {
            Some(&(k, v, s)) => Ok((v.add(x.sub(k, "exit")?.mul(s, "payout")?, "payout")?, s)),
            None => Ok(self
                .knots
                .first()
                .map_or((Decimal::ZERO, Decimal::ZERO), |k| (k.1, Decimal::ZERO))),
        }
    }
}

/// Where two functions can change their order: every knot of either, in
/// increasing order, from `from` and below `to`.
pub fn merged_knots(pls: &[&Pl], from: Decimal, to: Option<Decimal>) -> Vec<Decimal> {
    let mut xs: Vec<Decimal> = pls
        .iter()
        .flat_map(|p| p.knots.iter().map(|k| k.0))
        .filter(|x| *x >= from && to.is_none_or(|t| *x < t))
        .collect();
    xs.push(from);
    xs.sort();
    xs.dedup();
    xs
}
