//! Messages written from documents read back as the same documents and validate against the XSD.

use super::compose::{ceb311, ceb411, ceb511, ceb621, Transfer};
use super::convert::{inventory_doc, order_doc, payment_doc, waybill_doc};
use super::test_support::xmllint_validate;
use super::{parse_ceb311, parse_ceb411, parse_ceb511, parse_ceb621};
use guomen_domain::ceb::samples::{inventory, order, payment, waybill};

fn transfer() -> Transfer {
    Transfer { cop_code: "1105910159".into(), cop_name: "示例跨境平台".into(), dxp_id: "DXPENT0000000001".into() }
}

const GUID: &str = "6F0B8A1E-2C4D-4E6F-8A0B-1C2D3E4F5A6B";

#[test]
fn an_order_round_trips_and_validates() {
    let mut o = order();
    o.consignee_address = "上海市 <浦东> & \"新区\"".into();
    let xml = ceb311(GUID, &[o.clone(), o.clone()], &transfer());
    let m = parse_ceb311(xml.as_bytes()).unwrap_or_else(|e| panic!("{e:#?}\n{xml}"));
    assert_eq!(m.documents.len(), 2);
    assert_eq!(order_doc(&m.documents[1]), o);
    let (ok, err) = xmllint_validate(&xml, "compose311");
    assert!(ok, "{err}\n{xml}");
}

#[test]
fn a_payment_a_waybill_and_an_inventory_round_trip_and_validate() {
    let p = payment();
    let xml = ceb411(GUID, std::slice::from_ref(&p), &transfer());
    assert_eq!(payment_doc(&parse_ceb411(xml.as_bytes()).unwrap().documents[0]), p);
    assert!(xmllint_validate(&xml, "compose411").0, "{xml}");

    let w = waybill();
    let xml = ceb511(GUID, std::slice::from_ref(&w), &transfer());
    assert_eq!(waybill_doc(&parse_ceb511(xml.as_bytes()).unwrap().documents[0]), w);
    assert!(xmllint_validate(&xml, "compose511").0, "{xml}");

    let v = inventory();
    let xml = ceb621(GUID, std::slice::from_ref(&v), &transfer());
    assert_eq!(inventory_doc(&parse_ceb621(xml.as_bytes()).unwrap().documents[0]), v);
    // An inventory list must carry the enterprise's signature (ds:Signature, made with its own
    // key), which compose leaves to the sender: that is the one thing the schema misses.
    let (ok, err) = xmllint_validate(&xml, "compose621");
    assert!(!ok);
    let problems: Vec<&str> = err.lines().filter(|l| l.contains("validity error")).collect();
    assert_eq!(problems.len(), 1, "{err}");
    assert!(problems[0].contains("Signature"), "{err}");
}

#[test]
fn a_broken_document_is_caught_by_the_schema() {
    let mut v = inventory();
    v.customs_code = "37000".into();
    let xml = ceb621(GUID, &[v], &transfer());
    assert!(parse_ceb621(xml.as_bytes()).is_err());
    assert!(!xmllint_validate(&xml, "compose621-bad").0, "a 5-character customsCode must fail the XSD");
}

#[test]
fn cancellations_returns_and_delivery_lists_read_back() {
    use super::compose::{cancel_for, ceb623, ceb625, ceb711};
    use super::{parse_ceb623, parse_ceb625, parse_ceb711};
    let v = inventory();
    let c = cancel_for(&v, "514120261000000001", GUID, "20261201100000", "买家取消");
    let xml = ceb623(GUID, std::slice::from_ref(&c), &transfer());
    let m = parse_ceb623(xml.as_bytes()).unwrap_or_else(|e| panic!("{e:#?}\n{xml}"));
    assert_eq!(m.documents[0].head, c);
    let (ok, err) = xmllint_validate(&xml, "compose623");
    assert!(ok || err.lines().filter(|l| l.contains("validity error")).all(|l| l.contains("Signature")), "{err}\n{xml}");

    let xml = ceb625(GUID, &[(c, vec![(1, "1".parse().unwrap())])], &[&v], &transfer());
    let m = parse_ceb625(xml.as_bytes()).unwrap_or_else(|e| panic!("{e:#?}\n{xml}"));
    assert_eq!((m.documents[0].items[0].gnum, m.documents[0].items[0].qty), (1, "1".parse().unwrap()));

    let xml = ceb711(
        GUID,
        "5141",
        "RKD0001",
        ("1101180326", "示例物流"),
        ("1101180326", "示例物流"),
        "BILL1",
        &["LN0001", "LN0002"],
        "20261201100000",
        &transfer(),
    );
    let m = parse_ceb711(xml.as_bytes()).unwrap_or_else(|e| panic!("{e:#?}\n{xml}"));
    assert_eq!(m.documents[0].items.len(), 2);
    let (ok, err) = xmllint_validate(&xml, "compose711");
    assert!(ok || err.lines().filter(|l| l.contains("validity error")).all(|l| l.contains("Signature")), "{err}\n{xml}");
}
