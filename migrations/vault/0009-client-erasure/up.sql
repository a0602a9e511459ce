-- Erasure of a client (AVG art. 17, SPEC §6). The vault removes every trace
-- of the client's content; what stays is this row (ids and a time, no
-- content) so that nothing erased is taken in again from a pull, and the
-- access log, which never held content.
CREATE TABLE client_erasure (
    client_id   TEXT PRIMARY KEY NOT NULL,
    erased_at   TEXT NOT NULL,
    -- 1 while the erasure's transaction runs: only then may the rows the
    -- triggers below otherwise protect be deleted.
    erasing     INTEGER NOT NULL DEFAULT 0 CHECK (erasing IN (0, 1))
) STRICT;

-- A signed note and an addendum are never deleted, except by the erasure of
-- their client.
DROP TRIGGER note_signed_is_never_deleted;
CREATE TRIGGER note_signed_is_never_deleted
BEFORE DELETE ON note
WHEN OLD.status = 'signed' AND NOT EXISTS (
    SELECT 1 FROM client_erasure WHERE client_id = OLD.client_id AND erasing = 1
)
BEGIN
    SELECT RAISE(ABORT, 'a signed note is never deleted');
END;

DROP TRIGGER note_addendum_is_never_deleted;
CREATE TRIGGER note_addendum_is_never_deleted
BEFORE DELETE ON note_addendum
WHEN NOT EXISTS (
    SELECT 1 FROM note n JOIN client_erasure e ON e.client_id = n.client_id
    WHERE n.id = OLD.note_id AND e.erasing = 1
)
BEGIN
    SELECT RAISE(ABORT, 'an addendum is never deleted');
END;
