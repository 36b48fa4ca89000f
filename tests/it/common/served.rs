//! A running `charter serve` on an ephemeral port, and requests to it over
//! plain TCP — as the page sends them (its Host, its token, JSON), or with
//! whatever headers a test wants to try.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A running `charter serve`, stopped when dropped.
pub struct Served {
    pub child: Child,
    pub port: u16,
    /// The token the page is served with (the second line printed).
    pub token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `charter serve PATH --port 0` with `env` set.
pub fn serve(path: &Path, env: &[(&str, &str)]) -> Served {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charter"));
    cmd.args(["serve"])
        .arg(path)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let port = first
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .parse()
        .unwrap();
    let token = second
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_else(|| panic!("second line: {second:?}"))
        .to_string();
    // The rest of what it prints is not read; keep the pipe drained.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Served { child, port, token }
}

/// A response: status, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The body as JSON (null if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Reads one response from `r`: the status line, headers, and a body of its
/// stated length.
pub fn read_reply(r: &mut impl BufRead) -> Option<Reply> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status = line.get(9..12)?.parse().ok()?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    r.read_exact(&mut body).ok()?;
    Some(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

impl Served {
    /// The headers the page sends: its Host and its token.
    pub fn page_headers(&self) -> Vec<(String, String)> {
        vec![
            ("Host".into(), format!("127.0.0.1:{}", self.port)),
            ("X-Charter-Token".into(), self.token.clone()),
        ]
    }

    /// One request with exactly `headers` (and the body's length); the
    /// response, read within 30 s.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        read_reply(&mut BufReader::new(s)).expect("a response")
    }

    /// A request as the page makes it (JSON when there is a body); the
    /// status and the body.
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let mut headers = self.page_headers();
        if !body.is_empty() || method != "GET" {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let r = self.raw(method, path, &headers, body);
        (r.status, r.body)
    }

    /// A POST of `v` as the page makes it; the status and the JSON answer.
    pub fn post(&self, path: &str, v: &Value) -> (u16, Value) {
        let (status, body) = self.request("POST", path, v.to_string().as_bytes());
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// The server's resident memory in kB (Linux), if it can be read.
    pub fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}
