//! The integration tests, built as one crate: each file is a module, so the
//! dependency tree is linked once instead of once a file.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod antidilution_properties;
mod approval_values;
mod breakpoints;
mod browser;
mod browser_phone;
mod browser_work;
mod chart;
mod cli;
mod common;
mod compare;
mod conversion_values;
mod coverage;
mod curve_regimes;
mod dividend_values;
mod error_catalog;
mod expectations;
mod first_hour;
mod fuzz;
mod groups;
mod guide;
mod hygiene;
mod layout;
mod metamorphic;
mod ocf;
mod ocf_packages;
mod ocf_roundtrip;
mod opm_reference;
mod owed;
mod payout_values;
mod properties;
mod readings;
mod redemption_values;
mod repl;
mod safes;
mod server;
mod server_safety;
mod snapshots;
mod solve;
mod typing;
mod value;
mod writes;
