-- Agencies, their codes over time, and the reorganisations that changed them.
-- Portable to SQLite 3.40 and PostgreSQL 15. {{id}} is an identity primary key.
-- Dates are TEXT 'YYYY-MM-DD' (they compare correctly as text), times are integer UTC seconds.
-- Validity intervals are half-open [valid_from, valid_to), and valid_to NULL means current.

CREATE TABLE agencies (
  id {{id}},
  code TEXT NOT NULL UNIQUE,          -- current code, QĐ 20/2020 form ("H55.12")
  code_qcvn TEXT,                     -- QCVN 102 form when it fits ("000.00.12.H55")
  code_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (code_confirmed IN (0, 1)),
  parent_id BIGINT REFERENCES agencies (id),
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  short_name TEXT NOT NULL DEFAULT '',
  search_key TEXT NOT NULL,           -- core::SearchKey of name, short name and code
  kind TEXT NOT NULL,                 -- data, not an enum: province_pc, department, commune_pc…
  level INTEGER NOT NULL,             -- depth in the current tree, 1 for a root
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX agencies_parent ON agencies (parent_id);
CREATE INDEX agencies_search_key ON agencies (search_key);
CREATE INDEX agencies_valid_to ON agencies (valid_to);
CREATE INDEX agencies_code_qcvn ON agencies (code_qcvn);

-- Who was whose parent when: agencies.parent_id is only the current parent.
CREATE TABLE agency_parents (
  id {{id}},
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  parent_id BIGINT REFERENCES agencies (id),
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
CREATE INDEX agency_parents_agency ON agency_parents (agency_id);
CREATE INDEX agency_parents_parent ON agency_parents (parent_id, valid_to);

CREATE TABLE reorganisations (
  id {{id}},
  kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move')),
  effective_date TEXT NOT NULL,
  decision TEXT NOT NULL,             -- legal basis: "Nghị quyết 202/2025/QH15"
  note TEXT NOT NULL DEFAULT '',
  confirmed INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
  external_ref TEXT UNIQUE,           -- idempotency key (demo data, imports), NULL allowed
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX reorganisations_effective ON reorganisations (effective_date);

-- Every code an agency ever had, in both notations: old codes stay resolvable.
CREATE TABLE agency_codes (
  id {{id}},
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  code TEXT NOT NULL,
  code_qcvn TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  reorganisation_id BIGINT REFERENCES reorganisations (id),  -- the one that retired it
  UNIQUE (agency_id, code)
);
CREATE INDEX agency_codes_code ON agency_codes (code);
CREATE INDEX agency_codes_code_qcvn ON agency_codes (code_qcvn);

-- A merge gives one successor, a split several, and exactly one of them is primary.
CREATE TABLE agency_successors (
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  successor_id BIGINT NOT NULL REFERENCES agencies (id),
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  reorganisation_id BIGINT NOT NULL REFERENCES reorganisations (id),
  PRIMARY KEY (agency_id, successor_id)
);
CREATE INDEX agency_successors_successor ON agency_successors (successor_id);

-- The agencies an operation touched and how.
CREATE TABLE reorganisation_agencies (
  reorganisation_id BIGINT NOT NULL REFERENCES reorganisations (id),
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  role TEXT NOT NULL CHECK (role IN ('source', 'target', 'created')),
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  PRIMARY KEY (reorganisation_id, agency_id, role)
);
CREATE INDEX reorganisation_agencies_agency ON reorganisation_agencies (agency_id);

-- What moved: open work per kind (WorkMover::kind) and re-parented children ("children").
CREATE TABLE reorganisation_moves (
  id {{id}},
  reorganisation_id BIGINT NOT NULL REFERENCES reorganisations (id),
  kind TEXT NOT NULL,
  from_agency_id BIGINT NOT NULL REFERENCES agencies (id),
  to_agency_id BIGINT NOT NULL REFERENCES agencies (id),
  count BIGINT NOT NULL
);
CREATE INDEX reorganisation_moves_reorganisation ON reorganisation_moves (reorganisation_id);
