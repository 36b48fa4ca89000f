//! The page in a real browser: headless Chromium, driven over the DevTools
//! protocol, loads `charter serve`'s page, reads the payout table and the
//! chart, moves the exit slider and sees both change, types a mistake into
//! the editor and sees its diagnostic at the right line, and leaves a
//! screenshot in `target/browser/page.png`.
//!
//! It needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`). `.ci/run` installs
//! it and sets `CHARTER_BROWSER_TESTS=1`, under which a missing browser is a
//! failure; elsewhere the test says it is skipped.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::Message;

/// Children killed when the test ends, however it ends.
struct Killed(Vec<Child>);

impl Drop for Killed {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn chromium() -> Option<PathBuf> {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")))
        .filter(|p| p.exists())
}

/// A GET over plain TCP; the body, read to its stated length (DevTools
/// keeps the connection open).
fn get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // DevTools names its sockets after the Host asked for.
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

/// A DevTools connection to one page.
struct Page {
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    id: u64,
}

impl Page {
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.ws
            .send(Message::Text(
                json!({ "id": id, "method": method, "params": params }).to_string(),
            ))
            .unwrap();
        loop {
            if let Message::Text(t) = self.ws.read().unwrap() {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == id {
                    assert!(v.get("error").is_none(), "{method}: {v}");
                    return v["result"].clone();
                }
            }
        }
    }

    /// Evaluates JavaScript in the page; its value.
    fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{js}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits until `js` is true (at most 20 s).
    fn until(&mut self, js: &str) {
        let start = Instant::now();
        while self.eval(js) != json!(true) {
            assert!(start.elapsed() < Duration::from_secs(20), "never: {js}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(table).collect();
    bytes
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |a, &b| (a << 6) | u32::from(b)) << (6 * (4 - c.len()));
            let all = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            all.into_iter().take(c.len().saturating_sub(1))
        })
        .collect()
}

#[test]
fn the_page_answers_as_the_user_works() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CHARTER_BROWSER_TESTS").is_err(),
            "CHARTER_BROWSER_TESTS is set but Chromium is not installed"
        );
        println!("skipped: no Chromium (apt-get install chromium; .ci/run does)");
        return;
    };
    let avesta = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/avesta.charter"),
    )
    .unwrap();
    let path = common::written("avesta.charter", &avesta);
    let mut children = Killed(Vec::new());

    let mut server = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["serve", &path, "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    children.0.push(server);
    let url = first.trim().trim_start_matches("listening on ").to_string();

    let profile = std::env::temp_dir().join(format!("charter-chromium-{}", std::process::id()));
    let mut chrome = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1000",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&url)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..."
    let stderr = chrome.stderr.take().unwrap();
    children.0.push(chrome);
    // Chromium's stderr is read to its end on a thread of its own, so that
    // it never blocks on a full pipe; the DevTools port comes back first.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                let _ = tx.send(rest.split('/').next().and_then(|p| p.parse::<u16>().ok()));
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .ok()
        .flatten()
        .expect("Chromium printed no DevTools address");
    let start = Instant::now();
    let ws_url = loop {
        let list: Value = serde_json::from_str(&get(port, "/json/list")).unwrap_or(Value::Null);
        let found = list.as_array().and_then(|l| {
            l.iter()
                .find(|t| {
                    t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(&url))
                })
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
        });
        if let Some(u) = found {
            break u;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no page: {list}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let (ws, _) = tungstenite::connect(ws_url.as_str()).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    }
    let mut page = Page { ws, id: 0 };

    // The file loads, the explorer answers $50M: Series D's row.
    page.until("document.querySelectorAll('#payout td.payout').length === 5");
    let first_d = page.eval("document.querySelectorAll('#payout td.payout')[4].textContent");
    // At $50M (Avesta § A.1): D's $11,404,642.08 preference and 1,827,667 /
    // 20,735,992 of the $12,692,063.36 past all preferences = $1,118,676.42
    // → $12,523,318.50.
    assert_eq!(first_d, json!("$12,523,318.50"));
    page.until("document.querySelectorAll('#chart polyline.series').length === 5");
    assert_eq!(
        page.eval("document.querySelectorAll('#chart line.bp').length"),
        json!(3)
    );
    let now = page.eval("document.getElementById('now').getAttribute('x1')");

    // Move the slider: the exit, the table and the marker on the chart change.
    page.eval("(() => { const s = document.getElementById('slider'); s.value = 400; s.dispatchEvent(new Event('input')); })()");
    page.until(
        "document.querySelectorAll('#payout td.payout')[4].textContent !== '$12,523,318.50'",
    );
    assert_ne!(
        page.eval("document.getElementById('exit').value"),
        json!("$50M")
    );
    assert_ne!(
        page.eval("document.getElementById('now').getAttribute('x1')"),
        now
    );

    // The other panels: breakpoints with their causes, a down round's
    // derivation (Series D $6.24 → $6.09, as worked in tests/server.rs), a
    // merger's consents, and the expect blocks run.
    let click = |p: &mut Page, sel: &str| {
        p.eval(&format!("document.querySelector('{sel}').click()"));
    };
    click(&mut page, "[data-tab=breakpoints]");
    page.until("document.querySelectorAll('#breakpoints tr').length === 5");
    click(&mut page, "[data-tab=scenario]");
    page.eval("document.getElementById('new-event').value = 'issue 1000000 Common at $3'");
    click(&mut page, "#add-event");
    page.until("document.getElementById('prices').textContent.includes('$6.24 → $6.09')");
    click(&mut page, "[data-tab=approvals]");
    page.eval("document.getElementById('action').value = 'merger'");
    click(&mut page, "#approve");
    page.until("document.getElementById('consents').textContent.includes('passes')");
    click(&mut page, "[data-tab=tests]");
    click(&mut page, "#run-tests");
    page.until("document.querySelectorAll('#outcomes .pass').length > 0");
    assert_eq!(
        page.eval("document.querySelectorAll('#outcomes .fail').length"),
        json!(0)
    );
    // The valuation: one row per class and named holder, after the down
    // round the scenario holds (which once left cents unaccounted: see
    // tests/value.rs, scale_keeps_its_digits_when_the_product_overflows).
    click(&mut page, "[data-tab=valuation]");
    click(&mut page, "#run-value");
    // 5 classes; 3 named holders and the rest of C and of D.
    page.until("document.querySelectorAll('#values td.value').length === 10");
    assert!(
        page.eval("document.getElementById('values').textContent")
            .as_str()
            .unwrap()
            .contains("Equity $50,000,000.00, volatility 60%, term 2 years, rate 4%")
    );
    click(&mut page, "[data-tab=explorer]");

    // Type a mistake at the end of line 15 (`outstanding 8_000_000`): the
    // diagnostic points at line 15.
    // The offset in UTF-16 units, as the page's text counts (the file has
    // `§` and `—` before it).
    let line15 = avesta
        .lines()
        .take(15)
        .map(|l| l.encode_utf16().count() + 1)
        .sum::<usize>()
        - 1;
    page.eval(&format!(
        "(() => {{ const t = document.getElementById('text'); t.focus(); t.setSelectionRange({line15}, {line15}); }})()"
    ));
    page.call("Input.insertText", json!({ "text": " shares" }));
    page.until("document.querySelectorAll('#diagnostics li').length > 0");
    assert_eq!(
        page.eval("document.querySelector('#diagnostics li').dataset.line"),
        json!("15")
    );
    assert_eq!(
        page.eval("document.querySelector('#gutter .bad').textContent"),
        json!("15")
    );

    let shot = page.call("Page.captureScreenshot", json!({ "format": "png" }));
    let png = decode_base64(shot["data"].as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page.png"), png).unwrap();
    // The file on disk is untouched: only Save writes.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), avesta);
}
