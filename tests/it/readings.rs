//! Readings: a file offers the clauses of each reading the words allow; the
//! first is taken unless another is chosen, and each choice gives its own
//! figures (hand-worked in the charters' `expect` blocks; here, the rules of
//! the mechanism).

use crate::common;

use charter::check::readings::parse_choice;
use charter::diagnostic::Source;
use common::{charter, stdout};

/// A one-series charter whose conversion block offers `group`.
fn text(group: &str) -> String {
    format!(
        r#"charter "Readings, Inc." {{ filed 2024-01-01 }}
stock Common {{ common outstanding 1_000_000 }}
stock A "Series A" {{ preferred outstanding 1_000_000 original issue price $1 conversion price $1 }}
liquidation § 2 {{
  {group}
  A does not participate
}}
conversion {{ A converts at the holder's option }}
"#
    )
}

fn codes(text: &str) -> Vec<String> {
    match charter::check::load(&Source::new("r.charter", text)) {
        Ok(_) => Vec::new(),
        Err(ps) => ps.iter().map(|p| p.kind.code().to_string()).collect(),
    }
}

#[test]
fn the_first_alternative_is_taken() {
    // 1x or 2x: at $1.5M the first reading pays A its $1M preference and
    // Common the other $500,000; the second pays A all $1.5M of its $2M.
    let src = text(
        r#"reading "multiple" § 2 { "one" { preference A: 1x original issue price } "two" { preference A: 2x original issue price } }"#,
    );
    let c = common::load("r.charter", &src);
    assert_eq!(c.readings.len(), 1);
    assert_eq!(c.readings[0].taken(), "one");
    let p = common::payout(&c, "payout $1.5M");
    assert_eq!(common::class(&p, "Series A"), common::d("1000000.00"));
    let choice = parse_choice("multiple=two").unwrap();
    let c2 = charter::check::load_with(&Source::new("r.charter", src.as_str()), &[choice]).unwrap();
    assert_eq!(c2.readings[0].taken(), "two");
    let p = common::payout(&c2, "payout $1.5M");
    assert_eq!(common::class(&p, "Series A"), common::d("1500000.00"));
}

#[test]
fn a_reading_needs_two_distinct_alternatives() {
    let one = text(r#"reading "multiple" { "one" { preference A: 1x original issue price } }"#);
    assert_eq!(codes(&one), vec!["charter::query::impossible"]);
    let twice = text(
        r#"reading "multiple" { "one" { preference A: 1x original issue price } "one" { preference A: 2x original issue price } }"#,
    );
    assert!(
        codes(&twice).contains(&"charter::check::duplicate_block".to_string()),
        "{:?}",
        codes(&twice)
    );
}

#[test]
fn choices_are_read_with_their_spans() {
    let c = parse_choice(r#" day count = "actual/actual""#).unwrap();
    assert_eq!(c.reading.node, "day count");
    assert_eq!(c.alternative.node, "actual/actual");
    // " day count = " puts the alternative's text after the quote, at 14.
    assert_eq!((c.reading.span.start, c.reading.span.end), (1, 10));
    assert_eq!(c.alternative.span.start, 14);
    assert!(parse_choice("day count").is_none());
}

#[test]
fn check_reports_an_alternative_not_taken() {
    // The second alternative names a class that does not exist: loading
    // takes the first and is clean, but `charter check` checks both.
    let dir = std::env::temp_dir().join(format!("charter-readings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.charter");
    std::fs::write(
        &path,
        text(
            r#"reading "multiple" § 2 { "one" { preference A: 1x original issue price } "two" { preference Z: 2x original issue price } }"#,
        ),
    )
    .unwrap();
    let o = charter(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("charter::check::unknown_class"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_command_line_chooses_and_check_lists() {
    let o = charter(&["check", "charters/scc.charter"]);
    assert!(
        stdout(&o)
            .contains(r#"reading "day count" (§ 1(a)): "actual/365" (taken), "actual/actual""#),
        "{}",
        stdout(&o)
    );
    // 1999-12-30 to 2001-12-30 under actual/actual is exactly two years:
    // $0.804 × 2 × 1,250,000 = $2,010,000.00 (actual/365: $2,012,753.42).
    let o = charter(&[
        "query",
        "charters/scc.charter",
        "on 2001-12-30",
        "accrued",
        "--reading",
        "day count=actual/actual",
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("$2,010,000.00"), "{}", stdout(&o));
    let o = charter(&["query", "charters/scc.charter", "on 2001-12-30", "accrued"]);
    assert!(stdout(&o).contains("$2,012,753.42"), "{}", stdout(&o));
}

#[test]
fn a_companion_file_cannot_choose_yet() {
    let c = common::load_file("model_series_a.charter");
    let test = r#"expect "x" § B.1 under reading "day count" is "actual/actual" { payout $1M }"#;
    let err = charter::check::load_companion(&c, &Source::new("t.charter.test", test)).unwrap_err();
    assert_eq!(err[0].kind.code(), "charter::check::unsupported");
}

/// The guide states how many readings the shipped charters offer, and
/// names each: the count is the charters', not a number that drifts.
#[test]
fn the_guide_counts_the_charters_readings() {
    let mut n = 0;
    for name in ["avesta", "juniper", "quintus", "scc", "model_series_a"] {
        n += crate::common::load_file(&format!("{name}.charter"))
            .readings
            .len();
    }
    assert_eq!(n, 18);
    let guide = crate::common::fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md"));
    assert!(
        guide.contains("The charters offer eighteen readings"),
        "docs/language.md"
    );
}
