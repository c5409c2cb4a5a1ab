-- Notifications (src/notify): the durable outbox, per-user channel preferences, the daily
-- counters behind the per-recipient cap, and the message templates, which are data.
-- dossier_id has no foreign key: dossiers belong to src/dossiers, which does not know notify.

-- One message per event × channel × recipient. A message is written in the transaction of the
-- change it reports, so both commit or neither does; a worker then delivers it.
--   queued ──claim──▶ sending ──250 / gateway OK──▶ sent ──receipt──▶ delivered | failed | bounced
--      ▲                 │ transient error: back to queued with next_attempt_at (backoff)
--      └─────────────────┘ permanent error or attempts used up: failed | bounced
-- 'suppressed' records what a preference or the daily cap stopped (never silently dropped).
CREATE TABLE notifications (
  id {{id}},
  idempotency_key TEXT NOT NULL UNIQUE,      -- event id × channel × recipient
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'inapp')),
  recipient_user_id BIGINT NOT NULL DEFAULT 0,  -- 0 = no account (an address only)
  address TEXT NOT NULL DEFAULT '',          -- e-mail address or phone number; '' for in-app
  dossier_id BIGINT,                         -- when it concerns a dossier
  template_key TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('vi', 'en')),
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed',
                                         'bounced', 'suppressed')),
  attempts INTEGER NOT NULL DEFAULT 0,       -- deliveries started (a claim counts one)
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '',      -- the claiming worker's random token
  lease_until BIGINT,                        -- the claim ends then (a crashed worker's too)
  last_error TEXT NOT NULL DEFAULT '',
  provider_id TEXT NOT NULL DEFAULT '',      -- the gateway's own id of the message
  segments INTEGER NOT NULL DEFAULT 0,       -- SMS: segments sent
  cost BIGINT NOT NULL DEFAULT 0,            -- SMS: đồng
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  delivered_at BIGINT,
  read_at BIGINT                             -- in-app: when the recipient opened the list item
);
-- The worker's scan: due messages in order.
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_dossier ON notifications (dossier_id, id);
CREATE INDEX notifications_user ON notifications (recipient_user_id, channel, id);
CREATE INDEX notifications_provider ON notifications (provider_id);

-- Channels a user turned off (a missing row means on).
CREATE TABLE notification_preferences (
  user_id BIGINT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'inapp')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, channel)
);

-- Messages counted per recipient address × channel × day (Vietnam time, YYYY-MM-DD), bumped
-- by one upsert so that concurrent enqueues never exceed the cap.
CREATE TABLE notification_daily (
  address TEXT NOT NULL,
  channel TEXT NOT NULL,
  day TEXT NOT NULL,
  sent INTEGER NOT NULL,
  PRIMARY KEY (address, channel, day)
);

-- Administrators' templates per event × channel × language, over the defaults compiled into
-- src/notify/defaults.cpp (a migration cannot hold their placeholders, which would be read as
-- the migration's own). body_unaccented is an optional SMS variant without diacritics (GSM-7:
-- 160 characters a segment instead of 70).
CREATE TABLE notification_templates (
  event_key TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'inapp')),
  language TEXT NOT NULL CHECK (language IN ('vi', 'en')),
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  body_unaccented TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (event_key, channel, language)
);
