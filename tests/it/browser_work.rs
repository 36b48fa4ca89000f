//! The page as a lawyer or an analyst works with it: answers marked out of
//! date while the charter has errors or the exit cannot be read; Save and
//! a switch of file asking before they write errors or drop edits; the
//! Tests tab running a charter's companion `NAME.charter.test`; the payout
//! table's totals, shares of the proceeds and multiples, checked by hand and
//! against the payout's JSON; several exits side by side; the CSV
//! downloads. Run as `browser.rs` says.

use serde_json::{Value, json};

use super::browser::{Page, charter_file, end_of_line, open};

/// Replaces `window.confirm` with one that records its question in
/// `window.asked` and answers `yes`.
fn answer_confirm(page: &mut Page, yes: bool) {
    page.eval(&format!(
        "window.asked = window.asked || []; window.confirm = (m) => {{ window.asked.push(m); return {yes}; }}; true"
    ));
}

fn text_of(page: &mut Page, js: &str) -> String {
    page.eval(js).as_str().unwrap_or_default().to_string()
}

#[test]
fn stale_answers_are_marked_and_edits_are_not_lost_or_saved_unasked() {
    let avesta = charter_file("avesta.charter");
    let model = charter_file("model_series_a.charter");
    let Some(mut opened) = open(&[
        ("avesta.charter", &avesta),
        ("model_series_a.charter", &model),
    ]) else {
        return;
    };
    let file = opened.dir.join("avesta.charter");
    let page = &mut opened.page;
    page.until("document.querySelectorAll('#payout td.payout').length === 5");
    assert_eq!(
        page.eval("document.getElementById('stale').hidden"),
        json!(true)
    );

    // A mistake on line 15: the payout stays, marked out of date with the
    // reason, and dimmed.
    page.insert(end_of_line(&avesta, 15), " shares");
    page.until("document.getElementById('right').classList.contains('stale')");
    let note = text_of(page, "document.getElementById('stale').textContent");
    assert!(
        note.starts_with("Out of date: the charter has an error (line 15: "),
        "{note}"
    );
    assert_eq!(
        page.eval("document.getElementById('stale').hidden"),
        json!(false)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#payout td.payout').length"),
        json!(5)
    );
    assert_eq!(
        page.eval("getComputedStyle(document.getElementById('payout')).opacity"),
        json!("0.45")
    );
    page.screenshot("stale");

    // Save asks first, naming the problem; told no, it writes nothing.
    answer_confirm(page, false);
    page.click("#save");
    page.until("window.asked.length === 1");
    let asked = text_of(page, "window.asked[0]");
    assert!(asked.contains("the first, line 15: "), "{asked}");
    assert!(
        asked.contains("Save avesta.charter with it anyway?"),
        "{asked}"
    );
    page.until(
        "document.getElementById('status').textContent === 'not saved: the charter has errors'",
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), avesta);

    // Another file asks before the edits are dropped; told no, the
    // selection and the edits stay.
    page.type_into("file", "model_series_a.charter");
    page.until("window.asked.length === 2");
    let asked = text_of(page, "window.asked[1]");
    assert!(
        asked.starts_with("Discard the unsaved edits to avesta.charter"),
        "{asked}"
    );
    assert_eq!(
        page.eval("document.getElementById('file').value"),
        json!("avesta.charter")
    );
    assert!(text_of(page, "document.getElementById('text').value").contains("8_000_000 shares"));

    undone_then_saved(page, &avesta, &file);
}

/// The mistake undone, the mark goes; an exit that cannot be read marks the
/// answers again; and told yes, Save writes the charter, errors and all.
fn undone_then_saved(page: &mut Page, avesta: &str, file: &std::path::Path) {
    page.eval(&format!(
        "(() => {{ const t = document.getElementById('text'); t.value = {}; t.dispatchEvent(new Event('input')); }})()",
        json!(avesta)
    ));
    page.until("!document.getElementById('right').classList.contains('stale') && document.getElementById('stale').hidden");

    // An exit that cannot be read marks the payout too, until one can.
    page.type_into("exit", "fifty");
    page.until(
        "document.getElementById('stale').textContent.includes('the exit “fifty” cannot be read')",
    );
    assert_eq!(
        page.eval("document.getElementById('right').classList.contains('stale')"),
        json!(true)
    );
    page.type_into("exit", "$30M");
    page.until("document.getElementById('stale').hidden && document.querySelector('#payout p.cite').textContent.includes('$30,000,000.00')");

    // Told yes, Save writes the charter, errors and all.
    page.insert(end_of_line(avesta, 15), " shares");
    page.until("document.getElementById('right').classList.contains('stale')");
    answer_confirm(page, true);
    page.click("#save");
    page.until("document.getElementById('status').textContent === 'saved avesta.charter'");
    assert_eq!(page.eval("window.asked.length"), json!(3));
    let saved = std::fs::read_to_string(file).unwrap();
    assert!(saved.contains("outstanding 8_000_000 shares"), "{saved}");
    page.no_errors();
}

#[test]
fn the_tests_tab_runs_the_companion_file() {
    let model = charter_file("model_series_a.charter");
    let claims = charter_file("model_series_a.charter.test");
    let Some(mut opened) = open(&[
        ("model_series_a.charter", &model),
        ("model_series_a.charter.test", &claims),
    ]) else {
        return;
    };
    let page = &mut opened.page;
    page.until("document.querySelectorAll('#payout td.payout').length === 3");
    page.click("[data-tab=tests]");
    // The charter has no expect blocks; its .test file has 14 holding 36
    // claims (4 + 3 + 3 + 4 + 2 + 3 + 2 + 1 + 1 + 2 + 1 + 1 + 4 + 5).
    page.until("document.getElementById('test-summary').textContent === '36 passed, 0 failed'");
    assert_eq!(
        page.eval(
            "[...document.querySelectorAll('#outcomes .test-file h3')].map((h) => h.textContent)"
        ),
        json!(["model_series_a.charter", "model_series_a.charter.test"])
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#outcomes .block').length"),
        json!(14)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#outcomes li.pass').length"),
        json!(36)
    );
    let shown = text_of(page, "document.getElementById('outcomes').textContent");
    assert!(shown.contains("below $6M the Series A takes everything"));
    assert!(shown.contains("✓ \"Lead Fund, L.P.\" receives $3,750,000.00"));
    page.screenshot("tests");

    // The text as edited is what runs: with the Lead Fund holding 2,000,000
    // Series A, its claims fail and say what was found.
    page.eval(
        "(() => { const t = document.getElementById('text'); \
         t.value = t.value.replace('\"Lead Fund, L.P.\"   3_000_000 A', '\"Lead Fund, L.P.\"   2_000_000 A'); \
         t.dispatchEvent(new Event('input')); })()",
    );
    page.until("document.querySelector('#payout p.cite') !== null && !document.getElementById('right').classList.contains('stale')");
    page.click("#run-tests");
    page.until("/^\\d+ passed, [1-9]\\d* failed$/.test(document.getElementById('test-summary').textContent)");
    let failed = text_of(
        page,
        "document.querySelector('#outcomes li.fail').textContent",
    );
    // Below $6M the Series A takes $5M: the Lead Fund's 2/4 of it.
    assert_eq!(
        failed,
        "✗ \"Lead Fund, L.P.\" receives $3,750,000.00 — expected $3,750,000.00, got $2,500,000.00"
    );
    page.no_errors();
}

/// The cells of the rows of the tables `selector` matches, as shown (a
/// class's name without its explanation, an amount without its share).
fn cells(page: &mut Page, selector: &str) -> Vec<Vec<String>> {
    let v = page.eval(&format!(
        "[...document.querySelectorAll({})].map((r) => [...r.cells].map((c) => \
         (c.querySelector('summary') || c.firstChild || c).textContent.trim()))",
        json!(selector)
    ));
    serde_json::from_value(v).unwrap()
}

/// A row's cells written `a | b | c`.
fn row(cells: &str) -> Vec<String> {
    cells.split('|').map(|c| c.trim().to_string()).collect()
}

#[test]
fn the_payout_table_adds_totals_shares_and_multiples() {
    let model = charter_file("model_series_a.charter");
    let Some(mut opened) = open(&[("model_series_a.charter", &model)]) else {
        return;
    };
    let page = &mut opened.page;
    page.until("document.querySelectorAll('#payout td.payout').length === 3");
    // At $50M (the exit the page starts at) the Series A converts: every
    // share as converted, options exercised, gets ($50M + $375,000) /
    // 12,500,000 = $4.03. Common 7,000,000 × $4.03 = $28,210,000 (56.42% of
    // $50M); Series A 4,000,000 × $4.03 = $16,120,000 (32.24%) on
    // 4,000,000 × $1.50 = $6,000,000 paid in: 2.69×; the options
    // 1,500,000 × $4.03 − $375,000 = $5,670,000 (11.34%).
    assert_eq!(
        cells(page, "#payout table.classes tr"),
        vec![
            row(
                "class | payout | % of proceeds | multiple | invested | shares | per share | converted"
            ),
            row("Common | $28,210,000.00 | 56.42% | — | — | 7,000,000 | $4.030000 | no"),
            row(
                "Series A | $16,120,000.00 | 32.24% | 2.69× | $6,000,000.00 | 4,000,000 | $4.030000 | yes"
            ),
            row(
                "2024 Equity Incentive Plan (options) | $5,670,000.00 | 11.34% | — | — | 1,500,000 |  | exercised"
            ),
            row("total | $50,000,000.00 | 100.00% |  |  |  |  | "),
        ]
    );
    // The holders: the founders' 4,000,000 and 3,000,000 Common, the Lead
    // Fund's 3,000,000 Series A and the other 1,000,000, at $4.03 each.
    assert_eq!(
        cells(page, "#payout table.holders tr"),
        vec![
            row("holder | payout | % of proceeds | class | shares"),
            row("Founder One | $16,120,000.00 | 32.24% | Common | 4,000,000"),
            row("Founder Two | $12,090,000.00 | 24.18% | Common | 3,000,000"),
            row("Lead Fund, L.P. | $12,090,000.00 | 24.18% | Series A | 3,000,000"),
            row("other holders of Series A | $4,030,000.00 | 8.06% | Series A | 1,000,000"),
            row("total | $44,330,000.00 | 88.66% |  | "),
        ]
    );
    against_the_json(page);
    downloads(page);
    side_by_side(page);
}

/// Each share of the proceeds shown is the payout's JSON's payout ÷ exit.
fn against_the_json(page: &mut Page) {
    let json: Value = page.eval(
        "api('/api/query', { charter: document.getElementById('text').value, statements: ['payout $50000000.00'] }).then((o) => o[0])",
    );
    let exit: f64 = json["exit"].as_str().unwrap().parse().unwrap();
    let shown = cells(page, "#payout table.classes tbody tr");
    for (c, shown) in json["classes"].as_array().unwrap().iter().zip(&shown) {
        let payout: f64 = c["payout"].as_str().unwrap().parse().unwrap();
        assert_eq!(shown[2], format!("{:.2}%", 100.0 * payout / exit), "{c}");
    }
}

/// The table as CSV: plain numbers.
fn downloads(page: &mut Page) {
    page.catch_downloads();
    page.click("#csv");
    let csv = page.download(0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "exit,event,kind,name,class,shares,payout,percent_of_proceeds,per_share,invested,multiple,converted"
    );
    assert!(lines.contains(&"50000000.00,liquidation,class,Series A,,4000000,16120000.00,32.24,4.030000,6000000.00,2.69,yes"), "{csv}");
    assert!(
        lines.contains(&"50000000.00,liquidation,total,,,,50000000.00,100.00,,,,"),
        "{csv}"
    );
    assert!(lines.contains(&"50000000.00,liquidation,holder,\"Lead Fund, L.P.\",Series A,3000000,12090000.00,24.18,,,,"), "{csv}");
}

/// Three exits side by side, each figure as model_series_a.charter.test
/// works it by hand.
fn side_by_side(page: &mut Page) {
    page.type_into("exits", "$5M, $10M, $30M");
    page.click("#run-exits");
    page.until("document.querySelectorAll('#side tbody tr').length > 0");
    let table = cells(page, "#side tr");
    let find = |name: &str| table.iter().find(|r| r[0] == name).cloned().unwrap();
    assert_eq!(find("exit"), row("exit | $5M | $10M | $30M"));
    assert_eq!(
        find("Series A"),
        row("Series A | $5,000,000.00 | $6,000,000.00 | $9,720,000.00")
    );
    assert_eq!(
        find("Common"),
        row("Common | $0.00 | $3,602,941.18 | $17,010,000.00")
    );
    assert_eq!(
        find("total"),
        row("total | $5,000,000.00 | $10,000,000.00 | $30,000,000.00")
    );
    assert_eq!(
        find("Lead Fund, L.P."),
        row("Lead Fund, L.P. | $3,750,000.00 | $4,500,000.00 | $7,290,000.00")
    );
    // $5M, $6M and $9.72M on $6M paid in.
    assert_eq!(
        find("Series A multiple"),
        row("Series A multiple | 0.83× | 1.00× | 1.62×")
    );
    page.click("#side-csv");
    let csv = page.download(1);
    assert!(
        csv.starts_with("name,kind,5000000.00,10000000.00,30000000.00\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\r\nSeries A,class,5000000.00,6000000.00,9720000.00\r\n"),
        "{csv}"
    );
    page.no_errors();
}
