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

fn check(text: &Source) -> usize {
    match charter::check::load(text) {
        Ok(c) => c.classes.len(),
        Err(p) => charter::render::diagnostics::render(&p, false).len(),
    }
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("growth");
    group.sample_size(10);
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
