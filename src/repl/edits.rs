//! What-if edits of the loaded charter in memory: `:replace`, `:add`,
//! `:reading`, `:diff` against the file as saved, and `:save`.

use super::*;

impl Repl {
    /// `:save FILE`: writes the charter as edited; saving over the loaded
    /// file makes the edit the new baseline for `:diff`. `:save` alone
    /// writes back to the loaded file, once confirmed by a second `:save`.
    pub(super) fn save(&mut self, file: &str) {
        let Some((back, unchanged)) = self
            .loaded
            .as_ref()
            .map(|l| (l.path.display().to_string(), l.text == l.saved))
        else {
            self.warned = None;
            return crate::outln!("{NOT_LOADED}");
        };
        let file = if file.is_empty() { back.as_str() } else { file };
        // Confirmed only by a second `:save` of the same file.
        let confirmed = self.warned == Some(":save") && self.save_to.as_deref() == Some(file);
        self.warned = None;
        self.save_to = None;
        let shown = crate::diagnostic::printable_line(file);
        if file == back && unchanged {
            return crate::outln!("no edits to save: {shown} is as loaded");
        }
        // Not a folder, a FIFO (the write would never end) or a device,
        // and not into a folder that does not exist.
        if let Err(p) = crate::output::may_write(Path::new(file), true) {
            return self.problems(&vec![p]);
        }
        let asked = if file == back && !confirmed {
            Some(format!("`:save` again writes the edits over {shown}"))
        } else if file != back && Path::new(file).exists() && !confirmed {
            // Another file that exists is overwritten only when asked
            // twice, typed or in a script: a path mistyped must not cost a
            // file.
            Some(format!(
                "{shown} exists: `:save {shown}` again writes over it"
            ))
        } else {
            None
        };
        if let Some(question) = asked {
            self.warned = Some(":save");
            self.save_to = Some(file.to_string());
            return crate::outln!("{question}");
        }
        let Some(l) = self.loaded.as_mut() else {
            return crate::outln!("{NOT_LOADED}");
        };
        match std::fs::write(file, &l.text) {
            Ok(()) => {
                crate::outln!("saved {shown}");
                if Path::new(file) == l.path {
                    l.saved = l.text.clone();
                }
            }
            Err(e) => {
                let p = Problem::new(
                    Kind::Unwritable {
                        path: file.to_string(),
                        reason: crate::diagnostic::io_reason(&e),
                    },
                    Default::default(),
                    "",
                )
                .with_help("check that the folder exists and can be written");
                self.problems(&vec![p]);
            }
        }
    }

    /// `:replace "old text" with "new text"`: a what-if edit of the charter in memory.
    pub(super) fn replace(&mut self, arg: &str) {
        let parts: Vec<&str> = arg.split('"').collect();
        let (Some(old), Some(new)) = (parts.get(1).filter(|o| !o.is_empty()), parts.get(3)) else {
            crate::outln!("usage: :replace \"clause as written\" with \"new clause\"");
            return;
        };
        let Some(l) = self.loaded() else { return };
        match l.text.matches(old).count() {
            0 => return crate::outln!("the charter does not contain \"{old}\""),
            1 => {}
            n => return crate::outln!("\"{old}\" occurs {n} times: quote more of the clause"),
        }
        let text = l.text.replacen(old, new, 1);
        self.edit(text);
    }

    /// `:add TEXT`: a block (or several) appended to the charter in memory,
    /// such as a protective provision the file lacks.
    pub(super) fn add(&mut self, arg: &str) {
        let Some(l) = self.loaded() else { return };
        if arg.is_empty() {
            return crate::outln!("usage: :add BLOCK, e.g. `:add redemption § 9 {{ ... }}`");
        }
        let text = format!("{}\n{arg}\n", l.text.trim_end());
        self.edit(text);
    }

    /// `text` checked under the chosen readings, and a session with the
    /// scenario's events replayed on it.
    pub(super) fn relower(&self, name: String, text: &str) -> Result<(Charter, Session), Problems> {
        let charter = crate::check::load_with(&Source::new(name, text), &self.readings)?;
        let session = Self::replay(&charter, &self.events())?;
        Ok((charter, session))
    }

    /// Makes `text` the charter of the session if it checks and the
    /// scenario's events still apply; otherwise shows why and keeps the old.
    pub(super) fn edit(&mut self, text: String) {
        let Some(l) = &self.loaded else { return };
        let name = format!("{} (edited)", l.path.display());
        let checked = self.relower(name, &text);
        match checked {
            Ok((charter, session)) => {
                self.session = Some(session);
                if let Some(l) = self.loaded.as_mut() {
                    l.text = text;
                    l.charter = charter;
                }
                self.refresh_names();
                crate::outln!(
                    "edited in memory (`:diff STATEMENT` compares with the file; `:save` writes it back)"
                );
            }
            Err(p) => self.problems(&p),
        }
    }

    /// `:reading [NAME=ALTERNATIVE]`: lists the readings the file offers, or
    /// reads the charter (as edited, events kept) under another.
    pub(super) fn reading(&mut self, arg: &str) {
        let Some(l) = self.loaded() else { return };
        if arg.is_empty() {
            if l.charter.readings.is_empty() {
                return crate::outln!(
                    "{} offers no readings to choose from",
                    crate::diagnostic::shown_path(&l.path)
                );
            }
            return crate::out!("{}", render::readings(&l.charter.readings));
        }
        let Some(choice) = crate::check::readings::parse_choice(arg) else {
            return crate::outln!(
                "usage: :reading NAME=ALTERNATIVE, e.g. `:reading day count=actual/actual`"
            );
        };
        let mut offered = l.charter.readings.clone();
        let mut problems = Vec::new();
        crate::check::readings::choose(&mut offered, std::slice::from_ref(&choice), &mut problems);
        if !problems.is_empty() {
            let p = crate::diagnostic::attach(problems, &Source::new("input", arg));
            return self.problems(&p);
        }
        let text = l.text.clone();
        let name = l.path.display().to_string();
        let before = self.readings.clone();
        self.readings
            .retain(|c| c.reading.node != choice.reading.node);
        self.readings.push(choice.clone());
        let checked = self.relower(name, &text);
        match checked {
            Ok((charter, session)) => {
                self.session = Some(session);
                if let Some(l) = self.loaded.as_mut() {
                    l.charter = charter;
                }
                crate::outln!(
                    "reading \"{}\" as \"{}\" (the events kept)",
                    choice.reading.node,
                    choice.alternative.node
                );
            }
            Err(p) => {
                self.readings = before;
                self.problems(&p);
            }
        }
    }

    /// `:diff STATEMENT`: the statement's answer on the file as saved and as edited.
    pub(super) fn diff(&mut self, statement: &str) {
        let Some(l) = self.loaded() else { return };
        if statement.is_empty() {
            return crate::outln!("usage: :diff STATEMENT, e.g. `:diff payout $80M`");
        }
        let events = self.events();
        let render_on = |text: &str| -> String {
            let source = Source::new(l.path.display().to_string(), text);
            let charter = match crate::check::load_with(&source, &self.readings) {
                Ok(c) => c,
                Err(p) => return render::diagnostics::render(&p, false),
            };
            let mut s = match Self::replay(&charter, &events) {
                Ok(s) => s,
                Err(p) => return render::diagnostics::render(&p, false),
            };
            match s.run("input", statement) {
                Ok(a) => render::text(&a, &s),
                Err(p) => render::diagnostics::render(&p, false),
            }
        };
        let before = render_on(&l.saved);
        let after = render_on(&l.text);
        if before == after {
            // The same answer (or the same problem) both ways: show it.
            crate::out!("no difference; as saved and as edited:\n{before}");
            return;
        }
        crate::out!(
            "{}",
            crate::render::diff(&before, &after, "as saved", "as edited")
        );
    }
}
