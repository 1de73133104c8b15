//! The customs node for cross-border e-commerce messages, shared by `POST /api/v1/ceb` and
//! `guomen ceb import`: read and check the message, make sure the sender is a party it names,
//! hold back floods of one buyer, hand the declared documents to the write path, and write
//! the receipt from the answers.
//!
//! Documents with `appStatus` other than 2 (申报) are drafts kept by the sender's own
//! e-port client (1 暂存); customs does not process them and answers 100 saying so.

pub mod message;
pub mod receipts;
mod steps;

pub use steps::{officer_command, visible, StepBody};

use crate::flood::BuyerFlood;
use crate::Failure;
use guomen_domain::ceb::answer;
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use guomen_store::ceb::{CebCommand, DocAnswer, Submission};
use guomen_store::{Outcome, Store};
use message::Parsed;

/// Who is sending.
pub enum Sender<'a> {
    /// An enterprise's token: it must be named in every document.
    Enterprise(&'a str),
    /// An operator's file import: the message speaks for the parties it names.
    Operator,
}

/// A message answered.
pub struct Processed {
    /// The receipt message (CEB312, 412, 512, 622, 624, 626 or 712).
    pub receipt: String,
    /// The message had been answered before; nothing changed.
    pub replayed: bool,
    pub answers: Vec<DocAnswer>,
}

/// A refusal of the write path counts only the declared documents it was given (`Inventory[1]`
/// is the second declared one); the sender's message counts them all.
fn renumbered(e: guomen_store::StoreError, declared: &[bool]) -> guomen_store::StoreError {
    let guomen_store::StoreError::Refused(mut r) = e else { return e };
    for err in &mut r.errors {
        let (Some(open), Some(close)) = (err.path.find('['), err.path.find(']')) else { continue };
        let Ok(k) = err.path[open + 1..close].parse::<usize>() else { continue };
        if let Some(i) = declared.iter().enumerate().filter(|(_, d)| **d).nth(k).map(|(i, _)| i) {
            err.path = format!("{}[{i}]{}", &err.path[..open], &err.path[close + 1..]);
        }
    }
    guomen_store::StoreError::Refused(r)
}

/// Reads, checks and answers one CEB message.
pub async fn process(
    store: &Store,
    flood: Option<&BuyerFlood>,
    actor: &guomen_domain::party::Actor,
    sender: Sender<'_>,
    xml: &[u8],
    seed: u64,
) -> Result<Processed, Failure> {
    process_at(store, flood, actor, sender, xml, seed, None).await
}

/// Like [`process`], recording the message as received at `at` (simulations that replay past
/// traffic, like the demo); None for the clock.
pub async fn process_at(
    store: &Store,
    flood: Option<&BuyerFlood>,
    actor: &guomen_domain::party::Actor,
    sender: Sender<'_>,
    xml: &[u8],
    seed: u64,
    at: Option<time::OffsetDateTime>,
) -> Result<Processed, Failure> {
    let parsed = Parsed::read(xml).map_err(|u| {
        let mut members = serde_json::Map::new();
        members.insert("returnStatus".into(), serde_json::json!("-1"));
        if let Some(r) = u.receipt {
            members.insert("receipt".into(), serde_json::Value::String(r));
        }
        Failure::RefusedWith(u.refusal, members)
    })?;
    let docs = parsed.documents();
    let by_token = matches!(sender, Sender::Enterprise(_));
    let sender = match sender {
        Sender::Enterprise(code) => {
            if let Some((path, _, _)) = docs.iter().find(|(_, _, parties)| !parties.contains(&code)) {
                return Err(Failure::Refused(Refusal {
                    kind: RefusalKind::Forbidden,
                    detail_en: format!("enterprise {code} is not named in this document, so it may not send it"),
                    detail_zh: format!("企业 {code} 不是该单证载明的企业，不能发送"),
                    errors: vec![FieldError::new(
                        path.clone(),
                        Rule::SenderNotNamed,
                        format!("the sender {code} must be one of the enterprises this document names"),
                        format!("发送企业 {code} 必须是本单证载明的企业之一"),
                    )],
                }));
            }
            code.to_owned()
        }
        Sender::Operator => parsed.first_party(),
    };
    let declared: Vec<bool> = docs.iter().map(|(_, status, _)| *status == "2").collect();
    let now_ms = (at.unwrap_or_else(time::OffsetDateTime::now_utc).unix_timestamp_nanos() / 1_000_000) as i64;
    if let Some(flood) = flood {
        let buyers = parsed.buyers(&declared);
        let keys: Vec<&str> = buyers.iter().map(|(_, k)| k.as_str()).collect();
        if let Err(hit) = flood.admit(&keys, now_ms) {
            let path = buyers.iter().find(|(_, k)| k == hit).map(|(p, _)| p.clone()).unwrap_or_default();
            return Err(Failure::Refused(Refusal {
                kind: RefusalKind::TooManyRequests,
                detail_en: format!(
                    "more than {} inventory lists a minute for one buyer; nothing was stored, send the rest later",
                    flood.per_minute()
                ),
                detail_zh: format!("同一订购人每分钟超过 {} 票清单，未作处理，请稍后再发", flood.per_minute()),
                errors: vec![FieldError::new(path, Rule::BuyerFlood, "too many inventory lists for this buyer", "该订购人清单过多")],
            }));
        }
    }
    let documents = parsed.to_store(&declared);
    let (stored, replayed) = if documents.is_empty() {
        (Vec::new(), false)
    } else {
        let submission = Submission { guid: parsed.guid().to_owned(), sender, by_token, seed, documents };
        let command = CebCommand::Submit(submission);
        let outcome = match at {
            Some(at) => store.execute_at(actor.clone(), command, at).await,
            None => store.execute(actor.clone(), command).await,
        }
        .map_err(|e| renumbered(e, &declared))?;
        match outcome {
            Outcome::Ceb(a) => (a.answers, a.replayed),
            other => return Err(Failure::Internal(format!("unexpected outcome {other:?}"))),
        }
    };
    let mut stored = stored.into_iter();
    let answers: Vec<DocAnswer> =
        declared.iter().map(|d| if *d { stored.next() } else { None }.unwrap_or_else(|| answer::draft(now_ms))).collect();
    let receipt = receipts::write(&parsed, &answers);
    Ok(Processed { receipt, replayed, answers })
}
