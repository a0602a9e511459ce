-- Why a client was erased on this device, sent with the erasure to the
-- store: 'client_request' or 'consent_withdrawn'. NULL where the device
-- applied an erasure the store's feed brought (it does not say why).
ALTER TABLE client_erasure ADD COLUMN reason TEXT
    CHECK (reason IS NULL OR reason IN ('client_request', 'consent_withdrawn', 'retention'));
