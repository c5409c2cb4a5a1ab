-- Test schema for tests/storage (not the product's): every value type the storage layer
-- carries, and a counter for the concurrency tests.
CREATE TABLE kinds (
  id {{id}},
  i BIGINT,
  r DOUBLE PRECISION,
  t TEXT,
  b {{blob}}
);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  n BIGINT NOT NULL
);
