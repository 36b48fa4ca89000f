//! Scenario events: `issue`, `grant`, `split`/`combine`, `ipo`, `on`.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Answer, Session, misrouted};
use crate::diagnostic::{Kind, Problem};
use crate::eval::antidilution::{self, Issuance};
use crate::eval::ipo::{self, Offering};
use crate::eval::scenario::{Scenario, at};
use crate::ir::Cite;
use crate::num::Checked;
use crate::syntax::ast::{Query, Spanned};

/// The answer to an event: the adjustments logged since `start`.
fn event_answer(s: &Scenario, start: usize, text: &str) -> Answer {
    Answer::Event {
        text: text.to_string(),
        adjustments: s.log.get(start..).unwrap_or(&[]).to_vec(),
    }
}

impl Session {
    /// Refuses an event whose effect on outstanding SAFEs is not modelled
    /// yet (`what` says what it would do to them), rather than leave them
    /// as they were.
    fn no_safes(&self, span: crate::ir::Span, what: &str) -> Result<(), Problem> {
        let Some((safe, _)) = self.scenario.charter.any_instrument() else {
            return Ok(());
        };
        Err(Problem::new(
            Kind::Unsupported(format!(
                "{what}; with {} outstanding, this event is not supported yet",
                safe.name
            )),
            span,
            "this event",
        )
        .with_help("payouts, breakpoints and the other questions across exits read the SAFEs at a Liquidity Event; an issue of common moves the shares they convert into"))
    }

    /// Refuses an issue of shares of a SAFE or note, which is no class of
    /// stock.
    fn stock_to_issue(&self, id: crate::ir::ClassId, span: crate::ir::Span) -> Result<(), Problem> {
        let Some((c, safe)) = self.scenario.charter.instrument(id) else {
            return Ok(());
        };
        Err(Problem::new(
            Kind::Impossible(format!(
                "{} is {}, not a class of stock to issue shares of",
                c.name,
                safe.kind()
            )),
            span,
            "this instrument",
        )
        .with_help("a new SAFE or note is a `safe` or `note` block of its own in the charter"))
    }

    /// `issue N CLASS at $P ...`: new shares, refused above the authorized number, with the anti-dilution they trigger.
    pub(super) fn issue(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Issue {
            count,
            class,
            price,
            fees,
            date,
            excluded,
            unissued,
            increase,
        } = query
        else {
            return Err(misrouted(query));
        };
        let id = self.class(class)?;
        self.stock_to_issue(id, class.span)?;
        let financing = self
            .scenario
            .charter
            .classes
            .get(id)
            .is_some_and(|c| !c.common);
        let s = &mut self.scenario;
        let date = s.advance(date.as_ref(), text)?;
        // A round of preferred converts the SAFEs and notes at its closing,
        // before its own shares are issued.
        let converted_from = s.log.len();
        if financing {
            let round = crate::eval::safes::financing::Round {
                series: id,
                price: price.node,
                unissued: unissued.as_ref().map(|u| u.node),
                increase: increase.as_ref().map(|u| u.node),
                date,
                text,
                span: class.span,
            };
            crate::eval::safes::financing::convert(s, &round)?;
        }
        let fail = |k: Kind| at(k, count.span);
        let c = s
            .charter
            .classes
            .get(id)
            .cloned()
            .ok_or_else(|| fail(Kind::UnknownClass(class.node.clone())))?;
        // Shares beyond those authorized cannot simply be issued:
        // the charter must first be amended, which takes its own
        // consents.
        let after = c
            .outstanding
            .add(count.node, "shares outstanding")
            .map_err(fail)?;
        if let Some(authorized) = c.authorized.filter(|a| after > *a) {
            return Err(Problem::new(
                Kind::IssueAboveAuthorized {
                    class: c.name.clone(),
                    count: crate::num::shares(count.node),
                    after: crate::num::shares(after),
                    authorized: crate::num::shares(authorized),
                },
                count.span,
                "more than may be issued",
            )
            .with_help(
                "an issue beyond the authorized shares needs a charter amendment first; \
                 `approve change-authorized-preferred` (or `amend-charter-adversely`) shows \
                 the consents it takes, and the amended figure goes in the stock block's \
                 `authorized` (`:replace` in the REPL)",
            ));
        }
        // Preferred issued is deemed an issue of the common it converts into.
        let shares = if c.common {
            count.node
        } else {
            count
                .node
                .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")
                .map_err(fail)?
        };
        let gross = count.node.mul(price.node, "consideration").map_err(fail)?;
        let fees = fees.as_ref().map_or(Decimal::ZERO, |f| f.node);
        let start = deemed_issue(
            s,
            (shares, gross, fees),
            excluded.as_ref(),
            count.span,
            (text, date),
        )?;
        let declared = owed_after_issue(s, id, &c, after).map_err(fail)?;
        if let Some(x) = Arc::make_mut(&mut s.charter).classes.get_mut(id) {
            x.outstanding = after;
            x.declared_dividends = declared;
        }
        s.events.push(text.to_string());
        Ok(event_answer(s, start.min(converted_from), text))
    }

    /// `grant N options at $P ...`: options deemed issued at their exercise price, added as a pool.
    pub(super) fn grant(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Grant {
            count,
            price,
            vested,
            date,
            excluded,
        } = query
        else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        let date = s.advance(date.as_ref(), text)?;
        let fail = |k: Kind| at(k, count.span);
        let common = s.common().ok_or_else(|| {
            Problem::new(
                Kind::Impossible(
                    "the charter declares no common stock to grant options on".to_string(),
                ),
                count.span,
                "here",
            )
        })?;
        if let Some(v) = vested
            && v.node > count.node
        {
            return Err(Problem::new(
                Kind::BadNumber("more options vested than granted".to_string()),
                v.span,
                "vested",
            )
            .with_help("the vested count is at most the number granted"));
        }
        let gross = count.node.mul(price.node, "exercise price").map_err(fail)?;
        // Options are deemed issued at their minimum exercise price.
        let start = deemed_issue(
            s,
            (count.node, gross, Decimal::ZERO),
            excluded.as_ref(),
            count.span,
            (text, date),
        )?;
        let cite = Cite {
            section: None,
            span: Default::default(),
            clause: text.into(),
        };
        s.add_options(
            count.node,
            vested.as_ref().map_or(count.node, |v| v.node),
            price.node,
            common,
            cite,
        );
        s.events.push(text.to_string());
        Ok(event_answer(s, start, text))
    }

    /// `split N:M` / `combine N:M`: every count and price scaled.
    pub(super) fn split(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Split {
            combine,
            new,
            old,
            date,
        } = query
        else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        let start = s.log.len();
        s.split(new, old, *combine, date.as_ref(), text)?;
        Ok(event_answer(s, start, text))
    }

    /// `ipo at $P raising $G ...`: automatic conversion and IPO price adjustments.
    pub(super) fn ipo(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Ipo {
            price,
            gross,
            net,
            filed,
            date,
        } = query
        else {
            return Err(misrouted(query));
        };
        self.no_safes(price.span, "a public offering is a Liquidity Event for each SAFE, which converts or is cashed out in it")?;
        let s = &mut self.scenario;
        ipo::apply(
            s,
            &Offering {
                price,
                gross,
                net: net.as_ref(),
                filed: filed.as_ref(),
                date: date.as_ref(),
            },
            text,
        )
        .map(|o| {
            // Recorded after it is applied, at the date it advanced to.
            s.offerings.push(s.date);
            Answer::Ipo(o)
        })
    }

    /// `on DATE`: the date the scenario stands at.
    pub(super) fn on(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::On(d) = query else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        s.advance(Some(d), text)?;
        s.events.push(text.to_string());
        Ok(Answer::Date(s.date))
    }
}

/// Shares issued (or deemed issued by a grant) through the anti-dilution
/// clauses: `(shares as common, consideration, fees)`; where the log of
/// adjustments stood before them.
fn deemed_issue(
    s: &mut Scenario,
    (shares, gross, fees): (Decimal, Decimal, Decimal),
    excluded: Option<&Spanned<String>>,
    span: crate::ir::Span,
    (text, date): (&str, NaiveDate),
) -> Result<usize, Problem> {
    let start = s.log.len();
    antidilution::adjust(
        s,
        &Issuance {
            shares,
            gross,
            fees,
            excluded,
            implicit: &[],
            span,
            text,
            date,
        },
    )?;
    Ok(start)
}

/// Declared but unpaid dividends per share of class `c` once it has `after`
/// shares: they are owed to the shares of record when declared, so the new
/// shares take none and the class's total stays what it was, spread over
/// all its shares. Where named holders hold the class the spreading would
/// hand part of their dividends to the new shares, so that is refused.
fn owed_after_issue(
    s: &Scenario,
    id: usize,
    c: &crate::ir::Class,
    after: Decimal,
) -> Result<Decimal, Kind> {
    let cumulative = s
        .charter
        .dividends
        .as_ref()
        .is_some_and(|d| d.cumulative.get(id).is_some_and(Option::is_some));
    if cumulative {
        // Accrual is worked out per share from the class's issue date; a
        // share issued later accrues from its own.
        return Err(Kind::Unsupported(format!(
            "{}'s cumulative dividends accrue on each share from its issue, and charter works them out from the series' one issue date: issuing more {} is not supported yet",
            c.name, c.name
        )));
    }
    if c.declared_dividends.is_zero() || after.is_zero() {
        return Ok(c.declared_dividends);
    }
    if s.charter.holders.iter().any(|h| h.class == id) {
        return Err(Kind::Unsupported(format!(
            "{} has declared dividends unpaid ({} a share) owed to its holders of record, some of them named: issuing more {} before they are paid is not supported yet, since the new shares are owed none of them",
            c.name,
            crate::num::exact_dollars(c.declared_dividends),
            c.name
        )));
    }
    c.declared_dividends
        .mul(c.outstanding, "declared dividends owed")?
        .div(after, "declared dividends per share")
}
