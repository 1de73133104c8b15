//! Administration rebuilt from its streams: enterprises (registered, then regraded), users,
//! API tokens and webhook subscriptions, each row built by the family's own row function.

use super::compare::{compare, Check, Fetch};
use super::{name_in, Entry, Run};
use crate::admin::{enterprise_row, subscription_row, token_row, user_row, ENTERPRISES, SUBSCRIPTIONS, TOKENS, USERS};
use guomen_domain::party::Enterprise;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static ENTERPRISES_CHECK: Check = Check {
    table: &ENTERPRISES,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(code AS TEXT) FROM enterprises t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'enterprise:' || t.code)",
    ),
};

static USERS_CHECK: Check = Check {
    table: &USERS,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(username AS TEXT) FROM users t WHERE NOT EXISTS \
         (SELECT 1 FROM journal j WHERE j.stream = 'user:' || t.username AND j.kind = 'user_created')",
    ),
};

static TOKENS_CHECK: Check = Check {
    table: &TOKENS,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some("SELECT CAST(id AS TEXT) FROM tokens t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'token:' || t.id)"),
};

static SUBSCRIPTIONS_CHECK: Check = Check {
    table: &SUBSCRIPTIONS,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM subscriptions t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'subscription:' || t.id)",
    ),
};

pub(super) static CHECKS: &[&Check] = &[&ENTERPRISES_CHECK, &USERS_CHECK, &TOKENS_CHECK, &SUBSCRIPTIONS_CHECK];

/// One page of the streams of one kind: `enterprise`, `user`, `token` or `subscription`.
pub(super) async fn check(
    conn: &mut AnyConnection,
    run: &mut Run,
    kind: &str,
    streams: BTreeMap<String, Vec<Entry>>,
) -> Result<(), sqlx::Error> {
    let names: Vec<String> = streams.keys().map(|s| name_in(s).to_owned()).collect();
    let mut rows = Vec::new();
    let (check, column) = match kind {
        "enterprise" => {
            for entries in streams.into_values() {
                let mut row: Option<(Enterprise, i64)> = None;
                for e in entries {
                    match e.event {
                        Event::EnterpriseRegistered { enterprise } => row = Some((enterprise, e.at_ms)),
                        Event::EnterpriseGradeChanged { grade, .. } => {
                            if let Some((ent, _)) = row.as_mut() {
                                ent.grade = grade;
                            }
                        }
                        _ => {}
                    }
                }
                rows.extend(row.map(|(e, at)| enterprise_row(&e, at)));
            }
            (&ENTERPRISES_CHECK, "code")
        }
        "user" => {
            for e in streams.into_values().flatten() {
                if let Event::UserCreated { username, role, enterprise } = e.event {
                    rows.push(user_row(&username, role, enterprise.as_ref(), e.at_ms));
                }
            }
            (&USERS_CHECK, "username")
        }
        "token" => {
            for entries in streams.into_values() {
                let mut issued = None;
                let mut revoked = None;
                for e in entries {
                    match e.event {
                        Event::TokenIssued { token_id, role, enterprise, label, expires_at } => {
                            issued = Some((token_id, role, enterprise, label, e.at_ms, expires_at.map(crate::kernel::ms)))
                        }
                        Event::TokenRevoked { .. } => revoked = Some((e.at_ms, e.actor)),
                        _ => {}
                    }
                }
                let Some((id, role, enterprise, label, at_ms, expires)) = issued else { continue };
                // A token issued before tokens expired was given its expiry by the upgrade, not
                // by a journaled event: that one column is taken as stored.
                let expires = match expires {
                    Some(x) => Some(x),
                    None => sqlx::query_scalar::<_, Option<i64>>("SELECT expires_at_ms FROM tokens WHERE id = $1")
                        .bind(id.clone())
                        .fetch_optional(&mut *conn)
                        .await?
                        .flatten(),
                };
                let revoked = revoked.as_ref().map(|(at, by)| (*at, by.as_str()));
                rows.push(token_row(&id, role, enterprise.as_ref(), label.as_deref(), at_ms, expires, revoked));
            }
            (&TOKENS_CHECK, "id")
        }
        _ => {
            for e in streams.into_values().flatten() {
                if let Event::SubscriptionCreated { subscription } = e.event {
                    rows.push(subscription_row(&subscription, e.at_ms));
                }
            }
            (&SUBSCRIPTIONS_CHECK, "id")
        }
    };
    compare(conn, run, check, rows, Fetch::In { column, values: &names, also: "" }).await
}
