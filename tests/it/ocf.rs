//! The Open Cap Format: the OCF project's sample package imports and checks
//! once its gaps are filled; a hand-built package of Avesta's capitalization
//! (tests/ocf/avesta, with a split, a partial cancellation and a transfer)
//! imports to a charter that pays what charters/avesta.charter pays; a
//! down round and a split export as dated transactions with the adjusted
//! conversion prices; every exported file validates against the official
//! schemas; import → export → import keeps the economics; malformed input
//! is refused naming file, object and field, and nothing is written.

use crate::common;

use std::path::{Path, PathBuf};

use charter::interchange::ocf;
use charter::ir::Charter;
use common::{class, d, load, payout, written};
use serde_json::Value;

/// Where the official schemas' absolute `$id`s live.
const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF/main/schema/";

/// The official OCF schemas and sample package, copied into the project
/// with their licence (`tests/ocf/official/README.md`).
fn official() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ocf/official")
}

/// Resolves the schemas' absolute URLs to the local copy.
struct Local;

impl jsonschema::Retrieve for Local {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let rest = uri
            .as_str()
            .strip_prefix(SCHEMA_URL)
            .ok_or_else(|| format!("not an OCF schema: {}", uri.as_str()))?;
        let path = official().join("schema").join(rest);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("fixture {}: {e}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// The schema of an OCF file, by its `file_type`.
fn schema_of(file_type: &str) -> &'static str {
    match file_type {
        "OCF_MANIFEST_FILE" => "files/OCFManifestFile.schema.json",
        "OCF_STOCK_CLASSES_FILE" => "files/StockClassesFile.schema.json",
        "OCF_STAKEHOLDERS_FILE" => "files/StakeholdersFile.schema.json",
        "OCF_STOCK_PLANS_FILE" => "files/StockPlansFile.schema.json",
        "OCF_TRANSACTIONS_FILE" => "files/TransactionsFile.schema.json",
        other => panic!("no schema for {other}"),
    }
}

/// The schema errors of one OCF document (empty when it is valid).
pub fn schema_errors(doc: &Value) -> Vec<String> {
    let path = schema_of(doc["file_type"].as_str().unwrap());
    let schema: Value =
        serde_json::from_str(&common::fixture(official().join("schema").join(path))).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_retriever(Local)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Writes an export's files to a folder of their own, each checked
/// against the official schemas; the folder.
fn valid_package(exported: &ocf::export::Exported) -> PathBuf {
    let dir = PathBuf::from(written("Manifest.ocf.json", ""))
        .parent()
        .unwrap()
        .to_path_buf();
    for (name, text) in &exported.files {
        std::fs::write(dir.join(name), text).unwrap();
        assert_eq!(
            schema_errors(&serde_json::from_str(text).unwrap()),
            Vec::<String>::new(),
            "{name}"
        );
    }
    dir
}

/// The exported file `name`, as JSON.
fn file_of(exported: &ocf::export::Exported, name: &str) -> Value {
    let text = &exported.files.iter().find(|f| f.0 == name).unwrap().1;
    serde_json::from_str(text).unwrap()
}

/// Imports a package, panicking with the rendered problems if it fails.
fn import(path: &Path) -> ocf::Imported {
    match ocf::import(path, "test.charter") {
        Ok(i) => i,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// The text without its `todo` lines.
fn without_gaps(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("todo \""))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Whether a `todo` line mentions `what`.
fn text_has(text: &str, what: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("todo") && l.contains(what))
}

/// Replaces `from` (which must be there) with `to`.
fn fill(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no `{from}` in:\n{text}");
    text.replacen(from, to, 1)
}

/// The imported Avesta package with its gaps filled as
/// charters/avesta.charter states them: filed 1999-09-24, A and B share a
/// shortfall by full preferential amount, every preference adds declared
/// dividends, every series participates as converted.
fn avesta_filled(text: &str) -> String {
    let mut t = without_gaps(text);
    t = fill(
        &t,
        "  jurisdiction \"Delaware\"",
        "  filed 1999-09-24\n  jurisdiction \"Delaware\"",
    );
    for s in ["A", "B", "C", "D"] {
        let line = format!("preference Series{s}: 1x original issue price");
        t = fill(&t, &line, &format!("{line} plus declared dividends"));
    }
    fill(
        &t,
        "  # OCF seniority",
        "  shortfall SeriesA, SeriesB: ratably by full preferential amount\n  \
         SeriesA, SeriesB, SeriesC, SeriesD participate as converted\n  # OCF seniority",
    )
}

/// Payouts of two charters agree, class by class, at each exit.
fn same_payouts(a: &Charter, b: &Charter, exits: &[&str]) {
    for exit in exits {
        let (pa, pb) = (
            payout(a, &format!("payout {exit}")),
            payout(b, &format!("payout {exit}")),
        );
        for c in &pa.classes {
            assert_eq!(c.payout, class(&pb, &c.name), "{} at {exit}", c.name);
        }
        assert_eq!(pa.classes.len(), pb.classes.len());
    }
}

#[test]
fn the_sample_package_imports_and_checks_once_its_gaps_are_filled() {
    let imported = import(&official().join("samples/Manifest.ocf.json"));
    // Gaps: the filing date; Seed's issue price, preference, participation,
    // automatic conversion, anti-dilution and dividends; board and
    // protective provisions; redemption; a conversion-ratio adjustment of
    // the common class; and 16 transactions the package cannot place or
    // place in part (3 convertible notes; a SAFE, imported as a `safe`
    // block, whose stakeholder the package does not define and whose rank
    // it does not say; 4 RSUs, an issuance and an authorized adjustment
    // naming classes it does not define, 5 warrants naming a stakeholder
    // it does not define); and 9 about the actions the sample's transactions take
    // (it shows each transaction type, not one cap table): 8 securities
    // acted on that no issuance issues (one gap each, naming its actions),
    // and `test-security-id`, issued by several issuances, so that its
    // actions take them all; and 4 for the manifest's md5 checksums, which
    // the sample writes as placeholders that are not its files'.
    assert_eq!(imported.gaps, 10 + 16 + 9 + 4, "{}", imported.text);
    assert!(text_has(
        &imported.text,
        "change-conversion-ratio-following-down-round"
    ));
    let text = &imported.text;
    assert!(text.contains("authorized 1,000,000,000"));
    // Common's $0.0001 price halved by the 2-for-1 split.
    assert!(text.contains("original issue price $0.00005"));
    assert!(
        text.contains("TX_STOCK_ISSUANCE test-stock-issuance-full-fields, field `stock_class_id`")
    );
    let unfilled = charter::check::load(&charter::diagnostic::Source::new("s", text.as_str()));
    assert!(
        unfilled.is_err(),
        "the gaps must keep the file from checking"
    );

    let mut t = without_gaps(text);
    t = fill(
        &t,
        "  jurisdiction \"Delaware\"",
        "  filed 2022-03-22\n  jurisdiction \"Delaware\"",
    );
    t = fill(
        &t,
        "  conversion ratio 1 ",
        "  original issue price $1.00\n  conversion ratio 1 ",
    );
    t = fill(
        &t,
        "  # OCF seniority: a higher number is more senior, equal numbers pari passu.\n",
        "  preference SeriesSeedPreferred: 2x original issue price\n  SeriesSeedPreferred does not participate\n  \
         SeriesSeedPreferred pari passu with Safe\n  \
         shortfall SeriesSeedPreferred, Safe: ratably by full preferential amount\n",
    );
    let c = load("sample.charter", &t);
    // Common, Series Seed, and the SAFE.
    assert_eq!(c.classes.len(), 3);
    assert_eq!(c.classes[1].ratio, Some(d("1")));
}

#[test]
fn a_hand_built_avesta_package_pays_what_the_hand_written_charter_pays() {
    let imported = import(Path::new("tests/ocf/avesta"));
    let text = &imported.text;
    // 8,000,000 Common: 4,000,000 split 2:1 and reissued, then 500,000 of
    // them transferred to the angel (7,500,000 + 500,000).
    assert!(text.contains("outstanding 8,000,000"));
    assert!(text.contains("\"Founders\" 7,500,000 Common"));
    // Pilgrim's 1,200,000 less the 200,000 cancelled.
    assert!(text.contains("\"Pilgrim Baxter Hybrid Partners I, L.P.\" 1,000,000 SeriesC"));
    // The split's adjustment sets A's conversion price to $1.14585 ($2.2917 / 2).
    assert!(text.contains("conversion price $1.14585"));
    assert!(text.contains("SeriesD senior to SeriesC"));
    assert!(text.contains("SeriesA pari passu with SeriesB"));

    let ours = load("avesta-ocf.charter", &avesta_filled(text));
    let theirs = common::load_file("avesta.charter");
    // The figures charters/avesta.charter works by hand at $50M: the
    // preferences D $11,404,642.08, C $12,571,120.10, A $4,049,990.7831,
    // B $9,282,183.68, then the residual $12,692,063.3569 over 20,735,992
    // shares as converted, cents to the largest remainders.
    let p = payout(&ours, "payout $50M");
    common::assert_payouts(
        &p,
        &[
            ("Common", "4896631.27"),
            ("Series A", "6213375.12"),
            ("Series B", "11900353.66"),
            ("Series C", "14466321.45"),
            ("Series D", "12523318.50"),
        ],
    );
    same_payouts(&ours, &theirs, &["$5M", "$20M", "$36M", "$50M", "$200M"]);
}

#[test]
fn a_down_round_exports_dated_adjustments_that_validate() {
    let theirs = common::load_file("avesta.charter");
    // charters/avesta.charter works this down round by hand: D $6.24 ×
    // (20,735,992 + 6,000,000 / 6.24) / 22,735,992 = $5.95499… → $5.95;
    // C $4.06 × (20,735,992 + 6,000,000 / 4.06) / 22,735,992 = $3.96676… →
    // $3.97; A and B are below $3.00 and do not move.
    let after = ["issue 2_000_000 Common at $3.00 on 2001-03-01".to_string()];
    let exported = ocf::export::export(&theirs, &after, None, "2026-01-01T00:00:00Z").unwrap();
    let mut adjustments = Vec::new();
    for (name, text) in &exported.files {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{name}");
        if name == "Transactions.ocf.json" {
            for item in doc["items"].as_array().unwrap() {
                if item["object_type"] == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" {
                    adjustments.push(item.clone());
                }
            }
        }
    }
    let prices: Vec<(&str, &str, &str)> = adjustments
        .iter()
        .map(|a| {
            (
                a["stock_class_id"].as_str().unwrap(),
                a["new_ratio_conversion_mechanism"]["conversion_price"]["amount"]
                    .as_str()
                    .unwrap(),
                a["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        prices,
        [
            ("stock-class-C", "3.97", "2001-03-01"),
            ("stock-class-D", "5.95", "2001-03-01")
        ]
    );
    // D's new ratio is its issue price over the new price: 6.24 / 5.95.
    let d_ratio = &adjustments[1]["new_ratio_conversion_mechanism"]["ratio"];
    assert_eq!(
        (
            d_ratio["numerator"].as_str(),
            d_ratio["denominator"].as_str()
        ),
        (Some("6.24"), Some("5.95"))
    );
    // The manifest's checksums are the files'.
    let manifest: Value = serde_json::from_str(&exported.files[0].1).unwrap();
    let listed = manifest["transactions_files"][0]["md5"]
        .as_str()
        .unwrap()
        .to_string();
    let text = &exported
        .files
        .iter()
        .find(|f| f.0 == "Transactions.ocf.json")
        .unwrap()
        .1;
    assert_eq!(
        listed,
        format!("{:x}", <md5::Md5 as md5::Digest>::digest(text.as_bytes()))
    );
}

#[test]
fn a_split_exports_as_a_split_and_the_proportional_adjustments() {
    let theirs = common::load_file("avesta.charter");
    // § A.2(e): a 2-for-1 split halves every conversion price exactly:
    // A $1.14585 → $0.572925, B $2.17 → $1.085, C $4.06 → $2.03, D $6.24 → $3.12.
    let after = ["split 2:1 on 2002-06-01".to_string()];
    let exported = ocf::export::export(&theirs, &after, None, "2026-01-01T00:00:00Z").unwrap();
    let tx = file_of(&exported, "Transactions.ocf.json");
    assert_eq!(schema_errors(&tx), Vec::<String>::new());
    let items = tx["items"].as_array().unwrap();
    let split = items
        .iter()
        .find(|i| i["object_type"] == "TX_STOCK_CLASS_SPLIT")
        .unwrap();
    assert_eq!(split["split_ratio"]["numerator"], "2");
    assert_eq!(split["split_ratio"]["denominator"], "1");
    assert_eq!(split["date"], "2002-06-01");
    let prices: Vec<&str> = items
        .iter()
        .filter(|i| i["object_type"] == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT")
        .map(|i| {
            i["new_ratio_conversion_mechanism"]["conversion_price"]["amount"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(prices, ["0.572925", "1.085", "2.03", "3.12"]);
}

#[test]
fn the_schemas_are_really_checked() {
    // The validator must fail a StockClass without its required seniority,
    // or every passing validation above means nothing.
    let theirs = common::load_file("avesta.charter");
    let exported = ocf::export::export(&theirs, &[], None, "2026-01-01T00:00:00Z").unwrap();
    let mut classes: Value = serde_json::from_str(&exported.files[1].1).unwrap();
    assert_eq!(schema_errors(&classes), Vec::<String>::new());
    classes["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("seniority");
    assert!(!schema_errors(&classes).is_empty());
    // The hand-built fixture is valid OCF too.
    for name in ["Manifest", "StockClasses", "Stakeholders", "Transactions"] {
        let text = common::fixture(format!("tests/ocf/avesta/{name}.ocf.json"));
        assert_eq!(
            schema_errors(&serde_json::from_str(&text).unwrap()),
            Vec::<String>::new(),
            "{name}"
        );
    }
}

#[test]
fn import_export_import_keeps_the_economics() {
    let first = avesta_filled(&import(Path::new("tests/ocf/avesta")).text);
    let once = load("once.charter", &first);
    let exported = ocf::export::export(&once, &[], None, "2026-01-01T00:00:00Z").unwrap();
    let dir = valid_package(&exported);
    // The export carries the charter's own blocks, so the second import
    // needs no gap filled.
    let again = import(&dir.join("Manifest.ocf.json"));
    assert_eq!(again.gaps, 0, "{}", again.text);
    let second = again.text;
    let twice = load("twice.charter", &second);
    for (a, b) in once.classes.iter().zip(&twice.classes) {
        assert_eq!(
            (&a.name, a.outstanding, a.issue_price, a.ratio, a.authorized),
            (&b.name, b.outstanding, b.issue_price, b.ratio, b.authorized)
        );
    }
    let holders = |c: &Charter| {
        let mut h: Vec<(String, String)> = c
            .holders
            .iter()
            .map(|h| (h.name.clone(), h.shares.to_string()))
            .collect();
        h.sort();
        h
    };
    assert_eq!(holders(&once), holders(&twice));
    same_payouts(&once, &twice, &["$3M", "$25M", "$50M", "$120M"]);
}

/// A stock classes file holding `items`.
fn classes_file(items: &str) -> String {
    format!("{{\"file_type\": \"OCF_STOCK_CLASSES_FILE\", \"items\": [{items}]}}")
}

/// A Series A class with `extra` fields.
fn series_a(extra: &str) -> String {
    format!(
        "{{\"object_type\": \"STOCK_CLASS\", \"id\": \"sa\", \"name\": \"Series A\", \"class_type\": \"PREFERRED\", \
         \"default_id_prefix\": \"A-\", \"initial_shares_authorized\": \"1000000\", \"votes_per_share\": \"1\", \
         \"seniority\": \"2\", \"price_per_share\": {{\"amount\": \"1.00\", \"currency\": \"USD\"}}{extra}}}"
    )
}

#[test]
fn jocf_attributes_fill_the_gaps_they_speak_to() {
    let jocf = r#", "liquidation_preference_multiple": "1", "preffered_stock_attributes": {
        "conversion_triggers": [{"type": "ANTI_DILUTION_IN_DOWN_ROUND", "trigger_id": "ad",
          "trigger_condition": "a down round", "conversion_right": {}, "anti_dilution_protection_type": "BROAD_BASED_WEIGHTED_AVERAGE"}],
        "dividend_attributes": {"dividend_rate": "0.08", "cumulative_category": "NON_CUMULATIVE"},
        "liquidation_preference_attributes": {"liquidation_preference_multiple": "1.5",
          "participation_category": "NON_PARTICIPATION", "cumulative_category": "CUMULATIVE"}}"#;
    let path = written("StockClasses.ocf.json", &classes_file(&series_a(jocf)));
    let text = import(Path::new(&path)).text;
    // JOCF's multiple (1.5) wins over OCF's, and CUMULATIVE adds accrued dividends.
    assert!(
        text.contains(
            "preference SeriesA: 1.5x original issue price plus accrued and declared dividends"
        ),
        "{text}"
    );
    assert!(text.contains("SeriesA does not participate"));
    // 8% of the $1.00 issue price, when declared.
    assert!(text.contains("SeriesA $0.08 per share per annum when declared"));
    assert!(text.contains("anti-dilution SeriesA {"));
    assert!(text.contains(
        "weighted average counting common, preferred as converted, options, convertibles"
    ));
    // No participation or dividend gap for Series A; the issuer, filing
    // date, shares outstanding and anti-dilution's details remain.
    assert!(!text.contains("Series A: participation"));
    assert!(!text.contains("Series A: dividends"));
    assert!(text.contains("todo \"Series A: shares outstanding"));
}

/// Runs `charter import ocf PATH --out OUT`; the exit status, the
/// diagnostics, and whether OUT was written.
fn import_cli(path: &str) -> (bool, String, bool) {
    let out = format!("{path}.charter");
    let o = common::charter(&["import", "ocf", path, "--out", &out]);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).to_string(),
        Path::new(&out).exists(),
    )
}

/// A copy of the Avesta fixture in a folder of its own.
fn fixture_copy() -> PathBuf {
    let dir = PathBuf::from(written("x", ""))
        .parent()
        .unwrap()
        .to_path_buf();
    for f in ["Manifest", "StockClasses", "Stakeholders", "Transactions"] {
        let name = format!("{f}.ocf.json");
        std::fs::copy(format!("tests/ocf/avesta/{name}"), dir.join(&name)).unwrap();
    }
    dir
}

/// `charter import ocf` of `path` fails, writes nothing, and says each of
/// `said`.
fn refused(path: &str, said: &[&str]) {
    let (ok, err, wrote) = import_cli(path);
    assert!(!ok && !wrote, "{err}");
    for s in said {
        assert!(err.contains(s), "no `{s}` in:\n{err}");
    }
}

#[test]
fn malformed_input_is_refused_naming_file_object_and_field_and_nothing_is_written() {
    // Not JSON: the fault's place.
    let text = "{\"file_type\": \"OCF_STOCK_CLASSES_FILE\", \"items\": [";
    refused(
        &written("StockClasses.ocf.json", text),
        &["charter::ocf::invalid", "not JSON"],
    );

    // A seniority written as a number, not an OCF Numeric string.
    let bad = series_a("").replace("\"seniority\": \"2\"", "\"seniority\": 2");
    let path = written("StockClasses.ocf.json", &classes_file(&bad));
    refused(&path, &["STOCK_CLASS sa", "`seniority`: invalid type"]);

    // A negative figure, which would otherwise be written into the charter.
    let bad = series_a("").replace("\"votes_per_share\": \"1\"", "\"votes_per_share\": \"-3\"");
    let path = written("StockClasses.ocf.json", &classes_file(&bad));
    refused(&path, &["`votes_per_share`: -3 is below zero"]);

    // A transaction type the import does not know.
    let tx = r#"{"file_type": "OCF_TRANSACTIONS_FILE", "items": [{"object_type": "TX_TELEPORT", "id": "t1"}]}"#;
    refused(
        &written("Transactions.ocf.json", tx),
        &["TX_TELEPORT", "`object_type`"],
    );

    // A package whose issuances exceed the class's authorized shares: the
    // written charter would not check, so it is not written.
    let dir = fixture_copy();
    let classes = std::fs::read_to_string(dir.join("StockClasses.ocf.json")).unwrap();
    let fewer = classes.replace("\"3096335\"", "\"3000000\"");
    std::fs::write(dir.join("StockClasses.ocf.json"), fewer).unwrap();
    refused(
        dir.join("Manifest.ocf.json").to_str().unwrap(),
        &["outstanding_above_authorized", "3,096,335"],
    );
}

#[test]
fn the_command_line_imports_and_exports() {
    let out = written("avesta-imported.charter", "");
    std::fs::remove_file(&out).unwrap();
    let o = common::charter(&[
        "import",
        "ocf",
        "tests/ocf/avesta/Manifest.ocf.json",
        "--out",
        &out,
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    // The 21 gaps of the Avesta import: filing date; the A/B shortfall;
    // four classes × (dividends on the preference, participation,
    // anti-dilution, dividends); automatic conversion; board and protective
    // provisions; redemption: 1 + 1 + 16 + 1 + 1 + 1.
    assert!(err.contains("with 21 gaps to fill"), "{err}");
    // `charter check` reports them.
    let o = common::charter(&["check", &out]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("charter::check::todo"));

    let dir = PathBuf::from(written("marker", ""))
        .parent()
        .unwrap()
        .join("exported");
    let o = common::charter(&[
        "export",
        "ocf",
        "charters/avesta.charter",
        "--out",
        dir.to_str().unwrap(),
        "--after",
        "issue 2_000_000 Common at $3.00 on 2001-03-01",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(common::stdout(&o).contains("wrote 5 files"));
    assert!(dir.join("Transactions.ocf.json").exists());

    // A second import to the same file is refused: its gaps may be filled.
    let o = common::charter(&[
        "import",
        "ocf",
        "tests/ocf/avesta/Manifest.ocf.json",
        "--out",
        &out,
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    let o = common::charter(&[
        "import",
        "ocf",
        "tests/ocf/avesta/Manifest.ocf.json",
        "--out",
        &out,
        "--force",
    ]);
    assert!(o.status.success());
}

mod mutated {
    //! Any field of the Avesta fixture replaced by any kind of JSON value:
    //! the import answers (a charter, or diagnostics) and never panics.
    use super::*;
    use proptest::prelude::*;

    const FILES: [&str; 3] = ["StockClasses", "Stakeholders", "Transactions"];
    const VALUES: [&str; 12] = [
        "null",
        "-1",
        "\"-1\"",
        "\"0\"",
        "\"1e5\"",
        "\"99999999999999999999999999999999\"",
        "\"0.00000000001\"",
        "[]",
        "{}",
        "\"\\u0000\\\"#\"",
        "true",
        "\"UNLIMITED\"",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn never_panics(file in 0..3usize, item in 0..40usize, field in 0..16usize, value in 0..12usize) {
            let dir = fixture_copy();
            let path = dir.join(format!("{}.ocf.json", FILES[file]));
            let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let items = doc["items"].as_array_mut().unwrap();
            let n = items.len();
            let object = items[item % n].as_object_mut().unwrap();
            let keys: Vec<String> = object.keys().cloned().collect();
            let key = keys[field % keys.len()].clone();
            object.insert(key, serde_json::from_str(VALUES[value]).unwrap());
            std::fs::write(&path, doc.to_string()).unwrap();
            match ocf::import(&dir.join("Manifest.ocf.json"), "mutated.charter") {
                Ok(i) => prop_assert!(i.text.contains("charter \"")),
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
    }
}

#[test]
fn every_seed_charter_exports_valid_ocf() {
    // Pools, warrants, fixed per-share preferences, caps in total and more:
    // whatever the seed charters state, what is written is valid OCF.
    for name in ["avesta", "juniper", "model_series_a", "quintus", "scc"] {
        let c = common::load_file(&format!("{name}.charter"));
        let exported = ocf::export::export(&c, &[], None, "2026-01-01T00:00:00Z").unwrap();
        assert_eq!(exported.files.len(), 5);
        for (file, text) in &exported.files {
            let doc: Value = serde_json::from_str(text).unwrap();
            assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{name}: {file}");
        }
    }
}

/// A class named with a million characters is written once in the
/// imported charter (its display name), not once per clause: the charter
/// names it by a short identifier, so the output stays within a small
/// multiple of the input.
#[test]
fn a_long_class_name_is_written_once() {
    let dir = fixture_copy();
    let path = dir.join("StockClasses.ocf.json");
    let mut classes: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let long = format!("Series {}", "A".repeat(1_000_000));
    classes["items"][1]["name"] = Value::String(long.clone());
    std::fs::write(&path, classes.to_string()).unwrap();
    let (ok, stderr, wrote) = import_cli(dir.to_str().unwrap());
    assert!(ok && wrote, "{stderr}");
    let text = std::fs::read_to_string(format!("{}.charter", dir.display())).unwrap();
    assert_eq!(text.matches(&long).count(), 1);
    // The name, and the fixture's charter (under 20 KB) around it.
    assert!(text.len() < long.len() + 20_000, "{} bytes", text.len());
}

#[test]
fn a_split_exported_and_imported_pays_what_the_split_charter_pays() {
    // A split is value-neutral: after `split 2:1`, Avesta's common (now
    // 8,000,000 × 2 = 16,000,000 shares) is paid at $50M what it was
    // before, $4,896,631.27 (the README's figure). The export reissues every
    // common security at twice its count and doubles common's 25,000,000
    // authorized; the import reads the reissued counts back.
    let ours = common::load_file("avesta.charter");
    let after = ["split 2:1 on 2000-01-01".to_string()];
    let exported = ocf::export::export(&ours, &after, None, "2026-01-01T00:00:00Z").unwrap();
    let dir = valid_package(&exported);
    let imported = import(&dir.join("Manifest.ocf.json"));
    assert_eq!(imported.gaps, 0, "{}", imported.text);
    let imported = imported.text;
    assert!(imported.contains("outstanding 16,000,000"), "{imported}");
    assert!(imported.contains("authorized 50,000,000"), "{imported}");
    let theirs = load("split.charter", &imported);
    let common = payout(&theirs, "payout $50M");
    assert_eq!(class(&common, "Common"), d("4896631.27"));
    // And every class as the engine pays them after the same split.
    let mut s = charter::query::Session::new(&ours);
    s.run("t", &after[0]).unwrap();
    same_payouts(
        &s.scenario.charter,
        &theirs,
        &["$3M", "$25M", "$50M", "$120M"],
    );
}

#[test]
fn scc_s_ratio_after_a_ratchet_exports_as_the_engine_converts() {
    // § 4(d)(ii)(D): a $5.00 issue within two years ratchets C's conversion
    // price from $10.05 to $5.00; § 4(a)'s fixed $10.05 stays the numerator
    // (while the Issue Price follows to $5.00), so C converts at
    // 10.05 / 5.00 = 2.01, the ratio `convert C` shows — not 5.00 / 5.00.
    let ours = common::load_file("scc.charter");
    let after = ["issue 1_000_000 Common at $5.00 on 2001-06-01".to_string()];
    let exported = ocf::export::export(&ours, &after, None, "2026-01-01T00:00:00Z").unwrap();
    let tx = file_of(&exported, "Transactions.ocf.json");
    let c = tx["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["object_type"] == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT"
                && i["stock_class_id"] == "stock-class-C"
        })
        .unwrap();
    let m = &c["new_ratio_conversion_mechanism"];
    assert_eq!(m["ratio"]["numerator"], "10.05");
    assert_eq!(m["ratio"]["denominator"], "5");
    assert_eq!(m["conversion_price"]["amount"], "5");
}
