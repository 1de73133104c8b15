//! The rows administration writes, each table declared once with the function that builds its
//! row from what the journal records; the handler and `verify --views` (`replay/`) both use them.
//! Secrets (password hashes, token hashes, signing keys) are no columns here: the handler binds
//! them after the row, and the journal never holds them.

use crate::kernel::{Table, Val};
use guomen_domain::event::Subscription;
use guomen_domain::party::{Enterprise, Role};
use guomen_domain::types::CustomsCode;

/// 企业 — every registered enterprise.
pub(crate) const ENTERPRISES: Table =
    Table { name: "enterprises", columns: &["code", "credit_code", "name_zh", "name_en", "grade", "site_code", "created_at_ms"], key: 1 };

pub(crate) fn enterprise_row(e: &Enterprise, at_ms: i64) -> Vec<Val> {
    vec![
        Val::T(e.code.to_string()),
        Val::T(e.credit_code.to_string()),
        Val::T(e.name_zh.clone()),
        Val::T(e.name_en.clone()),
        Val::T(e.grade.as_str().into()),
        Val::OT(e.site_code.clone()),
        Val::I(at_ms),
    ]
}

/// 用户 — users, without their password hash (bound after the row).
pub(crate) const USERS: Table = Table { name: "users", columns: &["username", "role", "enterprise", "created_at_ms"], key: 1 };

pub(crate) fn user_row(username: &str, role: Role, enterprise: Option<&CustomsCode>, at_ms: i64) -> Vec<Val> {
    vec![Val::T(username.to_owned()), Val::T(role.as_str().into()), Val::OT(enterprise.map(|e| e.to_string())), Val::I(at_ms)]
}

/// API tokens, without the token's hash (bound after the row) and without their last use
/// (bookkeeping the journal does not hold).
pub(crate) const TOKENS: Table = Table {
    name: "tokens",
    columns: &["id", "role", "enterprise", "label", "created_at_ms", "expires_at_ms", "revoked_at_ms", "revoked_by"],
    key: 1,
};

/// A token's row: as issued at `at_ms` to last until `expires_at_ms`, and revoked (when, by whom).
#[allow(clippy::too_many_arguments)]
pub(crate) fn token_row(
    id: &str,
    role: Role,
    enterprise: Option<&CustomsCode>,
    label: Option<&str>,
    at_ms: i64,
    expires_at_ms: Option<i64>,
    revoked: Option<(i64, &str)>,
) -> Vec<Val> {
    vec![
        Val::T(id.to_owned()),
        Val::T(role.as_str().into()),
        Val::OT(enterprise.map(|e| e.to_string())),
        Val::OT(label.map(str::to_owned)),
        Val::I(at_ms),
        Val::OI(expires_at_ms),
        Val::OI(revoked.map(|r| r.0)),
        Val::OT(revoked.map(|r| r.1.to_owned())),
    ]
}

/// Webhook subscriptions, without the signing key (bound after the row).
pub(crate) const SUBSCRIPTIONS: Table = Table { name: "subscriptions", columns: &["id", "enterprise", "url", "created_at_ms"], key: 1 };

pub(crate) fn subscription_row(s: &Subscription, at_ms: i64) -> Vec<Val> {
    vec![Val::T(s.id.clone()), Val::OT(s.enterprise.as_ref().map(|e| e.to_string())), Val::T(s.url.clone()), Val::I(at_ms)]
}
