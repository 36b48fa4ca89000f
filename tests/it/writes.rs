//! Nothing written over unasked (issue 33): one rule for every file charter
//! writes — a file that exists is replaced only with `--force` (in the
//! REPL, a second `:save` of that same file), nothing but a regular file is
//! written (a FIFO would block forever), a missing folder is not made — and
//! output past a stated size asks for `--force` first.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{charter, charter_with_input, stdout};

/// Standard error with the renderer's line breaks and margins taken out.
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fresh empty folder.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("charter-writes-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A FIFO at `path`, if this system makes them.
fn fifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn chart_and_compare_keep_an_existing_file_unless_forced() {
    let dir = folder("chart");
    let out = dir.join("a.svg");
    std::fs::write(&out, "mine").unwrap();
    let o = charter(&[
        "chart",
        "charters/scc.charter",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("it exists") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let o = charter(&[
        "chart",
        "charters/scc.charter",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));

    let chart = dir.join("b.svg");
    std::fs::write(&chart, "mine").unwrap();
    let args = [
        "compare",
        "charters/scc.charter",
        "charters/scc.charter",
        "--chart",
        chart.to_str().unwrap(),
    ];
    let o = charter(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "refused before the comparison is printed");
    assert_eq!(std::fs::read_to_string(&chart).unwrap(), "mine");
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    assert!(charter(&forced).status.success());

    // A folder that does not exist is not made.
    let missing = dir.join("no/such/folder/c.svg");
    let o = charter(&[
        "chart",
        "charters/scc.charter",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("its folder does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("no").exists());

    // A FIFO is not a file to write, even forced: the write would block.
    let pipe = dir.join("pipe.svg");
    if fifo(&pipe) {
        let o = charter_with_input(
            &[
                "chart",
                "charters/scc.charter",
                "--out",
                pipe.to_str().unwrap(),
                "--force",
            ],
            "",
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    }
}

#[test]
fn export_replaces_its_files_only_when_forced_and_makes_only_its_own_folder() {
    let dir = folder("export");
    let out = dir.join("scc-ocf");
    let args = [
        "export",
        "ocf",
        "charters/scc.charter",
        "--out",
        out.to_str().unwrap(),
    ];
    assert!(charter(&args).status.success());
    let manifest = std::fs::read_dir(&out).unwrap().count();
    assert!(manifest >= 5, "{manifest} files");
    let before: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    // Again: every file exists, nothing is written.
    let first = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&first, "filled in by hand").unwrap();
    let o = charter(&args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "filled in by hand"
    );
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    assert!(charter(&forced).status.success());
    assert_ne!(
        std::fs::read_to_string(&first).unwrap(),
        "filled in by hand"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), before.len());

    let deep = dir.join("a/b/ocf");
    let o = charter(&[
        "export",
        "ocf",
        "charters/scc.charter",
        "--out",
        deep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.join("a").exists());
}

#[test]
fn the_repl_asks_again_for_each_file_and_never_writes_a_fifo() {
    let dir = folder("repl");
    let (a, b) = (dir.join("a.charter"), dir.join("b.charter"));
    std::fs::write(&a, "a").unwrap();
    std::fs::write(&b, "b").unwrap();
    // `:save a` asks; `:save b` is another file, so it asks again rather
    // than taking the first question's answer.
    let script = format!(":save {}\n:save {}\n", a.display(), b.display());
    let o = charter_with_input(&["repl", "charters/scc.charter"], &script);
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "a");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "b", "{}", stdout(&o));
    // The same file twice is written.
    let script = format!(":save {}\n:save {}\n", b.display(), b.display());
    let o = charter_with_input(&["repl", "charters/scc.charter"], &script);
    assert!(stdout(&o).contains("saved "), "{}", stdout(&o));
    assert!(std::fs::read_to_string(&b).unwrap().contains("charter \""));

    let pipe = dir.join("pipe.charter");
    if fifo(&pipe) {
        let script = format!(":save {}\n:save {}\n", pipe.display(), pipe.display());
        let o = charter_with_input(&["repl", "charters/scc.charter"], &script);
        let out = stdout(&o)
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        assert!(out.contains("not a regular file"), "{out}");
        assert!(
            !out.contains("exists: `:save"),
            "asked before refusing: {out}"
        );
    }
}

#[test]
fn a_curve_of_gigabytes_asks_for_force_and_a_goal_seek_names_causes_briefly() {
    let wide = common::written("wide.charter", &common::wide::pari_passu_series(100));
    // 100,000,001 rows of 103 figures: about 124 GB at 12 bytes a figure.
    let o = charter(&["curve", &wide, "$0", "$1B", "--steps", "100000000"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "", "nothing written before asking");
    assert!(
        stderr(&o).contains("100,000,001 rows") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    // Below the limit, as before.
    let o = charter(&[
        "curve", &wide, "$0", "$1M", "--steps", "10", "--format", "csv",
    ]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 12, "a header and 11 rows");

    // At $2,000 all hundred series convert together: the goal seek names
    // twelve causes and counts the other 88.
    let o = charter(&["solve", &wide, "S0 receives $1B"]);
    let out = stdout(&o);
    assert!(out.contains("and 88 more"), "{out}");
    assert!(out.len() < 3_000, "{} bytes", out.len());
}
