-- 植物检疫证书: phytosanitary certificates Guomen issues (from the exporter's application to the
-- signed certificate, its replacement or withdrawal) and those it receives for imports, linked to
-- their declaration. The whole record is in `doc`; the columns are what lists and look-ups read
-- (see src/phyto/). Every change is also an event in the journal (streams `phyto:NUMBER` and
-- `phyto-received:COUNTRY/NUMBER`).
CREATE TABLE phyto_certificates (
    number TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    office TEXT NOT NULL,
    exporter TEXT NOT NULL,
    declaration_id TEXT,
    status TEXT NOT NULL,
    replaces TEXT,
    replaced_by TEXT,
    applied_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    issued_at_ms BIGINT,
    doc TEXT NOT NULL
);
CREATE INDEX phyto_certificates_exporter ON phyto_certificates (exporter, applied_at_ms);
CREATE INDEX phyto_certificates_status ON phyto_certificates (status, updated_at_ms);
CREATE INDEX phyto_certificates_applied ON phyto_certificates (applied_at_ms, number);

CREATE TABLE phyto_received (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    country TEXT NOT NULL,
    declaration_id TEXT,
    received_at_ms BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX phyto_received_declaration ON phyto_received (declaration_id);
CREATE INDEX phyto_received_number ON phyto_received (number);
CREATE INDEX phyto_received_at ON phyto_received (received_at_ms, id);
