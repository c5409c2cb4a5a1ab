-- Failed sign-ins, per login tried and source address (src/auth/accounts.cpp). An account is
-- never locked: each address waits longer after each failure (1, 2, 4… seconds up to a cap),
-- so guesses from elsewhere cannot keep its real user out; the row with source '*' counts the
-- failures from every address and, past a much higher count, only slows addresses the account
-- has never signed in from. Keyed on the login as typed, so unknown logins are throttled the
-- same way as real ones. Rows older than a day are forgotten.
CREATE TABLE login_throttle (
  login TEXT NOT NULL,
  source TEXT NOT NULL,          -- client address; '*' for the whole account
  failures INTEGER NOT NULL,     -- consecutive, within the last day
  next_at BIGINT NOT NULL,       -- no attempt is checked before this time
  last_at BIGINT NOT NULL,       -- the latest failure
  PRIMARY KEY (login, source)
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);

-- The lock these replaced (five failures locked the account for anyone for 15 minutes).
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
