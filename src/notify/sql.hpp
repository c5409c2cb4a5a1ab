// Every statement the notify module runs, portable to SQLite 3.40 and PostgreSQL 15.
// Parameter names are never repeated within one statement (the PostgreSQL rewrite to $n).
#pragma once

#include <string_view>

namespace tinhso::notify::sql {

// The columns read into a Message, in the order outbox.cpp expects them.
#define TINHSO_NOTIFY_COLUMNS                                                             \
  "id, idempotency_key, channel, recipient_user_id, address, dossier_id, template_key, "  \
  "language, subject, body, status, attempts, next_attempt_at, last_error, provider_id, " \
  "segments, cost, created_at, sent_at, delivered_at, read_at, lease_owner"

// A second enqueue of the same event × channel × recipient inserts nothing (no row returned).
inline constexpr std::string_view kInsert =
    "INSERT INTO notifications (idempotency_key, channel, recipient_user_id, address, "
    "dossier_id, template_key, language, subject, body, status, next_attempt_at, last_error, "
    "segments, cost, created_at, sent_at, delivered_at) VALUES (:key, :channel, :user_id, "
    ":address, :dossier_id, :template_key, :language, :subject, :body, :status, :next, :error, "
    ":segments, :cost, :created_at, :sent_at, :delivered_at) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING " TINHSO_NOTIFY_COLUMNS;

inline constexpr std::string_view kByKey =
    "SELECT " TINHSO_NOTIFY_COLUMNS " FROM notifications WHERE idempotency_key = :key";

inline constexpr std::string_view kById =
    "SELECT " TINHSO_NOTIFY_COLUMNS " FROM notifications WHERE id = :id";

inline constexpr std::string_view kSuppress =
    "UPDATE notifications SET status = 'suppressed', last_error = :error WHERE id = :id "
    "RETURNING " TINHSO_NOTIFY_COLUMNS;

// One upsert takes the counter's row lock, so concurrent enqueues count one after the other.
inline constexpr std::string_view kBumpDaily =
    "INSERT INTO notification_daily (address, channel, day, sent) "
    "VALUES (:address, :channel, :day, 1) ON CONFLICT (address, channel, day) "
    "DO UPDATE SET sent = notification_daily.sent + 1 RETURNING sent";

inline constexpr std::string_view kPreferences =
    "SELECT channel, enabled FROM notification_preferences WHERE user_id = :user_id";

inline constexpr std::string_view kSetPreference =
    "INSERT INTO notification_preferences (user_id, channel, enabled, updated_at) "
    "VALUES (:user_id, :channel, :enabled, :now) ON CONFLICT (user_id, channel) "
    "DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at";

// A user's choices per event (they win over the channel-wide ones above).
inline constexpr std::string_view kEventPreferences =
    "SELECT event_key, channel, enabled FROM notification_event_preferences "
    "WHERE user_id = :user_id";
inline constexpr std::string_view kEventPreference =
    "SELECT channel, enabled FROM notification_event_preferences "
    "WHERE user_id = :user_id AND event_key = :event_key";
inline constexpr std::string_view kSetEventPreference =
    "INSERT INTO notification_event_preferences (user_id, event_key, channel, enabled, "
    "updated_at) VALUES (:user_id, :event_key, :channel, :enabled, :now) "
    "ON CONFLICT (user_id, event_key, channel) "
    "DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at";

// A worker killed in its last attempt leaves a message 'sending' with its attempts used up.
inline constexpr std::string_view kFailAbandoned =
    "UPDATE notifications SET status = 'failed', last_error = :error, lease_owner = '', "
    "lease_until = NULL WHERE status = 'sending' AND lease_until <= :now AND attempts >= :max";

// :email and :sms (0 or 1) say which channels the caller can send.
inline constexpr std::string_view kDue =
    "SELECT id FROM notifications WHERE status IN ('queued', 'sending') "
    "AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <= :now2) "
    "AND ((channel = 'email' AND :email = 1) OR (channel = 'sms' AND :sms = 1)) "
    "ORDER BY next_attempt_at, id LIMIT :limit";

// Takes one message if nobody holds it. On PostgreSQL (READ COMMITTED) a concurrent claim
// blocks on the row and then re-checks this WHERE against the row it committed: the loser
// updates nothing. SQLite has one writer at a time.
inline constexpr std::string_view kClaim =
    "UPDATE notifications SET status = 'sending', lease_owner = :owner, lease_until = :until, "
    "attempts = attempts + 1 WHERE id = :id AND status IN ('queued', 'sending') "
    "AND (lease_until IS NULL OR lease_until <= :now) RETURNING " TINHSO_NOTIFY_COLUMNS;

// The outcome of a claimed message, applied only while the lease is still the caller's.
inline constexpr std::string_view kMarkSent =
    "UPDATE notifications SET status = 'sent', sent_at = :now, provider_id = :provider, "
    "last_error = '', lease_owner = '', lease_until = NULL "
    "WHERE id = :id AND status = 'sending' AND lease_owner = :owner";
inline constexpr std::string_view kMarkRetry =
    "UPDATE notifications SET status = 'queued', next_attempt_at = :next, last_error = :error, "
    "lease_owner = '', lease_until = NULL "
    "WHERE id = :id AND status = 'sending' AND lease_owner = :owner";
inline constexpr std::string_view kMarkFailed =
    "UPDATE notifications SET status = :status, last_error = :error, lease_owner = '', "
    "lease_until = NULL WHERE id = :id AND status = 'sending' AND lease_owner = :owner";

// Receipts may overtake our own commit (the gateway answered, then we crashed): 'sending' too.
inline constexpr std::string_view kReceipt =
    "UPDATE notifications SET status = :status, delivered_at = :delivered_at, "
    "last_error = :detail WHERE id = :id AND status IN ('sending', 'sent', 'delivered')";
inline constexpr std::string_view kByProvider =
    "SELECT id FROM notifications WHERE provider_id = :provider AND provider_id <> ''";

inline constexpr std::string_view kByDossier = "SELECT " TINHSO_NOTIFY_COLUMNS
                                               " FROM notifications WHERE dossier_id = :dossier_id "
                                               "ORDER BY id";

inline constexpr std::string_view kInApp =
    "SELECT " TINHSO_NOTIFY_COLUMNS
    " FROM notifications WHERE recipient_user_id = :user_id "
    "AND channel = 'inapp' AND status <> 'suppressed' ORDER BY id DESC LIMIT :limit OFFSET :offset";

inline constexpr std::string_view kMarkRead =
    "UPDATE notifications SET read_at = :now WHERE id = :id AND recipient_user_id = :user_id "
    "AND channel = 'inapp' AND read_at IS NULL";

#undef TINHSO_NOTIFY_COLUMNS

inline constexpr std::string_view kTemplates =
    "SELECT event_key, channel, language, subject, body, body_unaccented, updated_at "
    "FROM notification_templates";
inline constexpr std::string_view kTemplate =
    "SELECT event_key, channel, language, subject, body, body_unaccented, updated_at "
    "FROM notification_templates WHERE event_key = :event_key AND channel = :channel "
    "AND language = :language";
inline constexpr std::string_view kSaveTemplate =
    "INSERT INTO notification_templates (event_key, channel, language, subject, body, "
    "body_unaccented, updated_at, updated_by) VALUES (:event_key, :channel, :language, "
    ":subject, :body, :unaccented, :now, :by) ON CONFLICT (event_key, channel, language) "
    "DO UPDATE SET subject = excluded.subject, body = excluded.body, "
    "body_unaccented = excluded.body_unaccented, updated_at = excluded.updated_at, "
    "updated_by = excluded.updated_by";
inline constexpr std::string_view kResetTemplate =
    "DELETE FROM notification_templates WHERE event_key = :event_key AND channel = :channel "
    "AND language = :language";

}  // namespace tinhso::notify::sql
