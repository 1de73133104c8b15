//! The OpenAPI entries of phytosanitary certificates and of the public record of documents.

use super::{json_body, Op};
use serde_json::{json, Value};

/// The routes, each with the schema of its answer.
pub(super) fn ops() -> Vec<(Op, Value)> {
    let one = json!({ "$ref": "#/components/schemas/PhytoCertificate" });
    let received = json!({ "$ref": "#/components/schemas/PhytoReceived" });
    let reason =
        json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string", "maxLength": 500 } } }));
    vec![
        (Op { method: "post", path: "/api/v1/certificates/phyto", summary: "Apply for a phytosanitary certificate (植物检疫证书) for an export of plants, plant products or seeds, in the caller's enterprise's name: export (851) or re-export (657, naming the original certificate received with the import). Read at once: what does not exist is refused (422) and nothing is stored", roles: "declarant (the exporter)", body: Some(json_body(json!({ "$ref": "#/components/schemas/PhytoApplication" }))), ok: ("201", "The application with its `number` (status `applied`), with `Location`") }, one.clone()),
        (Op { method: "get", path: "/api/v1/certificates/phyto", summary: "Phytosanitary certificates, latest change first (status, exporter, limit)", roles: "declarant (its own), officer, risk-analyst, admin", body: None, ok: ("200", "{certificates}") }, json!({ "type": "object", "properties": { "certificates": { "type": "array", "items": one.clone() } } })),
        (Op { method: "get", path: "/api/v1/certificates/phyto/{number}", summary: "One phytosanitary certificate with its timeline", roles: "declarant (the exporter), officer, risk-analyst, admin", body: None, ok: ("200", "The certificate") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/phyto/{number}/issue", summary: "Issue an application: the certificate is composed from the application and what Guomen holds for its export declaration (the inspection result, the laboratory's published conclusions; refused when either was not satisfactory or a sample is not concluded) and signed with the issuing office's key", roles: "officer", body: None, ok: ("200", "The certificate, status `issued`, with `document` and `signature`") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/phyto/{number}/refuse", summary: "Refuse an application, saying why", roles: "officer", body: Some(reason.clone()), ok: ("200", "The certificate, status `refused`") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/phyto/{number}/withdraw", summary: "Withdraw a certificate in force, saying why; its XML then carries status code 40 and the public record says withdrawn", roles: "officer", body: Some(reason), ok: ("200", "The certificate, status `withdrawn`") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/phyto/{number}/replace", summary: "Replace a certificate in force with a corrected one under a new number, issued and signed at once and naming the one it replaces (ADRPN); the old one is marked replaced", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason", "application"], "properties": { "reason": { "type": "string", "maxLength": 500 }, "application": { "$ref": "#/components/schemas/PhytoApplication" } } }))), ok: ("201", "The new certificate, with `Location`") }, one.clone()),
        (Op { method: "get", path: "/api/v1/certificates/phyto/{number}/xml", summary: "The issued certificate as UN/CEFACT SPSCertificate XML (application/xml), as the IPPC ePhyto hub exchanges it: status code 70 in force, 40 replaced or withdrawn; its signature in the processing instruction `<?guomen-signature key-id=\"…\" signature=\"…\"?>`, over the certificate's canonical content", roles: "declarant (the exporter), officer, risk-analyst, admin", body: None, ok: ("200", "SPSCertificate XML") }, json!({ "type": "string", "contentMediaType": "application/xml" })),
        (Op { method: "post", path: "/api/v1/certificates/phyto/import", summary: "Receive an incoming SPSCertificate (application/xml; UTF-8 or UTF-16) for an import: read, checked (namespaces, required parts; DTDs and entities refused), stored and linked to the import declaration named by `?declaration=` or found by `?bill=`; compared with the declaration (importing country, HS subheadings, origins). 422 with the paths of what is wrong, nothing stored", roles: "officer; declarant (the importer, for its own declaration)", body: Some(json!({ "required": true, "content": { "application/xml": { "schema": { "type": "string", "description": "UN/CEFACT SPSCertificate" } } } })), ok: ("201", "The certificate as Guomen read it (200 when the same certificate was received before)") }, received.clone()),
        (Op { method: "get", path: "/api/v1/certificates/phyto/received", summary: "Certificates received (`declaration`: those linked to one declaration; an importer names its own)", roles: "officer, risk-analyst, admin, laboratory; declarant (its declarations)", body: None, ok: ("200", "{certificates}") }, json!({ "type": "object", "properties": { "certificates": { "type": "array", "items": received.clone() } } })),
        (Op { method: "get", path: "/api/v1/certificates/phyto/received/{country}/{number}", summary: "One certificate received, by the issuing country (alpha-2) and its number, with its timeline", roles: "officer, risk-analyst, admin, laboratory; declarant (its declarations)", body: None, ok: ("200", "The certificate received") }, received),
        (Op { method: "get", path: "/api/v1/public/documents/{number}", summary: "The public record of an issued document (certificate of origin, phytosanitary certificate): what it says, whether it is valid, replaced or withdrawn, and its key id and signature over the canonical content. No sign-in. Save it as a file and `guomen verify-document FILE --keys KEYS.json` verifies it offline", roles: "anyone", body: None, ok: ("200", "PublicDocument") }, json!({ "$ref": "#/components/schemas/PublicDocument" })),
    ]
}

/// `PhytoApplication`, `PhytoCertificate`, `PhytoReceived`, `PublicDocument`.
pub(super) fn schemas() -> Vec<(&'static str, Value)> {
    let s = json!({ "type": "string" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let party = json!({ "type": "object", "required": ["name", "address"], "properties": { "name": s, "address": s } });
    let line = json!({ "type": "object", "required": ["hs", "description", "scientific_name", "net_weight", "origin_country"], "properties": {
        "hs": { "type": "string", "description": "6, 8 or 10 digits, HS chapters 06–14 or 44" },
        "description": s, "scientific_name": { "type": "string", "description": "Botanical name, e.g. Oryza sativa" }, "common_name": s,
        "intended_use": s, "net_weight": { "type": "string", "description": "kg, decimal" }, "gross_weight": s,
        "packages": s, "package_kind": { "type": "string", "description": "UN/ECE Recommendation 21 (BG, CT, BX…)" },
        "origin_country": { "type": "string", "description": "ISO 3166 alpha-2 or alpha-3" }, "origin_region": s,
        "treatments": { "type": "array", "items": { "type": "object", "required": ["description"], "properties": { "description": s, "chemical": s, "temperature": s, "duration_hours": s, "date": { "type": "string", "format": "date" } } } }
    } });
    let application = json!({ "type": "object", "required": ["office", "consignor", "consignee", "import_country", "lines"], "properties": {
        "kind": { "enum": ["export", "re-export"], "default": "export" },
        "office": { "type": "string", "description": "The issuing customs office (4 digits)" },
        "declaration": { "type": "string", "description": "The export declaration whose inspection and laboratory results the certificate states" },
        "consignor": party, "consignee": party,
        "import_country": { "type": "string", "description": "ISO 3166 alpha-2 or alpha-3, not China" },
        "transit_countries": strings,
        "loading_port_code": { "type": "string", "description": "UN/LOCODE" }, "loading_port": s,
        "unloading_port_code": { "type": "string", "description": "UN/LOCODE of the declared point of entry" }, "unloading_port": s,
        "transport_mode": { "enum": ["1", "2", "3", "4", "5", "6", "8"], "description": "UN/ECE Recommendation 19" },
        "transport_means": s, "voyage": s,
        "containers": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string", "description": "ISO 6346" }, "seals": strings } } },
        "marks": s, "import_permit": s, "additional_declarations": strings,
        "original": { "type": "object", "description": "Re-export only: the original certificate received with the import", "properties": { "number": s, "country": s } },
        "lines": { "type": "array", "minItems": 1, "maxItems": 50, "items": line }
    } });
    let certificate = json!({ "type": "object", "required": ["number", "kind", "status", "exporter", "office", "application"], "properties": {
        "number": { "type": "string", "description": "P + year + office + 7 digits" },
        "kind": { "enum": ["export", "re-export"] },
        "status": { "enum": ["applied", "issued", "refused", "replaced", "withdrawn"] },
        "exporter": s, "exporter_name": s, "office": s, "declaration": { "type": ["string", "null"] },
        "application": { "$ref": "#/components/schemas/PhytoApplication" },
        "document": { "type": ["object", "null"], "description": "What the certificate says (the signed content), once issued: the SPSCertificate's exchanged document and consignment" },
        "signature": { "type": ["object", "null"], "properties": { "key_id": s, "signature": { "type": "string", "contentEncoding": "base64" } } },
        "replaces": { "type": ["string", "null"] }, "replaced_by": { "type": ["string", "null"] },
        "closing": { "type": ["object", "null"], "properties": { "reason": s, "by": s, "at": { "type": "string", "format": "date-time" } } },
        "applied_at": { "type": "string", "format": "date-time" }, "issued_at": { "type": ["string", "null"], "format": "date-time" },
        "verify_url": { "type": "string", "description": "The public page of the document" },
        "timeline": { "type": "array", "items": { "type": "object" } }
    } });
    let received = json!({ "type": "object", "required": ["key", "number", "country", "document", "checks"], "properties": {
        "key": { "type": "string", "description": "COUNTRY/NUMBER" }, "number": s, "country": { "type": "string", "description": "The exporting country, alpha-2" },
        "declaration": { "type": ["string", "null"] },
        "checks": { "type": "array", "items": { "type": "object", "properties": { "check": { "enum": ["import-country", "declaration-import", "hs", "origin"] }, "holds": { "type": "boolean" }, "en": s, "zh": s } } },
        "document": { "type": "object", "description": "The certificate as read" },
        "received_at": { "type": "string", "format": "date-time" }
    } });
    let public = json!({ "type": "object", "required": ["kind", "number", "status", "content", "key_id", "signature"], "properties": {
        "kind": { "enum": ["certificate-of-origin", "phytosanitary-certificate"] },
        "number": s,
        "status": { "enum": ["valid", "replaced", "withdrawn"] },
        "replaced_by": { "type": ["string", "null"] }, "reason": { "type": ["string", "null"] },
        "office": s, "issued_at": { "type": ["string", "null"], "format": "date-time" },
        "content": { "type": "object", "description": "What the document says. The signed bytes are the canonical JSON (keys sorted, no white space) of {kind, number, content}, prefixed `guomen-signature-v1\\0document\\0`" },
        "key_id": s, "signature": { "type": "string", "contentEncoding": "base64", "description": "Ed25519 (RFC 8032)" },
        "signature_valid": { "type": "boolean", "description": "As this server checked it with its public keys" },
        "verify_url": s
    } });
    vec![("PhytoApplication", application), ("PhytoCertificate", certificate), ("PhytoReceived", received), ("PublicDocument", public)]
}
