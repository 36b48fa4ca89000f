//! Which clauses differ between two charter files: each block's lines
//! (comments dropped, spaces collapsed) matched by text, the rest paired by
//! the section they cite, so that "§ 2(b): 1x ... → 2x ..." reads as one
//! change. `expect` and `snapshot` blocks are tests, not provisions, and are
//! left out. Linear in the lines, with a hash set per block.

use std::collections::HashMap;

/// A clause that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseChange {
    /// The block it is in: `liquidation`, `stock A "Series A"`.
    pub block: String,
    /// The section it cites, or its block's; empty when neither says.
    pub section: String,
    /// Its text in A; `None` when only B has it.
    pub a: Option<String>,
    /// Its text in B; `None` when only A has it.
    pub b: Option<String>,
}

/// One block of a file: its heading (without its section), its section,
/// and its clauses with theirs.
struct Block {
    heading: String,
    section: String,
    clauses: Vec<(String, String)>,
}

/// The clauses of `a` and `b` that differ, in A's order of blocks, then B's.
pub fn changes(a: &str, b: &str) -> Vec<ClauseChange> {
    let (blocks_a, blocks_b) = (blocks(a), blocks(b));
    let mut out = Vec::new();
    let empty = Vec::new();
    let find = |list: &[Block], heading: &str| -> Option<usize> {
        list.iter().position(|x| x.heading == heading)
    };
    for x in &blocks_a {
        let other = find(&blocks_b, &x.heading)
            .and_then(|i| blocks_b.get(i))
            .map_or(&empty, |y| &y.clauses);
        out.extend(block_changes(&x.heading, &x.clauses, other));
    }
    for y in blocks_b
        .iter()
        .filter(|y| find(&blocks_a, &y.heading).is_none())
    {
        out.extend(block_changes(&y.heading, &empty, &y.clauses));
    }
    out
}

/// The clauses of one block that differ: those in both are dropped; the
/// rest are paired by section in order.
fn block_changes(
    heading: &str,
    a: &[(String, String)],
    b: &[(String, String)],
) -> Vec<ClauseChange> {
    let mut in_b: HashMap<&str, usize> = HashMap::new();
    for (text, _) in b {
        let n = in_b.entry(text.as_str()).or_default();
        *n = n.saturating_add(1);
    }
    let mut only_a = Vec::new();
    for (text, section) in a {
        match in_b.get_mut(text.as_str()) {
            Some(n) if *n > 0 => *n = n.saturating_sub(1),
            _ => only_a.push((text, section)),
        }
    }
    let mut in_a: HashMap<&str, usize> = HashMap::new();
    for (text, _) in a {
        let n = in_a.entry(text.as_str()).or_default();
        *n = n.saturating_add(1);
    }
    let mut only_b: Vec<Option<(&String, &String)>> = Vec::new();
    for (text, section) in b {
        match in_a.get_mut(text.as_str()) {
            Some(n) if *n > 0 => *n = n.saturating_sub(1),
            _ => only_b.push(Some((text, section))),
        }
    }
    let mut out = Vec::new();
    for (text, section) in only_a {
        let pair = only_b
            .iter_mut()
            .find(|y| y.is_some_and(|(_, s)| s == section && !s.is_empty()))
            .and_then(Option::take);
        out.push(ClauseChange {
            block: heading.to_string(),
            section: section.clone(),
            a: Some(text.clone()),
            b: pair.map(|(t, _)| t.clone()),
        });
    }
    for (text, section) in only_b.into_iter().flatten() {
        out.push(ClauseChange {
            block: heading.to_string(),
            section: section.clone(),
            a: None,
            b: Some(text.clone()),
        });
    }
    out
}

/// The blocks of a file, read line by line: a line at the top level that
/// opens a brace starts a block; every line inside it is one of its
/// clauses, and a block written on one line is one clause.
fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    let mut skipping = false;
    // A heading may run over lines before its brace (`expect "..." § 6` and
    // `quoting "..." {` on the next).
    let mut pending = String::new();
    for raw in text.lines() {
        let line = collapse(strip_comment(raw));
        if line.is_empty() {
            continue;
        }
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        if depth == 0 {
            if ["options ", "warrants ", "todo "]
                .iter()
                .any(|w| line.starts_with(w))
            {
                // A pool or a gap is declared on one line, without a block.
                let (_, s) = split_section(&line);
                out.push(Block {
                    heading: line.clone(),
                    section: s,
                    clauses: Vec::new(),
                });
            } else if let Some((head, rest)) = line.split_once('{') {
                let head = collapse(&format!("{pending} {head}"));
                pending.clear();
                let (heading, section) = split_section(&head);
                skipping = heading.starts_with("expect") || heading.starts_with("snapshot");
                let body = rest.trim_end_matches('}').trim();
                let mut clauses = Vec::new();
                if !body.is_empty() {
                    let (_, s) = split_section(body);
                    let s = if s.is_empty() { section.clone() } else { s };
                    clauses.push((body.to_string(), s));
                }
                if !skipping {
                    out.push(Block {
                        heading,
                        section,
                        clauses,
                    });
                }
            } else {
                pending = collapse(&format!("{pending} {line}"));
            }
        } else if !skipping {
            let clause = line.trim_end_matches(['{', '}']).trim();
            if let Some(block) = out.last_mut().filter(|_| !clause.is_empty()) {
                let (_, s) = split_section(clause);
                let section = if s.is_empty() {
                    block.section.clone()
                } else {
                    s
                };
                block.clauses.push((clause.to_string(), section));
            }
        }
        depth = depth.saturating_add(opens).saturating_sub(closes);
    }
    out
}

/// A line without its comment: a `#` outside quotes starts one.
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '#' if !quoted => return line.get(..i).unwrap_or(line),
            _ => {}
        }
    }
    line
}

/// Runs of spaces made one, ends trimmed.
fn collapse(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading or clause and the section it cites (`§ 2(b)`, `section 4`),
/// if it ends with one.
fn split_section(text: &str) -> (String, String) {
    let at = text.find('§').or_else(|| text.find("section "));
    match at {
        Some(i) => {
            let rest = text.get(i..).unwrap_or("");
            // A reading's `quoting "..."` after its section is not part of it.
            let section = rest.split(" quoting ").next().unwrap_or(rest);
            (
                text.get(..i).unwrap_or(text).trim().to_string(),
                section.trim().to_string(),
            )
        }
        None => (text.trim().to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_multiple_is_one_change_and_comments_do_not_count() {
        let a = "liquidation § 2 {\n  preference A: 1x original issue price § 2(a)\n  A does not participate § 2(b)\n}\n";
        let b = "liquidation § 2 {\n  # a comment\n  preference A: 1x original issue price   § 2(a)\n  A participates § 2(b)\n}\nexpect \"x\" { payout $1 }\n";
        let c = changes(a, b);
        assert_eq!(
            c,
            vec![ClauseChange {
                block: "liquidation".to_string(),
                section: "§ 2(b)".to_string(),
                a: Some("A does not participate § 2(b)".to_string()),
                b: Some("A participates § 2(b)".to_string()),
            }]
        );
    }
}
