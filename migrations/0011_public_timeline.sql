-- The public lookup's timeline, rendered once when each event is written: a JSON array's items
-- (without the brackets), the public fields only. Reading it costs one row instead of a join
-- over the events and their agencies. NULL for dossiers written before this column existed:
-- their lookups still join (dossiers::Service::Lookup).
ALTER TABLE dossiers ADD COLUMN public_timeline TEXT;
