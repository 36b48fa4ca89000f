//! Writing back what a charter's export carried in the package's comments
//! (`export::carried`): the header and every block but the cap table as
//! the charter wrote them, and each `stock` block with the figures OCF
//! holds — shares authorized and outstanding, par, the issue price, the
//! conversion price or ratio — taken from OCF where it states them, so
//! that a package changed by another tool (or exported after events) is
//! read as it now stands. Each figure OCF agrees with is left as written,
//! with its section and comments.

use rust_decimal::Decimal;

use super::{Writer, stock};
use crate::interchange::ocf::CARRIED;
use crate::interchange::ocf::package::Package;
use crate::syntax::ast::{Item, Pool, PoolKind, Stock, StockField};

/// The blocks the package's issuer carries, in order; `None` where it
/// carries none (a package another tool wrote).
pub fn blocks(package: &Package) -> Option<Vec<String>> {
    let comments = &package.manifest.as_ref()?.issuer.comments;
    let out: Vec<String> = comments
        .iter()
        .filter_map(|c| c.strip_prefix(CARRIED))
        .map(str::to_string)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// Whether a carried block is the `charter` header.
pub fn is_header(block: &str) -> bool {
    first_item(block).is_some_and(|i| matches!(i, Item::Header(_)))
}

/// Whether a carried block is a pool of options or warrants.
pub fn is_pool(block: &str) -> bool {
    first_item(block).is_some_and(|i| matches!(i, Item::Pool(_)))
}

/// The pools OCF records, each written as the charter wrote it where a
/// carried pool has its kind, name and class — with OCF's count and
/// exercise price, and its vested shares scaled as its count is (a split)
/// — else as OCF alone gives it.
pub fn pools(w: &mut Writer, carried: &[&String]) {
    let parsed: Vec<(&String, Pool)> = carried
        .iter()
        .filter_map(|t| match first_item(t)? {
            Item::Pool(p) => Some((*t, p)),
            _ => None,
        })
        .collect();
    for p in w.ledger.pools.values().cloned().collect::<Vec<_>>() {
        let kind = if p.warrants {
            PoolKind::Warrants
        } else {
            PoolKind::Options
        };
        let ident = w.ident(p.class).to_string();
        let found = parsed
            .iter()
            .find(|(_, c)| c.kind == kind && c.name.node == p.name && c.class.node == ident);
        let Some((text, c)) = found else {
            super::stock::pool(w, &p);
            continue;
        };
        let mut edits: Vec<(crate::ir::Span, String)> = Vec::new();
        if c.count.node != p.count {
            edits.push((c.count.span, crate::num::exact(p.count)));
            if let Some(v) = &c.vested {
                let scaled = crate::num::scale(v.node, p.count, c.count.node, "vested");
                edits.push((v.span, crate::num::exact(scaled.unwrap_or(p.count))));
            }
        }
        if c.strike.node != p.strike {
            edits.push((
                c.strike.span,
                crate::num::exact_dollars(p.strike.normalize()),
            ));
        }
        let mut text = (*text).clone();
        edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
        for (s, with) in edits {
            if text.is_char_boundary(s.start) && text.is_char_boundary(s.end) && s.start <= s.end {
                text.replace_range(s.start..s.end, &with);
            }
        }
        w.out.push_str(&text);
        w.out.push('\n');
    }
    w.out.push('\n');
}

/// The `stock` block class `i`'s `StockClass` carries.
pub fn stock_text(w: &Writer, i: usize) -> Option<String> {
    let class = &w.ledger.classes.get(i)?.class.item;
    class
        .comments
        .iter()
        .find_map(|c| c.strip_prefix(CARRIED))
        .map(str::to_string)
}

/// The short name a carried `stock` block gives its class.
pub fn ident(text: &str) -> Option<String> {
    match first_item(text)? {
        Item::Stock(s) => Some(s.ident.node),
        _ => None,
    }
}

/// The first block of `text`, where it parses.
fn first_item(text: &str) -> Option<Item> {
    let file = crate::syntax::parse::parse_file(text).ok()?;
    file.items.into_iter().next().map(|i| i.node)
}

/// The `stock` block of `text`.
fn stock_of(text: &str) -> Option<(Stock, usize)> {
    let file = crate::syntax::parse::parse_file(text).ok()?;
    file.items.into_iter().find_map(|i| match i.node {
        Item::Stock(s) => Some((s, i.span.end)),
        _ => None,
    })
}

/// The figure a field states, by slot: conversion price and ratio share
/// one, as a class states one or the other.
fn slot(field: &StockField) -> Option<(u8, Decimal, crate::ir::Span)> {
    match field {
        StockField::Authorized(v, _) => Some((0, v.node, v.span)),
        StockField::Outstanding(v, _) => Some((1, v.node, v.span)),
        StockField::Par(v, _) => Some((2, v.node, v.span)),
        StockField::IssuePrice(v, _) => Some((3, v.node, v.span)),
        StockField::ConversionPrice(v, _) => Some((4, v.node, v.span)),
        StockField::ConversionRatio(v, _) => Some((5, v.node, v.span)),
        _ => None,
    }
}

/// Writes class `i`'s carried `stock` block with OCF's figures. Falls back
/// to the block OCF alone gives where the carried text does not parse.
pub fn stock_block(w: &mut Writer, i: usize, carried: &str) {
    // The block as OCF alone gives it, to read its figures; its gaps are
    // the carried text's to fill, so they are not kept.
    let (start, pending, gaps, converts) = (w.out.len(), w.pending.len(), w.gaps, w.converts.len());
    stock::block(w, i);
    let generated = w.out.split_off(start);
    w.pending.truncate(pending);
    w.gaps = gaps;
    w.converts.truncate(converts);
    let (Some((written_block, end)), Some((ocf_block, _))) =
        (stock_of(carried), stock_of(&generated))
    else {
        w.out.push_str(&generated);
        return;
    };
    let source = |span: crate::ir::Span| generated.get(span.start..span.end).unwrap_or_default();
    // (where, how much to replace, with what), applied from the end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    for field in &ocf_block.fields {
        let Some((kind, value, value_span)) = slot(&field.node) else {
            continue;
        };
        let conversion = |k: u8| k >= 4;
        let written = written_block.fields.iter().find_map(|f| {
            let (k, v, s) = slot(&f.node)?;
            (k == kind || conversion(k) && conversion(kind)).then_some((k, v, s, f.span))
        });
        match written {
            Some((k, v, _, _)) if k == kind && v == value => {}
            Some((k, _, s, _)) if k == kind => {
                edits.push((
                    s.start,
                    s.end.saturating_sub(s.start),
                    source(value_span).to_string(),
                ));
            }
            // A ratio where a price was written, or the other way.
            Some((_, _, _, whole)) => {
                edits.push((
                    whole.start,
                    whole.end.saturating_sub(whole.start),
                    source(field.span).to_string(),
                ));
            }
            None => added.push(source(field.span).to_string()),
        }
    }
    let mut text = carried.to_string();
    // Lines OCF adds go before the block's closing brace.
    let brace = text.get(..end).and_then(|t| t.rfind('}')).unwrap_or(end);
    if !added.is_empty() {
        let lines: String = added.iter().map(|l| format!("  {l}\n")).collect();
        edits.push((brace, 0, format!("\n{lines}")));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (at, len, with) in edits {
        if text.is_char_boundary(at) && text.is_char_boundary(at.saturating_add(len)) {
            text.replace_range(at..at.saturating_add(len), &with);
        }
    }
    w.out.push_str(&text);
    w.out.push_str("\n\n");
}
