-- The provincial PKI (src/pki): keys encrypted at rest with the master key (never stored here),
-- certificates of the CAs, organisations, officials and the time-stamping unit, and imported
-- ones. Times are integer UTC seconds; DER bytes as blobs.
CREATE TABLE pki_keys (
  id {{id}},
  algorithm TEXT NOT NULL CHECK (algorithm IN ('ec-p256', 'rsa-3072', 'other')),
  sealed {{blob}} NOT NULL,          -- libsodium secretbox: nonce || ciphertext of PKCS#8 DER
  created_at BIGINT NOT NULL
);

CREATE TABLE pki_certificates (
  id {{id}},
  serial TEXT NOT NULL,              -- hex, as the issuer wrote it
  kind TEXT NOT NULL CHECK (kind IN ('root', 'issuing', 'organisation', 'official', 'tsa',
                                     'external_ca')),
  subject TEXT NOT NULL,             -- RFC 2253, UTF-8
  issuer TEXT NOT NULL,
  issuer_id BIGINT REFERENCES pki_certificates (id) DEFERRABLE INITIALLY IMMEDIATE,
  key_id BIGINT REFERENCES pki_keys (id),   -- NULL: we do not hold the private key
  agency_id BIGINT,                  -- organisation certificates: the agency; officials: theirs
  user_id BIGINT,                    -- official certificates: the person
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  der {{blob}} NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,       -- of the DER: the certificate's identity for imports
  trusted INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1)),   -- a trust anchor
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked', 'superseded')),
  revoked_at BIGINT,
  revocation_reason INTEGER,         -- RFC 5280 CRLReason
  replaced_by BIGINT,                -- a renewal's new certificate
  created_at BIGINT NOT NULL,
  UNIQUE (issuer, serial)
);
CREATE INDEX pki_certificates_issuer ON pki_certificates (issuer_id, status);
CREATE INDEX pki_certificates_owner ON pki_certificates (user_id, agency_id);

-- One row per CA we operate: the next CRL number and the current CRL.
CREATE TABLE pki_crls (
  issuer_id BIGINT PRIMARY KEY REFERENCES pki_certificates (id),
  number BIGINT NOT NULL,
  this_update BIGINT NOT NULL,
  next_update BIGINT NOT NULL,
  der {{blob}} NOT NULL
);
