-- API tokens expire, can be revoked and remember when they were last used; sign-in failures and
-- lock-outs are kept per username and client address; buyers' names (as fingerprints) are kept
-- beside their identity so a quota pre-check can require both.
--
-- Tokens issued before this migration expire 90 days after it (not after their issue, which
-- would stop long-lived integrations without warning).
ALTER TABLE tokens ADD COLUMN expires_at_ms BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_at_ms BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_by TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at_ms BIGINT;
UPDATE tokens SET expires_at_ms = /*sqlite: CAST(strftime('%s', 'now') AS INTEGER) * 1000*/ /*postgres: CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)*/ + 7776000000 WHERE expires_at_ms IS NULL;
CREATE INDEX tokens_enterprise ON tokens (enterprise, created_at_ms);

-- A lock-out lasts 15 minutes: those in force when upgrading are let go.
DROP TABLE signin_failures;
DROP TABLE signin_lockouts;
CREATE TABLE signin_failures (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX signin_failures_user ON signin_failures (username, client, at_ms);
CREATE TABLE signin_lockouts (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    until_ms BIGINT NOT NULL,
    PRIMARY KEY (username, client)
);

-- (buyer identity key, fingerprint of a name it was used with on an accepted or held list).
CREATE TABLE ceb_buyer_names (
    buyer TEXT NOT NULL,
    name_fp BIGINT NOT NULL,
    PRIMARY KEY (buyer, name_fp)
) /*sqlite: WITHOUT ROWID*/;
-- Filled at start-up from the inventory lists stored before this migration.
INSERT INTO console_state (name, value) SELECT 'ceb_buyer_names', 0 WHERE EXISTS (SELECT 1 FROM ceb_inventories);
