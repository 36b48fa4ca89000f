//! `docs/errors.md` lists every diagnostic code with an example: each example
//! must produce its code, and every code the tool can report must be listed.

use crate::common;

use std::path::Path;
use std::process::Command;

use charter::diagnostic::Source;
use charter::query::Session;

/// Codes with no example, each explained in the catalog: guards that no
/// known input reaches, and the server's budget (an example would be a
/// request to a running server; `server_safety.rs` makes them).
const GUARDS: [&str; 3] = [
    "charter::eval::overflow",
    "charter::eval::no_equilibrium",
    "charter::serve::stopped",
];

/// A section of the catalog: its code and its fenced blocks (language, body).
struct Entry {
    code: String,
    blocks: Vec<(String, String)>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalog() -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    let mut entries: Vec<Entry> = Vec::new();
    let mut fence: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some((lang, body)) = fence.as_mut() {
            if line == "```" {
                let block = (lang.clone(), body.clone());
                entries.last_mut().unwrap().blocks.push(block);
                fence = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if let Some(code) = line.strip_prefix("## `") {
            entries.push(Entry {
                code: code.trim_end_matches('`').to_string(),
                blocks: Vec::new(),
            });
        } else if let Some(lang) = line.strip_prefix("```") {
            fence = Some((lang.to_string(), String::new()));
        }
    }
    entries
}

/// What a charter example reports, rendered: its own problems, or those of
/// its `# query:` statements.
fn output_of_charter(text: &str) -> String {
    match charter::check::load(&Source::new("example.charter", text)) {
        Err(problems) => charter::render::diagnostics::render(&problems, false),
        Ok(c) => {
            let mut session = Session::new(&c);
            let mut out = String::new();
            for q in text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("# query:"))
            {
                if let Err(problems) = session.run("query", q.trim()) {
                    out.push_str(&charter::render::diagnostics::render(&problems, false));
                }
            }
            out
        }
    }
}

/// What a command example prints, `charter` standing for the binary.
fn output_of_command(line: &str, stdin: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_charter");
    let command = line.trim().replacen("charter", bin, 1);
    let out = common::piped(Command::new("sh").args(["-c", &command]), stdin);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Each example's diagnostics are also snapshotted, in catalog order, so
/// that a change of wording shows up as a reviewed diff.
#[test]
fn every_example_produces_its_code() {
    let entries = catalog();
    assert!(
        entries.len() >= 40,
        "the catalog lists {} codes",
        entries.len()
    );
    let mut shown = String::new();
    for e in &entries {
        let produced = match e.blocks.first() {
            Some((lang, body)) if lang == "charter" => output_of_charter(body),
            Some((lang, body)) if lang == "sh" => output_of_command(body, ""),
            Some((lang, body)) if lang == "repl" => {
                let (command, input) = body.split_once('\n').unwrap();
                output_of_command(command, input)
            }
            Some((lang, _)) => panic!("{}: unknown example kind `{lang}`", e.code),
            None => {
                assert!(
                    GUARDS.contains(&e.code.as_str()),
                    "{} has no example",
                    e.code
                );
                continue;
            }
        };
        assert!(
            produced.lines().any(|l| l.trim() == e.code),
            "the example for {} produced:\n{produced}",
            e.code
        );
        shown.push_str(&format!("==== {}\n{produced}\n", e.code));
    }
    // The binary's path and the REPL's banner vary; the diagnostics do not.
    let shown = shown.replace(env!("CARGO_BIN_EXE_charter"), "charter");
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("error_catalog", shown);
    });
}

#[test]
fn every_code_is_in_the_catalog() {
    let source = std::fs::read_to_string(root().join("src/diagnostic/mod.rs")).unwrap();
    let listed: Vec<String> = catalog().into_iter().map(|e| e.code).collect();
    let mut seen = 0;
    for code in source
        .split('"')
        .filter(|s| s.starts_with("charter::") && !s.contains(' '))
    {
        seen += 1;
        assert!(
            listed.iter().any(|l| l == code),
            "{code} is missing from docs/errors.md"
        );
    }
    assert!(seen >= 40, "found {seen} codes in src/diagnostic/mod.rs");
}
