//! `guomen verify --views` and `GET /api/v1/journal/verify?views=true`: every view rebuilt from
//! the journal and compared with what is stored. An edit made in the database behind Guomen's
//! back — a status, a field of a record's JSON, a risk hit, an inventory list, a ledger, a
//! permit's balance, a row deleted or slipped in — leaves the hash chain intact but is named,
//! row and column, with the stored value and the journal's; a fresh store, a port in use, the
//! demo and a database written to while it is checked all verify clean.

use crate::ceb_support::{self, Parcel};
use crate::helpers::*;
use guomen_store::{connect_writer, DiffKind, Difference, Engine, ViewsReport};
use serde_json::{json, Value};

async fn tamper(app: &TestApp, sql: &str) {
    let mut conn = connect_writer(&app.location).await.unwrap();
    let done = sqlx::query(sql).execute(&mut conn).await.unwrap();
    assert!(done.rows_affected() > 0, "{sql} changed nothing");
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).fetch_one(app.store.read_pool()).await.unwrap()
}

async fn views(app: &TestApp) -> ViewsReport {
    app.store.verify_views(100).await.unwrap()
}

/// Runs `guomen verify --views` on the app's database, as another process; (exit code, standard
/// output).
async fn cli_verify(app: &TestApp) -> (Option<i32>, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_guomen"));
    cmd.args(["verify", "--views", "--data"]).arg(&app.data_dir).env_remove("GUOMEN_DATABASE").env_remove("GUOMEN_DATA");
    if app.engine == Engine::Postgres {
        cmd.arg("--database").arg(&app.location.url);
    }
    let out = tokio::time::timeout(crate::cli::WAIT, cmd.kill_on_drop(true).output()).await.expect("guomen verify finishes").unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A port with some of everything: a seed declaration held (its permit written off), a green
/// one released, and two cross-border parcels, one under inspection and one released with its
/// tax paid. Returns (held declaration, green declaration, parcel under inspection, its buyer).
async fn busy_port(app: &mut TestApp) -> (String, String, String, String) {
    ceb_support::set_up(app).await;
    let rules = json!({ "reason": "seeds and cross-border cosmetics", "rules": { "min_random_percent": "0", "criteria": [{
        "id": "SEED-1209", "description": "imported seeds for sowing: quarantine examination",
        "when": { "hs_prefixes": ["1209"] }, "lane": "red", "rate_percent": "100", "check_type": "quarantine"
    }, {
        "id": "CBEC-COSMETICS", "description": "cross-border cosmetics: examine every parcel",
        "when": { "hs_prefixes": ["3304"], "trade_modes": ["9610"] }, "lane": "red", "rate_percent": "100"
    }] } });
    let (s, body) = app.send("PUT", "/api/v1/rules", Some("risk-analyst"), Some(&rules)).await;
    assert_eq!(s, 200, "{body}");
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft("VIEWS-0001")).await;
    assert_eq!(s, 201, "{d}");
    let held = d["id"].as_str().unwrap().to_owned();
    let (s, d) = app.post(&format!("/api/v1/declarations/{held}/hold"), "officer", &json!({ "reason": "待查 / to be examined" })).await;
    assert_eq!((s, d["status"].as_str()), (200, Some("held")), "{d}");
    let (s, d) = app.post("/api/v1/declarations", "declarant", &green_draft("VIEWS-0002")).await;
    assert_eq!((s, d["status"].as_str()), (201, Some("released")), "{d}");
    let green = d["id"].as_str().unwrap().to_owned();

    let buyer = "110101199003071234";
    let inspected = ceb_support::send_parcel(app, &Parcel::new(900, buyer)).await;
    let released = ceb_support::send_parcel(app, &Parcel::new(901, "110101199003075678")).await;
    let (s, body) = app.post(&format!("/api/v1/ceb/inventories/{released}/release"), "officer", &json!({"note": "conforms"})).await;
    assert_eq!((s, body["returnStatus"].as_str()), (200, Some("800")), "{body}");
    let (s, body) = app.post("/api/v1/ceb/tax-payments", "ecommerce", &json!({"inventories": [released]})).await;
    assert_eq!(s, 200, "{body}");
    (held, green, inspected, buyer.to_owned())
}

/// Applies `edit`, checks the chain still verifies and the views name exactly `expected`, then
/// applies `undo` and checks the views are clean again.
async fn named(app: &TestApp, edit: &str, undo: Option<&str>, expected: Difference) {
    tamper(app, edit).await;
    assert!(app.store.verify().await.unwrap().first_break.is_none(), "the chain is untouched by {edit}");
    let v = views(app).await;
    assert!(!v.ok(), "{edit} went unnoticed");
    assert_eq!(v.differences, vec![expected], "after {edit}");
    assert_eq!(v.total, 1);
    if let Some(undo) = undo {
        tamper(app, undo).await;
        let v = views(app).await;
        assert!(v.ok(), "after undoing {edit}: {:?}", v.differences);
    }
}

fn differs(table: &'static str, key: String, column: &str, field: Option<&str>, stored: &str, journal: &str) -> Difference {
    Difference {
        table,
        key,
        kind: DiffKind::Differs,
        column: Some(column.into()),
        field: field.map(Into::into),
        stored: Some(stored.into()),
        journal: Some(journal.into()),
    }
}

fn row(table: &'static str, key: String, kind: DiffKind) -> Difference {
    Difference { table, key, kind, column: None, field: None, stored: None, journal: None }
}

async fn every_edit_is_named(app: &mut TestApp) {
    let (held, green, inspected, buyer) = busy_port(app).await;
    let v = views(app).await;
    assert!(v.ok(), "{:?}", v.differences);
    assert!(v.rows > 30, "{} rows", v.rows);
    for t in ["declarations", "risk_hits", "permits", "ceb_inventories", "ceb_quota", "ceb_guarantees", "officer_queue", "rollup_clearance"]
    {
        assert!(v.tables.contains(&t), "{t} is not checked: {:?}", v.tables);
    }
    let (code, out) = cli_verify(app).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("views verified"), "{out}");
    assert!(out.contains("users.password_hash"), "says what it does not check: {out}");

    // The probe: a held declaration's status set to released in the table.
    let id = format!("id={held}");
    named(
        app,
        &format!("UPDATE declarations SET status = 'released' WHERE id = '{held}'"),
        None,
        differs("declarations", id.clone(), "status", None, "released", "held"),
    )
    .await;
    // The API serves the edited status; the CLI and the API both say so, and fail.
    let (_, list) = app.get("/api/v1/declarations?status=released", "officer").await;
    assert!(list.to_string().contains(&held), "{list}");
    let (code, out) = cli_verify(app).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("declarations [id={held}] status: stored \"released\", journal \"held\"")), "{out}");
    let (s, body) = app.get("/api/v1/journal/verify?views=true", "officer").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!((body["ok"].as_bool(), body["first_break"].as_str(), body["views"]["ok"].as_bool()), (Some(false), None, Some(false)));
    assert_eq!(body["views"]["total"], 1);
    assert_eq!(
        body["views"]["differences"][0],
        json!({"table": "declarations", "key": id, "kind": "differs", "column": "status", "field": null, "stored": "released", "journal": "held"})
    );
    assert!(body["views"]["not_checked"].to_string().contains("tokens.hash"), "{body}");
    // Without views=true the chain alone is checked, and it is intact.
    let (_, body) = app.get("/api/v1/journal/verify", "admin").await;
    assert_eq!((body["ok"].as_bool(), body.get("views")), (Some(true), None), "{body}");
    tamper(app, &format!("UPDATE declarations SET status = 'held' WHERE id = '{held}'")).await;
    assert!(views(app).await.ok());

    // The record's JSON, field by field.
    named(
        app,
        &format!("UPDATE declarations SET doc = REPLACE(doc, '\"status\":\"held\"', '\"status\":\"released\"') WHERE id = '{held}'"),
        Some(&format!("UPDATE declarations SET doc = REPLACE(doc, '\"status\":\"released\"', '\"status\":\"held\"') WHERE id = '{held}'")),
        differs("declarations", id.clone(), "doc", Some("status"), "released", "held"),
    )
    .await;
    // A criterion's hit made to look unselected.
    named(
        app,
        &format!("UPDATE risk_hits SET selected = 0 WHERE declaration_id = '{held}' AND criterion = 'SEED-1209'"),
        Some(&format!("UPDATE risk_hits SET selected = 1 WHERE declaration_id = '{held}' AND criterion = 'SEED-1209'")),
        differs("risk_hits", format!("declaration_id={held}, criterion=SEED-1209"), "selected", None, "0", "1"),
    )
    .await;
    // A parcel under inspection shown as released.
    named(
        app,
        &format!("UPDATE ceb_inventories SET status = 'released' WHERE id = '{inspected}'"),
        Some(&format!("UPDATE ceb_inventories SET status = 'inspection' WHERE id = '{inspected}'")),
        differs("ceb_inventories", format!("id={inspected}"), "status", None, "released", "inspection"),
    )
    .await;
    // A buyer's ledger emptied.
    let reserved = text(app, &format!("SELECT reserved FROM ceb_quota WHERE buyer = '1:{buyer}'")).await;
    assert_ne!(reserved.parse::<rust_decimal::Decimal>().unwrap(), rust_decimal::Decimal::ZERO);
    let year = text(app, &format!("SELECT CAST(year AS TEXT) FROM ceb_quota WHERE buyer = '1:{buyer}'")).await;
    named(
        app,
        &format!("UPDATE ceb_quota SET reserved = '0' WHERE buyer = '1:{buyer}'"),
        Some(&format!("UPDATE ceb_quota SET reserved = '{reserved}' WHERE buyer = '1:{buyer}'")),
        differs("ceb_quota", format!("buyer=1:{buyer}, year={year}"), "reserved", None, "0", &reserved),
    )
    .await;
    // A permit's balance restored by rewriting what was written off.
    let doc: Value = serde_json::from_str(&text(app, &format!("SELECT doc FROM permits WHERE id = '{SEED_PERMIT}'")).await).unwrap();
    let used = doc["used"].as_str().unwrap().to_owned();
    assert_eq!(used, "500", "the seed declaration wrote 500 kg off");
    named(
        app,
        &format!("UPDATE permits SET doc = REPLACE(doc, '\"used\":\"{used}\"', '\"used\":\"0\"') WHERE id = '{SEED_PERMIT}'"),
        Some(&format!("UPDATE permits SET doc = REPLACE(doc, '\"used\":\"0\"', '\"used\":\"{used}\"') WHERE id = '{SEED_PERMIT}'")),
        differs("permits", format!("id={SEED_PERMIT}"), "doc", Some("used"), "0", &used),
    )
    .await;
    // A permit slipped in that no one issued.
    named(
        app,
        &format!(
            "INSERT INTO permits (id, holder, valid_to, issued_at_ms, doc) SELECT 'P-FORGED', holder, valid_to, issued_at_ms, doc FROM permits WHERE id = '{SEED_PERMIT}'"
        ),
        Some("DELETE FROM permits WHERE id = 'P-FORGED'"),
        row("permits", "id=P-FORGED".into(), DiffKind::Unexpected),
    )
    .await;
    // A declaration deleted from the view: the journal still makes it.
    named(
        app,
        &format!("DELETE FROM declarations WHERE id = '{green}'"),
        None,
        row("declarations", format!("id={green}"), DiffKind::Missing),
    )
    .await;
    let (code, out) = cli_verify(app).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("declarations [id={green}]: the journal makes this row; it is not stored")), "{out}");
}

#[tokio::test]
async fn every_edit_of_a_view_is_named_while_the_chain_still_verifies() {
    for engine in engines() {
        every_edit_is_named(&mut TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn a_fresh_store_verifies_clean() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        let v = views(&app).await;
        assert!(v.ok(), "{:?}", v.differences);
        assert!(v.rows > 0);
        let (code, out) = cli_verify(&app).await;
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("chain intact") && out.contains("views verified"), "{out}");
    }
}

#[tokio::test]
async fn only_officers_and_administrators_verify_and_one_at_a_time() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    for who in ["declarant", "terminal", "laboratory", "risk-analyst"] {
        assert_eq!(app.get("/api/v1/journal/verify?views=true", who).await.0, 403, "{who}");
    }
    for who in ["officer", "admin"] {
        let (s, body) = app.get("/api/v1/journal/verify?views=true", who).await;
        assert_eq!((s, body["ok"].as_bool()), (200, Some(true)), "{who}: {body}");
    }
    let (s, p) = app.get("/api/v1/journal/verify?views=true&limit=5000", "officer").await;
    assert_eq!((s, p["errors"][0]["path"].as_str(), p["errors"][0]["rule"].as_str()), (422, Some("limit"), Some("limit_range")), "{p}");
    let (s, p) = app.get("/api/v1/journal/verify?views=maybe", "officer").await;
    assert_eq!((s, p["code"].as_str()), (400, Some("malformed_body")), "{p}");
    // While one verification runs on a server, another is refused: a server whose guard the test
    // holds, as a long verification would.
    let state = guomen_api::AppState::new(app.store.clone(), app.data_dir.join("files"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = guomen_api::router_for(state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let ask = || app.http.get(format!("{base}/api/v1/journal/verify?views=true")).bearer_auth(&app.tokens["admin"]).send();
    let running = state.verifying.clone().try_acquire_owned().unwrap();
    let res = ask().await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["rule"].as_str(), Some("verify_running"), "{p}");
    assert!(p["detail_zh"].as_str().is_some_and(|z| !z.is_empty()), "{p}");
    drop(running);
    assert_eq!(ask().await.unwrap().status().as_u16(), 200, "free again");
}

/// A complete declaration (two-step) naming another agent and office than its summary: the row
/// follows the record (the new agent finds it, the old one no longer does) and the views rebuild
/// exactly.
async fn completed_two_step(app: &TestApp) {
    let mut two = green_draft("TWO-VIEWS");
    two["head"]["mode"] = json!("two-step");
    let (s, d) = app.post("/api/v1/declarations", "declarant", &two).await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    let mut complete = two.clone();
    complete["head"]["agent_code"] = Value::Null;
    complete["head"]["customs_master"] = json!("9502");
    let (s, d) = app.post(&format!("/api/v1/declarations/{id}/complete"), "declarant", &complete).await;
    assert_eq!(s, 200, "{d}");
    let row = sqlx::query_as::<_, (Option<String>, String)>("SELECT agent_code, customs_master FROM declarations WHERE id = $1")
        .bind(&id)
        .fetch_one(app.store.read_pool())
        .await
        .unwrap();
    assert_eq!(row, (None, "9502".to_owned()));
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn a_completed_two_step_declaration_keeps_its_row_true() {
    for engine in engines() {
        completed_two_step(&TestApp::spawn(engine).await).await;
    }
}

/// An inventory list changed while it waits for its documents (appType 2), by another sender and
/// to another address: its row follows the list as changed, and the views rebuild exactly.
async fn changed_while_waiting(app: &mut TestApp) {
    use guomen_messages::ceb::compose::{self, Transfer};
    ceb_support::set_up(app).await;
    let p = Parcel::new(950, "110101199003079876");
    let (s, body, _) = ceb_support::post_xml(app, "ecommerce", &p.inventory_xml()).await;
    assert_eq!((s, ceb_support::first(&body, "returnStatus")), (200, "120".to_owned()), "{body}");
    let id = ceb_support::first(&body, "invtNo");
    let mut changed = p.inventory.clone();
    changed.app_type = guomen_domain::ceb::AppType::Change;
    changed.guid = ceb_support::guid(621, 95_001);
    changed.consignee_address = "北京市朝阳区另一条路 8 号".into();
    let by_platform =
        Transfer { cop_code: ceb_support::PLATFORM.into(), cop_name: "示例跨境平台".into(), dxp_id: "DXPENT0000000002".into() };
    let xml = compose::ceb621(&changed.guid, std::slice::from_ref(&changed), &by_platform);
    let (s, body, _) = ceb_support::post_xml(app, "platform", &xml).await;
    assert_eq!((s, ceb_support::first(&body, "invtNo")), (200, id.clone()), "{body}");
    for (xml, who) in &p.messages()[..3] {
        let (s, body, _) = ceb_support::post_xml(app, who, xml).await;
        assert_eq!(s, 200, "{body}");
    }
    let sender = text(app, &format!("SELECT sender FROM ceb_inventories WHERE id = '{id}'")).await;
    assert_eq!(sender, ceb_support::PLATFORM, "the row names who sent the list as it stands");
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn an_inventory_list_changed_while_waiting_keeps_its_row_true() {
    for engine in engines() {
        changed_while_waiting(&mut TestApp::spawn(engine).await).await;
    }
}

/// A database being written to while it is verified: nothing committed meanwhile is taken for
/// tampering, by the store's own verification or by `guomen verify --views` from another process.
async fn verified_while_written(app: &TestApp) {
    app.seeds_red().await;
    let writes = async {
        let mut n = 0;
        for round in 0..6 {
            let filings: Vec<_> = (0..25)
                .map(|i| {
                    n += 1;
                    let d = if i % 2 == 0 { seed_draft(&format!("LIVE-{round}-{i}")) } else { green_draft(&format!("LIVE-{round}-{i}")) };
                    async move { app.post("/api/v1/declarations", "declarant", &d).await }
                })
                .collect();
            for (s, body) in futures_util::future::join_all(filings).await {
                assert_eq!(s, 201, "{body}");
            }
        }
        n
    };
    let checks = async {
        let mut runs = 0;
        for _ in 0..4 {
            let v = app.store.verify_views(20).await.unwrap();
            assert!(v.ok(), "while filings commit: {:?}", v.differences);
            let app_cli = cli_verify(app).await;
            assert_eq!(app_cli.0, Some(0), "{}", app_cli.1);
            runs += 1;
        }
        runs
    };
    let (filed, runs) = tokio::join!(writes, checks);
    assert_eq!((filed, runs), (150, 4));
    let v = views(app).await;
    assert!(v.ok(), "{:?}", v.differences);
}

#[tokio::test]
async fn a_database_written_to_meanwhile_verifies_clean() {
    for engine in engines() {
        verified_while_written(&TestApp::spawn(engine).await).await;
    }
}

/// The demo port — a season of declarations and ten days of cross-border parcels, made through
/// the write path — rebuilds exactly from its journal.
#[tokio::test]
async fn the_demo_port_verifies_clean() {
    for engine in engines() {
        let data = crate::cli::Data::new(engine).await;
        data.ok(&["demo"]).await;
        let out = data.ok(&["verify", "--views"]).await;
        assert!(out.contains("chain intact"), "{out}");
        assert!(out.contains("views verified"), "{out}");
    }
}
