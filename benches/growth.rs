//! How the front end grows with hostile sizes: 1,000, 10,000 and 40,000
//! classes, named holders and unknown names. Each should grow linearly (or
//! as N log N); the README's table of limits quotes these runs.
//!
//! - `classes/N`: `charter check` of N series joined into one rank by a
//!   single `pari passu` clause, each with its preference and conversion.
//! - `holders/N`: N named holders of common.
//! - `unknown/N`: N preferences naming classes that do not exist among N
//!   (`T7` among `S0`…), each problem with its help; the problems rendered
//!   (50 drawn, the rest counted).
//!
//! - `payout/SHAPE/N`: one payout, in process, of N series shaped as
//!   `tests/it/common/wide.rs` makes them — `wide` (one pari passu rank, one
//!   price), `staircase` (one rank, each its own price, so each converts at
//!   its own exit) and `mixed` (ranks of ten, each capped at 3x) — at an exit
//!   where some series convert and some do not.
//! - Once each, timed and measured (too slow for criterion's samples):
//!   `breakpoints` and `value` of `wide` at 1,000, 2,000 and 4,000 series,
//!   of a `chain` of 10,000 (each senior to the last) and of a `staircase`
//!   of 1,000; `check` of a 16 MB file of one clause repeated.
//!
//! Memory: bytes and allocations of one run, and the most held at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    clippy::print_stdout
)]

#[path = "support/counting.rs"]
mod counting;
#[path = "../tests/it/common/wide.rs"]
mod wide;

use std::hint::black_box;
use std::sync::Arc;

use charter::diagnostic::Source;
use counting::{Counting, measure};
use criterion::{Criterion, criterion_group, criterion_main};

#[global_allocator]
static ALLOC: Counting = Counting;

const HEADER: &str =
    "charter \"Wide\" { filed 2024-01-01 }\nstock Common { common outstanding 100_000_000 }\n";

fn holders(n: usize) -> String {
    let mut t = String::from(HEADER);
    t.push_str("holders {\n");
    for i in 0..n {
        t.push_str(&format!("  \"Holder {i}\" 10 Common\n"));
    }
    t.push_str("}\n");
    t
}

fn unknown(n: usize) -> String {
    let mut t = wide::pari_passu_series(n);
    t.push_str("deemed liquidation \"Sale\" {\n  on merger\n");
    for i in 0..n {
        t.push_str(&format!("  preference T{i}: 1x original issue price\n"));
    }
    t.push_str("}\n");
    t
}

/// An exit at which some of the shape's series convert and some do not
/// (all of `wide` convert together, just past $10n + $1,000: below it).
fn mid_exit(what: &str, n: usize) -> String {
    let n = n as u64;
    match what {
        "wide" => format!("${}", 10 * n + 500),
        // Where common's share reaches S_k's price for k = n/2: 1,000 common
        // and the 10 shares each of S0..S_{k-1} at $(1 + k/100), and S_k..
        // still owed 10 × $(1 + i/100). In cents:
        "staircase" => {
            let k = n / 2;
            let level = 100 + k;
            let owed: u64 = (k..n).map(|i| 10 * (100 + i)).sum();
            format!("${}", (level * (1_000 + 10 * k) + owed) / 100)
        }
        // About $8 a share over 100,000 common and 1,000 a series: caps of
        // 3 × $1.00 … $4.60 put about half the series past theirs.
        _ => format!("${}", 8_000 * (100 + n)),
    }
}

/// Runs `f` once, printing its time and memory.
fn once<T>(what: &str, f: impl FnOnce() -> T) {
    measure(what, || {
        let start = std::time::Instant::now();
        let out = f();
        println!("time {what}: {:.3} s", start.elapsed().as_secs_f64());
        out
    });
}

fn load(text: String) -> charter::ir::Charter {
    charter::check::load(&Source::new("growth.charter", text)).unwrap()
}

/// The answer to `q`, rendered as JSON (its length).
fn run(c: &charter::ir::Charter, q: &str) -> usize {
    let mut s = charter::query::Session::new(c);
    let a = s.run("bench", q).unwrap();
    charter::render::json(&a, &s).len()
}

/// The answer to `q`, not rendered, in a session over the checked charter
/// as the page and the REPL hold one: no copy of the charter per query.
fn answer(c: &Arc<charter::ir::Charter>, q: &str) -> charter::query::Answer {
    charter::query::Session::shared(Arc::clone(c))
        .run("bench", q)
        .unwrap()
}

/// The walks and the large check, once each.
fn walks() {
    let value = "value at $100K volatility 50% term 3 years rate 4%";
    for n in [1_000usize, 2_000, 4_000] {
        let c = load(wide::pari_passu_series(n));
        once(&format!("breakpoints/wide/{n}"), || run(&c, "breakpoints"));
        once(&format!("value/wide/{n}"), || run(&c, value));
    }
    let c = load(wide::chain(10_000));
    once("breakpoints/chain/10000", || run(&c, "breakpoints"));
    once("value/chain/10000", || run(&c, value));
    let c = load(wide::staircase(1_000));
    once("breakpoints/staircase/1000", || run(&c, "breakpoints"));
    once("value/staircase/1000", || run(&c, value));
    let clause = "liquidation { Common do not participate }\n";
    let mut text = String::from(HEADER);
    while text.len() + clause.len() <= 16 << 20 {
        text.push_str(clause);
    }
    let big = Source::new("big.charter", text);
    once("check/16 MB of one clause", || check(&big));
}

fn check(text: &Source) -> usize {
    match charter::check::load(text) {
        Ok(c) => c.classes.len(),
        Err(p) => charter::render::diagnostics::render(&p, false).len(),
    }
}

fn benches(c: &mut Criterion) {
    walks();
    let mut group = c.benchmark_group("growth");
    group.sample_size(10);
    for (what, make) in [
        ("wide", wide::pari_passu_series as fn(usize) -> String),
        ("staircase", wide::staircase),
        ("mixed", wide::mixed_ranks),
    ] {
        for n in [20usize, 100, 500, 1_000] {
            let c = Arc::new(load(make(n)));
            let q = format!("payout {}", mid_exit(what, n));
            let name = format!("payout/{what}/{n}");
            measure(&name, || answer(&c, &q));
            group.bench_function(&name, |b| b.iter(|| answer(&c, black_box(&q))));
        }
    }
    for n in [1_000usize, 10_000, 40_000] {
        for (what, text) in [
            ("classes", wide::pari_passu_series(n)),
            ("holders", holders(n)),
            ("unknown", unknown(n)),
        ] {
            let source = Source::new("growth.charter", text);
            let name = format!("{what}/{n}");
            measure(
                &format!("{name} ({} bytes of input)", source.text.len()),
                || check(&source),
            );
            group.bench_function(&name, |b| b.iter(|| check(black_box(&source))));
        }
    }
    group.finish();
}

criterion_group!(growth, benches);
criterion_main!(growth);
