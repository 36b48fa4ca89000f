//! Resolving class names written in clauses, with suggestions for misspellings.

use indexmap::IndexMap;

use crate::diagnostic::{Kind, Problem};
use crate::ir::ClassId;
use crate::syntax::ast::Spanned;

/// The names by which each class may be referred to: its short name and its
/// display name.
#[derive(Debug, Default)]
pub struct Names {
    by_name: IndexMap<String, ClassId>,
    /// "Did you mean" searches made so far: each compares the name with
    /// every class, so they stop at [`SUGGESTED`] and a file of thousands of
    /// unknown names stays linear (only the first problems are drawn).
    suggested: std::cell::Cell<usize>,
}

/// The unknown names that get a "did you mean" search; the rest get the
/// list of classes. Well above the problems drawn.
const SUGGESTED: usize = 200;

impl Names {
    /// Registers `name` for `id`; returns the earlier class if the name is taken.
    pub fn insert(&mut self, name: &str, id: ClassId) -> Option<ClassId> {
        match self.by_name.get(name) {
            Some(&other) if other != id => Some(other),
            Some(_) => None,
            None => {
                self.by_name.insert(name.to_string(), id);
                None
            }
        }
    }

    /// Resolves a reference, or explains that no class has that name.
    pub fn resolve(&self, name: &Spanned<String>) -> Result<ClassId, Problem> {
        self.by_name.get(&name.node).copied().ok_or_else(|| {
            let problem = Problem::new(
                Kind::UnknownClass(name.node.clone()),
                name.span,
                "not a class declared in this file",
            );
            match self.suggest(&name.node) {
                Some(s) => problem.with_help(s),
                None => problem.with_help(format!(
                    "declare it with a `stock` block, or use one of: {}",
                    self.listing()
                )),
            }
        })
    }

    /// Resolves every reference in a list, collecting problems.
    pub fn resolve_all(
        &self,
        names: &[Spanned<String>],
        problems: &mut Vec<Problem>,
    ) -> Vec<(ClassId, Spanned<String>)> {
        names
            .iter()
            .filter_map(|n| match self.resolve(n) {
                Ok(id) => Some((id, n.clone())),
                Err(p) => {
                    problems.push(p);
                    None
                }
            })
            .collect()
    }

    fn suggest(&self, name: &str) -> Option<String> {
        let made = self.suggested.get();
        if made >= SUGGESTED {
            return None;
        }
        self.suggested.set(made.saturating_add(1));
        let mut names: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        names.sort_unstable();
        crate::diagnostic::did_you_mean(name, names)
    }

    fn listing(&self) -> String {
        crate::check::names::names_list(self.by_name.keys().map(|k| format!("`{k}`")))
    }
}

/// Names joined by commas, the first [`crate::num::NAMES_SHOWN`] written out and the
/// rest counted ("and 4,988 more"): a message stays readable, and its size
/// bounded, however many classes or holders a charter declares. Only the
/// names shown are formatted.
pub fn names_list<I: ExactSizeIterator<Item = String>>(items: I) -> String {
    crate::num::joined_list(items, ", ")
}
