//! The command line as an operator uses it, with the real `guomen` binary: enterprises, users,
//! tokens and rules set up from the shell, then `guomen serve` answering over HTTP, then
//! `guomen verify` over what it wrote.

use crate::helpers::*;
use guomen_domain::types::CreditCode;
use guomen_store::Engine;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The longest any one command, start-up or request may take.
pub const WAIT: Duration = Duration::from_secs(60);

/// A test's data: a temp directory, and on PostgreSQL a fresh schema passed as `--database`.
pub struct Data {
    pub dir: tempfile::TempDir,
    pub database: Option<String>,
}

impl Data {
    pub async fn new(engine: Engine) -> Data {
        let dir = tempfile::tempdir().unwrap();
        let database = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(fresh_location(engine, dir.path()).await.url),
        };
        Data { dir, database }
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_guomen"));
        cmd.args(args).arg("--data").arg(self.dir.path());
        if let Some(url) = &self.database {
            cmd.arg("--database").arg(url);
        }
        cmd.env_remove("GUOMEN_DATA").env_remove("GUOMEN_DATABASE").env("GUOMEN_LOG", "warn").stdin(Stdio::null()).kill_on_drop(true);
        cmd
    }

    /// Runs `guomen ARGS… --data DIR [--database URL]` to the end.
    pub async fn run(&self, args: &[&str]) -> Output {
        tokio::time::timeout(WAIT, self.command(args).output())
            .await
            .unwrap_or_else(|_| panic!("guomen {args:?} did not finish within {WAIT:?}"))
            .expect("run guomen")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "guomen {args:?} failed ({}): {err}", out.status);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail; returns its standard error.
    pub async fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "guomen {args:?} should have failed: {text}");
        String::from_utf8(out.stderr).unwrap()
    }

    /// `guomen token issue ARGS…`: the token, alone on one line.
    pub async fn token(&self, args: &[&str]) -> String {
        let out = self.ok(&[&["token", "issue"][..], args].concat()).await;
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "the token alone on stdout: {out:?}");
        assert!(lines[0].starts_with("gm_"), "{out:?}");
        lines[0].to_owned()
    }

    /// Registers the trader (advanced), the broker (registered) and the terminal at SITE.
    pub async fn register_port(&self) {
        for (code, prefix, name, grade, site) in [
            (TRADER, "91620700MA7XN1234", "东方种子有限公司", "advanced", None),
            (BROKER, "91620700MA7XN5678", "河西报关行", "registered", None),
            (TERMINAL, "91620700MA7XP0001", "L机场货站", "registered", Some(SITE)),
        ] {
            let credit = CreditCode::complete(prefix).unwrap().to_string();
            let mut args = vec!["enterprise", "add", "--code", code, "--credit-code", &credit, "--name", name, "--grade", grade];
            if let Some(s) = site {
                args.extend(["--site-code", s]);
            }
            let out = self.ok(&args).await;
            assert!(out.contains(&format!("enterprise {code} registered")), "{out}");
        }
        // The trader's mandate to its broker, recorded by the operator (the drafts name BROKER).
        let until = (time::OffsetDateTime::now_utc().date() + time::Duration::days(365)).to_string();
        let out =
            self.ok(&["mandate", "grant", "--consignor", TRADER, "--agent", BROKER, "--scope", "declarations", "--until", &until]).await;
        assert!(out.starts_with("mandate WT"), "{out}");
    }

    /// Starts `guomen serve --listen 127.0.0.1:0` and waits until it says where it serves.
    pub async fn serve(&self) -> Server {
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let log = self.dir.path().join(format!("serve-{}.log", STARTS.fetch_add(1, Ordering::Relaxed)));
            let mut cmd = self.command(&["serve", "--listen", "127.0.0.1:0"]);
            cmd.stdout(Stdio::piped()).stderr(std::fs::File::create(&log).unwrap());
            let mut child = cmd.spawn().expect("spawn guomen serve");
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let addr = tokio::time::timeout_at(deadline, async {
                while let Some(line) = lines.next_line().await.ok()? {
                    if let Some(rest) = line.split("serving on http://").nth(1) {
                        return rest.split('/').next().map(str::to_owned);
                    }
                }
                None
            })
            .await
            .unwrap_or_else(|_| panic!("guomen serve did not start within {WAIT:?}"));
            if let Some(addr) = addr {
                assert!(addr.starts_with("127.0.0.1:"), "{addr}");
                // Keep reading, so that the server never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                let http = reqwest::Client::builder().timeout(WAIT).build().unwrap();
                return Server { child, base: format!("http://{addr}"), http, log };
            }
            let status = tokio::time::timeout(WAIT, child.wait()).await.expect("serve exits").unwrap();
            let err = std::fs::read_to_string(&log).unwrap_or_default();
            // A killed predecessor may hold PostgreSQL's writer lock until the server notices.
            if !err.contains("another Guomen process is writing") || tokio::time::Instant::now() > deadline {
                panic!("guomen serve exited ({status}) before serving: {err}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// A running `guomen serve`; killed if dropped.
pub struct Server {
    child: tokio::process::Child,
    pub base: String,
    pub http: reqwest::Client,
    log: PathBuf,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let res = self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let res = self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// SIGTERM, then a clean exit.
    pub async fn stop(mut self) {
        let pid = self.child.id().expect("server still running").to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(WAIT, self.child.wait()).await.expect("server stops on SIGTERM").unwrap();
        let err = std::fs::read_to_string(&self.log).unwrap_or_default();
        assert!(status.success(), "guomen serve exited {status} on SIGTERM: {err}");
    }

    /// SIGKILL: no chance to finish anything.
    pub async fn kill(mut self) {
        tokio::time::timeout(WAIT, self.child.kill()).await.expect("server dies").unwrap();
    }
}

fn rules(lane: &str) -> Value {
    json!({
        "min_random_percent": "0",
        "criteria": [{
            "id": "SEED-1209", "description": "seeds", "when": { "hs_prefixes": ["1209"] },
            "lane": lane, "rate_percent": "100", "lab_sampling": true, "check_type": "quarantine"
        }]
    })
}

#[tokio::test]
async fn the_command_line_sets_up_a_port_that_serves_and_verifies() {
    let data = Data::new(Engine::Sqlite).await;
    data.register_port().await;

    // A wrong check character: refused in both languages, naming the field, registering nothing.
    let valid = CreditCode::complete("91620700MA7XQ0009").unwrap().to_string();
    let bad = format!("{}{}", &valid[..17], if valid.ends_with('0') { '1' } else { '0' });
    let err = data
        .fails(&["enterprise", "add", "--code", "6201970009", "--credit-code", &bad, "--name", "坏代码公司", "--grade", "registered"])
        .await;
    for want in ["credit_code", "unified social credit code", "统一社会信用代码", "校验码不正确"] {
        assert!(err.contains(want), "{want:?} missing from {err}");
    }

    data.ok(&["user", "add", "--username", "officer.li", "--password", "guan-men-2026", "--role", "officer"]).await;
    let out = data
        .ok(&["user", "add", "--username", "wang.decl", "--password", "dongfang-seeds", "--role", "declarant", "--enterprise", TRADER])
        .await;
    assert!(out.contains("user wang.decl created"), "{out}");
    let err = data.fails(&["user", "add", "--username", "zhao.decl", "--password", "nobody-at-all", "--role", "declarant"]).await;
    assert!(err.contains("enterprise") && err.contains("须指定所属企业"), "{err}");

    let declarant = data.token(&["--role", "declarant", "--enterprise", TRADER]).await;
    let admin = data.token(&["--role", "admin"]).await;

    let file = data.dir.path().join("rules.json");
    std::fs::write(&file, rules("red").to_string()).unwrap();
    let out = data.ok(&["rules", "load", file.to_str().unwrap()]).await;
    assert!(out.contains("rule set version 1 published with 1 criteria"), "{out}");
    std::fs::write(&file, rules("green").to_string()).unwrap();
    let err = data.fails(&["rules", "load", file.to_str().unwrap()]).await;
    assert!(err.contains("criteria[0].lane"), "{err}");

    let officer = data.token(&["--role", "officer"]).await;
    let server = data.serve().await;
    // Seeds for sowing need a quarantine permit: the officer issues the one seed_draft names.
    let permit = serde_json::json!({
        "id": crate::helpers::SEED_PERMIT, "holder": TRADER, "hs_prefixes": ["1209"], "botanical_name": "Cucurbita moschata",
        "origin_countries": ["NLD"], "quantity": "1000", "unit": "035",
        "valid_from": (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string(),
        "valid_to": (time::OffsetDateTime::now_utc().date() + time::Duration::days(90)).to_string()
    });
    let (s, p) = server.post("/api/v1/permits", &officer, &permit).await;
    assert_eq!(s, 201, "{p}");
    let (s, d) = server.post("/api/v1/declarations", &declarant, &seed_draft("CLI-0001")).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["lane"], "red", "{d}");
    let (_, d) = server.get(&format!("/api/v1/declarations/{}", d["id"].as_str().unwrap()), &officer).await;
    assert_eq!(d["decision"]["ruleset_version"], 1, "the rejected file published nothing: {d}");
    let res = server.http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let (s, list) = server.get("/api/v1/enterprises", &admin).await;
    assert_eq!(s, 200, "{list}");
    let mut codes: Vec<&str> = list["enterprises"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, [TRADER, BROKER, TERMINAL], "the refused enterprise was not registered");
    server.stop().await;

    let out = data.ok(&["verify", "--views"]).await;
    assert!(out.contains("chain intact"), "{out}");
    assert!(out.contains("views verified"), "{out}");
}

#[tokio::test]
async fn the_command_line_grants_lists_and_revokes_mandates() {
    let data = Data::new(Engine::Sqlite).await;
    data.register_port().await;
    let out = data.ok(&["mandate", "list"]).await;
    let line = out.lines().next().unwrap().to_owned();
    assert!(line.contains(&format!("{TRADER} -> {BROKER}  declarations")) && line.ends_with("active"), "{out}");
    let id = line.split_whitespace().next().unwrap().to_owned();

    // Refused in both languages, naming the field.
    let until = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let err = data.fails(&["mandate", "grant", "--consignor", TRADER, "--agent", BROKER, "--scope", "manifests", "--until", &until]).await;
    assert!(err.contains("scopes[0]") && err.contains("不是委托事项"), "{err}");
    let out = data
        .ok(&["mandate", "grant", "--consignor", BROKER, "--agent", TRADER, "--scope", "declarations,ceb-inventories", "--until", &until])
        .await;
    assert!(out.contains(&format!("{BROKER} -> {TRADER}  declarations,ceb-inventories")), "{out}");

    let out = data.ok(&["mandate", "revoke", &id, "--reason", "合同到期"]).await;
    assert!(out.contains(&format!("mandate {id} revoked")) && out.trim_end().ends_with("revoked"), "{out}");
    let err = data.fails(&["mandate", "revoke", &id, "--reason", "again"]).await;
    assert!(err.contains("already revoked") && err.contains("已于"), "{err}");
    let out = data.ok(&["mandate", "list", "--enterprise", BROKER]).await;
    assert_eq!(out.lines().count(), 2, "{out}");
    let out = data.ok(&["mandate", "list", "--enterprise", TERMINAL]).await;
    assert_eq!(out.trim(), "no mandates");
    let out = data.ok(&["verify"]).await;
    assert!(out.contains("chain intact"), "{out}");
}

#[tokio::test]
async fn tokens_are_issued_listed_and_revoked_from_the_shell_and_serve_keeps_a_security_log() {
    for engine in engines() {
        let data = Data::new(engine).await;
        let token = data.token(&["--role", "officer", "--days", "7", "--label", "audit desk"]).await;
        let id = token.split('_').nth(1).unwrap().to_owned();
        let err = data.fails(&["token", "issue", "--role", "officer", "--days", "0"]).await;
        assert!(err.contains("expires_in_days") && err.contains("1 至 3650 天"), "{err}");
        let list = data.ok(&["token", "list"]).await;
        let line = list.lines().find(|l| l.starts_with(&id)).unwrap_or_else(|| panic!("{list}"));
        assert!(line.contains("audit desk") && line.ends_with("active"), "{line}");
        assert!(!list.contains(token.rsplit('_').next().unwrap()), "never the secret: {list}");

        let server = data.serve().await;
        let (s, _) = server.get("/api/v1/declarations", &token).await;
        assert_eq!(s, 200);
        let res = server.http.get(server.url("/api/v1/declarations")).bearer_auth("gm_000000000000_forged").send().await.unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(res.headers()["x-request-id"].to_str().unwrap().len(), 32);
        server.stop().await;
        // `serve` wrote DATA/security.log, with the client's address from the socket.
        let log = std::fs::read_to_string(data.dir.path().join("security.log")).unwrap();
        let line: Value = serde_json::from_str(log.lines().find(|l| l.contains("auth_failed")).unwrap()).unwrap();
        assert_eq!((line["client"].as_str(), line["detail"]["reason"].as_str()), (Some("127.0.0.1"), Some("unknown")), "{line}");

        let out = data.ok(&["token", "revoke", &id, "--reason", "desk closed"]).await;
        assert!(out.contains(&format!("token {id} revoked")), "{out}");
        assert!(data.ok(&["token", "list"]).await.lines().any(|l| l.starts_with(&id) && l.ends_with("revoked")));
        let err = data.fails(&["token", "revoke", &id]).await;
        assert!(err.contains("已吊销"), "{err}");
        assert!(data.fails(&["token", "revoke", "nosuchtoken"]).await.contains("not found"));
        let server = data.serve().await;
        let (s, p) = server.get("/api/v1/declarations", &token).await;
        assert_eq!((s, p["detail"].as_str()), (401, Some("the API token has been revoked")), "{p}");
        server.stop().await;
        assert!(data.ok(&["verify"]).await.contains("chain intact"));
    }
}
