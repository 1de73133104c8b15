//! Fills a store with a year of declarations for `guomen bench console`, through the store's
//! write path (`Store::execute_at`, many commands in flight so group commit takes them in large
//! batches): filings spread over the last 365 days, imports and exports, eight customs offices;
//! the goods the targeting selects are reported in position, inspected and released a few hours
//! later, except for a share of recent ones left waiting in the officer's queue.

use super::data::{Declarations, Port};
use anyhow::{anyhow, Context};
use guomen_domain::declaration::{validate, DeclarationDraft, ValidationContext};
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::{Actor, Role};
use guomen_domain::types::CustomsCode;
use guomen_store::DeclarationCommand;
use guomen_store::{Outcome, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

const OFFICES: &[&str] = &["2248", "2201", "5141", "5316", "3701", "4200", "0101", "9501"];
const HOUR: i64 = 3600;

fn officer() -> Actor {
    Actor { id: "user:bench-officer".into(), role: Some(Role::Officer), enterprise: None }
}

/// Declaration `i`: filed at a time in the last year, at one of the offices, import or export.
fn draft(decls: &Declarations, i: u64, now: OffsetDateTime) -> anyhow::Result<(DeclarationDraft, OffsetDateTime)> {
    let mut rng = StdRng::seed_from_u64(i ^ 0x5eed_c0de);
    let filed = now - Duration::seconds(rng.gen_range(60..365 * 24 * HOUR));
    let mut v: serde_json::Value = serde_json::from_slice(&decls.body(i))?;
    let office = OFFICES[rng.gen_range(0..OFFICES.len())];
    let head = &mut v["head"];
    head["customs_master"] = office.into();
    head["ie_port"] = office.into();
    head["ie_date"] = filed.date().to_string().into();
    if rng.gen_bool(0.3) {
        head["ie_flag"] = "E".into();
        let items = v["items"].as_array_mut().ok_or_else(|| anyhow!("items"))?;
        for item in items.iter_mut() {
            let origin = item["origin_country"].clone();
            item["destination_country"] = origin;
            item["origin_country"] = "CHN".into();
        }
    }
    Ok((serde_json::from_value(v)?, filed))
}

async fn run_one(
    store: &Store,
    decls: &Declarations,
    codes: &(CustomsCode, CustomsCode),
    actor: &Actor,
    i: u64,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let (trader, terminal_code) = codes;
    let (draft, filed) = draft(decls, i, now)?;
    let content = {
        let dir = store.directory().read().expect("directory lock");
        let ctx = ValidationContext {
            today: filed.date(),
            enterprise: &|c: &CustomsCode| dir.enterprises.get(c.as_str()).cloned(),
            site_known: &|s: &str| dir.sites.contains_key(s),
        };
        validate(&draft, &ctx).map_err(|e| anyhow!("declaration {i} is invalid: {e:?}"))?
    };
    let cmd = DeclarationCommand::File { content, filed_by: trader.clone(), idempotency: None, seed: i };
    let Outcome::Declaration { record, .. } = store.execute_at(actor.clone(), cmd, filed).await.map_err(|e| anyhow!("filing {i}: {e}"))?
    else {
        return Err(anyhow!("filing {i}: unexpected outcome"));
    };
    if !record.lane().needs_inspection() {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(i ^ 0xface);
    // Recent declarations are still being worked on; a few old ones are stuck.
    let age_h = (now - filed).whole_hours();
    let open = if age_h < 48 { rng.gen_bool(0.5) } else { rng.gen_bool(0.03) };
    if open {
        return Ok(());
    }
    let id = record.id.clone();
    let mut t = filed;
    if record.lane() == guomen_domain::risk::Lane::Red {
        t += Duration::seconds(rng.gen_range(HOUR..8 * HOUR));
        let container = record.content.containers.first().map(|c| c.container_id.clone()).unwrap_or_default();
        let terminal = Actor { id: "user:bench-terminal".into(), role: Some(Role::Terminal), enterprise: Some(terminal_code.clone()) };
        let cmd = DeclarationCommand::ReportPosition {
            declaration_id: id.clone(),
            record_no: format!("CY{id}"),
            container_no: container,
            site_name: "洋山查验场".into(),
            slot_code: format!("Y{:03}", i % 1000),
            arrived_at: t,
            terminal: terminal_code.clone(),
        };
        store.execute_at(terminal, cmd, t).await.map_err(|e| anyhow!("position {id}: {e}"))?;
    }
    t += Duration::seconds(rng.gen_range(HOUR..6 * HOUR));
    let bad = rng.gen_bool(0.04);
    let (outcome, findings) = if bad {
        (InspectionOutcome::NotSatisfactory, vec!["数量与申报不符".to_owned()])
    } else {
        (InspectionOutcome::Satisfactory, vec![])
    };
    let cmd = DeclarationCommand::RecordResult { declaration_id: id.clone(), outcome, findings, note: None };
    store.execute_at(officer(), cmd, t).await.map_err(|e| anyhow!("result {id}: {e}"))?;
    t += Duration::seconds(rng.gen_range(HOUR / 2..4 * HOUR));
    if !bad && record.sampling.as_ref().is_some_and(|x| x.pending()) {
        // Targeted for the laboratory: the consignee commits and takes the goods (预提离).
        let cmd = DeclarationCommand::SubmitCommitment {
            declaration_id: id.clone(),
            enterprise: trader.clone(),
            signed_by: "王经理".into(),
            storage_address: "上海市浦东新区冷库 3 号".into(),
            contact_phone: "021-5000 0000".into(),
            promise_accepted: true,
        };
        store.execute_at(actor.clone(), cmd, t).await.map_err(|e| anyhow!("commitment {id}: {e}"))?;
        t += Duration::seconds(rng.gen_range(600..2 * HOUR));
        let cmd = DeclarationCommand::AcceptCommitment { declaration_id: id.clone() };
        store.execute_at(officer(), cmd, t).await.map_err(|e| anyhow!("pre-release {id}: {e}"))?;
        return Ok(());
    }
    let note = bad.then(|| "补税并改单后放行".to_owned());
    let cmd = DeclarationCommand::Release { declaration_id: id.clone(), note, permitted_to_enter_only: false };
    store.execute_at(officer(), cmd, t).await.map_err(|e| anyhow!("release {id}: {e}"))?;
    Ok(())
}

/// Files `n` declarations (and their later steps) from `tasks` concurrent tasks.
pub async fn fill(store: &Store, port: &Port, n: u64, tasks: usize) -> anyhow::Result<()> {
    let decls = Arc::new(Declarations::new(port)?);
    let codes = Arc::new((port.trader.code.clone(), port.terminal.code.clone()));
    let next = Arc::new(AtomicU64::new(0));
    let now = OffsetDateTime::now_utc();
    let actor = Actor { id: "user:bench-trader".into(), role: Some(Role::Declarant), enterprise: Some(port.trader.code.clone()) };
    let started = std::time::Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let (store, decls, next, codes, actor) = (store.clone(), decls.clone(), next.clone(), codes.clone(), actor.clone());
        set.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), anyhow::Error>(());
                }
                run_one(&store, &decls, &codes, &actor, i, now).await?;
                if i > 0 && i % 50_000 == 0 {
                    let rate = i as f64 / started.elapsed().as_secs_f64();
                    super::say(&format!("  {i} declarations filed ({rate:.0}/s)"));
                }
            }
        });
    }
    while let Some(r) = set.join_next().await {
        r.context("a filling task panicked")??;
    }
    Ok(())
}
