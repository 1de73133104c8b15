//! Sign-in lock-outs rebuilt from the users' streams: the last lock-out journaled for a user is
//! its row. A name that is no user is locked out unjournaled, and not checked.

use super::compare::{compare, Check, Fetch};
use super::{Entry, Run};
use crate::console::{lockout_row, SIGNIN_LOCKOUTS};
use crate::kernel::ms;
use guomen_domain::signin::SignInEvent;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Only journaled lock-outs are checked, so there are no strays to look for.
static LOCKOUTS_CHECK: Check = Check { table: &SIGNIN_LOCKOUTS, docs: &[], amounts: &[], keep: None, strays: None };

pub(super) static CHECKS: &[&Check] = &[&LOCKOUTS_CHECK];

/// One page of `user:` streams.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: &BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let (mut rows, mut locked) = (Vec::new(), Vec::new());
    for entries in streams.values() {
        let last = entries
            .iter()
            .filter_map(|e| match &e.event {
                Event::SignIn(SignInEvent::LockedOut { username, until, .. }) => Some((username, ms(*until))),
                _ => None,
            })
            .next_back();
        if let Some((username, until)) = last {
            rows.push(lockout_row(username, until));
            locked.push(username.clone());
        }
    }
    compare(conn, run, &LOCKOUTS_CHECK, rows, Fetch::In { column: "username", values: &locked, also: "" }).await
}
