//! Checking `stock` blocks, holders and pools.

use rust_decimal::Decimal;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, Holder, Pool};
use crate::num::{self, Checked};
use crate::syntax::ast::{self, Spanned, StockField, StockKind};

/// Lowers one `stock` block. Returns the class even when some fields are
/// A term every `stock` block must state, missing.
fn missing(name: &str, stock: &ast::Stock, field: &str, label: &str, help: &str) -> Problem {
    Problem::new(
        Kind::MissingField {
            class: name.to_string(),
            field: field.to_string(),
        },
        stock.ident.span,
        label,
    )
    .with_help(help)
}

/// The terms a `stock` block states, as read so far.
#[derive(Default)]
struct Fields {
    kind: Option<StockKind>,
    authorized: Option<Decimal>,
    par: Option<Decimal>,
    outstanding: Option<Spanned<Decimal>>,
    issue_price: Option<Spanned<Decimal>>,
    price: Option<Spanned<Decimal>>,
    ratio: Option<Spanned<Decimal>>,
    declared: Decimal,
    issued: Option<chrono::NaiveDate>,
}

impl Fields {
    /// Reads one line of the block, checking its figure.
    fn read(&mut self, ctx: &mut Ctx, name: &str, field: &StockField) {
        match field {
            StockField::Kind(k, _) => self.kind = Some(*k),
            StockField::Authorized(v, _) => {
                within(ctx, v, MAX_SHARES);
                self.authorized = Some(v.node)
            }
            StockField::Par(v, _) => self.par = Some(v.node),
            StockField::Issued(d, _) => self.issued = Some(d.node),
            StockField::Outstanding(v, _) => {
                within(ctx, v, MAX_SHARES);
                self.outstanding = Some(v.clone())
            }
            StockField::IssuePrice(v, _) => {
                positive(ctx, v, "the original issue price", name);
                self.issue_price = Some(v.clone());
            }
            StockField::ConversionPrice(v, _) => {
                positive(ctx, v, "the conversion price", name);
                self.price = Some(v.clone());
            }
            StockField::ConversionRatio(v, _) => {
                positive(ctx, v, "the conversion ratio", name);
                self.ratio = Some(v.clone());
            }
            StockField::DeclaredDividends(v, _) => self.declared = v.node,
        }
    }
}

/// wrong, so that later clauses can still be checked against it.
pub fn class(ctx: &mut Ctx, stock: &ast::Stock, span: ast::Span) -> Class {
    let name = stock
        .display
        .as_ref()
        .map_or_else(|| stock.ident.node.clone(), |d| d.node.clone());
    let mut seen: Vec<(&'static str, ast::Span)> = Vec::new();
    let mut f = Fields::default();

    for field in &stock.fields {
        let what = field_name(&field.node);
        // Conversion price and ratio are one term stated two ways.
        let slot = if what == "conversion ratio" {
            "conversion price"
        } else {
            what
        };
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == slot) {
            ctx.problems
                .push(stated_twice(&name, slot, *first, field.span));
            continue;
        }
        seen.push((slot, field.span));
        f.read(ctx, &name, &field.node);
    }

    let common = match f.kind {
        Some(k) => k == StockKind::Common,
        None => {
            ctx.problems.push(missing(
                &name,
                stock,
                "kind",
                "common or preferred?",
                "add a line `common` or `preferred` to the block",
            ));
            false
        }
    };
    let outstanding_value = match &f.outstanding {
        Some(o) => o.node,
        None => {
            ctx.problems.push(missing(
                &name,
                stock,
                "outstanding share count",
                "how many shares are outstanding?",
                "add a line such as `outstanding 1_000_000` (0 if none are issued)",
            ));
            Decimal::ZERO
        }
    };
    if let (Some(auth), Some(out)) = (f.authorized, &f.outstanding)
        && out.node > auth
    {
        ctx.problems.push(over_authorized(&name, out, auth));
    }
    let ratio = ratio_of(
        ctx,
        &name,
        common,
        f.ratio.clone(),
        f.price.as_ref(),
        f.issue_price.as_ref(),
    );

    Class {
        name,
        ident: stock.ident.node.clone(),
        common,
        authorized: f.authorized,
        par: f.par,
        outstanding: outstanding_value,
        issue_price: f.issue_price.map(|p| p.node),
        ratio,
        declared_dividends: f.declared,
        accrued_dividends: Decimal::ZERO,
        conversion_price: if common {
            None
        } else {
            f.price.map(|p| p.node)
        },
        issued: f.issued,
        span,
        safe: None,
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

/// A class's conversion ratio: 1 for common; as stated; or the original
/// issue price over the conversion price (which then needs the issue price).
fn ratio_of(
    ctx: &mut Ctx,
    name: &str,
    common: bool,
    ratio: Option<Spanned<Decimal>>,
    price: Option<&Spanned<Decimal>>,
    issue_price: Option<&Spanned<Decimal>>,
) -> Option<Decimal> {
    if common {
        Some(Decimal::ONE)
    } else if let Some(r) = ratio {
        Some(r.node)
    } else if let Some(p) = price {
        match issue_price {
            Some(ip) if !p.node.is_zero() => ip.node.div(p.node, "conversion ratio").ok(),
            Some(_) => None,
            None => {
                ctx.problems.push(
                    Problem::new(
                        Kind::MissingIssuePrice(name.to_string()),
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
    }
}

/// A term of a `stock` block stated twice.
fn stated_twice(name: &str, what: &str, first: ast::Span, again: ast::Span) -> Problem {
    Problem::new(
        Kind::DuplicateTerm {
            what: what.to_string(),
            class: name.to_string(),
        },
        again,
        "stated again here",
    )
    .with_note(first, "first stated here")
    .with_help("keep one of the two lines")
}

/// More shares outstanding than authorized.
fn over_authorized(name: &str, out: &Spanned<Decimal>, auth: Decimal) -> Problem {
    Problem::new(
        Kind::OverAuthorized {
            class: name.to_string(),
            outstanding: num::shares(out.node),
            authorized: num::shares(auth),
        },
        out.span,
        "more than authorized",
    )
    .with_help("check both figures against the charter and the capitalization table")
}
