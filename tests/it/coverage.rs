//! `charters/COVERAGE.md` stays true: every section a seed charter's
//! `.charter` file cites has a row there, and every `file:line § section`
//! it names is a line of that file citing that section.

use std::collections::{BTreeMap, BTreeSet};

const CHARTERS: [&str; 5] = ["scc", "quintus", "juniper", "avesta", "model_series_a"];

fn read(name: &str) -> String {
    let path = format!("{}/charters/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The section cited after a `§` at the start of `s`: `2(a)(v)`, `A.6(b)(iv)`.
fn section(s: &str) -> Option<String> {
    let s = s.trim_start();
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    match chars.peek() {
        Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit() => {}
        _ => return None,
    }
    while let Some(&c) = chars.peek() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
            chars.next();
        } else {
            break;
        }
    }
    // Parenthesized parts, each letters or digits.
    loop {
        let rest: String = chars.clone().collect();
        let Some(inner) = rest.strip_prefix('(') else {
            break;
        };
        let Some(end) = inner.find(')') else { break };
        let part = &inner[..end];
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        out.push('(');
        out.push_str(part);
        out.push(')');
        for _ in 0..end + 2 {
            chars.next();
        }
    }
    Some(out)
}

/// Every section cited on line `text` outside comments.
fn cited_on(text: &str) -> Vec<String> {
    if text.trim_start().starts_with('#') {
        return Vec::new();
    }
    let code = text.split('#').next().unwrap_or("");
    code.split('§').skip(1).filter_map(section).collect()
}

/// Section → the lines citing it, per charter.
fn citations(name: &str) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, line) in read(&format!("{name}.charter")).lines().enumerate() {
        for s in cited_on(line) {
            out.entry(s).or_default().push(i + 1);
        }
    }
    out
}

/// The first cell of each table row under the heading that names `name`.
fn rows(coverage: &str, name: &str) -> BTreeSet<String> {
    let marker = format!("`charters/{name}.charter`");
    let mut inside = false;
    let mut out = BTreeSet::new();
    for line in coverage.lines() {
        if line.starts_with("## ") {
            inside = line.contains(&marker);
            continue;
        }
        if inside
            && line.starts_with("| ")
            && !line.starts_with("| § ")
            && let Some(cell) = line.split('|').nth(1)
        {
            out.insert(cell.trim().to_string());
        }
    }
    out
}

/// A reference: the charter, the line, the section cited there, and the
/// words of the clause the row relies on.
struct Reference {
    file: String,
    line: usize,
    cite: String,
    clause: String,
}

/// Every `` `name.charter:line § section — clause` `` in the page.
fn references(coverage: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for quoted in coverage.split('`').skip(1).step_by(2) {
        let Some((file, rest)) = quoted.split_once(".charter:") else {
            continue;
        };
        let Some((line, cited)) = rest.split_once(" § ") else {
            continue;
        };
        let Ok(line) = line.parse::<usize>() else {
            continue;
        };
        let (cite, clause) = cited.split_once(" — ").unwrap_or((cited, ""));
        out.push(Reference {
            file: file.to_string(),
            line,
            cite: cite.to_string(),
            clause: clause.to_string(),
        });
    }
    out
}

/// A line's clause, its words joined by single spaces (comments and the
/// citation left out).
fn clause_of(line: &str) -> String {
    let code = line.split('#').next().unwrap_or("");
    let code = code.split('§').next().unwrap_or("");
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sections_are_read_as_cited() {
    assert_eq!(section("2(a)(v)   x"), Some("2(a)(v)".to_string()));
    assert_eq!(section(" A.6(b)(iv) {"), Some("A.6(b)(iv)".to_string()));
    assert_eq!(section("A.3(e),(f)"), Some("A.3(e)".to_string()));
    assert_eq!(section("3(d)(iii)-(iv)"), Some("3(d)(iii)".to_string()));
    assert_eq!(section("FOURTH.2 {"), Some("FOURTH.2".to_string()));
    assert_eq!(section("(a)"), None);
    assert_eq!(cited_on("  # § 2(b) in a comment"), Vec::<String>::new());
    assert_eq!(
        cited_on("A senior to B   § 2(b) # § 9"),
        vec!["2(b)".to_string()]
    );
}

#[test]
fn every_cited_section_has_a_row() {
    let coverage = read("COVERAGE.md");
    let mut missing = Vec::new();
    for name in CHARTERS {
        let rows = rows(&coverage, name);
        let cited = citations(name);
        // The table was found: at least a row for each section cited.
        assert!(
            rows.len() >= cited.len().max(15),
            "{name}: only {} rows",
            rows.len()
        );
        for (s, lines) in cited {
            if !rows.contains(&s) {
                missing.push(format!("{name}.charter:{} § {s}", lines[0]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "sections cited but missing from charters/COVERAGE.md (add a row for each):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_reference_is_a_citing_line() {
    let coverage = read("COVERAGE.md");
    let refs = references(&coverage);
    assert!(refs.len() > 150, "only {} references", refs.len());
    let mut wrong = Vec::new();
    for r in refs {
        assert!(
            CHARTERS.contains(&r.file.as_str()),
            "unknown charter {}",
            r.file
        );
        if let Some(w) = mismatch(&r) {
            wrong.push(w);
        }
    }
    assert!(
        wrong.is_empty(),
        "references in charters/COVERAGE.md that do not match the charters:\n{}",
        wrong.join("\n")
    );
}

/// What is wrong with a reference, if anything, and where its clause is now.
fn mismatch(r: &Reference) -> Option<String> {
    let (file, line, cite) = (&r.file, r.line, &r.cite);
    let text = read(&format!("{file}.charter"));
    let source = text.lines().nth(line - 1).unwrap_or("");
    // A row names the clause it relies on, and the clause is there: a
    // row pointing at another clause citing the same section fails.
    let named = !r.clause.is_empty() && clause_of(source).contains(&r.clause);
    if !cited_on(source).contains(cite) || !named {
        let now = text
            .lines()
            .position(|l| {
                !r.clause.is_empty()
                    && clause_of(l).contains(&r.clause)
                    && cited_on(l).contains(cite)
            })
            .map(|i| format!("the clause is now on line {}", i + 1))
            .unwrap_or_else(|| match r.clause.is_empty() {
                true => "name the clause: `file:line § section — its words`".to_string(),
                false => "no line cites that section with that clause".to_string(),
            });
        return Some(format!(
            "{file}.charter:{line} § {cite} — {}: {now}",
            r.clause
        ));
    }
    None
}

/// A row that cites the right section on the right line but names another
/// clause is caught (the audit found rows pointing at the wrong clause).
#[test]
fn a_reference_to_another_clause_is_caught() {
    let text = read("scc.charter");
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| {
            l.contains("original issue price adjusted likewise")
                && cited_on(l).contains(&"2(a)(i)".to_string())
        })
        .unwrap();
    let right = Reference {
        file: "scc".into(),
        line: i + 1,
        cite: "2(a)(i)".into(),
        clause: clause_of(line),
    };
    assert!(mismatch(&right).is_none());
    let wrong = Reference {
        clause: "C participates until 1x original issue price more".into(),
        ..right
    };
    assert!(mismatch(&wrong).is_some());
}
