-- The uploaded access logs; see migrations/server/sqlite/0004-audit-log.
CREATE TABLE audit_log (
    chain_id        TEXT NOT NULL,
    seq             BIGINT NOT NULL,
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
    device_id       TEXT NOT NULL REFERENCES device(id),
    received_at     TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq)
);

CREATE INDEX audit_log_by_client ON audit_log(client_id, occurred_at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
