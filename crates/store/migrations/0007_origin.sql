-- 原产地证书: certificates of origin, from the application through the intelligent review and
-- the officer's decision to issue. The whole record is in `doc`; the columns are what lists, the
-- officer's queue and the exporter's history read (see src/origin/). Every change is also an
-- event in the journal (stream `origin:NUMBER`).
CREATE TABLE origin_certificates (
    number TEXT PRIMARY KEY,
    exporter TEXT NOT NULL,
    agreement TEXT NOT NULL,
    importing_country TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    finding BIGINT NOT NULL,
    applied_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    issued_at_ms BIGINT,
    doc TEXT NOT NULL
);
CREATE INDEX origin_certificates_exporter ON origin_certificates (exporter, applied_at_ms);
CREATE INDEX origin_certificates_status ON origin_certificates (status, updated_at_ms);
CREATE INDEX origin_certificates_applied ON origin_certificates (applied_at_ms, number);
