//! A minimal W3C WebDriver client over reqwest, driving Debian's headless Chromium through
//! `/usr/bin/chromedriver` started on a free port: new session, navigate, find by CSS, click,
//! type, read text, run a script, screenshot, delete the session.

use base64::Engine as _;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The key every W3C element reference is stored under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: tokio::process::Child,
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
    _profile: tempfile::TempDir,
}

/// Whether the browser tests can run here. Outside CI a missing browser skips them, loudly;
/// with `CI=true` it fails them.
pub fn available() -> bool {
    let ok = Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists();
    if !ok {
        let msg = format!("{CHROMIUM} or {CHROMEDRIVER} is missing: install Debian's chromium and chromium-driver (scripts/test does)");
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("browser tests cannot run on CI: {msg}");
        }
        eprintln!("\n*** SKIPPING THE BROWSER TESTS: {msg} ***\n");
    }
    ok
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where screenshots go: `target/console-screenshots/` of the workspace (or of CARGO_TARGET_DIR).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let mut ready = false;
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                if r.json::<Value>().await.map(|v| v["value"]["ready"] == true).unwrap_or(false) {
                    ready = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ready, "chromedriver did not become ready on port {port}");
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1366,900".into(),
            "--lang=zh-CN".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args }
        } } });
        let res: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let id = res["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {res}")).to_owned();
        Browser { driver, http, session: format!("{base}/session/{id}"), _profile: profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = v["value"].get("error") {
            panic!("WebDriver {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    async fn try_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        match v["value"].get("error") {
            Some(e) => Err(format!("{e}: {}", v["value"]["message"])),
            None => Ok(v["value"].clone()),
        }
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or("").to_owned()
    }

    /// The first element matching `css`, waiting up to ten seconds for it to appear.
    pub async fn find(&self, css: &str) -> String {
        for _ in 0..100 {
            if let Ok(v) = self.try_call(reqwest::Method::POST, "/element", Some(json!({ "using": "css selector", "value": css }))).await {
                return v[ELEMENT].as_str().unwrap_or_else(|| panic!("find {css}: {v}")).to_owned();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let url = self.url().await;
        panic!("no element {css:?} on {url}");
    }

    pub async fn count(&self, css: &str) -> usize {
        self.call(reqwest::Method::POST, "/elements", Some(json!({ "using": "css selector", "value": css })))
            .await
            .as_array()
            .map_or(0, Vec::len)
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        // Into the middle of the window, clear of the sticky bar at the bottom of long forms.
        self.script("arguments[0].scrollIntoView({block: 'center'});", json!([{ ELEMENT: el }])).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/click"), Some(json!({}))).await;
    }

    /// Clears the field and types `text` into it, as a person would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/clear"), Some(json!({}))).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/value"), Some(json!({ "text": text }))).await;
    }

    pub async fn text(&self, css: &str) -> String {
        let el = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{el}/text"), None).await.as_str().unwrap_or("").to_owned()
    }

    /// Waits up to ten seconds for the text of `css` to contain `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            last = self.text(css).await;
            if last.contains(needle) {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {needle:?}; it shows {last:?}");
    }

    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": args }))).await
    }

    /// Saves a PNG of the whole page (through the DevTools protocol, beyond the window), or of
    /// the window when that is not available.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = screenshot_dir().join(name);
        let size = self.script("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];", json!([])).await;
        let (w, h) = (size[0].as_f64().unwrap_or(1366.0), size[1].as_f64().unwrap_or(900.0).min(6000.0));
        let cdp = json!({ "cmd": "Page.captureScreenshot", "params": { "format": "png", "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": w, "height": h, "scale": 1 } } });
        let b64 = match self.try_call(reqwest::Method::POST, "/goog/cdp/execute", Some(cdp)).await {
            Ok(v) => v["data"].as_str().unwrap_or("").to_owned(),
            Err(_) => self.call(reqwest::Method::GET, "/screenshot", None).await.as_str().unwrap_or("").to_owned(),
        };
        let png = base64::engine::general_purpose::STANDARD.decode(b64).expect("screenshots are base64 PNG");
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Runs an asynchronous script: it ends by calling its last argument with the result.
    pub async fn script_async(&self, script: &str, args: Value) -> Value {
        self.call(reqwest::Method::POST, "/execute/async", Some(json!({ "script": script, "args": args }))).await
    }

    /// Runs a DevTools protocol command (e.g. `Emulation.setEmulatedMedia` to see print styles).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(reqwest::Method::POST, "/goog/cdp/execute", Some(json!({ "cmd": cmd, "params": params }))).await
    }

    /// Resizes the window, e.g. to a phone's 390 px.
    pub async fn window_size(&self, width: u32, height: u32) {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({ "width": width, "height": height }))).await;
    }

    pub async fn quit(mut self) {
        let _ = self.http.delete(&self.session).send().await;
        let _ = self.driver.kill().await;
    }
}
