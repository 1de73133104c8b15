use super::*;
use guomen_domain::document::{self, DocumentKind, SignedDocument};
use guomen_domain::phyto::{self, samples, Facts, PhytoKind};
use guomen_domain::signing::{KeyPair, Owner, PublicKey, PublicKeySet};
use guomen_domain::{Refusal, RefusalKind, Rule};

const NORWAY: &[u8] = include_bytes!("../../../../data/ephyto/SPSCertificateContent.xml");

fn issued() -> PhytoDocument {
    let app = phyto::parse(&samples::export_draft("2201")).unwrap();
    let now = time::macros::datetime!(2026-03-02 09:30:00 UTC);
    let facts =
        Facts { number: "P202622010000007", officer: "user:wang.li", now, declaration: None, samples: &[], original: None, replaces: None };
    phyto::compose(&app, &facts).unwrap()
}

fn paths(r: &Refusal) -> Vec<(String, Rule)> {
    r.errors.iter().map(|e| (e.path.clone(), e.rule)).collect()
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn the_norwegian_sample_is_read_without_error() {
    let read = read_sps(NORWAY).unwrap();
    let d = &read.document;
    assert_eq!((d.number.as_str(), d.kind, read.status.as_str()), ("123ABC", PhytoKind::Export, "70"));
    assert_eq!(d.issued, "2016-04-22T13:53:08-03:00");
    assert_eq!(d.issuer, "Servicio Nacional de Sanidad y Calida Agroalimentaria");
    assert_eq!((d.export_country.as_str(), d.import_country.as_str()), ("AR", "EC"));
    assert_eq!(d.transit_countries, ["US"]);
    assert_eq!(d.consignor.name, "Juan Perez");
    assert_eq!(d.consignor.address, ["El trébol 853", "Brandsen, Buenos Aires, Argentina"]);
    assert_eq!(d.consignee.name, "Importer SA");
    assert_eq!(d.notes.len(), 12);
    assert_eq!(d.notes_of(phyto::subject::ADDITIONAL_DECLARATION).len(), 2);
    assert_eq!(d.notes_of(phyto::subject::IMPORT_PERMIT), ["DFGG 1111"]);
    assert_eq!(d.replaces(), Some("3214356"));
    assert_eq!(d.authentication.as_ref().unwrap().officer.as_deref(), Some("Miguel Perrerra"));
    assert_eq!(d.references.len(), 6);
    let pdf = d.references[0].attachment.as_ref().unwrap();
    assert_eq!(pdf.filename.as_deref(), Some("TestPdf.pdf"));
    assert_eq!(pdf.sha256.len(), 64);
    assert_eq!(d.equipment.len(), 1);
    assert_eq!(d.equipment[0].seals, ["G2382564"]);
    assert_eq!(d.transport.len(), 2);
    assert_eq!(d.transport[1].means.as_deref(), Some("Ocean Vessel: Black Pearl"));
    assert_eq!(d.transport[1].id.as_deref(), Some("Voyage N° 18"));
    assert_eq!(d.unloading_port.as_ref().unwrap().id.as_deref(), Some("USSEA"));
    assert_eq!(d.lines.len(), 2);
    let l = &d.lines[0];
    assert_eq!((l.scientific_name.as_str(), l.hs()), ("Ribes", Some("06029048")));
    assert_eq!(l.net_weight.as_ref().unwrap().value.to_string(), "10");
    assert_eq!(l.packages.len(), 2);
    assert_eq!(l.packages[0].quantity.to_string(), "100.0000");
    assert_eq!(l.origins[0].region.as_deref(), Some("Valles de la RegiónPatagónica"));
    let t = &l.treatments[0];
    assert_eq!(t.characteristics.len(), 8);
    assert_eq!(t.duration.as_ref().unwrap().unit, "HUR");
    assert_eq!(t.start.as_deref(), Some("2016-04-12"));
    // The second line has no HS code and no weights: read all the same.
    assert_eq!(d.lines[1].hs(), None);
    assert!(d.lines[1].net_weight.is_none());
    assert!(read.signature.is_none());
}

#[test]
fn utf16_is_read_like_utf8() {
    let text = std::str::from_utf8(NORWAY).unwrap().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    let expected = read_sps(NORWAY).unwrap();
    for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let read = read_sps(&utf16(&text, le, bom)).unwrap_or_else(|e| panic!("le {le} bom {bom}: {e:?}"));
        assert_eq!(read, expected, "le {le} bom {bom}");
    }
    // A lone surrogate is no UTF-16.
    let mut bad = utf16("<a/>", true, true);
    bad.extend([0x00, 0xD8]);
    assert_eq!(paths(&read_sps(&bad).unwrap_err()), [("SPSCertificate".into(), Rule::SpsEncoding)]);
    // Latin-1 bytes are neither.
    assert_eq!(paths(&read_sps(b"<SPSCertificate>\xe9</SPSCertificate>").unwrap_err())[0].1, Rule::SpsEncoding);
}

#[test]
fn a_certificate_guomen_issued_reads_back_the_same() {
    let doc = issued();
    let sig = document::DocumentSignature { key_id: "2201-0011223344556677".into(), signature: "c2ln".into() };
    let xml = write_sps(&doc, phyto::STATUS_ISSUED, Some(&sig));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?guomen-signature key-id=\"2201-0011223344556677\""), "{xml}");
    let read = read_sps(xml.as_bytes()).unwrap();
    assert_eq!(read.document, doc);
    assert_eq!(read.status, "70");
    assert_eq!(read.signature, Some(sig));
    assert!(xml.contains("<ram:TypeCode>851</ram:TypeCode>") && xml.contains("<ram:ScientificName>Oryza sativa</ram:ScientificName>"));
    assert!(xml.contains("<ram:ClassCode>1006100000</ram:ClassCode>"));
    // The same through UTF-16.
    assert_eq!(read_sps(&utf16(&xml, true, true)).unwrap().document, doc);
}

#[test]
fn the_xml_verifies_offline_and_one_character_changed_fails() {
    let pair = KeyPair::from_seed(Owner::parse("2201").unwrap(), &[3; 32]);
    let keys = PublicKeySet { keys: vec![PublicKey::of(&pair, "2026-01-01T00:00:00Z".into(), None)] };
    let doc = issued();
    let sig = document::sign(&pair, DocumentKind::PhytosanitaryCertificate, &doc.number, &doc.content());
    let xml = write_sps(&doc, "70", Some(&sig));
    let check = |xml: &str| {
        let read = read_sps(xml.as_bytes())?;
        let s = read.signature.clone().expect("signed");
        let signed = SignedDocument {
            kind: DocumentKind::PhytosanitaryCertificate,
            number: read.document.number.clone(),
            content: read.document.content(),
            key_id: s.key_id,
            signature: s.signature,
        };
        document::verify(&keys, &signed, None).map(|_| ()).map_err(|e| Refusal::new(RefusalKind::Validation, e.to_string(), e.zh()))
    };
    check(&xml).unwrap();
    // Layout is not content: the same certificate indented otherwise still verifies.
    check(&xml.replace("\n  ", "\n    ")).unwrap();
    for (from, to) in [("12000.000", "12000.001"), ("Oryza sativa", "Oryza Sativa"), ("Tokyo Shubyo", "Tokyo Shubya"), ("JPYOK", "JPTYO")] {
        assert!(xml.contains(from), "{from}");
        assert!(check(&xml.replacen(from, to, 1)).is_err(), "{from} → {to} verified");
    }
}

#[test]
fn dtds_and_entities_are_refused() {
    let ns = "xmlns:rsm=\"urn:un:unece:uncefact:data:standard:SPSCertificate:17\"";
    for (xml, rule) in [
        (format!("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rsm:SPSCertificate {ns}>&x;</rsm:SPSCertificate>"), Rule::SpsMalformed),
        (format!("<!DOCTYPE rsm:SPSCertificate SYSTEM \"http://example.com/sps.dtd\"><rsm:SPSCertificate {ns}/>"), Rule::SpsMalformed),
        (format!("<rsm:SPSCertificate {ns}>&xxe;</rsm:SPSCertificate>"), Rule::SpsMalformed),
        (format!("<rsm:SPSCertificate {ns}><rsm:SPSExchangedDocument></rsm:SPSCertificate>"), Rule::SpsMalformed),
        ("not xml at all".to_owned(), Rule::SpsMalformed),
    ] {
        let e = read_sps(xml.as_bytes()).unwrap_err();
        assert_eq!(paths(&e), [("SPSCertificate".to_owned(), rule)], "{xml}");
    }
    let e = read_sps(b"<!DOCTYPE r [<!ENTITY x \"y\">]><r/>").unwrap_err();
    assert!(e.errors[0].en.contains("DOCTYPE"), "{}", e.errors[0].en);
}

#[test]
fn the_wrong_namespace_or_root_is_refused_with_paths() {
    let text = std::str::from_utf8(NORWAY).unwrap();
    let e = read_sps(text.replace("SPSCertificate:17", "SPSCertificate:X").as_bytes()).unwrap_err();
    assert_eq!(e.errors[0].path, "SPSCertificate");
    assert!(e.errors.iter().all(|x| x.rule == Rule::SpsNamespace));
    let e = read_sps(text.replace("ReusableAggregateBusinessInformationEntity:21", "urn:example:other").as_bytes()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::SpsNamespace);
    assert_eq!(e.errors[0].path, "SPSCertificate/SPSExchangedDocument/Name");
    let e = read_sps(b"<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>").unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate".to_owned(), Rule::WrongRoot)]);
}

#[test]
fn missing_parts_are_named_by_path() {
    let doc = issued();
    let xml = write_sps(&doc, "70", None);
    let cut = |from: &str, to: &str| {
        let (a, b) = (xml.find(from).unwrap(), xml.find(to).unwrap() + to.len());
        format!("{}{}", &xml[..a], &xml[b..])
    };
    let e = read_sps(cut("<ram:ID>P2026", "</ram:ID>").as_bytes()).unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate/SPSExchangedDocument/ID".to_owned(), Rule::Required)]);
    let e = read_sps(cut("<ram:ConsigneeSPSParty>", "</ram:ConsigneeSPSParty>").as_bytes()).unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate/SPSConsignment/ConsigneeSPSParty".to_owned(), Rule::Required)]);
    let e = read_sps(cut("<ram:ScientificName>", "</ram:ScientificName>").as_bytes()).unwrap_err();
    assert_eq!(
        paths(&e),
        [(
            "SPSCertificate/SPSConsignment/IncludedSPSConsignmentItem[1]/IncludedSPSTradeLineItem[1]/ScientificName".to_owned(),
            Rule::Required
        )]
    );
    let e = read_sps(cut("<ram:IncludedSPSTradeLineItem>", "</ram:IncludedSPSTradeLineItem>").as_bytes()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::Required);
    let e = read_sps(xml.replace("<ram:TypeCode>851</ram:TypeCode>", "<ram:TypeCode>852</ram:TypeCode>").as_bytes()).unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate/SPSExchangedDocument/TypeCode".to_owned(), Rule::SpsType)]);
    let e = read_sps(xml.replace("<ram:ID>JP</ram:ID>", "<ram:ID>JPN</ram:ID>").as_bytes()).unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate/SPSConsignment/ImportSPSCountry/ID".to_owned(), Rule::CountryUnknown)]);
    let e = read_sps(xml.replace(">12000.000<", ">12 t<").as_bytes()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::Decimal);
    // Several problems at once, each with its path.
    let e = read_sps(cut("<rsm:SPSExchangedDocument>", "</rsm:SPSExchangedDocument>").as_bytes()).unwrap_err();
    assert_eq!(paths(&e), [("SPSCertificate/SPSExchangedDocument".to_owned(), Rule::Required)]);
}
