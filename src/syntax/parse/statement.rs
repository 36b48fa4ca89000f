//! Statements of the query language: one builder for every statement form.

use super::*;

pub(super) fn statement(stmt: P) -> Result<Query, Problem> {
    let rule = stmt.as_rule();
    let span = Span::new(stmt.as_span().start(), stmt.as_span().end());
    let mut inner = stmt.into_inner();
    Ok(match rule {
        Rule::payout_query => {
            let amount = amount(next(&mut inner)?)?;
            let event = inner.next().map(event_ref).transpose()?;
            Query::Payout { amount, event }
        }
        Rule::breakpoints_query => {
            let (mut event, mut upto) = (None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::up_to => upto = Some(amount(next(&mut p.into_inner())?)?),
                    _ => event = Some(event_ref(p)?),
                }
            }
            Query::Breakpoints { event, upto, span }
        }
        Rule::curve_query => {
            let from = amount(next(&mut inner)?)?;
            let to = amount(next(&mut inner)?)?;
            let (mut step, mut event) = (None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::curve_steps => {
                        step = Some(CurveStep::Steps(decimal(next(&mut p.into_inner())?)?))
                    }
                    Rule::curve_by => {
                        step = Some(CurveStep::By(amount(next(&mut p.into_inner())?)?))
                    }
                    _ => event = Some(event_ref(p)?),
                }
            }
            Query::Curve {
                from,
                to,
                step,
                event,
            }
        }
        Rule::issue_event => {
            let count = decimal(next(&mut inner)?)?;
            let class = class_ref(next(&mut inner)?)?;
            let price = decimal(next(&mut inner)?)?;
            let (mut fees, mut date, mut excluded) = (None, None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::event_fees => fees = Some(amount(next(&mut p.into_inner())?)?),
                    Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
                    _ => excluded = Some(text_of(next(&mut p.into_inner())?)),
                }
            }
            Query::Issue {
                count,
                class,
                price,
                fees,
                date,
                excluded,
            }
        }
        Rule::grant_event => {
            let count = decimal(next(&mut inner)?)?;
            let price = decimal(next(&mut inner)?)?;
            let (mut vested, mut date, mut excluded) = (None, None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::vested => vested = Some(decimal(next(&mut p.into_inner())?)?),
                    Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
                    _ => excluded = Some(text_of(next(&mut p.into_inner())?)),
                }
            }
            Query::Grant {
                count,
                price,
                vested,
                date,
                excluded,
            }
        }
        Rule::split_event | Rule::combine_event => {
            let r = next(&mut inner)?;
            let span = span_of(&r);
            let (a, b) = r.as_str().split_once(':').unwrap_or(("1", "1"));
            let new = Spanned {
                node: num::parse_digits(a, span)?,
                span,
            };
            let old = Spanned {
                node: num::parse_digits(b, span)?,
                span,
            };
            let date = inner
                .next()
                .map(|p| next(&mut p.into_inner()).and_then(self::date))
                .transpose()?;
            Query::Split {
                combine: rule == Rule::combine_event,
                new,
                old,
                date,
            }
        }
        Rule::dividend_event => {
            let p = next(&mut inner)?;
            let span = span_of(&p);
            let pct = num::parse_digits(p.as_str().trim_end_matches('%'), span)?;
            if pct <= Decimal::ZERO {
                return Err(Problem::new(
                    Kind::BadNumber("a stock dividend is a percentage above zero".to_string()),
                    span,
                    "this dividend",
                ));
            }
            let date = inner
                .next()
                .map(|p| next(&mut p.into_inner()).and_then(self::date))
                .transpose()?;
            // A dividend of P% in common is a split of (100 + P) : 100.
            let new = pct.checked_add(Decimal::ONE_HUNDRED).ok_or_else(|| {
                Problem::new(
                    Kind::BadNumber(format!("`{pct}%` is too large a stock dividend")),
                    span,
                    "this dividend",
                )
            })?;
            Query::Split {
                combine: false,
                new: Spanned { node: new, span },
                old: Spanned {
                    node: Decimal::ONE_HUNDRED,
                    span,
                },
                date,
            }
        }
        Rule::ipo_event => {
            let price = decimal(next(&mut inner)?)?;
            let gross = amount(next(&mut inner)?)?;
            let (mut net, mut filed, mut date) = (None, None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::ipo_net => net = Some(amount(next(&mut p.into_inner())?)?),
                    Rule::ipo_filed => filed = Some(self::date(next(&mut p.into_inner())?)?),
                    _ => date = Some(self::date(next(&mut p.into_inner())?)?),
                }
            }
            Query::Ipo {
                price,
                gross,
                net,
                filed,
                date,
            }
        }
        Rule::prices_query => Query::Prices,
        Rule::convert_query => {
            let class = class_ref(next(&mut inner)?)?;
            let (mut holder, mut fmv, mut funds) = (None, None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::string => holder = Some(string(p)),
                    Rule::convert_funds => funds = Some(amount(next(&mut p.into_inner())?)?),
                    _ => fmv = Some(decimal(p)?),
                }
            }
            Query::Convert {
                class,
                holder,
                fmv,
                funds,
            }
        }
        Rule::explain_query => Query::Explain {
            class: class_ref(next(&mut inner)?)?,
        },
        Rule::date_statement => Query::On(self::date(next(&mut inner)?)?),
        Rule::approve_conversion => {
            let action = text_of(next(&mut inner)?);
            let (mut price, mut date, mut affecting) = (None, None, Vec::new());
            let mut kept = None;
            let (mut votes, mut holders, mut counted) = (Vec::new(), Vec::new(), false);
            for p in inner {
                match p.as_rule() {
                    Rule::approve_price => price = Some(decimal(next(&mut p.into_inner())?)?),
                    Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
                    Rule::approve_affecting => affecting = class_list(next(&mut p.into_inner())?)?,
                    Rule::approve_kept => {
                        let pct = next(&mut p.into_inner())?;
                        kept = Some(percent(pct)?);
                    }
                    Rule::vote_item => {
                        counted = true;
                        let mut it = p.into_inner();
                        let class = class_ref(next(&mut it)?)?;
                        let pct = next(&mut it)?;
                        votes.push((class, percent(pct)?));
                    }
                    _ => {
                        for h in p.into_inner() {
                            let mut it = h.into_inner();
                            let name = string(next(&mut it)?);
                            holders.push((name, next(&mut it)?.as_str() == "yes"));
                        }
                    }
                }
            }
            Query::Approve {
                action,
                price,
                date,
                affecting,
                kept,
                votes,
                holders,
                counted,
            }
        }
        Rule::votes_query => Query::Votes,
        Rule::declare_dividend => {
            let amount = amount(next(&mut inner)?)?;
            let (mut to, mut date) = (Vec::new(), None);
            for p in inner {
                match p.as_rule() {
                    Rule::declare_to => to = class_list(next(&mut p.into_inner())?)?,
                    _ => date = Some(self::date(next(&mut p.into_inner())?)?),
                }
            }
            Query::Declare { amount, to, date }
        }
        Rule::redeem_event => {
            let date = self::date(next(&mut inner)?)?;
            let (mut funds, mut requests, mut fmv, mut upon_transaction) =
                (None, Vec::new(), None, false);
            for p in inner {
                match p.as_rule() {
                    Rule::redeem_upon => upon_transaction = true,
                    Rule::redeem_funds => funds = Some(amount(next(&mut p.into_inner())?)?),
                    Rule::redeem_requests => {
                        for item in p.into_inner() {
                            let mut it = item.into_inner();
                            let class = class_ref(next(&mut it)?)?;
                            let pct = next(&mut it)?;
                            requests.push((class, percent(pct)?));
                        }
                    }
                    _ => fmv = Some(decimal(p)?),
                }
            }
            Query::Redeem {
                date,
                funds,
                requests,
                fmv,
                upon_transaction,
            }
        }
        Rule::accrued_query => {
            let (mut class, mut date) = (None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::class_ref | Rule::named_class => class = Some(class_ref(p)?),
                    _ => date = Some(self::date(next(&mut p.into_inner())?)?),
                }
            }
            Query::Accrued { class, date }
        }
        Rule::board_query => Query::Board(inner.next().map(decimal).transpose()?),
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn spanned_statement(pair: P) -> Result<Spanned<Query>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: statement(pair)?,
        span,
    })
}
