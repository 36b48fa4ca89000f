//! `StockClass` objects from a checked charter.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Notes, class_id, money, numeric};
use crate::diagnostic::{Kind, Problem, Problems};
use crate::ir::{Cap, Charter, Class, ClassId};
use crate::syntax::ast::FractionMode;

/// One `StockClass` per class, in declaration order.
pub fn stock_classes(
    (charter, now): (&Charter, &Charter),
    carried: &super::carried::Carried,
    notes: &mut Notes,
) -> Result<Vec<Value>, Problems> {
    let voting = charter.voting.as_ref().ok_or_else(|| {
        vec![
            Problem::new(
                Kind::OcfExport(format!(
                    "`{}` states no votes, and OCF requires `votes_per_share` for every class",
                    charter.company
                )),
                Default::default(),
                "",
            )
            .with_help("add a `voting` block (`Common: 1 vote per share`, ...) to the charter"),
        ]
    })?;
    let seniority = seniorities(charter);
    let mut out = Vec::new();
    for (id, class) in charter.classes.iter().enumerate() {
        // A SAFE or note is a convertible issuance, not a class.
        if class.safe.is_some() {
            continue;
        }
        let votes = match voting.rights.get(id).and_then(Option::as_ref) {
            None => Decimal::ZERO,
            Some(v) if v.as_converted => {
                let now = v
                    .per_share
                    .checked_mul(class.ratio.unwrap_or(Decimal::ONE))
                    .unwrap_or(v.per_share);
                notes.push(format!(
                    "{}: votes as converted, {} a share today; OCF states a fixed number of votes per share",
                    class.name,
                    now.normalize()
                ));
                now
            }
            Some(v) => v.per_share,
        };
        let mut o = json!({
            "object_type": "STOCK_CLASS",
            "id": class_id(charter, id),
            "name": class.name,
            "class_type": if class.common { "COMMON" } else { "PREFERRED" },
            "default_id_prefix": format!("{}-", class.ident),
            "initial_shares_authorized": class.authorized.map_or(json!("NOT APPLICABLE"), numeric),
            "votes_per_share": numeric(votes),
            "seniority": numeric(seniority.get(id).copied().unwrap_or(Decimal::ONE)),
            "conversion_rights": conversion_rights(charter, id, class, notes),
            "comments": [super::exported_from(charter)],
        });
        if let Some(text) = carried.stocks.get(id).and_then(Option::as_ref)
            && let Some(comments) = o.get_mut("comments").and_then(Value::as_array_mut)
        {
            comments.push(json!(format!("{}{text}", super::carried::MARK)));
        }
        // An Issue Price the events move apart from the conversion ratio's
        // numerator (SCC's § 2(a)(i)-(iii) against § 4(a)'s fixed prices):
        // a charter states one original issue price, so the stated one is
        // written, and the move is said.
        let moved = now.classes.get(id).and_then(|c| c.issue_price);
        if let (Some(m), Some(was)) = (moved, class.issue_price)
            && m != was
        {
            notes.push(format!(
                "{}: the events move its issue price to {} (stated {}); price_per_share is the stated one, and an import reads its preference and caps on it",
                class.name,
                crate::num::exact_dollars(m),
                crate::num::exact_dollars(was)
            ));
        }
        let price = class.issue_price;
        if let Some(price) = price {
            super::set(&mut o, "price_per_share", money(price));
        }
        if let Some(par) = class.par {
            super::set(&mut o, "par_value", money(par));
        }
        liquidation_fields(charter, id, class, &mut o, notes);
        out.push(o);
    }
    Ok(out)
}

/// OCF seniority from the liquidation ranks: the most senior rank gets the
/// highest number, common 1.
pub fn seniorities(charter: &Charter) -> Vec<Decimal> {
    let ranks = &charter.liquidation.ranks;
    let mut out = vec![Decimal::ONE; charter.classes.len()];
    for (k, rank) in ranks.iter().enumerate() {
        let number = Decimal::from(ranks.len().saturating_sub(k).saturating_add(1));
        for &c in &rank.classes {
            if let Some(slot) = out.get_mut(c) {
                *slot = number;
            }
        }
    }
    out
}

/// The preference and cap multiples.
fn liquidation_fields(
    charter: &Charter,
    id: ClassId,
    class: &Class,
    o: &mut Value,
    notes: &mut Notes,
) {
    let terms = &charter.liquidation;
    if let Some(p) = terms.preference.get(id).and_then(Option::as_ref) {
        let multiple = p.multiple.or_else(|| {
            let ip = class.issue_price.filter(|ip| !ip.is_zero())?;
            p.per_share.checked_div(ip)
        });
        match multiple {
            Some(m) => super::set(o, "liquidation_preference_multiple", numeric(m.round_dp(10))),
            None => notes.push(format!("{}: the preference of {} per share is not a multiple of a stated issue price; OCF has no field for it", class.name, p.per_share)),
        }
        if p.plus != crate::syntax::ast::PlusDividends::None {
            notes.push(format!(
                "{}: the preference adds dividends, which OCF's StockClass cannot say",
                class.name
            ));
        }
    }
    if let Some(part) = terms.participation.get(id).and_then(Option::as_ref)
        && part.participates
    {
        let pref = o
            .get("liquidation_preference_multiple")
            .and_then(Value::as_str)
            .and_then(super::super::model::parse_numeric);
        // A cap written in dollars is a multiple where it divides the
        // issue price exactly (Quintus E: $10.375 = 2.5 × $4.15).
        let of_price = |amount: Decimal| {
            let ip = class.issue_price.filter(|ip| !ip.is_zero())?;
            let m = amount.checked_div(ip)?.normalize();
            (m.checked_mul(ip) == Some(amount)).then_some(m)
        };
        let cap = match (part.cap, part.cap_multiple) {
            (Some(Cap::Total(_)), Some(m)) => Some(m),
            (Some(Cap::More(_)), Some(m)) => pref.and_then(|p| p.checked_add(m)),
            (Some(Cap::Total(amount)), None) => of_price(amount),
            (Some(Cap::More(amount)), None) => {
                of_price(amount).and_then(|m| pref.and_then(|p| p.checked_add(m)))
            }
            _ => None,
        };
        match (part.cap, cap) {
            (Some(_), Some(m)) => super::set(o, "participation_cap_multiple", numeric(m)),
            (Some(_), None) => notes.push(format!(
                "{}: its participation cap is not a multiple of the issue price; not exported",
                class.name
            )),
            (None, _) => notes.push(format!(
                "{}: participates without a cap, which OCF cannot say apart from not participating",
                class.name
            )),
        }
        if let Some(limit) = part.while_under {
            notes.push(format!(
                "{}: participates only while the distribution per share is below {}, which OCF cannot say",
                class.name,
                crate::num::exact_dollars(limit)
            ));
        }
    }
}

/// The class's conversion right into common, at its ratio.
fn conversion_rights(charter: &Charter, id: ClassId, class: &Class, notes: &mut Notes) -> Value {
    let right = charter.conversion.rights.get(id).and_then(Option::as_ref);
    let common = charter.classes.iter().position(|c| c.common);
    let (Some(_), Some(common), false) = (right, common, class.common) else {
        return json!([]);
    };
    if charter.classes.iter().filter(|c| c.common).count() > 1 {
        notes.push(format!(
            "{}: converts into common, which the charter has more than one class of; OCF names one target, written as the first declared ({})",
            class.name,
            charter.classes.get(common).map_or("", |c| c.name.as_str())
        ));
    }
    match mechanism(
        charter,
        class,
        class.conversion_price,
        class.issue_price,
        notes,
    ) {
        Some(m) => json!([{
            "type": "STOCK_CLASS_CONVERSION_RIGHT",
            "conversion_mechanism": m,
            "converts_to_stock_class_id": class_id(charter, common),
        }]),
        None => json!([]),
    }
}

/// A ratio mechanism: numerator the issue price, denominator the conversion
/// price (exact, where the ratio itself may not end), or the stated ratio
/// over 1.
pub fn mechanism(
    charter: &Charter,
    class: &Class,
    price: Option<Decimal>,
    issue: Option<Decimal>,
    notes: &mut Notes,
) -> Option<Value> {
    let rounding = match charter.conversion.fractional.as_ref().map(|f| f.mode) {
        Some(FractionMode::RoundNearest) => "NORMAL",
        Some(FractionMode::RoundDown) => "FLOOR",
        Some(FractionMode::CashInLieu) => {
            notes.push("fractional shares are paid in cash; OCF's rounding type is written FLOOR (whole shares issued)".to_string());
            "FLOOR"
        }
        Some(FractionMode::RoundTenth) => {
            notes.push(
                "fractional shares round to a tenth; OCF's rounding type is written NORMAL"
                    .to_string(),
            );
            "NORMAL"
        }
        None => {
            notes.push("the charter states no rule for fractional shares; OCF requires one, written NORMAL".to_string());
            "NORMAL"
        }
    };
    let (numerator, denominator, conversion) = match (issue, price, class.ratio) {
        (Some(ip), Some(cp), _) => (ip, cp, cp),
        (_, _, Some(r)) if !r.is_zero() => match issue.and_then(|ip| ip.checked_div(r)) {
            Some(cp) => (r, Decimal::ONE, cp),
            None => {
                notes.push(format!("{}: a conversion ratio with no issue price has no conversion price, which OCF requires; no conversion right exported", class.name));
                return None;
            }
        },
        _ => return None,
    };
    Some(json!({
        "type": "RATIO_CONVERSION",
        "conversion_price": money(conversion.round_dp(10)),
        "ratio": {"numerator": numeric(numerator), "denominator": numeric(denominator)},
        "rounding_type": rounding,
    }))
}
