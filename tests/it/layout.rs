//! The layout stays honest (ARCHITECTURE.md): no source file in `src/` over
//! 600 lines, no function over 100 lines, no import cycle between the
//! top-level modules or between the modules of one folder, and no patch or
//! editor leftover among the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines a source file may have.
const FILE_LINES: usize = 600;

/// The most lines a function may have, braces included.
const FUNCTION_LINES: usize = 100;

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Each function's name and length in lines: from its `fn` line to the
/// closing brace at the same indentation.
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let body = l.trim_start();
        let indent = l.len() - body.len();
        let rest = [
            "pub(crate) fn ",
            "pub(super) fn ",
            "pub fn ",
            "const fn ",
            "fn ",
        ]
        .iter()
        .find_map(|p| body.strip_prefix(p));
        let Some(rest) = rest else { continue };
        if l.trim_end().ends_with(';') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) = lines[i..].iter().position(|x| x.trim_end() == close) {
            out.push((name, end + 1));
        }
    }
    out
}

#[test]
fn no_file_is_over_six_hundred_lines() {
    let long: Vec<String> = sources()
        .iter()
        .filter(|(_, t)| t.lines().count() > FILE_LINES)
        .map(|(p, t)| format!("{p}: {} lines", t.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these by what they do: {long:?}");
}

#[test]
fn no_function_is_over_a_hundred_lines() {
    let mut problems = Vec::new();
    for (path, text) in sources() {
        for (name, n) in functions(&text) {
            if n > FUNCTION_LINES {
                problems.push(format!(
                    "{path}: `{name}` has {n} lines (at most {FUNCTION_LINES}): split it by the steps it takes (ARCHITECTURE.md)"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The modules a source refers to by path, comments left out: `crate::X`
/// for the top level, `super::X` and `crate::DIR::X` within a folder.
fn references(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                for part in group.split('}').next().unwrap_or("").split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(x) = stack.pop() {
            for y in graph.get(&x).into_iter().flatten() {
                if seen.insert(y.clone()) {
                    stack.push(y.clone());
                }
            }
        }
        seen
    };
    let mut out = Vec::new();
    for (a, deps) in graph {
        for b in deps {
            if reach(b).contains(a) {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

#[test]
fn no_import_cycles() {
    let sources = sources();
    // Top level: src/X.rs and src/X/**.
    let top = |p: &str| {
        let rest = p.strip_prefix("src/").unwrap();
        rest.split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string()
    };
    let names: BTreeSet<String> = sources.iter().map(|(p, _)| top(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in &sources {
        let from = top(path);
        // Unit tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for to in references(code, "crate::") {
            if to != from && names.contains(&to) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let top_cycles = cycles(&graph);
    assert!(top_cycles.is_empty(), "top-level cycles: {top_cycles:?}");
    // Within each folder: sibling files.
    let folders: BTreeSet<String> = sources
        .iter()
        .filter_map(|(p, _)| p.rsplit_once('/').map(|x| x.0.to_string()))
        .collect();
    for dir in folders {
        let siblings: BTreeSet<String> = sources
            .iter()
            .filter_map(|(p, _)| {
                let (d, f) = p.rsplit_once('/')?;
                (d == dir && f != "mod.rs").then(|| f.trim_end_matches(".rs").to_string())
            })
            .chain(sources.iter().filter_map(|(p, _)| {
                let rest = p.strip_prefix(&format!("{dir}/"))?;
                let (sub, _) = rest.split_once('/')?;
                Some(sub.to_string())
            }))
            .collect();
        let module = dir.strip_prefix("src/").unwrap_or("").replace('/', "::");
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (path, text) in &sources {
            let Some((d, f)) = path.rsplit_once('/') else {
                continue;
            };
            if d != dir || f == "mod.rs" {
                continue;
            }
            let from = f.trim_end_matches(".rs").to_string();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let mut refs = references(code, "super::");
            if !module.is_empty() {
                refs.extend(references(code, &format!("crate::{module}::")));
            }
            for to in refs {
                if to != from && siblings.contains(&to) {
                    graph.entry(from.clone()).or_default().insert(to);
                }
            }
        }
        let found = cycles(&graph);
        assert!(found.is_empty(), "cycles in {dir}: {found:?}");
    }
}

/// No leftover of a patch (`.orig`, `.rej`) or an editor (`~`) sits among
/// the sources: one was once committed beside `value.rs` unnoticed.
#[test]
fn no_patch_or_editor_leftovers() {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                walk(&p, out);
            } else if name.ends_with(".orig") || name.ends_with(".rej") || name.ends_with('~') {
                out.push(p.display().to_string());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in [
        "src",
        "tests",
        "grammar",
        "benches",
        "charters",
        "docs",
        "snapshots",
    ] {
        walk(&root.join(dir), &mut found);
    }
    assert!(found.is_empty(), "remove: {found:?}");
}
