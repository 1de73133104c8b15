//! Administration: enterprises (the directory every other family reads credit grades and sites
//! from), users, API tokens and webhook subscriptions.
//!
//! Secrets (password and token hashes, subscription signing keys) live only in their tables;
//! the journal records who and what.

use crate::kernel::{bind_row, Handled, Tx};
use guomen_domain::event::Subscription;
use guomen_domain::party::{Enterprise, Role};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, RefusalKind, Rule};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

pub(crate) use rows::{enterprise_row, subscription_row, token_row, user_row, ENTERPRISES, SUBSCRIPTIONS, TOKENS, USERS};

/// Tables this family writes, and the tables of others it reads.
#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["enterprises", "users", "tokens", "subscriptions"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["deliveries"];

/// A change to the parties Guomen knows.
#[derive(Debug, Clone)]
pub enum AdminCommand {
    RegisterEnterprise(Enterprise),
    /// The password is hashed at the edge (Argon2 is deliberately slow).
    CreateUser {
        username: String,
        password_hash: String,
        role: Role,
        enterprise: Option<CustomsCode>,
    },
    /// The token is generated at the edge; only its hash arrives here.
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
    /// Revoking a token and recording its use (see `tokens.rs`).
    Token(tokens::TokenCommand),
    CreateSubscription {
        id: String,
        enterprise: Option<CustomsCode>,
        url: String,
        secret: String,
    },
}

/// What an administration command produced.
#[derive(Debug, Clone)]
pub enum AdminOutcome {
    Enterprise(Enterprise),
    Subscription(Subscription),
    /// An API token as issued or revoked.
    Token(tokens::TokenRow),
    Done,
}

/// Enterprises and supervision sites, kept in memory for validation at the edge and for the
/// writer's serial path.
#[derive(Debug, Default)]
pub struct Directory {
    pub enterprises: HashMap<String, Enterprise>,
    /// site code → operating terminal
    pub sites: HashMap<String, CustomsCode>,
}

impl Directory {
    /// Records an enterprise.
    pub fn remember(&mut self, e: &Enterprise) {
        if let Some(site) = &e.site_code {
            self.sites.insert(site.clone(), e.code.clone());
        }
        self.enterprises.insert(e.code.to_string(), e.clone());
    }
}

/// What the family keeps in the writer's memory: the directory as committed, shared with the
/// edge.
pub struct AdminState {
    pub directory: Arc<RwLock<Directory>>,
}

impl AdminState {
    pub async fn load(conn: &mut sqlx::AnyConnection) -> Result<AdminState, sqlx::Error> {
        let mut d = Directory::default();
        let rows =
            sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises").fetch_all(&mut *conn).await?;
        for r in &rows {
            d.remember(&read::enterprise_from_row(r)?);
        }
        Ok(AdminState { directory: Arc::new(RwLock::new(d)) })
    }

    /// After a failed batch: the directory is reloaded in place, so the edge's handle stays valid.
    pub fn replace(&mut self, loaded: AdminState) {
        let fresh = std::mem::take(&mut *loaded.directory.write().expect("directory lock"));
        *self.directory.write().expect("directory lock") = fresh;
    }
}

/// Enterprises registered in this batch, added to the directory after the commit.
#[derive(Default)]
pub struct AdminRows {
    pub registered: Vec<Enterprise>,
}

/// The parties as one command sees them: the directory as committed, then this batch's
/// registrations. Other families read credit grades and sites through this.
pub struct Parties<'a> {
    pub directory: &'a RwLock<Directory>,
    pub registered: &'a [Enterprise],
}

impl Parties<'_> {
    pub fn enterprise(&self, code: &str) -> Option<Enterprise> {
        self.registered
            .iter()
            .find(|e| e.code.as_str() == code)
            .cloned()
            .or_else(|| self.directory.read().expect("directory lock").enterprises.get(code).cloned())
    }

    /// The terminal operating a supervision site.
    pub fn site_operator(&self, site: &str) -> Option<CustomsCode> {
        self.registered
            .iter()
            .find(|e| e.site_code.as_deref() == Some(site))
            .map(|e| e.code.clone())
            .or_else(|| self.directory.read().expect("directory lock").sites.get(site).cloned())
    }

    pub fn exists(&self, code: &CustomsCode) -> bool {
        self.enterprise(code.as_str()).is_some()
    }
}

pub(crate) async fn execute(tx: &mut Tx<'_>, state: &AdminState, rows: &mut AdminRows, cmd: &AdminCommand) -> Handled<AdminOutcome> {
    let parties = Parties { directory: &state.directory, registered: &rows.registered };
    match cmd {
        AdminCommand::RegisterEnterprise(e) => {
            let clash: Option<String> = sqlx::query_scalar(
                "SELECT code FROM enterprises WHERE code = $1 OR credit_code = $2 OR (site_code IS NOT NULL AND site_code = $3) LIMIT 1",
            )
            .bind(e.code.to_string())
            .bind(e.credit_code.to_string())
            .bind(e.site_code.clone().unwrap_or_default())
            .fetch_optional(&mut *tx.conn)
            .await?;
            if let Some(c) = clash {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("enterprise {c} already holds this customs code, credit code or site code"),
                    format!("企业 {c} 已使用该海关编码、统一社会信用代码或监管场所代码"),
                )));
            }
            tx.append(&Event::EnterpriseRegistered { enterprise: e.clone() });
            bind_row(sqlx::query(&ENTERPRISES.insert_sql(&[])), enterprise_row(e, tx.at)).execute(&mut *tx.conn).await?;
            rows.registered.push(e.clone());
            Ok(Ok(AdminOutcome::Enterprise(e.clone())))
        }
        AdminCommand::CreateUser { username, password_hash, role, enterprise } => {
            if let Err(r) = check_enterprise(&parties, *role, enterprise) {
                return Ok(Err(r));
            }
            let exists: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
                .bind(username.clone())
                .fetch_optional(&mut *tx.conn)
                .await?;
            if exists.is_some() {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("user {username} already exists"),
                    format!("用户 {username} 已存在"),
                )));
            }
            tx.append(&Event::UserCreated { username: username.clone(), role: *role, enterprise: enterprise.clone() });
            let row = user_row(username, *role, enterprise.as_ref(), tx.at);
            bind_row(sqlx::query(&USERS.insert_sql(&["password_hash"])), row).bind(password_hash.clone()).execute(&mut *tx.conn).await?;
            Ok(Ok(AdminOutcome::Done))
        }
        AdminCommand::IssueToken { token_id, token_hash, role, enterprise, label, valid_days } => {
            if let Err(r) = check_enterprise(&parties, *role, enterprise) {
                return Ok(Err(r));
            }
            tokens::issue(tx, token_id, token_hash, *role, enterprise, label, *valid_days).await
        }
        AdminCommand::Token(c) => tokens::execute(tx, c).await,
        AdminCommand::CreateSubscription { id, enterprise, url, secret } => {
            if let Some(e) = enterprise {
                if !parties.exists(e) {
                    return Ok(Err(Refusal::field(
                        "enterprise",
                        Rule::EnterpriseUnknown,
                        format!("no enterprise {e}"),
                        format!("企业 {e} 不存在"),
                    )));
                }
            }
            let sub = Subscription { id: id.clone(), enterprise: enterprise.clone(), url: url.clone(), created_at: tx.now };
            tx.append(&Event::SubscriptionCreated { subscription: sub.clone() });
            bind_row(sqlx::query(&SUBSCRIPTIONS.insert_sql(&["secret"])), subscription_row(&sub, tx.at))
                .bind(secret.clone())
                .execute(&mut *tx.conn)
                .await?;
            tx.journal.subscribe(id, enterprise.as_ref().map(|e| e.to_string()));
            Ok(Ok(AdminOutcome::Subscription(sub)))
        }
    }
}

fn check_enterprise(parties: &Parties<'_>, role: Role, enterprise: &Option<CustomsCode>) -> Result<(), Refusal> {
    match (role.needs_enterprise(), enterprise) {
        (true, None) => Err(Refusal::field(
            "enterprise",
            Rule::Required,
            format!("role {} acts for an enterprise; name it", role.as_str()),
            format!("角色 {} 须指定所属企业", role.as_str()),
        )),
        (false, Some(_)) => Err(Refusal::field(
            "enterprise",
            Rule::NotAllowed,
            format!("role {} acts for customs, not for an enterprise", role.as_str()),
            format!("角色 {} 属于海关，不能指定企业", role.as_str()),
        )),
        (true, Some(e)) if !parties.exists(e) => {
            Err(Refusal::field("enterprise", Rule::EnterpriseUnknown, format!("no enterprise {e}"), format!("企业 {e} 不存在")))
        }
        _ => Ok(()),
    }
}

pub mod read;
mod rows;
pub mod tokens;
