//! Helpers shared by the integration tests.

pub mod generated;
pub mod served;
pub mod wide;

use charter::diagnostic::Source;
use charter::eval::Payout;
use charter::ir::Charter;
use charter::query::{self, Answer};
use rust_decimal::Decimal;

/// The charters shipped in `charters/`.
pub const SHIPPED: [&str; 5] = [
    "avesta.charter",
    "juniper.charter",
    "model_series_a.charter",
    "quintus.charter",
    "scc.charter",
];

/// Loads a charter from text, panicking with the rendered problems if it fails.
pub fn load(name: &str, text: &str) -> Charter {
    match charter::check::load(&Source::new(name, text)) {
        Ok(c) => c,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// Loads a charter file from `charters/`.
pub fn load_file(name: &str) -> Charter {
    let path = format!("{}/charters/{name}", env!("CARGO_MANIFEST_DIR"));
    load(&path, &fixture(&path))
}

/// Runs `payout ...` and returns the result.
pub fn payout(c: &Charter, statement: &str) -> Payout {
    match query::run(c, "query", statement) {
        Ok(Answer::Payout(p)) => p,
        Ok(other) => panic!("not a payout: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// A class's payout by name.
pub fn class(p: &Payout, name: &str) -> Decimal {
    p.classes
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no class {name}"))
        .payout
}

/// Whether a class converted.
pub fn converted(p: &Payout, name: &str) -> bool {
    p.classes.iter().find(|c| c.name == name).unwrap().converted
}

/// A dollar amount from text such as "1234.56".
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Asserts every class's payout, and that the payouts sum to the exit.
pub fn assert_payouts(p: &Payout, expected: &[(&str, &str)]) {
    for (name, amount) in expected {
        assert_eq!(class(p, name), d(amount), "payout of {name}");
    }
    assert_eq!(total(p), p.exit, "payouts sum to the exit");
}

/// What a payout pays in all: every class and every pool.
pub fn total(p: &Payout) -> Decimal {
    p.classes
        .iter()
        .map(|c| c.payout)
        .chain(p.pools.iter().map(|x| x.payout))
        .sum()
}

/// Runs `command` with `input` on its standard input, colour off and
/// history kept out of the user's files; returns what it printed.
pub fn piped(command: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let history = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("test-{}.history", std::process::id()));
    let mut child = command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("CHARTER_HISTORY", history)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A one-rank test charter: Common 1,000,000 and the given preferred blocks
/// and liquidation clauses.
pub fn small(stock: &str, liquidation: &str, conversion: &str) -> Charter {
    let text = format!(
        "charter \"Test, Inc.\" {{ filed 2020-01-01 jurisdiction Delaware }}\n\
         stock Common {{ common outstanding 1_000_000 }}\n{stock}\n\
         liquidation § 2 {{\n{liquidation}\n}}\nconversion § 4 {{\n{conversion}\n}}\n"
    );
    load("test.charter", &text)
}

/// Runs the `charter` binary in the crate's folder with `args`.
pub fn charter(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// What a run printed on standard output.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Writes `text` to `name` in a folder of this call's own (tests run in
/// parallel, and two may write files of the same name), and returns the path
/// as the command line takes it.
pub fn written(name: &str, text: &str) -> String {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("charter-test-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// A fixture file's text; a missing one names its path (a bare `NotFound`
/// says nothing of which file a clone lacks).
pub fn fixture(path: impl AsRef<std::path::Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Runs a `breakpoints` statement and returns its answer.
pub fn breakpoints(c: &Charter, statement: &str) -> charter::eval::breakpoints::Breakpoints {
    match query::run(c, "query", statement) {
        Ok(Answer::Breakpoints(b)) => b,
        Ok(other) => panic!("not breakpoints: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// Runs `charter ARGS` (in the project's folder, without colour) with
/// `input` on its standard input; killed, and the test failed, if it has
/// not ended within 30 s (a command that blocks is a defect, not a hang).
pub fn charter_with_input(args: &[&str], input: &str) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("{args:?} did not end: it blocked");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// An exported OCF file's text without the charter text the export carries
/// in `comments` (as a package another tool wrote would be), and, in a
/// manifest, without the checksums the change spoils.
pub fn without_carried(text: &str) -> String {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("md5");
                for (key, value) in map.iter_mut() {
                    if key == "comments"
                        && let Some(list) = value.as_array_mut()
                    {
                        list.retain(|c| {
                            !c.as_str()
                                .is_some_and(|t| t.starts_with(charter::interchange::ocf::CARRIED))
                        });
                    }
                    strip(value);
                }
            }
            serde_json::Value::Array(list) => list.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
    strip(&mut json);
    json.to_string()
}
