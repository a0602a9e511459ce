-- An access-log chain belongs to the device that started it: another device,
-- even of the same practitioner, cannot add to it or squat its id. Chains
-- already held are bound to the device that uploaded their first entry.
CREATE TABLE audit_chain (
    chain_id    TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES device(id),
    started_at  TEXT NOT NULL
);
INSERT INTO audit_chain (chain_id, device_id, started_at)
    SELECT chain_id, device_id, received_at FROM audit_log WHERE seq = 1;

-- Which encoding each entry's hash uses (kluis_protocol::audit).
ALTER TABLE audit_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
