//! The journal's transparency log from the command line: `guomen verify --checkpoint FILE`
//! checks a data directory against a checkpoint kept elsewhere, and `guomen journal checkpoint`
//! prints the latest signed checkpoint (or signs one) for an operator to keep.

use crate::cli::DataArgs;
use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use guomen_domain::signing::PublicKeySet;
use guomen_domain::transparency::Checkpoint;
use guomen_store::{CheckpointFinding, Store};
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum JournalCmd {
    /// Print the latest signed checkpoint of the journal's Merkle tree as JSON, as
    /// `GET /api/v1/journal/checkpoint` serves it; keep it to check later with
    /// `guomen verify --checkpoint FILE`.
    Checkpoint {
        #[command(flatten)]
        data: DataArgs,
        /// Sign a checkpoint of the journal as it is now first (opens the store for writing:
        /// not beside a running server on PostgreSQL, which holds the writer's lock).
        #[arg(long)]
        new: bool,
    },
}

pub async fn run(command: JournalCmd) -> anyhow::Result<ExitCode> {
    match command {
        JournalCmd::Checkpoint { data, new } => {
            let latest = if new {
                data.open().await?.sign_checkpoint().await.map_err(|e| anyhow!("{e}"))?
            } else {
                crate::cli::require_database(&data)?;
                Store::open_read_only(&data.location()?)
                    .await
                    .map_err(|e| anyhow!("{e}"))?
                    .latest_checkpoint()
                    .await
                    .map_err(|e| anyhow!("{e}"))?
            };
            match latest {
                Some(cp) => {
                    println!("{}", serde_json::to_string_pretty(&cp)?);
                    Ok(ExitCode::SUCCESS)
                }
                None if new => bail!("the journal is empty: there is nothing to checkpoint"),
                None => bail!("no checkpoint has been signed yet; `guomen journal checkpoint --new` signs one"),
            }
        }
    }
}

/// `guomen verify --checkpoint FILE [--keys KEYS.json]`: the checkpoint's signature with the
/// public keys (the file given, or the data directory's key file), then the journal against it.
/// Answers whether the journal extends it.
pub async fn verify_against(store: &Store, data: &DataArgs, file: &Path, keys: Option<&Path>) -> anyhow::Result<bool> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read the checkpoint {}", file.display()))?;
    let cp = Checkpoint::parse(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let set = match keys {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the public keys {}", path.display()))?;
            PublicKeySet::parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?
        }
        None => data.keyring()?.public_keys().map_err(|e| anyhow!("{e}"))?,
    };
    match cp.verify(&set) {
        Ok(key) => println!("checkpoint signature verified: key {} (journal), tree of {} entries", key.key_id, cp.tree_size),
        Err(e) => {
            println!("checkpoint signature does NOT verify: {e}");
            return Ok(false);
        }
    }
    let check = store.check_checkpoint(&cp).await.map_err(|e| anyhow!("{e}"))?;
    let (m, n) = (cp.tree_size, check.entries);
    match &check.finding {
        CheckpointFinding::Extends => println!(
            "journal extends the checkpoint: {m} → {n} entries, chain intact; root {} recomputed from the entries; the stored tree's consistency proof holds",
            hex(&check.root)
        ),
        CheckpointFinding::Broken(b) => println!("journal BROKEN after {n} good entries: {b}"),
        CheckpointFinding::Truncated => println!("journal TRUNCATED: it holds {n} entries; the checkpoint covers {m}"),
        CheckpointFinding::Rewritten => println!(
            "journal REWRITTEN: its first {m} entries do not hash to the checkpoint's root {}",
            hex(&cp.root_hash)
        ),
        CheckpointFinding::TreeAltered(why) => println!(
            "journal's Merkle tree ALTERED: the entries extend the checkpoint ({m} → {n}), but the stored tree's consistency proof fails: {why}"
        ),
    }
    Ok(check.ok())
}

fn hex(hash: &[u8]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}
