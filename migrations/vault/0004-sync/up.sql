-- Offline-first sync (SPEC §5). Every local change writes an outbox entry in
-- the same transaction as the change; the entry names the record, and the
-- record's state at push time is what is sent. Append-only.

CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Made here, sent with the operation: the store applies it once.
    op_id       TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('client', 'consult', 'note', 'addendum')),
    record_id   TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('upsert', 'delete')),
    created_at  TEXT NOT NULL,
    -- Set before the entry is first sent: from then on it is sent as it is,
    -- with its own op_id, so a replay after a crash is recognised.
    attempted_at TEXT
) STRICT;

CREATE INDEX outbox_by_record ON outbox(kind, record_id, seq);

-- The store's version of each record this device has, and that version's
-- body, the base for merging a conflicting edit field by field.
CREATE TABLE sync_record (
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    server_version  INTEGER NOT NULL,
    base_body       TEXT,
    PRIMARY KEY (kind, record_id)
) STRICT;

CREATE TABLE sync_state (
    singleton       INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    cursor          INTEGER NOT NULL,
    last_success_at TEXT
) STRICT;

INSERT INTO sync_state (singleton, cursor) VALUES (1, 0);

-- A change the store did not take: a conflict (edited here and elsewhere; the
-- local version is kept here, the store's arrives with the next pull) or a
-- refusal (`reason` holds the store's error code). Shown to the author.
CREATE TABLE sync_conflict (
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    local_body      TEXT,
    server_version  INTEGER,
    reason          TEXT,
    detected_at     TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
) STRICT;
