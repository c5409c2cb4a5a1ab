-- A row inserted by a migration, as migrations/0004_audit.sql does: a restore replaces it.
CREATE TABLE heads (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL
);
INSERT INTO heads (id, seq) VALUES (1, 0);
