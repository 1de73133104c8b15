//! Cross-border e-commerce over HTTP: the official samples, the three-document check in any
//! order, disagreements, re-sent messages, quota under concurrency and across the year
//! boundary, the identity-theft guard, inspection, guarantees, the buyer's query, bad input.

use crate::ceb_support::*;
use crate::helpers::{assert_views_match, engines, TestApp};
use guomen_domain::ceb::Ledger;
use guomen_service::ceb::{process, Sender};
use guomen_store::ceb::{CebCommand, CebDocuments, Submission};
use guomen_store::{Command, Outcome};
use serde_json::json;

const BUYER: &str = "11010119900307123X";

async fn app(engine: guomen_store::Engine) -> TestApp {
    let mut app = TestApp::spawn(engine).await;
    set_up(&mut app).await;
    app
}

async fn inventory_status(app: &TestApp, p: &Parcel) -> (String, serde_json::Value) {
    let (s, list) = app.get("/api/v1/ceb/inventories?limit=500", "officer").await;
    assert_eq!(s, 200, "{list}");
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["order_no"] == p.inventory.order_no)
        .cloned()
        .unwrap_or_else(|| panic!("no inventory for {} in {list}", p.inventory.order_no));
    let id = item["id"].as_str().unwrap().to_owned();
    let (s, detail) = app.get(&format!("/api/v1/ceb/inventories/{id}"), "officer").await;
    assert_eq!(s, 200, "{detail}");
    (detail["returnStatus"].as_str().unwrap().to_owned(), detail)
}

/// The other sample files are what customs sends (receipts CEB312/412/512/622/624/626/712) or
/// the logistics status messages CEB513/514 that go to the platform: a customs node does not
/// take them in, and says so.
#[tokio::test]
async fn every_other_official_sample_is_refused_as_not_for_customs() {
    let app = app(guomen_store::Engine::Sqlite).await;
    for version in ["2018", "2022-05"] {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/ceb/{version}/samples/import"));
        let mut refused = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if ["CEB311", "CEB411", "CEB511", "CEB621", "CEB623", "CEB625", "CEB711"].iter().any(|k| name.starts_with(k)) {
                continue;
            }
            let xml = std::fs::read(&path).unwrap();
            match process(&app.store, None, &crate::helpers::admin(), Sender::Operator, &xml, 7).await {
                Err(guomen_service::Failure::Refused(r) | guomen_service::Failure::RefusedWith(r, _)) => {
                    assert_eq!(r.errors[0].rule, guomen_domain::Rule::WrongRoot, "{name}: {r:?}");
                    assert!(r.detail_en.contains("not a message customs accepts"), "{name}: {}", r.detail_en);
                    refused += 1;
                }
                other => panic!("{name}: expected a refusal, got {:?}", other.map(|p| p.answers)),
            }
        }
        assert_eq!(refused, 9, "{version}: the seven receipts and CEB513/514");
    }
}

#[tokio::test]
async fn official_samples_are_answered_with_receipts_valid_against_both_xsds() {
    for engine in engines() {
        let app = app(engine).await;
        for version in ["2018", "2022-05"] {
            for name in ["CEB311", "CEB411", "CEB511", "CEB621", "CEB623", "CEB625", "CEB711"] {
                let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join(format!("../../data/ceb/{version}/samples/import/{name}Message.xml"));
                let xml = std::fs::read(&path).unwrap();
                // The samples name firms that are not registered here: an operator's import.
                let p = process(&app.store, None, &crate::helpers::admin(), Sender::Operator, &xml, 7)
                    .await
                    .unwrap_or_else(|e| panic!("{name} {version}: {e:?}"));
                for v in ["2018", "2022-05"] {
                    xsd_valid(&p.receipt, v).unwrap_or_else(|e| panic!("{name} ({version}) receipt against {v}: {e}\n{}", p.receipt));
                }
                for a in &p.answers {
                    // Each document is accepted (120: waiting, the samples' documents belong to
                    // different orders) or refused with a documented reason: a draft
                    // (appStatus 1), a duplicate of the other version's sample, or a
                    // cancellation, return or departure of an inventory that is not there.
                    assert!(["120", "100", "399"].contains(&a.status.as_str()), "{name} {version}: {a:?}");
                    assert!(!a.info.is_empty());
                    if a.status == "100" {
                        assert!(
                            ["appStatus", "已申报", "已有清单", "找不到", "没有清单", "不属于"].iter().any(|w| a.info.contains(w)),
                            "{name} {version}: undocumented refusal {a:?}"
                        );
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn an_inventory_waits_for_its_documents_in_any_order_and_is_decided_by_the_last() {
    for engine in engines() {
        let app = app(engine).await;
        // Every position for the inventory list, and the documents in two different orders.
        let orders: [[usize; 4]; 6] = [[0, 1, 2, 3], [3, 0, 1, 2], [1, 3, 2, 0], [2, 1, 3, 0], [3, 2, 1, 0], [0, 3, 2, 1]];
        for (n, order) in orders.iter().enumerate() {
            let p = Parcel::new(100 + n as u64, BUYER);
            let msgs = p.messages();
            for (k, i) in order.iter().enumerate() {
                let (xml, who) = &msgs[*i];
                let (s, body, _) = post_xml(&app, who, xml).await;
                assert_eq!(s, 200, "{body}");
                let status = first(&body, "returnStatus");
                let last = k == 3;
                if *i == 3 {
                    assert_eq!(status, if last { "800" } else { "120" }, "order {order:?}: {body}");
                    if !last {
                        assert!(first(&body, "returnInfo").contains("待"), "{body}");
                    }
                } else {
                    assert_eq!(status, "120", "{body}");
                }
            }
            let (status, detail) = inventory_status(&app, &p).await;
            assert_eq!(status, "800", "order {order:?}: {detail}");
            let kinds: Vec<&str> = detail["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
            for k in
                ["ceb_order_received", "ceb_payment_received", "ceb_waybill_received", "ceb_inventory_received", "ceb_inventory_accepted"]
            {
                assert!(kinds.contains(&k), "{kinds:?}");
            }
            // Decided by a document other than the list itself: the sender was told.
            if order[3] != 3 {
                let (s, notices) = app.get("/api/v1/notices", "ecommerce").await;
                assert_eq!(s, 200);
                assert!(notices.to_string().contains(&p.inventory.order_no), "{notices}");
            }
        }
        assert_views_match(&app.store).await;
    }
}

#[tokio::test]
async fn each_disagreement_rejects_the_inventory_with_the_field() {
    for engine in engines() {
        let app = app(engine).await;
        type Change = fn(&mut Parcel);
        let cases: Vec<(Change, &str)> = vec![
            (|p| p.payment.amount_paid -= d("1"), "PaymentHead/amountPaid"),
            (|p| p.inventory.buyer_name = "李四".into(), "InventoryHead/buyerName"),
            (|p| p.inventory.items[0].qty = d("3"), "InventoryList[0]/qty"),
            (|p| p.waybill.order_no = "SOMEONE-ELSE".into(), "LogisticsHead/orderNo"),
            (|p| p.payment.payer_id_number = "110101199001010099".into(), "PaymentHead/payerIdNumber"),
            (|p| p.inventory.ebc_code = crate::ceb_support::PLATFORM.into(), "InventoryHead/ebcCode"),
        ];
        // The list naming the platform as its e-commerce enterprise is sent by ECOMMERCE as its
        // agent: with the platform's mandate it reaches the three-document check.
        crate::helpers::grant_mandate(&app.store, crate::ceb_support::PLATFORM, crate::ceb_support::ECOMMERCE, &["ceb-inventories"], 30)
            .await;
        for (n, (change, path)) in cases.into_iter().enumerate() {
            let mut p = Parcel::new(200 + n as u64, BUYER);
            change(&mut p);
            let mut last = String::new();
            for (xml, who) in p.messages() {
                let (s, body, _) = post_xml(&app, who, &xml).await;
                assert_eq!(s, 200, "{body}");
                last = body;
            }
            assert_eq!(first(&last, "returnStatus"), "100", "{last}");
            assert!(first(&last, "returnInfo").contains(path), "{path}: {last}");
            xsd_valid(&last, "2018").unwrap();
        }
        // The buyer's quota was not touched by any of them.
        let (_, q) =
            app.get(&format!("/api/v1/ceb/quota-check?buyerIdType=1&buyerIdNumber={BUYER}&buyerName=x&amount=0"), "platform").await;
        assert_eq!(q["remaining"], "26000", "{q}");
    }
}

#[tokio::test]
async fn a_message_sent_again_gets_the_same_answer_and_changes_nothing() {
    for engine in engines() {
        let app = app(engine).await;
        let p = Parcel::new(300, BUYER);
        let mut answers = Vec::new();
        for (xml, who) in p.messages() {
            answers.push(post_xml(&app, who, &xml).await);
        }
        let journal = app.store.count("journal").await.unwrap();
        for ((xml, who), first_answer) in p.messages().iter().zip(&answers) {
            let again = post_xml(&app, who, xml).await;
            assert_eq!(again.0, 200);
            assert!(again.2, "marked as a replay");
            assert_eq!(again.1, first_answer.1, "the same receipt, byte for byte");
        }
        assert_eq!(app.store.count("journal").await.unwrap(), journal, "nothing journaled for replays");
        // The same order under a new guid is a duplicate, not a second order.
        let mut dup = p.clone();
        dup.order.guid = guid(311, 9300);
        let (s, body, replayed) = post_xml(&app, "platform", &dup.order_xml()).await;
        assert_eq!((s, replayed), (200, false));
        assert_eq!(first(&body, "returnStatus"), "100", "{body}");
        assert!(first(&body, "returnInfo").contains("appType 2"), "{body}");
        // A second inventory list for the released order is refused.
        dup.inventory.guid = guid(621, 9300);
        let (_, body, _) = post_xml(&app, "ecommerce", &dup.inventory_xml()).await;
        assert_eq!(first(&body, "returnStatus"), "100", "{body}");
    }
}

#[tokio::test]
async fn many_clients_one_buyer_never_overspend_the_annual_quota() {
    for engine in engines() {
        let app = app(engine).await;
        // 40 parcels of 1,000 CNY (990 + 10 freight) for one buyer, all documents sent at once:
        // exactly 26 fit the 26,000 CNY year.
        let parcels: Vec<Parcel> = (0..40).map(|n| Parcel::new(400 + n, BUYER).worth("990")).collect();
        for p in &parcels {
            for (xml, who) in &p.messages()[..3] {
                assert_eq!(post_xml(&app, who, xml).await.0, 200);
            }
        }
        let results = futures_util::future::join_all(parcels.iter().map(|p| {
            let xml = p.inventory_xml();
            let app = &app;
            async move { post_xml(app, "ecommerce", &xml).await }
        }))
        .await;
        let released = results.iter().filter(|r| first(&r.1, "returnStatus") == "800").count();
        let rejected: Vec<&String> = results.iter().filter(|r| first(&r.1, "returnStatus") == "100").map(|r| &r.1).collect();
        assert_eq!((released, rejected.len()), (26, 14), "{results:?}");
        assert!(rejected.iter().all(|b| first(b, "returnInfo").contains("26000")), "{rejected:?}");
        let year = guomen_domain::ceb::quota::china_year(time::OffsetDateTime::now_utc());
        let l = app.store.ceb_ledger(&format!("1:{BUYER}"), year).await.unwrap();
        assert_eq!((l.reserved, l.used, l.left()), (d("0"), d("26000"), d("0")));
        let (_, q) = app
            .post(
                "/api/v1/ceb/quota-check",
                "platform",
                &json!({"buyerIdType": "1", "buyerIdNumber": BUYER, "buyerName": "张三", "amount": "0.01"}),
            )
            .await;
        assert_eq!((q["fits"].as_bool(), q["remaining"].as_str()), (Some(false), Some("0")), "{q}");
    }
}

async fn submit_at(app: &TestApp, p: &Parcel, at: time::OffsetDateTime) -> Vec<guomen_store::ceb::DocAnswer> {
    let mut out = Vec::new();
    for (kind, docs) in [
        (311, CebDocuments::Orders(vec![p.order.clone()])),
        (411, CebDocuments::Payments(vec![p.payment.clone()])),
        (511, CebDocuments::Waybills(vec![p.waybill.clone()])),
        (621, CebDocuments::Inventories(vec![p.inventory.clone()])),
    ] {
        let s = Submission { guid: guid(kind, p.n), sender: ECOMMERCE.into(), by_token: true, seed: 1, documents: docs };
        match app.store.execute_at(crate::helpers::admin(), Command::Ceb(CebCommand::Submit(s)), at).await.unwrap() {
            Outcome::Ceb(a) => out.extend(a.answers),
            o => panic!("{o:?}"),
        }
    }
    out
}

#[tokio::test]
async fn the_year_turns_at_midnight_china_time() {
    use time::macros::datetime;
    for engine in engines() {
        let app = app(engine).await;
        let p1 = Parcel::new(500, BUYER).worth("4990");
        let p2 = Parcel::new(501, BUYER).worth("4990");
        let a1 = submit_at(&app, &p1, datetime!(2026-12-31 15:59:59 UTC)).await;
        let a2 = submit_at(&app, &p2, datetime!(2026-12-31 16:00:00 UTC)).await;
        assert_eq!(a1.last().unwrap().status, "800");
        assert_eq!(a2.last().unwrap().status, "800");
        let key = format!("1:{BUYER}");
        assert_eq!(app.store.ceb_ledger(&key, 2026).await.unwrap(), Ledger { reserved: d("0"), used: d("5000") });
        assert_eq!(app.store.ceb_ledger(&key, 2027).await.unwrap(), Ledger { reserved: d("0"), used: d("5000") });
    }
}
