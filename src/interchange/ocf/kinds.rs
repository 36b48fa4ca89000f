//! The OCF transaction types the import knows, by what they do to a cap
//! table.

/// Transactions that act on a security: all of it, or the `quantity` they
/// state (see `ledger::positions`).
pub const CLOSING: &[&str] = &[
    "TX_STOCK_CANCELLATION",
    "TX_STOCK_CONVERSION",
    "TX_STOCK_REISSUANCE",
    "TX_STOCK_REPURCHASE",
    "TX_STOCK_RETRACTION",
    "TX_STOCK_TRANSFER",
    "TX_STOCK_CONSOLIDATION",
    "TX_EQUITY_COMPENSATION_CANCELLATION",
    "TX_EQUITY_COMPENSATION_EXERCISE",
    "TX_EQUITY_COMPENSATION_RELEASE",
    "TX_EQUITY_COMPENSATION_RETRACTION",
    "TX_EQUITY_COMPENSATION_TRANSFER",
    "TX_PLAN_SECURITY_CANCELLATION",
    "TX_PLAN_SECURITY_EXERCISE",
    "TX_PLAN_SECURITY_RELEASE",
    "TX_PLAN_SECURITY_RETRACTION",
    "TX_PLAN_SECURITY_TRANSFER",
    "TX_WARRANT_CANCELLATION",
    "TX_WARRANT_EXERCISE",
    "TX_WARRANT_RETRACTION",
    "TX_WARRANT_TRANSFER",
    "TX_CONVERTIBLE_CANCELLATION",
    "TX_CONVERTIBLE_CONVERSION",
    "TX_CONVERTIBLE_RETRACTION",
    "TX_CONVERTIBLE_TRANSFER",
];

/// Transactions read but without bearing on a charter's economics as of the
/// package's date: acceptances, vesting, stakeholder changes, pool and
/// issuer-level authorizations (the charter counts what is outstanding).
pub const WITHOUT_BEARING: &[&str] = &[
    "TX_STOCK_ACCEPTANCE",
    "TX_EQUITY_COMPENSATION_ACCEPTANCE",
    "TX_PLAN_SECURITY_ACCEPTANCE",
    "TX_WARRANT_ACCEPTANCE",
    "TX_CONVERTIBLE_ACCEPTANCE",
    "TX_VESTING_START",
    "TX_VESTING_EVENT",
    "TX_VESTING_ACCELERATION",
    "TX_STOCK_PLAN_POOL_ADJUSTMENT",
    "TX_STOCK_PLAN_RETURN_TO_POOL",
    "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT",
    "CE_STAKEHOLDER_RELATIONSHIP",
    "CE_STAKEHOLDER_STATUS",
];

/// Transactions that build the cap table.
pub const BUILDING: &[&str] = &[
    "TX_STOCK_ISSUANCE",
    "TX_EQUITY_COMPENSATION_ISSUANCE",
    "TX_PLAN_SECURITY_ISSUANCE",
    "TX_WARRANT_ISSUANCE",
    "TX_CONVERTIBLE_ISSUANCE",
    "TX_EQUITY_COMPENSATION_REPRICING",
    "TX_STOCK_CLASS_SPLIT",
    "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
    "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT",
];

/// Transactions that issue a security: the positions the others act on.
pub const ISSUING: &[&str] = &[
    "TX_STOCK_ISSUANCE",
    "TX_EQUITY_COMPENSATION_ISSUANCE",
    "TX_PLAN_SECURITY_ISSUANCE",
    "TX_WARRANT_ISSUANCE",
    "TX_CONVERTIBLE_ISSUANCE",
];

/// Whether the import knows this transaction type.
pub fn known(object_type: &str) -> bool {
    [CLOSING, WITHOUT_BEARING, BUILDING]
        .iter()
        .any(|list| list.contains(&object_type))
}
