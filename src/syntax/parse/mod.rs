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

mod antidilution;
mod conversion;
mod dividends;
mod expect;
mod leaves;
mod liquidation;
mod redemption;
mod statement;
mod stock;
mod voting;

use antidilution::*;
use conversion::*;
use dividends::*;
use expect::*;
use leaves::*;
use liquidation::*;
use redemption::*;
use statement::*;
use stock::*;
use voting::*;

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

/// Parses `text` as `rule`: first without pest's error detail, which costs
/// more than half of parsing a file that parses; where it does not, again
/// with it, so that the diagnostic names what was expected.
fn parse_rule(
    rule: Rule,
    text: &str,
) -> Result<pest::iterators::Pairs<'_, Rule>, Box<pest::error::Error<Rule>>> {
    pest::set_error_detail(false);
    if let Ok(pairs) = CharterParser::parse(rule, text) {
        return Ok(pairs);
    }
    pest::set_error_detail(true);
    CharterParser::parse(rule, text).map_err(Box::new)
}

/// Parses a file as `rule` (a charter or a test file): an item at a time
/// where it parses, else whole, so that a syntax error is reported as the
/// whole file's parse finds it. The two agree where the file parses: an
/// item's parse depends only on the text from its start.
fn parse_items(rule: Rule, text: &str) -> Result<File, Problem> {
    if let Some(file) = items_one_by_one(rule, text) {
        return file;
    }
    let mut pairs = parse_rule(rule, text).map_err(|e| syntax_problem(*e, text, false))?;
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
    items.shrink_to_fit();
    Ok(File { items })
}

/// The items of `text`, each parsed from where the last ended, with spans
/// counted from the file's start; `None` where an item does not parse (the
/// whole file's parse then says where and why). O(n) in the text, holding
/// one item's tokens at a time.
fn items_one_by_one(rule: Rule, text: &str) -> Option<Result<File, Problem>> {
    let one = match rule {
        Rule::file => Rule::next_item,
        Rule::test_file => Rule::next_test_item,
        _ => return None,
    };
    pest::set_error_detail(false);
    let mut items = Vec::new();
    let mut at = 0usize;
    loop {
        let rest = text.get(at..)?;
        if blank(rest) {
            items.shrink_to_fit();
            return Some(Ok(File { items }));
        }
        let wrapper = CharterParser::parse(one, rest).ok()?.next()?;
        let end = wrapper.as_span().end();
        let pair = wrapper.into_inner().next()?;
        let _base = Base::at(at);
        let span = span_of(&pair);
        match item(pair) {
            Ok(node) => items.push(Spanned { node, span }),
            Err(p) => return Some(Err(p)),
        }
        if end == 0 {
            return None; // no progress: let the whole parse say why
        }
        at = at.checked_add(end)?;
    }
}

/// Whether `text` is only blanks and comments, as the grammar's
/// `WHITESPACE` and `COMMENT` read them: asked of pest, a failure would
/// build an error with its line, for every item of a file.
fn blank(text: &str) -> bool {
    let mut in_comment = false;
    text.chars().all(|c| match c {
        '\n' | '\r' => {
            in_comment = false;
            true
        }
        '#' => {
            in_comment = true;
            true
        }
        ' ' | '\t' | '\u{FEFF}' => true,
        _ => in_comment,
    })
}

/// Parses one statement of the query language.
pub fn parse_query(text: &str) -> Result<Query, Problem> {
    let mut pairs = parse_rule(Rule::query, text).map_err(|e| syntax_problem(*e, text, true))?;
    let q = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let stmt = q
        .into_inner()
        .find(|p| p.as_rule() != Rule::EOI)
        .ok_or_else(|| internal("empty query"))?;
    statement(stmt)
}

/// Parses the REPL's `compare with FILE [FROM TO] [as EVENT]`.
pub fn parse_compare_with(text: &str) -> Result<CompareWith, Problem> {
    let mut pairs = CharterParser::parse(Rule::compare_with, text)
        .map_err(|e| syntax_problem(e, text, false).with_help("write `compare with FILE [FROM TO] [as EVENT]`, e.g. `compare with b.charter $0 $100M`"))?;
    let top = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let mut inner = top.into_inner().filter(|p| p.as_rule() != Rule::EOI);
    let f = next(&mut inner)?;
    let file = match f.as_rule() {
        Rule::string => string(f),
        _ => text_of(f),
    };
    let (mut amounts, mut event) = (Vec::new(), None);
    for p in inner {
        match p.as_rule() {
            Rule::amount => amounts.push(amount(p)?),
            _ => event = Some(event_ref(p)?),
        }
    }
    let mut amounts = amounts.into_iter();
    let range = amounts.next().zip(amounts.next());
    Ok(CompareWith { file, range, event })
}

/// The spans of the amounts in statement `text` written without `$` (`50M`,
/// `25000000`; a bare `0` is not one), for the command line, where such an
/// amount may be what a shell left of one written with it. A statement that
/// does not parse has none: its syntax error is reported when it is run.
pub fn bare_amounts(text: &str) -> Vec<Span> {
    let Ok(pairs) = CharterParser::parse(Rule::query, text) else {
        return Vec::new();
    };
    pairs
        .flatten()
        .filter(|p| p.as_rule() == Rule::amount)
        .filter(|p| {
            let t = p.as_str().trim_start_matches('-');
            !t.starts_with('$') && t != "0"
        })
        .map(|p| span_of(&p))
        .collect()
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
        Rule::safe => Item::Safe(safe(pair)?),
        Rule::note => Item::Note(note(pair)?),
        Rule::holders => Item::Holders(
            pair.into_inner()
                .map(|h| {
                    let span = span_of(&h);
                    holding(h).map(|node| Spanned { node, span })
                })
                .collect::<Result<_, _>>()?,
        ),
        Rule::pool => Item::Pool(pool(pair)?),
        Rule::group => Item::Group(group(pair)?),
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
        Rule::todo => Item::Todo(string(next(&mut pair.into_inner())?)),
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
    // A clause is a few hundred bytes and a block often has one: a vector's
    // room for four would be most of a large file's tree.
    clauses.shrink_to_fit();
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
