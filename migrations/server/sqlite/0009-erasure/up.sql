-- Erasure of a client (AVG art. 17, SPEC §6). The records themselves become
-- tombstones without content in the record table; these tables say which
-- client was erased, when, at whose request and where in the feed, and which
-- devices have applied it ("erased on N of M devices"). No content.
-- Append-only.

CREATE TABLE erasure (
    client_id       TEXT PRIMARY KEY NOT NULL,
    erased_at       TEXT NOT NULL,
    practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
    device_id       TEXT NOT NULL REFERENCES device(id),
    -- The feed position of the client's tombstone: a device whose pull cursor
    -- has passed it has applied the erasure.
    seq             INTEGER NOT NULL
) STRICT;

-- The devices that held the client when it was erased (the active devices
-- of its care team), and when each applied the erasure.
CREATE TABLE erasure_device (
    client_id       TEXT NOT NULL REFERENCES erasure(client_id),
    device_id       TEXT NOT NULL REFERENCES device(id),
    acknowledged_at TEXT,
    PRIMARY KEY (client_id, device_id)
) STRICT;

CREATE INDEX erasure_device_waiting ON erasure_device (device_id, acknowledged_at);
