//! Checking `safe` blocks and lowering each to a class (`ir::safe`): one
//! "share", its Purchase Amount the issue price and a 1x non-participating
//! preference, converting at its holder's option into the shares its cap
//! buys at a Liquidity Event.

use rust_decimal::Decimal;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{
    Class, ClassId, ConversionMode, ConversionRight, Participation, PlusDividends, Pool,
    Preference, Safe, Terms,
};
use crate::syntax::ast::{self, SafeField, Spanned};

/// The display name of a block naming a class, and each of its fields
/// read once (`read`), a term stated twice reported (`term` names it).
pub(super) fn read_once<F>(
    ctx: &mut Ctx,
    (ident, display): (&Spanned<String>, &Option<Spanned<String>>),
    fields: &[Spanned<F>],
    term: fn(&F) -> &'static str,
    mut read: impl FnMut(&mut Ctx, &F),
) -> String {
    let name = display
        .as_ref()
        .map_or_else(|| ident.node.clone(), |d| d.node.clone());
    let mut seen: Vec<(&'static str, ast::Span)> = Vec::new();
    for field in fields {
        let what = term(&field.node);
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == what) {
            ctx.problems.push(twice(&name, what, *first, field.span));
            continue;
        }
        seen.push((what, field.span));
        read(ctx, &field.node);
    }
    name
}

/// A term the block states twice.
fn twice(name: &str, what: &str, first: ast::Span, again: ast::Span) -> Problem {
    Problem::new(
        Kind::Duplicate(format!("{name}'s {what}")),
        again,
        "stated again here",
    )
    .with_note(first, "first stated here")
    .with_help("keep the one the instrument states")
}

/// A term every SAFE must state, missing.
fn missing(name: &str, at: ast::Span, field: &str, label: &str, help: &str) -> Problem {
    Problem::new(
        Kind::MissingField {
            class: name.to_string(),
            field: field.to_string(),
        },
        at,
        label,
    )
    .with_help(help)
}

/// The terms a `safe` block states, as read so far.
#[derive(Default)]
struct Read {
    form: Option<bool>,
    purchase: Option<Decimal>,
    cap: Option<Decimal>,
    discount_rate: Option<Decimal>,
    exit_multiple: Option<Decimal>,
    mfn: bool,
    pro_rata: bool,
    issued: Option<chrono::NaiveDate>,
}

impl Read {
    /// Reads one line of the block, checking its figure.
    fn read(&mut self, ctx: &mut Ctx, field: &SafeField) {
        match field {
            SafeField::PostMoney(post, _) => self.form = Some(*post),
            SafeField::PurchaseAmount(v, _) => {
                positive(ctx, v, "the purchase amount");
                self.purchase = Some(v.node);
            }
            SafeField::ValuationCap(v, _) => {
                positive(ctx, v, "the valuation cap");
                self.cap = Some(v.node);
            }
            SafeField::DiscountRate(v, _) => {
                if v.node <= Decimal::ZERO || v.node > Decimal::ONE {
                    ctx.problems.push(
                        Problem::new(
                            Kind::BadNumber(format!(
                                "a Discount Rate of {} is not above 0% and at most 100%",
                                crate::num::percent(v.node)
                            )),
                            v.span,
                            "this rate",
                        )
                        .with_help("write the Discount Rate as the SAFE defines it: 100% less the discount (`discount rate 80%` for a 20% discount)"),
                    );
                }
                self.discount_rate = Some(v.node);
            }
            SafeField::ExitMultiple(v, _) => {
                positive(ctx, v, "the exit multiple");
                self.exit_multiple = Some(v.node);
            }
            SafeField::Mfn(_) => self.mfn = true,
            SafeField::ProRata(_) => self.pro_rata = true,
            SafeField::Issued(d, _) => self.issued = Some(d.node),
        }
    }
}

/// What a line of a `safe` block states, for a term stated twice.
fn term(field: &SafeField) -> &'static str {
    match field {
        SafeField::PostMoney(..) => "form (post-money or pre-money)",
        SafeField::PurchaseAmount(..) => "purchase amount",
        SafeField::ValuationCap(..) => "valuation cap",
        SafeField::DiscountRate(..) => "discount rate",
        SafeField::ExitMultiple(..) => "exit multiple",
        SafeField::Mfn(_) => "most favored nation term",
        SafeField::ProRata(_) => "pro rata rights",
        SafeField::Issued(..) => "issue date",
    }
}

/// Lowers one `safe` block to its class; its conversion shares are set once
/// the whole capitalization is known ([`convert`]).
pub fn class(ctx: &mut Ctx, safe: &ast::Safe, span: ast::Span) -> Class {
    let mut r = Read::default();
    let name = read_once(
        ctx,
        (&safe.ident, &safe.display),
        &safe.fields,
        term,
        |ctx, f| r.read(ctx, f),
    );
    if r.form.is_none() {
        ctx.problems.push(missing(
            &name,
            safe.ident.span,
            "form",
            "post-money or pre-money?",
            "add `post-money` or `pre-money` as the SAFE is written: the form defines the capitalization its cap divides (the standard form since 2018 is post-money)",
        ));
    }
    if r.purchase.is_none() {
        ctx.problems.push(missing(
            &name,
            safe.ident.span,
            "purchase amount",
            "how much was paid for it?",
            "add `purchase amount $X` as the SAFE states it",
        ));
    }
    let cite = cite_of(ctx, span, &safe.cite, &None);
    let amount = r.purchase.unwrap_or_default();
    let terms = Safe {
        post_money: r.form.unwrap_or(true),
        purchase: amount,
        cap: r.cap,
        discount_rate: r.discount_rate,
        exit_multiple: r.exit_multiple.unwrap_or(Decimal::ONE),
        mfn: r.mfn,
        pro_rata: r.pro_rata,
        cite,
        note: None,
    };
    instrument((name, &safe.ident.node), r.issued, span, terms)
}

/// The class a SAFE or note is lowered to: one instrument, its amount the
/// issue price (a note's is set to what it owes before each payout), its
/// conversion shares set once the capitalization is known.
pub(super) fn instrument(
    (name, ident): (String, &str),
    issued: Option<chrono::NaiveDate>,
    span: ast::Span,
    terms: Safe,
) -> Class {
    Class {
        name,
        ident: ident.to_string(),
        common: false,
        authorized: None,
        par: None,
        outstanding: Decimal::ONE,
        issue_price: Some(terms.purchase),
        ratio: None,
        declared_dividends: Decimal::ZERO,
        accrued_dividends: Decimal::ZERO,
        conversion_price: None,
        issued,
        span,
        safe: Some(Box::new(terms)),
    }
}

/// A figure that must be above zero.
fn positive(ctx: &mut Ctx, v: &Spanned<Decimal>, what: &str) {
    if v.node <= Decimal::ZERO {
        ctx.problems.push(
            Problem::new(
                Kind::BadNumber(format!("{what} must be above zero")),
                v.span,
                "this figure",
            )
            .with_help(format!("write {what} the SAFE states")),
        );
    }
}

/// Sets each capped SAFE's conversion shares from the capitalization, or
/// reports why they cannot be found (at the first SAFE).
pub fn convert(ctx: &mut Ctx, classes: &mut [Class], pools: &[Pool]) {
    match crate::ir::liquidity_shares(classes, pools) {
        Ok(shares) => {
            for (c, s) in classes.iter_mut().zip(shares) {
                if c.safe.is_some() {
                    c.ratio = s;
                }
            }
        }
        Err(why) => {
            if let Some(first) = classes.iter().find(|c| c.safe.is_some()) {
                ctx.problems.push(
                    Problem::new(Kind::Unsupported(why), first.span, "this SAFE").with_help(
                        "state the SAFEs' terms as written; see docs/language.md on SAFEs",
                    ),
                );
            }
        }
    }
}

/// The SAFE classes' liquidation terms: a preference of the Purchase Amount
/// (the Cash-Out Amount), no participation. A clause of the liquidation
/// block that states either for a SAFE is a problem: the SAFE states them.
pub fn liquidation_terms(
    ctx: &mut Ctx,
    classes: &[Class],
    terms: &mut Terms,
    stated: (&[bool], &[bool]),
) {
    for (id, c) in classes.iter().enumerate() {
        let Some(s) = c.safe.as_deref() else { continue };
        let said = |v: &[bool]| v.get(id).copied().unwrap_or(false);
        if said(stated.0) || said(stated.1) {
            ctx.problems.push(
                Problem::new(
                    Kind::Impossible(format!(
                        "{} is {}: what it is paid and how it converts are its own terms",
                        c.name,
                        s.kind()
                    )),
                    c.span,
                    "declared here",
                )
                .with_help(format!("remove the preference or participation clause naming `{}`; rank it with `senior to` or `pari passu with`", c.ident)),
            );
        }
        // A note's: its change-of-control multiple of what it owes.
        let multiple = s.note.as_ref().map_or(s.exit_multiple, |n| n.multiple);
        if let Some(slot) = terms.preference.get_mut(id) {
            *slot = Some(Preference {
                per_share: s.purchase.checked_mul(multiple).unwrap_or(s.purchase),
                multiple: Some(multiple),
                plus: PlusDividends::None,
                cite: s.cite.clone(),
            });
        }
        if let Some(slot) = terms.participation.get_mut(id) {
            *slot = Some(Participation::none(s.cite.clone()));
        }
    }
}

/// A capped SAFE converts at its holder's option: the greater of the
/// Cash-Out Amount and the Conversion Amount. An uncapped one takes its
/// Cash-Out Amount.
pub fn conversion_right(classes: &[Class], id: ClassId) -> Option<ConversionRight> {
    let c = classes.get(id)?;
    let s = c.safe.as_deref()?;
    if s.note.as_ref().is_some_and(|n| !n.converts) {
        return None;
    }
    c.ratio?;
    Some(ConversionRight {
        mode: ConversionMode::Optional,
        cash_per_share: Decimal::ZERO,
        cash_plus_declared: false,
        cite: s.cite.clone(),
        cash_cite: None,
        cash_ahead_of: Vec::new(),
    })
}
