//! The seed season's inspection-and-quarantine procedure, step by step (seed 000):
//!
//! - 检疫审批: the permits are issued before the season; a filing whose permit is used up is
//!   refused and filed again under a supplementary permit (see `permits`).
//! - 预约通关: the airport cargo station takes inspection bookings 7×24; seed companies book the
//!   out-of-hours slots their night and weekend flights need, and the examination takes place in
//!   the booked slot.
//! - 取样送检: a lot the targeting sends to the laboratory is sampled, sealed and registered
//!   during the examination; the laboratory receives it, tests the pests and pathogens the next
//!   day and germination and purity when the germination test is read, a second person verifies,
//!   and the conclusion is published.
//! - 预提离: a satisfactory examination leaves the lot waiting for the laboratory; the consignee
//!   signs a commitment and the officer accepts it, and the lot leaves. One consignee waits for
//!   the result instead and is released normally after it.
//! - 处置: a quarantine pest found by the laboratory after pre-release orders the lot recalled
//!   and returned or destroyed; one order is carried out, one is past its deadline, and remote
//!   supervision asks the consignee for video of the goods.
//! - 田间监测: a dozen lots are followed into the field and surveyed three times a season, at
//!   the seedling and growth stages; one survey finds a quarantine pest, whose sampling,
//!   plot-destruction and notification actions are closed before the plan is.

use super::catalogue::{AIRPORT, CROPS};
use super::flow::{store_error, Step, Task, World, WAITS_FOR_LAB};
use super::permits;
use super::plan::{cst, cst_date, Kind};
use anyhow::{anyhow, bail, Context};
use guomen_domain::declaration::{DispositionKind, Status};
use guomen_domain::field::appointment::{self, Appointment, Schedule, ServiceHours, SlotKind};
use guomen_domain::field::evidence::RemoteInspection;
use guomen_domain::field::survey::{ActionKind, Finding, Plot, SurveyPlan};
use guomen_domain::party::Actor;
use guomen_domain::quarantine::lab::{AnalyteKind, AnalyteSpec};
use guomen_store::field::FieldCommand;
use guomen_store::quarantine::{LabStep, QuarantineCommand};
use guomen_store::DeclarationCommand;
use guomen_store::{Command, Outcome};
use rand::Rng;
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime, Time};

/// The quarantine steps of a declaration.
#[derive(Debug, Clone, Copy)]
pub enum QStep {
    /// Book an out-of-hours inspection slot for goods landing at this time, if they land out of hours.
    Book(OffsetDateTime),
    AppointmentDone,
    TakeSample,
    Commit,
    AcceptCommitment,
    Receive,
    /// Pest and pathogen results.
    Screen,
    /// Germination and purity results.
    Quality,
    Verify,
    Publish,
    Dispose,
    Disposed,
    OpenRemote,
    InstructRemote,
    PlanSurvey,
    Survey(u8),
    CloseAction(usize),
    ClosePlan,
}

/// The laboratory sample of a lot, as the simulation follows it.
#[derive(Debug)]
pub struct SampleRun {
    pub id: String,
    pub analytes: Vec<AnalyteSpec>,
    pub taken_at: OffsetDateTime,
    /// Who enters the results, and who verifies them.
    pub tester: &'static str,
    pub verifier: &'static str,
    /// Index into [`VERDICTS`] when the laboratory finds a quarantine pest.
    pub verdict: Option<usize>,
}

/// A quarantine pest the laboratory finds in a pre-released lot, and what follows.
pub struct Verdict {
    pub analyte: &'static str,
    /// The lot must carry one of these crops (item names).
    pub crops: &'static [&'static str],
    /// Not in a lot declared before this many days into the season.
    pub from_day: i64,
    pub kind: DispositionKind,
    pub instructions: &'static str,
    pub deadline_days: i64,
    /// When the order is carried out, in days; None = it is not, and runs past its deadline.
    pub done_after_days: Option<i64>,
    pub done_note: &'static str,
}

pub const VERDICTS: &[Verdict] = &[
    Verdict {
        analyte: "TOBRFV",
        crops: &["番茄种子"],
        from_day: 7,
        kind: DispositionKind::Destruction,
        instructions: "实验室检出番茄褐色皱果病毒（ToBRFV）：收货人须按承诺召回全部已提离种子，封存后运至L市危险废物集中处置中心，在海关监督下焚烧销毁 / Tomato brown rugose fruit virus (ToBRFV) detected: the consignee recalls all the seed released on commitment, seals it and has it incinerated under customs supervision at the L city hazardous-waste centre",
        deadline_days: 10,
        done_after_days: Some(6),
        done_note: "已召回全部种子，原包装未拆封，于L市危险废物集中处置中心焚烧销毁，关员现场监督并拍照存档 / all the seed recalled unopened and incinerated at the L city hazardous-waste centre under an officer's supervision; photographs on file",
    },
    Verdict {
        analyte: "PSDMAC",
        crops: &["西瓜种子", "甜瓜种子"],
        from_day: 21,
        kind: DispositionKind::Return,
        instructions: "实验室检出西瓜细菌性果斑病菌（Acidovorax citrulli）：收货人须召回全部已提离种子，于30日内原包装退运出境，凭退运单证办结 / Acidovorax citrulli detected: the consignee recalls all the seed released on commitment and returns it in its original packing within 30 days, closing with the return documents",
        deadline_days: 30,
        done_after_days: Some(19),
        done_note: "已召回全部种子并原包装退运出境，核验航空货运单及输出国收货确认，处置完毕 / all the seed recalled and returned in its original packing; air waybill and the shipper's receipt checked",
    },
    Verdict {
        analyte: "CORBMI",
        crops: &["番茄种子", "辣椒种子"],
        from_day: 35,
        kind: DispositionKind::Return,
        instructions: "实验室检出番茄细菌性溃疡病菌（Clavibacter michiganensis subsp. michiganensis）：收货人须召回全部已提离种子，于20日内原包装退运出境 / Clavibacter michiganensis subsp. michiganensis detected: the consignee recalls all the seed released on commitment and returns it in its original packing within 20 days",
        deadline_days: 20,
        done_after_days: None,
        done_note: "",
    },
];

/// Who signs the commitment for a seed company, where the goods wait, and the phone.
fn commitment_of(firm: &str) -> (&'static str, &'static str, &'static str) {
    match firm {
        "dongfang" => {
            ("王立新（东方种子有限公司副总经理）", "S省张掖市甘州区党寨镇工业园区东方种子有限公司2号恒温种子库封存区", "0936-8216031")
        }
        _ => ("陈秀兰（正红种子有限公司质量部经理）", "S省酒泉市肃州区西峰乡正红种子有限公司种子低温库A区", "0937-2687017"),
    }
}

/// The 河西 plots the monitored lots are sown in.
const PLOTS: &[&str] = &[
    "张掖市甘州区党寨镇陈寨村 河西制种基地第07号繁种地块",
    "张掖市临泽县板桥镇西湾村 第12号繁种地块",
    "酒泉市肃州区总寨镇三奇堡村 第03号繁种地块",
    "张掖市高台县巷道镇东联村 第21号繁种地块",
    "武威市凉州区清源镇蔡寨村 第05号繁种地块",
    "张掖市民乐县六坝镇六坝村 第09号繁种地块",
    "张掖市甘州区沙井镇五个墩村 第16号繁种地块",
    "酒泉市金塔县金塔镇塔院村 第02号繁种地块",
    "张掖市临泽县沙河镇西头号村 第11号繁种地块",
    "张掖市山丹县清泉镇南关村 第04号繁种地块",
    "武威市民勤县苏武镇羊路村 第08号繁种地块",
    "张掖市甘州区小满镇石桥村 第14号繁种地块",
];

/// How many lots are followed into the field; the surveys each.
const PLANS: u32 = 12;
const SURVEYS: u8 = 3;

/// The field plan that finds a quarantine pest is made for a lot of this crop (seed 000: "在一片南瓜田里").
const FINDING_CROP: &str = "南瓜种子";

fn appointment(out: Outcome) -> anyhow::Result<Appointment> {
    match out {
        Outcome::Appointment(a) => Ok(*a),
        other => bail!("unexpected outcome {other:?}"),
    }
}

fn remote(out: Outcome) -> anyhow::Result<RemoteInspection> {
    match out {
        Outcome::Remote(r) => Ok(*r),
        other => bail!("unexpected outcome {other:?}"),
    }
}

fn plan(out: Outcome) -> anyhow::Result<SurveyPlan> {
    match out {
        Outcome::SurveyPlan(p) => Ok(*p),
        other => bail!("unexpected outcome {other:?}"),
    }
}

/// 10:00 in Beijing on the day after `t` (in Beijing).
fn next_morning(t: OffsetDateTime) -> OffsetDateTime {
    cst(cst_date(t) + Duration::days(1), 10, 0)
}

/// A decimal with one decimal place from tenths.
fn tenths(n: i64) -> Decimal {
    Decimal::new(n, 1)
}

impl World<'_> {
    fn declarant(&self, i: usize) -> Actor {
        self.parties.actor(self.cases[i].user)
    }

    fn lab_actor(&self, name: &str) -> Actor {
        self.parties.actor(name)
    }

    fn sample(&self, i: usize) -> anyhow::Result<&SampleRun> {
        self.cases[i].run.sample.as_ref().ok_or_else(|| anyhow!("no sample taken"))
    }

    /// 检疫审批 — the officer issues the season's permits.
    pub(super) async fn issue_permits(&mut self, t: OffsetDateTime) -> anyhow::Result<()> {
        let officer = self.parties.actor("officer");
        let drafts = self.permits.issue.clone();
        for (k, d) in drafts.into_iter().enumerate() {
            let at = t + Duration::minutes(4 * k as i64);
            let id = d.id.clone().unwrap_or_default();
            self.sim
                .exec(officer.clone(), Command::Quarantine(QuarantineCommand::IssuePermit(d)), at)
                .await
                .with_context(|| format!("permit {id}"))?;
            self.stats.permits += 1;
        }
        Ok(())
    }

    /// 特事专办 — the officer issues the supplementary permit the same day; the company files again.
    pub(super) async fn supplementary(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let d =
            self.permits.exhaustion.as_ref().map(|e| e.supplementary.clone()).ok_or_else(|| anyhow!("no supplementary permit planned"))?;
        let id = d.id.clone().unwrap_or_default();
        let officer = self.parties.actor("officer");
        self.sim.exec(officer, Command::Quarantine(QuarantineCommand::IssuePermit(d)), t).await?;
        self.stats.permits += 1;
        permits::name_supplementary(&mut self.cases[i], &id);
        self.at(t + Duration::minutes(35), Task::Case(i, Step::File));
        Ok(())
    }

    /// 7×24 预约 — the airport cargo station's inspection schedule.
    pub(super) async fn set_schedule(&mut self, t: OffsetDateTime) -> anyhow::Result<()> {
        let schedule = Schedule {
            site_code: AIRPORT.site.into(),
            kind: SlotKind::Inspection,
            capacity_per_hour: 4,
            hours: ServiceHours::SevenByTwentyFour,
        };
        let admin = self.parties.actor("admin");
        self.sim.exec(admin, Command::Field(FieldCommand::SetSchedule(schedule)), t).await?;
        Ok(())
    }

    /// A lot held for the laboratory after a satisfactory examination: its consignee signs a
    /// commitment, except the one who waits for the result.
    pub(super) fn pending_laboratory(&mut self, i: usize, t: OffsetDateTime) {
        let c = &self.cases[i];
        let clean = c.kind == Kind::SeedImport && c.run.sample.as_ref().is_some_and(|s| s.verdict.is_none());
        if clean {
            self.stats.lab_clean += 1;
            if self.stats.lab_clean == WAITS_FOR_LAB {
                self.cases[i].run.waited_for_lab = true;
                return;
            }
        }
        self.q(i, t + Duration::minutes(25), QStep::Commit);
    }

    /// A seed lot is cleared for sowing: some are followed into the field.
    pub(super) fn cleared_for_sowing(&mut self, i: usize, t: OffsetDateTime) {
        self.cleared += 1;
        self.cases[i].run.released_at = Some(t);
        if self.plans >= PLANS || cst_date(t) > self.cal.season_end {
            return;
        }
        let c = &self.cases[i];
        let has = |crop: &str| c.draft.items.iter().any(|it| it.g_name.as_deref() == Some(crop));
        let finding = self.field_finding.is_none() && has(FINDING_CROP) && cst_date(t) >= self.cal.season_start + Duration::days(10);
        if finding {
            self.field_finding = Some(i);
        } else if self.cleared % 7 != 3 || PLANS - self.plans <= u32::from(self.field_finding.is_none()) {
            // Every seventh lot, keeping a plan for the pumpkin field.
            return;
        }
        self.plans += 1;
        self.q(i, next_morning(t), QStep::PlanSurvey);
    }

    pub(super) async fn quarantine(&mut self, i: usize, q: QStep, t: OffsetDateTime) -> anyhow::Result<()> {
        match q {
            QStep::Book(lands) => self.book(i, lands, t).await,
            QStep::AppointmentDone => self.appointment_done(i, t).await,
            QStep::TakeSample => self.take_sample(i, t).await,
            QStep::Commit => self.commit(i, t).await,
            QStep::AcceptCommitment => self.accept_commitment(i, t).await,
            QStep::Receive => self.receive(i, t).await,
            QStep::Screen => self.enter_results(i, t, true).await,
            QStep::Quality => self.enter_results(i, t, false).await,
            QStep::Verify => self.verify(i, t).await,
            QStep::Publish => self.publish(i, t).await,
            QStep::Dispose => self.dispose(i, t).await,
            QStep::Disposed => self.disposed(i, t).await,
            QStep::OpenRemote => self.open_remote(i, t).await,
            QStep::InstructRemote => self.instruct_remote(i, t).await,
            QStep::PlanSurvey => self.plan_survey(i, t).await,
            QStep::Survey(no) => self.survey(i, no, t).await,
            QStep::CloseAction(k) => self.close_action(i, k, t).await,
            QStep::ClosePlan => self.close_plan(i, t).await,
        }
    }

    /// 预约通关 — a flight landing out of office hours: the company books the inspection slot
    /// after it (a few such bookings in the season).
    async fn book(&mut self, i: usize, lands: OffsetDateTime, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let from = self.cal.season_start + Duration::days(7);
        // The slot on the hour, one to two hours after landing.
        let slot = lands.replace_time(Time::from_hms(lands.hour(), 0, 0)?) + Duration::hours(2);
        if self.stats.appointments >= 4 || cst_date(t) < from || !appointment::out_of_hours(slot) {
            return Ok(());
        }
        let local = slot.to_offset(appointment::CHINA_TIME);
        let flight = c.draft.head.traf_name.as_deref().unwrap_or_default();
        let reason = format!(
            "航班{flight}非工作时间落地，春播用亲本原种申请{:02}:00查验 / flight {flight} lands out of office hours; parent seed for the spring sowing: inspection at {:02}:00 requested",
            local.hour(),
            local.hour()
        );
        let command = Command::Field(FieldCommand::BookAppointment {
            enterprise: self.parties.code(c.filer),
            site_code: c.port.site.into(),
            kind: SlotKind::Inspection,
            start: slot,
            declaration_id: Some(c.run.id.clone()),
            reason,
            priority: true,
        });
        let actor = self.declarant(i);
        let a = appointment(self.sim.exec(actor, command, t).await?)?;
        self.cases[i].run.appointment = Some((a.id, slot));
        self.stats.appointments += 1;
        Ok(())
    }

    async fn appointment_done(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let Some((id, _)) = self.cases[i].run.appointment.clone() else {
            return Ok(());
        };
        let officer = self.officer(i);
        self.sim.exec(officer, Command::Field(FieldCommand::CompleteAppointment { id }), t).await?;
        Ok(())
    }

    /// Picks the failing result, if any, a lot's sample will get.
    fn verdict_for(&mut self, i: usize, analytes: &[AnalyteSpec]) -> Option<usize> {
        let c = &self.cases[i];
        if c.kind != Kind::SeedImport || c.script.finding {
            return None;
        }
        let day = cst_date(c.filed_at);
        let k = VERDICTS.iter().enumerate().position(|(k, v)| {
            !self.verdicts[k]
                && day >= self.cal.season_start + Duration::days(v.from_day)
                && analytes.iter().any(|a| a.code == v.analyte)
                && c.draft.items.iter().any(|it| it.g_name.as_deref().is_some_and(|n| v.crops.contains(&n)))
        })?;
        self.verdicts[k] = true;
        Some(k)
    }

    /// 取样、封样、登记送检 — by the officer, during the examination; the sample goes to the
    /// technical centre by the afternoon courier.
    async fn take_sample(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        // A working sample of about 2% of the lot, 5 g to 500 g.
        let net: Decimal = c.draft.head.net_wt.as_deref().and_then(|n| n.parse().ok()).unwrap_or_default();
        let grams = (net * Decimal::from(20)).round().clamp(Decimal::from(5), Decimal::from(500));
        let command = Command::Quarantine(QuarantineCommand::TakeSample {
            declaration_id: c.run.id.clone(),
            lab: self.parties.code("lab"),
            seal_no: c.script.sample_no.clone(),
            quantity: format!("{grams} g"),
            analytes: None,
        });
        let officer = self.officer(i);
        let sample = match self.sim.exec(officer, command, t).await? {
            Outcome::Sample { sample, .. } => sample,
            other => bail!("unexpected outcome {other:?}"),
        };
        let verdict = self.verdict_for(i, &sample.analytes);
        let (tester, verifier) = if self.lab_rng.gen_bool(0.5) { ("lab", "lab.zhao") } else { ("lab.zhao", "lab") };
        self.cases[i].run.sample =
            Some(SampleRun { id: sample.id.clone(), analytes: sample.analytes.clone(), taken_at: t, tester, verifier, verdict });
        self.q(i, t + Duration::minutes(190), QStep::Receive);
        Ok(())
    }

    /// 提交预提离承诺书 — by the consignee's declarant.
    async fn commit(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let c = &self.cases[i];
        let (signed_by, storage_address, contact_phone) = commitment_of(c.filer);
        let command = DeclarationCommand::SubmitCommitment {
            declaration_id: c.run.id.clone(),
            enterprise: self.parties.code(c.filer),
            signed_by: signed_by.into(),
            storage_address: storage_address.into(),
            contact_phone: contact_phone.into(),
            promise_accepted: true,
        };
        let after = c.script.release_after;
        let actor = self.declarant(i);
        self.sim.exec(actor, command, t).await?;
        self.q(i, t + after, QStep::AcceptCommitment);
        Ok(())
    }

    /// 受理承诺，预提离 — the officer accepts the commitment; the lot leaves.
    async fn accept_commitment(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let command = DeclarationCommand::AcceptCommitment { declaration_id: self.cases[i].run.id.clone() };
        let officer = self.officer(i);
        let d = match self.sim.exec(officer, command, t).await? {
            Outcome::Declaration { record, .. } => record,
            other => bail!("unexpected outcome {other:?}"),
        };
        if d.status != Status::PreReleased {
            bail!("accepting the commitment left {} {}", d.id, d.status.as_str());
        }
        Ok(())
    }

    async fn lab_step(&mut self, i: usize, by: &str, step: LabStep, t: OffsetDateTime) -> anyhow::Result<Outcome> {
        let command =
            Command::Quarantine(QuarantineCommand::Step { sample_id: self.sample(i)?.id.clone(), lab: self.parties.code("lab"), step });
        let actor = self.lab_actor(by);
        self.stats.lab_steps += 1;
        self.sim.exec(actor, command, t).await
    }

    /// 收样 — the laboratory takes the sealed sample in.
    async fn receive(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let s = self.sample(i)?;
        let (tester, screen, quality) = (s.tester, t + Duration::hours(20), s.taken_at + self.cases[i].script.lab_result_after);
        self.lab_step(i, tester, LabStep::Receive, t).await?;
        self.q(i, screen, QStep::Screen);
        self.q(i, quality.max(screen + Duration::hours(6)), QStep::Quality);
        Ok(())
    }

    /// 录入检测结果 — the pests and pathogens (`screen`: PCR and ELISA, the day after receipt),
    /// or the germination and purity tests when they are read.
    async fn enter_results(&mut self, i: usize, t: OffsetDateTime, screen: bool) -> anyhow::Result<()> {
        let s = self.sample(i)?;
        let tester = s.tester;
        let pest = s.verdict.map(|k| VERDICTS[k].analyte);
        let analytes: Vec<AnalyteSpec> = s.analytes.iter().filter(|a| (a.kind == AnalyteKind::Presence) == screen).cloned().collect();
        for (k, a) in analytes.iter().enumerate() {
            let (value, detected) = match &a.kind {
                AnalyteKind::Presence => (None, Some(pest == Some(a.code.as_str()))),
                AnalyteKind::Range { min, max, .. } => (Some(self.measure(*min, *max)), None),
            };
            let step = LabStep::EnterResult { analyte: a.code.clone(), value, detected };
            self.lab_step(i, tester, step, t + Duration::seconds(40 * k as i64)).await.with_context(|| format!("result for {}", a.code))?;
        }
        if !screen {
            self.q(i, t + Duration::hours(2), QStep::Verify);
        }
        Ok(())
    }

    /// A conforming measurement: a little above the floor, or below the ceiling.
    fn measure(&mut self, min: Option<Decimal>, max: Option<Decimal>) -> Decimal {
        match (min, max) {
            (Some(lo), hi) => {
                // Purity floors are high (98 %); germination floors leave room (80–85 %).
                let room = if lo >= Decimal::from(95) { 19 } else { 120 };
                let v = lo + tenths(self.lab_rng.gen_range(2..=room));
                let v = v.min(Decimal::from(100));
                hi.map_or(v, |h| v.min(h))
            }
            (None, Some(hi)) => hi - tenths(self.lab_rng.gen_range(1..=50)),
            (None, None) => Decimal::ZERO,
        }
    }

    /// 审核 — by the other laboratory person (four eyes).
    async fn verify(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let verifier = self.sample(i)?.verifier;
        self.lab_step(i, verifier, LabStep::Verify, t).await?;
        self.q(i, t + Duration::minutes(35), QStep::Publish);
        Ok(())
    }

    /// 发布结论 — the declaration follows: released, released after inspection, or to be disposed of.
    async fn publish(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let verifier = self.sample(i)?.verifier;
        let step = LabStep::Publish { not_interpretable_note: None };
        let d = match self.lab_step(i, verifier, step, t).await? {
            Outcome::Sample { declaration: Some(d), .. } => d,
            other => bail!("publishing did not reach the declaration: {other:?}"),
        };
        match d.status {
            // Pre-released and satisfactory: released (放行) with nothing more to do.
            Status::Released => self.cleared_for_sowing(i, t),
            // Waited for the result: the officer releases it.
            Status::Inspected => self.at(t + Duration::minutes(40), Task::Case(i, Step::Release)),
            Status::DispositionRequired => self.q(i, next_morning(t), QStep::Dispose),
            s => bail!("after the laboratory result {} is {}", d.id, s.as_str()),
        }
        Ok(())
    }

    fn verdict(&self, i: usize) -> anyhow::Result<&'static Verdict> {
        let k = self.sample(i)?.verdict.ok_or_else(|| anyhow!("no failing result"))?;
        Ok(&VERDICTS[k])
    }

    /// 下达处置通知 — recall and return or destruction.
    async fn dispose(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let v = self.verdict(i)?;
        let deadline = cst_date(t) + Duration::days(v.deadline_days);
        let command = DeclarationCommand::OrderDisposition {
            declaration_id: self.cases[i].run.id.clone(),
            kind: v.kind,
            instructions: v.instructions.into(),
            deadline,
        };
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        match v.done_after_days {
            Some(days) => self.q(i, t + Duration::days(days), QStep::Disposed),
            // Past its deadline: remote supervision asks for video of the goods.
            None => self.q(i, cst(deadline + Duration::days(2), 10, 30), QStep::OpenRemote),
        }
        Ok(())
    }

    /// 处置完毕
    async fn disposed(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let v = self.verdict(i)?;
        let command = DeclarationCommand::CompleteDisposition { declaration_id: self.cases[i].run.id.clone(), note: v.done_note.into() };
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        Ok(())
    }

    /// 远程监管 — the disposition is overdue: the consignee is told to film the goods.
    async fn open_remote(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let (_, address, _) = commitment_of(self.cases[i].filer);
        let instruction = format!(
            "处置期限已过：请于3日内上传存放于{address}的待退运种子视频及照片，须拍清外包装、数量和海关封识编号 / the disposition deadline has passed: within 3 days upload video and photographs of the seed awaiting return at the committed storage address, showing the packing, the quantity and the customs seal numbers"
        );
        let command = Command::Field(FieldCommand::OpenRemote { declaration_id: self.cases[i].run.id.clone(), instruction });
        let officer = self.officer(i);
        let r = remote(self.sim.exec(officer, command, t).await?)?;
        self.stats.remote_instructions += 1;
        self.cases[i].run.remote = Some(r.id);
        self.q(i, t + Duration::days(4), QStep::InstructRemote);
        Ok(())
    }

    async fn instruct_remote(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let id = self.cases[i].run.remote.clone().ok_or_else(|| anyhow!("no remote inspection"))?;
        let text = "逾期未上传影像资料：请立即上传封存现场视频，并书面说明退运航班及日期 / no evidence received: upload the video of the sealed goods now and state the return flight and date in writing";
        let command = Command::Field(FieldCommand::InstructRemote { id, text: text.into() });
        let officer = self.officer(i);
        self.sim.exec(officer, command, t).await?;
        self.stats.remote_instructions += 1;
        Ok(())
    }

    /// The crop of the monitored plot: the pumpkin of the field that finds a pest, or the lot's
    /// first item.
    fn crop(&self, i: usize) -> String {
        let c = &self.cases[i];
        let item = c
            .draft
            .items
            .iter()
            .find(|it| self.field_finding == Some(i) && it.g_name.as_deref() == Some(FINDING_CROP))
            .unwrap_or(&c.draft.items[0]);
        let full = item.g_name.as_deref().unwrap_or_default();
        let latin = CROPS.iter().find(|c| c.name == full).map_or("", |c| c.latin);
        let name = full.trim_end_matches("种子");
        format!("{name}（{latin}）亲本繁种")
    }

    /// 制定田间监测计划 — the lot is sown a few days after it is cleared.
    async fn plan_survey(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let k = self.plans_made as usize;
        self.plans_made += 1;
        let released = self.cases[i].run.released_at.unwrap_or(t);
        let sown_on = cst_date(released) + Duration::days(3 + (k % 4) as i64);
        let area: i64 = self.lab_rng.gen_range(30..=160);
        let plot = Plot { location: format!("S省{}", PLOTS[k % PLOTS.len()]), area_mu: Decimal::from(area), crop: self.crop(i) };
        let command = Command::Field(FieldCommand::PlanSurvey {
            declaration_id: self.cases[i].run.id.clone(),
            plot,
            season: format!("{}年春季 / spring {}", self.cal.year, self.cal.year),
            sown_on,
            surveys: Some(SURVEYS),
        });
        let officer = self.officer(i);
        let plan = plan(self.sim.exec(officer, command, t).await?)?;
        for s in &plan.surveys {
            let at = cst(s.due, 9 + (k % 3) as u8, 30);
            self.q(i, at, QStep::Survey(s.no));
        }
        self.cases[i].run.plan_id = Some(plan.id);
        Ok(())
    }

    fn plan_id(&self, i: usize) -> anyhow::Result<String> {
        self.cases[i].run.plan_id.clone().ok_or_else(|| anyhow!("no field monitoring plan"))
    }

    /// 田间监测 — seedling and growth stages; one pumpkin field shows a quarantine pest.
    async fn survey(&mut self, i: usize, no: u8, t: OffsetDateTime) -> anyhow::Result<()> {
        let plan_id = self.plan_id(i)?;
        let finding_field = self.field_finding == Some(i);
        let findings = match (finding_field, no) {
            (true, 1) => vec![Finding {
                pest: Some("Squash mosaic virus (SqMV)".into()),
                quarantine_pest: true,
                description: "苗期监测发现部分秧苗叶片卷曲、边缘焦黄，疑似南瓜花叶病毒，已取样、封样、登记送实验室检测 / at the seedling survey some seedlings show curled leaves with scorched edges, suspected squash mosaic virus; sampled, sealed and registered for the laboratory".into(),
                affected_area_mu: Some(tenths(15)),
            }],
            (true, _) => Vec::new(),
            (false, 2) if self.lab_rng.gen_bool(0.3) => vec![Finding {
                pest: Some("Aphis gossypii".into()),
                quarantine_pest: false,
                description: "零星棉蚜，已指导企业防治 / a few cotton aphids; the grower was advised on control".into(),
                affected_area_mu: Some(Decimal::from(2)),
            }],
            _ => Vec::new(),
        };
        let officer = if finding_field {
            // 小潘 of seed 000.
            self.parties.actor("officer.pan")
        } else {
            self.officer(i)
        };
        let command = Command::Field(FieldCommand::RecordSurvey { plan_id, no, findings });
        let plan = plan(self.sim.exec(officer, command, t).await?)?;
        let opened: Vec<(String, ActionKind)> = plan
            .actions
            .iter()
            .filter(|a| a.is_open() && !self.cases[i].run.actions.contains(&a.id))
            .map(|a| (a.id.clone(), a.kind))
            .collect();
        for (id, kind) in opened {
            let after = match kind {
                ActionKind::Notification => Duration::hours(3),
                ActionKind::Sampling => Duration::days(2),
                ActionKind::PlotDestruction => Duration::days(3),
            };
            let k = self.cases[i].run.actions.len();
            self.cases[i].run.actions.push(id);
            self.q(i, t + after, QStep::CloseAction(k));
        }
        if plan.done_count() == plan.planned_count() {
            self.q(i, next_morning(t), QStep::ClosePlan);
        }
        Ok(())
    }

    /// 处置措施办结
    async fn close_action(&mut self, i: usize, k: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let plan_id = self.plan_id(i)?;
        let action_id = self.cases[i].run.actions[k].clone();
        let plan: SurveyPlan =
            self.sim.store().survey_plan(&plan_id).await.map_err(store_error)?.ok_or_else(|| anyhow!("plan {plan_id} is gone"))?;
        let kind = plan.actions.iter().find(|a| a.id == action_id).map(|a| a.kind).ok_or_else(|| anyhow!("no action {action_id}"))?;
        let note = match kind {
            ActionKind::Notification => "已报告海关总署动植物检疫司及S省农业农村厅植保植检站 / reported to the GACC animal and plant quarantine department and the provincial plant protection station",
            ActionKind::Sampling => "病叶样品经L海关技术中心实验室检测，确认南瓜花叶病毒阳性 / the leaf samples tested positive for squash mosaic virus at the L customs technical centre laboratory",
            ActionKind::PlotDestruction => "发病的1.5亩秧苗已在海关监督下拔除、深埋，周边50米范围药剂处理，同批种子其余地块加密监测 / the 1.5 mu of affected seedlings uprooted and buried deep under customs supervision, a 50 m buffer treated, and the lot's other plots surveyed more often",
        };
        let officer = self.parties.actor("officer.pan");
        let command = Command::Field(FieldCommand::CloseSurveyAction { plan_id, action_id, note: note.into() });
        self.sim.exec(officer, command, t).await?;
        Ok(())
    }

    /// 结案 — every survey recorded and every action closed.
    async fn close_plan(&mut self, i: usize, t: OffsetDateTime) -> anyhow::Result<()> {
        let plan_id = self.plan_id(i)?;
        let officer = self.officer(i);
        self.sim.exec(officer, Command::Field(FieldCommand::CloseSurveyPlan { plan_id }), t).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::field::survey;
    use guomen_domain::quarantine::lab::specification_for;

    #[test]
    fn every_failing_result_is_an_analyte_of_its_crops() {
        for v in VERDICTS {
            let crop = CROPS.iter().find(|c| v.crops.contains(&c.name)).expect("a crop of the catalogue");
            let specs = specification_for(crop.hs);
            let spec = specs.iter().find(|a| a.code == v.analyte).expect("analyte of the crop");
            assert!(spec.quarantine_pest, "{}", v.analyte);
        }
    }

    #[test]
    fn surveys_fall_at_the_seedling_and_growth_stages() {
        let s = survey::schedule(time::macros::date!(2026 - 03 - 20), SURVEYS);
        let stages: Vec<_> = s.iter().map(|p| p.stage.as_str()).collect();
        assert_eq!(stages, ["seedling", "growth", "growth"]);
    }
}
