//! Every role against every endpoint: who may call what, and which records each may see.

use crate::helpers::*;
use serde_json::{json, Value};

const ROLES: [&str; 6] = ["declarant", "terminal", "laboratory", "officer", "risk-analyst", "admin"];

struct Endpoint {
    method: &'static str,
    path: String,
    body: Option<Value>,
    allowed: &'static [&'static str],
}

fn endpoints(id: &str) -> Vec<Endpoint> {
    let e = |method, path: String, body: Option<Value>, allowed| Endpoint { method, path, body, allowed };
    let decl = format!("/api/v1/declarations/{id}");
    vec![
        e("POST", "/api/v1/declarations".into(), Some(green_draft("ACL-FILE")), &["declarant"]),
        e("GET", "/api/v1/declarations".into(), None, &["declarant", "terminal", "officer", "risk-analyst", "admin"]),
        e("GET", decl.clone(), None, &["declarant", "terminal", "officer", "risk-analyst", "admin"]),
        e("POST", format!("{decl}/complete"), Some(green_draft("ACL-FILE")), &["declarant"]),
        e("GET", format!("{decl}/replay"), None, &["officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/arrivals".into(), Some(json!({ "bill_no": "NO-SUCH-BILL" })), &["terminal"]),
        e(
            "POST",
            format!("{decl}/position"),
            Some(json!({ "record_no": "X", "container_no": "MSKU1234565", "site_name": "s", "slot_code": "s" })),
            &["terminal"],
        ),
        e("POST", format!("{decl}/inspection-result"), Some(json!({ "outcome": "satisfactory" })), &["officer"]),
        e("POST", format!("{decl}/release"), Some(json!({})), &["officer"]),
        e("POST", format!("{decl}/hold"), Some(json!({ "reason": "check" })), &["officer"]),
        e("POST", format!("{decl}/reroute"), Some(json!({ "lane": "yellow", "reason": "documents suffice" })), &["officer"]),
        e("GET", "/api/v1/notices".into(), None, &["declarant", "terminal", "laboratory", "officer", "admin"]),
        e("GET", "/api/v1/rules".into(), None, &["officer", "risk-analyst"]),
        e("PUT", "/api/v1/rules".into(), Some(json!({ "reason": "r", "rules": { "min_random_percent": "0" } })), &["risk-analyst"]),
        e("GET", "/api/v1/rules/history".into(), None, &["officer", "risk-analyst"]),
        e("GET", "/api/v1/rules/1".into(), None, &["officer", "risk-analyst"]),
        e("GET", "/api/v1/criteria".into(), None, &["officer", "risk-analyst"]),
        e(
            "PUT",
            "/api/v1/criteria/ACL-1".into(),
            Some(
                json!({ "reason": "r", "criterion": { "id": "ACL-1", "description": "d", "when": {}, "lane": "yellow", "rate_percent": "1" } }),
            ),
            &["risk-analyst"],
        ),
        e("DELETE", "/api/v1/criteria/NOPE?reason=r".into(), None, &["risk-analyst"]),
        e(
            "POST",
            "/api/v1/enterprises".into(),
            Some(json!({ "code": "1234567890", "credit_code": "bad", "name_zh": "x", "grade": "registered" })),
            &["admin"],
        ),
        e("GET", "/api/v1/enterprises".into(), None, &["officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/users".into(), Some(json!({ "username": "u", "password": "p", "role": "officer" })), &["admin"]),
        e("POST", "/api/v1/tokens".into(), Some(json!({ "role": "nope" })), &["admin"]),
        e("GET", "/api/v1/tokens".into(), None, &["declarant", "terminal", "laboratory", "admin"]),
        e("POST", "/api/v1/tokens/NOPE/revoke".into(), None, &["declarant", "terminal", "laboratory", "admin"]),
        e(
            "GET",
            "/api/v1/ceb/quota-check?buyerIdType=1&buyerIdNumber=110101199003070000&buyerName=x&amount=1".into(),
            None,
            &["declarant", "officer"],
        ),
        e("POST", "/api/v1/subscriptions".into(), Some(json!({ "url": "not a url" })), &["admin"]),
        e("GET", "/api/v1/subscriptions".into(), None, &["admin"]),
        e("GET", "/api/v1/journal/verify".into(), None, &["officer", "admin"]),
        e("POST", "/api/v1/permits".into(), Some(json!({ "id": "bad id" })), &["officer"]),
        e("GET", "/api/v1/permits".into(), None, &["declarant", "officer", "risk-analyst", "admin"]),
        e("GET", format!("/api/v1/permits/{SEED_PERMIT}"), None, &["declarant", "officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/permits/NOPE/revoke".into(), Some(json!({ "reason": "r" })), &["officer"]),
        e("POST", format!("{decl}/sampling"), Some(json!({ "note": "" })), &["officer"]),
        e("POST", format!("{decl}/samples"), Some(json!({ "lab": LAB, "seal_no": "SEAL-1", "quantity": "1 kg" })), &["officer"]),
        e("GET", "/api/v1/samples".into(), None, &["laboratory", "officer", "risk-analyst", "admin"]),
        e("GET", "/api/v1/samples/NOPE".into(), None, &["laboratory", "officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/samples/NOPE/receive".into(), None, &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/results".into(), Some(json!({ "analyte": "X" })), &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/verify".into(), None, &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/publish".into(), None, &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/retract".into(), Some(json!({ "reason": "r" })), &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/invalidate".into(), Some(json!({ "reason": "r" })), &["laboratory"]),
        e("POST", "/api/v1/samples/NOPE/cancel".into(), Some(json!({ "reason": "r" })), &["officer"]),
        e(
            "POST",
            format!("{decl}/commitment"),
            Some(json!({ "signed_by": "a", "storage_address": "b", "contact_phone": "c", "promise_accepted": true })),
            &["declarant"],
        ),
        e("POST", format!("{decl}/commitment/accept"), None, &["officer"]),
        e("POST", format!("{decl}/commitment/reject"), Some(json!({ "reason": "r" })), &["officer"]),
        e(
            "POST",
            format!("{decl}/disposition"),
            Some(json!({ "kind": "return", "instructions": "i", "deadline": "2099-01-01" })),
            &["officer"],
        ),
        e("POST", format!("{decl}/disposition/done"), Some(json!({ "note": "n" })), &["officer"]),
        e("POST", format!("{decl}/destination-result"), Some(json!({ "outcome": "satisfactory" })), &["officer"]),
        e("GET", "/api/v1/figures/quarantine?from=2026-01-01&to=2026-12-31".into(), None, &["officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/surveys".into(), Some(json!({ "declaration_id": "NOPE" })), &["officer"]),
        e("GET", "/api/v1/surveys".into(), None, &["officer", "declarant"]),
        e("GET", "/api/v1/surveys/NOPE".into(), None, &["officer", "declarant", "risk-analyst", "admin"]),
        e("POST", "/api/v1/surveys/NOPE/records".into(), Some(json!({ "no": 1, "findings": [] })), &["officer"]),
        e("POST", "/api/v1/surveys/NOPE/actions/NOPE-A1/close".into(), Some(json!({ "note": "n" })), &["officer"]),
        e("POST", "/api/v1/surveys/NOPE/close".into(), None, &["officer"]),
        e(
            "PUT",
            "/api/v1/schedules".into(),
            Some(json!({ "site_code": "", "kind": "inspection", "capacity_per_hour": 0, "hours": "office" })),
            &["admin"],
        ),
        e("GET", "/api/v1/schedules".into(), None, &["declarant", "terminal", "laboratory", "officer", "risk-analyst", "admin"]),
        e(
            "POST",
            "/api/v1/appointments".into(),
            Some(json!({ "site_code": "NOPE", "kind": "inspection", "start": "2099-01-01T01:00:00Z", "reason": "r" })),
            &["declarant"],
        ),
        e("GET", "/api/v1/appointments?date=2026-03-10".into(), None, &["officer", "declarant", "terminal"]),
        e("GET", "/api/v1/appointments/NOPE".into(), None, &["officer", "declarant", "terminal"]),
        e("POST", "/api/v1/appointments/NOPE/cancel".into(), Some(json!({ "reason": "r" })), &["declarant"]),
        e("POST", "/api/v1/appointments/NOPE/complete".into(), None, &["officer"]),
        e("POST", format!("{decl}/remote"), Some(json!({ "instruction": "" })), &["officer"]),
        e("GET", format!("{decl}/remote"), None, &["officer", "declarant"]),
        e("GET", "/api/v1/remote/NOPE".into(), None, &["officer", "declarant"]),
        e("POST", "/api/v1/remote/NOPE/instructions".into(), Some(json!({ "text": "t" })), &["officer"]),
        e("GET", "/api/v1/remote/NOPE/evidence/NOPE".into(), None, &["officer", "declarant"]),
        e("POST", "/api/v1/remote/NOPE/conclusion".into(), Some(json!({ "outcome": "satisfactory" })), &["officer"]),
        e("POST", "/api/v1/remote/NOPE/evidence?instruction=1&file_name=a.png".into(), Some(json!({})), &["declarant"]),
        e("POST", "/api/v1/mandates".into(), Some(json!({ "agent": "", "scopes": [] })), &["declarant"]),
        e("GET", "/api/v1/mandates".into(), None, &["declarant", "officer", "risk-analyst", "admin"]),
        e("GET", "/api/v1/mandates/NOPE".into(), None, &["declarant", "officer", "risk-analyst", "admin"]),
        e("POST", "/api/v1/mandates/NOPE/revoke".into(), Some(json!({ "reason": "r" })), &["declarant", "admin"]),
    ]
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("ACL-0001")).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    let eps = endpoints(&id);
    let mut failures = Vec::new();
    for ep in &eps {
        // No token at all: 401 everywhere.
        let (s, body) = app.send(ep.method, &ep.path, None, ep.body.as_ref()).await;
        if s != 401 {
            failures.push(format!("{} {} without a token: {s} {body}", ep.method, ep.path));
        }
        for role in ROLES {
            let (s, body) = app.send(ep.method, &ep.path, Some(role), ep.body.as_ref()).await;
            let allowed = ep.allowed.contains(&role);
            let ok = if allowed { s != 401 && s != 403 } else { s == 403 };
            if !ok {
                failures.push(format!("{} {} as {role}: {s} (allowed: {allowed}) {body}", ep.method, ep.path));
            }
            if s >= 400 && body.get("code").is_none() {
                failures.push(format!("{} {} as {role}: {s} is not a problem document: {body}", ep.method, ep.path));
            }
            // Targeting is for customs: no answer to anyone else carries it.
            if !["officer", "risk-analyst", "admin"].contains(&role) {
                if let Some(at) = guomen_api::targeting_member(&body) {
                    failures.push(format!("{} {} as {role}: targeting at {at}: {body}", ep.method, ep.path));
                }
            }
        }
    }
    assert!(failures.is_empty(), "access matrix broken:\n{}", failures.join("\n"));
    // Public endpoints.
    assert_eq!(app.send("GET", "/healthz", None, None).await.0, 200);
    assert_eq!(app.send("GET", "/api/v1/openapi.json", None, None).await.0, 200);
    // A bad token is 401 too.
    let res = app.http.get(app.url("/api/v1/notices")).bearer_auth("gm_forged_token").send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn traders_and_terminals_see_only_their_own_records() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        app.seeds_red().await;
        let (_, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("OWN-0001")).await;
        let id = d["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/declarations/{id}");

        // Another trader: the record does not exist for it, nor in its lists or notices.
        assert_eq!(app.get(&path, "declarant-other").await.0, 404);
        let (_, list) = app.get("/api/v1/declarations", "declarant-other").await;
        assert!(list["declarations"].as_array().unwrap().is_empty());
        let (_, inbox) = app.get("/api/v1/notices", "declarant-other").await;
        assert!(inbox["notices"].as_array().unwrap().is_empty());
        let (s, _) = app.post(&format!("{path}/complete"), "declarant-other", &seed_draft("OWN-0001")).await;
        assert_eq!(s, 404);

        // The terminal the notice is addressed to sees it; another terminal does not.
        assert_eq!(app.get(&path, "terminal").await.0, 200);
        assert_eq!(app.get(&path, "terminal-other").await.0, 404);
        let (_, inbox) = app.get("/api/v1/notices", "terminal-other").await;
        assert!(inbox["notices"].as_array().unwrap().is_empty());
        let record_no = d["notice"]["record_no"].as_str().unwrap();
        let (s, _) = app
            .post(
                &format!("{path}/position"),
                "terminal-other",
                &json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "s", "slot_code": "s" }),
            )
            .await;
        assert_eq!(s, 404);

        // A trader cannot file for another enterprise.
        let mut theirs = green_draft("OWN-0002");
        theirs["head"]["trade_code"] = json!(OTHER_TRADER);
        theirs["head"]["agent_code"] = Value::Null;
        let (s, p) = app.post("/api/v1/declarations", "declarant", &theirs).await;
        assert_eq!(s, 403, "{p}");

        // The owner sees it, in its list too.
        assert_eq!(app.get(&path, "declarant").await.0, 200);
        let (_, list) = app.get("/api/v1/declarations", "declarant").await;
        assert_eq!(list["declarations"].as_array().unwrap().len(), 1);
        assert_eq!(app.store.count("declarations").await.unwrap(), 1, "nothing else was stored");
    }
}

#[tokio::test]
async fn paging_with_the_next_cursor_returns_every_row_once() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        // Filed concurrently, so many share a commit and a millisecond.
        let drafts: Vec<Value> = (0..60).map(|n| green_draft(&format!("PAGE-{n:04}"))).collect();
        let filings: Vec<_> = drafts.iter().map(|d| app.post("/api/v1/declarations", "declarant", d)).collect();
        assert!(futures_util::future::join_all(filings).await.iter().all(|(s, _)| *s == 201));
        let mut seen = std::collections::BTreeSet::new();
        let mut path = "/api/v1/declarations?limit=7".to_owned();
        for _ in 0..20 {
            let (s, body) = app.get(&path, "officer").await;
            assert_eq!(s, 200, "{body}");
            for row in body["declarations"].as_array().unwrap() {
                assert!(seen.insert(row["id"].as_str().unwrap().to_owned()), "{row} twice");
            }
            match body["next"].as_str() {
                Some(c) => path = format!("/api/v1/declarations?limit=7&before={c}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), 60);
        let (s, _) = app.get("/api/v1/declarations?before=yesterday", "officer").await;
        assert_eq!(s, 400);
    }
}
