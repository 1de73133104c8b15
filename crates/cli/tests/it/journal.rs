//! The journal proves itself: any altered, removed or reordered entry is found, by the API and
//! by `guomen verify`, and named. Concurrent commands share commits.

use crate::helpers::*;
use guomen_store::connect_writer;

async fn tamper(app: &TestApp, sql: &str) {
    let mut conn = connect_writer(&app.location).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}

async fn first_break(app: &TestApp) -> Option<String> {
    app.store.verify().await.unwrap().first_break.map(|b| b.to_string())
}

async fn tampering_is_found(app: &TestApp) {
    app.seeds_red().await;
    for n in 0..5 {
        let (s, _) = app.post("/api/v1/declarations", "declarant", &seed_draft(&format!("JRN-{n:04}"))).await;
        assert_eq!(s, 201);
    }
    let report = app.store.verify().await.unwrap();
    assert!(report.first_break.is_none());
    let total = app.store.count("journal").await.unwrap();
    assert_eq!(report.checked as i64, total);
    let (_, v) = app.get("/api/v1/journal/verify", "admin").await;
    assert_eq!(v["ok"], true);

    // Altered: the lane of the third risk decision rewritten.
    let altered: i64 = sqlx::query_scalar("SELECT seq FROM journal WHERE kind = 'risk_assessed' ORDER BY seq LIMIT 1 OFFSET 2")
        .fetch_one(app.store.read_pool())
        .await
        .unwrap();
    tamper(app, &format!("UPDATE journal SET payload = REPLACE(payload, '\"red\"', '\"green\"') WHERE seq = {altered}")).await;
    assert_eq!(first_break(app).await, Some(format!("entry {altered}: its content does not match its hash; it was altered")));
    let (_, v) = app.get("/api/v1/journal/verify", "admin").await;
    assert_eq!(v["ok"], false);
    assert!(v["first_break"].as_str().unwrap().starts_with(&format!("entry {altered}")));

    // Removed: an entry before it deleted; the gap is named.
    let removed = altered - 5;
    tamper(app, &format!("DELETE FROM journal WHERE seq = {removed}")).await;
    assert_eq!(
        first_break(app).await,
        Some(format!("entry {}: expected entry {removed} here; entries were removed or reordered", removed + 1))
    );

    // Reordered: two entries swap places (their sequence numbers exchanged).
    tamper(app, "UPDATE journal SET seq = -1 WHERE seq = 3").await;
    tamper(app, "UPDATE journal SET seq = 3 WHERE seq = 4").await;
    tamper(app, "UPDATE journal SET seq = 4 WHERE seq = -1").await;
    assert_eq!(first_break(app).await.as_deref(), Some("entry 3: its link to the previous entry is broken"));
}

#[tokio::test]
async fn verify_names_the_first_altered_removed_or_reordered_entry() {
    for engine in engines() {
        tampering_is_found(&TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn guomen_verify_exits_non_zero_on_a_break() {
    let app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let (s, _) = app.post("/api/v1/declarations", "declarant", &green_draft("JRN-CLI")).await;
    assert_eq!(s, 201);
    let run = || std::process::Command::new(env!("CARGO_BIN_EXE_guomen")).args(["verify", "--data"]).arg(&app.data_dir).output().unwrap();
    let ok = run();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("chain intact"));
    tamper(&app, "UPDATE journal SET actor = 'someone-else' WHERE seq = 2").await;
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stdout).contains("entry 2"), "{}", String::from_utf8_lossy(&broken.stdout));
}

async fn group_commit(app: &TestApp) {
    let (commits_before, commands_before) = app.store.writer_stats();
    let drafts: Vec<_> = (0..200).map(|n| green_draft(&format!("GC-{n:05}"))).collect();
    let filings: Vec<_> = drafts.iter().map(|d| app.post("/api/v1/declarations", "declarant", d)).collect();
    let results = futures_util::future::join_all(filings).await;
    assert!(results.iter().all(|(s, _)| *s == 201));
    let (commits, commands) = app.store.writer_stats();
    let (commits, commands) = (commits - commits_before, commands - commands_before);
    // The 200 filings, and the record of the token's first use (at most one a minute per token).
    assert!((200..=201).contains(&commands), "{commands} commands");
    assert!(commits < commands, "200 concurrent filings took {commits} commits: no group commit");
    assert!(app.store.verify().await.unwrap().first_break.is_none());
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn concurrent_filings_share_durable_commits() {
    for engine in engines() {
        group_commit(&TestApp::spawn(engine).await).await;
    }
}
