-- How this device reaches the central store: the store's address, the
-- provider's CA, and the device's certificate and private key. The key lives
-- here, inside the encrypted vault, and nowhere else on the device (SPEC §7).
CREATE TABLE sync_identity (
    singleton       INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    server_url      TEXT NOT NULL,
    ca_pem          TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    key_pem         TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
