//! Quarantine permits and laboratory samples: commands and how the writer carries them out.
//! A sample's published conclusion is applied to its declaration in the same transaction.

use crate::batch::{ms, Batch};
use crate::commands::{actor_str, enterprise_exists, load, persist, Outcome, Result2};
use crate::writer::WriterState;
use crate::{Store, StoreError};
use guomen_domain::declaration::{Declaration, SamplingSource};
use guomen_domain::party::Actor;
use guomen_domain::quarantine::lab::{self, AnalyteSpec, Sample, SampleEvent, SamplingReason};
use guomen_domain::quarantine::permit::{self, Permit, PermitDraft, PermitEvent};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, FieldError, Refusal, RefusalKind};
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

/// A laboratory step on a sample, by the laboratory that holds it.
#[derive(Debug, Clone)]
pub enum LabStep {
    Receive,
    EnterResult { analyte: String, value: Option<Decimal>, detected: Option<bool> },
    Verify,
    Publish { not_interpretable_note: Option<String> },
    Retract { reason: String },
    Invalidate { reason: String },
}

/// A change to a permit or a sample.
#[derive(Debug, Clone)]
pub enum LabCommand {
    IssuePermit(PermitDraft),
    RevokePermit {
        id: String,
        reason: String,
    },
    /// 取样、封样、送检 — the officer takes the sample the declaration's sampling order calls for.
    TakeSample {
        declaration_id: String,
        lab: CustomsCode,
        seal_no: String,
        quantity: String,
        analytes: Option<Vec<String>>,
    },
    /// A laboratory step; `lab` is the acting laboratory's enterprise.
    Step {
        sample_id: String,
        lab: CustomsCode,
        step: LabStep,
    },
    CancelSample {
        sample_id: String,
        reason: String,
    },
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("records serialize")
}

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub(crate) async fn load_permit(conn: &mut AnyConnection, id: &str) -> Result<Option<Permit>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM permits WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| decode(&d)).transpose()
}

pub(crate) async fn save_permit(conn: &mut AnyConnection, p: &Permit, at: i64, insert: bool) -> Result<(), sqlx::Error> {
    let sql = if insert {
        "INSERT INTO permits (doc, holder, valid_to, issued_at_ms, id) VALUES ($1, $2, $3, $4, $5)"
    } else {
        "UPDATE permits SET doc = $1, holder = $2, valid_to = $3, issued_at_ms = $4 WHERE id = $5"
    };
    sqlx::query(sql)
        .bind(json(p))
        .bind(p.holder.to_string())
        .bind(p.valid_to.to_string())
        .bind(at)
        .bind(p.id.clone())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The permits a declaration names (licences with docu_code QP), for the check at filing.
pub(crate) async fn permits_named(
    conn: &mut AnyConnection,
    content: &guomen_domain::declaration::DeclarationContent,
) -> Result<Vec<Permit>, sqlx::Error> {
    let mut out = Vec::new();
    for l in content.licences.iter().filter(|l| l.docu_code == permit::PERMIT_DOCU_CODE) {
        if out.iter().any(|p: &Permit| p.id == l.cert_code) {
            continue;
        }
        if let Some(p) = load_permit(conn, &l.cert_code).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Journals permit write-offs decided at filing and updates the permits they touch.
pub(crate) async fn write_off(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    at: i64,
    events: Vec<PermitEvent>,
) -> Result<(), sqlx::Error> {
    for e in events {
        let Some(mut p) = load_permit(conn, e.permit_id()).await? else { continue };
        b.append(st, who, at, &Event::Permit(e.clone()));
        p.apply(&e);
        save_permit(conn, &p, ms(p.issued_at), false).await?;
    }
    Ok(())
}

async fn load_sample(conn: &mut AnyConnection, id: &str) -> Result<Option<Sample>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM samples WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| decode(&d)).transpose()
}

async fn save_sample(conn: &mut AnyConnection, s: &Sample, insert: bool) -> Result<(), sqlx::Error> {
    let sql = if insert {
        "INSERT INTO samples (doc, lab, status, conclusion, ordered_at_ms, published_at_ms, declaration_id, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    } else {
        "UPDATE samples SET doc = $1, lab = $2, status = $3, conclusion = $4, ordered_at_ms = $5, published_at_ms = $6, declaration_id = $7 WHERE id = $8"
    };
    sqlx::query(sql)
        .bind(json(s))
        .bind(s.lab.to_string())
        .bind(s.status.as_str())
        .bind(s.conclusion().map(|c| c.as_str()))
        .bind(ms(s.ordered_at))
        .bind(s.published.as_ref().map(|p| ms(p.at)))
        .bind(s.declaration_id.clone())
        .bind(s.id.clone())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn journal_sample(st: &mut WriterState, b: &mut Batch, who: &str, at: i64, sample: &mut Sample, events: &[SampleEvent]) {
    for e in events {
        b.append(st, who, at, &Event::Sample(e.clone()));
        sample.apply(e);
    }
}

/// The analytes to test: the commodity specifications of the declaration's goods, or the
/// officer's choice among them.
fn analytes_for(d: &Declaration, chosen: &Option<Vec<String>>) -> Result<Vec<AnalyteSpec>, Refusal> {
    let mut specs: Vec<AnalyteSpec> = Vec::new();
    for item in &d.content.items {
        for s in lab::specification_for(item.code_ts.as_str()) {
            if !specs.iter().any(|x| x.code == s.code) {
                specs.push(s);
            }
        }
    }
    let Some(codes) = chosen else { return Ok(specs) };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        match specs.iter().find(|s| &s.code == c) {
            Some(s) => out.push(s.clone()),
            None => errors.push(FieldError::new(
                format!("analytes[{i}]"),
                "analyte_unknown",
                format!(
                    "{c} is not in the specification of these goods ({})",
                    specs.iter().map(|s| s.code.as_str()).collect::<Vec<_>>().join(", ")
                ),
                format!("{c} 不在该商品的检测项目中"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Refusal::validation(errors))
    }
}

pub(crate) async fn execute(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    actor: &Actor,
    cmd: &LabCommand,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let who = actor_str(actor);
    let at = ms(now);
    match cmd {
        LabCommand::IssuePermit(draft) => {
            let events = match permit::issue(draft, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let p = Permit::from_events(&events).expect("issue starts a permit");
            if !enterprise_exists(conn, &p.holder).await? {
                return Ok(Err(Refusal::field(
                    "holder",
                    "enterprise_unknown",
                    format!("no enterprise {}", p.holder),
                    format!("企业 {} 不存在", p.holder),
                )));
            }
            if load_permit(conn, &p.id).await?.is_some() {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("permit {} already exists", p.id),
                    format!("检疫许可证 {} 已存在", p.id),
                )));
            }
            for e in &events {
                b.append(st, &who, at, &Event::Permit(e.clone()));
            }
            save_permit(conn, &p, at, true).await?;
            Ok(Ok(Outcome::Permit(Box::new(p))))
        }
        LabCommand::RevokePermit { id, reason } => {
            let Some(mut p) = load_permit(conn, id).await? else { return Ok(Err(Refusal::not_found("permit", "检疫许可证"))) };
            let events = match p.revoke(reason, &actor.id, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                b.append(st, &who, at, &Event::Permit(e.clone()));
                p.apply(e);
            }
            save_permit(conn, &p, ms(p.issued_at), false).await?;
            Ok(Ok(Outcome::Permit(Box::new(p))))
        }
        LabCommand::TakeSample { declaration_id, lab: lab_code, seal_no, quantity, analytes } => {
            let Some(d) = load(conn, b, declaration_id).await? else { return Ok(Err(Refusal::not_found("declaration", "报关单"))) };
            if !enterprise_exists(conn, lab_code).await? {
                return Ok(Err(Refusal::field(
                    "lab",
                    "enterprise_unknown",
                    format!("no laboratory {lab_code}"),
                    format!("实验室 {lab_code} 不存在"),
                )));
            }
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM samples WHERE declaration_id = $1")
                .bind(declaration_id.clone())
                .fetch_one(&mut *conn)
                .await?;
            let sample_id = format!("S{}-{}", declaration_id, n + 1);
            let decl_events = match d.take_sample(&sample_id, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let specs = match analytes_for(&d, analytes) {
                Ok(s) => s,
                Err(r) => return Ok(Err(r)),
            };
            let reason = match d.sampling.as_ref().map(|s| &s.source) {
                Some(SamplingSource::Officer { officer, note }) => SamplingReason::Officer { officer: officer.clone(), note: note.clone() },
                Some(SamplingSource::Targeting { criteria }) => SamplingReason::Targeting { criterion: criteria.join(",") },
                None => unreachable!("take_sample refuses a declaration without a sampling order"),
            };
            let ordered = match lab::order(&sample_id, declaration_id, lab_code.clone(), specs, reason, &actor.id, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let mut sample = Sample::from_events(&ordered).expect("order starts a sample");
            let taken = match sample.take(seal_no, quantity, &actor.id, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &ordered {
                b.append(st, &who, at, &Event::Sample(e.clone()));
            }
            journal_sample(st, b, &who, at, &mut sample, &taken);
            save_sample(conn, &sample, true).await?;
            let record = persist(st, b, &who, at, Some(d), &decl_events);
            // The laboratory is told a sample is on its way.
            let seq = st.last_seq;
            b.outbox(st, seq, &format!("sample:{}", sample.id), lab_code.as_str(), "sample.sent", json(&sample), at);
            Ok(Ok(Outcome::Sample { sample: Box::new(sample), declaration: Some(Box::new(record)) }))
        }
        LabCommand::Step { sample_id, lab: acting_lab, step } => {
            let Some(mut sample) = load_sample(conn, sample_id).await?.filter(|s| &s.lab == acting_lab) else {
                return Ok(Err(Refusal::not_found("sample", "样品")));
            };
            let by = actor.id.as_str();
            let events = match step {
                LabStep::Receive => sample.receive(by, now),
                LabStep::EnterResult { analyte, value, detected } => sample.enter_result(analyte, *value, *detected, by, now),
                LabStep::Verify => sample.verify(by, now),
                LabStep::Publish { not_interpretable_note } => sample.publish(by, not_interpretable_note.clone(), now),
                LabStep::Retract { reason } => sample.retract(by, reason, now),
                LabStep::Invalidate { reason } => sample.invalidate(by, reason, now),
            };
            let events = match events {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            journal_sample(st, b, &who, at, &mut sample, &events);
            save_sample(conn, &sample, false).await?;
            let mut declaration = None;
            if let (LabStep::Publish { .. }, Some(conclusion)) = (step, sample.conclusion()) {
                // The published conclusion drives the declaration, in the same transaction.
                if let Some(d) = load(conn, b, &sample.declaration_id).await? {
                    match d.laboratory_concluded(&sample.id, conclusion, now) {
                        Ok(ev) => declaration = Some(Box::new(persist(st, b, &who, at, Some(d), &ev))),
                        Err(r) => return Ok(Err(r)),
                    }
                }
            }
            Ok(Ok(Outcome::Sample { sample: Box::new(sample), declaration }))
        }
        LabCommand::CancelSample { sample_id, reason } => {
            let Some(mut sample) = load_sample(conn, sample_id).await? else { return Ok(Err(Refusal::not_found("sample", "样品"))) };
            let events = match sample.cancel(&actor.id, reason, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            journal_sample(st, b, &who, at, &mut sample, &events);
            save_sample(conn, &sample, false).await?;
            Ok(Ok(Outcome::Sample { sample: Box::new(sample), declaration: None }))
        }
    }
}

impl Store {
    pub async fn permit(&self, id: &str) -> Result<Option<Permit>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM permits WHERE id = $1").bind(id.to_owned()).fetch_optional(self.read_pool()).await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    /// Permits, optionally of one holder, newest first.
    pub async fn permits(&self, holder: Option<&str>) -> Result<Vec<Permit>, StoreError> {
        let rows = match holder {
            Some(h) => {
                sqlx::query("SELECT doc FROM permits WHERE holder = $1 ORDER BY issued_at_ms DESC, id")
                    .bind(h.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            None => sqlx::query("SELECT doc FROM permits ORDER BY issued_at_ms DESC, id LIMIT 1000").fetch_all(self.read_pool()).await?,
        };
        Ok(rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?)
    }

    pub async fn sample(&self, id: &str) -> Result<Option<Sample>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM samples WHERE id = $1").bind(id.to_owned()).fetch_optional(self.read_pool()).await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    /// Samples, optionally held by one laboratory or of one declaration, newest first.
    pub async fn samples(&self, lab: Option<&str>, declaration: Option<&str>) -> Result<Vec<Sample>, StoreError> {
        let rows = match (lab, declaration) {
            (_, Some(d)) => {
                sqlx::query("SELECT doc FROM samples WHERE declaration_id = $1 ORDER BY ordered_at_ms DESC, id")
                    .bind(d.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            (Some(l), None) => {
                sqlx::query("SELECT doc FROM samples WHERE lab = $1 ORDER BY ordered_at_ms DESC, id LIMIT 1000")
                    .bind(l.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            (None, None) => {
                sqlx::query("SELECT doc FROM samples ORDER BY ordered_at_ms DESC, id LIMIT 1000").fetch_all(self.read_pool()).await?
            }
        };
        let mut out: Vec<Sample> = rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?;
        if let (Some(l), Some(_)) = (lab, declaration) {
            out.retain(|s| s.lab.as_str() == l);
        }
        Ok(out)
    }
}
