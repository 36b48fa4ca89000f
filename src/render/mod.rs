//! Stage 4: results and problems rendered as text tables, JSON or diagnostics.

pub mod diagnostics;
pub mod json;
pub mod table;
