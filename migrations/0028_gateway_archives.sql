-- The gateway's message-log archives (src/gateway/archive.cpp, issue 17, as X-Road archives
-- its message log): signed files outside the database, each holding whole time-stamp batches
-- of consecutive records and the SHA-256 of the previous file. One row per file. A row is
-- claimed first (sha256 NULL, a lease in claim/claimed_until) so that two processes never write
-- the same range; it is complete once sha256 is set, and its records may then leave the
-- database after the retention ([gateway] log_retention_days).
CREATE TABLE gateway_log_archives (
  id {{id}},
  first_seq BIGINT NOT NULL UNIQUE,
  last_seq BIGINT NOT NULL UNIQUE,
  records BIGINT NOT NULL,
  stamps BIGINT NOT NULL,
  last_hash TEXT NOT NULL,                  -- the hash of record last_seq: the next file links to it
  last_at_ms BIGINT NOT NULL,               -- when record last_seq was written: retention counts from it
  file_name TEXT NOT NULL UNIQUE,           -- in [gateway] archive_dir; its signature is <file_name>.p7s
  sha256 TEXT,                              -- hex, of the file; NULL while it is being written
  prev_sha256 TEXT NOT NULL,                -- the previous archive's sha256; 64 zeros for the first
  claim TEXT NOT NULL,                      -- the writer's random token
  claimed_until BIGINT,                     -- its lease (seconds); another may take over after it
  created_at BIGINT NOT NULL,
  purged_at BIGINT                          -- when its records were deleted from gateway_log
);
