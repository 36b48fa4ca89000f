//! Anti-dilution: how an issuance below a conversion price lowers it.
//!
//! For each anti-dilution block, in order: the part of the issuance in an
//! excluded category (within its cap) is set aside; for the rest, each
//! protected class's price falls to the full-ratchet price (inside the
//! ratchet's window) or the weighted average
//!
//! ```text
//!   new price = price × (N + consideration / price) / (N + additional shares)
//! ```
//!
//! where N is what the block counts as outstanding just before the issue.
//! The result is rounded as the block says, never rises, and where the block
//! sets a minimum adjustment a smaller one is carried forward.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::scenario::{Adjustment, Scenario, add, at, price_text, round, words};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{AntiDilution, Basis, ClassId};
use crate::num::{self, Checked};
use crate::syntax::ast::{Span, Spanned};

mod new_price;

/// What a block counts as outstanding: the total and its parts, in words.
type Outstanding = (Decimal, Vec<(String, Decimal)>);

/// Shares issued (or deemed issued), in common-share equivalents.
#[derive(Debug, Clone)]
pub struct Issuance<'a> {
    /// Additional common-equivalent shares.
    pub shares: Decimal,
    /// Consideration received, before fees.
    pub gross: Decimal,
    /// Fees paid out of it.
    pub fees: Decimal,
    /// The excluded category claimed.
    pub excluded: Option<&'a Spanned<String>>,
    /// Categories the issuance belongs to without being claimed, most
    /// specific first (`qualified-ipo`, `ipo`): excluded where a block lists
    /// one, and no error where none does.
    pub implicit: &'static [&'static str],
    /// Where the statement is, for problems.
    pub span: Span,
    /// The statement, for the log.
    pub text: &'a str,
    /// When.
    pub date: NaiveDate,
}

fn basis_words(b: Basis) -> &'static str {
    match b {
        Basis::Common => "common",
        Basis::Preferred => "preferred as converted",
        Basis::Options => "options",
        Basis::VestedOptions => "vested options",
        Basis::Convertibles => "convertibles as converted",
    }
}

/// The part of an issuance a block adjusts for: the additional shares not
/// set aside as excluded, their consideration and its price per share, and
/// the words for what was set aside.
struct Counted {
    additional: Decimal,
    consideration: Decimal,
    per_share: Decimal,
    excluded_note: Option<String>,
}

/// Adjusts conversion prices for an issuance. The capitalization is not
/// changed here; the caller adds the shares afterwards.
pub fn adjust(s: &mut Scenario, iss: &Issuance) -> Result<(), Problem> {
    let fail = |k: Kind| at(k, iss.span);
    known_category(s, iss)?;
    if iss.shares <= Decimal::ZERO {
        return Ok(());
    }
    let blocks = s.charter.antidilution.clone();
    let before = outstanding_before(s, &blocks).map_err(fail)?;
    for (bi, block) in blocks.iter().enumerate() {
        let counted = counted(s, iss, bi, block).map_err(fail)?;
        if counted.additional.is_zero() {
            continue;
        }
        let n = before.get(bi).and_then(|b| b.as_ref());
        for &c in &block.classes {
            new_price::adjust_class(s, iss, block, c, &counted, n)?;
        }
    }
    Ok(())
}

/// An excluded category claimed must be one a block lists.
fn known_category(s: &Scenario, iss: &Issuance) -> Result<(), Problem> {
    let Some(cat) = iss.excluded else {
        return Ok(());
    };
    let known = s
        .charter
        .antidilution
        .iter()
        .any(|b| b.excluded.iter().any(|e| e.category == cat.node));
    if known {
        return Ok(());
    }
    let listed: Vec<String> = s
        .charter
        .antidilution
        .iter()
        .flat_map(|b| b.excluded.iter().map(|e| format!("`{}`", e.category)))
        .collect();
    Err(Problem::new(
        Kind::Impossible(format!("no anti-dilution block excludes `{}`", cat.node)),
        cat.span,
        "not an excluded category of this charter",
    )
    .with_help(if listed.is_empty() {
        "this charter excludes no category of issuance".to_string()
    } else {
        format!("categories this charter excludes: {}", listed.join(", "))
    }))
}

/// What each block counts as outstanding, all just before the issue.
fn outstanding_before(
    s: &Scenario,
    blocks: &[AntiDilution],
) -> Result<Vec<Option<Outstanding>>, Kind> {
    let mut before = Vec::new();
    for b in blocks {
        before.push(match &b.weighted {
            Some((basis, _)) => {
                let mut parts = Vec::new();
                for item in basis {
                    if *item == Basis::VestedOptions && basis.contains(&Basis::Options) {
                        continue;
                    }
                    parts.push((
                        basis_words(*item).to_string(),
                        s.basis_count(std::slice::from_ref(item))?,
                    ));
                }
                Some((
                    num::sum(parts.iter().map(|p| p.1), "shares outstanding")?,
                    parts,
                ))
            }
            None => None,
        });
    }
    Ok(before)
}

/// Sets aside the excluded part of the issuance, within the category's cap
/// (recording the cap used), and prices the rest.
fn counted(
    s: &mut Scenario,
    iss: &Issuance,
    bi: usize,
    block: &AntiDilution,
) -> Result<Counted, Kind> {
    let claimed = iss.excluded.map(|c| [c.node.as_str()]);
    let categories: &[&str] = match &claimed {
        Some(c) => c,
        None => iss.implicit,
    };
    let mut additional = iss.shares;
    let mut excluded_note = None;
    if let Some((cat, (ei, ex))) = categories.iter().find_map(|cat| {
        block
            .excluded
            .iter()
            .enumerate()
            .find(|(_, e)| e.category == *cat)
            .map(|found| (*cat, found))
    }) {
        // A cap is a count of shares as the charter was filed, "as equitably
        // adjusted" for the splits and combinations since: it and the shares
        // used against it are kept in filed shares and read in today's.
        let (new, old) = s.split;
        let today = |x: Decimal| num::scale(x, new, old, "excluded shares");
        let filed = |x: Decimal| num::scale(x, old, new, "excluded shares");
        let used_filed = s
            .used
            .get(bi)
            .and_then(|u| u.get(ei))
            .copied()
            .unwrap_or_default();
        let used = today(used_filed)?;
        let cap = ex.cap.map(today).transpose()?;
        let room = cap.map_or(additional, |cap| {
            cap.saturating_sub(used).max(Decimal::ZERO)
        });
        let set_aside = additional.min(room);
        if let Some(u) = s.used.get_mut(bi).and_then(|u| u.get_mut(ei)) {
            *u = u.add(filed(set_aside)?, "excluded shares")?;
        }
        additional = additional.sub(set_aside, "additional shares")?;
        excluded_note = Some(match cap {
            Some(cap) => format!(
                "{} shares excluded as `{cat}` ({}; {} of the {} cap used)",
                num::shares(set_aside),
                ex.cite.section_mark(),
                num::shares(used.saturating_add(set_aside)),
                num::shares(cap)
            ),
            None => format!(
                "{} shares excluded as `{cat}`{}",
                num::shares(set_aside),
                ex.cite.paren()
            ),
        });
    }
    if additional.is_zero() {
        return Ok(Counted {
            additional,
            consideration: Decimal::ZERO,
            per_share: Decimal::ZERO,
            excluded_note,
        });
    }
    let consideration_all = if block.net_of_fees {
        iss.gross.sub(iss.fees, "net consideration")?
    } else {
        iss.gross
    };
    let consideration = consideration_all.mul(
        additional.div(iss.shares, "share of the issue")?,
        "consideration",
    )?;
    let per_share = consideration.div(additional, "consideration per share")?;
    Ok(Counted {
        additional,
        consideration,
        per_share,
        excluded_note,
    })
}

/// A share count to the nearest tenth of a share, half away from zero.
fn tenth(n: Decimal) -> Decimal {
    n.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}
