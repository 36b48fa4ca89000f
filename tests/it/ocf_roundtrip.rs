//! OCF round trip on generated charters: export a charter to an OCF
//! package, import the package, fill the import's `todo` gaps with the
//! original's own clauses, and the result pays what the original pays, every
//! class and pool to the cent, at every breakpoint of the original, at an
//! exit between each two, and at one beyond the last.
//!
//! An independent route to the payouts: the terms travel through the OCF
//! JSON files on disk and come back through the import's own parsing and
//! writing (seniority numbers back to ranks, multiples back to preferences,
//! ratio mechanisms back to conversion prices, issuances back to shares
//! outstanding, plans back to pools), and only what OCF cannot carry is
//! restored from the original: the filing date, how pari passu classes share
//! a shortfall, participation (caps included), and which classes do not
//! convert, with the conversion price such a class still participates by
//! (OCF states a price only in a conversion right). Every other gap must be
//! about a term the generated charters do not state (the filler checks the
//! original has no such clause), and a gap of any other kind fails the
//! case. The import's `fractional shares: round to nearest whole share`
//! (the export must write some OCF rounding type) is left as it is: only
//! the `convert` query reads it, no payout.
//!
//! The generated charters are given a jurisdiction and a `voting` block,
//! which the export requires and which bear on no payout. Their conversion
//! prices are any number of cents, so most ratios to the issue price do
//! not end as a decimal (the import writes those as conversion prices).
//!
//! Runs 12 cases by default; set `PROPTEST_CASES` for more. No regression
//! file is written: a failure prints its charters.

use crate::common;

use std::path::PathBuf;

use charter::interchange::ocf;
use charter::ir::Charter;
use common::generated::{Series, config, series, text};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A generated charter: common, one to five series, maybe an option pool;
/// in half the cases with few shares (up to 100 a series and 1,000 common),
/// where amounts fall on whole cents and the remainder rule's ties (broken
/// by the order the classes are declared in) come up more often.
fn charters() -> impl Strategy<Value = (u32, Vec<Series>, Option<(u32, u32)>)> {
    (
        1u32..20_000_000,
        prop::collection::vec(series(), 1..6),
        prop::option::of((1u32..2_000_000, 1u32..1_000)),
        any::<bool>(),
    )
        .prop_map(|(mut common, mut list, mut options, small)| {
            if small {
                for s in &mut list {
                    s.shares = s.shares % 100 + 1;
                }
                common = common % 1_000 + 1;
                options = options.map(|(n, strike)| (n % 100 + 1, strike));
            }
            (common, list, options)
        })
}

/// The generated text with what the export requires and no payout reads:
/// a jurisdiction, and votes for every class.
fn exportable(src: &str, list: &[Series]) -> String {
    let header = "filed 2020-01-01 }";
    assert!(src.contains(header), "{src}");
    let classes: Vec<String> = std::iter::once("Common".to_string())
        .chain((0..list.len()).map(|i| format!("S{i}")))
        .collect();
    format!(
        "{}voting {{\n  {}: 1 vote per share\n}}\n",
        src.replacen(header, "filed 2020-01-01 jurisdiction Delaware }", 1),
        classes.join(", ")
    )
}

/// Exports `c` to a folder of its own and imports the package from there
/// (then removes the folder); the imported text, gaps and all. Without
/// `carried`, the charter text the export carries in comments is removed
/// first: the terms then travel through OCF's own fields alone.
fn round_trip_as(c: &Charter, carried: bool) -> String {
    round_trip_after(c, &[], carried)
}

/// [`round_trip_as`] of `c` after the statements `after`.
fn round_trip_after(c: &Charter, after: &[String], carried: bool) -> String {
    let exported = ocf::export::export(c, after, None, "2026-01-01T00:00:00Z")
        .unwrap_or_else(|p| panic!("{}", charter::render::diagnostics::render(&p, false)));
    let manifest = PathBuf::from(common::written("Manifest.ocf.json", ""));
    let dir = manifest.parent().unwrap();
    for (name, text) in &exported.files {
        if carried {
            std::fs::write(dir.join(name), text).unwrap();
            continue;
        }
        std::fs::write(dir.join(name), common::without_carried(text)).unwrap();
    }
    let imported = ocf::import(&manifest, "imported.charter");
    std::fs::remove_dir_all(dir).unwrap();
    match imported {
        Ok(i) => i.text,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// [`round_trip_as`] through OCF's fields alone.
fn round_trip(c: &Charter) -> String {
    round_trip_as(c, false)
}

/// A clause to add, and the block it goes into: the first block whose
/// opening line starts with `block` (`liquidation {`, `stock S0 "`).
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    block: String,
    text: String,
}

fn clause(block: &str, text: impl Into<String>) -> Clause {
    Clause {
        block: block.to_string(),
        text: text.into(),
    }
}

/// Gaps about terms the generated charters never state, each with a word
/// a clause stating the term would use: such a gap is filled with nothing,
/// once the original is seen to have no such word.
const NOT_STATED: [(&str, &str); 6] = [
    ("whether the preference adds dividends", "plus"),
    ("anti-dilution —", "anti-dilution"),
    ("dividends —", "dividend"),
    ("automatic conversion of", "automatically"),
    ("board seats", "board"),
    ("redemption —", "redemption"),
];

/// The original's line (trimmed) that `matches`, which must be there.
fn original_line(original: &str, gap: &str, matches: impl Fn(&str) -> bool) -> String {
    original
        .lines()
        .map(str::trim)
        .find(|l| matches(l))
        .unwrap_or_else(|| panic!("the original has no clause for the gap `{gap}`:\n{original}"))
        .to_string()
}

/// Whether a clause's list of classes (`S1, S3 do not convert`) names `class`.
fn names(clause: &str, class: &str) -> bool {
    clause
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == class)
}

/// The original's clauses for one gap (the text inside `todo "..."`);
/// none for a term the original does not state. The import keeps the
/// generated names (OCF's `S0` is written `S0`), so the original's clauses
/// are used as they are written.
fn clauses_for(gap: &str, original: &str) -> Vec<Clause> {
    let (subject, what) = gap.split_once(": ").unwrap_or(("", gap));
    if subject == "the filing date" {
        let mut words = original.split_whitespace();
        words.find(|w| *w == "filed");
        let date = words.next().expect("the original is filed");
        return vec![clause("charter \"", format!("filed {date}"))];
    }
    if what.starts_with("how a shortfall is shared") {
        let prefix = format!("shortfall {subject}:");
        let line = original_line(original, gap, |l| l.starts_with(&prefix));
        return vec![clause("liquidation {", line)];
    }
    if what.starts_with("participation —") {
        let line = original_line(original, gap, |l| {
            l.split_whitespace().next() == Some(subject) && l.contains("participate")
        });
        return vec![clause("liquidation {", line)];
    }
    if what.starts_with("conversion —") && what.contains("records no conversion right") {
        // OCF carries a conversion price only in a conversion right, so a
        // class that does not convert loses its price; the price still
        // counts where the class participates as converted.
        let no = original_line(original, gap, |l| {
            l.ends_with("do not convert") && names(l, subject)
        });
        let stock = original_line(original, gap, |l| {
            l.starts_with(&format!("stock {subject} {{"))
        });
        let (_, price) = stock
            .split_once("conversion price ")
            .expect("a generated series states its conversion price");
        let price = price.split_whitespace().next().unwrap();
        return vec![
            clause("conversion {", no),
            clause(
                &format!("stock {subject} \""),
                format!("conversion price {price}"),
            ),
        ];
    }
    let (_, word) = NOT_STATED
        .iter()
        .find(|(marker, _)| gap.contains(marker))
        .unwrap_or_else(|| panic!("a gap the filler does not know: `{gap}`"));
    assert!(
        !original.contains(word),
        "the gap `{gap}` is about a term the original states:\n{original}"
    );
    Vec::new()
}

/// The imported text with every gap filled from the original: each `todo`
/// line removed, and the original's clauses for it (each clause once)
/// added at the top of their block, or in a new block where the import
/// wrote none (a `conversion` block when no class converts).
fn filled(imported: &str, original: &str) -> String {
    let mut clauses: Vec<Clause> = Vec::new();
    for line in imported.lines() {
        let Some(gap) = line
            .strip_prefix("todo \"")
            .and_then(|g| g.strip_suffix('"'))
        else {
            continue;
        };
        for c in clauses_for(gap, original) {
            if !clauses.contains(&c) {
                clauses.push(c);
            }
        }
    }
    let mut out: Vec<String> = imported
        .lines()
        .filter(|l| !l.starts_with("todo \""))
        .map(str::to_string)
        .collect();
    for c in clauses {
        let line = format!("  {}", c.text);
        match out.iter().position(|l| l.starts_with(&c.block)) {
            Some(at) => out.insert(at + 1, line),
            None => {
                assert!(
                    c.block.ends_with(" {"),
                    "no `{}` block:\n{imported}",
                    c.block
                );
                out.extend([c.block, line, "}".to_string()]);
            }
        }
    }
    out.join("\n") + "\n"
}

/// Every class and pool, by name, in the payout's order, and its payout at
/// `exit`.
fn parties(c: &Charter, exit: Decimal) -> Vec<(String, Decimal)> {
    let p = common::payout(c, &format!("payout {exit}"));
    p.classes
        .iter()
        .map(|x| (x.name.clone(), x.payout))
        .chain(p.pools.iter().map(|x| (x.name.clone(), x.payout)))
        .collect()
}

/// The exits read, in cents (a payout is of dollars and cents): every
/// breakpoint of `c`, rounded down and up to the cent where it falls
/// between two (so either side of a jump), the cent halfway between each
/// two breakpoints, and twice the last plus $1M.
fn exits(c: &Charter) -> Vec<Decimal> {
    use rust_decimal::RoundingStrategy::{AwayFromZero, ToZero};
    let at: Vec<Decimal> = common::breakpoints(c, "breakpoints")
        .rows
        .iter()
        .map(|r| r.exit)
        .collect();
    let mut out = Vec::new();
    for x in &at {
        out.push(x.round_dp_with_strategy(2, ToZero));
        out.push(x.round_dp_with_strategy(2, AwayFromZero));
    }
    for w in at.windows(2) {
        out.push(((w[0] + w[1]) / Decimal::TWO).round_dp(2));
    }
    if let Some(last) = at.last() {
        out.push((last * Decimal::TWO + Decimal::from(1_000_000)).round_dp(2));
    }
    out.sort();
    out.dedup();
    out
}

proptest! {
    #![proptest_config(config(12))]

    /// Export then import, the gaps filled with the original's clauses,
    /// pays what the original pays at every breakpoint.
    #[test]
    fn export_then_import_pays_what_the_original_pays(
        (common, list, options) in charters(),
    ) {
        let original = exportable(&text(common, &list, options), &list);
        let ours = common::load("generated.charter", &original);
        let imported = round_trip(&ours);
        let refilled = filled(&imported, &original);
        prop_assert!(!refilled.contains("\ntodo \""), "a gap left:\n{}", refilled);
        let theirs = common::load("imported.charter", &refilled);
        let xs = exits(&ours);
        prop_assert!(xs.len() >= 3, "breakpoints at {:?}", xs);
        for x in &xs {
            let (a, b) = (parties(&ours, *x), parties(&theirs, *x));
            prop_assert_eq!(&a, &b, "at {}\n{}\n{}", x, original, refilled);
        }
        // With the charter's own text carried in the comments: no gap, and
        // the same payouts.
        let carried = round_trip_as(&ours, true);
        prop_assert!(!carried.contains("\ntodo \""), "a gap left:\n{}", carried);
        let theirs = common::load("carried.charter", &carried);
        for x in xs {
            let (a, b) = (parties(&ours, x), parties(&theirs, x));
            prop_assert_eq!(&a, &b, "at {}\n{}\n{}", x, original, carried);
        }
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// After generated events — a split of common (2, 4 or 5 for 1, so that
    /// prices in cents still end) and an issue of common — the export of
    /// the scenario, imported with what it carries, pays what the
    /// scenario's charter pays at every breakpoint of it.
    #[test]
    fn after_events_export_then_import_pays_what_the_scenario_pays(
        (common, list, options) in charters(),
        split in prop::option::of(prop::sample::select(vec![2u32, 4, 5])),
        issue in prop::option::of((1u32..1_000_000, 1u32..1_000)),
    ) {
        let mut original = exportable(&text(common, &list, options), &list);
        let series: Vec<String> = (0..list.len()).map(|i| format!("S{i}")).collect();
        original.push_str(&format!(
            "anti-dilution {} {{\n  splits and combinations adjust proportionally\n}}\n",
            series.join(", ")
        ));
        let ours = common::load("generated.charter", &original);
        let mut after = Vec::new();
        if let Some(n) = split {
            after.push(format!("split {n}:1 on 2021-01-01"));
        }
        if let Some((n, cents)) = issue {
            after.push(format!("issue {n} Common at ${}.{:02} on 2021-06-01", cents / 100, cents % 100));
        }
        let mut session = charter::query::Session::new(&ours);
        for e in &after {
            session.run("event", e).unwrap();
        }
        let moved = (*session.scenario.charter).clone();
        let carried = round_trip_after(&ours, &after, true);
        prop_assert!(!carried.contains("\ntodo \""), "a gap left:\n{}", carried);
        let theirs = common::load("carried.charter", &carried);
        for x in exits(&moved) {
            let (a, b) = (parties(&moved, x), parties(&theirs, x));
            prop_assert_eq!(&a, &b, "at {} after {:?}\n{}\n{}", x, after, original, carried);
        }
    }
}

/// A conversion price whose ratio to the issue price does not end ($3.50 /
/// $3.00 = 1.1666…): the export writes the ratio mechanism as 3.5/3 with
/// the conversion price $3.00, and the import compares the two as
/// fractions (3.00 × 3.5 = 3.50 × 3), so writes `conversion price $3.00`
/// rather than a ratio the language cannot hold (issue 34 found the import
/// refusing it, and Avesta's C after a down round, ratio 4.06/3.97).
#[test]
fn a_conversion_price_whose_ratio_does_not_end_survives_the_round_trip() {
    let original = r#"charter "Ratio, Inc." { filed 2020-01-01 jurisdiction Delaware }
stock Common { common outstanding 1000 }
stock S0 { preferred outstanding 100 original issue price $3.50 conversion price $3.00 }
liquidation {
  preference S0: 1.0x original issue price
  S0 does not participate
}
conversion {
  S0 convert at the holder's option
}
voting {
  Common, S0: 1 vote per share
}
"#;
    let ours = common::load("ratio.charter", original);
    let imported = round_trip(&ours);
    assert!(imported.contains("conversion price $3"), "{imported}");
    let theirs = common::load("imported.charter", &filled(&imported, original));
    for x in exits(&ours) {
        assert_eq!(parties(&ours, x), parties(&theirs, x), "at {x}");
    }
}

/// The answer to `q` on `c`, as text (or its problem's message).
fn answer(c: &Charter, q: &str) -> String {
    let mut s = charter::query::Session::new(c);
    match s.run("q", q) {
        Ok(a) => charter::render::text(&a, &s),
        Err(p) => format!(
            "refused: {}",
            p.first().map(|x| x.to_string()).unwrap_or_default()
        ),
    }
}

#[test]
fn every_shipped_charter_comes_back_whole() {
    // Export, then import what the export wrote: the charter's own text
    // comes back from the package's comments, OCF's figures from its
    // fields; nothing is left to fill, it checks clean, and it pays at
    // every breakpoint, converts, votes and approves as the original.
    for name in common::SHIPPED {
        let ours = common::load_file(name);
        let text = round_trip_as(&ours, true);
        assert!(!text.contains("\ntodo \""), "{name}: a gap left:\n{text}");
        let theirs = common::load(name, &text);
        for x in exits(&ours) {
            assert_eq!(parties(&ours, x), parties(&theirs, x), "{name} at {x}");
        }
        let mut queries = vec!["votes".to_string(), "breakpoints".to_string()];
        for c in ours.classes.iter().filter(|c| !c.common) {
            queries.push(format!("convert {}", c.ident));
        }
        let actions = ours
            .protective
            .consents
            .iter()
            .flat_map(|c| c.actions.clone());
        for a in actions {
            queries.push(format!("approve {a}"));
        }
        for q in queries {
            assert_eq!(answer(&ours, &q), answer(&theirs, &q), "{name}: {q}");
        }
    }
}

#[test]
fn a_charter_after_events_comes_back_as_the_events_leave_it() {
    // The scenario's charter after each event, and the import of the
    // export after it, pay alike at every breakpoint of the scenario: the
    // moved conversion prices come back from OCF's ratio adjustments, the
    // split's counts from its reissued securities, an issue's shares from
    // its issuance, a conversion's from cancellations and an issuance. (Not SCC after an adjustment: it moves its Issue Price
    // apart from its conversion ratio's fixed numerator, which a charter
    // file cannot state; the export says so in its notes.)
    let cases: [(&str, &[&str]); 5] = [
        ("avesta.charter", &["split 2:1 on 2000-01-01"]),
        (
            "avesta.charter",
            &["issue 2_000_000 Common at $3.00 on 2001-03-01"],
        ),
        // 2:1, so that the adjusted prices end ($0.44 → $0.22): after 3:1
        // they do not, and neither OCF nor a charter can state them.
        ("juniper.charter", &["split 2:1 on 2010-01-01"]),
        ("model_series_a.charter", &["split 2:1 on 2025-06-01"]),
        // A's shares cancelled (from its unnamed holders' first), common's
        // added.
        ("avesta.charter", &["convert A"]),
    ];
    for (name, events) in cases {
        let ours = common::load_file(name);
        let after: Vec<String> = events.iter().map(|e| e.to_string()).collect();
        let mut s = charter::query::Session::new(&ours);
        for e in &after {
            s.run("event", e)
                .unwrap_or_else(|p| panic!("{name}: {e}: {p:?}"));
        }
        let moved = (*s.scenario.charter).clone();
        let text = round_trip_after(&ours, &after, true);
        assert!(!text.contains("\ntodo \""), "{name}: a gap left:\n{text}");
        let theirs = common::load(name, &text);
        for x in exits(&moved) {
            assert_eq!(
                parties(&moved, x),
                parties(&theirs, x),
                "{name} {after:?} at {x}\n{text}"
            );
        }
    }
}
