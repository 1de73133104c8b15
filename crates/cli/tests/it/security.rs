//! Security over HTTP: API tokens that expire and can be revoked (by the administrator or their
//! own enterprise, through the API and the console, honoured at once here and by another node
//! reading the same database), the security log and request ids, the sign-in lock-out per
//! client address, the buyer's parcel and quota lookups (all of the buyer's details required,
//! limited per address and per identity, logged masked), and `Secure` cookies.

use crate::ceb_support::{self, send_parcel, Parcel};
use crate::helpers::*;
use crate::visitor::*;
use guomen_domain::party::Role;
use guomen_store::AdminCommand;
use guomen_store::{secrets, Command};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn ms_of(rfc3339: &Value) -> i64 {
    let t = time::OffsetDateTime::parse(rfc3339.as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The id a token names (`gm_<id>_<secret>`).
fn id_of(token: &str) -> String {
    token.split('_').nth(1).unwrap().to_owned()
}

/// GET `path` with `token` and extra headers.
async fn get_as(app: &TestApp, token: Option<&str>, path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = app.http.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, h) = (res.status().as_u16(), res.headers().clone());
    let text = res.text().await.unwrap();
    (status, h, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn tokens_expire_are_listed_without_secrets_and_a_revoked_one_is_refused_at_once() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let body = json!({ "role": "declarant", "enterprise": TRADER, "label": "ERP link", "expires_in_days": 30 });
        let (s, t) = app.post("/api/v1/tokens", "admin", &body).await;
        assert_eq!(s, 201, "{t}");
        let (id, secret) = (t["id"].as_str().unwrap().to_owned(), t["token"].as_str().unwrap().to_owned());
        let days = (ms_of(&t["expires_at"]) - now_ms()) as f64 / 86_400_000.0;
        assert!((29.99..=30.0).contains(&days), "expires in {days} days");
        assert_eq!((t["state"].as_str(), t["last_used_at"].is_null()), (Some("active"), true), "{t}");
        // Without a span the server's default applies (90 days).
        let (_, d) = app.post("/api/v1/tokens", "admin", &json!({ "role": "officer" })).await;
        let days = (ms_of(&d["expires_at"]) - now_ms()) as f64 / 86_400_000.0;
        assert!((89.99..=90.0).contains(&days), "default {days} days");
        for bad in [0, 3651] {
            let (s, p) = app.post("/api/v1/tokens", "admin", &json!({ "role": "officer", "expires_in_days": bad })).await;
            assert_eq!((s, p["errors"][0]["path"].as_str()), (422, Some("expires_in_days")), "{p}");
        }

        // It works, and its use is recorded: queued for the writer without waiting, so any write
        // after it (here a token issued) commits it too.
        assert_eq!(get_as(&app, Some(&secret), "/api/v1/declarations", &[]).await.0, 200);
        app.post("/api/v1/tokens", "admin", &json!({ "role": "risk-analyst" })).await;
        let (s, list) = app.get("/api/v1/tokens", "admin").await;
        assert_eq!(s, 200, "{list}");
        let row = list["tokens"].as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap().clone();
        assert_eq!(
            (row["label"].as_str(), row["role"].as_str(), row["enterprise"].as_str()),
            (Some("ERP link"), Some("declarant"), Some(TRADER))
        );
        assert!((now_ms() - ms_of(&row["last_used_at"])).abs() < 60_000, "{row}");
        assert!(row["revoked_at"].is_null());
        let keys: BTreeSet<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        let expected =
            ["created_at", "enterprise", "expires_at", "id", "label", "last_used_at", "revoked_at", "revoked_by", "role", "state"];
        assert_eq!(keys, expected.into_iter().collect(), "never the secret or its hash");
        assert!(!list.to_string().contains(secret.rsplit('_').next().unwrap()), "the secret is not listed");

        // Revoked by the administrator: refused at once, though this node just cached it.
        let (s, r) = app.post(&format!("/api/v1/tokens/{id}/revoke"), "admin", &json!({ "reason": "laptop stolen" })).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["state"], "revoked");
        assert!(r["revoked_by"].as_str().unwrap().starts_with("token:"), "{r}");
        let (s, _, p) = get_as(&app, Some(&secret), "/api/v1/declarations", &[]).await;
        assert_eq!((s, p["detail"].as_str()), (401, Some("the API token has been revoked")), "{p}");
        let (s, p) = app.post(&format!("/api/v1/tokens/{id}/revoke"), "admin", &json!({})).await;
        assert_eq!((s, p["code"].as_str()), (409, Some("invalid_state")), "{p}");
        let (s, _) = app.post("/api/v1/tokens/nosuchtoken/revoke", "admin", &json!({})).await;
        assert_eq!(s, 404);
        // Issuing and revoking are journaled; the secret never is.
        let t = app.store.timeline(&format!("token:{id}")).await.unwrap();
        assert_eq!(t.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["token_issued", "token_revoked"]);
        assert!(app.store.verify().await.unwrap().first_break.is_none());

        // A token issued 91 days ago for 90 days has expired.
        let (old_id, old) = secrets::new_token();
        let issue = AdminCommand::IssueToken {
            token_id: old_id.clone(),
            token_hash: secrets::token_hash(&old),
            role: Role::Officer,
            enterprise: None,
            label: None,
            valid_days: 90,
        };
        app.store.execute_at(admin(), issue, time::OffsetDateTime::now_utc() - time::Duration::days(91)).await.unwrap();
        let (s, _, p) = get_as(&app, Some(&old), "/api/v1/declarations", &[]).await;
        assert_eq!((s, p["detail"].as_str()), (401, Some("the API token has expired")), "{p}");

        // Each refusal is in the security log with its reason and the token's id.
        let failed = app.security_events("auth_failed");
        let reason = |token: &str| failed.iter().find(|l| l["detail"]["token"] == token).map(|l| l["detail"]["reason"].clone());
        assert_eq!(reason(&id), Some(json!("revoked")), "{failed:?}");
        assert_eq!(reason(&old_id), Some(json!("expired")), "{failed:?}");
    }
}

#[tokio::test]
async fn an_enterprise_sees_and_revokes_its_own_tokens_and_no_one_elses() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let second = issue_token(&app.store, Role::Terminal, Some(TRADER)).await;
        let other_id = id_of(&app.tokens["declarant-other"]);
        let (s, list) = app.get("/api/v1/tokens", "declarant").await;
        assert_eq!(s, 200, "{list}");
        let ids: BTreeSet<String> = list["tokens"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(ids, [id_of(&app.tokens["declarant"]), id_of(&second)].into_iter().collect(), "only its enterprise's");
        // Another enterprise's token is not found to it, and keeps working.
        let (s, _) = app.post(&format!("/api/v1/tokens/{other_id}/revoke"), "declarant", &json!({})).await;
        assert_eq!(s, 404);
        assert_eq!(app.get("/api/v1/declarations", "declarant-other").await.0, 200);
        // Customs roles other than the administrator manage no tokens.
        for who in ["officer", "risk-analyst"] {
            assert_eq!(app.get("/api/v1/tokens", who).await.0, 403, "{who}");
        }
        // Its own: revoked and refused from then on, by itself included.
        let (s, r) = app.post(&format!("/api/v1/tokens/{}/revoke", id_of(&second)), "declarant", &json!({ "reason": "unused" })).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("revoked")), "{r}");
        assert_eq!(get_as(&app, Some(&second), "/api/v1/notices", &[]).await.0, 401);
        let t = app.store.timeline(&format!("token:{}", id_of(&second))).await.unwrap();
        assert_eq!(t.last().unwrap().kind, "token_revoked");
        assert!(t.last().unwrap().actor.contains(TRADER), "the enterprise's caller is recorded: {:?}", t.last());
    }
}

#[tokio::test]
async fn the_console_shows_an_enterprise_its_tokens_and_revokes_them() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        add_users(&app).await;
        let ours = id_of(&app.tokens["declarant"]);
        let theirs = id_of(&app.tokens["declarant-other"]);
        let mut trader = Visitor::signed_in(&app, "trader").await;
        let page = trader.get("/tokens").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains(&format!("data-token=\"{ours}\"")), "{}", page.body);
        assert!(!page.body.contains(&theirs), "not another enterprise's token");
        assert!(page.body.contains("最近使用") && page.body.contains("到期时间"), "{}", page.body);
        let csrf = trader.csrf().await;
        let p = trader.post(&format!("/tokens/{theirs}/revoke"), &[("csrf", &csrf)]).await;
        assert_eq!(p.status, 404, "{}", p.body);
        let p = trader.post(&format!("/tokens/{ours}/revoke"), &[("csrf", &csrf), ("reason", "rotated")]).await;
        assert_eq!((p.status, p.location()), (303, "/tokens?msg=revoked"), "{}", p.body);
        assert_eq!(app.get("/api/v1/notices", "declarant").await.0, 401, "revoked from the console: refused at once");
        assert!(trader.get("/tokens").await.body.contains("data-state=\"revoked\""));
        // Officers have no tokens page; the administrator sees and revokes every token.
        assert_eq!(Visitor::signed_in(&app, "officer").await.get("/tokens").await.status, 403);
        let mut admin_v = Visitor::signed_in(&app, "admin").await;
        let page = admin_v.get("/admin/tokens").await;
        assert!(page.body.contains(&format!("data-token=\"{theirs}\"")) && page.body.contains(&format!("data-token=\"{ours}\"")));
        let csrf = admin_v.csrf().await;
        let p = admin_v.post(&format!("/tokens/{theirs}/revoke"), &[("csrf", &csrf)]).await;
        assert_eq!((p.status, p.location()), (303, "/admin/tokens?msg=revoked"), "{}", p.body);
        assert_eq!(app.get("/api/v1/notices", "declarant-other").await.0, 401);
        // Issued from the console for a chosen span.
        let p = admin_v.post("/admin/tokens", &[("csrf", &csrf), ("role", "officer"), ("expires_in_days", "7"), ("label", "audit")]).await;
        assert_eq!(p.status, 201, "{}", p.body);
        let (_, list) = app.get("/api/v1/tokens", "admin").await;
        let audit = list["tokens"].as_array().unwrap().iter().find(|t| t["label"] == "audit").unwrap().clone();
        assert!((ms_of(&audit["expires_at"]) - ms_of(&audit["created_at"]) - 7 * 86_400_000).abs() < 1000, "{audit}");
        let p = admin_v.post("/admin/tokens", &[("csrf", &csrf), ("role", "officer"), ("expires_in_days", "ever")]).await;
        assert_eq!(p.status, 422, "{}", p.body);
    }
}

#[tokio::test]
async fn a_revocation_by_another_node_is_honoured_when_its_cache_entry_lapses() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        // A second node reading the same database, believing a looked-up token for no time at
        // all instead of five seconds (a test cannot wait those seconds).
        let other = guomen_store::Store::open_read_only(&app.location).await.unwrap().with_token_cache_ms(0);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, guomen_api::router(other)).await.unwrap() });
        let token = &app.tokens["terminal"];
        let ask = |base: String| async move {
            reqwest::Client::new().get(format!("{base}/api/v1/notices")).bearer_auth(token).send().await.unwrap().status().as_u16()
        };
        assert_eq!(ask(base.clone()).await, 200);
        assert_eq!(ask(app.base.clone()).await, 200);
        let (s, _) = app.post(&format!("/api/v1/tokens/{}/revoke", id_of(token)), "admin", &json!({})).await;
        assert_eq!(s, 200);
        assert_eq!(ask(app.base.clone()).await, 401, "this node forgot it at once");
        assert_eq!(ask(base).await, 401, "the other node asked the database again");
    }
}

#[tokio::test]
async fn every_request_has_an_id_and_refusals_go_to_the_security_log() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let (s, h, _) = get_as(&app, None, "/api/v1/declarations", &[("x-request-id", "trace-42")]).await;
    assert_eq!((s, h["x-request-id"].to_str().unwrap()), (401, "trace-42"), "a sane incoming id is kept");
    for bad in ["two words", "{\"x\":1}"] {
        let (_, h, _) = get_as(&app, None, "/healthz", &[("x-request-id", bad)]).await;
        let id = h["x-request-id"].to_str().unwrap();
        assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{bad:?} → {id}");
    }
    let (s, h, _) = get_as(&app, Some(&app.tokens["declarant"]), "/api/v1/rules", &[]).await;
    assert_eq!(s, 403);
    let forbidden_id = h["x-request-id"].to_str().unwrap().to_owned();
    let (s, _, _) = get_as(&app, Some("gm_000000000000_nothing"), "/api/v1/declarations", &[]).await;
    assert_eq!(s, 401);
    // The console too.
    let page = Visitor::new(&app).get("/").await;
    assert_eq!(page.headers["x-request-id"].to_str().unwrap().len(), 32);
    let mut trader = Visitor::signed_in(&app, "trader").await;
    assert_eq!(trader.get("/queue").await.status, 403);
    Visitor::new(&app).sign_in("officer", "not-the-password").await;

    let log = app.security_log();
    let line = |event: &str, pred: &dyn Fn(&Value) -> bool| log.iter().find(|l| l["event"] == event && pred(l)).cloned();
    let missing = line("auth_failed", &|l| l["request_id"] == "trace-42").expect("the missing token");
    assert_eq!(missing["detail"]["reason"], "missing");
    assert_eq!(missing["client"], "127.0.0.1");
    assert_eq!(missing["route"], "GET /api/v1/declarations");
    assert_eq!(missing["actor"], Value::Null);
    assert!(missing["time"].as_str().unwrap().ends_with('Z'));
    let unknown = line("auth_failed", &|l| l["detail"]["reason"] == "unknown").expect("the unknown token");
    assert_eq!(unknown["detail"]["token"], Value::Null, "an unknown token names none: {unknown}");
    let f = line("forbidden", &|l| l["request_id"] == forbidden_id.as_str()).expect("the API's 403");
    assert_eq!(f["actor"].as_str().unwrap(), format!("token:{}/declarant@{TRADER}", id_of(&app.tokens["declarant"])));
    assert_eq!((f["route"].as_str(), f["detail"]["code"].as_str()), (Some("GET /api/v1/rules"), Some("forbidden")));
    let c = line("forbidden", &|l| l["route"] == "GET /queue").expect("the console's 403");
    assert_eq!(c["actor"].as_str().unwrap(), format!("user:trader/declarant@{TRADER}"));
    let s = line("signin_failed", &|_| true).expect("the wrong password");
    assert_eq!((s["detail"]["username"].as_str(), s["client"].as_str()), (Some("officer"), Some("127.0.0.1")));
    assert!(log.iter().all(|l| l["event"] != "forbidden" || l["route"] != "GET /"), "a page shown is not a security event");
}

#[tokio::test]
async fn forwarded_headers_count_only_from_a_trusted_proxy_and_https_makes_cookies_secure() {
    let fwd = [("x-forwarded-for", "198.51.100.1, 203.0.113.9"), ("x-forwarded-proto", "https")];
    let login_cookie = |h: &reqwest::header::HeaderMap| {
        h.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("gm_login=")).unwrap()
    };
    // Nobody trusted: the socket's address, and no Secure.
    let plain = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (_, h, _) = get_as(&plain, None, "/login", &fwd).await;
    assert!(!login_cookie(&h).contains("Secure"), "{}", login_cookie(&h));
    get_as(&plain, None, "/api/v1/notices", &fwd).await;
    assert_eq!(plain.security_events("auth_failed")[0]["client"], "127.0.0.1");

    // Behind a trusted proxy: the address it forwards, and Secure when it says HTTPS.
    let proxied = TestApp::spawn_secured(guomen_store::Engine::Sqlite, |s| {
        s.trusted_proxies = vec![guomen_store::security::Network::parse("127.0.0.0/8").unwrap()];
    })
    .await;
    add_users(&proxied).await;
    let (_, h, _) = get_as(&proxied, None, "/login", &fwd).await;
    assert!(login_cookie(&h).ends_with("; Secure"), "{}", login_cookie(&h));
    let (_, h, _) = get_as(&proxied, None, "/login", &[("x-forwarded-proto", "http")]).await;
    assert!(!login_cookie(&h).contains("Secure"));
    get_as(&proxied, None, "/api/v1/notices", &fwd).await;
    assert_eq!(proxied.security_events("auth_failed")[0]["client"], "203.0.113.9", "the nearest untrusted hop");

    // A public https:// URL: every console cookie is Secure, the session's included.
    let public = TestApp::spawn_secured(guomen_store::Engine::Sqlite, |s| s.public_https = true).await;
    add_users(&public).await;
    let mut v = Visitor::new(&public);
    let form = v.get("/login?lang=en").await;
    assert!(form.set_cookies().iter().all(|c| c.ends_with("; Secure")), "{:?}", form.set_cookies());
    let token = field_value(&form.body, "login_token").unwrap();
    let p = v.post("/login", &[("login_token", &token), ("next", ""), ("username", "trader"), ("password", PASSWORD)]).await;
    let session = p.set_cookies().into_iter().find(|c| c.starts_with("gm_session=")).unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(session.contains(attr), "{session} lacks {attr}");
    }
}

#[tokio::test]
async fn wrong_passwords_from_elsewhere_do_not_lock_the_user_out_at_their_own_address() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        add_users(&app).await;
        let mut attacker = Visitor::from_address(&app, "127.0.0.2");
        for i in 1..=4 {
            assert_eq!(attacker.sign_in("trader", "guess").await.status, 401, "failure {i}");
        }
        assert_eq!(attacker.sign_in("trader", "guess").await.status, 429, "the fifth locks the name at that address");
        assert_eq!(attacker.sign_in("trader", PASSWORD).await.status, 429, "even the right password, from there");
        // The user, at their own address, signs in as usual.
        let mut user = Visitor::new(&app);
        let p = user.sign_in("trader", PASSWORD).await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert!(app.store.signin_locked_until("trader", "127.0.0.2", now_ms()).await.unwrap().is_some());
        assert!(app.store.signin_locked_until("trader", "127.0.0.1", now_ms()).await.unwrap().is_none());
        // Journaled once; every step in the security log with the address.
        let t = app.store.timeline("user:trader").await.unwrap();
        assert_eq!(t.iter().filter(|e| e.kind == "user_locked_out").count(), 1);
        let failed = app.security_events("signin_failed");
        assert_eq!(failed.len(), 5);
        assert!(failed.iter().all(|l| l["client"] == "127.0.0.2" && l["detail"]["username"] == "trader"), "{failed:?}");
        assert_eq!(app.security_events("signin_locked_out").len(), 1);
        assert_eq!(app.security_events("signin_refused_locked")[0]["client"], "127.0.0.2");
        let users = Visitor::signed_in(&app, "admin").await.get("/admin/users").await;
        assert!(users.body.contains("127.0.0.2"), "the administrator sees where the lock-out holds");
    }
}

/// The CEB firms with a trusted proxy in front (so tests can come from many addresses), and the
/// cosmetics of the sample parcels selected for inspection.
async fn ceb_app(engine: guomen_store::Engine) -> TestApp {
    let mut app = TestApp::spawn_secured(engine, |s| {
        s.trusted_proxies = vec![guomen_store::security::Network::parse("127.0.0.1").unwrap()];
    })
    .await;
    ceb_support::set_up(&mut app).await;
    let rules = json!({"reason": "cross-border cosmetics", "rules": {
        "min_random_percent": "0",
        "criteria": [{ "id": "CBEC-COSMETICS", "description": "examine cosmetics",
            "when": {"hs_prefixes": ["3304"], "trade_modes": ["9610"]}, "lane": "red", "rate_percent": "100" }]
    }});
    let (s, body) = app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await;
    assert_eq!(s, 200, "{body}");
    app
}

async fn parcel_lookup(app: &TestApp, number: &str, id: &str, name: &str, from: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let path = format!("/api/v1/ceb/parcels?number={}&buyerIdNumber={}&buyerName={}", urlencode(number), urlencode(id), urlencode(name));
    get_as(app, None, &path, &[("x-forwarded-for", from)]).await
}

#[tokio::test]
async fn a_parcel_is_shown_only_to_who_knows_the_buyer_and_guessing_is_cut_off() {
    for engine in engines() {
        let app = ceb_app(engine).await;
        let buyer = "110101199003070088";
        let p = Parcel::new(7000, buyer);
        let invt = send_parcel(&app, &p).await;
        let rec = app.store.ceb_inventory(&invt).await.unwrap().unwrap();
        assert_eq!(rec.status.as_str(), "inspection", "selected for inspection by the criterion");
        let (s, _, body) = parcel_lookup(&app, &p.inventory.order_no, buyer, &p.inventory.buyer_name, "203.0.113.1").await;
        assert_eq!(s, 200, "{body}");
        // Status and amounts only: not the lane, the criteria, the receipt status or the list number.
        let keys: BTreeSet<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        let expected = ["ebcName", "logisticsNo", "orderNo", "status", "statusEn", "statusZh", "tax", "updatedAt", "value"];
        assert_eq!(keys, expected.into_iter().collect(), "{body}");
        assert_eq!(body["status"], "in-clearance", "inspection is not told: {body}");
        assert!(!body.to_string().contains("\"red\"") && !body.to_string().contains("CBEC"), "{body}");
        let (s, _, _) = parcel_lookup(&app, &p.inventory.order_no, buyer, "李四", "203.0.113.1").await;
        assert_eq!(s, 404, "the right identity with another name is nothing");

        // One address guessing identities: the 21st lookup in a minute is refused.
        let mut statuses = Vec::new();
        for n in 0..21 {
            statuses.push(parcel_lookup(&app, &p.inventory.order_no, &format!("1101011990030{n:05}"), "张三", "198.51.100.7").await);
        }
        assert!(statuses[..20].iter().all(|(s, _, _)| *s == 404));
        let (s, h, problem) = &statuses[20];
        assert_eq!((*s, problem["code"].as_str()), (429, Some("too_many_requests")), "{problem}");
        assert_eq!(h["content-type"], "application/problem+json");
        assert_eq!(h["retry-after"], "60");
        // Many addresses guessing one identity: the 11th lookup of it in a minute is refused.
        let target = "110101199003079999";
        for n in 0..10 {
            let (s, _, _) = parcel_lookup(&app, &format!("ORD-GUESS-{n}"), target, "张三", &format!("192.0.2.{n}")).await;
            assert_eq!(s, 404);
        }
        let (s, _, problem) = parcel_lookup(&app, "ORD-GUESS-X", target, "张三", "192.0.2.99").await;
        assert_eq!((s, problem["errors"][0]["path"].as_str()), (429, Some("buyerIdNumber")), "{problem}");

        // Every lookup and refusal is logged, the identity masked.
        let lookups = app.security_events("personal_data_lookup");
        assert_eq!(lookups.len(), 2 + 20 + 10, "every lookup answered");
        let found = lookups.iter().find(|l| l["detail"]["found"] == true).unwrap();
        assert_eq!((found["client"].as_str(), found["detail"]["identity"].as_str()), (Some("203.0.113.1"), Some("**************0088")));
        let limited = app.security_events("rate_limited");
        assert_eq!(limited.iter().map(|l| l["detail"]["limit"].as_str().unwrap()).collect::<Vec<_>>(), ["address", "identity"]);
        let text = std::fs::read_to_string(app.data_dir.join("security.log")).unwrap();
        assert!(!text.contains(buyer) && !text.contains(target), "no identity number in clear");
    }
}

#[tokio::test]
async fn the_quota_pre_check_needs_the_buyers_name_and_a_platform_or_officer() {
    for engine in engines() {
        let app = ceb_app(engine).await;
        let buyer = "110101199003070099";
        let p = Parcel::new(7100, buyer).worth("990");
        send_parcel(&app, &p).await;
        let check = |who: &'static str, id: &str, name: &str| {
            let body = json!({ "buyerIdType": "1", "buyerIdNumber": id, "buyerName": name, "amount": "100" });
            let app = &app;
            async move { app.post("/api/v1/ceb/quota-check", who, &body).await }
        };
        let (s, known) = check("platform", buyer, "张三").await;
        assert_eq!(s, 200, "{known}");
        assert_eq!((known["recorded"].as_bool(), known["remaining"].as_str()), (Some(true), Some("25000")), "{known}");
        // A wrong name gets what an unknown identity gets: nothing recorded, the whole year.
        let (_, wrong) = check("platform", buyer, "李四").await;
        let (_, unknown) = check("platform", "110101199003070000", "李四").await;
        assert_eq!((wrong["recorded"].as_bool(), wrong["remaining"].as_str()), (Some(false), Some("26000")), "{wrong}");
        assert_eq!(wrong, unknown, "the answer tells nothing about whose identity it is");
        // Platforms at checkout and officers; not terminals, laboratories, analysts or the administrator.
        assert_eq!(check("officer", buyer, "张三").await.0, 200);
        for who in ["terminal", "laboratory", "risk-analyst", "admin"] {
            assert_eq!(check(who, buyer, "张三").await.0, 403, "{who}");
        }
        // One identity at most 30 times a minute.
        let mut n = 3;
        let refused = loop {
            let (s, body) = check("platform", buyer, "张三").await;
            n += 1;
            if s != 200 {
                break (s, body);
            }
            assert!(n <= 30, "still answering at {n}");
        };
        assert_eq!((n, refused.0), (31, 429), "{}", refused.1);
        let lookups = app.security_events("personal_data_lookup");
        assert!(lookups.iter().all(|l| l["detail"]["lookup"] == "quota_check"));
        assert_eq!(lookups[0]["detail"]["identity"], "**************0099");
        assert_eq!(
            lookups[0]["actor"].as_str().unwrap(),
            format!("token:{}/declarant@{}", id_of(&app.tokens["platform"]), ceb_support::PLATFORM)
        );
    }
}

#[tokio::test]
async fn buyer_names_of_lists_stored_before_the_upgrade_are_filled_in_at_start_up() {
    use guomen_service::ceb::{process, Sender};
    use sqlx::Executor;
    for engine in engines() {
        let dir = tempfile::tempdir().unwrap();
        let loc = fresh_location(engine, dir.path()).await;
        let key = "1:110101199003070111";
        {
            let store = guomen_store::Store::open(&loc).await.unwrap();
            store
                .execute(
                    admin(),
                    Command::Ceb(guomen_store::ceb::CebCommand::AddGuarantee {
                        code: ceb_support::ECOMMERCE.into(),
                        kind: Default::default(),
                        amount: ceb_support::d("100000"),
                    }),
                )
                .await
                .unwrap();
            for (xml, _) in Parcel::new(7200, "110101199003070111").messages() {
                process(&store, None, &admin(), Sender::Operator, xml.as_bytes(), 1).await.unwrap();
            }
            assert!(store.ceb_buyer_named(key, " 张 三 ").await.unwrap(), "kept as lists are decided; spacing aside");
            assert!(!store.ceb_buyer_named(key, "李四").await.unwrap());
            // As a database from before migration 0006 would be.
            let mut conn = guomen_store::connect_writer(&loc).await.unwrap();
            conn.execute("DELETE FROM ceb_buyer_names").await.unwrap();
            conn.execute("INSERT INTO console_state (name, value) VALUES ('ceb_buyer_names', 0)").await.unwrap();
            assert!(!store.ceb_buyer_named(key, "张三").await.unwrap());
        }
        let mut store = None;
        for _ in 0..100 {
            match guomen_store::Store::open(&loc).await {
                Ok(s) => {
                    store = Some(s);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
        let store = store.expect("reopened");
        assert!(store.ceb_buyer_named(key, "张三").await.unwrap(), "filled in from the journal");
    }
}
