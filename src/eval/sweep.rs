//! `curve`: payouts sampled along a range of exits, read off one walk of the
//! exit curve and produced one exit at a time, so that a million rows need
//! no more memory than one.

use rust_decimal::Decimal;

use super::breakpoints::{curve_for, payout_at};
use super::curve::{self, Curve};
use super::{Cents, amount_problem, check_exit};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Charter, ClassId};
use crate::num::Checked;
use crate::syntax::ast::Spanned;

/// How a range of exits is sampled.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// So many equal steps (so many plus one exits).
    Count(u64),
    /// A fixed step.
    By(Decimal),
}

/// The most rows a `curve` statement (rather than the streaming command) returns.
pub const STATEMENT_ROWS: u64 = 100_000;

/// Payouts sampled along a range, one exit at a time.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The charter as it stood (its scenario applied).
    pub charter: Charter,
    /// The deemed liquidation, or `None` for a liquidation.
    pub event: Option<String>,
    /// The curve read.
    pub curve: Curve,
    /// First exit.
    pub from: Decimal,
    /// Last exit.
    pub to: Decimal,
    /// The sampling.
    pub step: Step,
    /// The curve in fixed point, read first.
    pub fixed: super::fixed::Fixed,
    /// Per group, the row's columns it adds up.
    pub groups: Vec<Vec<usize>>,
}

impl Sweep {
    /// The curve over `[from, to]` under an event (or a liquidation).
    pub fn new(
        charter: &Charter,
        from: &Spanned<Decimal>,
        to: &Spanned<Decimal>,
        step: Step,
        event: Option<&Spanned<String>>,
    ) -> Result<Sweep, Problem> {
        check_exit(from)?;
        check_exit(to)?;
        if to.node < from.node {
            return Err(Problem::new(
                Kind::Impossible("the range ends before it starts".to_string()),
                to.span,
                "below the first exit",
            )
            .with_help("give the lower exit first: `curve $0 $100M`"));
        }
        let (event, curve) = curve_for(
            charter,
            event,
            Some(to.node),
            curve::Detail::Pieces,
            to.span,
        )?;
        // What cannot be distributed past some exit cannot be below it:
        // checking the top of the range checks every row.
        payout_at(charter, &curve, to.node).map_err(amount_problem(to.span))?;
        Ok(Sweep {
            fixed: super::fixed::Fixed::new(&curve),
            groups: group_columns(charter),
            charter: charter.clone(),
            event,
            curve,
            from: from.node,
            to: to.node,
            step,
        })
    }

    /// How many exits the sweep reads (at least its two ends, or one when
    /// they are the same exit).
    pub fn rows(&self) -> Result<u64, Kind> {
        match self.step {
            Step::Count(n) => Ok(n.saturating_add(1)),
            Step::By(s) => {
                let n = self.to.sub(self.from, "range")?.div(s, "steps")?.floor();
                let n = u64::try_from(n.mantissa()).unwrap_or(u64::MAX);
                let hits_end = s
                    .mul(Decimal::from(n), "range")
                    .and_then(|d| self.from.add(d, "range"))
                    .is_ok_and(|end| end == self.to);
                Ok(n.saturating_add(if hits_end { 1 } else { 2 }))
            }
        }
    }

    /// The `i`th exit: `from + i × step`, rounded to the cent, and `to` last.
    pub fn exit(&self, i: u64) -> Result<Decimal, Kind> {
        match exit_in_cents(self.from, self.to, self.step, i) {
            Some(x) => Ok(Decimal::from_i128_with_scale(x, 2)),
            None => exit_in_decimals(self.from, self.to, self.step, i),
        }
    }

    /// The payouts at exit `x`, to the cent as `payout` gives them.
    pub fn at(&self, x: Decimal) -> Result<Cents, Kind> {
        payout_at(&self.charter, &self.curve, x)
    }

    /// The `i`th row in cents: the exit, then each class, pool, named holder
    /// and rest of a class they hold in (`render::curve::columns`). Read in
    /// fixed point where that answers, else the decimal way: the same cents.
    pub fn row(&self, i: u64, scratch: &mut Scratch, out: &mut Vec<i128>) -> Result<(), Kind> {
        crate::budget::check()?;
        if let Some(x) =
            exit_in_cents(self.from, self.to, self.step, i).and_then(|x| u64::try_from(x).ok())
        {
            out.clear();
            out.push(i128::from(x));
            scratch.row.clear();
            if self.fixed.row(
                (&self.charter, &self.curve),
                x,
                &mut scratch.fixed,
                &mut scratch.row,
            ) {
                out.extend_from_slice(&scratch.row);
                self.add_groups(out);
                return Ok(());
            }
        }
        self.decimal_row(self.exit(i)?, out)?;
        self.add_groups(out);
        Ok(())
    }

    /// Appends each group's cents, the sum of its members' columns.
    fn add_groups(&self, out: &mut Vec<i128>) {
        for cols in &self.groups {
            let total = cols
                .iter()
                .filter_map(|c| out.get(*c))
                .fold(0i128, |a, v| a.saturating_add(*v));
            out.push(total);
        }
    }

    /// [`Sweep::row`] read the decimal way at exit `x`.
    pub fn decimal_row(&self, x: Decimal, out: &mut Vec<i128>) -> Result<(), Kind> {
        let c = self.at(x)?;
        out.clear();
        let all = std::iter::once(x)
            .chain(c.classes)
            .chain(c.pools)
            .chain(c.holders.iter().map(|h| h.payout));
        for v in all {
            out.push(cents_of(v)?);
        }
        Ok(())
    }
}

/// The holder lines of a payout, in the order [`super::cents`] lists them:
/// each class's named holders (by their index among the charter's holders),
/// then the rest of the class (`None`) where its named holders do not hold
/// it all. The columns of a sweep and the groups' sums both read this one
/// layout. O(C + H).
pub fn holder_lines(charter: &Charter) -> Vec<(ClassId, Option<usize>)> {
    let mut named_of: Vec<Vec<usize>> = vec![Vec::new(); charter.classes.len()];
    for (j, h) in charter.holders.iter().enumerate() {
        if let Some(v) = named_of.get_mut(h.class) {
            v.push(j);
        }
    }
    let mut out = Vec::new();
    for (id, named) in named_of.into_iter().enumerate() {
        if named.is_empty() {
            continue;
        }
        let held = named.iter().fold(Decimal::ZERO, |a, j| {
            a.saturating_add(charter.holders.get(*j).map_or(Decimal::ZERO, |h| h.shares))
        });
        out.extend(named.into_iter().map(|j| (id, Some(j))));
        if charter
            .classes
            .get(id)
            .is_some_and(|k| k.outstanding > held)
        {
            out.push((id, None));
        }
    }
    out
}

/// Per group, the columns of a sweep's row that it adds up: the exit is
/// column 0, then each class, each pool, and the [`holder_lines`].
/// O(C + P + H + M).
pub fn group_columns(charter: &Charter) -> Vec<Vec<usize>> {
    let (c, p) = (charter.classes.len(), charter.pools.len());
    let first = c.saturating_add(p).saturating_add(1);
    let mut holder_col = vec![0usize; charter.holders.len()];
    for (k, (_, j)) in holder_lines(charter).into_iter().enumerate() {
        if let Some(slot) = j.and_then(|j| holder_col.get_mut(j)) {
            *slot = first.saturating_add(k);
        }
    }
    charter
        .groups
        .iter()
        .map(|g| {
            g.members
                .iter()
                .map(|m| match m {
                    crate::ir::Member::Class(id) => id.saturating_add(1),
                    crate::ir::Member::Pool(i) => c.saturating_add(*i).saturating_add(1),
                    crate::ir::Member::Holder(j) => holder_col.get(*j).copied().unwrap_or(0),
                })
                .collect()
        })
        .collect()
}

/// Room reused from row to row.
#[derive(Debug, Default)]
pub struct Scratch {
    fixed: super::fixed::Scratch,
    row: Vec<i128>,
}

/// A whole-cent amount as a count of cents.
fn cents_of(v: Decimal) -> Result<i128, Kind> {
    let v = v.round_dp(2);
    10i128
        .checked_pow(2u32.saturating_sub(v.scale()))
        .and_then(|f| v.mantissa().checked_mul(f))
        .ok_or_else(|| Kind::Overflow("amount in cents".to_string()))
}

/// [`Sweep::exit`] as a count of cents, computed with integers: the same
/// figure (the range's ends and a `by` step are whole cents, and a quotient
/// by a count below 10^19 cannot fall within 28 digits of a half cent
/// without being one), without a 28-digit division per row. `None` where a
/// figure is not whole cents or a product passes 128 bits.
fn exit_in_cents(from_: Decimal, to_: Decimal, step: Step, i: u64) -> Option<i128> {
    let cents = |d: Decimal| {
        let d = d.round_dp(2);
        (d.scale() <= 2)
            .then(|| {
                10i128
                    .checked_pow(2u32.saturating_sub(d.scale()))
                    .and_then(|f| d.mantissa().checked_mul(f))
            })
            .flatten()
    };
    let (from, to) = (cents(from_)?, cents(to_)?);
    if from_ != Decimal::from_i128_with_scale(from, 2)
        || to_ != Decimal::from_i128_with_scale(to, 2)
    {
        return None;
    }
    let i = i128::from(i);
    let x = match step {
        Step::Count(n) if n > 0 => {
            let n = i128::from(n);
            let num = to.checked_sub(from)?.checked_mul(i)?;
            let (q, r) = (num.checked_div(n)?, num.checked_rem(n)?);
            // Half to even, as `round_dp` rounds the sum: the parity is that
            // of the exit, not of the step.
            let below = from.checked_add(q)?;
            let twice = r.checked_mul(2)?;
            let up = twice > n || (twice == n && below % 2 != 0);
            below.checked_add(i128::from(up))?
        }
        Step::Count(_) => from,
        Step::By(s) => {
            let s = cents(s).filter(|c| Decimal::from_i128_with_scale(*c, 2) == s)?;
            from.checked_add(s.checked_mul(i)?)?
        }
    };
    Some(x.min(to))
}

/// [`Sweep::exit`] in decimals, for ranges [`exit_in_cents`] does not take.
fn exit_in_decimals(from_: Decimal, to_: Decimal, step: Step, i: u64) -> Result<Decimal, Kind> {
    let x = match step {
        Step::Count(n) if n > 0 => from_.add(
            crate::num::scale(
                to_.sub(from_, "range")?,
                Decimal::from(i),
                Decimal::from(n),
                "sample exit",
            )?,
            "sample exit",
        )?,
        Step::Count(_) => from_,
        Step::By(s) => from_.add(s.mul(Decimal::from(i), "sample exit")?, "sample exit")?,
    };
    Ok(x.min(to_).round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer exits are the decimal ones, over ranges and step counts
    /// that leave remainders, ties at half a cent included.
    #[test]
    fn exits_in_cents_are_the_decimal_exits() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let mut compared = 0;
        for _ in 0..2_000 {
            let from = Decimal::new(i64::try_from(next(1_000_000_000)).unwrap_or(0), 2);
            let span = Decimal::new(i64::try_from(next(100_000_000_000)).unwrap_or(0), 2);
            let to = from + span;
            let step = match next(3) {
                0 => Step::Count(next(1_000) + 1),
                1 => Step::Count(2 * (next(50) + 1)),
                _ => Step::By(Decimal::new(
                    i64::try_from(next(10_000_000) + 1).unwrap_or(1),
                    2,
                )),
            };
            for i in [0, 1, 2, 3, next(1_000), next(1_000_000)] {
                let fast =
                    exit_in_cents(from, to, step, i).map(|x| Decimal::from_i128_with_scale(x, 2));
                let slow = exit_in_decimals(from, to, step, i).ok();
                assert!(fast.is_some(), "{from} {to} {step:?} {i}");
                assert_eq!(fast, slow, "{from} {to} {step:?} {i}");
                compared += 1;
            }
        }
        // A tie: 1 cent over 2 steps is half a cent, rounded to even.
        let tie = exit_in_cents(Decimal::ZERO, Decimal::new(1, 2), Step::Count(2), 1);
        assert_eq!(
            tie.map(|x| Decimal::from_i128_with_scale(x, 2)),
            exit_in_decimals(Decimal::ZERO, Decimal::new(1, 2), Step::Count(2), 1).ok()
        );
        assert_eq!(tie, Some(0));
        assert!(compared > 10_000);
    }
}
