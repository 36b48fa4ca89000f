//! The charter's own text for what OCF has no field for, carried in the
//! package's `comments` so that `charter import ocf` can read it back.
//!
//! OCF states a cap table and a few economic terms; a charter states much
//! more (how a shortfall is shared, participation and its caps, automatic
//! conversion, anti-dilution, dividends, redemption, votes and consents,
//! the readings taken, and the sections every clause quotes). The issuer's
//! comments carry every top-level block but the cap table, each with the
//! comments that precede it (pools too, for their sections and vesting),
//! and each `StockClass`'s comments carry its `stock` block; the import writes those back, with the figures OCF holds
//! (shares, prices, ratios) taken from OCF, so that a package another tool
//! changed is read as changed. A package without them imports as before.

use crate::ir::Charter;
use crate::syntax::ast::Item;

pub use crate::interchange::ocf::CARRIED as MARK;

/// What the export carries: the blocks for the issuer, and each class's
/// `stock` block by class index.
#[derive(Debug, Default)]
pub struct Carried {
    /// The header and every block but the cap table's, in order.
    pub issuer: Vec<String>,
    /// What each carried block says that OCF has no field for, for the
    /// export's notes.
    pub unheld: Vec<&'static str>,
    /// Each class's `stock` block.
    pub stocks: Vec<Option<String>>,
}

/// The blocks of `charter`'s source; `with_expectations` keeps its `expect`
/// and `snapshot` blocks, which hold only where no event has moved the
/// figures they state.
pub fn carried(charter: &Charter, with_expectations: bool) -> Carried {
    let mut out = Carried {
        issuer: Vec::new(),
        unheld: Vec::new(),
        stocks: vec![None; charter.classes.len()],
    };
    let text = &charter.source.text;
    let Ok(file) = crate::syntax::parse::parse_file(text) else {
        return out;
    };
    let mut from = 0;
    for item in &file.items {
        let (start, end) = (item.span.start, item.span.end);
        // The block with the comments written just above it.
        let chunk = text
            .get(from.min(start)..end)
            .unwrap_or_default()
            .trim_start_matches(['\n', '\r', ' ', '\t'])
            .to_string();
        from = end;
        match &item.node {
            Item::Stock(s) => {
                let slot = charter
                    .classes
                    .iter()
                    .position(|c| c.ident == s.ident.node)
                    .and_then(|i| out.stocks.get_mut(i));
                if let Some(slot) = slot {
                    *slot = Some(chunk);
                }
            }
            Item::Holders(_) | Item::Todo(_) => {}
            Item::Expect(_) | Item::Snapshot(_) if !with_expectations => {}
            other => {
                if let Some(what) = unheld(other)
                    && !out.unheld.contains(&what)
                {
                    out.unheld.push(what);
                }
                out.issuer.push(chunk);
            }
        }
    }
    out
}

/// What a block states that OCF has no field for.
fn unheld(item: &Item) -> Option<&'static str> {
    Some(match item {
        Item::Header(_) => "the filing date and the sections cited",
        Item::Liquidation(_) => {
            "the liquidation block's shortfall rules, participation and its conditions, and readings"
        }
        Item::Deemed(_) => "deemed liquidations and their own terms",
        Item::Conversion(_) => {
            "automatic conversion, offering ratchets, cash on conversion, joint elections and fractional shares"
        }
        Item::AntiDilution(_) => "anti-dilution formulas, exclusions and rounding",
        Item::Dividends(_) => "dividend rights",
        Item::Redemption(_) => "redemption rights",
        Item::Voting(_) => "votes as converted, class votes and board seats",
        Item::Protective(_) => "protective provisions",
        Item::Group(_) => "groups of parties",
        Item::Pool(_) => "pools' sections and vesting",
        _ => return None,
    })
}
