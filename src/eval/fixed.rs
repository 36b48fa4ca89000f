//! A second arithmetic for reading the exit curve: the cents of a payout at
//! a whole-cent exit from 128-bit integers, or no answer where it could
//! differ from the decimal reading.
//!
//! The decimal reading ([`super::breakpoints::payout_at`]) computes, on one
//! piece of the curve, `(base + (x + paid − start) × rate) × share` for each
//! class (less an exercise price for a pool) in 28-digit decimals, then
//! rounds to the cent by the remainder rule ([`super::apportion`]). That rule
//! depends on each amount only through `V`, the amount rounded half to even
//! to 10^-10 dollars: the whole cents are `V`'s, and the fraction of a cent
//! it ranks by is `V`'s (a part whose fraction rounds up to a whole cent
//! ranks first and always gets that cent back, which is the same as being
//! that cent higher with no fraction).
//!
//! On a piece, each amount is a line in the exit: `a + b × X` for `X` the
//! exit in cents. Here `a` and `b` are held as integers in units of 2^-32 of
//! 10^-10 dollars, so `V` is the value shifted right by 32 bits, rounded.
//! Two things separate that value from the decimal one: decimal rounding,
//! at most about 6.3 × 10^-29 of each intermediate result per operation
//! (96-bit mantissas hold at least 28 digits once they round), and the
//! integers' own rounding. Each line carries a bound on both, taken thirty
//! times wider than the sum of those errors; where the value is within that
//! bound of a point half-way between two 10^-10 steps, so that the two
//! readings could round differently, no answer is given and the caller reads
//! the decimal way. That happens about once in a million rows on ordinary
//! exits (the bound is of the order of 10^-16 dollars at a billion), and at
//! every exit within a cent of a piece's or regime's end, which the fixed
//! reading also leaves to the decimal one.
//!
//! Cost: a binary search over the pieces, then per column two 64-bit
//! multiplies, a shift and a compare; the remainder rule sorts only the
//! parts that get a missing cent's chance.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::curve::Curve;
use crate::ir::Charter;

/// Bits below a 10^-10 step in a value's units.
const SUB: u32 = 32;

/// 10^-10 steps in a cent.
const STEPS_PER_CENT: u64 = 100_000_000;

/// The most a column's share of its class may be for the bounds below to
/// hold as computed.
const MAX_SHARE: i64 = 100;

/// An amount on one piece: `a + (b × X) >> 64` units of 2^-32 of 10^-10
/// dollars at exit `X` cents, within `e0 + (e1 × X) >> 32` of the decimal
/// reading's value.
#[derive(Debug, Clone, Copy)]
struct Line {
    a: i128,
    b: u128,
    e0: u128,
    e1: u128,
}

impl Line {
    /// `V` at `x` cents, or `None` where the decimal reading could round
    /// otherwise.
    fn steps(&self, x: u64) -> Option<i128> {
        let value = self
            .a
            .checked_add(i128::try_from(mul_shift(self.b, x)?).ok()?)?;
        let err = i128::try_from(
            self.e0
                .checked_add(u128::from(x).checked_mul(self.e1)? >> SUB)?,
        )
        .ok()?;
        let half = 1i128 << (SUB - 1);
        if value < 0 {
            // The remainder rule counts a negative amount as zero.
            return (value.checked_add(err)? < half).then_some(0);
        }
        let low = value & ((1i128 << SUB) - 1);
        if low.checked_sub(half)?.abs() <= err {
            return None;
        }
        (value >> SUB).checked_add(i128::from(low > half))
    }
}

/// `(b × x) >> 64`, exactly, without a 192-bit type.
fn mul_shift(b: u128, x: u64) -> Option<u128> {
    let (hi, lo) = (b >> 64, b & u128::from(u64::MAX));
    let low = lo.checked_mul(u128::from(x))? >> 64;
    hi.checked_mul(u128::from(x))?.checked_add(low)
}

/// The named holders of one class on one piece: a line per holder and one
/// for the rest of the class (always split, as [`super::cents`] does), and
/// whether the rest is a column of its own.
#[derive(Debug, Clone)]
struct Holders {
    class: usize,
    lines: Vec<Line>,
    rest_shown: bool,
}

/// One stretch of whole-cent exits read the same way.
#[derive(Debug, Clone)]
struct Segment {
    /// Classes, then pools.
    amounts: Vec<Line>,
    holders: Vec<Holders>,
}

/// Where a segment lies: its first and last exit in cents, and the regime
/// and piece it is read from.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    lo: u64,
    hi: u64,
    regime: usize,
    piece: usize,
}

/// The curve in fixed point, for the exits it reads unambiguously.
#[derive(Debug, Clone, Default)]
pub struct Fixed {
    stretches: Vec<Stretch>,
}

/// Reusable room for one row, so a sweep allocates nothing per row; and
/// the segment last read, built when a row first falls in it (rows come in
/// order, so each is built once, and only one is held: a chain of N classes
/// has N pieces of N lines each). One per [`Fixed`] read: the segment kept
/// is known by its index in that one.
#[derive(Debug, Default)]
pub struct Scratch {
    steps: Vec<i128>,
    order: Vec<(i128, usize)>,
    segment: Option<(usize, Option<Segment>)>,
}

impl Fixed {
    /// Where each piece of `curve` (built with pieces) is read in fixed
    /// point: O(P) for P pieces. Its lines are built when first read.
    pub fn new(curve: &Curve) -> Fixed {
        let mut stretches = Vec::new();
        for (ri, r) in curve.regimes.iter().enumerate() {
            let r_end = curve.regimes.get(ri.saturating_add(1)).map(|n| n.start);
            for (pi, p) in r.pieces.iter().enumerate() {
                let next = r
                    .pieces
                    .get(pi.saturating_add(1))
                    .and_then(|n| n.start.checked_sub(r.paid));
                let Some(from) = p.start.checked_sub(r.paid).map(|f| f.max(r.start)) else {
                    continue;
                };
                let to = match (next, r_end) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if p.shares.is_empty() {
                    continue; // proceeds nobody takes: the decimal reading says so
                }
                if let Some((lo, hi)) = cents_inside(from, to) {
                    stretches.push(Stretch {
                        lo,
                        hi,
                        regime: ri,
                        piece: pi,
                    });
                }
            }
        }
        Fixed { stretches }
    }

    /// The row at exit `x` cents — classes, pools, then each class's named
    /// holders and the rest of it — in cents, exactly as the decimal reading
    /// gives them; `false` (with `out` unspecified) where this reading
    /// declines. O(log P) to find the piece, O(C + H) to read it, and as
    /// much again to build its lines the first time.
    pub fn row(
        &self,
        (charter, curve): (&Charter, &Curve),
        x: u64,
        scratch: &mut Scratch,
        out: &mut Vec<i128>,
    ) -> bool {
        self.try_row(charter, curve, x, scratch, out).is_some()
    }

    fn try_row(
        &self,
        charter: &Charter,
        curve: &Curve,
        x: u64,
        scratch: &mut Scratch,
        out: &mut Vec<i128>,
    ) -> Option<()> {
        let i = self
            .stretches
            .partition_point(|s| s.lo <= x)
            .checked_sub(1)?;
        let at = self.stretches.get(i)?;
        if x > at.hi {
            return None;
        }
        if scratch.segment.as_ref().is_none_or(|(j, _)| *j != i) {
            let r = curve.regimes.get(at.regime)?;
            let p = r.pieces.get(at.piece)?;
            let base = r.base(at.piece).ok()?;
            scratch.segment = Some((i, segment(charter, r, p, &base)));
        }
        let (_, Some(s)) = scratch.segment.as_ref()? else {
            return None;
        };
        out.clear();
        scratch.steps.clear();
        for l in &s.amounts {
            scratch.steps.push(l.steps(x)?);
        }
        to_cents(i128::from(x), &scratch.steps, &mut scratch.order, out)?;
        for h in &s.holders {
            let total = *out.get(h.class)?;
            scratch.steps.clear();
            for l in &h.lines {
                scratch.steps.push(l.steps(x)?);
            }
            to_cents(total, &scratch.steps, &mut scratch.order, out)?;
            if !h.rest_shown {
                out.pop();
            }
        }
        Some(())
    }
}

/// The whole-cent exits strictly inside `(from, to)`: an exit within a cent
/// of an end is read the decimal way.
fn cents_inside(from: Decimal, to: Option<Decimal>) -> Option<(u64, u64)> {
    let lo = from
        .checked_mul(Decimal::ONE_HUNDRED)?
        .floor()
        .to_u64()?
        .checked_add(1)?;
    let hi = match to {
        Some(t) => t
            .checked_mul(Decimal::ONE_HUNDRED)?
            .ceil()
            .to_u64()?
            .checked_sub(1)?,
        None => u64::MAX,
    };
    (hi >= lo).then_some((lo, hi))
}

/// The remainder rule of [`super::apportion::to_cents`] on `V`s: whole cents
/// down, then the missing cents one each to the largest fractions, ties to
/// the first. Appends the cents to `out`; `None` where the decimal rule
/// would report an error.
fn to_cents(
    total: i128,
    steps: &[i128],
    order: &mut Vec<(i128, usize)>,
    out: &mut Vec<i128>,
) -> Option<()> {
    let first = out.len();
    let mut floor_sum = 0i128;
    order.clear();
    for (i, v) in steps.iter().enumerate() {
        let (cents, fraction) = split(*v);
        floor_sum = floor_sum.checked_add(cents)?;
        out.push(cents);
        order.push((fraction, i));
    }
    let missing = usize::try_from(total.checked_sub(floor_sum)?).ok()?;
    if missing > steps.len() {
        return None;
    }
    if missing > 0 {
        // Only which parts get a cent matters, not their order: a selection.
        let rank = |a: &(i128, usize), b: &(i128, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if missing < order.len() {
            order.select_nth_unstable_by(missing.checked_sub(1)?, rank);
        }
        for (_, i) in order.iter().take(missing) {
            let cents = out.get_mut(first.checked_add(*i)?)?;
            *cents = cents.checked_add(1)?;
        }
    }
    Some(())
}

/// Whole cents and the fraction of a cent (in 10^-10 steps) of `v` steps:
/// in 64 bits where it fits (amounts to $1.8 billion), which divide several
/// times faster than 128.
fn split(v: i128) -> (i128, i128) {
    match u64::try_from(v) {
        Ok(u) => (
            i128::from(u / STEPS_PER_CENT),
            i128::from(u % STEPS_PER_CENT),
        ),
        Err(_) => {
            let per = i128::from(STEPS_PER_CENT);
            (v.div_euclid(per), v.rem_euclid(per))
        }
    }
}

/// The lines of piece `p` of regime `r`, whose class totals at its start
/// are `base`.
fn segment(
    charter: &Charter,
    r: &super::curve::Regime,
    p: &super::pieces::Piece,
    base: &[Decimal],
) -> Option<Segment> {
    // Lines are fixed shares of class totals; a class whose shares are not
    // all owed alike is read the decimal way.
    if !r.reading.linear() {
        return None;
    }
    let classes = charter.classes.len();
    // Per class: the total at the piece's start and its rate.
    let mut rate = vec![Decimal::ZERO; classes];
    for (id, _, r) in &p.shares {
        *rate.get_mut(*id)? = rate.get(*id)?.checked_add(*r)?;
    }
    let shift = r.paid.checked_sub(p.start)?; // x + paid − start = x + shift
    let line_of = |id: usize, share: Decimal, less: Decimal| -> Option<Line> {
        let base = *base.get(id)?;
        let rt = *rate.get(id)?;
        let a = base
            .checked_add(rt.checked_mul(shift)?)?
            .checked_mul(share)?;
        let a = a.checked_sub(less)?;
        let b = share.checked_mul(rt)?.checked_div(Decimal::ONE_HUNDRED)?;
        let scale = Decimal::ONE.checked_add(share.abs())?;
        let reach = r
            .paid
            .abs()
            .checked_add(p.start.abs())?
            .checked_add(base.abs())?
            .checked_add(less.abs())?;
        line(a, b, scale.checked_mul(reach)?, scale)
    };
    let mut amounts = Vec::with_capacity(classes.saturating_add(charter.pools.len()));
    for (id, share) in r.reading.classes.iter().enumerate() {
        amounts.push(line_of(id, *share, Decimal::ZERO)?);
    }
    for pool in &r.reading.pools {
        amounts.push(match pool {
            Some((class, share, paid)) => line_of(*class, *share, *paid)?,
            None => Line {
                a: 0,
                b: 0,
                e0: 0,
                e1: 0,
            },
        });
    }
    let holders = holder_lines(charter, r, base, (&amounts, &rate), shift)?;
    Some(Segment { amounts, holders })
}

/// The lines of each class's named holders on a piece (and of the rest of
/// the class), within four times the class's bound: the decimal split
/// divides the class's amount and rounds twice per holder.
fn holder_lines(
    charter: &Charter,
    r: &super::curve::Regime,
    base: &[Decimal],
    (amounts, rate): (&[Line], &[Decimal]),
    shift: Decimal,
) -> Option<Vec<Holders>> {
    let mut holders = Vec::new();
    // Each class's named holders, in the charter's order: O(C + H).
    let mut named_of: Vec<Vec<Decimal>> = vec![Vec::new(); charter.classes.len()];
    for h in &charter.holders {
        named_of.get_mut(h.class)?.push(h.shares);
    }
    for ((id, c), named) in charter.classes.iter().enumerate().zip(named_of) {
        if named.is_empty() {
            continue;
        }
        if c.outstanding.is_zero() {
            return None;
        }
        let class = *amounts.get(id)?;
        let share = *r.reading.classes.get(id)?;
        let base = *base.get(id)?;
        let rt = *rate.get(id)?;
        let held: Decimal = named
            .iter()
            .try_fold(Decimal::ZERO, |s, h| s.checked_add(*h))?;
        let mut lines = Vec::with_capacity(named.len().saturating_add(1));
        // The decimal split divides the class's amount, itself within the
        // class's bound, and adds two roundings per holder and one per
        // holder for the rest: four times the class's bound covers both.
        let widen = |l: Line| Line {
            e0: class.e0.saturating_mul(4).saturating_add(64),
            e1: class.e1.saturating_mul(4),
            ..l
        };
        for part in named
            .iter()
            .copied()
            .chain([c.outstanding.checked_sub(held)?])
        {
            let f = part.checked_div(c.outstanding)?;
            let a = base
                .checked_add(rt.checked_mul(shift)?)?
                .checked_mul(share)?
                .checked_mul(f)?;
            let b = share
                .checked_mul(rt)?
                .checked_mul(f)?
                .checked_div(Decimal::ONE_HUNDRED)?;
            lines.push(widen(line(a, b, Decimal::ZERO, Decimal::ONE)?));
        }
        holders.push(Holders {
            class: id,
            lines,
            rest_shown: c.outstanding > held,
        });
    }
    Some(holders)
}

/// The line `a + b × X` (`a` in dollars, `b` in dollars per cent) in units,
/// with its bound: decimal rounding of at most 10^-26 of `reach + 1` dollars
/// plus 10^-26 of `scale` dollars per dollar of exit, and a few units of
/// the integers' own rounding.
fn line(a: Decimal, b: Decimal, reach: Decimal, scale: Decimal) -> Option<Line> {
    if scale > Decimal::from(MAX_SHARE + 1) || b.is_sign_negative() {
        return None;
    }
    let a = units(a, 0)?;
    let b = u128::try_from(units(b, 64)?).ok()?;
    // 10^-26 dollars is 2^32 / 10^16 units: about 4.3 × 10^-7.
    let per_dollar = Decimal::new(42_949_673, 14);
    let e0 = reach
        .checked_add(Decimal::ONE)?
        .checked_mul(per_dollar)?
        .ceil()
        .checked_add(Decimal::from(8))?;
    // Per cent of exit: 10^-28 × scale dollars, 4.3 × 10^-9 × scale units,
    // held over 2^32: 18.45 × scale.
    let e1 = scale
        .checked_mul(Decimal::new(18_446_745, 6))?
        .ceil()
        .checked_add(Decimal::ONE)?;
    Some(Line {
        a,
        b,
        e0: u128::try_from(e0.mantissa())
            .ok()?
            .checked_div(10u128.checked_pow(e0.scale())?)?,
        e1: u128::try_from(e1.mantissa())
            .ok()?
            .checked_div(10u128.checked_pow(e1.scale())?)?,
    })
}

/// `d` in units of 2^-(32 + extra) of 10^-10 dollars, rounded half up, or
/// `None` past 127 bits.
fn units(d: Decimal, extra: u32) -> Option<i128> {
    let (m, s) = (d.mantissa(), d.scale());
    let bits = SUB.checked_add(extra)?;
    let magnitude = if s <= 10 {
        m.unsigned_abs()
            .checked_mul(10u128.checked_pow(10u32.checked_sub(s)?)?)?
            .checked_mul(1u128.checked_shl(bits)?)?
    } else {
        let den = 10u128.checked_pow(s.checked_sub(10)?)?;
        let (mut q, mut r) = (
            m.unsigned_abs().checked_div(den)?,
            m.unsigned_abs().checked_rem(den)?,
        );
        // 32 bits at a time: den < 2^64, so r × 2^32 stays within 96 bits.
        let mut left = bits;
        while left > 0 {
            let k = left.min(32);
            let wide = r << k;
            q = q
                .checked_mul(1u128 << k)?
                .checked_add(wide.checked_div(den)?)?;
            r = wide.checked_rem(den)?;
            left = left.checked_sub(k)?;
        }
        q.checked_add(u128::from(r.checked_mul(2)? >= den))?
    };
    let v = i128::try_from(magnitude).ok()?;
    Some(if m < 0 { v.checked_neg()? } else { v })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn units_are_exact_scalings() {
        // $1 is 10^10 steps of 2^32 units.
        assert_eq!(units(Decimal::ONE, 0), Some(10_000_000_000i128 << 32));
        // $0.0000000001 (one step) is 2^32 units; half a step is 2^31.
        assert_eq!(units(Decimal::new(1, 10), 0), Some(1i128 << 32));
        assert_eq!(units(Decimal::new(5, 11), 0), Some(1i128 << 31));
        // A third of a step, 2^32 / 3 = 1,431,655,765.33, rounds down.
        let third = Decimal::new(1, 10) / Decimal::from(3);
        assert_eq!(units(third, 0), Some(1_431_655_765));
        assert_eq!(units(-Decimal::ONE, 0), Some(-(10_000_000_000i128 << 32)));
        // 1/100 of a dollar per cent with 64 more bits: 10^8 × 2^96.
        assert_eq!(units(Decimal::new(1, 2), 64), Some(100_000_000i128 << 96));
        assert_eq!(units(Decimal::new(1, 4), 64), Some(1_000_000i128 << 96));
    }

    #[test]
    fn mul_shift_is_the_wide_product() {
        // (2^100 + 2^63) × 3 >> 64 = 3 × 2^36 + 1 (3 × 2^63 = 2^64 + 2^63).
        assert_eq!(
            mul_shift((1u128 << 100) + (1u128 << 63), 3),
            Some(3 * (1u128 << 36) + 1)
        );
    }

    #[test]
    fn steps_round_half_to_even_away_from_the_bound() {
        let l = |a: i128| Line {
            a,
            b: 0,
            e0: 10,
            e1: 0,
        };
        let half = 1i128 << 31;
        // Just above half a step rounds up, just below down, at it declines.
        assert_eq!(l((5 << 32) + half + 11).steps(0), Some(6));
        assert_eq!(l((5 << 32) + half - 11).steps(0), Some(5));
        assert_eq!(l((5 << 32) + half + 10).steps(0), None);
        // Negative amounts count as zero.
        assert_eq!(l(-(7 << 32)).steps(0), Some(0));
    }

    #[test]
    fn remainder_rule_on_steps() {
        // $1.00 in thirds: 33.333…¢ each; the missing cent to the first.
        let third = 3_333_333_333i128;
        let mut out = Vec::new();
        to_cents(100, &[third, third, third + 1], &mut Vec::new(), &mut out).unwrap();
        // The third part's larger fraction wins the cent.
        assert_eq!(out, vec![33, 33, 34]);
        out.clear();
        to_cents(100, &[third, third, third], &mut Vec::new(), &mut out).unwrap();
        // 99¢ of floors and 99.99999999¢ in steps: one cent missing.
        assert_eq!(out, vec![34, 33, 33]);
    }
}
