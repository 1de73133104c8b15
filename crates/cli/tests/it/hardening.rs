//! What a probe from outside tried: oversize amounts, trailing data after a JSON body, bare
//! rejections, missing security headers, webhooks pointed inside the network. Each is a clear
//! problem+json and changes nothing.

use crate::helpers::*;
use serde_json::{json, Value};

async fn send_bytes(app: &TestApp, method: &str, path: &str, who: Option<&str>, ct: &str, body: Vec<u8>) -> reqwest::Response {
    let mut req = app.http.request(method.parse().unwrap(), app.url(path)).header("content-type", ct).body(body);
    if let Some(w) = who {
        req = req.bearer_auth(&app.tokens[w]);
    }
    req.send().await.unwrap()
}

async fn problem(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let text = res.text().await.unwrap();
    assert_eq!(ct, "application/problem+json", "{status}: {text}");
    let p: Value = serde_json::from_str(&text).unwrap();
    assert!(p["code"].is_string() && p["title"].is_string() && p["title_zh"].is_string() && p["status"] == status, "{p}");
    (status, p)
}

#[tokio::test]
async fn oversize_amounts_are_refused_with_their_path_in_json_and_xml() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let before = app.store.count("journal").await.unwrap();
        let huge = "79228162514264337593543950335";
        let mut d = seed_draft("BIG-0001");
        d["items"][0]["decl_price"] = json!(huge);
        let res = send_bytes(&app, "POST", "/api/v1/declarations", Some("declarant"), "application/json", d.to_string().into_bytes()).await;
        let (s, p) = problem(res).await;
        assert_eq!(s, 422, "{p}");
        assert!(p["errors"].as_array().unwrap().iter().any(|e| e["path"] == "items[0].decl_price" && e["rule"] == "number_digits"), "{p}");

        let draft: guomen_domain::declaration::DeclarationDraft = serde_json::from_value(d).unwrap();
        let xml = guomen_messages::write_dec_message(&draft);
        assert!(xml.contains(huge));
        let res = send_bytes(&app, "POST", "/api/v1/declarations", Some("declarant"), "application/xml", xml.into_bytes()).await;
        let (s, p) = problem(res).await;
        assert_eq!(s, 422, "{p}");
        assert!(p["errors"].as_array().unwrap().iter().any(|e| e["path"] == "items[0].decl_price"), "{p}");

        // The largest quantity times the largest price: refused, not a dropped connection.
        let mut d = seed_draft("BIG-0002");
        d["items"][0]["g_qty"] = json!("99999999999999.99999");
        d["items"][0]["decl_price"] = json!("999999999999999.9999");
        d["items"][0]["decl_total"] = json!("999999999999999.99");
        let res = send_bytes(&app, "POST", "/api/v1/declarations", Some("declarant"), "application/json", d.to_string().into_bytes()).await;
        let (s, p) = problem(res).await;
        assert_eq!(s, 422, "{p}");

        // A quota question about an absurd amount.
        let q = json!({"buyerIdType": "1", "buyerIdNumber": "440104199201015678", "buyerName": "张伟", "amount": huge});
        let res =
            send_bytes(&app, "POST", "/api/v1/ceb/quota-check", Some("declarant"), "application/json", q.to_string().into_bytes()).await;
        let (s, p) = problem(res).await;
        assert_eq!((s, &p["errors"][0]["path"]), (422, &json!("amount")), "{p}");
        assert_eq!(app.store.count("journal").await.unwrap(), before);
    }
}

#[tokio::test]
async fn data_after_the_json_body_is_refused() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let one = seed_draft("TRAIL-0001").to_string();
    for tail in [one.clone(), "{}".to_owned(), " garbage".to_owned(), "\n]".to_owned()] {
        let body = format!("{one}{tail}");
        let res = send_bytes(&app, "POST", "/api/v1/declarations", Some("declarant"), "application/json", body.into_bytes()).await;
        let (s, p) = problem(res).await;
        assert_eq!((s, p["code"].as_str()), (400, Some("malformed_body")), "{p}");
        assert!(p["detail"].as_str().unwrap().contains("after the JSON value"), "{p}");
    }
    assert_eq!(app.store.count("declarations").await.unwrap(), 0, "nothing was filed");
    // Whitespace after the one value is fine.
    let res =
        send_bytes(&app, "POST", "/api/v1/declarations", Some("declarant"), "application/json", format!("{one}\n\n").into_bytes()).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn every_rejection_is_a_problem_document() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    // A query parameter of the wrong type, on routes that took axum's rejection as it came.
    for path in ["/api/v1/ceb/inventories?limit=abc", "/api/v1/declarations?limit=abc", "/api/v1/notices?after=x"] {
        let res = app.http.get(app.url(path)).bearer_auth(&app.tokens["officer"]).send().await.unwrap();
        let (s, p) = problem(res).await;
        assert_eq!((s, p["code"].as_str()), (400, Some("malformed_body")), "{path}: {p}");
        assert!(p["errors"].to_string().contains("limit") || p["errors"].to_string().contains("after") || p["detail"].is_string(), "{p}");
    }
    let res = app.http.get(app.url("/api/v1/ceb/inventories?limit=abc")).bearer_auth(&app.tokens["officer"]).send().await.unwrap();
    let (_, p) = problem(res).await;
    assert_eq!(p["errors"][0]["path"], "limit", "{p}");

    // A method the route does not take: 405 with a body and the Allow header.
    let res = app.http.delete(app.url("/api/v1/declarations")).bearer_auth(&app.tokens["officer"]).send().await.unwrap();
    let allow = res.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (s, p) = problem(res).await;
    assert_eq!((s, p["code"].as_str()), (405, Some("method_not_allowed")), "{p}");
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert!(!p["detail_zh"].as_str().unwrap().is_empty());

    // The console's JSON answers too: a live validation without a session is refused the
    // console's way, and a bare rejection there is a problem document.
    let res = app.http.put(app.url("/declarations/check")).send().await.unwrap();
    let (s, p) = problem(res).await;
    assert_eq!((s, p["code"].as_str()), (405, Some("method_not_allowed")), "{p}");
}

#[tokio::test]
async fn every_answer_carries_nosniff_and_no_store() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (_, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("HDR-0001")).await;
    let id = d["id"].as_str().unwrap();
    let cases: Vec<(&str, String, Option<&str>)> = vec![
        ("GET", "/healthz".into(), None),
        ("GET", "/api/v1/openapi.json".into(), None),
        ("GET", format!("/api/v1/declarations/{id}"), Some("declarant")),
        ("GET", "/api/v1/declarations".into(), None),
        ("GET", "/api/v1/nothing-here".into(), None),
        ("DELETE", "/api/v1/declarations".into(), Some("officer")),
        ("GET", "/".into(), None),
        ("GET", "/login".into(), None),
        ("GET", "/queue".into(), None),
        ("GET", "/hs?q=1209".into(), None),
        ("GET", "/static/nothing.css".into(), None),
    ];
    for (method, path, who) in cases {
        let mut req = app.http.request(method.parse().unwrap(), app.url(&path));
        if let Some(w) = who {
            req = req.bearer_auth(&app.tokens[w]);
        }
        let res = req.send().await.unwrap();
        let h = res.headers();
        assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{method} {path}");
        assert_eq!(h.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{method} {path}");
    }
    // The embedded stylesheet and script may be cached.
    for path in ["/static/console.css", "/static/console.js"] {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["cache-control"].to_str().unwrap().starts_with("public"), "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn webhooks_may_not_point_inside_the_network_unless_allowed() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let before = app.store.count("journal").await.unwrap();
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.0.0.8/hook",
        "http://172.20.1.1/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://[fd00::1]/hook",
        "http://0.0.0.0/hook",
        "http://2130706433/hook",
    ] {
        let (s, p) = app.post("/api/v1/subscriptions", "admin", &json!({ "url": url })).await;
        assert_eq!(s, 422, "{url}: {p}");
        assert_eq!((p["errors"][0]["path"].as_str(), p["errors"][0]["rule"].as_str()), (Some("url"), Some("url_internal")), "{url}: {p}");
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("GUOMEN_WEBHOOK_ALLOW_PRIVATE"), "{p}");
    }
    assert_eq!(app.store.count("journal").await.unwrap(), before, "nothing was subscribed");
    let (s, p) = app.post("/api/v1/subscriptions", "admin", &json!({ "url": "http://203.0.113.7/hook" })).await;
    assert_eq!(s, 201, "a public address is taken: {p}");

    // A server that allows internal addresses (tests, a single machine) takes them.
    let open = TestApp::spawn_with(guomen_store::Engine::Sqlite, guomen_delivery::Reach::ANY).await;
    let (s, p) = open.post("/api/v1/subscriptions", "admin", &json!({ "url": "http://127.0.0.1:9/hook" })).await;
    assert_eq!(s, 201, "{p}");
}
