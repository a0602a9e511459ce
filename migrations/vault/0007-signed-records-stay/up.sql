-- A signed note's content never changes and it is never deleted, nor is an
-- addendum, whatever code asks. What the store records about the signing
-- (signer, time, the hash it computed, the author's name) may replace what
-- this device wrote; and a note whose consult is deleted loses the link
-- (ON DELETE SET NULL), not its content.
DROP TRIGGER note_signed_is_immutable;

CREATE TRIGGER note_signed_is_immutable
BEFORE UPDATE ON note
WHEN OLD.status = 'signed' AND (
    NEW.status IS NOT OLD.status
    OR NEW.sections IS NOT OLD.sections
    OR NEW.client_id IS NOT OLD.client_id
    OR NEW.author_id IS NOT OLD.author_id
    OR NEW.author_role IS NOT OLD.author_role
    OR NEW.template IS NOT OLD.template
    OR NEW.visibility IS NOT OLD.visibility
    OR (NEW.consult_id IS NOT OLD.consult_id AND NEW.consult_id IS NOT NULL)
)
BEGIN
    SELECT RAISE(ABORT, 'a signed note is immutable');
END;

CREATE TRIGGER note_signed_is_never_deleted
BEFORE DELETE ON note
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note is never deleted');
END;

CREATE TRIGGER note_addendum_is_never_deleted
BEFORE DELETE ON note_addendum
BEGIN
    SELECT RAISE(ABORT, 'an addendum is never deleted');
END;
