//! Answers over the whole exit curve: `breakpoints` (where every payout
//! bends, why, and who takes the next dollar), and the payout at an exit
//! read off a walked curve (`curve`'s sampling is [`super::sweep`]).

use rust_decimal::Decimal;

use super::bends::Cause;
use super::curve::{self, Curve};
use super::{Cents, amount_problem, check_exit, find_event};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Charter, ClassId};
use crate::num::{Checked, Fraction};
use crate::syntax::ast::Spanned;

/// A party's share of the next dollar.
#[derive(Debug, Clone)]
pub struct Share {
    /// Among the classes then the pools, its index (a holder's: its
    /// class's).
    pub index: usize,
    /// Class, pool or holder.
    pub name: String,
    /// The exact share.
    pub share: Fraction,
}

/// A party's amount on one side of a jump, to the cent.
#[derive(Debug, Clone)]
pub struct Limit {
    /// Class or pool.
    pub name: String,
    /// Just below the exit.
    pub before: Decimal,
    /// At and just above it.
    pub after: Decimal,
}

/// One breakpoint, as reported.
#[derive(Debug, Clone)]
pub struct Row {
    /// The exit, to twelve decimal places.
    pub exit: Decimal,
    /// Why the curve bends here.
    pub causes: Vec<Cause>,
    /// For a discontinuity, every party whose amount jumps.
    pub jump: Vec<Limit>,
    /// Each class's and pool's share of the next dollar (summing to 1),
    /// in declaration order; a party without one is not listed.
    pub shares: Vec<Share>,
    /// Each named holder's (and the rest of each class's) share of it, where
    /// not zero.
    pub holders: Vec<Share>,
}

/// The answer to `breakpoints [as EVENT] [up to $X]`.
#[derive(Debug, Clone)]
pub struct Breakpoints {
    /// The deemed liquidation, or `None` for a liquidation.
    pub event: Option<String>,
    /// The bound asked for.
    pub upto: Option<Decimal>,
    /// The classes' then the pools' names, by [`Share::index`].
    pub parties: Vec<String>,
    /// The breakpoints in increasing exit.
    pub rows: Vec<Row>,
}

/// The exit curve under an event (or a liquidation), walked to `upto`.
/// `detail` says how much of the curve to keep (see [`curve::Detail`]).
pub fn curve_for(
    charter: &Charter,
    event: Option<&Spanned<String>>,
    upto: Option<Decimal>,
    detail: curve::Detail,
    span: crate::ir::Span,
) -> Result<(Option<String>, Curve), Problem> {
    let id = event.map(|e| find_event(charter, e)).transpose()?;
    let name = id
        .and_then(|i| charter.events.get(i))
        .map(|e| e.name.clone());
    let c = curve::walk(charter, charter.event(id), upto, detail).map_err(amount_problem(span))?;
    Ok((name, c))
}

/// Every breakpoint up to `upto` (all of them when `None`).
pub fn breakpoints(
    charter: &Charter,
    event: Option<&Spanned<String>>,
    upto: Option<&Spanned<Decimal>>,
    span: crate::ir::Span,
) -> Result<Breakpoints, Problem> {
    if let Some(u) = upto {
        check_exit(u)?;
    }
    let span = upto.map_or(span, |u| u.span);
    let at = amount_problem(span);
    let (name, c) = curve_for(
        charter,
        event,
        upto.map(|u| u.node),
        curve::Detail::Explained,
        span,
    )?;
    let rows = rows_of(charter, &c, upto.map(|u| u.node)).map_err(&at)?;
    Ok(Breakpoints {
        event: name,
        upto: upto.map(|u| u.node),
        parties: (0..charter.classes.len().saturating_add(charter.pools.len()))
            .map(|i| party_name(charter, i))
            .collect(),
        rows,
    })
}

/// The rows of a walked curve's breakpoints up to `upto`: causes, each
/// party's share of the next dollar, and both sides of each jump.
///
/// O(B·(log P + S + J)) for B breakpoints, P pieces, S parties sharing a
/// next dollar and J parties at a jump, after O(C + H + P) to index the
/// holders and pools by class.
pub fn rows_of(charter: &Charter, c: &Curve, upto: Option<Decimal>) -> Result<Vec<Row>, Kind> {
    let mut rows = Vec::new();
    let by_class = ByClass::new(charter);
    for (i, b) in c.breakpoints.iter().enumerate() {
        if upto.is_some_and(|u| b.exit > u) {
            break;
        }
        crate::budget::check()?;
        // The next dollar is read inside the stretch after the breakpoint,
        // half way to the next one: the exit reported is rounded to twelve
        // places, and one that rounds down would fall in the stretch before
        // (a cap binding between two cents took the shares from before it).
        let inside = match c.breakpoints.get(i.saturating_add(1)) {
            Some(n) => b
                .exit
                .add(n.exit, "breakpoint")?
                .div(Decimal::TWO, "breakpoint")?,
            None => b.exit.add(Decimal::ONE, "breakpoint")?,
        };
        let (shares, holders) = next_dollar(charter, &by_class, c, b.right, inside)?;
        let mut jump = Vec::new();
        if b.left != b.right {
            let before = exact_at(c, b.left, b.exit)?;
            let after = exact_at(c, b.right, b.exit)?;
            for (i, (x, y)) in before.iter().zip(&after).enumerate() {
                if x.sub(*y, "jump")?.abs() > Decimal::new(1, 6) {
                    jump.push(Limit {
                        name: party_name(charter, i),
                        before: x.round_dp(2),
                        after: y.round_dp(2),
                    });
                }
            }
        }
        rows.push(Row {
            exit: b.exit,
            causes: b.causes.clone(),
            jump,
            shares,
            holders,
        });
    }
    Ok(rows)
}

/// A class's or pool's name by its index among amounts (classes, then pools).
fn party_name(charter: &Charter, i: usize) -> String {
    match charter.classes.get(i) {
        Some(c) => c.name.clone(),
        None => charter
            .pools
            .get(i.saturating_sub(charter.classes.len()))
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    }
}

/// Exact amounts (classes, then pools) at `x` under regime `ri`.
pub fn exact_at(c: &Curve, ri: usize, x: Decimal) -> Result<Vec<Decimal>, Kind> {
    let p = c.at_in(ri, x)?;
    c.regimes
        .get(ri)
        .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?
        .reading
        .amounts(&p.totals)
}

/// Each class's named holders and pools, by their indexes: so that the
/// parties of a next dollar are found from the classes sharing it.
struct ByClass {
    holders: Vec<Vec<usize>>,
    pools: Vec<Vec<usize>>,
}

impl ByClass {
    fn new(charter: &Charter) -> ByClass {
        let classes = charter.classes.len();
        let mut out = ByClass {
            holders: vec![Vec::new(); classes],
            pools: vec![Vec::new(); classes],
        };
        for (j, h) in charter.holders.iter().enumerate() {
            if let Some(v) = out.holders.get_mut(h.class) {
                v.push(j);
            }
        }
        for (p, pool) in charter.pools.iter().enumerate() {
            if let Some(v) = out.pools.get_mut(pool.class) {
                v.push(p);
            }
        }
        out
    }
}

/// Who takes the next dollar after `x` under regime `ri`: per class and
/// pool, and per named holder, each where its share is not zero, in
/// declaration order. O(S log S + H_S) for S classes in the tranche and
/// H_S named holders and pools of theirs.
fn next_dollar(
    charter: &Charter,
    by_class: &ByClass,
    c: &Curve,
    ri: usize,
    x: Decimal,
) -> Result<(Vec<Share>, Vec<Share>), Kind> {
    let r = c
        .regimes
        .get(ri)
        .ok_or_else(|| Kind::Overflow("exit curve".to_string()))?;
    let piece = c.piece_in(ri, x)?;
    // A class's weight in the tranche, over the tranche's, scaled from the
    // shares taking part to the shares in question: by shares, or, in the
    // claim of a class whose shares are not all owed alike, by what each is
    // owed (shares of record, else issued on exercise).
    let part =
        |class: usize, w: Decimal, shares: Decimal, of_record: bool| -> Result<Fraction, Kind> {
            let eff = r.eff.get(class).copied().unwrap_or_default();
            // A zero weight, tranche weight or count of shares makes a zero
            // fraction (`Fraction::new` of a zero denominator is zero).
            if w.is_zero() {
                return Ok(Fraction::zero());
            }
            let within = match r.reading.owed_of(class).filter(|_| !piece.residual) {
                Some(o) => o.claim_share(shares, of_record)?,
                None => Fraction::new(shares, eff),
            };
            Ok(Fraction::new(w, piece.weight).times(within))
        };
    let mut shares = Vec::new();
    let mut holders = Vec::new();
    let mut pools = Vec::new();
    let push = |to: &mut Vec<Share>, index: usize, name: String, share: Fraction| {
        if !share.is_zero() {
            to.push(Share { index, name, share });
        }
    };
    for (id, w) in class_weights(piece)? {
        let Some(class) = charter.classes.get(id) else {
            continue;
        };
        push(
            &mut shares,
            id,
            class.name.clone(),
            part(id, w, class.outstanding, true)?,
        );
        let named = by_class
            .holders
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut held = Decimal::ZERO;
        for h in named.iter().filter_map(|j| charter.holders.get(*j)) {
            held = held.add(h.shares, "shares held")?;
            push(
                &mut holders,
                id,
                h.name.clone(),
                part(id, w, h.shares, true)?,
            );
        }
        if !named.is_empty() && class.outstanding > held {
            let rest = class.outstanding.sub(held, "other holders")?;
            push(
                &mut holders,
                id,
                format!("other holders of {}", class.name),
                part(id, w, rest, true)?,
            );
        }
        for p in by_class
            .pools
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some(pool) = charter.pools.get(*p) else {
                continue;
            };
            if r.decisions.exercised.get(*p).copied().unwrap_or(false) {
                let index = charter.classes.len().saturating_add(*p);
                push(
                    &mut pools,
                    index,
                    pool.name.clone(),
                    part(id, w, pool.count, false)?,
                );
            }
        }
    }
    pools.sort_by_key(|s| s.index);
    shares.extend(pools);
    Ok((shares, holders))
}

/// Each class's weight in a piece's tranche (a class named twice, summed),
/// in declaration order. O(S log S).
fn class_weights(piece: &curve::Piece) -> Result<Vec<(ClassId, Decimal)>, Kind> {
    let mut weights: Vec<(ClassId, Decimal)> = piece.shares.iter().map(|s| (s.0, s.1)).collect();
    weights.sort_by_key(|w| w.0);
    let mut merged: Vec<(ClassId, Decimal)> = Vec::with_capacity(weights.len());
    for (id, w) in weights {
        match merged.last_mut() {
            Some(last) if last.0 == id => last.1 = last.1.add(w, "weights")?,
            _ => merged.push((id, w)),
        }
    }
    Ok(merged)
}

/// The payouts at whole-cent exit `x` read off the curve: the same figures
/// `payout` computes directly.
pub fn payout_at(charter: &Charter, c: &Curve, x: Decimal) -> Result<Cents, Kind> {
    let ri = c.regime_at(x);
    let p = c.at_in(ri, x)?;
    if p.unclaimed > Decimal::ZERO {
        return Err(super::unclaimed_kind(p.unclaimed));
    }
    let exact = exact_at(c, ri, x)?;
    super::cents(charter, x, &exact)
}
