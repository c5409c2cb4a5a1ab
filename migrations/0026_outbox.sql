-- The outbox for outgoing messages to other systems (src/outbox): the national dossier sync,
-- edXML document exchange, anything that calls out through the data-integration gateway. A
-- message is written in the transaction of the change that causes it, so both commit or neither
-- does; workers then deliver it at least once, under an idempotency key the receiver dedupes on.
--   queued ──claim──▶ sending ──2xx──▶ delivered
--     ▲                 │ transient (408, 429, 5xx, no answer): retrying, next_attempt_at later
--     │   retrying ◀────┤ permanent (other 4xx) or attempts used up: dead, with the reason
--     └── manual retry ─┴── dead, cancelled (cancel: queued or retrying only)
-- While a message is 'sending', next_attempt_at is the end of its lease: a crashed worker's
-- message is due again then.
CREATE TABLE outbox_messages (
  id {{id}},
  destination TEXT NOT NULL,               -- a service name: 'dvcqg.dossier'
  ordering_key TEXT NOT NULL DEFAULT '',   -- '' = no order; else delivered by seq
  seq BIGINT NOT NULL DEFAULT 0,           -- enqueue order within destination × ordering key
  idempotency_key TEXT NOT NULL,           -- sent as Idempotency-Key
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  headers TEXT NOT NULL DEFAULT '',        -- "Name: value" lines
  body {{blob}} NOT NULL,
  body_size BIGINT NOT NULL,
  body_sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'retrying', 'delivered', 'dead',
                                         'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,     -- since enqueue or the last manual retry
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '',    -- the claiming worker's random token
  last_error TEXT NOT NULL DEFAULT '',     -- why it is retrying or dead
  last_status_code INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT,
  UNIQUE (destination, idempotency_key)
);
-- The workers' scan: due messages in order.
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
-- "Is an earlier message of this ordering key still undelivered?"
CREATE INDEX outbox_messages_order ON outbox_messages (destination, ordering_key, seq);
-- The operators' list by destination.
CREATE INDEX outbox_messages_destination ON outbox_messages (destination, id);

-- The next seq of each destination × ordering key, bumped by one upsert in the enqueuing
-- transaction: a second enqueuer of the same key waits on the row until the first commits, so
-- seq order is commit order (ids are not, on PostgreSQL).
CREATE TABLE outbox_sequences (
  destination TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (destination, ordering_key)
);

-- One row per delivery attempt. An attempt whose worker died is written as 'interrupted' by
-- the worker that takes the message over after the lease.
CREATE TABLE outbox_attempts (
  id {{id}},
  message_id BIGINT NOT NULL REFERENCES outbox_messages (id),
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead', 'interrupted')),
  status_code INTEGER NOT NULL DEFAULT 0,  -- the receiver's HTTP status; 0 = no answer
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id, id);
