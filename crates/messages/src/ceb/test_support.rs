//! Helpers shared by the CEB tests: fixtures, broken-variant checks and XSD validation.

use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Answer, BaseTransfer, CebError, Kind, Message, Receipt};
use guomen_domain::Rule;

pub(crate) fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ceb").join(rel)
}

/// An official sample, e.g. `sample("2018", "CEB621Message")`.
pub(crate) fn sample(version: &str, message: &str) -> String {
    let path = data(&format!("{version}/samples/import/{message}.xml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The versions of the specification whose official samples are vendored.
pub(crate) const VERSIONS: [&str; 2] = ["2018", "2022-05"];

/// An official sample read by its kind's reader, which must accept it.
pub(crate) fn read_sample<K: Kind>(version: &str) -> Message<K> {
    let root = K::SPEC.root;
    Message::read(sample(version, root).as_bytes()).unwrap_or_else(|errs| panic!("{version}/{root}: unexpected errors: {errs:#?}"))
}

/// The `BaseTransfer` a sample carries: copCode, copName, dxpMode DXP, dxpId, note.
pub(crate) fn transfer(cop_code: &str, cop_name: &str, dxp_id: &str, note: Option<&str>) -> Option<BaseTransfer> {
    Some(BaseTransfer {
        cop_code: cop_code.into(),
        cop_name: cop_name.into(),
        dxp_mode: "DXP".into(),
        dxp_id: dxp_id.into(),
        note: note.map(Into::into),
    })
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Replaces the first occurrence, failing loudly if the fixture changed.
pub(crate) fn replace_first(xml: &str, from: &str, to: &str) -> String {
    assert!(xml.contains(from), "fixture does not contain {from:?}");
    xml.replacen(from, to, 1)
}

/// Each case must yield an error with the given path and rule; single-error rules alone.
pub(crate) fn check_broken<T: std::fmt::Debug>(parse: fn(&[u8]) -> Result<T, Vec<CebError>>, cases: Vec<(&str, String, &str, Rule)>) {
    for (name, xml, path, rule) in cases {
        let errs = match parse(xml.as_bytes()) {
            Ok(v) => panic!("{name}: expected errors, got {v:?}"),
            Err(errs) => errs,
        };
        assert!(errs.iter().any(|e| e.path == path && e.rule == rule), "{name}: expected {path} / {rule}, got {errs:#?}");
        for e in &errs {
            assert!(!e.en.is_empty() && !e.zh.is_empty(), "{name}: messages must be filled: {e:?}");
        }
        if matches!(rule, Rule::Malformed | Rule::WrongRoot | Rule::WrongNamespace) {
            assert_eq!(errs.len(), 1, "{name}: {errs:#?}");
        }
    }
}

/// Validates XML against the vendored 2018 import.xsd with xmllint.
pub(crate) fn xmllint_validate(xml: &str, name: &str) -> (bool, String) {
    let found = Command::new("which").arg("xmllint").output().map(|o| o.status.success()).unwrap_or(false);
    assert!(found, "xmllint is not on PATH; install it with `apt-get install libxml2-utils` (scripts install it for the test run)");
    let path = std::env::temp_dir().join(format!("guomen-{name}-{}.xml", std::process::id()));
    std::fs::write(&path, xml).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(data("2018/xsd/import.xsd"))
        .arg(&path)
        .output()
        .expect("run xmllint");
    let _ = std::fs::remove_file(&path);
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// An answer without assigned numbers but `pre_no`.
pub(crate) fn answer(status: &str, time: &str, info: &str, pre_no: Option<&str>) -> Answer {
    Answer {
        return_status: status.into(),
        return_time: time.into(),
        return_info: info.into(),
        pre_no: pre_no.map(Into::into),
        invt_no: None,
    }
}

/// The receipt giving every document of `message` the same answer.
pub(crate) fn answer_all<K: Kind>(message: &Message<K>, answer: Answer) -> Receipt {
    message.receipt(&vec![answer; message.documents.len()])
}
