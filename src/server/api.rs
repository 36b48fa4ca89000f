//! The JSON API the page uses, each handler a function from the request's
//! JSON to the answer's: the same JSON `charter query --format json` prints
//! for each statement, diagnostics as `{"code", "message", "span", "help"}`.

use rust_decimal::Decimal;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::diagnostic::{Problem, Source};
use crate::expect::report::problem_json;
use crate::ir::Charter;
use crate::query::Session;
use crate::render;
use crate::syntax::ast::Spanned;

/// A request the API cannot read: the status and what to say.
pub type Refusal = (u16, String);

/// A string field of the request.
fn text<'a>(body: &'a Value, field: &str) -> Result<&'a str, Refusal> {
    body.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| (400, format!("the request needs `{field}`, a string")))
}

/// The statements of the request: an array of strings (none if absent).
fn statements(body: &Value) -> Result<Vec<String>, Refusal> {
    match body.get("statements") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| (400, "each of `statements` is a string".to_string()))
            })
            .collect(),
        Some(_) => Err((400, "`statements` is an array of strings".to_string())),
    }
}

/// Diagnostics as JSON, with the label and where each points.
fn diagnostics(problems: &[Problem]) -> Value {
    Value::Array(
        problems
            .iter()
            .map(|p| {
                let mut v = problem_json(p);
                if let Some(o) = v.as_object_mut() {
                    o.insert("label".into(), json!(p.label));
                }
                v
            })
            .collect(),
    )
}

/// The charters checked last, by their text: the page sends the same text
/// with every question as the exit slider moves, and checking it again each
/// time would cost more than the answer.
static CHECKED: std::sync::Mutex<Vec<(String, Arc<Charter>)>> = std::sync::Mutex::new(Vec::new());

/// How many charters [`CHECKED`] keeps, and the longest text it keeps.
const CHECKED_KEPT: usize = 8;
const CHECKED_LONGEST: usize = 1024 * 1024;

/// The charter of a request, or its diagnostics.
fn charter(body: &Value, field: &str) -> Result<Result<Arc<Charter>, Value>, Refusal> {
    let text = text(body, field)?;
    if let Ok(mut kept) = CHECKED.lock()
        && let Some(i) = kept.iter().position(|(t, _)| t == text)
    {
        // The most recent last.
        let hit = kept.remove(i);
        let c = hit.1.clone();
        kept.push(hit);
        return Ok(Ok(c));
    }
    let c = match crate::check::load(&Source::new("charter", text)) {
        Ok(c) => Arc::new(c),
        Err(p) => return Ok(Err(diagnostics(&p))),
    };
    if text.len() <= CHECKED_LONGEST
        && let Ok(mut kept) = CHECKED.lock()
    {
        if kept.len() >= CHECKED_KEPT {
            kept.remove(0);
        }
        kept.push((text.to_string(), c.clone()));
    }
    Ok(Ok(c))
}

/// A session on the charter with the request's statements run (the
/// scenario), or the answer saying where it stopped.
fn scenario(c: Arc<Charter>, body: &Value) -> Result<Result<Session, Value>, Refusal> {
    let mut s = Session::shared(c);
    for (i, st) in statements(body)?.iter().enumerate() {
        if let Err(p) = s.run(&format!("statement {}", i.saturating_add(1)), st) {
            return Ok(Err(
                json!({ "error": "statement", "statement": i, "diagnostics": diagnostics(&p) }),
            ));
        }
    }
    Ok(Ok(s))
}

/// `POST /api/query {"charter", "statements"}`: an array, one object per
/// statement as `charter query --format json` prints it; where the charter
/// has problems, one object `{"error": "charter", "diagnostics"}`; where a
/// statement has, `{"error": "statement", "statement": I, "diagnostics"}`
/// in its place, and the rest are not run. Answered as JSON text, each
/// statement's as rendered: a curve of 100,000 rows is not made a tree of
/// values first (many times the memory of its text).
pub fn query(body: &Value) -> Result<String, Refusal> {
    let list = statements(body)?;
    let c = match charter(body, "charter")? {
        Ok(c) => c,
        Err(d) => return Ok(json!([{ "error": "charter", "diagnostics": d }]).to_string()),
    };
    let mut s = Session::shared(c);
    let mut out = String::from("[");
    for (i, st) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match s.run(&format!("statement {}", i.saturating_add(1)), st) {
            Ok(a) => out.push_str(render::json(&a, &s).trim_end()),
            Err(p) => {
                out.push_str(
                    &json!({ "error": "statement", "statement": i, "diagnostics": diagnostics(&p) })
                        .to_string(),
                );
                break;
            }
        }
    }
    out.push(']');
    Ok(out)
}

/// `POST /api/check {"charter"}`: its diagnostics, and what the page offers
/// to choose from (classes, holders, pools, events, actions). Each class
/// comes with its shares outstanding and its original issue price as the
/// charter states them (`null` where it states none), from which the page
/// works out the multiple on invested capital.
pub fn check(body: &Value) -> Result<Value, Refusal> {
    let c = match charter(body, "charter")? {
        Ok(c) => c,
        Err(d) => return Ok(json!({ "ok": false, "diagnostics": d })),
    };
    let mut actions: Vec<String> = crate::ir::STANDARD_ACTIONS
        .iter()
        .map(|(a, _)| a.to_string())
        .collect();
    actions.extend(c.protective.actions.iter().map(|a| a.0.clone()));
    for consent in &c.protective.consents {
        for a in &consent.actions {
            if !actions.contains(a) {
                actions.push(a.clone());
            }
        }
    }
    Ok(json!({
        "ok": true,
        "diagnostics": [],
        "company": c.company,
        "classes": c.classes.iter().map(|k| json!({
            "ident": k.ident,
            "name": k.name,
            "common": k.common,
            "outstanding": k.outstanding.normalize().to_string(),
            "issue_price": k.issue_price.map(|p| p.normalize().to_string()),
        })).collect::<Vec<_>>(),
        "holders": c.holders.iter().map(|h| h.name.clone()).collect::<Vec<_>>(),
        "pools": c.pools.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "events": c.events.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
        "actions": actions,
    }))
}

/// A whole-cent amount field, if given.
fn amount(body: &Value, field: &str) -> Result<Option<Spanned<Decimal>>, Refusal> {
    match body.get(field).and_then(Value::as_str) {
        None => Ok(None),
        Some(t) => crate::syntax::parse_amount_text(t)
            .map(Some)
            .map_err(|p| (400, format!("`{field}`: {}", p.kind))),
    }
}

/// The event field, if given.
fn event(body: &Value) -> Option<Spanned<String>> {
    body.get("event")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
        .map(|e| Spanned {
            node: e.to_string(),
            span: Default::default(),
        })
}

/// `POST /api/chart {"charter", "statements", "event", "per_share",
/// "holders", "from", "to"}`: what a chart draws — the exits, each party's
/// values there, the breakpoints and their causes.
pub fn chart(body: &Value) -> Result<Value, Refusal> {
    let c = match charter(body, "charter")? {
        Ok(c) => c,
        Err(d) => return Ok(json!({ "error": "charter", "diagnostics": d })),
    };
    let mut s = match scenario(c, body)? {
        Ok(s) => s,
        Err(v) => return Ok(v),
    };
    let flag = |f: &str| body.get(f).and_then(Value::as_bool).unwrap_or(false);
    let options = crate::analysis::chart::Options {
        per_share: flag("per_share"),
        holders: flag("holders"),
        lines: true,
    };
    let range = amount(body, "from")?.zip(amount(body, "to")?);
    let e = event(body);
    let charter = match s.for_exits() {
        Ok(c) => c,
        Err(p) => return Ok(json!({ "error": "statement", "diagnostics": diagnostics(&[p]) })),
    };
    match crate::analysis::chart::chart(
        charter,
        range.as_ref().map(|(f, t)| (f, t)),
        e.as_ref(),
        options,
        Default::default(),
    ) {
        Ok(ch) => Ok(json!({
            "title": ch.title,
            "measure": ch.measure,
            "from": ch.from.to_string(),
            "to": ch.to.to_string(),
            "exits": ch.exits.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            "series": ch.series.iter().map(|x| json!({
                "name": x.name,
                "values": x.values.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "markers": ch.markers.iter().map(|m| json!({ "exit": m.exit.to_string(), "label": m.label })).collect::<Vec<_>>(),
        })),
        Err(p) => Ok(json!({ "error": "chart", "diagnostics": diagnostics(&[p]) })),
    }
}

/// `POST /api/compare {"a", "b", "event", "from", "to"}`: two charter texts
/// compared as `charter compare --format json` prints it.
pub fn compare(body: &Value) -> Result<Value, Refusal> {
    let a = match charter(body, "a")? {
        Ok(c) => c,
        Err(d) => return Ok(json!({ "error": "a", "diagnostics": d })),
    };
    let b = match charter(body, "b")? {
        Ok(c) => c,
        Err(d) => return Ok(json!({ "error": "b", "diagnostics": d })),
    };
    let label = |f: &str, default: &str| {
        body.get(f)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let (la, lb) = (label("a_label", "A"), label("b_label", "B"));
    let range = amount(body, "from")?.zip(amount(body, "to")?);
    let e = event(body);
    let mut sa = Session::shared(a);
    let mut sb = Session::shared(b);
    let (ca, cb) = match (sa.for_exits().cloned(), sb.for_exits()) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(p), _) | (_, Err(p)) => {
            return Ok(json!({ "error": "compare", "diagnostics": diagnostics(&[p]) }));
        }
    };
    match crate::analysis::compare::compare(
        (&la, &ca),
        (&lb, cb),
        range.as_ref().map(|(f, t)| (f, t)),
        e.as_ref(),
        body.get("holders")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        Default::default(),
    ) {
        Ok(cmp) => Ok(render::analysis::comparison_json(&cmp)),
        Err(p) => Ok(json!({ "error": "compare", "diagnostics": diagnostics(&[p]) })),
    }
}

/// `POST /api/test {"charter", "name"}`: the `expect` blocks of the charter
/// and of its companion `NAME.charter.test` in the served folder (the
/// server adds its text as `"companion"`), as `charter test --format json`
/// reports them: `{"passed", "failed", "files": [{"file", "expectations"}]}`.
pub fn test(body: &Value) -> Result<Value, Refusal> {
    let t = text(body, "charter")?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("charter");
    let loaded = crate::check::load_suite(&Source::new(name, t)).and_then(|(c, own)| {
        let mut suites = vec![own];
        if let Some(companion) = body.get("companion").and_then(Value::as_str) {
            let source = Source::new(format!("{name}.test"), companion);
            suites.push(crate::check::load_companion(&c, &source)?);
        }
        Ok((c, suites))
    });
    let (c, suites) = match loaded {
        Ok(x) => x,
        Err(p) => return Ok(json!({ "error": "charter", "diagnostics": diagnostics(&p) })),
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut files = Vec::new();
    for suite in &suites {
        let outcomes = crate::expect::run(&c, suite);
        passed = passed.saturating_add(outcomes.iter().map(|o| o.passed()).sum::<usize>());
        failed = failed.saturating_add(outcomes.iter().map(|o| o.failed()).sum::<usize>());
        files.push(crate::expect::report::outcomes_json(suite, &outcomes));
    }
    Ok(json!({ "passed": passed, "failed": failed, "files": files }))
}
