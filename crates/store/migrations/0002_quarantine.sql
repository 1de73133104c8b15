-- Inspection and quarantine: permits, samples, field surveys, appointments, remote inspection,
-- and the declaration columns the officer queue and the figures need.
ALTER TABLE declarations ADD COLUMN priority TEXT;
ALTER TABLE declarations ADD COLUMN quarantine BIGINT NOT NULL DEFAULT 0;
ALTER TABLE declarations ADD COLUMN pre_released_at_ms BIGINT;
ALTER TABLE declarations ADD COLUMN disposition_deadline TEXT;
ALTER TABLE declarations ADD COLUMN disposition_done_at_ms BIGINT;
CREATE INDEX declarations_quarantine ON declarations (quarantine, filed_at_ms);

CREATE TABLE permits (
    id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    issued_at_ms BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX permits_holder ON permits (holder);

CREATE TABLE samples (
    id TEXT PRIMARY KEY,
    declaration_id TEXT NOT NULL,
    lab TEXT NOT NULL,
    status TEXT NOT NULL,
    conclusion TEXT,
    ordered_at_ms BIGINT NOT NULL,
    published_at_ms BIGINT,
    doc TEXT NOT NULL
);
CREATE INDEX samples_declaration ON samples (declaration_id);
CREATE INDEX samples_lab ON samples (lab, status);

CREATE TABLE survey_plans (
    id TEXT PRIMARY KEY,
    declaration_id TEXT NOT NULL,
    holder TEXT NOT NULL,
    season TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX survey_plans_holder ON survey_plans (holder);

CREATE TABLE schedules (
    site_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    hours TEXT NOT NULL,
    PRIMARY KEY (site_code, kind)
);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    site_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX appointments_slot ON appointments (site_code, kind, start_ms, status);
CREATE INDEX appointments_enterprise ON appointments (enterprise, start_ms);

CREATE TABLE remote_inspections (
    id TEXT PRIMARY KEY,
    declaration_id TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX remote_inspections_declaration ON remote_inspections (declaration_id);
