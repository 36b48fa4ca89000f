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
use crate::ir::Basis;
use crate::num::{self, Checked};
use crate::syntax::ast::{Span, Spanned};

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

/// Adjusts conversion prices for an issuance. The capitalization is not
/// changed here; the caller adds the shares afterwards.
pub fn adjust(s: &mut Scenario, iss: &Issuance) -> Result<(), Problem> {
    let span = iss.span;
    let fail = |k: Kind| at(k, span);
    if let Some(cat) = iss.excluded {
        let known = s
            .charter
            .antidilution
            .iter()
            .any(|b| b.excluded.iter().any(|e| e.category == cat.node));
        if !known {
            let listed: Vec<String> = s
                .charter
                .antidilution
                .iter()
                .flat_map(|b| b.excluded.iter().map(|e| format!("`{}`", e.category)))
                .collect();
            return Err(Problem::new(
                Kind::Impossible(format!("no anti-dilution block excludes `{}`", cat.node)),
                cat.span,
                "not an excluded category of this charter",
            )
            .with_help(if listed.is_empty() {
                "this charter excludes no category of issuance".to_string()
            } else {
                format!("categories this charter excludes: {}", listed.join(", "))
            }));
        }
    }
    if iss.shares <= Decimal::ZERO {
        return Ok(());
    }
    // What each block counts as outstanding, all just before the issue.
    let blocks = s.charter.antidilution.clone();
    let mut before: Vec<Option<Outstanding>> = Vec::new();
    for b in &blocks {
        before.push(match &b.weighted {
            Some((basis, _)) => {
                let mut parts = Vec::new();
                for item in basis {
                    if *item == Basis::VestedOptions && basis.contains(&Basis::Options) {
                        continue;
                    }
                    parts.push((
                        basis_words(*item).to_string(),
                        s.basis_count(std::slice::from_ref(item)).map_err(fail)?,
                    ));
                }
                Some((
                    num::sum(parts.iter().map(|p| p.1), "shares outstanding").map_err(fail)?,
                    parts,
                ))
            }
            None => None,
        });
    }

    for (bi, block) in blocks.iter().enumerate() {
        // Set aside the excluded part, within the category's cap.
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
            let used = s
                .used
                .get(bi)
                .and_then(|u| u.get(ei))
                .copied()
                .unwrap_or_default();
            let room = ex.cap.map_or(additional, |cap| {
                cap.saturating_sub(used).max(Decimal::ZERO)
            });
            let set_aside = additional.min(room);
            if let Some(u) = s.used.get_mut(bi).and_then(|u| u.get_mut(ei)) {
                *u = u.add(set_aside, "excluded shares").map_err(fail)?;
            }
            additional = additional
                .sub(set_aside, "additional shares")
                .map_err(fail)?;
            excluded_note = Some(match ex.cap {
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
            continue;
        }
        let consideration_all = if block.net_of_fees {
            iss.gross.sub(iss.fees, "net consideration").map_err(fail)?
        } else {
            iss.gross
        };
        let consideration = consideration_all
            .mul(
                additional
                    .div(iss.shares, "share of the issue")
                    .map_err(fail)?,
                "consideration",
            )
            .map_err(fail)?;
        let per_share = consideration
            .div(additional, "consideration per share")
            .map_err(fail)?;

        for &c in &block.classes {
            if s.converted.get(c).is_some_and(|x| x.is_some()) {
                continue;
            }
            let old = s.price(c);
            if old.is_zero() || per_share >= old {
                continue;
            }
            let mut steps: Vec<String> = excluded_note.iter().cloned().collect();
            steps.push(format!(
                "{} additional shares for {}{}: {} a share, below the conversion price {}",
                num::shares(additional),
                num::dollars(consideration),
                if block.net_of_fees && !iss.fees.is_zero() {
                    " net of fees"
                } else {
                    ""
                },
                price_text(per_share),
                price_text(old)
            ));
            let ratchet = block.ratchets.iter().find(|r| {
                r.classes.contains(&c)
                    && match r.window {
                        None => true,
                        Some(w) => s
                            .charter
                            .classes
                            .get(c)
                            .and_then(|x| x.issued)
                            .and_then(|d| add(d, w))
                            .is_some_and(|end| iss.date <= end),
                    }
            });
            let (exact, kind, cite, weighted) = if let Some(r) = ratchet {
                if let Some(w) = r.window {
                    steps.push(format!(
                        "{} is within {} after original issue: full ratchet to the price per share",
                        iss.date,
                        words(w)
                    ));
                } else {
                    steps.push("full ratchet to the price per share".to_string());
                }
                (per_share, "full ratchet", r.cite.clone(), false)
            } else if let (Some((_, cite)), Some(Some((n, parts)))) =
                (&block.weighted, before.get(bi))
            {
                let tenths = block.rounding.as_ref().is_some_and(|r| r.share_tenths);
                let exact_n = *n;
                let n = &if tenths { tenth(exact_n) } else { exact_n };
                if tenths && *n != exact_n {
                    steps.push(format!(
                        "{} shares counted to the nearest 1/10 share: {}",
                        num::shares(exact_n),
                        num::shares(*n)
                    ));
                }
                // price × (N + C / price) / (N + A) is (price × N + C) / (N + A):
                // multiplying first leaves one division, so a price that
                // terminates (47/16 = $2.9375) comes out exact.
                let num_ = old
                    .mul(*n, "weighted average")
                    .and_then(|v| v.add(consideration, "weighted average"))
                    .map_err(fail)?;
                let den = n.add(additional, "weighted average").map_err(fail)?;
                let exact = num_.div(den, "weighted average").map_err(fail)?;
                let listing: Vec<String> = parts
                    .iter()
                    .map(|(l, v)| format!("{l} {}", num::shares(*v)))
                    .collect();
                steps.push(format!(
                    "outstanding before the issue: {} ({})",
                    num::shares(*n),
                    listing.join(", ")
                ));
                steps.push(format!(
                    "{} × ({} + {} / {}) / ({} + {})",
                    price_text(old),
                    num::shares(*n),
                    num::dollars(consideration),
                    price_text(old),
                    num::shares(*n),
                    num::shares(additional)
                ));
                steps.push(format!(
                    "= ({} × {} + {}) / {}",
                    price_text(old),
                    num::shares(*n),
                    num::dollars(consideration),
                    num::shares(den),
                ));
                steps.push(format!(
                    "= {} / {} = {}",
                    num::exact_dollars(num_),
                    num::shares(den),
                    price_text(exact)
                ));
                (exact, "weighted average", cite.clone(), true)
            } else {
                continue;
            };
            let unit = block
                .rounding
                .as_ref()
                .filter(|r| weighted || !r.weighted_only)
                .map(|r| r.unit);
            let (mut new, rounded) = round(exact, unit);
            steps.extend(rounded);
            // A price never rises by an adjustment for an issuance.
            new = new.min(old);
            if let Some((minimum, carry, min_cite)) = &block.minimum {
                let (carried, since) = s.carried.get(c).copied().unwrap_or((Decimal::ZERO, None));
                let total = carried
                    .add(old.sub(new, "adjustment").map_err(fail)?, "adjustment")
                    .map_err(fail)?;
                if total < *minimum {
                    let slot = (total, since.or(Some(iss.date)));
                    if let Some(x) = s.carried.get_mut(c) {
                        *x = slot;
                    }
                    steps.push(format!(
                        "the adjustment of {} is under {} and is not made; it is carried forward{}{}",
                        price_text(total),
                        price_text(*minimum),
                        carry.map(|d| format!(" for up to {}", words(d))).unwrap_or_default(),
                        min_cite.paren()
                    ));
                    s.log.push(Adjustment {
                        class: c,
                        event: iss.text.to_string(),
                        date: iss.date,
                        before: old,
                        after: old,
                        kind: format!("{kind}, carried forward"),
                        steps,
                        cite,
                    });
                    continue;
                }
                if !carried.is_zero() {
                    steps.push(format!(
                        "with {} carried forward, the price falls by {}",
                        price_text(carried),
                        price_text(total)
                    ));
                    new = old.sub(total, "adjustment").map_err(fail)?;
                }
                if let Some(x) = s.carried.get_mut(c) {
                    *x = (Decimal::ZERO, None);
                }
            }
            s.set_price(c, new)?;
            s.log.push(Adjustment {
                class: c,
                event: iss.text.to_string(),
                date: iss.date,
                before: old,
                after: new,
                kind: kind.to_string(),
                steps,
                cite,
            });
        }
    }
    Ok(())
}

/// A share count to the nearest tenth of a share, half away from zero.
fn tenth(n: Decimal) -> Decimal {
    n.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}
