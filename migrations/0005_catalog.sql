-- The procedure catalog (src/catalog): administrative procedures (TTHC) imported from
-- data/catalog/*.json with `tinhso catalog import`. Each procedure is stored as its canonical
-- JSON document plus the few columns searches and reports need; every version ever imported is
-- kept in procedure_versions, so a dossier can be read against the rules it was received under
-- (dossiers.procedure_version). Imports are audited in audit_log (catalog.import).

-- Provincial departments the procedures' "sector" names stand for ("tu_phap" → Sở Tư pháp).
CREATE TABLE catalog_sectors (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  agency_code TEXT NOT NULL,  -- resolved through agencies at routing time; may be outside the tree
  updated_at BIGINT NOT NULL
);

CREATE TABLE procedures (
  code TEXT PRIMARY KEY,  -- national TTHC code, e.g. 1.001193
  name TEXT NOT NULL,
  search_key TEXT NOT NULL,  -- core::SearchKey(name)
  field_code TEXT NOT NULL,  -- lĩnh vực, e.g. HT
  level TEXT NOT NULL CHECK (level IN ('province', 'commune')),
  document TEXT NOT NULL,  -- the procedure as canonical JSON, without version and updated_at
  version BIGINT NOT NULL CHECK (version >= 1),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX procedures_field ON procedures (field_code, level);
CREATE INDEX procedures_search ON procedures (search_key);

CREATE TABLE procedure_versions (
  code TEXT NOT NULL REFERENCES procedures (code),
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,  -- users.id of the importer; 0 for the CLI
  PRIMARY KEY (code, version)
);

-- One row: bumped by every import that changes something, so servers can tell cheaply whether
-- their in-memory copy is stale; its row lock also serialises concurrent imports.
CREATE TABLE catalog_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation BIGINT NOT NULL
);
INSERT INTO catalog_head (id, generation) VALUES (1, 0);
