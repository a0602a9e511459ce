-- The device's life as IT sees it (SPEC §7): when the store last heard from
-- it and which managed policy it runs, when it said it erased itself, and a
-- history of what happened to it (wipe asked, receipt, revocation).
-- Append-only.

-- UTC, RFC 3339; written at most once a minute per device.
ALTER TABLE device ADD COLUMN last_contact_at TEXT;
-- SHA-256 (hex) of the effective policy the device reported last.
ALTER TABLE device ADD COLUMN policy_hash TEXT;
-- When the device reported it erased itself (its receipt's time).
ALTER TABLE device ADD COLUMN wiped_at TEXT;

CREATE TABLE device_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT NOT NULL REFERENCES device(id),
    occurred_at TEXT NOT NULL,
    -- wipe_requested, wipe_receipt, wipe_claim, revoked
    kind        TEXT NOT NULL,
    -- For a receipt: the report as the device sent it (no content: a device
    -- id, a time, a reason and a signature).
    detail      TEXT NOT NULL
) STRICT;

CREATE INDEX device_event_by_device ON device_event (device_id, id);
