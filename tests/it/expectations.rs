//! The `expect` blocks of the source charters, and the behaviour of
//! `charter test` and `charter snapshot` on files made for the purpose.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use charter::diagnostic::Source;
use charter::expect::Verdict;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in the crate's folder with `input` on standard input;
/// returns the exit code and what it printed.
fn charter(args: &[&str], input: &str) -> (i32, String) {
    let out = common::piped(
        Command::new(env!("CARGO_BIN_EXE_charter")).args(args),
        input,
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Every expectation written in the source charters holds, and there are
/// enough of them that this cannot pass by finding none.
#[test]
fn the_source_charters_hold_their_expectations() {
    for (name, at_least) in [("avesta", 10), ("juniper", 8), ("quintus", 11), ("scc", 9)] {
        let path = root().join(format!("charters/{name}.charter"));
        let text = std::fs::read_to_string(&path).unwrap();
        let source = Source::new(path.display().to_string(), text);
        let (charter, suite) = match charter::check::load_suite(&source) {
            Ok(x) => x,
            Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
        };
        assert!(
            suite.expectations.len() >= at_least,
            "{name} has {} expect blocks",
            suite.expectations.len()
        );
        for outcome in charter::expect::run(&charter, &suite) {
            assert!(outcome.problem.is_none(), "{name}: {}", outcome.name);
            for c in &outcome.claims {
                assert!(
                    matches!(c.verdict, Verdict::Pass),
                    "{name}: \"{}\": `{}`: {:?}",
                    outcome.name,
                    c.claim.text,
                    c.verdict
                );
            }
        }
    }
}

#[test]
fn charter_test_reports_a_passing_file_and_its_companion() {
    let (code, out) = charter(&["test", "tests/cases/expect/small.charter"], "");
    assert_eq!(code, 0, "{out}");
    // 7 + 2 + 2 claims in the charter and 2 in small.charter.test.
    assert_eq!(out.lines().last(), Some("13 passed, 0 failed"));
    assert!(out.contains("tests/cases/expect/small.charter.test"));
    insta::with_settings!({ snapshot_path => "../../snapshots/expect", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("passing", out);
    });
}

#[test]
fn charter_test_reports_each_failure_with_its_derivation() {
    let (code, out) = charter(&["test", "tests/cases/expect/failing.charter"], "");
    assert_eq!(code, 1, "{out}");
    // Block 1: `Common receives $1,000,000.00` holds, the two others fail.
    // Block 2: `passes` fails. Block 3: its statement fails, and the one
    // claim after it is not compared.
    assert_eq!(out.lines().last(), Some("1 passed, 4 failed"));
    assert!(out.contains("expected $2,500,000.00, actual $2,000,000.00"));
    assert!(out.contains("expected converts, actual does not convert"));
    assert!(out.contains("expected passes, actual fails on § 4(a)"));
    assert!(out.contains("charter::check::unknown_class"));
    assert!(out.contains("derivation of the actual answer"));
    insta::with_settings!({ snapshot_path => "../../snapshots/expect", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("failing", out);
    });
}

#[test]
fn charter_test_on_a_folder_without_charters_is_a_problem() {
    let (code, out) = charter(&["test", "docs"], "");
    assert_eq!(code, 1);
    assert!(out.contains("charter::test::no_charters"), "{out}");
    assert_eq!(out.lines().last(), Some("0 passed, 1 failed"));
}

/// A fresh folder holding a copy of the small charter with two snapshots.
fn snapshot_folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("snapshot-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("tests/cases/expect/small.charter")).unwrap();
    let text = format!(
        "{text}\nsnapshot \"exits\" {{\n  payout $1.5M\n  payout $5M\n}}\n\
         snapshot \"down round\" {{\n  issue 1_000_000 Common at $1.00\n  conversion prices\n}}\n"
    );
    std::fs::write(dir.join("small.charter"), text).unwrap();
    dir
}

#[test]
fn snapshot_round_trip_record_change_review_accept() {
    let dir = snapshot_folder("round-trip");
    let charter_file = dir.join("small.charter");
    let snap = dir.join("small.charter.snap");
    let path = dir.to_str().unwrap();

    // Nothing recorded: both snapshots are new, and that fails.
    let (code, out) = charter(&["snapshot", path], "");
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.lines().last(), Some("0 unchanged, 0 changed, 2 new"));

    // Record them; now they match.
    let (code, _) = charter(&["snapshot", path, "--update"], "");
    assert_eq!(code, 0);
    let recorded = std::fs::read_to_string(&snap).unwrap();
    assert!(recorded.contains("=== snapshot \"exits\""));
    // $1.5M is all the preference: A $1,500,000.00 (see small.charter).
    assert!(recorded.contains("$1,500,000.00"));
    let (code, out) = charter(&["snapshot", path], "");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().last(), Some("2 unchanged, 0 changed, 0 new"));

    // Change a clause: a 1.5x preference. At $1.5M nothing changes (the exit is
    // still below the preference) but the explanation cites the new clause;
    // at $5M, 1.5 × $2.00 × 1,000,000 = $3,000,000 beats converting ($2.5M).
    let text = std::fs::read_to_string(&charter_file).unwrap();
    std::fs::write(
        &charter_file,
        text.replace(
            "preference A: 1x original issue price",
            "preference A: 1.5x original issue price",
        ),
    )
    .unwrap();
    let (code, out) = charter(&["snapshot", path], "");
    assert_eq!(code, 1);
    assert_eq!(out.lines().last(), Some("1 unchanged, 1 changed, 0 new"));
    assert!(
        out.contains("-│ Series A ┆ 1,000,000 ┆ $2,500,000.00"),
        "{out}"
    );
    assert!(
        out.contains("+│ Series A ┆ 1,000,000 ┆ $3,000,000.00"),
        "{out}"
    );

    // Review: reject first; the record stays as it was and the run fails.
    let (code, out) = charter(&["snapshot", path, "--review"], "n\n");
    assert_eq!(code, 1);
    assert!(out.contains("accept the new answer? [y]es, [n]o, [q]uit: n"));
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), recorded);

    // Accept: the record now holds the new answer and the comparison passes.
    let (code, out) = charter(&["snapshot", path, "--review"], "y\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 unchanged, 1 changed, 0 new, 1 accepted, 0 rejected\n"));
    assert!(
        std::fs::read_to_string(&snap)
            .unwrap()
            .contains("$3,000,000.00")
    );
    let (code, _) = charter(&["snapshot", path], "");
    assert_eq!(code, 0);
}

#[test]
fn a_removed_snapshot_is_obsolete_and_dropped_on_update() {
    let dir = snapshot_folder("obsolete");
    let path = dir.to_str().unwrap();
    let (code, _) = charter(&["snapshot", path, "--update"], "");
    assert_eq!(code, 0);
    let charter_file = dir.join("small.charter");
    let text = std::fs::read_to_string(&charter_file).unwrap();
    let cut = text.find("snapshot \"down round\"").unwrap();
    std::fs::write(&charter_file, &text[..cut]).unwrap();
    // An obsolete record is reported but fails nothing.
    let (code, out) = charter(&["snapshot", path], "");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("obsolete   \"down round\""));
    let (code, _) = charter(&["snapshot", path, "--update"], "");
    assert_eq!(code, 0);
    let snap = std::fs::read_to_string(dir.join("small.charter.snap")).unwrap();
    assert!(!snap.contains("down round"));
}

#[test]
fn charter_check_covers_the_companion_file() {
    // small.charter has 3 expect blocks and small.charter.test 1.
    for path in [
        "tests/cases/expect/small.charter",
        "tests/cases/expect/small.charter.test",
    ] {
        let (code, out) = charter(&["check", path], "");
        assert_eq!(code, 0, "{out}");
        assert_eq!(
            out.trim(),
            "tests/cases/expect/small.charter: 2 classes, 4 expectations, no problems found"
        );
    }
    // A claim with nothing to read is a problem of the file it is written in.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("companion-check");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("tests/cases/expect/small.charter"),
        dir.join("small.charter"),
    )
    .unwrap();
    std::fs::write(
        dir.join("small.charter.test"),
        "expect \"no payout\" § 2(a) {\n  A receives $1.00\n}\n",
    )
    .unwrap();
    let (code, out) = charter(&["check", dir.join("small.charter").to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        out.contains("charter::check::claim_without_answer"),
        "{out}"
    );
    assert!(out.contains("small.charter.test:2:3"), "{out}");
}

#[test]
fn the_source_charters_snapshots_are_current() {
    let (code, out) = charter(&["snapshot", "charters"], "");
    assert_eq!(code, 0, "run `charter snapshot charters --review`:\n{out}");
    assert_eq!(out.lines().last(), Some("3 unchanged, 0 changed, 0 new"));
    // The recorded down round: FTV's 500,000 D at $6.24 / $5.95 convert into
    // 524,369.7479 common, 524,369 delivered (see the expect block beside it).
    let snap = std::fs::read_to_string(root().join("charters/avesta.charter.snap")).unwrap();
    assert!(snap.contains("524,369"), "{snap}");
}

#[cfg(unix)]
#[test]
fn a_folder_search_does_not_follow_a_link_cycle() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("link-cycle");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(
        root().join("tests/cases/expect/small.charter"),
        dir.join("sub/small.charter"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/back")).unwrap();
    // small.charter alone: 7 + 2 + 2 claims, found once.
    let (code, out) = charter(&["test", dir.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().last(), Some("11 passed, 0 failed"));
}

#[test]
fn charter_test_reports_in_json() {
    let (code, out) = charter(
        &[
            "test",
            "tests/cases/expect/failing.charter",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The same counts as the text report: 1 passed, 4 failed.
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(1), Some(4))
    );
    let first = &v["files"][0]["expectations"][0]["claims"][0];
    assert_eq!(first["claim"], "A receives $2,500,000.00");
    assert_eq!(first["holds"], false);
    // The preference is 1,000,000 × $2.00.
    assert_eq!(first["actual"], "$2,000,000.00");
    let third = &v["files"][0]["expectations"][2];
    assert_eq!(
        third["problems"][0]["code"],
        "charter::check::unknown_class"
    );
    assert_eq!(third["claims"][0]["not_run"], true);
}

/// The README says how many claims the charters' `expect` blocks make: the
/// number `charter test charters/` runs, not one that drifts.
#[test]
fn the_readme_counts_the_claims() {
    let o = crate::common::charter(&["test", "charters/"]);
    let out = crate::common::stdout(&o);
    let last = out.lines().last().unwrap_or_default();
    let passed = last.split(" passed").next().unwrap_or_default();
    let readme = crate::common::fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
    assert!(
        readme.contains(&format!("blocks, {passed} claims)")),
        "README.md should say `blocks, {passed} claims)`: {last}"
    );
}
