//! `compare with FILE [FROM TO] [as EVENT]`: the charter in the session (as
//! edited, with its events) against a file as saved, with the same events
//! replayed on it.

use std::path::Path;

use super::Repl;
use crate::diagnostic::{Problems, Source, attach};
use crate::render;

impl Repl {
    /// Runs `compare with ...` and prints the comparison.
    pub(super) fn compare(&mut self, line: &str) {
        self.warned = None;
        match self.comparison(line) {
            Ok(text) => {
                crate::out!("{text}");
                self.last = Some(text);
            }
            Err(p) => self.problems(&p),
        }
    }

    fn comparison(&mut self, line: &str) -> Result<String, Problems> {
        let source = Source::new("input", line);
        let at = |p| attach(vec![p], &source);
        let c = crate::syntax::parse_compare_with(line).map_err(at)?;
        let events = self.events();
        let Some(session) = self.session.as_mut() else {
            return Err(vec![crate::diagnostic::Problem::new(
                crate::diagnostic::Kind::Impossible(super::NOT_LOADED.to_string()),
                Default::default(),
                "",
            )]);
        };
        let path = Path::new(&c.file.node);
        let text = crate::input::read(path)?;
        let other = crate::check::load_with(
            &Source::new(path.display().to_string(), text.as_str()),
            &self.readings,
        )?;
        let mut theirs = Self::replay(&other, &events)?;
        let a = theirs.for_exits().map_err(at)?.clone();
        let b = session.for_exits().map_err(at)?;
        let la = path.file_name().map_or_else(
            || c.file.node.clone(),
            |n| format!("{} as saved", n.to_string_lossy()),
        );
        let edited = self.loaded.as_ref().is_some_and(|l| l.text != l.saved);
        let lb = if edited { "as edited" } else { "this session" };
        let cmp = crate::analysis::compare::compare(
            (&la, &a),
            (lb, b),
            c.range.as_ref().map(|(f, t)| (f, t)),
            c.event.as_ref(),
            false,
            crate::ir::Span::new(0, line.len()),
        )
        .map_err(at)?;
        Ok(if self.json {
            format!("{}\n", render::analysis::comparison_json(&cmp))
        } else {
            render::fit(&render::analysis::comparison(&cmp))
        })
    }
}
