//! Load on `charter serve`: CLIENTS concurrent clients (20 by default), each
//! on a kept-alive connection to 127.0.0.1, post `payout` statements on a
//! seed charter as the page does, for SECONDS (10 by default), each at a
//! different exit. Reports answers per second, latency percentiles, every
//! status that was not 200, and the server's resident memory before, at its
//! highest and after.
//!
//! `cargo bench --bench serve_load` (the release binary);
//! `CLIENTS=4 SECONDS=5 CHARTER=charters/scc.charter cargo bench --bench serve_load`.
//! Not a test: it asserts nothing, and it touches only 127.0.0.1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::print_stdout,
    clippy::cast_precision_loss
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// One response's status, read to its stated length.
fn answer(r: &mut BufReader<TcpStream>) -> u16 {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status = line.get(9..12).unwrap().parse().unwrap();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        if h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).unwrap();
    status
}

fn main() {
    let clients = setting("CLIENTS", 20) as usize;
    let seconds = setting("SECONDS", 10);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::env::var("CHARTER").unwrap_or_else(|_| "charters/avesta.charter".into());
    let text = std::fs::read_to_string(root.join(&file)).unwrap();

    let mut server = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["serve", &file, "--port", "0"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let port: u16 = first.trim().rsplit(':').next().unwrap().parse().unwrap();
    let token = second.trim().rsplit(' ').next().unwrap().to_string();
    let pid = server.id();
    let before = rss_kb(pid);

    let stop = Arc::new(AtomicBool::new(false));
    let peak = std::thread::spawn({
        let stop = stop.clone();
        move || {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(rss_kb(pid));
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        }
    });
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (text, token, stop) = (text.clone(), token.clone(), stop.clone());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let mut latencies = Vec::new();
                let mut refused = Vec::new();
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    // A different exit each time, as a slider moves.
                    let exit = format!("${}", 1_000_000 + (c as u64 * 7_919 + i * 104_729) % 200_000_000);
                    let body = serde_json::json!({ "charter": text, "statements": [format!("payout {exit}")] })
                        .to_string();
                    let t = Instant::now();
                    write!(
                        w,
                        "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Charter-Token: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .unwrap();
                    let status = answer(&mut r);
                    latencies.push(t.elapsed());
                    if status != 200 {
                        refused.push(status);
                    }
                }
                (latencies, refused)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut refused = Vec::new();
    for w in workers {
        let (l, r) = w.join().unwrap();
        latencies.extend(l);
        refused.extend(r);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let peak = peak.join().unwrap();
    let after = rss_kb(pid);
    let _ = server.kill();
    let _ = server.wait();

    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "serve_load: {file}, {clients} clients, {seconds} s: {} answers, {:.0} answers/s",
        latencies.len(),
        latencies.len() as f64 / elapsed
    );
    println!(
        "  latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    println!(
        "  not 200: {} {:?}",
        refused.len(),
        &refused[..refused.len().min(10)]
    );
    println!("  server memory (RSS): {before} kB before, {peak} kB at most, {after} kB after");
}
