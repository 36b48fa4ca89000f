//! Stage 1: text → typed syntax tree (pest grammar in `grammar/charter.pest`).

pub mod ast;
mod expected;
mod forms;
mod grammar;
pub mod parse;

pub use parse::{
    bare_amounts, parse_amount_text, parse_compare_with, parse_file, parse_query, parse_test_file,
};
