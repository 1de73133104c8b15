//! Tests for CEB711 (delivery list) and its receipt CEB712.

use super::test_support::{answer, answer_all, check_broken, read_sample, replace_first, sample, transfer, xmllint_validate, VERSIONS};
use super::tree::{read_tree, Element};
use super::*;
use guomen_domain::Rule;

fn check_711_sample(version: &str) {
    let msg = read_sample::<Ceb711>(version);
    assert_eq!(msg.guid, "5923DGGB-9940-415B-B666-C09BOO7F40B2");
    assert_eq!(msg.version, "1.0");

    assert_eq!(msg.documents.len(), 1);
    let h = &msg.documents[0].head;
    assert_eq!(h.guid, "5923DGGB-9940-415B-B666-C09BOO7F40B2");
    assert_eq!(h.app_type, "1");
    assert_eq!(h.app_time, "20160310163311");
    assert_eq!(h.app_status, "2");
    assert_eq!(h.customs_code, "3700");
    assert_eq!(h.cop_no.as_deref(), Some("NBBH20160308005"));
    assert_eq!(h.pre_no.as_deref(), Some("B20160308000000005"));
    assert_eq!(h.rkd_no.as_deref(), Some("010220160308000005"));
    assert_eq!(h.operator_code, "1101110326");
    assert_eq!(h.operator_name, "监管人");
    assert_eq!(h.ie_flag, "I");
    assert_eq!(h.traf_mode, "1");
    assert_eq!(h.traf_no, "0");
    assert_eq!(h.voyage_no, "BJ20160308");
    assert_eq!(h.bill_no, "B00024204001");
    assert_eq!(h.logistics_code, "1105910159");
    assert_eq!(h.logistics_name, "测试物流企业");
    assert_eq!(h.unload_location, None, "empty <unloadLocation></unloadLocation> reads as absent");
    assert_eq!(h.note, None);

    assert_eq!(msg.documents[0].items, vec![DeliveryItem { gnum: 1, logistics_no: "L201603081138001".into(), note: None }]);

    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "DXPLGS0000000001", None));
}

#[test]
fn ceb711_official_samples_parse() {
    for version in VERSIONS {
        check_711_sample(version);
    }
}

fn block<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let from = xml.find(open).unwrap();
    &xml[from..xml[from..].find(close).unwrap() + from + close.len()]
}

#[test]
fn ceb711_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB711Message");
    let delivery = block(&base, "<ceb:Delivery>", "</ceb:Delivery>");
    let list = block(&base, "<ceb:DeliveryList>", "</ceb:DeliveryList>");
    let head = block(&base, "<ceb:DeliveryHead>", "</ceb:DeliveryHead>");
    check_broken(
        parse_ceb711,
        vec![
            (
                "missing billNo",
                replace_first(&base, "<ceb:billNo>B00024204001</ceb:billNo>", ""),
                "Delivery/DeliveryHead/billNo",
                Rule::Required,
            ),
            (
                "blank operatorName",
                replace_first(&base, "<ceb:operatorName>监管人</ceb:operatorName>", "<ceb:operatorName></ceb:operatorName>"),
                "Delivery/DeliveryHead/operatorName",
                Rule::Required,
            ),
            ("over-long voyageNo", replace_first(&base, "BJ20160308", &"V".repeat(33)), "Delivery/DeliveryHead/voyageNo", Rule::MaxLength),
            (
                "over-long rkdNo",
                replace_first(&base, "010220160308000005", "0102201603080000051"),
                "Delivery/DeliveryHead/rkdNo",
                Rule::MaxLength,
            ),
            (
                "trafMode length",
                replace_first(&base, "<ceb:trafMode>1</ceb:trafMode>", "<ceb:trafMode>10</ceb:trafMode>"),
                "Delivery/DeliveryHead/trafMode",
                Rule::Length,
            ),
            (
                "ieFlag not I/E",
                replace_first(&base, "<ceb:ieFlag>I</ceb:ieFlag>", "<ceb:ieFlag>i</ceb:ieFlag>"),
                "Delivery/DeliveryHead/ieFlag",
                Rule::Enumeration,
            ),
            (
                "appType not 1/2/3",
                replace_first(&base, "<ceb:appType>1</ceb:appType>", "<ceb:appType>0</ceb:appType>"),
                "Delivery/DeliveryHead/appType",
                Rule::Enumeration,
            ),
            (
                "billNo before voyageNo",
                replace_first(
                    &base,
                    "<ceb:voyageNo>BJ20160308</ceb:voyageNo>\n\t\t\t<ceb:billNo>B00024204001</ceb:billNo>",
                    "<ceb:billNo>B00024204001</ceb:billNo>\n\t\t\t<ceb:voyageNo>BJ20160308</ceb:voyageNo>",
                ),
                "Delivery/DeliveryHead/voyageNo",
                Rule::Order,
            ),
            (
                "line gnum not an integer",
                replace_first(&base, "<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>one</ceb:gnum>"),
                "Delivery/DeliveryList[0]/gnum",
                Rule::Integer,
            ),
            (
                "over-long line logisticsNo",
                replace_first(&base, "L201603081138001", &"L".repeat(61)),
                "Delivery/DeliveryList[0]/logisticsNo",
                Rule::MaxLength,
            ),
            (
                "unknown line element",
                replace_first(&base, "<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>1</ceb:gnum><ceb:weight>3</ceb:weight>"),
                "Delivery/DeliveryList[0]/weight",
                Rule::Unexpected,
            ),
            ("no lines", replace_first(&base, list, ""), "Delivery/DeliveryList", Rule::Required),
            ("no head", replace_first(&base, head, ""), "Delivery/DeliveryHead", Rule::Required),
            ("no delivery", replace_first(&base, delivery, ""), "Delivery", Rule::Required),
            ("two deliveries", replace_first(&base, delivery, &format!("{delivery}{delivery}")), "Delivery", Rule::Duplicate),
            ("wrong root", base.replace("CEB711Message", "CEB712Message"), "CEB711Message", Rule::WrongRoot),
            (
                "wrong namespace",
                replace_first(&base, "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"", "xmlns:ceb=\"http://www.chinaport.gov.cn/CEB\""),
                "CEB711Message",
                Rule::WrongNamespace,
            ),
            ("malformed XML", replace_first(&base, "<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>1<ceb:gnum>"), "", Rule::Malformed),
            ("unknown entity", replace_first(&base, "监管人", "&nbsp;"), "", Rule::Malformed),
        ],
    );
}

#[test]
fn ceb711_takes_any_number_of_parcels() {
    let base = sample("2018", "CEB711Message");
    let list = block(&base, "<ceb:DeliveryList>", "</ceb:DeliveryList>");
    let lines: String = (1..=150).map(|n| list.replace("<ceb:gnum>1</ceb:gnum>", &format!("<ceb:gnum>{n}</ceb:gnum>"))).collect();
    let msg = parse_ceb711(replace_first(&base, list, &lines).as_bytes()).unwrap_or_else(|errs| panic!("{errs:#?}"));
    assert_eq!(msg.documents[0].items.len(), 150, "DeliveryList is maxOccurs=\"unbounded\"");
    assert_eq!(msg.documents[0].items[149].gnum, 150);
}

fn delivery_receipt() -> Receipt {
    answer_all(&read_sample::<Ceb711>("2018"), answer("120", "20160323145101111", "入库 <ok> & done", None))
}

fn fields(el: &Element) -> Vec<(&str, &str)> {
    el.children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect()
}

#[test]
fn ceb712_reads_back_and_validates() {
    let xml = delivery_receipt().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB712Message"));
    assert_eq!(root.attr("guid"), Some("5923DGGB-9940-415B-B666-C09BOO7F40B2"));
    assert_eq!(root.attr("version"), Some("1.0"));
    assert_eq!(root.children.len(), 1);
    assert!(root.children[0].is(NAMESPACE, "DeliveryReturn"));
    assert_eq!(
        fields(&root.children[0]),
        [
            ("guid", "5923DGGB-9940-415B-B666-C09BOO7F40B2"),
            ("customsCode", "3700"),
            ("operatorCode", "1101110326"),
            ("copNo", "NBBH20160308005"),
            ("preNo", "B20160308000000005"),
            ("rkdNo", "010220160308000005"),
            ("returnStatus", "120"),
            ("returnTime", "20160323145101111"),
            ("returnInfo", "入库 <ok> & done"),
        ]
    );
    let official = read_tree(sample("2018", "CEB712Message").as_bytes()).unwrap();
    let names = |el: &Element| el.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&root.children[0]), names(&official.children[0]), "same elements and order as the official sample");

    let (ok, stderr) = xmllint_validate(&xml, "ceb712");
    assert!(ok, "xmllint rejected the generated CEB712:\n{stderr}\n{xml}");

    // Optional fields left out still validate; 100 receipts are allowed.
    let mut minimal = delivery_receipt();
    for name in ["customsCode", "operatorCode", "copNo", "preNo", "rkdNo"] {
        minimal.returns[0].set(name, None);
    }
    minimal.returns = vec![minimal.returns[0].clone(); 100];
    let xml = minimal.to_xml();
    assert!(!xml.contains("<copNo>"), "{xml}");
    let (ok, stderr) = xmllint_validate(&xml, "ceb712-minimal");
    assert!(ok, "xmllint rejected the minimal CEB712:\n{stderr}");

    let mut bad = delivery_receipt();
    bad.returns[0].set("rkdNo", Some("0102201603080000051".into()));
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb712-bad");
    assert!(!ok, "xmllint should reject an rkdNo of 19 characters");
    let mut too_many = delivery_receipt();
    too_many.returns = vec![too_many.returns[0].clone(); 101];
    let (ok, _) = xmllint_validate(&too_many.to_xml(), "ceb712-too-many");
    assert!(!ok, "xmllint should reject 101 receipts");
}
