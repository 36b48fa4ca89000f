//! Options and warrants: each open grant joins the pool of its plan (or
//! holder, for a warrant), class and exercise price.

use super::{Ledger, PoolRow, Tables, at, dollars};
use crate::interchange::ocf::model::Tx;
use crate::interchange::ocf::package::Located;

/// Adds an open option grant to its plan's pool at its exercise price.
pub fn option_issuance(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>) {
    let kind = t
        .item
        .compensation_type
        .as_deref()
        .or(t.item.plan_security_type.as_deref())
        .unwrap_or("");
    if !kind.starts_with("OPTION") {
        ledger.gaps.push(format!(
            "{}: `{kind}` is not an option; a charter counts options and warrants, not restricted stock units or appreciation rights — state how it is settled",
            at(t, "compensation_type")
        ));
        return;
    }
    let plan = t
        .item
        .stock_plan_id
        .as_deref()
        .and_then(|id| tables.plans.get(id).copied());
    let class_id = t.item.stock_class_id.as_deref().or_else(|| {
        plan.and_then(
            |p| match (p.item.stock_class_ids.as_slice(), &p.item.stock_class_id) {
                ([one], _) => Some(one.as_str()),
                ([], Some(one)) => Some(one.as_str()),
                _ => None,
            },
        )
    });
    let field = if t.item.stock_class_id.is_some() {
        "stock_class_id"
    } else {
        "stock_plan_id"
    };
    let name = match (plan, &t.item.stock_plan_id) {
        (Some(p), _) => p.item.plan_name.clone(),
        (None, Some(id)) => {
            ledger.gaps.push(format!(
                "{}: names plan `{id}`, which the package does not define; its {} options are not counted",
                at(t, "stock_plan_id"),
                crate::num::shares(t.item.quantity.map(|q| q.0).unwrap_or_default())
            ));
            return;
        }
        (None, None) => "Options outside a plan".to_string(),
    };
    let price = match tables
        .repriced
        .get(t.item.security_id.as_deref().unwrap_or(""))
    {
        Some((_, p)) => Some(*p),
        None => t.item.exercise_price.as_ref(),
    };
    let grant = Grant {
        warrants: false,
        name,
        class_id,
        class_field: field,
        price,
    };
    add(ledger, tables, t, grant);
}

/// Adds an open warrant to its holder's pool at its exercise price.
pub fn warrant_issuance(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>) {
    let name = match tables.holder(t) {
        Ok(n) => n,
        Err(gap) => {
            ledger
                .gaps
                .push(format!("{gap}; the warrant is not counted"));
            return;
        }
    };
    let mut classes = t.item.exercise_triggers.iter().filter_map(|tr| {
        tr.conversion_right
            .as_ref()?
            .converts_to_stock_class_id
            .as_deref()
    });
    let class_id = match (classes.next(), classes.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    };
    let grant = Grant {
        warrants: true,
        name,
        class_id,
        class_field: "exercise_triggers",
        price: t.item.exercise_price.as_ref(),
    };
    add(ledger, tables, t, grant);
}

/// An option or warrant grant as read, before it is placed.
struct Grant<'a> {
    warrants: bool,
    /// The pool's name: the plan's, or the warrant holder's.
    name: String,
    class_id: Option<&'a str>,
    /// The field the class comes from, for a gap's words.
    class_field: &'a str,
    price: Option<&'a crate::interchange::ocf::model::Monetary>,
}

/// Places a grant in its pool, or records why it cannot be.
fn add(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>, grant: Grant) {
    let Grant {
        warrants,
        name,
        class_id,
        class_field,
        price,
    } = grant;
    let what = if warrants { "warrant" } else { "option" };
    let placed = tables
        .class(t, class_id, class_field)
        .and_then(|c| Ok((c, tables.quantity(t)?)))
        .and_then(|(c, q)| {
            let strike = match price {
                Some(p) => {
                    dollars(p).map_err(|why| format!("{}: {why}", at(t, "exercise_price")))?
                }
                None => return Err(format!("{}: missing", at(t, "exercise_price"))),
            };
            Ok((c, q, strike))
        });
    let (class, count, strike) = match placed {
        Ok(p) => p,
        Err(gap) => {
            ledger
                .gaps
                .push(format!("{gap}; the {what} is not counted"));
            return;
        }
    };
    let p = ledger
        .pools
        .entry((warrants, name.clone(), class, strike.normalize()))
        .or_insert_with(|| PoolRow {
            warrants,
            name,
            class,
            strike,
            count: rust_decimal::Decimal::ZERO,
            issuances: Vec::new(),
        });
    p.count = p.count.saturating_add(count);
    p.issuances.push(t.item.id.clone());
}
