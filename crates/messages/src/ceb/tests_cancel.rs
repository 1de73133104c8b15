//! Tests for CEB623 (inventory cancellation request) and its receipt CEB624.

use super::test_support::{answer, answer_all, check_broken, read_sample, replace_first, sample, transfer, xmllint_validate, VERSIONS};
use super::tree::read_tree;
use super::*;
use guomen_domain::Rule;

fn check_623_sample(version: &str) {
    let msg = read_sample::<Ceb623>(version);
    assert_eq!(msg.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 10);

    let c = &msg.documents[0].head;
    assert_eq!(c.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(c.app_type, "1");
    assert_eq!(c.app_time, "20160315153555");
    assert_eq!(c.app_status, "1");
    assert_eq!(c.customs_code, "3700");
    assert_eq!(c.order_no, "order2016030811340001");
    assert_eq!(c.ebp_code, "1101110325");
    assert_eq!(c.ebp_name, "测试企业");
    assert_eq!(c.ebc_code, "1101110325");
    assert_eq!(c.ebc_name, "测试企业");
    assert_eq!(c.logistics_no, "L201603081138001");
    assert_eq!(c.logistics_code, "1101180326");
    assert_eq!(c.logistics_name, "测试物流企业");
    assert_eq!(c.cop_no.as_deref(), Some("NBBH20160308001"));
    assert_eq!(c.pre_no.as_deref(), Some("B20160308000000001"));
    assert_eq!(c.invt_no, "150201613031520001");
    assert_eq!(c.buyer_id_type, "1");
    assert_eq!(c.buyer_id_number, "130681136250023332");
    assert_eq!(c.buyer_name, "李小宝");
    assert_eq!(c.buyer_telephone, "13936921298");
    assert_eq!(c.agent_code, "1105910159");
    assert_eq!(c.agent_name, "测试企业");
    assert_eq!(c.reason, "a");
    assert_eq!(c.note, None, "empty <note></note> reads as absent");

    let c1 = &msg.documents[1].head;
    assert_eq!(c1.order_no, "order2016030811340002");
    assert_eq!(c1.logistics_no, "L201603081138002");
    assert_eq!(c1.invt_no, "150201613031520002");
    assert_eq!(msg.documents[9].head.order_no, "order2016030811340002");

    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "DXPLGS0000000001", None));
}

#[test]
fn ceb623_official_samples_parse() {
    for version in VERSIONS {
        check_623_sample(version);
    }
}

#[test]
fn ceb623_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB623Message");
    check_broken(
        parse_ceb623,
        vec![
            ("missing reason", replace_first(&base, "<ceb:reason>a</ceb:reason>", ""), "InvtCancel[0]/reason", Rule::Required),
            (
                "blank reason",
                replace_first(&base, "<ceb:reason>a</ceb:reason>", "<ceb:reason> </ceb:reason>"),
                "InvtCancel[0]/reason",
                Rule::Required,
            ),
            (
                "missing invtNo",
                replace_first(&base, "<ceb:invtNo>150201613031520001</ceb:invtNo>", ""),
                "InvtCancel[0]/invtNo",
                Rule::Required,
            ),
            (
                "over-long invtNo",
                replace_first(&base, "150201613031520001", "1502016130315200019"),
                "InvtCancel[0]/invtNo",
                Rule::MaxLength,
            ),
            ("over-long copNo", replace_first(&base, "NBBH20160308001", "NBBH2016030800100000X"), "InvtCancel[0]/copNo", Rule::MaxLength),
            (
                "customsCode length",
                replace_first(&base, "<ceb:customsCode>3700</ceb:customsCode>", "<ceb:customsCode>370</ceb:customsCode>"),
                "InvtCancel[0]/customsCode",
                Rule::Length,
            ),
            (
                "appType 2 (only 1 is documented)",
                replace_first(&base, "<ceb:appType>1</ceb:appType>", "<ceb:appType>2</ceb:appType>"),
                "InvtCancel[0]/appType",
                Rule::Enumeration,
            ),
            (
                "buyerIdType not 1/2",
                replace_first(&base, "<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:buyerIdType>3</ceb:buyerIdType>"),
                "InvtCancel[0]/buyerIdType",
                Rule::Enumeration,
            ),
            (
                "buyerName before buyerIdNumber",
                replace_first(
                    &base,
                    "<ceb:buyerIdNumber>130681136250023332</ceb:buyerIdNumber>\n\t\t<ceb:buyerName>李小宝</ceb:buyerName>",
                    "<ceb:buyerName>李小宝</ceb:buyerName>\n\t\t<ceb:buyerIdNumber>130681136250023332</ceb:buyerIdNumber>",
                ),
                "InvtCancel[0]/buyerIdNumber",
                Rule::Order,
            ),
            (
                "repeated reason",
                replace_first(&base, "<ceb:reason>a</ceb:reason>", "<ceb:reason>a</ceb:reason><ceb:reason>b</ceb:reason>"),
                "InvtCancel[0]/reason",
                Rule::Duplicate,
            ),
            (
                "unknown element",
                replace_first(&base, "<ceb:reason>a</ceb:reason>", "<ceb:reason>a</ceb:reason><ceb:refund>1</ceb:refund>"),
                "InvtCancel[0]/refund",
                Rule::Unexpected,
            ),
            (
                "root guid length",
                replace_first(&base, "guid=\"4CDE1CFD-EDED-46B1-946C-B8022E42FC94\"", "guid=\"4CDE\""),
                "@guid",
                Rule::Length,
            ),
            ("wrong root", base.replace("CEB623Message", "CEB625Message"), "CEB623Message", Rule::WrongRoot),
            (
                "wrong namespace",
                replace_first(&base, "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"", "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb2\""),
                "CEB623Message",
                Rule::WrongNamespace,
            ),
            ("malformed XML", replace_first(&base, "</ceb:reason>", ""), "", Rule::Malformed),
        ],
    );
}

#[test]
fn ceb623_needs_one_to_a_hundred_cancellations() {
    let errs = parse_ceb623(
        br#"<CEB623Message guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0" xmlns="http://www.chinaport.gov.cn/ceb"/>"#,
    )
    .unwrap_err();
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("InvtCancel", Rule::Required)]);

    let base = sample("2018", "CEB623Message");
    let first = &base[base.find("\t<ceb:InvtCancel>").unwrap()..];
    let block = &first[..first.find("</ceb:InvtCancel>").unwrap() + "</ceb:InvtCancel>\n".len()];
    let xml = replace_first(&base, "\t<ceb:BaseTransfer>", &format!("{}\t<ceb:BaseTransfer>", block.repeat(91)));
    let errs = parse_ceb623(xml.as_bytes()).unwrap_err();
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("InvtCancel", Rule::MaxOccurs)], "101 cancellations");
    let xml = replace_first(&base, "\t<ceb:BaseTransfer>", &format!("{}\t<ceb:BaseTransfer>", block.repeat(90)));
    assert_eq!(parse_ceb623(xml.as_bytes()).map(|m| m.documents.len()), Ok(100));
}

#[test]
fn ceb623_reports_every_error_at_once() {
    let base = sample("2018", "CEB623Message");
    let xml = replace_first(&base, "<ceb:reason>a</ceb:reason>", "");
    // The fourth cancellation gets a bad buyerIdType and an over-long agentName.
    let xml = xml.replacen("<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:buyerIdType>X</ceb:buyerIdType>", 4).replacen(
        "<ceb:buyerIdType>X</ceb:buyerIdType>",
        "<ceb:buyerIdType>1</ceb:buyerIdType>",
        3,
    );
    let long_name = "名".repeat(101);
    let xml = xml.replacen("<ceb:agentName>测试企业</ceb:agentName>", &format!("<ceb:agentName>{long_name}</ceb:agentName>"), 4).replacen(
        &format!("<ceb:agentName>{long_name}</ceb:agentName>"),
        "<ceb:agentName>测试企业</ceb:agentName>",
        3,
    );
    let errs = parse_ceb623(xml.as_bytes()).unwrap_err();
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(
        found,
        vec![
            ("InvtCancel[0]/reason", Rule::Required),
            ("InvtCancel[3]/buyerIdType", Rule::Enumeration),
            ("InvtCancel[3]/agentName", Rule::MaxLength),
        ]
    );
}

fn cancel_receipts() -> Receipt {
    answer_all(&read_sample::<Ceb623>("2018"), answer("2", "20160330184802222", "撤单 <申报> & \"ok\"", Some("B20160321000000152")))
}

#[test]
fn ceb624_reads_back_and_validates() {
    let xml = cancel_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB624Message"));
    assert_eq!(root.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(root.attr("version"), Some("1.0"));
    assert_eq!(root.children.len(), 10);
    assert!(root.children.iter().all(|c| c.is(NAMESPACE, "InvtCancelReturn")));
    let fields: Vec<(&str, &str)> = root.children[1].children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("guid", "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"),
            ("customsCode", "3700"),
            ("agentCode", "1105910159"),
            ("ebpCode", "1101110325"),
            ("ebcCode", "1101110325"),
            ("copNo", "NBBH20160308002"),
            ("preNo", "B20160321000000152"),
            ("invtNo", "150201613031520002"),
            ("returnStatus", "2"),
            ("returnTime", "20160330184802222"),
            ("returnInfo", "撤单 <申报> & \"ok\""),
        ]
    );
    // Same elements in the same order as the official CEB624 sample.
    let official = read_tree(sample("2018", "CEB624Message").as_bytes()).unwrap();
    let names = |el: &super::tree::Element| el.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&root.children[0]), names(&official.children[0]));

    let (ok, stderr) = xmllint_validate(&xml, "ceb624");
    assert!(ok, "xmllint rejected the generated CEB624:\n{stderr}\n{xml}");
    let mut bad = cancel_receipts();
    bad.returns.truncate(1);
    bad.returns[0].set("preNo", Some("B2016".into()));
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb624-bad");
    assert!(!ok, "xmllint should reject a preNo of 5 characters");
}

#[test]
fn ceb624_omits_an_inventory_number_the_receipt_cannot_carry() {
    let mut msg = read_sample::<Ceb623>("2018");
    msg.documents.truncate(1);
    let cancel = &mut msg.documents[0].head;
    cancel.invt_no = "1502016".into();
    cancel.cop_no = None;
    let order_no: String = cancel.order_no.chars().take(20).collect();
    let receipt = answer_all(&msg, answer("-1", "20160330184802222", "x", Some("B20160321000000152")));
    let r = &receipt.returns[0];
    assert_eq!(r.get("invtNo"), None);
    // The receipt's copNo is required: without one the start of the order number stands in.
    assert_eq!(r.get("copNo"), Some(order_no.as_str()));
    let xml = receipt.to_xml();
    assert!(!xml.contains("<invtNo>"), "{xml}");
    assert!(xmllint_validate(&xml, "ceb624-no-invt").0, "{xml}");
}
