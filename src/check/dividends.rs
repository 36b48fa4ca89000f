//! Checking dividend provisions.

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, Cumulative, Dividends, Waiver};
use crate::syntax::ast::{DividendClause, Item, Spanned};

/// Lowers the dividends block, if there is one.
pub fn dividends(ctx: &mut Ctx, classes: &[Class], items: &[Spanned<Item>]) -> Option<Dividends> {
    let (block, span) = super::find_block(items, |i| match i {
        Item::Dividends(x) => Some(x),
        _ => None,
    })?;
    let n = classes.len();
    let mut d = Dividends {
        rates: vec![None; n],
        from_first: false,
        cumulative: vec![None; n],
        priority: Vec::new(),
        sharing: None,
        beyond: None,
        greater: None,
        blocker: None,
        waivers: vec![None; n],
        in_kind: vec![None; n],
        cite: cite_of(ctx, span, &block.cite, &None),
    };
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        clause(ctx, classes, &mut d, &c.node, cite);
    }
    // A short declaration among several preferential rates needs a rule.
    let with_rates: Vec<&Class> = classes
        .iter()
        .enumerate()
        .filter(|(i, _)| d.rates.get(*i).is_some_and(|r| r.is_some()))
        .map(|(_, c)| c)
        .collect();
    if with_rates.len() > 1 && d.sharing.is_none() {
        ctx.problems.push(
            Problem::new(Kind::MissingShortfall("dividends".to_string()), span, "several preferential dividend rates")
                .with_help("add `A, B share a short declaration in proportion to full amounts` (or the charter's rule)"),
        );
    }
    Some(d)
}

fn duplicate(classes: &[Class], id: usize, name: &Spanned<String>, what: &str) -> Problem {
    Problem::new(
        Kind::DuplicateTerm {
            what: what.to_string(),
            class: classes.get(id).map(|c| c.name.clone()).unwrap_or_default(),
        },
        name.span,
        "stated again here",
    )
}

/// One clause of the dividends block, lowered into `d`.
fn clause(
    ctx: &mut Ctx,
    classes: &[Class],
    d: &mut Dividends,
    node: &DividendClause,
    cite: crate::ir::Cite,
) {
    match node {
        DividendClause::Rates { items, from_first } => {
            d.from_first |= *from_first;
            rates(ctx, classes, d, items, &cite);
        }
        DividendClause::Cumulative {
            class,
            rate,
            day_count,
            compounding,
        } => {
            let Some(id) = ctx.resolve_one(class) else {
                return;
            };
            let c = classes.get(id);
            if c.is_some_and(|c| c.issue_price.is_none()) {
                ctx.problems.push(Problem::new(
                    Kind::MissingIssuePrice(class.node.clone()),
                    class.span,
                    "the rate is of the original issue price",
                ));
            }
            if let Some(c) = c.filter(|c| c.issued.is_none()) {
                ctx.problems.push(super::missing_issue_date(
                    c,
                    class.span,
                    "dividends accrue from the original issue date",
                ));
            }
            if let Some(slot) = d.cumulative.get_mut(id) {
                *slot = Some(Cumulative {
                    rate: rate.node,
                    day_count: *day_count,
                    compounding: *compounding,
                    cite,
                });
            }
        }
        DividendClause::Priority { first, then } => {
            let (a, b) = (ctx.resolve_ids(first), ctx.resolve_ids(then));
            d.priority.push((a, b, cite));
        }
        DividendClause::Sharing(list) => d.sharing = Some((ctx.resolve_ids(list), cite)),
        DividendClause::Beyond(list) => d.beyond = Some((ctx.resolve_ids(list), cite)),
        DividendClause::Greater {
            classes: list,
            common,
        } => {
            let ids = ctx.resolve_ids(list);
            if let Some(cid) = ctx.resolve_one(common) {
                d.greater = Some((ids, cid, cite));
            }
        }
        DividendClause::Blocker { common, preferred } => {
            let ids = ctx.resolve_ids(preferred);
            if let Some(cid) = ctx.resolve_one(common) {
                d.blocker = Some((cid, ids, cite));
            }
        }
        DividendClause::Waiver {
            class,
            half_above,
            all_at,
        } => {
            let Some(id) = ctx.resolve_one(class) else {
                return;
            };
            if let Some(slot) = d.waivers.get_mut(id) {
                *slot = Some(Waiver {
                    half_above: half_above.node,
                    all_at: all_at.node,
                    cite,
                });
            }
        }
        DividendClause::InKind { class, shares_of } => {
            let (Some(id), Some(of)) = (ctx.resolve_one(class), ctx.resolve_one(shares_of)) else {
                return;
            };
            if let Some(slot) = d.in_kind.get_mut(id) {
                *slot = Some((of, cite));
            }
        }
    }
}

/// `A $0.20, B $0.286 per share per annum when declared`: each class's rate.
fn rates(
    ctx: &mut Ctx,
    classes: &[Class],
    d: &mut Dividends,
    items: &[(Spanned<String>, Spanned<rust_decimal::Decimal>)],
    cite: &crate::ir::Cite,
) {
    for (name, rate) in items {
        let Some(id) = ctx.resolve_one(name) else {
            continue;
        };
        if let Some(slot) = d.rates.get_mut(id) {
            if slot.is_some() {
                ctx.problems
                    .push(duplicate(classes, id, name, "dividend rate"));
            }
            *slot = Some((rate.node, cite.clone()));
        }
    }
}
