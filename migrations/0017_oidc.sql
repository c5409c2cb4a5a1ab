-- Sign-in through OpenID Connect providers (src/oidc; issue 16 §1).
-- Who vouched for an account's identity and when: a provider's id (e.g. "vneid") when the
-- account was created or linked by a verified identity number. The national sync reads it as
-- TaiKhoanDuocXacThucVoiVNeID. NULL: never verified that way (password accounts).
ALTER TABLE users ADD COLUMN identity_provider TEXT;
ALTER TABLE users ADD COLUMN identity_verified_at BIGINT;

-- Sign-ins under way, from /start to /callback. The browser carries the state; only its
-- SHA-256 is kept, and the row is deleted when the callback consumes it (once).
CREATE TABLE oidc_states (
  id TEXT PRIMARY KEY,              -- SHA-256 hex of the state
  provider TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,      -- PKCE (S256)
  return_to TEXT NOT NULL,          -- a relative path of this site
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_states_expiry ON oidc_states (expires_at);

-- The id_token a cookie session began with, for the provider's logout (id_token_hint).
CREATE TABLE oidc_sessions (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id),
  provider TEXT NOT NULL,
  id_token TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
