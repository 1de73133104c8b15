//! The web console over HTTP: sign-in, sessions, CSRF, lock-out, access rules, the language
//! switch, filing from the form with the API's field errors, the officer's steps, and the views
//! the writer keeps for the queue and the dashboard.

use crate::helpers::*;
use crate::visitor::*;
use serde_json::{json, Value};

async fn app_with_users(engine: guomen_store::Engine) -> TestApp {
    let app = TestApp::spawn(engine).await;
    add_users(&app).await;
    app
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_and_sign_out_ends_it() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    let mut v = Visitor::new(&app);
    // Not signed in: pages send you to sign in, remembering where you were going.
    let p = v.get("/declarations").await;
    assert_eq!((p.status, p.location()), (303, "/login?next=%2Fdeclarations"));

    // The sign-in form itself is protected by a double-submit token.
    let form = v.get("/login").await;
    let token = field_value(&form.body, "login_token").unwrap();
    let mut stranger = Visitor::new(&app);
    let p = stranger.post("/login", &[("login_token", &token), ("username", "trader"), ("password", PASSWORD)]).await;
    assert_eq!(p.status, 403, "a sign-in without the form's cookie is refused");

    let p =
        v.post("/login", &[("login_token", &token), ("next", "/declarations/new"), ("username", "trader"), ("password", PASSWORD)]).await;
    assert_eq!((p.status, p.location()), (303, "/declarations/new"));
    let cookie = p.set_cookies().into_iter().find(|c| c.starts_with("gm_session=")).expect("a session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    let id = cookie.split(';').next().unwrap().trim_start_matches("gm_session=");
    assert_eq!(id.len(), 64);
    // Only the hash of the session id is stored, and never in the journal.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM console_sessions").fetch_all(app.store.read_pool()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], id);
    let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM journal WHERE payload LIKE $1")
        .bind(format!("%{}%", &id[..16]))
        .fetch_one(app.store.read_pool())
        .await
        .unwrap();
    assert_eq!(leaked, 0);

    let p = v.get("/declarations").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("东方种子有限公司"), "the trader's own enterprise is named");
    // A link elsewhere after sign-in is not followed.
    let mut w = Visitor::new(&app);
    let f = w.get("/login").await;
    let t = field_value(&f.body, "login_token").unwrap();
    let p = w.post("/login", &[("login_token", &t), ("next", "//evil.example/"), ("username", "officer"), ("password", PASSWORD)]).await;
    assert_eq!(p.location(), "/home");

    // Sign-out needs the CSRF token, and then the session is gone for good.
    let csrf = v.csrf().await;
    let p = v.post("/logout", &[("csrf", "forged")]).await;
    assert_eq!(p.status, 403);
    let p = v.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!((p.status, p.location()), (303, "/"));
    assert_eq!(app.store.count("console_sessions").await.unwrap(), 1, "only the other visitor's session is left");
    let mut replay = Visitor::new(&app);
    replay.cookies.insert("gm_session".into(), id.to_owned());
    assert_eq!(replay.get("/declarations").await.status, 303, "a signed-out session id no longer works");
}

#[tokio::test]
async fn every_post_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("CSRF-1")).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    let mut trader = Visitor::signed_in(&app, "trader").await;
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let mut analyst = Visitor::signed_in(&app, "analyst").await;
    let mut admin_v = Visitor::signed_in(&app, "admin").await;
    let before = app.store.count("journal").await.unwrap();
    let mut fields: Vec<(String, String)> = form_fields(&green_draft("CSRF-2"));
    fields.push(("csrf".into(), "0".repeat(64)));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    async fn refused(v: &mut Visitor, path: &str, body: &[(&str, &str)]) {
        let p = v.post(path, body).await;
        assert_eq!(p.status, 403, "POST {path} without the token: {}", p.body);
        assert!(p.body.contains("表单已失效"), "{}", p.body);
    }
    refused(&mut trader, "/declarations", &pairs).await;
    refused(&mut officer, &format!("/declarations/{id}/hold"), &[("reason", "x"), ("csrf", "nope")]).await;
    refused(&mut officer, &format!("/declarations/{id}/reroute"), &[("lane", "yellow"), ("reason", "x")]).await;
    refused(&mut analyst, "/criteria/_new", &[("id", "X1"), ("description", "d"), ("lane", "red"), ("rate_percent", "1"), ("reason", "r")])
        .await;
    refused(&mut admin_v, "/admin/tokens", &[("role", "officer")]).await;
    assert_eq!(app.store.count("journal").await.unwrap(), before, "nothing was written");
    // Live validation too.
    let p = trader
        .post_raw("/declarations/check", "application/x-www-form-urlencoded", b"head.ie_flag=I".to_vec(), &[("x-csrf-token", "bad")])
        .await;
    assert_eq!(p.status, 403);
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_user_for_fifteen_minutes_and_the_journal_says_so() {
    for engine in engines() {
        let app = app_with_users(engine).await;
        let mut v = Visitor::new(&app);
        for i in 1..=4 {
            let p = v.sign_in("trader", "wrong-password").await;
            assert_eq!(p.status, 401, "failure {i}");
            assert!(p.body.contains("用户名或密码不正确"), "{}", p.body);
        }
        let p = v.sign_in("trader", "wrong-password").await;
        assert_eq!(p.status, 429, "the fifth failure locks");
        assert!(p.body.contains("id=\"locked\""), "{}", p.body);
        // Now even the right password is refused, without a session.
        let p = v.sign_in("trader", PASSWORD).await;
        assert_eq!(p.status, 429, "{}", p.body);
        assert!(!v.cookies.contains_key("gm_session"));
        let until = app.store.signin_locked_until("trader", "127.0.0.1", now_ms()).await.unwrap().expect("locked");
        let minutes = (until - now_ms()) / 60_000;
        assert!((14..=15).contains(&minutes), "locked for {minutes} minutes");
        // The lock-out is a journaled security event; the failures are not.
        let t = app.store.timeline("user:trader").await.unwrap();
        assert_eq!(t.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), vec!["user_created", "user_locked_out"]);
        assert!(app.store.verify().await.unwrap().first_break.is_none());
        assert_views_match(&app.store).await;
        // Another user is not affected; the administrator sees the lock-out.
        let mut admin_v = Visitor::signed_in(&app, "admin").await;
        let users = admin_v.get("/admin/users").await;
        assert!(users.body.contains("data-user=\"trader\"") && users.body.contains("锁定至"), "{}", users.body);
        // Failures of a name nobody has lock that name too, but journal nothing.
        for _ in 0..5 {
            v.sign_in("nobody-here", "x").await;
        }
        assert!(app.store.signin_locked_until("nobody-here", "127.0.0.1", now_ms()).await.unwrap().is_some());
        assert!(app.store.timeline("user:nobody-here").await.unwrap().is_empty());
    }
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[tokio::test]
async fn records_and_pages_follow_the_api_access_rules() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let (_, mine) = app.post("/api/v1/declarations", "declarant", &seed_draft("ACC-1")).await;
    let mine = mine["id"].as_str().unwrap().to_owned();
    let mut other = green_draft("ACC-2");
    other["head"]["trade_code"] = json!(OTHER_TRADER);
    other["head"]["agent_code"] = json!(null);
    other["head"]["site_code"] = json!("NSCT01");
    let (s, theirs) = app.post("/api/v1/declarations", "declarant-other", &other).await;
    assert_eq!(s, 201, "{theirs}");
    let theirs = theirs["id"].as_str().unwrap().to_owned();

    let mut trader = Visitor::signed_in(&app, "trader").await;
    assert_eq!(trader.get(&format!("/declarations/{mine}")).await.status, 200);
    let p = trader.get(&format!("/declarations/{theirs}")).await;
    assert_eq!(p.status, 404, "another enterprise's declaration does not exist for a trader");
    assert!(!p.body.contains(&theirs) || p.body.contains("未找到"));
    assert_eq!(trader.get("/declarations/000000000000000000").await.status, 404);
    assert!(!trader.get("/declarations").await.body.contains(&theirs), "nor is it listed");

    let mut terminal = Visitor::signed_in(&app, "terminal").await;
    let p = terminal.get("/queue").await;
    assert_eq!(p.status, 403, "a terminal may not open the officer queue");
    assert!(p.body.contains("无权访问"));
    assert_eq!(terminal.get(&format!("/declarations/{mine}")).await.status, 200, "addressed to its site");
    assert_eq!(terminal.get(&format!("/declarations/{theirs}")).await.status, 404);
    for path in ["/dashboard", "/criteria", "/admin/users", "/declarations/new", "/samples"] {
        assert_eq!(terminal.get(path).await.status, 403, "{path}");
    }
    let mut lab = Visitor::signed_in(&app, "lab").await;
    assert_eq!(lab.get(&format!("/declarations/{mine}")).await.status, 403, "laboratories see samples, not declarations (as in the API)");
    assert_eq!(lab.get("/samples").await.status, 200);
    let mut officer = Visitor::signed_in(&app, "officer").await;
    for path in ["/queue", "/dashboard", "/criteria", "/rules/history"] {
        assert_eq!(officer.get(path).await.status, 200, "{path}");
    }
    assert_eq!(officer.get("/admin/users").await.status, 403);
    assert_eq!(officer.get("/declarations/new").await.status, 403);
    let mut admin_v = Visitor::signed_in(&app, "admin").await;
    for path in ["/admin/enterprises", "/admin/users", "/admin/tokens", "/admin/subscriptions", "/dashboard"] {
        assert_eq!(admin_v.get(path).await.status, 200, "{path}");
    }
    // The public page needs no sign-in.
    assert_eq!(Visitor::new(&app).get("/").await.status, 200);
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_every_page_follows_it() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    let mut v = Visitor::new(&app);
    let p = v.get("/").await;
    assert!(p.body.contains("<html lang=\"zh-CN\">") && p.body.contains("服务介绍"), "Chinese by default");
    assert!(p.body.contains("href=\"/?lang=en\""), "a switch to English on the page");
    let p = v.get("/?lang=en").await;
    assert!(p.set_cookies().iter().any(|c| c.starts_with("gm_lang=en")), "{:?}", p.set_cookies());
    assert!(p.body.contains("<html lang=\"en\">") && p.body.contains("About Guomen"));
    let p = v.get("/login").await;
    assert!(p.body.contains("Sign in") && !p.body.contains("用户名"), "the cookie keeps English");
    let p = v.sign_in("officer", PASSWORD).await;
    assert_eq!(p.status, 303);
    let q = v.get("/queue?lane=red").await;
    assert!(
        q.body.contains("Work queue") && q.body.contains("href=\"/queue?lane=red&amp;lang=zh\""),
        "{}",
        &q.body[..400.min(q.body.len())]
    );
    let q = v.get("/queue?lane=red&lang=zh").await;
    assert!(q.body.contains("作业队列"));
    assert!(v.get("/dashboard").await.body.contains("通关数据"));
}

#[tokio::test]
async fn the_form_shows_the_api_field_errors_beside_the_fields_then_files() {
    for engine in engines() {
        let app = app_with_users(engine).await;
        app.seeds_red().await;
        let mut v = Visitor::signed_in(&app, "trader").await;
        let csrf = v.csrf().await;
        let form = v.get("/declarations/new").await;
        assert!(form.body.contains("name=\"items[0].code_ts\""), "inputs are named by their draft path");

        // One invalid field: an HS code that is not in HS 2022.
        let mut draft = seed_draft("FORM-1");
        draft["items"][0]["code_ts"] = json!("9999990000");
        let (s, problem) = app.post("/api/v1/declarations", "declarant", &draft).await;
        assert_eq!(s, 422);
        let api_paths: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
        assert_eq!(api_paths, vec!["items[0].code_ts"]);

        let mut fields = form_fields(&draft);
        fields.push(("csrf".into(), csrf.clone()));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        // Live validation answers with the same paths as the API.
        let body: String = pairs.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let p = v.post_raw("/declarations/check", "application/x-www-form-urlencoded", body.into_bytes(), &[("x-csrf-token", &csrf)]).await;
        assert_eq!(p.status, 200);
        let j: Value = serde_json::from_str(&p.body).unwrap();
        let live: Vec<&str> = j["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
        assert_eq!(live, api_paths);
        assert_eq!(j["ok"], false);

        let before = app.store.count("declarations").await.unwrap();
        let p = v.post("/declarations", &pairs).await;
        assert_eq!(p.status, 422);
        let slot = "data-error-for=\"items[0].code_ts\">";
        let at = p.body.find(slot).expect("the error slot of the field");
        assert!(p.body[at + slot.len()..].starts_with("999999 不是 HS 2022 子目"), "{}", &p.body[at..at + 120]);
        assert!(p.body.contains("name=\"items[0].code_ts\" id=\"items[0].code_ts\" value=\"9999990000\" list=\"hs-list\" data-hs=\"1\" autocomplete=\"off\" aria-invalid=\"true\""));
        assert!(p.body.contains("value=\"FORM-1\""), "the form keeps what was typed");
        assert_eq!(app.store.count("declarations").await.unwrap(), before, "nothing filed");

        // Fixed, it files and shows the lane.
        let fixed: Vec<(&str, &str)> =
            pairs.iter().map(|(k, v)| if *k == "items[0].code_ts" { (*k, "1209913000") } else { (*k, *v) }).collect();
        let p = v.post("/declarations", &fixed).await;
        assert_eq!(p.status, 303, "{}", p.body);
        let id = p.location().trim_start_matches("/declarations/").trim_end_matches("?msg=filed").to_owned();
        let d = app.store.declaration(&id).await.unwrap().expect("filed");
        assert_eq!(d.filed_by.as_str(), TRADER);
        let p = v.get(&format!("/declarations/{id}?msg=filed")).await;
        assert!(p.body.contains("data-lane=\"red\"") && p.body.contains("申报已接受"));
        assert!(p.body.contains("inspection-notice"), "the inspection notice is shown");
        assert!(!p.body.contains("id=\"risk\""), "traders are not shown the targeting criteria");
        // A refusal the domain makes (not a party) is shown too.
        let mut foreign_draft = green_draft("FORM-2");
        foreign_draft["head"]["trade_code"] = json!(OTHER_TRADER);
        foreign_draft["head"]["agent_code"] = json!("");
        let mut foreign = form_fields(&foreign_draft);
        foreign.push(("csrf".into(), csrf.clone()));
        let foreign: Vec<(&str, &str)> = foreign.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let p = v.post("/declarations", &foreign).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("data-error-for=\"head.trade_code\">只能为本企业或作为所列代理申报"), "{}", p.body);
    }
}

#[tokio::test]
async fn a_decmessage_upload_files_or_shows_its_errors_in_the_form() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    let mut v = Visitor::signed_in(&app, "trader").await;
    let csrf = v.csrf().await;
    let upload = |xml: String, csrf: &str| {
        let b = "----guomen-test-boundary";
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dec.xml\"\r\nContent-Type: text/xml\r\n\r\n{xml}\r\n--{b}--\r\n"
        );
        (format!("multipart/form-data; boundary={b}"), body.into_bytes())
    };
    let draft: guomen_domain::declaration::DeclarationDraft = serde_json::from_value(green_draft("XML-1")).unwrap();
    let (ct, body) = upload(guomen_messages::write_dec_message(&draft), &csrf);
    let p = v.post_raw("/declarations/upload", &ct, body, &[]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let id = p.location().trim_start_matches("/declarations/").trim_end_matches("?msg=filed").to_owned();
    assert_eq!(app.store.declaration(&id).await.unwrap().unwrap().content.head.bill_no, "XML-1");

    let mut bad = draft.clone();
    bad.head.gross_wt = Some("1".into());
    let (ct, body) = upload(guomen_messages::write_dec_message(&bad), &csrf);
    let p = v.post_raw("/declarations/upload", &ct, body, &[]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("data-error-for=\"head.net_wt\">净重"), "the error is beside the field");
    assert!(p.body.contains("value=\"XML-1\""), "the form holds the uploaded declaration");

    let (ct, body) = upload("<DecMessage><DecHead>".into(), &csrf);
    let p = v.post_raw("/declarations/upload", &ct, body, &[]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"upload-refused\""));
    let (ct, body) = upload(guomen_messages::write_dec_message(&draft), "forged");
    assert_eq!(v.post_raw("/declarations/upload", &ct, body, &[]).await.status, 403);
    let p = v.post_raw("/declarations/upload", "multipart/form-data; boundary=x", b"not multipart".to_vec(), &[]).await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("id=\"upload-refused\""));
}

#[tokio::test]
async fn hs_look_up_by_code_or_words() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    let mut v = Visitor::new(&app);
    let j: Value = serde_json::from_str(&v.get("/hs?q=kiwi").await.body).unwrap();
    assert_eq!(j["results"][0]["code"], "081050");
    let j: Value = serde_json::from_str(&v.get("/hs?q=120991").await.body).unwrap();
    assert!(j["results"].as_array().unwrap().iter().any(|r| r["code"] == "120991"));
    let j: Value = serde_json::from_str(&v.get("/hs?q=zzqx").await.body).unwrap();
    assert_eq!(j["results"], json!([]));
}

/// Files a seed declaration (red) through the API and returns its id.
async fn red(app: &TestApp, bill: &str) -> String {
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft(bill)).await;
    assert_eq!(s, 201, "{d}");
    d["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn officer_and_terminal_steps_move_the_queue_and_the_figures() {
    for engine in engines() {
        let app = app_with_users(engine).await;
        app.seeds_red().await;
        let a = red(&app, "Q-1").await;
        let b = red(&app, "Q-2").await;
        let (_, g) = app.post("/api/v1/declarations", "declarant", &green_draft("Q-3")).await;
        assert_eq!(g["status"], "released");

        let mut officer = Visitor::signed_in(&app, "officer").await;
        let q = officer.get("/queue?lane=red").await;
        assert!(q.body.contains(&format!("data-id=\"{a}\"")) && q.body.contains(&format!("data-id=\"{b}\"")));
        assert!(!q.body.contains(g["id"].as_str().unwrap()), "released goods are not in the queue");
        let q = officer.get("/queue?lane=yellow").await;
        assert!(!q.body.contains(&a));

        // The terminal reports the container through its page.
        let mut terminal = Visitor::signed_in(&app, "terminal").await;
        let inbox = terminal.get("/inbox").await;
        assert!(inbox.body.contains(&a) && inbox.body.contains("查验通知"));
        let page = terminal.get(&format!("/declarations/{a}")).await;
        let record_no = field_value(&page.body, "record_no").unwrap();
        let tcsrf = field_value(&page.body, "csrf").unwrap();
        let bad = terminal
            .post(
                &format!("/declarations/{a}/position"),
                &[
                    ("csrf", &tcsrf),
                    ("record_no", "CY-WRONG"),
                    ("container_no", "MSKU1234565"),
                    ("site_name", "L机场查验区"),
                    ("slot_code", "A-01"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("查验记录编号应为"), "the domain's refusal is shown");
        let ok = terminal
            .post(
                &format!("/declarations/{a}/position"),
                &[
                    ("csrf", &tcsrf),
                    ("record_no", &record_no),
                    ("container_no", "MSKU1234565"),
                    ("site_name", "L机场查验区"),
                    ("slot_code", "A-01"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);

        // The officer records a non-conforming result, then must give a note to release.
        let csrf = officer.csrf().await;
        let p =
            officer.post(&format!("/declarations/{a}/result"), &[("csrf", &csrf), ("outcome", "not-satisfactory"), ("findings", "")]).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("查验结果不合格时必须填写查验发现"));
        let p = officer
            .post(
                &format!("/declarations/{a}/result"),
                &[("csrf", &csrf), ("outcome", "not-satisfactory"), ("findings", "live insects found\nseal broken")],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let p = officer.post(&format!("/declarations/{a}/release"), &[("csrf", &csrf), ("note", "")]).await;
        assert_eq!(p.status, 422);
        let p = officer.post(&format!("/declarations/{a}/release"), &[("csrf", &csrf), ("note", "fumigated under supervision")]).await;
        assert_eq!(p.status, 303);
        let d = app.store.declaration(&a).await.unwrap().unwrap();
        assert_eq!(d.status.as_str(), "released");
        assert_eq!(d.result.as_ref().unwrap().findings, vec!["live insects found", "seal broken"]);

        // Re-routing the other one to yellow, with a reason.
        let p = officer.post(&format!("/declarations/{b}/reroute"), &[("csrf", &csrf), ("lane", "yellow"), ("reason", "")]).await;
        assert_eq!(p.status, 422);
        let p = officer
            .post(
                &format!("/declarations/{b}/reroute"),
                &[("csrf", &csrf), ("lane", "yellow"), ("reason", "documents suffice for this lot")],
            )
            .await;
        assert_eq!(p.status, 303);
        let page = officer.get(&format!("/declarations/{b}")).await;
        assert!(
            page.body.contains("id=\"risk\"") && page.body.contains("SEED-1209") && page.body.contains("documents suffice for this lot")
        );
        assert!(page.body.contains("data-lane=\"yellow\""));
        let q = officer.get("/queue").await;
        assert!(!q.body.contains(&format!("data-id=\"{a}\"")), "released: off the queue");
        assert!(q.body.contains(&format!("data-id=\"{b}\"")));
        assert!(officer.get("/queue?lane=yellow").await.body.contains(&b));
        assert!(!officer.get("/queue?lane=red").await.body.contains(&b));

        // The figures saw all of it.
        let dash = officer.get("/dashboard?lang=en").await;
        for (figure, value) in [("inspection-rate", "66.7%"), ("detection-rate", "100.0%"), ("instant-release", "50.0%")] {
            let at = dash.body.find(&format!("data-figure=\"{figure}\">")).expect("the figure is on the page");
            assert!(
                dash.body[at..].starts_with(&format!("data-figure=\"{figure}\">{value}<")),
                "{figure} should be {value}: {}",
                &dash.body[at..at + 60]
            );
        }
        let mut analyst = Visitor::signed_in(&app, "analyst").await;
        let c = analyst.get("/criteria").await;
        assert_eq!(c.status, 200);
        let row = &c.body[c.body.find("data-criterion=\"SEED-1209\"").unwrap_or_else(|| panic!("{}", &c.body[..2000.min(c.body.len())]))..];
        assert!(row[..row.find("</tr>").unwrap()].contains("data-figure=\"detection\">50.0%"), "one of two selections found something");
        let figures = app.store.criterion_figures(None).await.unwrap();
        let seed = figures.iter().find(|f| f.criterion == "SEED-1209").unwrap();
        assert_eq!((seed.hits, seed.selections, seed.detections), (2, 2, 1));
    }
}

#[tokio::test]
async fn the_views_the_writer_keeps_equal_a_rebuild_from_the_declarations() {
    for engine in engines() {
        let app = app_with_users(engine).await;
        app.seeds_red().await;
        for i in 0..6 {
            let id = red(&app, &format!("RB-{i}")).await;
            if i % 2 == 0 {
                let (s, _) = app
                    .post(&format!("/api/v1/declarations/{id}/reroute"), "officer", &json!({ "lane": "yellow", "reason": "documents" }))
                    .await;
                assert_eq!(s, 200);
                let (s, r) = app
                    .post(
                        &format!("/api/v1/declarations/{id}/inspection-result"),
                        "officer",
                        &json!({ "outcome": if i == 0 { "not-satisfactory" } else { "satisfactory" }, "findings": ["x"] }),
                    )
                    .await;
                assert_eq!(s, 200, "{r}");
                let (s, r) = app.post(&format!("/api/v1/declarations/{id}/release"), "officer", &json!({ "note": "ok" })).await;
                assert_eq!(s, 200, "{r}");
            }
        }
        let mut two = green_draft("RB-TWO");
        two["head"]["mode"] = json!("two-step");
        let (s, r) = app.post("/api/v1/declarations", "declarant", &two).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(app.post("/api/v1/declarations", "declarant", &green_draft("RB-G")).await.0, 201);

        let snapshot = |sql: &'static str| {
            let pool = app.store.read_pool().clone();
            async move {
                let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
                rows.iter()
                    .map(|r| {
                        use sqlx::Row;
                        (0..r.len())
                            .map(|i| {
                                r.try_get::<i64, _>(i).map(|v| v.to_string()).or_else(|_| r.try_get::<String, _>(i)).unwrap_or_default()
                            })
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
            }
        };
        let tables = [
            "SELECT * FROM rollup_clearance ORDER BY day, office, ie_flag",
            "SELECT * FROM rollup_criteria ORDER BY day, criterion",
            "SELECT * FROM officer_queue ORDER BY id",
        ];
        let mut kept = Vec::new();
        for t in tables {
            kept.push(snapshot(t).await);
        }
        assert!(!kept[0].is_empty() && !kept[1].is_empty() && !kept[2].is_empty());
        let mut conn = guomen_store::connect_writer(&app.location).await.unwrap();
        guomen_store::declaration::views::rebuild(&mut conn).await.unwrap();
        for (t, before) in tables.iter().zip(kept) {
            assert_eq!(snapshot(t).await, before, "{t} differs from a rebuild");
        }
        let f = app
            .store
            .clearance_figures(
                &guomen_store::console::reads::FiguresFilter { from: "2000-01-01".into(), to: "2999-12-31".into(), ..Default::default() },
                guomen_store::console::reads::GroupBy::Direction,
            )
            .await
            .unwrap();
        let imports = &f.iter().find(|(k, _)| k == "I").unwrap().1;
        assert_eq!(imports.declared, 8);
        assert_eq!((imports.red, imports.yellow, imports.green), (3, 3, 2));
        assert_eq!(imports.inspected, 3);
        assert_eq!(imports.non_conforming, 1);
        assert_eq!(imports.released, 5);
        assert_eq!(imports.limits_due, 1, "the two-step declaration has its 14-day limit");
    }
}

#[tokio::test]
async fn the_laboratory_works_its_samples_with_four_eyes() {
    let app = app_with_users(guomen_store::Engine::Sqlite).await;
    app.seeds_red().await;
    let id = red(&app, "LAB-1").await;
    let (s, r) = app.post(&format!("/api/v1/declarations/{id}/sampling"), "officer", &json!({ "note": "germination and pests" })).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app
        .post(&format!("/api/v1/declarations/{id}/samples"), "officer", &json!({ "lab": LAB, "seal_no": "SEAL-LAB-1", "quantity": "2 kg" }))
        .await;
    assert_eq!(s, 201, "{r}");
    let sample_id = r["sample"]["id"].as_str().unwrap().to_owned();

    let mut lab = Visitor::signed_in(&app, "lab").await;
    assert!(lab.get("/samples").await.body.contains(&format!("data-sample=\"{sample_id}\"")));
    let page = lab.get(&format!("/samples/{sample_id}")).await;
    assert_eq!(page.status, 200);
    let csrf = field_value(&page.body, "csrf").unwrap();
    let p = lab.post(&format!("/samples/{sample_id}/step"), &[("csrf", &csrf), ("step", "receive")]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let sample = app.store.sample(&sample_id).await.unwrap().unwrap();
    for a in &sample.analytes {
        let (value, detected) = match &a.kind {
            guomen_domain::quarantine::lab::AnalyteKind::Range { min, max, .. } => {
                (min.or(*max).map(|v| v.to_string()).unwrap_or_default(), "")
            }
            guomen_domain::quarantine::lab::AnalyteKind::Presence => (String::new(), "false"),
        };
        let p = lab
            .post(
                &format!("/samples/{sample_id}/step"),
                &[("csrf", &csrf), ("step", "result"), ("analyte", &a.code), ("value", &value), ("detected", detected)],
            )
            .await;
        assert_eq!(p.status, 303, "{}: {}", a.code, p.body);
    }
    // Four eyes: whoever entered results may not verify them.
    let p = lab.post(&format!("/samples/{sample_id}/step"), &[("csrf", &csrf), ("step", "verify")]).await;
    assert_eq!(p.status, 403, "{}", &p.body[..200.min(p.body.len())]);
    assert!(p.body.contains("id=\"refusal\""));
    let hash = guomen_store::secrets::hash_password(PASSWORD);
    let cmd = guomen_store::AdminCommand::CreateUser {
        username: "lab2".into(),
        password_hash: hash,
        role: guomen_domain::party::Role::Laboratory,
        enterprise: Some(guomen_domain::types::CustomsCode::parse(LAB).unwrap()),
    };
    app.store.execute(admin(), cmd).await.unwrap();
    let mut second = Visitor::signed_in(&app, "lab2").await;
    let csrf2 = field_value(&second.get(&format!("/samples/{sample_id}")).await.body, "csrf").unwrap();
    for s in ["verify", "publish"] {
        let p = second.post(&format!("/samples/{sample_id}/step"), &[("csrf", &csrf2), ("step", s)]).await;
        assert_eq!(p.status, 303, "{s}: {}", p.body);
    }
    let d = app.store.declaration(&id).await.unwrap().unwrap();
    assert_eq!(d.sampling.unwrap().conclusion.map(|c| c.as_str()), Some("satisfactory"));
    // In the console, samples are the laboratory's pages.
    let mut officer = Visitor::signed_in(&app, "officer").await;
    assert_eq!(officer.get(&format!("/samples/{sample_id}")).await.status, 403);
}
