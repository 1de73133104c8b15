//! Phytosanitary certificates over the API, on both engines: an export inspected and sampled,
//! the certificate applied for, refused while the laboratory has not concluded, issued with the
//! inspection and laboratory results, exchanged as SPSCertificate XML that reads back the same,
//! replaced and withdrawn; certificates received from the hub (the Norwegian sample, UTF-16, a
//! re-export's original) and the bad ones refused with paths, storing nothing; and the public
//! record of every issued document, verified with the public keys alone.

use crate::helpers::*;
use guomen_domain::document::{self, DocumentKind, SignedDocument};
use guomen_domain::party::Role;
use guomen_domain::phyto::{samples, PhytoDocument};
use guomen_domain::signing::PublicKeySet;
use guomen_messages::sps;
use serde_json::{json, Value};

const NORWAY: &[u8] = include_bytes!("../../../../data/ephyto/SPSCertificateContent.xml");

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// An export of pumpkin seed for sowing to Japan, filed by TRADER.
fn export_declaration(bill: &str) -> Value {
    let mut d = seed_draft(bill);
    d["head"]["ie_flag"] = json!("E");
    d["head"]["trade_country"] = json!("JPN");
    d["head"]["ie_date"] = json!(today().to_string());
    d["items"][0]["origin_country"] = json!("CHN");
    d["items"][0]["destination_country"] = json!("JPN");
    d["licences"] = json!([]);
    d
}

/// The application for `declaration`'s consignment.
fn application(declaration: Option<&str>) -> Value {
    let mut a = serde_json::to_value(samples::export_draft("9501")).unwrap();
    a["declaration"] = json!(declaration);
    a["lines"][0]["hs"] = json!("1209913000");
    a["lines"][0]["description"] = json!("Pumpkin seed for sowing (南瓜种子)");
    a["lines"][0]["scientific_name"] = json!("Cucurbita moschata");
    a["lines"][0]["common_name"] = json!("pumpkin");
    a["lines"][0]["net_weight"] = json!("500");
    a["lines"][0]["gross_weight"] = json!("520.5");
    a
}

/// Issues a token for a second laboratory analyst (the four-eyes rule).
async fn second_analyst(app: &TestApp) -> String {
    issue_token(&app.store, Role::Laboratory, Some(LAB)).await
}

async fn as_token(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let res = app.http.post(app.url(path)).bearer_auth(token).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// Sends raw bytes as XML.
async fn post_xml(app: &TestApp, path: &str, who: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app
        .http
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .header("content-type", "application/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn get_text(app: &TestApp, path: &str, who: &str) -> (u16, String, String) {
    let res = app.http.get(app.url(path)).bearer_auth(&app.tokens[who]).send().await.unwrap();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status().as_u16(), ct, res.text().await.unwrap())
}

async fn public_keys(app: &TestApp) -> PublicKeySet {
    let (s, keys) = app.send("GET", "/api/v1/keys", None, None).await;
    assert_eq!(s, 200);
    PublicKeySet::parse(&keys.to_string()).unwrap()
}

/// Files the export, positions it, samples it and records a satisfactory inspection; returns
/// (declaration id, sample id).
async fn inspected_export(app: &TestApp, bill: &str) -> (String, String) {
    let rules = json!({ "reason": "seed exports", "rules": { "min_random_percent": "0", "criteria": [{
        "id": "SEED-EXPORT", "description": "seed exports: quarantine examination with laboratory testing",
        "when": { "hs_prefixes": ["1209"] }, "lane": "red", "rate_percent": "100", "lab_sampling": true, "check_type": "quarantine"
    }] } });
    assert_eq!(app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await.0, 200);
    let (s, d) = app.post("/api/v1/declarations", "declarant", &export_declaration(bill)).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    let record_no = d["notice"]["record_no"].as_str().unwrap().to_owned();
    let position = json!({ "record_no": record_no, "container_no": "MSKU1234565", "site_name": "L机场货站", "slot_code": "Q-07" });
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/position"), "terminal", &position).await;
    assert_eq!(s, 200, "{r}");
    let sample = json!({ "lab": LAB, "seal_no": format!("SEAL-{bill}"), "quantity": "1 kg", "analytes": ["SQMV00"] });
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/samples"), "officer", &sample).await;
    assert_eq!(s, 201, "{r}");
    let sample_id = r["sample"]["id"].as_str().unwrap().to_owned();
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/inspection-result"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 200, "{r}");
    (id, sample_id)
}

async fn publish(app: &TestApp, sample: &str) {
    let analyst = second_analyst(app).await;
    let base = format!("/api/v1/samples/{sample}");
    assert_eq!(app.send("POST", &format!("{base}/receive"), Some("laboratory"), None).await.0, 200);
    let (s, r) = app.post(&format!("{base}/results"), "laboratory", &json!({ "analyte": "SQMV00", "detected": false })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(as_token(app, &analyst, &format!("{base}/verify")).await.0, 200);
    let (s, r) = app.send("POST", &format!("{base}/publish"), Some("laboratory"), None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["sample"]["published"]["conclusion"], "satisfactory");
}

fn document_of(c: &Value) -> PhytoDocument {
    serde_json::from_value(c["document"].clone()).unwrap()
}

async fn export_issue_replace_withdraw(app: &TestApp) {
    let (id, sample) = inspected_export(app, "PHYTO-EXP-1").await;

    // The exporter applies, naming its export declaration.
    let (s, c) = app.post("/api/v1/certificates/phyto", "declarant", &application(Some(&id))).await;
    assert_eq!(s, 201, "{c}");
    let number = c["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with('P') && number.contains("9501") && number.ends_with("0000001"), "{number}");
    assert_eq!((c["status"].as_str(), c["kind"].as_str()), (Some("applied"), Some("export")));
    // Another trader neither sees it nor applies for its declaration.
    assert_eq!(app.get(&format!("/api/v1/certificates/phyto/{number}"), "declarant-other").await.0, 404);
    let (s, p) = app.post("/api/v1/certificates/phyto", "declarant-other", &application(Some(&id))).await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (404, Some("declaration_unknown")), "{p}");
    // Nothing to send before it is issued; only an officer issues.
    assert_eq!(get_text(app, &format!("/api/v1/certificates/phyto/{number}/xml"), "declarant").await.0, 409);
    assert_eq!(app.post(&format!("/api/v1/certificates/phyto/{number}/issue"), "declarant", &json!({})).await.0, 403);

    // The laboratory has not concluded: not issued, nothing changed.
    let journal = app.store.count("journal").await.unwrap();
    let (s, p) = app.post(&format!("/api/v1/certificates/phyto/{number}/issue"), "officer", &json!({})).await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (422, Some("phyto_lab_pending")), "{p}");
    assert_catalogued(s, &p);
    assert_eq!(app.store.count("journal").await.unwrap(), journal);

    // Concluded satisfactory: issued, stating the inspection and the laboratory's conclusion.
    publish(app, &sample).await;
    let (s, c) = app.post(&format!("/api/v1/certificates/phyto/{number}/issue"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["status"], "issued");
    let doc = document_of(&c);
    assert_eq!(doc.notes_of("ADDIEDL"), [today().to_string()]);
    assert!(doc.notes_of("ADAOEDL").iter().any(|n| n.contains(&sample) && n.contains("Squash mosaic virus")), "{:?}", doc.notes);
    assert!(doc.notes_of("ADEDL").iter().any(|n| n.contains(&id)), "{:?}", doc.notes);
    assert_eq!(doc.examination_place.as_deref(), Some("L机场货站"));
    assert_eq!(doc.authentication.as_ref().unwrap().officer.as_deref().map(|o| o.starts_with("token:") || !o.contains(':')), Some(true));
    let key_id = c["signature"]["key_id"].as_str().unwrap().to_owned();
    assert!(key_id.starts_with("9501-"), "{key_id}");
    let (_, notices) = app.get("/api/v1/notices", "declarant").await;
    assert!(notices.to_string().contains("phyto.issued"), "{notices}");

    // The SPSCertificate XML reads back as the same certificate, and its signature verifies
    // with the public keys alone; one character changed does not.
    let (s, ct, xml) = get_text(app, &format!("/api/v1/certificates/phyto/{number}/xml"), "declarant").await;
    assert_eq!((s, ct.as_str()), (200, "application/xml; charset=utf-8"));
    assert!(xml.contains("<ram:StatusCode>70</ram:StatusCode>") && xml.contains("<ram:TypeCode>851</ram:TypeCode>"), "{xml}");
    let read = sps::read_sps(xml.as_bytes()).unwrap();
    assert_eq!(read.document, doc);
    let keys = public_keys(app).await;
    let verify = |xml: &str| {
        let r = sps::read_sps(xml.as_bytes()).map_err(|e| format!("{e:?}"))?;
        let sig = r.signature.ok_or("unsigned")?;
        let signed = SignedDocument {
            kind: DocumentKind::PhytosanitaryCertificate,
            number: r.document.number.clone(),
            content: r.document.content(),
            key_id: sig.key_id,
            signature: sig.signature,
        };
        document::verify(&keys, &signed, Some("9501")).map(|_| ()).map_err(|e| e.to_string())
    };
    verify(&xml).unwrap();
    assert!(verify(&xml.replacen("Cucurbita moschata", "Cucurbita maxima", 1)).is_err());

    // Issue → XML → ingest gives the same certificate.
    let (s, r) = post_xml(app, "/api/v1/certificates/phyto/import", "officer", xml.clone().into_bytes()).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(serde_json::from_value::<PhytoDocument>(r["document"].clone()).unwrap(), doc);
    assert_eq!(r["checks"][0]["holds"], false, "addressed to Japan, not China: {r}");
    // The same again: the one received, 200.
    assert_eq!(post_xml(app, "/api/v1/certificates/phyto/import", "officer", xml.into_bytes()).await.0, 200);

    // Replaced: a new number, issued at once; the old one replaced, its XML status 40.
    let mut corrected = application(Some(&id));
    corrected["consignee"]["name"] = json!("Tokyo Shubyo Co., Ltd.");
    let body = json!({ "reason": "consignee's name corrected", "application": corrected });
    assert_eq!(app.post(&format!("/api/v1/certificates/phyto/{number}/replace"), "declarant", &body).await.0, 403);
    let (s, new) = app.post(&format!("/api/v1/certificates/phyto/{number}/replace"), "officer", &body).await;
    assert_eq!(s, 201, "{new}");
    let new_number = new["number"].as_str().unwrap().to_owned();
    assert!(new_number.ends_with("0000002"), "{new_number}");
    assert_eq!((new["status"].as_str(), new["replaces"].as_str()), (Some("issued"), Some(number.as_str())));
    assert_eq!(document_of(&new).replaces(), Some(number.as_str()));
    let (_, old) = app.get(&format!("/api/v1/certificates/phyto/{number}"), "declarant").await;
    assert_eq!((old["status"].as_str(), old["replaced_by"].as_str()), (Some("replaced"), Some(new_number.as_str())));
    let (_, _, old_xml) = get_text(app, &format!("/api/v1/certificates/phyto/{number}/xml"), "officer").await;
    assert!(old_xml.contains("<ram:StatusCode>40</ram:StatusCode>"));
    verify(&old_xml).unwrap();

    // The public record, without signing in: valid, replaced, withdrawn.
    let (s, p) = app.send("GET", &format!("/api/v1/public/documents/{number}"), None, None).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["status"].as_str(), p["replaced_by"].as_str()), (Some("replaced"), Some(new_number.as_str())));
    assert_eq!(p["signature_valid"], true);
    let (_, p) = app.send("GET", &format!("/api/v1/public/documents/{new_number}"), None, None).await;
    assert_eq!(p["status"], "valid");
    let signed: SignedDocument = serde_json::from_value(p.clone()).unwrap();
    document::verify(&keys, &signed, None).unwrap();
    assert!(p.get("application").is_none() && p.get("applied_by").is_none(), "only what the document prints: {p}");
    let (s, w) =
        app.post(&format!("/api/v1/certificates/phyto/{new_number}/withdraw"), "officer", &json!({ "reason": "shipment cancelled" })).await;
    assert_eq!((s, w["status"].as_str()), (200, Some("withdrawn")), "{w}");
    let (_, p) = app.send("GET", &format!("/api/v1/public/documents/{new_number}"), None, None).await;
    assert_eq!((p["status"].as_str(), p["reason"].as_str()), (Some("withdrawn"), Some("shipment cancelled")));
    let (s, w) = app.post(&format!("/api/v1/certificates/phyto/{new_number}/withdraw"), "officer", &json!({ "reason": "again" })).await;
    assert_eq!(s, 409, "{w}");
    // An application is no document.
    let (_, a) = app.post("/api/v1/certificates/phyto", "declarant", &application(None)).await;
    assert_eq!(app.send("GET", &format!("/api/v1/public/documents/{}", a["number"].as_str().unwrap()), None, None).await.0, 404);
    assert_eq!(app.send("GET", "/api/v1/public/documents/NO-SUCH-1", None, None).await.0, 404);
    let (s, r) = app
        .post(
            &format!("/api/v1/certificates/phyto/{}/refuse", a["number"].as_str().unwrap()),
            "officer",
            &json!({ "reason": "not presented" }),
        )
        .await;
    assert_eq!((s, r["status"].as_str()), (200, Some("refused")), "{r}");

    let (_, list) = app.get("/api/v1/certificates/phyto?status=replaced", "officer").await;
    assert_eq!(list["certificates"].as_array().unwrap().len(), 1);
    let (s, p) = app.get("/api/v1/certificates/phyto?status=lost", "officer").await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (422, Some("enumeration")));
}

async fn received_and_reexported(app: &TestApp) {
    // The Norwegian client's sample is read without error (customs receive it unlinked).
    let (s, r) = post_xml(app, "/api/v1/certificates/phyto/import", "officer", NORWAY.to_vec()).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!((r["key"].as_str(), r["document"]["lines"].as_array().map(Vec::len)), (Some("AR/123ABC"), Some(2)));
    // An importer cannot receive one without naming its own declaration.
    assert_eq!(post_xml(app, "/api/v1/certificates/phyto/import", "declarant", NORWAY.to_vec()).await.0, 403);

    // Lily bulbs from the Netherlands, sent in UTF-16, linked by the bill to the import.
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("BILL-NL-7")).await;
    assert_eq!(s, 201, "{d}");
    let import_id = d["id"].as_str().unwrap().to_owned();
    let mut original: PhytoDocument = sps::read_sps(NORWAY).unwrap().document;
    original.number = "NL-2026-0042".into();
    original.export_country = "NL".into();
    original.import_country = "CN".into();
    original.lines.truncate(1);
    original.lines[0].classifications[0].code = Some("120991".into());
    original.lines[0].origins = vec![guomen_domain::phyto::OriginArea { country: "NL".into(), region: None }];
    let xml = sps::write_sps(&original, "70", None);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in xml.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let (s, r) = post_xml(app, "/api/v1/certificates/phyto/import?bill=BILL-NL-7", "declarant", utf16).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["declaration"], import_id.as_str());
    assert!(r["checks"].as_array().unwrap().iter().all(|c| c["holds"] == true), "{r}");
    let (_, list) = app.get(&format!("/api/v1/certificates/phyto/received?declaration={import_id}"), "laboratory").await;
    assert_eq!(list["certificates"][0]["key"], "NL/NL-2026-0042");
    assert_eq!(app.get("/api/v1/certificates/phyto/received/NL/NL-2026-0042", "declarant-other").await.0, 404);
    let (s, one) = app.get("/api/v1/certificates/phyto/received/NL/NL-2026-0042", "declarant").await;
    assert_eq!((s, one["timeline"].as_array().map(Vec::len)), (200, Some(1)), "{one}");
    // Another certificate under the same number is a conflict.
    let mut other = original.clone();
    other.consignee.name = "Someone else".into();
    let (s, p) = post_xml(app, "/api/v1/certificates/phyto/import", "officer", sps::write_sps(&other, "70", None).into_bytes()).await;
    assert_eq!(s, 409, "{p}");

    // Re-exported to Korea, naming it.
    let mut a = serde_json::to_value(samples::reexport_draft("9501", "NL-2026-0042")).unwrap();
    a["lines"][0]["hs"] = json!("1209913000");
    let (s, c) = app.post("/api/v1/certificates/phyto", "declarant", &a).await;
    assert_eq!(s, 201, "{c}");
    let (s, c) = app.post(&format!("/api/v1/certificates/phyto/{}/issue", c["number"].as_str().unwrap()), "officer", &json!({})).await;
    assert_eq!(s, 200, "{c}");
    let doc = document_of(&c);
    assert_eq!(doc.original().map(|r| r.id.as_str()), Some("NL-2026-0042"));
    let (_, _, xml) = get_text(app, &format!("/api/v1/certificates/phyto/{}/xml", c["number"].as_str().unwrap()), "officer").await;
    assert!(xml.contains("<ram:TypeCode>657</ram:TypeCode>") && xml.contains("<ram:RelationshipTypeCode>ACE</ram:RelationshipTypeCode>"));
    // A re-export of a certificate never received is refused.
    let (_, c) = app
        .post("/api/v1/certificates/phyto", "declarant", &serde_json::to_value(samples::reexport_draft("9501", "NL-404")).unwrap())
        .await;
    let (s, p) = app.post(&format!("/api/v1/certificates/phyto/{}/issue", c["number"].as_str().unwrap()), "officer", &json!({})).await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (422, Some("phyto_original_unknown")), "{p}");
}

async fn bad_certificates_store_nothing(app: &TestApp) {
    let journal = app.store.count("journal").await.unwrap();
    let text = std::str::from_utf8(NORWAY).unwrap();
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (
            b"<rsm:SPSCertificate xmlns:rsm=\"urn:un:unece:uncefact:data:standard:SPSCertificate:17\"><unclosed>".to_vec(),
            "SPSCertificate",
            "sps_malformed",
        ),
        (
            format!("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}", &text[text.find("<ns0:").unwrap()..]).into_bytes(),
            "SPSCertificate",
            "sps_malformed",
        ),
        (text.replace("SPSCertificate:17", "SPSCertificate:v17").into_bytes(), "SPSCertificate", "sps_namespace"),
        (text.replace("<ns1:ID>123ABC</ns1:ID>", "").into_bytes(), "SPSCertificate/SPSExchangedDocument/ID", "required"),
        (
            text.replace("<ns1:TypeCode>851</ns1:TypeCode>", "<ns1:TypeCode>853</ns1:TypeCode>").into_bytes(),
            "SPSCertificate/SPSExchangedDocument/TypeCode",
            "sps_type",
        ),
        (
            text.replace("<ns1:StatusCode>70</ns1:StatusCode>", "<ns1:StatusCode>40</ns1:StatusCode>").into_bytes(),
            "SPSCertificate/SPSExchangedDocument/StatusCode",
            "sps_status",
        ),
        (vec![0x3C, 0x61, 0xE9, 0x3E], "SPSCertificate", "sps_encoding"),
    ];
    for (body, path, rule) in cases {
        let (s, p) = post_xml(app, "/api/v1/certificates/phyto/import", "officer", body).await;
        assert_eq!(s, 422, "{rule}: {p}");
        assert_eq!((p["errors"][0]["path"].as_str(), p["errors"][0]["rule"].as_str()), (Some(path), Some(rule)), "{p}");
        assert_catalogued(s, &p);
    }
    // A declaration that does not exist: nothing stored either.
    let (s, p) = post_xml(app, "/api/v1/certificates/phyto/import?declaration=950120260000000000", "officer", NORWAY.to_vec()).await;
    assert_eq!((s, p["errors"][0]["rule"].as_str()), (404, Some("declaration_unknown")), "{p}");
    // JSON is not an SPSCertificate.
    assert_eq!(app.post("/api/v1/certificates/phyto/import", "officer", &json!({})).await.0, 415);
    // Applications that cannot be read.
    let mut a = application(None);
    a["lines"][0]["hs"] = json!("8471300000");
    a["import_country"] = json!("CHN");
    let (s, p) = app.post("/api/v1/certificates/phyto", "declarant", &a).await;
    assert_eq!(s, 422, "{p}");
    let rules: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["phyto_import_country", "phyto_hs_scope"]);
    assert_eq!(app.store.count("journal").await.unwrap(), journal, "refusals changed nothing");
}

#[tokio::test]
async fn phytosanitary_certificates_are_issued_exchanged_and_received() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        export_issue_replace_withdraw(&app).await;
        received_and_reexported(&app).await;
        bad_certificates_store_nothing(&app).await;
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn an_issued_certificate_of_origin_is_signed_and_public() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        // A first application goes to an officer; approved, it is issued and signed.
        let (s, c) = app.post("/api/v1/certificates/origin", "declarant", &crate::origin::lathe("rcep", "THA")).await;
        assert_eq!(s, 201, "{c}");
        let number = c["number"].as_str().unwrap().to_owned();
        assert_eq!(app.send("GET", &format!("/api/v1/public/documents/{number}"), None, None).await.0, 404, "not issued yet");
        let (s, c) = app.post(&format!("/api/v1/certificates/origin/{number}/decision"), "officer", &json!({ "action": "approve" })).await;
        assert_eq!((s, c["status"].as_str()), (200, Some("issued")), "{c}");
        let (s, p) = app.send("GET", &format!("/api/v1/public/documents/{number}"), None, None).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(
            (p["kind"].as_str(), p["status"].as_str(), p["signature_valid"].as_bool()),
            (Some("certificate-of-origin"), Some("valid"), Some(true))
        );
        assert_eq!(p["content"]["goods"][0]["criterion"], "CTH");
        assert!(p["content"].get("reasons").is_none() && p["content"].get("materials").is_none(), "nothing of the review: {p}");
        let keys = public_keys(&app).await;
        let signed: SignedDocument = serde_json::from_value(p.clone()).unwrap();
        assert!(document::verify(&keys, &signed, Some("5300")).unwrap().key_id.starts_with("5300-"));
        let mut altered = signed.clone();
        altered.content["consignee"]["name"] = json!("Bangkok Machine Tool Co., Ltd.");
        assert!(document::verify(&keys, &altered, None).is_err());
        // One that passes at once is signed at once.
        let (_, c) = app.post("/api/v1/certificates/origin", "declarant", &crate::origin::lathe("china-korea", "KOR")).await;
        assert_eq!(c["status"], "issued");
        let (s, p) = app.send("GET", &format!("/api/v1/public/documents/{}", c["number"].as_str().unwrap()), None, None).await;
        assert_eq!((s, p["signature_valid"].as_bool()), (200, Some(true)), "{p}");
        let (_, full) = app.get(&format!("/api/v1/certificates/origin/{}", c["number"].as_str().unwrap()), "declarant").await;
        let kinds: Vec<&str> = full["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["origin_applied", "origin_signed"]);
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn the_openapi_document_lists_the_certificate_routes() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (s, doc) = app.send("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    for path in [
        "/api/v1/certificates/phyto",
        "/api/v1/certificates/phyto/{number}",
        "/api/v1/certificates/phyto/{number}/xml",
        "/api/v1/certificates/phyto/{number}/issue",
        "/api/v1/certificates/phyto/{number}/replace",
        "/api/v1/certificates/phyto/{number}/withdraw",
        "/api/v1/certificates/phyto/import",
        "/api/v1/certificates/phyto/received/{country}/{number}",
        "/api/v1/public/documents/{number}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let apply = &doc["paths"]["/api/v1/certificates/phyto"]["post"];
    assert_eq!(apply["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/PhytoApplication");
    assert_eq!(apply["responses"]["201"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/PhytoCertificate");
    assert!(doc["paths"]["/api/v1/certificates/phyto/import"]["post"]["requestBody"]["content"].get("application/xml").is_some());
    let public = &doc["paths"]["/api/v1/public/documents/{number}"]["get"];
    assert_eq!(public["security"], json!([]), "no sign-in");
    for schema in ["PhytoApplication", "PhytoCertificate", "PhytoReceived", "PublicDocument"] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "{schema} missing");
    }
}
