//! Certificates in the console: the exporter applies for a phytosanitary certificate and sees it;
//! the officer issues, replaces and withdraws it; in a real browser on a phone, in Chinese and
//! English; and over plain HTTP what each role may do.

use crate::helpers::*;
use crate::visitor::{add_users, Visitor, PASSWORD};
use serde_json::json;

/// The fields a trader fills in, by input name.
const APPLICATION: &[(&str, &str)] = &[
    ("office", "9501"),
    ("consignor.address", "甘肃省张掖市甘州区制种基地 8 号"),
    ("consignee.name", "Tokyo Shubyo K.K."),
    ("consignee.address", "2-4-1 Kaigan, Minato-ku, Tokyo"),
    ("import_country", "JP"),
    ("loading_port_code", "CNPVG"),
    ("transport_means", "MU523"),
    ("lines[0].hs", "1209913000"),
    ("lines[0].description", "南瓜种子 pumpkin seed for sowing"),
    ("lines[0].scientific_name", "Cucurbita moschata"),
    ("lines[0].net_weight", "500"),
    ("lines[0].packages", "20"),
    ("lines[0].package_kind", "CT"),
];

fn form_of<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("csrf", csrf), ("kind", "export"), ("consignor.name", "东方种子有限公司"), ("lines[0].origin_country", "CN")];
    f.extend_from_slice(APPLICATION);
    for (k, v) in extra {
        f.retain(|(key, _)| key != k);
        f.push((k, v));
    }
    f
}

#[tokio::test]
async fn the_exporter_applies_and_the_officer_issues_replaces_and_withdraws() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let mut trader = Visitor::signed_in(&app, "trader").await;
    let csrf = trader.csrf().await;
    let p = trader.get("/certificates/phyto").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("id=\"apply\"") && p.body.contains("id=\"none\""), "{}", p.body);
    let p = trader.get("/certificates/phyto/new").await;
    assert!(p.body.contains("name=\"lines[0].scientific_name\"") && p.body.contains("东方种子有限公司"));

    // Refused: the field is marked, its message beside it, nothing stored.
    let journal = app.store.count("journal").await.unwrap();
    let p = trader.post("/certificates/phyto", &form_of(&csrf, &[("lines[0].hs", "8471300000"), ("import_country", "CN")])).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"lines-0-.hs\" value=\"8471300000\" aria-invalid=\"true\""), "{}", p.body);
    assert!(p.body.contains("不是植物、植物产品或种子") && p.body.contains("货物 1 · 商品编码"), "{}", p.body);
    assert_eq!(app.store.count("journal").await.unwrap(), journal);

    // Accepted: the certificate's page, waiting for customs.
    let p = trader.post("/certificates/phyto", &form_of(&csrf, &[])).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let number = p.location().trim_start_matches("/certificates/phyto/").split('?').next().unwrap().to_owned();
    let p = trader.get(p.location()).await;
    assert!(p.body.contains("申请已提交") && p.body.contains("data-status=\"applied\"") && !p.body.contains("id=\"issue\""), "{}", p.body);
    // Another trader does not see it.
    let mut other = Visitor::signed_in(&app, "trader2").await;
    assert_eq!(other.get(&format!("/certificates/phyto/{number}")).await.status, 404);
    assert!(!other.get("/certificates/phyto").await.body.contains(&number));

    // The officer issues it from the applications waiting.
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let ocsrf = officer.csrf().await;
    let p = officer.get("/certificates/phyto?status=applied").await;
    assert!(p.body.contains(&format!("data-number=\"{number}\"")), "{}", p.body);
    assert_eq!(trader.post(&format!("/certificates/phyto/{number}/issue"), &[("csrf", &csrf)]).await.status, 403);
    let p = officer.post(&format!("/certificates/phyto/{number}/issue"), &[("csrf", &ocsrf)]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = trader.get(&format!("/certificates/phyto/{number}")).await;
    assert!(
        p.body.contains("data-status=\"issued\"")
            && p.body.contains("Cucurbita moschata")
            && p.body.contains(&format!("href=\"/verify/{number}\""))
    );
    let xml = trader.get(&format!("/certificates/phyto/{number}/xml")).await;
    assert_eq!(xml.status, 200);
    assert!(xml.body.contains("<?guomen-signature") && xml.body.contains("<ram:StatusCode>70</ram:StatusCode>"));

    // Replaced with a corrected consignee: a new number; the old one says by which.
    let p = officer.get(&format!("/certificates/phyto/{number}/replace")).await;
    assert!(p.body.contains("value=\"Tokyo Shubyo K.K.\""), "filled from the certificate");
    let mut fields = form_of(&ocsrf, &[("consignee.name", "Tokyo Shubyo Co., Ltd.")]);
    let p = officer.post(&format!("/certificates/phyto/{number}/replace"), &fields).await;
    assert_eq!(p.status, 422, "a reason is required");
    assert!(p.body.contains("id=\"reason\" value=\"\" aria-invalid=\"true\""), "{}", p.body);
    fields.push(("reason", "收货人名称更正"));
    let p = officer.post(&format!("/certificates/phyto/{number}/replace"), &fields).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let new = p.location().trim_start_matches("/certificates/phyto/").split('?').next().unwrap().to_owned();
    assert_ne!(new, number);
    let p = trader.get(&format!("/certificates/phyto/{number}")).await;
    assert!(p.body.contains("data-status=\"replaced\"") && p.body.contains(&format!("id=\"replaced-by\">{new}<")), "{}", p.body);

    // Withdrawn: the public page says so.
    let p = officer.post(&format!("/certificates/phyto/{new}/withdraw"), &[("csrf", &ocsrf), ("reason", "出口合同取消")]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = Visitor::new(&app).get(&format!("/verify/{new}")).await;
    assert!(p.body.contains("data-status=\"withdrawn\"") && p.body.contains("出口合同取消"));
    // Withdrawing again is refused and says why.
    let p = officer.post(&format!("/certificates/phyto/{new}/withdraw"), &[("csrf", &ocsrf), ("reason", "again")]).await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("id=\"refusal\""));
    // Terminals and laboratories have no business here.
    let mut terminal = Visitor::signed_in(&app, "terminal").await;
    assert_eq!(terminal.get("/certificates/phyto").await.status, 403);
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn certificates_work_on_a_phone_in_both_languages() {
    use crate::webdriver::{available, Browser};
    if !available() {
        return;
    }
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let b = Browser::start().await;
    b.window_size(390, 844).await;
    let fits = |what: String| {
        let b = &b;
        async move {
            let w = b.script("return [window.innerWidth, document.documentElement.scrollWidth];", json!([])).await;
            let (inner, scroll) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
            assert!(inner <= 400 && scroll <= inner, "{what}: {scroll} px of content in {inner}");
        }
    };
    let sign_in = |user: &'static str| {
        let b = &b;
        let app = &app;
        async move {
            b.goto(&app.url("/login")).await;
            b.type_into("#username", user).await;
            b.type_into("#password", PASSWORD).await;
            b.click("#sign-in").await;
            b.find("#who").await;
        }
    };
    sign_in("trader").await;
    b.click("header nav a[href=\"/certificates/phyto\"]").await;
    b.click("#apply").await;
    b.find("#phyto-form").await;
    fits("the application form".into()).await;
    for (name, value) in APPLICATION {
        b.script("document.querySelector('[name=\"' + arguments[0] + '\"]').value = arguments[1];", json!([name, value])).await;
    }
    b.click("#submit").await;
    assert!(b.text("#flash").await.contains("申请已提交"));
    fits("the certificate applied for".into()).await;
    b.screenshot("31-trader-phyto-applied-390px.png").await;
    let number = b.script("return document.querySelector('h2.mono').textContent;", json!([])).await.as_str().unwrap().to_owned();
    b.goto(&app.url("/certificates/phyto")).await;
    fits("the trader's certificates".into()).await;
    b.goto(&app.url("/home")).await;
    b.click("#sign-out").await;

    sign_in("officer").await;
    b.goto(&app.url("/certificates/phyto?status=applied&lang=en")).await;
    b.wait_text("h1", "Phytosanitary certificates").await;
    fits("the officer's list".into()).await;
    b.click(&format!("li[data-number=\"{number}\"] a")).await;
    b.click("#issue").await;
    b.click("[data-confirm-yes]").await;
    assert!(b.text("#flash").await.contains("issued and signed"));
    fits("the issued certificate".into()).await;
    b.screenshot("32-officer-phyto-issued-390px.png").await;
    b.click("#replace").await;
    b.find("#phyto-form").await;
    fits("the replacement form".into()).await;
    b.type_into("#reason", "consignee corrected").await;
    b.click("#submit").await;
    assert!(b.text("#flash").await.contains("replacement is issued"));
    b.goto(&app.url(&format!("/verify/{number}?lang=zh"))).await;
    assert!(b.text("#standing").await.contains("已被替换"));
    b.quit().await;
}

/// The lathe of the origin tests, as the console's form sends it.
fn lathe<'a>(csrf: &'a str, country: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("agreement", "rcep"),
        ("office", "5300"),
        ("importing_country", country),
        ("consignee_name", "Bangkok Machine Tools Co., Ltd."),
        ("consignee_address", "88 Rama IV Road, Khlong Toei, Bangkok 10110"),
        ("transport", "BY SEA FROM SHENZHEN TO LAEM CHABANG"),
        ("invoice_no", "SZML-2026-0311"),
        ("invoice_date", "2026-03-11"),
        ("goods[0].hs", "8458110090"),
        ("goods[0].description", "数控卧式车床 CNC horizontal lathe"),
        ("goods[0].quantity", "2"),
        ("goods[0].unit", "001"),
        ("goods[0].fob_value", "84000"),
        ("goods[0].currency", "USD"),
        ("goods[0].criterion", "PSR"),
        ("goods[0].materials[0].hs", "732599"),
        ("goods[0].materials[0].description", "铸铁床身 cast-iron bed"),
        ("goods[0].materials[0].origin", "CHN"),
        ("goods[0].materials[0].value", "9000"),
        ("goods[0].materials[1].hs", "853710"),
        ("goods[0].materials[1].description", "数控系统 numerical control"),
        ("goods[0].materials[1].origin", "JPN"),
        ("goods[0].materials[1].value", "12000"),
        ("goods[0].materials[2].hs", "848210"),
        ("goods[0].materials[2].description", "滚珠轴承 ball bearings"),
        ("goods[0].materials[2].origin", "DEU"),
        ("goods[0].materials[2].value", "3000"),
    ]
}

#[tokio::test]
async fn the_exporter_sees_the_review_and_amends_and_the_officer_decides() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let mut trader = Visitor::signed_in(&app, "trader").await;
    let csrf = trader.csrf().await;
    assert!(trader.get("/certificates/origin/new").await.body.contains("name=\"goods[0].materials[2].value\""));

    // An agreement that does not exist: refused beside the field, nothing stored.
    let mut bad = lathe(&csrf, "THA");
    bad[1] = ("agreement", "mercosur");
    let p = trader.post("/certificates/origin", &bad).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"agreement\" aria-invalid=\"true\""), "{}", p.body);

    // To the United States under RCEP: returned for amendment, with the field and why.
    let p = trader.post("/certificates/origin", &lathe(&csrf, "USA")).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let number = p.location().trim_start_matches("/certificates/origin/").split('?').next().unwrap().to_owned();
    let p = trader.get(&format!("/certificates/origin/{number}")).await;
    assert!(
        p.body.contains("data-outcome=\"amend\"")
            && p.body.contains("data-rule=\"country_not_party\"")
            && p.body.contains("<code>importing_country</code>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("id=\"amend\"") && p.body.contains("value=\"USA\""), "the amendment form, filled");

    // Amended to Thailand: an officer reviews it; the trader is told so, not why.
    let p = trader.post(&format!("/certificates/origin/{number}/amend"), &lathe(&csrf, "THA")).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = trader.get(&format!("/certificates/origin/{number}")).await;
    assert!(p.body.contains("data-outcome=\"manual-review\"") && p.body.contains("data-rule=\"referred\""), "{}", p.body);
    assert!(!p.body.contains("exporter_first") && !p.body.contains("id=\"decide\"") && !p.body.contains("id=\"amend\""));

    // The officer sees every rule, and decides: a return needs a reason.
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let ocsrf = officer.csrf().await;
    let p = officer.get("/certificates/origin?status=manual-review").await;
    assert!(p.body.contains(&format!("data-number=\"{number}\"")));
    let p = officer.get(&format!("/certificates/origin/{number}")).await;
    assert!(p.body.contains("data-rule=\"exporter_first\"") && p.body.contains("id=\"decide\""), "{}", p.body);
    let p =
        officer.post(&format!("/certificates/origin/{number}/decision"), &[("csrf", &ocsrf), ("action", "return"), ("reason", "")]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"refusal\""));
    let p =
        officer.post(&format!("/certificates/origin/{number}/decision"), &[("csrf", &ocsrf), ("action", "approve"), ("reason", "")]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = trader.get(&format!("/certificates/origin/{number}")).await;
    assert!(p.body.contains("data-status=\"issued\"") && p.body.contains(&format!("href=\"/verify/{number}\"")), "{}", p.body);
    let p = Visitor::new(&app).get(&format!("/verify/{number}?lang=en")).await;
    assert!(p.body.contains("This document is valid.") && p.body.contains("CTH"), "{}", p.body);
    assert_eq!(
        trader.post(&format!("/certificates/origin/{number}/decision"), &[("csrf", &csrf), ("action", "approve")]).await.status,
        403
    );
    let mut other = Visitor::signed_in(&app, "trader2").await;
    assert_eq!(other.get(&format!("/certificates/origin/{number}")).await.status, 404);
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn certificates_of_origin_work_on_a_phone() {
    use crate::webdriver::{available, Browser};
    if !available() {
        return;
    }
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let b = Browser::start().await;
    b.window_size(390, 844).await;
    b.goto(&app.url("/login")).await;
    b.type_into("#username", "trader").await;
    b.type_into("#password", PASSWORD).await;
    b.click("#sign-in").await;
    b.find("#who").await;
    b.click("header nav a[href=\"/certificates/origin\"]").await;
    b.click("#apply").await;
    b.find("#origin-form").await;
    for (name, value) in lathe("", "USA").into_iter().skip(1) {
        b.script("document.querySelector('[name=\"' + arguments[0] + '\"]').value = arguments[1];", json!([name, value])).await;
    }
    b.click("#submit").await;
    assert!(b.text("#outcome").await.contains("退回修改"));
    for (what, shot) in [("the review and the amendment form", "review"), ("the list", "list")] {
        let w = b.script("return [window.innerWidth, document.documentElement.scrollWidth];", json!([])).await;
        assert!(w[1].as_i64().unwrap() <= w[0].as_i64().unwrap(), "{what}: {w}");
        b.screenshot(&format!("33-trader-origin-{shot}-390px.png")).await;
        b.goto(&app.url("/certificates/origin?lang=en")).await;
    }
    b.quit().await;
}

#[tokio::test]
async fn the_declaration_shows_the_certificate_received_for_it() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("BILL-PHYTO-9")).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ephyto/SPSCertificateContent.xml")).unwrap();
    let res = app
        .http
        .post(app.url("/api/v1/certificates/phyto/import?bill=BILL-PHYTO-9"))
        .bearer_auth(&app.tokens["officer"])
        .header("content-type", "application/xml")
        .body(sample)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let p = officer.get(&format!("/declarations/{id}")).await;
    assert!(p.body.contains("id=\"phyto-received\"") && p.body.contains("AR/123ABC"), "{}", p.body);
    // The certificate is for Ecuador and names no pumpkin seed: the officer is told.
    assert!(
        p.body.contains("data-check=\"import-country\" data-holds=\"false\"") && p.body.contains("data-check=\"hs\" data-holds=\"false\""),
        "{}",
        p.body
    );
    let mut trader = Visitor::signed_in(&app, "trader").await;
    assert!(trader.get(&format!("/declarations/{id}")).await.body.contains("AR/123ABC"), "the importer sees it too");
}
