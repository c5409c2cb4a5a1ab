-- The English name of each catalog sector's department, for the portal in English.
ALTER TABLE catalog_sectors ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
