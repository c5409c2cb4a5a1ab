-- Administrators' decisions on the working-day calendar (src/calendar): each year's Prime
-- Minister decisions on Tết and Quốc khánh (Labour Code 2019 art. 112.3), swapped working days,
-- extra days off. One row per date: the statutory days themselves are computed, never stored.
-- Changes are audited in audit_log (calendar.override.put / calendar.override.delete).
CREATE TABLE calendar_overrides (
  date TEXT PRIMARY KEY,  -- YYYY-MM-DD, so text order is date order
  kind TEXT NOT NULL,  -- holiday | tet | compensatory | day_off | working_day | remove
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',  -- the decision it comes from
  created_by BIGINT,  -- users.id of the last writer, NULL for the CLI and the system
  created_at BIGINT NOT NULL  -- UTC seconds of the last write
);
