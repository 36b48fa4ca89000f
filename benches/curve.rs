//! Speed and memory of the exit curve on generated charters of 5, 20, 50
//! and 100 series: a mix of non-participating, fully participating and
//! capped (3x in total) series, in pari passu ranks of four, all convertible,
//! with common and an option pool.
//!
//! - `payout/N`: one payout at an exit past every conversion, in a session
//!   (the decisions, the waterfall and the explanation).
//! - `breakpoints/N`: every breakpoint, with causes and next-dollar shares.
//! - `sweep/N`: one exit read off a built curve, to the cent, in fixed
//!   point (the rate of `charter curve`); `sweep decimal/N`: the same in
//!   28-digit decimals, the reading it falls back on.
//! - `load/10,000 lines`: parse and check a generated charter of 2,500
//!   series, 10,000 lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    clippy::print_stdout
)]

use std::hint::black_box;
use std::time::Duration;

use charter::diagnostic::Source;
use charter::ir::Charter;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;

/// A charter of `n` series.
pub fn generated(n: usize) -> String {
    let mut t = String::from("charter \"Bench, Inc.\" { filed 2020-01-01 }\n");
    t.push_str("stock Common { common outstanding 10_000_000 }\n");
    for i in 0..n {
        let price = 1 + i % 7;
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 1_000_000 original issue price ${price} conversion price ${price} }}\n"
        ));
    }
    t.push_str("options \"Plan\" 2_000_000 Common at $0.50\nliquidation {\n");
    let ranks: Vec<Vec<usize>> = (0..n)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.to_vec())
        .collect();
    for r in &ranks {
        if r.len() > 1 {
            let names: Vec<String> = r.iter().map(|i| format!("S{i}")).collect();
            t.push_str(&format!(
                "  S{} pari passu with {}\n",
                r[0],
                names[1..].join(", ")
            ));
            t.push_str(&format!(
                "  shortfall {}: ratably by full preferential amount\n",
                names.join(", ")
            ));
        }
    }
    for w in ranks.windows(2) {
        t.push_str(&format!("  S{} senior to S{}\n", w[0][0], w[1][0]));
    }
    for i in 0..n {
        t.push_str(&format!("  preference S{i}: 1x original issue price\n"));
        t.push_str(&match i % 3 {
            0 => format!("  S{i} does not participate\n"),
            1 => format!("  S{i} participates\n"),
            _ => format!("  S{i} participates until 3x original issue price in total\n"),
        });
    }
    t.push_str("}\nconversion { ");
    t.push_str(
        &(0..n)
            .map(|i| format!("S{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    t.push_str(" convert at the holder's option }\n");
    t
}

fn load(n: usize) -> Charter {
    charter::check::load(&Source::new("bench.charter", generated(n))).unwrap()
}

fn benches(c: &mut Criterion) {
    let sizes = [5usize, 20, 50, 100];
    let mut g = c.benchmark_group("curve");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for n in sizes {
        let ir = load(n);
        // Past every conversion: $10 a share as converted is above every
        // preference and cap.
        let exit = format!("payout ${}", (10 + n) * 10_000_000);
        let walked = charter::eval::curve::walk(
            &ir,
            &ir.liquidation,
            None,
            charter::eval::curve::Detail::Explained,
        )
        .unwrap();
        println!(
            "breakpoints/{n}: {} breakpoints, {} regimes",
            walked.breakpoints.len(),
            walked.regimes.len()
        );
        // In a session, as the REPL and the page ask: the equilibrium, the
        // waterfall and the explanation are worked out afresh each time.
        let mut session = charter::query::Session::new(&ir);
        g.bench_with_input(BenchmarkId::new("payout", n), &n, |b, _| {
            b.iter(|| session.run("bench", black_box(&exit)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("breakpoints", n), &n, |b, _| {
            b.iter(|| charter::query::run(&ir, "bench", black_box("breakpoints")).unwrap())
        });
        // Goal seek, a comparison with itself and a chart: each walks the
        // curve afresh, then reads it once per piece or row.
        g.bench_with_input(BenchmarkId::new("solve", n), &n, |b, _| {
            b.iter(|| {
                charter::query::run(
                    &ir,
                    "bench",
                    black_box("solve exit where Common receives $1B"),
                )
                .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("compare", n), &n, |b, _| {
            b.iter(|| {
                charter::analysis::compare::compare(
                    ("a", &ir),
                    ("b", &ir),
                    None,
                    None,
                    false,
                    Default::default(),
                )
                .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("chart svg", n), &n, |b, _| {
            b.iter(|| {
                let c = charter::analysis::chart::chart(
                    &ir,
                    None,
                    None,
                    charter::analysis::chart::Options::default(),
                    Default::default(),
                )
                .unwrap();
                charter::render::chart::svg(&c).unwrap()
            })
        });
        // The option pricing method: a full allocation, and a backsolve.
        let equity = format!(
            "value at ${} volatility 55% term 3.5 years rate 4.2%",
            (10 + n) * 5_000_000
        );
        g.bench_with_input(BenchmarkId::new("value", n), &n, |b, _| {
            b.iter(|| charter::query::run(&ir, "bench", black_box(&equity)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("backsolve", n), &n, |b, _| {
            b.iter(|| {
                charter::query::run(
                    &ir,
                    "bench",
                    black_box("value solving Common at $1.50 per share volatility 55% term 3.5 years rate 4.2%"),
                )
                .unwrap()
            })
        });
        let x = Decimal::from((5 + n) * 10_000_000);
        g.bench_with_input(BenchmarkId::new("sweep decimal", n), &n, |b, _| {
            b.iter(|| charter::eval::breakpoints::payout_at(&ir, &walked, black_box(x)).unwrap())
        });
        // The fixed-point reading `charter curve` uses, at a new exit each
        // time (a cent apart, as a fine sweep reads them).
        let fixed = charter::eval::fixed::Fixed::new(&walked);
        let (mut scratch, mut out) = (charter::eval::fixed::Scratch::default(), Vec::new());
        let mut cents = u64::try_from((5 + n) * 1_000_000_000).unwrap();
        g.bench_with_input(BenchmarkId::new("sweep", n), &n, |b, _| {
            b.iter(|| {
                cents += 1;
                assert!(fixed.row((&ir, &walked), black_box(cents), &mut scratch, &mut out));
            })
        });
    }
    let big = generated(2_500);
    println!("load: {} lines, {} bytes", big.lines().count(), big.len());
    let big = Source::new("big.charter", big);
    g.bench_function("load/10,000 lines", |b| {
        b.iter(|| charter::check::load(black_box(&big)).unwrap())
    });
    g.finish();
}

criterion_group!(curve, benches);
criterion_main!(curve);
