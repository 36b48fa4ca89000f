//! The served folder: which charters the page may read and save, by name,
//! never a path outside the folder — no `..`, no absolute path, no symlink
//! out of it (nor a dangling one, which a save would follow out), nothing
//! but regular files. A save writes a new file beside the old and renames
//! it over, so a charter is never left half written.

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
    /// Not a regular file (a folder, a device, a dangling symlink).
    NotFile,
}

/// Why a save failed.
#[derive(Debug)]
pub enum Unsaved {
    /// The name is refused.
    Refused(Refused),
    /// The file system refused.
    Io(std::io::Error),
    /// More than a charter file may be: it could not be read back.
    TooLarge,
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
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            // Nothing there, not even a dangling link: a new file, and
            // its name is plain, so it is in the folder.
            return if existing {
                Err(Refused::Missing)
            } else {
                Ok(path)
            };
        };
        match path.canonicalize() {
            Ok(real) if !real.starts_with(&self.root) => Err(Refused::Outside),
            Ok(real) if real.is_file() => Ok(real),
            Ok(_) => Err(Refused::NotFile),
            // A link to nothing: a save would create its target, wherever
            // it points.
            Err(_) if meta.file_type().is_symlink() => Err(Refused::Outside),
            Err(_) => Err(Refused::NotFile),
        }
    }

    /// Saves `text` as charter `name`: written to a new file in the folder
    /// and renamed over the old one (or the file a link in the folder
    /// points to, inside it).
    pub fn save(&self, name: &str, text: &str) -> Result<(), Unsaved> {
        use std::io::Write;
        if u64::try_from(text.len()).unwrap_or(u64::MAX) > crate::input::MAX_FILE {
            return Err(Unsaved::TooLarge);
        }
        let path = self.path(name, false).map_err(Unsaved::Refused)?;
        // The file keeps who may read it: a private cap table stays private.
        let permissions = std::fs::metadata(&path).ok().map(|m| m.permissions());
        let folder = path.parent().unwrap_or(&self.root);
        // One name per save, so two saves at once never share it.
        static SAVES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = folder.join(format!(".{name}.saving-{}-{n}", std::process::id()));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut f| {
                if let Some(p) = permissions {
                    f.set_permissions(p)?;
                }
                f.write_all(text.as_bytes())?;
                f.sync_all()
            })
            .and_then(|()| std::fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written.map_err(Unsaved::Io)
    }

    /// The text of `NAME.charter.test` beside served charter `name`, if
    /// there is one (a regular file inside the folder).
    pub fn companion(&self, name: &str) -> Option<String> {
        let charter = self.path(name, true).ok()?;
        let path = std::path::PathBuf::from(format!("{}.test", charter.display()));
        let real = path.canonicalize().ok()?;
        if !real.starts_with(&self.root) || !real.is_file() {
            return None;
        }
        crate::input::read_no_follow(&real).ok()
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
