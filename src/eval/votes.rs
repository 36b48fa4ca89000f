//! Voting power and board seats.
//!
//! A class's votes are its shares (or the common shares it converts into)
//! times its votes per share. Where the charter rounds fractional votes per
//! holder, each named holder's shares are rounded on their own and the rest
//! of the class is treated as one holder.

use rust_decimal::{Decimal, RoundingStrategy};

use super::scenario::Scenario;
use crate::diagnostic::Kind;
use crate::ir::{Cite, ClassId, FractionMode, Seat, SeatCount, VoteBasis};
use crate::num::{self, Checked};

/// One holder's votes.
#[derive(Debug, Clone)]
pub struct HolderVotes {
    /// Holder name, or "other holders of X".
    pub name: String,
    /// Shares held.
    pub shares: Decimal,
    /// Common shares as converted.
    pub as_converted: Decimal,
    /// Votes.
    pub votes: Decimal,
}

/// One class's votes.
#[derive(Debug, Clone)]
pub struct ClassVotes {
    /// The class.
    pub class: ClassId,
    /// Display name.
    pub name: String,
    /// Shares outstanding.
    pub shares: Decimal,
    /// Common shares as converted.
    pub as_converted: Decimal,
    /// Votes per share (or per common share as converted); `None` if it has no votes.
    pub per_share: Option<Decimal>,
    /// Whether votes are counted as converted.
    pub counted_as_converted: bool,
    /// Votes in all.
    pub votes: Decimal,
    /// Its holders: the named ones, and the rest as one.
    pub holders: Vec<HolderVotes>,
    /// The clause.
    pub cite: Option<Cite>,
}

/// Every class's votes as the scenario stands.
pub fn power(s: &Scenario) -> Result<Vec<ClassVotes>, Kind> {
    let Some(voting) = &s.charter.voting else {
        return Err(Kind::MissingFact(
            "the charter file states no voting rights: add a `voting { ... }` block".to_string(),
        ));
    };
    let mut out = Vec::new();
    for (id, class) in s.charter.classes.iter().enumerate() {
        let right = voting.rights.get(id).and_then(|r| r.as_ref());
        let ratio = class.ratio.unwrap_or(Decimal::ONE);
        let named: Vec<(String, Decimal)> = s
            .charter
            .holders
            .iter()
            .filter(|h| h.class == id)
            .map(|h| (h.name.clone(), h.shares))
            .collect();
        let held = num::sum(named.iter().map(|h| h.1), "shares held")?;
        let mut list = named;
        if class.outstanding > held {
            list.push((
                format!("other holders of {}", class.name),
                class.outstanding.sub(held, "other holders")?,
            ));
        }
        let mut holders = Vec::new();
        for (name, shares) in list {
            let as_converted = shares.mul(ratio, "shares as converted")?;
            let votes = match right {
                None => Decimal::ZERO,
                Some(r) => {
                    let base = if r.as_converted { as_converted } else { shares };
                    let base = match &voting.fractional {
                        Some((mode, true, _)) => settle(base, *mode),
                        Some((mode, false, _)) if r.as_converted => {
                            settle(ratio, *mode).mul(shares, "votes")?
                        }
                        _ => base,
                    };
                    base.mul(r.per_share, "votes")?
                }
            };
            holders.push(HolderVotes {
                name,
                shares,
                as_converted,
                votes,
            });
        }
        out.push(ClassVotes {
            class: id,
            name: class.name.clone(),
            shares: class.outstanding,
            as_converted: class.outstanding.mul(ratio, "shares as converted")?,
            per_share: right.map(|r| r.per_share),
            counted_as_converted: right.is_some_and(|r| r.as_converted),
            votes: num::sum(holders.iter().map(|h| h.votes), "votes")?,
            holders,
            cite: right.map(|r| r.cite.clone()),
        });
    }
    Ok(out)
}

/// A count rounded as the charter rounds fractional votes.
fn settle(x: Decimal, mode: FractionMode) -> Decimal {
    match mode {
        FractionMode::RoundNearest => {
            x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        }
        FractionMode::RoundTenth => {
            x.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        }
        FractionMode::CashInLieu | FractionMode::RoundDown => x.trunc(),
    }
}

/// A class's weight on a basis, and each named holder's within it.
pub fn weight(v: &ClassVotes, basis: VoteBasis) -> (Decimal, Vec<(String, Decimal)>) {
    let pick = |h: &HolderVotes| match basis {
        VoteBasis::Shares => h.shares,
        VoteBasis::AsConverted => h.as_converted,
        VoteBasis::VotingPower => h.votes,
    };
    let total = match basis {
        VoteBasis::Shares => v.shares,
        VoteBasis::AsConverted => v.as_converted,
        VoteBasis::VotingPower => v.votes,
    };
    (
        total,
        v.holders
            .iter()
            .map(|h| (h.name.clone(), pick(h)))
            .collect(),
    )
}

/// Who elects how many directors, as things stand.
#[derive(Debug, Clone)]
pub struct Board {
    /// Each seat: who elects, how many (in words), and the count where known.
    pub seats: Vec<(String, String, Option<u32>)>,
    /// The clause giving the seats.
    pub cite: Option<Cite>,
    /// The voting shift: whether in force, why, and its clause.
    pub shift: Option<(bool, String, Cite)>,
    /// Cumulative voting: the votes one director needs, where the board size is known.
    pub cumulative: Option<(String, Cite)>,
    /// The board size used.
    pub size: Option<u32>,
}

/// The board as things stand, for a board of `size` directors if given.
pub fn board(s: &Scenario, size: Option<u32>) -> Result<Board, Kind> {
    let Some(voting) = &s.charter.voting else {
        return Err(Kind::MissingFact(
            "the charter file states no voting rights: add a `voting { ... }` block".to_string(),
        ));
    };
    let power = power(s)?;
    let total = num::sum(power.iter().map(|p| p.votes), "votes")?;
    let preferred = num::sum(
        power
            .iter()
            .filter(|p| s.charter.classes.get(p.class).is_some_and(|c| !c.common))
            .map(|p| p.votes),
        "votes",
    )?;
    let mut seats_src: Option<(&Vec<Seat>, Cite)> =
        voting.board.as_ref().map(|(b, c)| (b, c.clone()));
    let mut size = size;
    let shift = match &voting.shift {
        Some(sh) => {
            // The preferred "would otherwise be insufficient to elect all
            // directors" when, voting together, it has no majority.
            let in_force = preferred.mul(Decimal::TWO, "votes")? <= total;
            let why = format!(
                "the preferred cast {} of {} votes ({}%){}",
                num::shares(preferred),
                num::shares(total),
                num::group(
                    preferred
                        .checked_div(total)
                        .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
                        .unwrap_or_default(),
                    2
                ),
                if in_force {
                    ", not a majority"
                } else {
                    ", a majority"
                }
            );
            if in_force {
                seats_src = Some((&sh.seats, sh.cite.clone()));
                size = Some(size.unwrap_or(sh.minimum).max(sh.minimum));
            }
            Some((in_force, why, sh.cite.clone()))
        }
        None => None,
    };
    let (seats, cite) = match seats_src {
        Some((list, c)) => (seat_lines(s, list, size), Some(c)),
        None => (Vec::new(), None),
    };
    let cumulative = voting.cumulative.as_ref().map(|c| {
        let text = match size {
            Some(n) if n > 0 => {
                let needed = total
                    .checked_div(Decimal::from(n.saturating_add(1)))
                    .map_or(total, |q| q.trunc().saturating_add(Decimal::ONE));
                format!(
                    "each vote is multiplied by the {n} directors to be elected and may be cast for one candidate: {} of the {} votes elect one director",
                    num::shares(needed),
                    num::shares(total)
                )
            }
            _ => "each vote is multiplied by the number of directors to be elected and may be cast for one candidate (give `board of N` for the votes one director needs)".to_string(),
        };
        (text, c.clone())
    });
    Ok(Board {
        seats,
        cite,
        shift,
        cumulative,
        size,
    })
}

/// The seats of a board: who elects how many, in words and (where the size
/// is known) as a number; "the rest" after every other seat.
fn seat_lines(
    s: &Scenario,
    list: &[Seat],
    size: Option<u32>,
) -> Vec<(String, String, Option<u32>)> {
    let mut seats = Vec::new();
    let mut fixed_total: u32 = 0;
    let mut pending_rest = None;
    for seat in list {
        let live: Vec<ClassId> = seat
            .electors
            .iter()
            .copied()
            .filter(|e| {
                s.charter
                    .classes
                    .get(*e)
                    .is_some_and(|c| !c.outstanding.is_zero())
            })
            .collect();
        let who = live
            .iter()
            .map(|e| s.name(*e))
            .collect::<Vec<_>>()
            .join(", ");
        let who = if seat.as_converted && live.len() > 1 {
            format!("{who} together, as converted")
        } else if live.len() > 1 {
            format!("{who} together")
        } else {
            who
        };
        if live.is_empty() {
            continue;
        }
        match seat.count {
            SeatCount::Fixed(n) => {
                fixed_total = fixed_total.saturating_add(n);
                seats.push((who, n.to_string(), Some(n)));
            }
            SeatCount::Share(num_, den) => {
                let n = size.and_then(|b| {
                    Decimal::from(b)
                        .checked_mul(num_)
                        .and_then(|x| x.checked_div(den))?
                        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                        .mantissa()
                        .try_into()
                        .ok()
                });
                if let Some(n) = n {
                    fixed_total = fixed_total.saturating_add(n);
                }
                let words = format!(
                    "{}/{} of the board, rounded to the nearest director",
                    num_.normalize(),
                    den.normalize()
                );
                seats.push((
                    who,
                    n.map_or(words.clone(), |n| format!("{n} ({words})")),
                    n,
                ));
            }
            SeatCount::Rest => pending_rest = Some(who),
        }
    }
    if let Some(who) = pending_rest {
        let n = size.map(|b| b.saturating_sub(fixed_total));
        seats.push((
            who,
            n.map_or("the remaining directors".to_string(), |n| {
                format!("{n} (the rest)")
            }),
            n,
        ));
    }
    seats
}
