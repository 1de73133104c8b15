//! Inspection and quarantine end to end over HTTP: a seed declaration with its permit is
//! targeted for sampling → commitment → pre-release → laboratory result → (failing) return
//! order → done, and the passing path; permit exhaustion, four-eyes, bad input; the figures.

use crate::helpers::*;
use guomen_domain::party::Role;
use serde_json::{json, Value};

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A seed declaration naming permit `permit` for `qty` kg.
fn seed_with_permit(bill: &str, permit: &str, qty: &str) -> Value {
    let mut d = seed_draft(bill);
    let price = "2.00";
    let total = format!("{:.2}", qty.parse::<f64>().unwrap() * 2.0);
    d["items"][0]["g_qty"] = json!(qty);
    d["items"][0]["decl_price"] = json!(price);
    d["items"][0]["decl_total"] = json!(total);
    d["licences"] = json!([{ "docu_code": "QP", "cert_code": permit }]);
    d
}

async fn setup(app: &TestApp) -> String {
    // A second laboratory analyst, for the four-eyes rule.
    let token = issue_token(&app.store, Role::Laboratory, Some(LAB)).await;
    let rules = json!({ "reason": "seed season", "rules": { "min_random_percent": "0", "criteria": [{
        "id": "SEED-LAB", "description": "imported seeds: quarantine examination with laboratory testing",
        "when": { "hs_prefixes": ["1209"] }, "lane": "red", "rate_percent": "100", "lab_sampling": true, "check_type": "quarantine"
    }] } });
    assert_eq!(app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await.0, 200);
    let permit = json!({
        "id": "P2026-LZ-0001", "holder": TRADER, "hs_prefixes": ["1209"], "botanical_name": "Cucurbita moschata",
        "origin_countries": ["NLD"], "quantity": "800", "unit": "035",
        "valid_from": (today() - time::Duration::days(10)).to_string(), "valid_to": (today() + time::Duration::days(60)).to_string(),
        "conditions": ["隔离试种一个生长季 / one growing season of isolation planting"]
    });
    let (s, p) = app.post("/api/v1/permits", "officer", &permit).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!((p["status"].as_str(), p["remaining"].as_str()), (Some("active"), Some("800")));
    token
}

async fn lab(app: &TestApp, token: Option<&str>, path: &str, body: Option<Value>) -> (u16, Value) {
    match token {
        None => app.send("POST", path, Some("laboratory"), body.as_ref()).await,
        Some(t) => {
            let mut req = app.http.post(app.url(path)).bearer_auth(t);
            if let Some(b) = &body {
                req = req.json(b);
            }
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
        }
    }
}

/// Files, positions, samples and inspects a seed declaration; returns (id, sample id).
async fn to_pending_laboratory(app: &TestApp, bill: &str, qty: &str, analytes: &[&str]) -> (String, String) {
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_with_permit(bill, "P2026-LZ-0001", qty)).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["lane"], "red");
    assert_eq!(d["sampling"]["source"], json!({ "by": "targeting" }), "the trader is not told which criteria");
    let id = d["id"].as_str().unwrap().to_owned();
    let record_no = d["notice"]["record_no"].as_str().unwrap().to_owned();
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/position"),
            "terminal",
            &json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "L机场货站", "slot_code": "Q-01" }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/samples"),
            "officer",
            &json!({ "lab": LAB, "seal_no": format!("SEAL-{bill}"), "quantity": "2 kg", "analytes": analytes }),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let sample_id = r["sample"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r["sample"]["status"], "registered");
    assert_eq!(r["declaration"]["sampling"]["sample_id"], sample_id.as_str());
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/inspection-result"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "pending-laboratory");
    (id, sample_id)
}

async fn commit_and_pre_release(app: &TestApp, id: &str) {
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/release"), "officer", &json!({})).await;
    assert_eq!(s, 409, "held for the laboratory: {r}");
    let commitment = json!({ "signed_by": "张明", "storage_address": "河西制种基地3号隔离库", "contact_phone": "0936-1234567", "promise_accepted": true });
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/commitment"), "declarant-other", &commitment).await;
    assert_eq!(s, 404, "another trader cannot commit: {r}");
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/commitment"), "declarant", &commitment).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/commitment/accept"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "pre-released");
    assert_eq!(r["release"]["kind"], "pre-release-on-commitment");
}

async fn quarantine_paths(app: &TestApp) {
    let second_analyst = setup(app).await;
    let journal = app.store.count("journal").await.unwrap();

    // Without its permit, or beyond it, a seed declaration is refused and nothing is stored.
    let mut no_permit = seed_draft("NO-PERMIT");
    no_permit["licences"] = json!([]);
    let (s, p) = app.post("/api/v1/declarations", "declarant", &no_permit).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!((p["errors"][0]["path"].as_str(), p["errors"][0]["rule"].as_str()), (Some("items[0].code_ts"), Some("permit_required")));
    let (s, p) = app.post("/api/v1/declarations", "declarant", &seed_with_permit("UNKNOWN-PERMIT", "P-NOPE", "10")).await;
    assert_eq!(s, 422, "{p}");
    assert!(p["errors"].as_array().unwrap().iter().any(|e| e["rule"] == "permit_unknown"), "{p}");
    let (s, p) = app.post("/api/v1/declarations", "declarant", &seed_with_permit("TOO-MUCH", "P2026-LZ-0001", "900")).await;
    assert_eq!(s, 422, "{p}");
    assert!(p["errors"].as_array().unwrap().iter().any(|e| e["rule"] == "permit_quantity"), "{p}");
    assert_eq!(app.store.count("journal").await.unwrap(), journal, "refusals changed nothing");

    // The failing path: sampled, pre-released on commitment, a quarantine pest found, returned.
    let (id, sample) = to_pending_laboratory(app, "SEED-FAIL", "500", &["TOBRFV", "GERMINATION"]).await;
    let (_, p) = app.get("/api/v1/permits/P2026-LZ-0001", "officer").await;
    assert_eq!(p["remaining"], "300", "500 written off: {p}");
    let (s, p) = app.post("/api/v1/declarations", "declarant", &seed_with_permit("EXHAUST", "P2026-LZ-0001", "301")).await;
    assert_eq!(s, 422, "only 300 left: {p}");
    commit_and_pre_release(app, &id).await;

    let (_, inbox) = app.get("/api/v1/notices", "laboratory").await;
    assert!(
        inbox["notices"].as_array().unwrap().iter().any(|n| n["topic"] == "sample.sent" && n["body"]["id"] == sample.as_str()),
        "{inbox}"
    );
    let base = format!("/api/v1/samples/{sample}");
    assert_eq!(
        lab(app, None, &format!("{base}/results"), Some(json!({ "analyte": "TOBRFV", "detected": true }))).await.0,
        409,
        "not received yet"
    );
    assert_eq!(lab(app, None, &format!("{base}/receive"), None).await.0, 200);
    let (s, p) = lab(app, None, &format!("{base}/results"), Some(json!({ "analyte": "ERWIAM", "detected": false }))).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["rule"], "analyte_not_ordered");
    assert_eq!(lab(app, None, &format!("{base}/results"), Some(json!({ "analyte": "TOBRFV", "detected": true }))).await.0, 200);
    let (s, r) = lab(app, None, &format!("{base}/results"), Some(json!({ "analyte": "GERMINATION", "value": "91.5" }))).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["sample"]["status"], "to-be-verified");
    let (s, p) = lab(app, None, &format!("{base}/verify"), None).await;
    assert_eq!(s, 403, "four eyes: {p}");
    assert_eq!(lab(app, Some(&second_analyst), &format!("{base}/verify"), None).await.0, 200);
    let (s, r) = lab(app, Some(&second_analyst), &format!("{base}/publish"), None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["sample"]["published"]["conclusion"], "not-satisfactory");
    assert_eq!(r["declaration"]["status"], "disposition-required");

    let deadline = (today() + time::Duration::days(15)).to_string();
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/disposition"),
            "officer",
            &json!({ "kind": "return", "instructions": "召回已提离原种并退运至荷兰", "deadline": deadline }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "under-disposition");
    let (_, trader) = app.get(&format!("/api/v1/enterprises/{TRADER}"), "officer").await;
    assert_eq!(trader["dispositions"], json!({ "open": 1, "overdue": 0, "closed": 0 }), "the enterprise's record shows the open order");
    let (_, inbox) = app.get("/api/v1/notices", "declarant").await;
    assert!(
        inbox["notices"].as_array().unwrap().iter().any(|n| n["topic"] == "disposition.order" && n["body"]["kind"] == "return"),
        "{inbox}"
    );
    let (s, r) =
        app.post(&format!("/api/v1/declarations/{id}/disposition/done"), "officer", &json!({ "note": "已退运，提单 MAEU99887766" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "disposed");
    let (_, trader) = app.get(&format!("/api/v1/enterprises/{TRADER}"), "declarant").await;
    assert_eq!(trader["dispositions"], json!({ "open": 0, "overdue": 0, "closed": 1 }));

    // The passing path: satisfactory result clears the pre-released goods.
    let (id2, sample2) = to_pending_laboratory(app, "SEED-PASS", "100", &["TOBRFV"]).await;
    commit_and_pre_release(app, &id2).await;
    let base = format!("/api/v1/samples/{sample2}");
    assert_eq!(lab(app, None, &format!("{base}/receive"), None).await.0, 200);
    assert_eq!(lab(app, None, &format!("{base}/results"), Some(json!({ "analyte": "TOBRFV", "detected": false }))).await.0, 200);
    assert_eq!(lab(app, Some(&second_analyst), &format!("{base}/verify"), None).await.0, 200);
    let (s, r) = lab(app, None, &format!("{base}/publish"), None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["declaration"]["status"], "released");
    let (_, full) = app.get(&format!("/api/v1/declarations/{id2}"), "declarant").await;
    let kinds: Vec<&str> = full["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "declaration_filed",
            "risk_assessed",
            "inspection_notice_issued",
            "container_in_position",
            "sample_taken",
            "inspection_result_recorded",
            "commitment_submitted",
            "commitment_accepted",
            "released",
            "laboratory_concluded"
        ]
    );

    // Figures of the period.
    let (from, to) = ((today() - time::Duration::days(1)).to_string(), (today() + time::Duration::days(1)).to_string());
    let (s, f) = app.get(&format!("/api/v1/figures/quarantine?from={from}&to={to}"), "officer").await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["consignments"], 2);
    assert_eq!(f["sampled"], 2);
    assert_eq!(f["pre_released"], 2);
    assert_eq!(f["lab_results"], json!({ "satisfactory": 1, "not-satisfactory": 1, "not-interpretable": 0 }));
    assert_eq!(f["detections"][0]["analyte"], "TOBRFV");
    assert_eq!(f["detections"][0]["count"], 1);
    assert_eq!(f["dispositions"], json!({ "open": 0, "closed": 1, "overdue": 0 }));
    let (_, other_office) = app.get(&format!("/api/v1/figures/quarantine?from={from}&to={to}&office=4401"), "officer").await;
    assert_eq!(other_office["consignments"], 0);
    let (s, _) = app.get("/api/v1/figures/quarantine?from=2026-13-01&to=x", "officer").await;
    assert_eq!(s, 422);
    assert_eq!(app.get(&format!("/api/v1/figures/quarantine?from={from}&to={to}"), "declarant").await.0, 403);

    let (_, v) = app.get("/api/v1/journal/verify", "admin").await;
    assert_eq!(v["ok"], true, "{v}");
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn seed_consignment_from_permit_through_laboratory_to_release_or_return() {
    for engine in engines() {
        quarantine_paths(&TestApp::spawn(engine).await).await;
    }
}

async fn priority_and_two_stage(app: &TestApp) {
    // A perishable import asks for the green channel; the officer's priority queue shows it.
    let mut d = green_draft("PRIO-0001");
    d["head"]["priority"] = json!("perishable");
    d["head"]["priority_reason"] = json!("冷链鲜花，需当日通关 / cut flowers in cold chain");
    let rules = json!({ "reason": "documentary checks for machinery", "rules": { "min_random_percent": "0", "criteria": [{
        "id": "MACH-DOC", "description": "transmission shafts: documentary check", "when": { "hs_prefixes": ["8483"] }, "lane": "yellow", "rate_percent": "100"
    }] } });
    assert_eq!(app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await.0, 200);
    let (s, f) = app.post("/api/v1/declarations", "declarant", &d).await;
    assert_eq!(s, 201, "{f}");
    let id = f["id"].as_str().unwrap().to_owned();
    let (s, plain) = app.post("/api/v1/declarations", "declarant", &green_draft("PRIO-0002")).await;
    assert_eq!(s, 201, "{plain}");
    let (_, queue) = app.get("/api/v1/declarations?priority=true", "officer").await;
    let rows = queue["declarations"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{queue}");
    assert_eq!((rows[0]["id"].as_str(), rows[0]["priority"].as_str()), (Some(id.as_str()), Some("perishable")));

    // Two-stage access: released as "permitted to enter", then qualified to be marketed at destination.
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/inspection-result"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/release"), "officer", &json!({ "permitted_to_enter_only": true })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "permitted-to-enter");
    assert_eq!(r["release"]["permitted_to_enter_only"], true);
    let (s, p) =
        app.post(&format!("/api/v1/declarations/{id}/destination-result"), "officer", &json!({ "outcome": "not-satisfactory" })).await;
    assert_eq!(s, 422, "findings required: {p}");
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/destination-result"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "qualified-for-market");
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn priority_queue_and_two_stage_access() {
    for engine in engines() {
        priority_and_two_stage(&TestApp::spawn(engine).await).await;
    }
}
