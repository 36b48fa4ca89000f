//! `charter repl` as a user drives it.
//!
//! - Transcripts: each `tests/cases/repl/NAME.txt` is piped into `charter repl
//!   charters/NAME.charter` and the session is snapshotted under
//!   `snapshots/repl/`; the figures that matter are also asserted.
//! - A pseudo-terminal session (unix only) types into the real line editor:
//!   tab completion, multi-line input, Ctrl-C and Ctrl-D.

use crate::common;

use std::path::Path;
use std::process::Command;

/// Runs `charter repl FILE` with `script` as its input; returns stdout.
fn transcript(file: &str, script: &str) -> String {
    let out = common::piped(
        Command::new(env!("CARGO_BIN_EXE_charter")).args(["repl", file]),
        script,
    );
    // Scripts show diagnostics on purpose, and a script with a failing
    // statement exits 1 (`repl_exit_codes`); anything else is a crash.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the REPL must leave with status 0 or 1: {:?}",
        out.status
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The transcript of `tests/cases/repl/NAME.txt` run on `charters/NAME.charter`.
fn scripted(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script =
        std::fs::read_to_string(root.join(format!("tests/cases/repl/{name}.txt"))).unwrap();
    transcript(&format!("charters/{name}.charter"), &script)
}

/// A path in the target directory, so tests never touch the user's history.
fn tempfile_path(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{name}-{}.history", std::process::id()))
}

/// The answer printed after the prompt line `charter> {statement}`.
fn after<'t>(transcript: &'t str, statement: &str) -> &'t str {
    let prompt = format!("charter> {statement}\n");
    let start = transcript
        .find(&prompt)
        .unwrap_or_else(|| panic!("no `{statement}` in:\n{transcript}"))
        + prompt.len();
    let rest = &transcript[start..];
    &rest[..rest.find("charter> ").unwrap_or(rest.len())]
}

#[test]
fn transcripts_of_every_charter() {
    let mut seen = 0;
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/repl")).unwrap()
    {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let out = scripted(&name);
        insta::with_settings!({ snapshot_path => "../../snapshots/repl", prepend_module_to_snapshot => false, input_file => &path }, {
            insta::assert_snapshot!(name, out);
        });
        seen += 1;
    }
    assert_eq!(seen, 4, "one script per charter in charters/");
}

#[test]
fn avesta_session_keeps_events_and_edits() {
    let out = scripted("avesta");

    // § A.2(d)(iv) broad-based weighted average, 1,000,000 common at $3:
    // Series D $6.24 × (20,735,992 + 3,000,000/6.24) / (20,735,992 + 1,000,000)
    // = $6.24 × 21,216,761.23 / 21,735,992 = $6.0909…, to the cent $6.09.
    assert!(after(&out, "issue 1000000 Common at $3").contains("$6.24 → $6.09"));
    // Series D converts at $6.24 / $6.09 = 1.02463… common a share; 1,827,667
    // shares give 1,872,680.8 common; FTV's 500,000 give 512,315.27 common.
    let convert = after(&out, "convert D");
    assert!(convert.contains("$6.09"), "{convert}");
    assert!(convert.contains("512,315"), "{convert}");

    // The scenario keeps the issuance and the conversion (an event: D's
    // shares became common) until `:undo` drops the last.
    let history = after(&out, ":history");
    assert!(
        history.contains("1  issue 1000000 Common at $3"),
        "{history}"
    );
    assert!(history.contains("2  convert D"), "{history}");
    assert!(after(&out, ":undo").contains("dropped: convert D"));

    // A typo is a diagnostic pointing into the line typed; the session goes on.
    let bad = after(&out, "pay $80M");
    assert!(bad.contains("input:1:1"), "{bad}");
    assert!(out.contains("charter> :reset"));

    // The cap change shows as a diff of the merger payout; the file is untouched.
    let diff = after(&out, ":diff payout $80M as merger");
    assert!(diff.starts_with("--- as saved\n+++ as edited\n"), "{diff}");
    let on_disk = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/avesta.charter"),
    )
    .unwrap();
    assert!(on_disk.contains("participate until 3x original issue price in total"));

    // `compare with` sets the file as saved against the edit: the 2x cap
    // binds Series A first at 2 × $2.2917 × 1,767,243 = $8,099,981.5662, a
    // row of both; the one clause that differs is the deemed event's cap.
    let cmp = after(
        &out,
        "compare with charters/avesta.charter 0 100M as merger",
    );
    assert!(cmp.contains("$8,099,981.57"), "{cmp}");
    assert!(cmp.contains("Clauses that differ:"), "{cmp}");
    assert!(cmp.contains("§ A.1(e)"), "{cmp}");
    assert!(
        cmp.contains("until 2x original issue price in total"),
        "{cmp}"
    );

    // `:format json` answers in JSON: Series D's conversion price is $6.24
    // again after `:reset`.
    let json = after(&out, "conversion prices");
    assert!(
        json.trim_start().starts_with('{') || json.trim_start().starts_with('['),
        "{json}"
    );
    assert!(json.contains("6.24"), "{json}");
}

#[cfg(unix)]
mod pty {
    use rexpect::session::{PtySession, spawn_command};
    use std::process::Command;

    // rexpect reads bytes as Latin-1 characters: the strings expected here are ASCII.
    fn start() -> PtySession {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_charter"));
        cmd.args(["repl", "charters/avesta.charter"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CHARTER_HISTORY", super::tempfile_path("pty"))
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("loaded charters/avesta.charter").unwrap();
        p
    }

    /// Types `s` without Enter; `send` alone leaves it in a buffer.
    fn keys(p: &mut PtySession, s: &str) {
        p.send(s).unwrap();
        p.flush().unwrap();
    }

    #[test]
    fn a_session_in_a_terminal() {
        let mut p = start();

        // A payout: $50M under § A.1 leaves Series D $12,523,318.50
        // (the figure tests/payout_values.rs derives by hand).
        p.send_line("payout $50M").unwrap();
        p.exp_string("$12,523,318.50").unwrap();

        // An event, then a conversion that sees it.
        p.send_line("issue 1000000 Common at $3").unwrap();
        p.exp_string("$6.09 on 1999-09-24").unwrap();
        p.send_line("convert D").unwrap();
        p.exp_string("conversion price $6.09").unwrap();

        // An approval names the sections that must consent.
        p.send_line("approve merger at $5 per share").unwrap();
        p.exp_string("A.6(b)(iv)").unwrap();

        // A bad statement: a diagnostic with the span, and the session goes on.
        p.send_line("payout 5x").unwrap();
        p.exp_string("expected an amount").unwrap();
        p.exp_string("found `x`").unwrap();

        // Tab completes a partial class name, quoting it: `Seri` becomes
        // `"Series ` (common to Series A to D); the user types `C"` (D has
        // converted above: a conversion is an event).
        keys(&mut p, "convert Seri");
        keys(&mut p, "\t");
        p.exp_string("\"Series ").unwrap();
        keys(&mut p, "C\"\r");
        p.exp_string("Conversion of Series C").unwrap();

        // An unfinished statement continues on the next line, under the
        // continuation prompt.
        keys(&mut p, "approve merger with\r");
        p.exp_string("...> ").unwrap();
        keys(&mut p, "D 60%\r");
        p.exp_string("Approval of `merger`").unwrap();

        // Ctrl-C clears the line and keeps the session; Ctrl-D leaves it.
        keys(&mut p, "payout $1");
        p.send_control('c').unwrap();
        // The editor drops keys typed before it shows the new prompt.
        std::thread::sleep(std::time::Duration::from_millis(500));
        p.send_line(":history").unwrap();
        p.exp_string("1  issue 1000000 Common at $3").unwrap();
        p.send_control('d').unwrap();
        p.exp_eof().unwrap();
    }

    /// Edits in memory are not dropped without a warning: `:quit` and
    /// Ctrl-D warn once and leave when repeated. Completion knows where it
    /// is: actions after `approve`, classes after `with`.
    #[test]
    fn unsaved_edits_warn_and_completion_fits_the_place() {
        let mut p = start();
        p.send_line(
            ":replace \"A, B, C, D participate as converted\" with \"A, B, C, D do not participate\"",
        )
        .unwrap();
        p.exp_string("edited in memory").unwrap();
        p.send_line(":quit").unwrap();
        p.exp_string("has edits not saved").unwrap();
        p.exp_string(":quit again drops them").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_control('d').unwrap();
        p.exp_string("Ctrl-D again drops them").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));

        // After `approve`, Tab offers actions: `asset-s` completes to
        // `asset-sale`, which no class or keyword begins with.
        keys(&mut p, "approve asset-s");
        keys(&mut p, "\t");
        p.exp_string("asset-sale").unwrap();
        keys(&mut p, "\r");
        p.exp_string("Approval of `asset-sale`").unwrap();

        // After `with`, Tab offers classes: `Seri` completes to `"Series `.
        keys(&mut p, "approve merger with Seri");
        keys(&mut p, "\t");
        p.exp_string("\"Series ").unwrap();
        keys(&mut p, "D\" 60%\r");
        p.exp_string("Approval of `merger`").unwrap();

        // The edits are still unsaved: Ctrl-D warns again, and a second
        // Ctrl-D right after leaves.
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_control('d').unwrap();
        p.exp_string("Ctrl-D again drops them").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_control('d').unwrap();
        p.exp_eof().unwrap();
    }
}

#[test]
fn a_what_if_cap_shows_in_the_diff() {
    let out = scripted("quintus");
    // With § 2(b)'s Series E cap cut from $10.375 to $5 a share in total,
    // Series E (3,000,000 shares) stops at 3,000,000 × $5 = $15,000,000.00 of
    // the $100M. As filed, E's preference alone is 3,000,000 × $4.15 =
    // $12,450,000 and it participates beyond that, so the saved line differs
    // and shows more than the cap.
    let diff = after(&out, ":diff payout $100M");
    assert!(
        diff.contains("+│ Series E ┆  3,000,000 ┆  $15,000,000.00 ┆   $5.0000"),
        "{diff}"
    );
    let saved = diff
        .lines()
        .find(|l| l.starts_with("-│ Series E"))
        .expect("the saved Series E line");
    let amount: rust_decimal::Decimal = saved
        .split('┆')
        .nth(2)
        .unwrap()
        .trim()
        .trim_start_matches('$')
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(amount > rust_decimal::Decimal::from(15_000_000), "{saved}");
    // `:reload` reads the file again: the edit is gone, the events stay.
    assert!(after(&out, ":history").contains("1  issue 2000000 Common at $1"));
}

#[test]
fn save_writes_the_edited_charter_and_nothing_else() {
    let out_file = tempfile_path("saved").with_extension("charter");
    let script = format!(
        ":replace \"C participates until 1x original issue price more\" with \"C participates until 2x original issue price more\"\n:save {}\n",
        out_file.display()
    );
    let out = transcript("charters/scc.charter", &script);
    assert!(out.contains("saved "), "{out}");
    let saved = std::fs::read_to_string(&out_file).unwrap();
    let on_disk =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/scc.charter"))
            .unwrap();
    // The saved file is the original with exactly the one clause changed.
    assert_eq!(
        saved,
        on_disk.replacen(
            "C participates until 1x original issue price more",
            "C participates until 2x original issue price more",
            1
        )
    );
    assert_ne!(saved, on_disk);
    let _ = std::fs::remove_file(out_file);
}

#[test]
fn the_repl_answers_as_charter_query_does() {
    // The same statements, run by `charter query --format json` and typed
    // into the REPL after `:format json`, give the same JSON line by line.
    let statements = [
        "issue 2000000 Common at $1",
        "split 2:1",
        "conversion prices",
        "convert E for \"other holders of Series E\" at $2",
        "payout $100M as \"Deemed Liquidation\"",
        "approve merger with A 60%, B 60%, C 60%, D 60%, E 60%, F 60%",
        "declare dividend $1M",
    ];
    let query = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["query", "charters/quintus.charter", "--format", "json"])
        .args(statements)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        query.status.success(),
        "{}",
        String::from_utf8_lossy(&query.stderr)
    );
    let expected: Vec<String> = String::from_utf8(query.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(expected.len(), statements.len());

    let script = format!(":format json\n{}\n", statements.join("\n"));
    let out = transcript("charters/quintus.charter", &script);
    for (statement, json) in statements.iter().zip(&expected) {
        assert_eq!(after(&out, statement).trim(), json, "{statement}");
    }
}

#[test]
fn test_runs_the_expectations_on_the_edited_charter() {
    // Avesta's expect blocks hold 8 + 6 + 5 + 5 + 7 + 4 + 2 + 6 + 5 + 4 + 3 =
    // 55 claims (the last three: an acquisition's 75% vote, which no
    // preference touches), and 11 more on its readings (fees gross and net,
    // 2 + 2; a dividend read as the greater of, 5; an asset sale's votes by
    // shares and as converted, 1 + 1) and 2 on § A.6(a)(iii)'s exception,
    // which no preference touches either, 2 on § A.6(b)(iv) after a fund
    // converts (votes, untouched too), 3 on § A.5(a)'s dividend year (both
    // readings; dividends, untouched), 2 on § A.3(e)'s maximum number of
    // shares (the $1M buys 80,128 D at $12.48 instead of 160,256 at $6.24:
    // $999,997.44 either way, and FTV's 21,921 come to $273,574.08 as its
    // 43,842 did), 2 on § A.3(f)'s part of a year
    // (pro rata and not counted, 1 + 1) and 3 on § A.3(a)(ii)'s base (in all,
    // 2; held then, 1), and 4 on the exceptions and the acquisition of
    // § A.6(a)(v), (ix) and (b)(iv) (votes, untouched: the price test reads
    // D's issue price, not its preference).
    // Doubling D's preference (§ A.1(a)) changes every figure of the $50M
    // liquidation but D's decision not to convert (7 of 8 fail), and D's
    // redemption price, now the greater of $7.00 and 2 × $6.24 = $12.48, so
    // four redemption figures of § A.3 change (D's, its holder FTV's, and A's
    // on both dates), and so do A's late payments on 2003-06-30 under both
    // part-of-a-year readings: D's 609,221 shares now cost $7,603,078.08,
    // more than the $5M, so all 589,081 of A's requested shares are owed,
    // not 538,905 (2 more fail); and the three on § A.3(a)(ii), A's for the
    // same reason and FTV's at D's new price (3 more). The merger (its own 1x preferences), the transaction
    // redemption (10M / 12.48 → 801,282 shares × $12.48 = $9,999,999.36, as
    // before), dividends, prices and votes do not.
    let out = transcript(
        "charters/avesta.charter",
        ":test\n:replace \"preference D: 1x original issue price plus declared dividends   § A.1(a)\" with \"preference D: 2x original issue price plus declared dividends   § A.1(a)\"\n:test\n",
    );
    let summaries: Vec<&str> = out.lines().filter(|l| l.contains(" passed, ")).collect();
    assert_eq!(
        summaries,
        ["84 passed, 0 failed", "68 passed, 16 failed"],
        "{out}"
    );
}

/// `charter repl` on a file that cannot be read is an error (exit 1); a
/// piped script with a failing statement exits 1 after running the rest;
/// input that is not UTF-8 ends the session with exit 1 and says so.
#[test]
fn repl_exit_codes() {
    let missing = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["repl", "charters/no-such.charter"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let failing = common::piped(
        Command::new(env!("CARGO_BIN_EXE_charter")).args(["repl", "charters/avesta.charter"]),
        "payot 50M\npayout 50M\n",
    );
    assert_eq!(failing.status.code(), Some(1));
    // The statement after the failing one still ran: Series D $12,523,318.50.
    assert!(String::from_utf8_lossy(&failing.stdout).contains("$12,523,318.50"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["repl", "charters/avesta.charter"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CHARTER_HISTORY", tempfile_path("utf8"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"payout 50M\n\xff\xfe bad\npayout 10M\n")
            .unwrap();
    }
    let bad = child.wait_with_output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("were not run"));
}

#[test]
fn reading_answers_under_another_reading() {
    // SCC § 1(a) under actual/actual: 1999-12-30 to 2001-12-30 is exactly two
    // years, $0.804 × 2 × 1,250,000 = $2,010,000.00 (actual/365 gives
    // $2,012,753.42); the scenario's date is kept across the change.
    let out = transcript(
        "charters/scc.charter",
        "on 2001-12-30\naccrued\n:reading day count=actual/actual\naccrued\n:reading\n",
    );
    let first = out.find("$2,012,753.42").expect(&out);
    let second = out.find("$2,010,000.00").expect(&out);
    assert!(first < second, "{out}");
    assert!(
        out.contains(r#""actual/365", "actual/actual" (taken)"#),
        "{out}"
    );
}

#[test]
fn a_script_keeps_no_history_and_asks_before_overwriting_a_file() {
    let history = tempfile_path("piped");
    let _ = std::fs::remove_file(&history);
    let target = tempfile_path("exists").with_extension("charter");
    std::fs::write(&target, "keep me").unwrap();
    let script = format!("payout 50M\n:save {0}\n", target.display());
    let out = common::piped(
        Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(["repl", "charters/avesta.charter"])
            .env("CHARTER_HISTORY", &history),
        &script,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // A script is not the user's typing: no history file is written.
    assert!(!history.exists(), "{}", history.display());
    // Another file that exists is not overwritten at the first `:save`.
    assert!(text.contains("exists: `:save"), "{text}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // Asked twice, it is.
    let twice = format!("{script}:save {}\n", target.display());
    let out = common::piped(
        Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(["repl", "charters/avesta.charter"])
            .env("CHARTER_HISTORY", &history),
        &twice,
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("saved "));
    assert_ne!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let _ = std::fs::remove_file(target);
}
