//! Writing a [`PhytoDocument`] as an `SPSCertificate`.

use super::{NS_CERTIFICATE, NS_RAM, NS_UDT, SIGNATURE_PI};
use guomen_domain::document::DocumentSignature;
use guomen_domain::phyto::{Location, Measure, Note, Party, PhytoDocument, Text, TradeLine};
use std::fmt::Write as _;

/// Escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML writer that indents by depth.
struct W {
    out: String,
    depth: usize,
}

impl W {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], value: &str) {
        self.indent();
        let _ = write!(self.out, "<{name}");
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", esc(v));
        }
        let _ = writeln!(self.out, ">{}</{name}>", esc(value));
    }

    fn opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.leaf(name, &[], v);
        }
    }

    fn text(&mut self, name: &str, t: &Text) {
        match &t.lang {
            Some(l) => self.leaf(name, &[("languageID", l)], &t.text),
            None => self.leaf(name, &[], &t.text),
        }
    }

    fn measure(&mut self, name: &str, m: Option<&Measure>) {
        if let Some(m) = m {
            self.leaf(name, &[("unitCode", &m.unit)], &m.value.to_string());
        }
    }

    fn date_time(&mut self, name: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.open(name);
            self.leaf("udt:DateTimeString", &[], v);
            self.close(name);
        }
    }

    fn notes(&mut self, name: &str, notes: &[Note]) {
        for n in notes {
            self.open(name);
            self.leaf("ram:Subject", &[], &n.subject);
            for c in &n.content {
                self.text("ram:Content", c);
            }
            self.close(name);
        }
    }

    fn location(&mut self, name: &str, l: Option<&Location>) {
        if let Some(l) = l {
            self.open(name);
            self.opt("ram:ID", l.id.as_deref());
            self.opt("ram:Name", l.name.as_deref());
            self.close(name);
        }
    }

    fn country(&mut self, name: &str, code: &str) {
        self.open(name);
        self.leaf("ram:ID", &[], code);
        self.close(name);
    }

    fn party(&mut self, name: &str, p: &Party) {
        self.open(name);
        self.leaf("ram:Name", &[], &p.name);
        if !p.address.is_empty() || p.city.is_some() || p.country.is_some() {
            self.open("ram:SpecifiedSPSAddress");
            for (line, tag) in p.address.iter().zip(["ram:LineOne", "ram:LineTwo", "ram:LineThree", "ram:LineFour", "ram:LineFive"]) {
                self.leaf(tag, &[], line);
            }
            self.opt("ram:CityName", p.city.as_deref());
            self.opt("ram:CountryID", p.country.as_deref());
            self.close("ram:SpecifiedSPSAddress");
        }
        self.close(name);
    }

    fn line(&mut self, l: &TradeLine) {
        self.open("ram:IncludedSPSTradeLineItem");
        self.leaf("ram:SequenceNumeric", &[], &l.seq.to_string());
        for d in &l.descriptions {
            self.text("ram:Description", d);
        }
        self.opt("ram:CommonName", l.common_name.as_deref());
        self.leaf("ram:ScientificName", &[], &l.scientific_name);
        if let Some(u) = &l.intended_use {
            self.text("ram:IntendedUse", u);
        }
        self.measure("ram:NetWeightMeasure", l.net_weight.as_ref());
        self.measure("ram:GrossWeightMeasure", l.gross_weight.as_ref());
        self.measure("ram:NetVolumeMeasure", l.net_volume.as_ref());
        self.measure("ram:GrossVolumeMeasure", l.gross_volume.as_ref());
        for c in &l.classifications {
            self.open("ram:ApplicableSPSClassification");
            self.leaf("ram:SystemName", &[], &c.system);
            self.opt("ram:ClassCode", c.code.as_deref());
            if let Some(n) = &c.name {
                self.text("ram:ClassName", n);
            }
            self.close("ram:ApplicableSPSClassification");
        }
        self.notes("ram:AdditionalInformationSPSNote", &l.notes);
        for p in &l.packages {
            self.open("ram:PhysicalSPSPackage");
            if let Some(level) = p.level {
                self.leaf("ram:LevelCode", &[], &level.to_string());
            }
            self.leaf("ram:TypeCode", &[], &p.kind);
            self.leaf("ram:ItemQuantity", &[], &p.quantity.to_string());
            self.close("ram:PhysicalSPSPackage");
        }
        for o in &l.origins {
            self.open("ram:OriginSPSCountry");
            self.leaf("ram:ID", &[], &o.country);
            if let Some(r) = &o.region {
                self.open("ram:SubordinateSPSCountrySubDivision");
                self.leaf("ram:Name", &[], r);
                self.close("ram:SubordinateSPSCountrySubDivision");
            }
            self.close("ram:OriginSPSCountry");
        }
        for t in &l.treatments {
            self.open("ram:AppliedSPSProcess");
            self.leaf("ram:TypeCode", &[], &t.type_code);
            for c in &t.characteristics {
                self.open("ram:ApplicableSPSProcessCharacteristic");
                for d in &c.descriptions {
                    self.text("ram:Description", d);
                }
                self.measure("ram:ValueMeasure", c.value.as_ref());
                self.close("ram:ApplicableSPSProcessCharacteristic");
            }
            self.notes("ram:AdditionalInformationSPSNote", &t.notes);
            if t.start.is_some() || t.end.is_some() || t.duration.is_some() {
                self.open("ram:CompletionSPSPeriod");
                self.date_time("ram:StartDateTime", t.start.as_deref());
                self.date_time("ram:EndDateTime", t.end.as_deref());
                self.measure("ram:DurationMeasure", t.duration.as_ref());
                self.close("ram:CompletionSPSPeriod");
            }
            self.close("ram:AppliedSPSProcess");
        }
        self.close("ram:IncludedSPSTradeLineItem");
    }
}

/// The certificate as an `SPSCertificate` with status code `status` (70 in force, 40 no longer)
/// and, when given, its signature as a `guomen-signature` processing instruction.
pub fn write_sps(doc: &PhytoDocument, status: &str, signature: Option<&DocumentSignature>) -> String {
    let mut w = W { out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), depth: 0 };
    if let Some(s) = signature {
        let _ = writeln!(w.out, "<?{SIGNATURE_PI} key-id=\"{}\" signature=\"{}\"?>", esc(&s.key_id), esc(&s.signature));
    }
    let _ = writeln!(w.out, "<rsm:SPSCertificate xmlns:rsm=\"{NS_CERTIFICATE}\" xmlns:ram=\"{NS_RAM}\" xmlns:udt=\"{NS_UDT}\">");
    w.depth = 1;
    w.open("rsm:SPSExchangedDocument");
    w.opt("ram:Name", doc.title.as_deref());
    w.leaf("ram:ID", &[], &doc.number);
    w.leaf("ram:TypeCode", &[], doc.kind.type_code());
    w.leaf("ram:StatusCode", &[], status);
    w.date_time("ram:IssueDateTime", Some(&doc.issued));
    w.open("ram:IssuerSPSParty");
    w.leaf("ram:Name", &[], &doc.issuer);
    w.close("ram:IssuerSPSParty");
    w.notes("ram:IncludedSPSNote", &doc.notes);
    if let Some(a) = &doc.authentication {
        w.open("ram:SignatorySPSAuthentication");
        w.date_time("ram:ActualDateTime", a.at.as_deref());
        w.location("ram:IssueSPSLocation", a.place.as_ref());
        if let Some(o) = &a.officer {
            w.open("ram:ProviderSPSParty");
            w.open("ram:SpecifiedSPSPerson");
            w.leaf("ram:Name", &[], o);
            w.close("ram:SpecifiedSPSPerson");
            w.close("ram:ProviderSPSParty");
        }
        for c in &a.clauses {
            w.open("ram:IncludedSPSClause");
            w.leaf("ram:ID", &[], &c.id);
            for t in &c.content {
                w.text("ram:Content", t);
            }
            w.close("ram:IncludedSPSClause");
        }
        w.close("ram:SignatorySPSAuthentication");
    }
    for r in &doc.references {
        w.open("ram:ReferenceSPSReferencedDocument");
        w.date_time("ram:IssueDateTime", r.issued.as_deref());
        w.opt("ram:TypeCode", r.type_code.as_deref());
        w.leaf("ram:RelationshipTypeCode", &[], &r.relationship);
        w.leaf("ram:ID", &[], &r.id);
        if let Some(i) = &r.information {
            w.text("ram:Information", i);
        }
        w.close("ram:ReferenceSPSReferencedDocument");
    }
    w.close("rsm:SPSExchangedDocument");
    w.open("rsm:SPSConsignment");
    w.party("ram:ConsignorSPSParty", &doc.consignor);
    w.party("ram:ConsigneeSPSParty", &doc.consignee);
    w.country("ram:ExportSPSCountry", &doc.export_country);
    w.country("ram:ImportSPSCountry", &doc.import_country);
    for t in &doc.transit_countries {
        w.country("ram:TransitSPSCountry", t);
    }
    w.location("ram:LoadingBaseportSPSLocation", doc.loading_port.as_ref());
    w.location("ram:UnloadingBaseportSPSLocation", doc.unloading_port.as_ref());
    if let Some(p) = &doc.examination_place {
        w.open("ram:ExaminationSPSEvent");
        w.open("ram:OccurrenceSPSLocation");
        w.leaf("ram:Name", &[], p);
        w.close("ram:OccurrenceSPSLocation");
        w.close("ram:ExaminationSPSEvent");
    }
    for t in &doc.transport {
        w.open("ram:MainCarriageSPSTransportMovement");
        w.opt("ram:ID", t.id.as_deref());
        w.leaf("ram:ModeCode", &[], &t.mode);
        if let Some(m) = &t.means {
            w.open("ram:UsedSPSTransportMeans");
            w.leaf("ram:Name", &[], m);
            w.close("ram:UsedSPSTransportMeans");
        }
        w.close("ram:MainCarriageSPSTransportMovement");
    }
    for e in &doc.equipment {
        w.open("ram:UtilizedSPSTransportEquipment");
        w.opt("ram:ID", e.id.as_deref());
        for s in &e.seals {
            w.open("ram:AffixedSPSSeal");
            w.leaf("ram:ID", &[], s);
            w.close("ram:AffixedSPSSeal");
        }
        w.close("ram:UtilizedSPSTransportEquipment");
    }
    w.open("ram:IncludedSPSConsignmentItem");
    for l in &doc.lines {
        w.line(l);
    }
    w.close("ram:IncludedSPSConsignmentItem");
    w.close("rsm:SPSConsignment");
    w.out.push_str("</rsm:SPSCertificate>\n");
    w.out
}
