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
pub fn pages_of(user: &str, p: &Port) -> Vec<String> {
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

pub async fn menu_links(b: &Browser) -> Vec<String> {
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

/// Files `draft` as the trader itself, `days` ago, through the write path with its clock.
async fn filed_days_ago(app: &TestApp, mut draft: Value, days: i64) -> String {
    draft["head"]["agent_code"] = Value::Null;
    draft["head"]["ie_date"] = json!((time::OffsetDateTime::now_utc().date() - time::Duration::days(days)).to_string());
    let draft: guomen_domain::declaration::DeclarationDraft = serde_json::from_value(draft).unwrap();
    let content = guomen_service::declaration::check_draft(&app.store, &draft).unwrap();
    let cmd =
        guomen_store::DeclarationCommand::File { content, filed_by: CustomsCode::parse(TRADER).unwrap(), idempotency: None, seed: 11 };
    let at = time::OffsetDateTime::now_utc() - time::Duration::days(days);
    match app.store.execute_at(declarant_of(TRADER), cmd, at).await.unwrap() {
        guomen_store::Outcome::Declaration { record, .. } => record.id.clone(),
        other => panic!("unexpected outcome {other:?}"),
    }
}

#[tokio::test]
async fn lists_search_say_when_a_search_finds_nothing_flag_what_is_overdue_and_export() {
    use crate::visitor::Visitor;
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let mut two = green_draft("TWO-LATE");
    two["head"]["mode"] = json!("two-step");
    let late = filed_days_ago(&app, two, 20).await;

    let mut trader = Visitor::signed_in(&app, "trader").await;
    let page = trader.get("/declarations").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("data-id=\"{}\"", p.red)) && page.body.contains("id=\"declaration-search\""));
    // The overdue two-step declaration is flagged in the list and on its page.
    let row = &page.body[page.body.find(&format!("<tr data-id=\"{late}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("class=\"overdue\"") && row.contains("完整申报逾期"), "{row}");
    assert!(trader.get(&format!("/declarations/{late}")).await.body.contains("id=\"overdue\""));
    assert!(!trader.get(&format!("/declarations/{}", p.green)).await.body.contains("id=\"overdue\""));
    // A search: by bill, by status; and one that finds nothing says so, not "no declarations yet".
    let page = trader.get("/declarations?q=PAGES-RED").await;
    assert!(page.body.contains(&format!("data-id=\"{}\"", p.red)) && !page.body.contains(&format!("data-id=\"{}\"", p.green)));
    let page = trader.get(&format!("/declarations?q={}", p.green)).await;
    assert_eq!(page.body.matches("<tr data-id=").count(), 1);
    let page = trader.get("/declarations?status=disposed").await;
    assert!(page.body.contains("id=\"no-hits\"") && !page.body.contains("id=\"none-yet\""), "a search that finds nothing");
    assert!(page.body.contains("没有符合筛选条件的报关单"));
    let tomorrow = (time::OffsetDateTime::now_utc().date() + time::Duration::days(2)).to_string();
    assert!(trader.get(&format!("/declarations?from={tomorrow}")).await.body.contains("id=\"no-hits\""));
    let mut fresh = Visitor::signed_in(&app, "trader2").await;
    assert!(fresh.get("/declarations").await.body.contains("id=\"none-yet\""), "no declarations at all");
    // Exports of the same search.
    let csv = trader.get("/declarations?q=PAGES-RED&format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains("declarations.csv"));
    let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("\u{feff}报关单号") && lines[1].starts_with(&p.red), "{lines:?}");
    let xlsx = trader.get("/declarations?format=xlsx").await;
    assert_eq!(xlsx.headers["content-type"].to_str().unwrap(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.body.starts_with("PK"));
    // Officers search every trader's declarations, by enterprise too; traders see only theirs.
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let page = officer.get(&format!("/declarations?enterprise={TRADER}&lane=red")).await;
    assert!(page.body.contains(&format!("data-id=\"{}\"", p.red)) && !page.body.contains(&format!("data-id=\"{}\"", p.green)));
    assert!(!fresh.get("/declarations?q=PAGES-RED").await.body.contains(&p.red), "another trader's declaration is not found");
    // The dashboard exports its days.
    let days = officer.get("/dashboard?days=7&format=csv").await;
    assert_eq!(days.body.trim_end().split("\r\n").count(), 8, "a header and seven days");
}

#[tokio::test]
async fn unknown_addresses_answer_the_console_404_errors_keep_the_menu_and_signed_in_pages_are_not_stored() {
    use crate::visitor::Visitor;
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let mut anon = Visitor::new(&app);
    let p = anon.get("/no-such-page").await;
    assert_eq!(p.status, 404);
    assert!(p.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(p.body.contains("id=\"not-found\""));
    let api = app.http.get(app.url("/api/v1/no-such-route")).send().await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json", "the API keeps its problem documents");
    let api = app.http.post(app.url("/api/v1/no-such-route")).send().await.unwrap();
    assert_eq!(api.status(), 404);
    let mut trader = Visitor::signed_in(&app, "trader").await;
    for (path, status) in [("/no-such-page", 404), ("/queue", 403), ("/declarations/000000000000000000", 404)] {
        let p = trader.get(path).await;
        assert_eq!(p.status, status, "{path}");
        assert!(p.body.contains("<nav>") && p.body.contains("id=\"sign-out\""), "{path} keeps the menu");
    }
    for path in ["/declarations", "/declarations/new", "/mandates", "/tokens"] {
        let p = trader.get(path).await;
        assert_eq!(p.headers["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn a_platform_starts_at_its_inventory_lists_and_sees_the_guarantees_of_its_shops() {
    use crate::visitor::Visitor;
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let mut platform = Visitor::signed_in(&app, "platform").await;
    let home = platform.get("/home").await;
    assert_eq!((home.status, home.location()), (303, "/ceb/inventories"));
    let page = platform.get("/ceb/inventories").await;
    assert!(page.body.contains(&format!("data-guarantee=\"{}\"", ceb_support::ECOMMERCE)), "the shop's guarantee");
    let mut trader = Visitor::signed_in(&app, "trader").await;
    assert_eq!(trader.get("/home").await.location(), "/declarations", "a trader that declares starts at its declarations");
}

#[tokio::test]
async fn the_language_switch_keeps_what_was_typed() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url("/declarations/new")).await;
    b.type_into("[name=\"head.bill_no\"]", "KEEP-784").await;
    b.type_into("[name=\"items[0].g_name\"]", "南瓜种子").await;
    b.click("#add-containers").await;
    b.type_into("[name=\"containers[0].container_id\"]", "MSKU1234565").await;
    b.click("select[name=\"head.traf_mode\"] option[value=\"2\"]").await;
    b.click("#lang-switch").await;
    b.wait_text("h1", "New declaration").await;
    let value = |name: &str| format!("return document.querySelector('[name=\"{name}\"]').value");
    assert_eq!(b.script(&value("head.bill_no"), json!([])).await, "KEEP-784");
    assert_eq!(b.script(&value("items[0].g_name"), json!([])).await, "南瓜种子");
    assert_eq!(b.script(&value("containers[0].container_id"), json!([])).await, "MSKU1234565");
    assert_eq!(b.script(&value("head.traf_mode"), json!([])).await, "2");
    b.quit().await;
}

#[tokio::test]
async fn the_dashboard_counts_in_whole_numbers_labels_the_last_day_and_gives_rates_with_their_counts() {
    use crate::visitor::Visitor;
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let page = officer.get("/dashboard?days=30").await;
    let lanes = &page.body[page.body.find("id=\"chart-lanes\"").unwrap()..];
    let lanes = &lanes[..lanes.find("</figure>").unwrap()];
    let ticks: Vec<&str> = lanes.split("class=\"ylab\">").skip(1).map(|t| &t[..t.find('<').unwrap()]).collect();
    assert_eq!(ticks.len(), 5);
    assert!(ticks.iter().all(|t| t.parse::<u32>().is_ok()), "whole declarations: {ticks:?}");
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc()).to_string();
    assert!(lanes.contains(&format!(">{}</text>", &today[5..])), "the last day is labelled");
    let rates = &page.body[page.body.find("id=\"chart-rates\"").unwrap()..];
    assert!(rates.contains("data-note=\"1 / 3\"") || rates.contains(" / 3)"), "a rate gives its counts");
}

#[tokio::test]
async fn notices_reach_every_role_live_with_an_unread_count() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    // The notices of the port so far are unread; opening the notices marks them seen.
    let first = b.wait_text("#unread", "").await;
    assert!(first.parse::<u32>().is_ok_and(|n| n > 0), "{first:?}");
    b.click("#notices-link").await;
    b.find("#notices tr[data-notice]").await;
    b.goto(&app.url("/declarations")).await;
    for _ in 0..50 {
        if b.script("return document.getElementById('unread').hidden", json!([])).await == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(b.script("return document.getElementById('unread').hidden", json!([])).await, true, "nothing unread");
    // A notice sent meanwhile shows at once, without reloading.
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("LIVE-1")).await;
    assert_eq!(s, 201, "{d}");
    let live = b.wait_text("#unread", "").await;
    assert!(live.parse::<u32>().is_ok_and(|n| n >= 1), "{live:?}");
    // On the notices page, new rows arrive live too.
    b.goto(&app.url("/notices")).await;
    let before = b.count("#notice-rows tr").await;
    let (s, _) = app.post("/api/v1/declarations", "declarant", &seed_draft("LIVE-2")).await;
    assert_eq!(s, 201);
    for _ in 0..100 {
        if b.count("#notice-rows tr").await > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(b.count("#notice-rows tr").await > before, "the new notice's row appears");
    assert!(b.text("#notice-rows").await.contains("查验"));
    sign_out(&b).await;
    // Officers read every notice customs sent, with its recipient; analysts have none.
    sign_in(&b, &app, "officer").await;
    b.click("#notices-link").await;
    assert!(b.text("#notices").await.contains(TRADER));
    sign_out(&b).await;
    sign_in(&b, &app, "analyst").await;
    assert_eq!(b.count("#notices-link").await, 0);
    b.quit().await;
}

#[tokio::test]
async fn notices_and_the_laboratory_report_print_on_a4_without_the_menu() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url(&format!("/declarations/{}", p.red))).await;
    b.click("#print-inspection").await;
    let doc = b.text("#print-doc").await;
    assert!(doc.contains("查验通知书") && doc.contains(&format!("CY{}", p.red)), "{doc}");
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" })).await;
    let hidden = b.script("return [getComputedStyle(document.querySelector('header.top')).display, getComputedStyle(document.querySelector('[data-print]').closest('.no-print')).display]", json!([])).await;
    assert_eq!(hidden, json!(["none", "none"]), "the menu and the button are not printed");
    b.screenshot("print-inspection-notice.png").await;
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "screen" })).await;
    b.goto(&app.url(&format!("/declarations/{}", p.green))).await;
    b.click("#print-release").await;
    assert!(b.text("#print-doc").await.contains("放行通知书"));
    sign_out(&b).await;
    use crate::visitor::Visitor;
    let mut trader = Visitor::signed_in(&app, "trader").await;
    assert_eq!(trader.get(&format!("/declarations/{}/print/release", p.red)).await.status, 404, "not released: nothing to print");
    let mut other = Visitor::signed_in(&app, "trader2").await;
    assert_eq!(other.get(&format!("/declarations/{}/print/inspection", p.red)).await.status, 404, "another trader's notice");
    // The laboratory's report, once published.
    for (user, step) in [("lab", "receive"), ("lab", "result"), ("lab2", "verify"), ("lab2", "publish")] {
        let mut v = Visitor::signed_in(&app, user).await;
        let csrf = v.csrf().await;
        let mut f = vec![("csrf", csrf.as_str()), ("step", step)];
        if step == "result" {
            f.extend([("analyte", "TOBRFV"), ("value", ""), ("detected", "false")]);
        }
        let r = v.post(&format!("/samples/{}/step", p.sample), &f).await;
        assert_eq!(r.status, 303, "{step}: {}", r.body);
    }
    sign_in(&b, &app, "lab").await;
    b.goto(&app.url(&format!("/samples/{}", p.sample))).await;
    b.click("#print-report").await;
    let doc = b.text("#print-doc").await;
    assert!(doc.contains("检测报告") && doc.contains("TOBRFV") && doc.contains("合格"), "{doc}");
    b.screenshot("print-lab-report.png").await;
    b.quit().await;
}

#[tokio::test]
async fn an_air_waybill_with_a_wrong_check_digit_is_refused_in_the_form_as_by_the_api() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let mut by_air = green_draft("784-20260311");
    by_air["head"]["traf_mode"] = json!("5");
    let (s, p) = app.post("/api/v1/declarations", "declarant", &by_air).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!((p["errors"][0]["path"].as_str(), p["errors"][0]["rule"].as_str()), (Some("head.bill_no"), Some("air_waybill")));
    by_air["head"]["bill_no"] = json!("784-20260310");
    assert_eq!(app.post("/api/v1/declarations", "declarant", &by_air).await.0, 201, "the right check digit");
    let mut by_sea = green_draft("784-20260311");
    by_sea["head"]["traf_mode"] = json!("2");
    assert_eq!(app.post("/api/v1/declarations", "declarant", &by_sea).await.0, 201, "a sea bill is no air waybill");

    let b = Browser::start().await;
    sign_in(&b, &app, "trader").await;
    b.goto(&app.url("/declarations/new")).await;
    b.click("select[name=\"head.traf_mode\"] option[value=\"5\"]").await;
    b.type_into("[name=\"head.bill_no\"]", "784-20260311").await;
    b.click("h1").await;
    let live = b.wait_text("[data-error-for=\"head.bill_no\"]", "校验位").await;
    assert!(live.contains("784-20260311"), "{live}");
    b.type_into("[name=\"head.bill_no\"]", "784-20260310").await;
    b.click("h1").await;
    for _ in 0..50 {
        if b.text("[data-error-for=\"head.bill_no\"]").await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(b.text("[data-error-for=\"head.bill_no\"]").await, "", "a right check digit passes");
    b.quit().await;
}

#[tokio::test]
async fn an_officer_confirms_irreversible_steps_and_goes_on_to_the_next_in_queue() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "officer").await;
    b.goto(&app.url(&format!("/declarations/{}", p.red))).await;
    b.click("#reroute-lane option[value=\"yellow\"]").await;
    b.type_into("#reroute-reason", "documents suffice").await;
    b.click("#reroute").await;
    // Asked first; cancelling sends nothing.
    assert!(b.text("#reroute-form .confirm-box").await.contains(&p.red));
    b.click("#reroute-form .confirm-box button.secondary").await;
    assert_eq!(b.count("#reroute-form .confirm-box").await, 0);
    assert_eq!(app.store.declaration(&p.red).await.unwrap().unwrap().lane().as_str(), "red", "nothing was sent");
    b.click("#reroute").await;
    b.click("#reroute-form [data-confirm-yes]").await;
    b.wait_text("#flash", "通道已改变").await;
    assert_eq!(app.store.declaration(&p.red).await.unwrap().unwrap().lane().as_str(), "yellow");
    // Straight on to the next declaration waiting.
    b.click("#next-in-queue").await;
    b.wait_text("h1", "报关单").await;
    let next = b.text("#declaration-id").await;
    assert_ne!(next, p.red);
    assert_eq!(next, p.sampled, "the other declaration waiting");
    // Names, not ids: the release notice and the result say who.
    b.quit().await;
    use crate::visitor::Visitor;
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let last = officer.get(&format!("/queue/next?from={}&lane=red", p.sampled)).await;
    assert_eq!(last.status, 303);
}
