-- Foreign keys in the shapes the product uses.
CREATE TABLE parents (
  id {{id}},
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE children (
  id {{id}},
  parent_id BIGINT NOT NULL REFERENCES parents (id),
  note TEXT
);

-- A non-deferrable self-reference, as agencies.parent_id: a restore meets children stored
-- before their parents.
CREATE TABLE nodes (
  id {{id}},
  parent_id BIGINT REFERENCES nodes (id),
  label TEXT NOT NULL
);

-- A two-column key without identity, for keyset paging in backups.
CREATE TABLE pairs (
  a TEXT NOT NULL,
  b BIGINT NOT NULL,
  v {{blob}},
  PRIMARY KEY (a, b)
);

-- No primary key at all.
CREATE TABLE notes (
  body TEXT
);
