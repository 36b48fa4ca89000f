//! The pest parser generated from `grammar/charter.pest`: its `Rule`s are
//! what the builder (`parse`) and the syntax-error explainer (`expected`)
//! both read, so it sits below both.

/// The pest parser generated from `grammar/charter.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/charter.pest"]
pub struct CharterParser;
