//! `kill -9` in the middle of a burst of cross-border parcels, with the real binary: after a
//! restart every acknowledged receipt is still true, a message sent again is answered with the
//! same receipt and changes nothing, and the journal verifies.

use crate::ceb_support::{first, Parcel, CARRIER, ECOMMERCE, PAYER, PLATFORM};
use crate::cli::{Data, WAIT};
use crate::helpers::postgres_url;
use guomen_domain::types::CreditCode;
use guomen_store::Engine;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENTS: usize = 12;
const PARCELS_BEFORE_KILL: usize = 80;

/// A message the server answered 200, and the receipt it got.
struct Ack {
    who: &'static str,
    xml: String,
    receipt: String,
}

async fn send(http: &reqwest::Client, url: &str, token: &str, xml: &str) -> reqwest::Result<(u16, bool, String)> {
    let res = http.post(url).bearer_auth(token).header("content-type", "application/xml").body(xml.to_owned()).send().await?;
    let status = res.status().as_u16();
    let replayed = res.headers().get("guomen-replayed").is_some();
    Ok((status, replayed, res.text().await?))
}

async fn set_up(data: &Data) -> Vec<(&'static str, String)> {
    let mut tokens = Vec::new();
    for (who, code, prefix) in [
        ("platform", PLATFORM, "91110108MA01ABC12"),
        ("ecommerce", ECOMMERCE, "91110108MA01ABC34"),
        ("payer", PAYER, "91310115MA1HAB567"),
        ("carrier", CARRIER, "91110105MA00DEF89"),
    ] {
        let credit = CreditCode::complete(prefix).unwrap().to_string();
        data.ok(&["enterprise", "add", "--code", code, "--credit-code", &credit, "--name", who, "--grade", "registered"]).await;
        tokens.push((who, data.token(&["--role", "declarant", "--enterprise", code]).await));
    }
    data.ok(&["guarantee", "add", "--enterprise", ECOMMERCE, "--amount", "10000000"]).await;
    tokens.push(("officer", data.token(&["--role", "officer"]).await));
    tokens
}

async fn crash(engine: Engine) {
    let data = Data::new(engine).await;
    let tokens = Arc::new(set_up(&data).await);
    let token = |who: &str| tokens.iter().find(|(w, _)| *w == who).unwrap().1.clone();
    let server = data.serve().await;
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::new(Mutex::new(Vec::new()));
    let decided = Arc::new(AtomicU64::new(0));
    let url = server.url("/api/v1/ceb");
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (http, url) = (server.http.clone(), url.clone());
            let (next, stop, acks, decided, tokens) = (next.clone(), stop.clone(), acks.clone(), decided.clone(), tokens.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    // Distinct buyers, so no limit or guard interferes.
                    let p = Parcel::new(50_000 + n, &format!("1101011990{n:08}"));
                    for (xml, who) in p.messages() {
                        let t = tokens.iter().find(|(w, _)| *w == who).unwrap().1.clone();
                        match send(&http, &url, &t, &xml).await {
                            Ok((200, _, receipt)) => {
                                if who == "ecommerce" {
                                    decided.fetch_add(1, Ordering::SeqCst);
                                }
                                acks.lock().unwrap().push(Ack { who, xml, receipt });
                            }
                            Ok((s, _, body)) => panic!("{who}: {s} {body}"),
                            Err(_) => break,
                        }
                    }
                }
            })
        })
        .collect();
    let deadline = tokio::time::Instant::now() + WAIT;
    while (decided.load(Ordering::SeqCst) as usize) < PARCELS_BEFORE_KILL {
        assert!(tokio::time::Instant::now() < deadline, "too slow");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill().await;
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        tokio::time::timeout(WAIT, c).await.expect("clients stop").unwrap();
    }
    let acks = std::mem::take(&mut *acks.lock().unwrap());

    let server = data.serve().await;
    let officer = token("officer");
    let mut released = 0;
    for a in &acks {
        // The same message again: the same receipt, marked as a replay.
        let (s, replayed, receipt) = send(&server.http, &server.url("/api/v1/ceb"), &token(a.who), &a.xml).await.unwrap();
        assert_eq!((s, replayed), (200, true), "{}", a.xml);
        assert_eq!(receipt, a.receipt, "a receipt changed across kill -9");
        if a.who == "ecommerce" {
            let id = first(&a.receipt, "invtNo");
            let (s, d) = server.get(&format!("/api/v1/ceb/inventories/{id}"), &officer).await;
            assert_eq!(s, 200, "acknowledged inventory list {id} is gone: {d}");
            assert_eq!(d["returnStatus"], first(&a.receipt, "returnStatus"), "{d}");
            released += 1;
        }
    }
    assert!(released >= PARCELS_BEFORE_KILL);
    server.stop().await;
    let out = data.ok(&["verify", "--views"]).await;
    assert!(out.contains("chain intact"), "{out}");
    assert!(out.contains("views verified"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_keeps_every_acknowledged_ceb_receipt_sqlite() {
    crash(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_keeps_every_acknowledged_ceb_receipt_postgres() {
    if postgres_url().is_none() {
        eprintln!("GUOMEN_TEST_POSTGRES is not set: skipping the PostgreSQL crash test");
        return;
    }
    crash(Engine::Postgres).await;
}
