-- Erasures the store makes itself (the retention job, SPEC §6) have no
-- practitioner and no device, and every erasure says why it was made:
-- 'client_request' (the client asked, AVG art. 17), 'consent_withdrawn'
-- (the client withdrew consent and asked for erasure), 'retention' (the
-- store's retention rule). SQLite cannot drop NOT NULL in place, so both
-- erasure tables are rebuilt: the new ones are made beside the old, the
-- rows copied, the old dropped (the child first, so no foreign key breaks)
-- and the new renamed (which carries the child's reference along).

CREATE TABLE erasure_rebuilt (
    client_id       TEXT PRIMARY KEY NOT NULL,
    erased_at       TEXT NOT NULL,
    practitioner_id TEXT REFERENCES practitioner(id),
    device_id       TEXT REFERENCES device(id),
    seq             INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT 'client_request'
                    CHECK (reason IN ('client_request', 'consent_withdrawn', 'retention')),
    -- Who made the erasure is known for all but the store's own.
    CHECK ((reason = 'retention') = (practitioner_id IS NULL AND device_id IS NULL))
) STRICT;

INSERT INTO erasure_rebuilt (client_id, erased_at, practitioner_id, device_id, seq)
    SELECT client_id, erased_at, practitioner_id, device_id, seq FROM erasure;

CREATE TABLE erasure_device_rebuilt (
    client_id       TEXT NOT NULL REFERENCES erasure_rebuilt(client_id),
    device_id       TEXT NOT NULL REFERENCES device(id),
    acknowledged_at TEXT,
    PRIMARY KEY (client_id, device_id)
) STRICT;

INSERT INTO erasure_device_rebuilt (client_id, device_id, acknowledged_at)
    SELECT client_id, device_id, acknowledged_at FROM erasure_device;

DROP TABLE erasure_device;
DROP TABLE erasure;
ALTER TABLE erasure_rebuilt RENAME TO erasure;
ALTER TABLE erasure_device_rebuilt RENAME TO erasure_device;
CREATE INDEX erasure_device_waiting ON erasure_device (device_id, acknowledged_at);
