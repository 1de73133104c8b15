//! The text `guomen demo` prints: what was built, who can log in, and how to try it.

use super::catalogue::AIRPORT;
use super::flow::{store_error, World};
use super::parties::{Parties, FIRMS, USERS};
use super::plan::{cst_date, Calendar, Kind};
use guomen_domain::declaration::Status;
use guomen_domain::party::CreditGrade;
use guomen_store::{DeclarationFilter, DeclarationSummary, Store};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Every declaration's list row, page by page.
async fn all_declarations(store: &Store) -> anyhow::Result<Vec<DeclarationSummary>> {
    let mut rows: Vec<DeclarationSummary> = Vec::new();
    loop {
        let page = store
            .declarations(&DeclarationFilter {
                before: rows.last().map(|r| (r.filed_at_ms, r.id.clone())),
                limit: 500,
                ..Default::default()
            })
            .await
            .map_err(store_error)?;
        let full = page.len() == 500;
        rows.extend(page);
        if !full {
            return Ok(rows);
        }
    }
}

fn tally<'a>(rows: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(r).or_insert(0) += 1;
    }
    m
}

/// The spring seed season: the quarantine figures of its dates, as the store computes them
/// (`GET /api/v1/figures/quarantine`), and how the season ran.
async fn season(w: &mut String, store: &Store, cal: &Calendar, world: &World<'_>) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc().date();
    let f = store.quarantine_figures(cal.season_start, cal.season_close, None, today).await.map_err(store_error)?;
    let seeds: Vec<_> = world.cases.iter().filter(|c| c.kind == Kind::SeedImport).collect();
    let by = |key: &str| seeds.iter().filter(|c| c.filer == key).count();
    let waited = seeds.iter().filter(|c| c.run.waited_for_lab).count();
    let st = &world.stats;
    writeln!(
        w,
        "Spring seed season {} to {}: seed consignments declared to {}, laboratory results in by {}",
        f.from, f.to, cal.season_end, f.to
    )?;
    writeln!(
        w,
        "              L customs, 河西 seed-breeding base, by air into the L airport cargo station ({}); the quarantine figures of these dates",
        AIRPORT.site
    )?;
    writeln!(w, "              (GET /api/v1/figures/quarantine?from={}&to={} with the officer token gives the same):", f.from, f.to)?;
    writeln!(
        w,
        "  consignments {:>4}  (东方种子 {}, 正红种子 {}), every one asking priority for the sowing season",
        f.consignments,
        by("dongfang"),
        by("zhenghong")
    )?;
    writeln!(w, "  sampled      {:>4}  sealed and sent to the L customs technical centre laboratory", f.sampled)?;
    writeln!(
        w,
        "  pre-released {:>4}  on the consignee's signed commitment (预提离); {waited} waited for its result and was released after it",
        f.pre_released
    )?;
    let results: Vec<String> = ["satisfactory", "not-satisfactory", "not-interpretable"]
        .iter()
        .map(|k| format!("{k} {}", f.lab_results.get(*k).copied().unwrap_or(0)))
        .collect();
    writeln!(
        w,
        "  lab results  {:>4}  {} ({} laboratory steps; results entered by one person, verified by another)",
        f.lab_results.values().sum::<i64>(),
        results.join(" · "),
        st.lab_steps
    )?;
    writeln!(
        w,
        "  detections   {:>4}  quarantine pests found by the laboratory, by pest:",
        f.detections.iter().map(|d| d.count).sum::<i64>()
    )?;
    for d in &f.detections {
        writeln!(w, "               {:>3}  {} {} / {}", d.count, d.analyte, d.name_zh, d.name_en)?;
    }
    let d = &f.dispositions;
    writeln!(w, "  dispositions {:>4}  {} closed, {} open ({} overdue)", d.open + d.closed, d.closed, d.open, d.overdue)?;
    let plans = store.survey_plans(None).await.map_err(store_error)?;
    let actions: usize = plans.iter().map(|p| p.actions.len()).sum();
    let closed_actions: usize = plans.iter().flat_map(|p| &p.actions).filter(|a| !a.is_open()).count();
    let closed_plans = plans.iter().filter(|p| p.status == guomen_domain::field::survey::PlanStatus::Closed).count();
    writeln!(
        w,
        "  surveys      {:>4}  planned, {} done, on {} plots sown in 河西 ({closed_plans} closed); {actions} actions after a quarantine pest in the field, {closed_actions} closed",
        f.surveys.planned,
        f.surveys.done,
        plans.len()
    )?;
    let refused = match &world.permits.exhaustion {
        Some(e) if st.refused_filings > 0 => format!(
            "; {} filing refused when permit {} was used up, filed again the same day under supplementary permit {}",
            st.refused_filings,
            e.used_up,
            e.supplementary.id.as_deref().unwrap_or("?")
        ),
        _ => String::new(),
    };
    writeln!(w, "  permits      {:>4}  quarantine permits (检疫许可证) held by the two seed companies{refused}", st.permits)?;
    writeln!(
        w,
        "  bookings     {:>4}  out-of-hours inspection slots booked by the seed companies on the {} 7×24 schedule, inspected in the slot",
        st.appointments, AIRPORT.site
    )?;
    let remote = world.cases.iter().filter(|c| c.run.remote.is_some()).count();
    if remote > 0 {
        writeln!(
            w,
            "  remote       {remote:>4}  supervision of the overdue disposition: {} instructions, awaiting the consignee's video",
            st.remote_instructions
        )?;
    }
    Ok(())
}

fn joined(counts: &[(&str, usize)]) -> String {
    counts.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(" · ")
}

pub async fn render(
    store: &Store,
    cal: &Calendar,
    parties: &Parties,
    world: &World<'_>,
    elapsed: std::time::Duration,
) -> anyhow::Result<String> {
    let count = |t: &'static str| async move { store.count(t).await.map_err(store_error) };
    let rows = all_declarations(store).await?;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut s = String::new();
    let w = &mut s;

    writeln!(
        w,
        "Guomen demo port (国门演示口岸): simulated {} to {} (times stored in UTC), built in {:.1} s",
        cst_date(cal.setup_at),
        cst_date(cal.end),
        elapsed.as_secs_f64()
    )?;
    writeln!(w)?;

    // Parties.
    let grade = |g: CreditGrade| FIRMS.iter().filter(|f| f.grade == g && f.site.is_none() && f.key != "lab").count();
    let sites: Vec<&str> = FIRMS.iter().filter_map(|f| f.site).collect();
    writeln!(
        w,
        "Enterprises   {}: {} advanced-certified, {} registered, {} untrustworthy; {} terminals and yards ({}); 1 laboratory",
        count("enterprises").await?,
        grade(CreditGrade::AdvancedCertified),
        grade(CreditGrade::Registered),
        grade(CreditGrade::Untrustworthy),
        sites.len(),
        sites.join(", ")
    )?;
    writeln!(w, "Users         {} users, {} API tokens", count("users").await?, count("tokens").await?)?;
    writeln!(
        w,
        "Mandates      {} (委托): the brokers 陇原通, 粤通 and 鹭通 file under the mandates of the traders they file for; one revoked, one ended",
        count("mandates").await?
    )?;

    // Rules.
    let history = store.rules_history().await.map_err(store_error)?;
    let versions: Vec<String> = history
        .iter()
        .rev()
        .map(|v| {
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(v.published_at_ms) * 1_000_000)
                .map(|t| cst_date(t).to_string())
                .unwrap_or_default();
            if v.version == 1 {
                format!("v1 {at} ({} criteria)", v.changed.len())
            } else {
                format!("v{} {at} (changed {})", v.version, v.changed.join(", "))
            }
        })
        .collect();
    writeln!(w, "Rules         {} versions: {}", history.len(), versions.join("; "))?;
    writeln!(w)?;

    // The spring seed season (seed 000), as the quarantine figures read it back.
    season(w, store, cal, world).await?;
    writeln!(w)?;

    // Declarations.
    let imports = rows.iter().filter(|r| r.ie_flag == "I").count();
    writeln!(w, "Declarations  {}: {} imports, {} exports", rows.len(), imports, rows.len() - imports)?;
    let statuses = tally(rows.iter().map(|r| r.status.as_str()));
    let by_status: Vec<(&str, usize)> = Status::ALL.iter().map(|s| (s.as_str(), statuses.get(s.as_str()).copied().unwrap_or(0))).collect();
    writeln!(w, "  by status   {}", joined(&by_status))?;
    let lanes = tally(rows.iter().map(|r| r.lane.as_str()));
    let by_lane: Vec<(&str, usize)> = ["green", "blue", "yellow", "red"].iter().map(|l| (*l, lanes.get(l).copied().unwrap_or(0))).collect();
    writeln!(w, "  by lane     {}", joined(&by_lane))?;
    let modes = tally(rows.iter().map(|r| r.mode.as_str()));
    let by_mode: Vec<(&str, usize)> = modes.iter().map(|(k, v)| (*k, *v)).collect();
    writeln!(w, "  by mode     {}", joined(&by_mode))?;
    let two_step: Vec<_> = rows.iter().filter(|r| r.mode == "two-step").collect();
    let completed = two_step.iter().filter(|r| r.completed_at_ms.is_some()).count();
    let overdue =
        two_step.iter().filter(|r| r.completed_at_ms.is_none() && r.completion_due.as_deref().is_some_and(|d| *d < *today)).count();
    writeln!(w, "  two-step    {completed} completed, {overdue} overdue, {} due later", two_step.len() - completed - overdue)?;
    let st = &world.stats;
    writeln!(
        w,
        "Inspections   {} results ({} not satisfactory), {} containers reported in position, {} holds ({} lifted), {} arrivals reported",
        st.results, st.not_satisfactory, st.positions, st.holds, st.lifted, st.arrivals
    )?;
    let verified = store.verify().await.map_err(store_error)?;
    writeln!(
        w,
        "Journal       {} entries ({}), {} notices in the outbox; {} commands",
        count("journal").await?,
        match &verified.first_break {
            None => format!("hash chain of {} entries intact", verified.checked),
            Some(b) => format!("CHAIN BROKEN: {b}"),
        },
        count("outbox").await?,
        world.sim.commands
    )?;
    writeln!(w)?;

    // Who can log in.
    writeln!(w, "Demo users (demo passwords: change them before any real use)")?;
    writeln!(w, "  {:<12} {:<13} {:<20} enterprise", "username", "role", "password")?;
    let firm_label = |key: Option<&str>| match key {
        Some(k) => {
            let e = parties.enterprise(k);
            format!("{} {}", e.code, e.name_zh)
        }
        None => "—".into(),
    };
    for u in USERS {
        writeln!(w, "  {:<12} {:<13} {:<20} {}", u.username, u.role.as_str(), u.password, firm_label(u.firm))?;
    }
    writeln!(w)?;
    writeln!(w, "API tokens (shown only now; send as `Authorization: Bearer TOKEN`)")?;
    for t in &parties.tokens {
        writeln!(w, "  {:<13} {}  {}", t.role.as_str(), t.secret, firm_label(t.firm))?;
    }
    let token = |role: &str| parties.tokens.iter().find(|t| t.role.as_str() == role).map(|t| t.secret.as_str()).unwrap_or("TOKEN");
    writeln!(w)?;
    writeln!(w, "Try it: `guomen serve` on this data directory, then")?;
    writeln!(
        w,
        "  curl -s -H 'Authorization: Bearer {}' 'http://127.0.0.1:8080/api/v1/declarations?status=in-position'",
        token("officer")
    )?;
    writeln!(w, "  curl -s -H 'Authorization: Bearer {}' 'http://127.0.0.1:8080/api/v1/declarations?limit=5'", token("declarant"))?;
    writeln!(
        w,
        "  curl -s -H 'Authorization: Bearer {}' 'http://127.0.0.1:8080/api/v1/figures/quarantine?from={}&to={}'",
        token("officer"),
        cal.season_start,
        cal.season_close
    )?;
    write!(w, "  curl -s -H 'Authorization: Bearer {}' 'http://127.0.0.1:8080/api/v1/rules/history'", token("risk-analyst"))?;
    Ok(s)
}
