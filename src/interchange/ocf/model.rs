//! The OCF objects the import reads, as typed structures.
//!
//! Only the fields that bear on a charter's economics are named; the rest of
//! each object is left unread (OCF objects carry contact details, legends,
//! vesting and much else). A field present with the wrong shape is an error
//! that names the file, the object and the field.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// An OCF `Numeric`: a decimal written as a string (`"+10000000.00"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numeric(pub Decimal);

impl<'de> Deserialize<'de> for Numeric {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_numeric(&text).map(Numeric).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not an OCF Numeric (digits with an optional sign and up to 10 decimals)"
            ))
        })
    }
}

/// Reads an OCF Numeric exactly; `None` if it does not follow the pattern
/// `^[+-]?[0-9]+(\.[0-9]{1,10})?$` or is too large for a decimal.
pub fn parse_numeric(text: &str) -> Option<Decimal> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fine = !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= 10
        && (fraction.is_empty() != unsigned.contains('.'));
    if !fine {
        return None;
    }
    Decimal::from_str(text.strip_prefix('+').unwrap_or(text))
        .ok()
        .map(|d| d.normalize())
}

/// An amount of money in a currency.
#[derive(Debug, Clone, Deserialize)]
pub struct Monetary {
    /// The amount.
    pub amount: Numeric,
    /// ISO 4217 code.
    pub currency: String,
}

/// A ratio of two numerics.
#[derive(Debug, Clone, Deserialize)]
pub struct Ratio {
    /// New (or target) shares.
    pub numerator: Numeric,
    /// Old (or source) shares.
    pub denominator: Numeric,
}

/// The issuer, from the manifest.
#[derive(Debug, Clone, Deserialize)]
pub struct Issuer {
    /// Legal name.
    pub legal_name: String,
    /// ISO country code of formation.
    pub country_of_formation: String,
    /// State or province code of formation.
    #[serde(default)]
    pub country_subdivision_of_formation: Option<String>,
    /// Free text; a charter's export carries its blocks here.
    #[serde(default)]
    pub comments: Vec<String>,
}

/// The manifest: the issuer and the files of the package.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// OCF version written.
    pub ocf_version: String,
    /// The issuer.
    pub issuer: Issuer,
    /// The date the package describes.
    pub as_of: String,
    /// Stock class files.
    #[serde(default)]
    pub stock_classes_files: Vec<FileRef>,
    /// Stakeholder files.
    #[serde(default)]
    pub stakeholders_files: Vec<FileRef>,
    /// Stock plan files.
    #[serde(default)]
    pub stock_plans_files: Vec<FileRef>,
    /// Transaction files.
    #[serde(default)]
    pub transactions_files: Vec<FileRef>,
}

/// A file the manifest names.
#[derive(Debug, Clone, Deserialize)]
pub struct FileRef {
    /// Path relative to the manifest.
    pub filepath: String,
    /// The file's MD5 checksum, in hexadecimal.
    #[serde(default)]
    pub md5: Option<String>,
}

/// A conversion mechanism; only the ratio mechanism is read.
#[derive(Debug, Clone, Deserialize)]
pub struct Mechanism {
    /// `RATIO_CONVERSION`, or another mechanism the import cannot use.
    #[serde(rename = "type")]
    pub kind: String,
    /// Conversion price.
    #[serde(default)]
    pub conversion_price: Option<Monetary>,
    /// Shares of the target class per share.
    #[serde(default)]
    pub ratio: Option<Ratio>,
    /// `NORMAL`, `FLOOR` or `CEILING`.
    #[serde(default)]
    pub rounding_type: Option<String>,
}

/// A stock class's conversion right.
#[derive(Debug, Clone, Deserialize)]
pub struct ConversionRight {
    /// How it converts.
    pub conversion_mechanism: Mechanism,
    /// The class it converts into.
    #[serde(default)]
    pub converts_to_stock_class_id: Option<String>,
    /// Converts into a future round's stock instead.
    #[serde(default)]
    pub converts_to_future_round: Option<bool>,
}

/// `StockClass`, with JOCF's preferred-stock attributes when present.
#[derive(Debug, Clone, Deserialize)]
pub struct StockClass {
    /// Object id.
    pub id: String,
    /// Free text; a charter's export carries the class's `stock` block
    /// here.
    #[serde(default)]
    pub comments: Vec<String>,
    /// Display name.
    pub name: String,
    /// `COMMON` or `PREFERRED`.
    pub class_type: String,
    /// A Numeric, or `UNLIMITED` / `NOT APPLICABLE`.
    #[serde(default)]
    pub initial_shares_authorized: Option<serde_json::Value>,
    /// Votes per share.
    #[serde(default)]
    pub votes_per_share: Option<Numeric>,
    /// Par value.
    #[serde(default)]
    pub par_value: Option<Monetary>,
    /// Original issue price.
    #[serde(default)]
    pub price_per_share: Option<Monetary>,
    /// Higher is more senior; equal is pari passu.
    #[serde(default)]
    pub seniority: Option<Numeric>,
    /// Conversion rights.
    #[serde(default)]
    pub conversion_rights: Vec<ConversionRight>,
    /// Liquidation preference as a multiple of the issue price.
    #[serde(default)]
    pub liquidation_preference_multiple: Option<Numeric>,
    /// Participation cap as a multiple of the issue price.
    #[serde(default)]
    pub participation_cap_multiple: Option<Numeric>,
    /// JOCF's preferred-stock attributes (the field's spelling is JOCF's).
    #[serde(default, rename = "preffered_stock_attributes")]
    pub jocf: Option<Jocf>,
}

/// JOCF's `preffered_stock_attributes`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Jocf {
    /// Dividend terms.
    #[serde(default)]
    pub dividend_attributes: Option<JocfDividend>,
    /// Liquidation preference terms.
    #[serde(default)]
    pub liquidation_preference_attributes: Option<JocfLiquidation>,
    /// Conversion triggers, among them anti-dilution.
    #[serde(default)]
    pub conversion_triggers: Vec<JocfTrigger>,
}

/// JOCF dividend attributes.
#[derive(Debug, Clone, Deserialize)]
pub struct JocfDividend {
    /// Annual rate, 0 to 1.
    pub dividend_rate: Numeric,
    /// `FULL_PARTICIPATION` or `NON_PARTICIPATION`.
    #[serde(default)]
    pub participation_category: Option<String>,
    /// `CUMULATIVE` or `NON_CUMULATIVE`.
    #[serde(default)]
    pub cumulative_category: Option<String>,
}

/// JOCF liquidation preference attributes.
#[derive(Debug, Clone, Deserialize)]
pub struct JocfLiquidation {
    /// Multiple of the issue price.
    pub liquidation_preference_multiple: Numeric,
    /// `FULL_PARTICIPATION` or `NON_PARTICIPATION`.
    #[serde(default)]
    pub participation_category: Option<String>,
    /// `CUMULATIVE` or `NON_CUMULATIVE`.
    #[serde(default)]
    pub cumulative_category: Option<String>,
}

/// A JOCF conversion trigger; only the anti-dilution type is read.
#[derive(Debug, Clone, Deserialize)]
pub struct JocfTrigger {
    /// The trigger's type (`ANTI_DILUTION_IN_DOWN_ROUND`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// `FULL_RATCHET`, `BROAD_BASED_WEIGHTED_AVERAGE` or
    /// `NARROW_BASED_WEIGHTED_AVERAGE`.
    #[serde(default)]
    pub anti_dilution_protection_type: Option<String>,
}

/// A stakeholder's name.
#[derive(Debug, Clone, Deserialize)]
pub struct Name {
    /// Legal name.
    pub legal_name: String,
}

/// `Stakeholder`.
#[derive(Debug, Clone, Deserialize)]
pub struct Stakeholder {
    /// Object id.
    pub id: String,
    /// Name.
    pub name: Name,
}

/// `StockPlan`.
#[derive(Debug, Clone, Deserialize)]
pub struct StockPlan {
    /// Object id.
    pub id: String,
    /// Name.
    pub plan_name: String,
    /// Shares reserved.
    pub initial_shares_reserved: Numeric,
    /// Classes the plan issues (OCF 1.2).
    #[serde(default)]
    pub stock_class_ids: Vec<String>,
    /// The class the plan issues (OCF before 1.2).
    #[serde(default)]
    pub stock_class_id: Option<String>,
}

/// A warrant's exercise trigger; only the class it buys is read.
#[derive(Debug, Clone, Deserialize)]
pub struct WarrantTrigger {
    /// The right it grants.
    #[serde(default)]
    pub conversion_right: Option<WarrantRight>,
}

/// A warrant's conversion right.
#[derive(Debug, Clone, Deserialize)]
pub struct WarrantRight {
    /// The class the warrant buys.
    #[serde(default)]
    pub converts_to_stock_class_id: Option<String>,
}

/// A convertible's trigger; only its conversion mechanism is read.
#[derive(Debug, Clone, Deserialize)]
pub struct ConvertibleTrigger {
    /// The right it grants.
    #[serde(default)]
    pub conversion_right: Option<ConvertibleRight>,
}

/// A convertible's conversion right.
#[derive(Debug, Clone, Deserialize)]
pub struct ConvertibleRight {
    /// How it converts.
    #[serde(default)]
    pub conversion_mechanism: Option<ConvertibleMechanism>,
}

/// An interest rate of a note, from a date.
#[derive(Debug, Clone, Deserialize)]
pub struct InterestRate {
    /// The annual rate (0.08 for 8%).
    pub rate: Numeric,
    /// From when.
    #[serde(default)]
    pub accrual_start_date: Option<String>,
    /// Until when, if it ends.
    #[serde(default)]
    pub accrual_end_date: Option<String>,
}

/// A convertible's conversion mechanism: a SAFE's or a note's fields are
/// read (another mechanism, by its `type`, is a gap).
#[derive(Debug, Clone, Deserialize)]
pub struct ConvertibleMechanism {
    /// `SAFE_CONVERSION`, `CONVERTIBLE_NOTE_CONVERSION`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The discount (0.2 for 20%).
    #[serde(default)]
    pub conversion_discount: Option<Numeric>,
    /// The valuation cap.
    #[serde(default)]
    pub conversion_valuation_cap: Option<Monetary>,
    /// The multiple of the purchase amount paid as the cash-out amount.
    #[serde(default)]
    pub exit_multiple: Option<Ratio>,
    /// A most-favored-nation SAFE.
    #[serde(default)]
    pub conversion_mfn: Option<bool>,
    /// `PRE_MONEY` or `POST_MONEY`.
    #[serde(default)]
    pub conversion_timing: Option<String>,
    /// A note's interest rates.
    #[serde(default)]
    pub interest_rates: Vec<InterestRate>,
    /// `ACTUAL_365` or `30_360`.
    #[serde(default)]
    pub day_count_convention: Option<String>,
    /// `DEFERRED` or `CASH`.
    #[serde(default)]
    pub interest_payout: Option<String>,
    /// `DAILY`, ... `ANNUAL`.
    #[serde(default)]
    pub interest_accrual_period: Option<String>,
    /// `SIMPLE` or `COMPOUNDING`.
    #[serde(default)]
    pub compounding_type: Option<String>,
    /// How the capitalization is defined, in the instrument's words.
    #[serde(default)]
    pub capitalization_definition: Option<String>,
}

/// A transaction. OCF's transactions share most of their fields, so one
/// record reads them all; [`Tx::object_type`] says which it is and which
/// fields it must have.
#[derive(Debug, Clone, Deserialize)]
pub struct Tx {
    /// Object id.
    pub id: String,
    /// `TX_STOCK_ISSUANCE`, ...
    pub object_type: String,
    /// Effective date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// The security issued or acted on.
    #[serde(default)]
    pub security_id: Option<String>,
    /// The securities a consolidation combines.
    #[serde(default)]
    pub security_ids: Vec<String>,
    /// The holder.
    #[serde(default)]
    pub stakeholder_id: Option<String>,
    /// The class issued, split or adjusted.
    #[serde(default)]
    pub stock_class_id: Option<String>,
    /// The plan an option is granted under.
    #[serde(default)]
    pub stock_plan_id: Option<String>,
    /// Shares issued, or taken by a cancellation, repurchase, transfer,
    /// exercise or release.
    #[serde(default)]
    pub quantity: Option<Numeric>,
    /// Shares taken by a stock conversion.
    #[serde(default)]
    pub quantity_converted: Option<Numeric>,
    /// The security a partial action reissues the rest of the position as.
    #[serde(default)]
    pub balance_security_id: Option<String>,
    /// Exercise price of an option or warrant.
    #[serde(default)]
    pub exercise_price: Option<Monetary>,
    /// `OPTION_ISO`, `RSU`, ... of an equity compensation issuance.
    #[serde(default)]
    pub compensation_type: Option<String>,
    /// `OPTION`, `RSU`, ... of a (deprecated) plan security issuance.
    #[serde(default)]
    pub plan_security_type: Option<String>,
    /// A warrant's triggers, which name the class it buys.
    #[serde(default)]
    pub exercise_triggers: Vec<WarrantTrigger>,
    /// A convertible's kind: `SAFE`, `NOTE`, ...
    #[serde(default)]
    pub convertible_type: Option<String>,
    /// A convertible's amount invested.
    #[serde(default)]
    pub investment_amount: Option<Monetary>,
    /// A convertible's triggers, with its conversion mechanism.
    #[serde(default)]
    pub conversion_triggers: Vec<ConvertibleTrigger>,
    /// A convertible's pro rata amount, where it has one.
    #[serde(default)]
    pub pro_rata: Option<Numeric>,
    /// A split's new shares for old.
    #[serde(default)]
    pub split_ratio: Option<Ratio>,
    /// A conversion-ratio adjustment's new mechanism.
    #[serde(default)]
    pub new_ratio_conversion_mechanism: Option<Mechanism>,
    /// An authorized-shares adjustment's new count (a Numeric or an enum).
    #[serde(default)]
    pub new_shares_authorized: Option<serde_json::Value>,
    /// A repricing's new exercise price.
    #[serde(default)]
    pub new_exercise_price: Option<Monetary>,
}

/// The first of `fields` below zero: no share count, price, multiple or
/// vote an import reads may be.
fn first_negative(fields: &[(&'static str, Option<Decimal>)]) -> Option<(&'static str, Decimal)> {
    fields.iter().find_map(|(name, v)| {
        v.filter(|d| d.is_sign_negative() && !d.is_zero())
            .map(|d| (*name, d))
    })
}

/// An amount's figure.
fn amount(m: Option<&Monetary>) -> Option<Decimal> {
    m.map(|m| m.amount.0)
}

/// Objects whose figures must not be negative.
pub trait Figures {
    /// The first field below zero, with its value.
    fn negative(&self) -> Option<(&'static str, Decimal)>;
}

impl Figures for StockClass {
    fn negative(&self) -> Option<(&'static str, Decimal)> {
        let jocf = self.jocf.as_ref();
        first_negative(&[
            ("votes_per_share", self.votes_per_share.map(|n| n.0)),
            ("par_value", amount(self.par_value.as_ref())),
            ("price_per_share", amount(self.price_per_share.as_ref())),
            ("liquidation_preference_multiple", self.liquidation_preference_multiple.map(|n| n.0)),
            ("participation_cap_multiple", self.participation_cap_multiple.map(|n| n.0)),
            (
                "initial_shares_authorized",
                self.initial_shares_authorized.as_ref().and_then(serde_json::Value::as_str).and_then(parse_numeric),
            ),
            (
                "preffered_stock_attributes.liquidation_preference_attributes.liquidation_preference_multiple",
                jocf.and_then(|j| j.liquidation_preference_attributes.as_ref()).map(|l| l.liquidation_preference_multiple.0),
            ),
            (
                "preffered_stock_attributes.dividend_attributes.dividend_rate",
                jocf.and_then(|j| j.dividend_attributes.as_ref()).map(|d| d.dividend_rate.0),
            ),
        ])
        .or_else(|| {
            self.conversion_rights.iter().find_map(|r| mechanism_negative(&r.conversion_mechanism, "conversion_rights[].conversion_mechanism"))
        })
    }
}

/// A mechanism's negative figure.
fn mechanism_negative(m: &Mechanism, at: &'static str) -> Option<(&'static str, Decimal)> {
    first_negative(&[
        (at, amount(m.conversion_price.as_ref())),
        (at, m.ratio.as_ref().map(|r| r.numerator.0)),
        (at, m.ratio.as_ref().map(|r| r.denominator.0)),
    ])
}

impl Figures for StockPlan {
    fn negative(&self) -> Option<(&'static str, Decimal)> {
        first_negative(&[(
            "initial_shares_reserved",
            Some(self.initial_shares_reserved.0),
        )])
    }
}

impl Figures for Stakeholder {
    fn negative(&self) -> Option<(&'static str, Decimal)> {
        None
    }
}

impl Figures for Tx {
    fn negative(&self) -> Option<(&'static str, Decimal)> {
        first_negative(&[
            ("quantity", self.quantity.map(|n| n.0)),
            ("quantity_converted", self.quantity_converted.map(|n| n.0)),
            ("exercise_price", amount(self.exercise_price.as_ref())),
            ("investment_amount", amount(self.investment_amount.as_ref())),
            (
                "new_exercise_price",
                amount(self.new_exercise_price.as_ref()),
            ),
            (
                "split_ratio",
                self.split_ratio.as_ref().map(|r| r.numerator.0),
            ),
            (
                "split_ratio",
                self.split_ratio.as_ref().map(|r| r.denominator.0),
            ),
            (
                "new_shares_authorized",
                self.new_shares_authorized
                    .as_ref()
                    .and_then(serde_json::Value::as_str)
                    .and_then(parse_numeric),
            ),
        ])
        .or_else(|| {
            self.new_ratio_conversion_mechanism
                .as_ref()
                .and_then(|m| mechanism_negative(m, "new_ratio_conversion_mechanism"))
        })
    }
}
