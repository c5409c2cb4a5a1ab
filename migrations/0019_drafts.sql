-- Drafts (Lưu nháp): a citizen's online submission in progress, kept on the server so that a
-- reload, a closed tab or an expired session loses nothing. `content` is the submission page's
-- state as JSON (applicant, form answers, commune), read back by the page, never by the server.
-- The files already chosen are stored as dossier files are, in 256 KiB pieces; submitting the
-- draft copies the pieces into dossier_file_chunks inside the submission's transaction and
-- deletes the draft. owner_id names the account (users.id) without a key to it, as
-- dossiers.applicant_user_id does.
CREATE TABLE drafts (
  id {{id}},
  owner_id BIGINT NOT NULL,
  procedure_code TEXT NOT NULL,
  content TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX drafts_owner ON drafts (owner_id, updated_at);
CREATE INDEX drafts_expiry ON drafts (expires_at);

CREATE TABLE draft_files (
  id {{id}},
  draft_id BIGINT NOT NULL REFERENCES drafts (id),
  component TEXT NOT NULL,
  name TEXT NOT NULL,
  file_type TEXT NOT NULL,               -- as sniffed from the content: pdf, jpg, png, docx, xml
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX draft_files_draft ON draft_files (draft_id, id);

CREATE TABLE draft_file_chunks (
  file_id BIGINT NOT NULL REFERENCES draft_files (id),
  seq INTEGER NOT NULL,
  data {{blob}} NOT NULL,
  PRIMARY KEY (file_id, seq)
);
