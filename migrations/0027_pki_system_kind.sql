-- Certificates of information systems (kind 'system'): what another agency's system presents
-- to the data-integration gateway over mutual TLS, and what the gateway serves HTTPS with.
-- 0009 wrote the list of kinds as a CHECK on the column, which SQLite cannot alter in place;
-- a column with its own CHECK can be dropped on both backends, so the column is replaced by
-- one with the longer list. The DEFAULT only fills the new column until the UPDATE below:
-- every insert names its kind.
ALTER TABLE pki_certificates ADD COLUMN kind_v2 TEXT NOT NULL DEFAULT 'external_ca'
  CHECK (kind_v2 IN ('root', 'issuing', 'organisation', 'official', 'tsa', 'external_ca',
                     'system'));
UPDATE pki_certificates SET kind_v2 = kind;
ALTER TABLE pki_certificates DROP COLUMN kind;
ALTER TABLE pki_certificates RENAME COLUMN kind_v2 TO kind;
