-- How far the store holds this vault's access log (the last uploaded seq).
-- Entries after it are uploaded at the next sync, append-only.
ALTER TABLE sync_state ADD COLUMN audit_uploaded_seq INTEGER NOT NULL DEFAULT 0;
