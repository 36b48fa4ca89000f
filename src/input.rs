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
    read_opened(path, max, what, true)
}

/// Reads a charter file as [`read`] does, but never through a symbolic
/// link in its last component: the server resolves a name, checks where it
/// leads, and then reads that path — a link swapped in between is refused,
/// not followed out of the folder.
pub fn read_no_follow(path: &Path) -> Result<String, Problems> {
    read_opened(path, MAX_FILE, "a charter file", false)
}

/// Opens `path` once and reads what was opened: the checks (a regular
/// file, at most `max` bytes) and the read are of the same file, whatever
/// the path names by then. Opened without blocking, so that a FIFO put in
/// its place is refused rather than waited on.
fn read_opened(path: &Path, max: u64, what: &str, follow: bool) -> Result<String, Problems> {
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
    let file = open(path, follow).map_err(|e| unreadable(crate::diagnostic::io_reason(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| unreadable(crate::diagnostic::io_reason(&e)))?;
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
    // At most one byte more than allowed: a file that grew after the check
    // is refused, not read to its end.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&file, max.saturating_add(1)),
        &mut bytes,
    )
    .map_err(|e| unreadable(crate::diagnostic::io_reason(&e)))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(unreadable(format!(
            "it grew past the {} bytes {what} may be while it was read",
            crate::num::shares(max.into())
        )));
    }
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

/// `path` opened for reading: on Unix without blocking (a FIFO) and, unless
/// `follow`, not through a symbolic link.
#[cfg(unix)]
fn open(path: &Path, follow: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = libc::O_NONBLOCK | if follow { 0 } else { libc::O_NOFOLLOW };
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
}

/// `path` opened for reading.
#[cfg(not(unix))]
fn open(path: &Path, _follow: bool) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The largest file read, in bytes: 16 MB, far above any certificate of
/// incorporation, and small enough to check in seconds.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The largest OCF file read: 512 MB, about a million transactions (an OCF
/// issuance is some 500 bytes of JSON); the import is linear in them.
pub const MAX_OCF_FILE: u64 = 512 * 1024 * 1024;
