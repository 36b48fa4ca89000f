//! Checking anti-dilution blocks.

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{AntiDilution, Class, ClassId, Exclusion, IssuePriceFollows, Ratchet, Rounding};
use crate::syntax::ast::{AntiDilutionClause, Cite, Clause, Item, Spanned};

/// Lowers every `anti-dilution` block; a class may be protected by one only.
pub fn blocks(ctx: &mut Ctx, classes: &[Class], items: &[Spanned<Item>]) -> Vec<AntiDilution> {
    let mut out: Vec<AntiDilution> = Vec::new();
    let mut protected: Vec<Option<crate::ir::Span>> = vec![None; classes.len()];
    for item in items {
        let Item::AntiDilution(b) = &item.node else {
            continue;
        };
        let mut members: Vec<ClassId> = Vec::new();
        for (id, n) in ctx.names.resolve_all(&b.classes, &mut ctx.problems) {
            if member(ctx, classes, id, &n, &mut protected) {
                members.push(id);
            }
        }
        let mut block = AntiDilution {
            classes: members.clone(),
            weighted: None,
            ratchets: Vec::new(),
            rounding: None,
            excluded: Vec::new(),
            minimum: None,
            net_of_fees: false,
            splits: None,
            issue_price: None,
            cite: cite_of(ctx, item.span, &b.cite, &None),
        };
        let mut seen = Vec::new();
        for c in &b.clauses {
            clause(ctx, classes, &mut block, c, &b.cite, &mut seen);
        }
        if block.weighted.is_none() && block.ratchets.is_empty() && block.splits.is_none() {
            ctx.problems.push(
                Problem::new(Kind::MissingField { class: "the anti-dilution block".to_string(), field: "adjustment".to_string() }, item.span, "adjusts nothing")
                    .with_help("add `weighted average counting ...`, `full ratchet`, or `splits and combinations adjust proportionally`"),
            );
        }
        out.push(block);
    }
    out
}

/// Whether class `id`, named at `n` in a block's heading, is protected by
/// the block: preferred stock with a conversion price, not protected by an
/// earlier block (`protected` holds where each class first was).
fn member(
    ctx: &mut Ctx,
    classes: &[Class],
    id: ClassId,
    n: &Spanned<String>,
    protected: &mut [Option<crate::ir::Span>],
) -> bool {
    let Some(class) = classes.get(id) else {
        return false;
    };
    if class.common {
        ctx.problems.push(
            Problem::new(
                Kind::CommonTerm(class.name.clone(), "anti-dilution protection".to_string()),
                n.span,
                "common stock",
            )
            .with_help("anti-dilution adjusts the conversion price of preferred stock"),
        );
        return false;
    }
    if class.conversion_price.is_none() {
        let kind = if class.ratio.is_some() {
            Kind::NeedsConversionPrice(class.name.clone())
        } else {
            Kind::MissingConversionTerms(class.name.clone())
        };
        ctx.problems.push(
            Problem::new(kind, n.span, "anti-dilution adjusts its conversion price").with_help(
                format!("state `conversion price $X` in `stock {}`", class.ident),
            ),
        );
    }
    match protected.get_mut(id) {
        Some(Some(first)) => {
            let first = *first;
            ctx.problems.push(
                Problem::new(
                    Kind::DuplicateTerm {
                        what: "anti-dilution protection".to_string(),
                        class: class.name.clone(),
                    },
                    n.span,
                    "protected again here",
                )
                .with_note(first, "first protected here")
                .with_help("state all of a class's anti-dilution terms in one block"),
            );
            return false;
        }
        Some(slot) => *slot = Some(n.span),
        None => {}
    }
    true
}

/// Lowers one clause of a block into it; a clause a block may state once is
/// refused when stated again (`seen` holds where each was first).
fn clause(
    ctx: &mut Ctx,
    classes: &[Class],
    block: &mut AntiDilution,
    c: &Clause<AntiDilutionClause>,
    outer: &Cite,
    seen: &mut Vec<(&'static str, crate::ir::Span)>,
) {
    let cite = cite_of(ctx, c.span, &c.cite, outer);
    let once = match &c.node {
        AntiDilutionClause::WeightedAverage(_) => Some("weighted-average formula"),
        AntiDilutionClause::Rounding { .. } => Some("rounding"),
        AntiDilutionClause::MinimumAdjustment { .. } => Some("minimum adjustment"),
        AntiDilutionClause::Consideration { .. } => Some("consideration rule"),
        AntiDilutionClause::Splits => Some("splits clause"),
        AntiDilutionClause::IssuePriceFollows { .. } => Some("issue price clause"),
        _ => None,
    };
    if let Some(what) = once {
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == what) {
            ctx.problems.push(
                Problem::new(
                    Kind::Duplicate(format!("the {what}")),
                    c.span,
                    "stated again here",
                )
                .with_note(*first, "first stated here"),
            );
            return;
        }
        seen.push((what, c.span));
    }
    match &c.node {
        AntiDilutionClause::WeightedAverage(basis) => {
            block.weighted = Some((basis.iter().map(|b| b.node).collect(), cite));
        }
        AntiDilutionClause::FullRatchet {
            classes: names,
            window,
        } => {
            let ratchet = ratchet(
                ctx,
                classes,
                &block.classes,
                (names, window.as_ref()),
                c.span,
                cite,
            );
            block.ratchets.push(ratchet);
        }
        AntiDilutionClause::Rounding {
            unit,
            weighted_only,
            share_tenths,
        } => {
            block.rounding = Some(Rounding {
                unit: *unit,
                weighted_only: *weighted_only,
                share_tenths: *share_tenths,
                cite,
            })
        }
        AntiDilutionClause::Excluded { category, cap } => {
            if block.excluded.iter().any(|e| e.category == category.node) {
                ctx.problems.push(Problem::new(
                    Kind::Duplicate(format!("the excluded category `{}`", category.node)),
                    category.span,
                    "listed again here",
                ));
                return;
            }
            block.excluded.push(Exclusion {
                category: category.node.clone(),
                cap: cap.as_ref().map(|c| c.node),
                cite,
            });
        }
        AntiDilutionClause::MinimumAdjustment { amount, carry } => {
            block.minimum = Some((amount.node, carry.as_ref().map(|c| c.node), cite));
        }
        AntiDilutionClause::Consideration { net } => block.net_of_fees = *net,
        AntiDilutionClause::Splits => block.splits = Some(cite),
        AntiDilutionClause::IssuePriceFollows {
            splits_only,
            own_series,
        } => {
            block.issue_price = Some(issue_price_follows(
                ctx,
                classes,
                &block.classes,
                (*splits_only, *own_series),
                c.span,
                cite,
            ));
        }
    }
}

/// A full ratchet: the classes it names (all of the block's when none),
/// each protected by the block, with an issue date where it has a window.
fn ratchet(
    ctx: &mut Ctx,
    classes: &[Class],
    members: &[ClassId],
    (names, window): (
        &[Spanned<String>],
        Option<&Spanned<crate::syntax::ast::Duration>>,
    ),
    span: crate::ir::Span,
    cite: crate::ir::Cite,
) -> Ratchet {
    let ids: Vec<ClassId> = if names.is_empty() {
        members.to_vec()
    } else {
        ctx.resolve_ids(names)
    };
    for (id, n) in ids
        .iter()
        .zip(names.iter().map(Some).chain(std::iter::repeat(None)))
    {
        let Some(class) = classes.get(*id) else {
            continue;
        };
        let at = n.map_or(span, |n| n.span);
        if !members.contains(id) {
            ctx.problems.push(
                Problem::new(
                    Kind::Unsupported(format!("`{}` is not protected by this block", class.name)),
                    at,
                    "not listed in the block's heading",
                )
                .with_help("list the class after `anti-dilution`"),
            );
        }
        if window.is_some() && class.issued.is_none() {
            ctx.problems.push(super::missing_issue_date(
                class,
                at,
                "the ratchet's window runs from the original issue date",
            ));
        }
    }
    Ratchet {
        classes: ids,
        window: window.map(|w| w.node),
        cite,
    }
}

/// An issue price that follows the conversion price: every protected class
/// needs one.
fn issue_price_follows(
    ctx: &mut Ctx,
    classes: &[Class],
    members: &[ClassId],
    (splits_only, own_series): (bool, bool),
    span: crate::ir::Span,
    cite: crate::ir::Cite,
) -> (IssuePriceFollows, crate::ir::Cite) {
    for &id in members {
        let Some(class) = classes.get(id).filter(|c| c.issue_price.is_none()) else {
            continue;
        };
        ctx.problems.push(
            Problem::new(
                Kind::MissingIssuePrice(class.name.clone()),
                span,
                "this clause adjusts the original issue price",
            )
            .with_help(format!(
                "add `original issue price $X` to `stock {}`",
                class.ident
            )),
        );
    }
    let rule = match (splits_only, own_series) {
        (_, true) => IssuePriceFollows::OwnSeries,
        (true, false) => IssuePriceFollows::SplitsOnly,
        (false, false) => IssuePriceFollows::Every,
    };
    (rule, cite)
}
