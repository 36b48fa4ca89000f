//! The SAFEs a package records, as `safe` blocks: the purchase amount,
//! cap, discount (written as the form's Discount Rate, 100% less it), MFN
//! and pro rata rights from the convertible issuance and its
//! `SAFE_CONVERSION` mechanism, with its exit multiple; the form from its
//! timing. Where it ranks against the preferred OCF gives only as a
//! seniority number, so that is a gap.

use rust_decimal::Decimal;

use super::{Writer, ident_of, quotable};
use crate::interchange::ocf::ledger::dollars;
use crate::num;

/// Writes each SAFE's block, with its gaps.
pub fn safes(w: &mut Writer) {
    let mut taken: Vec<String> = w.idents.clone();
    for s in w.ledger.safes.clone() {
        let base = s
            .holder
            .as_ref()
            .map_or_else(|| "Safe".to_string(), |h| ident_of(&format!("Safe {h}")));
        let mut ident = base.clone();
        let mut n = 2u32;
        while taken.contains(&ident) {
            ident = format!("{base}{n}");
            n = n.saturating_add(1);
        }
        taken.push(ident.clone());
        let source = format!("TX_CONVERTIBLE_ISSUANCE {}", s.id);
        let name = s
            .holder
            .as_ref()
            .map_or_else(|| format!("SAFE {}", s.id), |h| format!("SAFE ({h})"));
        w.line(
            0,
            &format!("safe {ident} \"{}\" {{", quotable(&name)),
            &source,
        );
        let m = &s.mechanism;
        match m.conversion_timing.as_deref() {
            Some("POST_MONEY") => w.line(1, "post-money", "conversion_timing POST_MONEY"),
            Some("PRE_MONEY") => w.line(1, "pre-money", "conversion_timing PRE_MONEY"),
            other => w.gap(format!(
                "{name}: {source} gives {} as its conversion timing; write `post-money` or `pre-money` in its `safe` block as the agreement states",
                other.map_or("none".to_string(), |t| format!("`{t}`"))
            )),
        }
        w.line(
            1,
            &format!(
                "purchase amount {}",
                num::exact_dollars(s.amount.normalize())
            ),
            "investment_amount",
        );
        if let Some(cap) = &m.conversion_valuation_cap {
            match dollars(cap) {
                Ok(c) => w.line(
                    1,
                    &format!("valuation cap {}", num::exact_dollars(c.normalize())),
                    "conversion_valuation_cap",
                ),
                Err(why) => w.gap(format!("{name}: its valuation cap {why}")),
            }
        }
        if let Some(d) = m.conversion_discount {
            match Decimal::ONE
                .checked_sub(d.0)
                .filter(|r| *r > Decimal::ZERO && d.0 > Decimal::ZERO)
            {
                Some(rate) => w.line(
                    1,
                    &format!("discount rate {}", num::percent(rate)),
                    &format!(
                        "conversion_discount {}: 100% less the discount",
                        d.0.normalize()
                    ),
                ),
                None => w.gap(format!(
                    "{name}: a conversion discount of {} is not above 0 and below 1",
                    d.0.normalize()
                )),
            }
        }
        if let Some(r) = &m.exit_multiple {
            exit_multiple(w, &name, r);
        }
        if m.conversion_mfn == Some(true) {
            w.line(1, "most favored nation", "conversion_mfn");
        }
        if s.pro_rata {
            w.line(1, "pro rata rights", "pro_rata");
        }
        if let Some(date) = s.date.as_deref() {
            w.line(1, &format!("issued {date}"), "date");
        }
        w.out.push_str("}\n");
        w.gap(format!(
            "{name}: where it ranks against the preferred — OCF gives only a seniority number — add `{ident} pari passu with ...` (or `senior to`) and its shortfall rule to the liquidation block, as the SAFE's Liquidity Priority states"
        ));
        w.flush();
        w.out.push('\n');
    }
}

/// The `exit multiple` line, where OCF's ratio ends within the places a
/// multiple holds; else a gap.
fn exit_multiple(w: &mut Writer, name: &str, r: &crate::interchange::ocf::model::Ratio) {
    let (n, d) = (r.numerator.0, r.denominator.0);
    let multiple = n
        .checked_div(d)
        .map(|x| x.normalize())
        .filter(|x| *x > Decimal::ZERO && x.scale() <= 12 && x.checked_mul(d) == Some(n));
    match multiple {
        Some(x) => w.line(
            1,
            &format!("exit multiple {x}x"),
            &format!("exit_multiple {}/{}", n.normalize(), d.normalize()),
        ),
        None => w.gap(format!(
            "{name}: an exit multiple of {}/{}, which does not end as a multiple; write `exit multiple Nx` as the agreement states",
            n.normalize(),
            d.normalize()
        )),
    }
}
