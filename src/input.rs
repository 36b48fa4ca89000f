//! Reading charter files: only a regular file of a bounded size, as UTF-8
//! text, with a diagnostic a reader can act on for anything else. The
//! command line and the REPL both read through here.

use std::path::Path;

use crate::diagnostic::{Kind, Problem, Problems};

/// Reads a file as UTF-8 text, or explains why it cannot.
pub fn read(path: &Path) -> Result<String, Problems> {
    read_within(path, MAX_FILE, "a charter file")
}

/// Reads a file of at most `max` bytes as UTF-8 text (`what` names the kind
/// of file in the message), or explains why it cannot.
pub fn read_within(path: &Path, max: u64, what: &str) -> Result<String, Problems> {
    let unreadable = |reason: String| {
        vec![
            Problem::new(
                Kind::Unreadable {
                    path: path.display().to_string(),
                    reason,
                },
                Default::default(),
                "",
            )
            .with_help("check the path and that the file is a text file"),
        ]
    };
    // Only a regular file of a bounded size is read: a device (`/dev/zero`)
    // would fill memory, and a FIFO would block for ever.
    let meta = std::fs::metadata(path).map_err(|e| unreadable(crate::diagnostic::io_reason(&e)))?;
    if !meta.is_file() {
        return Err(unreadable(
            "it is not a regular file (a folder, a device or a pipe)".to_string(),
        ));
    }
    if meta.len() > max {
        return Err(unreadable(format!(
            "it is {} bytes, more than the {} {what} may be",
            crate::num::shares(meta.len().into()),
            crate::num::shares(max.into())
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(crate::diagnostic::io_reason(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        // Shown where it is: the text up to the bad byte is intact, and the
        // byte becomes U+FFFD (three bytes) in a lossy copy for the excerpt.
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let source = crate::diagnostic::Source::new(path.display().to_string(), lossy);
        vec![
            Problem::new(
                Kind::Unreadable {
                    path: path.display().to_string(),
                    reason: format!("it is not UTF-8 text (invalid byte at offset {at})"),
                },
                crate::ir::Span::new(at, at.saturating_add('\u{fffd}'.len_utf8())),
                "not UTF-8",
            )
            .with_help("save the file as UTF-8 text (most editors offer it under \"Save As\" or \"Encoding\")")
            .with_source(&source),
        ]
    })
}

/// The largest file read, in bytes: 16 MB, far above any certificate of
/// incorporation, and small enough to check in seconds.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The largest OCF file read: 512 MB, about a million transactions (an OCF
/// issuance is some 500 bytes of JSON); the import is linear in them.
pub const MAX_OCF_FILE: u64 = 512 * 1024 * 1024;
