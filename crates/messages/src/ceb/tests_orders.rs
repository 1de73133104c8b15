//! Tests for CEB311/312 (orders), CEB411/412 (payments) and CEB511/512 (logistics).

use super::test_support::{
    answer, answer_all, check_broken, dec, read_sample, replace_first, sample, transfer, xmllint_validate, VERSIONS,
};
use super::tree::read_tree;
use super::*;
use guomen_domain::Rule;

// ---- CEB311 / CEB312 ----

fn check_311_sample(version: &str) {
    let msg = read_sample::<Ceb311>(version);
    assert_eq!(msg.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 6);
    assert_eq!(msg.documents.iter().map(|o| o.items.len()).sum::<usize>(), 12);

    let h = &msg.documents[0].head;
    assert_eq!(h.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(h.app_type, "1");
    assert_eq!(h.app_time, "20160308112701");
    assert_eq!(h.order_type, "I");
    assert_eq!(h.order_no, "order20160321116421002");
    assert_eq!(h.ebp_name, "东方物通科技(北京)有限公司");
    assert_eq!(h.goods_value, dec("14000"));
    assert_eq!(h.freight, dec("5000"));
    assert_eq!(h.discount, dec("0"));
    assert_eq!(h.tax_total, dec("50"));
    assert_eq!(h.actural_paid, dec("19050"));
    assert_eq!(h.currency, "142");
    assert_eq!(h.buyer_reg_no, "ID20160001");
    assert_eq!(h.buyer_id_number, "130681136250023332");
    assert_eq!(h.pay_transaction_id.as_deref(), Some("20160001634226001"));
    assert_eq!(h.batch_numbers.as_deref(), Some("20160317"));
    assert_eq!(h.consignee, "焦洪宇");
    assert_eq!(h.consignee_address, "北京市海淀区");
    assert_eq!(h.consignee_district.as_deref(), Some("072750"));
    assert_eq!(h.note.as_deref(), Some("test"));

    let it = &msg.documents[0].items;
    assert_eq!(it[0].gnum, 1);
    assert_eq!(it[0].item_no.as_deref(), Some("AF001-001"));
    assert_eq!(it[0].item_name, "b");
    assert_eq!(it[0].gmodel, "33mm");
    assert_eq!(it[0].unit, "007");
    assert_eq!(it[0].qty, dec("100"));
    assert_eq!(it[0].price, dec("20"));
    assert_eq!(it[0].total_price, dec("2000"));
    assert_eq!(it[0].country, "116");
    assert_eq!(it[0].note, None, "empty <note></note> reads as absent");
    assert_eq!(it[1].gnum, 2);
    assert_eq!(it[1].qty, dec("200"));

    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "EXP2016522002580001", Some("test")));
}

#[test]
fn ceb311_official_samples_parse() {
    for version in VERSIONS {
        check_311_sample(version);
    }
}

#[test]
fn ceb311_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB311Message");
    check_broken(
        parse_ceb311,
        vec![
            (
                "missing buyerRegNo",
                replace_first(&base, "<ceb:buyerRegNo>ID20160001</ceb:buyerRegNo>", ""),
                "Order[0]/OrderHead/buyerRegNo",
                Rule::Required,
            ),
            (
                "orderType not I",
                replace_first(&base, "<ceb:orderType>I</ceb:orderType>", "<ceb:orderType>E</ceb:orderType>"),
                "Order[0]/OrderHead/orderType",
                Rule::Enumeration,
            ),
            (
                "non-numeric acturalPaid",
                replace_first(&base, "<ceb:acturalPaid>19050</ceb:acturalPaid>", "<ceb:acturalPaid>19,050</ceb:acturalPaid>"),
                "Order[0]/OrderHead/acturalPaid",
                Rule::Decimal,
            ),
            (
                "consigneeDistrict length",
                replace_first(
                    &base,
                    "<ceb:consigneeDistrict>072750</ceb:consigneeDistrict>",
                    "<ceb:consigneeDistrict>0727</ceb:consigneeDistrict>",
                ),
                "Order[0]/OrderHead/consigneeDistrict",
                Rule::Length,
            ),
            (
                "line currency not 142",
                replace_first(
                    &base,
                    "<ceb:totalPrice>2000</ceb:totalPrice>\n\t\t\t<ceb:currency>142</ceb:currency>",
                    "<ceb:totalPrice>2000</ceb:totalPrice>\n\t\t\t<ceb:currency>502</ceb:currency>",
                ),
                "Order[0]/OrderList[0]/currency",
                Rule::Fixed,
            ),
            (
                "line elements out of order",
                replace_first(
                    &base,
                    "<ceb:itemName>b</ceb:itemName>\n\t\t\t<ceb:gmodel>33mm</ceb:gmodel>",
                    "<ceb:gmodel>33mm</ceb:gmodel>\n\t\t\t<ceb:itemName>b</ceb:itemName>",
                ),
                "Order[0]/OrderList[0]/itemName",
                Rule::Order,
            ),
            (
                "too many fraction digits",
                replace_first(&base, "<ceb:price>20</ceb:price>", "<ceb:price>20.000001</ceb:price>"),
                "Order[0]/OrderList[0]/price",
                Rule::Digits,
            ),
            (
                "negative price",
                replace_first(&base, "<ceb:price>20</ceb:price>", "<ceb:price>-20</ceb:price>"),
                "Order[0]/OrderList[0]/price",
                Rule::NumberRange,
            ),
            (
                "negative amount paid",
                replace_first(&base, "<ceb:acturalPaid>19050</ceb:acturalPaid>", "<ceb:acturalPaid>-19050</ceb:acturalPaid>"),
                "Order[0]/OrderHead/acturalPaid",
                Rule::NumberRange,
            ),
            ("wrong root", base.replace("CEB311Message", "CEB621Message"), "CEB311Message", Rule::WrongRoot),
        ],
    );
}

#[test]
fn ceb311_missing_head_and_lines() {
    let xml = r#"<CEB311Message guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0" xmlns="http://www.chinaport.gov.cn/ceb"><Order/><Order><OrderList/><x/></Order></CEB311Message>"#;
    let errs = parse_ceb311(xml.as_bytes()).unwrap_err();
    let found: Vec<(&str, Rule)> =
        errs.iter().filter(|e| !e.path.starts_with("Order[1]/OrderList[0]/")).map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(
        found,
        vec![
            ("Order[0]/OrderHead", Rule::Required),
            ("Order[0]/OrderList", Rule::Required),
            ("Order[1]/x", Rule::Unexpected),
            ("Order[1]/OrderHead", Rule::Required),
        ]
    );
    assert!(errs.iter().any(|e| e.path == "Order[1]/OrderList[0]/gnum" && e.rule == Rule::Required), "{errs:#?}");

    let errs = parse_ceb311(br#"<CEB311Message xmlns="http://www.chinaport.gov.cn/ceb"/>"#).unwrap_err();
    let found: Vec<(&str, Rule)> = errs.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, vec![("@guid", Rule::Required), ("@version", Rule::Required), ("Order", Rule::Required)]);
}

fn order_receipts() -> Receipt {
    answer_all(&read_sample::<Ceb311>("2018"), answer("2", "20160428182238000", "新增申报成功 <ok> & \"done\"", None))
}

#[test]
fn ceb312_reads_back_and_validates() {
    let xml = order_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB312Message"));
    assert_eq!(root.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(root.children.len(), 6);
    let first = &root.children[0];
    assert!(first.is(NAMESPACE, "OrderReturn"));
    let fields: Vec<(&str, &str)> = first.children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("guid", "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"),
            ("ebpCode", "1105910159"),
            ("ebcCode", "1105910159"),
            ("orderNo", "order20160321116421002"),
            ("returnStatus", "2"),
            ("returnTime", "20160428182238000"),
            ("returnInfo", "新增申报成功 <ok> & \"done\""),
        ]
    );

    let (ok, stderr) = xmllint_validate(&xml, "ceb312");
    assert!(ok, "xmllint rejected the generated CEB312:\n{stderr}\n{xml}");
    let mut bad = order_receipts();
    bad.returns.truncate(1);
    bad.returns[0].return_time = "2016".into();
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb312-bad");
    assert!(!ok, "xmllint should reject a returnTime of 4 characters");
}

// ---- CEB411 / CEB412 ----

fn check_411_sample(version: &str) {
    let msg = read_sample::<Ceb411>(version);
    assert_eq!(msg.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 10);
    let p = &msg.documents[0].head;
    assert_eq!(p.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(p.app_time, "20160308112745");
    assert_eq!(p.app_status, "2");
    assert_eq!(p.pay_code, "1101110323");
    assert_eq!(p.pay_name, "测试企业");
    assert_eq!(p.pay_transaction_id, "P0242250007");
    assert_eq!(p.order_no, "order2016030811340007");
    assert_eq!(p.ebp_code, "1101110325");
    assert_eq!(p.payer_id_type, "1");
    assert_eq!(p.payer_id_number, "130625021345225322");
    assert_eq!(p.payer_name, "支付人");
    assert_eq!(p.telephone.as_deref(), Some("13256254445"));
    assert_eq!(p.amount_paid, dec("19050"));
    assert_eq!(p.currency, "142");
    assert_eq!(p.pay_time, "20160315153555");
    assert_eq!(p.note, None);
    assert_eq!(msg.documents[1].head.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC95");
    assert_eq!(msg.documents[1].head.pay_transaction_id, "P0242250008");
    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "DXPLGS0000000001", None));
}

#[test]
fn ceb411_official_samples_parse() {
    for version in VERSIONS {
        check_411_sample(version);
    }
}

#[test]
fn ceb411_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB411Message");
    check_broken(
        parse_ceb411,
        vec![
            (
                "missing payTransactionId",
                replace_first(&base, "<ceb:payTransactionId>P0242250007</ceb:payTransactionId>", ""),
                "Payment[0]/PaymentHead/payTransactionId",
                Rule::Required,
            ),
            (
                "payTime length",
                replace_first(&base, "<ceb:payTime>20160315153555</ceb:payTime>", "<ceb:payTime>2016-03-15</ceb:payTime>"),
                "Payment[0]/PaymentHead/payTime",
                Rule::Length,
            ),
            (
                "payerIdType not 1/2",
                replace_first(&base, "<ceb:payerIdType>1</ceb:payerIdType>", "<ceb:payerIdType>9</ceb:payerIdType>"),
                "Payment[0]/PaymentHead/payerIdType",
                Rule::Enumeration,
            ),
            (
                "amountPaid too many digits",
                replace_first(&base, "<ceb:amountPaid>19050</ceb:amountPaid>", "<ceb:amountPaid>12345678901234567890</ceb:amountPaid>"),
                "Payment[0]/PaymentHead/amountPaid",
                Rule::Digits,
            ),
            (
                "over-long telephone",
                replace_first(&base, "13256254445", &"1".repeat(61)),
                "Payment[0]/PaymentHead/telephone",
                Rule::MaxLength,
            ),
            (
                "second head",
                replace_first(&base, "</ceb:PaymentHead>", "</ceb:PaymentHead><ceb:PaymentHead/>"),
                "Payment[0]/PaymentHead",
                Rule::Duplicate,
            ),
            (
                "wrong namespace",
                replace_first(&base, "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"", "xmlns:ceb=\"urn:other\""),
                "CEB411Message",
                Rule::WrongNamespace,
            ),
        ],
    );
}

fn payment_receipts() -> Receipt {
    answer_all(&read_sample::<Ceb411>("2018"), answer("120", "20160311210300000", "入库 & ok", None))
}

#[test]
fn ceb412_reads_back_and_validates() {
    let xml = payment_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB412Message"));
    assert_eq!(root.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(root.attr("version"), Some("1.0"));
    assert_eq!(root.children.len(), 10);
    assert!(root.children[0].is(NAMESPACE, "PaymentReturn"));
    let fields: Vec<(&str, &str)> = root.children[1].children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("guid", "4CDE1CFD-EDED-46B1-946C-B8022E42FC95"),
            ("payCode", "1101110323"),
            ("payTransactionId", "P0242250008"),
            ("returnStatus", "120"),
            ("returnTime", "20160311210300000"),
            ("returnInfo", "入库 & ok"),
        ]
    );

    let (ok, stderr) = xmllint_validate(&xml, "ceb412");
    assert!(ok, "xmllint rejected the generated CEB412:\n{stderr}\n{xml}");
    let mut bad = payment_receipts();
    bad.returns.truncate(1);
    bad.returns[0].set("guid", Some("short".into()));
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb412-bad");
    assert!(!ok, "xmllint should reject a guid of 5 characters");
}

// ---- CEB511 / CEB512 ----

fn check_511_sample(version: &str) {
    let msg = read_sample::<Ceb511>(version);
    assert_eq!(msg.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(msg.version, "1.0");
    assert_eq!(msg.documents.len(), 6);
    let w = &msg.documents[0].head;
    assert_eq!(w.guid, "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
    assert_eq!(w.app_time, "20160315153555");
    assert_eq!(w.logistics_code, "1101180326");
    assert_eq!(w.logistics_name, "测试物流企业");
    assert_eq!(w.logistics_no, "L201603081138007");
    assert_eq!(w.bill_no.as_deref(), Some("TY201603081344007"));
    assert_eq!(w.order_no, "order20160321116421002");
    assert_eq!(w.freight, Some(dec("5000")));
    assert_eq!(w.insured_fee, Some(dec("200")));
    assert_eq!(w.currency, "142");
    assert_eq!(w.weight, dec("4000"));
    assert_eq!(w.pack_no, 6000);
    assert_eq!(w.goods_info.as_deref(), Some("包裹"));
    assert_eq!(w.consignee, "李小可");
    assert_eq!(w.consignee_address, "北京市海淀区");
    assert_eq!(w.consignee_telephone, "13936921298");
    assert_eq!(w.note, None);
    assert_eq!(msg.documents[1].head.order_no, "order20160321116421003");
    assert_eq!(msg.documents[5].head.order_no, "order20160321116421008");
    assert_eq!(msg.base_transfer, transfer("1101180326", "物流企业", "DXPLGS0000000001", None));
}

#[test]
fn ceb511_official_samples_parse() {
    for version in VERSIONS {
        check_511_sample(version);
    }
}

#[test]
fn ceb511_broken_variants_report_path_and_rule() {
    let base = sample("2018", "CEB511Message");
    check_broken(
        parse_ceb511,
        vec![
            (
                "missing consignee",
                replace_first(&base, "<ceb:consignee>李小可</ceb:consignee>", ""),
                "Logistics[0]/LogisticsHead/consignee",
                Rule::Required,
            ),
            (
                "non-integer packNo",
                replace_first(&base, "<ceb:packNo>6000</ceb:packNo>", "<ceb:packNo>one</ceb:packNo>"),
                "Logistics[0]/LogisticsHead/packNo",
                Rule::Integer,
            ),
            (
                "packNo over 9 digits",
                replace_first(&base, "<ceb:packNo>6000</ceb:packNo>", "<ceb:packNo>1000000000</ceb:packNo>"),
                "Logistics[0]/LogisticsHead/packNo",
                Rule::Digits,
            ),
            (
                "bad optional freight",
                replace_first(&base, "<ceb:freight>5000</ceb:freight>", "<ceb:freight>5e3</ceb:freight>"),
                "Logistics[0]/LogisticsHead/freight",
                Rule::Decimal,
            ),
            (
                "over-long billNo",
                replace_first(&base, "TY201603081344007", &"T".repeat(38)),
                "Logistics[0]/LogisticsHead/billNo",
                Rule::MaxLength,
            ),
            (
                "weight before currency",
                replace_first(
                    &base,
                    "<ceb:currency>142</ceb:currency>\n\t\t\t<ceb:weight>4000</ceb:weight>",
                    "<ceb:weight>4000</ceb:weight>\n\t\t\t<ceb:currency>142</ceb:currency>",
                ),
                "Logistics[0]/LogisticsHead/currency",
                Rule::Order,
            ),
            (
                "unexpected wrapper child",
                replace_first(&base, "</ceb:LogisticsHead>", "</ceb:LogisticsHead><ceb:LogisticsList/>"),
                "Logistics[0]/LogisticsList",
                Rule::Unexpected,
            ),
            ("malformed XML", replace_first(&base, "</ceb:consignee>", ""), "", Rule::Malformed),
        ],
    );
    // Optional freight and insuredFee may be left out.
    let xml = replace_first(&base, "<ceb:freight>5000</ceb:freight>", "");
    let xml = replace_first(&xml, "<ceb:insuredFee>200</ceb:insuredFee>", "");
    let msg = parse_ceb511(xml.as_bytes()).unwrap_or_else(|errs| panic!("{errs:#?}"));
    assert_eq!((msg.documents[0].head.freight, msg.documents[0].head.insured_fee), (None, None));
}

fn logistics_receipts() -> Receipt {
    answer_all(&read_sample::<Ceb511>("2018"), answer("2", "20160506152250000", "新增申报成功", None))
}

#[test]
fn ceb512_reads_back_and_validates() {
    let xml = logistics_receipts().to_xml();
    let root = read_tree(xml.as_bytes()).expect("well-formed");
    assert!(root.is(NAMESPACE, "CEB512Message"));
    assert_eq!(root.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(root.children.len(), 6);
    assert!(root.children[0].is(NAMESPACE, "LogisticsReturn"));
    let fields: Vec<(&str, &str)> = root.children[0].children.iter().map(|c| (c.name.as_str(), c.text.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("guid", "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"),
            ("logisticsCode", "1101180326"),
            ("logisticsNo", "L201603081138007"),
            ("returnStatus", "2"),
            ("returnTime", "20160506152250000"),
            ("returnInfo", "新增申报成功"),
        ]
    );

    let (ok, stderr) = xmllint_validate(&xml, "ceb512");
    assert!(ok, "xmllint rejected the generated CEB512:\n{stderr}\n{xml}");
    let mut bad = logistics_receipts();
    bad.returns.truncate(1);
    bad.returns[0].return_info = String::new();
    let (ok, _) = xmllint_validate(&bad.to_xml(), "ceb512-bad");
    assert!(!ok, "xmllint should reject an empty returnInfo");
}
