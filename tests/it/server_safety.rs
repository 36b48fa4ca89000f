//! `charter serve` against what other websites, slow clients and heavy
//! requests do (issue 32), each against a server on an ephemeral port on
//! 127.0.0.1, with bounded loops:
//!
//! - a `Host` that is not this machine (DNS rebinding) is refused, even for
//!   the page; a request without the page's token, a `text/plain` POST (what
//!   any website may send without asking), a foreign `Origin` are refused
//!   and nothing is evaluated or written;
//! - a save through a dangling symlink creates nothing outside the folder;
//! - fifty clients sending a body a byte at a time do not keep others from
//!   an answer, and are cut off at the deadline;
//! - an evaluation whose client has gone is stopped, one past its memory
//!   is stopped with a message, and twenty clients at once are all answered.

use crate::common;
use crate::common::served::{Served, serve};

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

/// A folder with Avesta in it.
fn folder() -> PathBuf {
    let avesta = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/avesta.charter"),
    )
    .unwrap();
    let path = common::written("avesta.charter", &avesta);
    Path::new(&path).parent().unwrap().to_path_buf()
}

fn with(s: &Served, drop: &str, add: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = s
        .page_headers()
        .into_iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case(drop))
        .collect();
    h.extend(add.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    h
}

#[test]
fn other_websites_are_refused() {
    let dir = folder();
    let s = serve(&dir, &[]);
    let port = s.port;
    let file = "/api/files/avesta.charter";

    // DNS rebinding: a name of the attacker's, resolving to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "localhost".into(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/", file, "/api/files"] {
            let r = s.raw("GET", path, &with(&s, "host", &[("Host", &host)]), b"");
            assert_eq!(r.status, 421, "Host {host} {path}: {}", r.body);
            assert!(
                !r.body.contains("charter \""),
                "{host} {path} read the file"
            );
        }
    }
    // The three names of this machine are answered.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = s.raw("GET", file, &with(&s, "host", &[("Host", &host)]), b"");
        assert_eq!(r.status, 200, "Host {host}");
    }

    // The page carries the token; the API answers nothing without it.
    let page = s.raw("GET", "/", &with(&s, "x-charter-token", &[]), b"");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&s.token), "the page carries the token");
    for token in [None, Some("0"), Some(&s.token[1..])] {
        let mut h = with(&s, "x-charter-token", &[]);
        if let Some(t) = token {
            h.push(("X-Charter-Token".into(), t.into()));
        }
        assert_eq!(s.raw("GET", file, &h, b"").status, 403, "token {token:?}");
    }

    // A simple cross-site request: text/plain, no preflight. Refused, not run.
    let query =
        json!({ "charter": "charter \"x\" { filed 2020-01-01 }", "statements": [] }).to_string();
    let h = with(&s, "", &[("Content-Type", "text/plain")]);
    let r = s.raw("POST", "/api/query", &h, query.as_bytes());
    assert_eq!(r.status, 415, "{}", r.body);
    // A form's type, and none at all.
    let h = with(
        &s,
        "",
        &[("Content-Type", "application/x-www-form-urlencoded")],
    );
    assert_eq!(
        s.raw("POST", "/api/query", &h, query.as_bytes()).status,
        415
    );
    assert_eq!(
        s.raw("POST", "/api/query", &s.page_headers(), query.as_bytes())
            .status,
        415
    );

    // JSON from another origin, or marked cross-site by the browser.
    let json_from = |origin: &str| {
        with(
            &s,
            "",
            &[("Content-Type", "application/json"), ("Origin", origin)],
        )
    };
    for origin in [
        "http://evil.example",
        "null",
        &format!("http://evil.example:{port}"),
    ] {
        let r = s.raw("POST", "/api/query", &json_from(origin), query.as_bytes());
        assert_eq!(r.status, 403, "Origin {origin}");
    }
    let ok = s.raw(
        "POST",
        "/api/query",
        &json_from(&format!("http://localhost:{port}")),
        query.as_bytes(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let h = with(
        &s,
        "",
        &[
            ("Content-Type", "application/json"),
            ("Sec-Fetch-Site", "cross-site"),
        ],
    );
    assert_eq!(
        s.raw("POST", "/api/query", &h, query.as_bytes()).status,
        403
    );

    // A save from elsewhere writes nothing.
    let save = json!({ "text": "charter \"Overwritten\" { filed 2020-01-01 }" }).to_string();
    let h = with(
        &s,
        "",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "http://evil.example"),
        ],
    );
    assert_eq!(s.raw("PUT", file, &h, save.as_bytes()).status, 403);
    let h = with(&s, "", &[("Content-Type", "text/plain")]);
    assert_eq!(s.raw("PUT", file, &h, save.as_bytes()).status, 415);
    assert!(
        !std::fs::read_to_string(dir.join("avesta.charter"))
            .unwrap()
            .contains("Overwritten")
    );

    // Every answer forbids framing and sniffing.
    let r = s.raw("GET", "/", &s.page_headers(), b"");
    let header = |k: &str| {
        r.headers
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert!(
        header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[cfg(unix)]
#[test]
fn saves_never_follow_a_link_out_of_the_folder() {
    let dir = folder();
    let outside = dir
        .parent()
        .unwrap()
        .join(format!("planted-{}.charter", std::process::id()));
    let _ = std::fs::remove_file(&outside);
    // A link to a file that does not exist yet, outside the folder.
    std::os::unix::fs::symlink(&outside, dir.join("dangling.charter")).unwrap();
    // A link to a folder.
    std::os::unix::fs::symlink(dir.parent().unwrap(), dir.join("folder.charter")).unwrap();
    // A link inside the folder to a charter inside it.
    std::os::unix::fs::symlink(dir.join("avesta.charter"), dir.join("alias.charter")).unwrap();
    let s = serve(&dir, &[]);
    let body = json!({ "text": "charter \"Planted\" { filed 2020-01-01 }" }).to_string();
    for name in ["dangling.charter", "folder.charter"] {
        let (status, _) = s.request("PUT", &format!("/api/files/{name}"), body.as_bytes());
        assert_eq!(status, 403, "{name}");
        assert_eq!(
            s.request("GET", &format!("/api/files/{name}"), b"").0,
            403,
            "{name}"
        );
    }
    assert!(
        !outside.exists(),
        "a save followed the link out of the folder"
    );
    // Listed: only what resolves to a regular file inside.
    let (_, list) = s.request("GET", "/api/files", b"");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list).unwrap()["files"],
        json!(["alias.charter", "avesta.charter"])
    );
    // The link inside is read and saved through, to the file it names.
    let (status, _) = s.request("PUT", "/api/files/alias.charter", body.as_bytes());
    assert_eq!(status, 200);
    assert!(
        std::fs::read_to_string(dir.join("avesta.charter"))
            .unwrap()
            .contains("Planted")
    );
    assert!(
        std::fs::symlink_metadata(dir.join("alias.charter"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A payout of Avesta as the page asks for it.
fn payout(s: &Served) -> (u16, serde_json::Value) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("charters/avesta.charter"),
    )
    .unwrap();
    s.post(
        "/api/query",
        &json!({ "charter": text, "statements": ["payout $50M"] }),
    )
}

#[test]
fn slow_bodies_do_not_starve_others_and_are_cut_off() {
    let dir = folder();
    let s = serve(&dir, &[("CHARTER_SERVE_REQUEST_DEADLINE_MS", "3000")]);
    // Fifty POSTs that announce a body and send one byte of it.
    let slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut t = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            write!(
                t,
                "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Charter-Token: {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{",
                s.port, s.token
            )
            .unwrap();
            t
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // Everyone else is answered meanwhile.
    for _ in 0..5 {
        let (status, v) = payout(&s);
        assert_eq!(status, 200, "{v}");
        assert_eq!(v[0]["exit"], "50000000.00", "{v}");
    }
    // The slow ones are answered 408 at the deadline and closed.
    for t in slow {
        t.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let reply = common::served::read_reply(&mut std::io::BufReader::new(t)).expect("an answer");
        assert_eq!(reply.status, 408, "{}", reply.body);
    }
}

/// A request that runs for minutes and holds more memory as it goes: a
/// curve of 100,000 rows over 2,000 series.
fn heavy() -> String {
    json!({
        "charter": common::wide::pari_passu_series(2_000),
        "statements": ["curve $0 to $100M in 99999 steps"],
    })
    .to_string()
}

#[test]
fn work_whose_client_has_gone_is_stopped() {
    let dir = folder();
    // A minute per evaluation: were they not stopped, the payouts below
    // would wait for them.
    let s = serve(&dir, &[("CHARTER_SERVE_TIME_LIMIT_MS", "60000")]);
    let body = heavy();
    let before = s.rss_kb();
    // More heavy requests than there are workers, each abandoned.
    for _ in 0..8 {
        let mut t = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(
            t,
            "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Charter-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            s.port,
            s.token,
            body.len()
        )
        .unwrap();
        t.write_all(body.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        drop(t);
    }
    let start = Instant::now();
    let (status, v) = payout(&s);
    assert_eq!(status, 200, "{v}");
    // Bounded, not timed: the abandoned work would hold the workers for
    // minutes; stopped, it lets this through in well under the minute.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "the workers were still busy"
    );
    if let (Some(b), Some(a)) = (before, s.rss_kb()) {
        assert!(a < b + 400_000, "memory grew from {b} kB to {a} kB");
    }
}

#[test]
fn an_evaluation_past_its_memory_is_stopped() {
    let dir = folder();
    let s = serve(
        &dir,
        &[
            ("CHARTER_SERVE_MEMORY_MB", "64"),
            ("CHARTER_SERVE_TIME_LIMIT_MS", "120000"),
        ],
    );
    let r = s.raw(
        "POST",
        "/api/query",
        &with(&s, "", &[("Content-Type", "application/json")]),
        heavy().as_bytes(),
    );
    assert_eq!(r.status, 503, "{}", &r.body[..r.body.len().min(200)]);
    assert!(r.body.contains("more than 64 MB"), "{}", r.body);
    // And the server goes on.
    assert_eq!(payout(&s).0, 200);
}

#[test]
fn twenty_clients_at_once_are_all_answered() {
    let dir = folder();
    let s = serve(&dir, &[]);
    let answered: Vec<(u16, String)> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..20)
            .map(|_| {
                scope.spawn(|| {
                    (0..10)
                        .map(|_| {
                            let (status, v) = payout(&s);
                            (status, v[0]["exit"].as_str().unwrap_or("").to_string())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    assert_eq!(answered.len(), 200);
    for (status, total) in answered {
        assert_eq!((status, total.as_str()), (200, "50000000.00"));
    }
}

/// What an independent attack on the server found (issue 32's review):
/// a refused request's body is never read; a header that decides where a
/// request goes is given once; a save keeps the file's permissions and is
/// refused past 16 MB; a file of thousands of `expect` blocks stops at the
/// time limit; a symlink or FIFO swapped in is not read through.
#[test]
fn what_the_attack_found_is_closed() {
    let dir = folder();
    let s = serve(&dir, &[("CHARTER_SERVE_TIME_LIMIT_MS", "2000")]);
    // 16 MB announced, none sent: refused on its headers at once.
    let mut t = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        t,
        "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: text/plain\r\nContent-Length: 16000000\r\n\r\n",
        s.port
    )
    .unwrap();
    let reply = common::served::read_reply(&mut std::io::BufReader::new(t))
        .expect("refused before the body");
    assert_eq!(reply.status, 415);

    // Two Hosts, two lengths, two tokens: 400.
    for (k, v) in [
        ("Host", "evil.example"),
        ("Content-Length", "2"),
        ("X-Charter-Token", "0"),
    ] {
        let mut h = s.page_headers();
        h.push((k.to_string(), v.to_string()));
        let r = s.raw("GET", "/api/files", &h, b"");
        assert_eq!(r.status, 400, "{k} twice: {}", r.body);
    }

    // A save keeps who may read the file, and 16 MB is the most it takes.
    let file = dir.join("private.charter");
    std::fs::write(&file, "charter \"P\" { filed 2020-01-01 }").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let body = json!({ "text": "charter \"P2\" { filed 2020-01-01 }" }).to_string();
        assert_eq!(
            s.request("PUT", "/api/files/private.charter", body.as_bytes())
                .0,
            200
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let big = json!({ "text": "#".repeat(16 * 1024 * 1024 + 1) }).to_string();
    assert_eq!(
        s.request("PUT", "/api/files/big.charter", big.as_bytes()).0,
        413
    );
    assert!(!dir.join("big.charter").exists());

    // Ten thousand `expect` blocks: stopped at the 2 s limit, not run out.
    let avesta = std::fs::read_to_string(dir.join("avesta.charter")).unwrap();
    let blocks: String = (0..10_000)
        .map(|i| {
            format!(
                "expect \"b{i}\" § A.1 {{\n  payout $50M\n  Common receives $4,896,631.27\n}}\n"
            )
        })
        .collect();
    let start = Instant::now();
    let (status, v) = s.post(
        "/api/test",
        &json!({ "charter": format!("{avesta}\n{blocks}") }),
    );
    assert_eq!(
        status,
        503,
        "{}",
        &v.to_string()[..200.min(v.to_string().len())]
    );
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "ran on past its limit"
    );
}

#[cfg(unix)]
#[test]
fn a_file_is_read_as_opened_never_through_a_link_or_a_fifo() {
    let dir = folder();
    let outside = dir
        .parent()
        .unwrap()
        .join(format!("victim-{}.charter", std::process::id()));
    std::fs::write(&outside, "charter \"Victim\" { filed 2020-01-01 }").unwrap();
    let link = dir.join("swapped.charter");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    // What a swap between the check and the read would leave: the path the
    // check resolved is now a link.
    let o = charter::input::read_no_follow(&link);
    assert!(o.is_err(), "read through a link");
    // A FIFO is refused at once, not waited on.
    let fifo = dir.join("fifo.charter");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let start = Instant::now();
        assert!(charter::input::read_no_follow(&fifo).is_err());
        assert!(charter::input::read(&fifo).is_err());
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
