-- Notification preferences per event (src/notify): which channels a user wants for which event
-- ("fees requested" by SMS, "new work in my queue" in-app only). A row here wins over the
-- channel-wide row of notification_preferences; a missing row means on.
CREATE TABLE notification_event_preferences (
  user_id BIGINT NOT NULL,
  event_key TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'inapp')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, event_key, channel)
);
