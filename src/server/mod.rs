//! `charter serve [FILE|DIR] [--port N]`: a local page for people who do not
//! live in a terminal, served by the binary itself on 127.0.0.1 only.
//!
//! The page (HTML, CSS and JavaScript inside the binary, no CDN, no build
//! step) talks to a JSON API that runs the same engine as the command line:
//! [`api`] has one function per endpoint. Each connection is read by a
//! thread of its own, within a deadline ([`http`]); evaluations wait in a
//! bounded queue for a worker and run under a budget of time and memory,
//! stopped when their client goes ([`pool`]). Files are read and saved only
//! by plain name inside the served folder ([`files`]).
//!
//! Other websites are kept out ([`guard`]): only a `Host` naming this
//! machine and port is answered (no DNS rebinding), the API needs the token
//! the page was served with, and a write needs JSON from this page's origin
//! — nothing a page elsewhere can send.

pub mod api;
pub mod files;
pub mod guard;
pub mod http;
pub mod pool;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::diagnostic::{Kind, Problem, Problems};
use files::{Refused, Served};
use http::{Request, Response, Unread};

/// The largest request body read: the largest charter file read, 16 MB,
/// and room for the JSON around it.
pub const BODY_LIMIT: usize = 17 * 1024 * 1024;

/// How long one evaluation may take, from the moment it is queued, before
/// it is stopped and answered with 503; the environment variable
/// `CHARTER_SERVE_TIME_LIMIT_MS` sets another.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How much memory one evaluation may hold before it is stopped and
/// answered with 503; `CHARTER_SERVE_MEMORY_MB` sets another.
pub const MEMORY_LIMIT_MB: usize = 1024;

/// How long a request may take to arrive, headers and body, before it is
/// answered 408 and its connection closed;
/// `CHARTER_SERVE_REQUEST_DEADLINE_MS` sets another.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// How long a kept-alive connection may wait for its next request.
const IDLE: Duration = Duration::from_secs(15);

/// Connections open at once; past it a new one is answered 503 and closed.
pub const CONNECTIONS: usize = 256;

/// Evaluations that may wait for a worker; past it a request gets 503.
pub const QUEUE: usize = 256;

/// A number from the environment, or `default`.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The limits of evaluations in force.
fn limits() -> pool::Limits {
    let mb = setting("CHARTER_SERVE_MEMORY_MB", MEMORY_LIMIT_MB as u64);
    pool::Limits {
        time: Duration::from_millis(setting(
            "CHARTER_SERVE_TIME_LIMIT_MS",
            u64::try_from(TIME_LIMIT.as_millis()).unwrap_or(u64::MAX),
        )),
        memory: usize::try_from(mb)
            .unwrap_or(usize::MAX)
            .saturating_mul(1024 * 1024),
        queue: QUEUE,
    }
}

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");

/// What every connection's thread shares.
struct Shared {
    served: Served,
    guard: guard::Guard,
    pool: pool::Pool,
    open: AtomicUsize,
}

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
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        vec![
            Problem::new(
                Kind::Impossible(format!("cannot listen on 127.0.0.1:{port}: {e}")),
                Default::default(),
                "",
            )
            .with_help("choose another port with `--port N`, or `--port 0` for a free one"),
        ]
    })?;
    let port = listener.local_addr().map_or(port, |a| a.port());
    let token = guard::token().map_err(|e| {
        vec![Problem::new(
            Kind::Impossible(format!("cannot make the page's token: {e}")),
            Default::default(),
            "",
        )]
    })?;
    crate::outln!("listening on http://127.0.0.1:{port}");
    crate::outln!(
        "the API answers requests carrying the header {}: {token}",
        guard::TOKEN_HEADER
    );
    crate::outln!(
        "serving {} (Ctrl-C stops)",
        served.only.as_deref().map_or_else(
            || served.root.display().to_string(),
            |f| served.root.join(f).display().to_string()
        )
    );
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shared = Arc::new(Shared {
        served,
        guard: guard::Guard::new(port, token.clone()),
        pool: pool::Pool::new(workers, limits()),
        open: AtomicUsize::new(0),
    });
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => accept(stream, &shared),
            // Out of file descriptors, say: wait rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    Ok(())
}

/// Gives a new connection a thread, or answers 503 when too many are open.
fn accept(mut stream: TcpStream, shared: &Arc<Shared>) {
    if shared.open.fetch_add(1, Ordering::SeqCst) >= CONNECTIONS {
        shared.open.fetch_sub(1, Ordering::SeqCst);
        let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
        let _ = http::write(
            &mut stream,
            &refusal(503, "too many connections are open; try again"),
            true,
        );
        return;
    }
    // Answers go out as soon as they are written.
    let _ = stream.set_nodelay(true);
    let mine = shared.clone();
    let spawned = std::thread::Builder::new().spawn(move || {
        connection(stream, &mine);
        mine.open.fetch_sub(1, Ordering::SeqCst);
    });
    if spawned.is_err() {
        shared.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers the requests of one connection until it closes, idles too long
/// or sends one that cannot be read.
fn connection(mut stream: TcpStream, shared: &Shared) {
    let limits = http::Limits {
        idle: IDLE,
        deadline: Duration::from_millis(setting(
            "CHARTER_SERVE_REQUEST_DEADLINE_MS",
            u64::try_from(REQUEST_DEADLINE.as_millis()).unwrap_or(u64::MAX),
        )),
        body: BODY_LIMIT,
    };
    let mut buf = Vec::new();
    loop {
        match http::read(&mut stream, &mut buf, limits, &|r| shared.guard.admit(r)) {
            Ok(request) => {
                let Some(response) = respond(&request, &stream, shared) else {
                    return; // the client went while its answer was worked out
                };
                // A request refused as not this page's own is not given
                // the connection to keep.
                let close = request.close || matches!(response.status, 403 | 421);
                if http::write(&mut stream, &response, close).is_err() || close {
                    return;
                }
            }
            Err(Unread::Closed) => return,
            Err(Unread::Refuse(status, message)) => {
                let _ = http::write(&mut stream, &refusal(status, &message), true);
                linger(&mut stream);
                return;
            }
        }
    }
}

/// After refusing a request whose body was not read: lets the client
/// finish sending for a moment, so that it reads the refusal rather than a
/// reset connection.
fn linger(stream: &mut TcpStream) {
    use std::io::Read;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 64 * 1024];
    let mut drained = 0usize;
    while drained < 8 * 1024 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained = drained.saturating_add(n),
        }
    }
}

fn json_response(status: u16, v: &Value) -> Response {
    Response {
        status,
        kind: "application/json",
        body: v.to_string().into_bytes(),
    }
}

fn refusal(status: u16, message: &str) -> Response {
    json_response(status, &json!({ "error": message }))
}

/// The answer to `request`, or `None` when its client went before it was
/// ready.
/// The request has passed the guard ([`http::read`] asked it).
fn respond(request: &Request, stream: &TcpStream, shared: &Shared) -> Option<Response> {
    let text = |kind: &'static str, body: &str| Response {
        status: 200,
        kind,
        body: body.as_bytes().to_vec(),
    };
    let path = request.path.as_str();
    Some(match (request.method.as_str(), path) {
        ("GET", "/") => Response {
            body: shared.guard.page(INDEX).into_bytes(),
            ..text("text/html; charset=utf-8", "")
        },
        ("GET", "/app.js") => text("text/javascript; charset=utf-8", SCRIPT),
        ("GET", "/style.css") => text("text/css; charset=utf-8", STYLE),
        ("GET", "/api/files") => json_response(200, &json!({ "files": shared.served.list() })),
        ("GET", p) if p.starts_with("/api/files/") => read_file(&shared.served, p),
        ("PUT", p) if p.starts_with("/api/files/") => save_file(&shared.served, p, &request.body),
        ("POST", p) => return evaluate(p, request, stream, shared),
        ("GET", _) => refusal(404, "not found"),
        _ => refusal(405, "method not allowed"),
    })
}

/// `POST /api/…`: the handler run by a worker under its budget.
fn evaluate(
    path: &str,
    request: &Request,
    stream: &TcpStream,
    shared: &Shared,
) -> Option<Response> {
    // Each handler's answer as JSON text.
    let handler: fn(&Value) -> Result<String, api::Refusal> = match path {
        "/api/query" => api::query,
        "/api/check" => |v| api::check(v).map(|a| a.to_string()),
        "/api/chart" => |v| api::chart(v).map(|a| a.to_string()),
        "/api/compare" => |v| api::compare(v).map(|a| a.to_string()),
        "/api/test" => |v| api::test(v).map(|a| a.to_string()),
        _ => return Some(refusal(404, "no such endpoint")),
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&request.body) else {
        return Some(refusal(400, "the body is not JSON"));
    };
    if path == "/api/test" {
        // The companion `NAME.charter.test` of the file named, if served.
        let companion = value
            .get("name")
            .and_then(Value::as_str)
            .and_then(|n| shared.served.companion(n));
        if let (Some(text), Some(o)) = (companion, value.as_object_mut()) {
            o.insert("companion".into(), Value::String(text));
        }
    }
    let (status, body) = shared.pool.run(
        move || match handler(&value) {
            Ok(text) => (200, text),
            Err((status, message)) => (status, json!({ "error": message }).to_string()),
        },
        || http::gone(stream),
    )?;
    Some(Response {
        status,
        kind: "application/json",
        body: body.into_bytes(),
    })
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

fn refused(r: &Refused) -> Response {
    match r {
        Refused::BadName => refusal(400, "a file is named NAME.charter, in the served folder"),
        Refused::Outside => refusal(403, "that file is outside the served folder"),
        Refused::NotServed => refusal(403, "that file is not served"),
        Refused::Missing => refusal(404, "no such file"),
        Refused::NotFile => refusal(403, "that name is not a plain file in the served folder"),
    }
}

/// `GET /api/files/NAME`: `{"name", "text"}`.
fn read_file(served: &Served, url: &str) -> Response {
    let name = name_of(url);
    match served.path(&name, true) {
        Ok(path) => match crate::input::read_no_follow(&path) {
            Ok(text) => json_response(200, &json!({ "name": name, "text": text })),
            Err(p) => refusal(
                400,
                &p.first().map(|x| x.kind.to_string()).unwrap_or_default(),
            ),
        },
        Err(r) => refused(&r),
    }
}

/// `PUT /api/files/NAME` with `{"text"}` as the body: saves it, only on an
/// explicit save from the page, only inside the served folder.
fn save_file(served: &Served, url: &str, body: &[u8]) -> Response {
    let name = name_of(url);
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(v) => match v.get("text").and_then(Value::as_str) {
            Some(t) => t.to_string(),
            None => return refusal(400, "the body is {\"text\": TEXT}"),
        },
        Err(_) => return refusal(400, "the body is not JSON"),
    };
    match served.save(&name, &text) {
        Ok(()) => json_response(200, &json!({ "saved": name })),
        Err(files::Unsaved::Refused(r)) => refused(&r),
        Err(files::Unsaved::Io(e)) => refusal(500, &crate::diagnostic::io_reason(&e)),
        Err(files::Unsaved::TooLarge) => refusal(
            413,
            "a charter file is at most 16 MB: this text could not be read back",
        ),
    }
}
