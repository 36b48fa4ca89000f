//! From text to the typed syntax tree: pest parses, and one function per
//! grammar rule builds the node, reading literals exactly (a figure too large
//! for exact arithmetic is an error at its span here, at parse time).

use chrono::NaiveDate;
use pest::Parser as _;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::expected::syntax_problem;
use crate::diagnostic::{Kind, Problem};
use crate::num;

pub use super::grammar::{CharterParser, Rule};

type P<'a> = Pair<'a, Rule>;

/// Parses a whole `.charter` file.
pub fn parse_file(text: &str) -> Result<File, Problem> {
    parse_items(Rule::file, text)
}

/// Parses a companion `NAME.charter.test` file: `expect` and `snapshot`
/// blocks only.
pub fn parse_test_file(text: &str) -> Result<File, Problem> {
    parse_items(Rule::test_file, text)
}

fn parse_items(rule: Rule, text: &str) -> Result<File, Problem> {
    pest::set_error_detail(true);
    let mut pairs = CharterParser::parse(rule, text).map_err(|e| syntax_problem(e, text, false))?;
    let file = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let mut items = Vec::new();
    for pair in file.into_inner() {
        if pair.as_rule() == Rule::EOI {
            continue;
        }
        let span = span_of(&pair);
        items.push(Spanned {
            node: item(pair)?,
            span,
        });
    }
    Ok(File { items })
}

/// Parses one statement of the query language.
pub fn parse_query(text: &str) -> Result<Query, Problem> {
    pest::set_error_detail(true);
    let mut pairs =
        CharterParser::parse(Rule::query, text).map_err(|e| syntax_problem(e, text, true))?;
    let q = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let stmt = q
        .into_inner()
        .find(|p| p.as_rule() != Rule::EOI)
        .ok_or_else(|| internal("empty query"))?;
    statement(stmt)
}

fn statement(stmt: P) -> Result<Query, Problem> {
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

/// Parses an exit amount given on its own (`$50M`).
pub fn parse_amount_text(text: &str) -> Result<Spanned<Decimal>, Problem> {
    let text = text.trim();
    if num::shell_remains(text) {
        return Err(num::shell_problem(text, Span::new(0, text.len())));
    }
    let mut pairs = CharterParser::parse(Rule::amount_only, text).map_err(|e| {
        syntax_problem(e, text, false).with_help(
            "write an amount such as `50000000`, `$50,000,000`, `$50M`, `$1.5B` or `$750K`",
        )
    })?;
    let top = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let a = top
        .into_inner()
        .find(|p| p.as_rule() == Rule::amount)
        .ok_or_else(|| internal("no amount"))?;
    amount(a)
}

fn item(pair: P) -> Result<Item, Problem> {
    Ok(match pair.as_rule() {
        Rule::header => Item::Header(header(pair)?),
        Rule::stock => Item::Stock(stock(pair)?),
        Rule::holders => Item::Holders(
            pair.into_inner()
                .map(|h| {
                    let span = span_of(&h);
                    holding(h).map(|node| Spanned { node, span })
                })
                .collect::<Result<_, _>>()?,
        ),
        Rule::pool => Item::Pool(pool(pair)?),
        Rule::liquidation => Item::Liquidation(liquidation(pair)?),
        Rule::deemed => Item::Deemed(deemed(pair)?),
        Rule::conversion => Item::Conversion(conversion(pair)?),
        Rule::antidilution => Item::AntiDilution(antidilution(pair)?),
        Rule::voting => {
            let (cite, clauses, readings) = block(pair.into_inner(), voting_clause)?;
            Item::Voting(Voting {
                cite,
                clauses,
                readings,
            })
        }
        Rule::protective => {
            let (cite, clauses, readings) = block(pair.into_inner(), protective_clause)?;
            Item::Protective(Protective {
                cite,
                clauses,
                readings,
            })
        }
        Rule::redemption => {
            let (cite, clauses, readings) = block(pair.into_inner(), redemption_clause)?;
            Item::Redemption(Redemption {
                cite,
                clauses,
                readings,
            })
        }
        Rule::dividends => {
            let (cite, clauses, readings) = block(pair.into_inner(), dividend_clause)?;
            Item::Dividends(Dividends {
                cite,
                clauses,
                readings,
            })
        }
        Rule::expect_block => Item::Expect(expect_block(pair)?),
        Rule::snapshot_block => {
            let mut inner = pair.into_inner();
            let name = string(next(&mut inner)?);
            let mut cite = None;
            let mut statements = Vec::new();
            for p in inner {
                if p.as_rule() == Rule::section {
                    cite = Some(section(p));
                } else {
                    statements.push(spanned_statement(p)?);
                }
            }
            Item::Snapshot(Snapshot {
                name,
                cite,
                statements,
            })
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn spanned_statement(pair: P) -> Result<Spanned<Query>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: statement(pair)?,
        span,
    })
}

fn expect_block(pair: P) -> Result<Expect, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let section = section(next(&mut inner)?);
    let mut quoting = None;
    let mut readings = Vec::new();
    let mut steps = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::quoting => {
                let span = span_of(&p);
                let words: Vec<String> = p.into_inner().map(|s| string(s).node).collect();
                quoting = Some(Spanned {
                    node: words.join(" "),
                    span,
                });
            }
            Rule::claim => {
                let span = span_of(&p);
                let mut it = p.into_inner();
                let body = claim(next(&mut it)?)?;
                steps.push(Step::Claim(Clause {
                    node: body,
                    span,
                    cite: it.next().map(self::section),
                    reading: None,
                }));
            }
            Rule::under_reading => {
                let mut it = p.into_inner();
                let reading = string(next(&mut it)?);
                readings.push((reading, string(next(&mut it)?)));
            }
            _ => steps.push(Step::Statement(spanned_statement(p)?)),
        }
    }
    Ok(Expect {
        name,
        section,
        quoting,
        readings,
        steps,
    })
}

fn claim(pair: P) -> Result<Claim, Problem> {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().peekable();
    // `about`, where a claim allows it, comes right before the figure.
    let about = |it: &mut std::iter::Peekable<pest::iterators::Pairs<'_, Rule>>| {
        it.next_if(|p| p.as_rule() == Rule::about).is_some()
    };
    Ok(match rule {
        Rule::receives_claim => {
            let who = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let fig = next(&mut inner)?;
            let figure = match fig.as_rule() {
                Rule::shares_figure => Figure::Shares(decimal(next(&mut fig.into_inner())?)?),
                _ => {
                    let mut it = fig.into_inner();
                    let value = decimal(next(&mut it)?)?;
                    if it.next().is_some() {
                        Figure::PerShare(value)
                    } else {
                        Figure::Money(value)
                    }
                }
            };
            Claim::Receives { who, about, figure }
        }
        Rule::converts_claim | Rule::not_converts_claim => Claim::Converts {
            class: class_ref(next(&mut inner)?)?,
            yes: rule == Rule::converts_claim,
        },
        Rule::price_claim | Rule::ratio_claim => {
            let class = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            if rule == Rule::price_claim {
                Claim::ConversionPrice {
                    class,
                    about,
                    value,
                }
            } else {
                Claim::ConversionRatio {
                    class,
                    about,
                    value,
                }
            }
        }
        Rule::passes_claim => Claim::Passes,
        Rule::fails_claim => Claim::Fails {
            on: inner.map(section).collect(),
        },
        Rule::accrued_claim => {
            let class = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            Claim::Accrued {
                class,
                about,
                value,
            }
        }
        Rule::votes_claim => {
            let who = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            Claim::Votes { who, about, value }
        }
        Rule::elects_claim => Claim::Elects {
            who: class_list(next(&mut inner)?)?,
            seats: decimal(next(&mut inner)?)?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn header(pair: P) -> Result<Header, Problem> {
    let mut inner = pair.into_inner();
    let company = string(next(&mut inner)?);
    let mut h = Header {
        company,
        filed: None,
        jurisdiction: None,
        source: None,
        cite: None,
    };
    for p in inner {
        match p.as_rule() {
            Rule::section => h.cite = Some(section(p)),
            Rule::filed => h.filed = Some(date(next(&mut p.into_inner())?)?),
            Rule::jurisdiction => {
                let v = next(&mut p.into_inner())?;
                h.jurisdiction = Some(if v.as_rule() == Rule::string {
                    string(v)
                } else {
                    text_of(v)
                });
            }
            Rule::source_doc => h.source = Some(string(next(&mut p.into_inner())?)),
            r => return Err(internal(&format!("unexpected {r:?}"))),
        }
    }
    Ok(h)
}

fn stock(pair: P) -> Result<Stock, Problem> {
    let mut inner = pair.into_inner();
    let ident = text_of(next(&mut inner)?);
    let mut s = Stock {
        ident,
        display: None,
        cite: None,
        fields: Vec::new(),
    };
    for p in inner {
        match p.as_rule() {
            Rule::string => s.display = Some(string(p)),
            Rule::section => s.cite = Some(section(p)),
            _ => {
                let span = span_of(&p);
                s.fields.push(Spanned {
                    node: stock_field(p)?,
                    span,
                });
            }
        }
    }
    Ok(s)
}

fn stock_field(pair: P) -> Result<StockField, Problem> {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    let first = inner.next();
    let cite = inner.next().map(section).or_else(|| {
        first
            .as_ref()
            .filter(|f| f.as_rule() == Rule::section)
            .map(|f| section(f.clone()))
    });
    let value = |f: Option<P>| -> Result<Spanned<Decimal>, Problem> {
        let f = f.ok_or_else(|| internal("missing value"))?;
        decimal(f)
    };
    Ok(match rule {
        Rule::kind_common => StockField::Kind(StockKind::Common, cite),
        Rule::kind_preferred => StockField::Kind(StockKind::Preferred, cite),
        Rule::authorized => StockField::Authorized(value(first)?, cite),
        Rule::par => StockField::Par(value(first)?, cite),
        Rule::outstanding => StockField::Outstanding(value(first)?, cite),
        Rule::issue_price => StockField::IssuePrice(value(first)?, cite),
        Rule::conversion_price => StockField::ConversionPrice(value(first)?, cite),
        Rule::conversion_ratio => StockField::ConversionRatio(value(first)?, cite),
        Rule::declared_dividends => StockField::DeclaredDividends(value(first)?, cite),
        Rule::issued_on => {
            StockField::Issued(date(first.ok_or_else(|| internal("missing date"))?)?, cite)
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn holding(pair: P) -> Result<Holding, Problem> {
    let mut inner = pair.into_inner();
    Ok(Holding {
        name: string(next(&mut inner)?),
        shares: decimal(next(&mut inner)?)?,
        class: class_ref(next(&mut inner)?)?,
    })
}

fn pool(pair: P) -> Result<Pool, Problem> {
    let mut inner = pair.into_inner();
    let kind = match next(&mut inner)?.as_str() {
        "options" => PoolKind::Options,
        _ => PoolKind::Warrants,
    };
    let name = string(next(&mut inner)?);
    let count = decimal(next(&mut inner)?)?;
    let class = class_ref(next(&mut inner)?)?;
    let strike = decimal(next(&mut inner)?)?;
    let mut vested = None;
    let mut cite = None;
    for p in inner {
        match p.as_rule() {
            Rule::vested => vested = Some(decimal(next(&mut p.into_inner())?)?),
            _ => cite = Some(section(p)),
        }
    }
    Ok(Pool {
        kind,
        name,
        count,
        class,
        strike,
        vested,
        cite,
    })
}

fn liquidation(pair: P) -> Result<Liquidation, Problem> {
    let (cite, clauses, readings) = block(pair.into_inner(), liquidation_clause)?;
    Ok(Liquidation {
        cite,
        clauses,
        readings,
    })
}

/// A block's citation, clauses and readings.
type Block<T> = (Cite, Vec<Clause<T>>, Vec<Reading>);

/// The citation, clauses and readings of a block, from the pairs after its
/// name. A reading's clauses join the block's, each marked with its
/// alternative; the checker keeps those of the alternatives chosen.
fn block<'a, T>(
    pairs: impl Iterator<Item = P<'a>>,
    build: fn(Rule, Vec<P>) -> Result<T, Problem>,
) -> Result<Block<T>, Problem> {
    let mut cite = None;
    let mut clauses = Vec::new();
    let mut readings = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::section => cite = Some(section(p)),
            r if is_reading(r) => readings.push(reading(p, build, &mut clauses)?),
            _ => clauses.push(clause(p, build)?),
        }
    }
    Ok((cite, clauses, readings))
}

/// Whether `r` is a block's `reading` group.
fn is_reading(r: Rule) -> bool {
    matches!(
        r,
        Rule::liquidation_reading
            | Rule::deemed_reading
            | Rule::conversion_reading
            | Rule::antidilution_reading
            | Rule::dividends_reading
            | Rule::redemption_reading
            | Rule::voting_reading
            | Rule::protective_reading
    )
}

/// A `reading` group: its declaration, with its clauses pushed to `clauses`.
fn reading<T>(
    pair: P,
    build: fn(Rule, Vec<P>) -> Result<T, Problem>,
    clauses: &mut Vec<Clause<T>>,
) -> Result<Reading, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let mut cite = None;
    let mut quoting = None;
    let mut alternatives = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::section => cite = Some(section(p)),
            Rule::quoting => {
                let words: Vec<String> = p.into_inner().map(|s| string(s).node).collect();
                quoting = Some(words.join(" "));
            }
            _ => {
                let mut alt = p.into_inner();
                let alt_name = string(next(&mut alt)?);
                for c in alt {
                    let mut c = clause(c, build)?;
                    c.reading = Some(Alternative {
                        reading: name.node.clone(),
                        name: alt_name.node.clone(),
                    });
                    clauses.push(c);
                }
                alternatives.push(alt_name);
            }
        }
    }
    Ok(Reading {
        name,
        cite,
        quoting,
        alternatives,
    })
}

/// Builds a clause node, splitting off its trailing citation.
fn clause<T>(pair: P, build: fn(Rule, Vec<P>) -> Result<T, Problem>) -> Result<Clause<T>, Problem> {
    let span = span_of(&pair);
    let rule = pair.as_rule();
    let mut parts: Vec<P> = pair.into_inner().collect();
    let cite = match parts.last() {
        Some(last) if last.as_rule() == Rule::section => parts.pop().map(section),
        _ => None,
    };
    Ok(Clause {
        node: build(rule, parts)?,
        span,
        cite,
        reading: None,
    })
}

fn liquidation_clause(rule: Rule, parts: Vec<P>) -> Result<LiquidationClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::seniority => {
            let left = class_list(next(&mut it)?)?;
            let relation = match next(&mut it)?.into_inner().next().map(|p| p.as_rule()) {
                Some(Rule::senior_to) => Relation::SeniorTo,
                Some(Rule::junior_to) => Relation::JuniorTo,
                _ => Relation::PariPassu,
            };
            let right = class_list(next(&mut it)?)?;
            LiquidationClause::Seniority {
                left,
                relation,
                right,
            }
        }
        Rule::preference => {
            let classes = class_list(next(&mut it)?)?;
            let amount = per_share(next(&mut it)?)?;
            let plus_dividends = match it.next() {
                None => PlusDividends::None,
                Some(p) if p.clone().into_inner().next().is_some() => {
                    PlusDividends::AccruedAndDeclared
                }
                Some(_) => PlusDividends::Declared,
            };
            LiquidationClause::Preference {
                classes,
                amount,
                plus_dividends,
            }
        }
        Rule::shortfall => {
            let classes = class_list(next(&mut it)?)?;
            let rule = match next(&mut it)?.into_inner().next().map(|p| p.as_rule()) {
                Some(Rule::by_preference) => ShortfallRule::ByPreference,
                Some(Rule::by_issue_price) => ShortfallRule::ByIssuePrice,
                _ => ShortfallRule::ByShares,
            };
            LiquidationClause::Shortfall { classes, rule }
        }
        Rule::participation => {
            let classes = class_list(next(&mut it)?)?;
            let how = next(&mut it)?;
            let participation = if how.as_rule() == Rule::no_participation {
                Participation::None
            } else {
                let mut cap = None;
                let mut while_under = None;
                for p in how.into_inner() {
                    let span = span_of(&p);
                    match p.as_rule() {
                        Rule::cap => {
                            let mut ci = p.into_inner();
                            let amount = per_share(next(&mut ci)?)?;
                            let in_total = ci
                                .next()
                                .and_then(|k| k.into_inner().next())
                                .map(|k| k.as_rule() == Rule::in_total);
                            cap = Some(Spanned {
                                node: Cap { amount, in_total },
                                span,
                            });
                        }
                        Rule::condition => {
                            let m = next(&mut p.into_inner())?;
                            while_under = Some(multiple(m)?);
                        }
                        r => return Err(internal(&format!("unexpected {r:?}"))),
                    }
                }
                Participation::Participates { cap, while_under }
            };
            LiquidationClause::Participation {
                classes,
                participation,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn deemed(pair: P) -> Result<Deemed, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let (cite, clauses, readings) = block(inner, deemed_clause)?;
    Ok(Deemed {
        name,
        cite,
        clauses,
        readings,
    })
}

fn deemed_clause(rule: Rule, parts: Vec<P>) -> Result<DeemedClause, Problem> {
    Ok(match rule {
        Rule::deemed_on => DeemedClause::On(
            parts
                .into_iter()
                .map(|p| {
                    let span = span_of(&p);
                    EventKind::from_word(p.as_str())
                        .map(|node| Spanned { node, span })
                        .ok_or_else(|| internal("unknown event kind"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Rule::deemed_election => {
            let mut it = parts.into_iter();
            let threshold = threshold(next(&mut it)?)?;
            let classes = class_list(next(&mut it)?)?;
            DeemedClause::Election { threshold, classes }
        }
        Rule::deemed_unless => DeemedClause::UnlessContinuity,
        other => DeemedClause::Terms(liquidation_clause(other, parts)?),
    })
}

fn conversion(pair: P) -> Result<Conversion, Problem> {
    let (cite, clauses, readings) = block(pair.into_inner(), conversion_clause)?;
    Ok(Conversion {
        cite,
        clauses,
        readings,
    })
}

fn conversion_clause(rule: Rule, parts: Vec<P>) -> Result<ConversionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::no_conversion => ConversionClause::None(class_list(next(&mut it)?)?),
        Rule::optional_conversion => ConversionClause::Optional(class_list(next(&mut it)?)?),
        Rule::group_conversion => {
            let classes = class_list(next(&mut it)?)?;
            let threshold = threshold(next(&mut it)?)?;
            let electors = class_list(next(&mut it)?)?;
            ConversionClause::Group {
                classes,
                threshold,
                electors,
            }
        }
        Rule::conversion_cash => {
            let mut items = Vec::new();
            let mut plus_dividends = false;
            let mut ahead_of = Vec::new();
            for p in it {
                if p.as_rule() == Rule::plus_dividends {
                    plus_dividends = true;
                    continue;
                }
                if p.as_rule() == Rule::cash_ahead {
                    ahead_of = class_list(next(&mut p.into_inner())?)?;
                    continue;
                }
                let mut ci = p.into_inner();
                let class = class_ref(next(&mut ci)?)?;
                let cash = decimal(next(&mut ci)?)?;
                items.push((class, cash));
            }
            ConversionClause::Cash {
                items,
                plus_dividends,
                ahead_of,
            }
        }
        Rule::cash_shortfall => ConversionClause::CashShortfall,
        Rule::fractional_shares => {
            let mode = fraction_mode(next(&mut it)?);
            ConversionClause::Fractional {
                mode,
                aggregated: it.next().is_some(),
            }
        }
        Rule::automatic_ipo => {
            let classes = class_list(next(&mut it)?)?;
            let tests = it.map(ipo_test).collect::<Result<_, _>>()?;
            ConversionClause::AutomaticIpo { classes, tests }
        }
        Rule::automatic_vote => {
            let classes = class_list(next(&mut it)?)?;
            let threshold = threshold(next(&mut it)?)?;
            let scope_pair = next(&mut next(&mut it)?.into_inner())?;
            let scope = match scope_pair.as_rule() {
                Rule::each_of => VoteScope::Each(class_list(next(&mut scope_pair.into_inner())?)?),
                Rule::one_class => {
                    VoteScope::Each(vec![class_ref(next(&mut scope_pair.into_inner())?)?])
                }
                _ => {
                    let mut si = scope_pair.into_inner();
                    let list = class_list(next(&mut si)?)?;
                    VoteScope::Together(list, si.next().is_some())
                }
            };
            ConversionClause::AutomaticVote {
                classes,
                threshold,
                scope,
            }
        }
        Rule::ipo_ratchet => ConversionClause::IpoRatchet {
            class: class_ref(next(&mut it)?)?,
            below: decimal(next(&mut it)?)?,
            numerator: decimal(next(&mut it)?)?,
        },
        Rule::ipo_reset => {
            let class = class_ref(next(&mut it)?)?;
            let pct = next(&mut it)?;
            let fraction = percent(pct)?;
            let within = duration(next(&mut it)?)?;
            let lower_only = it.next().is_some_and(|p| p.as_rule() == Rule::lower_only);
            ConversionClause::IpoReset {
                class,
                fraction,
                within,
                lower_only,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

/// A fixed price, or a multiple of a class's price.
fn price_minimum(m: P) -> Result<PriceMinimum, Problem> {
    if m.as_rule() == Rule::money {
        return Ok(PriceMinimum::Fixed(decimal(m)?));
    }
    let mut mi = m.into_inner();
    let multiple = self::multiple(next(&mut mi)?)?;
    let basis = match next(&mut mi)?.into_inner().next().map(|b| b.as_rule()) {
        Some(Rule::basis_issue) => PriceBasis::IssuePrice,
        _ => PriceBasis::ConversionPrice,
    };
    let of = mi.next().map(class_ref).transpose()?;
    Ok(PriceMinimum::Multiple {
        multiple,
        basis,
        of,
    })
}

fn ipo_test(pair: P) -> Result<Spanned<IpoTest>, Problem> {
    let span = span_of(&pair);
    let test = next(&mut pair.into_inner())?;
    let rule = test.as_rule();
    let mut it = test.into_inner();
    let node = match rule {
        Rule::price_test => {
            let strict = next(&mut it)?.as_str() == ">";
            let minimums = it.map(price_minimum).collect::<Result<_, _>>()?;
            IpoTest::Price { strict, minimums }
        }
        _ => {
            let net = next(&mut it)?.as_str() == "net";
            let strict = next(&mut it)?.as_str() == ">";
            let minimum = amount(next(&mut it)?)?;
            IpoTest::Proceeds {
                net,
                strict,
                minimum,
            }
        }
    };
    Ok(Spanned { node, span })
}

fn duration(pair: P) -> Result<Spanned<Duration>, Problem> {
    let span = span_of(&pair);
    let mut it = pair.into_inner();
    let n = decimal(next(&mut it)?)?;
    let count = if n.node.fract().is_zero() {
        u32::try_from(n.node.trunc().mantissa()).ok()
    } else {
        None
    }
    .ok_or_else(|| {
        Problem::new(
            Kind::BadNumber(format!(
                "`{}` is not a whole number of days, months or years",
                n.node
            )),
            n.span,
            "here",
        )
    })?;
    let node = match next(&mut it)?.as_str() {
        "day" | "days" => Duration::Days(count),
        "month" | "months" => Duration::Months(count),
        _ => Duration::Years(count),
    };
    Ok(Spanned { node, span })
}

fn antidilution(pair: P) -> Result<AntiDilution, Problem> {
    let mut inner = pair.into_inner();
    let classes = class_list(next(&mut inner)?)?;
    let (cite, clauses, readings) = block(inner, antidilution_clause)?;
    Ok(AntiDilution {
        classes,
        cite,
        clauses,
        readings,
    })
}

fn antidilution_clause(rule: Rule, parts: Vec<P>) -> Result<AntiDilutionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::weighted_average => AntiDilutionClause::WeightedAverage(
            it.map(|b| {
                let span = span_of(&b);
                let node = match b.into_inner().next().map(|x| x.as_rule()) {
                    Some(Rule::basis_common) => Basis::Common,
                    Some(Rule::basis_preferred) => Basis::Preferred,
                    Some(Rule::basis_vested_options) => Basis::VestedOptions,
                    Some(Rule::basis_options) => Basis::Options,
                    _ => Basis::Convertibles,
                };
                Spanned { node, span }
            })
            .collect(),
        ),
        Rule::full_ratchet => {
            let mut classes = Vec::new();
            let mut window = None;
            for p in it {
                match p.as_rule() {
                    Rule::class_list => classes = class_list(p)?,
                    _ => window = Some(duration(p)?),
                }
            }
            AntiDilutionClause::FullRatchet { classes, window }
        }
        Rule::rounding => {
            let mut weighted_only = false;
            let mut share_tenths = false;
            let mut unit = RoundingUnit::Cent;
            for p in it {
                match p.as_rule() {
                    Rule::rounding_scope => weighted_only = true,
                    Rule::share_tenths => share_tenths = true,
                    Rule::hundredth_cent => unit = RoundingUnit::HundredthCent,
                    _ => unit = RoundingUnit::Cent,
                }
            }
            AntiDilutionClause::Rounding {
                unit,
                weighted_only,
                share_tenths,
            }
        }
        Rule::excluded => {
            let category = text_of(next(&mut it)?);
            let cap = it.next().map(decimal).transpose()?;
            AntiDilutionClause::Excluded { category, cap }
        }
        Rule::minimum_adjustment => {
            let amount = decimal(next(&mut it)?)?;
            let carry = it.next().map(duration).transpose()?;
            AntiDilutionClause::MinimumAdjustment { amount, carry }
        }
        Rule::consideration => AntiDilutionClause::Consideration {
            net: next(&mut it)?.as_rule() == Rule::net_of_fees,
        },
        Rule::splits => AntiDilutionClause::Splits,
        Rule::issue_price_follows => AntiDilutionClause::IssuePriceFollows {
            splits_only: it
                .next()
                .is_some_and(|p| p.as_rule() == Rule::follows_splits),
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn redemption_clause(rule: Rule, parts: Vec<P>) -> Result<RedemptionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::redemption_schedule => {
            let classes = class_list(next(&mut it)?)?;
            let trigger = next(&mut next(&mut it)?.into_inner())?;
            let election = if trigger.as_rule() == Rule::class_election {
                let mut ti = trigger.into_inner();
                let t = threshold(next(&mut ti)?)?;
                Some((t, class_list(next(&mut ti)?)?))
            } else {
                None
            };
            let mut tranches = Vec::new();
            for t in it {
                let span = span_of(&t);
                let mut ti = t.into_inner();
                let amount = next(&mut ti)?;
                let (fraction, carry_over) = if amount.as_rule() == Rule::tranche_all {
                    (None, Carry::None)
                } else {
                    let mut ai = amount.into_inner();
                    let f = next(&mut ai)?;
                    let fspan = span_of(&f);
                    let frac = if f.as_rule() == Rule::percent {
                        (
                            // At most 1 (100%): the product fits.
                            num::parse_percent(f.as_str(), fspan)?
                                .saturating_mul(Decimal::ONE_HUNDRED),
                            Decimal::ONE_HUNDRED,
                        )
                    } else {
                        let (n, d) = f.as_str().split_once('/').unwrap_or(("0", "1"));
                        let (n, d) = (num::parse_digits(n, fspan)?, num::parse_digits(d, fspan)?);
                        if d.is_zero() || n > d {
                            return Err(Problem::new(
                                Kind::BadPercent(f.as_str().to_string()),
                                fspan,
                                "not a fraction of the shares",
                            ));
                        }
                        (n, d)
                    };
                    let carry = match ai.next() {
                        None => Carry::None,
                        Some(c) if c.as_rule() == Rule::in_all => Carry::InAll,
                        Some(c) => match c.into_inner().next() {
                            Some(_) => Carry::AllEligible,
                            None => Carry::Unredeemed,
                        },
                    };
                    (Some(frac), carry)
                };
                let w = next(&mut ti)?;
                let when = if w.as_rule() == Rule::date {
                    When::Date(date(w)?.node)
                } else if w.as_rule() == Rule::upon_transaction {
                    When::Transaction
                } else {
                    let n = decimal(next(&mut w.into_inner())?)?;
                    When::Anniversary(u32::try_from(n.node.trunc().mantissa()).unwrap_or(0))
                };
                tranches.push(Spanned {
                    node: Tranche {
                        fraction,
                        carry_over,
                        when,
                    },
                    span,
                });
            }
            RedemptionClause::Schedule {
                classes,
                election,
                tranches,
            }
        }
        Rule::redemption_price => RedemptionClause::Price {
            classes: class_list(next(&mut it)?)?,
            greater_of_value: next(&mut it)?.as_rule() == Rule::price_greater,
        },
        Rule::redemption_order => RedemptionClause::Order {
            first: class_list(next(&mut it)?)?,
            then: class_list(next(&mut it)?)?,
        },
        Rule::redemption_shortfall => RedemptionClause::Shortfall {
            by_amount: next(&mut it)?.as_rule() == Rule::by_amount,
        },
        Rule::redemption_penalty => {
            let rate = percent(next(&mut it)?)?;
            let part_year = it
                .find(|p| p.as_rule() == Rule::part_year)
                .and_then(|p| p.into_inner().next())
                .map(|p| match p.as_rule() {
                    Rule::part_not_counted => PartYear::NotCounted,
                    _ => PartYear::ProRata,
                });
            RedemptionClause::Penalty { rate, part_year }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn dividend_clause(rule: Rule, parts: Vec<P>) -> Result<DividendClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::dividend_rates => {
            let mut items = Vec::new();
            let mut from_first = false;
            for item in it {
                if item.as_rule() == Rule::year_from_first {
                    from_first = true;
                    continue;
                }
                let mut ci = item.into_inner();
                items.push((class_ref(next(&mut ci)?)?, decimal(next(&mut ci)?)?));
            }
            DividendClause::Rates { items, from_first }
        }
        Rule::cumulative_dividend => {
            let class = class_ref(next(&mut it)?)?;
            let p = next(&mut it)?;
            let rate = percent(p)?;
            let day_count = match next(&mut it)?.into_inner().next().map(|k| k.as_rule()) {
                Some(Rule::actual_actual) => DayCount::ActualActual,
                _ => DayCount::Actual365,
            };
            let compounding = next(&mut it)?.into_inner().next().map(|k| k.as_rule())
                == Some(Rule::compounding_accrual);
            DividendClause::Cumulative {
                class,
                rate,
                day_count,
                compounding,
            }
        }
        Rule::dividend_priority => DividendClause::Priority {
            first: class_list(next(&mut it)?)?,
            then: class_list(next(&mut it)?)?,
        },
        Rule::dividend_sharing => DividendClause::Sharing(class_list(next(&mut it)?)?),
        Rule::dividend_beyond => DividendClause::Beyond(class_list(next(&mut it)?)?),
        Rule::dividend_greater => DividendClause::Greater {
            classes: class_list(next(&mut it)?)?,
            common: class_ref(next(&mut it)?)?,
        },
        Rule::dividend_blocker => DividendClause::Blocker {
            common: class_ref(next(&mut it)?)?,
            preferred: class_list(next(&mut it)?)?,
        },
        Rule::dividend_waiver => DividendClause::Waiver {
            class: class_ref(next(&mut it)?)?,
            half_above: multiple(next(&mut it)?)?,
            all_at: multiple(next(&mut it)?)?,
        },
        Rule::dividend_in_kind => DividendClause::InKind {
            class: class_ref(next(&mut it)?)?,
            shares_of: class_ref(next(&mut it)?)?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn voting_clause(rule: Rule, parts: Vec<P>) -> Result<VotingClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::votes_per_share => VotingClause::Votes {
            classes: class_list(next(&mut it)?)?,
            per_share: decimal(next(&mut it)?)?,
            as_converted: it.next().is_some(),
        },
        Rule::non_voting => VotingClause::NonVoting(class_list(next(&mut it)?)?),
        Rule::fractional_votes => {
            let mode = fraction_mode(next(&mut it)?);
            VotingClause::Fractional {
                mode,
                aggregated: it.next().is_some(),
            }
        }
        Rule::board_seats => VotingClause::Board(it.map(seat).collect::<Result<_, _>>()?),
        Rule::cumulative_voting => VotingClause::Cumulative,
        Rule::voting_shift => VotingClause::Shift {
            minimum: decimal(next(&mut it)?)?,
            seats: it.map(seat).collect::<Result<_, _>>()?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn seat(pair: P) -> Result<Spanned<Seat>, Problem> {
    let span = span_of(&pair);
    let mut it = pair.into_inner();
    let mut electors_pair = next(&mut it)?.into_inner();
    let electors = class_list(next(&mut electors_pair)?)?;
    let as_converted = electors_pair.next().is_some();
    let c = next(&mut it)?;
    let count = match c.as_rule() {
        Rule::seat_rest => SeatCount::Rest,
        Rule::seat_count => SeatCount::Fixed(decimal(next(&mut c.into_inner())?)?),
        _ => {
            let f = next(&mut c.into_inner())?;
            let fspan = span_of(&f);
            let (n, d) = f.as_str().split_once('/').unwrap_or(("0", "1"));
            let n = num::parse_digits(n, fspan)?;
            let d = num::parse_digits(d, fspan)?;
            if d.is_zero() || n > d {
                return Err(Problem::new(
                    Kind::BadPercent(f.as_str().to_string()),
                    fspan,
                    "not a fraction of the board",
                ));
            }
            SeatCount::Share(Spanned {
                node: (n, d),
                span: fspan,
            })
        }
    };
    Ok(Spanned {
        node: Seat {
            electors,
            as_converted,
            count,
        },
        span,
    })
}

fn protective_clause(rule: Rule, parts: Vec<P>) -> Result<ProtectiveClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::action_definition => ProtectiveClause::Action {
            name: text_of(next(&mut it)?),
            description: string(next(&mut it)?),
        },
        Rule::consent => {
            let (mut parts, mut conditions, mut actions) = (Vec::new(), Vec::new(), Vec::new());
            for p in it {
                let span = span_of(&p);
                match p.as_rule() {
                    Rule::consent_part => parts.push(Spanned {
                        node: consent_part(p)?,
                        span,
                    }),
                    Rule::action_list => actions = p.into_inner().map(text_of).collect(),
                    _ => conditions.push(Spanned {
                        node: consent_condition(p)?,
                        span,
                    }),
                }
            }
            ProtectiveClause::Consent {
                parts,
                conditions,
                actions,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

fn consent_part(pair: P) -> Result<ConsentPart, Problem> {
    let mut it = pair.into_inner();
    let threshold = threshold(next(&mut it)?)?;
    let g = next(&mut next(&mut it)?.into_inner())?;
    let rule = g.as_rule();
    let mut gi = g.into_inner();
    let mut basis = None;
    let mut list = Vec::new();
    for p in gi.by_ref() {
        match p.as_rule() {
            Rule::class_list => list = class_list(p)?,
            _ => {
                basis = Some(match p.into_inner().next().map(|b| b.as_rule()) {
                    Some(Rule::basis_converted) => VoteBasis::AsConverted,
                    Some(Rule::basis_power) => VoteBasis::VotingPower,
                    _ => VoteBasis::Shares,
                })
            }
        }
    }
    let group = match rule {
        Rule::consent_each => ConsentGroup::Each(list),
        Rule::consent_affected => ConsentGroup::Affected,
        _ => ConsentGroup::Together(list),
    };
    Ok(ConsentPart {
        threshold,
        group,
        basis,
    })
}

fn consent_condition(pair: P) -> Result<ConsentCondition, Problem> {
    let rule = pair.as_rule();
    let mut it = pair.into_inner();
    Ok(match rule {
        Rule::while_more_than => ConsentCondition::MoreThan {
            count: decimal(next(&mut it)?)?,
            classes: class_list(next(&mut it)?)?,
        },
        Rule::while_at_least => ConsentCondition::AtLeast {
            count: decimal(next(&mut it)?)?,
            classes: class_list(next(&mut it)?)?,
        },
        Rule::while_any => ConsentCondition::Any(class_list(next(&mut it)?)?),
        Rule::including_holders => {
            let mut holders = Vec::new();
            let mut rest = Vec::new();
            for p in it {
                if p.as_rule() == Rule::string {
                    holders.push(string(p));
                } else {
                    rest.push(p);
                }
            }
            let mut r = rest.into_iter();
            let pct = next(&mut r)?;
            ConsentCondition::Including {
                holders,
                share: percent(pct)?,
                class: class_ref(next(&mut r)?)?,
            }
        }
        Rule::unless_kept => {
            let pct = next(&mut it)?;
            ConsentCondition::UnlessKept(percent(pct)?)
        }
        _ => {
            let multiple = self::multiple(next(&mut it)?)?;
            let class = class_ref(next(&mut it)?)?;
            let until = match it.next() {
                Some(d) => Some((date(d)?, self::multiple(next(&mut it)?)?)),
                None => None,
            };
            ConsentCondition::Price {
                multiple,
                class,
                until,
            }
        }
    })
}

fn fraction_mode(pair: P) -> FractionMode {
    match pair.into_inner().next().map(|p| p.as_rule()) {
        Some(Rule::cash_in_lieu) => FractionMode::CashInLieu,
        Some(Rule::round_nearest) => FractionMode::RoundNearest,
        Some(Rule::round_nearest_tenth) => FractionMode::RoundTenth,
        _ => FractionMode::RoundDown,
    }
}

fn threshold(pair: P) -> Result<Threshold, Problem> {
    let p = next(&mut pair.into_inner())?;
    Ok(match p.as_rule() {
        Rule::majority => Threshold::Majority,
        Rule::ratio_fraction => {
            let span = span_of(&p);
            let (n, d) = p.as_str().split_once('/').unwrap_or(("0", "1"));
            let n = num::parse_digits(n, span)?;
            let d = num::parse_digits(d, span)?;
            if d.is_zero() || n > d {
                return Err(Problem::new(
                    Kind::BadPercent(p.as_str().to_string()),
                    span,
                    "not a fraction between 0 and 1",
                )
                .with_help("write a fraction of holders such as `2/3`"));
            }
            Threshold::Fraction(Spanned { node: (n, d), span })
        }
        _ => {
            let span = span_of(&p);
            Threshold::Percent(Spanned {
                node: num::parse_percent(p.as_str(), span)?,
                span,
            })
        }
    })
}

fn per_share(pair: P) -> Result<PerShare, Problem> {
    let rule = pair.as_rule();
    let v = next(&mut pair.into_inner())?;
    Ok(match rule {
        Rule::of_issue_price => PerShare::IssuePriceMultiple(multiple(v)?),
        _ => PerShare::Fixed(decimal(v)?),
    })
}

fn event_ref(pair: P) -> Result<Spanned<String>, Problem> {
    let v = next(&mut pair.into_inner())?;
    Ok(if v.as_rule() == Rule::string {
        string(v)
    } else {
        text_of(v)
    })
}

fn class_list(pair: P) -> Result<Vec<Spanned<String>>, Problem> {
    pair.into_inner().map(class_ref).collect()
}

/// A class as written: `class_ref` (a name or a quoted name) or, in a
/// statement, `named_class` (which may also be a display name unquoted).
fn class_ref(pair: P) -> Result<Spanned<String>, Problem> {
    let span = span_of(&pair);
    let v = next(&mut pair.into_inner())?;
    let mut s = match v.as_rule() {
        Rule::string => string(v),
        Rule::class_words => Spanned {
            node: v
                .into_inner()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            span,
        },
        _ => text_of(v),
    };
    s.span = span;
    Ok(s)
}

fn decimal(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    if pair.as_str().starts_with('-') {
        return Err(num::negative_problem(pair.as_str(), span));
    }
    let text = pair.as_str().trim_start_matches('$');
    Ok(Spanned {
        node: num::parse_digits(text, span)?,
        span,
    })
}

fn amount(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_amount(pair.as_str(), span)?,
        span,
    })
}

/// A percentage such as `50%`, as a fraction (`0.5`).
fn percent(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_percent(pair.as_str(), span)?,
        span,
    })
}

fn multiple(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_multiple(pair.as_str(), span)?,
        span,
    })
}

/// A `YYYY-MM-DD` date that exists on the calendar.
fn date(pair: P) -> Result<Spanned<NaiveDate>, Problem> {
    let d = text_of(pair);
    match NaiveDate::parse_from_str(&d.node, "%Y-%m-%d") {
        Ok(node) => Ok(Spanned { node, span: d.span }),
        Err(_) => Err(
            Problem::new(Kind::BadDate(d.node.clone()), d.span, "no such day")
                .with_help("write the date as year-month-day, e.g. `1999-09-24`"),
        ),
    }
}

fn section(pair: P) -> Spanned<String> {
    let span = span_of(&pair);
    let reference = pair
        .into_inner()
        .next()
        .map(|r| r.as_str().to_string())
        .unwrap_or_default();
    Spanned {
        node: reference,
        span,
    }
}

fn string(pair: P) -> Spanned<String> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .next()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    Spanned { node: inner, span }
}

fn text_of(pair: P) -> Spanned<String> {
    Spanned {
        node: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

/// The pair's span, ending at its last token: pest keeps the whitespace and
/// comments it skipped before a trailing optional part that did not match,
/// and a clause's span should not run into the comment after it.
fn span_of(pair: &P) -> Span {
    let s = pair.as_span();
    Span::new(
        s.start(),
        s.start().saturating_add(token_end(pair.as_str())),
    )
}

/// Length of `text` up to the end of its last character that is neither
/// whitespace nor inside a comment.
fn token_end(text: &str) -> usize {
    let mut end = 0;
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => {
                in_comment = true;
                continue;
            }
            _ => {}
        }
        if in_string || !c.is_whitespace() {
            end = i.saturating_add(c.len_utf8());
        }
    }
    end
}

fn next<'a, I: Iterator<Item = P<'a>>>(it: &mut I) -> Result<P<'a>, Problem> {
    it.next()
        .ok_or_else(|| internal("a part of the clause is missing"))
}

/// A grammar/builder mismatch: a defect of ours, reported rather than panicked.
fn internal(what: &str) -> Problem {
    Problem::new(
        Kind::Syntax(format!("internal parser error: {what}")),
        Span::default(),
        "here",
    )
    .with_help("this is a defect in charter; please report it with the file")
}
