//! Speed and memory of the front end and the payout query.
//!
//! - `load/avesta`: parse and check `charters/avesta.charter`.
//! - `payout/avesta $50M`: a liquidation with four series (four decisions).
//! - `payout/twenty series $600M`: twenty convertible series in one rank,
//!   where the equilibrium search does the most work.
//! - `scenario/juniper`: a down round, a 2:1 split, an IPO with the D1 reset
//!   and automatic conversion, and a payout, in one session.
//! - `approve/quintus merger`: the merger's consents counted by voting power
//!   with 10x and 14x multipliers.
//! - `render/avesta payout text`: the $50M payout as the REPL shows it, tables
//!   fitted to 80 columns and prose wrapped.
//! - `diagnostics/3000 classes`: `charter check` on a 280 KB file whose 3,000
//!   extra series each lack their terms: 15,000 problems checked and rendered
//!   with their excerpts, which must stay linear in the file's size.
//! - `repl/validate`: whether a typed statement is unfinished, asked of pest
//!   each time Enter is pressed in the REPL.
//!
//! Memory: a counting allocator reports the bytes and allocations one run of
//! each needs, and the most held at once, printed before the timings.
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

use std::hint::black_box;

use charter::diagnostic::Source;
use counting::{Counting, measure};
use criterion::{Criterion, criterion_group, criterion_main};

#[global_allocator]
static ALLOC: Counting = Counting;

fn source(name: &str) -> Source {
    let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
    Source::new(name, std::fs::read_to_string(path).unwrap())
}

fn benches(c: &mut Criterion) {
    let avesta = source("charters/avesta.charter");
    let twenty = source("tests/cases/good/twenty_series.charter");
    let avesta_ir = charter::check::load(&avesta).unwrap();
    let twenty_ir = charter::check::load(&twenty).unwrap();
    let run = |ir: &charter::ir::Charter, q: &str| charter::query::run(ir, "bench", q).unwrap();

    measure("load/avesta", || charter::check::load(&avesta).unwrap());
    measure("payout/avesta $50M", || run(&avesta_ir, "payout $50M"));
    measure("payout/twenty series $600M", || {
        run(&twenty_ir, "payout $600M")
    });
    let juniper = source("charters/juniper.charter");
    let juniper_ir = charter::check::load(&juniper).unwrap();
    let scenario = || {
        let mut s = charter::query::Session::new(&juniper_ir);
        for q in [
            "issue 2_000_000 Common at $2.00",
            "split 2:1",
            "ipo at $10.00 raising $50M filed 1998-10-01 on 1999-01-15",
            "payout $500M",
        ] {
            s.run("bench", q).unwrap();
        }
        s
    };
    measure("scenario/juniper", scenario);
    let quintus = source("charters/quintus.charter");
    let quintus_ir = charter::check::load(&quintus).unwrap();
    let approve = "approve merger with A 100%, F 60%";
    measure("approve/quintus merger", || run(&quintus_ir, approve));

    let mut session = charter::query::Session::new(&avesta_ir);
    let answer = session.run("bench", "payout $50M").unwrap();
    measure("render/avesta payout text", || {
        charter::render::text(&answer, &session)
    });
    let unfinished = "approve merger with A 60%, B 60%,";
    measure("repl/validate", || charter::repl::incomplete(unfinished));

    let (_, avesta_suite) = charter::check::load_suite(&avesta).unwrap();
    let expectations = || charter::expect::run(&avesta_ir, &avesta_suite);
    measure("expect/avesta all", expectations);

    let mut crowded = avesta.text.to_string();
    for i in 0..3000 {
        crowded.push_str(&format!(
            "stock X{i} \"Series X{i}\" § 9 {{ authorized 100 outstanding 10 original issue price $1 }}\n"
        ));
    }
    let crowded = Source::new("crowded.charter", crowded);
    let diagnose = || match charter::check::load(&crowded) {
        Ok(_) => String::new(),
        Err(p) => charter::render::diagnostics::render(&p, false),
    };
    measure("diagnostics/3000 classes", diagnose);

    c.bench_function("load/avesta", |b| {
        b.iter(|| charter::check::load(black_box(&avesta)).unwrap())
    });
    c.bench_function("payout/avesta $50M", |b| {
        b.iter(|| run(&avesta_ir, black_box("payout $50M")))
    });
    c.bench_function("payout/twenty series $600M", |b| {
        b.iter(|| run(&twenty_ir, black_box("payout $600M")))
    });
    c.bench_function("scenario/juniper", |b| b.iter(scenario));
    c.bench_function("approve/quintus merger", |b| {
        b.iter(|| run(&quintus_ir, black_box(approve)))
    });

    c.bench_function("render/avesta payout text", |b| {
        b.iter(|| charter::render::text(black_box(&answer), &session))
    });
    c.bench_function("expect/avesta all", |b| b.iter(expectations));
    c.bench_function("diagnostics/3000 classes", |b| b.iter(diagnose));
    c.bench_function("repl/validate", |b| {
        b.iter(|| charter::repl::incomplete(black_box(unfinished)))
    });
}

criterion_group!(payout, benches);
criterion_main!(payout);
