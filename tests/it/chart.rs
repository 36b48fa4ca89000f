//! Payout charts: the SVG of two seed charters is snapshotted (fixed size,
//! no timestamps), and read back as XML to find one area or line per class
//! and one marker line per breakpoint, the legend in declaration order, and
//! the axes in money. The layout is checked on every seed charter from the
//! SVG's text: each text's extent estimated from its position, anchor, font
//! size and length (0.6 em a character), the legend clear of the
//! breakpoints' numbers, every text inside the drawing, every cause whole.

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
    assert!(t.iter().any(|x| x == "$11,404,642.08"), "{t:?}");
    assert!(
        t.iter()
            .any(|x| x.starts_with("rank paid in full: Series D")),
        "{t:?}"
    );
    // The legend in declaration order.
    let legend: Vec<&String> = t
        .iter()
        .filter(|x| {
            let names = ["Common", "Series A", "Series B", "Series C", "Series D"];
            names.contains(&x.as_str())
        })
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
    texts_fit("avesta to $100M on a merger", &svg);
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
    texts_fit("avesta against itself", &doc_text);
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

/// The seed charters and one of twenty series (21 parties, 21 breakpoints,
/// a dozen of them 10 to 20 pixels apart), and the ways of drawing each.
const SEEDS: [&str; 6] = [
    "avesta.charter",
    "scc.charter",
    "quintus.charter",
    "juniper.charter",
    "model_series_a.charter",
    "../tests/cases/good/twenty_series.charter",
];

fn ways() -> [Options; 4] {
    [
        Options::default(),
        Options {
            holders: true,
            ..Options::default()
        },
        Options {
            lines: true,
            ..Options::default()
        },
        Options {
            per_share: true,
            holders: true,
            ..Options::default()
        },
    ]
}

/// A box on the drawing, in pixels.
#[derive(Debug, Clone, Copy)]
struct Area {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Area {
    fn overlaps(&self, o: &Area) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    fn union(&self, o: &Area) -> Area {
        Area {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
}

fn num(n: roxmltree::Node, attr: &str) -> f64 {
    n.attribute(attr).map_or(0.0, |v| v.parse().unwrap())
}

/// A `<text>`'s words and estimated extent: 0.6 em a character along the
/// text from where its anchor puts it; across, from 0.8 em above the
/// baseline (moved by `dy`: `0.76em`, `±0.5ex`) to 0.2 em below; turned by
/// a `rotate(270, x, y)` (plotters' vertical axis title).
fn text_area(n: roxmltree::Node) -> (String, Area) {
    let text = n.text().unwrap_or("").trim().to_string();
    let (x, y, size) = (num(n, "x"), num(n, "y"), num(n, "font-size"));
    let along = text.chars().count() as f64 * size * 0.6;
    let (a0, a1) = match n.attribute("text-anchor") {
        Some("middle") => (-along / 2.0, along / 2.0),
        Some("end") => (-along, 0.0),
        _ => (0.0, along),
    };
    let baseline = match n.attribute("dy") {
        Some("0.76em") => 0.76 * size,
        Some("0.5ex") => 0.25 * size,
        Some("-0.5ex") => -0.25 * size,
        None => 0.0,
        Some(other) => panic!("a dy of {other}"),
    };
    let (c0, c1) = (baseline - 0.8 * size, baseline + 0.2 * size);
    let area = match n.attribute("transform") {
        None => Area {
            x0: x + a0,
            x1: x + a1,
            y0: y + c0,
            y1: y + c1,
        },
        // Turned a quarter left about (x, y): along runs up, across right.
        Some(t) if t.starts_with("rotate(270,") => Area {
            x0: x + c0,
            x1: x + c1,
            y0: y - a1,
            y1: y - a0,
        },
        Some(t) => panic!("a text turned by {t}"),
    };
    (text, area)
}

fn text_areas(doc: &roxmltree::Document) -> Vec<(String, Area)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(text_area)
        .collect()
}

/// The x of each breakpoint's line, in order.
fn marker_xs(doc: &roxmltree::Document) -> Vec<f64> {
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(MARKER))
        .map(|n| {
            let points = n.attribute("points").unwrap();
            let first = points.split_whitespace().next().unwrap();
            first.split(',').next().unwrap().parse().unwrap()
        })
        .collect()
}

/// The legend's extent: its names' texts and any frame around them (a
/// `<rect>` smaller than the drawing holding a name's anchor).
fn legend_area(doc: &roxmltree::Document, names: &[String]) -> Area {
    let svg_width = num(doc.root_element(), "width");
    let mut area: Option<Area> = None;
    let mut grow = |a: Area| area = Some(area.map_or(a, |b| b.union(&a)));
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let (text, a) = text_area(n);
        if !names.contains(&text) {
            continue;
        }
        grow(a);
        let (x, y) = (num(n, "x"), num(n, "y"));
        for r in doc.descendants().filter(|r| r.has_tag_name("rect")) {
            let (rx, ry) = (num(r, "x"), num(r, "y"));
            let (w, h) = (num(r, "width"), num(r, "height"));
            if w < svg_width && rx <= x && x <= rx + w && ry <= y && y <= ry + h {
                grow(Area {
                    x0: rx,
                    y0: ry,
                    x1: rx + w,
                    y1: ry + h,
                });
            }
        }
    }
    area.expect("a legend")
}

#[test]
fn the_legend_covers_no_breakpoint_number_and_the_numbers_none_of_each_other() {
    for file in SEEDS {
        for options in ways() {
            let c = load_file(file);
            let ch = chart(&c, None, None, options, Default::default()).unwrap();
            let text = svg(&ch).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            let names: Vec<String> = ch.series.iter().map(|s| s.name.clone()).collect();
            let legend = legend_area(&doc, &names);
            let xs = marker_xs(&doc);
            assert_eq!(xs.len(), ch.markers.len(), "{file} {options:?}");
            let areas = text_areas(&doc);
            // Breakpoint n's number: the text `n` across its line.
            let numbers: Vec<Area> = xs
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let n = (i + 1).to_string();
                    areas
                        .iter()
                        .find(|(t, a)| *t == n && a.x0 - 1.0 <= *x && *x <= a.x1 + 1.0)
                        .unwrap_or_else(|| panic!("{file} {options:?}: no number {n} at {x}"))
                        .1
                })
                .collect();
            for (i, a) in numbers.iter().enumerate() {
                assert!(
                    !a.overlaps(&legend),
                    "{file} {options:?}: the legend {legend:?} covers number {} {a:?}",
                    i + 1
                );
                for (j, b) in numbers.iter().enumerate().skip(i + 1) {
                    assert!(
                        !a.overlaps(b),
                        "{file} {options:?}: numbers {} and {} overlap",
                        i + 1,
                        j + 1
                    );
                }
            }
        }
    }
}

/// How far inside the drawing's edges every text must end: a font wider
/// than the estimate still fits.
const CLEARANCE: f64 = 4.0;

#[test]
fn every_text_lies_inside_the_drawing_and_clear_of_the_others() {
    let mut drawn_charts: Vec<(String, String)> = Vec::new();
    for file in SEEDS {
        for options in ways() {
            drawn_charts.push((format!("{file} {options:?}"), drawn(file, options)));
        }
    }
    // Avesta to $100M, the label `$100M` at the axis's right end.
    let c = load_file("avesta.charter");
    let to = charter::syntax::ast::Spanned {
        node: rust_decimal::Decimal::from(100_000_000),
        span: Default::default(),
    };
    let from = charter::syntax::ast::Spanned {
        node: rust_decimal::Decimal::ZERO,
        span: Default::default(),
    };
    let ch = chart(
        &c,
        Some((&from, &to)),
        None,
        Options::default(),
        Default::default(),
    )
    .unwrap();
    drawn_charts.push(("avesta to $100M".to_string(), svg(&ch).unwrap()));
    for (what, text) in &drawn_charts {
        texts_fit(what, text);
    }
}

/// Every text of the SVG `text` at least [`CLEARANCE`] inside the drawing,
/// and no two overlapping.
fn texts_fit(what: &str, text: &str) {
    let doc = roxmltree::Document::parse(text).unwrap();
    let root = doc.root_element();
    let (w, h) = (num(root, "width"), num(root, "height"));
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {w} {h}").as_str())
    );
    let areas = text_areas(&doc);
    for (i, (t, a)) in areas.iter().enumerate() {
        for (u, b) in areas.iter().skip(i + 1) {
            assert!(!a.overlaps(b), "{what}: {t:?} {a:?} overlaps {u:?} {b:?}");
        }
        assert!(
            a.x0 >= CLEARANCE && a.x1 <= w - CLEARANCE,
            "{what}: {t:?} runs past the sides: {a:?}, width {w}"
        );
        assert!(
            a.y0 >= CLEARANCE && a.y1 <= h - CLEARANCE,
            "{what}: {t:?} runs past the top or bottom: {a:?}, height {h}"
        );
    }
}

#[test]
fn every_cause_appears_whole_however_long() {
    let mut longest = 0.0f64;
    for file in SEEDS {
        let c = load_file(file);
        let ch = chart(&c, None, None, Options::default(), Default::default()).unwrap();
        let text = svg(&ch).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let width = num(doc.root_element(), "width");
        let areas = text_areas(&doc);
        // Every text in the order drawn, one space between.
        let all = areas
            .iter()
            .flat_map(|(t, _)| t.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        let smallest = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| num(n, "font-size"))
            .fold(f64::INFINITY, f64::min);
        for m in &ch.markers {
            let words = m.label.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                all.contains(&words),
                "{file}: the cause {words:?} is not whole in {all:?}"
            );
            longest = longest.max(m.label.chars().count() as f64 * smallest * 0.6 / width);
        }
    }
    // Some cause is longer than the drawing is wide, even in its smallest
    // type: it can only appear whole wrapped.
    assert!(longest > 1.0, "{longest}");
}

#[test]
fn the_colours_are_distinct_and_none_the_breakpoints_grey() {
    let rgb = |i: usize| {
        let c = color(i);
        [f64::from(c.0), f64::from(c.1), f64::from(c.2)]
    };
    let distance = |a: [f64; 3], b: [f64; 3]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f64>()
            .sqrt()
    };
    let grey = [136.0, 136.0, 136.0];
    let white = [255.0, 255.0, 255.0];
    for i in 0..16 {
        assert!(
            distance(rgb(i), grey) >= 40.0,
            "colour {i} is near the grey"
        );
        assert!(distance(rgb(i), white) >= 40.0, "colour {i} is near white");
        for j in 0..i {
            assert!(
                distance(rgb(i), rgb(j)) >= 40.0,
                "colours {j} and {i} are near: {:?} {:?}",
                rgb(j),
                rgb(i)
            );
        }
    }
    // The first eight are Okabe and Ito's; the palette comes round again.
    assert_eq!(hex(16), hex(0));
    let okabe_ito = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    ];
    assert_eq!((0..8).map(hex).collect::<Vec<_>>(), okabe_ito);
}
