-- Consent withdrawal and the privacy log (SPEC §6): the day the client
-- withdrew consent to process health data (a withdrawn consent restricts
-- the record), and every privacy decision about the client with its date,
-- as JSON (kluis_protocol::records::PrivacyEvent), oldest first.
ALTER TABLE client ADD COLUMN health_data_consent_withdrawn TEXT;
ALTER TABLE client ADD COLUMN privacy_log TEXT NOT NULL DEFAULT '[]';
