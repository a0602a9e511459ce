-- The client list sorts by name with COLLATE NOCASE, which this BINARY index
-- cannot serve, so it was never used by a query. It still had to be rewritten
-- on every client save: one more encrypted page per autosave.
DROP INDEX client_by_name;
