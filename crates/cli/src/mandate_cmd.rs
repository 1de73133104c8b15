//! `guomen mandate grant|revoke|list`: mandates (委托) from the command line, for operators who
//! record a mandate an enterprise gave on paper, withdraw one, or look them up.

use crate::cli::{cli_actor, DataArgs};
use anyhow::{anyhow, bail};
use clap::Subcommand;
use guomen_domain::clearance::cst_day;
use guomen_domain::mandate::{Mandate, MandateDraft};
use guomen_domain::types::CustomsCode;
use guomen_store::mandate::{MandateCommand, MandateFilter};
use guomen_store::{Command, Outcome, StoreError};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum MandateCmd {
    /// Record a mandate the consignor gave an agent, and print its number.
    Grant {
        #[command(flatten)]
        data: DataArgs,
        /// The enterprise giving the mandate (委托方), by customs code.
        #[arg(long)]
        consignor: String,
        /// The agent (被委托方, usually a customs broker), by customs code.
        #[arg(long)]
        agent: String,
        /// declarations | ceb-inventories; repeat for both.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// First customs day, YYYY-MM-DD (China Standard Time); today when absent.
        #[arg(long)]
        from: Option<String>,
        /// Last customs day, YYYY-MM-DD, included.
        #[arg(long)]
        until: String,
    },
    /// Revoke a mandate; the agent can no longer act under it.
    Revoke {
        #[command(flatten)]
        data: DataArgs,
        /// The mandate's number (WT…).
        id: String,
        /// Why it is revoked (recorded in the journal).
        #[arg(long)]
        reason: String,
    },
    /// List mandates, newest first: all, or those an enterprise gave or holds.
    List {
        #[command(flatten)]
        data: DataArgs,
        /// Only mandates this enterprise gave or holds.
        #[arg(long)]
        enterprise: Option<String>,
        /// At most this many (up to 500).
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

fn refused(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Refused(r) => {
            let mut s = format!("{} / {}", r.detail_en, r.detail_zh);
            for e in &r.errors {
                s.push_str(&format!("\n  {}: {} / {}", if e.path.is_empty() { "(mandate)" } else { &e.path }, e.en, e.zh));
            }
            anyhow!(s)
        }
        other => anyhow!("{other}"),
    }
}

/// One line per mandate: number, consignor → agent, scopes, dates, status today.
pub fn line(m: &Mandate) -> String {
    let today = cst_day(time::OffsetDateTime::now_utc());
    let scopes: Vec<&str> = m.scopes.iter().map(|s| s.as_str()).collect();
    format!(
        "{}  {} -> {}  {}  {}..{}  {}",
        m.id,
        m.consignor,
        m.agent,
        scopes.join(","),
        m.valid_from,
        m.valid_until,
        m.status(today).as_str()
    )
}

pub async fn run(cmd: MandateCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        MandateCmd::Grant { data, consignor, agent, scopes, from, until } => {
            let consignor = CustomsCode::parse(&consignor).map_err(|e| anyhow!("--consignor: {} / {}", e.en, e.zh))?;
            let scopes = scopes.iter().flat_map(|s| s.split(',')).map(|s| s.trim().to_owned()).collect();
            let draft = MandateDraft { agent: Some(agent), scopes, valid_from: from, valid_until: Some(until) };
            let store = data.open().await?;
            match store.execute(cli_actor(), Command::Mandate(MandateCommand::Grant { consignor, draft })).await.map_err(refused)? {
                Outcome::Mandate(m) => println!("mandate {} granted: {}", m.id, line(&m)),
                other => bail!("unexpected outcome {other:?}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        MandateCmd::Revoke { data, id, reason } => {
            let store = data.open().await?;
            match store.execute(cli_actor(), Command::Mandate(MandateCommand::Revoke { id, reason })).await.map_err(refused)? {
                Outcome::Mandate(m) => println!("mandate {} revoked: {}", m.id, line(&m)),
                other => bail!("unexpected outcome {other:?}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        MandateCmd::List { data, enterprise, limit } => {
            // Reads only, so it works beside a running server.
            if data.database.is_none() && !data.data.join("guomen.db").exists() {
                bail!("{} holds no Guomen database", data.data.display());
            }
            let store = guomen_store::Store::open_read_only(&data.location()?).await.map_err(|e| anyhow!("{e}"))?;
            let f = MandateFilter { party: enterprise.map(|e| e.trim().to_owned()), limit, ..Default::default() };
            let list = store.mandates(&f).await.map_err(refused)?;
            if list.is_empty() {
                println!("no mandates");
            }
            for m in &list {
                println!("{}", line(m));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
