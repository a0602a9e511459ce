-- Records and their change feed; see migrations/server/sqlite/0002-records.
-- The single feed_counter row is locked by every writer until it commits, so
-- feed positions are handed out in commit order and a reader never sees a
-- gap fill in behind its cursor.

CREATE TABLE record (
    kind        TEXT NOT NULL CHECK (kind IN ('client', 'consult', 'note', 'addendum')),
    id          TEXT NOT NULL,
    version     BIGINT NOT NULL,
    seq         BIGINT NOT NULL UNIQUE,
    deleted     BOOLEAN NOT NULL DEFAULT FALSE,
    owner_id    TEXT,
    visibility  TEXT,
    status      TEXT,
    body        TEXT,
    PRIMARY KEY (kind, id)
);

CREATE TABLE record_client (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    PRIMARY KEY (kind, id, client_id),
    FOREIGN KEY (kind, id) REFERENCES record(kind, id)
);

CREATE INDEX record_client_by_client ON record_client(client_id);

CREATE TABLE applied_operation (
    op_id       TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    applied_at  TEXT NOT NULL
);

CREATE TABLE feed_counter (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    seq         BIGINT NOT NULL
);

INSERT INTO feed_counter (singleton, seq) VALUES (1, 0);
