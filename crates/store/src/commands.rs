//! Commands and how the writer carries each out: load what the procedure needs, call the pure
//! procedure, and write its events with the views and outbox messages they imply.

use crate::batch::{ms, Batch, Val};
use crate::writer::WriterState;
use guomen_domain::declaration::{self, Declaration, DeclarationContent, DispositionKind, Filing};
use guomen_domain::event::Subscription;
use guomen_domain::inspection::{InspectionResult, Outcome as InspectionOutcome, PositionReport};
use guomen_domain::notice::outgoing;
use guomen_domain::party::{Actor, Enterprise, Role};
use guomen_domain::risk::{Criterion, RuleSet};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, FieldError, Refusal, RefusalKind};
use sqlx::{AnyConnection, Row};
use std::sync::Arc;
use time::OffsetDateTime;

/// An `Idempotency-Key` with the hash of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// Whose key space: the filing enterprise.
    pub scope: String,
    pub key: String,
    pub request_hash: String,
}

/// Every change Guomen can make.
#[derive(Debug, Clone)]
pub enum Command {
    RegisterEnterprise(Enterprise),
    /// The password is hashed at the edge (Argon2 is deliberately slow).
    CreateUser {
        username: String,
        password_hash: String,
        role: Role,
        enterprise: Option<CustomsCode>,
    },
    /// The token is generated at the edge; only its hash arrives here. It works for
    /// `valid_days` (1 to 3,650) from now.
    IssueToken {
        token_id: String,
        token_hash: String,
        role: Role,
        enterprise: Option<CustomsCode>,
        label: Option<String>,
        valid_days: u32,
    },
    /// Revoking tokens and recording their use (see `tokens.rs`).
    Token(crate::tokens::TokenCommand),
    /// Replaces the whole rule set with a new version.
    PublishRules {
        ruleset: RuleSet,
        reason: String,
    },
    /// Adds or changes one criterion, publishing a new version.
    PutCriterion {
        criterion: Criterion,
        reason: String,
    },
    /// Removes one criterion, publishing a new version.
    RetireCriterion {
        id: String,
        reason: String,
    },
    CreateSubscription {
        id: String,
        enterprise: Option<CustomsCode>,
        url: String,
        secret: String,
    },
    FileDeclaration {
        content: DeclarationContent,
        filed_by: CustomsCode,
        idempotency: Option<IdempotencyKey>,
        seed: u64,
    },
    /// 运抵报告 — the terminal reports the goods of a bill of lading arrived.
    RecordArrival {
        bill_no: String,
        at: OffsetDateTime,
        terminal: CustomsCode,
    },
    ReportPosition {
        declaration_id: String,
        record_no: String,
        container_no: String,
        site_name: String,
        slot_code: String,
        arrived_at: OffsetDateTime,
        terminal: CustomsCode,
    },
    RecordResult {
        declaration_id: String,
        outcome: InspectionOutcome,
        findings: Vec<String>,
        note: Option<String>,
    },
    /// With `permitted_to_enter_only`, the first stage of two-stage access.
    Release {
        declaration_id: String,
        note: Option<String>,
        permitted_to_enter_only: bool,
    },
    OrderSampling {
        declaration_id: String,
        note: String,
    },
    SubmitCommitment {
        declaration_id: String,
        enterprise: CustomsCode,
        signed_by: String,
        storage_address: String,
        contact_phone: String,
        promise_accepted: bool,
    },
    AcceptCommitment {
        declaration_id: String,
    },
    RejectCommitment {
        declaration_id: String,
        reason: String,
    },
    OrderDisposition {
        declaration_id: String,
        kind: DispositionKind,
        instructions: String,
        deadline: time::Date,
    },
    CompleteDisposition {
        declaration_id: String,
        note: String,
    },
    RecordDestinationResult {
        declaration_id: String,
        outcome: InspectionOutcome,
        findings: Vec<String>,
        note: Option<String>,
    },
    Hold {
        declaration_id: String,
        reason: String,
    },
    Complete {
        declaration_id: String,
        content: DeclarationContent,
        enterprise: CustomsCode,
    },
    /// Quarantine permits and laboratory samples (see `lab.rs`).
    Lab(crate::lab::LabCommand),
    /// Field surveys, appointments and remote inspection (see `field.rs`).
    Field(crate::field::FieldCommand),
    /// Cross-border e-commerce messages, officers' steps on inventories, guarantees (see `ceb/`).
    Ceb(crate::ceb::CebCommand),
    /// 改变通道 — an officer moves a declaration to another lane, with a reason.
    Reroute {
        declaration_id: String,
        lane: guomen_domain::risk::Lane,
        reason: String,
    },
    /// Console sessions and sign-in lock-outs (see `console/`).
    Console(crate::console::ConsoleCommand),
    /// Delivery bookkeeping from the dispatcher. Not journaled: attempts and retries are transport
    /// state, not a change to any customs record.
    RecordDeliveries(Vec<DeliveryUpdate>),
}

/// The result of one webhook delivery attempt.
#[derive(Debug, Clone)]
pub struct DeliveryUpdate {
    pub outbox_id: i64,
    pub subscription_id: String,
    pub delivered: bool,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub error: Option<String>,
}

/// What a command produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    Enterprise(Enterprise),
    Done,
    Rules(Arc<RuleSet>),
    Subscription(Subscription),
    Declaration {
        record: Box<Declaration>,
        replayed: bool,
    },
    Declarations(Vec<Declaration>),
    /// A field survey, schedule, appointment or remote inspection (see `field.rs`): the record as JSON.
    Field(serde_json::Value),
    Permit(Box<guomen_domain::quarantine::permit::Permit>),
    /// The answers to a cross-border e-commerce message.
    Ceb(crate::ceb::CebAnswer),
    Inventory(Box<guomen_domain::ceb::InventoryRecord>),
    Guarantee(guomen_domain::ceb::Guarantee),
    /// A console session or sign-in step (see `console/`).
    Console(crate::console::ConsoleOutcome),
    /// An API token as issued or revoked (see `tokens.rs`).
    Token(crate::tokens::TokenRow),
    /// A sample, and its declaration when the step changed it.
    Sample {
        sample: Box<guomen_domain::quarantine::lab::Sample>,
        declaration: Option<Box<Declaration>>,
    },
}

pub(crate) type Result2<T> = Result<Result<T, Refusal>, sqlx::Error>;

pub(crate) fn actor_str(a: &Actor) -> String {
    match (&a.role, &a.enterprise) {
        (Some(r), Some(e)) => format!("{}/{}@{}", a.id, r.as_str(), e),
        (Some(r), None) => format!("{}/{}", a.id, r.as_str()),
        _ => a.id.clone(),
    }
}

pub async fn execute(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    actor: &Actor,
    cmd: &Command,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let who = actor_str(actor);
    let at = ms(now);
    match cmd {
        Command::RegisterEnterprise(e) => {
            let clash: Option<String> = sqlx::query_scalar(
                "SELECT code FROM enterprises WHERE code = $1 OR credit_code = $2 OR (site_code IS NOT NULL AND site_code = $3) LIMIT 1",
            )
            .bind(e.code.to_string())
            .bind(e.credit_code.to_string())
            .bind(e.site_code.clone().unwrap_or_default())
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(c) = clash {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("enterprise {c} already holds this customs code, credit code or site code"),
                    format!("企业 {c} 已使用该海关编码、统一社会信用代码或监管场所代码"),
                )));
            }
            b.append(st, &who, at, &Event::EnterpriseRegistered { enterprise: e.clone() });
            sqlx::query("INSERT INTO enterprises (code, credit_code, name_zh, name_en, grade, site_code, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(e.code.to_string())
                .bind(e.credit_code.to_string())
                .bind(e.name_zh.clone())
                .bind(e.name_en.clone())
                .bind(e.grade.as_str())
                .bind(e.site_code.clone())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            b.registered.push(e.clone());
            Ok(Ok(Outcome::Enterprise(e.clone())))
        }
        Command::CreateUser { username, password_hash, role, enterprise } => {
            if let Err(r) = check_enterprise(conn, *role, enterprise).await? {
                return Ok(Err(r));
            }
            let exists: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
                .bind(username.clone())
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_some() {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("user {username} already exists"),
                    format!("用户 {username} 已存在"),
                )));
            }
            b.append(st, &who, at, &Event::UserCreated { username: username.clone(), role: *role, enterprise: enterprise.clone() });
            sqlx::query("INSERT INTO users (username, role, enterprise, password_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5)")
                .bind(username.clone())
                .bind(role.as_str())
                .bind(enterprise.as_ref().map(|e| e.to_string()))
                .bind(password_hash.clone())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            Ok(Ok(Outcome::Done))
        }
        Command::IssueToken { token_id, token_hash, role, enterprise, label, valid_days } => {
            crate::tokens::issue(conn, st, b, &who, now, token_id, token_hash, *role, enterprise, label, *valid_days).await
        }
        Command::PublishRules { ruleset, reason } => publish(conn, st, b, &who, at, ruleset.clone(), reason).await,
        Command::PutCriterion { criterion, reason } => {
            let mut next = (*st.rules).clone();
            match next.criteria.iter_mut().find(|c| c.id == criterion.id) {
                Some(c) => *c = criterion.clone(),
                None => next.criteria.push(criterion.clone()),
            }
            publish(conn, st, b, &who, at, next, reason).await
        }
        Command::RetireCriterion { id, reason } => {
            let mut next = (*st.rules).clone();
            let before = next.criteria.len();
            next.criteria.retain(|c| &c.id != id);
            if next.criteria.len() == before {
                return Ok(Err(Refusal::not_found("criterion", "布控规则")));
            }
            publish(conn, st, b, &who, at, next, reason).await
        }
        Command::CreateSubscription { id, enterprise, url, secret } => {
            if let Some(e) = enterprise {
                if !enterprise_exists(conn, e).await? {
                    return Ok(Err(Refusal::field(
                        "enterprise",
                        "enterprise_unknown",
                        format!("no enterprise {e}"),
                        format!("企业 {e} 不存在"),
                    )));
                }
            }
            let sub = Subscription { id: id.clone(), enterprise: enterprise.clone(), url: url.clone(), created_at: now };
            b.append(st, &who, at, &Event::SubscriptionCreated { subscription: sub.clone() });
            sqlx::query("INSERT INTO subscriptions (id, enterprise, url, secret, created_at_ms) VALUES ($1, $2, $3, $4, $5)")
                .bind(id.clone())
                .bind(enterprise.as_ref().map(|e| e.to_string()))
                .bind(url.clone())
                .bind(secret.clone())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            st.subscriptions.push((id.clone(), enterprise.as_ref().map(|e| e.to_string())));
            Ok(Ok(Outcome::Subscription(sub)))
        }
        Command::FileDeclaration { content, filed_by, idempotency, seed } => {
            if let Some(k) = idempotency {
                if let Some((hash, record)) = idempotent(conn, b, k).await? {
                    if hash != k.request_hash {
                        return Ok(Err(Refusal::new(
                            RefusalKind::Conflict,
                            "this Idempotency-Key was already used with a different request",
                            "该幂等键已用于另一份不同的请求",
                        )));
                    }
                    return Ok(match load(conn, b, &record).await? {
                        Some(d) => Ok(Outcome::Declaration { record: Box::new(d), replayed: true }),
                        None => Err(Refusal::not_found("declaration", "报关单")),
                    });
                }
            }
            // The trader and the site's terminal come from the directory (this batch's
            // registrations first): no query on the writer's serial path.
            let (trader, terminal) = {
                let dir = st.directory.read().expect("directory lock");
                let trader = b
                    .registered
                    .iter()
                    .find(|e| e.code == content.head.trade_code)
                    .cloned()
                    .or_else(|| dir.enterprises.get(content.head.trade_code.as_str()).cloned());
                let terminal = content.head.site_code.as_ref().and_then(|site| {
                    b.registered
                        .iter()
                        .find(|e| e.site_code.as_ref() == Some(site))
                        .map(|e| e.code.clone())
                        .or_else(|| dir.sites.get(site).cloned())
                });
                (trader, terminal)
            };
            let Some(trader) = trader else {
                return Ok(Err(Refusal::field("head.trade_code", "enterprise_unknown", "no such enterprise", "企业不存在")));
            };
            // The number is taken only once the filing is accepted, so refusals leave no gaps.
            let (counter, next, id) = next_entry_id(conn, st, b, content, now).await?;
            // 检疫审批: goods that need a quarantine permit must name a valid one, and write it off.
            let permits = crate::lab::permits_named(conn, content).await?;
            let write_offs = match guomen_domain::quarantine::permit::check_declaration(content, &permits, now.date(), &id, now) {
                Ok(w) => w,
                Err(errors) => return Ok(Err(Refusal::validation(errors))),
            };
            let events = match declaration::file(Filing {
                id: id.clone(),
                filed_by: filed_by.clone(),
                content: content.clone(),
                trader: &trader,
                terminal,
                rules: &st.rules,
                seed: *seed,
                now,
            }) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            b.counters_touched.insert(counter, next);
            let record = persist(st, b, &who, at, None, &events);
            crate::lab::write_off(conn, st, b, &who, at, write_offs).await?;
            if let Event::RiskAssessed { decision, .. } = &events[1] {
                for h in &decision.hits {
                    b.risk_hit(vec![
                        Val::T(id.clone()),
                        Val::T(h.criterion.clone()),
                        Val::I(h.revision.into()),
                        Val::I(decision.ruleset_version as i64),
                        Val::T(h.lane.as_str().into()),
                        Val::I(h.selected.into()),
                        Val::I(at),
                    ]);
                }
            }
            if let Some(k) = idempotency {
                b.idempotency(&k.scope, &k.key, &k.request_hash, &id, at);
            }
            Ok(Ok(Outcome::Declaration { record: Box::new(record), replayed: false }))
        }
        Command::RecordArrival { bill_no, at: arrived, terminal } => {
            let mut ids: Vec<String> =
                sqlx::query_scalar("SELECT id FROM declarations WHERE bill_no = $1 AND terminal = $2 AND arrived_at_ms IS NULL")
                    .bind(bill_no.clone())
                    .bind(terminal.to_string())
                    .fetch_all(&mut *conn)
                    .await?;
            for (id, (d, _)) in &b.declarations {
                if d.content.head.bill_no == *bill_no && d.terminal.as_ref() == Some(terminal) && !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            let mut out = Vec::new();
            for id in ids {
                let Some(d) = load(conn, b, &id).await? else {
                    continue;
                };
                if d.arrived_at.is_some() {
                    continue;
                }
                let name = trader_name(conn, &d).await?;
                match d.arrive(*arrived, &name) {
                    Ok(events) => out.push(persist(st, b, &who, at, Some(d), &events)),
                    Err(r) => return Ok(Err(r)),
                }
            }
            if out.is_empty() {
                return Ok(Err(Refusal::not_found(
                    "declaration awaiting arrival for this bill at your site",
                    "本场所该提运单下待运抵的报关单",
                )));
            }
            Ok(Ok(Outcome::Declarations(out)))
        }
        Command::ReportPosition { declaration_id, record_no, container_no, site_name, slot_code, arrived_at, terminal } => {
            let Some(d) = load(conn, b, declaration_id).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let report = PositionReport {
                declaration_id: d.id.clone(),
                bill_no: d.content.head.bill_no.clone(),
                vessel: d.content.head.traf_name.clone(),
                record_no: record_no.clone(),
                container_no: container_no.clone(),
                site_name: site_name.clone(),
                site_code: d.content.head.site_code.clone().unwrap_or_default(),
                slot_code: slot_code.clone(),
                arrived_at: *arrived_at,
                reported_by: terminal.clone(),
            };
            step(st, b, &who, at, d.clone(), d.report_position(report))
        }
        Command::RecordResult { declaration_id, outcome, findings, note } => {
            let Some(d) = load(conn, b, declaration_id).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let result = InspectionResult {
                outcome: *outcome,
                findings: findings.clone(),
                officer: actor.id.clone(),
                recorded_at: now,
                note: note.clone(),
            };
            step(st, b, &who, at, d.clone(), d.record_result(result))
        }
        Command::Release { declaration_id, note, permitted_to_enter_only } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| {
                d.release_stage(&actor.id, note.clone(), *permitted_to_enter_only, now)
            })
            .await
        }
        Command::OrderSampling { declaration_id, note } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.order_sampling(&actor.id, note, now)).await
        }
        Command::SubmitCommitment { declaration_id, enterprise, signed_by, storage_address, contact_phone, promise_accepted } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| {
                d.submit_commitment(enterprise, signed_by, storage_address, contact_phone, *promise_accepted, now)
            })
            .await
        }
        Command::AcceptCommitment { declaration_id } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.accept_commitment(&actor.id, now)).await
        }
        Command::RejectCommitment { declaration_id, reason } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.reject_commitment(&actor.id, reason, now)).await
        }
        Command::OrderDisposition { declaration_id, kind, instructions, deadline } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| {
                d.order_disposition(&actor.id, *kind, instructions, *deadline, now.date(), now)
            })
            .await
        }
        Command::CompleteDisposition { declaration_id, note } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.complete_disposition(&actor.id, note, now)).await
        }
        Command::RecordDestinationResult { declaration_id, outcome, findings, note } => {
            let result = InspectionResult {
                outcome: *outcome,
                findings: findings.clone(),
                officer: actor.id.clone(),
                recorded_at: now,
                note: note.clone(),
            };
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.record_destination_result(result)).await
        }
        Command::Hold { declaration_id, reason } => {
            let Some(d) = load(conn, b, declaration_id).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            step(st, b, &who, at, d.clone(), d.hold(&actor.id, reason, now))
        }
        Command::Lab(l) => crate::lab::execute(conn, st, b, actor, l, now).await,
        Command::Field(f) => crate::field::execute(conn, st, b, actor, f, now).await,
        Command::Ceb(c) => crate::ceb::execute(conn, st, b, actor, c, now).await,
        Command::Reroute { declaration_id, lane, reason } => {
            on_declaration(conn, st, b, &who, at, declaration_id, |d| d.reroute(*lane, reason, &actor.id, now)).await
        }
        Command::Console(c) => crate::console::execute(conn, st, b, actor, c, now).await,
        Command::Token(c) => crate::tokens::execute(conn, st, b, actor, c, now).await,
        Command::RecordDeliveries(updates) => {
            for u in updates {
                sqlx::query("UPDATE deliveries SET state = $1, attempts = $2, next_attempt_ms = $3, last_error = $4, delivered_at_ms = $5 WHERE outbox_id = $6 AND subscription_id = $7")
                    .bind(if u.delivered { "delivered" } else { "pending" })
                    .bind(u.attempts)
                    .bind(u.next_attempt_ms)
                    .bind(u.error.clone())
                    .bind(if u.delivered { Some(at) } else { None })
                    .bind(u.outbox_id)
                    .bind(u.subscription_id.clone())
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(Ok(Outcome::Done))
        }
        Command::Complete { declaration_id, content, enterprise } => {
            let Some(d) =
                load(conn, b, declaration_id).await?.filter(|d| &d.filed_by == enterprise || d.content.parties().contains(&enterprise))
            else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            step(st, b, &who, at, d.clone(), d.complete(content.clone(), now))
        }
    }
}

/// Loads a declaration, runs one procedure on it and persists what it decided.
pub(crate) async fn on_declaration(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    at: i64,
    id: &str,
    procedure: impl FnOnce(&Declaration) -> Result<Vec<Event>, Refusal>,
) -> Result2<Outcome> {
    let Some(d) = load(conn, b, id).await? else {
        return Ok(Err(Refusal::not_found("declaration", "报关单")));
    };
    let events = procedure(&d);
    step(st, b, who, at, d, events)
}

pub(crate) fn step(
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    at: i64,
    d: Declaration,
    events: Result<Vec<Event>, Refusal>,
) -> Result2<Outcome> {
    Ok(events.map(|events| Outcome::Declaration { record: Box::new(persist(st, b, who, at, Some(d), &events)), replayed: false }))
}

/// Journals a declaration's events, queues the messages each sends, and stages the view row.
pub(crate) fn persist(
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    at: i64,
    before: Option<Declaration>,
    events: &[Event],
) -> Declaration {
    let prior = before.as_ref().map(crate::console::Facts::of);
    let (mut record, rest) = match before {
        Some(d) => (d, events),
        None => {
            for e in &events[..2] {
                b.append(st, who, at, e);
            }
            let d = Declaration::from_events(&events[..2]).expect("filing starts with filed + assessed");
            let seq = st.last_seq;
            let stream = events[1].stream();
            for o in outgoing(&events[1], &d) {
                b.outbox(st, seq, &stream, o.recipient.as_str(), o.topic, o.body.to_string(), at);
            }
            (d, &events[2..])
        }
    };
    for e in rest {
        let seq = b.append(st, who, at, e);
        record.apply(e);
        let stream = e.stream();
        for o in outgoing(e, &record) {
            b.outbox(st, seq, &stream, o.recipient.as_str(), o.topic, o.body.to_string(), at);
        }
    }
    b.console.record(prior, &record);
    b.declarations.insert(record.id.clone(), (record.clone(), at));
    record
}

async fn publish(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    at: i64,
    next: RuleSet,
    reason: &str,
) -> Result2<Outcome> {
    let errors: Vec<FieldError> = next.check();
    if !errors.is_empty() {
        return Ok(Err(Refusal::validation(errors)));
    }
    if reason.trim().is_empty() {
        return Ok(Err(Refusal::field("reason", "required", "say why the rules change", "请说明规则变更原因")));
    }
    let (published, changed) = st.rules.successor(next);
    b.append(st, who, at, &Event::RuleSetPublished { ruleset: published.clone(), changed: changed.clone(), reason: reason.to_owned() });
    sqlx::query("INSERT INTO rulesets (version, doc, changed, reason, published_by, published_at_ms) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(published.version as i64)
        .bind(serde_json::to_string(&published).expect("rules serialize"))
        .bind(serde_json::to_string(&changed).expect("strings serialize"))
        .bind(reason.to_owned())
        .bind(who.to_owned())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    let rules = Arc::new(published);
    st.rules = rules.clone();
    b.touched_rules = true;
    Ok(Ok(Outcome::Rules(rules)))
}

pub(crate) async fn check_enterprise(conn: &mut AnyConnection, role: Role, enterprise: &Option<CustomsCode>) -> Result2<()> {
    match (role.needs_enterprise(), enterprise) {
        (true, None) => Ok(Err(Refusal::field(
            "enterprise",
            "required",
            format!("role {} acts for an enterprise; name it", role.as_str()),
            format!("角色 {} 须指定所属企业", role.as_str()),
        ))),
        (false, Some(_)) => Ok(Err(Refusal::field(
            "enterprise",
            "not_allowed",
            format!("role {} acts for customs, not for an enterprise", role.as_str()),
            format!("角色 {} 属于海关，不能指定企业", role.as_str()),
        ))),
        (true, Some(e)) if !enterprise_exists(conn, e).await? => {
            Ok(Err(Refusal::field("enterprise", "enterprise_unknown", format!("no enterprise {e}"), format!("企业 {e} 不存在"))))
        }
        _ => Ok(Ok(())),
    }
}

pub(crate) async fn enterprise_exists(conn: &mut AnyConnection, code: &CustomsCode) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, String>("SELECT code FROM enterprises WHERE code = $1")
        .bind(code.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

pub(crate) async fn enterprise(conn: &mut AnyConnection, code: &CustomsCode) -> Result<Option<Enterprise>, sqlx::Error> {
    let row = sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises WHERE code = $1")
        .bind(code.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| crate::read::enterprise_from_row(&r)).transpose()
}

async fn trader_name(conn: &mut AnyConnection, d: &Declaration) -> Result<String, sqlx::Error> {
    Ok(enterprise(conn, &d.content.head.trade_code).await?.map(|e| e.name_zh).unwrap_or_default())
}

pub(crate) async fn load(conn: &mut AnyConnection, b: &Batch, id: &str) -> Result<Option<Declaration>, sqlx::Error> {
    if let Some((d, _)) = b.declarations.get(id) {
        return Ok(Some(d.clone()));
    }
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM declarations WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(Box::new(e)))).transpose()
}

async fn idempotent(conn: &mut AnyConnection, b: &Batch, k: &IdempotencyKey) -> Result<Option<(String, String)>, sqlx::Error> {
    if let Some(v) = b.idem.get(&(k.scope.clone(), k.key.clone())) {
        return Ok(Some(v.clone()));
    }
    let row = sqlx::query("SELECT request_hash, record_id FROM idempotency WHERE scope = $1 AND key = $2")
        .bind(k.scope.clone())
        .bind(k.key.clone())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The next 报关单号 and the counter value to record once the filing is accepted:
/// office (4) + year (4) + 1 for import / 0 for export + a 9-digit sequence per office, year and direction.
async fn next_entry_id(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    content: &DeclarationContent,
    now: OffsetDateTime,
) -> Result<(String, i64, String), sqlx::Error> {
    let flag = if content.head.ie_flag == declaration::IeFlag::Import { '1' } else { '0' };
    let prefix = format!("{}{}{}", content.head.customs_master, now.year(), flag);
    let name = format!("entry:{prefix}");
    let current = match b.counters_touched.get(&name).or_else(|| st.counters.get(&name)) {
        Some(v) => *v,
        None => sqlx::query_scalar::<_, i64>("SELECT value FROM counters WHERE name = $1")
            .bind(name.clone())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0),
    };
    let next = current + 1;
    Ok((name, next, format!("{prefix}{next:09}")))
}
