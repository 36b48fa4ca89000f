//! Checking redemption provisions.

use super::terms::lower_threshold;
use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, Redemption, Schedule, When};
use crate::syntax::ast::{Item, RedemptionClause, Spanned};

/// Lowers the redemption block, if there is one.
pub fn redemption(ctx: &mut Ctx, classes: &[Class], items: &[Spanned<Item>]) -> Option<Redemption> {
    let (block, span) = super::find_block(items, |i| match i {
        Item::Redemption(x) => Some(x),
        _ => None,
    })?;
    let mut r = Redemption {
        schedules: Vec::new(),
        price: vec![None; classes.len()],
        order: Vec::new(),
        shortfall: None,
        penalty: None,
        before_offering: None,
        cite: cite_of(ctx, span, &block.cite, &None),
    };
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        match &c.node {
            RedemptionClause::Schedule {
                classes: names,
                election,
                tranches,
            } => {
                let ids = ctx.resolve_ids(names);
                for &id in &ids {
                    let anniversaries = tranches
                        .iter()
                        .any(|t| matches!(t.node.when, When::Anniversary(_)));
                    if let Some(class) = classes.get(id).filter(|x| x.issued.is_none())
                        && anniversaries
                    {
                        ctx.problems.push(super::missing_issue_date(
                            class,
                            c.span,
                            "the schedule counts anniversaries of the original issue",
                        ));
                    }
                }
                let election = election
                    .as_ref()
                    .map(|(t, l)| (lower_threshold(t), ctx.resolve_ids(l)));
                r.schedules.push(Schedule {
                    classes: ids,
                    election,
                    tranches: tranches
                        .iter()
                        .map(|t| (t.node.fraction, t.node.carry_over, t.node.when))
                        .collect(),
                    cite,
                });
            }
            RedemptionClause::Price {
                classes: names,
                greater_of_value,
            } => {
                for id in ctx.resolve_ids(names) {
                    if let Some(slot) = r.price.get_mut(id) {
                        *slot = Some((*greater_of_value, cite.clone()));
                    }
                }
            }
            RedemptionClause::Order { first, then } => {
                let (a, b) = (ctx.resolve_ids(first), ctx.resolve_ids(then));
                r.order.push((a, b, cite));
            }
            RedemptionClause::Shortfall { by_amount } => r.shortfall = Some((*by_amount, cite)),
            RedemptionClause::BeforeOffering => r.before_offering = Some(cite),
            RedemptionClause::Penalty { rate, part_year } => {
                r.penalty = Some(crate::ir::Penalty {
                    rate: rate.node,
                    part_year: *part_year,
                    cite,
                })
            }
        }
    }
    for s in &r.schedules {
        for &id in &s.classes {
            if r.price.get(id).is_some_and(|p| p.is_none()) {
                ctx.problems.push(
                    Problem::new(
                        Kind::MissingField {
                            class: classes.get(id).map(|x| x.name.clone()).unwrap_or_default(),
                            field: "redemption price".to_string(),
                        },
                        s.cite.span,
                        "redeemable at what price?",
                    )
                    .with_help("add `price X: preference` (or `the greater of fair market value and preference`)"),
                );
            }
        }
    }
    Some(r)
}
