//! Checking `note` blocks: a convertible promissory note lowered as a SAFE
//! is (`ir::safe`), the amount owed — principal and interest to the
//! scenario's date — in place of the Purchase Amount. At a change of
//! control (a payout) its holder receives the greater of the multiple of
//! principal and interest its terms state and, where they say so, what the
//! shares it converts into at the cap are paid.

use rust_decimal::Decimal;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Class, Note, Safe};
use crate::syntax::ast::{self, DayCount, NoteField};

/// The terms a `note` block states, as read so far.
#[derive(Default)]
struct Read {
    form: Option<bool>,
    principal: Option<Decimal>,
    interest: Option<(Decimal, bool, DayCount)>,
    issued: Option<chrono::NaiveDate>,
    maturity: Option<chrono::NaiveDate>,
    cap: Option<Decimal>,
    discount_rate: Option<Decimal>,
    change_of_control: Option<(Decimal, bool)>,
}

/// What a line of a `note` block states, for a term stated twice.
fn term(field: &NoteField) -> &'static str {
    match field {
        NoteField::PostMoney(..) => "form (post-money or pre-money)",
        NoteField::Principal(..) => "principal",
        NoteField::Interest { .. } => "interest",
        NoteField::Issued(..) => "issue date",
        NoteField::Maturity(..) => "maturity",
        NoteField::ValuationCap(..) => "valuation cap",
        NoteField::DiscountRate(..) => "discount rate",
        NoteField::ChangeOfControl { .. } => "change-of-control terms",
    }
}

impl Read {
    fn read(&mut self, field: &NoteField) {
        match field {
            NoteField::PostMoney(post, _) => self.form = Some(*post),
            NoteField::Principal(v, _) => self.principal = Some(v.node),
            NoteField::Interest {
                rate,
                day_count,
                compounding,
                ..
            } => self.interest = Some((rate.node, *compounding, *day_count)),
            NoteField::Issued(d, _) => self.issued = Some(d.node),
            NoteField::Maturity(d, _) => self.maturity = Some(d.node),
            NoteField::ValuationCap(v, _) => self.cap = Some(v.node),
            NoteField::DiscountRate(v, _) => self.discount_rate = Some(v.node),
            NoteField::ChangeOfControl {
                multiple, converts, ..
            } => self.change_of_control = Some((multiple.node, *converts)),
        }
    }
}

/// The terms every note must state: each missing one is a problem naming
/// how to write it.
const REQUIRED: [(&str, &str, &str); 5] = [
    (
        "form",
        "post-money or pre-money?",
        "add `post-money` or `pre-money`: whether the capitalization the cap divides counts the notes and SAFEs",
    ),
    ("principal", "how much was lent?", "add `principal $X`"),
    (
        "interest",
        "at what rate, counted how?",
        "add `interest 8% per annum, accruing daily actual/365, simple` as the note states it",
    ),
    (
        "issue date",
        "from when does interest run?",
        "add `issued YYYY-MM-DD`",
    ),
    (
        "change-of-control terms",
        "what is it paid at a sale?",
        "add `change of control: 1x principal and interest` (with `, or conversion at the cap` where the note converts)",
    ),
];

/// Reports each term the note must state and does not; its
/// change-of-control multiple and whether it converts, as read.
fn missing_terms(ctx: &mut Ctx, name: &str, note: &ast::Note, r: &Read) -> (Decimal, bool) {
    let stated = [
        r.form.is_some(),
        r.principal.is_some(),
        r.interest.is_some(),
        r.issued.is_some(),
        r.change_of_control.is_some(),
    ];
    for ((field, label, help), said) in REQUIRED.iter().zip(stated) {
        if !said {
            ctx.problems.push(
                Problem::new(
                    Kind::MissingField {
                        class: name.to_string(),
                        field: (*field).to_string(),
                    },
                    note.ident.span,
                    *label,
                )
                .with_help(*help),
            );
        }
    }
    let (multiple, converts) = r.change_of_control.unwrap_or((Decimal::ONE, false));
    if converts && r.cap.is_none() {
        ctx.problems.push(
            Problem::new(
                Kind::MissingField {
                    class: name.to_string(),
                    field: "valuation cap".to_string(),
                },
                note.ident.span,
                "conversion at which cap?",
            )
            .with_help("add `valuation cap $X`, which the change-of-control conversion divides"),
        );
    }
    (multiple, converts)
}

/// Lowers one `note` block to its class.
pub fn class(ctx: &mut Ctx, note: &ast::Note, span: ast::Span) -> Class {
    let mut r = Read::default();
    let name = super::safes::read_once(
        ctx,
        (&note.ident, &note.display),
        &note.fields,
        term,
        |_, f| r.read(f),
    );
    let (multiple, converts) = missing_terms(ctx, &name, note, &r);
    let principal = r.principal.unwrap_or_default();
    let cite = cite_of(ctx, span, &note.cite, &None);
    let terms = Safe {
        post_money: r.form.unwrap_or(false),
        purchase: principal,
        cap: r.cap,
        discount_rate: r.discount_rate,
        exit_multiple: Decimal::ONE,
        mfn: false,
        pro_rata: false,
        cite,
        note: r.issued.map(|issued| {
            Box::new(Note {
                principal,
                interest: r
                    .interest
                    .unwrap_or((Decimal::ZERO, false, DayCount::Actual365)),
                issued,
                maturity: r.maturity,
                multiple,
                converts,
            })
        }),
    };
    super::safes::instrument((name, &note.ident.node), r.issued, span, terms)
}
