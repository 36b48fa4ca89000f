//! `stock` blocks, holders and pools.

use rust_decimal::Decimal;

use super::{Writer, quotable};
use crate::interchange::ocf::ledger::{ClassTerms, dollars};
use crate::interchange::ocf::model::Mechanism;
use crate::num;

/// The `stock` block of class `i`.
pub fn block(w: &mut Writer, i: usize) {
    let Some(c) = w.ledger.classes.get(i).cloned() else {
        return;
    };
    let oc = &c.class.item;
    let src = format!("STOCK_CLASS {}", oc.id);
    let ident = w.ident(i).to_string();
    w.line(
        0,
        &format!(
            "stock {ident} \"{}\" {{",
            quotable(w.displays.get(i).unwrap_or(&oc.name))
        ),
        &format!("{src} ({})", c.class.file),
    );
    let common = oc.class_type == "COMMON";
    w.line(1, if common { "common" } else { "preferred" }, "class_type");
    if !common && oc.class_type != "PREFERRED" {
        w.gap(format!("{}: {src}, field `class_type`: `{}` is neither COMMON nor PREFERRED; the file reads it as preferred", c.class.file, oc.class_type));
    }
    match &c.authorized {
        Some((n, from)) => w.line(1, &format!("authorized {}", num::exact(*n)), from),
        None => {
            let stated = oc
                .initial_shares_authorized
                .as_ref()
                .and_then(serde_json::Value::as_str);
            if let Some(word @ ("UNLIMITED" | "NOT APPLICABLE")) = stated {
                w.line(1, &format!("# authorized: {word} in OCF"), "");
            }
        }
    }
    if let Some(par) = &oc.par_value {
        match dollars(par) {
            Ok(p) => w.line(1, &format!("par {}", num::exact_dollars(p)), "par_value"),
            Err(why) => w.gap(format!("{}: {src}, field `par_value` {why}", c.class.file)),
        }
    }
    outstanding(w, &c, &ident);
    for (date, new, old, id) in &c.splits {
        // The shares are already split: OCF reissues every security of the
        // class at the new count.
        let text =
            format!("# split {new}:{old} on {date}: the counts above are the reissued securities'");
        w.line(1, &text, &format!("TX_STOCK_CLASS_SPLIT {id}"));
    }
    let price = issue_price(w, i, &c);
    if !common {
        conversion_terms(w, i, &c, price);
    } else if let Some((date, _, id)) = &c.adjustment {
        w.gap(format!(
            "{}: TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT {id} of {date} adjusts the conversion of a common class, which converts into nothing; the adjustment is not applied — check which class it meant",
            oc.name
        ));
    }
    w.out.push_str("}\n");
    w.flush();
    w.out.push('\n');
}

/// The `outstanding` line, from the open issuances.
fn outstanding(w: &mut Writer, c: &ClassTerms, ident: &str) {
    if !w.ledger.has_transactions {
        w.gap(format!(
            "{}: shares outstanding — the package has no transactions file; add `outstanding N` to `stock {ident}`",
            c.class.item.name
        ));
        return;
    }
    let source = match c.issuances.as_slice() {
        [] => "no open TX_STOCK_ISSUANCE of this class".to_string(),
        [one] => format!("open TX_STOCK_ISSUANCE {one}"),
        many => format!("{} open TX_STOCK_ISSUANCEs (see holders)", many.len()),
    };
    w.line(
        1,
        &format!("outstanding {}", num::exact(c.outstanding)),
        &source,
    );
}

/// The `original issue price` line, after the class's recorded splits.
fn issue_price(w: &mut Writer, i: usize, c: &ClassTerms) -> Option<Decimal> {
    let oc = &c.class.item;
    let Some(m) = &oc.price_per_share else {
        if oc.class_type != "COMMON" {
            w.gap(format!(
                "{}: original issue price — OCF STOCK_CLASS {} has no price_per_share; add `original issue price $X` (the preference and conversion price are multiples of it)",
                oc.name, oc.id
            ));
        }
        return None;
    };
    let mut price = match dollars(m) {
        Ok(p) => p,
        Err(why) => {
            w.gap(format!(
                "{}: STOCK_CLASS {}, field `price_per_share` {why}",
                c.class.file, oc.id
            ));
            return None;
        }
    };
    let mut source = "price_per_share".to_string();
    for (date, new, old, id) in &c.splits {
        match num::scale(price, *old, *new, "split price") {
            Ok(p) => price = p,
            Err(_) => return None,
        }
        source.push_str(&format!(", ÷ {new}:{old} split {id} of {date}"));
    }
    if price <= Decimal::ZERO {
        w.gap(format!(
            "{}: STOCK_CLASS {}, field `price_per_share`: not above zero",
            c.class.file, oc.id
        ));
        return None;
    }
    if let Some(p) = w.priced.get_mut(i) {
        *p = Some(price.normalize());
    }
    w.line(
        1,
        &format!(
            "original issue price {}",
            num::exact_dollars(price.normalize())
        ),
        &source,
    );
    Some(price)
}

/// The conversion price or ratio of a preferred class, from its one
/// conversion right or the latest adjustment of it.
fn conversion_terms(w: &mut Writer, i: usize, c: &ClassTerms, price: Option<Decimal>) {
    let oc = &c.class.item;
    let name = &oc.name;
    let right = match oc.conversion_rights.as_slice() {
        [one] => one,
        [] => {
            w.gap(format!("{name}: conversion — OCF STOCK_CLASS {} records no conversion right; write `{} converts at the holder's option` in a conversion block (with its price), or `{} does not convert`", oc.id, w.ident(i), w.ident(i)));
            // A class that does not convert may still participate as if
            // converted, at a price an adjustment moves.
            if let Some((date, m, id)) = &c.adjustment {
                let source = format!("TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT {id} of {date}");
                mechanism_line(w, name, m, price, &source);
            }
            return;
        }
        _ => {
            w.gap(format!("{name}: conversion — OCF STOCK_CLASS {} records {} conversion rights; write the one the charter states", oc.id, oc.conversion_rights.len()));
            return;
        }
    };
    let target = right.converts_to_stock_class_id.as_deref();
    let into_common =
        w.ledger.classes.iter().any(|x| {
            Some(x.class.item.id.as_str()) == target && x.class.item.class_type == "COMMON"
        });
    if !into_common || right.converts_to_future_round == Some(true) {
        w.gap(format!("{name}: conversion — OCF STOCK_CLASS {}, field `conversion_rights[0].converts_to_stock_class_id`: converts into `{}`, not a common class of the package; state how it converts", oc.id, target.unwrap_or("a future round")));
        return;
    }
    let (mechanism, source) = match &c.adjustment {
        Some((date, m, id)) => (
            m,
            format!("TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT {id} of {date}"),
        ),
        None => (
            &right.conversion_mechanism,
            "conversion_rights[0].conversion_mechanism".to_string(),
        ),
    };
    if let Some(done) = mechanism_line(w, name, mechanism, price, &source) {
        w.converts.push((i, done, mechanism.rounding_type.clone()));
    }
}

/// Writes a ratio mechanism as `conversion price` (when it agrees with the
/// issue price) or `conversion ratio`; the source written, or `None` with a
/// gap when the mechanism cannot be read.
fn mechanism_line(
    w: &mut Writer,
    name: &str,
    m: &Mechanism,
    price: Option<Decimal>,
    source: &str,
) -> Option<String> {
    if m.kind != "RATIO_CONVERSION" {
        w.gap(format!("{name}: conversion — {source} is a {} mechanism; the import reads RATIO_CONVERSION only; state the conversion price", m.kind));
        return None;
    }
    let conversion = m.conversion_price.as_ref().map(dollars).transpose();
    let (Some(ratio), Ok(conversion)) = (&m.ratio, conversion) else {
        w.gap(format!("{name}: conversion — {source} has no ratio, or a conversion price not in US dollars; state the conversion price"));
        return None;
    };
    let (n, d) = (ratio.numerator.0, ratio.denominator.0);
    let fraction = format!("{source}: ratio {n}/{d}");
    if n <= Decimal::ZERO || d <= Decimal::ZERO {
        w.gap(format!("{name}: conversion — {source} gives the ratio {n}/{d}, and a ratio must be above zero on both sides; state the conversion price"));
        return None;
    }
    // The ratio as the language writes it (to 12 places), where it ends.
    let r = ending(n, d);
    // The conversion price the ratio gives the issue price: p × d / n.
    let implied = price.and_then(|p| ending(p.checked_mul(d)?, n));
    match (price, conversion) {
        // The price stated agrees with the ratio exactly: cp × n = p × d.
        (Some(p), Some(cp))
            if cp > Decimal::ZERO
                && cp
                    .checked_mul(n)
                    .is_some_and(|x| Some(x) == p.checked_mul(d)) =>
        {
            w.line(
                1,
                &format!("conversion price {}", num::exact_dollars(cp.normalize())),
                source,
            );
        }
        (Some(p), Some(cp)) => match r {
            Some(r) => {
                w.line(1, &format!("conversion ratio {}", r.normalize()), &fraction);
                w.gap(format!("{name}: conversion — {source} gives a ratio of {n}/{d} but a conversion price of {} against an issue price of {}; the file uses the ratio: say which the charter states", num::exact_dollars(cp), num::exact_dollars(p)));
            }
            None => {
                w.gap(format!("{name}: conversion — {source} gives a ratio of {n}/{d}, which does not end as a decimal, and a conversion price of {} that does not agree with it against an issue price of {}; state the conversion price", num::exact_dollars(cp), num::exact_dollars(p)));
                return None;
            }
        },
        _ => match (r, implied) {
            (Some(r), _) => w.line(1, &format!("conversion ratio {}", r.normalize()), &fraction),
            // 1/3 of a $1.00 share: a conversion price of $3.00.
            (None, Some(cp)) => w.line(
                1,
                &format!("conversion price {}", num::exact_dollars(cp.normalize())),
                &format!("{fraction}, of the issue price"),
            ),
            (None, None) => {
                w.gap(format!("{name}: conversion — {source} gives the ratio {n}/{d}, which does not end within 12 decimal places, and no issue price turns it into a conversion price that does; state the conversion price"));
                return None;
            }
        },
    }
    Some(source.to_string())
}

/// `a ÷ b` where it ends within the 12 decimal places a charter writes;
/// `None` where it does not (1/3) or is out of range.
fn ending(a: Decimal, b: Decimal) -> Option<Decimal> {
    let q = a.checked_div(b)?.normalize();
    (q.scale() <= 12 && q.checked_mul(b) == Some(a)).then_some(q)
}

/// The `holders` block.
pub fn holders(w: &mut Writer) {
    // The holder a charter's export names for the shares its charter names
    // no holder of: the charter counts them without a name.
    let named: Vec<_> = w
        .ledger
        .holdings
        .values()
        .filter(|h| {
            !w.ledger.classes.get(h.class).is_some_and(|c| {
                h.name == format!("Holders of {} not named in the charter", c.class.item.name)
            })
        })
        .cloned()
        .collect();
    if named.is_empty() {
        return;
    }
    w.out.push_str("holders {\n");
    for h in named {
        let ident = w.ident(h.class).to_string();
        let text = format!("\"{}\" {} {ident}", quotable(&h.name), num::exact(h.shares));
        w.line(1, &text, &issuance_list(&h.issuances));
    }
    w.out.push_str("}\n\n");
}

/// Option and warrant pools.
pub fn pools(w: &mut Writer) {
    if w.ledger.pools.is_empty() {
        return;
    }
    w.out.push_str("# Vesting is not imported: each pool counts as vested in full; add\n# `vested N` where the charter's anti-dilution counts vested options only.\n");
    for p in w.ledger.pools.values().cloned().collect::<Vec<_>>() {
        pool(w, &p);
    }
    w.out.push('\n');
}

/// One pool's line.
pub fn pool(w: &mut Writer, p: &crate::interchange::ocf::ledger::PoolRow) {
    let kind = if p.warrants { "warrants" } else { "options" };
    let text = format!(
        "{kind} \"{}\" {} {} at {}",
        quotable(&p.name),
        num::exact(p.count),
        w.ident(p.class),
        num::exact_dollars(p.strike.normalize())
    );
    w.line(0, &text, &issuance_list(&p.issuances));
}

/// The issuances a figure sums, named.
fn issuance_list(ids: &[String]) -> String {
    match ids {
        [one] => one.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
        [] => String::new(),
    }
}
