-- The first vault schema: who owns this vault and the clients they care for.
-- Append-only: later changes go in a new folder, never here.

CREATE TABLE practitioner (
    id              TEXT PRIMARY KEY NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('psychologist', 'lifestyle_expert')),
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE client (
    id                              TEXT PRIMARY KEY NOT NULL,
    client_code                     TEXT NOT NULL UNIQUE,
    first_name                      TEXT NOT NULL,
    last_name                       TEXT,
    email                           TEXT NOT NULL,
    birth_year                      INTEGER NOT NULL,
    phone                           TEXT NOT NULL,
    employer                        TEXT,
    care_start                      TEXT NOT NULL,
    care_end                        TEXT,
    remarks                         TEXT NOT NULL DEFAULT '',
    health_data_consent_date        TEXT NOT NULL,
    employer_reporting_opt_in       INTEGER NOT NULL DEFAULT 0,
    employer_reporting_date         TEXT,
    restricted                      INTEGER NOT NULL DEFAULT 0,
    created_at                      TEXT NOT NULL,
    updated_at                      TEXT NOT NULL,
    version                         INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE client_assignment (
    client_id       TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    practitioner_id TEXT NOT NULL,
    PRIMARY KEY (client_id, practitioner_id)
) STRICT;

CREATE INDEX client_by_name ON client(last_name, first_name);
