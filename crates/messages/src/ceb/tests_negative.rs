//! Tests for the negative receipts answering messages that failed format validation.

use super::test_support::{replace_first, sample, xmllint_validate};
use super::tree::{read_tree, Element};
use super::*;
use guomen_domain::Rule;

const TIME: &str = "20240102030405678";
const OTHER: &str = "another document in this message failed format validation";

fn long(n: usize) -> String {
    "长".repeat(n)
}

/// Replaces the `n`th (0-based) occurrence, failing loudly if the fixture changed.
fn replace_nth(xml: &str, from: &str, to: &str, n: usize) -> String {
    let (at, _) = xml.match_indices(from).nth(n).unwrap_or_else(|| panic!("fixture has no occurrence {n} of {from:?}"));
    format!("{}{to}{}", &xml[..at], &xml[at + from.len()..])
}

fn errors_of<T: std::fmt::Debug>(parse: fn(&[u8]) -> Result<T, Vec<CebError>>, xml: &str) -> Vec<CebError> {
    match parse(xml.as_bytes()) {
        Ok(v) => panic!("expected errors, got {v:?}"),
        Err(errs) => errs,
    }
}

fn text<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.children.iter().find(|c| c.name == name).map(|c| c.text.as_str())
}

fn names(el: &Element) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

/// Reads a receipt back: root name, receipt items.
fn items(xml: &str, root: &str, item: &str) -> Element {
    let tree = read_tree(xml.as_bytes()).unwrap_or_else(|e| panic!("receipt is not well-formed: {e}\n{xml}"));
    assert!(tree.is(NAMESPACE, root), "root {} in {:?}", tree.name, tree.ns);
    assert!(tree.children.iter().all(|c| c.is(NAMESPACE, item)), "{xml}");
    tree
}

fn assert_valid(xml: &str, name: &str) {
    let (ok, stderr) = xmllint_validate(xml, name);
    assert!(ok, "xmllint rejected the negative receipt:\n{stderr}\n{xml}");
}

/// Breaks a sample, checks the parser refuses it, and checks the negative receipt: one item
/// per wrapper, returnStatus -1, the broken path in the first item's returnInfo only, and
/// valid against the XSD. Returns the receipt.
fn check_kind<T: std::fmt::Debug>(
    parse: fn(&[u8]) -> Result<T, Vec<CebError>>,
    xml: &str,
    path: &str,
    (root, item, count): (&str, &str, usize),
) -> String {
    let errs = errors_of(parse, xml);
    assert!(errs.iter().any(|e| e.path == path), "expected an error at {path}: {errs:#?}");
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).unwrap_or_else(|| panic!("no receipt for {path}"));
    let tree = items(&receipt, root, item);
    assert_eq!(tree.children.len(), count, "{receipt}");
    assert_eq!(tree.attr("guid"), text(&tree.children[0], "guid"), "root guid is the first receipt's");
    for (i, r) in tree.children.iter().enumerate() {
        assert_eq!(text(r, "returnStatus"), Some("-1"));
        assert_eq!(text(r, "returnTime"), Some(TIME));
        let info = text(r, "returnInfo").unwrap();
        if i == 0 {
            assert!(info.contains(path), "returnInfo must name {path}: {info}");
        } else {
            assert!(!info.contains(path), "item {i} must not carry the first one's error: {info}");
            assert!(info.contains(OTHER), "{info}");
        }
    }
    assert_valid(&receipt, &format!("neg-{root}"));
    receipt
}

#[test]
fn ceb311_over_long_ebp_name_gets_a_ceb312() {
    let xml = replace_first(
        &sample("2018", "CEB311Message"),
        "<ceb:ebpName>东方物通科技(北京)有限公司</ceb:ebpName>",
        &format!("<ceb:ebpName>{}</ceb:ebpName>", long(101)),
    );
    let receipt = check_kind(parse_ceb311, &xml, "Order[0]/OrderHead/ebpName", ("CEB312Message", "OrderReturn", 6));
    let tree = items(&receipt, "CEB312Message", "OrderReturn");
    let first = &tree.children[0];
    assert_eq!(names(first), ["guid", "ebpCode", "ebcCode", "orderNo", "returnStatus", "returnTime", "returnInfo"]);
    assert_eq!(text(first, "guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"));
    assert_eq!(text(first, "orderNo"), Some("order20160321116421002"));
    let info = text(first, "returnInfo").unwrap();
    assert!(info.contains("ebpName 长度为 101 个字符") && info.contains("ebpName is 101 characters long"), "zh and en: {info}");
}

#[test]
fn ceb411_bad_currency_gets_a_ceb412() {
    let xml = replace_first(&sample("2018", "CEB411Message"), "<ceb:currency>142</ceb:currency>", "<ceb:currency>USD</ceb:currency>");
    let receipt = check_kind(parse_ceb411, &xml, "Payment[0]/PaymentHead/currency", ("CEB412Message", "PaymentReturn", 10));
    let tree = items(&receipt, "CEB412Message", "PaymentReturn");
    assert_eq!(names(&tree.children[0]), ["guid", "payCode", "payTransactionId", "returnStatus", "returnTime", "returnInfo"]);
}

#[test]
fn ceb511_over_long_logistics_name_gets_a_ceb512() {
    let xml = replace_first(
        &sample("2018", "CEB511Message"),
        "<ceb:logisticsName>测试物流企业</ceb:logisticsName>",
        &format!("<ceb:logisticsName>{}</ceb:logisticsName>", long(101)),
    );
    let receipt = check_kind(parse_ceb511, &xml, "Logistics[0]/LogisticsHead/logisticsName", ("CEB512Message", "LogisticsReturn", 6));
    let tree = items(&receipt, "CEB512Message", "LogisticsReturn");
    assert_eq!(names(&tree.children[0]), ["guid", "logisticsCode", "logisticsNo", "returnStatus", "returnTime", "returnInfo"]);
}

#[test]
fn ceb621_bad_currency_gets_a_ceb622_and_a_wrong_receipt_is_rejected() {
    let xml = replace_first(&sample("2018", "CEB621Message"), "<ceb:currency>142</ceb:currency>", "<ceb:currency>USD</ceb:currency>");
    let receipt = check_kind(parse_ceb621, &xml, "Inventory[0]/InventoryHead/currency", ("CEB622Message", "InventoryReturn", 10));
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    let first = &tree.children[0];
    // The sample's invtNo is empty: left out; its preNo is empty: 18 zeros.
    assert_eq!(
        names(first),
        ["guid", "customsCode", "ebpCode", "ebcCode", "agentCode", "copNo", "preNo", "returnStatus", "returnTime", "returnInfo"]
    );
    assert_eq!(text(first, "copNo"), Some("NBBH20160308005"));
    assert_eq!(text(first, "preNo"), Some("000000000000000000"));

    // The validation has teeth: the same receipt with a 2-character preNo is rejected.
    let bad = receipt.replacen("<preNo>000000000000000000</preNo>", "<preNo>B1</preNo>", 1);
    assert_ne!(bad, receipt);
    let (ok, _) = xmllint_validate(&bad, "neg-ceb622-bad");
    assert!(!ok, "xmllint should reject preNo of 2 characters");
    // … and so is one whose returnInfo is empty.
    let (from, to) = (receipt.find("<returnInfo>").unwrap(), receipt.find("</returnInfo>").unwrap());
    let empty_info = format!("{}<returnInfo>{}", &receipt[..from], &receipt[to..]);
    let (ok, _) = xmllint_validate(&empty_info, "neg-ceb622-empty-info");
    assert!(!ok, "xmllint should reject an empty returnInfo");
}

#[test]
fn ceb623_over_long_ebp_name_gets_a_ceb624() {
    let xml = replace_first(
        &sample("2018", "CEB623Message"),
        "<ceb:ebpName>测试企业</ceb:ebpName>",
        &format!("<ceb:ebpName>{}</ceb:ebpName>", long(101)),
    );
    let receipt = check_kind(parse_ceb623, &xml, "InvtCancel[0]/ebpName", ("CEB624Message", "InvtCancelReturn", 10));
    let tree = items(&receipt, "CEB624Message", "InvtCancelReturn");
    let first = &tree.children[0];
    assert_eq!(
        names(first),
        ["guid", "customsCode", "agentCode", "ebpCode", "ebcCode", "copNo", "preNo", "invtNo", "returnStatus", "returnTime", "returnInfo"]
    );
    assert_eq!(text(first, "copNo"), Some("NBBH20160308001"));
    assert_eq!(text(first, "preNo"), Some("B20160308000000001"), "a valid preNo is echoed");
    assert_eq!(text(first, "invtNo"), Some("150201613031520001"));
}

#[test]
fn ceb625_over_long_ebp_name_gets_a_ceb626() {
    let xml = replace_first(
        &sample("2018", "CEB625Message"),
        "<ceb:ebpName>测试企业</ceb:ebpName>",
        &format!("<ceb:ebpName>{}</ceb:ebpName>", long(101)),
    );
    let receipt = check_kind(parse_ceb625, &xml, "InvtRefund[0]/InvtRefundHead/ebpName", ("CEB626Message", "InvtRefundReturn", 10));
    let tree = items(&receipt, "CEB626Message", "InvtRefundReturn");
    let first = &tree.children[0];
    // The sample's invtNo has 17 characters, the receipt's must have 18: left out.
    assert_eq!(
        names(first),
        ["guid", "customsCode", "agentCode", "ebpCode", "ebcCode", "copNo", "preNo", "returnStatus", "returnTime", "returnInfo"]
    );
    assert_eq!(text(first, "copNo"), Some("cop201604210001"));
    assert_eq!(text(first, "preNo"), Some("000000000000000000"));
}

#[test]
fn ceb711_over_long_operator_name_gets_a_ceb712() {
    let xml = replace_first(
        &sample("2018", "CEB711Message"),
        "<ceb:operatorName>监管人</ceb:operatorName>",
        &format!("<ceb:operatorName>{}</ceb:operatorName>", long(101)),
    );
    let receipt = check_kind(parse_ceb711, &xml, "Delivery/DeliveryHead/operatorName", ("CEB712Message", "DeliveryReturn", 1));
    let tree = items(&receipt, "CEB712Message", "DeliveryReturn");
    let first = &tree.children[0];
    assert_eq!(
        names(first),
        ["guid", "customsCode", "operatorCode", "copNo", "preNo", "rkdNo", "returnStatus", "returnTime", "returnInfo"]
    );
    assert_eq!(text(first, "guid"), Some("5923DGGB-9940-415B-B666-C09BOO7F40B2"));
    assert_eq!(text(first, "rkdNo"), Some("010220160308000005"));
}

#[test]
fn a_second_delivery_gets_only_message_level_errors() {
    let base = sample("2018", "CEB711Message");
    let start = base.find("<ceb:Delivery>").unwrap();
    let end = base.find("</ceb:Delivery>").unwrap() + "</ceb:Delivery>".len();
    let broken = replace_first(&base, "<ceb:operatorName>监管人</ceb:operatorName>", "<ceb:operatorName></ceb:operatorName>");
    let at = broken.find("</ceb:Delivery>").unwrap() + "</ceb:Delivery>".len();
    let xml = format!("{}{}{}", &broken[..at], &base[start..end], &broken[at..]);
    let errs = errors_of(parse_ceb711, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB712Message", "DeliveryReturn");
    assert_eq!(tree.children.len(), 2);
    let info = |i: usize| text(&tree.children[i], "returnInfo").unwrap().to_string();
    assert!(info(0).contains("Delivery/DeliveryHead/operatorName") && info(0).contains("Delivery: "), "{}", info(0));
    assert!(!info(1).contains("operatorName") && info(1).contains("Delivery: "), "{}", info(1));
    assert_valid(&receipt, "neg-ceb712-two");
}

#[test]
fn an_error_on_inventory_1_is_only_in_the_second_receipt() {
    let xml = replace_nth(
        &sample("2018", "CEB621Message"),
        "<ceb:ebpName>测试企业</ceb:ebpName>",
        &format!("<ceb:ebpName>{}</ceb:ebpName>", long(101)),
        1,
    );
    let errs = errors_of(parse_ceb621, &xml);
    assert!(errs.iter().all(|e| e.path.starts_with("Inventory[1]/")), "{errs:#?}");
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    for (i, r) in tree.children.iter().enumerate() {
        let info = text(r, "returnInfo").unwrap();
        if i == 1 {
            assert!(info.starts_with("Inventory[1]/InventoryHead/ebpName: "), "{info}");
        } else {
            assert!(!info.contains("Inventory[1]") && info.contains(OTHER), "item {i}: {info}");
        }
    }
    assert_valid(&receipt, "neg-ceb622-second");
}

#[test]
fn errors_of_inventory_1_do_not_go_to_inventory_10() {
    // `Inventory[1]` is a prefix of `Inventory[10]` as text but not as a path.
    let base = sample("2018", "CEB621Message");
    let start = base.find("<ceb:Inventory>").unwrap();
    let end = base.find("</ceb:Inventory>").unwrap() + "</ceb:Inventory>".len();
    let xml = format!("{}{}{}", &base[..end], &base[start..end], &base[end..]);
    let err = CebError::new("Inventory[10]/InventoryHead/note", Rule::MaxLength, "en".into(), "zh".into());
    let receipt = negative_receipt(xml.as_bytes(), &[err], "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    assert_eq!(tree.children.len(), 11);
    for (i, r) in tree.children.iter().enumerate() {
        assert_eq!(text(r, "returnInfo").unwrap().contains("Inventory[10]"), i == 10, "item {i}");
    }
}

#[test]
fn root_level_errors_go_to_every_receipt() {
    let xml = replace_first(&sample("2018", "CEB621Message"), "guid=\"4CDE1CFD-EDED-46B1-946C-B8022E42FC94\" ", "");
    let xml = replace_first(&xml, "<ceb:dxpMode>DXP</ceb:dxpMode>", "<ceb:dxpMode>DX</ceb:dxpMode>");
    let errs = errors_of(parse_ceb621, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt: the heads carry guids");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    assert_eq!(tree.attr("guid"), Some("4CDE1CFD-EDED-46B1-946C-B8022E42FC94"), "from the first head");
    for r in &tree.children {
        let info = text(r, "returnInfo").unwrap();
        assert!(info.contains("@guid: ") && info.contains("BaseTransfer/dxpMode: "), "{info}");
    }
    assert_valid(&receipt, "neg-ceb622-root");
}

#[test]
fn a_missing_or_invalid_guid_gives_no_receipt() {
    let base = sample("2018", "CEB311Message");
    let guid = "<ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>";
    for (name, to) in [("missing", ""), ("short", "<ceb:guid>4CDE1CFD</ceb:guid>"), ("empty", "<ceb:guid></ceb:guid>")] {
        let xml = replace_nth(&base, guid, to, 3);
        let errs = errors_of(parse_ceb311, &xml);
        assert!(errs.iter().any(|e| e.path == "Order[3]/OrderHead/guid"), "{name}: {errs:#?}");
        assert_eq!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME), None, "{name}");
    }
}

#[test]
fn a_missing_required_echo_field_gives_no_receipt() {
    // CEB512 needs logisticsNo; CEB412 payTransactionId of at most 60 characters.
    let xml = replace_first(&sample("2018", "CEB511Message"), "<ceb:logisticsNo>", "<ceb:logisticsNo_>");
    let xml = replace_first(&xml, "</ceb:logisticsNo>", "</ceb:logisticsNo_>");
    let errs = errors_of(parse_ceb511, &xml);
    assert_eq!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME), None);

    let base = sample("2018", "CEB411Message");
    let at = base.find("<ceb:payTransactionId>").unwrap() + "<ceb:payTransactionId>".len();
    let xml = format!("{}{}{}", &base[..at], "9".repeat(61), &base[at..]);
    let errs = errors_of(parse_ceb411, &xml);
    assert_eq!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME), None);

    // A wrapper without its head has nothing to echo.
    let xml = replace_first(&sample("2018", "CEB511Message"), "<ceb:LogisticsHead>", "<ceb:LogisticsHeadX>");
    let xml = replace_first(&xml, "</ceb:LogisticsHead>", "</ceb:LogisticsHeadX>");
    let errs = errors_of(parse_ceb511, &xml);
    assert_eq!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME), None);
}

#[test]
fn cop_no_falls_back_to_the_order_number_and_pre_no_to_zeros() {
    let base = sample("2018", "CEB621Message");
    // No copNo: the first 20 characters of orderNo (order2016030811340001 has 21).
    let xml = replace_first(&base, "<ceb:copNo>NBBH20160308005</ceb:copNo>", "");
    let xml = replace_first(&xml, "<ceb:currency>142</ceb:currency>", "<ceb:currency>1</ceb:currency>");
    let errs = errors_of(parse_ceb621, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    assert_eq!(text(&tree.children[0], "copNo"), Some("order201603081134000"));
    assert_eq!(text(&tree.children[0], "preNo"), Some("000000000000000000"));
    assert_eq!(text(&tree.children[1], "copNo"), Some("NBBH20160308006"));
    assert_valid(&receipt, "neg-ceb622-fallback");

    // An over-long copNo is not echoed either; a valid preNo and invtNo are; an invalid
    // optional customsCode is left out.
    let xml = replace_first(&base, "<ceb:copNo>NBBH20160308005</ceb:copNo>", &format!("<ceb:copNo>{}</ceb:copNo>", "C".repeat(21)));
    let xml = replace_first(&xml, "<ceb:preNo></ceb:preNo>", "<ceb:preNo>B20160308000000009</ceb:preNo>");
    let xml = replace_first(&xml, "<ceb:invtNo></ceb:invtNo>", "<ceb:invtNo>150201613031520009</ceb:invtNo>");
    let xml = replace_first(&xml, "<ceb:customsCode>3700</ceb:customsCode>", "<ceb:customsCode>37000</ceb:customsCode>");
    let errs = errors_of(parse_ceb621, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    let first = &tree.children[0];
    assert_eq!(
        names(first),
        ["guid", "ebpCode", "ebcCode", "agentCode", "copNo", "preNo", "invtNo", "returnStatus", "returnTime", "returnInfo"]
    );
    assert_eq!(text(first, "copNo"), Some("order201603081134000"));
    assert_eq!(text(first, "preNo"), Some("B20160308000000009"));
    assert_eq!(text(first, "invtNo"), Some("150201613031520009"));
    let info = text(first, "returnInfo").unwrap();
    assert!(info.contains("Inventory[0]/InventoryHead/copNo") && info.contains("Inventory[0]/InventoryHead/customsCode"), "{info}");
    assert_valid(&receipt, "neg-ceb622-echo");

    // Neither a copNo nor an orderNo: no receipt.
    let xml = replace_first(&base, "<ceb:copNo>NBBH20160308005</ceb:copNo>", "");
    let xml = replace_first(&xml, "<ceb:orderNo>order2016030811340001</ceb:orderNo>", "<ceb:orderNo></ceb:orderNo>");
    let errs = errors_of(parse_ceb621, &xml);
    assert_eq!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME), None);
}

#[test]
fn cancellations_and_returns_use_the_same_fallbacks() {
    let xml = replace_first(&sample("2018", "CEB623Message"), "<ceb:copNo>NBBH20160308001</ceb:copNo>", "");
    let xml = replace_first(&xml, "<ceb:preNo>B20160308000000001</ceb:preNo>", "<ceb:preNo>B2016</ceb:preNo>");
    let xml = replace_first(&xml, "<ceb:reason>a</ceb:reason>", "");
    let errs = errors_of(parse_ceb623, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-2", TIME).expect("receipt");
    let tree = items(&receipt, "CEB624Message", "InvtCancelReturn");
    let first = &tree.children[0];
    assert_eq!(text(first, "copNo"), Some("order201603081134000"));
    assert_eq!(text(first, "preNo"), Some("000000000000000000"));
    assert_eq!(text(first, "returnStatus"), Some("-2"));
    assert!(text(first, "returnInfo").unwrap().contains("InvtCancel[0]/reason: "));
    assert_valid(&receipt, "neg-ceb624-fallback");

    let base = sample("2018", "CEB625Message");
    let xml = replace_first(&base, "<ceb:copNo>cop201604210001</ceb:copNo>", "<ceb:copNo> </ceb:copNo>");
    let xml = replace_first(&xml, "<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:buyerIdType>9</ceb:buyerIdType>");
    let errs = errors_of(parse_ceb625, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB626Message", "InvtRefundReturn");
    assert_eq!(text(&tree.children[0], "copNo"), Some("order201603171194000"));
    assert_eq!(text(&tree.children[0], "preNo"), Some("000000000000000000"));
    assert_valid(&receipt, "neg-ceb626-fallback");
}

#[test]
fn malformed_or_unknown_documents_give_no_receipt() {
    let base = sample("2018", "CEB621Message");
    let err = [CebError::new("", Rule::Malformed, "en".into(), "zh".into())];
    let truncated = &base[..base.len() / 2];
    assert_eq!(negative_receipt(truncated.as_bytes(), &err, "-1", TIME), None);
    assert_eq!(negative_receipt(b"not xml", &err, "-1", TIME), None);
    assert_eq!(negative_receipt(b"", &err, "-1", TIME), None);
    assert_eq!(negative_receipt(b"\xff\xfe<a/>", &err, "-1", TIME), None);
    // A receipt is not a message that gets a receipt; a foreign namespace is not CEB.
    assert_eq!(negative_receipt(sample("2018", "CEB622Message").as_bytes(), &err, "-1", TIME), None);
    let foreign = base.replace("http://www.chinaport.gov.cn/ceb", "urn:other");
    assert_eq!(negative_receipt(foreign.as_bytes(), &err, "-1", TIME), None);
    // No wrapper at all: the receipt would need at least one element.
    let empty = "<CEB621Message xmlns=\"http://www.chinaport.gov.cn/ceb\" guid=\"x\" version=\"1.0\"/>";
    let errs = errors_of(parse_ceb621, empty);
    assert_eq!(negative_receipt(empty.as_bytes(), &errs, "-1", TIME), None);
}

#[test]
fn status_and_time_must_fit_the_receipt() {
    let xml = replace_first(&sample("2018", "CEB311Message"), "<ceb:currency>142</ceb:currency>", "<ceb:currency>1</ceb:currency>");
    let errs = errors_of(parse_ceb311, &xml);
    assert!(negative_receipt(xml.as_bytes(), &errs, "-1", TIME).is_some());
    assert!(negative_receipt(xml.as_bytes(), &errs, "-1234567890", TIME).is_none(), "11 characters");
    assert!(negative_receipt(xml.as_bytes(), &errs, "", TIME).is_none());
    assert!(negative_receipt(xml.as_bytes(), &errs, "-1", "2024010203040567").is_none(), "16 characters");
    assert!(negative_receipt(xml.as_bytes(), &errs, "-1", "202401020304056789").is_none(), "18 characters");
}

#[test]
fn long_return_info_is_cut_to_1000_characters() {
    let xml = sample("2018", "CEB621Message");
    let errs: Vec<CebError> = (0..40)
        .map(|i| CebError::new(format!("Inventory[0]/InventoryList[{i}]/gname"), Rule::MaxLength, "x".repeat(30), "名".repeat(30)))
        .collect();
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    let info = text(&tree.children[0], "returnInfo").unwrap();
    assert_eq!(info.chars().count(), 1000);
    assert!(info.ends_with('…') && info.starts_with("Inventory[0]/InventoryList[0]/gname: 名名"), "{info}");
    assert!(text(&tree.children[1], "returnInfo").unwrap().contains(OTHER));
    assert_valid(&receipt, "neg-ceb622-long");

    // Exactly 1000 characters are kept whole.
    let en = "e".repeat(1000 - "p: z / ".len());
    let exact = [CebError::new("p", Rule::Required, en, "z".into())];
    let receipt = negative_receipt(xml.as_bytes(), &exact, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    let info = text(&tree.children[0], "returnInfo").unwrap();
    assert_eq!(info.chars().count(), 1000);
    assert!(!info.contains('…'));
}

#[test]
fn only_the_first_100_wrappers_get_receipts() {
    let base = sample("2018", "CEB621Message");
    let start = base.find("<ceb:Inventory>").unwrap();
    let end = base.find("</ceb:Inventory>").unwrap() + "</ceb:Inventory>".len();
    let extra = base[start..end].repeat(91);
    let xml = format!("{}{}{}", &base[..end], extra, &base[end..]);
    let errs = errors_of(parse_ceb621, &xml);
    assert!(errs.iter().any(|e| e.path == "Inventory" && e.rule == Rule::MaxOccurs), "{errs:#?}");
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB622Message", "InventoryReturn");
    assert_eq!(tree.children.len(), 100);
    for r in &tree.children {
        assert!(text(r, "returnInfo").unwrap().starts_with("Inventory: "), "the count error concerns every receipt");
    }
    assert_valid(&receipt, "neg-ceb622-101");
}

#[test]
fn markup_in_error_text_is_escaped() {
    let xml =
        replace_first(&sample("2018", "CEB311Message"), "<ceb:currency>142</ceb:currency>", "<ceb:currency>&lt;&amp;\"</ceb:currency>");
    let errs = errors_of(parse_ceb311, &xml);
    let receipt = negative_receipt(xml.as_bytes(), &errs, "-1", TIME).expect("receipt");
    let tree = items(&receipt, "CEB312Message", "OrderReturn");
    assert!(text(&tree.children[0], "returnInfo").unwrap().contains("\"<&\\\""));
    assert_valid(&receipt, "neg-ceb312-escape");
}
