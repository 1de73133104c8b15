-- The web console: sessions, sign-in failures and lock-outs; the officer's work queue; and the
-- rollups the dashboard and the risk analyst read, kept by the writer in the same transaction
-- as the declarations they count (see src/console/views.rs).
CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    enterprise TEXT,
    csrf TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at_ms);

CREATE TABLE signin_failures (
    username TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX signin_failures_user ON signin_failures (username, at_ms);

CREATE TABLE signin_lockouts (
    username TEXT PRIMARY KEY,
    until_ms BIGINT NOT NULL
);

CREATE TABLE officer_queue (
    id TEXT PRIMARY KEY,
    lane TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_at_ms BIGINT NOT NULL,
    trade_code TEXT NOT NULL,
    bill_no TEXT NOT NULL,
    customs_master TEXT NOT NULL,
    ie_flag TEXT NOT NULL,
    priority TEXT,
    items BIGINT NOT NULL
);
CREATE INDEX officer_queue_age ON officer_queue (filed_at_ms, id);
CREATE INDEX officer_queue_lane ON officer_queue (lane, filed_at_ms, id);

CREATE TABLE rollup_clearance (
    day TEXT NOT NULL,
    office TEXT NOT NULL,
    ie_flag TEXT NOT NULL,
    declared BIGINT NOT NULL,
    green BIGINT NOT NULL,
    blue BIGINT NOT NULL,
    yellow BIGINT NOT NULL,
    red BIGINT NOT NULL,
    inspected BIGINT NOT NULL,
    non_conforming BIGINT NOT NULL,
    released BIGINT NOT NULL,
    released_instantly BIGINT NOT NULL,
    pre_released BIGINT NOT NULL,
    timed BIGINT NOT NULL,
    arrival_ms BIGINT NOT NULL,
    decision_ms BIGINT NOT NULL,
    inspection_ms BIGINT NOT NULL,
    release_ms BIGINT NOT NULL,
    limits_due BIGINT NOT NULL,
    limits_met BIGINT NOT NULL,
    PRIMARY KEY (day, office, ie_flag)
);

CREATE TABLE rollup_criteria (
    day TEXT NOT NULL,
    criterion TEXT NOT NULL,
    hits BIGINT NOT NULL,
    selections BIGINT NOT NULL,
    detections BIGINT NOT NULL,
    PRIMARY KEY (day, criterion)
);

-- 'views' = 1 once the queue and rollups cover every declaration (built at start-up for
-- declarations stored before this migration).
CREATE TABLE console_state (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
