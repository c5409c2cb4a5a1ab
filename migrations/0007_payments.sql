-- Online payment of dossier fees through the national payment platform (src/payment).
-- Money in integer đồng, times integer UTC seconds. dossier_id deliberately has no foreign key:
-- the dossiers table belongs to src/dossiers; payments only keep its id and code.
CREATE TABLE payments (
  id {{id}},
  reference TEXT NOT NULL UNIQUE,            -- MaThamChieu, "<dossier code>-<attempt>"
  dossier_id BIGINT NOT NULL,
  dossier_code TEXT NOT NULL,
  attempt INTEGER NOT NULL,                  -- 1, 2, … per dossier
  agency_id BIGINT NOT NULL DEFAULT 0,       -- for scope checks; 0 = none
  payer_user_id BIGINT NOT NULL DEFAULT 0,   -- the applicant's account; 0 = none
  amount BIGINT NOT NULL CHECK (amount > 0),
  description TEXT NOT NULL,                 -- ThongTinGiaoDich
  payer_name TEXT NOT NULL,
  payer_id_number TEXT NOT NULL,
  procedure_code TEXT NOT NULL,
  procedure_name TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  agency_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'refunded')),
  payment_url TEXT NOT NULL DEFAULT '',      -- the platform's page for the payer
  init_count INTEGER NOT NULL DEFAULT 0,     -- INIT messages sent
  init_at BIGINT,                            -- ThoiGianGD of the last INIT
  gateway_transaction TEXT NOT NULL DEFAULT '',  -- MaGiaoDich
  gateway_bank TEXT NOT NULL DEFAULT '',         -- MaNganHang
  gateway_time TEXT NOT NULL DEFAULT '',         -- ThoiGianGD of the confirmation
  failure_code TEXT NOT NULL DEFAULT '',         -- MaLoi of a failed payment
  late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  paid_via TEXT NOT NULL DEFAULT '',             -- 'callback' | 'query'
  refund_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  paid_at BIGINT,
  closed_at BIGINT,                          -- failed or expired at
  refunded_at BIGINT
);
CREATE INDEX payments_dossier ON payments (dossier_id, attempt);
CREATE INDEX payments_status ON payments (status, created_at);
-- At most one pending request per dossier (a partial index: SQLite ≥ 3.8 and PostgreSQL).
CREATE UNIQUE INDEX payments_one_pending ON payments (dossier_id) WHERE status = 'pending';

-- The fee lines of a request (PhiLePhi).
CREATE TABLE payment_fees (
  payment_id BIGINT NOT NULL REFERENCES payments (id),
  line_no INTEGER NOT NULL,
  kind TEXT NOT NULL,                        -- LoaiPhiLePhi
  code TEXT NOT NULL,                        -- MaPhiLePhi
  name TEXT NOT NULL,                        -- TenPhiLePhi
  amount BIGINT NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (payment_id, line_no)
);

-- Every message received from the platform (callbacks, INIT and QUERY answers), verbatim, with
-- what we made of it. Nothing is lost: forged and unknown messages are kept too, which is why
-- the reference is plain text and not a foreign key.
CREATE TABLE payment_events (
  id {{id}},
  reference TEXT NOT NULL,                   -- MaThamChieu as received
  source TEXT NOT NULL,                      -- 'callback' | 'init' | 'query'
  received_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  verdict TEXT NOT NULL,                     -- 'paid', 'duplicate', 'bad_checksum', …
  anomaly INTEGER NOT NULL DEFAULT 0 CHECK (anomaly IN (0, 1)),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_events_reference ON payment_events (reference, id);
CREATE INDEX payment_events_anomaly ON payment_events (anomaly, id);
