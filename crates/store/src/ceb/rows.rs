//! The cross-border e-commerce rows of one group commit, kept as the latest state of each row
//! and written as multi-row upserts just before the commit. Each table is declared once with the
//! function that builds its row; the writer and `verify --views` (`replay/`) both use them.

use crate::kernel::{insert, Table, Val};
use guomen_domain::ceb::{DocKind, DocState, Guarantee, InventoryRecord, Ledger};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct CebRows {
    messages: Vec<Vec<Val>>,
    /// (kind, key) → (journal seq, at) of document keys received for the first time.
    documents: BTreeMap<(String, String), (i64, i64)>,
    /// Where documents came to stand in this batch, for later commands in it.
    doc_states: std::collections::HashMap<(DocKind, String), DocState>,
    /// Latest state of every inventory this batch touched.
    pub inventories: BTreeMap<String, InventoryRecord>,
    quota: BTreeMap<(String, i32), (Ledger, i64)>,
    guarantees: BTreeMap<String, (Guarantee, i64)>,
    /// (buyer identity key, name fingerprint) of the lists accepted or held in this batch.
    buyer_names: std::collections::BTreeSet<(String, i64)>,
    /// Answers of the messages this batch received, by (kind, guid), as JSON.
    pub answered: std::collections::HashMap<(String, String), String>,
}

impl CebRows {
    pub fn message(&mut self, kind: &str, guid: &str, sender: &str, answer: String, at_ms: i64) {
        self.messages.push(vec![Val::T(kind.into()), Val::T(guid.into()), Val::T(sender.into()), Val::T(answer), Val::I(at_ms)]);
    }

    /// Registers a document key the first time it is received.
    pub fn document(&mut self, kind: DocKind, key: &str, seq: i64, at_ms: i64) {
        self.documents.entry((kind.as_str().to_owned(), key.to_owned())).or_insert((seq, at_ms));
        self.doc_states.insert((kind, key.to_owned()), DocState::Pending);
    }

    /// Where a document came to stand in this batch.
    pub fn doc_state(&mut self, kind: DocKind, key: &str, state: DocState) {
        self.doc_states.insert((kind, key.to_owned()), state);
    }

    pub fn doc_state_in_batch(&self, kind: DocKind, key: &str) -> Option<DocState> {
        self.doc_states.get(&(kind, key.to_owned())).copied()
    }

    pub fn inventory(&mut self, rec: &InventoryRecord) {
        self.inventories.insert(rec.id.clone(), rec.clone());
    }

    pub fn ledger(&mut self, buyer: &str, year: i32, ledger: Ledger, at_ms: i64) {
        self.quota.insert((buyer.to_owned(), year), (ledger, at_ms));
    }

    /// The buyer's identity was accepted with this name (see `ceb_buyer_names`).
    pub fn buyer_name(&mut self, buyer: &str, name_fp: i64) {
        self.buyer_names.insert((buyer.to_owned(), name_fp));
    }

    pub fn guarantee(&mut self, g: &Guarantee, at_ms: i64) {
        self.guarantees.insert(g.code.clone(), (g.clone(), at_ms));
    }

    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        insert(conn, "INSERT INTO ceb_messages (kind, guid, sender, answer, at_ms) VALUES ", 5, std::mem::take(&mut self.messages), "")
            .await?;
        let docs: Vec<Vec<Val>> = self.documents.iter().map(|((kind, key), (seq, at))| document_row(kind, key, *seq, *at)).collect();
        insert(conn, &DOCUMENTS.insert_head(), DOCUMENTS.columns.len(), docs, " ON CONFLICT (kind, doc_key) DO NOTHING").await?;
        let invs: Vec<Vec<Val>> = self.inventories.values().map(inventory_row).collect();
        INVENTORIES.upsert(conn, invs, INVENTORY_CHANGES).await?;
        let quota: Vec<Vec<Val>> = self.quota.iter().map(|((buyer, year), (l, at))| quota_row(buyer, *year, l, *at)).collect();
        QUOTA.upsert(conn, quota, &["reserved", "used", "updated_at_ms"]).await?;
        let guarantees: Vec<Vec<Val>> = self.guarantees.values().map(|(g, at)| guarantee_row(g, *at)).collect();
        GUARANTEES.upsert(conn, guarantees, &["kind", "amount", "reserved", "updated_at_ms"]).await?;
        let names: Vec<Vec<Val>> =
            std::mem::take(&mut self.buyer_names).into_iter().map(|(buyer, fp)| vec![Val::T(buyer), Val::I(fp)]).collect();
        insert(conn, "INSERT INTO ceb_buyer_names (buyer, name_fp) VALUES ", 2, names, " ON CONFLICT (buyer, name_fp) DO NOTHING").await
    }
}

/// 进口清单 — what lists and checks need of an inventory list; the record itself is rebuilt from
/// its journal stream (`records.rs`).
pub(crate) const INVENTORIES: Table = Table {
    name: "ceb_inventories",
    columns: &[
        "id",
        "ebp_code",
        "order_no",
        "logistics_code",
        "logistics_no",
        "buyer",
        "sender",
        "ebc_code",
        "status",
        "return_status",
        "lane",
        "value",
        "tax",
        "received_at_ms",
        "updated_at_ms",
        "address_fp",
        "phone_fp",
        "tax_state",
        "received_seq",
    ],
    key: 1,
};

/// The columns a later event can change: all but the order it belongs to and when it was first
/// received (a list changed while waiting, appType 2, is received again under its number, and
/// may come from another sender, name another e-commerce enterprise or another address).
const INVENTORY_CHANGES: &[&str] = &[
    "logistics_code",
    "logistics_no",
    "buyer",
    "sender",
    "ebc_code",
    "status",
    "return_status",
    "lane",
    "value",
    "tax",
    "updated_at_ms",
    "address_fp",
    "phone_fp",
    "tax_state",
    "received_seq",
];

/// 个人年度额度 — a buyer's ledger of one calendar year.
pub(crate) const QUOTA: Table = Table { name: "ceb_quota", columns: &["buyer", "year", "reserved", "used", "updated_at_ms"], key: 2 };

pub(crate) fn quota_row(buyer: &str, year: i32, l: &Ledger, at_ms: i64) -> Vec<Val> {
    vec![Val::T(buyer.to_owned()), Val::I(i64::from(year)), Val::T(l.reserved.to_string()), Val::T(l.used.to_string()), Val::I(at_ms)]
}

/// 总担保 — an enterprise's general guarantee and the tax reserved against it.
pub(crate) const GUARANTEES: Table =
    Table { name: "ceb_guarantees", columns: &["code", "kind", "amount", "reserved", "updated_at_ms"], key: 1 };

pub(crate) fn guarantee_row(g: &Guarantee, at_ms: i64) -> Vec<Val> {
    vec![
        Val::T(g.code.clone()),
        Val::T(g.kind.as_str().into()),
        Val::T(g.amount.to_string()),
        Val::T(g.reserved.to_string()),
        Val::I(at_ms),
    ]
}

/// 单证 — every order, payment and waybill key received, with the entry that first brought it.
pub(crate) const DOCUMENTS: Table = Table { name: "ceb_documents", columns: &["kind", "doc_key", "seq", "at_ms"], key: 2 };

pub(crate) fn document_row(kind: &str, key: &str, seq: i64, at_ms: i64) -> Vec<Val> {
    vec![Val::T(kind.to_owned()), Val::T(key.to_owned()), Val::I(seq), Val::I(at_ms)]
}

/// An inventory list's row, as its record stands.
pub(crate) fn inventory_row(r: &InventoryRecord) -> Vec<Val> {
    let inv = &r.inventory;
    let sighting = super::sighting_of(r);
    vec![
        Val::T(r.id.clone()),
        Val::T(inv.ebp_code.clone()),
        Val::T(inv.order_no.clone()),
        Val::T(inv.logistics_code.clone()),
        Val::T(inv.logistics_no.clone()),
        Val::T(inv.buyer().key()),
        Val::T(r.sender.clone()),
        Val::T(inv.ebc_code.clone()),
        Val::T(r.status.as_str().into()),
        Val::T(r.status.return_status()),
        Val::OT(r.acceptance.as_ref().map(|a| a.decision.lane.as_str().to_owned())),
        Val::T(inv.value().to_string()),
        Val::T(r.tax_due.to_string()),
        Val::I(r.received_at_ms),
        Val::I(r.updated_at_ms),
        Val::I(sighting.address),
        Val::I(sighting.phone),
        Val::T(r.tax_state.as_str().into()),
        Val::I(r.journal_seq),
    ]
}
