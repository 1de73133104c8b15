-- Cross-border e-commerce: every CEB message answered (so a re-sent message gets the same
-- answer), every document key ever received (order, payment, waybill; where one stands is
-- read from its journal stream), inventory lists,
-- buyers' annual quota ledgers and general guarantees. Documents' contents live in the journal
-- entry `seq` points to; an inventory list's record is rebuilt from the entries of its stream
-- from `received_seq` on (the row holds what lists and checks need). Money is decimal text.
CREATE TABLE ceb_messages (
    kind TEXT NOT NULL,
    guid TEXT NOT NULL,
    sender TEXT NOT NULL,
    answer TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (kind, guid)
) /*sqlite: WITHOUT ROWID*/;

CREATE TABLE ceb_documents (
    kind TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (kind, doc_key)
) /*sqlite: WITHOUT ROWID*/;

CREATE TABLE ceb_inventories (
    id TEXT PRIMARY KEY,
    ebp_code TEXT NOT NULL,
    order_no TEXT NOT NULL,
    logistics_code TEXT NOT NULL,
    logistics_no TEXT NOT NULL,
    buyer TEXT NOT NULL,
    sender TEXT NOT NULL,
    ebc_code TEXT NOT NULL,
    status TEXT NOT NULL,
    return_status TEXT NOT NULL,
    lane TEXT,
    value TEXT NOT NULL,
    tax TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    address_fp BIGINT NOT NULL,
    phone_fp BIGINT NOT NULL,
    tax_state TEXT NOT NULL,
    received_seq BIGINT NOT NULL
);
CREATE INDEX ceb_inventories_order ON ceb_inventories (order_no);
CREATE INDEX ceb_inventories_logistics ON ceb_inventories (logistics_no);
CREATE INDEX ceb_inventories_received ON ceb_inventories (received_at_ms);
CREATE INDEX ceb_inventories_open ON ceb_inventories (status, updated_at_ms) WHERE status IN ('waiting', 'manual-review', 'inspection', 'detained');

CREATE TABLE ceb_quota (
    buyer TEXT NOT NULL,
    year BIGINT NOT NULL,
    reserved TEXT NOT NULL,
    used TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (buyer, year)
) /*sqlite: WITHOUT ROWID*/;

CREATE TABLE ceb_guarantees (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    amount TEXT NOT NULL,
    reserved TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
