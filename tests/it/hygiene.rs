//! Text as it arrives from editors, PDFs and other systems: line ends, tabs,
//! a byte-order mark, Unicode, emptiness, bytes that are not text, size and
//! depth. Each gets the same answer as clean text, or a diagnostic.

use crate::common;

use std::path::Path;
use std::process::Command;

use charter::diagnostic::Source;
use common::wide::pari_passu_series;

fn seed(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("charters/{name}.charter")),
    )
    .unwrap()
}

/// The $50M payout of a charter's text, rendered, or its problems' codes.
fn payout(text: &str) -> String {
    match charter::check::load(&Source::new("t", text)) {
        Ok(c) => {
            let mut s = charter::query::Session::new(&c);
            let a = s.run("q", "payout $50M").unwrap();
            charter::render::text(&a, &s)
        }
        Err(p) => p
            .iter()
            .map(|x| x.kind.code())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn codes(text: &str) -> Vec<&'static str> {
    match charter::check::load(&Source::new("t", text)) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(|x| x.kind.code()).collect(),
    }
}

#[test]
fn crlf_tabs_and_a_byte_order_mark_read_as_clean_text() {
    let clean = seed("avesta");
    let expected = payout(&clean);
    assert!(expected.contains("$12,523,318.50"), "{expected}");
    for variant in [
        clean.replace('\n', "\r\n"),
        clean.replace("  ", "\t"),
        format!("\u{feff}{clean}"),
    ] {
        assert_eq!(payout(&variant), expected);
    }
}

#[test]
fn empty_and_blank_files_lack_a_header() {
    for text in ["", "\n\n", "   \t ", "# only a comment\n"] {
        assert_eq!(
            codes(text),
            vec!["charter::check::missing_header"],
            "{text:?}"
        );
    }
}

#[test]
fn unicode_names_work_and_lookalikes_are_reported() {
    let text = seed("scc");
    // A name in accented Latin is a name like any other.
    let renamed = text.replace("\"Series A\"", "\"Série A\"");
    assert!(codes(&renamed).is_empty(), "{:?}", codes(&renamed));
    // A Cyrillic А among Latin letters is not.
    let pasted = text.replace("\"Series A\"", "\"Series \u{410}\"");
    assert!(codes(&pasted).contains(&"charter::check::lookalike"));
}

#[test]
fn a_file_that_is_not_text_is_unreadable_with_the_offset() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("latin1.charter");
    std::fs::write(&path, b"charter \"Soci\xe9t\xe9\" { }\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["check", path.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("charter::io::unreadable"), "{err}");
    // `charter "Soci` is 13 bytes: the first bad byte is at offset 13.
    assert!(err.contains("offset 13"), "{err}");
}

#[test]
fn deep_nesting_and_long_lines_end_in_a_diagnostic() {
    let header = "charter \"X\" { filed 2020-01-01 jurisdiction Delaware }\n";
    let deep = format!(
        "{header}stock Common {}{}",
        "{".repeat(50_000),
        "}".repeat(50_000)
    );
    assert_eq!(codes(&deep), vec!["charter::parse::syntax"]);
    let quotes = format!("{header}{}", "\"".repeat(100_001));
    assert_eq!(codes(&quotes), vec!["charter::parse::syntax"]);
    let long = format!("{header}# {}\n", "x".repeat(300_000));
    assert_eq!(codes(&long), Vec::<&str>::new());
}

#[test]
fn thousands_of_problems_are_all_found_and_the_first_fifty_shown() {
    // Every extra series lacks its preference, participation and votes; each
    // problem is found, not only the first, and all are counted; the first
    // 50 are drawn and the rest counted in a line, so the output stays
    // bounded. (Time is measured in the `diagnostics/3000 classes`
    // benchmark, not here.)
    let mut text = seed("avesta");
    for i in 0..500 {
        text.push_str(&format!(
            "stock X{i} \"Series X{i}\" § 9 {{ authorized 100 outstanding 10 original issue price $1 }}\n"
        ));
    }
    let found = codes(&text);
    let missing_preference = found
        .iter()
        .filter(|c| **c == "charter::check::missing_preference")
        .count();
    assert_eq!(missing_preference, 500);
    let rendered = match charter::check::load(&Source::new("t", text.as_str())) {
        Err(p) => charter::render::diagnostics::render(&p, false),
        Ok(_) => String::new(),
    };
    // 500 × 3 and more: the count is grouped by thousands.
    assert!(found.len() > 1_500, "{}", found.len());
    let count = charter::num::group(found.len().into(), 0);
    assert!(
        rendered.ends_with(&format!("{count} problems found\n")),
        "{}",
        &rendered[rendered.len().saturating_sub(300)..]
    );
    let drawn = rendered.matches("charter::check::").count();
    assert_eq!(drawn, charter::render::diagnostics::PROBLEMS_SHOWN);
    let rest = charter::num::group((found.len() - 50).into(), 0);
    assert!(rendered.contains(&format!("... and {rest} more problems not shown")));
    // Bounded: 50 problems of a few hundred bytes each.
    assert!(rendered.len() < 50_000, "{}", rendered.len());
}

/// A chain of 4,000 series, each senior to the next: ranked in order (the
/// most senior is paid first), and closing the chain into a loop names the
/// loop. The ranking is linear in the classes and statements: the matrix of
/// reachability it replaced took minutes here (4,000³ steps), and its
/// searches keep their own stack, so a longer chain cannot overflow it.
#[test]
fn a_long_chain_of_seniority() {
    let n = 4_000;
    let mut t = String::from(
        "charter \"Chain, Inc.\" { filed 2020-01-01 }\nstock Common { common outstanding 1 }\n",
    );
    for i in 0..n {
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 1 original issue price $1 conversion price $1 }}\n"
        ));
    }
    t.push_str("liquidation {\n");
    for i in 0..n - 1 {
        t.push_str(&format!("  S{i} senior to S{}\n", i + 1));
    }
    for i in 0..n {
        t.push_str(&format!(
            "  preference S{i}: 1x original issue price\n  S{i} does not participate\n"
        ));
    }
    let all: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    let conversion = format!("conversion {{ {} do not convert }}\n", all.join(", "));
    let chain = format!("{t}}}\n{conversion}");
    let c = charter::check::load(&Source::new("chain", chain.as_str())).unwrap();
    let ranks = &c.liquidation.ranks;
    assert_eq!(ranks.len(), n);
    // S0 is paid first, S3999 last (ids count Common as 0).
    assert_eq!(ranks.first().map(|r| r.classes.clone()), Some(vec![1]));
    assert_eq!(ranks.last().map(|r| r.classes.clone()), Some(vec![n]));
    // $2.50 pays S0 and S1 in full and half of S2.
    let mut s = charter::query::Session::new(&c);
    let p = match s.run("q", "payout $2.50").unwrap() {
        charter::query::Answer::Payout(p) => p,
        _ => panic!("not a payout"),
    };
    let paid: Vec<rust_decimal::Decimal> =
        p.classes.iter().skip(1).take(4).map(|x| x.payout).collect();
    let cents = |c: i64| rust_decimal::Decimal::new(c, 2);
    assert_eq!(paid, [cents(100), cents(100), cents(50), cents(0)]);

    let looped = format!("{t}  S{} senior to S0\n}}\n{conversion}", n - 1);
    let codes = match charter::check::load(&Source::new("loop", looped.as_str())) {
        Ok(_) => panic!("a loop of seniority must be reported"),
        Err(p) => p.iter().map(|x| x.kind.code()).collect::<Vec<_>>(),
    };
    assert_eq!(codes, ["charter::check::seniority_cycle"]);
}

/// A span past column 65,535 (16,384 tabs, or 65,536 spaces, then `@`) made
/// miette's report panic. It is now shown in a window of its line, named
/// with the column the window starts at; in a statement too.
#[test]
fn a_span_far_along_a_long_line_is_shown_in_a_window() {
    for text in ["\t".repeat(16_384) + "@", " ".repeat(65_536) + "@"] {
        let p = charter::check::load(&Source::new("wide.charter", text.as_str())).unwrap_err();
        let shown = charter::render::diagnostics::render(&p, false);
        assert!(
            shown.contains("wide.charter (line 1, from column"),
            "{shown}"
        );
        assert!(shown.contains("found `@`"), "{shown}");
        assert!(shown.lines().all(|l| l.chars().count() < 2_000));
    }
    let c = charter::check::load(&Source::new("avesta", seed("avesta").as_str())).unwrap();
    let statement = format!("payout {}@", " ".repeat(65_536));
    let p = charter::query::Session::new(&c)
        .run("statement 1", &statement)
        .unwrap_err();
    let shown = charter::render::diagnostics::render(&p, false);
    assert!(
        shown.contains("statement 1 (line 1, from column"),
        "{shown}"
    );
}

/// A clause that names thousands of series, with a long comment inside it,
/// is not copied whole into each class's citation (it was 1.34 GB for 8,000
/// series): each carries at most 240 characters of it, comments left out.
#[test]
fn a_clause_naming_thousands_of_series_is_cited_briefly() {
    let n = 3_000;
    let names: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    let mut t = String::from(
        "charter \"Wide, Inc.\" { filed 2020-01-01 }\nstock Common { common outstanding 1 }\n",
    );
    for name in &names {
        t.push_str(&format!(
            "stock {name} {{ preferred outstanding 1 original issue price $1 conversion price $1 }}\n"
        ));
    }
    let list = names.join(", ");
    t.push_str(&format!(
        "liquidation {{\n  {}\n  preference {list}: 1x original issue price\n  {list}\n  # {}\n  do not participate\n}}\nconversion {{ {list} do not convert }}\n",
        names.windows(2).map(|w| format!("{} pari passu with {}", w[0], w[1])).collect::<Vec<_>>().join("\n  "),
        "a long comment ".repeat(2_000)
    ));
    t = t.replacen(
        "  preference",
        &format!("  shortfall {list}: ratably by shares\n  preference"),
        1,
    );
    let c = charter::check::load(&Source::new("wide", t.as_str())).unwrap();
    let cites: Vec<&str> = c
        .liquidation
        .participation
        .iter()
        .flatten()
        .map(|p| &*p.cite.clause)
        .collect();
    assert_eq!(cites.len(), n);
    for clause in cites {
        assert!(clause.chars().count() <= 242, "{clause}");
        assert!(!clause.contains("long comment"), "{clause}");
        assert!(clause.ends_with(" …"), "{clause}");
    }
}

/// 30,000 named holders of one share each, of 29,999 outstanding: only the
/// last holding takes the class above its outstanding shares, and it alone
/// is reported. (The check keeps a running total per class; it re-summed
/// the class for every holder, 6 s for this file.)
#[test]
fn thirty_thousand_holders_are_checked_once_each() {
    let mut t = String::from(
        "charter \"Many, Inc.\" { filed 2020-01-01 }\nstock Common { common outstanding 29_999 }\nholders {\n",
    );
    for i in 0..30_000 {
        t.push_str(&format!("  \"Holder {i}\" 1 Common\n"));
    }
    t.push_str("}\n");
    let p = charter::check::load(&Source::new("many", t.as_str())).unwrap_err();
    let over: Vec<_> = p
        .iter()
        .filter(|x| x.kind.code() == "charter::check::held_above_outstanding")
        .collect();
    assert_eq!(
        over.len(),
        1,
        "{:?}",
        p.iter().map(|x| x.kind.code()).collect::<Vec<_>>()
    );
}

#[test]
fn eight_thousand_series_in_one_rank() {
    // Joined one after another by `pari passu`, they are one rank of 8,000
    // in declaration order. (The joins and the ranking are linear; time is
    // in the `load/pari passu` benchmark, not here.)
    let n = 8_000;
    let c = charter::check::load(&Source::new("t", pari_passu_series(n))).unwrap();
    assert_eq!(c.liquidation.ranks.len(), 1);
    let rank = &c.liquidation.ranks[0].classes;
    assert_eq!(rank.len(), n);
    assert!(rank.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_message_names_at_most_twelve_classes() {
    // Without a shortfall rule the rank of 5,000 is named by its first 12
    // and a count; the help for an unknown class lists 12 of the 5,001.
    let text = pari_passu_series(5_000).replace("  shortfall ", "  # shortfall ");
    let problems = charter::check::load(&Source::new("t", text.as_str())).unwrap_err();
    let shown = charter::render::diagnostics::render(&problems, false);
    assert!(shown.contains("`S11` and 4,988 more"), "{shown}");
    assert!(shown.len() < 5_000, "{}", shown.len());
    let unknown = format!(
        "{}expect \"x\" § 1 {{\n  payout $1M\n  Nobody receives $1\n}}\n",
        pari_passu_series(5_000)
    );
    let problems = charter::check::load(&Source::new("t", unknown.as_str())).unwrap_err();
    let shown = charter::render::diagnostics::render(&problems, false);
    assert!(shown.contains("and 4,989 more"), "{shown}");
    // The 40 KB line next to the problem is not echoed.
    assert!(shown.len() < 5_000, "{}", shown.len());
}

#[test]
fn a_clause_naming_thousands_of_classes_is_quoted_once() {
    // 2,000 series converting under one clause: each class's line in the
    // explanation cites it, and its text is shown only the first time.
    let c = charter::check::load(&Source::new("t", pari_passu_series(2_000))).unwrap();
    let mut s = charter::query::Session::new(&c);
    let answer = s.run("q", "payout $50M").unwrap();
    let text = charter::render::text(&answer, &s);
    assert_eq!(
        text.matches("— S0, S1, S2, S3").count(),
        1,
        "{}",
        &text[..3000]
    );
    assert!(text.matches("the clause quoted above").count() >= 1_999);
}

/// Tables are bounded whatever the names (issue 33): a holder named with
/// 66,000 characters (past a format width's 65,535, and the table
/// library's 16-bit sums) in `charter curve`'s and `charter payout`'s
/// tables, and 1,000 series converting at one breakpoint (a cause line of
/// 60,000 characters, past the table library's 16-bit widths) in
/// `charter breakpoints` — each answered, not a panic, the causes naming
/// twelve series and counting the rest.
#[test]
fn long_names_and_many_causes_keep_tables_bounded() {
    let name = "H".repeat(66_000);
    let text = format!(
        "charter \"X\" {{ filed 2024-01-01 }}\nstock Common {{ common outstanding 1_000 }}\nstock A {{ preferred outstanding 100 original issue price $1 conversion price $1 }}\nholders {{\n  \"{name}\" 10 A\n}}\nliquidation {{\n  preference A: 1x original issue price\n  A does not participate\n}}\nconversion {{ A converts at the holder's option }}\n"
    );
    let file = common::written("long.charter", &text);
    let o = common::charter(&["curve", &file, "$0", "$1000", "--steps", "2"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // At $1,000 A keeps its preference, 100 × $1 = $100 (converting would
    // give 100/1,100 × $1,000 = $90.91): its holder's 10 shares take a
    // tenth of that, $10.00, and the rest of A $90.00.
    let out = common::stdout(&o);
    let last: Vec<&str> = out.lines().last().unwrap().split_whitespace().collect();
    assert_eq!(
        last,
        ["$1,000.00", "$900.00", "$100.00", "$10.00", "$90.00"]
    );

    // The payout's tables cut the name into lines of 1,000 characters.
    let o = common::charter(&["payout", &file, "$1000"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = common::stdout(&o);
    assert!(
        out.contains("$10.00") && out.contains(&"H".repeat(1_000)),
        "no holder line"
    );
    assert!(
        !out.contains(&"H".repeat(1_001)),
        "a line past 1,000 characters of name"
    );

    let wide = common::written("wide.charter", &pari_passu_series(1_000));
    let o = common::charter(&["breakpoints", &wide]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let out = common::stdout(&o);
    assert!(
        out.contains("and 988 more"),
        "{}",
        &out[..out.len().min(2_000)]
    );
    assert!(!out.contains("S999 converts"), "every cause was listed");
    // Each cause names twelve series too (the JSON keeps every cause).
    let o = common::charter(&["breakpoints", &wide, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    let whats: Vec<String> = v["breakpoints"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["causes"].as_array().unwrap().clone())
        .map(|c| c["what"].as_str().unwrap().to_string())
        .collect();
    let first = whats
        .iter()
        .find(|w| w.starts_with("the first dollar"))
        .unwrap();
    assert!(
        first.ends_with("S11 (liquidation preference) and 988 more"),
        "{first}"
    );
    let paid = whats
        .iter()
        .find(|w| w.starts_with("rank paid in full"))
        .unwrap();
    assert!(
        paid.contains("S10, S11 and 988 more are paid in full"),
        "{paid}"
    );
}

/// `import ocf` writes a long class name once, not in every clause and
/// gap (issue 33: a 4 MB name gave 84 MB): the class is named in clauses by
/// a short name of at most 32 characters, so a 10,000-character name
/// comes back twice (its display name, and its other holders' line) and
/// the charter in about twice the input's size.
#[test]
fn an_imported_long_class_name_is_written_once() {
    let name = "N".repeat(10_000);
    let text = format!(
        "charter \"X\" {{ filed 2024-01-01 jurisdiction Delaware }}\nstock Common {{ common outstanding 1_000 }}\nstock A \"{name}\" {{ preferred outstanding 100 original issue price $1 conversion price $1 }}\nliquidation {{\n  preference A: 1x original issue price\n  A does not participate\n}}\nconversion {{ A converts at the holder's option }}\nvoting {{\n  Common: 1 vote per share\n  A: 1 vote per share as converted\n}}\n"
    );
    let file = common::written("long.charter", &text);
    let dir = std::path::Path::new(&file).with_extension("ocf");
    let o = common::charter(&["export", "ocf", &file, "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, common::without_carried(&text)).unwrap();
    }
    let o = common::charter(&["import", "ocf", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = common::stdout(&o);
    assert_eq!(
        out.matches(&name).count(),
        1,
        "the name written more than once"
    );
    assert!(
        out.len() < 3 * text.len(),
        "{} bytes from {}",
        out.len(),
        text.len()
    );
    // The short name the clauses use.
    assert!(out.contains(&format!("stock {} \"{name}\"", "N".repeat(32))));
}
