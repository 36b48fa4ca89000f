//! Checking conversion rights: who may convert, by whose election, for what cash.

use rust_decimal::Decimal;

use super::terms::lower_threshold;
use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, ConversionMode, ConversionRight, Group, Terms};
use crate::num::Checked;
use crate::syntax::ast::{self, ConversionClause};

/// Lowers the conversion block into a right per class and the election groups.
pub fn rights(
    ctx: &mut Ctx,
    classes: &[Class],
    block: Option<&ast::Conversion>,
) -> (Vec<Option<ConversionRight>>, Vec<Group>) {
    let mut rights: Vec<Option<ConversionRight>> = vec![None; classes.len()];
    let mut groups = Vec::new();
    let Some(block) = block else {
        return (rights, groups);
    };
    let mut cash: Vec<&ast::Clause<ConversionClause>> = Vec::new();
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        let (names, mode) = match &c.node {
            ConversionClause::Optional(names) => (names, ConversionMode::Optional),
            ConversionClause::Group {
                classes: names,
                threshold,
                electors,
            } => {
                let electors = ctx.names.resolve_all(electors, &mut ctx.problems);
                let members = ctx.names.resolve_all(names, &mut ctx.problems);
                groups.push(Group {
                    members: members.iter().map(|m| m.0).collect(),
                    electors: electors.iter().map(|m| m.0).collect(),
                    threshold: lower_threshold(threshold),
                    cite: cite.clone(),
                });
                (names, ConversionMode::Group(groups.len() - 1))
            }
            ConversionClause::Cash { .. } => {
                cash.push(c);
                continue;
            }
        };
        for (id, n) in ctx.names.resolve_all(names, &mut ctx.problems) {
            let Some(class) = classes.get(id) else {
                continue;
            };
            if class.common {
                ctx.problems.push(
                    Problem::new(
                        Kind::CommonTerm(class.name.clone(), "conversion right".to_string()),
                        n.span,
                        "common stock",
                    )
                    .with_help("only preferred stock converts into common"),
                );
                continue;
            }
            if class.ratio.is_none() {
                ctx.problems.push(
                    Problem::new(
                        Kind::MissingConversionTerms(class.name.clone()),
                        n.span,
                        "may convert",
                    )
                    .with_help(format!(
                        "add `conversion price $X` or `conversion ratio R` to `stock {}`",
                        class.ident
                    )),
                );
            }
            match rights.get_mut(id) {
                Some(Some(first)) => {
                    let first = first.cite.span;
                    ctx.problems.push(
                        Problem::new(Kind::DuplicateConversion(class.name.clone()), n.span, "stated again here")
                            .with_note(first, "first stated here")
                            .with_help("a class converts either at the holder's option or on a group election, not both"),
                    );
                }
                Some(slot) => {
                    *slot = Some(ConversionRight {
                        mode: mode.clone(),
                        cash_per_share: Decimal::ZERO,
                        cite: cite.clone(),
                        cash_cite: None,
                    })
                }
                None => {}
            }
        }
    }
    for c in cash {
        let ConversionClause::Cash {
            items,
            plus_dividends,
        } = &c.node
        else {
            continue;
        };
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        for (name, amount) in items {
            let Ok(id) = ctx.names.resolve(name).map_err(|p| ctx.problems.push(p)) else {
                continue;
            };
            let Some(class) = classes.get(id) else {
                continue;
            };
            let Some(Some(right)) = rights.get_mut(id) else {
                ctx.problems.push(
                    Problem::new(
                        Kind::CashWithoutConversion(class.name.clone()),
                        name.span,
                        "no conversion right",
                    )
                    .with_help(format!(
                        "state how `{}` converts, e.g. `{} convert at the holder's option`",
                        class.ident, class.ident
                    )),
                );
                continue;
            };
            if right.cash_cite.is_some() {
                ctx.problems.push(Problem::new(
                    Kind::DuplicateTerm {
                        what: "cash on conversion".to_string(),
                        class: class.name.clone(),
                    },
                    name.span,
                    "stated again here",
                ));
                continue;
            }
            let total = if *plus_dividends {
                amount
                    .node
                    .add(class.declared_dividends, "cash on conversion")
            } else {
                Ok(amount.node)
            };
            match total {
                Ok(t) => {
                    right.cash_per_share = t;
                    right.cash_cite = Some(cite.clone());
                }
                Err(k) => ctx
                    .problems
                    .push(Problem::new(k, amount.span, "this amount")),
            }
        }
    }
    (rights, groups)
}

/// A participation conditioned on the distribution per share counts every
/// preferred share as converted, so every preferred class needs a ratio.
pub fn check_condition_ratios(ctx: &mut Ctx, classes: &[Class], terms: &[&Terms]) {
    let conditional = terms
        .iter()
        .flat_map(|t| t.participation.iter().flatten())
        .find(|p| p.while_under.is_some());
    let Some(p) = conditional else { return };
    let span = p.cite.span;
    for c in classes.iter().filter(|c| c.ratio.is_none()) {
        ctx.problems.push(
            Problem::new(
                Kind::MissingConversionTerms(c.name.clone()),
                c.span,
                "declared here",
            )
            .with_note(
                span,
                "this condition counts every preferred share as converted",
            )
            .with_help(format!(
                "add `conversion price $X` or `conversion ratio R` to `stock {}`",
                c.ident
            )),
        );
    }
}
