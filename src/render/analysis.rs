//! Analyses across exits rendered: a goal seek and a comparison of two charters, as text, JSON and CSV.

use serde_json::{Value, json};

use super::cites::cite;
use crate::analysis::compare::Comparison;
use crate::analysis::solve::{Outcome, Solved};
use crate::num;

/// A goal seek in words: the exit, what the party receives there and one
/// cent less, and the breakpoint that starts the stretch; or why never.
pub fn solved(s: &Solved) -> String {
    let event = s.event.as_deref().unwrap_or("liquidation");
    // Parties named together are plural.
    let (receive, it_is) = if s.together {
        ("receive", "they are")
    } else {
        ("receives", "it is")
    };
    let mut out = format!(
        "{} {receive} at least {} ({event})\n",
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
                "  from an exit of {}: {} {receive} {} there\n",
                num::dollars(*exit),
                s.party,
                num::exact_dollars(*receives)
            ));
            if *exit > rust_decimal::Decimal::ZERO {
                out.push_str(&format!(
                    "  at {} {it_is} entitled to {}, below the target\n",
                    num::dollars(exit.saturating_sub(rust_decimal::Decimal::new(1, 2))),
                    entitled(*before)
                ));
            }
            if let Some((x, causes)) = after {
                // The first causes, the rest counted (JSON has them all).
                let why = crate::num::joined_list(
                    causes.iter().map(|(what, c)| match c.section_mark() {
                        m if m.is_empty() => what.clone(),
                        m => format!("{what} ({m})"),
                    }),
                    "; ",
                );
                out.push_str(&format!(
                    "  on the stretch from the breakpoint at {}: {why}\n",
                    super::curve::exit(*x),
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
                "  never: the most {} {receive} is {}, from an exit of {}\n  {reason}{}\n",
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
            "exit": num::money_text(*exit),
            "receives": num::money_text(*receives),
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

/// A difference with its sign: `+$1,000.00`, `−$250.00`, `$0.00`.
fn signed(x: rust_decimal::Decimal) -> String {
    if x > rust_decimal::Decimal::ZERO {
        format!("+{}", num::dollars(x))
    } else if x < rust_decimal::Decimal::ZERO {
        format!("−{}", num::dollars(x.abs()))
    } else {
        num::dollars(x)
    }
}

/// An amount under one charter, or `—` where it has no such class.
fn under(x: Option<rust_decimal::Decimal>) -> String {
    x.map_or_else(|| "—".to_string(), num::dollars)
}

/// The comparison as a table per exit and party, then where each party
/// gains and loses most, then the clauses that differ.
pub fn comparison(c: &Comparison) -> String {
    let (la, lb) = (&c.labels.0, &c.labels.1);
    let mut out = format!(
        "Payouts under {la} and {lb} ({}), {} to {}\n",
        c.event.as_deref().unwrap_or("liquidation"),
        num::dollars(c.from),
        num::dollars(c.to)
    );
    for (name, in_a, in_b) in &c.classes {
        if !in_a {
            out.push_str(&format!("  {name}: only in {lb}\n"));
        } else if !in_b {
            out.push_str(&format!("  {name}: only in {la}\n"));
        }
    }
    let who = if c.by_holder {
        "Holder or pool"
    } else {
        "Class or pool"
    };
    let mut t = super::table(&["Exit", who, la, lb, "Difference"]);
    for r in &c.rows {
        for (i, (name, _, _)) in c.classes.iter().enumerate() {
            let (a, b) = r.amounts.get(i).copied().unwrap_or_default();
            t.add_row(vec![
                super::right(if i == 0 {
                    num::dollars(r.exit)
                } else {
                    String::new()
                }),
                comfy_table::Cell::new(name),
                super::right(under(a)),
                super::right(under(b)),
                super::right(signed(r.difference(i))),
            ]);
        }
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out.push_str(&format!(
        "Where each party gains and loses most under {lb}:\n"
    ));
    for ((name, _, _), e) in c.classes.iter().zip(&c.extremes) {
        let run = |(amount, from, to): (
            rust_decimal::Decimal,
            rust_decimal::Decimal,
            rust_decimal::Decimal,
        )| {
            if from == to {
                format!("{} at {}", signed(amount), num::dollars(from))
            } else {
                format!(
                    "{} from {} to {}",
                    signed(amount),
                    num::dollars(from),
                    num::dollars(to)
                )
            }
        };
        let gain = e.gain.map_or_else(
            || "never gains".to_string(),
            |g| format!("gains most, {}", run(g)),
        );
        let loss = e.loss.map_or_else(
            || "never loses".to_string(),
            |l| format!("loses most, {}", run(l)),
        );
        out.push_str(&format!("  {name}: {gain}; {loss}\n"));
    }
    if c.clauses.is_empty() {
        out.push_str("No clause differs.\n");
    } else {
        out.push_str("Clauses that differ:\n");
        for k in &c.clauses {
            let place = if k.section.is_empty() {
                k.block.clone()
            } else {
                format!("{} {}", k.block, k.section)
            };
            let text = match (&k.a, &k.b) {
                (Some(a), Some(b)) => format!("{la}: `{a}` → {lb}: `{b}`"),
                (Some(a), None) => format!("only {la}: `{a}`"),
                (None, Some(b)) => format!("only {lb}: `{b}`"),
                (None, None) => String::new(),
            };
            out.push_str(&format!("  {place}: {text}\n"));
        }
    }
    out
}

/// The comparison as JSON.
pub fn comparison_json(c: &Comparison) -> Value {
    let opt = |x: Option<rust_decimal::Decimal>| x.map(num::money_text);
    let run = |r: Option<(
        rust_decimal::Decimal,
        rust_decimal::Decimal,
        rust_decimal::Decimal,
    )>| {
        r.map(|(amount, from, to)| json!({ "amount": num::money_text(amount), "from": num::money_text(from), "to": num::money_text(to) }))
    };
    json!({
        "statement": "compare",
        "a": c.labels.0,
        "b": c.labels.1,
        "event": c.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "from": num::money_text(c.from),
        "to": num::money_text(c.to),
        "classes": c.classes.iter().zip(&c.extremes).map(|((name, in_a, in_b), e)| json!({
            "name": name, "in_a": in_a, "in_b": in_b,
            "most_gained": run(e.gain), "most_lost": run(e.loss),
        })).collect::<Vec<_>>(),
        "rows": c.rows.iter().map(|r| json!({
            "exit": num::money_text(r.exit),
            "classes": c.classes.iter().enumerate().map(|(i, (name, _, _))| {
                let (a, b) = r.amounts.get(i).copied().unwrap_or_default();
                json!({ "name": name, "a": opt(a), "b": opt(b), "difference": num::money_text(r.difference(i)) })
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "clauses": c.clauses.iter().map(|k| json!({
            "block": k.block, "section": k.section, "a": k.a, "b": k.b,
        })).collect::<Vec<_>>(),
    })
}

/// The comparison as CSV: one line per exit and party.
pub fn comparison_csv(c: &Comparison) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    super::csv_record(
        &mut w,
        ["exit", "party", &c.labels.0, &c.labels.1, "difference"],
    )?;
    for r in &c.rows {
        for (i, (name, _, _)) in c.classes.iter().enumerate() {
            let (a, b) = r.amounts.get(i).copied().unwrap_or_default();
            super::csv_record(
                &mut w,
                [
                    num::money_text(r.exit),
                    name.clone(),
                    a.map(num::money_text).unwrap_or_default(),
                    b.map(num::money_text).unwrap_or_default(),
                    num::money_text(r.difference(i)),
                ],
            )?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
