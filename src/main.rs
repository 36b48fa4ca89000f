//! The `charter` command.

use std::process::ExitCode;

use clap::Parser;

/// Counts each thread's memory, so that `charter serve` can stop an
/// evaluation that holds too much (`charter::budget`).
#[global_allocator]
static ALLOCATOR: charter::budget::Counting = charter::budget::Counting;

fn main() -> ExitCode {
    charter::cli::main(charter::cli::Cli::parse())
}
