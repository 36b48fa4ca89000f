//! HTTP/1.1 on one connection, as much as the page and scripts need: a
//! request read within a deadline (headers parsed by `httparse`, a body by
//! its `Content-Length`, never chunked), a response with a stated length,
//! and keep-alive.
//!
//! Why not a server crate: the one used before (tiny_http) reads bodies with
//! no deadline and hides the socket, so a client sending a byte every few
//! seconds held a worker, and an evaluation could not notice its client had
//! gone. Here each connection has a thread of its own that reads with a
//! deadline and can look at its socket while it waits; evaluations run
//! elsewhere ([`super::pool`]).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most header bytes read before a request is refused with 431.
const HEADER_LIMIT: usize = 64 * 1024;

/// The most headers a request may have.
const HEADERS: usize = 64;

/// A request as read.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the client asked to close the connection after the answer.
    pub close: bool,
}

impl Request {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// The client closed the connection (or let it idle) between requests:
    /// nothing to answer.
    Closed,
    /// A request that is answered with this status and message, and the
    /// connection closed.
    Refuse(u16, String),
}

/// The limits of reading one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a kept-alive connection may wait for its next request.
    pub idle: Duration,
    /// How long a request may take to arrive, headers and body, from its
    /// first byte.
    pub deadline: Duration,
    /// The largest body read.
    pub body: usize,
}

/// What a request's head is checked with before its body is read: a
/// refusal's status and message.
pub type Admit<'a> = &'a dyn Fn(&Request) -> Result<(), (u16, String)>;

/// Reads the next request from `stream`; `buf` holds what was read past
/// the previous one. `admit` sees the head first: a request it refuses is
/// refused before a byte of its body is read (a page elsewhere cannot make
/// the server hold 17 MB by sending it).
pub fn read(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: Limits,
    admit: Admit<'_>,
) -> Result<Request, Unread> {
    let mut started = (!buf.is_empty()).then(Instant::now);
    let (head, mut request, length) = loop {
        if let Some(parsed) = parse_head(buf)? {
            break parsed;
        }
        if buf.len() > HEADER_LIMIT {
            return Err(Unread::Refuse(
                431,
                "the request's headers are too large".into(),
            ));
        }
        let wait = match started {
            None => limits.idle,
            Some(t) => remaining(t, limits.deadline)?,
        };
        if fill(stream, buf, wait)? == 0 {
            return Err(Unread::Closed);
        }
        started.get_or_insert_with(Instant::now);
    };
    admit(&request).map_err(|(status, message)| Unread::Refuse(status, message))?;
    if length > limits.body {
        return Err(Unread::Refuse(
            413,
            format!(
                "the body is larger than {} MB",
                limits.body.div_ceil(1024 * 1024)
            ),
        ));
    }
    let end = head.saturating_add(length);
    let start = started.unwrap_or_else(Instant::now);
    while buf.len() < end {
        let wait = remaining(start, limits.deadline)?;
        if fill(stream, buf, wait)? == 0 {
            return Err(Unread::Closed);
        }
    }
    let rest = buf.split_off(end);
    request.body = buf.split_off(head);
    *buf = rest;
    Ok(request)
}

/// The time left of `deadline` from `start`, or the refusal when none is.
fn remaining(start: Instant, deadline: Duration) -> Result<Duration, Unread> {
    deadline
        .checked_sub(start.elapsed())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Unread::Refuse(
                408,
                format!("the request did not arrive within {} s", deadline.as_secs()),
            )
        })
}

/// Reads what is there (waiting at most `wait`) onto `buf`; the bytes read,
/// 0 at the end of the stream or when nothing came in time before a request
/// started.
fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, wait: Duration) -> Result<usize, Unread> {
    let mut chunk = [0u8; 16 * 1024];
    if stream.set_read_timeout(Some(wait)).is_err() {
        return Err(Unread::Closed);
    }
    match stream.read(&mut chunk) {
        Ok(n) => {
            buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
            Ok(n)
        }
        Err(e)
            if buf.is_empty()
                && matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
        {
            Ok(0)
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(Unread::Refuse(
                408,
                "the request did not arrive in time".into(),
            ))
        }
        Err(_) => Err(Unread::Closed),
    }
}

/// The request line and headers, if all have arrived: where the body
/// starts, the request without its body, and the body's length.
fn parse_head(buf: &[u8]) -> Result<Option<(usize, Request, usize)>, Unread> {
    let mut headers = [httparse::EMPTY_HEADER; HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let head = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(Unread::Refuse(400, format!("not an HTTP request: {e}"))),
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let find = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    // A header that decides where a request goes, whom it is from or where
    // its body ends is given once: two copies that differ are how requests
    // are smuggled past a check (RFC 9112 § 6.3).
    for name in [
        "host",
        "content-length",
        "content-type",
        "origin",
        "sec-fetch-site",
        "x-charter-token",
    ] {
        if headers.iter().filter(|(k, _)| k == name).count() > 1 {
            return Err(Unread::Refuse(
                400,
                format!("the request gives `{name}` more than once"),
            ));
        }
    }
    if find("transfer-encoding").is_some() {
        return Err(Unread::Refuse(
            411,
            "send the body with a Content-Length, not chunked".into(),
        ));
    }
    let length = match find("content-length") {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| Unread::Refuse(400, "the Content-Length is not a number".into()))?,
    };
    let close = parsed.version == Some(0)
        || find("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
    let target = parsed.path.unwrap_or("/");
    let path = target.split('?').next().unwrap_or("").to_string();
    let request = Request {
        method: parsed.method.unwrap_or("").to_string(),
        path,
        headers,
        body: Vec::new(),
        close,
    };
    Ok(Some((head, request, length)))
}

/// A response: status, content type and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The content type.
    pub kind: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

/// The words after a status code.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Headers every answer carries: nothing cached, nothing sniffed, the page
/// never framed by another site and running only its own script.
const FIXED: &str = "Cache-Control: no-store\r\n\
X-Content-Type-Options: nosniff\r\n\
X-Frame-Options: DENY\r\n\
Referrer-Policy: no-referrer\r\n\
Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'\r\n";

/// Writes `response`; `close` says the connection ends after it.
pub fn write(stream: &mut TcpStream, response: &Response, close: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{FIXED}{}\r\n",
        response.status,
        reason(response.status),
        response.kind,
        response.body.len(),
        if close { "Connection: close\r\n" } else { "" },
    );
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    // One write: two small ones would wait on each other (Nagle's
    // algorithm against the client's delayed acknowledgement, 40 ms).
    let mut all = Vec::with_capacity(head.len().saturating_add(response.body.len()));
    all.extend_from_slice(head.as_bytes());
    all.extend_from_slice(&response.body);
    stream.write_all(&all)?;
    stream.flush()
}

/// Whether the client at the other end of `stream` has closed it (or reset
/// it): looked at without reading anything a later request needs.
pub fn gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut one = [0u8; 1];
    let gone = match stream.peek(&mut one) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    gone
}
