-- Enrollment (SPEC §7): one-time tokens IT makes for a practitioner and a
-- device name. The store keeps the SHA-256 of the token's secret, never the
-- secret. A token is used once: `used_at` is set in the transaction that
-- adds the device. Append-only.

CREATE TABLE enrollment_token (
    secret_hash     TEXT PRIMARY KEY NOT NULL,
    practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
    device_id       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
) STRICT;

-- The words of the device's public key (see kluis_protocol::enrollment),
-- for IT to compare with what the device shows. NULL for devices issued
-- before enrollment.
ALTER TABLE device ADD COLUMN key_words TEXT;
