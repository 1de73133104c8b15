//! Accessibility of the console, checked in the same headless Chromium: axe-core (the npm
//! package, installed by `scripts/test` under `target/axe/`) runs on every signed-in page of
//! every role, and no violation of serious or critical impact may remain; and the text on the
//! lane and status tags keeps a contrast of at least 4.5:1 over its background (WCAG AA).

use crate::console_pages::{menu_links, pages_of, port, sign_in, sign_out};
use crate::helpers::*;
use crate::webdriver::{available, Browser};
use serde_json::{json, Value};
use std::path::PathBuf;

/// axe-core's browser build, where `scripts/test` puts it.
fn axe_source() -> Option<String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target.join("axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            let msg =
                format!("{} is missing: scripts/test installs axe-core there (npm install --prefix target/axe axe-core)", path.display());
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("the accessibility test cannot run on CI: {msg}");
            }
            eprintln!("\n*** SKIPPING THE ACCESSIBILITY TEST: {msg} ***\n");
            None
        }
    }
}

/// The serious and critical violations axe finds on the page shown, one line each.
async fn violations(b: &Browser, axe: &str) -> Vec<String> {
    let loaded = b.script("return typeof window.axe", json!([])).await;
    if loaded != "object" {
        b.script(&format!("{axe}\n;return true;"), json!([])).await;
    }
    let r = b
        .script_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations\
               .filter(v => v.impact === 'serious' || v.impact === 'critical')\
               .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))\
             .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
            json!([]),
        )
        .await;
    r.as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|v: &Value| {
            format!(
                "{} ({}): {} — {}",
                v["id"].as_str().unwrap_or(""),
                v["impact"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                v["nodes"]
            )
        })
        .collect()
}

#[tokio::test]
async fn every_page_of_every_role_has_no_serious_accessibility_violation() {
    if !available() {
        return;
    }
    let Some(axe) = axe_source() else { return };
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    let p = port(&mut app).await;
    let b = Browser::start().await;
    b.window_size(1440, 900).await;
    let mut found = Vec::new();
    let mut checked = 0;
    for path in ["/", "/login"] {
        b.goto(&app.url(path)).await;
        for v in violations(&b, &axe).await {
            found.push(format!("(public) {path}: {v}"));
        }
        checked += 1;
    }
    for user in ["trader", "platform", "terminal", "lab", "officer", "analyst", "admin"] {
        sign_in(&b, &app, user).await;
        let mut pages = menu_links(&b).await;
        pages.extend(pages_of(user, &p));
        pages.push("/no-such-page".into());
        for path in &pages {
            b.goto(&app.url(path)).await;
            b.find("footer").await;
            for v in violations(&b, &axe).await {
                found.push(format!("{user} {path}: {v}"));
            }
            checked += 1;
        }
        b.goto(&app.url("/home")).await;
        sign_out(&b).await;
    }
    b.quit().await;
    assert!(checked >= 30, "{checked} pages checked");
    assert!(found.is_empty(), "{} serious or critical accessibility violations:\n{}", found.len(), found.join("\n"));
}

/// WCAG 2 relative luminance of an sRGB colour `rgb(r, g, b)` as computed styles give it.
fn luminance(css: &str) -> f64 {
    let n: Vec<f64> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|x| x.trim().parse::<f64>().unwrap() / 255.0)
        .map(|c| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
        .collect();
    0.2126 * n[0] + 0.7152 * n[1] + 0.0722 * n[2]
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[tokio::test]
async fn text_over_the_lane_and_status_colours_has_a_contrast_of_at_least_4_5() {
    if !available() {
        return;
    }
    let mut app = TestApp::spawn(guomen_store::Engine::Sqlite).await;
    port(&mut app).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "officer").await;
    b.goto(&app.url("/queue")).await;
    // Every lane and a tag of each status colour, drawn on the page itself.
    let pairs = b
        .script(
            "const out = [];\
             const tags = ['lane lane-green', 'lane lane-blue', 'lane lane-yellow', 'lane lane-red', 'status', 'status status-released', 'status status-held', 'status status-inspection', 'status status-overdue', 'status status-closed'];\
             for (const c of tags) { const s = document.createElement('span'); s.className = c; s.textContent = 'x'; document.querySelector('main').appendChild(s);\
               const st = getComputedStyle(s); out.push([c, st.color, st.backgroundColor]); }\
             return out;",
            json!([]),
        )
        .await;
    b.quit().await;
    for p in pairs.as_array().unwrap() {
        let (class, fg, bg) = (p[0].as_str().unwrap(), p[1].as_str().unwrap(), p[2].as_str().unwrap());
        let ratio = contrast(fg, bg);
        assert!(ratio >= 4.5, "{class}: {fg} on {bg} is {ratio:.2}:1");
    }
}
