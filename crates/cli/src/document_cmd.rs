//! `guomen verify-document`: a document checked offline with the public keys alone; and
//! `guomen phyto import|xml`: phytosanitary certificates from the command line, for operators
//! who receive certificates from the ePhyto hub in batches or hand one on as a file.

use crate::cli::DataArgs;
use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use guomen_domain::document::{self, DocumentKind, SignedDocument};
use guomen_domain::party::{Actor, Role};
use guomen_domain::signing::PublicKeySet;
use guomen_store::{Command, Outcome, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PhytoCmd {
    /// Receive SPSCertificate files (UTF-8 or UTF-16) as `POST /api/v1/certificates/phyto/import`
    /// does, as customs; each linked to the import declaration named, or found by its bill.
    Import {
        #[command(flatten)]
        data: DataArgs,
        /// The import declaration to link every file to.
        #[arg(long, conflicts_with = "bill")]
        declaration: Option<String>,
        /// The bill of lading whose import declaration every file is linked to.
        #[arg(long)]
        bill: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print an issued certificate as SPSCertificate XML, with its signature.
    Xml {
        #[command(flatten)]
        data: DataArgs,
        number: String,
    },
}

fn refused(e: StoreError) -> String {
    match e {
        StoreError::Refused(r) => {
            let mut s = format!("{} / {}", r.detail_en, r.detail_zh);
            for e in &r.errors {
                s.push_str(&format!("\n  {}: {} / {}", if e.path.is_empty() { "(certificate)" } else { &e.path }, e.en, e.zh));
            }
            s
        }
        other => other.to_string(),
    }
}

pub async fn phyto(cmd: PhytoCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        PhytoCmd::Import { data, declaration, bill, files } => {
            let store = data.open().await?;
            let actor = Actor { id: "cli:phyto-import".into(), role: Some(Role::Officer), enterprise: None };
            let mut failed = 0;
            for f in &files {
                let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
                let outcome = match guomen_service::phyto::receive(&bytes, declaration.as_deref(), bill.as_deref()) {
                    Ok(cmd) => store.execute(actor.clone(), Command::Phyto(cmd)).await.map_err(refused),
                    Err(r) => Err(refused(StoreError::Refused(r))),
                };
                match outcome {
                    Ok(Outcome::PhytoReceived { certificate: c, new }) => {
                        let link = c.declaration.as_deref().map(|d| format!(", declaration {d}")).unwrap_or_default();
                        let failing: Vec<&str> = c.checks.iter().filter(|x| !x.holds).map(|x| x.en.as_str()).collect();
                        println!(
                            "{}: {} {}{}{}",
                            f.display(),
                            if new { "received" } else { "already received" },
                            c.key,
                            link,
                            if failing.is_empty() { String::new() } else { format!(" (check: {})", failing.join("; ")) }
                        );
                    }
                    Ok(other) => bail!("unexpected outcome {other:?}"),
                    Err(e) => {
                        failed += 1;
                        eprintln!("{}: refused: {e}", f.display());
                    }
                }
            }
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        PhytoCmd::Xml { data, number } => {
            let store = guomen_store::Store::open_read_only(&data.location()?).await.map_err(|e| anyhow!("{e}"))?;
            let c =
                store.phyto_certificate(&number).await.map_err(|e| anyhow!("{e}"))?.ok_or_else(|| anyhow!("no certificate {number}"))?;
            let xml =
                guomen_service::phyto::xml(&c).ok_or_else(|| anyhow!("certificate {number} is {}: not issued", c.status.name_en()))?;
            print!("{xml}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The signed document a file holds: an SPSCertificate (its `guomen-signature` instruction) or
/// the JSON of the public record (`GET /api/v1/public/documents/{number}`), with the office the
/// record names as the issuer, if it names one.
fn read_document(file: &Path) -> anyhow::Result<(SignedDocument, Option<String>)> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let xml = bytes.get(start) == Some(&b'<') || bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if xml {
        let read = guomen_messages::sps::read_sps(&bytes).map_err(|r| {
            let paths: Vec<String> = r.errors.iter().map(|e| format!("{}: {}", e.path, e.en)).collect();
            anyhow!("not an SPSCertificate: {} {}", r.detail_en, paths.join("; "))
        })?;
        let sig = read
            .signature
            .ok_or_else(|| anyhow!("the certificate carries no guomen-signature instruction: it was not signed by Guomen"))?;
        let doc = SignedDocument {
            kind: DocumentKind::PhytosanitaryCertificate,
            number: read.document.number.clone(),
            content: read.document.content(),
            key_id: sig.key_id,
            signature: sig.signature,
        };
        return Ok((doc, None));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes).context("neither XML nor JSON")?;
    let office = value.get("office").and_then(|o| o.as_str()).map(str::to_owned);
    let doc: SignedDocument = serde_json::from_value(value).context("not a signed document (kind, number, content, key_id, signature)")?;
    Ok((doc, office))
}

/// `guomen verify-document FILE --keys KEYS.json`: exits 0 when the document is what its issuing
/// office signed, 1 when it is not (altered, another key, a key not in the set), 2 when a file
/// cannot be read.
pub fn verify_document(file: &Path, keys: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(keys).with_context(|| format!("cannot read {}", keys.display()))?;
    let set = match PublicKeySet::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: not a public key set: {e}", keys.display());
            return Ok(ExitCode::from(2));
        }
    };
    let (doc, office) = match read_document(file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}: {e:#}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    match document::verify(&set, &doc, office.as_deref()) {
        Ok(key) => {
            println!(
                "VALID: {} {} is what office {} signed (key {}{})",
                doc.kind.name_en(),
                doc.number,
                key.owner,
                key.key_id,
                key.retired.as_deref().map(|r| format!(", retired {r}")).unwrap_or_default()
            );
            println!("有效：{} {} 系签证机构 {} 签发（密钥 {}）", doc.kind.name_zh(), doc.number, key.owner, key.key_id);
            println!("Whether it is still in force (not replaced or withdrawn) is on its public record: /verify/{}", doc.number);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("INVALID: {} {}: {e}", doc.kind.name_en(), doc.number);
            println!("无效：{} {}：{}", doc.kind.name_zh(), doc.number, e.zh());
            Ok(ExitCode::FAILURE)
        }
    }
}
