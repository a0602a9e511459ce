-- The clinical record (SPEC §3): consults, session notes with addenda, the
-- NEN 7513 access log and the full-text index. Append-only: later changes go
-- in a new folder, never here.

CREATE TABLE consult (
    id                  TEXT PRIMARY KEY NOT NULL,
    practitioner_id     TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('video', 'phone', 'group_session', 'self_check_in')),
    -- UTC instant; the agenda shows it in Europe/Amsterdam.
    starts_at           TEXT NOT NULL,
    duration_minutes    INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    status              TEXT NOT NULL CHECK (status IN ('planned', 'completed', 'cancelled', 'no_show')),
    -- Occurrences planned together as one recurring series share this id.
    series_id           TEXT,
    link                TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE INDEX consult_by_start ON consult(starts_at);

-- A consult has one client, or several for a group session.
CREATE TABLE consult_client (
    consult_id  TEXT NOT NULL REFERENCES consult(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    PRIMARY KEY (consult_id, client_id)
) STRICT;

CREATE INDEX consult_client_by_client ON consult_client(client_id);

CREATE TABLE note (
    id              TEXT PRIMARY KEY NOT NULL,
    client_id       TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    consult_id      TEXT REFERENCES consult(id) ON DELETE SET NULL,
    author_id       TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    author_role     TEXT NOT NULL CHECK (author_role IN ('psychologist', 'lifestyle_expert')),
    template        TEXT NOT NULL CHECK (template IN ('free', 'soap', 'dap', 'lifestyle_check_in')),
    visibility      TEXT NOT NULL CHECK (visibility IN ('care_team', 'private')),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    -- JSON array of {"key": …, "text": …} in the template's order.
    sections        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    signed_at       TEXT,
    signed_by       TEXT,
    -- SHA-256 over the signed content; a signed note never changes.
    content_hash    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL AND content_hash IS NOT NULL))
) STRICT;

CREATE INDEX note_by_client ON note(client_id, created_at);

-- The database refuses to change a signed note, whatever code asks it to.
CREATE TRIGGER note_signed_is_immutable
BEFORE UPDATE ON note
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note is immutable');
END;

CREATE TABLE note_addendum (
    id              TEXT PRIMARY KEY NOT NULL,
    note_id         TEXT NOT NULL REFERENCES note(id) ON DELETE CASCADE,
    author_id       TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX note_addendum_by_note ON note_addendum(note_id, created_at);

CREATE TRIGGER note_addendum_is_append_only
BEFORE UPDATE ON note_addendum
BEGIN
    SELECT RAISE(ABORT, 'an addendum is append-only');
END;

-- NEN 7513 access log: one row per look into or change of a record, chained by
-- hash so that a removed or altered row is detected (see audit.rs).
CREATE TABLE audit_event (
    seq             INTEGER PRIMARY KEY NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    occurred_at     TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    on_behalf_of    TEXT,
    action          TEXT NOT NULL CHECK (action IN ('create', 'read', 'update', 'delete', 'sign', 'export', 'search', 'print')),
    client_id       TEXT,
    record_part     TEXT NOT NULL,
    record_id       TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('success', 'denied')),
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
) STRICT;

CREATE INDEX audit_event_by_client ON audit_event(client_id, seq);

-- The newest entry's seq and hash, written with every entry: removing the last
-- rows of the chain is then detected too.
CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

-- Full-text search inside the encrypted vault. Contentless: the text lives
-- only in the record tables; "een" finds "één" (remove_diacritics 2), and
-- prefix indexes make "slaa*" fast. An FTS row's rowid is the key of its
-- search_document row, an INTEGER PRIMARY KEY, so VACUUM cannot renumber it.
--
-- The columns the role rules need are copied here, so that filtering the
-- matches reads these short rows and not the note rows, whose pages would
-- each have to be read and decrypted (measured: 10 times slower on 100,000
-- notes for a word that is in every note).
CREATE TABLE search_document (
    key         INTEGER PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('client', 'note')),
    record_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    -- For notes: the author, visibility and status of the note.
    author_id   TEXT,
    visibility  TEXT,
    status      TEXT,
    UNIQUE (kind, record_id)
) STRICT;

CREATE VIRTUAL TABLE search_index USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5'
);

-- Where the practitioner was when the vault locked, so work resumes there.
CREATE TABLE workspace_state (
    key     TEXT PRIMARY KEY NOT NULL,
    value   TEXT NOT NULL
) STRICT;
