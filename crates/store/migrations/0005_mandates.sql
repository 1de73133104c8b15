-- 委托: mandates enterprises give agents (customs brokers) to declare in their name. The whole
-- record is in `doc`; the columns are what lists and the writer's start-up read (see
-- src/mandate/). Every change is also an event in the journal (stream `mandate:ID`).
CREATE TABLE mandates (
    id TEXT PRIMARY KEY,
    consignor TEXT NOT NULL,
    agent TEXT NOT NULL,
    scopes TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    granted_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT,
    doc TEXT NOT NULL
);
CREATE INDEX mandates_consignor ON mandates (consignor, granted_at_ms);
CREATE INDEX mandates_agent ON mandates (agent, granted_at_ms);
CREATE INDEX mandates_granted ON mandates (granted_at_ms, id);
