-- Records and their change feed. A record's `seq` is the feed position of its
-- latest change (a store-wide counter), so the feed is the record table read
-- in seq order: each record once, as it is now, tombstones included.

CREATE TABLE record (
    kind        TEXT NOT NULL CHECK (kind IN ('client', 'consult', 'note', 'addendum')),
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    seq         INTEGER NOT NULL UNIQUE,
    deleted     INTEGER NOT NULL DEFAULT 0,
    -- Who may see a note or an addendum: the note's author, its visibility and
    -- status (an addendum carries its note's). NULL for clients and consults.
    owner_id    TEXT,
    visibility  TEXT,
    status      TEXT,
    -- The record as it travels (kluis-protocol JSON); NULL for a tombstone.
    body        TEXT,
    PRIMARY KEY (kind, id)
) STRICT;

-- The clients a record belongs to: what assignments are checked against.
CREATE TABLE record_client (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    PRIMARY KEY (kind, id, client_id),
    FOREIGN KEY (kind, id) REFERENCES record(kind, id)
) STRICT;

CREATE INDEX record_client_by_client ON record_client(client_id);

-- Operation ids already applied: a replayed push changes nothing.
CREATE TABLE applied_operation (
    op_id       TEXT PRIMARY KEY NOT NULL,
    device_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    applied_at  TEXT NOT NULL
) STRICT;

CREATE TABLE feed_counter (
    singleton   INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    seq         INTEGER NOT NULL
) STRICT;

INSERT INTO feed_counter (singleton, seq) VALUES (1, 0);
