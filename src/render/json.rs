//! Payout results as one JSON object, decimals as strings.

use serde_json::{Value, json};

use crate::eval::Payout;
use crate::ir::Cite;

fn cite(c: &Cite) -> Value {
    json!({
        "section": c.section,
        "clause": c.clause,
        "span": { "start": c.span.start, "end": c.span.end },
    })
}

/// Renders a payout as JSON.
pub fn payout(p: &Payout) -> Value {
    json!({
        "exit": p.exit.to_string(),
        "event": p.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "classes": p.classes.iter().map(|c| json!({
            "name": c.name,
            "shares": c.shares.normalize().to_string(),
            "payout": c.payout.to_string(),
            "per_share": c.per_share.to_string(),
            "converted": c.converted,
            "explanation": c.lines.iter().map(|l| json!({
                "amount": l.amount.to_string(),
                "what": l.reason.what,
                "cite": cite(&l.reason.cite),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "holders": p.holders.iter().map(|h| json!({
            "name": h.name,
            "class": h.class,
            "shares": h.shares.normalize().to_string(),
            "payout": h.payout.to_string(),
        })).collect::<Vec<_>>(),
        "pools": p.pools.iter().map(|x| json!({
            "name": x.name,
            "class": x.class,
            "shares": x.count.normalize().to_string(),
            "exercise_price": x.strike.to_string(),
            "exercised": x.exercised,
            "paid_in": x.paid_in.to_string(),
            "payout": x.payout.to_string(),
        })).collect::<Vec<_>>(),
        "decisions": p.decisions.iter().map(|d| json!({
            "who": d.who,
            "converted": d.switched,
            "payout_as_decided": d.chosen.to_string(),
            "payout_otherwise": d.alternative.to_string(),
            "cite": cite(&d.cite),
        })).collect::<Vec<_>>(),
        "assumptions": p.assumptions.iter().map(|(t, c)| json!({ "assumes": t, "cite": cite(c) })).collect::<Vec<_>>(),
        "distribution_per_share": p.distribution_per_share.round_dp(6).to_string(),
        "remainder_rule": "each amount rounded down to the cent; leftover cents to the largest fractions dropped, ties in declaration order",
    })
}
