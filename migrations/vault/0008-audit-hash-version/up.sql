-- Which encoding an access-log entry's hash uses (kluis_protocol::audit):
-- entries written before this migration are version 1 and keep verifying as
-- such; new entries are written as version 2.
ALTER TABLE audit_event ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
