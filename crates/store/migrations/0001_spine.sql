-- The clearance spine: journal, views, outbox. Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE journal (
    seq BIGINT PRIMARY KEY,
    stream TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX journal_stream ON journal (stream, seq);

CREATE TABLE enterprises (
    code TEXT PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    grade TEXT NOT NULL,
    site_code TEXT UNIQUE,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    enterprise TEXT,
    password_hash TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    enterprise TEXT,
    label TEXT,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE rulesets (
    version BIGINT PRIMARY KEY,
    doc TEXT NOT NULL,
    changed TEXT NOT NULL,
    reason TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at_ms BIGINT NOT NULL
);

CREATE TABLE declarations (
    id TEXT PRIMARY KEY,
    filed_by TEXT NOT NULL,
    trade_code TEXT NOT NULL,
    owner_code TEXT,
    agent_code TEXT,
    terminal TEXT,
    status TEXT NOT NULL,
    lane TEXT NOT NULL,
    ie_flag TEXT NOT NULL,
    mode TEXT NOT NULL,
    customs_master TEXT NOT NULL,
    bill_no TEXT NOT NULL,
    filed_at_ms BIGINT NOT NULL,
    arrived_at_ms BIGINT,
    released_at_ms BIGINT,
    completion_due TEXT,
    completed_at_ms BIGINT,
    updated_at_ms BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX declarations_trade ON declarations (trade_code, filed_at_ms);
CREATE INDEX declarations_filed_by ON declarations (filed_by, filed_at_ms);
CREATE INDEX declarations_agent ON declarations (agent_code, filed_at_ms);
CREATE INDEX declarations_owner ON declarations (owner_code, filed_at_ms);
CREATE INDEX declarations_status ON declarations (status, filed_at_ms);
CREATE INDEX declarations_terminal ON declarations (terminal, status);
CREATE INDEX declarations_bill ON declarations (bill_no);
CREATE INDEX declarations_filed_at ON declarations (filed_at_ms);

CREATE TABLE risk_hits (
    declaration_id TEXT NOT NULL,
    criterion TEXT NOT NULL,
    revision BIGINT NOT NULL,
    ruleset_version BIGINT NOT NULL,
    lane TEXT NOT NULL,
    selected BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (declaration_id, criterion)
);
CREATE INDEX risk_hits_criterion ON risk_hits (criterion, at_ms);

CREATE TABLE outbox (
    id BIGINT PRIMARY KEY,
    event_seq BIGINT NOT NULL,
    stream TEXT NOT NULL,
    recipient TEXT NOT NULL,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX outbox_recipient ON outbox (recipient, id);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    enterprise TEXT,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE deliveries (
    outbox_id BIGINT NOT NULL,
    subscription_id TEXT NOT NULL,
    stream TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    last_error TEXT,
    delivered_at_ms BIGINT,
    PRIMARY KEY (outbox_id, subscription_id)
);
CREATE INDEX deliveries_pending ON deliveries (state, outbox_id);
CREATE INDEX deliveries_queue ON deliveries (subscription_id, stream, state, outbox_id);

CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    record_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
