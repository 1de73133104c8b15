//! Verification anyone can do: `guomen verify-document` with the public keys alone, on the
//! SPSCertificate XML and on the public record's JSON (a document altered by one character
//! fails, a wrong key fails); the public page `/verify/{number}` in Chinese and English, on a
//! phone; `guomen phyto import|xml` from the shell.

use crate::cli::Data;
use crate::helpers::*;
use guomen_domain::phyto::samples;
use guomen_domain::signing::{KeyPair, Owner, PublicKey, PublicKeySet};
use guomen_store::Engine;
use serde_json::{json, Value};
use std::path::Path;

const NORWAY: &[u8] = include_bytes!("../../../../data/ephyto/SPSCertificateContent.xml");

/// Applies for and issues a certificate (no declaration); its number.
async fn issued(app: &TestApp) -> String {
    let (s, c) = app.post("/api/v1/certificates/phyto", "declarant", &serde_json::to_value(samples::export_draft("9501")).unwrap()).await;
    assert_eq!(s, 201, "{c}");
    let number = c["number"].as_str().unwrap().to_owned();
    let (s, c) = app.post(&format!("/api/v1/certificates/phyto/{number}/issue"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{c}");
    number
}

async fn text(app: &TestApp, path: &str, who: Option<&str>) -> String {
    let mut req = app.http.get(app.url(path));
    if let Some(w) = who {
        req = req.bearer_auth(&app.tokens[w]);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// `guomen verify-document FILE --keys KEYS`: (exit code, standard output and error).
async fn verify_document(file: &Path, keys: &Path) -> (i32, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_guomen"))
        .arg("verify-document")
        .arg(file)
        .arg("--keys")
        .arg(keys)
        .env("GUOMEN_LOG", "warn")
        .output()
        .await
        .unwrap();
    (out.status.code().unwrap_or(-1), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn a_document_verifies_offline_with_the_public_keys_alone() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let number = issued(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        let keys = write("keys.json", &text(&app, "/api/v1/keys", None).await);
        let xml_text = text(&app, &format!("/api/v1/certificates/phyto/{number}/xml"), Some("declarant")).await;
        let json_text = text(&app, &format!("/api/v1/public/documents/{number}"), None).await;
        let xml = write("certificate.xml", &xml_text);
        let record = write("certificate.json", &json_text);

        // As issued: valid, from the XML and from the public record.
        let (code, out) = verify_document(&xml, &keys).await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("VALID: phytosanitary certificate {number}")) && out.contains("office 9501"), "{out}");
        let (code, out) = verify_document(&record, &keys).await;
        assert_eq!(code, 0, "{out}");

        // One character altered: invalid (exit 1), whichever copy.
        let (code, out) = verify_document(&write("altered.xml", &xml_text.replacen("Tokyo Shubyo", "Tokyo Shubya", 1)), &keys).await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("INVALID") && out.contains("无效"), "{out}");
        let (code, _) = verify_document(&write("altered.json", &json_text.replacen("12000.000", "12000.001", 1)), &keys).await;
        assert_eq!(code, 1);
        let mut v: Value = serde_json::from_str(&json_text).unwrap();
        v["number"] = json!(format!("{number}9"));
        let (code, _) = verify_document(&write("renumbered.json", &v.to_string()), &keys).await;
        assert_eq!(code, 1);

        // A wrong key: another key set (its own key for office 9501) does not verify it…
        let other = KeyPair::from_seed(Owner::parse("9501").unwrap(), &[42; 32]);
        let foreign = PublicKeySet { keys: vec![PublicKey::of(&other, "2026-01-01T00:00:00Z".into(), None)] };
        let foreign_keys = write("foreign.json", &serde_json::to_string(&foreign).unwrap());
        let (code, out) = verify_document(&xml, &foreign_keys).await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("no public key"), "{out}");
        // …nor does the right key id with another public key put in its place (refused as a key set).
        let mut forged: Value = serde_json::from_str(&std::fs::read_to_string(&keys).unwrap()).unwrap();
        for k in forged["keys"].as_array_mut().unwrap() {
            k["public_key"] = json!(guomen_domain::signing::to_base64(&other.public_key()));
        }
        let (code, out) = verify_document(&xml, &write("forged.json", &forged.to_string())).await;
        assert_eq!(code, 2, "{out}");
        // A certificate Guomen did not sign, and a file that is neither.
        let (code, out) = verify_document(&write("norway.xml", std::str::from_utf8(NORWAY).unwrap()), &keys).await;
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("not signed by Guomen"), "{out}");
        let (code, _) = verify_document(&write("junk.txt", "hello"), &keys).await;
        assert_eq!(code, 2);

        // A certificate of origin's public record too.
        let (_, c) = app.post("/api/v1/certificates/origin", "declarant", &crate::origin::lathe("china-korea", "KOR")).await;
        let (_, c) = app
            .post(
                &format!("/api/v1/certificates/origin/{}/decision", c["number"].as_str().unwrap()),
                "officer",
                &json!({ "action": "approve" }),
            )
            .await;
        let origin = text(&app, &format!("/api/v1/public/documents/{}", c["number"].as_str().unwrap()), None).await;
        let keys = write("keys2.json", &text(&app, "/api/v1/keys", None).await);
        let (code, out) = verify_document(&write("origin.json", &origin), &keys).await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("certificate of origin"), "{out}");
        let (code, _) = verify_document(&write("origin-altered.json", &origin.replacen("Bangkok", "Bangkoc", 1)), &keys).await;
        assert_eq!(code, 1);
    }
}

#[tokio::test]
async fn the_public_page_shows_what_a_document_says_and_whether_it_is_valid() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let number = issued(&app).await;
    let mut v = crate::visitor::Visitor::new(&app);
    let p = v.get(&format!("/verify/{number}")).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("id=\"standing\" data-status=\"valid\"") && p.body.contains("该单证有效"), "{}", p.body);
    assert!(p.body.contains("data-valid=\"true\"") && p.body.contains("Oryza sativa") && p.body.contains("Tokyo Shubyo K.K."));
    assert!(p.body.contains("9501-"), "the key id is shown");
    assert!(!p.body.contains("user:") && !p.body.contains("sign-out"), "no applicant, no signed-in menu");
    let p = v.get(&format!("/verify/{number}?lang=en")).await;
    assert!(p.body.contains("This document is valid.") && p.body.contains("Japan (JP)"), "{}", p.body);
    // Withdrawn: the page says so, with the reason.
    let (s, _) =
        app.post(&format!("/api/v1/certificates/phyto/{number}/withdraw"), "officer", &json!({ "reason": "shipment cancelled" })).await;
    assert_eq!(s, 200);
    let p = v.get(&format!("/verify?number={number}&lang=zh")).await;
    assert!(
        p.body.contains("data-status=\"withdrawn\"") && p.body.contains("已撤销") && p.body.contains("shipment cancelled"),
        "{}",
        p.body
    );
    // Unknown and not yet issued: 404 with the search form.
    let p = v.get("/verify/P209995010000001").await;
    assert_eq!(p.status, 404);
    assert!(p.body.contains("id=\"verify-form\"") && p.body.contains("没有编号为"));
    let p = v.get("/verify").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("id=\"verify-form\""));
    // The public page links to it.
    assert!(v.get("/").await.body.contains("href=\"/verify\""));
}

#[tokio::test]
async fn the_public_page_fits_a_phone() {
    use crate::webdriver::{available, Browser};
    if !available() {
        return;
    }
    let app = TestApp::spawn(Engine::Sqlite).await;
    let number = issued(&app).await;
    let b = Browser::start().await;
    b.window_size(390, 844).await;
    for lang in ["zh", "en"] {
        b.goto(&app.url(&format!("/verify/{number}?lang={lang}"))).await;
        b.find("#standing").await;
        let width = b.script("return [window.innerWidth, document.documentElement.scrollWidth];", json!([])).await;
        let (inner, scroll) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
        assert!(inner <= 400, "the window is a phone's: {inner}");
        assert!(scroll <= inner, "nothing wider than the phone ({lang}): {scroll} > {inner}");
        b.screenshot(&format!("30-public-verify-{lang}-390px.png")).await;
    }
    // Reached from the public menu: a number typed in.
    b.goto(&app.url("/?lang=zh")).await;
    b.click("header nav a[href=\"/verify\"]").await;
    b.type_into("#number", &number).await;
    b.click("#verify-go").await;
    assert!(b.text("#standing").await.contains("该单证有效"));
    b.quit().await;
}

#[tokio::test]
async fn guomen_phyto_receives_files_and_prints_a_certificate() {
    let data = Data::new(Engine::Sqlite).await;
    let file = data.dir.path().join("norway.xml");
    std::fs::write(&file, NORWAY).unwrap();
    let bad = data.dir.path().join("bad.xml");
    std::fs::write(&bad, std::str::from_utf8(NORWAY).unwrap().replace("<ns1:ID>123ABC</ns1:ID>", "")).unwrap();
    let out = data.ok(&["phyto", "import", file.to_str().unwrap()]).await;
    assert!(out.contains("received AR/123ABC") && out.contains("EC as the importing country"), "{out}");
    let out = data.run(&["phyto", "import", file.to_str().unwrap(), bad.to_str().unwrap()]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already received AR/123ABC"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SPSCertificate/SPSExchangedDocument/ID"), "{out:?}");
    assert!(data.fails(&["phyto", "xml", "P202695010000001"]).await.contains("no certificate"));
}
