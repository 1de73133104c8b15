//! Mandates (委托): an agent files, takes steps and sends inventory lists for an enterprise only
//! under that enterprise's mandate, valid on the day; the consignor grants and revokes it over
//! the API and the console, and nobody else may.

use crate::ceb_support::{self, first, post_xml, Parcel, ECOMMERCE, PLATFORM};
use crate::helpers::*;
use crate::visitor::*;
use guomen_domain::clearance::cst_day;
use guomen_messages::ceb::compose::{self, Transfer};
use serde_json::{json, Value};
use sqlx::Connection;

fn today() -> time::Date {
    cst_day(time::OffsetDateTime::now_utc())
}

/// The untrustworthy OTHER_TRADER names the advanced-certified TRADER as consignee and itself as
/// agent, on a seed import that writes off TRADER's quarantine permit.
fn borrowed(bill: &str) -> Value {
    let mut d = seed_draft(bill);
    d["head"]["agent_code"] = json!(OTHER_TRADER);
    d
}

async fn permit_used(app: &TestApp) -> String {
    let (s, p) = app.get(&format!("/api/v1/permits/{SEED_PERMIT}"), "officer").await;
    assert_eq!(s, 200, "{p}");
    p["used"].as_str().unwrap().to_owned()
}

fn rule(problem: &Value) -> (&str, &str) {
    (problem["errors"][0]["path"].as_str().unwrap_or(""), problem["errors"][0]["rule"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn an_agent_files_for_a_trader_only_under_its_mandate() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let journal = app.store.count("journal").await.unwrap();
        let counters = app.store.count("counters").await.unwrap();

        // The probe: 403, naming who has not mandated whom for what; nothing stored.
        let (s, p) = app.post("/api/v1/declarations", "declarant-other", &borrowed("BORROW-0001")).await;
        assert_eq!(s, 403, "{p}");
        assert_eq!(rule(&p), ("head.agent_code", "mandate_missing"), "{p}");
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("enterprise {TRADER} has not mandated {OTHER_TRADER} for customs declarations")), "{detail}");
        assert!(p["detail_zh"].as_str().unwrap().contains(&format!("企业 {TRADER} 未委托 {OTHER_TRADER}")), "{p}");
        assert_eq!(app.store.count("declarations").await.unwrap(), 0);
        assert_eq!(app.store.count("journal").await.unwrap(), journal, "nothing journaled");
        assert_eq!(app.store.count("counters").await.unwrap(), counters, "no declaration number taken");
        assert_eq!(permit_used(&app).await, "0", "the consignee's permit is not written off");

        // The trader mandates it: the filing is accepted, under the trader's grade and permit.
        let until = (today() + time::Duration::days(30)).to_string();
        let (s, m) = app
            .post("/api/v1/mandates", "declarant", &json!({ "agent": OTHER_TRADER, "scopes": ["declarations"], "valid_until": until }))
            .await;
        assert_eq!(s, 201, "{m}");
        let id = m["id"].as_str().unwrap().to_owned();
        let (s, d) = app.post("/api/v1/declarations", "declarant-other", &borrowed("BORROW-0002")).await;
        assert_eq!(s, 201, "{d}");
        let filed = d["id"].as_str().unwrap().to_owned();
        // The grade is the consignee's; customs see it (a trader sees no targeting).
        let (_, seen) = app.get(&format!("/api/v1/declarations/{filed}"), "officer").await;
        assert_eq!((seen["filed_by"].as_str(), seen["decision"]["grade"].as_str()), (Some(OTHER_TRADER), Some("advanced-certified")));
        assert_eq!(permit_used(&app).await, "500");
        // A two-step summary, to be completed later.
        let mut two = green_draft("BORROW-0003");
        two["head"]["agent_code"] = json!(OTHER_TRADER);
        two["head"]["mode"] = json!("two-step");
        let (s, d) = app.post("/api/v1/declarations", "declarant-other", &two).await;
        assert_eq!(s, 201, "{d}");
        let summary = d["id"].as_str().unwrap().to_owned();

        // Under the mandate the agent books an inspection slot for the declaration.
        let schedule = json!({ "site_code": SITE, "kind": "inspection", "capacity_per_hour": 5, "hours": "seven-by-twenty-four" });
        assert_eq!(app.send("PUT", "/api/v1/schedules", Some("admin"), Some(&schedule)).await.0, 200);
        let start = format!("{}T03:00:00+08:00", today() + time::Duration::days(1));
        let booking = json!({ "site_code": SITE, "kind": "inspection", "start": start, "declaration_id": filed, "reason": "夜间到港" });
        let (s, a) = app.post("/api/v1/appointments", "declarant-other", &booking).await;
        assert_eq!(s, 201, "{a}");

        // Revoked: no more filings, no more steps; what it filed it still reads.
        let (s, r) = app.post(&format!("/api/v1/mandates/{id}/revoke"), "declarant", &json!({ "reason": "换用其他报关行" })).await;
        assert_eq!((s, r["status"].as_str()), (200, Some("revoked")), "{r}");
        let (s, p) = app.post("/api/v1/declarations", "declarant-other", &borrowed("BORROW-0004")).await;
        assert_eq!(s, 403, "{p}");
        assert_eq!(rule(&p), ("head.agent_code", "mandate_missing"));
        assert!(p["detail"].as_str().unwrap().contains(&format!("mandate {id} was revoked")), "{p}");
        let (s, p) = app.post(&format!("/api/v1/declarations/{summary}/complete"), "declarant-other", &two).await;
        assert_eq!(s, 403, "{p}");
        assert_eq!(rule(&p).1, "mandate_missing", "{p}");
        let (s, p) = app.post("/api/v1/appointments", "declarant-other", &booking).await;
        assert_eq!((s, rule(&p).1), (403, "mandate_missing"), "{p}");
        assert_eq!(app.get(&format!("/api/v1/declarations/{filed}"), "declarant-other").await.0, 200);
        let (s, list) = app.get("/api/v1/declarations", "declarant-other").await;
        assert_eq!((s, list["declarations"].as_array().unwrap().len()), (200, 2));
        // The consignee completes it itself; naming the agent it no longer mandates is refused.
        let (s, p) = app.post(&format!("/api/v1/declarations/{summary}/complete"), "declarant", &two).await;
        assert_eq!((s, rule(&p)), (403, ("head.agent_code", "mandate_missing")), "{p}");
        two["head"]["agent_code"] = Value::Null;
        let (s, d) = app.post(&format!("/api/v1/declarations/{summary}/complete"), "declarant", &two).await;
        assert_eq!(s, 200, "{d}");
        assert!(d["completed_at"].is_string());
        assert_eq!(app.store.count("declarations").await.unwrap(), 2);
        assert!(app.store.verify().await.unwrap().first_break.is_none());
    }
}

#[tokio::test]
async fn the_same_check_holds_for_decmessage_xml_and_the_owner() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        // The named owner does not declare for the consignee.
        let mut owner = green_draft("OWNER-0001");
        owner["head"]["owner_code"] = json!(OTHER_TRADER);
        let (s, p) = app.post("/api/v1/declarations", "declarant-other", &owner).await;
        assert_eq!((s, rule(&p)), (403, ("head.agent_code", "agent_not_named")), "{p}");
        // DecMessage XML goes the same way.
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DecMessage><DecHead><IEFlag>I</IEFlag><CustomMaster>9501</CustomMaster><IEPort>9501</IEPort>\
             <IEDate>{}</IEDate><TradeCode>{TRADER}</TradeCode><AgentCode>{OTHER_TRADER}</AgentCode><TrafMode>2</TrafMode><BillNo>XML-0001</BillNo>\
             <TradeMode>0110</TradeMode><TradeCountry>DEU</TradeCountry><TransMode>1</TransMode><PackNo>1</PackNo><GrossWet>10</GrossWet><NetWt>9</NetWt></DecHead>\
             <DecLists><DecList><GNo>1</GNo><CodeTS>8483109000</CodeTS><GName>传动轴</GName><GQty>10</GQty><GUnit>007</GUnit><DeclPrice>35.5</DeclPrice>\
             <DeclTotal>355</DeclTotal><TradeCurr>EUR</TradeCurr><OriginCountry>DEU</OriginCountry><DestinationCountry>CHN</DestinationCountry></DecList></DecLists></DecMessage>",
            time::OffsetDateTime::now_utc().date()
        );
        let res = app
            .http
            .post(app.url("/api/v1/declarations"))
            .bearer_auth(&app.tokens["declarant-other"])
            .header("content-type", "application/xml")
            .body(xml)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let p: Value = res.json().await.unwrap();
        assert_eq!(rule(&p), ("head.agent_code", "mandate_missing"), "{p}");
        assert_eq!(app.store.count("declarations").await.unwrap(), 0);
    }
}

#[tokio::test]
async fn an_expired_mandate_no_longer_serves() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        // Granted forty days ago for ten days.
        let then = time::OffsetDateTime::now_utc() - time::Duration::days(40);
        let draft = guomen_domain::mandate::MandateDraft {
            agent: Some(OTHER_TRADER.into()),
            scopes: vec!["declarations".into()],
            valid_from: None,
            valid_until: Some((cst_day(then) + time::Duration::days(10)).to_string()),
        };
        let grant =
            guomen_store::mandate::MandateCommand::Grant { consignor: guomen_domain::types::CustomsCode::parse(TRADER).unwrap(), draft };
        app.store.execute_at(declarant_of(TRADER), guomen_store::Command::Mandate(grant), then).await.unwrap();
        let (s, list) = app.get("/api/v1/mandates", "declarant-other").await;
        assert_eq!(s, 200);
        assert_eq!(list["mandates"][0]["status"], "expired", "{list}");

        let (s, p) = app.post("/api/v1/declarations", "declarant-other", &borrowed("LATE-0001")).await;
        assert_eq!(s, 403, "{p}");
        assert_eq!(rule(&p), ("head.agent_code", "mandate_missing"));
        assert!(p["detail"].as_str().unwrap().contains("ended on"), "{p}");
        assert!(p["detail_zh"].as_str().unwrap().contains("到期"), "{p}");
        assert_eq!(permit_used(&app).await, "0");
    }
}

#[tokio::test]
async fn mandates_are_granted_listed_and_revoked_by_those_they_concern() {
    for engine in engines() {
        let mut app = TestApp::spawn(engine).await;
        let broker = issue_token(&app.store, guomen_domain::party::Role::Declarant, Some(BROKER)).await;
        app.tokens.insert("broker", broker);

        // Every broken field named at once.
        let yesterday = (today() - time::Duration::days(1)).to_string();
        let (s, p) = app.post("/api/v1/mandates", "declarant", &json!({ "agent": TRADER, "scopes": [], "valid_from": yesterday })).await;
        assert_eq!(s, 422, "{p}");
        let rules: Vec<(&str, &str)> =
            p["errors"].as_array().unwrap().iter().map(|e| (e["path"].as_str().unwrap(), e["rule"].as_str().unwrap())).collect();
        assert_eq!(
            rules,
            [("agent", "mandate_self"), ("scopes", "required"), ("valid_from", "mandate_backdated"), ("valid_until", "required")],
            "{p}"
        );
        let until = (today() + time::Duration::days(60)).to_string();
        let (s, p) = app
            .post("/api/v1/mandates", "declarant", &json!({ "agent": "9999999999", "scopes": ["declarations"], "valid_until": until }))
            .await;
        assert_eq!((s, rule(&p)), (422, ("agent", "enterprise_unknown")), "{p}");
        // Customs roles do not give mandates in a trader's name.
        let body = json!({ "agent": OTHER_TRADER, "scopes": ["ceb-inventories"], "valid_until": until });
        assert_eq!(app.post("/api/v1/mandates", "officer", &body).await.0, 403);

        let res = app.http.post(app.url("/api/v1/mandates")).bearer_auth(&app.tokens["declarant"]).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let m: Value = res.json().await.unwrap();
        let id = m["id"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/mandates/{id}"));
        assert_eq!((m["consignor"].as_str(), m["agent"].as_str()), (Some(TRADER), Some(OTHER_TRADER)));
        assert_eq!((m["consignor_name"].as_str(), m["scopes"][0].as_str()), (Some("东方种子有限公司"), Some("ceb-inventories")));
        assert_eq!(m["valid_from"], today().to_string());

        // Who sees what.
        let ids =
            |v: &Value| -> Vec<String> { v["mandates"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect() };
        let (_, given) = app.get("/api/v1/mandates", "declarant").await;
        assert_eq!(ids(&given).len(), 2, "the fixture's mandate to BROKER and this one: {given}");
        assert_eq!(ids(&app.get("/api/v1/mandates", "declarant-other").await.1), vec![id.clone()]);
        assert!(!ids(&app.get("/api/v1/mandates", "broker").await.1).contains(&id));
        assert_eq!(ids(&app.get(&format!("/api/v1/mandates?agent={OTHER_TRADER}"), "officer").await.1), vec![id.clone()]);
        assert_eq!(app.get("/api/v1/mandates", "terminal").await.0, 403);
        let (s, shown) = app.get(&format!("/api/v1/mandates/{id}"), "declarant-other").await;
        assert_eq!(s, 200, "{shown}");
        assert_eq!(shown["timeline"][0]["kind"], "mandate_granted");
        assert_eq!(app.get(&format!("/api/v1/mandates/{id}"), "broker").await.0, 404, "not a party: not found");

        // Only the consignor or an administrator revokes.
        let why = json!({ "reason": "合同到期" });
        let (s, p) = app.post(&format!("/api/v1/mandates/{id}/revoke"), "declarant-other", &why).await;
        assert_eq!(s, 403, "the agent cannot: {p}");
        assert_eq!(app.post(&format!("/api/v1/mandates/{id}/revoke"), "officer", &why).await.0, 403);
        assert_eq!(app.post(&format!("/api/v1/mandates/{id}/revoke"), "broker", &why).await.0, 404);
        let (s, r) = app.post(&format!("/api/v1/mandates/{id}/revoke"), "admin", &why).await;
        assert_eq!((s, r["status"].as_str(), r["revoked"]["reason"].as_str()), (200, Some("revoked"), Some("合同到期")), "{r}");
        let (s, p) = app.post(&format!("/api/v1/mandates/{id}/revoke"), "declarant", &why).await;
        assert_eq!((s, p["code"].as_str()), (409, Some("invalid_state")), "{p}");

        // The agent heard of both; the consignor of the revocation an administrator made.
        let topics = |v: &Value| -> Vec<String> {
            v["notices"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n["topic"].as_str())
                .filter(|t| t.starts_with("mandate."))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(topics(&app.get("/api/v1/notices", "declarant-other").await.1), ["mandate.granted", "mandate.revoked"]);
        assert_eq!(topics(&app.get("/api/v1/notices", "declarant").await.1), ["mandate.revoked"]);
        let (_, shown) = app.get(&format!("/api/v1/mandates/{id}"), "officer").await;
        let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["mandate_granted", "mandate_revoked"]);
        assert!(app.store.verify().await.unwrap().first_break.is_none());
        // The mandates table is a view of the journal like the others: kept true, and an edit
        // behind Guomen's back (a revoked mandate made to last longer) is named.
        assert_views_match(&app.store).await;
        let mut conn = sqlx::AnyConnection::connect(&app.location.url).await.unwrap();
        sqlx::query(&format!("UPDATE mandates SET valid_until = '2099-12-31' WHERE id = '{id}'")).execute(&mut conn).await.unwrap();
        let v = app.store.verify_views(10).await.unwrap();
        let named: Vec<String> = v.differences.iter().map(|d| d.to_string()).collect();
        assert!(named.iter().any(|d| d.starts_with(&format!("mandates [id={id}] valid_until"))), "{named:?}");
    }
}

fn transfer(code: &str) -> Transfer {
    Transfer { cop_code: code.into(), cop_name: "申报企业".into(), dxp_id: "DXPENT0000000001".into() }
}

#[tokio::test]
async fn an_inventory_list_from_an_agent_needs_the_ecommerce_enterprises_mandate() {
    for engine in engines() {
        let mut app = TestApp::spawn(engine).await;
        ceb_support::set_up(&mut app).await;
        let broker = issue_token(&app.store, guomen_domain::party::Role::Declarant, Some(BROKER)).await;
        app.tokens.insert("broker", broker);
        let mut p = Parcel::new(700, "110101199003070701");
        p.inventory.agent_code = BROKER.into();
        p.inventory.agent_name = "河西报关行".into();
        for (xml, who) in &p.messages()[..3] {
            let (s, body, _) = post_xml(&app, who, xml).await;
            assert_eq!(s, 200, "{body}");
        }
        let inventory = compose::ceb621(&p.inventory.guid, std::slice::from_ref(&p.inventory), &transfer(BROKER));

        // The broker sends the list without the e-commerce enterprise's mandate: refused whole.
        let (s, body, _) = post_xml(&app, "broker", &inventory).await;
        assert_eq!(s, 403, "{body}");
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(rule(&problem), ("Inventory[0]/InventoryHead/agentCode", "mandate_missing"), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains(&format!("enterprise {ECOMMERCE} has not mandated {BROKER}")), "{problem}");
        assert_eq!(app.store.count("ceb_inventories").await.unwrap(), 0);
        // A mandate for declarations does not cover inventory lists.
        grant_mandate(&app.store, ECOMMERCE, BROKER, &["declarations"], 30).await;
        let (s, body, _) = post_xml(&app, "broker", &inventory).await;
        assert_eq!(s, 403, "{body}");
        assert!(body.contains("only customs declarations"), "{body}");

        // With the mandate for inventory lists, the same message is taken and decided.
        let until = (today() + time::Duration::days(30)).to_string();
        let (s, m) = app
            .post("/api/v1/mandates", "ecommerce", &json!({ "agent": BROKER, "scopes": ["ceb-inventories"], "valid_until": until }))
            .await;
        assert_eq!(s, 201, "{m}");
        let (s, body, replayed) = post_xml(&app, "broker", &inventory).await;
        assert_eq!((s, replayed), (200, false), "{body}");
        assert_eq!(first(&body, "returnStatus"), "800", "{body}");
        let invt = first(&body, "invtNo");
        // The platform still sends for itself, without any mandate.
        let mut q = Parcel::new(701, "110101199003070702");
        q.inventory.agent_code = PLATFORM.into();
        for (xml, who) in q.messages().iter().take(3) {
            assert_eq!(post_xml(&app, who, xml).await.0, 200);
        }
        let (s, body, _) =
            post_xml(&app, "platform", &compose::ceb621(&q.inventory.guid, std::slice::from_ref(&q.inventory), &transfer(PLATFORM))).await;
        assert_eq!((s, first(&body, "returnStatus")), (200, "800".to_owned()), "{body}");

        // Revoked: the broker can no longer cancel the list; the e-commerce enterprise can.
        let (s, _) = app
            .post(&format!("/api/v1/mandates/{}/revoke", m["id"].as_str().unwrap()), "ecommerce", &json!({ "reason": "改为自行申报" }))
            .await;
        assert_eq!(s, 200);
        let cancel = compose::cancel_for(&p.inventory, &invt, &ceb_support::guid(623, 700), "20261201100000", "买家取消订单");
        let (s, body, _) =
            post_xml(&app, "broker", &compose::ceb623(&ceb_support::guid(623, 700), std::slice::from_ref(&cancel), &transfer(BROKER)))
                .await;
        assert_eq!(s, 403, "{body}");
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(rule(&problem), ("InvtCancel[0]/agentCode", "mandate_missing"), "{problem}");
        let (s, body, _) =
            post_xml(&app, "ecommerce", &compose::ceb623(&ceb_support::guid(623, 701), &[cancel], &transfer(ECOMMERCE))).await;
        assert_eq!((s, first(&body, "returnStatus")), (200, "399".to_owned()), "{body}");
    }
}

#[tokio::test]
async fn the_console_gives_and_revokes_mandates_and_shows_them_to_officers() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    add_users(&app).await;
    let mut trader = Visitor::signed_in(&app, "trader").await;
    let csrf = trader.csrf().await;
    let p = trader.get("/mandates").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("id=\"mandate-form\""), "the trader may give a mandate");
    assert!(p.body.contains("本企业出具的委托") && p.body.contains(BROKER), "the fixture's mandate to the broker is listed");

    // A refusal is shown with its field paths, and nothing is given.
    let p = trader.post("/mandates", &[("csrf", &csrf), ("agent", TRADER), ("valid_until", "")]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("<code>agent</code> 企业自行申报无需委托"), "{}", p.body);
    assert!(p.body.contains("<code>scopes</code>"), "{}", p.body);
    assert_eq!(app.store.count("mandates").await.unwrap(), 1);

    let until = (today() + time::Duration::days(30)).to_string();
    let from = today().to_string();
    let p = trader
        .post(
            "/mandates",
            &[
                ("csrf", &csrf),
                ("agent", OTHER_TRADER),
                ("scopes", "declarations"),
                ("scopes", "ceb-inventories"),
                ("valid_from", &from),
                ("valid_until", &until),
            ],
        )
        .await;
    assert_eq!((p.status, p.location()), (303, "/mandates?msg=granted"), "{}", p.body);
    let list = app
        .store
        .mandates(&guomen_store::mandate::MandateFilter { agent: Some(OTHER_TRADER.into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    let id = list[0].id.clone();
    let p = trader.get("/mandates?msg=granted").await;
    assert!(p.body.contains("委托已出具"));
    assert!(p.body.contains(&format!("data-id=\"{id}\" data-status=\"active\"")), "{}", p.body);
    assert!(p.body.contains(&format!("data-revoke=\"{id}\"")), "the consignor may revoke it");
    let en = trader.get("/mandates?lang=en").await;
    assert!(en.body.contains("Mandates we gave") && en.body.contains("cross-border inventory lists"), "{}", en.body);

    // The agent sees it among those it holds, without a revoke button, and cannot revoke it.
    let mut agent = Visitor::signed_in(&app, "trader2").await;
    let agent_csrf = agent.csrf().await;
    let p = agent.get("/mandates").await;
    let held = &p.body[p.body.find("id=\"held\"").expect("a list of held mandates")..];
    assert!(held.contains(&format!("data-id=\"{id}\"")));
    assert!(!p.body.contains(&format!("data-revoke=\"{id}\"")));
    let p = agent.post(&format!("/mandates/{id}/revoke"), &[("csrf", &agent_csrf), ("reason", "x")]).await;
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.body.contains("只有委托方"), "{}", p.body);

    // The consignor revokes it.
    let p = trader.post(&format!("/mandates/{id}/revoke"), &[("csrf", &csrf), ("reason", "改由其他报关行代理")]).await;
    assert_eq!((p.status, p.location()), (303, "/mandates?msg=revoked"));
    let p = trader.get("/mandates").await;
    assert!(p.body.contains(&format!("data-id=\"{id}\" data-status=\"revoked\"")));
    assert!(p.body.contains("改由其他报关行代理"));

    // Officers read every mandate and change none; terminals have no such page.
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let officer_csrf = officer.csrf().await;
    let p = officer.get("/mandates").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains(&format!("data-id=\"{id}\"")) && p.body.contains(BROKER));
    assert!(!p.body.contains("data-revoke") && !p.body.contains("mandate-form"), "read-only for officers");
    let p = officer.get(&format!("/mandates?enterprise={OTHER_TRADER}")).await;
    assert_eq!(p.body.matches("class=\"mandate\"").count(), 1);
    let p = officer.post("/mandates", &[("csrf", &officer_csrf), ("agent", OTHER_TRADER)]).await;
    assert_eq!(p.status, 403);
    let mut terminal = Visitor::signed_in(&app, "terminal").await;
    assert_eq!(terminal.get("/mandates").await.status, 403);
}

#[tokio::test]
async fn the_mandates_page_works_on_a_phone() {
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
    b.click("header nav a[href=\"/mandates\"]").await;
    b.find("#mandate-form").await;
    let width = b.script("return [window.innerWidth, document.documentElement.scrollWidth];", json!([])).await;
    let (inner, scroll) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
    assert!(inner <= 400, "the window is a phone's: {inner}");
    assert!(scroll <= inner, "nothing wider than the phone: {scroll} > {inner}");

    b.type_into("#agent", OTHER_TRADER).await;
    b.click("input[name=\"scopes\"][value=\"ceb-inventories\"]").await;
    let until = (today() + time::Duration::days(90)).to_string();
    b.script("document.getElementById('valid_until').value = arguments[0];", json!([until])).await;
    b.click("#grant").await;
    assert!(b.text("#flash").await.contains("委托已出具"));
    let id = app
        .store
        .mandates(&guomen_store::mandate::MandateFilter { agent: Some(OTHER_TRADER.into()), limit: 1, ..Default::default() })
        .await
        .unwrap()[0]
        .id
        .clone();
    let card = format!("#given li[data-id=\"{id}\"]");
    assert!(b.text(&card).await.contains("跨境电商清单"), "both scopes on the card");
    let scroll = b.script("return document.documentElement.scrollWidth;", json!([])).await.as_i64().unwrap();
    assert!(scroll <= inner, "the cards fit the phone: {scroll}");
    b.screenshot("17-trader-mandates-390px.png").await;
    // The page again without its message, so the next one is the revocation's.
    b.goto(&app.url("/mandates")).await;
    b.type_into(&format!("{card} input[name=\"reason\"]"), "改由其他报关行代理").await;
    b.click(&format!("{card} [data-revoke]")).await;
    assert!(b.text("#flash").await.contains("委托已撤销"));
    assert!(b.text(&format!("#given li[data-id=\"{id}\"]")).await.contains("已撤销"));
    b.goto(&app.url("/mandates?lang=en")).await;
    b.wait_text("h1", "Mandates").await;
    assert!(b.text("#given").await.contains("revoked"));
    b.quit().await;
}
