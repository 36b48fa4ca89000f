//! A new user's first hour (issue 14): amounts the shell mangled, terms the
//! charter does not state, exact figures, one number per amount, and
//! diagnostics that teach — each observed from outside, as a user runs
//! `charter`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn charter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// What `"$1.5B"`, `"$50M"`, `"$10.5M"`, `"$100"`, `"$50,000,000"` and
/// `"$M"` leave after the shell expands `$1`, `$5`, `$M` to nothing: each is
/// refused with the shell's `$` explained, never paid out as a smaller exit.
#[test]
fn amounts_the_shell_mangled_are_refused() {
    for mangled in [".5B", "0M", "0.5M", "00", "0,000,000", ""] {
        let o = charter(&["payout", "charters/avesta.charter", mangled]);
        assert_eq!(o.status.code(), Some(1), "{mangled:?}: {}", stdout(&o));
        assert!(stdout(&o).is_empty(), "{mangled:?} printed a payout");
        let err = stderr(&o);
        assert!(
            err.contains("charter::parse::shell_remains"),
            "{mangled:?}: {err}"
        );
        assert!(err.contains("single quotes"), "{mangled:?}: {err}");
    }
    // The same inside a statement given to `query`.
    let o = charter(&["query", "charters/avesta.charter", "payout 0M"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("charter::parse::shell_remains"));
    // And in the ranges of `curve` and `breakpoints`.
    let o = charter(&["curve", "charters/avesta.charter", "0", "0M"]);
    assert!(stderr(&o).contains("charter::parse::shell_remains"));
    let o = charter(&["breakpoints", "charters/avesta.charter", "--to", ".5B"]);
    assert!(stderr(&o).contains("charter::parse::shell_remains"));
}

/// Amounts without `$` are read as written: `50M` is $50,000,000, `1.5B`
/// $1,500,000,000, and a bare `0` is an exit of nothing.
#[test]
fn amounts_without_a_dollar_sign_are_read() {
    let o = charter(&["payout", "charters/avesta.charter", "50M"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Payout of $50,000,000.00"));
    let o = charter(&[
        "payout",
        "charters/avesta.charter",
        "1.5B",
        "--format",
        "json",
    ]);
    assert!(
        stdout(&o).contains("\"exit\":\"1500000000\""),
        "{}",
        stdout(&o)
    );
    let o = charter(&["payout", "charters/avesta.charter", "0"]);
    assert!(stdout(&o).contains("Payout of $0.00"));
}

/// `-$5M` on the command line gets the diagnostic a statement gets: amounts
/// are never negative (not clap's "unexpected argument").
#[test]
fn negative_amounts_are_refused_the_same_way_everywhere() {
    let cli = charter(&["payout", "charters/avesta.charter", "-$5M"]);
    let statement = charter(&["query", "charters/avesta.charter", "payout -$5M"]);
    for o in [&cli, &statement] {
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(o);
        assert!(err.contains("`-$5M` is negative"), "{err}");
        assert!(err.contains("never negative"), "{err}");
    }
    let o = charter(&[
        "query",
        "charters/avesta.charter",
        "issue 100 Common at -$1",
    ]);
    assert!(stderr(&o).contains("`-$1` is negative"), "{}", stderr(&o));
}
