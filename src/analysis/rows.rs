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
/// (a class with no named holder as itself), and the pools, where the
/// members of a group are one party in its first member's place. O(C·H +
/// P + M).
pub fn parties(
    charter: &crate::ir::Charter,
    cents: &crate::eval::Cents,
    by_holder: bool,
) -> Result<Vec<PartyAmount>, Kind> {
    use crate::ir::Member;
    // Each line, and the members that make it part of a group.
    let mut lines: Vec<(PartyAmount, [Option<Member>; 2])> = Vec::new();
    for (id, (c, amount)) in charter.classes.iter().zip(&cents.classes).enumerate() {
        let ratio = c.ratio.unwrap_or(Decimal::ONE);
        let held: Vec<&crate::eval::HolderPayout> = if by_holder {
            cents.holders.iter().filter(|h| h.class == c.name).collect()
        } else {
            Vec::new()
        };
        if held.is_empty() {
            lines.push((
                PartyAmount {
                    name: c.name.clone(),
                    amount: *amount,
                    shares: c.outstanding.mul(ratio, "shares as converted")?,
                },
                [Some(Member::Class(id)), None],
            ));
            continue;
        }
        let mut named = charter
            .holders
            .iter()
            .enumerate()
            .filter(|(_, h)| h.class == id)
            .map(|(j, _)| j);
        for h in held {
            let holder = if h.named {
                named.next().map(Member::Holder)
            } else {
                None
            };
            lines.push((
                PartyAmount {
                    name: h.name.clone(),
                    amount: h.payout,
                    shares: h.shares.mul(ratio, "shares as converted")?,
                },
                [Some(Member::Class(id)), holder],
            ));
        }
    }
    for (i, (p, amount)) in charter.pools.iter().zip(&cents.pools).enumerate() {
        lines.push((
            PartyAmount {
                name: p.name.clone(),
                amount: *amount,
                shares: p.count,
            },
            [Some(Member::Pool(i)), None],
        ));
    }
    if !by_holder || charter.groups.is_empty() {
        return Ok(lines.into_iter().map(|(p, _)| p).collect());
    }
    merge_groups(charter, cents, lines)
}

/// The lines with each group's members made one line, in its first
/// member's place, paid the group's cents. O(lines + members).
fn merge_groups(
    charter: &crate::ir::Charter,
    cents: &crate::eval::Cents,
    lines: Vec<(PartyAmount, [Option<crate::ir::Member>; 2])>,
) -> Result<Vec<PartyAmount>, Kind> {
    use crate::ir::Member;
    // Groups are disjoint (the checker sees to it): each member in one.
    let index: std::collections::HashMap<Member, usize> = charter
        .groups
        .iter()
        .enumerate()
        .flat_map(|(g, x)| x.members.iter().map(move |m| (*m, g)))
        .collect();
    let group_of =
        |keys: &[Option<Member>; 2]| keys.iter().flatten().find_map(|k| index.get(k).copied());
    let mut out: Vec<PartyAmount> = Vec::new();
    let mut placed: Vec<Option<usize>> = vec![None; charter.groups.len()];
    for (line, keys) in lines {
        let Some(g) = group_of(&keys) else {
            out.push(line);
            continue;
        };
        match placed.get(g).copied().flatten() {
            Some(at) => {
                if let Some(p) = out.get_mut(at) {
                    p.shares = p.shares.add(line.shares, "a group's shares")?;
                }
            }
            None => {
                if let Some(slot) = placed.get_mut(g) {
                    *slot = Some(out.len());
                }
                out.push(PartyAmount {
                    name: charter
                        .groups
                        .get(g)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    amount: cents.groups.get(g).copied().unwrap_or_default(),
                    shares: line.shares,
                });
            }
        }
    }
    Ok(out)
}
