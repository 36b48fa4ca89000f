//! What each issued security leaves outstanding after the actions on it.
//!
//! OCF acts on a security by its id. A cancellation, repurchase, transfer,
//! exercise, release or conversion takes a `quantity` (a conversion's
//! `quantity_converted`) of it; one without a quantity (a reissuance, a
//! consolidation, a retraction, a warrant's exercise in OCF 1.2) takes all
//! of it. What a partial action leaves is either reissued as its
//! `balance_security_id` — a new issuance in the package, which then holds
//! it — or, where the action names none (OCF 1.2's option exercise has no
//! such field), stays with the security acted on. So what is outstanding is
//! the issued quantity less what the transactions took, reissued or not,
//! and each share is counted once. O(n log n) for n transactions (the
//! actions are taken in date order, so that the one that takes more than is
//! left is the one named).

use std::collections::HashMap;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::at;
use crate::interchange::ocf::kinds::{CLOSING, ISSUING};
use crate::interchange::ocf::model::Tx;
use crate::interchange::ocf::package::Located;
use crate::num::shares;

/// One issued security as the actions leave it.
#[derive(Debug, Clone)]
struct Position<'a> {
    /// The issuance, for a gap's words.
    issuance: &'a Located<Tx>,
    /// Another issuance of the same security id (the first after this):
    /// which one an action takes from cannot be told, so any action takes
    /// them all whole.
    twin: Option<&'a Located<Tx>>,
    /// Shares left; `None` where the issuance states none (a convertible's
    /// amount is money, not shares).
    left: Option<Decimal>,
    /// Taken whole, or its rest reissued as another security.
    closed: bool,
    /// Some action took from it (an issuance of no shares is the
    /// issuance's own gap, not an emptied position).
    acted: bool,
}

/// Every issued security's position, by security id.
#[derive(Debug, Clone, Default)]
pub struct Positions<'a> {
    by_security: HashMap<&'a str, Position<'a>>,
    /// Actions on a security the package never issued, or on one already
    /// taken whole: by security, in the order met, written as one gap each.
    stray: IndexMap<(&'a str, bool), Vec<&'a Located<Tx>>>,
}

impl<'a> Positions<'a> {
    /// Replays the package's actions on its issuances; the gaps name each
    /// action that cannot be placed as written.
    pub fn replay(transactions: &'a [Located<Tx>], gaps: &mut Vec<String>) -> Self {
        let mut by_security = HashMap::new();
        for t in transactions {
            if !ISSUING.contains(&t.item.object_type.as_str()) {
                continue;
            }
            if let Some(s) = t.item.security_id.as_deref() {
                by_security
                    .entry(s)
                    .and_modify(|p: &mut Position<'a>| {
                        p.twin.get_or_insert(t);
                    })
                    .or_insert(Position {
                        issuance: t,
                        twin: None,
                        left: t.item.quantity.map(|q| q.0),
                        closed: false,
                        acted: false,
                    });
            }
        }
        let mut positions = Positions {
            by_security,
            stray: IndexMap::new(),
        };
        let mut actions: Vec<&Located<Tx>> = transactions
            .iter()
            .filter(|t| CLOSING.contains(&t.item.object_type.as_str()))
            .collect();
        // Stable: actions of one date keep the package's order.
        actions.sort_by(|a, b| a.item.date.cmp(&b.item.date));
        for t in actions {
            let targets = t.item.security_id.iter().chain(&t.item.security_ids);
            for s in targets {
                positions.act(t, s, gaps);
            }
        }
        for ((s, issued), list) in &positions.stray {
            gaps.push(stray_gap(s, *issued, list));
        }
        let mut twins: Vec<(&str, &Position)> = positions
            .by_security
            .iter()
            .filter(|(_, p)| p.twin.is_some() && p.acted)
            .map(|(s, p)| (*s, p))
            .collect();
        twins.sort_by_key(|(s, _)| *s);
        for (s, p) in twins {
            if let Some(twin) = p.twin {
                gaps.push(format!(
                    "security `{s}` is issued more than once (by {} {}, then {} {}) and acted on, so which one an action takes from cannot be told; all of them are counted as taken whole — give each issuance its own security id",
                    p.issuance.item.object_type,
                    p.issuance.item.id,
                    twin.item.object_type,
                    twin.item.id
                ));
            }
        }
        positions
    }

    /// Takes what action `t` takes of security `s`.
    fn act(&mut self, t: &'a Located<Tx>, s: &'a str, gaps: &mut Vec<String>) {
        let Some(p) = self.by_security.get_mut(s) else {
            self.stray.entry((s, false)).or_default().push(t);
            return;
        };
        if p.twin.is_some() {
            p.acted = true;
            p.closed = true;
            return;
        }
        if p.closed {
            self.stray.entry((s, true)).or_default().push(t);
            return;
        }
        p.acted = true;
        let taken = t.item.quantity.or(t.item.quantity_converted).map(|q| q.0);
        match (taken, p.left) {
            (Some(q), Some(left)) if q > left => {
                gaps.push(format!(
                    "{}: takes {} shares of security `{s}`, which holds {} ({} {} less what earlier actions took); the position is counted as 0 — correct the quantity or the issuance",
                    at(t, if t.item.quantity.is_some() { "quantity" } else { "quantity_converted" }),
                    shares(q),
                    shares(left),
                    p.issuance.item.object_type,
                    p.issuance.item.id
                ));
                p.left = Some(Decimal::ZERO);
            }
            (Some(q), Some(left)) => p.left = Some(left.saturating_sub(q)),
            // Taken whole, or a quantity of a security without one.
            _ => p.closed = true,
        }
        let rest = p.left;
        if let Some(b) = t.item.balance_security_id.as_deref() {
            self.reissue(t, s, b, rest, gaps);
        }
    }

    /// The rest of security `s` reissued as `b`: `b` holds it from now on,
    /// where the package issues `b`.
    fn reissue(
        &mut self,
        t: &Located<Tx>,
        s: &str,
        b: &str,
        rest: Option<Decimal>,
        gaps: &mut Vec<String>,
    ) {
        let Some(balance) = self.by_security.get(b).map(|p| p.left) else {
            gaps.push(format!(
                "{}: names `{b}` as holding the rest of security `{s}`, but the package issues no such security; the rest, {} shares, is counted with `{s}`",
                at(t, "balance_security_id"),
                shares(rest.unwrap_or_default())
            ));
            return;
        };
        if let (Some(rest), Some(balance)) = (rest, balance)
            && rest != balance
        {
            gaps.push(format!(
                "{}: security `{b}` holds {} shares as the rest of `{s}`, which had {} left; `{b}`'s {} are counted — correct the quantities",
                at(t, "balance_security_id"),
                shares(balance),
                shares(rest),
                shares(balance)
            ));
        }
        if let Some(p) = self.by_security.get_mut(s) {
            p.closed = true;
        }
    }

    /// The shares issuance `t` still counts: `None` where nothing of it is
    /// outstanding, else its quantity less what was taken (an issuance
    /// without a security id is counted as issued).
    pub fn outstanding(&self, t: &Tx) -> Option<Option<Decimal>> {
        let Some(p) = t
            .security_id
            .as_deref()
            .and_then(|s| self.by_security.get(s))
        else {
            return Some(t.quantity.map(|q| q.0));
        };
        if p.closed || (p.acted && p.left.is_some_and(|q| q.is_zero())) {
            return None;
        }
        if p.twin.is_some() {
            return Some(t.quantity.map(|q| q.0));
        }
        Some(p.left)
    }
}

/// The most actions one gap names; the rest are counted.
const NAMED: usize = 5;

/// One gap for the actions on security `s` that take nothing: it was never
/// issued in the package (`issued` false), or an earlier action took all of
/// it.
fn stray_gap(s: &str, issued: bool, list: &[&Located<Tx>]) -> String {
    let mut named: Vec<String> = list
        .iter()
        .take(NAMED)
        .map(|t| format!("{}: {} {}", t.file, t.item.object_type, t.item.id))
        .collect();
    if list.len() > NAMED {
        named.push(format!("and {} more", list.len().saturating_sub(NAMED)));
    }
    let why = if issued {
        "after an earlier action took all of it (or reissued its rest)"
    } else {
        "but no issuance in the package issues it"
    };
    format!(
        "security `{s}` is acted on by {} {why}, so nothing is taken from the cap table — check the package's issuances and quantities",
        named.join("; ")
    )
}
