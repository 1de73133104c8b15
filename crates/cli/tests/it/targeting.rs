//! Targeting is for customs. Every answer a trader or a terminal gets about a declaration — the
//! filing answer, the record, the list, the steps they take, their notices and their event
//! stream — carries the lane and the status but no criteria, rates, draws, seeds or random
//! selection; officers, risk analysts and administrators see the explanation, and only they
//! may replay it.

use crate::helpers::*;
use guomen_api::targeting_member;
use serde_json::{json, Value};

fn clean(who: &str, what: &str, v: &Value) {
    assert_eq!(targeting_member(v), None, "{who} is shown targeting in {what}: {v}");
}

/// The `data:` payloads the event stream sent before `until` appeared (bounded wait).
async fn stream(app: &TestApp, who: &str, until: &str) -> Vec<Value> {
    let mut res = app.http.get(app.url("/api/v1/events")).bearer_auth(&app.tokens[who]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut text = String::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(chunk) = res.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if text.contains(until) && text.ends_with("\n\n") {
                return;
            }
        }
    })
    .await;
    assert!(text.contains(until), "{who}'s stream never carried {until}: {text}");
    text.lines().filter_map(|l| l.strip_prefix("data:")).map(|d| serde_json::from_str(d.trim()).unwrap()).collect()
}

#[tokio::test]
async fn traders_and_terminals_see_the_lane_never_the_targeting() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        app.seeds_red().await;

        let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("TGT-0001")).await;
        assert_eq!(s, 201, "{d}");
        clean("declarant", "the filing answer", &d);
        assert_eq!((d["lane"].as_str(), d["status"].as_str()), (Some("red"), Some("inspection-notified")));
        let id = d["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/declarations/{id}");

        for who in ["declarant", "terminal"] {
            let (s, one) = app.get(&path, who).await;
            assert_eq!(s, 200, "{one}");
            clean(who, "the record", &one);
            assert_eq!(one["lane"], "red");
            assert!(one["timeline"].as_array().is_some_and(|t| !t.is_empty()));
            let (_, list) = app.get("/api/v1/declarations", who).await;
            clean(who, "the list", &list);
            let (_, inbox) = app.get("/api/v1/notices", who).await;
            assert!(!inbox["notices"].as_array().unwrap().is_empty());
            clean(who, "the notices", &inbox);
            for event in stream(&app, who, "inspection.notice").await {
                clean(who, "the event stream", &event);
            }
            let (s, p) = app.get(&format!("{path}/replay"), who).await;
            assert_eq!(s, 403, "{who} may not replay: {p}");
        }

        // The terminal's own step answers with the record: still without targeting.
        let record_no = d["notice"]["record_no"].as_str().unwrap();
        let (s, r) = app
            .post(
                &format!("{path}/position"),
                "terminal",
                &json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "查验区", "slot_code": "A-01" }),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        clean("terminal", "the position answer", &r);

        // Customs see why, and may replay it.
        for who in ["officer", "risk-analyst", "admin"] {
            let (_, seen) = app.get(&path, who).await;
            assert_eq!(seen["hits"][0]["criterion"], "SEED-1209", "{who}: {seen}");
            assert!(seen["decision"]["seed"].is_u64() && seen["decision"]["random"].is_object(), "{who}: {seen}");
            let (s, replay) = app.get(&format!("{path}/replay"), who).await;
            assert_eq!((s, &replay["identical"]), (200, &json!(true)), "{who}: {replay}");
        }

        // The timeline, shown to the trader, names the lane but not how many criteria hit.
        let (_, seen) = app.get(&path, "declarant").await;
        let risk = seen["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "risk_assessed").unwrap();
        assert!(!risk["summary_en"].as_str().unwrap().contains("hit"), "{risk}");
    }
}

#[test]
fn the_checker_finds_targeting_members_anywhere() {
    assert_eq!(targeting_member(&json!({"lane": "red", "status": "x"})), None);
    assert_eq!(targeting_member(&json!({"tax": {"lines": [{"vat_percent": "13"}]}})), None);
    for (v, at) in [
        (json!({"hits": []}), "/hits"),
        (json!({"a": [{"decision": {}}]}), "/a/0/decision"),
        (json!({"x": {"rate_bp": 10}}), "/x/rate_bp"),
        (json!({"x": {"effective_rate_bp": 10}}), "/x/effective_rate_bp"),
        (json!({"seed": 1}), "/seed"),
        (json!({"random": {}}), "/random"),
        (json!({"draw": 5}), "/draw"),
        (json!({"suspicion": {}}), "/suspicion"),
        (json!({"max_addresses": 5}), "/max_addresses"),
        (json!({"sampling": {"source": {"by": "targeting", "criteria": ["C1"]}}}), "/sampling/source/criteria"),
        (json!({"reason": {"source": "targeting", "criterion": "C1"}}), "/reason/criterion"),
        (json!({"guard": {"address_threshold": 5}}), "/guard/address_threshold"),
    ] {
        assert_eq!(targeting_member(&v).as_deref(), Some(at), "{v}");
    }
}

/// A laboratory order that targeting made names its criteria on the record
/// (`sampling.source.criteria`) and on the sample (`reason.criterion`): customs see them; the
/// trader, the terminal and the laboratory are told only that targeting asked for it — in the
/// filing answer, the record, the list, the sample, the laboratory's notice and the console.
#[tokio::test]
async fn a_laboratory_order_from_targeting_names_its_criteria_to_customs_only() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        crate::visitor::add_users(&app).await;
        let rules = json!({ "reason": "seed season", "rules": { "min_random_percent": "0", "criteria": [{
            "id": "SEED-LAB-7731", "description": "imported seeds: quarantine examination with laboratory testing",
            "when": { "hs_prefixes": ["1209"] }, "lane": "red", "rate_percent": "100", "lab_sampling": true, "check_type": "quarantine"
        }] } });
        assert_eq!(app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await.0, 200);
        let leaks = |who: &str, what: &str, v: &Value| {
            clean(who, what, v);
            assert!(!v.to_string().contains("SEED-LAB-7731"), "{who} is shown the criterion in {what}: {v}");
        };

        let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("TGT-LAB-1")).await;
        assert_eq!(s, 201, "{d}");
        assert_eq!(d["sampling"]["source"], json!({ "by": "targeting" }), "{d}");
        leaks("declarant", "the filing answer", &d);
        let id = d["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/declarations/{id}");
        for who in ["declarant", "terminal"] {
            let (s, one) = app.get(&path, who).await;
            assert_eq!(s, 200, "{one}");
            assert_eq!(one["sampling"]["source"], json!({ "by": "targeting" }), "{who}: {one}");
            leaks(who, "the record", &one);
            leaks(who, "the list", &app.get("/api/v1/declarations", who).await.1);
        }
        for who in ["officer", "risk-analyst", "admin"] {
            let (_, seen) = app.get(&path, who).await;
            assert_eq!(seen["sampling"]["source"], json!({ "by": "targeting", "criteria": ["SEED-LAB-7731"] }), "{who}: {seen}");
        }

        // The sample, as the officer and as the laboratory see it.
        let record_no = d["notice"]["record_no"].as_str().unwrap();
        let position = json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "查验区", "slot_code": "A-01" });
        let (s, r) = app.post(&format!("{path}/position"), "terminal", &position).await;
        assert_eq!(s, 200, "{r}");
        leaks("terminal", "the position answer", &r);
        let (s, r) =
            app.post(&format!("{path}/samples"), "officer", &json!({ "lab": LAB, "seal_no": "SEAL-TGT-LAB-1", "quantity": "2 kg" })).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["sample"]["reason"], json!({ "source": "targeting", "criterion": "SEED-LAB-7731" }), "{r}");
        let sample = r["sample"]["id"].as_str().unwrap().to_owned();
        let (s, seen) = app.get(&format!("/api/v1/samples/{sample}"), "laboratory").await;
        assert_eq!(s, 200, "{seen}");
        assert_eq!(seen["sample"]["reason"], json!({ "source": "targeting" }), "{seen}");
        leaks("laboratory", "the sample", &seen);
        leaks("laboratory", "the samples", &app.get("/api/v1/samples", "laboratory").await.1);
        let (s, received) = app.send("POST", &format!("/api/v1/samples/{sample}/receive"), Some("laboratory"), None).await;
        assert_eq!(s, 200, "{received}");
        leaks("laboratory", "the receipt answer", &received);
        let (_, inbox) = app.get("/api/v1/notices", "laboratory").await;
        assert!(inbox["notices"].as_array().unwrap().iter().any(|n| n["topic"] == "sample.sent"), "{inbox}");
        leaks("laboratory", "the notices", &inbox);

        // The console's page of the declaration, for the trader.
        let mut trader = crate::visitor::Visitor::signed_in(&app, "trader").await;
        let page = trader.get(&format!("/declarations/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&id) && !page.body.contains("SEED-LAB-7731"), "the console shows the trader the criterion");
    }
}
