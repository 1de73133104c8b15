//! Cross-border inventory lists in the web console over HTTP: the officer's lists by status,
//! releasing a list under inspection and confirming identity theft on a held one (with the API's
//! field errors, and CSRF), and what an enterprise sees — its own lists and guarantees, not
//! another's, not the targeting criteria, and no officer's steps.

use crate::ceb_support::*;
use crate::helpers::{assert_views_match, engines, TestApp};
use crate::visitor::*;
use guomen_domain::ceb::InventoryStatus;
use guomen_domain::party::Role;
use guomen_domain::types::CustomsCode;
use guomen_store::ceb::InventoryFilter;
use guomen_store::secrets;
use guomen_store::AdminCommand;
use serde_json::json;

/// The CEB firms, the console users, and console users for the platform and the e-commerce
/// enterprise ("platform", "shop").
async fn app(engine: guomen_store::Engine) -> TestApp {
    let mut app = TestApp::spawn(engine).await;
    set_up(&mut app).await;
    add_users(&app).await;
    let hash = secrets::hash_password(PASSWORD);
    for (name, code) in [("platform", PLATFORM), ("shop", ECOMMERCE)] {
        let cmd = AdminCommand::CreateUser {
            username: name.into(),
            password_hash: hash.clone(),
            role: Role::Declarant,
            enterprise: Some(CustomsCode::parse(code).unwrap()),
        };
        app.store.execute(crate::helpers::admin(), cmd).await.unwrap();
    }
    // Cosmetics are examined; a buyer's identity seen with a third address is held for review.
    let rules = json!({"reason": "cross-border e-commerce targeting", "rules": {
        "min_random_percent": "0",
        "identity_guard": {"window_days": 30, "max_addresses": 2, "max_phones": 5},
        "criteria": [{
            "id": "CBEC-COSMETICS", "description": "cross-border cosmetics: examine every parcel",
            "when": {"hs_prefixes": ["3304"], "trade_modes": ["9610"]}, "lane": "red", "rate_percent": "100"
        }]
    }});
    let (s, body) = app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await;
    assert_eq!(s, 200, "{body}");
    app
}

/// Four parcels of one buyer from four addresses: two selected for inspection, two held.
async fn parcels(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..4u64 {
        let mut p = Parcel::new(300 + n, "110101199003071234");
        p.inventory.consignee_address = format!("北京市朝阳区某路{n}号");
        ids.push(send_parcel(app, &p).await);
    }
    ids
}

async fn status(app: &TestApp, id: &str) -> InventoryStatus {
    app.store.ceb_inventory(id).await.unwrap().unwrap().status
}

/// The count a status tab shows.
fn tab_count(body: &str, status: &str) -> String {
    let at = body.find(&format!("data-count=\"{status}\">")).unwrap_or_else(|| panic!("no {status} tab"));
    let rest = &body[at + status.len() + 14..];
    rest[..rest.find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn an_officer_releases_an_inspected_list_and_confirms_identity_theft_on_a_held_one() {
    for engine in engines() {
        let app = app(engine).await;
        let ids = parcels(&app).await;
        let st: Vec<InventoryStatus> = statuses(&app, &ids).await;
        assert_eq!(
            st,
            [InventoryStatus::Inspection, InventoryStatus::Inspection, InventoryStatus::ManualReview, InventoryStatus::ManualReview]
        );

        // The officer's lists open on the work: inspection, oldest first, with a count per status.
        let mut officer = Visitor::signed_in(&app, "officer").await;
        let p = officer.get("/ceb/inventories").await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(p.body.contains("href=\"/ceb/inventories\" aria-current=\"page\""), "in the officer's navigation");
        let (a, b) = (p.body.find(&format!("data-id=\"{}\"", ids[0])).unwrap(), p.body.find(&format!("data-id=\"{}\"", ids[1])).unwrap());
        assert!(a < b, "oldest first");
        assert!(!p.body.contains(&format!("data-id=\"{}\"", ids[2])), "held lists are under their own tab");
        assert_eq!(
            (tab_count(&p.body, "inspection"), tab_count(&p.body, "manual-review"), tab_count(&p.body, "all")),
            ("2".into(), "2".into(), "4".into())
        );
        let p = officer.get("/ceb/inventories?status=manual-review").await;
        assert!(p.body.contains(&format!("data-id=\"{}\"", ids[2])) && p.body.contains(&format!("data-id=\"{}\"", ids[3])));

        // The page of a list under inspection: head with the identity masked, goods, the decision
        // with the criterion, tax, quota, timeline, and the steps allowed now.
        let p = officer.get(&format!("/ceb/inventories/{}", ids[0])).await;
        assert_eq!(p.status, 200);
        for part in [
            "id=\"risk\"",
            "CBEC-COSMETICS",
            "**************1234",
            "北京市朝阳区某路0号",
            "id=\"tax-total\"",
            "data-state=\"reserved\"",
            "id=\"quota\"",
            "data-kind=\"ceb_inventory_accepted\"",
            "data-kind=\"ceb_waybill_received\"",
            "id=\"release-form\"",
            "id=\"detain-form\"",
            "id=\"return-form\"",
        ] {
            assert!(p.body.contains(part), "{part} missing from the officer's page");
        }
        assert!(!p.body.contains("110101199003071234"), "the identity number is masked");
        assert!(!p.body.contains("id=\"confirm-identity-theft-form\""), "not a held list");

        // Steps need the session's CSRF token.
        let before = app.store.count("journal").await.unwrap();
        let p = officer.post(&format!("/ceb/inventories/{}/release", ids[0]), &[("note", "goods conform"), ("csrf", "forged")]).await;
        assert_eq!(p.status, 403);
        assert!(p.body.contains("表单已失效"), "{}", p.body);
        let p = officer.post(&format!("/ceb/inventories/{}/release", ids[0]), &[("note", "goods conform")]).await;
        assert_eq!(p.status, 403);
        assert_eq!(app.store.count("journal").await.unwrap(), before, "nothing was written");
        assert_eq!(status(&app, &ids[0]).await, InventoryStatus::Inspection);

        // Refusals come back beside their form, titled by it, each error under its field's label.
        let csrf = officer.csrf().await;
        let p = officer.post(&format!("/ceb/inventories/{}/release", ids[0]), &[("note", "  "), ("csrf", &csrf)]).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("id=\"refusal\"") && p.body.contains("<strong>未能放行</strong>"), "{}", p.body);
        assert!(p.body.contains("data-field=\"note\"") && !p.body.contains("<code>note</code>"), "labelled, not a raw path");
        let p = officer.post(&format!("/ceb/inventories/{}/detain", ids[1]), &[("code", "600"), ("reason", "x"), ("csrf", &csrf)]).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("data-field=\"code\""), "{}", p.body);
        let p = officer.post(&format!("/ceb/inventories/{}/clear-identity", ids[1]), &[("note", "x"), ("csrf", &csrf)]).await;
        assert_eq!(p.status, 409, "the list is not held: {}", p.body);
        assert_eq!(officer.post(&format!("/ceb/inventories/{}/approve", ids[1]), &[("csrf", &csrf)]).await.status, 404);

        // Released.
        let p = officer.post(&format!("/ceb/inventories/{}/release", ids[0]), &[("note", "goods conform"), ("csrf", &csrf)]).await;
        assert_eq!((p.status, p.location()), (303, format!("/ceb/inventories/{}?msg=release", ids[0]).as_str()), "{}", p.body);
        assert_eq!(status(&app, &ids[0]).await, InventoryStatus::Released);
        let (_, api) = app.get(&format!("/api/v1/ceb/inventories/{}", ids[0]), "officer").await;
        assert_eq!(api["returnStatus"], "800");
        let p = officer.get(&format!("/ceb/inventories/{}?msg=release", ids[0])).await;
        assert!(p.body.contains("id=\"flash\"") && p.body.contains("data-kind=\"ceb_inventory_released\""));
        assert!(!p.body.contains("id=\"actions\""), "nothing more to do");

        // The held list: why it was held, and the verdict.
        let p = officer.get(&format!("/ceb/inventories/{}", ids[2])).await;
        assert!(
            p.body.contains("id=\"suspicion\"")
                && p.body.contains("id=\"confirm-identity-theft-form\"")
                && p.body.contains("id=\"clear-identity-form\"")
        );
        let p = officer
            .post(
                &format!("/ceb/inventories/{}/confirm-identity-theft", ids[2]),
                &[("note", "the buyer reported the theft"), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(status(&app, &ids[2]).await, InventoryStatus::Rejected);
        let (_, api) = app.get(&format!("/api/v1/ceb/inventories/{}", ids[2]), "officer").await;
        assert_eq!(api["returnStatus"], "100");
        let p = officer.get(&format!("/ceb/inventories/{}", ids[2])).await;
        assert!(
            p.body.contains("id=\"reasons\"") && p.body.contains("<code>InventoryHead/buyerIdNumber</code>"),
            "the reason with its path"
        );
        assert!(p.body.contains("data-kind=\"ceb_identity_theft_confirmed\""));

        let p = officer.get("/ceb/inventories").await;
        assert_eq!((tab_count(&p.body, "inspection"), tab_count(&p.body, "manual-review")), ("1".into(), "1".into()));
        assert_eq!((tab_count(&p.body, "released"), tab_count(&p.body, "rejected")), ("1".into(), "1".into()));
        assert!(app.store.verify().await.unwrap().first_break.is_none());
        assert_views_match(&app.store).await;
    }
}

async fn statuses(app: &TestApp, ids: &[String]) -> Vec<InventoryStatus> {
    let mut out = Vec::new();
    for id in ids {
        out.push(status(app, id).await);
    }
    out
}

#[tokio::test]
async fn an_enterprise_sees_its_own_lists_and_guarantees_but_not_the_criteria_nor_another_enterprises_lists() {
    let app = app(guomen_store::Engine::Sqlite).await;
    let ids = parcels(&app).await;
    let mut platform = Visitor::signed_in(&app, "platform").await;
    let p = platform.get("/ceb/inventories").await;
    assert_eq!(p.status, 200);
    for id in &ids {
        assert!(p.body.contains(&format!("data-id=\"{id}\"")), "the platform's list {id}");
    }
    assert!(p.body.contains("id=\"guarantees\""), "{}", p.body);
    let p = platform.get(&format!("/ceb/inventories/{}", ids[0])).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("id=\"tax-total\"") && p.body.contains("data-kind=\"ceb_inventory_accepted\""));
    assert!(p.body.contains("lane-red"), "the lane is shown");
    assert!(!p.body.contains("CBEC-COSMETICS") && !p.body.contains("id=\"risk\""), "no targeting criteria for traders");
    assert!(!p.body.contains("id=\"actions\"") && !p.body.contains("<form method=\"post\" action=\"/ceb/"), "no officer's steps");
    let p = platform.get(&format!("/ceb/inventories/{}", ids[2])).await;
    assert!(p.body.contains("id=\"suspicion\"") && !p.body.contains("id=\"confirm-identity-theft-form\""));
    // The officer's step is refused for its role, even with a valid token.
    let csrf = platform.csrf().await;
    let p = platform.post(&format!("/ceb/inventories/{}/release", ids[0]), &[("note", "mine"), ("csrf", &csrf)]).await;
    assert_eq!(p.status, 403);
    assert_eq!(status(&app, &ids[0]).await, InventoryStatus::Inspection);

    // The e-commerce enterprise holds the guarantee the tax is reserved against.
    let mut shop = Visitor::signed_in(&app, "shop").await;
    let p = shop.get("/ceb/inventories").await;
    let (_, g) = app.get("/api/v1/ceb/guarantees", "ecommerce").await;
    assert!(p.body.contains(&format!("data-guarantee=\"{ECOMMERCE}\"")), "{}", p.body);
    let left = g[0]["left"].as_str().unwrap();
    assert!(p.body.contains(&format!("data-left>{left}<")), "left {left}: {}", p.body);

    // Another enterprise: not listed, not found, as in the API.
    let mut trader = Visitor::signed_in(&app, "trader").await;
    let p = trader.get("/ceb/inventories").await;
    assert_eq!(p.status, 200);
    assert!(!p.body.contains(&ids[0]) && p.body.contains("id=\"guarantees\""));
    assert_eq!(tab_count(&p.body, "all"), "0");
    let p = trader.get(&format!("/ceb/inventories/{}", ids[0])).await;
    assert_eq!(p.status, 404);
    assert!(!p.body.contains("北京市朝阳区"));
    assert_eq!(app.get(&format!("/api/v1/ceb/inventories/{}", ids[0]), "declarant").await.0, 404, "the API agrees");
    assert_eq!(trader.get("/ceb/inventories/000000000000000000").await.status, 404);
    // Roles without these pages.
    let mut terminal = Visitor::signed_in(&app, "terminal").await;
    assert_eq!(terminal.get("/ceb/inventories").await.status, 403);
}

#[tokio::test]
async fn the_lists_and_a_list_render_in_english() {
    let app = app(guomen_store::Engine::Sqlite).await;
    let ids = parcels(&app).await;
    let mut officer = Visitor::signed_in(&app, "officer").await;
    let p = officer.get("/ceb/inventories?lang=en").await;
    assert!(p.body.contains("<html lang=\"en\">"));
    for part in [
        "<h1>Cross-border inventory lists</h1>",
        "Oldest first",
        "Inventory list",
        "E-commerce enterprise",
        "inspection <small>500</small>",
    ] {
        assert!(p.body.contains(part), "{part} missing");
    }
    for zh in ["跨境电商清单", "清单编号", "已等待", "查验 <small>"] {
        assert!(!p.body.contains(zh), "{zh} in the English page");
    }
    let p = officer.get(&format!("/ceb/inventories/{}", ids[2])).await;
    for part in [
        "Suspected identity theft",
        "Confirm identity theft",
        "Buyer&#39;s identity",
        "Timeline",
        "The buyer&#39;s annual quota",
        "manual review",
    ] {
        assert!(p.body.contains(part), "{part} missing");
    }
    for zh in ["疑似身份冒用", "认定身份冒用", "时间线", "订购人证件"] {
        assert!(!p.body.contains(zh), "{zh} in the English page");
    }
    let p = officer.get(&format!("/ceb/inventories/{}", ids[0])).await;
    assert!(p.body.contains("Tax bill (CNY)") && p.body.contains("Risk explanation") && p.body.contains("Send back"));
}

#[tokio::test]
async fn open_lists_page_oldest_first_and_finished_counts_stop_at_the_cap() {
    for engine in engines() {
        let app = app(engine).await;
        let ids = parcels(&app).await;
        let page = |after: Option<(i64, String)>| InventoryFilter {
            status: Some("manual-review".into()),
            oldest_first: true,
            after,
            limit: 1,
            ..Default::default()
        };
        let one = app.store.ceb_inventories(&page(None)).await.unwrap();
        assert_eq!(one.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [ids[2].as_str()]);
        let two = app.store.ceb_inventories(&page(Some((one[0].received_at_ms, one[0].id.clone())))).await.unwrap();
        assert_eq!(two.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [ids[3].as_str()]);
        let newest = app.store.ceb_inventories(&InventoryFilter { limit: 1, ..Default::default() }).await.unwrap();
        assert_eq!(newest[0].id, ids[3], "newest first without the flag");
        // Release two to have finished lists; a cap of one marks their count as a lower bound.
        let mut officer = Visitor::signed_in(&app, "officer").await;
        let csrf = officer.csrf().await;
        for id in &ids[..2] {
            let p = officer.post(&format!("/ceb/inventories/{id}/release"), &[("note", "ok"), ("csrf", &csrf)]).await;
            assert_eq!(p.status, 303, "{}", p.body);
        }
        let counts = app.store.ceb_status_counts(None, 1).await.unwrap();
        let get = |s: &str| counts.iter().find(|c| c.status == s).map(|c| (c.count, c.at_least));
        assert_eq!(get("manual-review"), Some((2, false)), "open lists are counted exactly");
        assert_eq!(get("released"), Some((1, true)));
        let exact = app.store.ceb_status_counts(Some(PLATFORM), 100).await.unwrap();
        assert_eq!(exact.iter().find(|c| c.status == "released").map(|c| (c.count, c.at_least)), Some((2, false)));
        assert!(app.store.ceb_status_counts(Some("6201960001"), 100).await.unwrap().is_empty(), "none of another enterprise's");
    }
}
