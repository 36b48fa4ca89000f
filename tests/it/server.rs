//! `charter serve`: the JSON API against a server on an ephemeral port — the
//! same JSON as `charter query --format json`, diagnostics for bad charters
//! and statements, files listed, read and saved — and the refusals: paths
//! out of the folder (`..`, absolute, encoded, a symlink), a 100 MB body, and
//! an evaluation past the time limit, after which the server still answers.

use crate::common;
use crate::common::served::serve;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// A folder with Avesta, a charter with a problem, and a symlink out.
fn folder() -> PathBuf {
    let avesta = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/avesta.charter"),
    )
    .unwrap();
    let path = common::written("avesta.charter", &avesta);
    let dir = Path::new(&path).parent().unwrap().to_path_buf();
    std::fs::write(dir.join("broken.charter"), "charter \"Broken\" {").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a charter").unwrap();
    let outside = dir
        .parent()
        .unwrap()
        .join(format!("secret-{}.charter", std::process::id()));
    std::fs::write(&outside, "charter \"Secret\" { filed 2020-01-01 }").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dir.join("link.charter")).unwrap();
    dir
}

#[test]
fn the_api_answers_as_the_command_line_does() {
    let dir = folder();
    let s = serve(&dir, &[]);
    let (status, body) = s.request("GET", "/api/files", b"");
    assert_eq!(status, 200);
    let files: Value = serde_json::from_str(&body).unwrap();
    // The symlink out of the folder and the text file are not listed.
    assert_eq!(files["files"], json!(["avesta.charter", "broken.charter"]));

    let (status, body) = s.request("GET", "/api/files/avesta.charter", b"");
    assert_eq!(status, 200);
    let text = serde_json::from_str::<Value>(&body).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();

    // The same JSON as `charter query --format json`.
    let statements = ["issue 1000000 Common at $3", "payout $80M"];
    let (status, answers) = s.post(
        "/api/query",
        &json!({ "charter": text, "statements": statements }),
    );
    assert_eq!(status, 200);
    let cli = Command::new(env!("CARGO_BIN_EXE_charter"))
        .arg("query")
        .arg(dir.join("avesta.charter"))
        .args(statements)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(cli.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers, Value::Array(lines));
    // The page shares the charters it has checked among requests: the issue
    // in that one changes nothing for the next, whose $80M payout is the
    // charter's own (and not the one after the issue).
    let (status, again) = s.post(
        "/api/query",
        &json!({ "charter": text, "statements": ["payout $80M"] }),
    );
    assert_eq!(status, 200);
    let cli = Command::new(env!("CARGO_BIN_EXE_charter"))
        .arg("query")
        .arg(dir.join("avesta.charter"))
        .args(["payout $80M", "--format", "json"])
        .output()
        .unwrap();
    let fresh: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(again[0], fresh);
    assert_ne!(again[0], answers[1]);
    // Series D's price after 1,000,000 common at $3 (§ A.2(d)(iv)): $6.24 ×
    // (20,735,992 + 3,000,000/6.24) / 21,735,992 → $6.09.
    let d = answers[0]["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["series"] == "Series D")
        .unwrap();
    assert_eq!(d["after"], "6.09");

    // A charter with a problem: its diagnostics, with code, message, span and help.
    let (_, v) = s.post(
        "/api/query",
        &json!({ "charter": "charter \"x\" {", "statements": ["payout $1"] }),
    );
    assert_eq!(v[0]["error"], "charter");
    let d = &v[0]["diagnostics"][0];
    assert_eq!(d["code"], "charter::parse::syntax");
    assert!(
        d["span"]["start"].is_number() && d["help"].is_string(),
        "{d}"
    );

    // A statement with a problem stops the run there.
    let (_, v) = s.post(
        "/api/query",
        &json!({ "charter": text, "statements": ["payout $1M", "pay $2", "payout $3"] }),
    );
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["error"], "statement");
    assert_eq!(v[1]["statement"], 1);

    // A check lists what the page offers, and a chart's data; a bad request is 400.
    let (_, v) = s.post("/api/check", &json!({ "charter": text }));
    assert_eq!(v["ok"], true);
    assert_eq!(v["events"], json!(["Liquidation Transaction"]));
    let (_, v) = s.post("/api/chart", &json!({ "charter": text }));
    assert_eq!(v["markers"].as_array().unwrap().len(), 3);
    assert_eq!(s.post("/api/query", &json!({ "statements": [] })).0, 400);
    assert_eq!(s.request("POST", "/api/query", b"{not json").0, 400);

    // Saving writes only on an explicit PUT, and only there.
    let new = "charter \"New\" { filed 2020-01-01 }";
    let (status, _) = s.request(
        "PUT",
        "/api/files/new.charter",
        json!({ "text": new }).to_string().as_bytes(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(dir.join("new.charter")).unwrap(),
        new
    );
    // Saved over: the new text, and no file left beside it.
    let (status, _) = s.request(
        "PUT",
        "/api/files/new.charter",
        json!({ "text": "charter \"Newer\" { filed 2020-01-01 }" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200);
    assert!(
        std::fs::read_to_string(dir.join("new.charter"))
            .unwrap()
            .contains("Newer")
    );
    assert!(
        std::fs::read_dir(&dir).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("saving")),
        "a temporary file was left"
    );
}

#[test]
fn paths_out_of_the_folder_and_huge_bodies_are_refused() {
    let dir = folder();
    let s = serve(&dir, &[]);
    for path in [
        "/api/files/../avesta.charter",
        "/api/files/..%2F..%2Fetc%2Fpasswd",
        "/api/files/%2Fetc%2Fpasswd",
        "/api/files//etc/passwd",
        "/api/files/notes.txt",
    ] {
        let (status, _) = s.request("GET", path, b"");
        assert!(status == 400 || status == 404, "{path}: {status}");
    }
    // A symlink in the folder that points out of it.
    #[cfg(unix)]
    assert_eq!(s.request("GET", "/api/files/link.charter", b"").0, 403);
    let (status, _) = s.request("PUT", "/api/files/..%2Fescape.charter", br#"{"text": "x"}"#);
    assert_eq!(status, 400);
    assert!(!dir.parent().unwrap().join("escape.charter").exists());

    // 100 MB: refused by its stated length, before it is read.
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        stream,
        "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Charter-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        s.port,
        s.token,
        100 * 1024 * 1024
    )
    .unwrap();
    let _ = stream.write_all(&vec![b' '; 1024 * 1024]);
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    assert!(
        out.starts_with("HTTP/1.1 413"),
        "{}",
        &out[..out.len().min(80)]
    );
    // The server still answers.
    assert_eq!(s.request("GET", "/api/files", b"").0, 200);
}

#[test]
fn an_evaluation_past_the_time_limit_is_abandoned_and_the_server_goes_on() {
    let dir = folder();
    // A charter of 400 series, every one deciding whether to convert: the
    // breakpoints take far longer than a millisecond.
    let wide = common::wide::pari_passu_series(400);
    let s = serve(&dir, &[("CHARTER_SERVE_TIME_LIMIT_MS", "1")]);
    let (status, v) = s.post(
        "/api/query",
        &json!({ "charter": wide, "statements": ["breakpoints"] }),
    );
    assert_eq!(status, 503);
    assert!(
        v["error"].as_str().unwrap().contains("longer than 1 ms"),
        "{v}"
    );
    assert_eq!(s.request("GET", "/api/files", b"").0, 200);
    // Under the default limit, the largest seed answers in time.
    drop(s);
    let s = serve(&dir, &[]);
    let (status, v) = s.post(
        "/api/query",
        &json!({ "charter": wide, "statements": ["payout $1M"] }),
    );
    assert_eq!(status, 200, "{v}");
}
