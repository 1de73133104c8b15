//! `guomen ceb import` and `guomen guarantee add`: cross-border e-commerce from the command line.

use crate::cli::{cli_actor, DataArgs};
use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use futures_util::stream::{self, StreamExt};
use guomen_domain::ceb::GuaranteeKind;
use guomen_domain::RefusalKind;
use guomen_service::ceb::{process, Sender};
use guomen_service::problem::problem_body;
use guomen_service::Failure;
use guomen_store::ceb::CebCommand;
use guomen_store::{Command, Outcome, StoreError};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum CebCmd {
    /// Answer CEB message files as the HTTP endpoint would, writing one receipt per file.
    Import {
        #[command(flatten)]
        data: DataArgs,
        /// Directory for the receipts: NAME.xml is answered in NAME.receipt.xml (with a negative
        /// returnStatus when it breaks the schema); a message no receipt can be written for gets
        /// NAME.problem.json instead.
        #[arg(long)]
        receipts: PathBuf,
        /// Messages processed at once (they share group commits).
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// CEB message files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum GuaranteeCmd {
    /// Register a general guarantee (总担保) held by an enterprise, or add to it.
    Add {
        #[command(flatten)]
        data: DataArgs,
        /// The holder's code, as inventory lists name it in assureCode.
        #[arg(long)]
        enterprise: String,
        /// Amount in CNY.
        #[arg(long)]
        amount: String,
        /// deposit | bank-letter | tariff-insurance | group-finance | third-party
        #[arg(long, default_value = "bank-letter")]
        kind: String,
    },
}

/// What became of one file.
enum Filed {
    Answered,
    Refused,
    Unreadable(String),
}

fn output_name(file: &Path, suffix: &str) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "message".into());
    format!("{stem}.{suffix}")
}

async fn one(store: &guomen_store::Store, file: &Path, out: &Path) -> Filed {
    let bytes = match tokio::fs::read(file).await {
        Ok(b) => b,
        Err(e) => return Filed::Unreadable(format!("{}: {e}", file.display())),
    };
    let seed: u64 = rand::random();
    match process(store, None, &cli_actor(), Sender::Operator, &bytes, seed).await {
        Ok(p) => match tokio::fs::write(out.join(output_name(file, "receipt.xml")), p.receipt).await {
            Ok(()) => Filed::Answered,
            Err(e) => Filed::Unreadable(format!("cannot write the receipt of {}: {e}", file.display())),
        },
        Err(Failure::RefusedWith(_, members)) if members.get("receipt").is_some_and(|v| v.is_string()) => {
            // A message that breaks the schema is answered with its negative-status receipt.
            let receipt = members.get("receipt").and_then(|v| v.as_str()).unwrap_or_default();
            match tokio::fs::write(out.join(output_name(file, "receipt.xml")), receipt).await {
                Ok(()) => Filed::Refused,
                Err(e) => Filed::Unreadable(format!("cannot write the receipt of {}: {e}", file.display())),
            }
        }
        Err(Failure::Refused(r) | Failure::RefusedWith(r, _)) => {
            let body = serde_json::to_string_pretty(&problem_body(&r)).unwrap_or_default();
            if let Err(e) = tokio::fs::write(out.join(output_name(file, "problem.json")), body).await {
                return Filed::Unreadable(format!("cannot write the problem of {}: {e}", file.display()));
            }
            if r.kind == RefusalKind::Malformed {
                Filed::Unreadable(format!("{}: {} / {}", file.display(), r.detail_en, r.detail_zh))
            } else {
                Filed::Refused
            }
        }
        Err(other) => Filed::Unreadable(format!("{}: {other:?}", file.display())),
    }
}

pub async fn run(cmd: CebCmd) -> anyhow::Result<ExitCode> {
    let CebCmd::Import { data, receipts, concurrency, files } = cmd;
    std::fs::create_dir_all(&receipts).with_context(|| format!("cannot create {}", receipts.display()))?;
    let store = data.open().await?;
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} messages {per_sec} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let results: Vec<Filed> = stream::iter(files.iter())
        .map(|f| {
            let (store, out, bar) = (&store, &receipts, &bar);
            async move {
                let r = one(store, f, out).await;
                bar.inc(1);
                r
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    bar.finish_and_clear();
    store.checkpoint().await.context("truncating the WAL after the import")?;
    let answered = results.iter().filter(|r| matches!(r, Filed::Answered)).count();
    let refused = results.iter().filter(|r| matches!(r, Filed::Refused)).count();
    let unreadable: Vec<&String> = results.iter().filter_map(|r| if let Filed::Unreadable(m) = r { Some(m) } else { None }).collect();
    for m in &unreadable {
        eprintln!("unreadable: {m}");
    }
    println!(
        "{} messages: {answered} answered, {refused} refused, {} unreadable; receipts in {}",
        files.len(),
        unreadable.len(),
        receipts.display()
    );
    Ok(if unreadable.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub async fn guarantee(cmd: GuaranteeCmd) -> anyhow::Result<ExitCode> {
    let GuaranteeCmd::Add { data, enterprise, amount, kind } = cmd;
    let amount: Decimal = amount.trim().parse().map_err(|_| anyhow!("--amount must be a sum in CNY, e.g. 500000 or 1250.50"))?;
    let kind = GuaranteeKind::parse(&kind)
        .ok_or_else(|| anyhow!("unknown guarantee kind {kind:?}: deposit, bank-letter, tariff-insurance, group-finance or third-party"))?;
    let store = data.open().await?;
    let cmd = Command::Ceb(CebCommand::AddGuarantee { code: enterprise.trim().to_owned(), kind, amount });
    match store.execute(cli_actor(), cmd).await {
        Ok(Outcome::Guarantee(g)) => {
            println!("guarantee of {} now {} CNY ({} reserved, {} left)", g.code, g.amount, g.reserved, g.left());
            Ok(ExitCode::SUCCESS)
        }
        Ok(other) => bail!("unexpected outcome {other:?}"),
        Err(StoreError::Refused(r)) => bail!(
            "{} / {}{}",
            r.detail_en,
            r.detail_zh,
            r.errors.iter().map(|e| format!("\n  {}: {} / {}", e.path, e.en, e.zh)).collect::<String>()
        ),
        Err(e) => bail!("{e}"),
    }
}
