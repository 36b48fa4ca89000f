//! Snapshot tests over folders of inputs: adding a case is adding a file.
//!
//! - `charters/*.charter` and `tests/cases/good/*.charter`: `check`, then
//!   each `# query:` line of the file (or, for `charters/`, payouts at a set
//!   of exits and under each deemed liquidation), rendered as a user sees it.
//! - `tests/cases/bad/*.charter`: the file and its diagnostics.
//! - `tests/cases/queries.txt`: statements that must fail, and how.

use std::path::Path;

use charter::diagnostic::Source;
use charter::query::Session;
use charter::render;

/// The answer to a statement in a running session, rendered; `--format
/// json` at the end of a statement asks for JSON.
fn answer(session: &mut Session, statement: &str) -> String {
    let (statement, json) = match statement.strip_suffix("--format json") {
        Some(s) => (s.trim(), true),
        None => (statement, false),
    };
    let mut out = format!("> {statement}\n");
    match session.run("query", statement) {
        Ok(a) => {
            let text = if json {
                let v: serde_json::Value =
                    serde_json::from_str(&render::json(&a, session)).unwrap();
                format!("{v:#}\n")
            } else {
                render::text(&a, session)
            };
            out.push_str(&text);
        }
        Err(problems) => out.push_str(&render::diagnostics::render(&problems, false)),
    }
    out
}

/// Payouts asked of every charter in `charters/` that lists no queries.
fn default_queries(c: &charter::ir::Charter) -> Vec<String> {
    let mut q: Vec<String> = ["$5M", "$25M", "$50M", "$100M", "$250M", "$1B"]
        .iter()
        .map(|a| format!("payout {a}"))
        .collect();
    for e in &c.events {
        q.push(format!("payout $100M as \"{}\"", e.name));
    }
    q.push("payout $100M --format json".to_string());
    q
}

/// Dividend and redemption statements asked of each charter in `charters/`.
fn money_queries(path: &Path) -> Option<&'static [&'static str]> {
    let name = path.file_stem()?.to_str()?;
    Some(match name {
        "avesta" => &[
            "declare dividend $500K",
            "declare dividend $3M",
            "redeem on 2002-12-31 funds $5M at $7.00",
            "redeem on 2003-12-31 funds $2M at $7.00",
            "payout $50M",
        ],
        "scc" => &[
            "accrued C on 2004-12-30",
            "on 2004-12-30",
            "declare dividend $1M",
            "convert C at $25.00",
            "redeem on 2004-12-30 requests C 50%",
            "payout $50M --format json",
        ],
        "quintus" => &["declare dividend $5M", "declare dividend $20M", "accrued"],
        "juniper" => &[
            "declare dividend $1M",
            "declare dividend $15M --format json",
        ],
        _ => return None,
    })
}

/// A scenario asked of every charter in `charters/`: prices, a down round,
/// the explanation, a conversion, an offering, and the payout after it.
fn scenario_queries(c: &charter::ir::Charter) -> Vec<String> {
    let preferred: Vec<&str> = c
        .classes
        .iter()
        .filter(|x| !x.common)
        .map(|x| x.ident.as_str())
        .collect();
    let common = c
        .classes
        .iter()
        .find(|x| x.common)
        .map_or("Common", |x| x.ident.as_str());
    let filed = c
        .filed
        .and_then(|d| d.checked_add_days(chrono::Days::new(30)))
        .unwrap_or_default();
    let mut q = vec![
        "conversion prices".to_string(),
        format!("issue 1_000_000 {common} at $1.00"),
        "conversion prices".to_string(),
    ];
    if let Some(last) = preferred.last() {
        q.push(format!("explain conversion price {last}"));
    }
    if let Some(first) = preferred.first() {
        q.push(format!("convert {first} at $2.00"));
    }
    q.push(format!("ipo at $15.00 raising $60M net $55M filed {filed}"));
    q.push("conversion prices --format json".to_string());
    q.push("payout $200M".to_string());
    q
}

fn run_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    match charter::check::load(&Source::new(name, text.as_str())) {
        Err(problems) => format!(
            "{}\n---\n{}",
            text,
            render::diagnostics::render(&problems, false)
        ),
        Ok(c) => {
            let mut queries: Vec<String> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("# query:"))
                .map(|q| q.trim().to_string())
                .collect();
            if queries.is_empty() {
                queries = default_queries(&c);
            }
            let mut out = format!("check: {} classes, no problems found\n\n", c.classes.len());
            let mut session = Session::new(&c);
            for q in queries {
                out.push_str(&answer(&mut session, &q));
                out.push('\n');
            }
            if let Some(queries) = money_queries(path) {
                out.push_str("--- dividends and redemption ---\n\n");
                let mut session = Session::new(&c);
                for q in queries {
                    out.push_str(&answer(&mut session, q));
                    out.push('\n');
                }
            }
            if path.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("charters")) {
                out.push_str("--- a scenario, one statement after another ---\n\n");
                let mut session = Session::new(&c);
                for q in scenario_queries(&c) {
                    out.push_str(&answer(&mut session, &q));
                    out.push('\n');
                }
            }
            out
        }
    }
}

#[test]
fn charters() {
    insta::with_settings!({ snapshot_path => "../../snapshots/charters", prepend_module_to_snapshot => false }, {
        insta::glob!("../../charters", "*.charter", |path| {
            insta::assert_snapshot!(run_file(path));
        });
    });
}

#[test]
fn good_cases() {
    insta::with_settings!({ snapshot_path => "../../snapshots/good", prepend_module_to_snapshot => false }, {
        insta::glob!("../cases/good", "*.charter", |path| {
            insta::assert_snapshot!(run_file(path));
        });
    });
}

#[test]
fn bad_cases() {
    insta::with_settings!({ snapshot_path => "../../snapshots/bad", prepend_module_to_snapshot => false }, {
        insta::glob!("../cases/bad", "*.charter", |path| {
            let out = run_file(path);
            assert!(out.contains("---\n"), "{} should fail to check", path.display());
            insta::assert_snapshot!(out);
        });
    });
}

#[test]
fn bad_queries() {
    let load = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("charters")
            .join(format!("{name}.charter"));
        let text = std::fs::read_to_string(&path).unwrap();
        charter::check::load(&Source::new(format!("{name}.charter"), text)).unwrap()
    };
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/queries.txt"),
    )
    .unwrap();
    let mut out = String::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        // `juniper: ipo ...` runs against charters/juniper.charter.
        let (name, line) = match line.split_once(": ") {
            Some((n, rest)) if !n.contains(' ') => (n, rest),
            _ => ("avesta", line),
        };
        let a = answer(&mut Session::new(&load(name)), line);
        assert!(a.contains("problem"), "`{line}` should fail");
        out.push_str(&a);
        out.push('\n');
    }
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("bad_queries", out);
    });
}

#[test]
fn approvals() {
    insta::with_settings!({ snapshot_path => "../../snapshots/approvals", prepend_module_to_snapshot => false }, {
        insta::glob!("../../charters", "*.charter", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let c = charter::check::load(&Source::new(name, text.as_str())).unwrap();
            let mut out = String::new();
            let actions = charter::ir::STANDARD_ACTIONS
                .iter()
                .map(|(w, _)| w.to_string())
                .chain(c.protective.actions.iter().map(|a| a.0.clone()));
            for action in actions {
                out.push_str(&answer(&mut Session::new(&c), &format!("approve {action}")));
                out.push('\n');
            }
            let mut session = Session::new(&c);
            for q in ["votes", "board of 7", "approve merger --format json"] {
                out.push_str(&answer(&mut session, q));
                out.push('\n');
            }
            insta::assert_snapshot!(out);
        });
    });
}

/// The exit curve of each seed charter: its breakpoints under a liquidation
/// and each deemed liquidation (as a table, and once as JSON), and a curve
/// in 10 steps to a little past the last breakpoint.
#[test]
fn exit_curves() {
    insta::with_settings!({ snapshot_path => "../../snapshots/curves", prepend_module_to_snapshot => false }, {
        insta::glob!("../../charters", "*.charter", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let c = charter::check::load(&Source::new(name, text.as_str())).unwrap();
            let mut out = String::new();
            let mut statements = vec!["breakpoints".to_string()];
            statements.extend(c.events.iter().map(|e| format!("breakpoints as \"{}\"", e.name)));
            statements.push("breakpoints --format json".to_string());
            for s in &statements {
                out.push_str(&answer(&mut Session::new(&c), s));
                out.push('\n');
            }
            let top = charter::eval::curve::walk(&c, &c.liquidation, None, charter::eval::curve::Detail::Explained)
                .unwrap()
                .breakpoints
                .last()
                .map(|b| b.exit)
                .unwrap_or_default();
            let to = (top * rust_decimal::Decimal::new(12, 1)).round_dp(0).max(rust_decimal::Decimal::from(1_000_000));
            out.push_str(&answer(&mut Session::new(&c), &format!("curve $0 ${to} in 10 steps")));
            insta::assert_snapshot!(out);
        });
    });
}
