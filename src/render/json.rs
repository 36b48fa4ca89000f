//! Payout results as one JSON object, decimals as strings.

use serde_json::{Value, json};

use crate::eval::Payout;
use crate::num;

pub(crate) use super::cites::cite;

/// Renders a payout as JSON.
pub fn payout(p: &Payout) -> Value {
    json!({
        "statement": "payout",
        "exit": num::money_text(p.exit),
        "event": p.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "classes": p.classes.iter().map(|c| json!({
            "name": c.name,
            "shares": c.shares.normalize().to_string(),
            "payout": num::money_text(c.payout),
            "per_share": num::per_share_text(c.per_share),
            "converted": c.converted,
            "explanation": c.lines.iter().map(|l| json!({
                "amount": num::money_text(l.amount),
                "what": l.reason.what,
                "cite": cite(&l.reason.cite),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "holders": p.holders.iter().map(|h| json!({
            "name": h.name,
            "named": h.named,
            "class": h.class,
            "shares": h.shares.normalize().to_string(),
            "payout": num::money_text(h.payout),
        })).collect::<Vec<_>>(),
        "groups": p.groups.iter().map(|g| json!({
            "name": g.name,
            "members": g.members,
            "payout": num::money_text(g.payout),
            "cite": cite(&g.cite),
        })).collect::<Vec<_>>(),
        "pools": p.pools.iter().map(|x| json!({
            "name": x.name,
            "class": x.class,
            "shares": x.count.normalize().to_string(),
            "exercise_price": x.strike.to_string(),
            "exercised": x.exercised,
            "paid_in": num::money_text(x.paid_in),
            "payout": num::money_text(x.payout),
        })).collect::<Vec<_>>(),
        "decisions": p.decisions.iter().map(|d| json!({
            "who": d.who,
            "converted": d.switched,
            "payout_as_decided": num::money_text(d.chosen),
            "payout_otherwise": num::money_text(d.alternative),
            "cite": cite(&d.cite),
        })).collect::<Vec<_>>(),
        "assumptions": p.assumptions.iter().map(|(t, c)| json!({ "assumes": t, "cite": cite(c) })).collect::<Vec<_>>(),
        "distribution_per_share": num::per_share_text(p.distribution_per_share),
        "remainder_rule": "each amount rounded down to the cent; leftover cents to the largest fractions dropped, ties in declaration order",
    })
}

fn adjustment(a: &crate::eval::scenario::Adjustment, name: &str) -> Value {
    json!({
        "series": name,
        "kind": a.kind,
        "date": a.date.to_string(),
        "event": a.event,
        "before": a.before.to_string(),
        "after": a.after.to_string(),
        "steps": a.steps,
        "cite": cite(&a.cite),
    })
}

/// Renders any answer as one JSON object.
pub fn answer(a: &crate::query::Answer, names: &dyn Fn(usize) -> String) -> Value {
    use crate::query::Answer;
    match a {
        Answer::Payout(p) => payout(p),
        Answer::Breakpoints(b) => super::curve::json(b),
        Answer::Curve(s) => super::curve::sweep_json(s),
        Answer::Event { text, adjustments } => json!({
            "statement": text,
            "adjustments": adjustments.iter().map(|x| adjustment(x, &names(x.class))).collect::<Vec<_>>(),
        }),
        Answer::Ipo(o) => ipo_json(o, names),
        Answer::Prices(lines) => prices_json(lines),
        Answer::Convert(c) => convert_json(c),
        Answer::Explain(e) => explain_json(e),
        Answer::Date(d) => json!({ "statement": "on", "date": d.to_string() }),
        Answer::Approval(a) => approval_json(a),
        Answer::Votes(list) => votes_json(list),
        Answer::Declaration(d) => declaration_json(d),
        Answer::Accrued(list) => accrued_json(list),
        Answer::Redeem(r) => redeem_json(r),
        Answer::Board(b) => board_json(b),
        Answer::Vote(v) => conversion_vote_json(v),
        Answer::Solve(s) => super::analysis::solved_json(s),
        Answer::Value(v) => super::value::valuation_json(v),
    }
}

/// The JSON of `ipo`'s answer.
fn ipo_json(o: &crate::eval::ipo::IpoOutcome, names: &dyn Fn(usize) -> String) -> Value {
    json!({
        "statement": "ipo",
        "price": o.price.to_string(),
        "gross_proceeds": num::money_text(o.gross),
        "net_proceeds": o.net.map(num::money_text),
        "shares_sold": o.shares_sold.normalize().to_string(),
        "series": o.series.iter().map(|s| json!({
            "name": s.name,
            "converts": s.converts,
            "conversion_ratio": s.ratio.normalize().to_string(),
            "common_shares": s.common_shares.normalize().to_string(),
            "cash": num::money_text(s.cash),
            "ratio_note": s.ratio_note,
            "tests": s.rules.iter().map(|(c, tests)| json!({
                "cite": cite(c),
                "results": tests.iter().map(|t| json!({ "test": t.text, "passed": t.passed })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "adjustments": o.resets.iter().chain(o.adjustments.iter()).map(|x| adjustment(x, &names(x.class))).collect::<Vec<_>>(),
    })
}

/// The JSON of `prices`'s answer.
fn prices_json(lines: &[crate::query::PriceLine]) -> Value {
    json!({
        "statement": "conversion prices",
        "series": lines.iter().map(|l| json!({
            "name": l.name,
            "conversion_price": l.price.map(|p| p.normalize().to_string()),
            "conversion_ratio": l.ratio.map(|r| r.normalize().to_string()),
            "converted": l.converted,
            "adjustments": l.adjustments.iter().map(|x| adjustment(x, &l.name)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The JSON of `convert`'s answer.
fn convert_json(c: &crate::eval::convert::ConvertOutcome) -> Value {
    json!({
        "statement": "convert",
        "series": [{
            "name": c.name,
            "conversion_price": c.price.map(|p| p.normalize().to_string()),
            "conversion_ratio": c.ratio.normalize().to_string(),
            "common_shares": c.holders.iter().fold(rust_decimal::Decimal::ZERO, |a, h| a.saturating_add(h.delivered)).normalize().to_string(),
            "holders": c.holders.iter().map(|h| json!({
                "name": h.name,
                "shares": h.shares.normalize().to_string(),
                "common_shares_exact": h.exact.normalize().to_string(),
                "common_shares": h.delivered.normalize().to_string(),
                "fraction": h.fraction.normalize().to_string(),
                "cash_in_lieu": h.cash_in_lieu.map(num::money_text),
                "cash_on_conversion": num::money_text(h.cash_on_conversion),
                "cash_owed": num::money_text(h.cash_owed),
                "dividends_on_conversion": h.dividends.map(num::money_text),
            })).collect::<Vec<_>>(),
            // Accrued dividends paid on conversion, for the class: the
            // line the table prints under it.
            "dividends_on_conversion": c.dividends.as_ref().map(|(amount, how)| json!({
                "amount": num::money_text(*amount),
                "how": how,
            })),
            "fractional_rule": c.rule.as_ref().map(|(w, _)| w.clone()),
        }],
    })
}

/// The JSON of `explain`'s answer.
fn explain_json(e: &crate::query::Explanation) -> Value {
    json!({
        "statement": "explain conversion price",
        "series": [{
            "name": e.name,
            "initial_conversion_price": e.initial.map(|p| p.normalize().to_string()),
            "conversion_price": e.price.map(|p| p.normalize().to_string()),
            "conversion_ratio": e.ratio.map(|r| r.normalize().to_string()),
            "adjustments": e.adjustments.iter().map(|x| adjustment(x, &e.name)).collect::<Vec<_>>(),
            "issue_price": e.issue_price_now.as_ref().map(|(ip, c)| json!({
                "amount": ip.normalize().to_string(),
                "cite": cite(c),
            })),
        }],
    })
}

/// The JSON of `approval`'s answer.
fn approval_json(a: &crate::eval::approval::ApprovalOutcome) -> Value {
    json!({
        "statement": "approve",
        "action": a.action,
        "description": a.description,
        "passes": a.passes,
        "consents": a.consents.iter().map(|c| json!({
            "section": c.cite.section.as_deref(),
            "required": c.required,
            "met": c.met,
            "threshold": c.counts.iter().map(|n| n.threshold.words()).collect::<Vec<_>>().join(" and "),
            "basis": c.counts.iter().map(|n| crate::eval::approval::basis_text(n.basis)).collect::<Vec<_>>().join(" and "),
            // The weakest part: the fraction of its votes reached.
            "reached": c.counts.iter().filter_map(|n| n.yes.and_then(|y| y.checked_div(n.total))).min().map(|r| r.round_dp(6).normalize().to_string()),
            "conditions": c.conditions,
            "votes": c.counts.iter().map(|n| json!({
                "voters": n.voters,
                "threshold": n.threshold.words(),
                "basis": crate::eval::approval::basis_text(n.basis),
                "for": n.yes.map(|y| y.normalize().to_string()),
                "of": n.total.normalize().to_string(),
                "reached": n.yes.and_then(|y| y.checked_div(n.total)).map(|r| r.round_dp(6).normalize().to_string()),
                "met": n.met,
            })).collect::<Vec<_>>(),
            "including": c.including.as_ref().map(|(h, yes)| json!({ "holders": h, "vote_for": yes })),
            "cite": cite(&c.cite),
        })).collect::<Vec<_>>(),
        "missing": a.missing,
        "assumptions": a.assumptions,
    })
}

/// The JSON of `votes`'s answer.
fn votes_json(list: &[crate::eval::votes::ClassVotes]) -> Value {
    json!({
        "statement": "votes",
        "classes": list.iter().map(|v| json!({
            "name": v.name,
            "shares": v.shares.normalize().to_string(),
            "as_converted": v.as_converted.normalize().to_string(),
            "votes_per_share": v.per_share.map(|p| p.normalize().to_string()),
            "votes": v.votes.normalize().to_string(),
            "holders": v.holders.iter().map(|h| json!({
                "name": h.name,
                "shares": h.shares.normalize().to_string(),
                "votes": h.votes.normalize().to_string(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The JSON of `declaration`'s answer.
fn declaration_json(d: &crate::eval::dividends::Declaration) -> Value {
    json!({
        "statement": "declare dividend",
        "amount": num::money_text(d.amount),
        "date": d.date.to_string(),
        "classes": d.classes.iter().map(|(n, sh, a, per)| json!({ "name": n, "shares": sh.normalize().to_string(), "dividend": num::money_text(*a), "per_share": per.normalize().to_string() })).collect::<Vec<_>>(),
        "lines": d.lines.iter().map(|l| json!({ "class": l.name, "what": l.what, "amount": num::money_text(l.amount), "cite": cite(&l.cite) })).collect::<Vec<_>>(),
        "holders": d.holders.iter().map(|(h, c, sh, a)| json!({ "name": h, "class": c, "shares": sh.normalize().to_string(), "dividend": num::money_text(*a) })).collect::<Vec<_>>(),
    })
}

/// The JSON of `accrued`'s answer.
fn accrued_json(list: &[crate::eval::dividends::Accrual]) -> Value {
    json!({
        "statement": "accrued",
        "classes": list.iter().map(|a| json!({
            "name": a.name,
            "from": a.start.to_string(),
            "to": a.date.to_string(),
            "days": a.days,
            "rate": a.rate.normalize().to_string(),
            "compounding": a.compounding,
            "per_share": a.per_share.round_dp(6).normalize().to_string(),
            "total": num::money_text(a.total),
            "day_count": a.day_count.word(),
            "issue_prices": a.prices.as_ref().map(|(first, moves)| {
                std::iter::once(json!({ "from": a.start.to_string(), "price": first.normalize().to_string() }))
                    .chain(moves.iter().map(|(d, p)| json!({ "from": d.to_string(), "price": p.normalize().to_string() })))
                    .collect::<Vec<_>>()
            }),
            "cite": cite(&a.cite),
        })).collect::<Vec<_>>(),
    })
}

/// The JSON of `redeem`'s answer.
fn redeem_json(r: &crate::eval::redemption::RedeemOutcome) -> Value {
    json!({
        "statement": "redeem",
        "date": r.date.to_string(),
        "funds": r.funds.map(num::money_text),
        "series": r.classes.iter().map(|c| json!({
            "name": c.name,
            "eligible": c.eligible.normalize().to_string(),
            "requested": c.requested.normalize().to_string(),
            "redeemed": c.redeemed.normalize().to_string(),
            "price": c.price.round_dp(6).normalize().to_string(),
            "paid": num::money_text(c.paid),
            "short": c.short.normalize().to_string(),
            "notes": c.notes,
            "holders": c.holders.iter().map(|(h, sh, a)| json!({ "name": h, "redeemed": sh.normalize().to_string(), "paid": num::money_text(*a) })).collect::<Vec<_>>(),
            "cites": c.cites.iter().map(cite).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "assumptions": r.assumptions,
    })
}

/// The JSON of `board`'s answer.
fn board_json(b: &crate::eval::votes::Board) -> Value {
    json!({
        "statement": "board",
        "size": b.size,
        "seats": b.seats.iter().map(|(who, words, n)| json!({ "electors": who, "directors": n, "words": words })).collect::<Vec<_>>(),
        "voting_shift": b.shift.as_ref().map(|(f, why, c)| json!({ "in_force": f, "why": why, "cite": cite(c) })),
        "cumulative_voting": b.cumulative.as_ref().map(|(t, c)| json!({ "text": t, "cite": cite(c) })),
    })
}

/// The JSON of `conversion_vote`'s answer.
fn conversion_vote_json(v: &crate::eval::vote::VoteOutcome) -> Value {
    json!({
        "statement": "approve conversion",
        "provisions": v.rules.iter().map(|r| json!({
            "series": r.classes,
            "converts": r.passed,
            "threshold": r.threshold.words(),
            "counts": r.counts.iter().map(|c| json!({
                "voters": c.who,
                "for": c.yes.normalize().to_string(),
                "of": c.all.normalize().to_string(),
                "passed": c.passed,
            })).collect::<Vec<_>>(),
            "cite": cite(&r.cite),
        })).collect::<Vec<_>>(),
        "series": v.converted.iter().map(|(n, c, cash)| json!({
            "name": n, "converts": true, "common_shares": c.normalize().to_string(), "cash": num::money_text(*cash),
        })).collect::<Vec<_>>(),
    })
}
