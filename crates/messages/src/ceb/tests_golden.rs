//! Receipts, negative receipts and composed messages pinned byte for byte. The files in
//! `crates/messages/testdata/ceb/` were written by the per-message readers, receipt writers and
//! composer this crate had before every message was declared once (the receipts through the
//! node's own receipt code in `guomen-api`); the generic code must write the same bytes.
//!
//! Inputs: the official 2018 samples (`a`), the same with the first `copNo` emptied (`b`: the
//! receipt falls back to the order number) and with 18-character `preNo`/`invtNo` in the first
//! document (`c`: the receipt echoes them), answered with assigned numbers on some documents.

use std::path::PathBuf;

use guomen_domain::ceb::samples::{inventory, order, payment, waybill};

use super::compose::{cancel_for, ceb311, ceb411, ceb511, ceb621, ceb623, ceb625, ceb711, Transfer};
use super::test_support::sample;
use super::*;

fn golden(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/ceb").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_golden(name: &str, written: &str) {
    let expected = golden(name);
    if written != expected {
        let line = written.lines().zip(expected.lines()).position(|(a, b)| a != b);
        panic!("{name} differs (first differing line {line:?}):\n--- written\n{written}\n--- expected\n{expected}");
    }
}

/// Replaces the text of the first element `name`, if there is one.
fn set_first(xml: &str, name: &str, value: &str) -> String {
    let (open, close) = (format!("<ceb:{name}>"), format!("</ceb:{name}>"));
    let Some(a) = xml.find(&open) else { return xml.to_string() };
    let b = a + xml[a..].find(&close).unwrap();
    format!("{}{open}{value}{}", &xml[..a], &xml[b..])
}

/// `YYYYMMDDhhmmssSSS` of 2026-12-01 00:00:00.123 China time plus `ms`.
fn time(ms: usize) -> String {
    let t = 123 + ms;
    format!("20261201{:02}{:02}{:02}{:03}", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000)
}

fn answers(n: usize) -> Vec<Answer> {
    (0..n)
        .map(|i| Answer {
            return_status: ["120", "100", "800", "2", "-1"][i % 5].into(),
            return_time: time(i * 1001),
            return_info: format!("第{i}单 <ok> & \"done\" 'x' / document {i}"),
            pre_no: (i % 2 == 1).then(|| format!("B2026{i:013}")),
            invt_no: (i % 3 == 2).then(|| format!("5141202610{i:08}")),
        })
        .collect()
}

#[test]
fn receipts_are_written_byte_for_byte_as_before() {
    for &kind in MessageKind::ALL {
        let root = kind.root_name();
        let base = sample("2018", root);
        let variants = [
            ("a", base.clone()),
            ("b", set_first(&base, "copNo", "")),
            ("c", set_first(&set_first(&base, "preNo", "B20160308000000077"), "invtNo", "150201613031520077")),
        ];
        for (variant, xml) in variants {
            if variant != "a" && xml == base {
                continue;
            }
            let message = CebMessage::read(kind, xml.as_bytes()).unwrap_or_else(|e| panic!("{root} {variant}: {e:#?}"));
            let receipt = message.receipt(&answers(message.outlines().len()));
            assert_golden(&format!("receipt-{}-{variant}.xml", &root[..6]), &receipt.to_xml());
        }
    }
}

#[test]
fn negative_receipts_are_written_byte_for_byte_as_before() {
    for &kind in MessageKind::ALL {
        let root = kind.root_name();
        let broken = sample("2018", root).replacen("</ceb:appTime>", "</ceb:appTime><ceb:colour>red</ceb:colour>", 1);
        let broken = set_first(&set_first(&broken, "copNo", ""), "preNo", "B2016");
        let errors = CebMessage::read(kind, broken.as_bytes()).unwrap_err();
        let receipt = negative_receipt(broken.as_bytes(), &errors, "-1", "20261201000000123").expect("a receipt");
        assert_golden(&format!("negative-{}.xml", &root[..6]), &receipt);
    }
}

#[test]
fn composed_messages_are_written_byte_for_byte_as_before() {
    let t = Transfer { cop_code: "1105910159".into(), cop_name: "示例跨境平台 & <co>".into(), dxp_id: "DXPENT0000000001".into() };
    const GUID: &str = "6F0B8A1E-2C4D-4E6F-8A0B-1C2D3E4F5A6B";
    let mut o = order();
    o.consignee_address = "上海市 <浦东> & \"新区\"".into();
    assert_golden("compose-CEB311.xml", &ceb311(GUID, &[o, order()], &t));
    assert_golden("compose-CEB411.xml", &ceb411(GUID, &[payment()], &t));
    assert_golden("compose-CEB511.xml", &ceb511(GUID, &[waybill()], &t));
    assert_golden("compose-CEB621.xml", &ceb621(GUID, &[inventory()], &t));
    let v = inventory();
    let c = cancel_for(&v, "514120261000000001", GUID, "20261201100000", "买家取消");
    assert_golden("compose-CEB623.xml", &ceb623(GUID, std::slice::from_ref(&c), &t));
    let lines = vec![(1, "1".parse().unwrap()), (9, "2".parse().unwrap())];
    assert_golden("compose-CEB625.xml", &ceb625(GUID, &[(c, lines)], &[&v], &t));
    let nos = ["LN0001", "LN0002"];
    let xml = ceb711(GUID, "5141", "RKD0001", ("1101180326", "示例物流"), ("1101180326", "示例物流"), "BILL1", &nos, "20261201100000", &t);
    assert_golden("compose-CEB711.xml", &xml);
}
