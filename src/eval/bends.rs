//! Why the exit curve bends where a tranche of the waterfall ends: a
//! preference paid in full (a rank, or one class's share of a shortfall), a
//! participation cap reached, the residual beginning, or nothing left to pay.

use super::waterfall::{Tranche, Waterfall};
use crate::ir::{Charter, Cite, ClassId};

/// Why the curve bends at an exit.
#[derive(Debug, Clone)]
pub struct Cause {
    /// In words.
    pub what: String,
    /// The clause behind it.
    pub cite: Cite,
}

/// The causes of the bend at the start of tranche `k` (the number of
/// tranches for the stretch past them all).
pub fn at_tranche(charter: &Charter, w: &Waterfall, k: usize) -> Vec<Cause> {
    let name = |id: ClassId| {
        charter
            .classes
            .get(id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let next = w.tranches.get(k);
    let Some(prev) = k.checked_sub(1).and_then(|i| w.tranches.get(i)) else {
        return next
            .map(|t| {
                vec![Cause {
                    what: format!("the first dollar goes to {}", receivers(charter, w, t)),
                    cite: first_cite(w, t).unwrap_or_else(|| charter.liquidation.cite.clone()),
                }]
            })
            .unwrap_or_default();
    };
    let mut out = Vec::new();
    let still = |id: ClassId, r: usize| {
        next.is_some_and(|t| w.shares(t).iter().any(|s| s.0 == id && s.2 == r))
    };
    let every_claim_ends = w.shares(prev).iter().all(|s| !still(s.0, s.2));
    if every_claim_ends && !prev.residual {
        // A rank (or the last of it) paid in full: one cause for all of it.
        if let Some(reason) = prev.ends.first().and_then(|(_, r)| w.reasons.get(*r)) {
            let what = match prev.ends.as_slice() {
                [(one, _)] => format!(
                    "rank paid in full: {}'s {} is paid in full",
                    name(*one),
                    reason.what
                ),
                _ => format!(
                    "rank paid in full: the {}s of {} are paid in full",
                    reason.what,
                    names(prev.ends.iter().map(|(id, _)| name(*id)))
                ),
            };
            out.push(Cause {
                what,
                cite: reason.cite.clone(),
            });
        }
    }
    for (id, r) in &prev.ends {
        let Some(reason) = w.reasons.get(*r) else {
            continue;
        };
        let what = if prev.residual {
            format!("{}'s participation reaches its cap", name(*id))
        } else if every_claim_ends {
            continue;
        } else {
            let rest: Vec<String> = w
                .shares(prev)
                .iter()
                .filter(|s| still(s.0, s.2))
                .map(|s| name(s.0))
                .collect();
            format!(
                "shortfall split ends for {}: its {} is paid in full, and the rest goes to {}",
                name(*id),
                reason.what,
                join(&rest)
            )
        };
        out.push(Cause {
            what,
            cite: reason.cite.clone(),
        });
    }
    match next {
        Some(t) if t.residual && !prev.residual => out.push(Cause {
            what: format!("the residual begins: {}", receivers(charter, w, t)),
            cite: first_cite(w, t).unwrap_or_else(|| charter.liquidation.cite.clone()),
        }),
        Some(t)
            if !t.residual
                && w.shares(prev)
                    .iter()
                    .all(|s| !w.shares(t).iter().any(|u| u.0 == s.0)) =>
        {
            out.push(Cause {
                what: format!("then {}", receivers(charter, w, t)),
                cite: first_cite(w, t).unwrap_or_else(|| charter.liquidation.cite.clone()),
            })
        }
        Some(_) => {}
        None => out.push(Cause {
            what: "every class has taken all it can: nothing more is distributed".to_string(),
            cite: charter.liquidation.cite.clone(),
        }),
    }
    out
}

/// `Common (residual, as common stock) and Series A (participation)`.
fn receivers(charter: &Charter, w: &Waterfall, t: &Tranche) -> String {
    let shares = w.shares(t);
    // Only the names shown are formatted: a tranche shared by thousands of
    // series names the first few and counts the rest.
    let parts: Vec<String> = shares
        .iter()
        .take(crate::num::NAMES_SHOWN)
        .map(|(id, _, r)| {
            let name = charter
                .classes
                .get(*id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            match w.reasons.get(*r) {
                Some(reason) => format!("{name} ({})", reason.what),
                None => name,
            }
        })
        .collect();
    if shares.len() > parts.len() {
        format!(
            "{} and {} more",
            parts.join(", "),
            crate::num::group(
                rust_decimal::Decimal::from(shares.len().saturating_sub(parts.len())),
                0
            )
        )
    } else {
        join(&parts)
    }
}

/// Names as a list ("A, B and C"), or the first [`crate::num::NAMES_SHOWN`]
/// and the rest counted.
fn names(all: impl ExactSizeIterator<Item = String>) -> String {
    if all.len() > crate::num::NAMES_SHOWN {
        crate::num::joined_list(all, ", ")
    } else {
        join(&all.collect::<Vec<_>>())
    }
}

fn first_cite(w: &Waterfall, t: &Tranche) -> Option<Cite> {
    w.shares(t)
        .first()
        .and_then(|s| w.reasons.get(s.2))
        .map(|r| r.cite.clone())
}

/// `A`, `A and B`, `A, B and C`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
