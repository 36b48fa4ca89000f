//! One function per kind of claim: what it reads from the answers (or the
//! scenario), and the verdict with the derivation behind it.

use rust_decimal::Decimal;

use super::*;

/// `X receives $A`: money from the latest payout, declaration, redemption, conversion, offering or conversion vote.
pub(super) fn receives_money(
    who: &Party,
    e: &Expected,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let name = party_name(session, who);
    let Some(a) = latest(answers, |a| {
        matches!(
            a,
            Answer::Payout(_)
                | Answer::Declaration(_)
                | Answer::Redeem(_)
                | Answer::Convert(_)
                | Answer::Ipo(_)
                | Answer::Vote(_)
        )
        .then_some(a)
    }) else {
        return Verdict::NotRun;
    };
    let class = |n: &str| match who {
        Party::Class(_) => n == name,
        Party::Holder(_) => false,
    };
    let holder = |n: &str| matches!(who, Party::Holder(h) if h == n);
    let actual = match a {
        Answer::Payout(p) => match who {
            Party::Class(_) => p.classes.iter().find(|c| class(&c.name)).map(|c| c.payout),
            Party::Holder(_) => total(
                p.holders
                    .iter()
                    .filter(|h| holder(&h.name))
                    .map(|h| h.payout),
            ),
        },
        // A class a declaration or redemption leaves out receives nothing.
        Answer::Declaration(d) => match who {
            Party::Class(_) => Some(
                d.classes
                    .iter()
                    .find(|c| class(&c.0))
                    .map_or(Decimal::ZERO, |c| c.2),
            ),
            Party::Holder(_) => total(d.holders.iter().filter(|h| holder(&h.0)).map(|h| h.3)),
        },
        Answer::Redeem(r) => match who {
            Party::Class(_) => Some(
                r.classes
                    .iter()
                    .filter(|c| class(&c.name))
                    .map(|c| c.paid)
                    .fold(Decimal::ZERO, Decimal::saturating_add),
            ),
            Party::Holder(_) => total(
                r.classes
                    .iter()
                    .flat_map(|c| &c.holders)
                    .filter(|h| holder(&h.0))
                    .map(|h| h.2),
            ),
        },
        // Cash paid on conversion: in lieu of fractions, on conversion,
        // and (to the class) accrued dividends paid.
        Answer::Convert(c) => {
            let dividends = match who {
                Party::Class(_) => c.dividends.as_ref().map_or(Decimal::ZERO, |d| d.0),
                Party::Holder(_) => Decimal::ZERO,
            };
            // A class claim is about the class converted, not another.
            let ours = !matches!(who, Party::Class(_)) || class(&c.name);
            total(
                c.holders
                    .iter()
                    .filter(|h| matches!(who, Party::Class(_)) || holder(&h.name))
                    .map(|h| {
                        h.cash_in_lieu
                            .unwrap_or_default()
                            .saturating_add(h.cash_on_conversion)
                    }),
            )
            .filter(|_| ours)
            .map(|cash| cash.saturating_add(dividends))
        }
        Answer::Ipo(o) => o.series.iter().find(|x| class(&x.name)).map(|x| x.cash),
        Answer::Vote(v) => v.converted.iter().find(|x| class(&x.0)).map(|x| x.2),
        _ => None,
    };
    let why = match (a, who) {
        (Answer::Payout(p), Party::Class(_)) => Some(crate::render::table::payout_of(p, &name)),
        (Answer::Payout(p), Party::Holder(h)) => p
            .holders
            .iter()
            .find(|x| &x.name == h)
            .map(|x| crate::render::table::payout_of(p, &x.class)),
        _ => rendered(a, session),
    };
    verdict(actual, *e, exact_dollars, &format!("{name} receives"), why)
}

/// `X receives $A per share`: from the latest payout or declaration.
pub(super) fn receives_per_share(
    id: &ClassId,
    e: &Expected,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let name = class_name(session, *id);
    let Some(a) = latest(answers, |a| {
        matches!(a, Answer::Payout(_) | Answer::Declaration(_)).then_some(a)
    }) else {
        return Verdict::NotRun;
    };
    let actual = match a {
        Answer::Payout(p) => p
            .classes
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.per_share),
        Answer::Declaration(d) => d.classes.iter().find(|c| c.0 == name).map(|c| c.3),
        _ => None,
    };
    verdict(
        actual,
        *e,
        |v| format!("{} per share", exact_dollars(v)),
        &format!("{name} receives"),
        rendered(a, session),
    )
}

/// `X receives N shares`: common delivered by the latest conversion, offering or conversion vote.
pub(super) fn receives_shares(
    who: &Party,
    e: &Expected,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let name = party_name(session, who);
    let Some(a) = latest(answers, |a| {
        matches!(a, Answer::Convert(_) | Answer::Ipo(_) | Answer::Vote(_)).then_some(a)
    }) else {
        return Verdict::NotRun;
    };
    let class = |n: &str| matches!(who, Party::Class(_)) && n == name;
    let actual = match a {
        Answer::Convert(c) => total(
            c.holders
                .iter()
                .filter(|h| match who {
                    Party::Class(_) => class(&c.name),
                    Party::Holder(n) => &h.name == n,
                })
                .map(|h| h.delivered),
        ),
        Answer::Ipo(o) => o
            .series
            .iter()
            .find(|x| class(&x.name))
            .map(|x| x.common_shares),
        Answer::Vote(v) => v.converted.iter().find(|x| class(&x.0)).map(|x| x.1),
        _ => None,
    };
    verdict(
        actual,
        *e,
        |v| format!("{} shares", exact(v)),
        &format!("{name} receives"),
        rendered(a, session),
    )
}

/// `X converts` / `X does not convert`: the latest payout's decision, else the scenario's.
pub(super) fn converts(
    id: &ClassId,
    yes: &bool,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let name = class_name(session, *id);
    // A payout decides conversion for itself; otherwise what the
    // scenario's events have converted.
    let last = answers.iter().rev().find(|a| !matches!(a, Answer::Date(_)));
    let (actual, derivation) = match last {
        Some(Answer::Payout(p)) => (
            p.classes
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.converted),
            Some(crate::render::table::payout_of(p, &name)),
        ),
        _ => (
            Some(
                session
                    .scenario
                    .converted
                    .get(*id)
                    .is_some_and(Option::is_some),
            ),
            read(session, Query::Prices),
        ),
    };
    let word = |b: bool| if b { "converts" } else { "does not convert" };
    match actual {
        Some(a) if a == *yes => Verdict::Pass,
        a => Verdict::Fail {
            expected: word(*yes).to_string(),
            actual: a.map_or("not in the answer", word).to_string(),
            stated: a.map_or_else(
                || format!("{name} is not in the answer"),
                |a| format!("{name} {}", word(a)),
            ),
            derivation,
        },
    }
}

/// `conversion price of X is $P`: as the scenario stands.
pub(super) fn conversion_price(id: &ClassId, e: &Expected, session: &mut Session) -> Verdict {
    let name = class_name(session, *id);
    let actual = session.scenario.prices.get(*id).copied().flatten();
    let why = explain(session, *id);
    verdict(
        actual,
        *e,
        exact_dollars,
        &format!("the conversion price of {name} is"),
        why,
    )
}

/// `conversion ratio of X is R`: as the scenario stands.
pub(super) fn conversion_ratio(id: &ClassId, e: &Expected, session: &mut Session) -> Verdict {
    let name = class_name(session, *id);
    let actual = session
        .scenario
        .charter
        .classes
        .get(*id)
        .and_then(|c| c.ratio);
    let why = explain(session, *id);
    verdict(
        actual,
        *e,
        exact,
        &format!("the conversion ratio of {name} is"),
        why,
    )
}

/// `X has accrued $A`: cumulative dividends on the scenario's date.
pub(super) fn accrued(id: &ClassId, e: &Expected, session: &mut Session) -> Verdict {
    let name = class_name(session, *id);
    let s = &session.scenario;
    let accrual = crate::eval::dividends::accrued(s, *id, s.date)
        .ok()
        .flatten();
    let actual = accrual.as_ref().map(|a| a.total);
    let why = accrual.and_then(|a| rendered(&Answer::Accrued(vec![a]), session));
    verdict(
        actual,
        *e,
        exact_dollars,
        &format!("{name} has accrued"),
        why,
    )
}

/// `X has N votes`: from the latest `votes`.
pub(super) fn votes_claim(
    who: &Party,
    e: &Expected,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let name = party_name(session, who);
    let Some(list) = latest(answers, |a| match a {
        Answer::Votes(v) => Some(v),
        _ => None,
    }) else {
        return Verdict::NotRun;
    };
    let actual = match who {
        Party::Class(id) => list.iter().find(|c| c.class == *id).map(|c| c.votes),
        Party::Holder(h) => total(
            list.iter()
                .flat_map(|c| &c.holders)
                .filter(|x| &x.name == h)
                .map(|x| x.votes),
        ),
    };
    let why = rendered(&Answer::Votes(list.clone()), session);
    verdict(
        actual,
        *e,
        |v| format!("{} votes", exact(v)),
        &format!("{name} has"),
        why,
    )
}

/// `X elects N`: from the latest `board`.
pub(super) fn elects_claim(
    who: &[ClassId],
    n: &u32,
    answers: &[Answer],
    session: &mut Session,
) -> Verdict {
    let Some(board) = latest(answers, |a| match a {
        Answer::Board(b) => Some(b),
        _ => None,
    }) else {
        return Verdict::NotRun;
    };
    elects(who, *n, board, session)
}
