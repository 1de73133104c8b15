//! Cross-border e-commerce after the decision: the identity-theft guard, inspection and the
//! officer's steps, guarantees and tax, cancellations, returns and departures, the buyer's own
//! query, and the operator's file import.

use crate::ceb_support::*;
use crate::helpers::{assert_views_match, engines, TestApp};
use guomen_messages::ceb::compose::{self, Transfer};
use serde_json::json;

async fn app(engine: guomen_store::Engine) -> TestApp {
    let mut app = TestApp::spawn(engine).await;
    set_up(&mut app).await;
    app
}

async fn send_all(app: &TestApp, p: &Parcel) -> String {
    let mut last = String::new();
    for (xml, who) in p.messages() {
        let (s, body, _) = post_xml(app, who, &xml).await;
        assert_eq!(s, 200, "{body}");
        last = body;
    }
    last
}

async fn publish(app: &TestApp, rules: serde_json::Value) {
    let (s, body) = app
        .send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&json!({"reason": "cross-border e-commerce targeting", "rules": rules})))
        .await;
    assert_eq!(s, 200, "{body}");
}

fn transfer() -> Transfer {
    Transfer { cop_code: ECOMMERCE.into(), cop_name: "示例电商企业".into(), dxp_id: "DXPENT0000000001".into() }
}

#[tokio::test]
async fn identity_theft_is_held_then_confirmed_or_cleared() {
    for engine in engines() {
        let app = app(engine).await;
        publish(&app, json!({"min_random_percent": "0", "identity_guard": {"window_days": 30, "max_addresses": 2, "max_phones": 5}})).await;
        let buyer = "440106198805051234";
        let mut receipts = Vec::new();
        for n in 0..4u64 {
            let mut p = Parcel::new(600 + n, buyer);
            p.inventory.consignee_address = format!("广州市天河区某路{n}号");
            receipts.push((p.clone(), send_all(&app, &p).await));
        }
        let statuses: Vec<String> = receipts.iter().map(|(_, r)| first(r, "returnStatus")).collect();
        assert_eq!(statuses, ["800", "800", "300", "300"], "the third address trips the guard");
        assert!(first(&receipts[2].1, "returnInfo").contains("身份冒用"));
        // The sender learns that the list is held, not the guard's window or limits.
        let info = first(&receipts[2].1, "returnInfo");
        assert!(!info.contains("上限") && !info.contains("limits") && !info.contains("30"), "{info}");
        let id = |r: &str| first(r, "invtNo");
        for who in ["platform", "ecommerce"] {
            for r in [&receipts[0].1, &receipts[2].1] {
                let (s, body) = app.get(&format!("/api/v1/ceb/inventories/{}", id(r)), who).await;
                assert_eq!(s, 200, "{body}");
                assert_eq!(guomen_api::targeting_member(&body), None, "{who} sees targeting: {body}");
                assert!(!body.to_string().contains("上限"), "{body}");
            }
            let (_, notices) = app.get("/api/v1/notices", who).await;
            assert_eq!(guomen_api::targeting_member(&notices), None, "{notices}");
        }
        let (_, released) = app.get(&format!("/api/v1/ceb/inventories/{}", id(&receipts[0].1)), "platform").await;
        assert_eq!(released["lane"], "green", "an enterprise sees the lane: {released}");
        for who in ["officer", "risk-analyst", "admin"] {
            let (_, held) = app.get(&format!("/api/v1/ceb/inventories/{}", id(&receipts[2].1)), who).await;
            assert_eq!(held["suspicion"]["max_addresses"], 2, "{who}: {held}");
            let (_, released) = app.get(&format!("/api/v1/ceb/inventories/{}", id(&receipts[0].1)), who).await;
            assert!(released["acceptance"]["decision"]["random"].is_object(), "{who}: {released}");
        }
        let year = guomen_domain::ceb::quota::china_year(time::OffsetDateTime::now_utc());
        let key = format!("1:{buyer}");
        let l = app.store.ceb_ledger(&key, year).await.unwrap();
        assert_eq!((l.used, l.reserved), (d("1400"), d("1400")), "held inventories keep their quota reserved");

        let (s, body) = app
            .post(
                &format!("/api/v1/ceb/inventories/{}/confirm-identity-theft", id(&receipts[2].1)),
                "officer",
                &json!({"note": "the buyer reported the theft"}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["returnStatus"], "100");
        let (s, body) = app
            .post(
                &format!("/api/v1/ceb/inventories/{}/clear-identity", id(&receipts[3].1)),
                "officer",
                &json!({"note": "verified with the buyer by telephone"}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["returnStatus"], "800", "{body}");
        let l = app.store.ceb_ledger(&key, year).await.unwrap();
        assert_eq!((l.used, l.reserved), (d("2100"), d("0")), "theft gave 700 back, clearing released 700");
        // A terminal may not judge; a second verdict on the same list is refused.
        assert_eq!(
            app.post(&format!("/api/v1/ceb/inventories/{}/clear-identity", id(&receipts[2].1)), "terminal", &json!({"note": "x"})).await.0,
            403
        );
        assert_eq!(
            app.post(&format!("/api/v1/ceb/inventories/{}/clear-identity", id(&receipts[2].1)), "officer", &json!({"note": "x"})).await.0,
            409
        );
        // The sender was told of both verdicts.
        let (_, notices) = app.get("/api/v1/notices", "ecommerce").await;
        assert!(notices.to_string().contains(&id(&receipts[3].1)), "{notices}");
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn inspection_then_release_or_detention_and_return() {
    for engine in engines() {
        let app = app(engine).await;
        publish(
            &app,
            json!({"min_random_percent": "0", "criteria": [{
                "id": "CBEC-COSMETICS", "description": "cross-border cosmetics: examine every parcel",
                "when": {"hs_prefixes": ["3304"], "trade_modes": ["9610"]}, "lane": "red", "rate_percent": "100"
            }]}),
        )
        .await;
        let p1 = Parcel::new(700, "110101199003070011");
        let p2 = Parcel::new(701, "110101199003070022");
        let r1 = send_all(&app, &p1).await;
        let r2 = send_all(&app, &p2).await;
        assert_eq!((first(&r1, "returnStatus"), first(&r2, "returnStatus")), ("500".into(), "500".into()));
        let (id1, id2) = (first(&r1, "invtNo"), first(&r2, "invtNo"));
        let (_, detail) = app.get(&format!("/api/v1/ceb/inventories/{id1}"), "officer").await;
        let hit = &detail["acceptance"]["decision"]["hits"][0];
        assert_eq!(hit["criterion"], "CBEC-COSMETICS");
        assert!(hit["reasons"].to_string().contains("3304990099"), "{hit}");

        let (s, body) = app.post(&format!("/api/v1/ceb/inventories/{id1}/release"), "officer", &json!({"note": "goods conform"})).await;
        assert_eq!((s, body["returnStatus"].as_str()), (200, Some("800")), "{body}");
        assert_eq!(
            app.post(&format!("/api/v1/ceb/inventories/{id2}/detain"), "officer", &json!({"code": 600, "reason": "x"})).await.0,
            422
        );
        let (s, body) = app
            .post(&format!("/api/v1/ceb/inventories/{id2}/detain"), "officer", &json!({"code": 502, "reason": "counterfeit cosmetics"}))
            .await;
        assert_eq!((s, body["returnStatus"].as_str()), (200, Some("502")), "{body}");
        let (s, body) =
            app.post(&format!("/api/v1/ceb/inventories/{id2}/return"), "officer", &json!({"reason": "sent back to the supplier"})).await;
        assert_eq!((s, body["returnStatus"].as_str()), (200, Some("700")), "{body}");
        let year = guomen_domain::ceb::quota::china_year(time::OffsetDateTime::now_utc());
        let l = app.store.ceb_ledger("1:110101199003070022", year).await.unwrap();
        assert_eq!((l.used, l.reserved), (d("0"), d("0")), "a return gives the quota back");
        // The criterion's figures count the inventories too.
        let (hits, selected) = app.store.criterion_counts("CBEC-COSMETICS").await.unwrap();
        assert_eq!((hits, selected), (2, 2));
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn tax_is_reserved_against_the_guarantee_and_restored_on_payment() {
    for engine in engines() {
        let app = app(engine).await;
        let p = Parcel::new(800, "110101199003070033");
        let r = send_all(&app, &p).await;
        assert_eq!(first(&r, "returnStatus"), "800", "{r}");
        let id = first(&r, "invtNo");
        let (_, detail) = app.get(&format!("/api/v1/ceb/inventories/{id}"), "ecommerce").await;
        let tax: rust_decimal::Decimal = detail["acceptance"]["tax"]["total"].as_str().unwrap().parse().unwrap();
        assert!(tax > d("0"));
        let (_, g) = app.get("/api/v1/ceb/guarantees", "ecommerce").await;
        assert_eq!(g[0]["reserved"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), tax, "{g}");
        // Another enterprise cannot pay it, or see it.
        assert_eq!(app.post("/api/v1/ceb/tax-payments", "platform", &json!({"guarantee": ECOMMERCE, "inventories": [id]})).await.0, 403);
        assert_eq!(app.get(&format!("/api/v1/ceb/inventories/{id}"), "declarant").await.0, 404);
        let (s, g) = app.post("/api/v1/ceb/tax-payments", "ecommerce", &json!({"inventories": [id]})).await;
        assert_eq!(s, 200, "{g}");
        assert_eq!(g["reserved"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), d("0"));
        assert_eq!(app.post("/api/v1/ceb/tax-payments", "ecommerce", &json!({"inventories": [id]})).await.0, 409, "paid twice");
        // A guarantee too small for the tax rejects the list.
        guarantee(&app, PLATFORM, "1").await;
        let mut q = Parcel::new(801, "110101199003070044");
        q.inventory.assure_code = PLATFORM.into();
        let r = send_all(&app, &q).await;
        assert_eq!(first(&r, "returnStatus"), "100");
        assert!(first(&r, "returnInfo").contains("InventoryHead/assureCode"), "{r}");
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn cancellation_return_and_departure_follow_the_parcel() {
    for engine in engines() {
        let app = app(engine).await;
        let buyer = "110101199003070055";
        let year = guomen_domain::ceb::quota::china_year(time::OffsetDateTime::now_utc());
        let key = format!("1:{buyer}");
        let (p1, p2, p3) = (Parcel::new(900, buyer), Parcel::new(901, buyer), Parcel::new(902, buyer));
        let mut invt = Vec::new();
        for p in [&p1, &p2, &p3] {
            invt.push(first(&send_all(&app, p).await, "invtNo"));
        }
        assert_eq!(app.store.ceb_ledger(&key, year).await.unwrap().used, d("2100"));

        // CEB623: p1 cancelled before it left.
        let c = compose::cancel_for(&p1.inventory, &invt[0], &guid(623, 1), "20261201100000", "买家取消订单");
        let (s, body, _) = post_xml(&app, "ecommerce", &compose::ceb623(&guid(623, 1), &[c], &transfer())).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(first(&body, "returnStatus"), "399", "{body}");
        xsd_valid(&body, "2018").unwrap();
        assert_eq!(app.store.ceb_ledger(&key, year).await.unwrap().used, d("1400"));

        // CEB711: p2 and p3 leave; a cancelled parcel cannot.
        let bad = compose::ceb711(
            &guid(711, 1),
            "5141",
            "RKD0001",
            (CARRIER, "示例物流"),
            (CARRIER, "示例物流"),
            "BILL1",
            &[&p1.inventory.logistics_no, &p2.inventory.logistics_no],
            "20261201110000",
            &transfer(),
        );
        let (_, body, _) = post_xml(&app, "carrier", &bad).await;
        assert_eq!(first(&body, "returnStatus"), "100", "{body}");
        let good = compose::ceb711(
            &guid(711, 2),
            "5141",
            "RKD0002",
            (CARRIER, "示例物流"),
            (CARRIER, "示例物流"),
            "BILL1",
            &[&p2.inventory.logistics_no, &p3.inventory.logistics_no],
            "20261201110000",
            &transfer(),
        );
        let (_, body, _) = post_xml(&app, "carrier", &good).await;
        assert_eq!(first(&body, "returnStatus"), "399", "{body}");
        xsd_valid(&body, "2018").unwrap();
        let (_, d2) = app.get(&format!("/api/v1/ceb/inventories/{}", invt[1]), "officer").await;
        assert_eq!(d2["returnStatus"], "899");

        // CEB625: one tin of formula of p3 comes back, then the rest.
        let r = compose::cancel_for(&p3.inventory, &invt[2], &guid(625, 1), "20261202100000", "商品破损");
        let xml = compose::ceb625(&guid(625, 1), &[(r.clone(), vec![(1, d("1"))])], &[&p3.inventory], &transfer());
        let (_, body, _) = post_xml(&app, "ecommerce", &xml).await;
        assert_eq!(first(&body, "returnStatus"), "399", "{body}");
        xsd_valid(&body, "2018").unwrap();
        let used = app.store.ceb_ledger(&key, year).await.unwrap().used;
        assert!(used < d("1400") && used > d("1200"), "{used}");
        let xml = compose::ceb625(&guid(625, 2), &[(r, vec![(1, d("1")), (2, d("1"))])], &[&p3.inventory], &transfer());
        let (_, body, _) = post_xml(&app, "ecommerce", &xml).await;
        assert_eq!(first(&body, "returnStatus"), "399", "{body}");
        assert_eq!(app.store.ceb_ledger(&key, year).await.unwrap().used, d("700"), "only p2 still counts");
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn a_buyer_sees_their_own_parcel_and_nobody_elses() {
    for engine in engines() {
        let app = app(engine).await;
        let buyer = "110101199003070066";
        let p = Parcel::new(1000, buyer);
        send_all(&app, &p).await;
        use crate::visitor::urlencode;
        let name = urlencode(&p.inventory.buyer_name);
        for number in [&p.inventory.order_no, &p.inventory.logistics_no] {
            let (s, body) =
                app.send("GET", &format!("/api/v1/ceb/parcels?number={number}&buyerIdNumber={buyer}&buyerName={name}"), None, None).await;
            assert_eq!(s, 200, "{body}");
            assert_eq!(body["status"], "released");
            assert!(body["tax"]["total"].as_str().is_some(), "{body}");
        }
        // The number, the identity and the name must all match; any mismatch is the same 404.
        for query in [
            format!("number={}&buyerIdNumber=110101199003079999&buyerName={name}", p.inventory.order_no),
            format!("number={}&buyerIdNumber={buyer}&buyerName={}", p.inventory.order_no, urlencode("李四")),
            format!("number=ORD-NONE&buyerIdNumber={buyer}&buyerName={name}"),
        ] {
            let (s, body) = app.send("GET", &format!("/api/v1/ceb/parcels?{query}"), None, None).await;
            assert_eq!(s, 404, "{query}: {body}");
        }
        let (s, body) = app.send("GET", "/api/v1/ceb/parcels?number=x", None, None).await;
        assert_eq!(s, 400, "{body}");
        let (s, body) =
            app.send("GET", &format!("/api/v1/ceb/parcels?number={}&buyerIdNumber={buyer}", p.inventory.order_no), None, None).await;
        assert_eq!(s, 400, "the buyer's name is required: {body}");
    }
}

#[tokio::test]
async fn bad_messages_are_refused_clearly_and_change_nothing() {
    for engine in engines() {
        let app = app(engine).await;
        let journal = app.store.count("journal").await.unwrap();
        let p = Parcel::new(1100, "110101199003070077");
        let raw = |who: &'static str, ct: &'static str, body: Vec<u8>| {
            let app = &app;
            async move {
                let res = app
                    .http
                    .post(app.url("/api/v1/ceb"))
                    .bearer_auth(&app.tokens[who])
                    .header("content-type", ct)
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                (status, res.text().await.unwrap())
            }
        };
        let (s, b) =
            raw("ecommerce", "application/xml", b"<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><unclosed>".to_vec())
                .await;
        assert_eq!(s, 400, "{b}");
        assert!(b.contains("\"path\""), "{b}");
        let wrong_ns = p.inventory_xml().replace("http://www.chinaport.gov.cn/ceb", "urn:other");
        assert_eq!(raw("ecommerce", "application/xml", wrong_ns.into_bytes()).await.0, 400);
        assert_eq!(raw("ecommerce", "application/json", b"{}".to_vec()).await.0, 415);
        let mut big = p.inventory_xml().into_bytes();
        big.extend(std::iter::repeat_n(b' ', 9 * 1024 * 1024));
        assert_eq!(raw("ecommerce", "application/xml", big).await.0, 413);
        // Breaks the schema: 422 with the negative-status receipt inside.
        let broken = p.order_xml().replace("<ceb:currency>142</ceb:currency>", "<ceb:currency>CNY</ceb:currency>");
        let (s, b) = raw("platform", "application/xml", broken.into_bytes()).await;
        assert_eq!(s, 422, "{b}");
        let problem: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert_eq!(problem["returnStatus"], "-1");
        assert!(problem["errors"].to_string().contains("currency"), "{b}");
        let receipt = problem["receipt"].as_str().expect("a negative receipt");
        assert_eq!(first(receipt, "returnStatus"), "-1");
        xsd_valid(receipt, "2018").unwrap();
        // A firm the document does not name may not send it.
        let (s, b) = raw("carrier", "application/xml", p.order_xml().into_bytes()).await;
        assert_eq!(s, 403, "{b}");
        assert!(b.contains("Order[0]/OrderHead"), "{b}");
        assert_eq!(app.store.count("journal").await.unwrap(), journal, "nothing was journaled");
        assert_eq!(app.store.count("ceb_messages").await.unwrap(), 0, "nothing was answered");
        // A flood of one buyer is cut off at 60 inventory lists a minute; others go on.
        let flood = "110101199003070088";
        let mut codes = Vec::new();
        for n in 0..61u64 {
            let mut q = Parcel::new(1200 + n, flood);
            q.inventory.guid = guid(621, 1200 + n);
            codes.push(post_xml(&app, "ecommerce", &q.inventory_xml()).await.0);
        }
        assert_eq!(codes.iter().filter(|c| **c == 200).count(), 60);
        assert_eq!(*codes.last().unwrap(), 429);
        assert_eq!(post_xml(&app, "ecommerce", &Parcel::new(1300, "110101199003070099").inventory_xml()).await.0, 200);
        assert_eq!(app.get("/healthz", "officer").await.0, 200, "the service stays up");
    }
}

#[tokio::test]
async fn guomen_ceb_import_writes_a_receipt_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("receipts");
    let p = Parcel::new(1400, "110101199003070100");
    let mut files = Vec::new();
    for (i, (xml, _)) in p.messages().iter().enumerate() {
        let f = dir.path().join(format!("m{i}.xml"));
        std::fs::write(&f, xml).unwrap();
        files.push(f);
    }
    let bin = env!("CARGO_BIN_EXE_guomen");
    let ok = std::process::Command::new(bin)
        .args(["guarantee", "add", "--data"])
        .arg(&data)
        .args(["--enterprise", ECOMMERCE, "--amount", "5000"])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    // One at a time, so the inventory list (the last file) finds its documents already there.
    let run = |extra: &[std::path::PathBuf]| {
        std::process::Command::new(bin)
            .args(["ceb", "import", "--concurrency", "1", "--data"])
            .arg(&data)
            .arg("--receipts")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let r = run(&files);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    for i in 0..4 {
        let receipt = std::fs::read_to_string(out.join(format!("m{i}.receipt.xml"))).unwrap();
        xsd_valid(&receipt, "2018").unwrap();
        if i == 3 {
            assert_eq!(first(&receipt, "returnStatus"), "800", "{receipt}");
        }
    }
    let junk = dir.path().join("junk.xml");
    std::fs::write(&junk, "not xml at all").unwrap();
    let r = run(&[junk]);
    assert_eq!(r.status.code(), Some(1), "an unreadable message fails the run");
    assert!(out.join("junk.problem.json").exists());
}

#[tokio::test]
async fn waiting_lists_documents_and_answers_survive_a_restart() {
    use guomen_service::ceb::{process, Sender};
    for engine in engines() {
        let dir = tempfile::tempdir().unwrap();
        let loc = crate::helpers::fresh_location(engine, dir.path()).await;
        let p = Parcel::new(1500, "110101199003070111");
        let msgs = p.messages();
        let admin = crate::helpers::admin();
        let first_answer = {
            let store = guomen_store::Store::open(&loc).await.unwrap();
            guarantee_on(&store).await;
            process(&store, None, &admin, Sender::Operator, msgs[0].0.as_bytes(), 1).await.unwrap();
            let inv = process(&store, None, &admin, Sender::Operator, msgs[3].0.as_bytes(), 1).await.unwrap();
            assert_eq!(inv.answers[0].status, "120");
            inv.receipt
        };
        // Reopened: the order and the waiting list are still there.
        let store = open_again(&loc).await;
        let replay = process(&store, None, &admin, Sender::Operator, msgs[3].0.as_bytes(), 1).await.unwrap();
        assert!(replay.replayed);
        assert_eq!(replay.receipt, first_answer);
        process(&store, None, &admin, Sender::Operator, msgs[1].0.as_bytes(), 1).await.unwrap();
        process(&store, None, &admin, Sender::Operator, msgs[2].0.as_bytes(), 1).await.unwrap();
        let id = replay.answers[0].invt_no.clone().unwrap();
        let rec = store.ceb_inventory(&id).await.unwrap().unwrap();
        assert_eq!(rec.status.return_status(), "800", "decided when the waybill arrived after the restart");
        // A new message with the same order is still known as a duplicate.
        let mut again = p.clone();
        again.order.guid = guid(311, 99_1500);
        let dup = process(&store, None, &admin, Sender::Operator, again.order_xml().as_bytes(), 1).await.unwrap();
        assert_eq!(dup.answers[0].status, "100");
        drop(store);
        let store = open_again(&loc).await;
        assert!(store.verify().await.unwrap().first_break.is_none());
        assert_views_match(&store).await;
    }
}

async fn guarantee_on(store: &guomen_store::Store) {
    use guomen_store::ceb::CebCommand;
    store
        .execute(
            crate::helpers::admin(),
            guomen_store::Command::Ceb(CebCommand::AddGuarantee { code: ECOMMERCE.into(), kind: Default::default(), amount: d("100000") }),
        )
        .await
        .unwrap();
}

/// Opens a store again; a PostgreSQL writer lock may linger for a moment after the last close.
async fn open_again(loc: &guomen_store::Location) -> guomen_store::Store {
    for _ in 0..100 {
        match guomen_store::Store::open(loc).await {
            Ok(s) => return s,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    guomen_store::Store::open(loc).await.unwrap()
}

#[tokio::test]
async fn documents_that_waited_long_are_let_go_and_read_back_for_their_inventory() {
    use guomen_service::ceb::{process, process_at, Sender};
    for engine in engines() {
        let dir = tempfile::tempdir().unwrap();
        let loc = crate::helpers::fresh_location(engine, dir.path()).await;
        let admin = crate::helpers::admin();
        let p = Parcel::new(1600, "110101199003070122");
        let msgs = p.messages();
        let long_ago = time::OffsetDateTime::now_utc() - time::Duration::days(45);
        {
            let store = guomen_store::Store::open(&loc).await.unwrap();
            guarantee_on(&store).await;
            for (xml, _) in &msgs[..3] {
                let a = process_at(&store, None, &admin, Sender::Operator, xml.as_bytes(), 1, Some(long_ago)).await.unwrap();
                assert_eq!(a.answers[0].status, "120");
            }
            // A later batch lets them go (they are older than 30 days) and moves the counter on.
            guarantee_on(&store).await;
            let from: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'ceb:pending_from'")
                .fetch_one(store.read_pool())
                .await
                .unwrap();
            let last: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM journal").fetch_one(store.read_pool()).await.unwrap();
            assert!(from > last - 1, "nothing pending: rebuilding starts past the journal ({from} vs {last})");
        }
        let store = open_again(&loc).await;
        let inv = process(&store, None, &admin, Sender::Operator, msgs[3].0.as_bytes(), 1).await.unwrap();
        assert_eq!(inv.answers[0].status, "800", "{:?}", inv.answers);
        // Used now: a change to the order is refused.
        let mut changed = p.clone();
        changed.order.guid = guid(311, 16_001);
        changed.order.app_type = guomen_domain::ceb::AppType::Change;
        let a = process(&store, None, &admin, Sender::Operator, changed.order_xml().as_bytes(), 1).await.unwrap();
        assert_eq!(a.answers[0].status, "100");
        assert!(a.answers[0].info.contains("已被审结"), "{:?}", a.answers);
        assert_views_match(&store).await;
    }
}
