//! The exits an analysis reads the curve at: the ends of a range and every
//! breakpoint inside it, to the cent, with the cents either side of a jump;
//! and the default range, from $0 to a little past the last breakpoint.

use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::eval::breakpoints::exact_at;
use crate::eval::curve::Curve;
use crate::num::Checked;

/// One cent.
const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// A little past the last breakpoint of any of the curves: a quarter more,
/// rounded up to a round figure (a leading digit and zeros), at least $1M.
pub fn past_last(curves: &[&Curve]) -> Result<Decimal, Kind> {
    let last = curves
        .iter()
        .filter_map(|c| c.breakpoints.last().map(|b| b.exit))
        .max()
        .unwrap_or_default();
    let past = last.mul(Decimal::new(125, 2), "range")?;
    Ok(round_up(past.max(Decimal::from(1_000_000))))
}

/// `x` rounded up to its leading digit: $46.6M → $50M, $1.2B → $2B.
fn round_up(x: Decimal) -> Decimal {
    let mut unit = Decimal::ONE;
    while let Some(next) = unit.checked_mul(Decimal::TEN) {
        if next > x {
            break;
        }
        unit = next;
    }
    let units = x.checked_div(unit).unwrap_or(Decimal::ONE).ceil();
    units.checked_mul(unit).unwrap_or(x)
}

/// The rows' exits: the range's ends, and every breakpoint of the curves
/// inside it to the cent (rounded up), with the cents either side of each
/// jump.
pub fn exits(curves: &[&Curve], from: Decimal, to: Decimal) -> Result<Vec<Decimal>, Kind> {
    let mut out = vec![from.round_dp(2), to.round_dp(2)];
    for c in curves {
        for b in &c.breakpoints {
            let x = b
                .exit
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToPositiveInfinity);
            if x > from && x < to {
                out.push(x);
                // Both sides of a jump: the exit itself belongs to one
                // side, the cent before or after it to the other.
                if b.left != b.right && jumps(c, b.left, b.right, b.exit)? {
                    out.push(x.sub(CENT, "exit")?.max(from));
                    out.push(x.add(CENT, "exit")?.min(to));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Whether some payout jumps at `x` between regimes `left` and `right`
/// (not merely bends where decisions change).
fn jumps(c: &Curve, left: usize, right: usize, x: Decimal) -> Result<bool, Kind> {
    let before = exact_at(c, left, x)?;
    let after = exact_at(c, right, x)?;
    for (p, q) in before.iter().zip(&after) {
        if p.sub(*q, "jump")?.abs() > Decimal::new(1, 6) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// One party's payout at an exit, to the cent, and its shares as converted
/// (for a value per share).
#[derive(Debug, Clone, PartialEq)]
pub struct PartyAmount {
    /// Its name as the tables show it.
    pub name: String,
    /// Its payout, to the cent.
    pub amount: Decimal,
    /// Its shares as converted into common.
    pub shares: Decimal,
}

/// Every party's payout at one exit, summing to the exit: the classes and
/// the pools; or, by holder, each class's named holders and the rest of it
/// (a class with no named holder as itself), and the pools. O(classes +
/// holders + pools).
pub fn parties(
    charter: &crate::ir::Charter,
    cents: &crate::eval::Cents,
    by_holder: bool,
) -> Result<Vec<PartyAmount>, Kind> {
    let mut out = Vec::new();
    for (c, amount) in charter.classes.iter().zip(&cents.classes) {
        let ratio = c.ratio.unwrap_or(Decimal::ONE);
        let lines: Vec<&crate::eval::HolderPayout> = if by_holder {
            cents.holders.iter().filter(|h| h.class == c.name).collect()
        } else {
            Vec::new()
        };
        if lines.is_empty() {
            out.push(PartyAmount {
                name: c.name.clone(),
                amount: *amount,
                shares: c.outstanding.mul(ratio, "shares as converted")?,
            });
        }
        for h in lines {
            out.push(PartyAmount {
                name: h.name.clone(),
                amount: h.payout,
                shares: h.shares.mul(ratio, "shares as converted")?,
            });
        }
    }
    for (p, amount) in charter.pools.iter().zip(&cents.pools) {
        out.push(PartyAmount {
            name: p.name.clone(),
            amount: *amount,
            shares: p.count,
        });
    }
    Ok(out)
}
