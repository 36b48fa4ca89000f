//! Runs the `expect` blocks of a charter: each block's statements on a fresh
//! [`Session`], and each claim compared with the answer it reads.
//!
//! A claim that differs yields the actual figure and its derivation (the
//! whole answer it was read from, rendered as `charter query` would print
//! it), so that a failing expectation shows why the charter gives what it
//! gives.

mod claims;
pub mod report;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::diagnostic::{Kind, Problem, Problems, attach};
use crate::eval::votes;
use crate::ir::{Charter, Claim, ClaimKind, ClassId, ExpectStep, Expected, Party, Suite};
use crate::num::{exact, exact_dollars};
use crate::query::{Answer, Session};
use crate::syntax::ast::{Query, Spanned};

/// How one claim came out.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The charter gives what the claim says.
    Pass,
    /// It gives something else.
    Fail {
        /// The figure or outcome the claim states.
        expected: String,
        /// The figure or outcome the charter gives.
        actual: String,
        /// What the charter gives, in a sentence.
        stated: String,
        /// The answer the actual figure comes from, rendered.
        derivation: Option<String>,
    },
    /// A statement before it failed, so there was nothing to compare.
    NotRun,
}

/// One claim and its verdict.
#[derive(Debug, Clone)]
pub struct ClaimResult {
    /// The claim.
    pub claim: Claim,
    /// How it came out.
    pub verdict: Verdict,
}

/// One `expect` block's results.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The block's name.
    pub name: String,
    /// The section it interprets.
    pub section: String,
    /// Each claim, in order.
    pub claims: Vec<ClaimResult>,
    /// The problem of a statement that could not run, pointing into the file.
    pub problem: Option<Problems>,
}

impl Outcome {
    /// Claims that held.
    pub fn passed(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Pass))
            .count()
    }

    /// Claims that did not hold or could not be compared; a statement that
    /// failed with no claim after it counts as one.
    pub fn failed(&self) -> usize {
        let failed = self.claims.len().saturating_sub(self.passed());
        if self.problem.is_some() && self.not_run() == 0 {
            failed.saturating_add(1)
        } else {
            failed
        }
    }

    /// Claims left uncompared because a statement before them failed.
    pub fn not_run(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::NotRun))
            .count()
    }
}

/// Runs every expectation of `suite` on `charter`. Under a budget
/// (`charter serve`) it stops at the first block after the budget is spent:
/// a file of thousands of blocks is not run to its end for nobody.
pub fn run(charter: &Charter, suite: &Suite) -> Vec<Outcome> {
    suite
        .expectations
        .iter()
        .take_while(|_| crate::budget::check().is_ok())
        .map(|e| {
            let mut session = Session::new(e.charter.as_deref().unwrap_or(charter));
            let mut answers: Vec<Answer> = Vec::new();
            let mut out = Outcome {
                name: e.name.clone(),
                section: e.section.clone(),
                claims: Vec::new(),
                problem: None,
            };
            for step in &e.steps {
                match step {
                    ExpectStep::Run(st) if out.problem.is_none() => {
                        match session.run_statement(&st.query, &st.text, st.span) {
                            Ok(a) => answers.push(a),
                            Err(p) => out.problem = Some(attach(vec![p], &suite.source)),
                        }
                    }
                    ExpectStep::Run(_) => {}
                    ExpectStep::Check(c) => {
                        let verdict = if out.problem.is_some() {
                            Verdict::NotRun
                        } else {
                            judge(&c.what, &answers, &mut session)
                        };
                        out.claims.push(ClaimResult {
                            claim: c.clone(),
                            verdict,
                        });
                    }
                }
            }
            out
        })
        .collect()
}

/// The diagnostic for a claim that failed: at the claim, expected against
/// actual, with its section.
pub fn failure(result: &ClaimResult, suite: &Suite) -> Option<Problem> {
    let Verdict::Fail {
        expected,
        actual,
        stated,
        ..
    } = &result.verdict
    else {
        return None;
    };
    let p = Problem::new(
        Kind::ExpectationFailed {
            claim: result.claim.text.clone(),
            actual: stated.clone(),
        },
        result.claim.span,
        format!("expected {expected}, actual {actual}"),
    )
    .with_help(format!(
        "this tests the reading of § {}; if the expectation is wrong, correct it; if the encoding is, correct the clause the derivation below cites",
        result.claim.section
    ))
    .with_source(&suite.source);
    Some(p)
}

/// Whether `actual` is what was expected: exactly, or, with `about`, after
/// rounding half away from zero to the places written.
fn holds(actual: Decimal, e: Expected) -> bool {
    if e.about {
        actual.round_dp_with_strategy(e.value.scale(), RoundingStrategy::MidpointAwayFromZero)
            == e.value
    } else {
        actual == e.value
    }
}

/// What a figure claim says, in words.
fn said(e: Expected, fmt: fn(Decimal) -> String) -> String {
    if e.about {
        format!("about {}", fmt(e.value))
    } else {
        fmt(e.value)
    }
}

fn verdict(
    actual: Option<Decimal>,
    e: Expected,
    fmt: fn(Decimal) -> String,
    what: &str,
    evidence: Option<String>,
) -> Verdict {
    match actual {
        Some(a) if holds(a, e) => Verdict::Pass,
        Some(a) => Verdict::Fail {
            expected: said(e, fmt),
            actual: fmt(a),
            stated: format!("{what} {}", fmt(a)),
            derivation: evidence,
        },
        None => Verdict::Fail {
            expected: said(e, fmt),
            actual: "none".to_string(),
            stated: format!("the answer has no such figure ({what} ...)"),
            derivation: evidence,
        },
    }
}

/// The sum of some figures, or `None` when there are none (the party is not
/// in the answer).
fn total(figures: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    figures.reduce(|a, b| a.saturating_add(b))
}

/// The latest answer that `pick` accepts.
fn latest<'a, T>(answers: &'a [Answer], pick: impl Fn(&'a Answer) -> Option<T>) -> Option<T> {
    answers.iter().rev().find_map(pick)
}

fn class_name(session: &Session, id: ClassId) -> String {
    session.scenario.name(id)
}

fn party_name(session: &Session, p: &Party) -> String {
    match p {
        Party::Class(id) => class_name(session, *id),
        Party::Holder(h) => format!("\"{h}\""),
    }
}

/// Runs a statement that only reads the scenario, for the derivation of a
/// claim about the state.
fn read(session: &mut Session, query: Query) -> Option<String> {
    let a = session
        .run_statement(&query, "", crate::ir::Span::default())
        .ok()?;
    Some(crate::render::unwrapped(&a, session))
}

fn explain(session: &mut Session, id: ClassId) -> Option<String> {
    let ident = session.scenario.charter.classes.get(id)?.ident.clone();
    read(
        session,
        Query::Explain {
            class: Spanned {
                node: ident,
                span: Default::default(),
            },
        },
    )
}

fn judge(claim: &ClaimKind, answers: &[Answer], session: &mut Session) -> Verdict {
    // One function per claim kind, in `claims`.
    match claim {
        ClaimKind::ReceivesMoney(who, e) => claims::receives_money(who, e, answers, session),
        ClaimKind::ReceivesPerShare(id, e) => claims::receives_per_share(id, e, answers, session),
        ClaimKind::ReceivesShares(who, e) => claims::receives_shares(who, e, answers, session),
        ClaimKind::Converts(id, yes) => claims::converts(id, yes, answers, session),
        ClaimKind::ConversionPrice(id, e) => claims::conversion_price(id, e, session),
        ClaimKind::ConversionRatio(id, e) => claims::conversion_ratio(id, e, session),
        ClaimKind::Passes | ClaimKind::Fails(_) => approval(claim, answers, session),
        ClaimKind::Accrued(id, e) => claims::accrued(id, e, session),
        ClaimKind::Votes(who, e) => claims::votes_claim(who, e, answers, session),
        ClaimKind::Elects(who, n) => claims::elects_claim(who, n, answers, session),
    }
}

/// An answer rendered as `charter query` prints it, for a derivation.
fn rendered(a: &Answer, s: &Session) -> Option<String> {
    Some(crate::render::unwrapped(a, s))
}

fn elects(who: &[ClassId], n: u32, board: &votes::Board, session: &Session) -> Verdict {
    // The seats whose electors are exactly these classes, as the board
    // answer names them (`Series A, Series B together`).
    let mut wanted: Vec<String> = who.iter().map(|id| class_name(session, *id)).collect();
    wanted.sort();
    let electors = |seat: &str| {
        let mut names: Vec<String> = seat
            .trim_end_matches(" together")
            .split(", ")
            .map(str::to_string)
            .collect();
        names.sort();
        names
    };
    let seats: Vec<&(String, String, Option<u32>)> = board
        .seats
        .iter()
        .filter(|s| electors(&s.0) == wanted)
        .collect();
    let why = Some(crate::render::unwrapped(
        &Answer::Board(board.clone()),
        session,
    ));
    let plural = |k: u32| if k == 1 { "director" } else { "directors" };
    let actual = match seats.as_slice() {
        [] => "no seat of their own".to_string(),
        [(_, _, Some(k))] if *k == n => return Verdict::Pass,
        [(_, _, Some(k))] => format!("{k} {}", plural(*k)),
        [(_, words, None)] => words.clone(),
        _ => format!("seats under {} separate clauses", seats.len()),
    };
    Verdict::Fail {
        expected: format!("{n} {}", plural(n)),
        stated: format!("{} elect {actual}", wanted.join(", ")),
        actual,
        derivation: why,
    }
}

/// `passes` or `fails [on ...]` against the latest approval or conversion vote.
fn approval(claim: &ClaimKind, answers: &[Answer], session: &Session) -> Verdict {
    let Some(a) = latest(answers, |a| {
        matches!(a, Answer::Approval(_) | Answer::Vote(_)).then_some(a)
    }) else {
        return Verdict::NotRun;
    };
    let derivation = Some(crate::render::unwrapped(a, session));
    // Whether it passes (None: a fact is missing), and the sections not met.
    let (passes, unmet, missing): (Option<bool>, Vec<String>, Vec<String>) = match a {
        Answer::Approval(o) => (
            o.passes,
            o.consents
                .iter()
                .filter(|c| c.required != Some(false) && c.met == Some(false))
                .filter_map(|c| c.cite.section.as_deref().map(str::to_string))
                .collect(),
            o.missing.clone(),
        ),
        Answer::Vote(v) => (
            Some(v.rules.iter().any(|r| r.passed)),
            v.rules
                .iter()
                .filter(|r| !r.passed)
                .filter_map(|r| r.cite.section.as_deref().map(str::to_string))
                .collect(),
            Vec::new(),
        ),
        _ => (None, Vec::new(), Vec::new()),
    };
    let sections = |xs: &[String]| {
        xs.iter()
            .map(|s| format!("§ {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let actual = match passes {
        None => format!("no answer until {} is given", missing.join(" and ")),
        Some(true) => "it passes".to_string(),
        Some(false) if unmet.is_empty() => "it fails".to_string(),
        Some(false) => format!("it fails on {}", sections(&unmet)),
    };
    let (ok, expected) = match claim {
        ClaimKind::Passes => (passes == Some(true), "it passes".to_string()),
        ClaimKind::Fails(on) if on.is_empty() => (passes == Some(false), "it fails".to_string()),
        ClaimKind::Fails(on) => {
            let mut want = on.clone();
            let mut got = unmet.clone();
            want.sort();
            want.dedup();
            got.sort();
            got.dedup();
            (
                passes == Some(false) && want == got,
                format!("it fails on {}", sections(on)),
            )
        }
        _ => (false, String::new()),
    };
    if ok {
        Verdict::Pass
    } else {
        Verdict::Fail {
            expected: expected.trim_start_matches("it ").to_string(),
            stated: actual.clone(),
            actual: actual.trim_start_matches("it ").to_string(),
            derivation,
        }
    }
}
