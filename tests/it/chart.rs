//! Payout charts: the SVG of two seed charters is snapshotted (fixed size,
//! no timestamps), and read back as XML to find one area or line per class
//! and one marker line per breakpoint, the legend in declaration order, and
//! the axes in money.

use crate::common;

use charter::analysis::chart::{Options, chart};
use charter::render::chart::{color, svg};
use common::load_file;

/// The breakpoints' lines are drawn in this grey, and nothing else is.
const MARKER: &str = "#888888";

fn drawn(file: &str, options: Options) -> String {
    let c = load_file(file);
    let ch = chart(&c, None, None, options, Default::default()).unwrap();
    svg(&ch).unwrap()
}

fn hex(i: usize) -> String {
    let c = color(i);
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn count(doc: &roxmltree::Document, tag: &str, attr: &str, value: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute(attr) == Some(value))
        .count()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn avesta_stacked_areas_one_per_class_and_a_marker_per_breakpoint() {
    let text = drawn("avesta.charter", Options::default());
    let doc = roxmltree::Document::parse(&text).unwrap();
    // Five classes, five areas, each in its own colour.
    for i in 0..5 {
        assert_eq!(count(&doc, "polygon", "fill", &hex(i)), 1, "class {i}");
    }
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .count(),
        5
    );
    // Avesta's breakpoints past $0: $11,404,642.08 (D paid), $23,975,762.18
    // (C paid), $37,307,936.64… (A and B paid); the range runs to $50M
    // ($37.3M and a quarter, rounded up).
    assert_eq!(count(&doc, "polyline", "stroke", MARKER), 3);
    let t = texts(&doc);
    assert!(
        t.iter()
            .any(|x| x == "Avesta Technologies, Inc.: payout by class (liquidation)")
    );
    assert!(t.iter().any(|x| x == "$50M"), "{t:?}");
    assert!(
        t.iter()
            .any(|x| x.starts_with("1  $11,404,642.08  rank paid in full")),
        "{t:?}"
    );
    // The legend in declaration order.
    let legend: Vec<&String> = t
        .iter()
        .filter(|x| x.starts_with("Series") || *x == "Common")
        .collect();
    assert_eq!(
        legend,
        ["Common", "Series A", "Series B", "Series C", "Series D"]
    );
    insta::with_settings!({ snapshot_path => "../../snapshots/charts", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("avesta", text);
    });
}

#[test]
fn scc_lines_one_per_class_and_the_jump_drawn() {
    let text = drawn(
        "scc.charter",
        Options {
            lines: true,
            ..Options::default()
        },
    );
    let doc = roxmltree::Document::parse(&text).unwrap();
    for i in 0..4 {
        assert_eq!(count(&doc, "polyline", "stroke", &hex(i)), 1, "class {i}");
    }
    // SCC's five breakpoints past $0 up to its last, $155,775,000 (C
    // converts); the jump at $91,915,000 (A stops participating) is drawn
    // a cent either side.
    assert_eq!(count(&doc, "polyline", "stroke", MARKER), 5);
    insta::with_settings!({ snapshot_path => "../../snapshots/charts", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("scc_lines", text);
    });
}

#[test]
fn holders_and_per_share_draw_their_own_parties() {
    let text = drawn(
        "avesta.charter",
        Options {
            holders: true,
            per_share: true,
            ..Options::default()
        },
    );
    let doc = roxmltree::Document::parse(&text).unwrap();
    let t = texts(&doc);
    assert!(
        t.iter().any(|x| x == "Financial Technology Ventures, L.P."),
        "{t:?}"
    );
    assert!(t.iter().any(|x| x == "other holders of Series D"), "{t:?}");
    assert!(
        t.iter().any(|x| x == "value per common-equivalent share"),
        "{t:?}"
    );
}

#[test]
fn the_command_line_writes_svg_and_refuses_png() {
    let dir = std::env::temp_dir().join(format!("charter-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let out = dir.join("a.svg");
    let status = common::charter(&[
        "chart",
        "charters/avesta.charter",
        "0",
        "$100M",
        "--event",
        "merger",
        "--out",
        &path(&out),
    ]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("(Liquidation Transaction)"));
    let png = common::charter(&[
        "chart",
        "charters/avesta.charter",
        "--out",
        &path(&dir.join("a.png")),
    ]);
    assert_eq!(png.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&png.stderr).contains("is not an .svg file"));
    assert!(!dir.join("a.png").exists());
    // A comparison's chart: each class under A solid and under B dashed.
    let cmp = dir.join("cmp.svg");
    let status = common::charter(&[
        "compare",
        "charters/avesta.charter",
        "charters/avesta.charter",
        "--chart",
        &path(&cmp),
    ]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let doc_text = std::fs::read_to_string(&cmp).unwrap();
    let doc = roxmltree::Document::parse(&doc_text).unwrap();
    // Common under A: one solid polyline through every row; under B the
    // same line dashed, drawn as short two-point strokes.
    let lines: Vec<usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(hex(0).as_str()))
        .map(|n| {
            n.attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .count()
        })
        .collect();
    // The rows: $0, D's, C's and A and B's preferences paid, and $50M.
    assert_eq!(lines.iter().filter(|&&p| p == 5).count(), 1, "{lines:?}");
    assert!(lines.iter().filter(|&&p| p < 5).count() > 10, "{lines:?}");
}
