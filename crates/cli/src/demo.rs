//! `guomen demo` — fills an empty store with a realistic demo port and says what it built.
//!
//! The story is seed 000's: L customs supervises the 河西 seed-breeding base of S province.
//! In the spring season (2 March – 24 April) 东方种子有限公司 and 正红种子有限公司 import 113
//! consignments of parent seed by air through the L airport cargo station, each under the
//! quarantine permit of its consignee and asking priority for the sowing season. Every one gets
//! a quarantine check; 66 are sampled for the L customs technical centre laboratory (a 58% rule,
//! halved for these advanced-certified importers, plus every lot from the pest-alert origins).
//! Of those, 65 leave on the consignee's signed commitment before the results (预提离) and one
//! waits for its result; the laboratory tests, verifies with a second person and publishes, and
//! the lots in which it finds a quarantine pest are recalled and returned or destroyed. A dozen
//! lots are followed into the field and surveyed three times; night and weekend flights are
//! inspected in slots booked on the 7×24 appointment schedule (see `season`). Around it runs
//! general trade of every kind and credit grade through a Guangzhou (Nansha) container terminal,
//! a Xiamen bonded yard and the L rail port, up to two days before today, ending with work still
//! in every queue.
//!
//! Nothing is written behind the store's back: parties, rules, permits and every step of every
//! declaration, sample and survey go through [`Store::execute_at`] at a simulated time that only
//! moves forward, so the journal, its hash chain, the views and the outbox are the real thing.
//! Drafts are validated exactly as the API validates them. One fixed-seed generator drives
//! everything (risk seeds included), so the demo is the same every run of a given day; only the
//! dates of general trade stretch with the real current date. API tokens are random, as tokens
//! must be.
//!
//! Timeline: parties on 1 February with the brokers' mandates (委托) from the traders they file
//! for (see `mandates`), rules on 2 February, permits on 16 February, the
//! appointment schedule on 20 February, the season (its quarantine figures run to 8 May, when its
//! laboratory results are in; no other quarantine goods are declared until then), a rule change
//! on 15 June after the spring review, general trade to two days before today; then the
//! certificates (see `certificates`): phytosanitary certificates and certificates of origin.

mod catalogue;
mod ceb;
mod certificates;
mod findings;
mod flow;
mod ids;
mod mandates;
mod parties;
mod permits;
mod plan;
mod rules;
mod season;
mod summary;

use anyhow::Context;
use guomen_store::RiskCommand;
use guomen_store::Store;

/// Fills an empty `store` with the demo port; returns the summary to print.
pub async fn run(store: &Store) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let cal = plan::Calendar::for_now(time::OffsetDateTime::now_utc());
    let mut sim = flow::Sim::new(store, cal.setup_at);
    let parties = parties::setup(&mut sim, cal.setup_at).await?;
    let mut cases = plan::build(&cal, &parties);
    mandates::grant(&mut sim, &parties, &cases, &cal).await.context("the brokers' mandates")?;
    let ruleset = rules::initial();
    let reason = rules::initial_reason(cal.year);
    sim.exec(parties.actor("analyst"), RiskCommand::PublishRules { ruleset, reason }, cal.rules_at)
        .await
        .context("publishing the rules")?;
    let permits = permits::assign(&mut cases, &cal, &parties);
    let mut world = flow::World::new(sim, &parties, &cal, cases, permits);
    world.run(cal.revision_at).await?;
    let ceb = ceb::run(store, cal.end).await.context("cross-border e-commerce")?;
    let certificates = certificates::run(store, &parties, &cal).await.context("certificates")?;
    let mut text = summary::render(store, &cal, &parties, &world, started.elapsed()).await?;
    text.push_str(&ceb::summary(store, &ceb).await?);
    text.push_str(&certificates::summary(&certificates));
    store.checkpoint().await.context("truncating the WAL after the demo")?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::declaration::IeFlag;
    use guomen_store::{DeclarationFilter, Location};
    use std::collections::BTreeMap;

    #[tokio::test]
    async fn the_demo_fills_a_realistic_port() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&Location::sqlite_in(dir.path()).unwrap()).await.unwrap();
        let summary = run(&store).await.unwrap();
        // The bulk fill leaves no WAL behind (it peaks at tens of megabytes while filling).
        let wal = std::fs::metadata(dir.path().join("guomen.db-wal")).map(|m| m.len()).unwrap_or(0);
        assert!(wal < 1024 * 1024, "the WAL is {wal} bytes after the demo");
        let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;

        let rows = store.declarations(&DeclarationFilter { limit: 500, ..Default::default() }).await.unwrap();
        assert_eq!(rows.len() as i64, store.count("declarations").await.unwrap());
        assert!((300..500).contains(&rows.len()), "{} declarations", rows.len());

        // Exactly the 113 seed consignments of the spring season, all quarantine-checked (red).
        let mut seeds = 0;
        let mut lab = 0;
        for r in &rows {
            let d = store.declaration(&r.id).await.unwrap().unwrap();
            assert!(r.filed_at_ms < now_ms, "{} is filed in the future", r.id);
            let seed = d.content.head.ie_flag == IeFlag::Import && d.content.items.iter().any(|i| i.code_ts.as_str().starts_with("1209"));
            if seed {
                seeds += 1;
                assert_eq!(r.lane, "red", "seed consignment {} not examined", r.id);
                let priority = d.content.head.priority.as_ref().map(|p| p.kind.as_str());
                assert_eq!(priority, Some("seeds-in-season"), "{}", r.id);
                assert!(d.content.licences.iter().any(|l| l.docu_code == "QP"), "{} names no permit", r.id);
                lab += usize::from(d.decision.lab_sampling);
            }
        }
        assert_eq!(seeds, 113);
        assert_eq!(lab, 66, "seed consignments targeted for the laboratory");

        // The season's quarantine figures, as the API serves them: seed 000's 113, 66 and 65.
        let cal = plan::Calendar::for_now(time::OffsetDateTime::now_utc());
        let today = time::OffsetDateTime::now_utc().date();
        let f = store.quarantine_figures(cal.season_start, cal.season_close, None, today).await.unwrap();
        assert_eq!(f.consignments, 113, "{f:?}");
        assert_eq!(f.sampled, 66, "{f:?}");
        assert_eq!(f.pre_released, 65, "{f:?}");
        let (from_ms, to_ms) = (
            cal.season_start.midnight().assume_utc().unix_timestamp() * 1000,
            (cal.season_close + time::Duration::days(1)).midnight().assume_utc().unix_timestamp() * 1000,
        );
        let published = store
            .samples(None, None)
            .await
            .unwrap()
            .iter()
            .filter_map(|s| s.published.as_ref())
            .map(|p| (p.at.unix_timestamp_nanos() / 1_000_000) as i64)
            .filter(|at| (from_ms..to_ms).contains(at))
            .count();
        assert_eq!(f.lab_results.values().sum::<i64>(), published as i64, "{f:?}");
        assert!(f.lab_results["not-satisfactory"] >= 1, "{f:?}");
        assert!(!f.detections.is_empty(), "{f:?}");
        assert!(f.dispositions.closed >= 1 && f.dispositions.open >= 1, "{f:?}");
        assert!(f.surveys.planned >= 12 && f.surveys.done >= 1, "{f:?}");
        assert!(summary.contains("consignments  113"), "{summary}");
        assert!(summary.contains("figures/quarantine?from="), "{summary}");
        // Certificates: phytosanitary ones issued, replaced, re-exported and waiting, one received
        // for an import; certificates of origin; every issued one public and verified.
        assert_eq!(store.count("phyto_certificates").await.unwrap(), 5, "{summary}");
        assert_eq!(store.count("phyto_received").await.unwrap(), 1);
        assert_eq!(store.count("origin_certificates").await.unwrap(), 3);
        for number in ["P", "R", "K"].map(|p| format!("{p}{}95010000001", cal.year)) {
            let d = guomen_service::documents::find(&store, &number).await.unwrap().unwrap_or_else(|| panic!("{number} is not public"));
            assert!(d.signature_valid, "{number}");
        }
        // One permit is used up exactly, refusing a filing; a supplementary permit follows.
        let permits = store.permits(None).await.unwrap();
        assert!(permits.len() >= 13, "{} permits", permits.len());
        assert!(permits.iter().any(|p| p.used == p.quantity), "no permit used up");
        assert!(permits.iter().all(|p| p.used <= p.quantity));

        let count = |f: fn(&guomen_store::DeclarationSummary) -> &str| {
            let mut m = BTreeMap::new();
            for r in &rows {
                *m.entry(f(r).to_owned()).or_insert(0) += 1;
            }
            m
        };
        let lanes = count(|r| &r.lane);
        for lane in ["green", "yellow", "red"] {
            assert!(lanes.get(lane).copied().unwrap_or(0) > 0, "no {lane}: {lanes:?}");
        }
        let statuses = count(|r| &r.status);
        assert!(statuses["released"] > 200, "{statuses:?}");
        for s in ["awaiting-arrival", "inspection-notified", "in-position", "inspected", "held"] {
            assert!(statuses.get(s).copied().unwrap_or(0) > 0, "no {s}: {statuses:?}");
        }
        let modes = count(|r| &r.mode);
        assert!(modes.len() == 3, "{modes:?}");
        let overdue =
            store.declarations(&DeclarationFilter { overdue_on: Some(today.to_string()), limit: 500, ..Default::default() }).await.unwrap();
        assert!(!overdue.is_empty());

        // The brokers filed under the mandates of the traders they file for, and still hold them.
        let mandates = store.mandates(&guomen_store::mandate::MandateFilter { limit: 500, ..Default::default() }).await.unwrap();
        let cst_today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc());
        let by_broker: Vec<_> = rows.iter().filter(|r| r.filed_by != r.trade_code).collect();
        assert!(by_broker.len() > 100, "{} declarations filed by brokers", by_broker.len());
        for r in by_broker {
            assert!(
                mandates.iter().any(|m| m.consignor.as_str() == r.trade_code
                    && m.agent.as_str() == r.filed_by
                    && m.status(cst_today) == guomen_domain::mandate::MandateStatus::Active),
                "{} filed by {} for {} without a mandate in force",
                r.id,
                r.filed_by,
                r.trade_code
            );
        }
        for status in ["revoked", "expired"] {
            assert!(mandates.iter().any(|m| m.status(cst_today).as_str() == status), "no {status} mandate");
        }

        let v = store.verify().await.unwrap();
        assert!(v.first_break.is_none(), "{:?}", v.first_break);
        assert!(v.checked > 1000);
        // Two general-trade versions and one adding the cross-border criteria.
        assert_eq!(store.rules_history().await.unwrap().len(), 3);
        assert_eq!(store.count("users").await.unwrap(), 16);
        assert_eq!(store.count("tokens").await.unwrap(), 7);
        // The tokens it prints work today, though issued in the replayed past.
        for t in store.tokens(&guomen_domain::token::TokenScope::All).await.unwrap() {
            assert_eq!(t.state(now_ms), guomen_domain::token::TokenState::Active, "{t:?}");
            assert!(t.expires_at_ms - now_ms > 89 * 86_400_000, "{t:?}");
        }

        // Cross-border e-commerce: every story ends where it should.
        let statuses: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT status FROM ceb_inventories").fetch_all(store.read_pool()).await.unwrap();
        for s in ["closed", "released", "inspection", "manual-review", "rejected", "cancelled"] {
            assert!(statuses.iter().any(|x| x == s), "no {s} inventory list in {statuses:?}");
        }
        assert!(store.count("ceb_inventories").await.unwrap() > 350);
        assert!(summary.contains("Cross-border"));
        // The quota pre-check the summary suggests knows its buyer by that name.
        assert!(store.ceb_buyer_named("1:440104199201015678", "张伟").await.unwrap());
    }
}
