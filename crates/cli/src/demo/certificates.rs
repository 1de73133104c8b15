//! 证书 — certificates after the season, through the write path like everything else: 东方种子
//! exports pumpkin and rice seed and asks for phytosanitary certificates (two issued, one of
//! them replaced to correct the consignee, one waiting for the officer); it receives the
//! exporting country's certificate of one of its seed imports from the ePhyto hub and re-exports
//! part of the lot to Korea under a re-export certificate naming it; and it applies for certificates of
//! origin (one referred to an officer and approved, one passed at once, one returned for
//! amendment and waiting for it). Every issued one is signed and has its public record.

use super::flow::Sim;
use super::parties::Parties;
use super::plan::Calendar;
use anyhow::{anyhow, Context};
use guomen_domain::origin::{GoodsDraft, OriginDraft};
use guomen_domain::phyto::draft::{LineDraft, PartyDraft, PhytoDraft};
use guomen_domain::phyto::{self, samples, Facts, PhytoDocument, Text};
use guomen_store::origin::OriginCommand;
use guomen_store::phyto::PhytoCommand;
use guomen_store::{Command, Outcome, Store};
use time::Duration;

/// The office that issues them: L customs, at the airport.
const OFFICE: &str = "9501";

/// What was made, for the summary.
#[derive(Default)]
pub struct Made {
    pub phyto: Vec<(String, &'static str)>,
    pub received: Option<String>,
    pub origin: Vec<(String, String)>,
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn pumpkin_to_japan() -> PhytoDraft {
    let mut d = samples::export_draft(OFFICE);
    d.consignor = PartyDraft {
        name: s("东方种子有限公司 Dongfang Seed Co., Ltd."), address: s("甘肃省张掖市甘州区河西制种基地 8 号")
    };
    d.loading_port_code = s("CNZHY");
    d.loading_port = s("L Airport");
    d.unloading_port_code = s("JPNRT");
    d.unloading_port = s("Narita");
    d.transport_mode = s("4");
    d.transport_means = s("CA925");
    d.voyage = None;
    d.containers = Vec::new();
    d.lines[0] = LineDraft {
        hs: s("1209913000"),
        description: s("Pumpkin seed for sowing, F1 hybrid (南瓜种子)"),
        scientific_name: s("Cucurbita moschata"),
        common_name: s("pumpkin"),
        intended_use: s("sowing"),
        net_weight: s("480"),
        gross_weight: s("502"),
        packages: s("24"),
        package_kind: s("CT"),
        origin_country: s("CN"),
        origin_region: s("Gansu"),
        treatments: Vec::new(),
    };
    d.marks = s("DF-JP-0412");
    d
}

/// What an import declared, as its exporting country's certificate describes it.
struct Imported {
    hs: String,
    description: String,
    botanical: String,
    /// Alpha-2.
    country: String,
    net_weight: rust_decimal::Decimal,
}

/// The certificate the exporting country's plant protection organisation issued for `what`, as
/// the hub would send it.
fn foreign_certificate(number: &str, what: &Imported, now: time::OffsetDateTime) -> anyhow::Result<PhytoDocument> {
    let mut draft = samples::export_draft(OFFICE);
    draft.containers = Vec::new();
    draft.lines[0] = LineDraft {
        hs: s(&what.hs),
        description: s(&what.description),
        scientific_name: s(&what.botanical),
        common_name: None,
        intended_use: s("sowing"),
        net_weight: s(&what.net_weight.to_string()),
        gross_weight: None,
        packages: None,
        package_kind: None,
        origin_country: s(&what.country),
        origin_region: None,
        treatments: Vec::new(),
    };
    let app = phyto::parse(&draft).map_err(|r| anyhow!("{}: {:?}", r.detail_en, r.errors))?;
    let facts = Facts { number, officer: "J. de Vries", now, declaration: None, samples: &[], original: None, replaces: None };
    let mut doc = phyto::compose(&app, &facts).map_err(|r| anyhow!("{}", r.detail_en))?;
    let a3 = guomen_reference::country_alpha2::alpha3(&what.country).unwrap_or_default();
    doc.issuer = format!("National Plant Protection Organization of {}", guomen_reference::country::name_en(a3).unwrap_or(&what.country));
    doc.export_country = what.country.clone();
    doc.import_country = "CN".into();
    doc.consignor = phyto::Party {
        name: "Hortus Seeds B.V.".into(),
        address: vec!["Bollenstraat 12, Lisse".into()],
        city: None,
        country: Some(what.country.clone()),
    };
    doc.consignee = phyto::Party {
        name: "东方种子有限公司".into(),
        address: vec!["甘肃省张掖市甘州区河西制种基地 8 号".into()],
        city: None,
        country: Some("CN".into()),
    };
    doc.loading_port = None;
    doc.unloading_port = Some(phyto::Location { id: None, name: Some("L Airport".into()) });
    doc.transport = vec![phyto::Transport { mode: "4".into(), means: None, id: None }];
    doc.notes = vec![phyto::Note::new(
        phyto::subject::ADDITIONAL_DECLARATION,
        Text::en("The seeds were tested and found free from Tomato brown rugose fruit virus."),
    )];
    doc.authentication = doc.authentication.map(|a| phyto::Authentication { place: None, ..a });
    Ok(doc)
}

fn origin_seed(agreement: &str, country: &str, invoice: &str) -> OriginDraft {
    OriginDraft {
        agreement: s(agreement),
        office: s(OFFICE),
        importing_country: s(country),
        consignee_name: s(match country {
            "JPN" => "Tokyo Shubyo K.K.",
            "KOR" => "Seoul Seed Co., Ltd.",
            _ => "Pacific Seed Growers Inc.",
        }),
        consignee_address: s(match country {
            "JPN" => "2-4-1 Kaigan, Minato-ku, Tokyo 105-0022",
            "KOR" => "17 Sejong-daero, Jung-gu, Seoul",
            _ => "1200 Harbor Way, Oakland, CA 94607",
        }),
        transport: s("BY AIR FROM L AIRPORT"),
        invoice_no: s(invoice),
        invoice_date: s("2026-04-20"),
        goods: vec![GoodsDraft {
            hs: s("1209913000"),
            description: s("南瓜种子 pumpkin seed for sowing"),
            quantity: s("480"),
            unit: s("035"),
            fob_value: s("57600"),
            currency: s("USD"),
            criterion: s("WO"),
            materials: Vec::new(),
        }],
    }
}

async fn phyto_step(
    sim: &mut Sim<'_>,
    actor: guomen_domain::party::Actor,
    cmd: PhytoCommand,
    at: time::OffsetDateTime,
) -> anyhow::Result<Outcome> {
    sim.exec(actor, Command::Phyto(cmd), at).await
}

fn number_of(o: &Outcome) -> anyhow::Result<String> {
    match o {
        Outcome::Phyto(c) => Ok(c.number.clone()),
        Outcome::Origin(c) => Ok(c.number.clone()),
        other => Err(anyhow!("unexpected outcome {other:?}")),
    }
}

/// Runs the certificates, starting at `cal.end`.
pub async fn run(store: &Store, parties: &Parties, cal: &Calendar) -> anyhow::Result<Made> {
    let mut sim = Sim::new(store, cal.end);
    let mut at = cal.end;
    let mut next = || {
        at += Duration::minutes(7);
        at
    };
    let trader = parties.actor("dongfang");
    let officer = parties.actor("officer");
    let exporter = parties.code("dongfang");
    let mut made = Made::default();
    let apply = |draft: PhytoDraft| PhytoCommand::Apply { exporter: exporter.clone(), draft: Box::new(draft) };

    // Pumpkin seed to Japan: applied for and issued.
    let o = phyto_step(&mut sim, trader.clone(), apply(pumpkin_to_japan()), next()).await.context("applying for a certificate")?;
    let japan = number_of(&o)?;
    phyto_step(&mut sim, officer.clone(), PhytoCommand::Issue { number: japan.clone() }, next()).await.context("issuing it")?;
    made.phyto.push((japan, "issued"));

    // Rice seed to Japan: issued, then replaced to correct the consignee's name.
    let o = phyto_step(&mut sim, trader.clone(), apply(samples::export_draft(OFFICE)), next()).await?;
    let rice = number_of(&o)?;
    phyto_step(&mut sim, officer.clone(), PhytoCommand::Issue { number: rice.clone() }, next()).await?;
    let mut corrected = samples::export_draft(OFFICE);
    corrected.consignee.name = s("Tokyo Shubyo Co., Ltd.");
    let o = phyto_step(
        &mut sim,
        officer.clone(),
        PhytoCommand::Replace {
            number: rice.clone(),
            draft: Box::new(corrected),
            reason: "收货人名称更正 / consignee's name corrected".into(),
        },
        next(),
    )
    .await
    .context("replacing a certificate")?;
    made.phyto.push((rice, "replaced"));
    made.phyto.push((number_of(&o)?, "issued (replacement)"));

    // The certificate of one of 东方种子's seed imports, received from the hub and linked to its
    // declaration, and part of the lot re-exported to Korea naming it.
    let rows = store
        .declarations(&guomen_store::DeclarationFilter { party: Some(exporter.to_string()), limit: 50, ..Default::default() })
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let import = rows.into_iter().find(|r| r.ie_flag == "I").ok_or_else(|| anyhow!("东方种子 has no import declaration"))?;
    let d = store.declaration(&import.id).await.map_err(|e| anyhow!("{e}"))?.ok_or_else(|| anyhow!("declaration {}", import.id))?;
    let item = d.content.items.first().ok_or_else(|| anyhow!("declaration {} has no item", import.id))?;
    let permit = match d.content.licences.iter().find(|l| l.docu_code == "QP") {
        Some(l) => store.permit(&l.cert_code).await.map_err(|e| anyhow!("{e}"))?,
        None => None,
    };
    let what = Imported {
        hs: item.code_ts.to_string(),
        description: item.g_name.clone(),
        botanical: permit.map(|p| p.botanical_name).unwrap_or_else(|| "Cucurbita moschata".into()),
        country: guomen_reference::country_alpha2::alpha2(item.origin_country.as_str()).unwrap_or("NL").to_owned(),
        net_weight: item.g_qty,
    };
    let original = format!("{}-{}-004217", what.country, cal.year);
    let doc = foreign_certificate(&original, &what, next())?;
    phyto_step(
        &mut sim,
        officer.clone(),
        PhytoCommand::Receive {
            document: Box::new(doc),
            status: phyto::STATUS_ISSUED.into(),
            declaration: Some(import.id.clone()),
            bill: None,
        },
        next(),
    )
    .await
    .context("receiving the import's certificate")?;
    made.received = Some(format!("{}/{original} (declaration {})", what.country, import.id));
    let mut reexport = samples::reexport_draft(OFFICE, &original);
    reexport.original = Some(guomen_domain::phyto::draft::OriginalDraft { number: s(&original), country: s(&what.country) });
    reexport.lines[0] = LineDraft {
        hs: s(&what.hs),
        description: s(&what.description),
        scientific_name: s(&what.botanical),
        common_name: None,
        intended_use: s("sowing"),
        net_weight: s(&(what.net_weight / rust_decimal::Decimal::from(4)).round_dp(3).to_string()),
        gross_weight: None,
        packages: s("4"),
        package_kind: s("CT"),
        origin_country: s(&what.country),
        origin_region: None,
        treatments: Vec::new(),
    };
    let o = phyto_step(&mut sim, trader.clone(), apply(reexport), next()).await.context("applying for the re-export")?;
    let reexport = number_of(&o)?;
    phyto_step(&mut sim, officer.clone(), PhytoCommand::Issue { number: reexport.clone() }, next())
        .await
        .context("issuing the re-export")?;
    made.phyto.push((reexport, "issued (re-export)"));

    // Pumpkin seed to Korea: waiting for the officer.
    let mut korea = pumpkin_to_japan();
    korea.import_country = s("KR");
    korea.consignee = PartyDraft { name: s("Seoul Seed Co., Ltd."), address: s("17 Sejong-daero, Jung-gu, Seoul") };
    korea.unloading_port_code = s("KRICN");
    korea.unloading_port = s("Incheon");
    let o = phyto_step(&mut sim, trader.clone(), apply(korea), next()).await?;
    made.phyto.push((number_of(&o)?, "applied"));

    // Certificates of origin: the exporter's first goes to an officer, who approves it; the next
    // passes at once; one to the United States under RCEP is returned for amendment.
    for (agreement, country, invoice) in
        [("rcep", "JPN", "DF-2026-0412"), ("china-korea", "KOR", "DF-2026-0415"), ("rcep", "USA", "DF-2026-0418")]
    {
        let cmd = OriginCommand::Apply { exporter: exporter.clone(), draft: Box::new(origin_seed(agreement, country, invoice)) };
        let o =
            sim.exec(trader.clone(), Command::Origin(cmd), next()).await.with_context(|| format!("certificate of origin to {country}"))?;
        let Outcome::Origin(c) = o else { return Err(anyhow!("unexpected outcome")) };
        if c.status.with_officer() {
            let cmd = guomen_service::origin::decision(&c.number, "approve", None).map_err(|r| anyhow!("{}", r.detail_en))?;
            sim.exec(officer.clone(), Command::Origin(cmd), next()).await.context("approving a certificate of origin")?;
            made.origin.push((c.number.clone(), format!("{country}: reviewed by an officer, issued")));
        } else {
            made.origin.push((c.number.clone(), format!("{country}: {}", c.status.name_en())));
        }
    }
    Ok(made)
}

/// The summary's lines.
pub fn summary(made: &Made) -> String {
    let phyto: Vec<String> = made.phyto.iter().map(|(n, s)| format!("{n} {s}")).collect();
    let origin: Vec<String> = made.origin.iter().map(|(n, s)| format!("{n} ({s})")).collect();
    format!(
        "Certificates  phytosanitary (植物检疫证书): {}; received from the hub: {}\n              of origin (原产地证书): {}\n              anyone verifies an issued one at /verify/NUMBER\n",
        phyto.join(", "),
        made.received.clone().unwrap_or_default(),
        origin.join(", ")
    )
}
