//! Backsolving the option pricing method: the equity value at which a party
//! is worth a given price a share (`value solving X at $P per share`). The
//! party's value is fixed by the exit curve up to the equity value
//! ([`Setup`]), so Brent's method searches it in floating point, and the
//! cent found is checked against the decimal valuation of [`value`].

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::value::{Inputs, Model, Valuation, strike, value};
use crate::diagnostic::{Kind, Problem};
use crate::eval::breakpoints::{curve_for, exact_at, rows_of};
use crate::eval::curve::Detail;
use crate::ir::{Charter, Span};
use crate::num::{self, Checked};
use crate::syntax::ast::Spanned;

/// The OPM's inputs other than the equity value.
#[derive(Debug, Clone, Copy)]
pub struct Market {
    /// Volatility a year, as a fraction.
    pub volatility: Decimal,
    /// Years to the exit.
    pub term: Decimal,
    /// The risk-free rate a year, as a fraction.
    pub rate: Decimal,
}

/// What the curve fixes whatever the equity value: each tranche's lower
/// strike and the party's share of it, and each jump's strike and the
/// party's jump. The party's value at equity V is then O(B) in f64.
struct Setup {
    tranches: Vec<(f64, f64)>,
    jumps: Vec<(f64, f64)>,
}

impl Setup {
    fn value(&self, model: &Model) -> f64 {
        let calls: Vec<f64> = self.tranches.iter().map(|t| model.call(t.0)).collect();
        let mut v = 0.0;
        for (i, (_, share)) in self.tranches.iter().enumerate() {
            let next = calls.get(i.saturating_add(1)).copied().unwrap_or(0.0);
            v += share * (calls.get(i).copied().unwrap_or(0.0) - next);
        }
        for (k, jump) in &self.jumps {
            v += jump * model.digital(*k);
        }
        v
    }
}

/// Backsolve: the equity value (to the cent) at which `party` is worth
/// `price` a share, and the full valuation at it. Brent's method (the
/// `roots` crate) on the party's value per share, bracketed by $1 and
/// $10^16; the cent found is checked against the decimal valuation, and
/// moved a cent or two where rounding needs it.
pub fn backsolve(
    charter: &Charter,
    market: Market,
    (party, price): (&Spanned<String>, &Spanned<Decimal>),
    event: Option<&Spanned<String>>,
    span: Span,
) -> Result<Valuation, Problem> {
    let who = super::party::Party::find(charter, party)?;
    let at = |k: Kind| Problem::new(k, price.span, "this price");
    if price.node <= Decimal::ZERO {
        return Err(at(Kind::BadNumber(
            "a price per share above zero is needed to solve for".to_string(),
        )));
    }
    let shares = who.shares(charter);
    if shares.is_zero() {
        return Err(at(Kind::Impossible(format!(
            "{} holds no shares",
            who.name(charter)
        ))));
    }
    let setup = setup(charter, who, event, span)?;
    let target = strike(price.node);
    // A figure shown beside the price is shown to its places, at least cents.
    let places = price.node.normalize().scale().max(2);
    let per_share = |v: f64| -> f64 {
        let inputs = Inputs {
            equity: Decimal::from_f64(v).unwrap_or_default(),
            volatility: market.volatility,
            term: market.term,
            rate: market.rate,
        };
        Model::new(&inputs).map_or(0.0, |m| setup.value(&m)) / strike(shares) - target
    };
    let (lo, hi) = (1.0, 1e16);
    let mut convergency = roots::SimpleConvergency {
        eps: 1e-9,
        max_iter: 500,
    };
    let name = who.name(charter);
    let root = match roots::find_root_brent(lo, hi, per_share, &mut convergency) {
        Ok(r) => r,
        Err(_) => {
            let (at_lo, at_hi) = (per_share(lo) + target, per_share(hi) + target);
            return Err(at(Kind::Impossible(format!(
                "no equity value between $1 and $10^16 makes {name} worth {} a share: it is worth {} a share at $1 and {} at $10^16",
                num::exact_dollars(price.node),
                beside(at_lo, price.node, places),
                beside(at_hi, price.node, places),
            ))));
        }
    };
    let equity = Decimal::from_f64(root)
        .ok_or_else(|| at(Kind::Overflow("the equity value".to_string())))?
        .round_dp(2);
    let inputs = |equity| Inputs {
        equity,
        volatility: market.volatility,
        term: market.term,
        rate: market.rate,
    };
    let (_, mut v) = to_the_cent(equity, price.node, |equity| {
        let v = value(charter, inputs(equity), event, span)?;
        let got = party_per_share(&v, who, charter, shares).map_err(at)?;
        Ok((got, v))
    })?;
    v.backsolved = Some(format!(
        "the equity value at which {name} is worth {} a share",
        num::exact_dollars(price.node)
    ));
    Ok(v)
}

/// From the cent the root finder gives, the equity value at which
/// `per_share` rounds to `price`'s cents: a cent up while it falls short, a
/// cent down while it is over, at most three cents (the floating-point
/// search and the decimal valuation agree closer than that: on 300
/// generated charters no step was needed). O(1) calls.
fn to_the_cent<T>(
    mut equity: Decimal,
    price: Decimal,
    mut per_share: impl FnMut(Decimal) -> Result<(Decimal, T), Problem>,
) -> Result<(Decimal, T), Problem> {
    let cent = Decimal::new(1, 2);
    let mut at = per_share(equity)?;
    for _ in 0..3 {
        let step = match at.0.round_dp(2).cmp(&price.round_dp(2)) {
            std::cmp::Ordering::Equal => break,
            std::cmp::Ordering::Less => cent,
            std::cmp::Ordering::Greater => Decimal::new(-1, 2),
        };
        equity = equity.checked_add(step).unwrap_or(equity);
        at = per_share(equity)?;
    }
    Ok((equity, at.1))
}

/// A value per share shown beside a target it missed: to the target's
/// places, or to as many more (up to ten) as it takes not to read as the
/// target, so that "impossible" never sits beside the figure asked for.
fn beside(value: f64, target: Decimal, from: u32) -> String {
    let v = Decimal::from_f64(value).unwrap_or_default();
    for places in from..=10 {
        let shown = v.round_dp(places);
        if shown != target.round_dp(places) {
            return num::exact_dollars(shown);
        }
    }
    let rel = if v < target {
        "just below"
    } else {
        "just above"
    };
    format!("{rel} {}", num::exact_dollars(target))
}

/// The party's value in a valuation: a group's, its members' together.
fn party_value(
    v: &Valuation,
    who: super::party::Party,
    charter: &Charter,
) -> Result<Decimal, Kind> {
    if let super::party::Party::Group(_) = who {
        return who
            .members(charter)
            .into_iter()
            .try_fold(Decimal::ZERO, |total, m| {
                total.add(party_value(v, m, charter)?, "a group's value")
            });
    }
    let name = who.name(charter);
    Ok(v.parties
        .iter()
        .chain(&v.holders)
        .find(|p| p.name == name)
        .map_or(Decimal::ZERO, |p| p.value))
}

/// The party's value per share in a valuation.
fn party_per_share(
    v: &Valuation,
    who: super::party::Party,
    charter: &Charter,
    shares: Decimal,
) -> Result<Decimal, Kind> {
    party_value(v, who, charter)?.div(shares, "value per share")
}

/// The party's tranches and jumps, from the curve.
fn setup(
    charter: &Charter,
    who: super::party::Party,
    event: Option<&Spanned<String>>,
    span: Span,
) -> Result<Setup, Problem> {
    let at = |k: Kind| Problem::new(k, span, "this valuation");
    let (_, curve) = curve_for(charter, event, None, Detail::Explained, span)?;
    let rows = rows_of(charter, &curve, None).map_err(at)?;
    // The party's indices among amounts, and its part of each.
    let parts = parts(charter, who);
    let tranches = rows
        .iter()
        .map(|r| {
            let share: f64 = parts
                .iter()
                .map(|(k, part)| {
                    // The shares listed are those not zero, by index.
                    r.shares
                        .binary_search_by_key(k, |s| s.index)
                        .ok()
                        .and_then(|i| r.shares.get(i))
                        .map_or(0.0, |s| {
                            strike(s.share.num) / strike(s.share.den).max(f64::MIN_POSITIVE)
                        })
                        * part
                })
                .sum();
            (strike(r.exit), share)
        })
        .collect();
    let mut jumps = Vec::new();
    for b in curve.breakpoints.iter().filter(|b| b.left != b.right) {
        let before = exact_at(&curve, b.left, b.exit).map_err(at)?;
        let after = exact_at(&curve, b.right, b.exit).map_err(at)?;
        let mut jump = 0.0;
        for (k, part) in &parts {
            let j = after
                .get(*k)
                .copied()
                .unwrap_or_default()
                .sub(before.get(*k).copied().unwrap_or_default(), "jump")
                .map_err(at)?;
            jump += strike(j) * part;
        }
        jumps.push((strike(b.exit), jump));
    }
    Ok(Setup { tranches, jumps })
}

/// Which amounts (classes, then pools) a party's payout is made of, and
/// its part of each: all of a class's or pool's, a holder's shares of its
/// class's, and a group's members' together.
fn parts(charter: &Charter, who: super::party::Party) -> Vec<(usize, f64)> {
    use super::party::Party;
    let n = charter.classes.len();
    match who {
        Party::Class(id) => vec![(id, 1.0)],
        Party::Pool(i) => vec![(n.saturating_add(i), 1.0)],
        Party::Holder(i) => {
            let h = charter.holders.get(i);
            let class = h.map_or(0, |h| h.class);
            let out = charter
                .classes
                .get(class)
                .map_or(Decimal::ONE, |c| c.outstanding);
            vec![(
                class,
                h.map_or(0.0, |h| strike(h.shares)) / strike(out).max(1.0),
            )]
        }
        Party::Group(_) => who
            .members(charter)
            .into_iter()
            .flat_map(|m| parts(charter, m))
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// A party worth the equity value a share (one share): from $1.00 the
    /// cent is found upward for $1.02 and downward for $0.98, a cent at a
    /// time; three cents at most.
    #[test]
    fn the_equity_moves_a_cent_at_a_time_toward_the_price() {
        let one = |e: Decimal| Ok((e, ()));
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(to_the_cent(d("1.00"), d("1.02"), one).unwrap().0, d("1.02"));
        assert_eq!(to_the_cent(d("1.00"), d("0.98"), one).unwrap().0, d("0.98"));
        assert_eq!(to_the_cent(d("1.00"), d("1.00"), one).unwrap().0, d("1.00"));
        // Further than three cents, it stops after three.
        assert_eq!(to_the_cent(d("1.00"), d("1.10"), one).unwrap().0, d("1.03"));
    }

    /// A value beside a target it missed is shown to as many places as it
    /// takes not to read as the target, up to ten; closer than that, it is
    /// "just below" or "just above".
    #[test]
    fn a_missed_target_never_reads_as_the_target() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(beside(0.0, d("1000000000000"), 2), "$0.00");
        assert_eq!(beside(1.2344999, d("1.2345"), 4), "$1.2344999");
        assert_eq!(
            beside(1.2345000000001, d("1.2345"), 4),
            "just above $1.2345"
        );
        assert_eq!(
            beside(1.2344999999999, d("1.2345"), 4),
            "just below $1.2345"
        );
    }
}
