//! Speed of the Open Cap Format import and export.
//!
//! - `import/N`: a generated package of 5 classes and N stock issuances to
//!   N stakeholders (a tenth of them later cancelled and reissued),
//!   read, placed, written as a charter and checked: O(N).
//! - `export/N`: the charter that import writes (its gaps filled),
//!   exported: five JSON files with checksums.
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
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

/// Writes a package of `n` issuances into a folder of its own; the manifest.
fn package(n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("charter-bench-ocf-{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    let money = |a: &str| json!({"amount": a, "currency": "USD"});
    let mut classes = vec![
        json!({"object_type": "STOCK_CLASS", "id": "common", "name": "Common",
        "class_type": "COMMON", "default_id_prefix": "CS-", "initial_shares_authorized": "100000000000",
        "votes_per_share": "1", "seniority": "1", "conversion_rights": []}),
    ];
    for s in 1..5 {
        classes.push(json!({"object_type": "STOCK_CLASS", "id": format!("s{s}"), "name": format!("Series {s}"),
            "class_type": "PREFERRED", "default_id_prefix": "P-", "initial_shares_authorized": "100000000000",
            "votes_per_share": "1", "seniority": format!("{}", s + 1), "price_per_share": money("1.00"),
            "liquidation_preference_multiple": "1",
            "conversion_rights": [{"type": "STOCK_CLASS_CONVERSION_RIGHT", "converts_to_stock_class_id": "common",
              "conversion_mechanism": {"type": "RATIO_CONVERSION", "conversion_price": money("1.00"),
                "ratio": {"numerator": "1", "denominator": "1"}, "rounding_type": "NORMAL"}}]}));
    }
    let mut holders = Vec::new();
    let mut tx = Vec::new();
    let classes_of = ["common", "s1", "s2", "s3", "s4"];
    for i in 0..n {
        holders.push(json!({"object_type": "STAKEHOLDER", "id": format!("h{i}"),
            "name": {"legal_name": format!("Holder {i}")}, "stakeholder_type": "INDIVIDUAL"}));
        let issue = |id: String, sec: String, q: &str| {
            json!({"object_type": "TX_STOCK_ISSUANCE", "id": id,
            "date": "2020-01-01", "security_id": sec, "custom_id": "x", "stakeholder_id": format!("h{i}"),
            "stock_class_id": classes_of[i % 5], "share_price": money("1.00"), "quantity": q,
            "security_law_exemptions": [], "stock_legend_ids": []})
        };
        tx.push(issue(format!("i{i}"), format!("s{i}"), "1000"));
        if i % 10 == 0 {
            tx.push(json!({"object_type": "TX_STOCK_CANCELLATION", "id": format!("c{i}"), "date": "2021-01-01",
                "security_id": format!("s{i}"), "quantity": "100", "reason_text": "bench"}));
            tx.push(issue(format!("r{i}"), format!("b{i}"), "900"));
        }
    }
    let files = [
        ("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE", classes),
        ("Stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE", holders),
        ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE", tx),
    ];
    let mut manifest = json!({"ocf_version": "1.2.1-alpha+main", "file_type": "OCF_MANIFEST_FILE",
        "issuer": {"object_type": "ISSUER", "id": "b", "legal_name": "Bench, Inc.", "formation_date": "2019-01-01",
          "country_of_formation": "US", "country_subdivision_of_formation": "DE"},
        "as_of": "2022-01-01", "generated_at": "2022-01-01T00:00:00Z"});
    for (name, kind, items) in files {
        std::fs::write(
            dir.join(name),
            json!({"file_type": kind, "items": items}).to_string(),
        )
        .unwrap();
        let list = match kind {
            "OCF_STOCK_CLASSES_FILE" => "stock_classes_files",
            "OCF_STAKEHOLDERS_FILE" => "stakeholders_files",
            _ => "transactions_files",
        };
        manifest[list] = json!([{"filepath": format!("./{name}"), "md5": "0".repeat(32)}]);
    }
    let path = dir.join("Manifest.ocf.json");
    std::fs::write(&path, manifest.to_string()).unwrap();
    path
}

/// The imported text with its gaps filled as a charter would state them.
fn filled(text: &str) -> String {
    let mut t: String = text
        .lines()
        .filter(|l| !l.starts_with("todo \""))
        .map(|l| format!("{l}\n"))
        .collect();
    t = t.replacen("  jurisdiction", "  filed 2020-01-01\n  jurisdiction", 1);
    t.replacen(
        "  # OCF seniority",
        "  Series1, Series2, Series3, Series4 do not participate\n  # OCF seniority",
        1,
    )
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ocf");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    for n in [1_000usize, 10_000] {
        let path = package(n);
        g.bench_with_input(BenchmarkId::new("import", n), &path, |b, p| {
            b.iter(|| black_box(charter::interchange::ocf::import(Path::new(p), "bench").unwrap()))
        });
        let text = filled(
            &charter::interchange::ocf::import(&path, "bench")
                .unwrap()
                .text,
        );
        let c = charter::check::load(&charter::diagnostic::Source::new("bench", text)).unwrap();
        g.bench_with_input(BenchmarkId::new("export", n), &c, |b, c| {
            b.iter(|| {
                let e =
                    charter::interchange::ocf::export::export(c, &[], None, "2026-01-01T00:00:00Z")
                        .unwrap();
                black_box::<Vec<Value>>(
                    e.files.iter().map(|f| Value::String(f.0.clone())).collect(),
                );
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
