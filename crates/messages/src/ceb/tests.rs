use super::fields::{parse_decimal, parse_int};
use super::test_support::{answer, answer_all, dec, read_sample, replace_first, transfer, xmllint_validate, VERSIONS};
use super::tree::read_tree;
use super::*;
use guomen_domain::Rule;

fn sample(version: &str) -> String {
    super::test_support::sample(version, "CEB621Message")
}

fn parse_err(xml: &str) -> Vec<CebError> {
    match parse_ceb621(xml.as_bytes()) {
        Ok(_) => panic!("expected errors"),
        Err(errs) => errs,
    }
}

fn check_official_sample(version: &str) {
    let msg = read_sample::<Ceb621>(version);
    assert_eq!(msg.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 10);
    assert!(msg.documents.iter().all(|i| i.items.len() == 2));

    let h = &msg.documents[0].head;
    assert_eq!(h.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(h.app_type, "1");
    assert_eq!(h.app_time, "20160315153555");
    assert_eq!(h.app_status, "2");
    assert_eq!(h.order_no, "order2016030811340001");
    assert_eq!(h.ebp_name, "测试企业");
    assert_eq!(h.logistics_no, "L201603081138007");
    assert_eq!(h.cop_no.as_deref(), Some("NBBH20160308005"));
    assert_eq!(h.pre_no, None, "empty <preNo></preNo> reads as absent");
    assert_eq!(h.invt_no, None);
    assert_eq!(h.ie_flag, "I");
    assert_eq!(h.customs_code, "3700");
    assert_eq!(h.ie_date.as_deref(), Some("20160308"));
    assert_eq!(h.buyer_id_number, "130681136250023332");
    assert_eq!(h.buyer_name, "李小宝");
    assert_eq!(h.consignee_address, "北京市海淀区中关村软件园");
    assert_eq!(h.trade_mode, "9610");
    assert_eq!(h.country, "116");
    assert_eq!(h.freight, dec("500"));
    assert_eq!(h.insured_fee, dec("200"));
    assert_eq!(h.currency, "142");
    assert_eq!(h.pack_no, 6000);
    assert_eq!(h.gross_weight, dec("4000"));
    assert_eq!(h.net_weight, dec("3500"));
    assert_eq!(h.note, None);
    assert_eq!(msg.documents[1].head.order_no, "order2016030811340008");
    assert_eq!(msg.documents[1].head.country, "142");

    let it = &msg.documents[0].items;
    assert_eq!(it[0].gnum, 1);
    assert_eq!(it[0].item_no.as_deref(), Some("AF001-001"));
    assert_eq!(it[0].gcode, "8541401000");
    assert_eq!(it[0].gname, "小米盒子");
    assert_eq!(it[0].trade_country.as_deref(), Some("116"));
    assert_eq!(it[0].qty, dec("100"));
    assert_eq!(it[0].unit, "007");
    assert_eq!(it[0].qty2, Some(dec("300")));
    assert_eq!(it[0].unit2.as_deref(), Some("035"));
    assert_eq!(it[0].price, dec("20"));
    assert_eq!(it[1].gnum, 2);
    assert_eq!(it[1].gname, "花王纸尿裤");
    assert_eq!(it[1].price, dec("60"));
    assert_eq!(it[1].total_price, dec("12"));
    // The sample's last inventory has lines without the optional tradeCountry.
    assert_eq!(msg.documents[9].items[0].trade_country, None);

    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "DXPLGS0000000001", None));
}

#[test]
fn official_samples_parse() {
    for version in VERSIONS {
        check_official_sample(version);
    }
}

#[test]
fn broken_variants_report_path_and_rule() {
    let base = sample("2018");
    let long_order = "o".repeat(61);
    let cases: Vec<(&str, String, &str, Rule)> = vec![
        (
            "missing buyerIdNumber",
            replace_first(&base, "<ceb:buyerIdNumber>130681136250023332</ceb:buyerIdNumber>", ""),
            "Inventory[0]/InventoryHead/buyerIdNumber",
            Rule::Required,
        ),
        (
            "empty buyerIdNumber",
            replace_first(&base, "<ceb:buyerIdNumber>130681136250023332</ceb:buyerIdNumber>", "<ceb:buyerIdNumber> </ceb:buyerIdNumber>"),
            "Inventory[0]/InventoryHead/buyerIdNumber",
            Rule::Required,
        ),
        (
            "over-long orderNo",
            replace_first(&base, "order2016030811340001", &long_order),
            "Inventory[0]/InventoryHead/orderNo",
            Rule::MaxLength,
        ),
        (
            "non-numeric price",
            replace_first(&base, "<ceb:price>20</ceb:price>", "<ceb:price>2O</ceb:price>"),
            "Inventory[0]/InventoryList[0]/price",
            Rule::Decimal,
        ),
        (
            "too many fraction digits",
            replace_first(&base, "<ceb:freight>500</ceb:freight>", "<ceb:freight>500.123456</ceb:freight>"),
            "Inventory[0]/InventoryHead/freight",
            Rule::Digits,
        ),
        (
            "non-integer packNo",
            replace_first(&base, "<ceb:packNo>6000</ceb:packNo>", "<ceb:packNo>6.5</ceb:packNo>"),
            "Inventory[0]/InventoryHead/packNo",
            Rule::Integer,
        ),
        (
            "customs code length",
            replace_first(&base, "<ceb:customsCode>3700</ceb:customsCode>", "<ceb:customsCode>37000</ceb:customsCode>"),
            "Inventory[0]/InventoryHead/customsCode",
            Rule::Length,
        ),
        (
            "currency not 142",
            replace_first(&base, "<ceb:currency>142</ceb:currency>", "<ceb:currency>502</ceb:currency>"),
            "Inventory[0]/InventoryHead/currency",
            Rule::Fixed,
        ),
        (
            "ieFlag not I/E",
            replace_first(&base, "<ceb:ieFlag>I</ceb:ieFlag>", "<ceb:ieFlag>X</ceb:ieFlag>"),
            "Inventory[0]/InventoryHead/ieFlag",
            Rule::Enumeration,
        ),
        (
            "elements out of order",
            replace_first(
                &base,
                "<ceb:gname>小米盒子</ceb:gname>\n\t\t\t<ceb:gmodel>44mm</ceb:gmodel>",
                "<ceb:gmodel>44mm</ceb:gmodel>\n\t\t\t<ceb:gname>小米盒子</ceb:gname>",
            ),
            "Inventory[0]/InventoryList[0]/gname",
            Rule::Order,
        ),
        (
            "unknown element",
            replace_first(&base, "<ceb:note></ceb:note>", "<ceb:note></ceb:note><ceb:colour>red</ceb:colour>"),
            "Inventory[0]/InventoryHead/colour",
            Rule::Unexpected,
        ),
        ("bad root guid", replace_first(&base, "guid=\"4CDE1CFD-EDED-46B1-946C-B8022E42FC94\"", "guid=\"123\""), "@guid", Rule::Length),
        (
            "wrong namespace",
            replace_first(&base, "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"", "xmlns:ceb=\"http://www.chinaport.gov.cn/dec\""),
            "CEB621Message",
            Rule::WrongNamespace,
        ),
        ("wrong root", base.replace("CEB621Message", "CEB311Message"), "CEB621Message", Rule::WrongRoot),
        ("malformed XML", replace_first(&base, "</ceb:gname>", ""), "", Rule::Malformed),
        ("DOCTYPE", base.replacen("<ceb:CEB621Message", "<!DOCTYPE x [<!ENTITY a \"b\">]>\n<ceb:CEB621Message", 1), "", Rule::Malformed),
    ];
    for (name, xml, path, rule) in cases {
        let errs = parse_err(&xml);
        assert!(errs.iter().any(|e| e.path == path && e.rule == rule), "{name}: expected {path} / {rule}, got {errs:#?}");
        for e in &errs {
            assert!(!e.en.is_empty() && !e.zh.is_empty(), "{name}: messages must be filled: {e:?}");
        }
        if matches!(rule, Rule::Malformed | Rule::WrongRoot | Rule::WrongNamespace) {
            assert_eq!(errs.len(), 1, "{name}: {errs:#?}");
        }
    }
}

#[test]
fn malformed_xml_reports_line_and_column() {
    let xml = "<?xml version=\"1.0\"?>\n<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">\n  <ceb:Inventory>\n</ceb:CEB621Message>\n";
    let errs = parse_err(xml);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].rule, Rule::Malformed);
    assert!(errs[0].en.contains("line 4"), "{}", errs[0].en);
    assert!(errs[0].en.contains("column"), "{}", errs[0].en);
    assert!(errs[0].zh.contains("第 4 行"), "{}", errs[0].zh);
}

#[test]
fn all_errors_are_reported_at_once() {
    let base = sample("2018");
    let xml = replace_first(&base, "<ceb:buyerIdNumber>130681136250023332</ceb:buyerIdNumber>", "");
    let xml = replace_first(&xml, "<ceb:price>20</ceb:price>", "<ceb:price>abc</ceb:price>");
    // Third inventory (the pattern repeats every two) gets a bad gcode.
    let xml = xml.replacen("<ceb:gcode>8541401000</ceb:gcode>", "<ceb:gcode>85414</ceb:gcode>", 5);
    let errs = parse_err(&xml);
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert!(found.contains(&("Inventory[0]/InventoryHead/buyerIdNumber", Rule::Required)), "{found:?}");
    assert!(found.contains(&("Inventory[0]/InventoryList[0]/price", Rule::Decimal)), "{found:?}");
    assert!(found.contains(&("Inventory[2]/InventoryList[0]/gcode", Rule::Length)), "{found:?}");
    assert_eq!(found.iter().filter(|(_, r)| *r == Rule::Length).count(), 5, "{found:?}");
}

#[test]
fn missing_head_and_items_are_reported_once() {
    let xml = r#"<CEB621Message guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0" xmlns="http://www.chinaport.gov.cn/ceb"><Inventory/></CEB621Message>"#;
    let errs = parse_err(xml);
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("Inventory[0]/InventoryHead", Rule::Required), ("Inventory[0]/InventoryList", Rule::Required)]);

    let errs = parse_err(r#"<CEB621Message xmlns="http://www.chinaport.gov.cn/ceb"/>"#);
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("@guid", Rule::Required), ("@version", Rule::Required), ("Inventory", Rule::Required)]);
}

#[test]
fn nesting_is_limited() {
    let mut xml = String::from(r#"<CEB621Message xmlns="http://www.chinaport.gov.cn/ceb">"#);
    for _ in 0..MAX_DEPTH {
        xml.push_str("<a>");
    }
    let errs = parse_err(&xml);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].rule, Rule::Malformed);
    assert!(errs[0].en.contains("nested deeper"), "{}", errs[0].en);
}

#[test]
fn non_utf8_is_refused() {
    let errs = parse_ceb621(b"<CEB621Message \xff/>").unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].rule, Rule::Encoding);
}

#[test]
fn decimal_and_int_rules() {
    assert_eq!(parse_decimal("12.50000", 19, 5), Ok(dec("12.5")));
    assert_eq!(parse_decimal("-0.00001", 19, 5), Ok(dec("-0.00001")));
    assert_eq!(parse_decimal("+007", 19, 5), Ok(dec("7")));
    assert_eq!(parse_decimal(".5", 19, 5), Ok(dec("0.5")));
    assert_eq!(parse_decimal("1234567890123456789", 19, 5), Ok(dec("1234567890123456789")));
    assert_eq!(parse_decimal("12345678901234567890", 19, 5), Err(Rule::Digits));
    assert_eq!(parse_decimal("1.123456", 19, 5), Err(Rule::Digits));
    for bad in ["", ".", "-", "1e5", "1,5", "1.2.3", " 1", "NaN", "+-1"] {
        assert_eq!(parse_decimal(bad, 19, 5), Err(Rule::Decimal), "{bad:?}");
    }
    assert_eq!(parse_int("6000", Some(9)), Ok(6000));
    assert_eq!(parse_int("-12", None), Ok(-12));
    assert_eq!(parse_int("1234567890", Some(9)), Err(Rule::Digits));
    assert_eq!(parse_int("2147483648", None), Err(Rule::Integer));
    assert_eq!(parse_int("99999999999999999999", None), Err(Rule::Integer));
    assert_eq!(parse_int("1.0", None), Err(Rule::Integer));
}

fn sample_receipts() -> Receipt {
    let msg = read_sample::<Ceb621>("2018");
    answer_all(&msg, answer("1", "20160512102646001", "暂存 <stored> & \"ok\"", Some("B20160512000001882")))
}

#[test]
fn receipt_reads_back_with_the_right_fields() {
    let xml = sample_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB622Message"));
    assert_eq!(root.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(root.attr("version"), Some("1.0"));
    assert_eq!(root.children.len(), 10);
    let first = &root.children[0];
    assert!(first.is(NAMESPACE, "InventoryReturn"));
    let names: Vec<&str> = first.children.iter().map(|c| c.name.as_str()).collect();
    // invtNo is absent in the sample inventory, so it is omitted.
    assert_eq!(
        names,
        ["guid", "customsCode", "ebpCode", "ebcCode", "agentCode", "copNo", "preNo", "returnStatus", "returnTime", "returnInfo"]
    );
    let text = |name: &str| first.children.iter().find(|c| c.name == name).map(|c| c.text.as_str());
    assert_eq!(text("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(text("customsCode"), Some("3700"));
    assert_eq!(text("ebpCode"), Some("1101110325"));
    assert_eq!(text("agentCode"), Some("1105910159"));
    assert_eq!(text("copNo"), Some("NBBH20160308005"));
    assert_eq!(text("preNo"), Some("B20160512000001882"));
    assert_eq!(text("returnStatus"), Some("1"));
    assert_eq!(text("returnTime"), Some("20160512102646001"));
    assert_eq!(text("returnInfo"), Some("暂存 <stored> & \"ok\""));
    assert!(xml.contains("&lt;stored&gt; &amp; &quot;ok&quot;"));
    assert_eq!(root.children[1].children.iter().find(|c| c.name == "copNo").map(|c| c.text.as_str()), Some("NBBH20160308006"));
}

#[test]
fn receipt_escapes_control_characters() {
    let mut r = sample_receipts();
    r.returns.truncate(1);
    r.returns[0].return_info = "a\u{1}b\rc".into();
    let xml = r.to_xml();
    assert!(xml.contains("<returnInfo>a\u{FFFD}b&#13;c</returnInfo>"), "{xml}");
    read_tree(xml.as_bytes()).expect("well-formed");
}

#[test]
fn receipt_validates_against_the_xsd() {
    let xml = sample_receipts().to_xml();
    let (ok, stderr) = xmllint_validate(&xml, "ceb622");
    assert!(ok, "xmllint rejected the generated CEB622:\n{stderr}\n{xml}");

    // The check has teeth: a receipt with a too-short preNo is rejected.
    let mut bad = sample_receipts();
    bad.returns.truncate(1);
    bad.returns[0].set("preNo", Some("B1".into()));
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb622-bad");
    assert!(!ok, "xmllint should reject preNo of 2 characters");
}
