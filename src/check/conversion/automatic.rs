//! Automatic conversion (on an IPO that passes its tests, on a vote) and
//! the IPO's own terms: a ratchet on the ratio and a reset of the price by
//! the filing date.

use super::*;

/// Lowers an automatic conversion or an IPO term into `out`; the other
/// clauses of the block are `lower`'s.
pub(super) fn clause(
    ctx: &mut Ctx,
    classes: &[Class],
    out: &mut Conversions,
    clause: &ConversionClause,
    cite: crate::ir::Cite,
) {
    match clause {
        ConversionClause::AutomaticIpo {
            classes: names,
            tests,
        } => {
            let rule = on_ipo(ctx, classes, names, tests, cite);
            out.automatic_ipo.push(rule);
        }
        ConversionClause::AutomaticVote {
            classes: names,
            threshold,
            scope,
        } => {
            let rule = on_vote(ctx, classes, names, threshold, scope, cite);
            out.automatic_vote.push(rule);
        }
        ConversionClause::IpoRatchet {
            class,
            below,
            numerator,
        } => {
            let ratchet = ipo_ratchet(ctx, classes, class, (below, numerator), cite);
            out.ipo_ratchets.extend(ratchet);
        }
        ConversionClause::IpoReset {
            class,
            fraction,
            within,
            lower_only,
        } => {
            let reset = ipo_reset(ctx, classes, class, (fraction, within, *lower_only), cite);
            out.ipo_resets.extend(reset);
        }
        ConversionClause::None(_)
        | ConversionClause::Optional(_)
        | ConversionClause::Group { .. }
        | ConversionClause::Cash { .. }
        | ConversionClause::CashShortfall
        | ConversionClause::Fractional { .. } => {}
    }
}

/// `A, B convert automatically on an IPO with ...`.
fn on_ipo(
    ctx: &mut Ctx,
    classes: &[Class],
    names: &[ast::Spanned<String>],
    tests: &[ast::Spanned<ast::IpoTest>],
    cite: crate::ir::Cite,
) -> AutomaticIpo {
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
    AutomaticIpo {
        classes: ids,
        tests: lowered,
        cite,
    }
}

/// `A, B convert automatically on the vote of ...`.
fn on_vote(
    ctx: &mut Ctx,
    classes: &[Class],
    names: &[ast::Spanned<String>],
    threshold: &ast::Threshold,
    scope: &ast::VoteScope,
    cite: crate::ir::Cite,
) -> AutomaticVote {
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
    AutomaticVote {
        classes: ids,
        threshold: lower_threshold(threshold),
        scope,
        cite,
    }
}

/// An IPO ratchet: the class converts at the greater of its ratio and the
/// offering's below a price; it works on the conversion and issue prices.
fn ipo_ratchet(
    ctx: &mut Ctx,
    classes: &[Class],
    class: &ast::Spanned<String>,
    (below, numerator): (&ast::Spanned<Decimal>, &ast::Spanned<Decimal>),
    cite: crate::ir::Cite,
) -> Option<IpoRatchet> {
    let &(id, _) = convertible(ctx, classes, std::slice::from_ref(class)).first()?;
    needs_prices(ctx, classes, id, class.span, true);
    Some(IpoRatchet {
        class: id,
        below: below.node,
        numerator: numerator.node,
        cite,
    })
}

/// A reset of the conversion price on an IPO filed within a window of the
/// original issue date.
fn ipo_reset(
    ctx: &mut Ctx,
    classes: &[Class],
    class: &ast::Spanned<String>,
    (fraction, within, lower_only): (&ast::Spanned<Decimal>, &ast::Spanned<ast::Duration>, bool),
    cite: crate::ir::Cite,
) -> Option<IpoReset> {
    let &(id, _) = convertible(ctx, classes, std::slice::from_ref(class)).first()?;
    needs_prices(ctx, classes, id, class.span, false);
    if let Some(c) = classes.get(id).filter(|c| c.issued.is_none()) {
        ctx.problems.push(super::super::missing_issue_date(
            c,
            class.span,
            "the filing window runs from the original issue date",
        ));
    }
    Some(IpoReset {
        class: id,
        fraction: fraction.node,
        within: within.node,
        lower_only,
        cite,
    })
}

/// One test of an automatic conversion on an IPO.
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
