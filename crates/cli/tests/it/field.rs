//! Field surveys, appointments and remote inspection end to end over HTTP: a seed lot's season
//! of field monitoring with a quarantine-pest finding; an out-of-hours booking, a full slot and
//! a cancellation; remote evidence uploaded, refused when it must be, proven on every read.

use crate::helpers::*;
use guomen_domain::field::evidence::{sha256_hex, MAX_EVIDENCE_BYTES};
use serde_json::{json, Value};

/// Files a seed declaration as TRADER; returns its id.
async fn file_seed(app: &TestApp, bill: &str) -> String {
    let (s, d) = app.post("/api/v1/declarations", "declarant", &seed_draft(bill)).await;
    assert_eq!(s, 201, "{d}");
    d["id"].as_str().unwrap().to_owned()
}

/// The notices of one party with the given topic.
async fn notices(app: &TestApp, who: &str, topic: &str) -> Vec<Value> {
    let (s, n) = app.get("/api/v1/notices?limit=1000", who).await;
    assert_eq!(s, 200, "{n}");
    n["notices"].as_array().unwrap().iter().filter(|m| m["topic"] == topic).cloned().collect()
}

fn rules(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap().to_owned(), e["rule"].as_str().unwrap().to_owned()))
        .collect()
}

async fn survey_season(app: &TestApp) {
    let decl = file_seed(app, "784-55500001").await;
    let sown = (time::OffsetDateTime::now_utc().date() - time::Duration::days(30)).to_string();
    let plan = json!({
        "declaration_id": decl,
        "plot": { "location": "张掖市甘州区 3号隔离试种圃", "area_mu": "8.5", "crop": "南瓜 Cucurbita moschata" },
        "season": "2026-spring",
        "sown_on": sown
    });

    // Refusals first: they write nothing.
    let journal_before = app.store.count("journal").await.unwrap();
    let (s, p) = app.post("/api/v1/surveys", "declarant", &plan).await;
    assert_eq!(s, 403, "{p}");
    let mut bad = plan.clone();
    bad["plot"]["area_mu"] = json!("0");
    bad["sown_on"] = json!("2026/03/01");
    let (s, p) = app.post("/api/v1/surveys", "officer", &bad).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("sown_on".to_owned(), "date_format".to_owned())]);
    bad["sown_on"] = json!(sown);
    let (s, p) = app.post("/api/v1/surveys", "officer", &bad).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("plot.area_mu".to_owned(), "area_positive".to_owned())]);
    let mut unknown = plan.clone();
    unknown["declaration_id"] = json!("950120261000099999");
    let (s, p) = app.post("/api/v1/surveys", "officer", &unknown).await;
    assert_eq!(s, 404, "{p}");
    assert_eq!(app.store.count("journal").await.unwrap(), journal_before);
    assert_eq!(app.store.count("survey_plans").await.unwrap(), 0);

    // Plan: three surveys, the holder is the consignee.
    let (s, p) = app.post("/api/v1/surveys", "officer", &plan).await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(id, format!("SV{decl}-1"));
    assert_eq!(p["holder"], TRADER);
    assert_eq!(p["status"], "open");
    assert_eq!(p["plot"]["area_mu"], "8.5");
    let stages: Vec<&str> = p["surveys"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, ["seedling", "growth", "growth"]);

    // Who sees it.
    let (s, list) = app.get("/api/v1/surveys", "declarant").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["surveys"].as_array().unwrap().len(), 1);
    let (s, list) = app.get("/api/v1/surveys", "declarant-other").await;
    assert_eq!(s, 200);
    assert!(list["surveys"].as_array().unwrap().is_empty());
    assert_eq!(app.get("/api/v1/surveys", "terminal").await.0, 403);
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}"), "declarant").await.0, 200);
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}"), "officer").await.0, 200);
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}"), "declarant-other").await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}"), "terminal").await.0, 403, "terminals never see field plans");

    // Survey 1: a quarantine pest — sampling, plot destruction and notification open at once,
    // and the holder is told.
    let (s, p) = app
        .post(
            &format!("/api/v1/surveys/{id}/records"),
            "officer",
            &json!({ "no": 1, "findings": [
                { "quarantine_pest": false, "description": "a few leaves scorched at the edges" },
                { "pest": "Squash mosaic virus", "quarantine_pest": true, "description": "mosaic and leaf deformation on seedlings", "affected_area_mu": "0.5" }
            ] }),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let actions = p["actions"].as_array().unwrap();
    let kinds: Vec<&str> = actions.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["sampling", "plot-destruction", "notification"]);
    assert!(actions.iter().all(|a| a["closed"].is_null()));
    let told = notices(app, "declarant", "survey.actions").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["recipient"], TRADER);
    assert_eq!(told[0]["body"]["plan_id"], id.as_str());
    assert_eq!(told[0]["body"]["actions"].as_array().unwrap().len(), 3);
    assert!(notices(app, "declarant-other", "survey.actions").await.is_empty());

    // The same survey twice is a conflict; a bad finding names its field.
    let (s, p) = app.post(&format!("/api/v1/surveys/{id}/records"), "officer", &json!({ "no": 1, "findings": [] })).await;
    assert_eq!(s, 409, "{p}");
    let (s, p) = app
        .post(
            &format!("/api/v1/surveys/{id}/records"),
            "officer",
            &json!({ "no": 2, "findings": [{ "quarantine_pest": false, "description": " ", "affected_area_mu": "99" }] }),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(
        rules(&p),
        vec![
            ("findings[0].description".to_owned(), "required".to_owned()),
            ("findings[0].affected_area_mu".to_owned(), "area_exceeds_plot".to_owned())
        ]
    );

    // Closing waits for every survey and every action.
    let (s, p) = app.post(&format!("/api/v1/surveys/{id}/close"), "officer", &json!({})).await;
    assert_eq!(s, 409, "{p}");
    assert_eq!(p["code"], "invalid_state");
    assert!(p["detail"].as_str().unwrap().contains("actions still open"), "{p}");

    let (s, p) = app.post(&format!("/api/v1/surveys/{id}/actions/{id}-A1/close"), "officer", &json!({ "note": " " })).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("note".to_owned(), "required".to_owned())]);
    for (n, note) in
        [(1, "sampled, sealed, registered and sent to the laboratory"), (2, "infested rows uprooted and burnt"), (3, "reported")]
    {
        let (s, p) = app.post(&format!("/api/v1/surveys/{id}/actions/{id}-A{n}/close"), "officer", &json!({ "note": note })).await;
        assert_eq!(s, 200, "{p}");
    }
    let (s, p) = app.post(&format!("/api/v1/surveys/{id}/actions/{id}-A9/close"), "officer", &json!({ "note": "x" })).await;
    assert_eq!(s, 404, "{p}");
    for no in [2, 3] {
        let (s, p) = app.post(&format!("/api/v1/surveys/{id}/records"), "officer", &json!({ "no": no, "findings": [] })).await;
        assert_eq!(s, 200, "{p}");
    }
    let (s, p) = app.post(&format!("/api/v1/surveys/{id}/close"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["status"], "closed");
    assert!(p["closed"]["by"].is_string());
    let (_, p) = app.get(&format!("/api/v1/surveys/{id}"), "declarant").await;
    assert_eq!(p["status"], "closed");

    // Every change is in the journal: planned, recorded, 3 opened, 3 closed, 2 recorded, closed.
    let timeline = app.store.timeline(&format!("survey:{id}")).await.unwrap();
    assert_eq!(timeline.len(), 11, "{timeline:?}");
    assert!(timeline.iter().all(|e| e.kind == "field_survey"));
    assert!(app.store.verify().await.unwrap().first_break.is_none());
    assert_views_match(&app.store).await;

    // A second plan for the same declaration numbers on.
    let (s, p) = app.post("/api/v1/surveys", "officer", &plan).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["id"], format!("SV{decl}-2"));
}

#[tokio::test]
async fn field_survey_season_with_a_quarantine_pest() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        survey_season(&app).await;
    }
}

/// Tomorrow (China Standard Time) as YYYY-MM-DD.
fn tomorrow_in_china() -> time::Date {
    time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date().next_day().unwrap()
}

async fn appointments(app: &TestApp) {
    let day = tomorrow_in_china();
    let start = format!("{day}T03:00:00+08:00");
    let decl = file_seed(app, "784-55500002").await;
    let booking = json!({
        "site_code": SITE, "kind": "inspection", "start": start, "declaration_id": decl,
        "reason": "live seedlings landing overnight", "priority": true
    });

    // No schedule yet.
    let (s, p) = app.post("/api/v1/appointments", "declarant", &booking).await;
    assert_eq!(s, 404, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("no appointment schedule for this site"), "{p}");

    // The admin opens the site around the clock, one booking an hour.
    let schedule = json!({ "site_code": SITE, "kind": "inspection", "capacity_per_hour": 1, "hours": "seven-by-twenty-four" });
    assert_eq!(app.send("PUT", "/api/v1/schedules", Some("officer"), Some(&schedule)).await.0, 403);
    let (s, p) = app
        .send(
            "PUT",
            "/api/v1/schedules",
            Some("admin"),
            Some(&json!({ "site_code": SITE, "kind": "x", "capacity_per_hour": 0, "hours": "always" })),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("kind".to_owned(), "slot_kind".to_owned()), ("hours".to_owned(), "service_hours".to_owned())]);
    let (s, p) = app
        .send(
            "PUT",
            "/api/v1/schedules",
            Some("admin"),
            Some(&json!({ "site_code": SITE, "kind": "inspection", "capacity_per_hour": 0, "hours": "office" })),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("capacity_per_hour".to_owned(), "capacity_range".to_owned())]);
    let (s, p) = app.send("PUT", "/api/v1/schedules", Some("admin"), Some(&schedule)).await;
    assert_eq!(s, 200, "{p}");
    let (s, list) = app.get("/api/v1/schedules", "terminal").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(
        list["schedules"],
        json!([{ "site_code": SITE, "kind": "inspection", "capacity_per_hour": 1, "hours": "seven-by-twenty-four" }])
    );

    // Only a party of the declaration may name it.
    let mut foreign = booking.clone();
    foreign["reason"] = json!("not mine");
    let (s, p) = app.post("/api/v1/appointments", "declarant-other", &foreign).await;
    assert_eq!(s, 404, "{p}");
    assert_eq!(rules(&p), vec![("declaration_id".to_owned(), "declaration_unknown".to_owned())]);

    // Book 03:00 tomorrow: out of office hours, confirmed to the trader and to the terminal.
    let (s, a) = app.post("/api/v1/appointments", "declarant", &booking).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("AP"), "{id}");
    assert_eq!(a["out_of_hours"], true);
    assert_eq!(a["status"], "booked");
    assert_eq!(a["enterprise"], TRADER);
    assert_eq!(a["declaration_id"], decl.as_str());
    for who in ["declarant", "terminal"] {
        let n = notices(app, who, "appointment.confirmed").await;
        assert_eq!(n.len(), 1, "{who}: {n:?}");
        assert_eq!(n[0]["body"]["appointment_id"], id.as_str());
    }

    // The slot is full for anyone else.
    let other = json!({ "site_code": SITE, "kind": "inspection", "start": start, "reason": "fresh fish" });
    let journal_before = app.store.count("journal").await.unwrap();
    let (s, p) = app.post("/api/v1/appointments", "declarant-other", &other).await;
    assert_eq!(s, 409, "{p}");
    assert_eq!(rules(&p), vec![("start".to_owned(), "slot_full".to_owned())]);
    assert_eq!(app.store.count("journal").await.unwrap(), journal_before);
    // Bad times name their rule.
    let mut off = other.clone();
    off["start"] = json!(format!("{day}T03:30:00+08:00"));
    let (s, p) = app.post("/api/v1/appointments", "declarant-other", &off).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("start".to_owned(), "slot_start".to_owned())]);
    off["start"] = json!("tomorrow at three");
    let (s, p) = app.post("/api/v1/appointments", "declarant-other", &off).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("start".to_owned(), "datetime_format".to_owned())]);

    // The officer's day view, the trader's own list, the terminal's site.
    let (s, v) = app.get(&format!("/api/v1/appointments?date={day}"), "officer").await;
    assert_eq!(s, 200, "{v}");
    let ids: Vec<&str> = v["appointments"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id.as_str()]);
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}&site={SITE}"), "officer").await;
    assert_eq!(v["appointments"].as_array().unwrap().len(), 1);
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}&site=NSCT01"), "officer").await;
    assert!(v["appointments"].as_array().unwrap().is_empty());
    let (_, v) = app.get(&format!("/api/v1/appointments?date={}", day.next_day().unwrap()), "officer").await;
    assert!(v["appointments"].as_array().unwrap().is_empty());
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}"), "declarant").await;
    assert_eq!(v["appointments"].as_array().unwrap().len(), 1);
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}"), "declarant-other").await;
    assert!(v["appointments"].as_array().unwrap().is_empty());
    let (s, v) = app.get(&format!("/api/v1/appointments?date={day}"), "terminal").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["appointments"][0]["id"], id.as_str());
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}"), "terminal-other").await;
    assert!(v["appointments"].as_array().unwrap().is_empty());
    let (s, p) = app.get("/api/v1/appointments", "officer").await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("date".to_owned(), "required".to_owned())]);
    assert_eq!(app.get(&format!("/api/v1/appointments?date={day}"), "laboratory").await.0, 403);
    assert_eq!(app.get(&format!("/api/v1/appointments/{id}"), "terminal").await.0, 200);
    assert_eq!(app.get(&format!("/api/v1/appointments/{id}"), "declarant-other").await.0, 404);

    // Another enterprise cannot cancel it, nor learn it exists; the owner can.
    let (s, p) = app.post(&format!("/api/v1/appointments/{id}/cancel"), "declarant-other", &json!({ "reason": "mine now" })).await;
    assert_eq!(s, 404, "{p}");
    let (s, a) = app.post(&format!("/api/v1/appointments/{id}/cancel"), "declarant", &json!({ "reason": "flight delayed" })).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["status"], "cancelled");
    assert_eq!(a["cancelled"]["reason"], "flight delayed");
    for who in ["declarant", "terminal"] {
        let n = notices(app, who, "appointment.cancelled").await;
        assert_eq!(n.len(), 1, "{who}: {n:?}");
    }
    let (s, _) = app.post(&format!("/api/v1/appointments/{id}/cancel"), "declarant", &json!({ "reason": "again" })).await;
    assert_eq!(s, 409);

    // The slot is free again; the officer serves the new booking.
    let (s, b) = app.post("/api/v1/appointments", "declarant-other", &other).await;
    assert_eq!(s, 201, "{b}");
    let second = b["id"].as_str().unwrap().to_owned();
    assert_ne!(second, id);
    assert_eq!(app.post(&format!("/api/v1/appointments/{second}/complete"), "declarant-other", &json!({})).await.0, 403);
    let (s, b) = app.post(&format!("/api/v1/appointments/{second}/complete"), "officer", &json!({})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "done");
    let (_, v) = app.get(&format!("/api/v1/appointments?date={day}"), "officer").await;
    let statuses: Vec<&str> = v["appointments"].as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"cancelled") && statuses.contains(&"done"), "{statuses:?}");
    assert!(app.store.verify().await.unwrap().first_break.is_none());
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn field_appointments_out_of_hours_full_slot_and_cancellation() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        appointments(&app).await;
    }
}

/// Where the test router keeps evidence (see `guomen_api::router`).
fn evidence_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("guomen-files-{}", std::process::id())).join("evidence")
}

fn stored_files() -> usize {
    std::fs::read_dir(evidence_dir()).map(|d| d.count()).unwrap_or(0)
}

async fn upload(app: &TestApp, who: &str, path: &str, media: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app.http.post(app.url(path)).bearer_auth(&app.tokens[who]).header("content-type", media).body(body).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A few bytes with the PNG signature, unique to this run and engine.
fn png(tag: &str) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(format!("guomen test evidence {tag} {} {}", std::process::id(), rand::random::<u64>()).as_bytes());
    b
}

async fn remote(app: &TestApp, tag: &str) {
    let decl = file_seed(app, "784-55500003").await;
    let (s, p) = app.post(&format!("/api/v1/declarations/{decl}/remote"), "declarant", &json!({ "instruction": "x" })).await;
    assert_eq!(s, 403, "{p}");
    let (s, p) = app.post(&format!("/api/v1/declarations/{decl}/remote"), "officer", &json!({ "instruction": " " })).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("instruction".to_owned(), "required".to_owned())]);
    let (s, r) = app
        .post(
            &format!("/api/v1/declarations/{decl}/remote"),
            "officer",
            &json!({ "instruction": "open carton 3 and film the shipping marks" }),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(id, format!("RI{decl}-1"));
    assert_eq!(r["enterprise"], TRADER);
    assert_eq!(r["status"], "instructed");
    let told = notices(app, "declarant", "remote.instruction").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["body"]["inspection_id"], id.as_str());
    assert_eq!(app.get(&format!("/api/v1/remote/{id}"), "declarant").await.0, 200);
    assert_eq!(app.get(&format!("/api/v1/remote/{id}"), "declarant-other").await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/remote/{id}"), "terminal").await.0, 403, "terminals never see remote inspections");
    let (_, list) = app.get(&format!("/api/v1/declarations/{decl}/remote"), "declarant").await;
    assert_eq!(list["remote_inspections"].as_array().unwrap().len(), 1);

    let evidence = format!("/api/v1/remote/{id}/evidence?instruction=1&file_name=carton3.png");

    // A PNG is stored under its hash and recorded.
    let photo = png(tag);
    let hash = sha256_hex(&photo);
    let (s, e) = upload(app, "declarant", &evidence, "image/png", photo.clone()).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["evidence"]["sha256"], hash.as_str());
    assert_eq!(e["evidence"]["size"], photo.len());
    assert_eq!(e["evidence"]["media_type"], "image/png");
    assert_eq!(e["inspection"]["status"], "evidence-received");
    let evidence_id = e["evidence"]["id"].as_str().unwrap().to_owned();
    assert_eq!(evidence_id, format!("EV{id}-1"));
    assert_eq!(std::fs::read(evidence_dir().join(&hash)).unwrap(), photo);

    // Refused uploads store nothing: not in the journal, not on disk.
    let journal = app.store.count("journal").await.unwrap();
    let files = stored_files();
    let text = format!("not a photo {tag} {}", rand::random::<u64>()).into_bytes();
    let (s, p) = upload(app, "declarant", &evidence, "text/plain", text.clone()).await;
    assert_eq!(s, 415, "{p}");
    assert_eq!(rules(&p), vec![("media_type".to_owned(), "media_type_not_allowed".to_owned())]);
    assert!(!evidence_dir().join(sha256_hex(&text)).exists());
    // The declared type is not trusted: a page sent as a PNG is refused for what it is.
    let page = format!("<html><script>alert({})</script></html>", rand::random::<u64>()).into_bytes();
    let (s, p) = upload(app, "declarant", &evidence, "image/png", page.clone()).await;
    assert_eq!(s, 415, "{p}");
    assert_eq!(p["code"], "unsupported_media_type");
    assert_eq!(rules(&p), vec![("media_type".to_owned(), "media_type_not_allowed".to_owned())]);
    assert!(!evidence_dir().join(sha256_hex(&page)).exists());
    let other_photo = png(&format!("{tag}-refused"));
    let (s, p) =
        upload(app, "declarant", &format!("/api/v1/remote/{id}/evidence?instruction=7&file_name=x.png"), "image/png", other_photo.clone())
            .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("instruction_no".to_owned(), "instruction_unknown".to_owned())]);
    let (s, p) = upload(
        app,
        "declarant",
        &format!("/api/v1/remote/{id}/evidence?instruction=1&file_name=a%2Fb.png"),
        "image/png",
        other_photo.clone(),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("file_name".to_owned(), "file_name_chars".to_owned())]);
    let (s, p) = upload(app, "declarant", &evidence, "image/png", Vec::new()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(rules(&p), vec![("size".to_owned(), "file_empty".to_owned())]);
    let (s, p) = upload(app, "declarant-other", &evidence, "image/png", other_photo.clone()).await;
    assert_eq!(s, 404, "{p}");
    let (s, p) = upload(app, "officer", &evidence, "image/png", other_photo.clone()).await;
    assert_eq!(s, 403, "{p}");
    assert!(!evidence_dir().join(sha256_hex(&other_photo)).exists());

    let mut huge = vec![0u8; MAX_EVIDENCE_BYTES as usize + 1];
    huge[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    let (s, p) = upload(app, "declarant", &evidence, "image/png", huge).await;
    assert_eq!(s, 413, "{p}");
    assert_eq!(p["code"], "payload_too_large");
    assert_eq!(app.store.count("journal").await.unwrap(), journal);
    assert_eq!(stored_files(), files);

    // A JPEG declared as octet-stream is recorded as what it is.
    let mut jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".to_vec();
    jpeg.extend_from_slice(format!("{tag} {}", rand::random::<u64>()).as_bytes());
    let (s, e) = upload(app, "declarant", &evidence, "application/octet-stream", jpeg).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["evidence"]["media_type"], "image/jpeg");

    // Read back: the same bytes, for the enterprise and the officer; nobody else.
    for who in ["declarant", "officer"] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/remote/{id}/evidence/{evidence_id}")))
            .bearer_auth(&app.tokens[who])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{who}");
        assert_eq!(res.headers()["content-type"], "image/png");
        assert_eq!(res.bytes().await.unwrap().to_vec(), photo);
    }
    assert_eq!(app.get(&format!("/api/v1/remote/{id}/evidence/{evidence_id}"), "declarant-other").await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/remote/{id}/evidence/EV{id}-9"), "officer").await.0, 404);

    // Altered on disk: refused, never served.
    std::fs::write(evidence_dir().join(&hash), b"\x89PNG\r\n\x1a\nsomething else entirely").unwrap();
    let (s, p) = app.get(&format!("/api/v1/remote/{id}/evidence/{evidence_id}"), "officer").await;
    assert_eq!(s, 409, "{p}");
    assert_eq!(p["code"], "evidence_tampered");
    assert!(p["detail"].as_str().unwrap().contains(&hash), "{p}");
    assert!(!p["detail_zh"].as_str().unwrap().is_empty());
    // Gone from disk.
    std::fs::remove_file(evidence_dir().join(&hash)).unwrap();
    let (s, p) = app.get(&format!("/api/v1/remote/{id}/evidence/{evidence_id}"), "declarant").await;
    assert_eq!(s, 410, "{p}");
    assert_eq!(p["code"], "evidence_missing");

    // A further instruction, then the officer concludes.
    let (s, r) = app.post(&format!("/api/v1/remote/{id}/instructions"), "officer", &json!({ "text": "film the seal number" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "instructed");
    assert_eq!(notices(app, "declarant", "remote.instruction").await.len(), 2);
    let (s, p) = app.post(&format!("/api/v1/remote/{id}/conclusion"), "officer", &json!({ "outcome": "not-satisfactory" })).await;
    assert_eq!(s, 422, "{p}");
    let (s, r) = app.post(&format!("/api/v1/remote/{id}/conclusion"), "officer", &json!({ "outcome": "satisfactory" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "concluded");
    assert!(r["conclusion"]["by"].is_string());

    // Concluded: further uploads are refused and leave nothing.
    let late = png(&format!("{tag}-late"));
    let (s, p) = upload(app, "declarant", &evidence, "image/png", late.clone()).await;
    assert_eq!(s, 409, "{p}");
    assert!(!evidence_dir().join(sha256_hex(&late)).exists());

    let timeline = app.store.timeline(&format!("remote:{id}")).await.unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["remote_inspection"; 5]);
    assert!(app.store.verify().await.unwrap().first_break.is_none());
    assert_views_match(&app.store).await;
}

#[tokio::test]
async fn field_remote_inspection_evidence_is_checked_and_proven() {
    for engine in engines() {
        let app = TestApp::spawn(engine).await;
        remote(&app, &format!("{engine:?}")).await;
    }
}
