-- The provincial data-integration gateway (src/gateway, issue 17; LGSP, built after X-Road):
-- the registry of members, their information systems and the services they offer, the access
-- rights between them (deny by default), and the message log that is the evidence of every call.

-- A member: an agency of the province (by its electronic identification code, e.g. H55.19) or
-- a body outside it (a ministry, a national database's operator).
CREATE TABLE gateway_members (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  agency_id BIGINT,                         -- when the member is in the province's agency tree
  created_at BIGINT NOT NULL
);

-- A member's information system ("subsystem", e.g. H55.19/motcua): what calls and what serves.
-- It proves who it is with its client certificate (mutual TLS) or, for legacy systems, a bearer
-- token; both are stored as SHA-256 only.
CREATE TABLE gateway_subsystems (
  id {{id}},
  member_id BIGINT NOT NULL REFERENCES gateway_members (id),
  code TEXT NOT NULL UNIQUE,                -- "<member code>/<name>"
  name TEXT NOT NULL,
  token_sha256 TEXT UNIQUE,                 -- hex; NULL: no token issued
  certificate_sha256 TEXT UNIQUE,           -- hex of the client certificate's DER; NULL: none
  allowed_ips TEXT NOT NULL DEFAULT '',     -- comma-separated addresses; '' = any
  rate_per_second INTEGER NOT NULL DEFAULT 50,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at BIGINT NOT NULL
);

-- A service a subsystem offers through the gateway: /lgsp/<code>/... is proxied to upstream_url.
CREATE TABLE gateway_services (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  provider_id BIGINT NOT NULL REFERENCES gateway_subsystems (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',     -- free text, or an OpenAPI document
  upstream_url TEXT NOT NULL,
  timeout_ms INTEGER NOT NULL DEFAULT 10000,
  max_request_bytes BIGINT NOT NULL DEFAULT 10485760,
  max_response_bytes BIGINT NOT NULL DEFAULT 20971520,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A client subsystem's right to call a service, with its quotas (0 = none). Withdrawn rights
-- stay, with who withdrew them and when: the history of who could call what.
CREATE TABLE gateway_rights (
  id {{id}},
  client_id BIGINT NOT NULL REFERENCES gateway_subsystems (id),
  service_id BIGINT NOT NULL REFERENCES gateway_services (id),
  per_minute INTEGER NOT NULL DEFAULT 0,
  per_day INTEGER NOT NULL DEFAULT 0,
  granted_at BIGINT NOT NULL,
  granted_by BIGINT NOT NULL,
  withdrawn_at BIGINT,
  withdrawn_by BIGINT
);
CREATE INDEX gateway_rights_pair ON gateway_rights (client_id, service_id);

-- Moved by every registry change, so that other processes reload their copy of the registry.
CREATE TABLE gateway_registry_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO gateway_registry_version (id, version) VALUES (1, 0);

-- The message log: one record per call, hash-chained (each record's hash covers the previous
-- one's), signed one by one with the gateway's organisation key, and time-stamped in batches.
CREATE TABLE gateway_log_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO gateway_log_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE gateway_log (
  seq BIGINT PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  client TEXT NOT NULL,                     -- the subsystem's code; '' when not authenticated
  client_ip TEXT NOT NULL,
  service TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  error_code TEXT NOT NULL,                 -- the LGSP code of a refusal ('100', …) or ''
  request_bytes BIGINT NOT NULL,
  response_bytes BIGINT NOT NULL,
  request_sha256 TEXT NOT NULL,
  response_sha256 TEXT NOT NULL,
  duration_us BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,                       -- SHA-256 of the record's canonical JSON
  signature {{blob}} NOT NULL,              -- over that JSON, by signer_id's key
  signer_id BIGINT NOT NULL,                -- the certificate (pki)
  bodies {{blob}},                          -- both bodies, sealed; NULL once the retention ends
  bodies_until BIGINT
);
CREATE INDEX gateway_log_pair ON gateway_log (client, service, at_ms);
CREATE INDEX gateway_log_bodies ON gateway_log (bodies_until);

-- One RFC 3161 token per batch of consecutive records, over the root of a hash tree of their
-- hashes: logging never waits for the time-stamping unit.
CREATE TABLE gateway_log_stamps (
  id {{id}},
  first_seq BIGINT NOT NULL UNIQUE,
  last_seq BIGINT NOT NULL UNIQUE,
  root TEXT NOT NULL,
  token {{blob}} NOT NULL,
  stamped_at BIGINT NOT NULL
);
