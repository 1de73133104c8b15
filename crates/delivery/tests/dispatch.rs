//! The dispatcher against a real store and a real HTTP receiver on 127.0.0.1.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use guomen_delivery::{signature, Dispatcher, Reach, RetryPolicy};
use guomen_domain::declaration::{validate, DeclarationDraft, HeadDraft, ItemDraft, ValidationContext};
use guomen_domain::party::{Actor, CreditGrade, Enterprise};
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_store::{AdminCommand, DeclarationCommand};
use guomen_store::{Location, Outcome, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const A: &str = "3502960001";
const B: &str = "3502960002";
const SECRET: &str = "whsec-test-0123456789";

// ---------------------------------------------------------------------------------------------
// A webhook receiver
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
    status: u16,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("header {name} missing"))
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("body is JSON")
    }
    fn event_id(&self) -> i64 {
        self.header("guomen-event-id").parse().expect("numeric event id")
    }
    fn record(&self) -> String {
        self.json()["record"].as_str().expect("record").to_owned()
    }
}

#[derive(Default)]
struct HookState {
    received: Mutex<Vec<Received>>,
    /// Answer 500 to this many more requests.
    fail_next: AtomicUsize,
    /// Wait this long before answering.
    delay_ms: AtomicU64,
}

struct Receiver {
    state: Arc<HookState>,
    url: String,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start() -> Receiver {
        let state = Arc::new(HookState::default());
        let app = Router::new().route("/hook", post(hook)).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver { state, url, server }
    }

    fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    fn ok(&self) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.status == 200).collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn hook(State(s): State<Arc<HookState>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delay = s.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let fail = s.fail_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
    let status = if fail { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK };
    s.received.lock().unwrap().push(Received { headers, body, status: status.as_u16() });
    status
}

// ---------------------------------------------------------------------------------------------
// Store fixtures
// ---------------------------------------------------------------------------------------------

fn enterprise(code: &str, credit17: &str, name: &str) -> Enterprise {
    Enterprise {
        code: CustomsCode::parse(code).unwrap(),
        credit_code: CreditCode::complete(credit17).unwrap(),
        name_zh: name.into(),
        name_en: format!("{name} Co., Ltd."),
        grade: CreditGrade::Registered,
        site_code: None,
    }
}

fn enterprises() -> Vec<Enterprise> {
    vec![enterprise(A, "91350200MA2XN1234", "厦门鹭江进出口有限公司"), enterprise(B, "91350200MA2XN5678", "厦门果品贸易有限公司")]
}

async fn open(dir: &Path) -> Store {
    Store::open(&Location::sqlite_in(dir).unwrap()).await.unwrap()
}

/// A new store with enterprises A and B.
async fn setup(dir: &Path) -> Store {
    let store = open(dir).await;
    for e in enterprises() {
        store.execute(Actor::system(), AdminCommand::RegisterEnterprise(e)).await.unwrap();
    }
    store
}

async fn subscribe(store: &Store, id: &str, enterprise: Option<&str>, url: &str) {
    let cmd = AdminCommand::CreateSubscription {
        id: id.into(),
        enterprise: enterprise.map(|e| CustomsCode::parse(e).unwrap()),
        url: url.into(),
        secret: SECRET.into(),
    };
    store.execute(Actor::system(), cmd).await.unwrap();
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// Files a released-on-filing import for `trader`; returns its record (journal stream) name.
async fn file(store: &Store, trader: &str, n: u64) -> String {
    let today = time::OffsetDateTime::now_utc().date();
    let draft = DeclarationDraft {
        head: HeadDraft {
            ie_flag: s("I"),
            customs_master: s("9501"),
            ie_port: s("9501"),
            ie_date: Some(today.to_string()),
            trade_code: s(trader),
            traf_mode: s("2"),
            traf_name: s("COSCO ARIES"),
            voyage_no: s("045E"),
            bill_no: Some(format!("COSU{n:010}")),
            trade_mode: s("0110"),
            trade_country: s("NLD"),
            trans_mode: s("1"),
            pack_no: s("10"),
            gross_wt: s("320"),
            net_wt: s("300"),
            ..HeadDraft::default()
        },
        items: vec![ItemDraft {
            g_no: s("1"),
            code_ts: s("8483109000"),
            g_name: s("传动轴"),
            g_model: s("船用"),
            g_qty: s("300"),
            g_unit: s("007"),
            decl_price: s("12.5"),
            decl_total: s("3750.00"),
            trade_curr: s("USD"),
            origin_country: s("NLD"),
            destination_country: s("CHN"),
        }],
        containers: vec![],
        licences: vec![],
    };
    let registered = enterprises();
    let lookup = move |c: &CustomsCode| registered.iter().find(|e| &e.code == c).cloned();
    let ctx = ValidationContext { today, enterprise: &lookup, site_known: &|_| false };
    let content = validate(&draft, &ctx).expect("the draft is valid");
    let cmd = DeclarationCommand::File { content, filed_by: CustomsCode::parse(trader).unwrap(), idempotency: None, seed: n };
    match store.execute(Actor::system(), cmd).await.unwrap() {
        Outcome::Declaration { record, .. } => format!("declaration:{}", record.id),
        other => panic!("unexpected outcome {other:?}"),
    }
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn fast() -> RetryPolicy {
    RetryPolicy { base: Duration::from_millis(10), max: Duration::from_millis(100), timeout: Duration::from_secs(5) }
}

/// Runs passes (bounded) until nothing is pending.
async fn drain(d: &Dispatcher, store: &Store) {
    for _ in 0..300 {
        d.pass(now_ms()).await.unwrap();
        if store.pending_deliveries(i64::MAX, 10).await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    panic!("deliveries still pending: {:?}", store.subscriptions().await.unwrap());
}

/// Outbox ids of messages addressed to `recipient`, oldest first, with their records.
async fn messages_for(store: &Store, recipient: &str) -> Vec<(i64, String)> {
    store.notices(Some(recipient), 0, 1000).await.unwrap().into_iter().map(|m| (m.id, m.stream)).collect()
}

/// Every attempt at a message of a record came after all earlier messages of that record to
/// the same receiver were delivered.
fn assert_per_record_order(received: &[Received]) {
    let mut delivered: HashMap<String, HashSet<i64>> = HashMap::new();
    let mut seen: HashMap<String, Vec<i64>> = HashMap::new();
    for r in received {
        let (record, id) = (r.record(), r.event_id());
        let earlier: Vec<i64> = seen.get(&record).into_iter().flatten().copied().filter(|e| *e < id).collect();
        let done = delivered.entry(record.clone()).or_default();
        for e in earlier {
            assert!(done.contains(&e), "message {id} of {record} was sent before earlier message {e} was delivered");
        }
        if r.status == 200 {
            done.insert(id);
        }
        let ids = seen.entry(record).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    // First successful deliveries per record are in outbox-id order.
    let mut firsts: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in received.iter().filter(|r| r.status == 200) {
        let ids = firsts.entry(r.record()).or_default();
        if !ids.contains(&r.event_id()) {
            ids.push(r.event_id());
        }
    }
    for (record, ids) in firsts {
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{record} delivered out of order: {ids:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delivers_every_message_once_signed() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path()).await;
    let rx = Receiver::start().await;
    subscribe(&store, "sub-a", Some(A), &rx.url).await;
    let mut records = HashSet::new();
    for n in 0..3 {
        records.insert(file(&store, A, n).await);
    }
    file(&store, B, 100).await; // not for this subscriber
    let expected = messages_for(&store, A).await;
    assert_eq!(expected.len(), 6, "two messages per declaration: {expected:?}");
    assert_eq!(store.count("deliveries").await.unwrap(), 6);

    let d = Dispatcher::new(store.clone(), RetryPolicy::default(), Reach::ANY).unwrap();
    let report = d.pass(now_ms()).await.unwrap();
    assert_eq!((report.attempted, report.delivered, report.failed), (6, 6, 0));
    let again = d.pass(now_ms()).await.unwrap();
    assert_eq!(again.attempted, 0, "delivered messages are not sent again");

    let got = rx.received();
    assert_eq!(got.len(), 6, "each message exactly once");
    let ids: Vec<i64> = got.iter().map(Received::event_id).collect();
    let unique: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 6, "event ids are unique: {ids:?}");
    assert_eq!(unique, expected.iter().map(|(id, _)| *id).collect::<HashSet<_>>());
    let now_s = time::OffsetDateTime::now_utc().unix_timestamp();
    for r in &got {
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), "application/json");
        let ts: i64 = r.header("guomen-timestamp").parse().unwrap();
        assert!((now_s - ts).abs() < 60, "timestamp {ts} is current");
        let sig = r.header("guomen-signature");
        assert!(signature::verify(SECRET, ts, &r.body, sig), "signature {sig} verifies");
        assert!(!signature::verify("wrong", ts, &r.body, sig));
        assert_eq!(sig, signature::sign(SECRET, ts, &r.body));
        let v = r.json();
        assert_eq!(v["event_id"], r.header("guomen-event-id"));
        assert_eq!(v["topic"], r.header("guomen-topic"));
        assert!(["declaration.status", "release.notice"].contains(&v["topic"].as_str().unwrap()));
        assert_eq!(v["recipient"], A);
        assert!(records.contains(v["record"].as_str().unwrap()));
        let created = v["created_at"].as_str().unwrap();
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339).expect("created_at is RFC 3339");
        assert!(v["body"].is_object(), "the stored body is embedded as JSON");
    }
    let topics: Vec<&str> = got.iter().map(|r| r.header("guomen-topic")).collect();
    assert_eq!(topics.iter().filter(|t| **t == "release.notice").count(), 3);
    assert_per_record_order(&got);

    let subs = store.subscriptions().await.unwrap();
    assert_eq!((subs[0].pending, subs[0].delivered, subs[0].last_error.clone()), (0, 6, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retries_failures_in_per_record_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path()).await;
    let rx = Receiver::start().await;
    let all = Receiver::start().await;
    subscribe(&store, "sub-a", Some(A), &rx.url).await;
    subscribe(&store, "sub-all", None, &all.url).await;
    rx.state.fail_next.store(3, Ordering::SeqCst);
    all.state.fail_next.store(3, Ordering::SeqCst);
    for n in 0..5 {
        file(&store, A, n).await;
        file(&store, B, 100 + n).await;
    }
    assert_eq!(store.count("deliveries").await.unwrap(), 10 + 20);

    let d = Dispatcher::new(store.clone(), fast(), Reach::ANY).unwrap();
    let first = d.pass(now_ms()).await.unwrap();
    assert_eq!(first.failed, 6, "three failures at each receiver: {first:?}");
    assert!(first.attempted > first.failed);
    drain(&d, &store).await;

    for (receiver, recipient, n) in [(&rx, Some(A), 10), (&all, None, 20)] {
        let got = receiver.received();
        assert_eq!(got.iter().filter(|r| r.status == 500).count(), 3);
        let ok = receiver.ok();
        assert_eq!(ok.len(), n, "every message delivered exactly once after the failures");
        let ids: HashSet<i64> = ok.iter().map(Received::event_id).collect();
        let expected: HashSet<i64> = match recipient {
            Some(r) => messages_for(&store, r).await.into_iter().map(|(id, _)| id).collect(),
            None => store.notices(None, 0, 1000).await.unwrap().into_iter().map(|m| m.id).collect(),
        };
        assert_eq!(ids, expected);
        for r in &got {
            let ts: i64 = r.header("guomen-timestamp").parse().unwrap();
            assert!(signature::verify(SECRET, ts, &r.body, r.header("guomen-signature")));
        }
        // A retried message keeps its event id: each failed id was later delivered.
        for f in got.iter().filter(|r| r.status == 500) {
            assert!(ids.contains(&f.event_id()));
        }
        assert_per_record_order(&got);
    }
    for sub in store.subscriptions().await.unwrap() {
        assert_eq!(sub.pending, 0, "{sub:?}");
        assert_eq!(sub.last_error.as_deref(), None, "a delivered message clears its error: {sub:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unreachable_receiver_stays_pending_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path()).await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    subscribe(&store, "sub-dead", Some(A), &format!("http://127.0.0.1:{closed}/hook")).await;
    let r1 = file(&store, A, 1).await;
    let r2 = file(&store, A, 2).await;
    let policy = RetryPolicy::default();
    let d = Dispatcher::new(store.clone(), policy, Reach::ANY).unwrap();

    let t0 = now_ms();
    let report = d.pass(t0).await.unwrap();
    assert_eq!((report.attempted, report.delivered, report.failed), (2, 0, 2), "one attempt per record: the second message waits");
    let subs = store.subscriptions().await.unwrap();
    assert_eq!(subs[0].pending, 4);
    assert_eq!(subs[0].delivered, 0);
    let error = subs[0].last_error.clone().expect("the error is recorded");
    assert!(!error.is_empty() && !error.starts_with("HTTP "), "a connection error: {error}");
    println!("recorded error: {error}");

    let pending = store.pending_deliveries(i64::MAX, 100).await.unwrap();
    for record in [&r1, &r2] {
        let of: Vec<_> = pending.iter().filter(|p| &p.stream == record).collect();
        assert_eq!(of.len(), 2);
        assert_eq!((of[0].attempts, of[0].next_attempt_ms), (1, t0 + 1000));
        assert_eq!(of[1].attempts, 0, "the later message was not tried");
    }

    // Not due yet: nothing is sent.
    assert_eq!(d.pass(t0 + 999).await.unwrap().attempted, 0);
    // Due: tried again, and the back-off doubles.
    let t1 = t0 + 1000;
    assert_eq!(d.pass(t1).await.unwrap().failed, 2);
    let pending = store.pending_deliveries(i64::MAX, 100).await.unwrap();
    let heads: Vec<_> = pending.iter().filter(|p| p.attempts > 0).collect();
    assert_eq!(heads.len(), 2);
    for h in heads {
        assert_eq!((h.attempts, h.next_attempt_ms), (2, t1 + 2000));
    }
    // Far in the future it is still pending (no give-up), the back-off capped.
    let t2 = t1 + 3_600_000;
    d.pass(t2).await.unwrap();
    let pending = store.pending_deliveries(i64::MAX, 100).await.unwrap();
    assert!(pending.iter().filter(|p| p.attempts == 3).all(|p| p.next_attempt_ms == t2 + 4000));
    assert_eq!(store.subscriptions().await.unwrap()[0].pending, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resumes_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let rx = Receiver::start().await;
    let mut records = Vec::new();
    {
        let store = setup(dir.path()).await;
        subscribe(&store, "sub-a", Some(A), &rx.url).await;
        for n in 0..4 {
            records.push(file(&store, A, n).await);
        }
        let d = Dispatcher::new(store.clone(), fast(), Reach::ANY).unwrap();
        // Some delivered, some failed and waiting.
        rx.state.fail_next.store(2, Ordering::SeqCst);
        let r = d.pass(now_ms()).await.unwrap();
        assert_eq!(r.failed, 2);
        assert!(r.delivered >= 2, "{r:?}");
        // More messages, and a pass that dies mid-flight: the receiver is slow and the pass is
        // abandoned before it records anything.
        for n in 4..6 {
            records.push(file(&store, A, n).await);
        }
        rx.state.delay_ms.store(1500, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(120)).await; // let the failed ones fall due
        let abandoned = tokio::time::timeout(Duration::from_millis(300), d.pass(now_ms())).await;
        assert!(abandoned.is_err(), "the pass was cut short");
        assert!(store.subscriptions().await.unwrap()[0].pending > 0);
        drop(d);
        drop(store);
    }
    rx.state.delay_ms.store(0, Ordering::SeqCst);
    // Let the abandoned requests finish on the receiver's side so they cannot be confused with
    // the redeliveries below.
    tokio::time::sleep(Duration::from_millis(1600)).await;

    let store = open(dir.path()).await;
    assert_eq!(store.count("deliveries").await.unwrap(), 12);
    assert!(store.subscriptions().await.unwrap()[0].pending > 0, "pending deliveries survived the restart");
    let d = Dispatcher::new(store.clone(), fast(), Reach::ANY).unwrap();
    drain(&d, &store).await;

    let expected: HashSet<i64> = messages_for(&store, A).await.into_iter().map(|(id, _)| id).collect();
    assert_eq!(expected.len(), 12);
    let ok: HashSet<i64> = rx.ok().iter().map(Received::event_id).collect();
    assert_eq!(ok, expected, "everything was delivered in the end");
    let subs = store.subscriptions().await.unwrap();
    assert_eq!((subs[0].pending, subs[0].delivered), (0, 12));
    assert_eq!(d.pass(now_ms() + 3_600_000).await.unwrap().attempted, 0);
    for r in records {
        assert!(rx.ok().iter().any(|m| m.record() == r));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn background_task_wakes_on_new_messages() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path()).await;
    let rx = Receiver::start().await;
    subscribe(&store, "sub-a", Some(A), &rx.url).await;
    rx.state.fail_next.store(1, Ordering::SeqCst);
    let task = guomen_delivery::spawn(store.clone(), fast(), Reach::ANY);
    tokio::time::sleep(Duration::from_millis(50)).await;
    for n in 0..3 {
        file(&store, A, n).await;
    }
    let mut done = false;
    for _ in 0..200 {
        if rx.ok().len() >= 6 {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(done, "received {} of 6", rx.ok().len());
    for _ in 0..40 {
        if store.subscriptions().await.unwrap()[0].pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(store.subscriptions().await.unwrap()[0].pending, 0);
    assert_eq!(rx.ok().len(), 6);
    assert_per_record_order(&rx.received());
    task.abort();
}

/// Without the allowance, nothing is sent to an internal address: not to an IP literal, and
/// not to a name that resolves to one (the resolver refuses before any connection). The
/// deliveries stay pending with the reason as their error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_addresses_are_not_reached_without_the_allowance() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path()).await;
    let rx = Receiver::start().await;
    let port = rx.url.rsplit(':').next().unwrap().trim_end_matches("/hook").to_owned();
    subscribe(&store, "sub-literal", Some(A), &rx.url).await;
    subscribe(&store, "sub-name", Some(A), &format!("http://localhost:{port}/hook")).await;
    file(&store, A, 1).await;

    let d = Dispatcher::new(store.clone(), fast(), Reach::PUBLIC).unwrap();
    let report = d.pass(now_ms()).await.unwrap();
    assert_eq!((report.attempted, report.delivered, report.failed), (2, 0, 2));
    assert!(rx.received().is_empty(), "nothing reached the receiver: {:?}", rx.received().len());
    let subs = serde_json::to_value(store.subscriptions().await.unwrap()).unwrap();
    let text = subs.to_string();
    assert!(text.contains("loopback"), "{text}");

    // With the allowance the same deliveries go through.
    let d = Dispatcher::new(store.clone(), fast(), Reach::ANY).unwrap();
    drain(&d, &store).await;
    assert_eq!(rx.ok().len(), 4, "two messages to each subscription");
}
