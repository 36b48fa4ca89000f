//! The pieces of a regime of the exit curve: one per tranche of its
//! waterfall that the regime crosses, each with the classes' rates in it,
//! and the class totals at its start kept at checkpoints and replayed in
//! between, so that a curve's memory grows with its pieces and classes, not
//! their product.

use rust_decimal::Decimal;

use super::bends::{self, Cause};
use super::deciders::Built;
use super::waterfall::{self, Tranche};
use crate::diagnostic::Kind;
use crate::ir::{Charter, ClassId, Terms};
use crate::num::Checked;

/// One tranche as a regime crosses it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Proceeds at which the tranche starts.
    pub start: Decimal,
    /// Its size (`None` for a tranche without end).
    pub size: Option<Decimal>,
    /// Class totals (on the shares taking part) at its start, held on a
    /// regime's first piece and every [`checkpoint_every`]th after it only:
    /// a piece's totals are its checkpoint's plus the tranches between,
    /// replayed ([`base`]). A chain of N classes has N pieces, and a
    /// copy of the totals on each would be N² figures.
    checkpoint: Option<Vec<Decimal>>,
    /// Each receiving class, its weight and its rate.
    pub shares: Vec<(ClassId, Decimal, Decimal)>,
    /// The tranche's total weight.
    pub weight: Decimal,
    /// Whether it is part of the residual (else of a class's claim ahead of it).
    pub residual: bool,
    /// Why the split changes where it starts.
    pub causes: Vec<Cause>,
}

/// The index of the piece holding amount distributed `y`. O(log P).
pub fn index(pieces: &[Piece], y: Decimal) -> usize {
    pieces.partition_point(|p| p.start <= y).saturating_sub(1)
}

/// Class totals at the start of piece `pi`: its checkpoint's, plus each
/// tranche after the checkpoint in full, with the arithmetic of
/// [`waterfall::take`] (so the same digits as pouring them all). O(C + K·S)
/// for C classes, K pieces since the checkpoint and S shares in each.
pub fn base(pieces: &[Piece], pi: usize) -> Result<Vec<Decimal>, Kind> {
    let lost = || Kind::Overflow("exit curve".to_string());
    let upto = pieces.get(..=pi).ok_or_else(lost)?;
    let from = upto
        .iter()
        .rposition(|p| p.checkpoint.is_some())
        .ok_or_else(lost)?;
    let mut totals = upto
        .get(from)
        .and_then(|p| p.checkpoint.clone())
        .ok_or_else(lost)?;
    for p in upto.get(from..pi).unwrap_or_default() {
        add_tranche(p, &mut totals)?;
    }
    Ok(totals)
}

/// Adds piece `p`'s tranche in full to `totals`, as [`waterfall::take`]
/// does.
fn add_tranche(p: &Piece, totals: &mut [Decimal]) -> Result<(), Kind> {
    let Some(size) = p.size else { return Ok(()) };
    if p.weight.is_zero() {
        return Ok(());
    }
    for (id, _, rate) in &p.shares {
        if let Some(t) = totals.get_mut(*id) {
            *t = t.add(size.mul(*rate, "pro rata amount")?, "class payout")?;
        }
    }
    Ok(())
}

/// How often a regime's pieces hold their totals: every piece for up to 64
/// classes, every C/64th for C classes, so a regime's checkpoints hold at
/// most about 64 figures per piece and reading one replays at most C/64
/// tranches.
fn checkpoint_every(classes: usize) -> usize {
    (classes / 64).max(1)
}

/// The pieces of `b`'s waterfall from exit `x0` to `x1` (to the end when
/// `None`).
pub(super) fn pieces(
    charter: &Charter,
    terms: &Terms,
    b: &Built,
    x0: Decimal,
    x1: Option<Decimal>,
    explain: bool,
) -> Result<Vec<Piece>, Kind> {
    let classes = charter.classes.len();
    // The causes name reasons, which the walk's bare waterfalls leave out:
    // the same waterfall with them, built only to explain.
    let explained = if explain {
        Some(waterfall::build(charter, terms, &b.d, x0)?)
    } else {
        None
    };
    let y0 = x0.add(b.paid, "amount distributed")?;
    let y1 = x1
        .map(|x| x.add(b.paid, "amount distributed"))
        .transpose()?;
    let (k0, _) = waterfall::locate(&b.w, y0)?;
    let mut out = Vec::new();
    let every = checkpoint_every(classes);
    let mut fill = waterfall::pour(&b.w, classes, k0)?;
    let mut start = Decimal::ZERO;
    for t in b.w.tranches.iter().take(k0) {
        start = start.add(t.size.unwrap_or_default(), "tranche end")?;
    }
    let mut k = k0;
    loop {
        let t: Option<&Tranche> = b.w.tranches.get(k);
        let mut shares = Vec::new();
        if let Some(t) = t {
            for (id, weight, _) in b.w.shares(t) {
                shares.push((*id, *weight, t.rate(*weight)?));
            }
        }
        let size = t.and_then(|t| t.size);
        out.push(Piece {
            start,
            size,
            checkpoint: k
                .saturating_sub(k0)
                .checked_rem(every)
                .is_some_and(|r| r == 0)
                .then(|| fill.total.clone()),
            shares,
            weight: t.map(|t| t.weight).unwrap_or_default(),
            residual: t.is_none_or(|t| t.residual),
            causes: explained
                .as_ref()
                .map(|w| bends::at_tranche(charter, w, k))
                .unwrap_or_default(),
        });
        let Some(size) = size else {
            break;
        };
        let end = start.add(size, "tranche end")?;
        if y1.is_some_and(|y1| end > y1) {
            break;
        }
        // The same arithmetic as `waterfall::pour`, one tranche further.
        if let Some(t) = t {
            waterfall::take(&b.w, t, size, &mut fill)?;
        }
        start = end;
        k = k.saturating_add(1);
    }
    Ok(out)
}
