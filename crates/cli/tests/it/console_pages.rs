//! Every signed-in page of every role in a real headless Chromium, at a phone's 390 px and a
//! desktop's 1,440 px: nothing wider than the window (`document.documentElement.scrollWidth >
//! innerWidth` fails), a screenshot of each kept under `target/console-screenshots/pages/`.
//! Then the console's defects one by one, each a test that fails without its fix.

use crate::ceb_support;
use crate::helpers::*;
use crate::visitor::{add_users, PASSWORD};
use crate::webdriver::{available, Browser};
use guomen_domain::party::Role;
use guomen_domain::types::CustomsCode;
use guomen_store::{secrets, AdminCommand};
use serde_json::{json, Value};

pub async fn sign_in(b: &Browser, app: &TestApp, user: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into("#username", user).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#sign-in").await;
    b.find("#who").await;
    assert!(b.text("#who").await.starts_with(user), "signed in as {user}");
}

pub async fn sign_out(b: &Browser) {
    b.click("#sign-out").await;
    b.find("#go-sign-in").await;
}

/// More console users: the cross-border platform and a second laboratory analyst.
async fn more_users(app: &TestApp) {
    let hash = secrets::hash_password(PASSWORD);
    for (name, role, code) in [("platform", Role::Declarant, ceb_support::PLATFORM), ("lab2", Role::Laboratory, LAB)] {
        let cmd = AdminCommand::CreateUser {
            username: name.into(),
            password_hash: hash.clone(),
            role,
            enterprise: Some(CustomsCode::parse(code).unwrap()),
        };
        app.store.execute(admin(), cmd).await.unwrap();
    }
}

/// What the pages show: declarations in several states, a laboratory sample, a parcel.
pub struct Port {
    /// Red, its inspection notice out, its container not yet reported.
    pub red: String,
    /// Red, in position, sampled for the laboratory.
    pub sampled: String,
    pub sample: String,
    /// Green, released by the system at filing.
    pub green: String,
    pub parcel: String,
}

/// A red seed declaration with its container reported and a sample ordered (TOBRFV).
async fn sampled(app: &TestApp, bill: &str) -> (String, String) {
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft(bill)).await;
    assert_eq!(s, 201, "{d}");
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
    let (s, r) =
        app.post(&format!("/api/v1/declarations/{id}/sampling"), "officer", &json!({ "note": "virus symptoms on the seed coats" })).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{id}/samples"),
            "officer",
            &json!({ "lab": LAB, "seal_no": format!("SEAL-{bill}"), "quantity": "2 kg", "analytes": ["TOBRFV"] }),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    (id, r["sample"]["id"].as_str().unwrap().to_owned())
}

pub async fn port(app: &mut TestApp) -> Port {
    add_users(app).await;
    ceb_support::set_up(app).await;
    more_users(app).await;
    app.seeds_red().await;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("PAGES-RED")).await;
    assert_eq!(s, 201, "{d}");
    let red = d["id"].as_str().unwrap().to_owned();
    let (s, d) = app.post("/api/v1/declarations", "declarant", &green_draft("PAGES-GREEN")).await;
    assert_eq!(s, 201, "{d}");
    let green = d["id"].as_str().unwrap().to_owned();
    let (sampled, sample) = sampled(app, "PAGES-LAB").await;
    let parcel = ceb_support::send_parcel(app, &ceb_support::Parcel::new(70, "110101199003075678")).await;
    Port { red, sampled, sample, green, parcel }
}

/// The pages each user opens beyond its menu.
fn pages_of(user: &str, p: &Port) -> Vec<String> {
    match user {
        "trader" => vec![format!("/declarations/{}", p.red), format!("/declarations/{}", p.green), "/declarations?status=released".into()],
        "platform" => vec![format!("/ceb/inventories/{}", p.parcel), "/ceb/inventories?status=all".into()],
        "terminal" => vec![format!("/declarations/{}", p.red), format!("/declarations/{}", p.sampled)],
        "lab" => vec![format!("/samples/{}", p.sample)],
        "officer" => vec![
            format!("/declarations/{}", p.red),
            format!("/declarations/{}", p.sampled),
            format!("/ceb/inventories/{}", p.parcel),
            "/queue?lane=red".into(),
            "/criteria".into(),
            "/rules/history".into(),
        ],
        "analyst" => vec!["/criteria/new".into(), "/criteria/SEED-1209".into()],
        _ => vec![],
    }
}

async fn menu_links(b: &Browser) -> Vec<String> {
    let v = b.script("return Array.from(document.querySelectorAll('header nav a')).map(a => a.getAttribute('href'));", json!([])).await;
    v.as_array().unwrap().iter().filter_map(Value::as_str).map(str::to_owned).collect()
}

fn slug(path: &str) -> String {
    let s: String = path.trim_start_matches('/').chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if s.is_empty() {
        "home".into()
    } else {
        s
    }
}

/// Opens `path` and says how much wider than the window the page is, if at all.
pub async fn overflow(b: &Browser, app: &TestApp, path: &str) -> Option<(i64, i64)> {
    b.goto(&app.url(path)).await;
    b.find("footer").await;
    let w = b.script("return [window.innerWidth, document.documentElement.scrollWidth];", json!([])).await;
    let (inner, scroll) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
    (scroll > inner).then_some((inner, scroll))
}

#[tokio::test]
async fn every_signed_in_page_of_every_role_fits_a_phone_and_a_desktop() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let dir = crate::webdriver::screenshot_dir().join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let b = Browser::start().await;
    let mut wide = Vec::new();
    let mut seen = 0;
    for user in ["trader", "platform", "terminal", "lab", "officer", "analyst", "admin"] {
        b.window_size(1440, 900).await;
        sign_in(&b, &app, user).await;
        let mut pages = menu_links(&b).await;
        pages.extend(pages_of(user, &p));
        pages.push("/no-such-page".into());
        for (width, height) in [(390, 844), (1440, 900)] {
            b.window_size(width, height).await;
            let inner = b.script("return window.innerWidth;", json!([])).await.as_i64().unwrap();
            assert!(inner <= width as i64 && inner >= width as i64 - 20, "the window is {inner} px wide, not {width}");
            for path in &pages {
                if let Some((inner, scroll)) = overflow(&b, &app, path).await {
                    wide.push(format!("{user} {path} at {width} px: {scroll} px of content in {inner}"));
                }
                let name = format!("pages/{user}-{}-{width}.png", slug(path));
                b.screenshot(&name).await;
                seen += 1;
            }
        }
        b.window_size(1440, 900).await;
        b.goto(&app.url("/home")).await;
        sign_out(&b).await;
    }
    b.quit().await;
    assert!(seen >= 60, "{seen} pages seen");
    assert!(wide.is_empty(), "pages wider than the window:\n{}", wide.join("\n"));
}

/// Files a green declaration as if `hours` ago, through the write path with its clock.
async fn filed_hours_ago(app: &TestApp, bill: &str, hours: i64) -> String {
    // Filed by the trader itself: a broker's mandate starts only today.
    let mut draft = seed_draft(bill);
    draft["head"]["agent_code"] = Value::Null;
    let draft: guomen_domain::declaration::DeclarationDraft = serde_json::from_value(draft).unwrap();
    let content = guomen_service::declaration::check_draft(&app.store, &draft).unwrap();
    let cmd = guomen_store::DeclarationCommand::File { content, filed_by: CustomsCode::parse(TRADER).unwrap(), idempotency: None, seed: 7 };
    let at = time::OffsetDateTime::now_utc() - time::Duration::hours(hours);
    match app.store.execute_at(declarant_of(TRADER), cmd, at).await.unwrap() {
        guomen_store::Outcome::Declaration { record, .. } => record.id.clone(),
        other => panic!("unexpected outcome {other:?}"),
    }
}

#[tokio::test]
async fn the_queue_marks_the_age_of_a_late_declaration_not_its_whole_row() {
    if !available() {
        return;
    }
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    app.seeds_red().await;
    let late = filed_hours_ago(&app, "LATE-1", 30).await;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("FRESH-1")).await;
    assert_eq!(s, 201, "{d}");
    let fresh = d["id"].as_str().unwrap().to_owned();
    let b = Browser::start().await;
    sign_in(&b, &app, "officer").await;
    b.goto(&app.url("/queue")).await;
    let style = |id: &str, cell: &str| {
        format!(
            "const c = document.querySelector('#queue tr[data-id=\"{id}\"] td:nth-child({cell})'); const s = getComputedStyle(c); return [s.fontSize, s.color, s.fontWeight];"
        )
    };
    let late_trader = b.script(&style(&late, "4"), json!([])).await;
    let fresh_trader = b.script(&style(&fresh, "4"), json!([])).await;
    assert_eq!(late_trader, fresh_trader, "a late row's other cells look like any row's");
    let late_age = b.script(&style(&late, "8"), json!([])).await;
    let fresh_age = b.script(&style(&fresh, "8"), json!([])).await;
    assert_ne!(late_age[1], fresh_age[1], "the late age is marked in colour");
    assert_eq!(late_age[0], fresh_age[0], "and keeps its size");
    // The marker on the tab is drawn, not a glyph the fonts may lack; its meaning is in words.
    let tabs = b.text("#lane-tabs").await;
    assert!(!tabs.contains('⏱'), "{tabs}");
    let late_tab = b.script("return document.querySelector('[data-lane-tab=\"all\"] .late').textContent", json!([])).await;
    assert!(late_tab.as_str().unwrap().contains("等待超过 24 小时"), "{late_tab}");
    b.screenshot("queue-late.png").await;
    b.quit().await;
}

/// The refusal box of a form: its title, and no raw path.
async fn refusal_box(b: &Browser, title: &str, paths: &[&str]) {
    let text = b.wait_text("#refusal", title).await;
    assert!(!text.contains("申报内容不符合规则"), "{text}");
    for p in paths {
        assert!(!text.contains(p), "a raw path {p} in {text:?}");
    }
}

async fn marked(b: &Browser, name: &str) {
    let css = format!("[name=\"{name}\"][aria-invalid=\"true\"]");
    assert_eq!(b.count(&css).await, 1, "{name} is marked");
    let msg = b.text(&format!("[data-error-for=\"{name}\"]")).await;
    assert!(!msg.is_empty(), "{name} has its message beside it");
}

#[tokio::test]
async fn terminal_admin_analyst_and_laboratory_forms_title_their_errors_and_mark_the_fields() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;

    sign_in(&b, &app, "terminal").await;
    b.goto(&app.url(&format!("/declarations/{}", p.red))).await;
    b.type_into("#slot_code", "").await;
    b.type_into("#site_name", " ").await;
    b.click("#report-position").await;
    refusal_box(&b, "集装箱到位未能反馈", &["site_name", "slot_code"]).await;
    assert!(b.text("#refusal").await.contains("箱位"), "the label, not the path");
    marked(&b, "slot_code").await;
    marked(&b, "site_name").await;
    b.screenshot("form-error-terminal.png").await;
    sign_out(&b).await;

    sign_in(&b, &app, "admin").await;
    b.type_into("#code", "12").await;
    b.type_into("#credit_code", "x").await;
    b.click("#enterprise-form button[type=submit]").await;
    refusal_box(&b, "企业未能登记", &["credit_code"]).await;
    marked(&b, "code").await;
    assert_eq!(b.script("return document.getElementById('code').value", json!([])).await, "12", "what was typed stays");
    b.goto(&app.url("/admin/users")).await;
    b.type_into("#username", "x").await;
    b.click("#user-form button[type=submit]").await;
    refusal_box(&b, "用户未能创建", &[]).await;
    sign_out(&b).await;

    sign_in(&b, &app, "analyst").await;
    b.goto(&app.url("/criteria/SEED-1209")).await;
    b.type_into("#rate_percent", "150").await;
    b.type_into("#reason", "too many").await;
    b.click("#save-criterion").await;
    refusal_box(&b, "规则未能发布", &["criteria[", "rate_percent"]).await;
    marked(&b, "rate_percent").await;
    sign_out(&b).await;

    sign_in(&b, &app, "lab").await;
    b.goto(&app.url(&format!("/samples/{}", p.sample))).await;
    b.click("#lab-receive").await;
    b.find("#lab-result").await;
    b.type_into("#value", "abc").await;
    b.click("#lab-result").await;
    refusal_box(&b, "检测结果未能录入", &[]).await;
    marked(&b, "value").await;
    b.quit().await;
}

#[tokio::test]
async fn english_pages_speak_english_units_and_chinese_pages_chinese_lanes() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url(&format!("/declarations/{}?lang=en", p.green))).await;
    let items = b.text("#items").await;
    assert!(items.contains("10 pc"), "{items}");
    assert!(!items.contains("10 007") && !items.contains('个'), "{items}");
    b.goto(&app.url(&format!("/declarations/{}?lang=en", p.red))).await;
    let items = b.text("#items").await;
    assert!(items.contains("500 kg") && !items.contains("千克"), "{items}");
    b.goto(&app.url("/declarations?lang=zh")).await;
    sign_out(&b).await;
    sign_in(&b, &app, "officer").await;
    b.goto(&app.url(&format!("/ceb/inventories/{}", p.parcel))).await;
    let timeline = b.text("#timeline").await;
    assert!(timeline.contains("通道"), "{timeline}");
    for raw in ["（red", "（green", "green 通道", "red 通道"] {
        assert!(!timeline.contains(raw), "{raw} in {timeline}");
    }
    b.goto(&app.url(&format!("/ceb/inventories/{}?lang=en", p.parcel))).await;
    let goods = b.text("#goods").await;
    assert!(!goods.contains('个') && !goods.contains("千克"), "{goods}");
    b.goto(&app.url("/queue?lang=zh")).await;
    b.quit().await;
}

#[tokio::test]
async fn the_terminal_knows_its_site_and_its_inbox_and_form_end_when_the_work_does() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    // Loose cargo: a green declaration without containers, released at once.
    let mut loose = green_draft("LOOSE-1");
    loose["containers"] = json!([]);
    let (s, d) = app.post("/api/v1/declarations", "declarant", &loose).await;
    assert_eq!(s, 201, "{d}");
    let b = Browser::start().await;
    sign_in(&b, &app, "terminal").await;
    for row in b
        .script("return Array.from(document.querySelectorAll('#inbox tbody tr')).map(r => r.innerText.trim())", json!([]))
        .await
        .as_array()
        .unwrap()
    {
        let row = row.as_str().unwrap();
        assert!(!row.ends_with("集装箱"), "a notice ends in an empty container list: {row}");
    }
    assert!(b.text("#inbox").await.contains("无集装箱"));
    b.goto(&app.url(&format!("/declarations/{}", p.red))).await;
    let site = b.script("return document.getElementById('site_name').value", json!([])).await;
    assert_eq!(site, "L机场货站 (LZKY01)", "the terminal's own site is filled in");
    b.type_into("#slot_code", "C-07").await;
    b.click("#report-position").await;
    b.wait_text("#flash", "集装箱到位已反馈").await;
    assert_eq!(b.count("#position-form").await, 0, "every container is reported: no form is left");
    b.quit().await;
}

#[tokio::test]
async fn the_timeline_credits_the_system_and_the_officer_not_the_trader() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url(&format!("/declarations/{}", p.red))).await;
    for kind in ["risk_assessed", "inspection_notice_issued"] {
        let actor = b.text(&format!("#timeline li[data-kind=\"{kind}\"] .actor")).await;
        assert_eq!(actor, "系统自动", "{kind}");
    }
    b.goto(&app.url(&format!("/declarations/{}", p.green))).await;
    assert_eq!(b.text("#timeline li[data-kind=\"released\"] .actor").await, "系统自动");
    b.goto(&app.url(&format!("/declarations/{}", p.sampled))).await;
    let by = b.text("#timeline li[data-kind=\"sampling_ordered\"] .actor").await;
    assert!(by.contains("API") || by.contains("接口"), "the officer's token, not the trader: {by}");
    let filed = b.text("#timeline li[data-kind=\"declaration_filed\"] .actor").await;
    assert_ne!(filed, by, "the filing and the officer's step are credited to different callers");
    b.quit().await;
}

#[tokio::test]
async fn the_laboratory_offers_verification_to_another_analyst_and_shows_the_published_conclusion() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "lab").await;
    b.goto(&app.url(&format!("/samples/{}", p.sample))).await;
    b.click("#lab-receive").await;
    b.find("#lab-result").await;
    b.click("select[name=\"detected\"] option[value=\"false\"]").await;
    b.click("#lab-result").await;
    b.find("#verify-by-another").await;
    assert_eq!(b.count("#lab-verify").await, 0, "who entered a result is not offered the verification");
    assert!(b.text("#verify-by-another").await.contains("另一名"));
    sign_out(&b).await;
    sign_in(&b, &app, "lab2").await;
    b.goto(&app.url(&format!("/samples/{}", p.sample))).await;
    b.click("#lab-verify").await;
    b.find("#lab-publish").await;
    b.click("#lab-publish").await;
    b.find("#conclusion").await;
    assert_eq!(b.count("#lab-steps").await, 0, "nothing left to do: no empty panel");
    assert!(b.text("#conclusion").await.contains("合格"));
    b.screenshot("lab-published.png").await;
    b.quit().await;
}
