-- The access logs (NEN 7513) the devices upload: one hash chain per vault,
-- kept at least five years. Append-only: the triggers refuse every change and
-- removal, so a mistake in the store cannot rewrite history either.
CREATE TABLE audit_log (
    chain_id        TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    id              TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    on_behalf_of    TEXT,
    action          TEXT NOT NULL,
    client_id       TEXT,
    record_part     TEXT NOT NULL,
    record_id       TEXT,
    outcome         TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL,
    -- The enrolled device that uploaded the entry, and when.
    device_id       TEXT NOT NULL REFERENCES device(id),
    received_at     TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq)
) STRICT;

CREATE INDEX audit_log_by_client ON audit_log(client_id, occurred_at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
