-- When a session was last used, for the idle expiry of cookie sessions (auth::AuthOptions::
-- idle_timeout): written at most once a minute per session, not on every request. NULL for
-- sessions from before this column: their idle time starts at their next use.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
