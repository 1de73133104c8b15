//! The console in a real headless Chromium: the scenario from the trader's form to the
//! release and back to the trader's timeline, the English switch, and a screenshot of each main
//! page under `target/console-screenshots/`.

use crate::helpers::*;
use crate::visitor::{add_users, PASSWORD};
use crate::webdriver::{available, Browser};
use serde_json::json;

async fn sign_in(b: &Browser, app: &TestApp, user: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into("#username", user).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#sign-in").await;
    b.find("#who").await;
    assert!(b.text("#who").await.starts_with(user), "signed in as {user}");
}

async fn sign_out(b: &Browser) {
    b.click("#sign-out").await;
    b.find("#go-sign-in").await;
}

async fn fill(b: &Browser, name: &str, value: &str) {
    b.type_into(&format!("[name=\"{name}\"]"), value).await;
}

async fn choose(b: &Browser, name: &str, value: &str) {
    b.click(&format!("select[name=\"{name}\"] option[value=\"{value}\"]")).await;
}

#[tokio::test]
async fn trader_terminal_and_officer_clear_a_declaration_in_a_real_browser() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    app.seeds_red().await;
    // Two cross-border parcels, for the officer's inventory lists.
    crate::ceb_support::set_up(&mut app).await;
    let mut parcels = Vec::new();
    for n in 0..2 {
        parcels.push(crate::ceb_support::send_parcel(&app, &crate::ceb_support::Parcel::new(40 + n, "110101199003075678")).await);
    }
    // Some history, so the queue, the figures and the charts have something to show.
    for i in 0..4 {
        let (s, _) = app.post("/api/v1/declarations", "declarant", &green_draft(&format!("HIST-{i}"))).await;
        assert_eq!(s, 201);
    }
    let (s, other) = app.post("/api/v1/declarations", "declarant", &seed_draft("HIST-RED")).await;
    assert_eq!(s, 201, "{other}");
    let b = Browser::start().await;

    b.goto(&app.url("/")).await;
    b.find("#go-sign-in").await;
    b.screenshot("00-public.png").await;
    b.goto(&app.url("/login")).await;
    b.screenshot("01-sign-in.png").await;

    // The trader fills the form, with one invalid field.
    sign_in(&b, &app, "trader").await;
    assert!(b.url().await.ends_with("/declarations"));
    b.screenshot("02-trader-declarations.png").await;
    b.click("#new-declaration").await;
    b.find("#declaration-form").await;
    for (name, value) in [
        ("head.customs_master", "9501"),
        ("head.ie_port", "9501"),
        ("head.agent_code", BROKER),
        ("head.traf_name", "CA1046"),
        ("head.voyage_no", "20260310"),
        ("head.bill_no", "784-20260310"),
        ("head.trade_country", "NLD"),
        ("head.pack_no", "20"),
        ("head.gross_wt", "520.5"),
        ("head.net_wt", "500"),
        ("head.site_code", SITE),
        ("items[0].g_name", "南瓜种子"),
        ("items[0].g_model", "原种 F1"),
        ("items[0].g_qty", "500"),
        ("items[0].g_unit", "035"),
        ("items[0].decl_price", "120.50"),
        ("items[0].decl_total", "60250.00"),
        ("items[0].trade_curr", "USD"),
        ("items[0].origin_country", "NLD"),
    ] {
        fill(&b, name, value).await;
    }
    choose(&b, "head.traf_mode", "5").await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    b.script(
        "const e = document.getElementById('head.ie_date'); e.value = arguments[0]; e.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([today]),
    )
    .await;
    // Rows added by the page's script: a container and the quarantine permit.
    b.click("#add-containers").await;
    fill(&b, "containers[0].container_id", "MSKU1234565").await;
    b.click("#add-licences").await;
    fill(&b, "licences[0].docu_code", "QP").await;
    fill(&b, "licences[0].cert_code", SEED_PERMIT).await;
    assert_eq!(b.count("fieldset[data-row=\"licences\"]").await, 1);
    // HS look-up by code prefix, then by English words.
    fill(&b, "items[0].code_ts", "1209").await;
    b.wait_text("[data-hs-for=\"items[0].code_ts\"]", "个匹配").await;
    fill(&b, "items[0].code_ts", "kiwifruit").await;
    b.wait_text("[data-hs-for=\"items[0].code_ts\"]", "1 个匹配").await;
    assert!(b.script("return document.querySelectorAll('#hs-list option[value=\"081050\"]').length", json!([])).await == 1);
    // The one invalid field: live validation shows the error beside it before submitting.
    fill(&b, "items[0].code_ts", "9999990000").await;
    b.click("h1").await;
    let live = b.wait_text("[data-error-for=\"items[0].code_ts\"]", "不是 HS 2022 子目").await;
    assert_eq!(live, "999999 不是 HS 2022 子目");
    assert_eq!(b.text("[data-error-for=\"head.bill_no\"]").await, "", "valid fields show no error");
    b.click("#submit-declaration").await;
    b.find("#form-refused").await;
    assert_eq!(
        b.text("[data-error-for=\"items[0].code_ts\"]").await,
        "999999 不是 HS 2022 子目",
        "the server says the same beside the field"
    );
    b.screenshot("03-trader-form-error.png").await;
    // Fixed, it is filed and the lane is shown.
    fill(&b, "items[0].code_ts", "1209913000").await;
    b.click("#submit-declaration").await;
    let id = b.text("#declaration-id").await;
    assert_eq!(id.len(), 18, "{id}");
    assert_eq!(b.text(".title-row .lane").await, "红色通道");
    assert!(b.text("#flash").await.contains("申报已接受"));
    assert!(b.text("#inspection-notice").await.contains(&format!("CY{id}")));
    b.screenshot("04-trader-declaration-filed.png").await;
    sign_out(&b).await;

    // The terminal reports the container in position.
    sign_in(&b, &app, "terminal").await;
    assert!(b.url().await.ends_with("/inbox"));
    assert!(b.text("#inbox").await.contains(&id));
    b.screenshot("05-terminal-inbox.png").await;
    b.click(&format!("#waiting tr[data-id=\"{id}\"] a")).await;
    fill(&b, "site_name", "L空港查验区").await;
    fill(&b, "slot_code", "C-07").await;
    b.click("#report-position").await;
    assert!(b.text("#flash").await.contains("集装箱到位已反馈"));
    b.screenshot("06-terminal-position-reported.png").await;
    sign_out(&b).await;

    // The officer finds it in the red lane of the queue, records the result and releases.
    sign_in(&b, &app, "officer").await;
    assert!(b.url().await.ends_with("/queue"));
    b.click("[data-lane-tab=\"red\"]").await;
    b.find(&format!("#queue tr[data-id=\"{id}\"]")).await;
    b.screenshot("07-officer-queue.png").await;
    b.click(&format!("#queue tr[data-id=\"{id}\"] a")).await;
    assert!(b.text("#risk").await.contains("SEED-1209"), "the risk explanation names the criterion");
    b.screenshot("08-officer-declaration.png").await;
    // A click may return before the next page is loaded: wait for its message, not the old one.
    b.click("#record-result").await;
    b.wait_text("#flash", "查验结果已录入").await;
    // Releasing cannot be undone: the page asks first.
    b.click("#release").await;
    assert!(b.text("#release-form .confirm-box").await.contains("不能撤回"));
    b.click("#release-form [data-confirm-yes]").await;
    b.wait_text("#flash", "已放行").await;
    assert_eq!(b.text(".title-row .status").await, "已放行");
    b.goto(&app.url("/dashboard")).await;
    b.find("#chart-segments").await;
    b.screenshot("09-dashboard.png").await;
    // Its cross-border inventory lists, from the navigation: both parcels were released.
    b.click("header nav a[href=\"/ceb/inventories\"]").await;
    b.click("[data-status-tab=\"all\"]").await;
    for id in &parcels {
        b.find(&format!("#inventories tr[data-id=\"{id}\"]")).await;
    }
    b.screenshot("16-officer-ceb-lists.png").await;
    sign_out(&b).await;

    // The trader's timeline shows every step.
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url(&format!("/declarations/{id}"))).await;
    for kind in [
        "declaration_filed",
        "risk_assessed",
        "inspection_notice_issued",
        "container_in_position",
        "inspection_result_recorded",
        "released",
    ] {
        assert_eq!(b.count(&format!("#timeline li[data-kind=\"{kind}\"]")).await, 1, "{kind} on the timeline");
    }
    assert!(b.text("#release-notice").await.contains("查验后放行"));
    b.screenshot("10-trader-timeline.png").await;
    // English and back.
    b.click("#lang-switch").await;
    b.wait_text("h1", "Declaration").await;
    assert!(b.text("#timeline").await.contains("goods released"));
    assert_eq!(b.text(".title-row .lane").await, "red lane");
    b.screenshot("11-trader-timeline-english.png").await;
    b.click("#lang-switch").await;
    b.wait_text("h1", "报关单").await;
    assert!(b.text("#timeline").await.contains("货物放行"));
    sign_out(&b).await;

    // The other roles' main pages.
    sign_in(&b, &app, "analyst").await;
    b.find("#criteria").await;
    b.screenshot("12-analyst-criteria.png").await;
    b.goto(&app.url("/criteria/SEED-1209")).await;
    b.find("#criterion-form").await;
    b.screenshot("13-analyst-criterion-edit.png").await;
    sign_out(&b).await;
    sign_in(&b, &app, "admin").await;
    b.find("#enterprises").await;
    b.screenshot("14-admin-enterprises.png").await;
    b.goto(&app.url("/admin/subscriptions")).await;
    b.screenshot("15-admin-webhooks.png").await;
    b.goto(&app.url("/admin/tokens")).await;
    b.find("#tokens").await;
    b.screenshot("17-admin-tokens.png").await;
    b.quit().await;

    let d = app.store.declaration(&id).await.unwrap().unwrap();
    assert_eq!(d.status.as_str(), "released");
    assert!(app.store.verify().await.unwrap().first_break.is_none());
}
