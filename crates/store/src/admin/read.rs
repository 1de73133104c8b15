//! Reads of enterprises, API tokens, users' credentials and webhook subscriptions.

use crate::{Store, StoreError};
use guomen_domain::party::{Actor, CreditGrade, Enterprise, Role};
use guomen_domain::types::{CreditCode, CustomsCode};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn enterprise_from_row(r: &AnyRow) -> Result<Enterprise, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("stored enterprise has a bad {what}").into());
    Ok(Enterprise {
        code: CustomsCode::parse(&r.try_get::<String, _>("code")?).map_err(|_| bad("code"))?,
        credit_code: CreditCode::parse(&r.try_get::<String, _>("credit_code")?).map_err(|_| bad("credit code"))?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        grade: CreditGrade::parse(&r.try_get::<String, _>("grade")?).ok_or_else(|| bad("grade"))?,
        site_code: r.try_get("site_code")?,
    })
}

/// A webhook subscription with its delivery counts.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionState {
    pub id: String,
    pub enterprise: Option<String>,
    pub url: String,
    pub created_at_ms: i64,
    pub pending: i64,
    pub delivered: i64,
    pub last_error: Option<String>,
}

impl Store {
    pub async fn enterprise(&self, code: &str) -> Result<Option<Enterprise>, StoreError> {
        let r = sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises WHERE code = $1")
            .bind(code.to_owned())
            .fetch_optional(&self.read)
            .await?;
        Ok(r.map(|r| enterprise_from_row(&r)).transpose()?)
    }

    pub async fn enterprises(&self) -> Result<Vec<Enterprise>, StoreError> {
        let rows = sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises ORDER BY code")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.iter().map(enterprise_from_row).collect::<Result<_, _>>()?)
    }

    /// The actor a username and password stand for, if they match.
    pub async fn actor_for_login(&self, username: &str, password: &str) -> Result<Option<Actor>, StoreError> {
        let row = sqlx::query("SELECT role, enterprise, password_hash FROM users WHERE username = $1")
            .bind(username.to_owned())
            .fetch_optional(&self.read)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let hash: String = r.try_get("password_hash")?;
        let role = Role::parse(&r.try_get::<String, _>("role")?);
        let enterprise = r.try_get::<Option<String>, _>("enterprise")?.and_then(|e| CustomsCode::parse(&e).ok());
        let ok = tokio::task::spawn_blocking({
            let password = password.to_owned();
            move || crate::secrets::verify_password(&password, &hash)
        })
        .await
        .unwrap_or(false);
        Ok(if ok { role.map(|role| Actor { id: format!("user:{username}"), role: Some(role), enterprise }) } else { None })
    }

    pub async fn subscriptions(&self) -> Result<Vec<SubscriptionState>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.enterprise, s.url, s.created_at_ms, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.subscription_id = s.id AND d.state = 'delivered') AS delivered, \
             (SELECT d.last_error FROM deliveries d WHERE d.subscription_id = s.id AND d.last_error IS NOT NULL ORDER BY d.outbox_id DESC LIMIT 1) AS last_error \
             FROM subscriptions s ORDER BY s.created_at_ms, s.id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SubscriptionState {
                    id: r.try_get("id")?,
                    enterprise: r.try_get("enterprise")?,
                    url: r.try_get("url")?,
                    created_at_ms: r.try_get("created_at_ms")?,
                    pending: r.try_get("pending")?,
                    delivered: r.try_get("delivered")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }
}
