-- Local dossier status (1–10) → the national public-service portal's code (issue 18;
-- ../shared/domain-wave2.md §1.4). Data, not code, so that the province follows the national
-- portal's rules without a release; a status without a row is not sent, and the sync says so.
-- The rows below are the provincial systems' table: 5, 6 and 8 are sent as 9 (with a closing
-- step). updated_by 0: the migration.
CREATE TABLE dvcqg_status_map (
  local_status INTEGER PRIMARY KEY CHECK (local_status BETWEEN 1 AND 10),
  national_status INTEGER NOT NULL CHECK (national_status BETWEEN 0 AND 99),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL
);
INSERT INTO dvcqg_status_map (local_status, national_status, updated_at, updated_by) VALUES
  (1, 1, 0, 0), (2, 2, 0, 0), (3, 3, 0, 0), (4, 4, 0, 0), (5, 9, 0, 0), (6, 9, 0, 0),
  (7, 7, 0, 0), (8, 9, 0, 0), (9, 9, 0, 0), (10, 10, 0, 0);
