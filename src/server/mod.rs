//! `charter serve [FILE|DIR] [--port N]`: a local page for people who do not
//! live in a terminal, served by the binary itself on 127.0.0.1 only.
//!
//! The page (HTML, CSS and JavaScript inside the binary, no CDN, no build
//! step) talks to a JSON API that runs the same engine as the command line:
//! [`api`] has one function per endpoint. Requests are served by a few
//! threads; each evaluation runs under a time limit, at most a few at once,
//! and a body over [`BODY_LIMIT`] is refused unread. Files are read and saved
//! only by plain name inside the served folder ([`files`]).

pub mod api;
pub mod files;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::diagnostic::{Kind, Problem, Problems};
use files::{Refused, Served};

/// The largest request body read: the largest charter file read, 16 MB,
/// and room for the JSON around it.
pub const BODY_LIMIT: usize = 17 * 1024 * 1024;

/// How long one evaluation may take before the request is answered with
/// 503 and a message (the evaluation itself is left to finish); the
/// environment variable `CHARTER_SERVE_TIME_LIMIT_MS` sets another.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The time limit in force.
fn time_limit() -> Duration {
    std::env::var("CHARTER_SERVE_TIME_LIMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(TIME_LIMIT, Duration::from_millis)
}

/// How many evaluations may run at once; past it a request gets 503.
const RUNNING_LIMIT: usize = 4;

/// Threads answering requests.
const WORKERS: usize = 4;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");

/// Serves `path` (a folder of charters, or one charter) on 127.0.0.1:`port`
/// (0 picks a free port) until the process is stopped. The first line
/// printed is `listening on http://127.0.0.1:PORT`.
pub fn serve(path: &Path, port: u16) -> Result<(), Problems> {
    let served = Served::new(path).map_err(|e| {
        vec![Problem::new(
            Kind::Unreadable {
                path: path.display().to_string(),
                reason: crate::diagnostic::io_reason(&e),
            },
            Default::default(),
            "",
        )]
    })?;
    let server = Server::http(("127.0.0.1", port)).map_err(|e| {
        vec![
            Problem::new(
                Kind::Impossible(format!("cannot listen on 127.0.0.1:{port}: {e}")),
                Default::default(),
                "",
            )
            .with_help("choose another port with `--port N`, or `--port 0` for a free one"),
        ]
    })?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    crate::outln!("listening on http://127.0.0.1:{port}");
    crate::outln!(
        "serving {} (Ctrl-C stops)",
        served.only.as_deref().map_or_else(
            || served.root.display().to_string(),
            |f| served.root.join(f).display().to_string()
        )
    );
    let server = Arc::new(server);
    let served = Arc::new(served);
    let running = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, served, running) = (server.clone(), served.clone(), running.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(request, &served, &running);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// A response: status, content type and body.
type Reply = (u16, &'static str, Vec<u8>);

fn json_reply(status: u16, v: &Value) -> Reply {
    (status, "application/json", v.to_string().into_bytes())
}

fn refusal(status: u16, message: &str) -> Reply {
    json_reply(status, &json!({ "error": message }))
}

/// Answers one request; a client gone away is no concern of the server's.
fn answer(mut request: Request, served: &Served, running: &Arc<AtomicUsize>) {
    let (status, kind, body) = route(&mut request, served, running);
    let header = |k: &str, v: &str| Header::from_bytes(k.as_bytes(), v.as_bytes()).ok();
    // A stated length, never chunked: every client reads it.
    let mut response = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for h in [
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn route(request: &mut Request, served: &Served, running: &Arc<AtomicUsize>) -> Reply {
    let url = request.url().split('?').next().unwrap_or("").to_string();
    let method = request.method().clone();
    match (&method, url.as_str()) {
        (Method::Get, "/") => (200, "text/html; charset=utf-8", INDEX.as_bytes().to_vec()),
        (Method::Get, "/app.js") => (
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes().to_vec(),
        ),
        (Method::Get, "/style.css") => (200, "text/css; charset=utf-8", STYLE.as_bytes().to_vec()),
        (Method::Get, "/api/files") => json_reply(200, &json!({ "files": served.list() })),
        (Method::Get, p) if p.starts_with("/api/files/") => read_file(served, p),
        (Method::Put, p) if p.starts_with("/api/files/") => match body(request) {
            Ok(text) => save_file(served, p, text),
            Err(r) => r,
        },
        (Method::Post, p) => {
            let handler: fn(&Value) -> Result<Value, api::Refusal> = match p {
                "/api/query" => api::query,
                "/api/check" => api::check,
                "/api/chart" => api::chart,
                "/api/compare" => api::compare,
                "/api/test" => api::test,
                _ => return refusal(404, "no such endpoint"),
            };
            let text = match body(request) {
                Ok(t) => t,
                Err(r) => return r,
            };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                return refusal(400, "the body is not JSON");
            };
            bounded(running, move || handler(&value))
        }
        (Method::Get, _) => refusal(404, "not found"),
        _ => refusal(405, "method not allowed"),
    }
}

/// The request's body as text, refused with 413 over [`BODY_LIMIT`] (by
/// its stated length before reading it, or as it is read).
fn body(request: &mut Request) -> Result<String, Reply> {
    if request.body_length().is_some_and(|n| n > BODY_LIMIT) {
        return Err(refusal(413, "the body is larger than 17 MB"));
    }
    let mut bytes = Vec::new();
    let limit = u64::try_from(BODY_LIMIT)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    if request
        .as_reader()
        .take(limit)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return Err(refusal(400, "the body could not be read"));
    }
    if bytes.len() > BODY_LIMIT {
        return Err(refusal(413, "the body is larger than 17 MB"));
    }
    String::from_utf8(bytes).map_err(|_| refusal(400, "the body is not UTF-8"))
}

/// Runs an evaluation on a thread of its own, answering 503 if it takes
/// longer than [`TIME_LIMIT`] or too many are running.
fn bounded(
    running: &Arc<AtomicUsize>,
    f: impl FnOnce() -> Result<Value, api::Refusal> + Send + 'static,
) -> Reply {
    if running.fetch_add(1, Ordering::SeqCst) >= RUNNING_LIMIT {
        running.fetch_sub(1, Ordering::SeqCst);
        return refusal(503, "too many evaluations are running; try again");
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let counter = running.clone();
    std::thread::spawn(move || {
        let _ = tx.send(f());
        counter.fetch_sub(1, Ordering::SeqCst);
    });
    let limit = time_limit();
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => json_reply(200, &v),
        Ok(Err((status, message))) => refusal(status, &message),
        Err(_) => refusal(
            503,
            &format!(
                "the evaluation took longer than {} ms and was abandoned",
                limit.as_millis()
            ),
        ),
    }
}

/// The name in `/api/files/NAME`, percent-decoded.
fn name_of(url: &str) -> String {
    let raw = url.trim_start_matches("/api/files/");
    let mut out = Vec::new();
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i.saturating_add(1)..i.saturating_add(3))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i = i.saturating_add(3);
            }
            _ => {
                out.push(b);
                i = i.saturating_add(1);
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn refused(r: &Refused) -> Reply {
    match r {
        Refused::BadName => refusal(400, "a file is named NAME.charter, in the served folder"),
        Refused::Outside => refusal(403, "that file is outside the served folder"),
        Refused::NotServed => refusal(403, "that file is not served"),
        Refused::Missing => refusal(404, "no such file"),
    }
}

/// `GET /api/files/NAME`: `{"name", "text"}`.
fn read_file(served: &Served, url: &str) -> Reply {
    let name = name_of(url);
    match served.path(&name, true) {
        Ok(path) => match crate::input::read(&path) {
            Ok(text) => json_reply(200, &json!({ "name": name, "text": text })),
            Err(p) => refusal(
                400,
                &p.first().map(|x| x.kind.to_string()).unwrap_or_default(),
            ),
        },
        Err(r) => refused(&r),
    }
}

/// `PUT /api/files/NAME` with the text as the body: saves it, only on an
/// explicit save from the page, only inside the served folder.
fn save_file(served: &Served, url: &str, text: String) -> Reply {
    let name = name_of(url);
    match served.path(&name, false) {
        Ok(path) => match std::fs::write(&path, text) {
            Ok(()) => json_reply(200, &json!({ "saved": name })),
            Err(e) => refusal(500, &crate::diagnostic::io_reason(&e)),
        },
        Err(r) => refused(&r),
    }
}
