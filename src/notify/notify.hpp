// Notifications to applicants and officers (issue 16 §2): a durable outbox delivered by e-mail,
// SMS and an in-app list, from templates that are data.
//
// A change that concerns someone calls Outbox::Enqueue inside its own transaction: the change
// and its messages commit together or not at all. Enqueue renders the event's template per
// channel (in the recipient's language), checks the recipient's channel preferences and daily
// cap (what they stop is kept, status "suppressed", with the reason), and writes one row per
// channel under an idempotency key (event id × channel × recipient), so that enqueuing the
// same event twice makes one message.
//
// Outbox::DeliverDue, run by a housekeeping thread (or a test), claims due messages with a lease
// (a random token and an end time, taken by one conditional UPDATE per message, so two workers
// never hold the same message and a crashed worker's messages come back when its lease ends),
// hands each to its channel's Sender, and records the outcome: sent; or, on a transient error,
// queued again with exponential backoff until max_attempts; failed or bounced otherwise.
//
// Delivery is at least once. Each message carries a stable id the receiver can dedupe on
// (StableId: the SMTP Message-ID and the SMS gateway's client reference), because one window
// cannot be closed from our side: a worker killed after the server accepted a message and
// before our commit sends it again once its lease ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::notify {

enum class Channel { kEmail, kSms, kInApp };
enum class Language { kVi, kEn };
enum class Status { kQueued, kSending, kSent, kDelivered, kFailed, kBounced, kSuppressed };

/// "email", "sms", "inapp"; "vi", "en"; "queued", "sending", … as stored.
std::string_view ChannelName(Channel channel);
std::string_view LanguageName(Language language);
std::string_view StatusName(Status status);
std::optional<Channel> ParseChannel(std::string_view name);
std::optional<Language> ParseLanguage(std::string_view name);
std::optional<Status> ParseStatus(std::string_view name);

// ---- Templates ---------------------------------------------------------------------------------

/// The events that have templates, with the placeholders each may use.
struct EventKind {
  std::string_view key;  ///< "accepted"
  std::string_view description_vi;
  std::string_view description_en;
  std::vector<std::string_view> placeholders;  ///< {"name", "code", "appointment_date"}
  bool for_officers = false;
};
const std::vector<EventKind>& EventKinds();
const EventKind* FindEventKind(std::string_view key);

struct Template {
  std::string event_key;
  Channel channel = Channel::kEmail;
  Language language = Language::kVi;
  std::string subject;          ///< e-mail and in-app; empty for SMS
  std::string body;             ///< plain text
  std::string body_unaccented;  ///< SMS only, optional: sent instead of `body` when the
                                ///< sender is set to unaccented SMS; empty = fold `body`
  bool customised = false;      ///< an administrator's version (false: the built-in default)
  std::optional<core::Seconds> updated_at;
};

/// Replaces each {{name}} of `text` with values[name]. Errors: kInvalidArgument
/// "notify.unknown_placeholder" naming the first placeholder without a value;
/// "notify.bad_placeholder" for an unclosed "{{".
Result<std::string> Render(std::string_view text, const std::map<std::string, std::string>& values);

/// Checks a template against its event's placeholders (all of subject, body and the variant).
/// Errors: kInvalidArgument "notify.unknown_event", "notify.unknown_placeholder" (names it),
/// "notify.bad_placeholder", "notify.template_empty", "notify.unaccented_has_diacritics".
Result<void> Validate(const Template& t);

// ---- SMS encoding ------------------------------------------------------------------------------

enum class SmsEncoding { kGsm7, kUcs2 };
struct SmsSize {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;          ///< GSM-7 septets (an extension character counts two) or UTF-16 units
  int segments = 0;       ///< 1 up to 160 / 70, then ⌈units / 153⌉ / ⌈units / 67⌉
  std::int64_t cost = 0;  ///< segments × cost per segment
};
/// The encoding an SMS of this UTF-8 text needs and its length in segments: GSM-7 when every
/// character is in the GSM 03.38 alphabet (with its extension table), else UCS-2, which any
/// Vietnamese diacritic forces. An empty text is one segment.
SmsSize MeasureSms(std::string_view utf8, std::int64_t cost_per_segment = 0);

// ---- The outbox --------------------------------------------------------------------------------

struct Message {
  std::int64_t id = 0;
  std::string idempotency_key;
  Channel channel = Channel::kEmail;
  std::int64_t recipient_user_id = 0;
  std::string address;
  std::optional<std::int64_t> dossier_id;
  std::string template_key;
  Language language = Language::kVi;
  std::string subject;
  std::string body;
  Status status = Status::kQueued;
  int attempts = 0;
  core::Seconds next_attempt_at;
  std::string last_error;
  std::string provider_id;
  int segments = 0;
  std::int64_t cost = 0;
  core::Seconds created_at;
  std::optional<core::Seconds> sent_at;
  std::optional<core::Seconds> delivered_at;
  std::optional<core::Seconds> read_at;
  std::string lease_owner;  ///< set on claimed messages
};

/// The id a receiver can dedupe on: "notification-<id>". The SMTP Message-ID is
/// "<notification-<id>@host>", the SMS gateway's client reference this text.
std::string StableId(std::int64_t id);

/// Who is told. Channels without an address are skipped (no e-mail, no phone, no account).
struct Recipient {
  std::int64_t user_id = 0;  ///< 0: no account (then no in-app message and no preferences)
  std::string email;
  std::string phone;  ///< digits, "0912345678" or "+84912345678"
  Language language = Language::kVi;
};

/// What happened. `id` is stable for one occurrence ("dossier-42-event-7"): it makes the
/// idempotency key, with the channel and the recipient.
struct Event {
  std::string id;
  std::string template_key;  ///< an EventKinds() key
  std::optional<std::int64_t> dossier_id;
  std::map<std::string, std::string> values;  ///< placeholder → text
};

struct OutboxOptions {
  int max_attempts = 6;
  std::chrono::seconds first_retry{60};   ///< then doubled at each attempt
  std::chrono::seconds max_retry{3600};   ///< the backoff's ceiling
  std::chrono::seconds lease{300};        ///< longer than one delivery can take
  int daily_cap = 20;                     ///< e-mails or SMS per address per day; 0 = none
  std::int64_t sms_cost_per_segment = 0;  ///< đồng
  bool sms_unaccented = false;            ///< send the unaccented variant of SMS templates
};

/// A channel's delivery. Returns the provider's id of the message (may be empty).
/// Errors tell the outbox what to do: kInvalidArgument (the recipient or the message is
/// refused: no retry) with reason "notify.bounced" when the address does not exist (status
/// bounced); anything else is transient (retried with backoff).
class Sender {
 public:
  virtual ~Sender() = default;
  virtual Result<std::string> Send(const Message& message) = 0;
};

struct Senders {
  Sender* email = nullptr;  ///< null: e-mails wait in the queue
  Sender* sms = nullptr;
};

/// Whether a user wants one event by one channel.
struct EventPreference {
  std::string event_key;
  Channel channel = Channel::kEmail;
  bool enabled = true;
};

struct DeliveryReport {
  int claimed = 0;
  int sent = 0;
  int retried = 0;
  int failed = 0;  ///< failed or bounced
};

/// Thread-safe.
class Outbox {
 public:
  Outbox(storage::Database& db, const core::Clock& clock, OutboxOptions options = {});

  /// Writes the event's messages for `recipient` inside `tx` (the caller's transaction) and
  /// returns them (with their ids), including suppressed ones; an event enqueued before
  /// returns the messages it made then. Errors: those of Render, "notify.unknown_event",
  /// and the driver's.
  Result<std::vector<Message>> Enqueue(storage::Transaction& tx, const Event& event,
                                       const Recipient& recipient) const;

  /// Claims up to `limit` due messages for `worker` (a token of its own) until now + lease, and
  /// marks failed those whose last lease ended with their attempts used up. Only e-mails when
  /// `email`, SMS when `sms`: a channel nobody can send keeps its messages queued, untouched.
  Result<std::vector<Message>> Claim(std::string_view worker, int limit, bool email = true,
                                     bool sms = true);
  /// Records a claimed message's outcome (`provider_id`, or the Sender's error). Does nothing
  /// when the lease is no longer `message.lease_owner`'s (it ended and another worker took it).
  Result<void> Complete(const Message& message, const Result<std::string>& outcome);
  /// Claim, send through `senders`, Complete; until nothing is due or `limit` is reached. A
  /// channel without a sender is not claimed: its messages wait for one.
  Result<DeliveryReport> DeliverDue(const Senders& senders, int limit = 100);

  /// A delivery receipt from a gateway: "delivered", "failed" or "bounced" for the message with
  /// this provider id or stable id. Errors: kNotFound, kInvalidArgument (unknown status).
  Result<void> RecordReceipt(std::string_view id, Status status, std::string_view detail = {});

  Result<Message> Get(std::int64_t id);
  Result<std::vector<Message>> ListForDossier(std::int64_t dossier_id);
  /// A user's in-app messages, newest first.
  Result<std::vector<Message>> ListInApp(std::int64_t user_id, int limit = 50, int offset = 0);
  Result<void> MarkRead(std::int64_t user_id, std::int64_t message_id);

  /// Channel preferences (a channel never set is on).
  Result<std::map<Channel, bool>> Preferences(std::int64_t user_id);
  Result<void> SetPreference(std::int64_t user_id, Channel channel, bool enabled);
  /// Per event: whether `user_id` wants `event_key` by each channel, for every event kind (the
  /// event's own choice, else the channel-wide one, else on).
  Result<std::vector<EventPreference>> EventPreferences(std::int64_t user_id);
  /// Stores the given choices (one transaction). Errors: kInvalidArgument
  /// "notify.unknown_event".
  Result<void> SetEventPreferences(std::int64_t user_id, const std::vector<EventPreference>& prefs);

  /// Every template (administrators' versions over the defaults), by event, channel, language.
  Result<std::vector<Template>> Templates();
  Result<Template> GetTemplate(std::string_view event_key, Channel channel, Language language);
  /// Validates and stores an administrator's version. Errors: those of Validate.
  Result<Template> SaveTemplate(const Template& t, std::int64_t by_user);
  /// Back to the built-in default.
  Result<void> ResetTemplate(std::string_view event_key, Channel channel, Language language);

  const OutboxOptions& options() const { return options_; }

  struct TemplateCache;

 private:
  // The administrators' templates, read at most every 30 s (or after this instance changed
  // one): an enqueue then runs no template query, which matters on the submission path.
  Result<std::optional<Template>> CustomTemplate(storage::Transaction& tx,
                                                 std::string_view event_key, Channel channel,
                                                 Language language) const;

  storage::Database& db_;
  const core::Clock& clock_;
  OutboxOptions options_;
  std::shared_ptr<TemplateCache> cache_;
};

/// The signature a gateway puts on a delivery receipt it posts to us, over the exact body:
/// "sha256=" + the lowercase hex HMAC-SHA256 of `body` under the shared `secret`, in the
/// X-Tinhso-Signature header.
std::string ReceiptSignature(std::string_view secret, std::string_view body);
/// Whether `signature` is ReceiptSignature(secret, body), compared in constant time. An empty
/// secret accepts nothing.
bool ReceiptSignatureValid(std::string_view secret, std::string_view body,
                           std::string_view signature);

/// Whether `actor` may see dossier `dossier_id`'s messages (the application asks the dossiers'
/// scope rules). Errors: kNotFound, kPermissionDenied.
using DossierCheck = std::function<Result<void>(const core::Actor& actor, std::int64_t dossier_id)>;

/// GET /api/v1/notifications (one's in-app list), POST /api/v1/notifications/{id}/read,
/// GET/PUT /api/v1/notification-preferences, GET /api/v1/dossiers/{id}/notifications
/// (officers), /api/v1/notification-templates… (the administrator's list, edit, reset and
/// preview), and the receipts gateways post: POST /api/v1/notification-receipts/sms (the SMS
/// gateway's delivery reports) and /email (a bounce, RFC 3464), signed with `receipt_secret`
/// (ReceiptSignature; empty: every receipt is refused).
void RegisterRoutes(http::Router& router, Outbox& outbox, DossierCheck may_read_dossier,
                    std::string receipt_secret = {});

}  // namespace tinhso::notify
