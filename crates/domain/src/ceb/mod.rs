//! 跨境电商零售进口 — cross-border e-commerce retail imports: the order, payment and waybill
//! that must agree with each inventory list (三单对碰), the buyer's annual quota, the
//! identity-theft guard, the composite tax reserved against a general guarantee, targeting, and
//! the inventory's life cycle from receipt to release, return or departure.

pub mod answer;
pub mod check;
pub mod decision;
pub mod documents;
pub mod events;
pub mod guarantee;
pub mod identity;
pub mod inventory;
pub mod notice;
pub mod quota;
pub mod tax;

pub mod samples;
pub mod steps;
#[cfg(test)]
mod tests;

pub use answer::{DocAnswer, DocState};
pub use check::{three_documents, Disagreement};
pub use documents::{AppType, BuyerId, DocKind, InventoryDoc, InventoryLine, OrderDoc, OrderLine, PaymentDoc, WaybillDoc};
pub use events::{Acceptance, CebEvent, QuotaChange, RefundLine};
pub use guarantee::{guarantee_change, Guarantee, GuaranteeKind};
pub use identity::{IdentityGuard, Sighting, Sightings, Suspicion};
pub use inventory::{Checks, InventoryRecord, InventoryStatus, TaxState};
pub use quota::{Ledger, OverLimit, Regime, ANNUAL_LIMIT, TRANSACTION_LIMIT};
pub use tax::{Tariff, TaxBill};
