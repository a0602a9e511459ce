-- A pull from the start of the feed takes several pages, and their cursors
-- can lie below the tombstone horizon: the device missed nothing, since it
-- began after the tombstones were gone. The store notes the horizon in force
-- when a device began such a pull; a cursor below the horizon is taken from
-- it while the horizon has not moved since (see `horizon`).
CREATE TABLE device_full_pull (
    device_id   TEXT PRIMARY KEY NOT NULL REFERENCES device(id),
    horizon     BIGINT NOT NULL
);
