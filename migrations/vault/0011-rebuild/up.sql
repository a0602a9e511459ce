-- Rebuilding from the store (SPEC §5, §6): a device away longer than the
-- store keeps tombstones pulls the whole feed again and then lets go of
-- every record the store no longer holds. While it does, `sync_rebuild`
-- has its row and `sync_rebuild_seen` names what the feed brought; both
-- survive a crash, so a rebuild cut short goes on at the next round.
CREATE TABLE sync_rebuild (
    singleton   INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    started_at  TEXT NOT NULL
) STRICT;

CREATE TABLE sync_rebuild_seen (
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
) STRICT;
