//! Tests for CEB625 (return request) and its receipt CEB626.

use super::test_support::{
    answer, answer_all, check_broken, dec, read_sample, replace_first, sample, transfer, xmllint_validate, VERSIONS,
};
use super::tree::{read_tree, Element};
use super::*;
use guomen_domain::Rule;

fn check_625_sample(version: &str) {
    let msg = read_sample::<Ceb625>(version);
    assert_eq!(msg.guid, "5923DGGB-9940-415B-B666-C09BOO7F40B2");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 10);
    assert!(msg.documents.iter().all(|r| r.items.len() == 1));
    // The sample repeats one request ten times.
    assert!(msg.documents.iter().all(|r| r == &msg.documents[0]));

    let h = &msg.documents[0].head;
    assert_eq!(h.guid, "5923DGGB-9940-415B-B666-C09BOO7F40B2");
    assert_eq!(h.app_type, "1");
    assert_eq!(h.app_time, "20160310112703");
    assert_eq!(h.app_status, "1");
    assert_eq!(h.customs_code, "8030");
    assert_eq!(h.order_no, "order20160317119400055");
    assert_eq!(h.ebp_code, "1105910159");
    assert_eq!(h.ebp_name, "测试企业");
    assert_eq!(h.ebc_code, "1105910158");
    assert_eq!(h.ebc_name, "测试企业");
    assert_eq!(h.logistics_no, "L2016031000001");
    assert_eq!(h.logistics_code, "1101081122");
    assert_eq!(h.logistics_name, "测试物流企业");
    assert_eq!(h.cop_no.as_deref(), Some("cop201604210001"));
    assert_eq!(h.pre_no, None, "the sample has no preNo");
    assert_eq!(h.invt_no, "15003213300400111", "17 characters; the XSD allows 1-18");
    assert_eq!(h.buyer_id_type, "1");
    assert_eq!(h.buyer_id_number, "130681196203023331");
    assert_eq!(h.buyer_name, "王方");
    assert_eq!(h.buyer_telephone, "13936921298");
    assert_eq!(h.agent_code, "1105910158");
    assert_eq!(h.agent_name, "测试企业");
    assert_eq!(h.reason, "1105910158");
    assert_eq!(h.note, None);

    let it = &msg.documents[0].items[0];
    assert_eq!(it.gnum, 1);
    assert_eq!(it.gcode, "2412342134");
    assert_eq!(it.gname, "可乐");
    assert_eq!(it.qty, dec("12"));
    assert_eq!(it.unit, "007");
    assert_eq!(it.note, None);

    assert_eq!(msg.base_transfer, transfer("JDGW20160310001", "京东购物", "EXP2016031000000001", None));
}

#[test]
fn ceb625_official_samples_parse() {
    for version in VERSIONS {
        check_625_sample(version);
    }
}

#[test]
fn ceb625_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB625Message");
    let first_list = &base[base.find("<ceb:InvtRefundList>").unwrap()..];
    let list = &first_list[..first_list.find("</ceb:InvtRefundList>").unwrap() + "</ceb:InvtRefundList>".len()];
    check_broken(
        parse_ceb625,
        vec![
            (
                "missing buyerName",
                replace_first(&base, "<ceb:buyerName>王方</ceb:buyerName>", ""),
                "InvtRefund[0]/InvtRefundHead/buyerName",
                Rule::Required,
            ),
            (
                "over-long invtNo",
                replace_first(&base, "15003213300400111", "1500321330040011100"),
                "InvtRefund[0]/InvtRefundHead/invtNo",
                Rule::MaxLength,
            ),
            (
                "over-long reason",
                replace_first(&base, "<ceb:reason>1105910158</ceb:reason>", &format!("<ceb:reason>{}</ceb:reason>", "因".repeat(1001))),
                "InvtRefund[0]/InvtRefundHead/reason",
                Rule::MaxLength,
            ),
            (
                "appType not 1/2/3",
                replace_first(&base, "<ceb:appType>1</ceb:appType>", "<ceb:appType>4</ceb:appType>"),
                "InvtRefund[0]/InvtRefundHead/appType",
                Rule::Enumeration,
            ),
            (
                "buyerIdType not 1/2",
                replace_first(&base, "<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:buyerIdType>9</ceb:buyerIdType>"),
                "InvtRefund[0]/InvtRefundHead/buyerIdType",
                Rule::Enumeration,
            ),
            (
                "gcode length",
                replace_first(&base, "<ceb:gcode>2412342134</ceb:gcode>", "<ceb:gcode>24123421</ceb:gcode>"),
                "InvtRefund[0]/InvtRefundList[0]/gcode",
                Rule::Length,
            ),
            (
                "qty with six decimals",
                replace_first(&base, "<ceb:qty>12</ceb:qty>", "<ceb:qty>12.000001</ceb:qty>"),
                "InvtRefund[0]/InvtRefundList[0]/qty",
                Rule::Digits,
            ),
            (
                "qty not a number",
                replace_first(&base, "<ceb:qty>12</ceb:qty>", "<ceb:qty>twelve</ceb:qty>"),
                "InvtRefund[0]/InvtRefundList[0]/qty",
                Rule::Decimal,
            ),
            (
                "gnum not an integer",
                replace_first(&base, "<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>1.5</ceb:gnum>"),
                "InvtRefund[0]/InvtRefundList[0]/gnum",
                Rule::Integer,
            ),
            (
                "unit not in the customs unit table",
                replace_first(&base, "<ceb:unit>007</ceb:unit>", "<ceb:unit>024</ceb:unit>"),
                "InvtRefund[0]/InvtRefundList[0]/unit",
                Rule::Enumeration,
            ),
            (
                "gname before gcode",
                replace_first(
                    &base,
                    "<ceb:gcode>2412342134</ceb:gcode>\n\t\t\t<ceb:gname>可乐</ceb:gname>",
                    "<ceb:gname>可乐</ceb:gname>\n\t\t\t<ceb:gcode>2412342134</ceb:gcode>",
                ),
                "InvtRefund[0]/InvtRefundList[0]/gcode",
                Rule::Order,
            ),
            ("missing lines", replace_first(&base, list, ""), "InvtRefund[0]/InvtRefundList", Rule::Required),
            (
                "lines before the head",
                replace_first(&replace_first(&base, list, ""), "<ceb:InvtRefundHead>", &format!("{list}<ceb:InvtRefundHead>")),
                "InvtRefund[0]/InvtRefundHead",
                Rule::Order,
            ),
            (
                "missing head",
                replace_first(
                    &base,
                    &base[base.find("<ceb:InvtRefundHead>").unwrap()..base.find("</ceb:InvtRefundHead>").unwrap() + 21],
                    "",
                ),
                "InvtRefund[0]/InvtRefundHead",
                Rule::Required,
            ),
            ("wrong root", base.replace("CEB625Message", "CEB623Message"), "CEB625Message", Rule::WrongRoot),
            (
                "no namespace",
                replace_first(&base, "<ceb:CEB625Message", "<CEB625Message xmlns=\"\"").replace("</ceb:CEB625Message>", "</CEB625Message>"),
                "CEB625Message",
                Rule::WrongNamespace,
            ),
            ("malformed XML", replace_first(&base, "<ceb:gname>可乐</ceb:gname>", "<ceb:gname>可乐</ceb:gnam>"), "", Rule::Malformed),
        ],
    );
}

#[test]
fn ceb625_allows_99_lines_per_request() {
    let base = sample("2018", "CEB625Message");
    let first_list = &base[base.find("\t\t<ceb:InvtRefundList>").unwrap()..];
    let list = &first_list[..first_list.find("</ceb:InvtRefundList>").unwrap() + "</ceb:InvtRefundList>\n".len()];
    let with = |n: usize| replace_first(&base, list, &list.repeat(n));
    let msg = parse_ceb625(with(99).as_bytes()).unwrap_or_else(|errs| panic!("{errs:#?}"));
    assert_eq!(msg.documents[0].items.len(), 99);
    let errs = parse_ceb625(with(100).as_bytes()).unwrap_err();
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("InvtRefund[0]/InvtRefundList", Rule::MaxOccurs)]);
}

fn refund_receipts() -> Receipt {
    answer_all(&read_sample::<Ceb625>("2018"), answer("120", "20160315213232556", "入库 & <ok>", Some("T20160506000000281")))
}

fn fields(el: &Element) -> Vec<(&str, &str)> {
    el.children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect()
}

#[test]
fn ceb626_reads_back_and_validates() {
    let xml = refund_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB626Message"));
    assert_eq!(root.attr("guid"), Some("5923DGGB-9940-415B-B666-C09BOO7F40B2"));
    assert_eq!(root.attr("version"), Some("1.0"));
    assert_eq!(root.children.len(), 10);
    assert!(root.children.iter().all(|c| c.is(NAMESPACE, "InvtRefundReturn")));
    // The sample's 17-character invtNo cannot go into the receipt (exactly 18), so it is left out.
    assert_eq!(
        fields(&root.children[0]),
        [
            ("guid", "5923DGGB-9940-415B-B666-C09BOO7F40B2"),
            ("customsCode", "8030"),
            ("agentCode", "1105910158"),
            ("ebpCode", "1105910159"),
            ("ebcCode", "1105910158"),
            ("copNo", "cop201604210001"),
            ("preNo", "T20160506000000281"),
            ("returnStatus", "120"),
            ("returnTime", "20160315213232556"),
            ("returnInfo", "入库 & <ok>"),
        ]
    );
    let (ok, stderr) = xmllint_validate(&xml, "ceb626");
    assert!(ok, "xmllint rejected the generated CEB626:\n{stderr}\n{xml}");

    // With an 18-character inventory number the receipt carries it, in the official order.
    let mut msg = read_sample::<Ceb625>("2018");
    msg.documents.truncate(1);
    msg.documents[0].head.invt_no = "150032133004001110".into();
    let receipt = answer_all(&msg, answer("18", "20160315213232556", "test", Some("T20160506000000281")));
    assert_eq!(receipt.returns[0].get("invtNo"), Some("150032133004001110"));
    let xml = receipt.to_xml();
    let root = read_tree(xml.as_bytes()).unwrap();
    let official = read_tree(sample("2018", "CEB626Message").as_bytes()).unwrap();
    let names = |el: &Element| el.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&root.children[0]), names(&official.children[0]));
    let (ok, stderr) = xmllint_validate(&xml, "ceb626-invt");
    assert!(ok, "xmllint rejected the generated CEB626:\n{stderr}\n{xml}");

    let mut bad = refund_receipts();
    bad.returns.truncate(1);
    bad.returns[0].set("copNo", Some(String::new()));
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb626-bad");
    assert!(!ok, "xmllint should reject an empty copNo");
}
