//! An OPM valuation rendered: each party's value and value per share, then
//! the tranches behind them, as text and JSON.

use serde_json::{Value, json};

use super::cites::cite;
use crate::analysis::value::Valuation;
use crate::num;

/// The valuation as tables: parties, holders, tranches, jumps.
pub fn valuation(v: &Valuation) -> String {
    let i = &v.inputs;
    let mut out = format!(
        "Option pricing method ({}): equity {}, volatility {}, term {} years, rate {}\n",
        v.event.as_deref().unwrap_or("liquidation"),
        num::dollars(i.equity),
        num::percent(i.volatility),
        i.term.round_dp(6).normalize(),
        num::percent(i.rate)
    );
    if let Some(b) = &v.backsolved {
        out.push_str(&format!(
            "{} is {}\n",
            capitalized(b),
            num::dollars(i.equity)
        ));
    }
    let mut t = super::table(&["class or pool", "shares", "value", "per share"]);
    for p in v.parties.iter().chain(&v.holders) {
        t.add_row(vec![
            comfy_table::Cell::new(&p.name),
            super::right(num::shares(p.shares)),
            super::right(num::dollars(p.value)),
            super::right(format!("${}", p.per_share)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\nTranches (each a call spread on the equity):\n");
    let mut t = super::table(&["from", "to", "call at from", "tranche", "shared", "why"]);
    for r in &v.tranches {
        let shares: Vec<String> = r
            .shares
            .iter()
            .map(|s| format!("{} {}", s.name, s.share))
            .collect();
        let why: Vec<String> = r
            .causes
            .iter()
            .map(|(w, c)| match c.section_mark() {
                m if m.is_empty() => w.clone(),
                m => format!("{w} ({m})"),
            })
            .collect();
        t.add_row(vec![
            super::right(super::curve::exit(r.from)),
            super::right(r.to.map_or_else(|| "—".to_string(), super::curve::exit)),
            super::right(num::dollars(r.call)),
            super::right(num::dollars(r.value)),
            comfy_table::Cell::new(shares.join("\n")),
            comfy_table::Cell::new(why.join("; ")),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    for d in &v.digitals {
        out.push_str(&format!(
            "Jump at {} (a digital option, {} today per dollar paid if the exit passes it):\n",
            super::curve::exit(d.exit),
            d.unit.round_dp(6).normalize()
        ));
        for (name, jump, worth) in &d.parts {
            out.push_str(&format!(
                "  {name}: {} × {} = {}\n",
                num::exact_dollars(jump.round_dp(6)),
                d.unit.normalize(),
                num::exact_dollars(worth.round_dp(6))
            ));
        }
    }
    out.push_str(
        "Values are rounded to the cent by the remainder rule and sum to the equity value; nothing is rounded before.\n",
    );
    out
}

/// `text` with its first letter capitalized.
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The valuation as JSON.
pub fn valuation_json(v: &Valuation) -> Value {
    super::json_rows::tree_with_rows(
        head_json(v),
        "tranches",
        v.tranches.iter().map(tranche_json),
    )
}

/// [`valuation_json`] as text, its tranches written one at a time: a
/// thousand tranches shared by hundreds of parties each are a tree many
/// times the text.
pub fn valuation_json_text(v: &Valuation) -> String {
    super::json_rows::with_rows(
        &head_json(v),
        "tranches",
        v.tranches.iter().map(tranche_json),
    )
}

/// One tranche as JSON.
fn tranche_json(r: &crate::analysis::value::Tranche) -> Value {
    json!({
        "from": r.from.normalize().to_string(),
        "to": r.to.map(|x| x.normalize().to_string()),
        "call": r.call.normalize().to_string(),
        "value": r.value.normalize().to_string(),
        "shares": r.shares.iter().map(|s| json!({ "name": s.name, "share": s.share.exact_text(), "share_decimal": s.share.decimal().normalize().to_string() })).collect::<Vec<_>>(),
        "causes": r.causes.iter().map(|(w, c)| json!({ "what": w, "cite": cite(c) })).collect::<Vec<_>>(),
    })
}

/// The valuation as JSON, without its tranches.
fn head_json(v: &Valuation) -> Value {
    let party = |p: &crate::analysis::value::PartyValue| json!({ "name": p.name, "shares": p.shares.normalize().to_string(), "value": num::money_text(p.value), "per_share": num::fixed_text(p.per_share, 4) });
    json!({
        "statement": "value",
        "event": v.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "equity": num::money_text(v.inputs.equity),
        "backsolved": v.backsolved,
        "volatility": v.inputs.volatility.normalize().to_string(),
        "term": v.inputs.term.round_dp(6).normalize().to_string(),
        "rate": v.inputs.rate.normalize().to_string(),
        "classes": v.parties.iter().map(party).collect::<Vec<_>>(),
        "holders": v.holders.iter().map(party).collect::<Vec<_>>(),
        "jumps": v.digitals.iter().map(|d| json!({
            "exit": d.exit.normalize().to_string(),
            "unit": d.unit.normalize().to_string(),
            "parts": d.parts.iter().map(|(n, j, w)| json!({ "name": n, "jump": j.round_dp(6).normalize().to_string(), "value": w.round_dp(6).normalize().to_string() })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "rounding": "each value rounded down to the cent; leftover cents to the largest fractions dropped, ties in declaration order",
    })
}

/// The valuation as CSV: a row per class, pool and named holder.
pub fn valuation_csv(v: &Valuation) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    super::csv_record(&mut w, ["party", "kind", "shares", "value", "per_share"])?;
    let kinds = std::iter::repeat_n("class or pool", v.parties.len())
        .chain(std::iter::repeat_n("holder", v.holders.len()));
    for (p, kind) in v.parties.iter().chain(&v.holders).zip(kinds) {
        super::csv_record(
            &mut w,
            [
                p.name.clone(),
                kind.to_string(),
                p.shares.normalize().to_string(),
                p.value.to_string(),
                p.per_share.to_string(),
            ],
        )?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
