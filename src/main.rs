//! The `charter` command.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    charter::cli::main(charter::cli::Cli::parse())
}
