-- The journal as a transparency log (RFC 6962). `journal_tree` holds the hash of every complete
-- subtree of the Merkle tree above the leaves: (level, idx) covers the entries
-- idx·2^level + 1 … (idx+1)·2^level. A leaf (level 0) is SHA-256(0x00 ‖ the entry's hash), made
-- from `journal.hash` and not stored twice. The writer adds the subtrees an entry completes in the
-- entry's own transaction; a journal written before this table existed gets its tree built when
-- the store opens. Hashes are lowercase hex.
CREATE TABLE journal_tree (
    level BIGINT NOT NULL,
    idx BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, idx)
) /*sqlite: WITHOUT ROWID*/;

-- Signed checkpoints of the tree: its size, its root, when and with which journal key it was
-- signed, and the Ed25519 signature (base64) over the canonical JSON of the four.
CREATE TABLE journal_checkpoints (
    tree_size BIGINT PRIMARY KEY,
    root_hash TEXT NOT NULL,
    signed_at_ms BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
);
