//! The `charter` command as a user runs it: exit codes, stdout and stderr.

use crate::common;

use std::process::{Command, Output, Stdio};

use common::{charter, stdout};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn check_exits_zero_on_every_charter() {
    for f in ["avesta", "juniper", "quintus", "scc"] {
        let o = charter(&["check", &format!("charters/{f}.charter")]);
        assert!(o.status.success(), "{f}: {}", stderr(&o));
        assert!(stdout(&o).contains("no problems found"));
    }
}

#[test]
fn check_exits_one_with_every_problem_on_stderr() {
    let o = charter(&["check", "tests/cases/bad/several_problems.charter"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for code in [
        "charter::check::non_positive_price",
        "charter::check::outstanding_above_authorized",
        "charter::check::unknown_class",
        "charter::check::missing_participation",
        "charter::check::unordered_classes",
    ] {
        assert!(err.contains(code), "missing {code} in\n{err}");
    }
    assert!(err.contains("5 problems found"));
    assert!(stdout(&o).is_empty());
}

#[test]
fn unreadable_and_non_utf8_files_are_diagnosed() {
    let o = charter(&["check", "charters/no-such-file.charter"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("charter::io::unreadable"));

    let dir = std::env::temp_dir().join(format!("charter-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("latin1.charter");
    std::fs::write(&bad, b"charter \"Soci\xe9t\xe9\" { }").unwrap();
    let o = charter(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not UTF-8"));
}

#[test]
fn payout_json_has_the_documented_shape() {
    let o = charter(&[
        "payout",
        "charters/avesta.charter",
        "$50,000,000",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["exit"], "50000000.00");
    assert_eq!(v["event"], "liquidation");
    // One format for money: every amount a string with two decimals, every
    // figure per share one with six.
    let decimals =
        |x: &serde_json::Value| x.as_str().unwrap().split('.').nth(1).map_or(0, str::len);
    for c in v["classes"].as_array().unwrap() {
        assert_eq!(decimals(&c["payout"]), 2, "{c}");
        assert_eq!(decimals(&c["per_share"]), 6, "{c}");
        for l in c["explanation"].as_array().unwrap() {
            assert_eq!(decimals(&l["amount"]), 2, "{l}");
        }
    }
    for h in v["holders"].as_array().unwrap() {
        assert_eq!(decimals(&h["payout"]), 2, "{h}");
    }
    for d in v["decisions"].as_array().unwrap() {
        assert_eq!(decimals(&d["payout_as_decided"]), 2, "{d}");
        assert_eq!(decimals(&d["payout_otherwise"]), 2, "{d}");
    }
    assert_eq!(decimals(&v["distribution_per_share"]), 6);
    let names: Vec<&str> = v["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Common", "Series A", "Series B", "Series C", "Series D"]
    );
    // D's preference: 1,827,667 × $6.24 = $11,404,642.08, from § A.1(a).
    let d = &v["classes"][4];
    assert_eq!(d["converted"], false);
    let pref = &d["explanation"][0];
    assert_eq!(pref["amount"], "11404642.08");
    assert_eq!(pref["cite"]["section"], "A.1(a)");
    assert!(
        v["holders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "Financial Technology Ventures, L.P.")
    );
}

#[test]
fn payout_event_by_kind_or_name() {
    let by_kind = charter(&[
        "payout",
        "charters/avesta.charter",
        "$200M",
        "--event",
        "merger",
        "--format",
        "json",
    ]);
    let by_name = charter(&[
        "payout",
        "charters/avesta.charter",
        "$200M",
        "--event",
        "Liquidation Transaction",
        "--format",
        "json",
    ]);
    assert!(by_kind.status.success() && by_name.status.success());
    assert_eq!(stdout(&by_kind), stdout(&by_name));
    let v: serde_json::Value = serde_json::from_str(&stdout(&by_kind)).unwrap();
    assert_eq!(v["event"], "Liquidation Transaction");
    // 3x cap on Series C in a merger: 3,096,335 × 3 × $4.06 = $37,713,360.30.
    assert_eq!(v["classes"][3]["payout"], "37713360.30");
}

#[test]
fn payout_rejects_a_bad_amount_and_an_unknown_event() {
    let o = charter(&["payout", "charters/avesta.charter", "$fifty"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("charter::parse::syntax"));
    let o = charter(&[
        "payout",
        "charters/juniper.charter",
        "$5M",
        "--event",
        "public-offering",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("charter::query::unknown_event"));
}

#[test]
fn query_runs_the_same_statement() {
    let q = charter(&[
        "query",
        "charters/scc.charter",
        "payout $100M as merger",
        "--format",
        "json",
    ]);
    let p = charter(&[
        "payout",
        "charters/scc.charter",
        "$100M",
        "--event",
        "merger",
        "--format",
        "json",
    ]);
    assert!(q.status.success());
    assert_eq!(stdout(&q), stdout(&p));
}

#[test]
fn query_runs_statements_in_order_one_json_object_per_line() {
    let o = charter(&[
        "query",
        "charters/avesta.charter",
        "issue 2_000_000 Common at $3.00",
        "on 2000-01-01",
        "conversion prices",
        "convert D",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Every statement answers, `on` too: four objects.
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["statement"], "on");
    assert_eq!(lines[1]["date"], "2000-01-01");
    // D after the $3.00 issue: $6.24 × (20,735,992 + 6,000,000 / 6.24) /
    // 22,735,992 = $5.9550 → $5.95 (§ A.2(d)(iv)).
    let d = lines[2]["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Series D")
        .unwrap()
        .clone();
    assert_eq!(d["conversion_price"], "5.95");
    // Each holder's shares at 624/595 (§ A.2(c), aggregated per holder):
    // FTV 500,000 → 524,369.748, FTV (Q) 200,000 → 209,747.899, the other
    // 1,127,667 → 1,182,628.921; whole shares 524,369 + 209,747 + 1,182,628 =
    // 1,916,744 of the exact 1,916,746.568 (fractions paid in cash).
    assert_eq!(lines[3]["series"][0]["common_shares"], "1916744");
}

#[test]
fn query_stops_at_the_first_problem_with_its_statement_named() {
    let o = charter(&[
        "query",
        "charters/juniper.charter",
        "conversion prices",
        "ipo at $10.00 raising $50M",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("charter::query::missing_fact"), "{err}");
    assert!(err.contains("statement 2"), "{err}");
    assert!(stdout(&o).contains("conversion price"));
}

#[test]
fn approve_json_answers_with_each_consent() {
    let o = charter(&[
        "approve",
        "charters/juniper.charter",
        "create-senior-stock",
        "--yes",
        "Series A=100%,Series B=100%,Series C=100%",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    // § 8(b): 1,743,751 + 3,915,308 + 5,200,000 = 10,859,059 of 14,039,059
    // = 0.773489… ≥ 2/3.
    assert_eq!(v["action"], "create-senior-stock");
    assert_eq!(v["passes"], true);
    let c = &v["consents"][0];
    assert_eq!(c["section"], "8(b)");
    assert_eq!(c["threshold"], "2/3");
    assert_eq!(c["basis"], "by shares");
    assert_eq!(c["reached"], "0.773489");
    assert_eq!(c["met"], true);
    let bad = charter(&[
        "approve",
        "charters/juniper.charter",
        "merger",
        "--yes",
        "Series A",
    ]);
    // A problem with the input exits 2 (1 is "fails"), with the statement's
    // form as help.
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("a percentage such as `50%`"));
    assert!(stderr(&bad).contains("approve merger with A 70%, B 100%"));
}

#[test]
fn convert_json_carries_the_dividends_the_table_prints() {
    let o = charter(&[
        "query",
        "charters/scc.charter",
        "on 2001-12-30",
        "convert C at $25.00",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let last: serde_json::Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    // § 1(a): $0.804 × 731 / 365 × 1,250,000 = $2,012,753.4246… accrued to
    // 2001-12-30; common at $25.00 is above 2 × $10.05 and below 4 × $10.05,
    // so half is paid: $1,006,376.7123… → $1,006,376.71.
    let d = &last["series"][0]["dividends_on_conversion"];
    assert_eq!(d["amount"], "1006376.71");
    assert!(d["how"].as_str().unwrap().contains("half waived"), "{d}");
    // "in cash or in shares of Series C Preferred Stock, at the option of the
    // holders": the answer says so rather than pick a value for a share.
    assert!(
        d["how"]
            .as_str()
            .unwrap()
            .contains("the holders may take shares of Series C instead"),
        "{d}"
    );
}

#[test]
fn a_problem_with_a_whole_statement_underlines_it() {
    // Avesta has no cumulative dividends: `accrued` is the statement at
    // fault, underlined whole rather than marked before its first letter.
    let o = charter(&["query", "charters/avesta.charter", "accrued"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("no class here has cumulative dividends"),
        "{err}"
    );
    assert!(err.contains("───┬───"), "{err}");
    assert!(err.contains("this statement"), "{err}");
}

#[test]
fn a_non_utf8_file_is_shown_at_its_bad_byte() {
    let dir = std::env::temp_dir().join(format!("charter-cli-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("latin1.charter");
    std::fs::write(
        &bad,
        b"charter \"X\" { filed 2024-01-01 }\n# caf\xe9 au lait\n",
    )
    .unwrap();
    let o = charter(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Line 2, column 6: the excerpt shows the line, the byte replaced.
    assert!(err.contains(":2:6]"), "{err}");
    assert!(err.contains("# caf\u{fffd} au lait"), "{err}");
    assert!(err.contains("save the file as UTF-8"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// A diagnostic that cannot be written — standard error full or closed —
/// ends the command with exit code 1, not a panic's 101 (issue 33). Each
/// command here has a problem to report: a charter with errors, an amount
/// without its `$`, a missing file, a REPL that cannot start its editor.
#[test]
fn an_unwritable_standard_error_exits_one() {
    let broken = common::written("broken.charter", "charter \"x\" {");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", &broken],
        vec!["payout", "charters/avesta.charter", "50M"],
        vec!["check", "no/such/file.charter"],
        vec!["query", "charters/avesta.charter", "pay $1"],
    ];
    for args in &cases {
        if std::path::Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let o = Command::new(env!("CARGO_BIN_EXE_charter"))
                .args(args)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stderr(full)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1), "{args:?} 2>/dev/full");
        }
        // A pipe whose reader has gone.
        let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        assert_eq!(child.wait().unwrap().code(), Some(1), "{args:?} 2>&-");
    }
}

/// Nothing a user typed or named reaches the terminal raw (issue 33): an
/// escape or a bell in an amount, a `--reading`, a `--formation-date`, a
/// file's name in a folder given to `charter test`, a line piped to the
/// REPL and the path of its `:save` — each is shown as `?`.
#[test]
fn no_escape_or_bell_of_the_user_reaches_the_terminal() {
    let raw = |o: &Output| {
        let all = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        all.iter().any(|&b| b == 0x1b || b == 0x07)
    };
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let evil = "\u{1b}[31mred\u{7}";
    let avesta = "charters/avesta.charter";
    let amount = format!("${evil}5");
    let reading = format!("a{evil}=b");
    let dir = std::env::temp_dir().join(format!("charter-evil-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let named = dir.join(format!("x{evil}.charter"));
    std::fs::write(&named, "charter \"x\" {").unwrap();
    let out = dir.join("ocf");
    let cases: Vec<Vec<String>> = vec![
        vec!["payout".into(), avesta.into(), amount.clone()],
        vec![
            "payout".into(),
            avesta.into(),
            "$5M".into(),
            "--reading".into(),
            reading,
        ],
        vec![
            "export".into(),
            "ocf".into(),
            avesta.into(),
            "--formation-date".into(),
            format!("2020{evil}"),
            "--out".into(),
            out.display().to_string(),
        ],
        vec!["test".into(), dir.display().to_string()],
        vec!["check".into(), named.display().to_string()],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        assert!(!raw(&o), "{args:?}: {}{}", stdout(&o), stderr(&o));
    }
    // The REPL: a piped line echoed, and a `:save` to a path named so.
    let saved = dir.join(format!("s{evil}.charter"));
    let script = format!(
        "payout {amount}\n:save {}\n:save {}\n",
        saved.display(),
        saved.display()
    );
    let o = common::charter_with_input(&["repl", avesta], &script);
    assert!(stdout(&o).contains("saved "), "{}", stdout(&o));
    assert!(!raw(&o), "repl: {}{}", stdout(&o), stderr(&o));
}

/// A name a spreadsheet would read as a formula is written to CSV with a
/// leading `'` (a holder named `=SUM(1+1)`, a class `@cmd`); negative
/// amounts stay numbers (`charter::render::csv_safe`).
#[test]
fn csv_never_hands_a_spreadsheet_a_formula() {
    let text = "charter \"X\" { filed 2024-01-01 }\nstock Common { common outstanding 1_000 }\nstock A \"@cmd\" { preferred outstanding 100 original issue price $1 conversion price $1 }\nholders {\n  \"=SUM(1+1)\" 10 A\n}\nliquidation {\n  preference A: 1x original issue price\n  A does not participate\n}\nconversion { A converts at the holder's option }\n";
    let file = common::written("formula.charter", text);
    let o = charter(&["payout", &file, "$1000", "--format", "csv"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("'=SUM(1+1)") && out.contains("'@cmd"), "{out}");
    assert!(
        !out.lines()
            .any(|l| l.starts_with('=') || l.starts_with('@')),
        "{out}"
    );
    assert_eq!(charter::render::csv_safe("-1234.50"), "-1234.50");
    assert_eq!(charter::render::csv_safe("-x"), "'-x");
    assert_eq!(charter::render::csv_safe("Series A"), "Series A");
}

/// `charter curve --by STEP`: the exits from FROM by STEP, and TO last —
/// once, whether or not a step lands on it. $0 to $10M by $3M reads $0, $3M,
/// $6M, $9M and $10M; by $2.5M, $0, $2.5M, $5M, $7.5M and $10M.
#[test]
fn a_curve_by_a_step_ends_at_its_last_exit_once() {
    let exits = |by: &str| -> Vec<String> {
        let o = charter(&[
            "curve",
            "charters/avesta.charter",
            "$0",
            "$10M",
            "--by",
            by,
            "--format",
            "csv",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        exits("$3M"),
        [
            "0.00",
            "3000000.00",
            "6000000.00",
            "9000000.00",
            "10000000.00"
        ]
    );
    assert_eq!(
        exits("$2.5M"),
        [
            "0.00",
            "2500000.00",
            "5000000.00",
            "7500000.00",
            "10000000.00"
        ]
    );
}
