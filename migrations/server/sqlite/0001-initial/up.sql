-- The central store's first schema (SQLite): who the practitioners are, which
-- devices act for them, and which clients each may see. Records and the
-- change feed come in later migrations. Append-only.

CREATE TABLE practitioner (
    id              TEXT PRIMARY KEY NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('psychologist', 'lifestyle_expert')),
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE device (
    id                  TEXT PRIMARY KEY NOT NULL,
    practitioner_id     TEXT NOT NULL REFERENCES practitioner(id),
    -- SHA-256 of the device certificate's DER, hex.
    cert_fingerprint    TEXT NOT NULL UNIQUE,
    created_at          TEXT NOT NULL,
    revoked_at          TEXT,
    wipe_requested      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE assignment (
    client_id       TEXT NOT NULL,
    practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
    PRIMARY KEY (client_id, practitioner_id)
) STRICT;
