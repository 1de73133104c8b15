//! `verify --views`: every view rebuilt from the journal and compared with what is stored.
//!
//! The hash chain proves the journal unaltered; the views (declarations and their `doc`, risk
//! hits, permits, samples, surveys, appointments, remote inspections, cross-border inventory
//! lists, ledgers and guarantees, enterprises, users, tokens, rule sets, mandates, certificates of origin, phytosanitary certificates, the officer's
//! queue and the rollups…) are what the API and the console serve, and a hand on the database could edit
//! them without touching the journal. This replays the journal through the same pure domain code
//! the writer uses (`Declaration::from_events`, `Permit::from_events`,
//! `InventoryRecord::fold_with`, …) into rows built by each family's own row functions (the
//! ones its handler writes with), and reports every row that differs: its table, its key, the
//! column (and, in a JSON record, the field), the stored value and the value from the journal.
//!
//! One file per family, like the slices: each reads the journal streams of its records, rebuilds
//! them and compares the rows; `compare.rs` reads stored rows back and compares them. Nothing
//! here writes, and the kernel knows nothing of it.
//!
//! - **One snapshot.** Everything is read in one read-only transaction (REPEATABLE READ on
//!   PostgreSQL; a WAL read transaction on SQLite), so a commit by the process writing to the
//!   database meanwhile is not seen at all, and never taken for tampering.
//! - **Bounded memory.** Records are rebuilt a page of journal streams at a time: the first
//!   entries of streams are read in journal order, and each page's streams are read whole,
//!   rebuilt, and compared with the rows of those records. What spans records is kept as it
//!   goes: the rollups (per day, office and criterion), the buyers' ledgers (per buyer and year,
//!   as the writer itself keeps them), the guarantees, the counters, and which inventory lists'
//!   tax was paid (a tax payment is journaled on the guarantee's stream).
//! - **Rows no record accounts for** are found by counting: a table holding more rows than the
//!   records compared with is searched for rows whose stream the journal lacks.
//!
//! What the journal does not hold by design is not checked (see [`NOT_CHECKED`]).

mod admin;
mod ceb;
mod compare;
mod declaration;
mod field;
mod mandate;
mod numbering;
mod origin;
mod phyto;
mod quarantine;
mod risk;

use crate::kernel::Val;
use compare::Check;
use guomen_domain::Event;
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

/// Every table this module reads: the journal, and each table it checks. The tidy test in
/// `families.rs` holds its SQL to them, and checks that it writes nothing.
#[cfg(test)]
pub(crate) const READS: &[&str] = &[
    "journal",
    "counters",
    "enterprises",
    "users",
    "tokens",
    "subscriptions",
    "rulesets",
    "risk_hits",
    "declarations",
    "officer_queue",
    "rollup_clearance",
    "rollup_criteria",
    "permits",
    "samples",
    "survey_plans",
    "schedules",
    "appointments",
    "remote_inspections",
    "ceb_documents",
    "ceb_inventories",
    "ceb_quota",
    "ceb_guarantees",
    "mandates",
    "origin_certificates",
    "phyto_certificates",
    "phyto_received",
];

/// How a stored row departs from the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffKind {
    /// A column (or a field of a JSON record) holds another value than the journal gives.
    Differs,
    /// The journal makes this row; the table does not have it.
    Missing,
    /// The table has this row; nothing in the journal makes it.
    Unexpected,
    /// The journal's stream for this record cannot be rebuilt into one.
    Unreadable,
}

/// One row (or one column of a row) that is not what the journal says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub table: &'static str,
    /// The row's key: `id=…`, or `declaration_id=…, criterion=…`.
    pub key: String,
    pub kind: DiffKind,
    pub column: Option<String>,
    /// The field of a JSON record (`status`, `content.head.bill_no`, `positions[0].slot_code`).
    pub field: Option<String>,
    /// The stored value (None: NULL, or no such field).
    pub stored: Option<String>,
    /// The value from the journal (None: NULL, or no such field).
    pub journal: Option<String>,
}

impl Difference {
    fn row(table: &'static str, key: String, kind: DiffKind) -> Difference {
        Difference { table, key, kind, column: None, field: None, stored: None, journal: None }
    }

    fn column(
        table: &'static str,
        key: &str,
        column: &str,
        field: Option<String>,
        stored: Option<String>,
        journal: Option<String>,
    ) -> Difference {
        Difference { table, key: key.to_owned(), kind: DiffKind::Differs, column: Some(column.to_owned()), field, stored, journal }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = |v: &Option<String>| v.as_ref().map_or_else(|| "NULL".to_owned(), |s| format!("{s:?}"));
        write!(f, "{}", self.table)?;
        if !self.key.is_empty() {
            write!(f, " [{}]", self.key)?;
        }
        match self.kind {
            DiffKind::Differs => {
                let col = self.column.as_deref().unwrap_or_default();
                match &self.field {
                    Some(field) => write!(f, " {col}.{field}")?,
                    None => write!(f, " {col}")?,
                }
                write!(f, ": stored {}, journal {}", value(&self.stored), value(&self.journal))
            }
            DiffKind::Missing => write!(f, ": the journal makes this row; it is not stored"),
            DiffKind::Unexpected => match &self.stored {
                Some(n) => write!(f, ": {n} stored that nothing in the journal makes"),
                None => write!(f, ": stored, but nothing in the journal makes it"),
            },
            DiffKind::Unreadable => write!(f, ": {}", self.journal.as_deref().unwrap_or("its journal stream cannot be rebuilt")),
        }
    }
}

/// What is stored but not in the journal by design, so not checked: (table or column, why, 为何).
pub const NOT_CHECKED: &[(&str, &str, &str)] = &[
    ("users.password_hash", "a secret: the journal records who, never credentials", "密钥：日志只记录主体，不记录凭据"),
    ("tokens.hash", "a secret: the journal records who, never credentials", "密钥：日志只记录主体，不记录凭据"),
    ("subscriptions.secret", "a secret: the webhook signing key", "密钥：推送签名密钥"),
    ("console_sessions", "secrets: console session hashes and their CSRF tokens", "密钥：控制台会话及其防伪令牌"),
    ("deliveries", "delivery bookkeeping (attempts, retries): transport state", "推送投递记录（次数、重试）：传输状态"),
    ("outbox", "the notices sent, each naming the journal entry it came from", "已发出的通知（各自注明来源日志条目）"),
    ("idempotency", "Idempotency-Key bookkeeping of requests", "请求幂等键记录"),
    ("ceb_messages", "the answers kept for CEB messages sent again", "为重发的跨境报文保存的回执"),
    ("signin_failures", "failed sign-ins are not journaled", "登录失败不入日志"),
    (
        "signin_lockouts",
        "lock-outs per username and client address: 15 minutes of security state (a user's lock-out is journaled on its stream)",
        "按用户名和客户端地址的锁定：15分钟的安全状态（用户被锁定另记入其日志流）",
    ),
    ("tokens.last_used_at_ms", "when a token was last used: bookkeeping, not journaled", "令牌最近使用时间：记账，不入日志"),
    (
        "ceb_buyer_names",
        "fingerprints of the names a buyer identity was accepted with, for the quota pre-check; refilled from the inventory lists",
        "购买人身份所用姓名的指纹（供额度预查）；可由清单重建",
    ),
    ("console_state", "whether the console's views were built at start-up", "控制台视图是否已在启动时建立"),
    ("counters.ceb:pending_from", "where the writer starts rebuilding pending documents at start-up", "写入进程启动时重建待用单证的起点"),
    (
        "journal_tree",
        "the journal's Merkle tree: `guomen verify --checkpoint` recomputes it from the entries and checks the stored tree's proof",
        "日志的默克尔树：`guomen verify --checkpoint` 由日志条目重新计算，并核对存储的树给出的证明",
    ),
    (
        "journal_checkpoints",
        "signed checkpoints of the tree: their signatures cover them, and a copy kept elsewhere is checked by `guomen verify --checkpoint`",
        "树的签名检查点：由签名保护，存于别处的副本由 `guomen verify --checkpoint` 核对",
    ),
];

/// What `verify --views` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ViewsReport {
    /// Rows the journal makes, compared with the tables.
    pub rows: u64,
    /// The tables compared.
    pub tables: Vec<&'static str>,
    /// The first differences found (at most the limit asked for).
    pub differences: Vec<Difference>,
    /// Every difference found, including those past the limit.
    pub total: u64,
}

impl ViewsReport {
    pub fn ok(&self) -> bool {
        self.total == 0
    }
}

/// A journal entry, read back.
struct Entry {
    seq: i64,
    at_ms: i64,
    actor: String,
    event: Event,
}

/// The state of one verification: the report, and what the families gather over many records.
struct Run {
    limit: usize,
    report: ViewsReport,
    /// Stored rows read, per table, when comparing records page by page.
    fetched: HashMap<&'static str, i64>,
    /// The highest number taken from each counter.
    counters: numbering::Taken,
    /// The rollups, summed over every declaration.
    declaration: declaration::Sums,
    /// Ledgers, guarantees and tax payments, over every inventory list.
    ceb: ceb::Sums,
}

impl Run {
    fn report(&mut self, d: Difference) {
        self.report.total += 1;
        if self.report.differences.len() < self.limit {
            self.report.differences.push(d);
        }
    }

    fn unreadable(&mut self, table: &'static str, key: String, why: String) {
        self.report(Difference { journal: Some(why), ..Difference::row(table, key, DiffKind::Unreadable) });
    }
}

/// The kinds of stream whose records make rows. Guarantees (`guarantee:CODE`) are summed from
/// their entries first (`ceb::payments`).
const KINDS: &[&str] = &[
    "enterprise",
    "user",
    "token",
    "subscription",
    "ruleset",
    "declaration",
    "permit",
    "sample",
    "survey",
    "appointment",
    "remote",
    "schedule",
    "ceb",
    "ceb-waybill",
    "mandate",
    "origin",
    "phyto",
    "phyto-received",
];

/// Journal streams whose first entry is after `$1`, in journal order: one page of records.
const STARTS: &str = "SELECT seq, stream FROM journal j WHERE seq > $1 \
    AND NOT EXISTS (SELECT 1 FROM journal p WHERE p.stream = j.stream AND p.seq < j.seq) ORDER BY seq LIMIT 200";

/// Reads whole streams, each in journal order.
async fn read_streams(conn: &mut AnyConnection, streams: &[String]) -> Result<BTreeMap<String, Vec<Entry>>, sqlx::Error> {
    let mut out: BTreeMap<String, Vec<Entry>> = streams.iter().map(|s| (s.clone(), Vec::new())).collect();
    for chunk in streams.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT seq, stream, actor, at_ms, payload FROM journal WHERE stream IN ({}) ORDER BY seq", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(s.clone());
        }
        for r in q.fetch_all(&mut *conn).await? {
            let seq: i64 = r.try_get(0)?;
            let entry = Entry { seq, at_ms: r.try_get(3)?, actor: r.try_get(2)?, event: event(seq, &r.try_get::<String, _>(4)?)? };
            out.entry(r.try_get(1)?).or_default().push(entry);
        }
    }
    Ok(out)
}

/// The event of journal entry `seq`.
fn event(seq: i64, payload: &str) -> Result<Event, sqlx::Error> {
    serde_json::from_str(payload).map_err(|e| sqlx::Error::Decode(format!("journal entry {seq} cannot be read: {e}").into()))
}

/// The kind of record a stream is of: what precedes its first ':' (`declaration`, `ceb`,
/// `ruleset`…).
fn kind_of(stream: &str) -> &str {
    stream.split_once(':').map_or(stream, |(f, _)| f)
}

/// The record's own name in its stream: what follows the kind.
fn name_in(stream: &str) -> &str {
    stream.split_once(':').map_or("", |(_, n)| n)
}

/// Folds each stream's events of one kind into its record (`from_events`) and derives the
/// record's row; (the records' ids, their rows).
fn fold_rows<E, R>(
    run: &mut Run,
    table: &'static str,
    streams: BTreeMap<String, Vec<Entry>>,
    unwrap: fn(Event) -> Option<E>,
    fold: fn(&[E]) -> Option<R>,
    row: fn(&R) -> Vec<Val>,
) -> (Vec<String>, Vec<Vec<Val>>) {
    let (mut ids, mut out) = (Vec::new(), Vec::new());
    for (stream, entries) in streams {
        let id = name_in(&stream).to_owned();
        let events: Vec<E> = entries.into_iter().filter_map(|e| unwrap(e.event)).collect();
        match fold(&events) {
            Some(r) => out.push(row(&r)),
            None => run.unreadable(table, format!("id={id}"), "its journal stream does not begin with the record's creation".into()),
        }
        ids.push(id);
    }
    (ids, out)
}

/// Every table checked, with how.
fn checks() -> Vec<&'static Check> {
    [
        admin::CHECKS,
        risk::CHECKS,
        declaration::CHECKS,
        quarantine::CHECKS,
        field::CHECKS,
        ceb::CHECKS,
        mandate::CHECKS,
        origin::CHECKS,
        phyto::CHECKS,
        numbering::CHECKS,
    ]
    .concat()
}

/// Rebuilds every view from the journal on `conn` — a read-only transaction the caller opened
/// and rolls back — and compares it with what is stored; keeps the first `limit` differences
/// (and counts them all).
pub(crate) async fn check(conn: &mut AnyConnection, limit: usize) -> Result<ViewsReport, sqlx::Error> {
    let mut run = Run {
        limit,
        report: ViewsReport::default(),
        fetched: HashMap::new(),
        counters: Default::default(),
        declaration: Default::default(),
        ceb: Default::default(),
    };
    // Tax payments first: they are journaled on the guarantees' streams, and the inventory lists
    // they name are rebuilt with them.
    ceb::payments(conn, &mut run).await?;
    let mut after = 0i64;
    loop {
        let page = sqlx::query(STARTS).bind(after).fetch_all(&mut *conn).await?;
        let Some(last) = page.last() else { break };
        after = last.try_get(0)?;
        let mut by_kind: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &page {
            let stream: String = r.try_get(1)?;
            by_kind.entry(kind_of(&stream).to_owned()).or_default().push(stream);
        }
        for (kind, streams) in by_kind {
            if !KINDS.contains(&kind.as_str()) {
                continue;
            }
            let streams = read_streams(conn, &streams).await?;
            match kind.as_str() {
                "enterprise" | "token" | "subscription" => admin::check(conn, &mut run, &kind, streams).await?,
                "user" => admin::check(conn, &mut run, &kind, streams).await?,
                "ruleset" => risk::check(conn, &mut run, streams).await?,
                "declaration" => declaration::check(conn, &mut run, streams).await?,
                "permit" | "sample" => quarantine::check(conn, &mut run, &kind, streams).await?,
                "survey" | "appointment" | "remote" | "schedule" => field::check(conn, &mut run, &kind, streams).await?,
                "ceb" => ceb::check(conn, &mut run, streams).await?,
                "ceb-waybill" => ceb::check_waybills(conn, &mut run, streams).await?,
                "mandate" => mandate::check(conn, &mut run, streams).await?,
                "origin" => origin::check(conn, &mut run, streams).await?,
                "phyto" | "phyto-received" => phyto::check(conn, &mut run, &kind, streams).await?,
                _ => {}
            }
        }
    }
    declaration::finish(conn, &mut run).await?;
    ceb::finish(conn, &mut run).await?;
    numbering::finish(conn, &mut run).await?;
    // Rows no record accounts for.
    for check in checks() {
        if check.strays.is_none() {
            continue;
        }
        let name = check.table.name;
        let stored: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {name}")).fetch_one(&mut *conn).await?;
        let seen = run.fetched.get(check.table.name).copied().unwrap_or(0);
        if stored > seen {
            compare::strays(conn, &mut run, check, stored - seen).await?;
        }
    }
    run.report.tables = checks().iter().map(|c| c.table.name).collect();
    Ok(run.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_by_kind() {
        assert_eq!(kind_of("declaration:950120261000000001"), "declaration");
        assert_eq!(kind_of("ceb-waybill:1105910159/SF1"), "ceb-waybill");
        assert_eq!(kind_of("ruleset"), "ruleset");
        assert_eq!(name_in("ceb:1105910159/ORDER-1"), "1105910159/ORDER-1");
        assert_eq!(name_in("ruleset"), "");
    }

    #[test]
    fn differences_read_plainly() {
        let d = Difference::column("declarations", "id=X", "status", None, Some("released".into()), Some("held".into()));
        assert_eq!(d.to_string(), "declarations [id=X] status: stored \"released\", journal \"held\"");
        let d = Difference::row("risk_hits", "declaration_id=X, criterion=C".into(), DiffKind::Missing);
        assert_eq!(d.to_string(), "risk_hits [declaration_id=X, criterion=C]: the journal makes this row; it is not stored");
    }

    #[test]
    fn every_table_checked_is_one_it_declares_reading() {
        for c in checks() {
            assert!(READS.contains(&c.table.name), "{} is checked but not in READS", c.table.name);
        }
    }
}
