//! Checking `stock` blocks, holders and pools.

use rust_decimal::Decimal;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, Holder, Pool};
use crate::num::{self, Checked};
use crate::syntax::ast::{self, Spanned, StockField, StockKind};

/// Lowers one `stock` block. Returns the class even when some fields are
/// wrong, so that later clauses can still be checked against it.
pub fn class(ctx: &mut Ctx, stock: &ast::Stock, span: ast::Span) -> Class {
    let name = stock
        .display
        .as_ref()
        .map_or_else(|| stock.ident.node.clone(), |d| d.node.clone());
    let mut kind: Option<StockKind> = None;
    let mut seen: Vec<(&'static str, ast::Span)> = Vec::new();
    let mut authorized = None;
    let mut outstanding = None;
    let mut issue_price: Option<Spanned<Decimal>> = None;
    let mut price: Option<Spanned<Decimal>> = None;
    let mut ratio: Option<Spanned<Decimal>> = None;
    let mut declared = Decimal::ZERO;
    let mut issued = None;

    for field in &stock.fields {
        let what = field_name(&field.node);
        // Conversion price and ratio are one term stated two ways.
        let slot = if what == "conversion ratio" {
            "conversion price"
        } else {
            what
        };
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == slot) {
            ctx.problems.push(
                Problem::new(
                    Kind::DuplicateTerm {
                        what: slot.to_string(),
                        class: name.clone(),
                    },
                    field.span,
                    "stated again here",
                )
                .with_note(*first, "first stated here")
                .with_help("keep one of the two lines"),
            );
            continue;
        }
        seen.push((slot, field.span));
        match &field.node {
            StockField::Kind(k, _) => kind = Some(*k),
            StockField::Authorized(v, _) => {
                within(ctx, v, MAX_SHARES);
                authorized = Some(v.node)
            }
            StockField::Par(_, _) => {}
            StockField::Issued(d, _) => issued = Some(d.node),
            StockField::Outstanding(v, _) => {
                within(ctx, v, MAX_SHARES);
                outstanding = Some(v.clone())
            }
            StockField::IssuePrice(v, _) => {
                positive(ctx, v, "the original issue price", &name);
                issue_price = Some(v.clone());
            }
            StockField::ConversionPrice(v, _) => {
                positive(ctx, v, "the conversion price", &name);
                price = Some(v.clone());
            }
            StockField::ConversionRatio(v, _) => {
                positive(ctx, v, "the conversion ratio", &name);
                ratio = Some(v.clone());
            }
            StockField::DeclaredDividends(v, _) => declared = v.node,
        }
    }

    let common = match kind {
        Some(k) => k == StockKind::Common,
        None => {
            ctx.problems.push(
                Problem::new(
                    Kind::MissingField {
                        class: name.clone(),
                        field: "kind".to_string(),
                    },
                    stock.ident.span,
                    "common or preferred?",
                )
                .with_help("add a line `common` or `preferred` to the block"),
            );
            false
        }
    };
    let outstanding_value = match &outstanding {
        Some(o) => o.node,
        None => {
            ctx.problems.push(
                Problem::new(
                    Kind::MissingField {
                        class: name.clone(),
                        field: "outstanding share count".to_string(),
                    },
                    stock.ident.span,
                    "how many shares are outstanding?",
                )
                .with_help("add a line such as `outstanding 1_000_000` (0 if none are issued)"),
            );
            Decimal::ZERO
        }
    };
    if let (Some(auth), Some(out)) = (authorized, &outstanding)
        && out.node > auth
    {
        ctx.problems.push(
            Problem::new(
                Kind::OverAuthorized {
                    class: name.clone(),
                    outstanding: num::shares(out.node),
                    authorized: num::shares(auth),
                },
                out.span,
                "more than authorized",
            )
            .with_help("check both figures against the charter and the capitalization table"),
        );
    }

    let ratio = if common {
        Some(Decimal::ONE)
    } else if let Some(r) = ratio {
        Some(r.node)
    } else if let Some(p) = &price {
        match &issue_price {
            Some(ip) if !p.node.is_zero() => ip.node.div(p.node, "conversion ratio").ok(),
            Some(_) => None,
            None => {
                ctx.problems.push(
                    Problem::new(
                        Kind::MissingIssuePrice(name.clone()),
                        p.span,
                        "the ratio is the original issue price divided by this price",
                    )
                    .with_help(
                        "add `original issue price $X`, or state `conversion ratio R` instead",
                    ),
                );
                None
            }
        }
    } else {
        None
    };

    Class {
        name,
        ident: stock.ident.node.clone(),
        common,
        authorized,
        outstanding: outstanding_value,
        issue_price: issue_price.map(|p| p.node),
        ratio,
        declared_dividends: declared,
        accrued_dividends: Decimal::ZERO,
        conversion_price: if common { None } else { price.map(|p| p.node) },
        issued,
        span,
    }
}

/// The most shares a count may hold, and the most dollars a per-share price:
/// within these, every payout is exact to far below the cent.
const MAX_SHARES: u64 = 10_000_000_000_000_000;
const MAX_PRICE: u64 = 1_000_000_000_000;

/// Reports a figure beyond what can be computed exactly.
fn within(ctx: &mut Ctx, v: &Spanned<Decimal>, max: u64) {
    if v.node > Decimal::from(max) {
        ctx.problems.push(
            Problem::new(
                Kind::NumberTooLarge(num::plain(v.node)),
                v.span,
                "beyond exact arithmetic",
            )
            .with_help(format!(
                "payouts are exact for up to {} shares and ${} a share",
                num::shares(Decimal::from(MAX_SHARES)),
                num::shares(Decimal::from(MAX_PRICE))
            )),
        );
    }
}

fn positive(ctx: &mut Ctx, v: &Spanned<Decimal>, what: &str, class: &str) {
    within(ctx, v, MAX_PRICE);
    if v.node <= Decimal::ZERO {
        ctx.problems.push(
            Problem::new(
                Kind::NonPositivePrice {
                    what: what.to_string(),
                    class: class.to_string(),
                },
                v.span,
                "zero",
            )
            .with_help("a price or ratio of zero would make the conversion ratio meaningless; check the charter's figure"),
        );
    }
}

fn field_name(f: &StockField) -> &'static str {
    match f {
        StockField::Kind(..) => "kind",
        StockField::Authorized(..) => "authorized share count",
        StockField::Par(..) => "par value",
        StockField::Outstanding(..) => "outstanding share count",
        StockField::IssuePrice(..) => "original issue price",
        StockField::ConversionPrice(..) => "conversion price",
        StockField::ConversionRatio(..) => "conversion ratio",
        StockField::DeclaredDividends(..) => "declared unpaid dividends",
        StockField::Issued(..) => "original issue date",
    }
}

/// Lowers the named holders, checking that they hold no more than is outstanding.
pub fn holders(
    ctx: &mut Ctx,
    classes: &[Class],
    holdings: &[Spanned<ast::Holding>],
) -> Vec<Holder> {
    let mut out = Vec::new();
    // A running total per class: each holding is added once, so the check
    // is linear in the holdings (it re-summed the class for each before).
    let mut held: Vec<Option<Decimal>> = vec![Some(Decimal::ZERO); classes.len()];
    for h in holdings {
        let class = match ctx.names.resolve(&h.node.class) {
            Ok(c) => c,
            Err(p) => {
                ctx.problems.push(p);
                continue;
            }
        };
        within(ctx, &h.node.shares, MAX_SHARES);
        out.push(Holder {
            name: h.node.name.node.clone(),
            class,
            shares: h.node.shares.node,
        });
        let total = held.get_mut(class).and_then(|slot| {
            *slot = slot.and_then(|t| t.checked_add(h.node.shares.node));
            *slot
        });
        if let (Some(total), Some(c)) = (total, classes.get(class))
            && total > c.outstanding
        {
            ctx.problems.push(
                Problem::new(
                    Kind::OverHeld {
                        class: c.name.clone(),
                        held: num::shares(total),
                        outstanding: num::shares(c.outstanding),
                    },
                    h.node.shares.span,
                    "brings the named holdings above the shares outstanding",
                )
                .with_help("check the holdings against the class's `outstanding` line"),
            );
        }
    }
    out
}

/// Lowers an option or warrant pool.
pub fn pool(ctx: &mut Ctx, p: &ast::Pool, span: ast::Span) -> Option<Pool> {
    let class = match ctx.names.resolve(&p.class) {
        Ok(c) => c,
        Err(e) => {
            ctx.problems.push(e);
            return None;
        }
    };
    within(ctx, &p.count, MAX_SHARES);
    within(ctx, &p.strike, MAX_PRICE);
    if let Some(v) = &p.vested
        && v.node > p.count.node
    {
        ctx.problems.push(
            Problem::new(
                Kind::OverHeld {
                    class: p.name.node.clone(),
                    held: num::shares(v.node),
                    outstanding: num::shares(p.count.node),
                },
                v.span,
                "more vested than granted",
            )
            .with_help("the vested count is at most the pool's size"),
        );
    }
    let kind = match p.kind {
        ast::PoolKind::Options => "options",
        ast::PoolKind::Warrants => "warrants",
    };
    Some(Pool {
        name: format!("{} ({kind})", p.name.node),
        count: p.count.node,
        class,
        strike: p.strike.node,
        vested: p.vested.as_ref().map_or(p.count.node, |v| v.node),
        cite: cite_of(ctx, span, &p.cite, &None),
    })
}
