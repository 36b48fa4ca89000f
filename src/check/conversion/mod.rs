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

mod automatic;
mod cash;

/// Lowers the conversion block, and reports every preferred class whose
/// conversion the charter does not state (never read as "does not convert").
pub fn rights(ctx: &mut Ctx, classes: &[Class], block: Option<&ast::Conversion>) -> Conversions {
    let mut out = block.map_or_else(
        || Conversions {
            rights: vec![None; classes.len()],
            ..Default::default()
        },
        |b| lower(ctx, classes, b),
    );
    stated(ctx, classes, block);
    // A SAFE converts by its own terms.
    for (id, slot) in out.rights.iter_mut().enumerate() {
        if let Some(right) = super::safes::conversion_right(classes, id) {
            *slot = Some(right);
        }
    }
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
        if class.safe.is_some() {
            if let Some(span) = converts
                .get(id)
                .copied()
                .flatten()
                .or(never.get(id).copied().flatten())
            {
                ctx.problems.push(
                    Problem::new(
                        Kind::Impossible(format!(
                            "{} is a SAFE: it converts by its own terms (the greater of its Cash-Out Amount and its Conversion Amount)",
                            class.name
                        )),
                        span,
                        "named here",
                    )
                    .with_help("remove it from the conversion clause"),
                );
            }
            continue;
        }
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

/// Lowers the clauses of a conversion block. Cash on conversion is lowered
/// last, onto the rights the other clauses grant.
fn lower(ctx: &mut Ctx, classes: &[Class], block: &ast::Conversion) -> Conversions {
    let mut out = Conversions {
        rights: vec![None; classes.len()],
        ..Default::default()
    };
    let mut cash: Vec<&ast::Clause<ConversionClause>> = Vec::new();
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        let (names, mode) = match &c.node {
            ConversionClause::None(names) => {
                ctx.resolve_ids(names);
                continue;
            }
            ConversionClause::Optional(names) => (names, ConversionMode::Optional),
            ConversionClause::Group {
                classes: names,
                threshold,
                electors,
            } => {
                // Electors first: their problems are reported first.
                let electors = ctx.resolve_ids(electors);
                let group = Group {
                    members: ctx.resolve_ids(names),
                    electors,
                    threshold: lower_threshold(threshold),
                    cite: cite.clone(),
                };
                out.groups.push(group);
                let group = out.groups.len().saturating_sub(1);
                (names, ConversionMode::Group(group))
            }
            ConversionClause::Cash { .. } => {
                cash.push(c);
                continue;
            }
            ConversionClause::CashShortfall => {
                let first = out.cash_shortfall.as_ref().map(|f| f.span);
                if once(
                    ctx,
                    first,
                    c.span,
                    "the rule for a shortfall of conversion cash",
                ) {
                    out.cash_shortfall = Some(cite);
                }
                continue;
            }
            ConversionClause::Fractional { mode, aggregated } => {
                let first = out.fractional.as_ref().map(|f| f.cite.span);
                if once(ctx, first, c.span, "the fractional-shares rule") {
                    out.fractional = Some(Fractional {
                        mode: *mode,
                        aggregated: *aggregated,
                        cite,
                    });
                }
                continue;
            }
            ConversionClause::AutomaticIpo { .. }
            | ConversionClause::AutomaticVote { .. }
            | ConversionClause::IpoRatchet { .. }
            | ConversionClause::IpoReset { .. } => {
                automatic::clause(ctx, classes, &mut out, &c.node, cite);
                continue;
            }
        };
        grant(ctx, classes, &mut out.rights, names, &mode, &cite);
    }
    for c in cash {
        cash::clause(ctx, classes, &mut out.rights, c, &block.cite);
    }
    out
}

/// Whether a clause a block may state once is stated for the first time;
/// a problem where it was stated before, at `first`.
fn once(ctx: &mut Ctx, first: Option<ast::Span>, span: ast::Span, what: &str) -> bool {
    let Some(first) = first else {
        return true;
    };
    ctx.problems.push(
        Problem::new(Kind::Duplicate(what.to_string()), span, "stated again here")
            .with_note(first, "first stated here"),
    );
    false
}

/// Grants the classes `names` a conversion right of `mode`; a class granted
/// one already is a problem. Each name's own span, met while resolving:
/// O(names).
fn grant(
    ctx: &mut Ctx,
    classes: &[Class],
    rights: &mut [Option<ConversionRight>],
    names: &[ast::Spanned<String>],
    mode: &ConversionMode,
    cite: &crate::ir::Cite,
) {
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
