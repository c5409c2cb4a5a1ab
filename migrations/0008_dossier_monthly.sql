-- Monthly counters behind dossier statistics (src/dossiers), so that a year of a province's
-- dossiers is summed from tens of thousands of rows instead of scanned from a million. Keyed by
-- the month of reception (Vietnam time); updated in the transaction of the transition that
-- changes a count. Dossiers still open are counted live (index dossiers_open).
CREATE TABLE dossier_monthly (
  month INTEGER NOT NULL,               -- YYYYMM
  agency_id BIGINT NOT NULL,            -- the competent agency
  procedure_code TEXT NOT NULL,
  channel INTEGER NOT NULL,
  received BIGINT NOT NULL,
  done_early BIGINT NOT NULL,
  done_on_time BIGINT NOT NULL,
  done_late BIGINT NOT NULL,
  paid_online BIGINT NOT NULL,
  PRIMARY KEY (month, agency_id, procedure_code, channel)
);
-- Covering: counting the open dossiers of a window by agency, procedure or channel reads the
-- index only.
CREATE INDEX dossiers_open ON dossiers (status, received_at, competent_agency_id,
  procedure_code, channel, due_at, supplement_count);
