-- The serial number of each device certificate, for the revocation list
-- (CRL) the TLS handshake checks. Hex; NULL for devices enrolled before.
ALTER TABLE device ADD COLUMN cert_serial TEXT;
