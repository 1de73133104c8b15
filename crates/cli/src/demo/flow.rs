//! The simulation: each step of each declaration is scheduled at its simulated time and carried
//! out through the store in time order, by the actor who would do it — the declarant files, the
//! terminal reports arrivals and containers in position, the officer records results, holds and
//! releases.

use super::findings;
use super::parties::Parties;
use super::permits::Permits;
use super::plan::{Calendar, Case, Kind, Stage, DEMO_SEED};
use super::rules;
use super::season::{self, QStep};
use anyhow::{anyhow, bail, Context};
use guomen_domain::declaration::{validate, Declaration, DeclarationContent, DeclarationDraft, Status, ValidationContext};
use guomen_domain::inspection::Outcome as Check;
use guomen_domain::party::{Actor, Role};
use guomen_domain::risk::Lane;
use guomen_domain::types::CustomsCode;
use guomen_domain::Rule;
use guomen_store::{Command, Outcome, Store, StoreError};
use guomen_store::{DeclarationCommand, RiskCommand};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};

/// Reads a store error the way the API would word it.
pub fn store_error(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Refused(r) => {
            let mut s = format!("{} / {}", r.detail_en, r.detail_zh);
            for e in &r.errors {
                s.push_str(&format!("\n  {}: {} / {}", e.path, e.en, e.zh));
            }
            anyhow!(s)
        }
        other => anyhow!("{other}"),
    }
}

/// Validates a draft exactly as the API's `check` does, with `today` the simulated date.
pub fn validate_on(store: &Store, draft: &DeclarationDraft, today: Date) -> anyhow::Result<DeclarationContent> {
    let dir = store.directory().read().map_err(|_| anyhow!("directory lock poisoned"))?;
    let ctx = ValidationContext {
        today,
        enterprise: &|c: &CustomsCode| dir.enterprises.get(c.as_str()).cloned(),
        site_known: &|s: &str| dir.sites.contains_key(s),
    };
    validate(draft, &ctx).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("{}: {} / {}", e.path, e.en, e.zh)).collect();
        anyhow!("the demo built an invalid draft:\n  {}", lines.join("\n  "))
    })
}

/// The store with a simulated clock that only moves forward.
pub struct Sim<'a> {
    store: &'a Store,
    clock: OffsetDateTime,
    pub commands: u64,
}

impl<'a> Sim<'a> {
    pub fn new(store: &'a Store, start: OffsetDateTime) -> Self {
        Sim { store, clock: start, commands: 0 }
    }

    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// Carries out `command` as happening at `at` (or at the clock, if `at` is earlier).
    pub async fn exec(&mut self, actor: Actor, command: impl Into<Command>, at: OffsetDateTime) -> anyhow::Result<Outcome> {
        self.attempt(actor, command, at).await.map_err(store_error)
    }

    /// Like [`Sim::exec`], for a command that may be refused.
    pub async fn attempt(&mut self, actor: Actor, command: impl Into<Command>, at: OffsetDateTime) -> Result<Outcome, StoreError> {
        let at = at.max(self.clock);
        self.clock = at;
        self.commands += 1;
        self.store.execute_at(actor, command, at).await
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    File,
    Arrive,
    /// Report the n-th container in position.
    Position(usize),
    Result,
    Hold,
    Lift,
    Release,
    Complete,
    /// The quarantine procedure (see `season`).
    Q(QStep),
}

#[derive(Debug)]
pub(super) enum Task {
    Case(usize, Step),
    ReviseRules,
    IssuePermits,
    /// The officer issues the supplementary permit the refused filing of this case needs.
    Supplementary(usize),
    SetSchedule,
}

/// What the run counted beyond what the store shows.
#[derive(Debug, Default)]
pub struct Stats {
    pub results: u32,
    pub not_satisfactory: u32,
    pub holds: u32,
    pub lifted: u32,
    pub completed: u32,
    pub arrivals: u32,
    pub positions: u32,
    pub permits: u32,
    /// Filings refused because the permit named was used up.
    pub refused_filings: u32,
    /// Laboratory steps taken: receipt, results, verification, publication.
    pub lab_steps: u32,
    pub appointments: u32,
    pub remote_instructions: u32,
    /// Lab-sampled seed consignments found clean at the port so far.
    pub(super) lab_clean: u32,
}

/// Of the lab-sampled seed consignments found clean at the port, this one's consignee does not
/// sign a commitment and waits for the laboratory (seed 000: 66 sampled, 65 pre-released).
pub(super) const WAITS_FOR_LAB: u32 = 12;

pub struct World<'a> {
    pub sim: Sim<'a>,
    pub(super) parties: &'a Parties,
    pub(super) cal: &'a Calendar,
    pub cases: Vec<Case>,
    pub permits: Permits,
    pub(super) end: OffsetDateTime,
    queue: BTreeMap<(i128, u64), Task>,
    seq: u64,
    pub stats: Stats,
    /// The laboratory's own generator (measured values, who tests and who verifies).
    pub(super) lab_rng: StdRng,
    /// Which failing laboratory results have been assigned.
    pub(super) verdicts: Vec<bool>,
    /// Seed lots cleared for sowing so far, and the field monitoring plans decided and made.
    pub(super) cleared: u32,
    pub(super) plans: u32,
    pub(super) plans_made: u32,
    /// The case whose field shows a quarantine pest.
    pub(super) field_finding: Option<usize>,
}

fn declaration(out: Outcome) -> anyhow::Result<Declaration> {
    match out {
        Outcome::Declaration { record, .. } => Ok(*record),
        other => bail!("unexpected outcome {other:?}"),
    }
}

impl<'a> World<'a> {
    pub fn new(sim: Sim<'a>, parties: &'a Parties, cal: &'a Calendar, cases: Vec<Case>, permits: Permits) -> Self {
        World {
            sim,
            parties,
            cal,
            cases,
            permits,
            end: cal.end,
            queue: BTreeMap::new(),
            seq: 0,
            stats: Stats::default(),
            lab_rng: StdRng::seed_from_u64(DEMO_SEED ^ 0x006c_6162),
            verdicts: vec![false; season::VERDICTS.len()],
            cleared: 0,
            plans: 0,
            plans_made: 0,
            field_finding: None,
        }
    }

    /// Schedules a task; anything after the end of the simulation does not happen.
    pub(super) fn at(&mut self, t: OffsetDateTime, task: Task) {
        if t > self.end {
            return;
        }
        self.seq += 1;
        self.queue.insert((t.unix_timestamp_nanos(), self.seq), task);
    }

    /// Schedules a quarantine step of case `i`.
    pub(super) fn q(&mut self, i: usize, t: OffsetDateTime, step: QStep) {
        self.at(t, Task::Case(i, Step::Q(step)));
    }

    /// Schedules a step of case `i` unless its script stops before `stage`.
    fn next(&mut self, i: usize, t: OffsetDateTime, stage: Stage, step: Step) {
        if self.cases[i].script.stop_before != Some(stage) {
            self.at(t, Task::Case(i, step));
        }
    }

    /// Runs every declaration and the rule revision in time order.
    pub async fn run(&mut self, revise_at: OffsetDateTime) -> anyhow::Result<()> {
        for i in 0..self.cases.len() {
            let t = self.cases[i].filed_at;
            self.at(t, Task::Case(i, Step::File));
        }
        self.at(revise_at, Task::ReviseRules);
        self.at(self.cal.permits_at, Task::IssuePermits);
        self.at(self.cal.schedule_at, Task::SetSchedule);
        while let Some(((nanos, _), task)) = self.queue.pop_first() {
            let t = OffsetDateTime::from_unix_timestamp_nanos(nanos)?;
            match task {
                Task::ReviseRules => {
                    let (criterion, reason) = rules::revision();
                    let analyst = self.parties.actor("analyst");
                    self.sim.exec(analyst, RiskCommand::PutCriterion { criterion, reason }, t).await.context("revising the rules")?;
                }
                Task::IssuePermits => self.issue_permits(t).await.context("issuing the season's permits")?,
                Task::Supplementary(i) => self.supplementary(i, t).await.context("issuing the supplementary permit")?,
                Task::SetSchedule => self.set_schedule(t).await.context("publishing the appointment schedule")?,
                Task::Case(i, step) => self.step(i, step, t).await.with_context(|| {
                    let c = &self.cases[i];
                    format!("declaration {} (bill {}) at {t}: {step:?}", c.run.id, c.draft.head.bill_no.as_deref().unwrap_or("?"))
                })?,
            }
        }
        Ok(())
    }

    async fn step(&mut self, i: usize, step: Step, t: OffsetDateTime) -> anyhow::Result<()> {
        match step {
            Step::File => self.file(i, t).await,
            Step::Arrive => self.arrive(i, t).await,
            Step::Position(k) => self.position(i, k, t).await,
            Step::Result => self.result(i, t).await,
            Step::Hold => self.hold(i, t).await,
            Step::Lift => self.release(i, t, true).await,
            Step::Release => self.release(i, t, false).await,
            Step::Complete => self.complete(i, t).await,
            Step::Q(q) => self.quarantine(i, q, t).await,
        }
    }

    pub(super) fn officer(&self, i: usize) -> Actor {
        self.parties.actor(self.cases[i].script.officer)
    }

    fn terminal(&self, i: usize) -> (Actor, CustomsCode) {
        let key = self.cases[i].port.terminal;
        let user = self.parties.user_of(key, Role::Terminal);
        (self.parties.actor(user), self.parties.code(key))
    }

    /// 申报 — validate as the API does, file, and set the next step by the lane.
    async fn file(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let content = validate_on(self.sim.store(), &c.draft, t.date())?;
        let command = DeclarationCommand::File { content, filed_by: self.parties.code(c.filer), idempotency: None, seed: c.seed };
        let actor = self.parties.actor(c.user);
        let first_of_exhausted = !c.run.refused && self.permits.exhaustion.as_ref().is_some_and(|e| e.case == i);
        let d = if first_of_exhausted {
            // The permit this filing names is used up: refused, and filed again once the
            // supplementary permit is issued.
            match self.sim.attempt(actor, command, t).await {
                Err(StoreError::Refused(r)) if r.errors.iter().any(|e| e.rule == Rule::PermitExhausted) => {
                    self.cases[i].run.refused = true;
                    self.stats.refused_filings += 1;
                    self.at(t + Duration::minutes(80), Task::Supplementary(i));
                    return Ok(());
                }
                Err(e) => return Err(store_error(e)),
                Ok(_) => bail!("the filing was accepted although its permit should be used up"),
            }
        } else {
            declaration(self.sim.exec(actor, command, t).await?)?
        };
        let c = &mut self.cases[i];
        c.run.id = d.id.clone();
        c.run.lane = Some(d.lane());
        c.run.lab = d.decision.lab_sampling;
        if c.run.lab && c.kind == Kind::SeedImport && c.script.finding {
            // The examination of a lot sent to the laboratory finds nothing: what seed 000
            // counts (66 sampled, 65 pre-released, one waiting for its result) leaves no lot
            // sampled and held.
            c.script.finding = false;
        }
        let (complete_after, arrival_after) = (c.script.complete_after, c.script.arrival_after);
        let (two_step, seed) = (c.complete.is_some(), c.kind == Kind::SeedImport);
        if let (Some(after), true) = (complete_after, two_step) {
            self.at(t + after, Task::Case(i, Step::Complete));
        }
        if seed {
            if let Some(after) = arrival_after {
                self.q(i, t + Duration::minutes(10), QStep::Book(t + after));
            }
        }
        match d.status {
            Status::InspectionNotified if d.arrived_at.is_some() => self.inspect(i, t),
            Status::AwaitingArrival | Status::InspectionNotified => {
                if let Some(after) = arrival_after {
                    self.at(t + after, Task::Case(i, Step::Arrive));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Red: the terminal moves the containers into position (at the booked slot, if any);
    /// yellow: the officer checks the documents.
    fn inspect(&mut self, i: usize, t: OffsetDateTime) {
        let s = &self.cases[i].script;
        let (position, result) = (s.position_after, s.result_after);
        let at = match &self.cases[i].run.appointment {
            Some((_, slot)) if *slot > t => *slot,
            _ => t + position,
        };
        match self.cases[i].run.lane {
            Some(Lane::Red) => self.next(i, at, Stage::Position, Step::Position(0)),
            Some(Lane::Yellow) => self.next(i, t + result + Duration::hours(1), Stage::Result, Step::Result),
            _ => {}
        }
    }

    /// 运抵 — the terminal reports the goods of the bill arrived.
    async fn arrive(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let (actor, terminal) = self.terminal(i);
        let bill_no = self.cases[i].draft.head.bill_no.clone().unwrap_or_default();
        let command = DeclarationCommand::RecordArrival { bill_no, at: t, terminal };
        let arrived = match self.sim.exec(actor, command, t).await? {
            Outcome::Declarations(ds) => ds,
            other => bail!("unexpected outcome {other:?}"),
        };
        self.stats.arrivals += 1;
        let id = &self.cases[i].run.id;
        let d = arrived.into_iter().find(|d| &d.id == id).ok_or_else(|| anyhow!("the arrival did not reach declaration {id}"))?;
        if d.status == Status::InspectionNotified {
            self.inspect(i, t);
        }
        Ok(())
    }

    /// 到位反馈 — one report per container, a few minutes apart.
    async fn position(&mut self, i: usize, k: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let (actor, terminal) = self.terminal(i);
        let c = &self.cases[i];
        let containers: Vec<String> = c.draft.containers.iter().filter_map(|x| x.container_id.clone()).collect();
        let container_no = containers.get(k).cloned().unwrap_or_else(|| c.script.station_unit.clone());
        let slot_code = if k == 0 { c.script.slot.clone() } else { format!("{}/{}", c.script.slot, k + 1) };
        let command = DeclarationCommand::ReportPosition {
            declaration_id: c.run.id.clone(),
            record_no: format!("CY{}", c.run.id),
            container_no,
            site_name: c.port.site_name.into(),
            slot_code,
            arrived_at: t,
            terminal,
        };
        let (gap, result, lab) = (c.script.container_gap, c.script.result_after, c.run.lab);
        self.sim.exec(actor, command, t).await?;
        self.stats.positions += 1;
        if k + 1 < containers.len() {
            self.at(t + gap, Task::Case(i, Step::Position(k + 1)));
        } else {
            if lab {
                // 取样、封样、登记 — during the examination.
                self.q(i, t + result / 2, QStep::TakeSample);
            }
            self.next(i, t + result, Stage::Result, Step::Result);
        }
        Ok(())
    }

    /// The finding of case `i`, worded; a quantity discrepancy quotes the first item.
    fn finding_text(&self, i: usize) -> (String, &'static findings::Finding) {
        let c = &self.cases[i];
        let physical = c.run.lane == Some(Lane::Red);
        let f = findings::pick(c.cat, physical, c.script.finding_pick);
        if !f.text.is_empty() {
            return (f.text.to_owned(), f);
        }
        let item = &c.draft.items[0];
        let declared: Decimal = item.g_qty.as_deref().and_then(|q| q.parse().ok()).unwrap_or_default();
        let found = (declared * Decimal::new(c.script.found_pct, 2)).round_dp(declared.scale());
        let unit = item.g_unit.as_deref().and_then(guomen_reference::unit::name_zh).unwrap_or("");
        let text = format!(
            "申报数量不符：第1项申报{declared}{unit}，实际查验{found}{unit} / quantity differs: item 1 declared {declared}, found {found}"
        );
        (text, f)
    }

    /// 查验结果 — mostly satisfactory; about one in ten not, with findings, then a hold.
    async fn result(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let red = c.run.lane == Some(Lane::Red);
        let (outcome, findings, note) = if c.script.finding {
            (Check::NotSatisfactory, vec![self.finding_text(i).0], None)
        } else if c.run.lab {
            let sample = c.run.sample.as_ref().map_or("", |s| s.id.as_str());
            let note = format!(
                "检疫查验未见有害生物；已取样封样（样品{sample}，封条号{}），送L海关技术中心实验室检测，待检测结果 / no pests seen; sample {sample} taken, sealed ({}) and sent to the L customs technical centre laboratory",
                c.script.sample_no, c.script.sample_no
            );
            (Check::Satisfactory, Vec::new(), Some(note))
        } else if red {
            let note = "开箱查验，货证相符 / opened and examined: the goods match the documents";
            (Check::Satisfactory, Vec::new(), Some(note.to_owned()))
        } else {
            let note = "单证审核相符 / documents consistent with the declaration";
            (Check::Satisfactory, Vec::new(), Some(note.to_owned()))
        };
        let command = DeclarationCommand::RecordResult { declaration_id: c.run.id.clone(), outcome, findings, note };
        let (finding, release_after, lab) = (c.script.finding, c.script.release_after, c.run.lab);
        let booked = c.run.appointment.is_some();
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        self.stats.results += 1;
        if booked {
            self.q(i, t + Duration::minutes(5), QStep::AppointmentDone);
        }
        if finding {
            self.stats.not_satisfactory += 1;
            self.at(t + Duration::minutes(25), Task::Case(i, Step::Hold));
            return Ok(());
        }
        if lab {
            // Held for the laboratory (待检测结果): the consignee may sign a commitment.
            self.pending_laboratory(i, t);
            return Ok(());
        }
        self.next(i, t + release_after, Stage::Release, Step::Release);
        Ok(())
    }

    /// 扣留
    async fn hold(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let (_, f) = self.finding_text(i);
        let c = &self.cases[i];
        let command = DeclarationCommand::Hold { declaration_id: c.run.id.clone(), reason: f.hold.into() };
        let lift_after = c.script.lift_after;
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        self.stats.holds += 1;
        if let Some(after) = lift_after {
            self.at(t + after, Task::Case(i, Step::Lift));
        }
        Ok(())
    }

    /// 放行 — after inspection (for a lot kept for the laboratory: after its satisfactory
    /// result), or lifting a hold (`lift`), with the note the case calls for.
    async fn release(&mut self, i: usize, t: OffsetDateTime, lift: bool) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let note = if lift {
            Some(self.finding_text(i).1.lift.to_owned())
        } else if c.run.waited_for_lab {
            let sample = c.run.sample.as_ref().map_or("", |s| s.id.as_str());
            Some(format!("实验室检测合格（样品{sample}）后放行 / released on satisfactory laboratory results (sample {sample})"))
        } else {
            None
        };
        let command = DeclarationCommand::Release { declaration_id: c.run.id.clone(), note, permitted_to_enter_only: false };
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        if lift {
            self.stats.lifted += 1;
        }
        if self.cases[i].kind == Kind::SeedImport {
            self.cleared_for_sowing(i, t);
        }
        Ok(())
    }

    /// 两步申报第二步 — the complete declaration, validated on the day it is filed.
    async fn complete(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let draft = c.complete.as_ref().ok_or_else(|| anyhow!("not a two-step declaration"))?;
        let content = validate_on(self.sim.store(), draft, t.date())?;
        let command = DeclarationCommand::Complete { declaration_id: c.run.id.clone(), content, enterprise: self.parties.code(c.filer) };
        let actor = self.parties.actor(c.user);
        self.sim.exec(actor, command, t).await?;
        self.stats.completed += 1;
        Ok(())
    }
}
