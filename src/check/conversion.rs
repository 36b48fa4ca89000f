//! Checking conversion rights: who may convert, by whose election, for what cash.

use rust_decimal::Decimal;

use super::terms::lower_threshold;
use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{
    AutomaticIpo, AutomaticVote, Class, ClassId, ConversionMode, ConversionRight, Conversions,
    Fractional, Group, IpoRatchet, IpoReset, IpoTest, PriceMinimum, Terms, VoteScope,
};
use crate::syntax::ast::{self, ConversionClause};

/// Lowers the conversion block, and reports every preferred class whose
/// conversion the charter does not state (never read as "does not convert").
pub fn rights(ctx: &mut Ctx, classes: &[Class], block: Option<&ast::Conversion>) -> Conversions {
    let out = block.map_or_else(
        || Conversions {
            rights: vec![None; classes.len()],
            ..Default::default()
        },
        |b| lower(ctx, classes, b),
    );
    stated(ctx, classes, block);
    out
}

/// The classes a conversion clause names, with the span of each name.
fn named(clause: &ConversionClause) -> &[ast::Spanned<String>] {
    match clause {
        ConversionClause::None(names)
        | ConversionClause::Optional(names)
        | ConversionClause::Group { classes: names, .. }
        | ConversionClause::AutomaticIpo { classes: names, .. }
        | ConversionClause::AutomaticVote { classes: names, .. } => names,
        ConversionClause::IpoRatchet { class, .. } | ConversionClause::IpoReset { class, .. } => {
            std::slice::from_ref(class)
        }
        ConversionClause::Cash { .. }
        | ConversionClause::Fractional { .. }
        | ConversionClause::CashShortfall => &[],
    }
}

/// Every preferred class is named by some conversion clause, and a class
/// said not to convert by no other. O(clauses × names).
fn stated(ctx: &mut Ctx, classes: &[Class], block: Option<&ast::Conversion>) {
    let mut converts: Vec<Option<ast::Span>> = vec![None; classes.len()];
    let mut never: Vec<Option<ast::Span>> = vec![None; classes.len()];
    for c in block.iter().flat_map(|b| &b.clauses) {
        let slot = if matches!(c.node, ConversionClause::None(_)) {
            &mut never
        } else {
            &mut converts
        };
        for name in named(&c.node) {
            // Unknown names are reported where the clause is lowered.
            if let Some(s) = ctx.names.resolve(name).ok().and_then(|id| slot.get_mut(id)) {
                s.get_or_insert(name.span);
            }
        }
    }
    for (id, class) in classes.iter().enumerate() {
        match (
            converts.get(id).copied().flatten(),
            never.get(id).copied().flatten(),
        ) {
            (Some(yes), Some(no)) => ctx.problems.push(
                Problem::new(
                    Kind::DuplicateConversion(class.name.clone()),
                    no,
                    "said not to convert here",
                )
                .with_note(yes, "but given a way to convert here")
                .with_help("keep one: a class either has a conversion right or does not convert"),
            ),
            (None, None) if !class.common => ctx.problems.push(
                Problem::new(
                    Kind::UnstatedConversion(class.name.clone()),
                    class.span,
                    "no conversion clause names this class",
                )
                .with_help(format!(
                    "say in the `conversion` block either `{0} converts at the holder's option` \
                     (or another way it converts) or `{0} does not convert`",
                    class.ident
                )),
            ),
            _ => {}
        }
    }
}

/// Lowers the clauses of a conversion block.
fn lower(ctx: &mut Ctx, classes: &[Class], block: &ast::Conversion) -> Conversions {
    let mut out = Conversions {
        rights: vec![None; classes.len()],
        ..Default::default()
    };
    let rights = &mut out.rights;
    let groups = &mut out.groups;
    let mut cash: Vec<&ast::Clause<ConversionClause>> = Vec::new();
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        let (names, mode) = match &c.node {
            ConversionClause::None(names) => {
                for n in names {
                    if let Err(p) = ctx.names.resolve(n) {
                        ctx.problems.push(p);
                    }
                }
                continue;
            }
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
                (names, ConversionMode::Group(groups.len().saturating_sub(1)))
            }
            ConversionClause::Cash { .. } => {
                cash.push(c);
                continue;
            }
            ConversionClause::CashShortfall => {
                if let Some(first) = &out.cash_shortfall {
                    ctx.problems.push(
                        Problem::new(
                            Kind::Duplicate(
                                "the rule for a shortfall of conversion cash".to_string(),
                            ),
                            c.span,
                            "stated again here",
                        )
                        .with_note(first.span, "first stated here"),
                    );
                } else {
                    out.cash_shortfall = Some(cite);
                }
                continue;
            }
            ConversionClause::Fractional { mode, aggregated } => {
                if let Some(first) = &out.fractional {
                    ctx.problems.push(
                        Problem::new(
                            Kind::Duplicate("the fractional-shares rule".to_string()),
                            c.span,
                            "stated again here",
                        )
                        .with_note(first.cite.span, "first stated here"),
                    );
                } else {
                    out.fractional = Some(Fractional {
                        mode: *mode,
                        aggregated: *aggregated,
                        cite,
                    });
                }
                continue;
            }
            ConversionClause::AutomaticIpo {
                classes: names,
                tests,
            } => {
                let ids: Vec<ClassId> = convertible(ctx, classes, names)
                    .into_iter()
                    .map(|x| x.0)
                    .collect();
                let mut lowered = Vec::new();
                for t in tests {
                    if let Some(t) = ipo_test(ctx, classes, &ids, t) {
                        lowered.push(t);
                    }
                }
                out.automatic_ipo.push(AutomaticIpo {
                    classes: ids,
                    tests: lowered,
                    cite,
                });
                continue;
            }
            ConversionClause::AutomaticVote {
                classes: names,
                threshold,
                scope,
            } => {
                let ids: Vec<ClassId> = convertible(ctx, classes, names)
                    .into_iter()
                    .map(|x| x.0)
                    .collect();
                let scope = match scope {
                    ast::VoteScope::Each(v) => VoteScope::Each(ctx.resolve_ids(v)),
                    ast::VoteScope::Together(v, converted) => {
                        VoteScope::Together(ctx.resolve_ids(v), *converted)
                    }
                };
                out.automatic_vote.push(AutomaticVote {
                    classes: ids,
                    threshold: lower_threshold(threshold),
                    scope,
                    cite,
                });
                continue;
            }
            ConversionClause::IpoRatchet {
                class,
                below,
                numerator,
            } => {
                if let Some(&(id, _)) =
                    convertible(ctx, classes, std::slice::from_ref(class)).first()
                {
                    needs_prices(ctx, classes, id, class.span, true);
                    out.ipo_ratchets.push(IpoRatchet {
                        class: id,
                        below: below.node,
                        numerator: numerator.node,
                        cite,
                    });
                }
                continue;
            }
            ConversionClause::IpoReset {
                class,
                fraction,
                within,
                lower_only,
            } => {
                if let Some(&(id, _)) =
                    convertible(ctx, classes, std::slice::from_ref(class)).first()
                {
                    needs_prices(ctx, classes, id, class.span, false);
                    if let Some(c) = classes.get(id).filter(|c| c.issued.is_none()) {
                        ctx.problems.push(super::missing_issue_date(
                            c,
                            class.span,
                            "the filing window runs from the original issue date",
                        ));
                    }
                    out.ipo_resets.push(IpoReset {
                        class: id,
                        fraction: fraction.node,
                        within: within.node,
                        lower_only: *lower_only,
                        cite,
                    });
                }
                continue;
            }
        };
        // Each name's own span, met while resolving: O(names).
        for (id, span) in convertible(ctx, classes, names) {
            let Some(class) = classes.get(id) else {
                continue;
            };
            match rights.get_mut(id) {
                Some(Some(first)) => {
                    let first = first.cite.span;
                    ctx.problems.push(
                        Problem::new(Kind::DuplicateConversion(class.name.clone()), span, "stated again here")
                            .with_note(first, "first stated here")
                            .with_help("a class converts either at the holder's option or on a group election, not both"),
                    );
                }
                Some(slot) => {
                    *slot = Some(ConversionRight {
                        mode: mode.clone(),
                        cash_per_share: Decimal::ZERO,
                        cash_plus_declared: false,
                        cite: cite.clone(),
                        cash_cite: None,
                        cash_ahead_of: Vec::new(),
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
            ahead_of,
        } = &c.node
        else {
            continue;
        };
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        let ahead: Vec<ClassId> = ctx
            .names
            .resolve_all(ahead_of, &mut ctx.problems)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
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
            // Declared dividends are added when the class converts
            // (`Charter::conversion_cash`), so later declarations count.
            right.cash_per_share = amount.node;
            right.cash_plus_declared = *plus_dividends;
            right.cash_cite = Some(cite.clone());
            right.cash_ahead_of = ahead.clone();
        }
    }
    out
}

/// Resolves classes that must be preferred stock with conversion terms.
fn convertible(
    ctx: &mut Ctx,
    classes: &[Class],
    names: &[ast::Spanned<String>],
) -> Vec<(ClassId, ast::Span)> {
    let mut out = Vec::new();
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
                    "converts",
                )
                .with_help(format!(
                    "add `conversion price $X` or `conversion ratio R` to `stock {}`",
                    class.ident
                )),
            );
        }
        out.push((id, n.span));
    }
    out
}

/// Reports a missing conversion price (and, if `issue`, issue price) that a clause needs.
fn needs_prices(ctx: &mut Ctx, classes: &[Class], id: ClassId, span: ast::Span, issue: bool) {
    let Some(class) = classes.get(id) else { return };
    if class.conversion_price.is_none() && class.ratio.is_some() {
        ctx.problems.push(
            Problem::new(
                Kind::NeedsConversionPrice(class.name.clone()),
                span,
                "this clause works on the conversion price",
            )
            .with_help(format!(
                "state `conversion price $X` (rather than a ratio) in `stock {}`",
                class.ident
            )),
        );
    }
    if issue && class.issue_price.is_none() {
        ctx.problems.push(
            Problem::new(
                Kind::MissingIssuePrice(class.name.clone()),
                span,
                "this clause uses the original issue price",
            )
            .with_help(format!(
                "add `original issue price $X` to `stock {}`",
                class.ident
            )),
        );
    }
}

fn ipo_test(
    ctx: &mut Ctx,
    classes: &[Class],
    converting: &[ClassId],
    t: &ast::Spanned<ast::IpoTest>,
) -> Option<IpoTest> {
    Some(match &t.node {
        ast::IpoTest::Proceeds {
            net,
            strict,
            minimum,
        } => IpoTest::Proceeds {
            net: *net,
            strict: *strict,
            minimum: minimum.node,
        },
        ast::IpoTest::Price { strict, minimums } => IpoTest::Price {
            strict: *strict,
            minimums: minimums
                .iter()
                .map(|m| price_minimum(ctx, classes, converting, t.span, m))
                .collect::<Option<_>>()?,
        },
    })
}

/// One minimum of a price test; the classes whose price it reads must have
/// one.
fn price_minimum(
    ctx: &mut Ctx,
    classes: &[Class],
    converting: &[ClassId],
    span: ast::Span,
    m: &ast::PriceMinimum,
) -> Option<PriceMinimum> {
    Some(match m {
        ast::PriceMinimum::Fixed(p) => PriceMinimum::Fixed(p.node),
        ast::PriceMinimum::Multiple {
            multiple,
            basis,
            of,
        } => {
            let of = match of {
                Some(n) => Some(ctx.resolve_one(n)?),
                None => None,
            };
            let whose: Vec<ClassId> = of.map_or_else(|| converting.to_vec(), |o| vec![o]);
            for id in whose {
                needs_prices(
                    ctx,
                    classes,
                    id,
                    span,
                    *basis == ast::PriceBasis::IssuePrice,
                );
            }
            PriceMinimum::Multiple {
                multiple: multiple.node,
                basis: *basis,
                of,
            }
        }
    })
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
