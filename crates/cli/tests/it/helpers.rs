//! The test app: a real store (fresh SQLite per test, or a fresh PostgreSQL schema) behind the
//! real router on 127.0.0.1:0, with one API token per role.

use guomen_domain::party::{Actor, CreditGrade, Enterprise, Role};
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_store::AdminCommand;
use guomen_store::{secrets, Command, Engine, Location, Store};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const TRADER: &str = "6201960001";
pub const BROKER: &str = "6201980002";
pub const OTHER_TRADER: &str = "4401960003";
pub const TERMINAL: &str = "6201990004";
pub const OTHER_TERMINAL: &str = "6201990005";
pub const LAB: &str = "6201990006";
pub const SITE: &str = "LZKY01";
pub const SEED_PERMIT: &str = "P-TEST-1209";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub http: reqwest::Client,
    /// role name (and "declarant-other", "terminal-other") → bearer token
    pub tokens: HashMap<&'static str, String>,
    _dir: tempfile::TempDir,
    #[allow(dead_code)]
    pub data_dir: std::path::PathBuf,
    #[allow(dead_code)]
    pub engine: Engine,
    pub location: Location,
}

/// Every rule a problem document names is in the refusal catalogue, answered with the status
/// the catalogue gives it: every request a test sends through [`TestApp::send`] checks this.
pub fn assert_catalogued(status: u16, body: &Value) {
    for e in body.get("errors").and_then(Value::as_array).into_iter().flatten() {
        let code = e["rule"].as_str().unwrap_or_default();
        let rule = guomen_domain::Rule::from_code(code).unwrap_or_else(|| panic!("rule {code:?} is not catalogued: {body}"));
        assert_eq!(rule.status(), status, "rule {code} is catalogued with {} but answered with {status}: {body}", rule.status());
    }
}

/// Which engines to run a test on: SQLite always; PostgreSQL when `GUOMEN_TEST_POSTGRES` is set.
pub fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Sqlite];
    if postgres_url().is_some() {
        v.push(Engine::Postgres);
    }
    v
}

pub fn postgres_url() -> Option<String> {
    std::env::var("GUOMEN_TEST_POSTGRES").ok().filter(|s| !s.trim().is_empty())
}

/// A fresh, empty location on `engine`: a temp dir, or a new schema of the test database.
pub async fn fresh_location(engine: Engine, dir: &std::path::Path) -> Location {
    match engine {
        Engine::Sqlite => Location::sqlite_in(dir).unwrap(),
        Engine::Postgres => {
            use sqlx::Connection;
            let base = postgres_url().expect("GUOMEN_TEST_POSTGRES");
            let schema = format!("t_{}_{}", std::process::id(), rand::random::<u32>());
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to GUOMEN_TEST_POSTGRES");
            drop_schemas_of_finished_runs(&mut conn).await;
            sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            Location::parse(&format!("{base}{sep}options=-c%20search_path%3D{schema}")).unwrap()
        }
    }
}

/// Test schemas are named `t_<pid>_<n>`; those of processes that are gone are dropped.
async fn drop_schemas_of_finished_runs(conn: &mut sqlx::PgConnection) {
    let names: Vec<String> = sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 't\\_%\\_%'")
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).execute(&mut *conn).await;
            }
        }
    }
}

pub fn enterprise(code: &str, prefix17: &str, name: &str, grade: CreditGrade, site: Option<&str>) -> Enterprise {
    Enterprise {
        code: CustomsCode::parse(code).unwrap(),
        credit_code: CreditCode::complete(prefix17).unwrap(),
        name_zh: name.into(),
        name_en: format!("{name} Co., Ltd."),
        grade,
        site_code: site.map(Into::into),
    }
}

/// Issues an API token for `role` (acting for `enterprise`) and returns it.
pub async fn issue_token(store: &Store, role: Role, enterprise: Option<&str>) -> String {
    let (token_id, token) = secrets::new_token();
    let command = AdminCommand::IssueToken {
        token_id,
        token_hash: secrets::token_hash(&token),
        role,
        enterprise: enterprise.map(|e| CustomsCode::parse(e).unwrap()),
        label: None,
        valid_days: guomen_domain::token::DEFAULT_DAYS,
    };
    store.execute(admin(), command).await.unwrap();
    token
}

/// The declarant of `consignor`, acting in its own name.
pub fn declarant_of(consignor: &str) -> Actor {
    Actor { id: format!("test:{consignor}"), role: Some(Role::Declarant), enterprise: Some(CustomsCode::parse(consignor).unwrap()) }
}

/// `consignor` mandates `agent` for `scopes` from today for `days` more days; returns the id.
pub async fn grant_mandate(store: &Store, consignor: &str, agent: &str, scopes: &[&str], days: i64) -> String {
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc());
    let draft = guomen_domain::mandate::MandateDraft {
        agent: Some(agent.into()),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        valid_from: None,
        valid_until: Some((today + time::Duration::days(days)).to_string()),
    };
    let consignor_code = CustomsCode::parse(consignor).unwrap();
    let command = Command::Mandate(guomen_store::mandate::MandateCommand::Grant { consignor: consignor_code, draft });
    match store.execute(declarant_of(consignor), command).await.unwrap() {
        guomen_store::Outcome::Mandate(m) => m.id.clone(),
        other => panic!("unexpected outcome {other:?}"),
    }
}

/// Every view rebuilt from the journal matches what is stored (`guomen verify --views`).
pub async fn assert_views_match(store: &Store) {
    let v = store.verify_views(50).await.unwrap();
    let listed: Vec<String> = v.differences.iter().map(|d| d.to_string()).collect();
    assert!(v.ok(), "{} difference(s) between the views and the journal:\n{}", v.total, listed.join("\n"));
}

pub fn admin() -> Actor {
    Actor { id: "test".into(), role: Some(Role::Admin), enterprise: None }
}

impl TestApp {
    /// The app with webhooks limited to public addresses, as a server starts by default.
    pub async fn spawn(engine: Engine) -> TestApp {
        TestApp::spawn_full(engine, guomen_delivery::Reach::PUBLIC, |_| {}).await
    }

    /// The app with webhooks reaching `webhooks` (tests whose receiver listens on 127.0.0.1
    /// allow internal addresses explicitly).
    pub async fn spawn_with(engine: Engine, webhooks: guomen_delivery::Reach) -> TestApp {
        TestApp::spawn_full(engine, webhooks, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with the security settings changed by `settings` first (the
    /// security log is always `DATA/security.log`, read by [`TestApp::security_log`]).
    pub async fn spawn_secured(engine: Engine, settings: impl FnOnce(&mut guomen_store::security::SecuritySettings)) -> TestApp {
        TestApp::spawn_full(engine, guomen_delivery::Reach::PUBLIC, settings).await
    }

    async fn spawn_full(
        engine: Engine,
        webhooks: guomen_delivery::Reach,
        settings: impl FnOnce(&mut guomen_store::security::SecuritySettings),
    ) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let loc = fresh_location(engine, dir.path()).await;
        let mut security = guomen_store::security::SecuritySettings {
            log: guomen_store::security::SecurityLog::file(&dir.path().join("security.log")).unwrap(),
            ..Default::default()
        };
        settings(&mut security);
        let store = Store::open(&loc).await.expect("open store").with_security(security);
        let location = loc.clone();
        for e in [
            enterprise(TRADER, "91620700MA7XN1234", "东方种子有限公司", CreditGrade::AdvancedCertified, None),
            enterprise(BROKER, "91620700MA7XN5678", "河西报关行", CreditGrade::Registered, None),
            enterprise(OTHER_TRADER, "91440100MA5CX9876", "广州食品进口有限公司", CreditGrade::Untrustworthy, None),
            enterprise(TERMINAL, "91620700MA7XP0001", "L机场货站", CreditGrade::Registered, Some(SITE)),
            enterprise(OTHER_TERMINAL, "91620700MA7XP0002", "南沙集装箱码头", CreditGrade::Registered, Some("NSCT01")),
            enterprise(LAB, "12620700MB1234567", "L海关技术中心实验室", CreditGrade::Registered, None),
        ] {
            store.execute(admin(), AdminCommand::RegisterEnterprise(e)).await.unwrap();
        }
        // A standing quarantine permit for the trader's seed imports (seed_draft names it).
        let permit: guomen_domain::quarantine::permit::PermitDraft = serde_json::from_value(json!({
            "id": SEED_PERMIT, "holder": TRADER, "hs_prefixes": ["1209"], "botanical_name": "Cucurbita moschata",
            "origin_countries": ["NLD"], "quantity": "1000000", "unit": "035",
            "valid_from": (time::OffsetDateTime::now_utc().date() - time::Duration::days(30)).to_string(),
            "valid_to": (time::OffsetDateTime::now_utc().date() + time::Duration::days(365)).to_string()
        }))
        .unwrap();
        store.execute(admin(), Command::Quarantine(guomen_store::quarantine::QuarantineCommand::IssuePermit(permit))).await.unwrap();
        // The trader's standing mandate to its broker for declarations (the drafts name BROKER).
        grant_mandate(&store, TRADER, BROKER, &["declarations"], 365).await;
        let mut tokens = HashMap::new();
        for (name, role, ent) in [
            ("declarant", Role::Declarant, Some(TRADER)),
            ("declarant-other", Role::Declarant, Some(OTHER_TRADER)),
            ("terminal", Role::Terminal, Some(TERMINAL)),
            ("terminal-other", Role::Terminal, Some(OTHER_TERMINAL)),
            ("laboratory", Role::Laboratory, Some(LAB)),
            ("officer", Role::Officer, None),
            ("risk-analyst", Role::RiskAnalyst, None),
            ("admin", Role::Admin, None),
        ] {
            tokens.insert(name, issue_token(&store, role, ent).await);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The API's default place for uploaded files (the remote-inspection tests look there).
        let files = std::env::temp_dir().join(format!("guomen-files-{}", std::process::id()));
        let mut state = guomen_api::AppState::new(store.clone(), files);
        state.webhooks = webhooks;
        let router = guomen_api::router_for(state).merge(guomen_web::router_for(store.clone(), webhooks));
        // As `guomen serve` does: the client's address comes from the socket.
        tokio::spawn(
            async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() },
        );
        TestApp {
            base: format!("http://{addr}"),
            store,
            http: reqwest::Client::new(),
            tokens,
            data_dir: dir.path().to_owned(),
            _dir: dir,
            engine,
            location,
        }
    }

    /// Every line of the security log so far, parsed.
    #[allow(dead_code)]
    pub fn security_log(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.data_dir.join("security.log")).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
    }

    /// The lines of the security log of one event.
    #[allow(dead_code)]
    pub fn security_events(&self, event: &str) -> Vec<Value> {
        self.security_log().into_iter().filter(|l| l["event"] == event).collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, method: &str, path: &str, who: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(m, self.url(path));
        if let Some(w) = who {
            req = req.bearer_auth(&self.tokens[w]);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        assert_catalogued(status, &body);
        (status, body)
    }

    pub async fn post(&self, path: &str, who: &str, body: &Value) -> (u16, Value) {
        self.send("POST", path, Some(who), Some(body)).await
    }

    pub async fn get(&self, path: &str, who: &str) -> (u16, Value) {
        self.send("GET", path, Some(who), None).await
    }

    /// Publishes rules that send every seed (HS 1209) declaration to red and nothing else anywhere.
    pub async fn seeds_red(&self) {
        let rules = json!({
            "reason": "seed quarantine targeting",
            "rules": {
                "min_random_percent": "0",
                "criteria": [{
                    "id": "SEED-1209",
                    "description": "imported seeds for sowing: quarantine examination",
                    "when": { "hs_prefixes": ["1209"] },
                    "lane": "red",
                    "rate_percent": "100",
                    "check_type": "quarantine"
                }, {
                    "id": "CHEAP-PHONES",
                    "description": "under-valued telephones",
                    "when": { "hs_prefixes": ["8517"], "unit_price": { "currency": "USD", "below": "5" } },
                    "lane": "yellow",
                    "rate_percent": "100"
                }]
            }
        });
        let (s, body) = self.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await;
        assert_eq!(s, 200, "{body}");
    }
}

/// A valid import declaration of vegetable seeds at the terminal's site, filed by TRADER.
pub fn seed_draft(bill: &str) -> Value {
    json!({
        "head": {
            "ie_flag": "I",
            "customs_master": "9501",
            "ie_port": "9501",
            "ie_date": time::OffsetDateTime::now_utc().date().to_string(),
            "trade_code": TRADER,
            "agent_code": BROKER,
            "traf_mode": "2",
            "traf_name": "CA1046",
            "voyage_no": "20260310",
            "bill_no": bill,
            "trade_mode": "0110",
            "trade_country": "NLD",
            "trans_mode": "1",
            "pack_no": "20",
            "gross_wt": "520.5",
            "net_wt": "500",
            "site_code": SITE
        },
        "items": [{
            "g_no": "1",
            "code_ts": "1209913000",
            "g_name": "南瓜种子",
            "g_model": "原种 F1",
            "g_qty": "500",
            "g_unit": "035",
            "decl_price": "120.50",
            "decl_total": "60250.00",
            "trade_curr": "USD",
            "origin_country": "NLD",
            "destination_country": "CHN"
        }],
        "containers": [{ "container_id": "MSKU1234565", "container_md": "22G1" }],
        "licences": [{ "docu_code": "QP", "cert_code": SEED_PERMIT }]
    })
}

/// A valid green-lane import (machinery parts), filed by TRADER.
pub fn green_draft(bill: &str) -> Value {
    let mut d = seed_draft(bill);
    d["items"][0] = json!({
        "g_no": "1", "code_ts": "8483109000", "g_name": "传动轴", "g_qty": "10", "g_unit": "007",
        "decl_price": "35.5", "decl_total": "355", "trade_curr": "EUR", "origin_country": "DEU", "destination_country": "CHN"
    });
    d["head"]["trade_country"] = json!("DEU");
    d["licences"] = json!([]);
    d
}
