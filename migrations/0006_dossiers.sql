-- Dossiers (src/dossiers). Times are UTC seconds; statuses are the DVCQG codes 1..10.
CREATE TABLE dossiers (
  id {{id}},
  code TEXT UNIQUE,                      -- <agency code>-<YYMMDD>-<XXXX>; NULL until accepted
  lookup_secret TEXT NOT NULL,           -- printed on the receipt, with the code
  procedure_code TEXT NOT NULL,
  procedure_version BIGINT NOT NULL,
  channel INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),
  status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
  applicant_kind INTEGER NOT NULL,
  applicant_name TEXT NOT NULL,
  applicant_id_number TEXT NOT NULL,
  applicant_phone TEXT NOT NULL,
  applicant_email TEXT NOT NULL,
  applicant_address TEXT NOT NULL,
  applicant_user_id BIGINT,              -- the account that submitted online
  submit_key TEXT UNIQUE,                -- "<submitter>:<idempotency key>"
  submit_hash TEXT,                      -- SHA-256 of the request, to refuse a reused key
  receiving_agency_id BIGINT NOT NULL REFERENCES agencies (id),
  competent_agency_id BIGINT NOT NULL REFERENCES agencies (id),
  current_agency_id BIGINT NOT NULL REFERENCES agencies (id),
  locality_agency_id BIGINT REFERENCES agencies (id),
  step_index INTEGER NOT NULL,
  step_code TEXT NOT NULL,
  step_started_at BIGINT,
  step_due_at BIGINT,
  assignee_id BIGINT,
  summary TEXT NOT NULL,
  form TEXT NOT NULL,
  submitted_at BIGINT NOT NULL,
  received_at BIGINT,
  due_at BIGINT,
  original_due_at BIGINT,
  finished_at BIGINT,
  returned_at BIGINT,
  paused_at BIGINT,
  supplement_count INTEGER NOT NULL DEFAULT 0,
  apology_issued INTEGER NOT NULL DEFAULT 0 CHECK (apology_issued IN (0, 1)),
  fee_total BIGINT NOT NULL DEFAULT 0,
  paid_online INTEGER NOT NULL DEFAULT 0 CHECK (paid_online IN (0, 1)),
  rating INTEGER,
  rating_comment TEXT,
  return_method TEXT,
  outcome TEXT,                          -- early / on_time / late once processing ended
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX dossiers_current ON dossiers (current_agency_id, status, due_at);
CREATE INDEX dossiers_receiving ON dossiers (receiving_agency_id, received_at);
CREATE INDEX dossiers_applicant ON dossiers (applicant_user_id, submitted_at);
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_procedure ON dossiers (procedure_code, received_at);

-- Per-agency daily sequence of dossier codes: incremented in the accepting transaction, so a
-- rolled-back acceptance gives its number back and codes never skip or repeat.
CREATE TABLE dossier_sequences (
  agency_id BIGINT NOT NULL,
  day INTEGER NOT NULL,                  -- YYMMDD, local date
  last_value INTEGER NOT NULL,
  PRIMARY KEY (agency_id, day)
);

-- The timeline (QuaTrinhXuLy), kept forever.
CREATE TABLE dossier_events (
  id {{id}},
  dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_position TEXT NOT NULL,
  agency_id BIGINT,
  content TEXT NOT NULL,
  status INTEGER NOT NULL,
  step_code TEXT NOT NULL,
  step_started_at BIGINT,
  step_due_at BIGINT,
  data TEXT NOT NULL,
  UNIQUE (dossier_id, seq)
);

CREATE TABLE dossier_files (
  id {{id}},
  dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
  kind TEXT NOT NULL,                    -- component / supplement / result
  component TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content {{blob}} NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id, id);

-- Consultations (xin ý kiến) with their own deadlines.
CREATE TABLE dossier_consultations (
  id {{id}},
  dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  question TEXT NOT NULL,
  asked_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  answered_at BIGINT,
  answer TEXT
);
CREATE INDEX dossier_consultations_dossier ON dossier_consultations (dossier_id);
CREATE INDEX dossier_consultations_agency ON dossier_consultations (agency_id, answered_at);
