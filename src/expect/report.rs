//! The report of `charter test`: a line per expectation, then each failure
//! as a diagnostic followed by the derivation of the actual answer.

use serde_json::{Value, json};

use super::{Outcome, Verdict, failure};
use crate::diagnostic::Problem;
use crate::ir::Suite;

use crate::render::diagnostics::reports;

/// The lines for one file's outcomes: a status line per `expect` block,
/// then the failures in full.
pub fn outcomes(suite: &Suite, outcomes: &[Outcome], color: bool) -> String {
    let mut out = String::new();
    for o in outcomes {
        let status = if o.failed() == 0 { "ok  " } else { "FAIL" };
        out.push_str(&crate::render::fit(&format!(
            "  {status} \"{}\" § {}: {} of {} held\n",
            o.name,
            o.section,
            o.passed(),
            o.claims.len()
        )));
    }
    for o in outcomes {
        if let Some(problems) = &o.problem {
            out.push('\n');
            out.push_str(&crate::render::fit(&format!(
                "\"{}\": a statement could not run, so {} expectation{} after it could not be compared\n",
                o.name,
                o.not_run(),
                if o.not_run() == 1 { "" } else { "s" }
            )));
            out.push_str(&reports(problems, color));
        }
        for c in &o.claims {
            let Some(p) = failure(c, suite) else {
                continue;
            };
            out.push('\n');
            out.push_str(&reports(&[p], color));
            if let Verdict::Fail {
                derivation: Some(d),
                ..
            } = &c.verdict
            {
                out.push_str("  derivation of the actual answer:\n");
                let indented: String = d
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            "\n".to_string()
                        } else {
                            format!("    {l}\n")
                        }
                    })
                    .collect();
                out.push_str(&crate::render::fit(&indented));
            }
        }
    }
    out
}

/// The last line of a run: `N passed, M failed`.
pub fn summary(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed\n")
}

/// A problem as JSON: its code, message, file and byte span.
pub fn problem_json(p: &Problem) -> Value {
    json!({
        "code": p.kind.code(),
        "message": p.kind.to_string(),
        "file": p.source.as_ref().map(|s| s.name()),
        "span": { "start": p.span.start, "end": p.span.end },
        "help": p.help,
    })
}

/// One file's outcomes as JSON: each `expect` block with its claims, and for
/// a claim that does not hold, the expected and actual figures.
pub fn outcomes_json(suite: &Suite, outcomes: &[Outcome]) -> Value {
    let blocks: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            let claims: Vec<Value> = o
                .claims
                .iter()
                .map(|c| {
                    let mut v = serde_json::Map::new();
                    v.insert("claim".into(), json!(c.claim.text));
                    v.insert("section".into(), json!(c.claim.section));
                    v.insert(
                        "span".into(),
                        json!({ "start": c.claim.span.start, "end": c.claim.span.end }),
                    );
                    v.insert("holds".into(), json!(matches!(c.verdict, Verdict::Pass)));
                    match &c.verdict {
                        Verdict::Fail {
                            expected,
                            actual,
                            stated,
                            ..
                        } => {
                            v.insert("expected".into(), json!(expected));
                            v.insert("actual".into(), json!(actual));
                            v.insert("stated".into(), json!(stated));
                        }
                        Verdict::NotRun => {
                            v.insert("not_run".into(), json!(true));
                        }
                        Verdict::Pass => {}
                    }
                    Value::Object(v)
                })
                .collect();
            json!({
                "name": o.name,
                "section": o.section,
                "passed": o.passed(),
                "failed": o.failed(),
                "claims": claims,
                "problems": o.problem.iter().flatten().map(problem_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "file": suite.source.name, "expectations": blocks })
}
