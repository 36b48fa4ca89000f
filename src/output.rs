//! Standard output for the command line and the REPL. A reader that stops
//! early (`| head -1`) ends the program quietly with success, as `cat` and
//! `grep` do; any other failure to write (a full disk, `>/dev/full`) is a
//! diagnostic on standard error and exit code 1. Standard error itself is
//! written by [`errln!`]: when even it cannot be written (`2>/dev/full`, a
//! closed pipe) the program ends with exit code 1, having nowhere to say
//! why. Nothing written is ever dropped silently, and nothing panics.

use std::io::Write;

use crate::diagnostic::{Kind, Problem};

/// Whether standard output takes colour: a terminal, and `NO_COLOR` unset.
/// Here, below the command line and the REPL that both ask.
pub fn color() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdout()) && std::env::var_os("NO_COLOR").is_none()
}

/// Writes `args` to standard output and flushes it.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        stop(&e);
    }
}

/// Ends the program after a failed write to standard output.
pub fn stop(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let problem = unwritable(&crate::diagnostic::io_reason(e));
    write_err(format_args!(
        "{}",
        crate::render::diagnostics::render(&[problem], false)
    ));
    std::process::exit(1);
}

/// Writes `args` to standard error and flushes it; ends the program with
/// exit code 1 if standard error cannot be written.
pub fn write_err(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    if err.write_fmt(args).and_then(|()| err.flush()).is_err() {
        std::process::exit(1);
    }
}

/// Standard output could not be written.
pub fn unwritable(reason: &str) -> Problem {
    unwritable_at("standard output", reason)
}

/// A file the command was asked to write that cannot be written.
pub fn unwritable_file(path: &std::path::Path, e: &std::io::Error) -> Problem {
    unwritable_at(
        &path.display().to_string(),
        &crate::diagnostic::io_reason(e),
    )
}

/// The one rule for every file charter writes (`chart --out`, `compare
/// --chart`, `import ocf --out`, `export ocf --out`, the REPL's `:save`): a
/// file that exists is replaced only when asked (`force`); nothing but a
/// regular file is written — not a folder, a FIFO (which would block the
/// write forever) or a device; and a missing folder is not created, since
/// a mistyped path should not leave folders behind.
pub fn may_write(path: &std::path::Path, force: bool) -> Result<(), Problem> {
    let refuse = |reason: &str, help: &str| {
        Err(unwritable_at(&crate::diagnostic::shown_path(path), reason).with_help(help))
    };
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => refuse(
            "it is not a regular file",
            "give the path of a file to write",
        ),
        Ok(_) if !force => refuse(
            "it exists",
            "add `--force` to replace it, or give another path",
        ),
        Ok(_) => Ok(()),
        Err(_) => {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            if folder.is_dir() {
                Ok(())
            } else {
                refuse(
                    "its folder does not exist",
                    "create the folder first, or give a path in one that exists",
                )
            }
        }
    }
}

/// `path` cannot be written, for `reason`.
fn unwritable_at(path: &str, reason: &str) -> Problem {
    Problem::new(
        Kind::Unwritable {
            path: path.to_string(),
            reason: reason.to_string(),
        },
        Default::default(),
        "",
    )
    .with_help("check that the disk has room, or write to another place")
}

/// `print!` to standard output, ending the program as [`write`] says on failure.
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => { $crate::output::write(format_args!($($t)*)) };
}

/// `println!` to standard output, ending the program as [`write`] says on failure.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($t:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($t)*))) };
}

/// `eprint!` to standard error, ending the program as [`write_err`] says on
/// failure.
#[macro_export]
macro_rules! err {
    ($($t:tt)*) => { $crate::output::write_err(format_args!($($t)*)) };
}

/// `eprintln!` to standard error, ending the program as [`write_err`] says
/// on failure.
#[macro_export]
macro_rules! errln {
    ($($t:tt)*) => { $crate::output::write_err(format_args!("{}\n", format_args!($($t)*))) };
}
