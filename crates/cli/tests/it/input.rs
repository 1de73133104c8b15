//! Bad input gets a clear 4xx problem and changes nothing; retries with an Idempotency-Key
//! never make a second record; DecMessage XML is filed like JSON.

use crate::helpers::*;
use serde_json::{json, Value};

async fn journal_len(app: &TestApp) -> i64 {
    app.store.count("journal").await.unwrap()
}

async fn raw(app: &TestApp, content_type: &str, body: Vec<u8>, who: &str) -> (u16, String, Value) {
    let res = app
        .http
        .post(app.url("/api/v1/declarations"))
        .bearer_auth(&app.tokens[who])
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    assert_catalogued(status, &body);
    (status, ct, body)
}

fn paths(p: &Value) -> Vec<(String, String)> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap().to_owned(), e["rule"].as_str().unwrap().to_owned()))
        .collect()
}

async fn bad_input(app: &TestApp) {
    let before = journal_len(app).await;

    // Malformed JSON: 400, problem+json, with the position.
    let (s, ct, p) = raw(app, "application/json", b"{\"head\": {".to_vec(), "declarant").await;
    assert_eq!((s, ct.as_str()), (400, "application/problem+json"), "{p}");
    assert_eq!(p["code"], "malformed_body");
    assert!(p["detail"].as_str().unwrap().contains("line 1"), "{p}");
    assert!(!p["detail_zh"].as_str().unwrap().is_empty());

    // Wrong type: the path of the field.
    let (s, _, p) = raw(app, "application/json", br#"{"head": {}, "items": "many"}"#.to_vec(), "declarant").await;
    assert_eq!(s, 400, "{p}");
    assert_eq!(p["errors"][0]["path"], "items");
    let (s, _, p) = raw(app, "application/json", br#"{"head": {"ie_flag": 7}}"#.to_vec(), "declarant").await;
    assert_eq!(s, 400, "{p}");
    assert_eq!(p["errors"][0]["path"], "head.ie_flag");
    let (s, _, p) = raw(app, "application/json", br#"{"head": {"colour": "red"}}"#.to_vec(), "declarant").await;
    assert_eq!(s, 400, "unknown fields are refused: {p}");

    // Malformed XML.
    let (s, _, p) = raw(app, "application/xml", b"<DecMessage><DecHead>".to_vec(), "declarant").await;
    assert_eq!(s, 400, "{p}");
    let (s, _, p) = raw(app, "application/xml", b"<Other/>".to_vec(), "declarant").await;
    assert_eq!(s, 400, "{p}");

    // Unsupported media type.
    let (s, _, p) = raw(app, "text/plain", b"hello".to_vec(), "declarant").await;
    assert_eq!(s, 415, "{p}");

    // Too large.
    let (s, _, p) = raw(app, "application/json", vec![b' '; 2 * 1024 * 1024], "declarant").await;
    assert_eq!(s, 413, "{p}");
    assert_eq!(p["code"], "payload_too_large");

    // Field rules: every failing field is listed at once.
    let mut d = seed_draft("BAD-0001");
    d["head"]["trade_code"] = json!("9999999999");
    d["head"]["trade_country"] = json!("XXX");
    d["items"][0]["code_ts"] = json!("9999990000");
    d["items"][0]["decl_total"] = json!("1.00");
    d["items"][0]["trade_curr"] = json!("ABC");
    let first = d["items"][0].clone();
    d["items"].as_array_mut().unwrap().push(first);
    let (s, p) = app.post("/api/v1/declarations", "declarant", &d).await;
    assert_eq!(s, 422, "{p}");
    let got = paths(&p);
    for want in [
        ("head.trade_code", "enterprise_unknown"),
        ("head.trade_country", "country_unknown"),
        ("items[0].code_ts", "hs_unknown"),
        ("items[0].decl_total", "total_mismatch"),
        ("items[0].trade_curr", "currency_unknown"),
        ("items[1].g_no", "g_no_duplicate"),
    ] {
        assert!(got.contains(&(want.0.to_owned(), want.1.to_owned())), "{want:?} missing from {got:?}");
    }
    for e in p["errors"].as_array().unwrap() {
        assert!(!e["message"].as_str().unwrap().is_empty() && !e["message_zh"].as_str().unwrap().is_empty());
    }

    // A token of the wrong role.
    let (s, p) = app.post("/api/v1/declarations", "terminal", &seed_draft("BAD-0002")).await;
    assert_eq!(s, 403, "{p}");

    assert_eq!(journal_len(app).await, before, "no refusal changed anything");
    assert_eq!(app.store.count("declarations").await.unwrap(), 0);
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    for engine in engines() {
        bad_input(&TestApp::spawn(engine).await).await;
    }
}

async fn idempotency(app: &TestApp) {
    let send = |key: &'static str, body: Value| {
        let req =
            app.http.post(app.url("/api/v1/declarations")).bearer_auth(&app.tokens["declarant"]).header("idempotency-key", key).json(&body);
        async move {
            let res = req.send().await.unwrap();
            let replayed = res.headers().get("idempotent-replayed").is_some();
            (res.status().as_u16(), replayed, res.json::<Value>().await.unwrap())
        }
    };
    let (s1, r1, first) = send("order-1", green_draft("IDEM-0001")).await;
    let (s2, r2, second) = send("order-1", green_draft("IDEM-0001")).await;
    assert_eq!((s1, r1), (201, false));
    assert_eq!((s2, r2), (201, true));
    assert_eq!(first["id"], second["id"]);
    assert_eq!(app.store.count("declarations").await.unwrap(), 1);

    // The same key with a different body is a conflict, not a second record.
    let (s, _, p) = send("order-1", green_draft("IDEM-0002")).await;
    assert_eq!(s, 409, "{p}");

    // Many concurrent retries of one submission: one record, one id.
    let tries: Vec<_> = (0..24).map(|_| send("order-2", green_draft("IDEM-0003"))).collect();
    let results = futures_util::future::join_all(tries).await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|(s, _, b)| {
            assert_eq!(*s, 201, "{b}");
            b["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(results.iter().filter(|(_, replayed, _)| !replayed).count(), 1, "exactly one first result");
    assert_eq!(app.store.count("declarations").await.unwrap(), 2);

    // Keys are per enterprise: another trader's identical key is its own.
    let mut other = green_draft("IDEM-0004");
    other["head"]["trade_code"] = json!(OTHER_TRADER);
    other["head"]["agent_code"] = Value::Null;
    let res = app
        .http
        .post(app.url("/api/v1/declarations"))
        .bearer_auth(&app.tokens["declarant-other"])
        .header("idempotency-key", "order-1")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert!(res.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.store.count("declarations").await.unwrap(), 3);
}

#[tokio::test]
async fn idempotency_key_returns_the_first_result() {
    for engine in engines() {
        idempotency(&TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn decmessage_xml_is_filed_like_json() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let draft: guomen_domain::declaration::DeclarationDraft = serde_json::from_value(seed_draft("XML-0001")).unwrap();
    let xml = guomen_messages::write_dec_message(&draft);
    assert!(xml.contains("<DecMessage") && xml.contains("<CodeTS>1209913000</CodeTS>"));
    let (s, _, d) = raw(&app, "application/xml", xml.into_bytes(), "declarant").await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["lane"], "red");
    assert_eq!(d["content"]["head"]["bill_no"], "XML-0001");
    assert_eq!(d["content"]["head"]["site_code"], SITE);

    // A field error in XML is reported with the same path as in JSON.
    let mut bad = draft.clone();
    bad.items[0].code_ts = Some("9999990000".into());
    let (s, _, p) = raw(&app, "application/xml", guomen_messages::write_dec_message(&bad).into_bytes(), "declarant").await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["path"], "items[0].code_ts");
}

#[tokio::test]
async fn openapi_document_lists_the_public_contract() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (s, doc) = app.send("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/declarations",
        "/api/v1/declarations/{id}",
        "/api/v1/declarations/{id}/position",
        "/api/v1/events",
        "/api/v1/rules",
        "/healthz",
        "/api/v1/ceb",
        "/api/v1/ceb/quota-check",
        "/api/v1/ceb/parcels",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}/revoke",
        "/api/v1/ceb/inventories/{id}/{action}",
        "/api/v1/mandates",
        "/api/v1/mandates/{id}",
        "/api/v1/mandates/{id}/revoke",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    // Mandates: the grant's request schema and the answer's.
    let grant = &doc["paths"]["/api/v1/mandates"]["post"];
    assert_eq!(grant["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/MandateGrant");
    assert_eq!(grant["responses"]["201"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Mandate");
    assert_eq!(doc["components"]["schemas"]["MandateGrant"]["required"], json!(["agent", "scopes", "valid_until"]));
    assert!(doc["components"]["schemas"]["Mandate"]["properties"]["status"]["enum"].as_array().unwrap().len() == 4);
    assert!(doc["paths"]["/api/v1/declarations"]["post"]["requestBody"]["content"].get("application/xml").is_some());
}

/// Country and enterprise codes inside a rule set are parsed like everywhere else: a bad one is a
/// 422 naming its path, and no rule-set version is published.
async fn rule_set_values_are_parsed(app: &TestApp) {
    let versions = app.store.count("rulesets").await.unwrap();
    let rules = |when: Value| {
        json!({ "reason": "watch list", "rules": { "min_random_percent": "0", "criteria": [
            { "id": "FINE", "description": "apples", "when": { "hs_prefixes": ["0808"] }, "lane": "yellow", "rate_percent": "10" },
            { "id": "BAD", "description": "a watched origin or firm", "when": when, "lane": "red", "rate_percent": "100" }
        ]}})
    };
    let (s, p) = app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules(json!({ "origin_countries": ["NZL", "XXX"] })))).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(paths(&p), [("rules.criteria[1].when.origin_countries[1]".to_owned(), "country_unknown".to_owned())]);
    assert!(p["errors"][0]["message_zh"].as_str().unwrap().contains("XXX"), "{p}");
    let (s, p) = app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules(json!({ "enterprises": ["62019600"] })))).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(paths(&p), [("rules.criteria[1].when.enterprises[0]".to_owned(), "customs_code_format".to_owned())]);
    let (s, p) = app
        .send(
            "PUT",
            "/api/v1/criteria/BAD",
            Some("risk-analyst"),
            Some(&json!({ "reason": "r", "criterion":
        { "id": "BAD", "description": "d", "when": { "trade_countries": ["china"] }, "lane": "red", "rate_percent": "100" } })),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["rule"], "country_unknown", "{p}");
    assert_eq!(app.store.count("rulesets").await.unwrap(), versions, "nothing was published");
    let (s, p) = app
        .send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules(json!({ "origin_countries": ["NZL"], "enterprises": [TRADER] }))))
        .await;
    assert_eq!(s, 200, "the same rule set with good codes is published: {p}");
}

#[tokio::test]
async fn rule_sets_parse_their_country_and_enterprise_codes() {
    for engine in engines() {
        rule_set_values_are_parsed(&TestApp::spawn(engine).await).await;
    }
}
