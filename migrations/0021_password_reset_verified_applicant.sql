-- "Quên mật khẩu" for officers and administrators (src/auth, issue 16 §1). A reset link carries
-- a random token; only its SHA-256 is kept. A link works once (used_at is set by one conditional
-- UPDATE, so two clicks cannot both succeed) and until expires_at.
CREATE TABLE password_resets (
  id TEXT PRIMARY KEY,              -- SHA-256 hex of the token
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT                    -- NULL while the link may still be used
);
CREATE INDEX password_resets_user ON password_resets (user_id);
CREATE INDEX password_resets_expiry ON password_resets (expires_at);

-- Every request, whether or not it named an account, for the limits per address and per
-- account. Rows older than a day are forgotten.
CREATE TABLE password_reset_requests (
  source TEXT NOT NULL,             -- client address
  user_id BIGINT,                   -- the account it named; NULL when none
  at BIGINT NOT NULL
);
CREATE INDEX password_reset_requests_source ON password_reset_requests (source, at);
CREATE INDEX password_reset_requests_user ON password_reset_requests (user_id, at);
CREATE INDEX password_reset_requests_at ON password_reset_requests (at);

-- The date of birth an identity provider vouched for (YYYY-MM-DD; VNeID's NgayThangNamSinh),
-- NULL when none did.
ALTER TABLE users ADD COLUMN birth_date TEXT;

-- An online applicant who is the account's own verified identity (not nộp thay): which
-- provider verified it and when, as the account said at submission (the national sync's
-- TaiKhoanDuocXacThucVoiVNeID), and the date of birth it gave. NULL otherwise.
ALTER TABLE dossiers ADD COLUMN applicant_verified_by TEXT;
ALTER TABLE dossiers ADD COLUMN applicant_verified_at BIGINT;
ALTER TABLE dossiers ADD COLUMN applicant_birth_date TEXT;
