//! Certificates of origin over the API: the intelligent review's four outcomes, the exporter's
//! amendment, the officer's decisions, what a trader may see, and refusals that store nothing.

use crate::helpers::*;
use serde_json::{json, Value};

/// A CNC lathe exported by TRADER, made with a Japanese controller and German bearings.
pub fn lathe(agreement: &str, country: &str) -> Value {
    json!({
        "agreement": agreement,
        "office": "5300",
        "importing_country": country,
        "consignee_name": "Bangkok Machine Tools Co., Ltd.",
        "consignee_address": "88 Rama IV Road, Khlong Toei, Bangkok 10110",
        "transport": "BY SEA FROM SHENZHEN TO LAEM CHABANG",
        "invoice_no": "SZML-2026-0311",
        "invoice_date": "2026-03-11",
        "goods": [{
            "hs": "8458110090", "description": "数控卧式车床 CNC horizontal lathe", "quantity": "2", "unit": "001",
            "fob_value": "84000", "currency": "USD", "criterion": "PSR",
            "materials": [
                { "hs": "732599", "description": "铸铁床身 cast-iron bed", "origin": "CHN", "value": "9000" },
                { "hs": "853710", "description": "数控系统 numerical control", "origin": "JPN", "value": "12000" },
                { "hs": "848210", "description": "滚珠轴承 ball bearings", "origin": "DEU", "value": "3000" }
            ]
        }]
    })
}

fn rules_of(c: &Value) -> Vec<String> {
    c["reasons"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_review_decides_at_once_and_an_officer_decides_what_it_refers() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;

        // To the United States under RCEP: not a party, returned for amendment with the field.
        let (s, c) = app.post("/api/v1/certificates/origin", "declarant", &lathe("rcep", "USA")).await;
        assert_eq!(s, 201, "{c}");
        let number = c["number"].as_str().unwrap().to_owned();
        assert!(number.starts_with("R") && number.contains("5300") && number.ends_with("0000001"), "{number}");
        assert_eq!((c["status"].as_str(), c["outcome"].as_str()), (Some("amend"), Some("amend")));
        assert_eq!(c["reasons"][0]["rule"], "country_not_party");
        assert_eq!(c["reasons"][0]["path"], "importing_country");
        assert!(c.get("ruleset_version").is_none(), "a trader sees no rule-set version");
        // Officers have nothing to decide yet.
        let (s, p) = app.post(&format!("/api/v1/certificates/origin/{number}/decision"), "officer", &json!({ "action": "approve" })).await;
        assert_eq!(s, 409, "{p}");

        // Amended to Thailand: the exporter's first certificate goes to an officer. The trader
        // is told that an officer has it, not why.
        let (s, c) = app.post(&format!("/api/v1/certificates/origin/{number}/amend"), "declarant", &lathe("rcep", "THA")).await;
        assert_eq!(s, 200, "{c}");
        assert_eq!((c["status"].as_str(), c["amendments"].as_u64()), (Some("manual-review"), Some(1)));
        assert_eq!(rules_of(&c), ["psr_met", "referred"]);
        let (_, seen) = app.get(&format!("/api/v1/certificates/origin/{number}"), "officer").await;
        assert_eq!(rules_of(&seen), ["psr_met", "exporter_first"]);
        assert_eq!(seen["timeline"].as_array().unwrap().len(), 2);
        let (_, queue) = app.get("/api/v1/certificates/origin?status=manual-review", "officer").await;
        assert_eq!(queue["certificates"][0]["number"], number.as_str());

        // Only an officer decides; a return or a refusal needs a reason.
        let path = format!("/api/v1/certificates/origin/{number}/decision");
        assert_eq!(app.post(&path, "declarant", &json!({ "action": "approve" })).await.0, 403);
        let (s, p) = app.post(&path, "officer", &json!({ "action": "reject" })).await;
        assert_eq!((s, p["errors"][0]["path"].as_str()), (422, Some("reason")), "{p}");
        let (s, p) = app.post(&path, "officer", &json!({ "action": "stamp" })).await;
        assert_eq!((s, p["errors"][0]["rule"].as_str()), (422, Some("unknown")), "{p}");
        let (s, c) = app.post(&path, "officer", &json!({ "action": "approve" })).await;
        assert_eq!((s, c["status"].as_str()), (200, Some("issued")), "{c}");
        assert!(c["issued_at"].is_string());

        // The next application of an exporter with a clean record passes at once.
        let (s, c) = app.post("/api/v1/certificates/origin", "declarant", &lathe("china-korea", "KOR")).await;
        assert_eq!(s, 201, "{c}");
        assert_eq!((c["outcome"].as_str(), c["status"].as_str()), (Some("pass"), Some("issued")));
        assert_eq!(c["lines"][0]["printed"], "CTH");
        assert!(c["number"].as_str().unwrap().starts_with('K'));

        // Processors on the rule set's watch list of origin risks go to an officer.
        let rules = json!({ "reason": "origin risks", "rules": { "min_random_percent": "0", "lists": { "origin-goods": ["8542"] } } });
        assert_eq!(app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await.0, 200);
        let mut chips = lathe("china-asean", "VNM");
        chips["goods"][0]["hs"] = json!("8542319000");
        chips["goods"][0]["description"] = json!("处理器 processors");
        let (s, c) = app.post("/api/v1/certificates/origin", "declarant", &chips).await;
        assert_eq!((s, c["outcome"].as_str()), (201, Some("manual-review")), "{c}");
        let (_, seen) = app.get(&format!("/api/v1/certificates/origin/{}", c["number"].as_str().unwrap()), "officer").await;
        assert_eq!(rules_of(&seen), ["psr_met", "goods_watched"]);
        assert_eq!(seen["ruleset_version"], 1);

        // An untrustworthy exporter's application is investigated; refused after verification,
        // it counts against the exporter's next one.
        let (s, c) = app.post("/api/v1/certificates/origin", "declarant-other", &lathe("rcep", "JPN")).await;
        assert_eq!((s, c["outcome"].as_str()), (201, Some("investigate")), "{c}");
        let other = c["number"].as_str().unwrap().to_owned();
        assert_eq!(rules_of(&c), ["psr_met", "referred"]);
        // Another exporter's certificate does not exist for a trader; terminals have no business here.
        assert_eq!(app.get(&format!("/api/v1/certificates/origin/{other}"), "declarant").await.0, 404);
        assert_eq!(app.get(&format!("/api/v1/certificates/origin/{number}"), "terminal").await.0, 403);
        let (_, mine) = app.get("/api/v1/certificates/origin", "declarant").await;
        assert_eq!(mine["certificates"].as_array().unwrap().len(), 3);
        let (s, c) = app
            .post(
                &format!("/api/v1/certificates/origin/{other}/decision"),
                "officer",
                &json!({ "action": "reject", "reason": "数控系统实为整机进口后更换铭牌" }),
            )
            .await;
        assert_eq!((s, c["status"].as_str()), (200, Some("rejected")), "{c}");
        assert_eq!(c["decisions"][0]["after_investigation"], true);
        let (_, c) = app.post("/api/v1/certificates/origin", "declarant-other", &lathe("rcep", "JPN")).await;
        let (_, seen) = app.get(&format!("/api/v1/certificates/origin/{}", c["number"].as_str().unwrap()), "officer").await;
        assert_eq!(rules_of(&seen), ["psr_met", "exporter_untrustworthy", "exporter_findings", "exporter_first"]);

        // The exporter was told each outcome.
        let (_, notices) = app.get("/api/v1/notices", "declarant").await;
        assert!(notices.to_string().contains("origin.reviewed"), "{notices}");
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn an_application_that_cannot_be_read_is_refused_and_nothing_is_stored() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let journal = app.store.count("journal").await.unwrap();
        let counters = app.store.count("counters").await.unwrap();
        let mut bad = lathe("mercosur", "THA");
        bad["goods"][0]["criterion"] = json!("ORIGINAL");
        bad["goods"][0]["materials"][1]["origin"] = json!("JP");
        let (s, p) = app.post("/api/v1/certificates/origin", "declarant", &bad).await;
        assert_eq!(s, 422, "{p}");
        let got: Vec<(&str, &str)> =
            p["errors"].as_array().unwrap().iter().map(|e| (e["path"].as_str().unwrap(), e["rule"].as_str().unwrap())).collect();
        assert_eq!(
            got,
            [
                ("agreement", "agreement_unknown"),
                ("goods[0].criterion", "criterion_unknown"),
                ("goods[0].materials[1].origin", "country_unknown")
            ]
        );
        assert!(p["errors"][0]["message_zh"].as_str().unwrap().contains("协定"), "{p}");
        let (s, p) = app.post("/api/v1/certificates/origin", "declarant", &json!({ "agreement": "rcep", "colour": "red" })).await;
        assert_eq!(s, 400, "{p}");
        // Only an exporter's declarant applies.
        assert_eq!(app.post("/api/v1/certificates/origin", "officer", &lathe("rcep", "THA")).await.0, 403);
        assert_eq!(app.store.count("origin_certificates").await.unwrap(), 0);
        assert_eq!(app.store.count("journal").await.unwrap(), journal);
        assert_eq!(app.store.count("counters").await.unwrap(), counters);
        assert_eq!(app.get("/api/v1/certificates/origin/R202653000000001", "officer").await.0, 404);
    }
}
