//! `expect` and `snapshot` blocks: names resolved against the checked
//! charter, each claim checked to have an answer before it to read.
//!
//! Statements are not run here; they run when `charter test` or
//! `charter snapshot` evaluates them, and their problems point into the file.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem, Problems, Source, did_you_mean};
use crate::ir::{
    Charter, ClaimKind, ExpectStep, Expectation, Expected, Party, SnapshotSpec, Statement, Suite,
};
use crate::syntax::ast::{self, Claim, Figure, Item, Query, Spanned, Step};

/// What kinds of statement have run so far in a block, for claims that read
/// the latest answer of a kind.
#[derive(Default)]
struct Seen {
    money: bool,
    per_share: bool,
    shares: bool,
    approval: bool,
    votes: bool,
    board: bool,
}

impl Seen {
    fn record(&mut self, q: &Query) {
        match q {
            Query::Payout { .. } | Query::Declare { .. } => {
                self.money = true;
                self.per_share = true;
            }
            Query::Redeem { .. } => self.money = true,
            // Conversion delivers common shares, and may pay cash.
            Query::Convert { .. } | Query::Ipo { .. } => {
                self.shares = true;
                self.money = true;
            }
            Query::Approve { action, .. } => {
                self.approval = true;
                if action.node == "conversion" {
                    self.shares = true;
                    self.money = true;
                }
            }
            Query::Votes => self.votes = true,
            Query::Board(_) => self.board = true,
            _ => {}
        }
    }
}

/// Lowers the `expect` and `snapshot` blocks among `items`, written in
/// `source`, against `charter`; problems are added to `problems`.
pub fn lower(
    charter: &Charter,
    source: &Source,
    items: &[Spanned<Item>],
    variant: &dyn Fn(&[super::readings::Chosen]) -> Result<Charter, Problems>,
    problems: &mut Problems,
) -> Suite {
    let text = &source.text;
    let mut suite = Suite {
        source: source.clone(),
        expectations: Vec::new(),
        snapshots: Vec::new(),
    };
    let mut names: HashSet<&str> = HashSet::new();
    for item in items {
        match &item.node {
            Item::Expect(e) if e.readings.is_empty() => {
                if let Some(x) = expectation(charter, text, e, problems) {
                    suite.expectations.push(x);
                }
            }
            Item::Expect(e) => {
                let chosen: Vec<super::readings::Chosen> = e
                    .readings
                    .iter()
                    .map(|(r, a)| super::readings::Chosen {
                        reading: r.clone(),
                        alternative: a.clone(),
                    })
                    .collect();
                match variant(&chosen) {
                    Ok(other) => {
                        if let Some(mut x) = expectation(&other, text, e, problems) {
                            x.readings = other
                                .readings
                                .iter()
                                .filter(|r| chosen.iter().any(|c| c.reading.node == r.name))
                                .map(|r| (r.name.clone(), r.taken().to_string()))
                                .collect();
                            x.charter = Some(Box::new(other));
                            suite.expectations.push(x);
                        }
                    }
                    Err(ps) => problems.extend(ps),
                }
            }
            Item::Snapshot(s) => {
                if !names.insert(&s.name.node) {
                    problems.push(
                        Problem::new(
                            Kind::Duplicate(format!("the snapshot \"{}\"", s.name.node)),
                            s.name.span,
                            "named again here",
                        )
                        .with_help("each snapshot's name keys its record in the snapshot file; give it another name"),
                    );
                    continue;
                }
                for q in &s.statements {
                    date_on_next_line(text, q, problems);
                }
                suite.snapshots.push(SnapshotSpec {
                    name: s.name.node.clone(),
                    span: s.name.span,
                    statements: s.statements.iter().map(|q| statement(text, q)).collect(),
                });
            }
            _ => {}
        }
    }
    suite
}

/// The text at `span`, on one line.
fn one_line(text: &str, span: ast::Span) -> String {
    let raw = text.get(span.start..span.end).unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A statement whose last line is `on DATE`: the grammar reads that as the
/// statement's own date, where a reader may see a statement of its own.
/// Asked to be written unambiguously rather than guessed at.
fn date_on_next_line(text: &str, q: &Spanned<Query>, problems: &mut Problems) {
    let raw = text.get(q.span.start..q.span.end).unwrap_or("");
    let Some((head, last)) = raw.trim_end().rsplit_once('\n') else {
        return;
    };
    let last = last.trim_start();
    let Some(date) = last.strip_prefix("on ") else {
        return;
    };
    // The last line starts after `head` and its newline; the span skips
    // the line's indent.
    let after = head.len().saturating_add(1);
    let line = raw.get(after..).unwrap_or("");
    let indent = line.len().saturating_sub(line.trim_start().len());
    let start = q.span.start.saturating_add(after).saturating_add(indent);
    let span = ast::Span::new(start, start.saturating_add(last.len()));
    problems.push(
        Problem::new(Kind::DateOnNextLine(date.trim().to_string()), span, "read as the date of the statement above")
            .with_help(format!(
                "write the date on the statement's own line (`{} on {}`), or put `on {}` before the statement it should date",
                head.split_whitespace().collect::<Vec<_>>().join(" "),
                date.trim(),
                date.trim()
            )),
    );
}

fn statement(text: &str, q: &Spanned<Query>) -> Statement {
    Statement {
        query: q.node.clone(),
        text: one_line(text, q.span),
        span: q.span,
    }
}

fn expectation(
    charter: &Charter,
    text: &str,
    e: &ast::Expect,
    problems: &mut Problems,
) -> Option<Expectation> {
    let before = problems.len();
    let mut seen = Seen::default();
    let mut steps = Vec::new();
    for step in &e.steps {
        match step {
            Step::Statement(q) => {
                seen.record(&q.node);
                date_on_next_line(text, q, problems);
                steps.push(ExpectStep::Run(Box::new(statement(text, q))));
            }
            Step::Claim(c) => {
                let mut written = one_line(text, c.span);
                // The claim without its own citation, which the report shows apart.
                if c.cite.is_some()
                    && let Some(i) = written.rfind("§").or_else(|| written.rfind("section"))
                {
                    written.truncate(i);
                    written.truncate(written.trim_end().len());
                }
                match claim(charter, &c.node, &seen) {
                    Ok(what) => steps.push(ExpectStep::Check(crate::ir::Claim {
                        what,
                        text: written,
                        span: c.span,
                        section: c
                            .cite
                            .as_ref()
                            .map_or_else(|| e.section.node.clone(), |s| s.node.clone()),
                    })),
                    Err(ClaimError::Problem(p)) => problems.push(p),
                    Err(ClaimError::Needs(needs)) => problems.push(
                        Problem::new(
                            Kind::ClaimWithoutAnswer {
                                claim: written,
                                needs: needs.to_string(),
                            },
                            c.span,
                            "no answer to compare",
                        )
                        .with_help(format!(
                            "write the statement whose answer this states first, e.g. {}",
                            example(needs)
                        )),
                    ),
                }
            }
        }
    }
    (problems.len() == before).then(|| Expectation {
        name: e.name.node.clone(),
        span: e.name.span,
        section: e.section.node.clone(),
        quoting: e.quoting.as_ref().map(|q| q.node.clone()),
        steps,
        readings: Vec::new(),
        charter: None,
    })
}

/// Why a claim cannot be lowered.
enum ClaimError {
    /// A name or figure is wrong.
    Problem(Problem),
    /// No statement before it gives an answer of the kind it reads.
    Needs(&'static str),
}

impl From<Problem> for ClaimError {
    fn from(p: Problem) -> Self {
        ClaimError::Problem(p)
    }
}

const MONEY: &str =
    "a `payout`, `declare dividend`, `redeem`, `convert`, `ipo` or `approve conversion`";
const PER_SHARE: &str = "a `payout` or `declare dividend`";
const CONVERT: &str = "a `convert`, `ipo` or `approve conversion`";
const APPROVE: &str = "an `approve`";
const VOTES: &str = "a `votes` statement";
const BOARD: &str = "a `board` statement";

fn example(needs: &str) -> &'static str {
    match needs {
        MONEY | PER_SHARE => "`payout $50M`",
        CONVERT => "`convert D for \"Holder\"`",
        APPROVE => "`approve merger with A 70%`",
        VOTES => "`votes`",
        _ => "`board`",
    }
}

fn claim(charter: &Charter, c: &Claim, seen: &Seen) -> Result<ClaimKind, ClaimError> {
    let need = |ok: bool, what: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(ClaimError::Needs(what))
        }
    };
    let exp = |v: &Spanned<Decimal>, about: bool| Expected {
        value: v.node,
        about,
    };
    Ok(match c {
        Claim::Receives { who, about, figure } => match figure {
            Figure::Money(v) => {
                need(seen.money, MONEY)?;
                ClaimKind::ReceivesMoney(party(charter, who)?, exp(v, *about))
            }
            Figure::PerShare(v) => {
                need(seen.per_share, PER_SHARE)?;
                ClaimKind::ReceivesPerShare(charter.find_class(who)?, exp(v, *about))
            }
            Figure::Shares(v) => {
                need(seen.shares, CONVERT)?;
                ClaimKind::ReceivesShares(party(charter, who)?, exp(v, *about))
            }
        },
        Claim::Converts { class, yes } => ClaimKind::Converts(charter.find_class(class)?, *yes),
        Claim::ConversionPrice {
            class,
            about,
            value,
        } => ClaimKind::ConversionPrice(charter.find_class(class)?, exp(value, *about)),
        Claim::ConversionRatio {
            class,
            about,
            value,
        } => ClaimKind::ConversionRatio(charter.find_class(class)?, exp(value, *about)),
        Claim::Passes => {
            need(seen.approval, APPROVE)?;
            ClaimKind::Passes
        }
        Claim::Fails { on } => {
            need(seen.approval, APPROVE)?;
            ClaimKind::Fails(on.iter().map(|s| s.node.clone()).collect())
        }
        Claim::Accrued {
            class,
            about,
            value,
        } => ClaimKind::Accrued(charter.find_class(class)?, exp(value, *about)),
        Claim::Votes { who, about, value } => {
            need(seen.votes, VOTES)?;
            ClaimKind::Votes(party(charter, who)?, exp(value, *about))
        }
        Claim::Elects { who, seats } => {
            need(seen.board, BOARD)?;
            let n = u32::try_from(seats.node.normalize().mantissa())
                .ok()
                .filter(|_| seats.node.fract().is_zero())
                .ok_or_else(|| {
                    Problem::new(
                        Kind::BadNumber(format!("`{}` is not a number of directors", seats.node)),
                        seats.span,
                        "a whole number of seats",
                    )
                })?;
            let ids = who
                .iter()
                .map(|w| charter.find_class(w))
                .collect::<Result<Vec<_>, _>>()?;
            ClaimKind::Elects(ids, n)
        }
    })
}

/// A class, else a holder named in the charter.
fn party(charter: &Charter, who: &Spanned<String>) -> Result<Party, Problem> {
    if let Ok(id) = charter.find_class(who) {
        return Ok(Party::Class(id));
    }
    if charter.holders.iter().any(|h| h.name == who.node) {
        return Ok(Party::Holder(who.node.clone()));
    }
    let spellings = charter
        .classes
        .iter()
        .flat_map(|c| [c.ident.as_str(), c.name.as_str()])
        .chain(charter.holders.iter().map(|h| h.name.as_str()));
    let mut holders: Vec<String> = charter
        .holders
        .iter()
        .map(|h| format!("\"{}\"", h.name))
        .collect();
    holders.dedup();
    let known = format!(
        "classes: {}; holders: {}",
        crate::check::names::names_list(charter.classes.iter().map(|c| format!("`{}`", c.ident))),
        if holders.is_empty() {
            "none named".to_string()
        } else {
            crate::check::names::names_list(holders.into_iter())
        }
    );
    let help = match did_you_mean(&who.node, spellings) {
        Some(s) => format!("{s} {known}"),
        None => known,
    };
    Err(Problem::new(
        Kind::UnknownParty(who.node.clone()),
        who.span,
        "not in this charter",
    )
    .with_help(help))
}
