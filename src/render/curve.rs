//! The exit curve rendered: breakpoints as a table, JSON or CSV, and sampled
//! payouts streamed row by row (a million rows are written as they are
//! computed, never held).

use std::io::Write;

use serde_json::{Value, json};

use super::cites::cite;
use crate::eval::breakpoints::{Breakpoints, Row};
use crate::eval::sweep::{Scratch, Sweep};
use crate::ir::Charter;
use crate::num;

/// An exit to the cent, with `…` where it has more digits.
pub fn exit(x: rust_decimal::Decimal) -> String {
    if x.round_dp(2) == x {
        num::dollars(x)
    } else {
        format!("{}…", num::dollars(x))
    }
}

fn causes(r: &Row) -> String {
    // The first causes, the rest counted: where thousands of series convert
    // at once the table names a few (the JSON has them all).
    crate::num::joined_list(
        r.causes.iter().map(|c| match c.cite.section_mark() {
            m if m.is_empty() => c.what.clone(),
            m => format!("{} ({m})", c.what),
        }),
        "; ",
    )
}

/// The breakpoints as a table: exit, why, and who takes the next dollar.
pub fn table(b: &Breakpoints) -> String {
    let mut out = format!(
        "Breakpoints of the payout ({}){}\n",
        b.event.as_deref().unwrap_or("liquidation"),
        b.upto
            .map(|u| format!(" up to {}", num::dollars(u)))
            .unwrap_or_default()
    );
    let mut t = super::table(&["Exit", "Next dollar", "Why"]);
    for r in &b.rows {
        let mut why = causes(r);
        for l in &r.jump {
            why.push_str(&format!(
                "; jump: {} {} → {}",
                l.name,
                num::dollars(l.before),
                num::dollars(l.after)
            ));
        }
        let next: Vec<String> = r
            .shares
            .iter()
            .filter(|s| !s.share.is_zero())
            .map(|s| format!("{} {}", s.name, s.share))
            .collect();
        t.add_row(vec![
            super::right(exit(r.exit)),
            comfy_table::Cell::new(if next.is_empty() {
                "nobody".to_string()
            } else {
                next.join("\n")
            }),
            comfy_table::Cell::new(why),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

/// One breakpoint as JSON.
fn row_json(r: &Row) -> Value {
    let share = |s: &crate::eval::breakpoints::Share| json!({ "name": s.name, "share": s.share.exact_text(), "share_decimal": s.share.decimal().normalize().to_string() });
    json!({
        "exit": num::money_text(r.exit),
        "exit_exact": r.exit.normalize().to_string(),
        "more_digits": r.exit.round_dp(2) != r.exit,
        "cause": causes(r),
        "causes": r.causes.iter().map(|c| json!({ "what": c.what, "cite": cite(&c.cite) })).collect::<Vec<_>>(),
        "cite": r.causes.first().map(|c| cite(&c.cite)),
        "jump": !r.jump.is_empty(),
        "limits": r.jump.iter().map(|l| json!({
            "name": l.name, "before": num::money_text(l.before), "after": num::money_text(l.after),
        })).collect::<Vec<_>>(),
        "shares": r.shares.iter().map(share).collect::<Vec<_>>(),
        "holders": r.holders.iter().map(share).collect::<Vec<_>>(),
    })
}

/// The breakpoints as JSON, without their rows.
fn head_json(b: &Breakpoints) -> Value {
    json!({
        "statement": "breakpoints",
        "event": b.event.clone().unwrap_or_else(|| "liquidation".to_string()),
        "up_to": b.upto.map(|u| u.to_string()),
    })
}

/// The breakpoints as JSON.
pub fn json(b: &Breakpoints) -> Value {
    super::json_rows::tree_with_rows(head_json(b), "breakpoints", b.rows.iter().map(row_json))
}

/// [`json`] as text, written a row at a time: the same text as `json(b)`
/// printed (its keys in order), without the whole tree at once, which for
/// thousands of rows is many times the text.
pub fn json_text(b: &Breakpoints) -> String {
    super::json_rows::with_rows(&head_json(b), "breakpoints", b.rows.iter().map(row_json))
}

/// The breakpoints as CSV: one row each, a column per class and pool for
/// its share of the next dollar; written to `out` a row at a time (a chain
/// of 10,000 series is 10⁸ cells), which is returned, not flushed.
pub fn csv<W: Write>(b: &Breakpoints, out: W) -> Result<W, csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![
        "exit".to_string(),
        "more_digits".into(),
        "jump".into(),
        "cause".into(),
    ];
    header.extend(b.parties.iter().map(|p| format!("{p} share")));
    super::csv_record(&mut w, &header)?;
    for r in &b.rows {
        let mut rec = vec![
            r.exit.normalize().to_string(),
            (r.exit.round_dp(2) != r.exit).to_string(),
            (!r.jump.is_empty()).to_string(),
            causes(r),
        ];
        // A party not listed takes none of the next dollar.
        let mut dense = vec!["0".to_string(); b.parties.len()];
        for s in &r.shares {
            if let Some(cell) = dense.get_mut(s.index) {
                *cell = s.share.decimal().normalize().to_string();
            }
        }
        rec.extend(dense);
        super::csv_record(&mut w, &rec)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Output formats of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepFormat {
    /// Aligned columns.
    Table,
    /// One JSON object, written as it goes.
    Json,
    /// CSV with a header row.
    Csv,
}

/// The column names of a sweep: the exit, each class, each pool, each named
/// holder (`"FTV" in Series D`) and the rest of each class they hold in,
/// then each group.
pub fn columns(charter: &Charter) -> Vec<String> {
    let mut cols = vec!["exit".to_string()];
    cols.extend(charter.classes.iter().map(|c| c.name.clone()));
    cols.extend(charter.pools.iter().map(|p| p.name.clone()));
    for (id, j) in crate::eval::sweep::holder_lines(charter) {
        let class = charter.classes.get(id).map_or("", |c| c.name.as_str());
        cols.push(match j.and_then(|j| charter.holders.get(j)) {
            Some(h) => format!("{} in {class}", h.name),
            None => format!("other holders of {class}"),
        });
    }
    cols.extend(charter.groups.iter().map(|g| g.name.clone()));
    cols
}

/// An error of writing a sweep: of the engine, or of the output.
#[derive(Debug)]
pub enum SweepError {
    /// The engine could not compute a row.
    Kind(crate::diagnostic::Kind),
    /// The output could not be written.
    Io(std::io::Error),
}

impl From<std::io::Error> for SweepError {
    fn from(e: std::io::Error) -> Self {
        SweepError::Io(e)
    }
}

impl From<csv::Error> for SweepError {
    fn from(e: csv::Error) -> Self {
        SweepError::Io(std::io::Error::other(e))
    }
}

impl From<crate::diagnostic::Kind> for SweepError {
    fn from(k: crate::diagnostic::Kind) -> Self {
        SweepError::Kind(k)
    }
}

/// The sweep as one JSON value (for a statement, whose rows are bounded).
pub fn sweep_json(s: &Sweep) -> Value {
    let mut out = Vec::new();
    match write_sweep(s, SweepFormat::Json, &mut out) {
        Ok(()) => serde_json::from_slice(&out).unwrap_or(Value::Null),
        // A row that could not be computed: its message and code, as a
        // diagnostic says it.
        Err(SweepError::Kind(k)) => json!({ "error": k.to_string(), "code": k.code() }),
        Err(SweepError::Io(e)) => json!({ "error": e.to_string() }),
    }
}

/// Writes the sweep row by row: memory stays that of one row.
pub fn write_sweep(s: &Sweep, format: SweepFormat, out: &mut dyn Write) -> Result<(), SweepError> {
    let charter = &s.charter;
    let cols = columns(charter);
    let n = s.rows()?;
    let mut scratch = Scratch::default();
    let mut cells: Vec<i128> = Vec::with_capacity(cols.len());
    match format {
        SweepFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            super::csv_record(&mut w, &cols)?;
            let mut field = String::new();
            for i in 0..n {
                s.row(i, &mut scratch, &mut cells)?;
                for v in &cells {
                    field.clear();
                    num::push_cent_count(&mut field, *v);
                    w.write_field(&field)?;
                }
                w.write_record(None::<&[u8]>)?;
            }
            w.flush()?;
        }
        SweepFormat::Table => {
            let width = num::dollars(s.to).len().max(8);
            let widths: Vec<usize> = cols.iter().map(|c| c.chars().count().max(width)).collect();
            // Padded by hand: a format width is at most 65,535, and a
            // holder's name may be longer.
            let line = |cells: &[String]| -> String {
                let mut out = String::new();
                for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                    if i > 0 {
                        out.push_str("  ");
                    }
                    let pad = w.saturating_sub(c.chars().count());
                    out.extend(std::iter::repeat_n(' ', pad));
                    out.push_str(c);
                }
                out
            };
            writeln!(
                out,
                "Payouts ({}) from {} to {}",
                s.event.as_deref().unwrap_or("liquidation"),
                num::dollars(s.from),
                num::dollars(s.to)
            )?;
            writeln!(out, "{}", line(&cols))?;
            for i in 0..n {
                s.row(i, &mut scratch, &mut cells)?;
                let r: Vec<String> = cells
                    .iter()
                    .map(|c| num::dollars(rust_decimal::Decimal::from_i128_with_scale(*c, 2)))
                    .collect();
                writeln!(out, "{}", line(&r))?;
            }
        }
        SweepFormat::Json => {
            write!(
                out,
                "{{\"statement\":\"curve\",\"event\":{},\"columns\":{},\"rows\":[",
                json!(s.event.clone().unwrap_or_else(|| "liquidation".to_string())),
                json!(cols)
            )?;
            for i in 0..n {
                s.row(i, &mut scratch, &mut cells)?;
                if i > 0 {
                    write!(out, ",")?;
                }
                let r: Vec<String> = cells
                    .iter()
                    .map(|v| {
                        let mut t = String::new();
                        num::push_cent_count(&mut t, *v);
                        t
                    })
                    .collect();
                write!(out, "{}", json!(r))?;
            }
            writeln!(out, "]}}")?;
        }
    }
    Ok(())
}
