//! Analyses across exits rendered: a goal seek's answer as prose and JSON.

use serde_json::{Value, json};

use super::cites::cite;
use crate::analysis::solve::{Outcome, Solved};
use crate::num;

/// A goal seek in words: the exit, what the party receives there and one
/// cent less, and the breakpoint that starts the stretch; or why never.
pub fn solved(s: &Solved) -> String {
    let event = s.event.as_deref().unwrap_or("liquidation");
    let mut out = format!(
        "{} receives at least {} ({event})\n",
        s.party, s.target_words
    );
    match &s.outcome {
        Outcome::At {
            exit,
            receives,
            before,
            after,
        } => {
            out.push_str(&format!(
                "  from an exit of {}: {} receives {} there\n",
                num::dollars(*exit),
                s.party,
                num::exact_dollars(*receives)
            ));
            if *exit > rust_decimal::Decimal::ZERO {
                out.push_str(&format!(
                    "  at {} it is entitled to {}, below the target\n",
                    num::dollars(exit.saturating_sub(rust_decimal::Decimal::new(1, 2))),
                    entitled(*before)
                ));
            }
            if let Some((x, causes)) = after {
                let why: Vec<String> = causes
                    .iter()
                    .map(|(what, c)| match c.section_mark() {
                        m if m.is_empty() => what.clone(),
                        m => format!("{what} ({m})"),
                    })
                    .collect();
                out.push_str(&format!(
                    "  on the stretch from the breakpoint at {}: {}\n",
                    super::curve::exit(*x),
                    why.join("; ")
                ));
            }
        }
        Outcome::Never {
            most,
            at,
            reason,
            cite,
        } => {
            out.push_str(&format!(
                "  never: the most {} receives is {}, from an exit of {}\n  {reason}{}\n",
                s.party,
                entitled(*most),
                super::curve::exit(*at),
                cite.as_ref().map(|c| c.paren()).unwrap_or_default()
            ));
        }
    }
    out
}

/// An exact entitlement to the cent, `…` marking digits past it.
fn entitled(x: rust_decimal::Decimal) -> String {
    let cents = x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    if cents == x {
        num::exact_dollars(x)
    } else {
        format!("{}…", num::exact_dollars(cents))
    }
}

/// A goal seek as JSON.
pub fn solved_json(s: &Solved) -> Value {
    let mut v = json!({
        "statement": "solve",
        "party": s.party,
        "event": s.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "target": s.target.to_string(),
        "target_words": s.target_words,
    });
    let outcome = match &s.outcome {
        Outcome::At {
            exit,
            receives,
            before,
            after,
        } => json!({
            "reached": true,
            "exit": exit.to_string(),
            "receives": receives.to_string(),
            "entitled_one_cent_less": before.round_dp(10).normalize().to_string(),
            "stretch_from": after.as_ref().map(|(x, causes)| json!({
                "exit": x.normalize().to_string(),
                "causes": causes.iter().map(|(w, c)| json!({ "what": w, "cite": cite(c) })).collect::<Vec<_>>(),
            })),
        }),
        Outcome::Never {
            most,
            at,
            reason,
            cite: c,
        } => json!({
            "reached": false,
            "most": most.normalize().to_string(),
            "most_at": at.normalize().to_string(),
            "reason": reason,
            "cite": c.as_ref().map(cite),
        }),
    };
    if let (Some(o), Some(m)) = (v.as_object_mut(), outcome.as_object()) {
        o.extend(m.clone());
    }
    v
}
