-- Erasures the store makes itself (the retention job, SPEC §6) have no
-- practitioner and no device, and every erasure says why it was made:
-- 'client_request' (the client asked, AVG art. 17), 'consent_withdrawn'
-- (the client withdrew consent and asked for erasure), 'retention' (the
-- store's retention rule).

ALTER TABLE erasure ALTER COLUMN practitioner_id DROP NOT NULL;
ALTER TABLE erasure ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE erasure ADD COLUMN reason TEXT NOT NULL DEFAULT 'client_request'
    CHECK (reason IN ('client_request', 'consent_withdrawn', 'retention'));
-- Who made the erasure is known for all but the store's own.
ALTER TABLE erasure ADD CONSTRAINT erasure_maker
    CHECK ((reason = 'retention') = (practitioner_id IS NULL AND device_id IS NULL));
