//! The refusal catalogue at the edges: the OpenAPI document lists every rule code with its
//! status and meaning, `guomen refusals --markdown` writes docs/REFUSALS.md, and refusals are
//! answered with the status the catalogue gives their rules (checked on every answer a test
//! reads through `TestApp::send`).

use crate::helpers::*;
use guomen_domain::Rule;
use serde_json::{json, Value};

#[tokio::test]
async fn the_openapi_document_lists_every_rule_code() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (s, doc) = app.send("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    let rule = &doc["components"]["schemas"]["Problem"]["properties"]["errors"]["items"]["properties"]["rule"];
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(rule["enum"], json!(codes), "{rule}");
    let meanings = rule["x-rules"].as_object().unwrap();
    assert_eq!(meanings.len(), Rule::ALL.len());
    for r in Rule::ALL {
        let m = &meanings[r.code()];
        assert_eq!(
            (m["status"].as_u64(), m["description"].as_str(), m["description_zh"].as_str()),
            (Some(r.status().into()), Some(r.en()), Some(r.zh())),
            "{r}"
        );
    }
    assert_eq!(meanings["mandate_missing"]["status"], 403);
    assert_eq!(meanings["malformed"]["status"], 400);
}

async fn guomen(args: &[&str]) -> String {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_guomen")).args(args).output().await.unwrap();
    assert!(out.status.success(), "guomen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn guomen_refusals_prints_the_catalogue_and_writes_the_page() {
    let page = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/REFUSALS.md")).unwrap();
    assert_eq!(guomen(&["refusals", "--markdown"]).await, page, "docs/REFUSALS.md is what `guomen refusals --markdown` writes");
    let list = guomen(&["refusals"]).await;
    for r in Rule::ALL {
        let line = list.lines().find(|l| l.split_whitespace().next() == Some(r.code())).unwrap_or_else(|| panic!("{r} not listed"));
        assert!(line.contains(&format!(" {}  {} / {}", r.status(), r.en(), r.zh())), "{line}");
    }
    for kind in ["validation_failed", "malformed_body", "not_found", "forbidden", "too_many_requests"] {
        assert!(list.lines().any(|l| l.trim_start().starts_with(kind)), "{kind}");
    }
}

/// Refusals of other kinds than validation carry rules whose catalogued status is theirs.
#[tokio::test]
async fn rules_outside_validation_are_answered_with_their_status() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    // An unreadable body: 400 `malformed`.
    let res = app
        .http
        .post(app.url("/api/v1/declarations"))
        .bearer_auth(&app.tokens["declarant"])
        .header("content-type", "application/json")
        .body("{\"head\": ")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let p: Value = res.json().await.unwrap();
    assert_eq!((status, p["errors"][0]["rule"].as_str()), (400, Some("malformed")), "{p}");
    assert_catalogued(status, &p);
    // An enterprise that is not named on the declaration it files: 403 `not_a_party`.
    let (s, p) = app.post("/api/v1/declarations", "declarant-other", &green_draft("BL-NOT-MINE")).await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (403, Some("not_a_party")), "{p}");
}

#[test]
#[should_panic(expected = "is not catalogued")]
fn an_uncatalogued_rule_fails_the_check() {
    assert_catalogued(422, &json!({ "status": 422, "errors": [{ "path": "x", "rule": "no_such_rule" }] }));
}

#[test]
#[should_panic(expected = "catalogued with 403 but answered with 422")]
fn a_rule_answered_with_another_status_fails_the_check() {
    assert_catalogued(422, &json!({ "status": 422, "errors": [{ "path": "head.agent_code", "rule": "mandate_missing" }] }));
}
