//! The OCF import's cap table from packages shaped as the findings found
//! them (issue 34): partial actions without a balance security, a
//! repurchase beyond the position, balance securities that do and do not
//! match. Each package is minimal and built here; the counts expected are
//! worked by hand from its transactions.

use crate::common;

use std::path::{Path, PathBuf};

use charter::interchange::ocf::{self, ledger::Ledger, package};
use common::d;
use rust_decimal::Decimal;

/// Common and a Series A, each authorized 10,000,000.
const CLASSES: &str = r#"{"file_type": "OCF_STOCK_CLASSES_FILE", "items": [
  {"object_type": "STOCK_CLASS", "id": "cs", "name": "Common", "class_type": "COMMON",
   "default_id_prefix": "CS-", "initial_shares_authorized": "10000000", "votes_per_share": "1",
   "seniority": "1", "price_per_share": {"amount": "0.01", "currency": "USD"}},
  {"object_type": "STOCK_CLASS", "id": "sa", "name": "Series A", "class_type": "PREFERRED",
   "default_id_prefix": "A-", "initial_shares_authorized": "10000000", "votes_per_share": "1",
   "seniority": "2", "price_per_share": {"amount": "1.00", "currency": "USD"},
   "conversion_rights": [{"type": "STOCK_CLASS_CONVERSION_RIGHT", "conversion_mechanism":
     {"type": "RATIO_CONVERSION", "conversion_price": {"amount": "1.00", "currency": "USD"},
      "ratio": {"numerator": "1", "denominator": "1"}, "rounding_type": "NORMAL"},
     "converts_to_stock_class_id": "cs"}]}]}"#;

const STAKEHOLDERS: &str = r#"{"file_type": "OCF_STAKEHOLDERS_FILE", "items": [
  {"object_type": "STAKEHOLDER", "id": "ann", "name": {"legal_name": "Ann"}, "stakeholder_type": "INDIVIDUAL"},
  {"object_type": "STAKEHOLDER", "id": "bob", "name": {"legal_name": "Bob"}, "stakeholder_type": "INDIVIDUAL"}]}"#;

const PLANS: &str = r#"{"file_type": "OCF_STOCK_PLANS_FILE", "items": [
  {"object_type": "STOCK_PLAN", "id": "plan", "plan_name": "2020 Plan", "initial_shares_reserved": "1000000",
   "stock_class_ids": ["cs"]}]}"#;

/// A fresh folder holding `files` (name, text).
fn folder(files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(common::written("x", ""))
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::remove_file(dir.join("x")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// A manifest whose four lists are `lists` (JSON members, e.g.
/// `"transactions_files": [...]`).
fn manifest(lists: &str) -> String {
    format!(
        r#"{{"ocf_version": "1.2.1-alpha+main", "file_type": "OCF_MANIFEST_FILE",
      "issuer": {{"object_type": "ISSUER", "id": "co", "legal_name": "Co, Inc.", "formation_date": "2020-01-01",
                 "country_of_formation": "US", "country_subdivision_of_formation": "DE"}},
      "as_of": "2024-01-01", "generated_at": "2024-01-01T00:00:00Z",
      "stock_legend_templates_files": [], "vesting_terms_files": [], "valuations_files": [], {lists}}}"#
    )
}

/// The manifest's lists for the four files [`package_with`] writes.
const LISTS: &str = r#""stock_classes_files": [{"filepath": "./StockClasses.ocf.json"}],
      "stakeholders_files": [{"filepath": "./Stakeholders.ocf.json"}],
      "stock_plans_files": [{"filepath": "./StockPlans.ocf.json"}],
      "transactions_files": [{"filepath": "./Transactions.ocf.json"}]"#;

/// A transactions file of `items`.
fn transactions(items: &str) -> String {
    format!("{{\"file_type\": \"OCF_TRANSACTIONS_FILE\", \"items\": [{items}]}}")
}

/// A folder holding a manifest, the classes, stakeholders and plan above,
/// and a transactions file of `items`.
pub fn package_with(items: &str) -> PathBuf {
    let tx = transactions(items);
    let files = [
        ("stock_classes_files", "StockClasses.ocf.json", CLASSES),
        ("stakeholders_files", "Stakeholders.ocf.json", STAKEHOLDERS),
        ("stock_plans_files", "StockPlans.ocf.json", PLANS),
        ("transactions_files", "Transactions.ocf.json", tx.as_str()),
    ];
    // With each file's checksum, as OCF requires.
    let lists: Vec<String> = files
        .iter()
        .map(|(list, name, text)| {
            format!(
                r#""{list}": [{{"filepath": "./{name}", "md5": "{:x}"}}]"#,
                md5_of(text)
            )
        })
        .collect();
    let m = manifest(&lists.join(", "));
    let mut all: Vec<(&str, &str)> = files.iter().map(|(_, n, t)| (*n, *t)).collect();
    all.push(("Manifest.ocf.json", &m));
    folder(&all).join("Manifest.ocf.json")
}

/// The import of `path` is refused, saying each of `said`.
fn refused(path: &Path, said: &[&str]) {
    match ocf::import(path, "t.charter") {
        Ok(i) => panic!("imported:\n{}", i.text),
        Err(p) => {
            // The drawing wraps long messages: compare words.
            let flat = |t: &str| -> String {
                t.split_whitespace()
                    .filter(|w| *w != "│")
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let text = flat(&charter::render::diagnostics::render(&p, false));
            for s in said {
                assert!(text.contains(&flat(s)), "no `{s}` in:\n{text}");
            }
        }
    }
}

/// The import of `path`, which must succeed.
fn imported(path: &Path) -> ocf::Imported {
    ocf::import(path, "t.charter")
        .unwrap_or_else(|p| panic!("{}", charter::render::diagnostics::render(&p, false)))
}

/// The cap table the import builds from `items`.
fn ledger(items: &str) -> Ledger {
    let path = package_with(items);
    let p = package::read(&path)
        .unwrap_or_else(|p| panic!("{}", charter::render::diagnostics::render(&p, false)));
    ocf::ledger::build(&p)
}

/// A stock issuance of `n` shares of `class` to `holder` as `security`.
fn stock(id: &str, security: &str, holder: &str, class: &str, n: u64) -> String {
    format!(
        r#"{{"object_type": "TX_STOCK_ISSUANCE", "id": "{id}", "date": "2021-01-01", "security_id": "{security}",
            "custom_id": "{security}", "stakeholder_id": "{holder}", "stock_class_id": "{class}",
            "share_price": {{"amount": "1.00", "currency": "USD"}}, "quantity": "{n}",
            "security_law_exemptions": [], "stock_legend_ids": []}}"#
    )
}

/// An option grant of `n` under the plan to `holder` as `security`.
fn grant(id: &str, security: &str, holder: &str, n: u64) -> String {
    format!(
        r#"{{"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": "{id}", "date": "2021-01-01",
            "security_id": "{security}", "custom_id": "{security}", "stakeholder_id": "{holder}",
            "stock_plan_id": "plan", "compensation_type": "OPTION_ISO", "quantity": "{n}",
            "exercise_price": {{"amount": "0.50", "currency": "USD"}}, "expiration_date": "2031-01-01",
            "termination_exercise_windows": [], "security_law_exemptions": []}}"#
    )
}

/// An action on `security` of `object_type` dated `date` with `fields`.
fn action(object_type: &str, id: &str, date: &str, security: &str, fields: &str) -> String {
    format!(
        r#"{{"object_type": "{object_type}", "id": "{id}", "date": "{date}", "security_id": "{security}"{fields}}}"#
    )
}

/// Ann's 1,000,000 common, and Bob's grant of 200,000 options of which he
/// exercises 50,000 (OCF 1.2: no balance security) into 50,000 common.
fn partial_exercise() -> Vec<String> {
    vec![
        stock("s1", "CS-1", "ann", "cs", 1_000_000),
        grant("g1", "EQ-1", "bob", 200_000),
        action(
            "TX_EQUITY_COMPENSATION_EXERCISE",
            "x1",
            "2022-01-01",
            "EQ-1",
            r#", "quantity": "50000", "resulting_security_ids": ["CS-2"]"#,
        ),
        stock("s2", "CS-2", "bob", "cs", 50_000),
    ]
}

fn outstanding(l: &Ledger, class: usize) -> Decimal {
    l.classes[class].outstanding
}

fn pool(l: &Ledger) -> Decimal {
    l.pools.values().map(|p| p.count).sum()
}

#[test]
fn a_partial_option_exercise_keeps_the_unexercised_rest() {
    // 200,000 options granted; OCF 1.2's exercise has no balance security,
    // so the 50,000 exercised leave 200,000 − 50,000 = 150,000 options with
    // the grant, and the exercise's stock issuance adds 50,000 common to
    // Ann's 1,000,000: 1,050,000.
    let l = ledger(&partial_exercise().join(","));
    assert_eq!(pool(&l), d("150000"));
    assert_eq!(outstanding(&l, 0), d("1050000"));
    assert!(l.gaps.is_empty(), "{:?}", l.gaps);
}

#[test]
fn cancelling_one_share_leaves_the_rest() {
    // 500,000 − 1 = 499,999: a partial cancellation without a balance
    // security keeps the rest with the security cancelled from.
    let l = ledger(
        &[
            stock("s1", "A-1", "ann", "sa", 500_000),
            action(
                "TX_STOCK_CANCELLATION",
                "c1",
                "2022-01-01",
                "A-1",
                r#", "quantity": "1", "reason_text": "returned""#,
            ),
        ]
        .join(","),
    );
    assert_eq!(outstanding(&l, 1), d("499999"));
    assert!(l.gaps.is_empty(), "{:?}", l.gaps);
}

#[test]
fn a_repurchase_beyond_the_position_is_a_gap_naming_it() {
    // 1,000,000 repurchased of a 500,000-share security: the position is
    // counted as 0 and the gap names the repurchase and the issuance.
    let l = ledger(
        &[
            stock("s1", "CS-1", "ann", "cs", 500_000),
            stock("s2", "CS-2", "bob", "cs", 300_000),
            action(
                "TX_STOCK_REPURCHASE",
                "r1",
                "2022-01-01",
                "CS-1",
                r#", "quantity": "1000000", "price": {"amount": "0.01", "currency": "USD"}"#,
            ),
        ]
        .join(","),
    );
    assert_eq!(outstanding(&l, 0), d("300000"));
    assert_eq!(l.gaps.len(), 1, "{:?}", l.gaps);
    let gap = &l.gaps[0];
    for said in [
        "TX_STOCK_REPURCHASE r1",
        "`quantity`",
        "takes 1,000,000 shares",
        "holds 500,000",
        "TX_STOCK_ISSUANCE s1",
    ] {
        assert!(gap.contains(said), "no `{said}` in {gap}");
    }
}

#[test]
fn a_partial_transfer_counts_the_balance_security_once() {
    // Ann's 1,000 (CS-1): 400 transferred to Bob (CS-3), the rest reissued
    // to her as CS-2 (600). Counted: Ann 600, Bob 400, Common 1,000 — not
    // 1,600, and not 400.
    let items = |balance: u64| {
        [
            stock("s1", "CS-1", "ann", "cs", 1_000),
            action(
                "TX_STOCK_TRANSFER",
                "t1",
                "2022-01-01",
                "CS-1",
                r#", "quantity": "400", "balance_security_id": "CS-2", "resulting_security_ids": ["CS-3"]"#,
            ),
            stock("s2", "CS-2", "ann", "cs", balance),
            stock("s3", "CS-3", "bob", "cs", 400),
        ]
        .join(",")
    };
    let l = ledger(&items(600));
    assert_eq!(outstanding(&l, 0), d("1000"));
    let held = |name: &str| -> Decimal {
        l.holdings
            .values()
            .filter(|h| h.name == name)
            .map(|h| h.shares)
            .sum()
    };
    assert_eq!((held("Ann"), held("Bob")), (d("600"), d("400")));
    assert!(l.gaps.is_empty(), "{:?}", l.gaps);

    // A balance security that does not hold the rest (700 against
    // 1,000 − 400 = 600) is counted as issued, and named.
    let l = ledger(&items(700));
    assert_eq!(outstanding(&l, 0), d("1100"));
    assert_eq!(l.gaps.len(), 1, "{:?}", l.gaps);
    assert!(
        l.gaps[0].contains("`CS-2` holds 700 shares as the rest of `CS-1`, which had 600 left")
    );
}

#[test]
fn a_balance_security_the_package_does_not_issue_leaves_the_rest_in_place() {
    // 1,000 − 250 cancelled = 750, kept with CS-1 since CS-9 is not issued.
    let l = ledger(
        &[
            stock("s1", "CS-1", "ann", "cs", 1_000),
            action(
                "TX_STOCK_CANCELLATION",
                "c1",
                "2022-01-01",
                "CS-1",
                r#", "quantity": "250", "balance_security_id": "CS-9", "reason_text": "r""#,
            ),
        ]
        .join(","),
    );
    assert_eq!(outstanding(&l, 0), d("750"));
    assert_eq!(l.gaps.len(), 1, "{:?}", l.gaps);
    assert!(l.gaps[0].contains("the rest, 750 shares, is counted with `CS-1`"));
}

#[test]
fn the_import_writes_what_is_left() {
    // Through the whole import: the charter says 150,000 options and
    // 1,050,000 common, as worked in the exercise test.
    let path = package_with(&partial_exercise().join(","));
    let text = imported(&path).text;
    assert!(text.contains("outstanding 1,050,000"), "{text}");
    assert!(text.contains("150,000"), "{text}");
}

#[test]
fn duplicate_ids_are_refused_naming_both_places() {
    // The same issuance twice would count its shares twice.
    let s1 = stock("s1", "CS-1", "ann", "cs", 1_000);
    refused(
        &package_with(&[s1.clone(), s1].join(",")),
        &[
            "has the id `s1` of another transaction",
            "Transactions.ocf.json (TX_STOCK_ISSUANCE s1)",
        ],
    );
    // A stakeholder id used twice would hand Ann's shares to the second name.
    let two = STAKEHOLDERS.replace("\"id\": \"bob\"", "\"id\": \"ann\"");
    let m = manifest(LISTS);
    let tx = transactions(&stock("s1", "CS-1", "ann", "cs", 1_000));
    let dir = folder(&[
        ("StockClasses.ocf.json", CLASSES),
        ("Stakeholders.ocf.json", &two),
        ("StockPlans.ocf.json", PLANS),
        ("Transactions.ocf.json", &tx),
        ("Manifest.ocf.json", &m),
    ]);
    refused(
        &dir.join("Manifest.ocf.json"),
        &["STAKEHOLDER ann", "has the id `ann` of another stakeholder"],
    );
    // A class id used twice.
    let classes = CLASSES.replace("\"id\": \"sa\"", "\"id\": \"cs\"");
    std::fs::write(dir.join("StockClasses.ocf.json"), classes).unwrap();
    std::fs::write(dir.join("Stakeholders.ocf.json"), STAKEHOLDERS).unwrap();
    refused(
        &dir.join("Manifest.ocf.json"),
        &["has the id `cs` of another stock class"],
    );
    // A file listed twice (by two spellings of its path).
    let twice = LISTS.replace(
        r#"[{"filepath": "./Transactions.ocf.json"}]"#,
        r#"[{"filepath": "./Transactions.ocf.json"}, {"filepath": "Transactions.ocf.json"}]"#,
    );
    std::fs::write(dir.join("StockClasses.ocf.json"), CLASSES).unwrap();
    std::fs::write(dir.join("Manifest.ocf.json"), manifest(&twice)).unwrap();
    refused(
        &dir.join("Manifest.ocf.json"),
        &[
            "`transactions_files` lists `Transactions.ocf.json`, which `transactions_files` already lists",
        ],
    );
}

#[test]
fn files_are_read_as_what_they_are_from_inside_the_package() {
    let path = package_with(&stock("s1", "CS-1", "ann", "cs", 1_000));
    let dir = path.parent().unwrap().to_path_buf();
    // A misspelled file type is refused, with the nearest real one.
    let tx = std::fs::read_to_string(dir.join("Transactions.ocf.json")).unwrap();
    std::fs::write(
        dir.join("Transactions.ocf.json"),
        tx.replace("OCF_TRANSACTIONS_FILE", "OCF_TRANSACTION_FILE"),
    )
    .unwrap();
    refused(
        &path,
        &[
            "its `file_type` is `OCF_TRANSACTION_FILE`",
            "did you mean `OCF_TRANSACTIONS_FILE`?",
        ],
    );
    std::fs::write(dir.join("Transactions.ocf.json"), &tx).unwrap();

    // A path that climbs out of the package's folder is not read.
    let outside = dir.parent().unwrap().join(format!(
        "outside-{}.json",
        dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&outside, &tx).unwrap();
    let lists = LISTS.replace(
        "./Transactions.ocf.json",
        &format!("../{}", outside.file_name().unwrap().to_string_lossy()),
    );
    std::fs::write(dir.join("Manifest.ocf.json"), manifest(&lists)).unwrap();
    refused(&path, &["which is outside the package's folder"]);
    // So is a link inside the folder to a file outside it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, dir.join("link.json")).unwrap();
        let lists = LISTS.replace("./Transactions.ocf.json", "./link.json");
        std::fs::write(dir.join("Manifest.ocf.json"), manifest(&lists)).unwrap();
        refused(
            &path,
            &["`./link.json`, which is outside the package's folder"],
        );
        std::fs::remove_file(dir.join("link.json")).unwrap();
    }
    std::fs::remove_file(&outside).unwrap();

    // A wrong checksum is reported as a gap naming the file.
    let lists = LISTS.replace(
        r#"{"filepath": "./Transactions.ocf.json"}"#,
        r#"{"filepath": "./Transactions.ocf.json", "md5": "00000000000000000000000000000000"}"#,
    );
    std::fs::write(dir.join("Manifest.ocf.json"), manifest(&lists)).unwrap();
    let text = imported(&path).text;
    assert!(
        text.contains("./Transactions.ocf.json: the manifest gives its md5 as 00000000000000000000000000000000"),
        "{text}"
    );
    // The right one is not.
    let right = format!("{:x}", md5_of(&tx));
    let lists = LISTS.replace(
        r#"{"filepath": "./Transactions.ocf.json"}"#,
        &format!(r#"{{"filepath": "./Transactions.ocf.json", "md5": "{right}"}}"#),
    );
    std::fs::write(dir.join("Manifest.ocf.json"), manifest(&lists)).unwrap();
    assert!(!imported(&path).text.contains("md5"));
}

/// The MD5 of `text`, by the definition's own test vectors' algorithm
/// (RFC 1321) as the `md-5` crate computes it.
fn md5_of(text: &str) -> impl std::fmt::LowerHex {
    use md5::Digest;
    md5::Md5::digest(text.as_bytes())
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    let bad = stock("s1", "CS-1", "ann", "cs", 1_000).replace("2021-01-01", "2023-02-30");
    refused(
        &package_with(&bad),
        &[
            "TX_STOCK_ISSUANCE s1",
            "field `date`: `2023-02-30` is not a date",
        ],
    );
}

#[test]
fn a_folder_of_loose_files_is_read_by_their_types() {
    // No manifest: each file says what it is. 1,000 common to Ann.
    let tx = transactions(&stock("s1", "CS-1", "ann", "cs", 1_000));
    let dir = folder(&[
        ("classes.json", CLASSES),
        ("people.json", STAKEHOLDERS),
        ("tx.json", &tx),
    ]);
    let text = imported(&dir).text;
    assert!(text.contains("outstanding 1,000"), "{text}");
    assert!(text.contains("\"Ann\" 1,000 Common"), "{text}");
    // A loose file that says no type is refused, naming it.
    std::fs::write(dir.join("notes.json"), "{\"items\": []}").unwrap();
    refused(&dir, &["notes.json", "has no `file_type`"]);
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let path = package_with(&stock("s1", "CS-1", "ann", "cs", 1_000));
    let dir = path.parent().unwrap();
    let tx = std::fs::read_to_string(dir.join("Transactions.ocf.json")).unwrap();
    std::fs::write(dir.join("Transactions.ocf.json"), format!("\u{feff}{tx}")).unwrap();
    assert!(imported(&path).text.contains("outstanding 1,000"));
}

#[test]
fn names_never_carry_characters_that_reorder_or_break_the_text() {
    // U+202E would show "Ann" backwards from there on in an editor; U+2028
    // would break the line inside a string.
    let people = STAKEHOLDERS.replace("\"Ann\"", "\"Ann\u{202E}nnA\u{2028}X\"");
    let classes = CLASSES.replace("\"Series A\"", "\"Series\u{2067}A\"");
    let tx = transactions(&stock("s1", "CS-1", "ann", "cs", 1_000));
    let m = manifest(LISTS);
    let dir = folder(&[
        ("StockClasses.ocf.json", &classes),
        ("Stakeholders.ocf.json", &people),
        ("StockPlans.ocf.json", PLANS),
        ("Transactions.ocf.json", &tx),
        ("Manifest.ocf.json", &m),
    ]);
    let text = imported(&dir.join("Manifest.ocf.json")).text;
    for c in ['\u{202E}', '\u{2028}', '\u{2067}'] {
        assert!(!text.contains(c), "U+{:04X} in:\n{text}", c as u32);
    }
    assert!(text.contains("\"Ann nnA X\" 1,000 Common"), "{text}");
}

#[test]
fn a_name_too_long_for_a_charter_is_refused_before_anything_is_written() {
    // A 17 MB class name would write a charter over the 16 MB (16,777,216
    // bytes) that `check` reads.
    let long = "N".repeat(17 << 20);
    let classes = CLASSES.replace("\"Series A\"", &format!("\"{long}\""));
    let m = manifest(LISTS);
    let tx = transactions("");
    let dir = folder(&[
        ("StockClasses.ocf.json", &classes),
        ("Stakeholders.ocf.json", STAKEHOLDERS),
        ("StockPlans.ocf.json", PLANS),
        ("Transactions.ocf.json", &tx),
        ("Manifest.ocf.json", &m),
    ]);
    refused(
        &dir.join("Manifest.ocf.json"),
        &["more than the 16,777,216 a charter file may be"],
    );
}

#[test]
fn an_export_names_the_charter_file_but_not_where_it_lies() {
    let text = common::fixture("charters/avesta.charter");
    let path = common::written("avesta.charter", &text);
    let folder = Path::new(&path)
        .parent()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let out = format!("{folder}/package");
    let o = common::charter(&["export", "ocf", &path, "--out", &out]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut named = false;
    for entry in std::fs::read_dir(&out).unwrap() {
        let written = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!written.contains(&folder), "{written}");
        named |= written.contains("Exported by charter from avesta.charter");
    }
    assert!(named);
}

#[test]
fn the_packages_of_valid_data_are_valid_ocf() {
    // The findings about valid data are shown on packages the official
    // schemas accept: a partial exercise (no balance security in OCF 1.2),
    // a cancellation of one share, a partial transfer with its balance
    // security, and a repurchase beyond the position (valid OCF, wrong data).
    let mut items = partial_exercise();
    items.extend([
        action(
            "TX_STOCK_CANCELLATION",
            "c1",
            "2022-01-01",
            "CS-1",
            r#", "quantity": "1", "reason_text": "returned", "balance_security_id": "CS-3""#,
        ),
        stock("s3", "CS-3", "ann", "cs", 999_999),
        action(
            "TX_STOCK_TRANSFER",
            "t1",
            "2022-02-01",
            "CS-3",
            r#", "quantity": "400", "balance_security_id": "CS-4", "resulting_security_ids": ["CS-5"]"#,
        ),
        stock("s4", "CS-4", "ann", "cs", 999_599),
        stock("s5", "CS-5", "bob", "cs", 400),
        action(
            "TX_STOCK_REPURCHASE",
            "r1",
            "2022-03-01",
            "CS-5",
            r#", "quantity": "1000000", "price": {"amount": "0.01", "currency": "USD"}"#,
        ),
    ]);
    let items = items.join(",");
    let path = package_with(&items);
    let dir = path.parent().unwrap();
    for name in [
        "Manifest.ocf.json",
        "StockClasses.ocf.json",
        "Stakeholders.ocf.json",
        "StockPlans.ocf.json",
        "Transactions.ocf.json",
    ] {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        assert_eq!(
            crate::ocf::schema_errors(&doc),
            Vec::<String>::new(),
            "{name}"
        );
    }
    // And what the import counts of it: common 1,000,000 − 1 − 400 + 50,000
    // + 400 − 400 (the repurchase takes all 400 it can, and is a gap) =
    // 1,049,599; options 200,000 − 50,000 = 150,000.
    let l = ledger(&items);
    assert_eq!(outstanding(&l, 0), d("1049599"));
    assert_eq!(pool(&l), d("150000"));
    assert_eq!(l.gaps.len(), 1, "{:?}", l.gaps);
}

/// The items of the exported file `name` of `charter` (in `charters/`).
fn exported_items(charter_file: &str, name: &str) -> Vec<serde_json::Value> {
    let c = common::load_file(charter_file);
    let e = ocf::export::export(&c, &[], None, "2026-01-01T00:00:00Z").unwrap();
    let text = &e.files.iter().find(|f| f.0 == name).unwrap().1;
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    doc["items"].as_array().unwrap().clone()
}

#[test]
fn the_export_keeps_par_issue_dates_and_caps_in_dollars() {
    // Avesta's common: par $0.01 (its `par $0.01`).
    let classes = exported_items("avesta.charter", "StockClasses.ocf.json");
    let common = classes.iter().find(|c| c["name"] == "Common").unwrap();
    assert_eq!(common["par_value"]["amount"], "0.01");
    // SCC's issuances dated when each series was first issued (`issued`):
    // A and B 1998-04-02, C 1999-12-30 — not the filing date for all.
    let tx = exported_items("scc.charter", "Transactions.ocf.json");
    let date_of = |class: &str| -> Vec<String> {
        tx.iter()
            .filter(|t| t["stock_class_id"] == class && t["object_type"] == "TX_STOCK_ISSUANCE")
            .map(|t| t["date"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(date_of("stock-class-A").iter().all(|d| d == "1998-04-02"));
    assert!(date_of("stock-class-C").iter().all(|d| d == "1999-12-30"));
    assert!(!date_of("stock-class-C").is_empty());
    // Quintus E participates until $10.375 in total, 2.5 × its $4.15 issue
    // price; F until $12.375, 1.5 × $8.25.
    let classes = exported_items("quintus.charter", "StockClasses.ocf.json");
    let cap = |name: &str| {
        classes.iter().find(|c| c["name"] == name).unwrap()["participation_cap_multiple"].clone()
    };
    assert_eq!(
        (cap("Series E"), cap("Series F")),
        (serde_json::json!("2.5"), serde_json::json!("1.5"))
    );
}

#[test]
fn a_ratio_with_a_zero_side_is_a_gap() {
    let classes = CLASSES.replace(
        r#""ratio": {"numerator": "1", "denominator": "1"}"#,
        r#""ratio": {"numerator": "1", "denominator": "0"}"#,
    );
    let tx = transactions(&stock("s1", "A-1", "ann", "sa", 100));
    let m = manifest(LISTS);
    let dir = folder(&[
        ("StockClasses.ocf.json", &classes),
        ("Stakeholders.ocf.json", STAKEHOLDERS),
        ("StockPlans.ocf.json", PLANS),
        ("Transactions.ocf.json", &tx),
        ("Manifest.ocf.json", &m),
    ]);
    let text = imported(&dir.join("Manifest.ocf.json")).text;
    assert!(
        text.contains("gives the ratio 1/0, and a ratio must be above zero on both sides"),
        "{text}"
    );
}

/// The import of a package of `items`, whose transactions file the
/// official schema accepts.
fn valid_import(items: &str) -> String {
    let path = package_with(items);
    let dir = path.parent().unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("Transactions.ocf.json")).unwrap())
            .unwrap();
    assert_eq!(crate::ocf::schema_errors(&doc), Vec::<String>::new());
    imported(&path).text
}

/// An imported charter without its `todo` lines, its filing date given.
fn without_todos_filed(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("todo \""))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replacen(
            "  jurisdiction \"Delaware\"",
            "  filed 2020-01-01\n  jurisdiction \"Delaware\"",
            1,
        )
}

/// A SAFE issued to Bob: $500,000, post-money, capped at $5M, a 20%
/// discount, an exit multiple of 3/2, MFN, with pro rata rights.
fn safe_issuance() -> String {
    r#"{"object_type": "TX_CONVERTIBLE_ISSUANCE", "id": "safe-1", "date": "2023-03-01", "security_id": "SAFE-1",
        "custom_id": "SAFE-1", "stakeholder_id": "bob", "convertible_type": "SAFE",
        "investment_amount": {"amount": "500000", "currency": "USD"}, "seniority": 1, "pro_rata": "500000",
        "security_law_exemptions": [],
        "conversion_triggers": [{"trigger_id": "t1", "type": "AUTOMATIC_ON_CONDITION", "trigger_condition": "equity financing",
          "conversion_right": {"type": "CONVERTIBLE_CONVERSION_RIGHT", "converts_to_future_round": true,
            "conversion_mechanism": {"type": "SAFE_CONVERSION", "conversion_timing": "POST_MONEY", "conversion_mfn": true,
              "conversion_valuation_cap": {"amount": "5000000", "currency": "USD"}, "conversion_discount": "0.2",
              "exit_multiple": {"numerator": "3", "denominator": "2"}}}}]}"#
        .to_string()
}

#[test]
fn a_safe_imports_as_a_safe_block_with_its_rank_left_to_state() {
    let items = [stock("s1", "CS-1", "ann", "cs", 4_500_000), safe_issuance()].join(",");
    let text = valid_import(&items);
    for line in [
        "safe SafeBob \"SAFE (Bob)\" {",
        "  post-money",
        "  purchase amount $500,000",
        "  valuation cap $5,000,000",
        // 100% less the 20% discount.
        "  discount rate 80%",
        // 3/2.
        "  exit multiple 1.5x",
        "  most favored nation",
        "  pro rata rights",
        "  issued 2023-03-01",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "no `{line}` in:\n{text}"
        );
    }
    assert!(
        text.contains("SAFE (Bob): where it ranks against the preferred"),
        "{text}"
    );
    // Ranked as the SAFE's Liquidity Priority says (ahead of common, on
    // par with the preferred: here Series A, of which none is outstanding),
    // its gaps filled: post-money $500K at a $5M cap owns 10% of the
    // whole; Liquidity Capitalization 4,500,000 common / 0.9 = 5,000,000,
    // so at $20M it converts for 10% = $2,000,000.
    let filled: String = without_todos_filed(&text)
        .replacen(
            "liquidation {",
            "liquidation {\n  SeriesA pari passu with SafeBob\n  shortfall SeriesA, SafeBob: ratably by full preferential amount\n  preference SeriesA: 1x original issue price\n  SeriesA does not participate",
            1,
        );
    let c = common::load("imported.charter", &filled);
    let p = common::payout(&c, "payout $20M");
    assert_eq!(common::class(&p, "SAFE (Bob)"), d("2000000.00"));
}

/// A note lent by Bob on 2024-01-01: $1,000,000 at 10% simple, actual/365,
/// capped at $10M, a 20% discount, an exit multiple of 2.
fn note_issuance() -> String {
    r#"{"object_type": "TX_CONVERTIBLE_ISSUANCE", "id": "note-1", "date": "2024-01-01", "security_id": "NOTE-1",
        "custom_id": "NOTE-1", "stakeholder_id": "bob", "convertible_type": "NOTE",
        "investment_amount": {"amount": "1000000", "currency": "USD"}, "seniority": 3,
        "security_law_exemptions": [],
        "conversion_triggers": [{"trigger_id": "t1", "type": "AUTOMATIC_ON_CONDITION", "trigger_condition": "qualified financing",
          "conversion_right": {"type": "CONVERTIBLE_CONVERSION_RIGHT", "converts_to_future_round": true,
            "conversion_mechanism": {"type": "CONVERTIBLE_NOTE_CONVERSION",
              "interest_rates": [{"rate": "0.1", "accrual_start_date": "2024-01-01"}],
              "day_count_convention": "ACTUAL_365", "interest_payout": "DEFERRED",
              "interest_accrual_period": "DAILY", "compounding_type": "SIMPLE",
              "conversion_valuation_cap": {"amount": "10000000", "currency": "USD"}, "conversion_discount": "0.2",
              "capitalization_definition": "fully diluted, excluding the notes",
              "exit_multiple": {"numerator": "2", "denominator": "1"}}}}]}"#
        .to_string()
}

#[test]
fn a_note_imports_as_a_note_block_with_its_form_and_sale_terms_left_to_state() {
    let items = [stock("s1", "CS-1", "ann", "cs", 4_500_000), note_issuance()].join(",");
    let text = valid_import(&items);
    for line in [
        "note NoteBob \"Note (Bob)\" {",
        "  principal $1,000,000",
        "  interest 10% per annum, accruing daily actual/365, simple",
        "  issued 2024-01-01",
        "  valuation cap $10,000,000",
        "  discount rate 80%",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "no `{line}` in:\n{text}"
        );
    }
    for gap in [
        "Note (Bob): whether the cap divides a capitalization",
        "fully diluted, excluding the notes",
        "OCF's exit multiple is 2/1",
        "Note (Bob): where it ranks against the preferred",
    ] {
        assert!(text.contains(gap), "no `{gap}` in:\n{text}");
    }
    // Its gaps filled as the note would state them: on 2025-01-01 it owes
    // $1M × (1 + 0.1 × 366/365) = $1,100,273.97…, and at $5M takes 2 × that,
    // $2,200,547.945…, ahead of common; to the cent its .52 of a cent beats
    // common's .48 for the one left: $2,200,547.95.
    let filled: String = without_todos_filed(&text)
        .replacen(
            "  principal $1,000,000",
            "  pre-money\n  change of control: 2x principal and interest, or conversion at the cap\n  principal $1,000,000",
            1,
        )
        .replacen(
            "liquidation {",
            "liquidation {\n  NoteBob senior to SeriesA\n  preference SeriesA: 1x original issue price\n  SeriesA does not participate",
            1,
        );
    let c = common::load("imported.charter", &filled);
    let mut s = charter::query::Session::new(&c);
    s.run("t", "on 2025-01-01").unwrap();
    let charter::query::Answer::Payout(p) = s.run("t", "payout $5M").unwrap() else {
        panic!()
    };
    assert_eq!(common::class(&p, "Note (Bob)"), d("2200547.95"));
}
