//! Realistic applications the tests, the demo and the documentation vary: rice seed for sowing
//! to Japan, and lily bulbs imported from the Netherlands re-exported to Korea.

use super::draft::{ContainerDraft, LineDraft, OriginalDraft, PartyDraft, PhytoDraft, TreatmentDraft};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// Rice seed for sowing, Shanghai to Yokohama by sea, office `office`.
pub fn export_draft(office: &str) -> PhytoDraft {
    PhytoDraft {
        kind: s("export"),
        office: s(office),
        declaration: None,
        consignor: PartyDraft {
            name: s("上海丰禾种业有限公司 Shanghai Fenghe Seed Co., Ltd."),
            address: s("上海市浦东新区川沙路 1288 号"),
        },
        consignee: PartyDraft { name: s("Tokyo Shubyo K.K."), address: s("2-4-1 Kaigan, Minato-ku, Tokyo 105-0022, Japan") },
        import_country: s("JP"),
        transit_countries: Vec::new(),
        loading_port_code: s("CNSHA"),
        loading_port: s("Shanghai"),
        unloading_port_code: s("JPYOK"),
        unloading_port: s("Yokohama"),
        transport_mode: s("1"),
        transport_means: s("COSCO SHIPPING TAURUS"),
        voyage: s("052E"),
        containers: vec![ContainerDraft { id: s("CSQU3054383"), seals: vec!["CN2026031".into()] }],
        marks: s("FH-JP-2026-07"),
        import_permit: None,
        additional_declarations: vec!["The seeds were produced in an area free from Tilletia barclayana.".into()],
        original: None,
        lines: vec![LineDraft {
            hs: s("1006100000"),
            description: s("Rice seed for sowing (稻种)"),
            scientific_name: s("Oryza sativa"),
            common_name: s("rice"),
            intended_use: s("sowing"),
            net_weight: s("12000.000"),
            gross_weight: s("12240.000"),
            packages: s("480"),
            package_kind: s("BG"),
            origin_country: s("CN"),
            origin_region: s("Jiangsu"),
            treatments: vec![TreatmentDraft {
                description: s("Seed dressing with fungicide"),
                chemical: s("thiram 0.2 %"),
                temperature: None,
                duration_hours: None,
                date: s("2026-02-20"),
            }],
        }],
    }
}

/// Lily bulbs imported from the Netherlands under certificate `original` and re-exported to
/// Busan by air.
pub fn reexport_draft(office: &str, original: &str) -> PhytoDraft {
    PhytoDraft {
        kind: s("re-export"),
        office: s(office),
        declaration: None,
        consignor: PartyDraft {
            name: s("上海花港园艺进出口有限公司 Shanghai Huagang Horticulture Co., Ltd."),
            address: s("上海市闵行区虹梅南路 3500 号"),
        },
        consignee: PartyDraft { name: s("Busan Flower Trading Co."), address: s("45 Jungang-daero, Jung-gu, Busan, Korea") },
        import_country: s("KR"),
        transit_countries: Vec::new(),
        loading_port_code: s("CNPVG"),
        loading_port: s("Shanghai Pudong Airport"),
        unloading_port_code: s("KRPUS"),
        unloading_port: s("Busan"),
        transport_mode: s("4"),
        transport_means: s("MU5041"),
        voyage: None,
        containers: Vec::new(),
        marks: None,
        import_permit: None,
        additional_declarations: Vec::new(),
        original: Some(OriginalDraft { number: s(original), country: s("NL") }),
        lines: vec![LineDraft {
            hs: s("0601101000"),
            description: s("Lily bulbs, dormant"),
            scientific_name: s("Lilium longiflorum"),
            common_name: s("Easter lily"),
            intended_use: s("planting"),
            net_weight: s("800"),
            gross_weight: s("860"),
            packages: s("40"),
            package_kind: s("CT"),
            origin_country: s("NL"),
            origin_region: None,
            treatments: Vec::new(),
        }],
    }
}
