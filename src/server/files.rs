//! The served folder: which charters the page may read and save, by name,
//! never a path outside the folder — no `..`, no absolute path, no symlink
//! out of it.

use std::path::{Path, PathBuf};

/// What `charter serve` was given: a folder, or one file in it.
#[derive(Debug, Clone)]
pub struct Served {
    /// The folder, canonical.
    pub root: PathBuf,
    /// The one file's name, when a file was given.
    pub only: Option<String>,
}

/// Why a name is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a plain `NAME.charter` in the folder.
    BadName,
    /// It resolves outside the folder (a symlink out of it).
    Outside,
    /// Not one of the files served.
    NotServed,
    /// No such file.
    Missing,
}

impl Served {
    /// The folder and file `path` names.
    pub fn new(path: &Path) -> std::io::Result<Served> {
        let canonical = path.canonicalize()?;
        if canonical.is_dir() {
            return Ok(Served {
                root: canonical,
                only: None,
            });
        }
        let root = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        Ok(Served { root, only: name })
    }

    /// The charters served, by name, sorted.
    pub fn list(&self) -> Vec<String> {
        if let Some(only) = &self.only {
            return vec![only.clone()];
        }
        let mut out: Vec<String> = std::fs::read_dir(&self.root)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|n| plain(n))
                    .filter(|n| self.path(n, true).is_ok())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The path of charter `name`: a plain `NAME.charter` in the folder (one
    /// of those served), which must exist when `existing`, and which
    /// resolves inside the folder.
    pub fn path(&self, name: &str, existing: bool) -> Result<PathBuf, Refused> {
        if !plain(name) {
            return Err(Refused::BadName);
        }
        if self.only.as_deref().is_some_and(|o| o != name) {
            return Err(Refused::NotServed);
        }
        let path = self.root.join(name);
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.root) && real.is_file() => Ok(real),
            Ok(_) => Err(Refused::Outside),
            Err(_) if existing => Err(Refused::Missing),
            // A new file: its name is plain, so it is in the folder.
            Err(_) => Ok(path),
        }
    }
}

/// A plain file name ending `.charter`: letters, digits, `_`, `-`, `.`,
/// not starting with a dot.
fn plain(name: &str) -> bool {
    name.ends_with(".charter")
        && name.len() > ".charter".len()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn only_plain_charter_names() {
        assert!(plain("avesta.charter"));
        assert!(plain("a-b_c.v2.charter"));
        for bad in [
            "../x.charter",
            "/etc/passwd",
            "x.txt",
            ".charter",
            ".hidden.charter",
            "a/b.charter",
            "a\\b.charter",
            "a%2e.charter\u{0}",
        ] {
            assert!(!plain(bad), "{bad}");
        }
    }
}
