//! The journal as a transparency log, checked from outside: the checkpoint and proofs served
//! over HTTP pass the independent RFC 9162 verifier (`rfc9162.rs`), checkpoints are signed
//! every N entries or T seconds, bad requests are refused, `guomen verify --checkpoint` finds a
//! truncated, rewritten or altered journal, and an existing data directory gets its tree.

use crate::cli::Data;
use crate::helpers::*;
use crate::rfc9162::{self, H};
use futures_util::StreamExt;
use guomen_domain::party::Role;
use guomen_domain::signing::PublicKeySet;
use guomen_domain::transparency::{consistency_plan, Checkpoint, Frontier};
use guomen_store::{connect_writer, Engine, Location, Store};
use serde_json::Value;
use std::path::Path;

async fn sql(loc: &Location, statement: &str) {
    let mut conn = connect_writer(loc).await.unwrap();
    sqlx::query(statement).execute(&mut conn).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The leaves of the journal's entries, made by the test from the stored hashes.
async fn leaves_of(store: &Store) -> Vec<H> {
    let hashes: Vec<String> = sqlx::query_scalar("SELECT hash FROM journal ORDER BY seq").fetch_all(store.read_pool()).await.unwrap();
    hashes.iter().map(|h| rfc9162::leaf_of(h)).collect()
}

fn hashes(v: &Value) -> Vec<H> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|h| hex::decode(h.as_str().unwrap()).unwrap().try_into().unwrap())
        .collect()
}

async fn public_keys(app: &TestApp) -> PublicKeySet {
    PublicKeySet::parse(&app.http.get(app.url("/api/v1/keys")).send().await.unwrap().text().await.unwrap()).unwrap()
}

/// Grows the journal to at least `n` entries (an API token is one entry).
async fn grow(store: &Store, n: u64) {
    while store.tree_size().await.unwrap() < n {
        issue_token(store, Role::Officer, None).await;
    }
}

async fn served_proofs_pass_the_independent_verifier(app: &TestApp) {
    grow(&app.store, 75).await;
    let signed = app.store.sign_checkpoint().await.unwrap().expect("a checkpoint");
    let leaves = leaves_of(&app.store).await;
    assert_eq!(signed.tree_size, leaves.len() as u64);

    // The checkpoint, without signing in: exactly its five members, signed by the journal's key
    // over the root of every entry.
    let (s, body) = app.send("GET", "/api/v1/journal/checkpoint", None, None).await;
    assert_eq!(s, 200, "{body}");
    let mut members: Vec<&String> = body.as_object().unwrap().keys().collect();
    members.sort();
    assert_eq!(members, ["key_id", "root_hash", "signature", "timestamp", "tree_size"]);
    let cp = Checkpoint::parse(&body.to_string()).unwrap();
    assert_eq!(cp, signed);
    cp.verify(&public_keys(app).await).expect("signed by a published journal key");
    assert_eq!(cp.root_hash, rfc9162::mth(&leaves), "the root is the RFC 6962 tree hash of every entry");

    // Every pair of sizes up to 70, and the whole tree, through HTTP.
    let mut sizes: Vec<u64> = (1..=70).collect();
    sizes.push(leaves.len() as u64);
    let mut asks = Vec::new();
    for &n in &sizes {
        for k in 1..=n {
            asks.push((format!("/api/v1/journal/proof/inclusion?entry={k}&size={n}"), true, k, n));
            asks.push((format!("/api/v1/journal/proof/consistency?from={k}&to={n}"), false, k, n));
        }
    }
    let roots: Vec<H> = (0..=leaves.len()).map(|n| rfc9162::mth(&leaves[..n])).collect();
    let failures: Vec<String> = futures_util::stream::iter(asks)
        .map(|(path, inclusion, k, n)| {
            let (leaves, roots) = (&leaves, &roots);
            async move {
                let (s, body) = app.send("GET", &path, None, None).await;
                let ok = s == 200
                    && if inclusion {
                        body["leaf_index"] == k - 1
                            && body["tree_size"] == n
                            && rfc9162::verify_inclusion(
                                k - 1,
                                n,
                                &leaves[k as usize - 1],
                                &hashes(&body["audit_path"]),
                                &roots[n as usize],
                            )
                    } else {
                        body["from"] == k
                            && body["to"] == n
                            && rfc9162::verify_consistency(k, n, &roots[k as usize], &roots[n as usize], &hashes(&body["proof"]))
                    };
                (!ok).then(|| format!("{path}: {s} {body}"))
            }
        })
        .buffer_unordered(8)
        .filter_map(|f| async move { f })
        .collect()
        .await;
    assert!(failures.is_empty(), "{} proofs fail:\n{}", failures.len(), failures.join("\n"));

    // Without a size, a proof is to the latest checkpoint.
    grow(&app.store, leaves.len() as u64 + 3).await;
    let (_, p) = app.send("GET", "/api/v1/journal/proof/inclusion?entry=7", None, None).await;
    assert_eq!(p["tree_size"], cp.tree_size);
    assert!(rfc9162::verify_inclusion(6, cp.tree_size, &leaves[6], &hashes(&p["audit_path"]), &cp.root_hash));
    let (_, p) = app.send("GET", "/api/v1/journal/proof/consistency?from=40", None, None).await;
    assert_eq!(p["to"], cp.tree_size);
    assert!(rfc9162::verify_consistency(40, cp.tree_size, &roots[40], &cp.root_hash, &hashes(&p["proof"])));
    // The next checkpoint is consistent with this one.
    let next = app.store.sign_checkpoint().await.unwrap().unwrap();
    assert!(next.tree_size > cp.tree_size);
    let (_, p) =
        app.send("GET", &format!("/api/v1/journal/proof/consistency?from={}&to={}", cp.tree_size, next.tree_size), None, None).await;
    assert!(rfc9162::verify_consistency(cp.tree_size, next.tree_size, &cp.root_hash, &next.root_hash, &hashes(&p["proof"])));
}

#[tokio::test]
async fn served_checkpoints_and_proofs_pass_an_independent_rfc_9162_verifier() {
    for engine in engines() {
        served_proofs_pass_the_independent_verifier(&TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn bad_proof_requests_are_refused_with_catalogued_rules() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let size = app.store.tree_size().await.unwrap();
    app.store.sign_checkpoint().await.unwrap();
    let checkpoints = app.store.count("journal_checkpoints").await.unwrap();
    let over = size + 1;
    for (query, status, rule, path) in [
        ("inclusion?entry=0&size=3".to_owned(), 422, "proof_entry", "entry"),
        ("inclusion?entry=4&size=3".to_owned(), 422, "proof_entry", "entry"),
        (format!("inclusion?entry=1&size={over}"), 422, "tree_size", "size"),
        ("inclusion?entry=1&size=0".to_owned(), 422, "tree_size", "size"),
        ("inclusion?size=3".to_owned(), 422, "required", "entry"),
        ("inclusion?entry=first".to_owned(), 400, "malformed", "entry"),
        ("inclusion?entry=-1".to_owned(), 400, "malformed", "entry"),
        ("inclusion?entry=1&leaf=2".to_owned(), 400, "malformed", "leaf"),
        ("consistency?from=0&to=3".to_owned(), 422, "consistency_range", "from"),
        ("consistency?from=4&to=3".to_owned(), 422, "consistency_range", "from"),
        (format!("consistency?from=1&to={over}"), 422, "tree_size", "to"),
        ("consistency?to=3".to_owned(), 422, "required", "from"),
        ("consistency?from=1&to=3.5".to_owned(), 400, "malformed", "to"),
    ] {
        let (s, body) = app.send("GET", &format!("/api/v1/journal/proof/{query}"), None, None).await;
        assert_eq!(s, status, "{query}: {body}");
        assert_eq!(body["errors"][0]["rule"], rule, "{query}: {body}");
        assert_eq!(body["errors"][0]["path"], path, "{query}: {body}");
        assert!(body["errors"][0]["message_zh"].as_str().is_some_and(|m| !m.is_empty()), "{query}: {body}");
    }
    // Nothing changed: no entry, no checkpoint.
    assert_eq!(app.store.tree_size().await.unwrap(), size);
    assert_eq!(app.store.count("journal_checkpoints").await.unwrap(), checkpoints);
}

#[tokio::test]
async fn before_the_first_checkpoint_there_is_none_to_serve() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&fresh_location(Engine::Sqlite, dir.path()).await).await.unwrap();
    let app = guomen_api::router(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let res = reqwest::get(format!("http://{addr}/api/v1/journal/checkpoint")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(store.sign_checkpoint().await.unwrap(), None, "an empty journal has nothing to sign");
}

async fn checkpoints_follow_the_policy(app: &TestApp) {
    let keys = public_keys(app).await;
    app.store.set_checkpoint_policy(5, 3600);
    let base = app.store.sign_checkpoint().await.unwrap().unwrap().tree_size;
    for _ in 0..12 {
        issue_token(&app.store, Role::Officer, None).await;
    }
    let end = app.store.tree_size().await.unwrap();
    assert_eq!(end, base + 12, "a token is one entry");
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT tree_size, root_hash, signed_at_ms, key_id, signature FROM journal_checkpoints WHERE tree_size > $1 ORDER BY tree_size",
    )
    .bind(base as i64)
    .fetch_all(app.store.read_pool())
    .await
    .unwrap();
    let sizes: Vec<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(sizes, [base as i64 + 5, base as i64 + 10], "one checkpoint each time five entries waited");
    let leaves = leaves_of(&app.store).await;
    for (size, root, signed_at_ms, key_id, signature) in rows {
        let root_hash: H = hex::decode(&root).unwrap().try_into().unwrap();
        assert_eq!(root_hash, rfc9162::mth(&leaves[..size as usize]));
        let signature = guomen_domain::signing::decode_signature(&signature).unwrap();
        let cp = Checkpoint { tree_size: size as u64, root_hash, timestamp_ms: signed_at_ms, key_id, signature };
        cp.verify(&keys).unwrap_or_else(|e| panic!("checkpoint of {size}: {e}"));
    }
    assert_eq!(app.store.latest_checkpoint().await.unwrap().unwrap().tree_size, base + 10);

    // By time: one more entry, and within the policy's second a checkpoint covers it with no
    // further command.
    app.store.set_checkpoint_policy(1000, 1);
    issue_token(&app.store, Role::Officer, None).await;
    let size = app.store.tree_size().await.unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let latest = app.store.latest_checkpoint().await.unwrap().unwrap();
        if latest.tree_size == size {
            latest.verify(&keys).unwrap();
            assert_eq!(latest.root_hash, rfc9162::mth(&leaves_of(&app.store).await));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no checkpoint of {size} entries came by time");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.store.tree_size().await.unwrap(), size, "the checkpoint is no journal entry");
}

#[tokio::test]
async fn checkpoints_are_signed_every_n_entries_or_t_seconds() {
    for engine in engines() {
        checkpoints_follow_the_policy(&TestApp::spawn(engine).await).await;
    }
}

/// `guomen verify --checkpoint FILE --keys KEYS` over the app's data: (exit code, stdout).
async fn verify_cli(app: &TestApp, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_guomen"));
    cmd.arg("verify").args(args).arg("--data").arg(&app.data_dir).env("GUOMEN_LOG", "warn").env_remove("GUOMEN_DATABASE");
    if app.engine == Engine::Postgres {
        cmd.arg("--database").arg(&app.location.url);
    }
    let out = cmd.output().await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), format!("{text}{}", String::from_utf8_lossy(&out.stderr)))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A careful forger: rewrites entry `seq`'s actor, then every hash after it so the chain holds
/// together, and the Merkle tree over the new entries.
async fn rewrite_whole_chain(app: &TestApp, seq: i64) {
    type Row = (i64, String, String, String, i64, String);
    let rows: Vec<Row> = sqlx::query_as("SELECT seq, stream, kind, actor, at_ms, payload FROM journal ORDER BY seq")
        .fetch_all(app.store.read_pool())
        .await
        .unwrap();
    let mut conn = connect_writer(&app.location).await.unwrap();
    let mut prev = guomen_domain::journal::GENESIS.to_owned();
    let mut frontier = Frontier::new();
    let mut nodes = Vec::new();
    for (s, stream, kind, actor, at_ms, payload) in &rows {
        let actor = if *s == seq { "someone-else".to_owned() } else { actor.clone() };
        let fields = guomen_domain::journal::EntryFields { seq: *s, stream, kind, actor: &actor, at_ms: *at_ms, payload };
        let hash = guomen_domain::journal::entry_hash(&prev, &fields);
        sqlx::query("UPDATE journal SET actor = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&actor)
            .bind(&prev)
            .bind(&hash)
            .bind(*s)
            .execute(&mut conn)
            .await
            .unwrap();
        frontier.push(rfc9162::leaf_of(&hash), |n, h| {
            if n.level > 0 {
                nodes.push((n, *h));
            }
        });
        prev = hash;
    }
    sqlx::query("DELETE FROM journal_tree").execute(&mut conn).await.unwrap();
    for (n, h) in nodes {
        sqlx::query("INSERT INTO journal_tree (level, idx, hash) VALUES ($1, $2, $3)")
            .bind(i64::from(n.level))
            .bind(n.index as i64)
            .bind(hex::encode(h))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

async fn verify_finds_what_was_done(app: &TestApp) {
    let outside = tempfile::tempdir().unwrap();
    grow(&app.store, 30).await;
    let cp = app.store.sign_checkpoint().await.unwrap().unwrap();
    let (s, body) = app.send("GET", "/api/v1/journal/checkpoint", None, None).await;
    assert_eq!(s, 200);
    let file = write(outside.path(), "checkpoint.json", &body.to_string());
    let keys_text = app.http.get(app.url("/api/v1/keys")).send().await.unwrap().text().await.unwrap();
    let keys = write(outside.path(), "keys.json", &keys_text);
    let with_keys = ["--checkpoint", file.as_str(), "--keys", keys.as_str()];

    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("journal extends the checkpoint: {0} → {0} entries", cp.tree_size)), "{out}");

    // The journal grows: it still extends the checkpoint.
    grow(&app.store, cp.tree_size + 9).await;
    let now = app.store.tree_size().await.unwrap();
    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("{} → {now} entries", cp.tree_size)), "{out}");

    // A checkpoint altered, or checked with another journal's keys: its signature fails.
    let forged =
        write(outside.path(), "forged.json", &body.to_string().replace(&format!("\"tree_size\":{}", cp.tree_size), "\"tree_size\":3"));
    let (code, out) = verify_cli(app, &["--checkpoint", &forged, "--keys", &keys]).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("checkpoint signature does NOT verify"), "{out}");
    let other = Store::open(&Location::parse("sqlite::memory:").unwrap()).await.unwrap();
    let other_keys = write(outside.path(), "other-keys.json", &serde_json::to_string(&other.keyring().public_keys().unwrap()).unwrap());
    let (code, out) = verify_cli(app, &["--checkpoint", &file, "--keys", &other_keys]).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("no public key JOURNAL-"), "{out}");

    // The stored tree altered (a subtree the consistency proof uses): the entries still extend
    // the checkpoint, the proofs served would not.
    let node = consistency_plan(cp.tree_size, now).unwrap().nodes().find(|n| n.level > 0).expect("a stored subtree");
    let kept: String = sqlx::query_scalar(&format!("SELECT hash FROM journal_tree WHERE level = {} AND idx = {}", node.level, node.index))
        .fetch_one(app.store.read_pool())
        .await
        .unwrap();
    let node_sql = |hash: &str| format!("UPDATE journal_tree SET hash = '{hash}' WHERE level = {} AND idx = {}", node.level, node.index);
    sql(&app.location, &node_sql(&"0".repeat(64))).await;
    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Merkle tree ALTERED"), "{out}");
    sql(&app.location, &node_sql(&kept)).await;
    assert_eq!(verify_cli(app, &with_keys).await.0, Some(0));

    // The whole chain rewritten so that it holds together (and its tree with it): the chain
    // alone verifies, the checkpoint kept elsewhere does not.
    rewrite_whole_chain(app, 2).await;
    let (code, out) = verify_cli(app, &[]).await;
    assert_eq!(code, Some(0), "the rewritten chain holds together: {out}");
    assert!(out.contains("chain intact"), "{out}");
    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("journal REWRITTEN: its first {} entries do not hash to the checkpoint's root", cp.tree_size)), "{out}");

    // Truncated below the checkpoint: the chain alone still verifies (it just ends sooner).
    sql(&app.location, &format!("DELETE FROM journal WHERE seq > {}", cp.tree_size - 4)).await;
    let (code, out) = verify_cli(app, &[]).await;
    assert_eq!(code, Some(0), "a truncated chain holds together: {out}");
    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("journal TRUNCATED: it holds {} entries; the checkpoint covers {}", cp.tree_size - 4, cp.tree_size)),
        "{out}"
    );

    // An entry altered (not re-chained): the break is named.
    sql(&app.location, "UPDATE journal SET kind = 'altered' WHERE seq = 5").await;
    let (code, out) = verify_cli(app, &with_keys).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("journal BROKEN after 4 good entries: entry 5"), "{out}");
}

#[tokio::test]
async fn guomen_verify_checkpoint_finds_truncation_rewriting_and_an_altered_tree() {
    for engine in engines() {
        verify_finds_what_was_done(&TestApp::spawn(engine).await).await;
    }
}

async fn journal_checkpoint_command(engine: Engine) {
    let data = Data::new(engine).await;
    let err = data.fails(&["journal", "checkpoint"]).await;
    if engine == Engine::Sqlite {
        assert!(err.contains("holds no Guomen database"), "{err}");
    }
    data.register_port().await;
    let signed = data.ok(&["journal", "checkpoint", "--new"]).await;
    let cp = Checkpoint::parse(&signed).unwrap();
    // The latest, printed again without signing.
    assert_eq!(Checkpoint::parse(&data.ok(&["journal", "checkpoint"]).await).unwrap(), cp);
    let keys = PublicKeySet::parse(&data.ok(&["keys", "--json"]).await).unwrap();
    cp.verify(&keys).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let file = write(outside.path(), "cp.json", &signed);
    let out = data.ok(&["verify", "--checkpoint", &file]).await;
    assert!(out.contains("checkpoint signature verified") && out.contains("journal extends the checkpoint"), "{out}");
    // Signing again with nothing new gives the same checkpoint.
    assert_eq!(Checkpoint::parse(&data.ok(&["journal", "checkpoint", "--new"]).await).unwrap(), cp);
    // The serve settings refuse 0.
    let err = data.fails(&["serve", "--checkpoint-entries", "0"]).await;
    assert!(err.contains("--checkpoint-entries"), "{err}");
}

#[tokio::test]
async fn guomen_journal_checkpoint_prints_or_signs_the_checkpoint() {
    for engine in engines() {
        journal_checkpoint_command(engine).await;
    }
}

/// Opens a store again once the last handle's writer has let go (PostgreSQL's writer lock).
async fn reopen(loc: &Location) -> Store {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match Store::open(loc).await {
            Ok(s) => return s,
            Err(e) if tokio::time::Instant::now() < deadline => {
                eprintln!("reopen: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot reopen: {e}"),
        }
    }
}

async fn an_existing_journal_gets_its_tree(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let loc = fresh_location(engine, dir.path()).await;
    let store = Store::open(&loc).await.unwrap();
    grow(&store, 45).await;
    drop(store);
    // As a database written before the tree was kept: no tree tables, migration 9 not applied.
    sql(&loc, "DROP TABLE journal_tree").await;
    sql(&loc, "DROP TABLE journal_checkpoints").await;
    sql(&loc, "DELETE FROM schema_migrations WHERE version = 9").await;

    let store = reopen(&loc).await;
    assert!(store.count("journal_tree").await.unwrap() > 0, "the tree was built on open");
    let leaves = leaves_of(&store).await;
    assert_eq!(leaves.len(), 45);
    let cp = store.sign_checkpoint().await.unwrap().unwrap();
    assert_eq!((cp.tree_size, cp.root_hash), (45, rfc9162::mth(&leaves)));
    for (m, n) in [(1, 45), (17, 45), (32, 45), (45, 45)] {
        let p = store.consistency_proof(m, Some(n)).await.unwrap();
        assert!(rfc9162::verify_consistency(m, n, &rfc9162::mth(&leaves[..m as usize]), &cp.root_hash, &p.proof), "{m} → {n}");
        let p = store.inclusion_proof(m, Some(n)).await.unwrap();
        assert!(rfc9162::verify_inclusion(m - 1, n, &leaves[m as usize - 1], &p.audit_path, &cp.root_hash), "{m} in {n}");
    }
    // The writer carries on from the built tree.
    grow(&store, 50).await;
    let cp = store.sign_checkpoint().await.unwrap().unwrap();
    assert_eq!(cp.root_hash, rfc9162::mth(&leaves_of(&store).await));
    // Opened again, nothing is rebuilt and nothing differs.
    let nodes = store.count("journal_tree").await.unwrap();
    drop(store);
    let store = reopen(&loc).await;
    assert_eq!(store.count("journal_tree").await.unwrap(), nodes);
    assert_eq!(store.latest_checkpoint().await.unwrap(), Some(cp));
}

#[tokio::test]
async fn an_existing_data_directory_gets_its_tree_built_on_open() {
    for engine in engines() {
        an_existing_journal_gets_its_tree(engine).await;
    }
}
