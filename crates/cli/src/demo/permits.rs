//! 检疫审批 — the quarantine permits the season's seed is imported under.
//!
//! Seeds for sowing (HS 1209) may be imported only under an entry quarantine permit held by the
//! consignee. Before the season each seed company gets one permit per kind of seed (vegetable,
//! flower) and group of origins, for the quantity its plans for the season add up to, with a
//! margin. One permit is sized without the margin: it is used up exactly by the company's
//! filings until late in the season, so the next filing is refused (`permit_exhausted`), the
//! officer issues a supplementary permit the same day (特事专办) and the company files again
//! naming both.

use super::parties::Parties;
use super::plan::{Calendar, Case, Kind, DEMO_SEED};
use guomen_domain::declaration::LicenceDraft;
use guomen_domain::quarantine::permit::{PermitDraft, PERMIT_DOCU_CODE};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration, Month};

/// Origin groups a permit may list; every seed origin of the catalogue is in one.
const REGIONS: &[(&str, &[&str])] = &[
    ("欧洲 / Europe", &["NLD", "FRA", "ITA", "DEU", "DNK"]),
    ("美洲、大洋洲 / the Americas and Oceania", &["USA", "CHL", "NZL", "AUS"]),
    ("亚洲 / Asia", &["JPN", "KOR", "THA", "ISR"]),
];

/// Kinds of seed a permit covers: (HS prefix, name, genera).
const KINDS: &[(&str, &str, &str)] = &[
    ("120991", "蔬菜种子 / vegetable seeds", "Solanum, Capsicum, Cucumis, Citrullus, Cucurbita, Allium, Daucus, Brassica, Lactuca spp."),
    ("120930", "花卉种子 / flower seeds", "Petunia, Tagetes, Viola, Zinnia spp."),
];

const CONDITIONS: &[&str] = &[
    "仅限种植用，不得转作他用 / for sowing only",
    "须随附输出国官方植物检疫证书 / with the exporting country's official phytosanitary certificate",
    "种植地块须报L海关备案并接受田间疫情监测 / to be sown on plots registered with L customs and monitored in the field",
];

/// One permit group: (company key, kind index, region index).
type Group = (&'static str, usize, usize);

fn region_of(origin: &str) -> usize {
    REGIONS.iter().position(|(_, cs)| cs.contains(&origin)).unwrap_or_else(|| panic!("seed origin {origin} is in no permit region"))
}

fn kind_of(code_ts: &str) -> usize {
    KINDS.iter().position(|(p, _, _)| code_ts.starts_with(p)).unwrap_or_else(|| panic!("seed code {code_ts} is in no permit kind"))
}

/// The groups of a seed case's items, with the quantity each draws.
fn draws(case: &Case) -> BTreeMap<Group, Decimal> {
    let mut out = BTreeMap::new();
    for it in &case.draft.items {
        let code = it.code_ts.as_deref().unwrap_or_default();
        let origin = it.origin_country.as_deref().unwrap_or_default();
        let qty: Decimal = it.g_qty.as_deref().and_then(|q| q.parse().ok()).unwrap_or_default();
        *out.entry((case.filer, kind_of(code), region_of(origin))).or_default() += qty;
    }
    out
}

/// A used-up permit and the filing it refuses.
pub struct Exhaustion {
    /// Index of the case whose first filing is refused.
    pub case: usize,
    pub used_up: String,
    /// The supplementary permit the officer then issues.
    pub supplementary: PermitDraft,
}

/// The season's permits.
pub struct Permits {
    /// Issued before the season, in this order.
    pub issue: Vec<PermitDraft>,
    pub exhaustion: Option<Exhaustion>,
}

fn kg(q: Decimal) -> String {
    q.normalize().to_string()
}

fn draft(id: String, holder: String, group: Group, quantity: Decimal, from: Date, to: Date, extra: Option<String>) -> PermitDraft {
    let (_, kind, region) = group;
    let mut conditions: Vec<String> = CONDITIONS.iter().map(|c| c.to_string()).collect();
    conditions.push(format!("{} {}", KINDS[kind].1, REGIONS[region].0));
    conditions.extend(extra);
    PermitDraft {
        id: Some(id),
        holder: Some(holder),
        hs_prefixes: vec![KINDS[kind].0.to_owned()],
        botanical_name: Some(KINDS[kind].2.to_owned()),
        origin_countries: REGIONS[region].1.iter().map(|c| c.to_string()).collect(),
        quantity: Some(kg(quantity)),
        unit: Some("035".into()),
        valid_from: Some(from.to_string()),
        valid_to: Some(to.to_string()),
        conditions,
    }
}

fn licence(id: &str) -> LicenceDraft {
    LicenceDraft { docu_code: Some(PERMIT_DOCU_CODE.into()), cert_code: Some(id.to_owned()) }
}

/// Names the permits on the seed cases' drafts and returns the permits to issue. `cases` are in
/// filing order.
pub fn assign(cases: &mut [Case], cal: &Calendar, parties: &Parties) -> Permits {
    let mut rng = StdRng::seed_from_u64(DEMO_SEED ^ 0x7065_726d_6974);
    let seeds: Vec<usize> = (0..cases.len()).filter(|&i| cases[i].kind == Kind::SeedImport).collect();
    // Every group's filings, in order, with what each draws.
    let mut filings: BTreeMap<Group, Vec<(usize, Decimal)>> = BTreeMap::new();
    for &i in &seeds {
        for (g, q) in draws(&cases[i]) {
            filings.entry(g).or_default().push((i, q));
        }
    }
    // The permit that runs out: the group with the most filings of those still filing in the
    // last fortnight of the season.
    let late = cal.season_end - Duration::days(14);
    let short = filings
        .iter()
        .filter(|(_, fs)| fs.len() >= 4)
        .filter(|(_, fs)| fs.last().is_some_and(|(i, _)| cases[*i].filed_at.date() >= late))
        .max_by_key(|(g, fs)| (fs.len(), std::cmp::Reverse(**g)))
        .map(|(g, _)| *g);

    let from = cal.permits_at.date();
    let to = Date::from_calendar_date(cal.year, Month::June, 30).expect("valid date");
    // Permit numbers rise in the order of issue; the supplementary permit takes the last.
    let mut numbers = BTreeSet::new();
    while numbers.len() < filings.len() + 1 {
        numbers.insert(rng.gen_range(1_000..100_000u32));
    }
    let permit_id = |n: u32| format!("LZ{}-{n:05}", cal.year);
    let supplementary_id = permit_id(numbers.pop_last().expect("numbers drawn"));
    let mut numbers = numbers.into_iter();
    let mut next_id = || permit_id(numbers.next().expect("a number for every group"));

    let mut issue = Vec::new();
    let mut ids: BTreeMap<Group, String> = BTreeMap::new();
    let mut exhaustion = None;
    for (g, fs) in &filings {
        let id = next_id();
        let holder = parties.code(g.0).to_string();
        let total: Decimal = fs.iter().map(|(_, q)| *q).sum();
        let quantity = if Some(*g) == short {
            // Exactly what the filings before the last one draw.
            let (last, last_qty) = fs[fs.len() - 1];
            let before = total - last_qty;
            let supplementary = draft(
                supplementary_id.clone(),
                holder.clone(),
                *g,
                (last_qty * Decimal::new(15, 1)).ceil(),
                cases[last].filed_at.date(),
                to,
                Some(format!("补充许可：原许可证 {id} 已核销完毕 / supplementary to permit {id}, used up")),
            );
            exhaustion = Some(Exhaustion { case: last, used_up: id.clone(), supplementary });
            before
        } else {
            // The season's plan and a fifth more, in whole kilograms.
            (total * Decimal::new(12, 1)).ceil()
        };
        issue.push(draft(id.clone(), holder, *g, quantity, from, to, None));
        ids.insert(*g, id);
    }
    for &i in &seeds {
        let groups = draws(&cases[i]);
        let licences: Vec<LicenceDraft> = groups.keys().map(|g| licence(&ids[g])).collect();
        let c = &mut cases[i];
        c.draft.licences = licences.clone();
        if let Some(complete) = &mut c.complete {
            complete.licences = licences;
        }
    }
    Permits { issue, exhaustion }
}

/// Adds the supplementary permit to the refused case's drafts, after the used-up one.
pub fn name_supplementary(case: &mut Case, id: &str) {
    case.draft.licences.push(licence(id));
    if let Some(complete) = &mut case.complete {
        complete.licences.push(licence(id));
    }
}
