//! The page in a real browser: headless Chromium, driven over the DevTools
//! protocol, loads `charter serve`'s page, reads the payout table and the
//! chart, moves the exit slider and sees both change, types a mistake into
//! the editor and sees its diagnostic at the right line, and leaves a
//! screenshot in `target/browser/page.png`. [`open`] serves a folder and
//! opens the page, for the other browser tests too (`browser_phone.rs`: the
//! layout at desktop and phone widths and the chart; `browser_work.rs`:
//! stale answers, saving, the Tests tab, the payout table's figures).
//!
//! They need Chromium (`/usr/bin/chromium`, or `CHROMIUM`). `.ci/run` installs
//! it and sets `CHARTER_BROWSER_TESTS=1`, under which a missing browser is a
//! failure; elsewhere each test says it is skipped. One runs at a time.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
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
pub struct Page {
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    id: u64,
}

impl Page {
    pub fn call(&mut self, method: &str, params: Value) -> Value {
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
    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{js}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits until `js` is true (at most 20 s).
    pub fn until(&mut self, js: &str) {
        let start = Instant::now();
        while self.eval(js) != json!(true) {
            assert!(start.elapsed() < Duration::from_secs(20), "never: {js}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types `text` into the editor at `at`, an offset in UTF-16 units.
    pub fn insert(&mut self, at: usize, text: &str) {
        self.eval(&format!(
            "(() => {{ const t = document.getElementById('text'); t.focus(); t.setSelectionRange({at}, {at}); }})()"
        ));
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// Asserts that the page's script has thrown nothing since it opened.
    pub fn no_errors(&mut self) {
        assert_eq!(self.eval("window.errors"), json!([]));
    }

    /// Leaves a picture of the whole page in `target/browser/NAME.png`.
    pub fn screenshot(&mut self, name: &str) {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        );
        let png = decode_base64(shot["data"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Clicks the first element `selector` matches.
    pub fn click(&mut self, selector: &str) {
        self.eval(&format!(
            "document.querySelector({}).click()",
            json!(selector)
        ));
    }

    /// Sets an input's value and tells the page, as typing would.
    pub fn type_into(&mut self, id: &str, value: &str) {
        self.eval(&format!(
            "(() => {{ const e = document.getElementById({}); e.value = {}; \
             e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); }})()",
            json!(id),
            json!(value)
        ));
    }

    /// The page as seen on a screen `width` × `height` CSS pixels (a phone's
    /// when `mobile`: the viewport meta applies).
    pub fn screen(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        self.until(&format!("window.innerWidth === {width}"));
    }

    /// Records what the page hands the browser to download: each Blob made
    /// into a URL is kept in `window.downloads`, and downloads are refused.
    pub fn catch_downloads(&mut self) {
        self.call("Page.setDownloadBehavior", json!({ "behavior": "deny" }));
        self.eval(
            "window.downloads = []; const made = URL.createObjectURL; \
             URL.createObjectURL = (b) => { window.downloads.push(b); return made(b); }; true",
        );
    }

    /// The text of the `i`th download caught.
    pub fn download(&mut self, i: usize) -> String {
        self.until(&format!("window.downloads.length > {i}"));
        self.eval(&format!("window.downloads[{i}].text()"))
            .as_str()
            .unwrap()
            .to_string()
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

/// The browser tests run one at a time: Chromium is heavy on two cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A served folder and the page open on it in headless Chromium; the
/// server and the browser are stopped when it is dropped.
pub struct Opened {
    pub page: Page,
    /// The folder served.
    pub dir: PathBuf,
    _children: Killed,
    _turn: MutexGuard<'static, ()>,
}

/// Writes `files` (name, text) to a folder of their own, serves it with
/// `charter serve DIR --port 0` and opens the page in headless Chromium;
/// `None` when there is no Chromium (and `CHARTER_BROWSER_TESTS` is unset:
/// then a missing browser fails the test).
pub fn open(files: &[(&str, &str)]) -> Option<Opened> {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CHARTER_BROWSER_TESTS").is_err(),
            "CHARTER_BROWSER_TESTS is set but Chromium is not installed"
        );
        println!("skipped: no Chromium (apt-get install chromium; .ci/run does)");
        return None;
    };
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (first, rest) = files.split_first().unwrap();
    let dir = PathBuf::from(common::written(first.0, first.1))
        .parent()
        .unwrap()
        .to_path_buf();
    for (name, text) in rest {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let mut children = Killed(Vec::new());
    let mut server = Command::new(env!("CARGO_BIN_EXE_charter"))
        .arg("serve")
        .arg(&dir)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    children.0.push(server);
    let mut first_line = String::new();
    out.read_line(&mut first_line).unwrap();
    // The rest of what it prints is not read; keep the pipe drained.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = first_line
        .trim()
        .trim_start_matches("listening on ")
        .to_string();
    let page = browse(&browser, &url, &mut children);
    Some(Opened {
        page,
        dir,
        _children: children,
        _turn: turn,
    })
}

/// Starts headless Chromium on `url` and connects to its page.
fn browse(browser: &Path, url: &str, children: &mut Killed) -> Page {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let profile =
        std::env::temp_dir().join(format!("charter-chromium-{}-{run}", std::process::id()));
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
        .arg(url)
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
                    t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url))
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
    page.until(&format!(
        "location.href.startsWith({}) && document.readyState === 'complete'",
        json!(url)
    ));
    // What goes wrong in the page's script from here on is kept.
    page.eval(
        "window.errors = []; \
         window.addEventListener('error', (e) => window.errors.push(e.message)); \
         window.addEventListener('unhandledrejection', (e) => window.errors.push(String(e.reason))); true",
    );
    page
}

/// The offset of the end of line `n` (from 1) of `text` in UTF-16 units, as
/// the page's text counts (a charter has `§` and `—`).
pub fn end_of_line(text: &str, n: usize) -> usize {
    text.lines()
        .take(n)
        .map(|l| l.encode_utf16().count() + 1)
        .sum::<usize>()
        - 1
}

/// A charter of `charters/`, as its file holds it.
pub fn charter_file(name: &str) -> String {
    common::fixture(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("charters")
            .join(name),
    )
}

#[test]
fn the_page_answers_as_the_user_works() {
    let avesta = charter_file("avesta.charter");
    let Some(mut opened) = open(&[("avesta.charter", &avesta)]) else {
        return;
    };
    let page = &mut opened.page;

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
    page.click("[data-tab=breakpoints]");
    page.until("document.querySelectorAll('#breakpoints tr').length === 5");
    page.click("[data-tab=scenario]");
    page.eval("document.getElementById('new-event').value = 'issue 1000000 Common at $3'");
    page.click("#add-event");
    page.until("document.getElementById('prices').textContent.includes('$6.24 → $6.09')");
    page.click("[data-tab=approvals]");
    page.eval("document.getElementById('action').value = 'merger'");
    page.click("#approve");
    page.until("document.getElementById('consents').textContent.includes('passes')");
    page.click("[data-tab=tests]");
    page.click("#run-tests");
    page.until("document.querySelectorAll('#outcomes .pass').length > 0");
    assert_eq!(
        page.eval("document.querySelectorAll('#outcomes .fail').length"),
        json!(0)
    );
    // The valuation: one row per class and named holder, after the down
    // round the scenario holds (which once left cents unaccounted: see
    // tests/value.rs, scale_keeps_its_digits_when_the_product_overflows).
    page.click("[data-tab=valuation]");
    page.click("#run-value");
    // 5 classes; 3 named holders and the rest of C and of D.
    page.until("document.querySelectorAll('#values td.value').length === 10");
    assert!(
        page.eval("document.getElementById('values').textContent")
            .as_str()
            .unwrap()
            .contains("Equity $50,000,000.00, volatility 60%, term 2 years, rate 4%")
    );
    page.click("[data-tab=explorer]");

    // Type a mistake at the end of line 15 (`outstanding 8_000_000`): the
    // diagnostic points at line 15.
    page.insert(end_of_line(&avesta, 15), " shares");
    page.until("document.querySelectorAll('#diagnostics li').length > 0");
    assert_eq!(
        page.eval("document.querySelector('#diagnostics li').dataset.line"),
        json!("15")
    );
    assert_eq!(
        page.eval("document.querySelector('#gutter .bad').textContent"),
        json!("15")
    );

    page.screenshot("page");
    page.no_errors();
    // The file on disk is untouched: only Save writes.
    assert_eq!(
        std::fs::read_to_string(opened.dir.join("avesta.charter")).unwrap(),
        avesta
    );
}
