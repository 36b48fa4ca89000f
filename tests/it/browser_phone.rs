//! The page at a desktop's width and at a phone's, and its chart: the
//! panels side by side at 1440 px and one above the other at 390 px, with
//! no sideways scroll and controls a finger can hit; the chart following
//! the exit past its first range, its labels inside the picture, its
//! colours told apart, and its download. Run as `browser.rs` says.

use serde_json::{Value, json};

use super::browser::{Page, charter_file, open};

/// What the layout checks read off the page: the page's scroll width, the
/// window's, the editor's, chart's and payout's boxes, the chart's width in
/// its own units, its labels that fall outside it, the controls shorter
/// than 40 px, and whether the text says "hover" without "tap".
const MEASURE: &str = r#"(() => {
  const box = (id) => { const b = document.getElementById(id).getBoundingClientRect();
    return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height }; };
  const svg = document.getElementById('chart'), vb = svg.viewBox.baseVal;
  const outside = [...svg.querySelectorAll('text')].filter((t) => t.textContent).map((t) => {
    const b = t.getBBox(); return { text: t.textContent, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height }; })
    .filter((b) => b.x < 0 || b.y < 0 || b.right > vb.width || b.bottom > vb.height);
  const small = [...document.querySelectorAll('header button, header select, #right button, #right select, #right input')]
    .filter((e) => e.offsetParent !== null).map((e) => [e.id || e.textContent.trim(), e.getBoundingClientRect().height])
    .filter(([, h]) => h < 40);
  return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    editor: box('editor'), chart: box('chart'), payout: box('payout'), units: vb.width, outside, small,
    hover: /hover(?![^.]*tap)/i.test(document.body.innerText) };
})()"#;

/// Waits for the chart to be drawn at its width on screen, and measures.
fn measure(page: &mut Page) -> Value {
    page.until(
        "(() => { const s = document.getElementById('chart'); \
         return s.querySelectorAll('polyline.series').length > 0 && s.viewBox.baseVal.width === s.clientWidth; })()",
    );
    page.eval(MEASURE)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn the_page_fits_a_desktop_and_a_phone() {
    let avesta = charter_file("avesta.charter");
    let Some(mut opened) = open(&[("avesta.charter", &avesta)]) else {
        return;
    };
    let page = &mut opened.page;
    page.until("document.querySelectorAll('#payout td.payout').length === 5");

    // A desktop: editor on the left, answers on the right, each wide.
    page.screen(1440, 900, false);
    let m = measure(page);
    assert!(f(&m["scroll"]) <= f(&m["inner"]), "sideways scroll: {m}");
    assert!(f(&m["editor"]["width"]) >= 500.0, "{m}");
    assert!(f(&m["chart"]["width"]) >= 600.0, "{m}");
    assert!(f(&m["payout"]["width"]) >= 600.0, "{m}");
    assert!(f(&m["editor"]["right"]) <= f(&m["chart"]["left"]), "{m}");
    assert_eq!(m["outside"], json!([]), "{m}");
    page.screenshot("desktop");

    // A phone: one panel above the other, each the screen's width less its
    // margins; the chart drawn at that width (no thumbnail), nothing wider
    // than the screen, every control at least 40 px tall, no "hover" alone.
    page.screen(390, 844, true);
    let m = measure(page);
    assert!(f(&m["scroll"]) <= 390.0, "sideways scroll: {m}");
    for panel in ["editor", "chart", "payout"] {
        let b = &m[panel];
        assert!(f(&b["width"]) >= 340.0, "{panel}: {m}");
        assert!(
            f(&b["left"]) >= 0.0 && f(&b["right"]) <= 390.0,
            "{panel}: {m}"
        );
    }
    assert!(f(&m["chart"]["top"]) >= f(&m["editor"]["bottom"]), "{m}");
    assert!(f(&m["payout"]["top"]) >= f(&m["chart"]["bottom"]), "{m}");
    assert!(f(&m["chart"]["height"]) >= 200.0, "{m}");
    assert!(f(&m["units"]) >= 340.0, "{m}");
    assert_eq!(m["outside"], json!([]), "{m}");
    assert_eq!(m["small"], json!([]), "controls under 40 px: {m}");
    assert_eq!(m["hover"], json!(false), "{m}");
    page.screenshot("phone");

    // A class's amounts by clause open with a tap.
    page.click("#payout summary");
    page.until("document.querySelectorAll('#payout details[open] ul.why li').length > 0");
    let why = page.eval("document.querySelector('#payout details[open] ul.why').textContent");
    assert!(why.as_str().unwrap().contains("A.1"), "{why}");

    // Back to a desktop: side by side again.
    page.screen(1440, 900, false);
    let m = measure(page);
    assert!(f(&m["editor"]["right"]) <= f(&m["chart"]["left"]), "{m}");
    assert!(f(&m["scroll"]) <= f(&m["inner"]), "{m}");
    page.no_errors();
}

/// The largest exit the x axis labels, and where the exit's marker stands
/// between the axis's ends (0 at the left, 1 at the right).
fn axis(page: &mut Page) -> (f64, f64) {
    let v = page.eval(
        "(() => { const top = Math.max(...[...document.querySelectorAll('#chart text.xtick')].map((t) => Number(t.dataset.v))); \
         const a = document.getElementById('axis-x'), now = document.getElementById('now'); \
         const x1 = Number(a.getAttribute('x1')), x2 = Number(a.getAttribute('x2')); \
         return [top, (Number(now.getAttribute('x1')) - x1) / (x2 - x1)]; })()",
    );
    (f(&v[0]), f(&v[1]))
}

fn slide(page: &mut Page, to: u32) {
    page.eval(&format!(
        "(() => {{ const s = document.getElementById('slider'); s.value = {to}; s.dispatchEvent(new Event('input')); }})()"
    ));
}

#[test]
fn the_chart_follows_the_exit_and_keeps_its_labels_inside() {
    let avesta = charter_file("avesta.charter");
    let Some(mut opened) = open(&[("avesta.charter", &avesta)]) else {
        return;
    };
    let page = &mut opened.page;
    page.screen(1440, 900, false);
    measure(page);
    page.until("document.querySelectorAll('#payout td.payout').length === 5");
    // Avesta's chart runs to $50M (its top breakpoint, $37,307,936.64, ×
    // 1.25, rounded up); the exit, $50M, stands at its right end.
    let (top, at) = axis(page);
    assert_eq!(top, 50e6);
    assert!((at - 1.0).abs() < 0.01, "{at}");

    // The slider runs on a log scale from 1% of the top breakpoint to 3×
    // it, $373K to $112M: its middle is 37,307,936.64 × √(3/100) =
    // $6,461,923 → $6.46M (three figures).
    assert_eq!(
        page.eval("document.getElementById('slider-lo').textContent"),
        json!("$373K")
    );
    assert_eq!(
        page.eval("document.getElementById('slider-hi').textContent"),
        json!("$112M")
    );
    slide(page, 500);
    assert_eq!(
        page.eval("document.getElementById('exit').value"),
        json!("$6.46M")
    );

    // At its right end, $112M: past the chart's $50M, which follows to a
    // round number at least 1.2 × $112M = $134.4M: $150M. The marker stands
    // at 112/150 of the axis, not stuck at its end.
    slide(page, 1000);
    assert_eq!(
        page.eval("document.getElementById('exit').value"),
        json!("$112M")
    );
    page.until("Math.max(...[...document.querySelectorAll('#chart text.xtick')].map((t) => Number(t.dataset.v))) === 150e6");
    page.until("document.querySelector('#payout p.cite').textContent.includes('$112,000,000.00')");
    let (top, at) = axis(page);
    assert_eq!(top, 150e6);
    assert!((at - 112.0 / 150.0).abs() < 0.01, "{at}");
    let m = page.eval(MEASURE);
    assert_eq!(m["outside"], json!([]), "{m}");

    // Five series in five of Okabe and Ito's colours, each in the legend.
    let colours = page.eval(
        "[...new Set([...document.querySelectorAll('#chart polyline.series')].map((p) => p.getAttribute('stroke')))]",
    );
    assert_eq!(
        colours,
        json!(["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7"])
    );
    assert_eq!(
        page.eval(
            "[...document.querySelectorAll('#chart g.legend text')].map((t) => t.textContent)"
        ),
        json!(["Common", "Series A", "Series B", "Series C", "Series D"])
    );

    // Back inside the charter's range, the chart is its own again.
    page.type_into("exit", "$20M");
    page.until("Math.max(...[...document.querySelectorAll('#chart text.xtick')].map((t) => Number(t.dataset.v))) === 50e6");
    let (_, at) = axis(page);
    assert!((at - 0.4).abs() < 0.01, "{at}");

    // The chart downloads as an SVG file of its own: legend, no tap targets.
    page.catch_downloads();
    page.click("#svg");
    let svg = page.download(0);
    assert!(svg.starts_with("<?xml"), "{svg}");
    assert!(svg.contains("<svg") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(">Series D</text>"));
    assert!(!svg.contains("bp-hit"));
    page.no_errors();
}
