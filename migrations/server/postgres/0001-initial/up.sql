-- The central store's first schema (PostgreSQL): practitioners, their devices
-- and client assignments. Mirrors migrations/server/sqlite. Append-only.

CREATE TABLE practitioner (
    id              TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('psychologist', 'lifestyle_expert')),
    created_at      TEXT NOT NULL
);

CREATE TABLE device (
    id                  TEXT PRIMARY KEY,
    practitioner_id     TEXT NOT NULL REFERENCES practitioner(id),
    cert_fingerprint    TEXT NOT NULL UNIQUE,
    created_at          TEXT NOT NULL,
    revoked_at          TEXT,
    wipe_requested      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE assignment (
    client_id       TEXT NOT NULL,
    practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
    PRIMARY KEY (client_id, practitioner_id)
);
