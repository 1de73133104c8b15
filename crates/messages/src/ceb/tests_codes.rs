//! Tests for [`message_kind`] and for the customs parameter tables (country and unit codes)
//! applied by the readers.

use guomen_reference::{gacc_country, unit};

use super::test_support::{check_broken, replace_first, sample};
use super::tree::{read_tree, Element};
use super::*;
use guomen_domain::Rule;

const SAMPLES: [&str; 16] = [
    "CEB311Message",
    "CEB312Message",
    "CEB411Message",
    "CEB412Message",
    "CEB511Message",
    "CEB512Message",
    "CEB513Message",
    "CEB514Message",
    "CEB621Message",
    "CEB622Message",
    "CEB623Message",
    "CEB624Message",
    "CEB625Message",
    "CEB626Message",
    "CEB711Message",
    "CEB712Message",
];

/// What the HTTP endpoint does: tell the kind, then run its reader.
fn dispatch(xml: &[u8]) -> Result<Root, Vec<CebError>> {
    let root = message_kind(xml).map_err(|e| vec![e])?;
    if let Root::Known(kind) = root {
        let message = CebMessage::read(kind, xml)?;
        assert_eq!(message.kind(), kind);
    }
    Ok(root)
}

#[test]
fn every_official_sample_is_recognised_and_read() {
    for version in ["2018", "2022-05"] {
        for name in SAMPLES {
            let xml = sample(version, name);
            let expected = match name {
                "CEB311Message" => Root::Known(MessageKind::Ceb311),
                "CEB411Message" => Root::Known(MessageKind::Ceb411),
                "CEB511Message" => Root::Known(MessageKind::Ceb511),
                "CEB621Message" => Root::Known(MessageKind::Ceb621),
                "CEB623Message" => Root::Known(MessageKind::Ceb623),
                "CEB625Message" => Root::Known(MessageKind::Ceb625),
                "CEB711Message" => Root::Known(MessageKind::Ceb711),
                other => Root::Other(other.to_string()),
            };
            let kind = dispatch(xml.as_bytes()).unwrap_or_else(|errs| panic!("{version}/{name}: {errs:#?}"));
            assert_eq!(kind, expected, "{version}/{name}");
            assert_eq!(kind.name(), name);
        }
    }
}

fn kind_err(xml: &[u8]) -> CebError {
    match message_kind(xml) {
        Ok(kind) => panic!("expected an error, got {kind:?}"),
        Err(e) => e,
    }
}

#[test]
fn message_kind_reads_only_up_to_the_root() {
    // Everything after the root's start tag is ignored, even when it is cut off.
    let xml = sample("2018", "CEB621Message");
    let cut = &xml[..xml.find("<ceb:Inventory>").unwrap() + 10];
    assert_eq!(message_kind(cut.as_bytes()), Ok(Root::Known(MessageKind::Ceb621)));
    assert_eq!(message_kind(br#"<CEB711Message xmlns="http://www.chinaport.gov.cn/ceb"/>"#), Ok(Root::Known(MessageKind::Ceb711)));
    let prolog = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- 退货 -->\n<?pi x?>\n  <x:CEB625Message xmlns:x=\"http://www.chinaport.gov.cn/ceb\">";
    assert_eq!(message_kind(prolog.as_bytes()), Ok(Root::Known(MessageKind::Ceb625)));
    assert_eq!(
        message_kind(br#"<CEB816Message xmlns="http://www.chinaport.gov.cn/ceb"><Tax/></CEB816Message>"#),
        Ok(Root::Other("CEB816Message".into()))
    );
    assert_eq!(MessageKind::Ceb623.root_name(), "CEB623Message");
}

#[test]
fn message_kind_errors() {
    let e = kind_err(sample("2018", "CEB623Message").replace("http://www.chinaport.gov.cn/ceb", "urn:other").as_bytes());
    assert_eq!((e.path.as_str(), e.rule), ("CEB623Message", Rule::WrongNamespace));
    assert!(e.en.contains("urn:other") && e.zh.contains("urn:other"), "{e:?}");
    let e = kind_err(b"<CEB311Message/>");
    assert_eq!((e.path.as_str(), e.rule), ("CEB311Message", Rule::WrongNamespace));
    assert!(e.en.ends_with("found none"), "{}", e.en);

    for (name, xml, line) in [
        ("empty", "", 1),
        ("only a declaration", "<?xml version=\"1.0\"?>\n", 2),
        ("text before the root", "hello <CEB311Message/>", 1),
        ("DOCTYPE", "<?xml version=\"1.0\"?>\n<!DOCTYPE CEB311Message>\n<CEB311Message/>", 2),
        ("end tag first", "\n\n</CEB311Message>", 3),
        ("undeclared prefix", "<ceb:CEB311Message>", 1),
        ("unquoted attribute", "<CEB311Message guid=1 xmlns=\"http://www.chinaport.gov.cn/ceb\">", 1),
        ("broken tag", "<?xml version=\"1.0\"?>\n<CEB311Message", 2),
    ] {
        let e = kind_err(xml.as_bytes());
        assert_eq!((e.path.as_str(), e.rule), ("", Rule::Malformed), "{name}: {e:?}");
        assert!(e.en.contains(&format!("line {line},")), "{name}: {}", e.en);
        assert!(!e.zh.is_empty());
    }

    let e = kind_err(b"<!-- \xff -->");
    assert_eq!((e.path.as_str(), e.rule), ("", Rule::Encoding), "{e:?}");
    let e = kind_err(b"<CEB\xff11Message xmlns=\"http://www.chinaport.gov.cn/ceb\"/>");
    assert_eq!((e.path.as_str(), e.rule, e.en.contains("offset 4")), ("", Rule::Encoding, true), "{e:?}");
}

/// Every text of an element with this local name, anywhere in the tree.
fn texts<'a>(el: &'a Element, name: &str, out: &mut Vec<&'a str>) {
    for c in &el.children {
        if c.name == name && !c.text.trim().is_empty() {
            out.push(c.text.trim());
        }
        texts(c, name, out);
    }
}

#[test]
fn official_samples_use_only_codes_from_the_tables() {
    // If a sample used a code missing from a table its parse test would fail; this says which.
    for version in ["2018", "2022-05"] {
        for name in SAMPLES {
            let root = read_tree(sample(version, name).as_bytes()).unwrap();
            let (mut countries, mut units) = (Vec::new(), Vec::new());
            for field in ["country", "tradeCountry"] {
                texts(&root, field, &mut countries);
            }
            for field in ["unit", "unit1", "unit2"] {
                texts(&root, field, &mut units);
            }
            for c in countries {
                assert!(gacc_country::is_gacc_country(c), "{version}/{name}: country {c}");
            }
            for u in units {
                assert!(unit::is_unit(u), "{version}/{name}: unit {u}");
            }
        }
    }
}

#[test]
fn ceb621_country_and_unit_codes_are_checked() {
    let base = sample("2018", "CEB621Message");
    let line = |from: &str, to: &str| replace_first(&base, &format!("\t\t\t{from}"), &format!("\t\t\t{to}"));
    check_broken(
        parse_ceb621,
        vec![
            (
                "head country",
                line("<ceb:country>116</ceb:country>", "<ceb:country>000</ceb:country>"),
                "Inventory[0]/InventoryHead/country",
                Rule::Enumeration,
            ),
            (
                "line country (ISO numeric 392 is not a customs code)",
                replace_first(
                    &base,
                    "<ceb:country>116</ceb:country>\n\t\t\t<ceb:tradeCountry>",
                    "<ceb:country>392</ceb:country>\n\t\t\t<ceb:tradeCountry>",
                ),
                "Inventory[0]/InventoryList[0]/country",
                Rule::Enumeration,
            ),
            (
                "tradeCountry",
                line("<ceb:tradeCountry>116</ceb:tradeCountry>", "<ceb:tradeCountry>140</ceb:tradeCountry>"),
                "Inventory[0]/InventoryList[0]/tradeCountry",
                Rule::Enumeration,
            ),
            ("unit", line("<ceb:unit>007</ceb:unit>", "<ceb:unit>024</ceb:unit>"), "Inventory[0]/InventoryList[0]/unit", Rule::Enumeration),
            (
                "unit1",
                line("<ceb:unit1>007</ceb:unit1>", "<ceb:unit1>999</ceb:unit1>"),
                "Inventory[0]/InventoryList[0]/unit1",
                Rule::Enumeration,
            ),
            (
                "unit2",
                line("<ceb:unit2>035</ceb:unit2>", "<ceb:unit2>KGM</ceb:unit2>"),
                "Inventory[0]/InventoryList[0]/unit2",
                Rule::Enumeration,
            ),
        ],
    );
    let errs = parse_ceb621(line("<ceb:country>116</ceb:country>", "<ceb:country>000</ceb:country>").as_bytes()).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].en, "country must be a GACC country (region) code, found \"000\"");
    assert_eq!(errs[0].zh, "country 必须是海关国别（地区）代码，实际为 \"000\"");
    let errs = parse_ceb621(line("<ceb:unit>007</ceb:unit>", "<ceb:unit>024</ceb:unit>").as_bytes()).unwrap_err();
    assert_eq!(errs[0].en, "unit must be a GACC measurement unit code, found \"024\"");
    assert_eq!(errs[0].zh, "unit 必须是海关计量单位代码，实际为 \"024\"");

    // Codes from every part of the table are accepted, including 701 (unknown) and 999.
    for code in ["110", "133", "244", "303", "502", "609", "701", "999"] {
        let xml = line("<ceb:country>116</ceb:country>", &format!("<ceb:country>{code}</ceb:country>"));
        assert_eq!(parse_ceb621(xml.as_bytes()).map(|m| m.documents[0].head.country.clone()), Ok(code.to_string()));
    }
}

#[test]
fn ceb311_country_and_unit_codes_are_checked() {
    let base = sample("2018", "CEB311Message");
    check_broken(
        parse_ceb311,
        vec![
            (
                "line country",
                replace_first(&base, "<ceb:country>116</ceb:country>", "<ceb:country>CHN</ceb:country>"),
                "Order[0]/OrderList[0]/country",
                Rule::Enumeration,
            ),
            (
                "line unit",
                replace_first(&base, "<ceb:unit>007</ceb:unit>", "<ceb:unit>000</ceb:unit>"),
                "Order[0]/OrderList[0]/unit",
                Rule::Enumeration,
            ),
        ],
    );
    let xml = replace_first(&base, "<ceb:country>116</ceb:country>", "<ceb:country>304</ceb:country>");
    assert_eq!(parse_ceb311(xml.as_bytes()).map(|m| m.documents[0].items[0].country.clone()), Ok("304".to_string()));
}

/// A kind's spec names elements of its own groups: what its receipt echoes and who may send it
/// are string elements of the head, a kind has line elements exactly when its line group has
/// fields, and the receipt is the message's number plus one.
fn check_spec<K: Kind>() {
    let spec = &K::SPEC;
    let root = spec.root;
    assert_eq!(K::KIND.spec().root, root);
    assert_eq!(Root::Known(K::KIND).name(), root);
    let head = K::HEAD_FIELDS;
    let names = |fields: &[Field]| fields.iter().map(|f| (f.name, f.required)).collect::<Vec<_>>();
    assert_eq!(names(head), names(<K::Head as schema::Group>::FIELDS), "{root}: the head's rules are its group's");
    let text = |name: &str| head.iter().find(|f| f.name == name && matches!(f.simple, Simple::Str { .. } | Simple::Len(_)));
    assert!(text("appStatus").is_some_and(|f| f.required), "{root}");
    for &(name, fill) in spec.echo {
        assert!(text(name).is_some(), "{root}: the receipt echoes {name}, which the head does not have");
        if fill == Fill::CopNo {
            assert!(text("orderNo").is_some_and(|f| f.required), "{root}: copNo falls back to orderNo");
        }
    }
    assert_eq!(spec.echo.first().map(|e| e.0), Some("guid"), "{root}");
    assert!(!spec.senders.is_empty(), "{root}");
    for name in spec.senders {
        assert!(text(name).is_some_and(|f| f.required), "{root}: sender {name} must be a required element");
    }
    assert_eq!(spec.lines.is_some(), !<K::Line as schema::Group>::FIELDS.is_empty(), "{root}");
    let number: u32 = root[3..6].parse().unwrap();
    assert_eq!(spec.receipt, format!("CEB{}Message", number + 1));
    assert_eq!(K::KIND.receipt_name(), spec.receipt);
    assert!(spec.returns.ends_with("Return"), "{root}");
}

#[test]
fn every_kind_is_described_consistently() {
    check_spec::<Ceb311>();
    check_spec::<Ceb411>();
    check_spec::<Ceb511>();
    check_spec::<Ceb621>();
    check_spec::<Ceb623>();
    check_spec::<Ceb625>();
    check_spec::<Ceb711>();
    assert_eq!(MessageKind::ALL.len(), 7);
}
