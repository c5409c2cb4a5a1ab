-- A dossier file's bytes in pieces of at most 256 KiB, written and read one piece at a time, so
-- that storing or serving a 10 MB scan never holds the whole file in memory. Files stored before
-- this keep their bytes in dossier_files.content; new ones leave that column empty.
CREATE TABLE dossier_file_chunks (
  file_id BIGINT NOT NULL REFERENCES dossier_files (id),
  seq INTEGER NOT NULL,
  data {{blob}} NOT NULL,
  PRIMARY KEY (file_id, seq)
);
