-- The tombstone horizon (SPEC §5, §6): the store keeps the tombstones of
-- deleted and erased records for a while, then removes them. A device whose
-- cursor is from before the newest removed tombstone missed one, and is
-- told to rebuild from the store instead of pulling on.
--
-- `feed_mark` notes where the feed stood each day, so that "tombstones
-- older than N days" is a feed position; `feed_horizon` is how far
-- tombstones have been removed.
CREATE TABLE feed_mark (
    marked_at   TEXT PRIMARY KEY NOT NULL,
    seq         INTEGER NOT NULL
) STRICT;

CREATE TABLE feed_horizon (
    singleton       INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    pruned_through  INTEGER NOT NULL,
    pruned_at       TEXT
) STRICT;

INSERT INTO feed_horizon (singleton, pruned_through) VALUES (1, 0);
