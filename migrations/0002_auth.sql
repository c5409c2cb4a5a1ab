-- Accounts and sessions (src/auth). Passwords are Argon2id strings (libsodium); session tokens
-- are never stored, only their SHA-256.
CREATE TABLE users (
  id {{id}},
  kind TEXT NOT NULL,                 -- officer | citizen | business | admin
  login TEXT NOT NULL UNIQUE,         -- user name; CCCD (12 digits) or tax code for the public
  full_name TEXT NOT NULL,
  search_key TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  agency_id BIGINT REFERENCES agencies (id),
  position TEXT NOT NULL DEFAULT '',  -- chức danh, as printed on forms
  roles TEXT NOT NULL DEFAULT '',     -- comma-separated role names
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);
CREATE INDEX users_search ON users (search_key);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                -- SHA-256 of the token
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,                 -- cookie | bearer
  csrf TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  client_ip TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);
