//! The clearance spine end to end over HTTP: filing → targeting → inspection notice → container
//! in position → result → release, with webhooks and Server-Sent Events telling every party.

use crate::helpers::*;
use crate::webhook::Receiver;
use serde_json::{json, Value};

fn kinds(timeline: &Value) -> Vec<String> {
    timeline.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
}

async fn red_lane_to_release(app: &TestApp) {
    app.seeds_red().await;
    let (hook, url) = Receiver::start().await;
    let mut secrets = std::collections::HashMap::new();
    for who in [TRADER, TERMINAL] {
        let (s, sub) = app.post("/api/v1/subscriptions", "admin", &json!({ "enterprise": who, "url": url })).await;
        assert_eq!(s, 201, "{sub}");
        secrets.insert(who.to_owned(), sub["secret"].as_str().unwrap().to_owned());
    }
    let dispatcher = guomen_delivery::spawn(
        app.store.clone(),
        guomen_delivery::RetryPolicy { base: std::time::Duration::from_millis(20), ..Default::default() },
        // The receiver listens on 127.0.0.1.
        guomen_delivery::Reach::ANY,
    );

    // File: targeted red by the seed criterion, with the reason recorded.
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("784-12345675")).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 18, "EntryId is 18 digits: {id}");
    assert!(id.starts_with("95012026") || id.starts_with("9501"), "{id}");
    assert_eq!(d["lane"], "red");
    assert_eq!(d["status"], "inspection-notified");
    // The trader is told the lane, not the targeting; customs see why it was chosen.
    assert!(d.get("hits").is_none() && d.get("decision").is_none(), "{d}");
    let (_, seen) = app.get(&format!("/api/v1/declarations/{id}"), "officer").await;
    let hits = seen["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["criterion"], "SEED-1209");
    assert_eq!(hits[0]["selected"], true);
    assert!(hits[0]["reasons"][0]["en"].as_str().unwrap().contains("1209913000"));
    assert_eq!(seen["decision"]["ruleset_version"], 1);
    let notice = &d["notice"];
    assert_eq!(notice["method"], "physical");
    assert_eq!(notice["check_types"], json!(["quarantine"]));
    assert_eq!(notice["lab_sampling"], false);
    assert_eq!(notice["terminal"], TERMINAL);
    assert_eq!(notice["bill_no"], "784-12345675");
    assert_eq!(notice["vessel"], "CA1046");
    let record_no = notice["record_no"].as_str().unwrap().to_owned();

    // The terminal finds the notice in its inbox.
    let (s, inbox) = app.get("/api/v1/notices", "terminal").await;
    assert_eq!(s, 200);
    let topics: Vec<&str> = inbox["notices"].as_array().unwrap().iter().map(|n| n["topic"].as_str().unwrap()).collect();
    assert_eq!(topics, vec!["inspection.notice"]);

    // Officer cannot record a red-lane result before the container is in position.
    let (s, p) = app.post(&format!("/api/v1/declarations/{id}/inspection-result"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 409, "{p}");

    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/position"),
            "terminal",
            &json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "L机场货站查验区", "slot_code": "A-03-2" }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "in-position");

    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/inspection-result"),
            "officer",
            &json!({ "outcome": "satisfactory", "note": "seal intact, no pests" }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "inspected");

    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/release"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "released");
    assert_eq!(r["release"]["kind"], "after-inspection");

    // The trader's timeline shows every step, each with its hash.
    let (s, full) = app.get(&format!("/api/v1/declarations/{id}"), "declarant").await;
    assert_eq!(s, 200);
    assert_eq!(
        kinds(&full["timeline"]),
        [
            "declaration_filed",
            "risk_assessed",
            "inspection_notice_issued",
            "container_in_position",
            "inspection_result_recorded",
            "released"
        ]
    );
    assert!(full["timeline"].as_array().unwrap().iter().all(|e| e["hash"].as_str().unwrap().len() == 64));

    // Webhooks: the notices reached both the trader and the terminal, signed.
    let got = hook
        .wait_for("inspection and release notices for trader and terminal", |all| {
            let n = |topic: &str, who: &str| all.iter().filter(|r| r.json["topic"] == topic && r.json["recipient"] == who).count();
            n("inspection.notice", TRADER) == 1
                && n("inspection.notice", TERMINAL) == 1
                && n("release.notice", TRADER) == 1
                && n("release.notice", TERMINAL) == 1
        })
        .await;
    for r in &got {
        let who = r.json["recipient"].as_str().unwrap();
        assert!(guomen_delivery::signature::verify(&secrets[who], r.timestamp, &r.raw, &r.signature), "signature of {}", r.event_id);
        assert_eq!(r.json["event_id"].as_str().unwrap(), r.event_id);
        assert_eq!(r.json["record"], format!("declaration:{id}"));
    }
    let mut ids: Vec<&str> = got.iter().map(|r| r.event_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "event ids are unique");
    dispatcher.abort();

    // The decision replays identically from its seed and rule-set version.
    let (s, replay) = app.get(&format!("/api/v1/declarations/{id}/replay"), "officer").await;
    assert_eq!(s, 200, "{replay}");
    assert_eq!(replay["identical"], true);

    let (s, v) = app.get("/api/v1/journal/verify", "admin").await;
    assert_eq!(s, 200);
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn red_lane_from_filing_to_release_notifies_everyone() {
    for engine in engines() {
        red_lane_to_release(&TestApp::spawn_with(engine, guomen_delivery::Reach::ANY).await).await;
    }
}

async fn green_and_advance(app: &TestApp) {
    // No rules: green, released at once.
    let (s, d) = app.post("/api/v1/declarations", "declarant", &green_draft("GRN-0001")).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!((d["lane"].as_str(), d["status"].as_str()), (Some("green"), Some("released")));
    assert_eq!(d["release"]["kind"], "automatic");

    // Advance declaration before arrival: waits, then released the moment the terminal reports arrival.
    let mut adv = green_draft("ADV-0002");
    adv["head"]["mode"] = json!("advance");
    adv["head"]["ie_date"] = Value::Null;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &adv).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["status"], "awaiting-arrival");
    let id = d["id"].as_str().unwrap().to_owned();
    let (s, r) = app.post("/api/v1/arrivals", "terminal-other", &json!({ "bill_no": "ADV-0002" })).await;
    assert_eq!(s, 404, "another terminal cannot report this bill: {r}");
    let (s, r) = app.post("/api/v1/arrivals", "terminal", &json!({ "bill_no": "ADV-0002" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["declarations"][0]["id"], id.as_str());
    assert_eq!(r["declarations"][0]["status"], "released");
    let (_, full) = app.get(&format!("/api/v1/declarations/{id}"), "declarant").await;
    assert_eq!(kinds(&full["timeline"]), ["declaration_filed", "risk_assessed", "goods_arrived", "released"]);

    // Two-step summary that arrived 20 days ago and was never completed: overdue.
    let mut two = green_draft("TWO-0003");
    two["head"]["mode"] = json!("two-step");
    two["head"]["ie_date"] = json!((time::OffsetDateTime::now_utc().date() - time::Duration::days(20)).to_string());
    let (s, d) = app.post("/api/v1/declarations", "declarant", &two).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["status"], "released");
    assert_eq!(d["overdue"], true);
    let id = d["id"].as_str().unwrap().to_owned();
    let (_, list) = app.get("/api/v1/declarations?overdue=true", "declarant").await;
    let overdue: Vec<&str> = list["declarations"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(overdue, vec![id.as_str()]);
    let (s, d) = app.post(&format!("/api/v1/declarations/{id}/complete"), "declarant", &two).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["overdue"], false);
    assert!(d["completed_at"].is_string());
    let (_, list) = app.get("/api/v1/declarations?overdue=true", "declarant").await;
    assert!(list["declarations"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn green_advance_and_two_step_declarations() {
    for engine in engines() {
        green_and_advance(&TestApp::spawn(engine).await).await;
    }
}

async fn hold_and_lift(app: &TestApp) {
    app.seeds_red().await;
    let (_, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("HLD-0001")).await;
    let id = d["id"].as_str().unwrap().to_owned();
    let record_no = d["notice"]["record_no"].as_str().unwrap().to_owned();
    let (s, _) = app
        .post(
            &format!("/api/v1/declarations/{id}/position"),
            "terminal",
            &json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "查验区", "slot_code": "B1" }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, p) =
        app.post(&format!("/api/v1/declarations/{id}/inspection-result"), "officer", &json!({ "outcome": "not-satisfactory" })).await;
    assert_eq!(s, 422, "findings are required: {p}");
    assert_eq!(p["errors"][0]["path"], "findings");
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/inspection-result"),
            "officer",
            &json!({ "outcome": "not-satisfactory", "findings": ["检出活体昆虫 / live insects found"] }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) =
        app.post(&format!("/api/v1/declarations/{id}/hold"), "officer", &json!({ "reason": "待除害处理 / awaiting treatment" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "held");
    let (s, p) = app.post(&format!("/api/v1/declarations/{id}/release"), "officer", &json!({})).await;
    assert_eq!(s, 422, "lifting a hold needs a note: {p}");
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/release"),
            "officer",
            &json!({ "note": "熏蒸处理合格 / fumigated, satisfactory after official intervention" }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["release"]["kind"], "hold-lifted");
    let (s, _) = app.post(&format!("/api/v1/declarations/{id}/hold"), "officer", &json!({ "reason": "again" })).await;
    assert_eq!(s, 409, "released goods cannot be held");
}

#[tokio::test]
async fn not_satisfactory_hold_then_release_with_note() {
    for engine in engines() {
        hold_and_lift(&TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn server_sent_events_deliver_the_inspection_notice_to_the_terminal() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let res = app.http.get(app.url("/api/v1/events")).bearer_auth(&app.tokens["terminal"]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("SSE-0001")).await;
    assert_eq!(s, 201);
    let mut res = res;
    let mut text = String::new();
    let found = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(chunk) = res.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if text.contains("event: inspection.notice") && text.contains(d["id"].as_str().unwrap()) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(found, "no inspection notice on the stream: {text}");
    assert!(text.contains("\nid: ") || text.starts_with("id: "), "events carry ids for Last-Event-ID: {text}");
}
