-- The one-stop system and the national databases (issue 17, "the first real consumers").
--
-- The applicant's identity as the population database found it, checked at submission through
-- the gateway: 'matches', 'differs' (identity_differing lists the fields: "name", "birth_date"),
-- 'not_found', or 'unchecked' when the database could not be reached (identity_error keeps why,
-- and the housekeeping checks again at identity_next_check_at). NULL: not checked (a business,
-- or no population database connected).
ALTER TABLE dossiers ADD COLUMN identity_check TEXT;
ALTER TABLE dossiers ADD COLUMN identity_differing TEXT;
ALTER TABLE dossiers ADD COLUMN identity_checked_at BIGINT;
ALTER TABLE dossiers ADD COLUMN identity_error TEXT;
ALTER TABLE dossiers ADD COLUMN identity_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN identity_next_check_at BIGINT;
CREATE INDEX dossiers_identity_due ON dossiers (identity_check, identity_next_check_at);

-- A dossier handed to another system that registers it (the civil registry: hộ tịch), sent
-- through the outbox in the accepting transaction, and its progress there as last polled:
-- status 0 (none heard yet), 1 received, 2 needs a supplement, 3 eligible, 4 registered (final).
-- Polled at most once per dossier per interval (next_poll_at), in batches.
CREATE TABLE dossier_external_cases (
  dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
  system TEXT NOT NULL,              -- the gateway service: 'hotich'
  kind TEXT NOT NULL,                -- 'KS', 'KH', 'KT'
  unit_code TEXT NOT NULL,           -- maDonVi: the registering agency's code
  case_code TEXT NOT NULL,           -- maHoSo: the dossier's code
  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),
  note TEXT NOT NULL DEFAULT '',
  final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
  polls INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  polled_at BIGINT,
  next_poll_at BIGINT NOT NULL,
  PRIMARY KEY (dossier_id, system)
);
CREATE INDEX dossier_external_cases_due ON dossier_external_cases (system, final, next_poll_at);
