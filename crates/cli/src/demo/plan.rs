//! The timeline and the declarations on it: the spring seed season at the L airport cargo
//! station, general trade through the following months, and a tail still in progress.
//!
//! Everything here is drawn from one fixed-seed generator, each declaration from a generator of
//! its own, so a declaration's content, risk seed and script do not depend on how the others
//! interleave. Only the dates stretch with the real current date.

use super::catalogue::{
    self, Cat, Goods, Line, Port, Transport, AIRPORT, AUTO_PARTS, COSMETICS, CROPS, ICS, LINES, MEDICAL, SEED_ORIGINS, TELECOM, US_APPLES,
};
use super::ids;
use super::parties::Parties;
use super::season::SampleRun;
use guomen_domain::declaration::{ContainerDraft, DeclarationDraft, HeadDraft, IeFlag, ItemDraft};
use guomen_domain::party::{CreditGrade, Role};
use guomen_domain::risk::Lane;
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use std::collections::HashSet;
use time::macros::offset;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// The demo's generator seed: "guomen", then the first suffix counting from 0x71 (113) whose
/// draws land the spring season's laboratory sampling on seed 000's 66 of 113 (the rates make
/// about 65 the expectation).
pub const DEMO_SEED: u64 = 0x6775_6f6d_656e_0078;
/// Seed 000: "今年春季，L海关共计检疫监管进境种子113票".
pub const SEED_CONSIGNMENTS: usize = 113;
/// General-trade declarations spread from the season's start to a few days before now.
const GENERAL_TRADE: usize = 215;

/// A wall-clock time in Beijing, as an instant in UTC (the store keeps UTC).
pub fn cst(d: Date, hour: u8, minute: u8) -> OffsetDateTime {
    PrimitiveDateTime::new(d, Time::from_hms(hour, minute, 0).expect("valid time")).assume_offset(offset!(+8)).to_offset(UtcOffset::UTC)
}

/// The date in Beijing of an instant.
pub fn cst_date(t: OffsetDateTime) -> Date {
    t.to_offset(offset!(+8)).date()
}

fn ymd(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).expect("valid date")
}

fn minutes(r: &mut StdRng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(r.gen_range(lo..=hi))
}

/// When things happen.
pub struct Calendar {
    pub year: i32,
    pub setup_at: OffsetDateTime,
    pub rules_at: OffsetDateTime,
    /// The seed companies' quarantine permits for the season are issued.
    pub permits_at: OffsetDateTime,
    /// The airport cargo station's 7×24 appointment schedule is published.
    pub schedule_at: OffsetDateTime,
    /// First and last day seed consignments are declared.
    pub season_start: Date,
    pub season_end: Date,
    /// Last day of the season's figures: two weeks after the last consignment, so that its
    /// laboratory results are in. No other quarantine goods are declared from `season_start`
    /// to here, so the quarantine figures of these dates are the seed season's.
    pub season_close: Date,
    pub revision_at: OffsetDateTime,
    /// The last instant simulated: 18:00 in Beijing two days before today.
    pub end: OffsetDateTime,
}

impl Calendar {
    /// The season is spring 2026. Should the clock be earlier than a few weeks after it, the
    /// latest spring that has passed is used instead, so nothing is ever in the future.
    pub fn for_now(now: OffsetDateTime) -> Calendar {
        let mut year = 2026;
        while cst(ymd(year, Month::May, 20), 0, 0) > now {
            year -= 1;
        }
        let end = cst(cst_date(now) - Duration::days(2), 18, 0);
        Calendar {
            year,
            setup_at: cst(ymd(year, Month::February, 1), 9, 0),
            rules_at: cst(ymd(year, Month::February, 2), 10, 0),
            permits_at: cst(ymd(year, Month::February, 16), 10, 0),
            schedule_at: cst(ymd(year, Month::February, 20), 9, 0),
            season_start: ymd(year, Month::March, 2),
            season_end: ymd(year, Month::April, 24),
            season_close: ymd(year, Month::May, 8),
            revision_at: cst(ymd(year, Month::June, 15), 10, 0).min(end - Duration::days(1)),
            end,
        }
    }
}

/// Monday to Friday from `from` to `to`, both included.
fn workdays(from: Date, to: Date) -> Vec<Date> {
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            days.push(d);
        }
        d = d.next_day().expect("dates stay in range");
    }
    days
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Standard,
    Advance,
    TwoStep,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Standard => "standard",
            Mode::Advance => "advance",
            Mode::TwoStep => "two-step",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 113 parent-seed consignments of the spring season.
    SeedImport,
    Trade,
}

/// Where a scripted declaration stops, to leave work in the queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Position,
    Result,
    Release,
}

/// How a declaration's life goes, drawn before it is filed (its lane is only known after).
pub struct Script {
    /// Advance declarations: when the goods arrive after filing; None = not within the demo.
    pub arrival_after: Option<Duration>,
    pub position_after: Duration,
    pub container_gap: Duration,
    pub result_after: Duration,
    pub release_after: Duration,
    /// The inspection finds something (about one in ten).
    pub finding: bool,
    pub finding_pick: usize,
    /// Quantity found as a percentage of the declared one, for quantity findings.
    pub found_pct: i64,
    /// When a hold is lifted; None = the goods stay held (return or destruction).
    pub lift_after: Option<Duration>,
    pub lab_result_after: Duration,
    /// Two-step: when the complete declaration is filed; None = never (overdue).
    pub complete_after: Option<Duration>,
    pub stop_before: Option<Stage>,
    pub officer: &'static str,
    pub slot: String,
    /// Air cargo has no containers: the station presents it in one of its own numbered
    /// (ISO 6346) inspection units, and that number goes on the position report.
    pub station_unit: String,
    pub sample_no: String,
}

impl Script {
    fn draw(r: &mut StdRng, finding_rate: f64, port: &Port, year: i32) -> Script {
        let lift = r.gen_bool(0.7);
        Script {
            arrival_after: None,
            position_after: minutes(r, 40, 240),
            container_gap: minutes(r, 5, 25),
            result_after: minutes(r, 30, 180),
            release_after: minutes(r, 10, 120),
            finding: r.gen_bool(finding_rate),
            finding_pick: r.gen_range(0..12),
            found_pct: r.gen_range(108..=125),
            lift_after: lift.then(|| minutes(r, 20 * 60, 6 * 24 * 60)),
            lab_result_after: minutes(r, 5 * 24 * 60, 8 * 24 * 60),
            complete_after: None,
            stop_before: None,
            officer: if r.gen_bool(0.75) { "officer" } else { "officer.pan" },
            slot: format!("{}{:02}-{:02}", port.slot_prefix, r.gen_range(1..=12), r.gen_range(1..=30)),
            station_unit: ids::container("LZK", r.gen_range(0..1000)),
            sample_no: format!("LZS{year}-{:04}", r.gen_range(1..10_000)),
        }
    }
}

/// What happened to a declaration as the simulation ran.
#[derive(Debug, Default)]
pub struct Progress {
    pub id: String,
    pub lane: Option<Lane>,
    pub lab: bool,
    /// Kept until the laboratory results came back.
    pub waited_for_lab: bool,
    /// The first filing was refused: the quarantine permit it named was used up.
    pub refused: bool,
    /// The laboratory sample taken at the inspection.
    pub sample: Option<SampleRun>,
    /// An inspection slot booked out of hours: (appointment id, slot start).
    pub appointment: Option<(String, OffsetDateTime)>,
    /// Cleared for sowing: released, finally (not on commitment).
    pub released_at: Option<OffsetDateTime>,
    /// The field monitoring plan of the lot, and the actions a finding opened.
    pub plan_id: Option<String>,
    pub actions: Vec<String>,
    /// The remote inspection opened when the lot's disposition order ran past its deadline.
    pub remote: Option<String>,
}

/// One declaration to file, with what happens to it afterwards.
pub struct Case {
    pub kind: Kind,
    pub cat: Cat,
    pub port: &'static Port,
    /// Firm key of the filing enterprise, and the declarant user who files.
    pub filer: &'static str,
    pub user: &'static str,
    pub filed_at: OffsetDateTime,
    pub draft: DeclarationDraft,
    /// Two-step: the complete declaration (step 2).
    pub complete: Option<DeclarationDraft>,
    /// The risk seed recorded with the decision.
    pub seed: u64,
    pub script: Script,
    pub run: Progress,
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn digits(r: &mut StdRng, n: u32) -> String {
    (0..n).map(|_| char::from(b'0' + r.gen_range(0..10))).collect()
}

#[allow(clippy::too_many_arguments)]
fn item(
    g_no: usize,
    hs: &str,
    name: &str,
    model: Option<String>,
    qty: Decimal,
    unit: &str,
    price: Decimal,
    currency: &str,
    origin: &str,
    destination: &str,
) -> ItemDraft {
    ItemDraft {
        g_no: Some(g_no.to_string()),
        code_ts: some(hs),
        g_name: some(name),
        g_model: model,
        g_qty: Some(qty.normalize().to_string()),
        g_unit: some(unit),
        decl_price: Some(price.to_string()),
        decl_total: Some((qty * price).round_dp(2).to_string()),
        trade_curr: some(currency),
        origin_country: some(origin),
        destination_country: some(destination),
    }
}

const SUMMARY_NOTE: &str = "两步申报·概要申报（第一步）/ two-step: summary declaration (step 1)";
const COMPLETE_NOTE: &str = "两步申报·完整申报（第二步）/ two-step: complete declaration (step 2)";

/// Step 1 of a two-step declaration leaves out the specifications; step 2 supplies them.
fn two_step(mut complete: DeclarationDraft) -> (DeclarationDraft, DeclarationDraft) {
    complete.head.note = some(COMPLETE_NOTE);
    let mut summary = complete.clone();
    summary.head.note = some(SUMMARY_NOTE);
    for it in &mut summary.items {
        it.g_model = None;
    }
    (summary, complete)
}

/// Whether a line trades goods under quarantine supervision: animals, plants and their products
/// (HS chapters 01–14), as the quarantine figures count them.
fn quarantine_line(l: &Line) -> bool {
    l.goods.iter().any(|g| g.hs[..2].parse::<u8>().is_ok_and(|ch| (1..=14).contains(&ch)))
}

/// A trade line open in `month`; with `quarantine_goods` false, none of chapters 01–14.
fn pick_line(r: &mut StdRng, month: Month, quarantine_goods: bool) -> &'static Line {
    let m = u8::from(month);
    let open: Vec<&'static Line> = LINES
        .iter()
        .copied()
        .filter(|l| l.months.is_empty() || l.months.contains(&m))
        .filter(|l| quarantine_goods || !quarantine_line(l))
        .collect();
    let w = WeightedIndex::new(open.iter().map(|l| l.weight)).expect("weights are positive");
    open[w.sample(r)]
}

fn draw_mode(r: &mut StdRng, ie: IeFlag) -> Mode {
    match (ie, r.gen_range(0..100)) {
        (IeFlag::Import, 0..=69) | (IeFlag::Export, 0..=74) => Mode::Standard,
        (IeFlag::Import, 70..=89) | (IeFlag::Export, _) => Mode::Advance,
        (IeFlag::Import, _) => Mode::TwoStep,
    }
}

/// Whether a trader of this grade declares 8517 goods below USD 5 a unit.
fn undervalues(r: &mut StdRng, grade: CreditGrade) -> bool {
    match grade {
        CreditGrade::AdvancedCertified => false,
        CreditGrade::Registered => r.gen_bool(0.15),
        CreditGrade::Untrustworthy => r.gen_bool(0.6),
    }
}

struct Builder<'a> {
    rng: StdRng,
    cal: &'a Calendar,
    parties: &'a Parties,
    bills: HashSet<String>,
    cases: Vec<Case>,
}

/// How the goods travel: (vessel/flight/train, voyage, bill, containers).
struct Carriage {
    traf_name: String,
    voyage: String,
    bill: String,
    containers: Vec<String>,
}

impl Builder<'_> {
    fn case_rng(&mut self) -> StdRng {
        StdRng::seed_from_u64(self.rng.gen())
    }

    fn unique_bill(&mut self, r: &mut StdRng, make: impl Fn(&mut StdRng) -> String) -> String {
        loop {
            let b = make(r);
            if self.bills.insert(b.clone()) {
                return b;
            }
        }
    }

    fn carriage(&mut self, r: &mut StdRng, port: &Port, day: Date, boxes: u32) -> Carriage {
        match &port.transport {
            Transport::Sea(carriers) => {
                let c = carriers.choose(r).expect("carriers");
                let traf_name = c.vessels.choose(r).expect("vessels").to_string();
                let voyage = format!("{:03}{}", r.gen_range(1..=260), ["E", "W"][r.gen_range(0..2)]);
                let bill = self.unique_bill(r, |r| format!("{}{}", c.bill_prefix, digits(r, c.bill_digits)));
                let containers =
                    (0..boxes).map(|_| ids::container(c.owners.choose(r).expect("owners"), r.gen_range(0..1_000_000))).collect();
                Carriage { traf_name, voyage, bill, containers }
            }
            Transport::Rail { trains, owners } => {
                let traf_name = trains.choose(r).expect("trains").to_string();
                let bill = self.unique_bill(r, |r| format!("SMGS{}", digits(r, 8)));
                let containers = (0..boxes).map(|_| ids::container(owners.choose(r).expect("owners"), r.gen_range(0..1_000_000))).collect();
                Carriage { traf_name, voyage: ids::compact_date(day), bill, containers }
            }
            Transport::Air(flights) => {
                let (prefix, flight) = *flights.choose(r).expect("flights");
                let bill = self.unique_bill(r, |r| ids::air_waybill(prefix, r.gen_range(1_000_000..10_000_000)));
                Carriage { traf_name: flight.into(), voyage: ids::compact_date(day), bill, containers: Vec::new() }
            }
        }
    }

    /// The spring season: 113 parent-seed consignments by air into the L airport cargo station,
    /// filed by 东方种子 and 正红种子 on the working days from 2 March to 24 April. Their
    /// quarantine permits are named on them afterwards (`permits::assign`).
    fn seed_season(&mut self) {
        let days = workdays(self.cal.season_start, self.cal.season_end);
        let n = SEED_CONSIGNMENTS;
        for i in 0..n {
            let day = days[i * (days.len() - 1) / (n - 1)];
            let case = self.seed_import(day);
            self.cases.push(case);
        }
    }

    fn seed_import(&mut self, day: Date) -> Case {
        let mut r = self.case_rng();
        let r = &mut r;
        let company = if r.gen_bool(0.56) { "dongfang" } else { "zhenghong" };
        let origins = WeightedIndex::new(SEED_ORIGINS.iter().map(|o| o.1)).expect("weights");
        let (origin, _, euro) = SEED_ORIGINS[origins.sample(r)];
        let currency = if euro && r.gen_bool(0.5) { "EUR" } else { "USD" };
        let mode = match r.gen_range(0..100) {
            0..=59 => Mode::Standard,
            60..=91 => Mode::Advance,
            _ => Mode::TwoStep,
        };
        let filed_at = cst(day, r.gen_range(8..=16), r.gen_range(0..60));
        let flight_day =
            if mode == Mode::Advance { day + Duration::days(r.gen_range(1..=2)) } else { day - Duration::days(r.gen_range(0..=1)) };
        let carriage = self.carriage(r, &AIRPORT, flight_day, 0);
        let variety = if company == "dongfang" { "DF" } else { "ZH" };
        let (mut items, mut net_h, mut packs) = (Vec::new(), 0i64, 0i64);
        let n = r.gen_range(1..=3);
        for (i, c) in CROPS.choose_multiple(r, n).enumerate() {
            let qty_h = r.gen_range(c.qty.0..=c.qty.1);
            let price = Decimal::new(r.gen_range(c.price.0..=c.price.1), 2);
            let model = format!("种植用|亲本原种|{}|品种代号{variety}-{:03}", c.latin, r.gen_range(1..1000));
            items.push(item(i + 1, c.hs, c.name, Some(model), Decimal::new(qty_h, 2), "035", price, currency, origin, "CHN"));
            net_h += qty_h;
            packs += (qty_h + 499) / 500; // 5 kg cartons
        }
        let net = Decimal::new(net_h, 2);
        let gross = (net * Decimal::new(112, 2) + Decimal::new(8, 1) * Decimal::from(packs)).round_dp(2);
        // Drawn as the permit number once was; kept so that every later draw of this case, its
        // risk seed above all, stays where it was. The real permits are the season's own
        // (see `permits`).
        let _ = r.gen_range(1..100_000);
        let sow_by = day + Duration::days(10);
        let head = HeadDraft {
            ie_flag: some("I"),
            mode: some(mode.as_str()),
            customs_master: some(AIRPORT.office),
            ie_port: some(AIRPORT.office),
            ie_date: (mode != Mode::Advance).then(|| flight_day.to_string()),
            trade_code: Some(self.parties.code(company).to_string()),
            traf_mode: some(AIRPORT.transport.traf_mode()),
            traf_name: Some(carriage.traf_name),
            voyage_no: Some(carriage.voyage),
            bill_no: Some(carriage.bill),
            trade_mode: some("0110"),
            trade_country: some(origin),
            trans_mode: some("1"),
            pack_no: Some(packs.to_string()),
            gross_wt: Some(gross.to_string()),
            net_wt: Some(net.to_string()),
            site_code: some(AIRPORT.site),
            note: some("种植用亲本原种 / parent seed for sowing"),
            priority: some("seeds-in-season"),
            priority_reason: Some(format!(
                "春播农时：亲本原种须于{sow_by}前播种，申请优先查验 / parent seed for the spring sowing, to be sown by {sow_by}"
            )),
            ..HeadDraft::default()
        };
        let draft = DeclarationDraft { head, items, containers: Vec::new(), licences: Vec::new() };
        let mut script = Script::draw(r, 0.03, &AIRPORT, self.cal.year);
        let (draft, complete) = match mode {
            Mode::TwoStep => {
                script.complete_after = Some(minutes(r, 2 * 24 * 60, 10 * 24 * 60));
                let (summary, complete) = two_step(draft);
                (summary, Some(complete))
            }
            Mode::Advance => {
                let lands = cst(flight_day, r.gen_range(6..=21), r.gen_range(0..60));
                script.arrival_after = Some(lands - filed_at);
                (draft, None)
            }
            Mode::Standard => (draft, None),
        };
        Case {
            kind: Kind::SeedImport,
            cat: Cat::Seeds,
            port: &AIRPORT,
            filer: company,
            user: self.parties.user_of(company, Role::Declarant),
            filed_at,
            draft,
            complete,
            seed: r.gen(),
            script,
            run: Progress::default(),
        }
    }

    /// A general-trade declaration of `line`, filed at `filed_at` in `mode`.
    fn trade(&mut self, mut rng: StdRng, line: &'static Line, filed_at: OffsetDateTime, mode: Mode) -> Case {
        let r = &mut rng;
        // Dates are UTC dates, as validation's "today" is.
        let day = filed_at.date();
        let import = line.ie == IeFlag::Import;
        let trader = *line.traders.choose(r).expect("traders");
        let partner = *line.partners.choose(r).expect("partners");
        let filer = if line.self_filed { trader } else { line.port.broker };
        let currency = if catalogue::euro_area(partner) && r.gen_bool(0.5) { "EUR" } else { "USD" };
        let boxes = r.gen_range(line.boxes.0..=line.boxes.1);
        let ie_date = match (line.ie, mode) {
            (IeFlag::Import, Mode::Advance) => None,
            (IeFlag::Import, _) => Some(day - Duration::days(r.gen_range(0..=2))),
            (IeFlag::Export, Mode::Advance) => Some(day + Duration::days(r.gen_range(1..=3))),
            (IeFlag::Export, _) => Some(day),
        };
        // The flight or train date: arrival or departure, or the expected arrival in advance.
        let travel_day = ie_date.unwrap_or(day + Duration::days(1));
        let carriage = self.carriage(r, line.port, travel_day, boxes);
        let grade = self.parties.enterprise(trader).grade;
        let n = r.gen_range(1..=line.max_items.min(line.goods.len()));
        let chosen: Vec<&Goods> = line.goods.choose_multiple(r, n).collect();
        let (origin, destination) = if import { (partner, "CHN") } else { ("CHN", partner) };
        let (mut items, mut grams, mut packs) = (Vec::new(), 0i64, 0i64);
        for (i, g) in chosen.iter().enumerate() {
            let qty = (r.gen_range(g.qty.0..=g.qty.1) * i64::from(boxes.max(1)) / n as i64).max(1);
            let mut cents = r.gen_range(g.price.0..=g.price.1);
            if import && g.hs.starts_with("8517") && undervalues(r, grade) {
                cents = r.gen_range(120..=480);
            }
            items.push(item(
                i + 1,
                g.hs,
                g.name,
                some(g.model),
                Decimal::from(qty),
                g.unit,
                Decimal::new(cents, 2),
                currency,
                origin,
                destination,
            ));
            grams += qty * g.grams;
            packs += if g.per_pack == 0 { i64::from(boxes.max(1)) } else { (qty + g.per_pack - 1) / g.per_pack };
        }
        let net = Decimal::new(grams, 3).round_dp(2);
        let gross = (net * Decimal::new(r.gen_range(103..=110), 2)).round_dp(2);
        let trans_mode = match (import, r.gen_range(0..10)) {
            (true, 0..=6) | (false, 8..) => "1",
            (true, 7) => "2",
            _ => "3",
        };
        let head = HeadDraft {
            ie_flag: some(line.ie.as_str()),
            mode: some(mode.as_str()),
            customs_master: some(line.port.office),
            ie_port: some(line.port.office),
            ie_date: ie_date.map(|d| d.to_string()),
            trade_code: Some(self.parties.code(trader).to_string()),
            agent_code: (!line.self_filed).then(|| self.parties.code(filer).to_string()),
            traf_mode: some(line.port.transport.traf_mode()),
            traf_name: Some(carriage.traf_name),
            voyage_no: Some(carriage.voyage),
            bill_no: Some(carriage.bill),
            trade_mode: some(line.trade_mode),
            trade_country: some(partner),
            trans_mode: some(trans_mode),
            pack_no: Some(packs.max(1).to_string()),
            gross_wt: Some(gross.to_string()),
            net_wt: Some(net.to_string()),
            site_code: some(line.port.site),
            ..HeadDraft::default()
        };
        let containers =
            carriage.containers.into_iter().map(|c| ContainerDraft { container_id: Some(c), container_md: some(line.box_type) }).collect();
        let draft = DeclarationDraft { head, items, containers, licences: Vec::new() };
        let mut script = Script::draw(r, 0.10, line.port, self.cal.year);
        let (draft, complete) = match mode {
            Mode::TwoStep => {
                script.complete_after = Some(minutes(r, 2 * 24 * 60, 10 * 24 * 60));
                let (summary, complete) = two_step(draft);
                (summary, Some(complete))
            }
            Mode::Advance => {
                script.arrival_after = Some(minutes(r, 6 * 60, 60 * 60));
                (draft, None)
            }
            Mode::Standard => (draft, None),
        };
        Case {
            kind: Kind::Trade,
            cat: chosen[0].cat,
            port: line.port,
            filer,
            user: self.parties.user_of(filer, Role::Declarant),
            filed_at,
            draft,
            complete,
            seed: r.gen(),
            script,
            run: Progress::default(),
        }
    }

    /// General trade of every kind on the working days from the season's start to four days
    /// before the end. While the seed season's figures run, the port declares no other goods
    /// under quarantine supervision, so those figures are the season's alone.
    fn general_trade(&mut self) {
        let days = workdays(self.cal.season_start, self.cal.end.date() - Duration::days(4));
        let season = self.cal.season_start..=self.cal.season_close;
        for i in 0..GENERAL_TRADE {
            let day = days[i * days.len() / GENERAL_TRADE];
            let mut r = self.case_rng();
            let line = pick_line(&mut r, day.month(), !season.contains(&day));
            let at = cst(day, r.gen_range(8..=17), r.gen_range(0..60));
            let mode = draw_mode(&mut r, line.ie);
            let case = self.trade(r, line, at, mode);
            self.cases.push(case);
        }
    }

    /// Two two-step declarations whose complete declaration never comes: overdue.
    fn overdue_two_step(&mut self) {
        let last = self.cal.end.date();
        for (days_ago, line, hour) in [(40, &TELECOM, 10), (24, &COSMETICS, 14)] {
            let r = self.case_rng();
            let mut case = self.trade(r, line, cst(last - Duration::days(days_ago), hour, 20), Mode::TwoStep);
            case.script.complete_after = None;
            self.cases.push(case);
        }
    }

    /// The last three days: work left in every queue when the simulation stops.
    fn tail(&mut self) {
        let end = self.cal.end;
        // US apples are always examined: one held (codling moth), two inspected awaiting
        // release, two in position, two just notified.
        let apples = [
            (66, None, true),
            (46, Some(Stage::Release), false),
            (20, Some(Stage::Release), false),
            (25, Some(Stage::Result), false),
            (9, Some(Stage::Result), false),
            (5, Some(Stage::Position), false),
            (2, Some(Stage::Position), false),
        ];
        for (hours, stop, finding) in apples {
            let r = self.case_rng();
            let mut case = self.trade(r, &US_APPLES, end - Duration::hours(hours), Mode::Standard);
            case.script.stop_before = stop;
            case.script.finding = finding;
            case.script.finding_pick = 0;
            case.script.lift_after = None;
            self.cases.push(case);
        }
        // Advance declarations whose goods are still on the way.
        for (hours, line) in [(30, &ICS), (12, &MEDICAL), (3, &AUTO_PARTS)] {
            let r = self.case_rng();
            let mut case = self.trade(r, line, end - Duration::hours(hours), Mode::Advance);
            case.script.arrival_after = None;
            self.cases.push(case);
        }
        // Ordinary traffic, cut off wherever the end finds it; what is targeted on the last
        // day is still being worked on.
        for k in 0..14 {
            let at = end - Duration::minutes(68 * 60 - k * 290);
            let mut r = self.case_rng();
            let line = pick_line(&mut r, at.month(), true);
            let mode = draw_mode(&mut r, line.ie);
            let stop = [Stage::Position, Stage::Result, Stage::Release][k as usize % 3];
            let mut case = self.trade(r, line, at, mode);
            if end - at < Duration::hours(30) {
                case.script.stop_before = Some(stop);
            }
            self.cases.push(case);
        }
    }
}

/// Every declaration of the demo, in filing order.
pub fn build(cal: &Calendar, parties: &Parties) -> Vec<Case> {
    let mut b = Builder { rng: StdRng::seed_from_u64(DEMO_SEED), cal, parties, bills: HashSet::new(), cases: Vec::new() };
    b.seed_season();
    b.general_trade();
    b.overdue_two_step();
    b.tail();
    let mut cases = b.cases;
    cases.sort_by_key(|c| c.filed_at);
    cases
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_calendar_never_reaches_the_present() {
        let now = datetime!(2026-11-23 04:18 UTC);
        let cal = Calendar::for_now(now);
        assert_eq!(cal.year, 2026);
        assert_eq!(cal.end, datetime!(2026-11-21 10:00 UTC));
        assert_eq!(cal.revision_at, datetime!(2026-06-15 02:00 UTC));
        // Before the 2026 season is over, the previous spring is replayed.
        let early = Calendar::for_now(datetime!(2026-04-01 00:00 UTC));
        assert_eq!(early.year, 2025);
        assert!(early.setup_at < early.rules_at);
        assert!(cst(early.season_end, 18, 0) < early.revision_at);
        assert!(early.revision_at < early.end);
        assert!(early.end < datetime!(2026-04-01 00:00 UTC));
    }

    #[test]
    fn the_season_runs_from_the_first_to_the_last_working_day() {
        let days = workdays(ymd(2026, Month::March, 2), ymd(2026, Month::April, 24));
        assert_eq!(days.first(), Some(&ymd(2026, Month::March, 2)));
        assert_eq!(days.last(), Some(&ymd(2026, Month::April, 24)));
        assert_eq!(days.len(), 40);
    }
}
