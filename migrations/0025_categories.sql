-- Shared categories (dữ liệu danh mục dùng chung) the province publishes through its gateway as
-- /dmdc/Metadata/<code> and /dmdc/Category/<code> (src/nationaldb/categories.hpp). Dates are
-- YYYY-MM-DD text; valid_to is the first day a row no longer applies (NULL: still in force).
-- Nothing is deleted: a change ends a row and starts another. Items are listed by code.
CREATE TABLE categories (
  code TEXT PRIMARY KEY,              -- "dantoc", "quocgia", "donvihanhchinh", …
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A whole list published from a date, with its legal basis; the next version's valid_from ends it.
CREATE TABLE category_versions (
  id {{id}},
  category TEXT NOT NULL REFERENCES categories (code),
  version TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  decision TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (category, version)
);

CREATE TABLE category_items (
  id {{id}},
  category TEXT NOT NULL REFERENCES categories (code),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  parent_code TEXT NOT NULL,          -- administrative units: the unit above; else ''
  unit_level INTEGER NOT NULL,            -- administrative units: 1 province, 2 commune; else 0
  kind TEXT NOT NULL,                 -- administrative units: tinh, xa, phuong…; else ''
  abbreviation TEXT NOT NULL,         -- document types: QĐ, TTr…; else ''
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
CREATE INDEX category_items_by_code ON category_items (category, code, valid_from);
