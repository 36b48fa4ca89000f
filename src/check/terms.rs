//! Checking preferences, participation and deemed liquidation events.

use rust_decimal::Decimal;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{self, Cap, Class, ClassId, Event, Participation, Preference, Terms, Threshold};
use crate::num::{self, Checked};
use crate::syntax::ast::{self, Clause, DeemedClause, LiquidationClause, PerShare, Spanned};

/// Lowers the liquidation block into the terms of an actual liquidation.
pub fn liquidation(
    ctx: &mut Ctx,
    classes: &[Class],
    block: Option<(&ast::Liquidation, ast::Span)>,
) -> Terms {
    let n = classes.len();
    let mut terms = Terms {
        ranks: Vec::new(),
        preference: vec![None; n],
        participation: vec![None; n],
        cite: ir::Cite {
            section: None,
            span: ast::Span::default(),
            clause: "the liquidation provisions".into(),
        },
        conversion_dividends: Vec::new(),
    };
    let Some((block, span)) = block else {
        if classes.iter().any(|c| !c.common) {
            ctx.problems.push(
                Problem::new(
                    Kind::MissingPreference("the preferred stock".to_string()),
                    classes.iter().find(|c| !c.common).map(|c| c.span).unwrap_or_default(),
                    "preferred stock declared here",
                )
                .with_help("add a `liquidation { ... }` block stating seniority, preferences and participation"),
            );
        }
        return terms;
    };
    terms.cite = ir::Cite {
        span,
        ..cite_of(ctx, span, &block.cite, &None)
    };
    terms.cite.clause = "the liquidation provisions".into();
    let clauses: Vec<&Clause<LiquidationClause>> = block.clauses.iter().collect();
    let stated = set_terms(ctx, classes, &mut terms, &clauses, &block.cite);
    super::safes::liquidation_terms(
        ctx,
        classes,
        &mut terms,
        (&stated.preference, &stated.participation),
    );

    // A class a clause names but could not be given the term for (an
    // unknown issue price, say) has its own problem already.
    for (id, c) in classes.iter().enumerate() {
        if c.common || c.safe.is_some() {
            continue;
        }
        if !stated.preference.get(id).copied().unwrap_or(true) {
            ctx.problems.push(
                Problem::new(Kind::MissingPreference(c.name.clone()), c.span, "declared here")
                    .with_help(format!(
                        "add `preference {}: 1x original issue price` (or `$X per share`) as the charter states it",
                        c.ident
                    )),
            );
        }
        if !stated.participation.get(id).copied().unwrap_or(true) {
            ctx.problems.push(
                Problem::new(Kind::MissingParticipation(c.name.clone()), c.span, "declared here")
                    .with_help(format!(
                        "add `{0} does not participate`, `{0} participates`, or a capped participation such as `{0} participates until 3x original issue price in total`",
                        c.ident
                    )),
            );
        }
    }
    let ranked: Vec<ClassId> = (0..n)
        .filter(|&i| terms.preference.get(i).is_some_and(|p| p.is_some()))
        .collect();
    terms.ranks = super::seniority::ranks(ctx, classes, &ranked, &clauses, &block.cite);
    check_caps(ctx, classes, &terms, &clauses);
    terms
}

/// Lowers a deemed liquidation event: the liquidation terms with the
/// A deemed liquidation that lists no transaction it covers.
fn no_transactions(d: &ast::Deemed) -> Problem {
    Problem::new(
        Kind::MissingField {
            class: d.name.node.clone(),
            field: "list of transactions it covers".to_string(),
        },
        d.name.span,
        "which transactions?",
    )
    .with_help("add a line such as `on merger, consolidation, asset-sale`")
}

/// The assumption an event's election makes: that the holders it names
/// elect to treat the transaction as a liquidation.
fn election(
    ctx: &mut Ctx,
    classes: &[Class],
    threshold: &ast::Threshold,
    names: &[Spanned<String>],
) -> String {
    let ids = ctx.names.resolve_all(names, &mut ctx.problems);
    let list: Vec<String> = ids
        .iter()
        .filter_map(|(id, _)| classes.get(*id).map(|c| c.name.clone()))
        .collect();
    format!(
        "holders of {} of each of {} elect to treat the transaction as a liquidation",
        lower_threshold(threshold).words(),
        list.join(", ")
    )
}

/// event's own preferences and participation in place of the general ones.
pub fn event(
    ctx: &mut Ctx,
    classes: &[Class],
    base: &Terms,
    d: &ast::Deemed,
    span: ast::Span,
) -> Event {
    let mut terms = base.clone();
    let mut kinds = Vec::new();
    let mut assumptions = Vec::new();
    let mut own: Vec<&Clause<LiquidationClause>> = Vec::new();
    // Clauses of the event's own terms, rebuilt as liquidation clauses so
    // that one function lowers both.
    let mut owned: Vec<Clause<LiquidationClause>> = Vec::new();
    for c in &d.clauses {
        match &c.node {
            DeemedClause::On(ks) => {
                for k in ks {
                    if kinds.contains(&k.node) {
                        ctx.problems.push(Problem::new(Kind::Duplicate(format!("`{}`", k.node.word())), k.span, "listed twice"));
                    } else {
                        kinds.push(k.node);
                    }
                }
            }
            DeemedClause::Election { threshold, classes: names } => {
                let cite = cite_of(ctx, c.span, &c.cite, &d.cite);
                assumptions.push((election(ctx, classes, threshold, names), cite));
            }
            DeemedClause::UnlessContinuity => {
                let cite = cite_of(ctx, c.span, &c.cite, &d.cite);
                assumptions.push((
                    "the stockholders do not keep a majority of the surviving entity".to_string(),
                    cite,
                ));
            }
            DeemedClause::Terms(t) => match t {
                LiquidationClause::Preference { .. } | LiquidationClause::Participation { .. } => {
                    owned.push(Clause {
                        node: t.clone(),
                        span: c.span,
                        cite: c.cite.clone(),
                        reading: c.reading.clone(),
                    });
                }
                _ => ctx.problems.push(
                    Problem::new(
                        Kind::Unsupported("a deemed liquidation takes its seniority and shortfall rules from the `liquidation` block".to_string()),
                        c.span,
                        "not allowed in a deemed liquidation",
                    )
                    .with_help("state seniority and shortfall rules in the `liquidation` block; a deemed liquidation may restate preferences and participation"),
                ),
            },
        }
    }
    if kinds.is_empty() {
        ctx.problems.push(no_transactions(d));
    }
    own.extend(owned.iter());
    let cite = cite_of(ctx, span, &d.cite, &None);
    terms.cite = ir::Cite {
        clause: format!("deemed liquidation \"{}\"", d.name.node).into(),
        ..cite.clone()
    };
    let mut overrides = Terms {
        ranks: Vec::new(),
        preference: vec![None; classes.len()],
        participation: vec![None; classes.len()],
        cite: cite.clone(),
        conversion_dividends: Vec::new(),
    };
    set_terms(ctx, classes, &mut overrides, &own, &d.cite);
    for (slot, o) in terms.preference.iter_mut().zip(overrides.preference) {
        if let Some(o) = o {
            *slot = Some(o);
        }
    }
    for (slot, o) in terms.participation.iter_mut().zip(overrides.participation) {
        if let Some(o) = o {
            *slot = Some(o);
        }
    }
    check_caps(ctx, classes, &terms, &own);
    Event {
        name: d.name.node.clone(),
        kinds,
        terms,
        assumptions,
        cite,
    }
}

/// Threshold as the interpreter uses it.
pub fn lower_threshold(t: &ast::Threshold) -> Threshold {
    match t {
        ast::Threshold::Majority => Threshold::Majority,
        // A percentage was read as a fraction of one; back to hundredths,
        // exactly, so that 66 2/3% is never rounded.
        // At most 100% (the parser refuses more), so the product fits.
        ast::Threshold::Percent(p) => Threshold::AtLeast {
            num: p.node.saturating_mul(Decimal::ONE_HUNDRED),
            den: Decimal::ONE_HUNDRED,
        },
        ast::Threshold::Fraction(f) => Threshold::AtLeast {
            num: f.node.0,
            den: f.node.1,
        },
    }
}

/// Which classes a clause gave a term to, whether or not it could be lowered.
struct Stated {
    preference: Vec<bool>,
    participation: Vec<bool>,
}

fn set_terms(
    ctx: &mut Ctx,
    classes: &[Class],
    terms: &mut Terms,
    clauses: &[&Clause<LiquidationClause>],
    block_cite: &Option<Spanned<String>>,
) -> Stated {
    let mut pref_span: Vec<Option<ast::Span>> = vec![None; classes.len()];
    let mut part_span: Vec<Option<ast::Span>> = vec![None; classes.len()];
    for c in clauses {
        match &c.node {
            LiquidationClause::Preference {
                classes: names,
                amount,
                plus_dividends,
            } => {
                let cite = cite_of(ctx, c.span, &c.cite, block_cite);
                for (id, n) in ctx.names.resolve_all(names, &mut ctx.problems) {
                    let Some(class) = classes.get(id) else {
                        continue;
                    };
                    if !claim(ctx, &mut pref_span, id, &n, class, "preference") {
                        continue;
                    }
                    let Some(base) = per_share(ctx, class, amount, &n) else {
                        continue;
                    };
                    if let Some(slot) = terms.preference.get_mut(id) {
                        *slot = Some(Preference {
                            per_share: base,
                            multiple: multiple_of(amount),
                            plus: *plus_dividends,
                            cite: cite.clone(),
                        });
                    }
                }
            }
            LiquidationClause::Participation {
                classes: names,
                participation,
            } => {
                let cite = cite_of(ctx, c.span, &c.cite, block_cite);
                for (id, n) in ctx.names.resolve_all(names, &mut ctx.problems) {
                    let Some(class) = classes.get(id) else {
                        continue;
                    };
                    if !claim(ctx, &mut part_span, id, &n, class, "participation") {
                        continue;
                    }
                    let p = participation_of(ctx, class, participation, &n, cite.clone());
                    if let (Some(slot), Some(p)) = (terms.participation.get_mut(id), p) {
                        *slot = Some(p);
                    }
                }
            }
            LiquidationClause::Seniority { .. } | LiquidationClause::Shortfall { .. } => {}
        }
    }
    Stated {
        preference: pref_span.iter().map(Option::is_some).collect(),
        participation: part_span.iter().map(Option::is_some).collect(),
    }
}

/// Records that `id` has a term set by the clause at `n`; reports a
/// duplicate or a term on common stock. Returns whether to go on.
fn claim(
    ctx: &mut Ctx,
    seen: &mut [Option<ast::Span>],
    id: ClassId,
    n: &Spanned<String>,
    class: &Class,
    what: &str,
) -> bool {
    if class.common {
        ctx.problems.push(
            Problem::new(
                Kind::CommonTerm(class.name.clone(), what.to_string()),
                n.span,
                "common stock",
            )
            .with_help(
                "common stock takes what remains after the preferences; remove it from this clause",
            ),
        );
        return false;
    }
    match seen.get_mut(id) {
        Some(Some(first)) => {
            let first = *first;
            ctx.problems.push(
                Problem::new(
                    Kind::DuplicateTerm {
                        what: what.to_string(),
                        class: class.name.clone(),
                    },
                    n.span,
                    "stated again here",
                )
                .with_note(first, "first stated here")
                .with_help("keep one clause per class"),
            );
            false
        }
        Some(slot) => {
            *slot = Some(n.span);
            true
        }
        None => false,
    }
}

fn per_share(
    ctx: &mut Ctx,
    class: &Class,
    amount: &PerShare,
    at: &Spanned<String>,
) -> Option<Decimal> {
    match amount {
        PerShare::Fixed(v) => Some(v.node),
        PerShare::IssuePriceMultiple(m) => {
            let Some(ip) = class.issue_price else {
                ctx.problems.push(
                    Problem::new(
                        Kind::MissingIssuePrice(class.name.clone()),
                        at.span,
                        "this term is a multiple of the original issue price",
                    )
                    .with_help(format!(
                        "add `original issue price $X` to the `stock {}` block",
                        class.ident
                    )),
                );
                return None;
            };
            match m.node.mul(ip, "multiple of the original issue price") {
                Ok(v) => Some(v),
                Err(k) => {
                    ctx.problems.push(Problem::new(k, m.span, "this multiple"));
                    None
                }
            }
        }
    }
}

/// A cap that does not say whether the preference counts toward it: the
/// two readings differ by the whole preference, so neither is assumed.
fn unstated_cap(class: &Class, span: ast::Span) -> Problem {
    Problem::new(
        Kind::UnstatedCap(class.name.clone()),
        span,
        "`in total` or `more`?",
    )
    .with_help(format!(
        "end the cap with `in total` if the preference counts toward it \
         (`{0} participates until 3x original issue price in total`), or with `more` if the \
         cap comes on top of the preference (`{0} participates until 2x original issue price more`)",
        class.ident
    ))
}

/// The multiple of the original issue price an amount is, where it is one.
fn multiple_of(amount: &PerShare) -> Option<Decimal> {
    match amount {
        PerShare::IssuePriceMultiple(m) => Some(m.node),
        PerShare::Fixed(_) => None,
    }
}

fn participation_of(
    ctx: &mut Ctx,
    class: &Class,
    p: &ast::Participation,
    at: &Spanned<String>,
    cite: ir::Cite,
) -> Option<Participation> {
    match p {
        ast::Participation::None => Some(Participation::none(cite)),
        ast::Participation::Participates {
            cap,
            while_under,
            split_adjusted,
        } => {
            let (cap_multiple, while_under_multiple) = (cap.as_ref(), while_under.as_ref());
            let cap = match cap {
                None => None,
                Some(c) => {
                    let Some(in_total) = c.node.in_total else {
                        ctx.problems.push(unstated_cap(class, c.span));
                        return None;
                    };
                    let v = per_share(ctx, class, &c.node.amount, at)?;
                    Some(if in_total {
                        Cap::Total(v)
                    } else {
                        Cap::More(v)
                    })
                }
            };
            let while_under = match while_under {
                None => None,
                Some(m) => Some(per_share(
                    ctx,
                    class,
                    &PerShare::IssuePriceMultiple(m.clone()),
                    at,
                )?),
            };
            if class.ratio.is_none() {
                ctx.problems.push(
                    Problem::new(Kind::MissingConversionTerms(class.name.clone()), at.span, "participates as converted")
                        .with_help(format!(
                            "its share of the residual is counted as converted: add `conversion price $X` or `conversion ratio R` to `stock {}`",
                            class.ident
                        )),
                );
            }
            Some(Participation {
                participates: true,
                cap,
                cap_multiple: cap_multiple.and_then(|c| multiple_of(&c.node.amount)),
                while_under,
                while_under_multiple: while_under_multiple.map(|m| m.node),
                split_factor: split_adjusted.then_some(Decimal::ONE),
                cite,
            })
        }
    }
}

/// A cap in total must be at least the preference it includes.
fn check_caps(
    ctx: &mut Ctx,
    classes: &[Class],
    terms: &Terms,
    clauses: &[&Clause<LiquidationClause>],
) {
    for (id, class) in classes.iter().enumerate() {
        let pref = terms.preference.get(id).and_then(|p| p.as_ref());
        let part = terms.participation.get(id).and_then(|p| p.as_ref());
        if let (
            Some(pref),
            Some(Participation {
                cap: Some(Cap::Total(cap)),
                cite,
                ..
            }),
        ) = (pref, part)
            && *cap < pref.per_share
        {
            let span = clauses
                .iter()
                .find(|c| c.span == cite.span)
                .map_or(cite.span, |c| c.span);
            ctx.problems.push(
                    Problem::new(
                        Kind::CapBelowPreference {
                            class: class.name.clone(),
                            cap: num::dollars(*cap),
                            preference: num::dollars(pref.per_share),
                        },
                        span,
                        "this cap",
                    )
                    .with_note(pref.cite.span, "the preference")
                    .with_help("a cap `in total` includes the preference; if the charter caps the amount received in addition, write `more`"),
                );
        }
    }
}
