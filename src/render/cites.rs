//! A cited clause as JSON, as every JSON answer writes it: below the
//! renderers of payouts, curves and the rest, which all cite.

use serde_json::{Value, json};

use crate::ir::Cite;

/// A cited clause: its section, its text on one line, and its byte span.
pub(crate) fn cite(c: &Cite) -> Value {
    json!({
        "section": c.section.as_deref(),
        "clause": &*c.clause,
        "span": { "start": c.span.start, "end": c.span.end },
    })
}
