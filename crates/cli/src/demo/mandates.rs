//! 委托 — the brokers' mandates. Every trader a port's customs broker files for mandated that
//! broker for declarations on the morning the parties were registered, until a year after the
//! last day simulated, so the brokers can go on filing for them in the served demo. Two
//! histories that did not last sit beside them: 东莞精工 also mandated the untrustworthy broker
//! 顺发 and revoked it the next morning, keeping 粤通; and 恒昌 tried 顺发 for February only.

use super::flow::Sim;
use super::parties::{Parties, FIRMS, USERS};
use super::plan::{cst, cst_date, Calendar, Case};
use anyhow::{anyhow, Context};
use guomen_domain::mandate::MandateDraft;
use guomen_domain::party::{Actor, Role};
use guomen_store::mandate::MandateCommand;
use guomen_store::{Command, Outcome};
use std::collections::BTreeSet;
use time::{Duration, OffsetDateTime};

/// Who records a firm's mandate: its own declarant when it has a demo user, else the operator
/// who entered the paper mandate.
fn grantor(parties: &Parties, firm: &str) -> Actor {
    match USERS.iter().find(|u| u.firm == Some(firm) && u.role == Role::Declarant) {
        Some(u) => parties.actor(u.username),
        None => crate::cli::cli_actor(),
    }
}

fn key_of(code: &str) -> anyhow::Result<&'static str> {
    FIRMS.iter().find(|f| f.code == code).map(|f| f.key).ok_or_else(|| anyhow!("the demo files for {code}, which it does not register"))
}

async fn give(
    sim: &mut Sim<'_>,
    parties: &Parties,
    consignor: &str,
    agent: &str,
    scopes: &[&str],
    until: time::Date,
    at: OffsetDateTime,
) -> anyhow::Result<String> {
    let draft = MandateDraft {
        agent: Some(parties.code(agent).to_string()),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        valid_from: None,
        valid_until: Some(until.to_string()),
    };
    let command = Command::Mandate(MandateCommand::Grant { consignor: parties.code(consignor), draft });
    match sim.exec(grantor(parties, consignor), command, at).await.with_context(|| format!("{consignor} mandating {agent}"))? {
        Outcome::Mandate(m) => Ok(m.id.clone()),
        other => Err(anyhow!("unexpected outcome {other:?}")),
    }
}

/// Grants the mandates the demo's filings need, and the two short histories; returns how many.
pub async fn grant(sim: &mut Sim<'_>, parties: &Parties, cases: &[Case], cal: &Calendar) -> anyhow::Result<usize> {
    let mut pairs = BTreeSet::new();
    for c in cases {
        let trader = c.draft.head.trade_code.as_deref().unwrap_or_default();
        if parties.code(c.filer).as_str() != trader {
            pairs.insert((key_of(trader)?, c.filer));
        }
    }
    let until = cst_date(cal.end) + Duration::days(365);
    let mut at = cal.setup_at + Duration::hours(2);
    let mut n = 0;
    for (trader, broker) in &pairs {
        at += Duration::minutes(3);
        give(sim, parties, trader, broker, &["declarations"], until, at).await?;
        n += 1;
    }
    // 东莞精工 also mandates 顺发, and revokes it the next morning.
    let day = cst_date(cal.setup_at);
    let short = give(sim, parties, "jinggong", "shunfa", &["declarations"], day + Duration::days(180), at + Duration::minutes(5)).await?;
    let revoke = Command::Mandate(MandateCommand::Revoke {
        id: short,
        reason: "委托方改由广州粤通报关有限公司代理报关 / the consignor now declares through Guangzhou Yuetong Customs Brokerage".into(),
    });
    sim.exec(grantor(parties, "jinggong"), revoke, cst(day + Duration::days(1), 8, 30)).await.context("revoking 精工's mandate to 顺发")?;
    // 恒昌 tries 顺发 for February.
    let february_end = time::Date::from_calendar_date(cal.year, time::Month::February, 28).map_err(|e| anyhow!("{e}"))?;
    give(sim, parties, "hengchang", "shunfa", &["declarations", "ceb-inventories"], february_end, cst(day + Duration::days(1), 9, 0))
        .await?;
    Ok(n + 2)
}
