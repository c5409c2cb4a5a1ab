// The outbox: enqueue inside the caller's transaction, claim with a lease, record outcomes.
// The only file of the module that runs SQL.
#include <algorithm>
#include <charconv>
#include <mutex>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "notify/internal.hpp"
#include "notify/notify.hpp"
#include "notify/sql.hpp"

namespace tinhso::notify {
namespace {

using storage::Row;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

Message FromRow(const Row& r) {
  Message m;
  m.id = r.Int(0);
  m.idempotency_key = r.Text(1);
  m.channel = ParseChannel(r.Text(2)).value_or(Channel::kEmail);
  m.recipient_user_id = r.Int(3);
  m.address = r.Text(4);
  m.dossier_id = r.OptionalInt(5);
  m.template_key = r.Text(6);
  m.language = ParseLanguage(r.Text(7)).value_or(Language::kVi);
  m.subject = r.Text(8);
  m.body = r.Text(9);
  m.status = ParseStatus(r.Text(10)).value_or(Status::kQueued);
  m.attempts = static_cast<int>(r.Int(11));
  m.next_attempt_at = r.Time(12);
  m.last_error = r.Text(13);
  m.provider_id = r.Text(14);
  m.segments = static_cast<int>(r.Int(15));
  m.cost = r.Int(16);
  m.created_at = r.Time(17);
  m.sent_at = r.OptionalTime(18);
  m.delivered_at = r.OptionalTime(19);
  m.read_at = r.OptionalTime(20);
  m.lease_owner = r.Text(21);
  return m;
}

std::vector<Message> Messages(const storage::Rows& rows) {
  std::vector<Message> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FromRow(r));
  return out;
}

// The day a cap counts in: the date in Vietnam.
std::string VietnamDay(core::Seconds now) {
  const std::chrono::year_month_day d{
      std::chrono::floor<std::chrono::days>(now + core::kVietnamOffset)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

Template FromTemplateRow(const Row& r) {
  Template t;
  t.event_key = r.Text(0);
  t.channel = ParseChannel(r.Text(1)).value_or(Channel::kEmail);
  t.language = ParseLanguage(r.Text(2)).value_or(Language::kVi);
  t.subject = r.Text(3);
  t.body = r.Text(4);
  t.body_unaccented = r.Text(5);
  t.customised = true;
  t.updated_at = r.Time(6);
  return t;
}

Error NoTemplate(std::string_view event_key) {
  return MakeError(
      ErrorCode::kInvalidArgument, "notify.unknown_event",
      "Không có mẫu thông báo cho sự kiện '" + std::string(event_key) + "'.",
      "There is no notification template for the event '" + std::string(event_key) + "'.");
}

Result<Template> LoadTemplate(storage::Transaction& tx, std::string_view event_key, Channel channel,
                              Language language) {
  TINHSO_ASSIGN_OR_RETURN(
      storage::Rows rows,
      tx.Query(sql::kTemplate, {{"event_key", std::string(event_key)},
                                {"channel", std::string(ChannelName(channel))},
                                {"language", std::string(LanguageName(language))}}));
  if (!rows.empty()) return FromTemplateRow(rows[0]);
  auto fallback = internal::DefaultTemplate(event_key, channel, language);
  if (!fallback) return NoTemplate(event_key);
  return *fallback;
}

}  // namespace

struct Outbox::TemplateCache {
  std::mutex mu;
  bool valid = false;
  std::chrono::steady_clock::time_point loaded;
  std::vector<Template> custom;
};

Outbox::Outbox(storage::Database& db, const core::Clock& clock, OutboxOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      cache_(std::make_shared<TemplateCache>()) {}

Result<std::optional<Template>> Outbox::CustomTemplate(storage::Transaction& tx,
                                                       std::string_view event_key, Channel channel,
                                                       Language language) const {
  constexpr auto kMaxAge = std::chrono::seconds(30);
  std::lock_guard lock(cache_->mu);
  const auto now = std::chrono::steady_clock::now();
  if (!cache_->valid || now - cache_->loaded > kMaxAge) {
    TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql::kTemplates));
    cache_->custom.clear();
    for (const Row& r : rows) cache_->custom.push_back(FromTemplateRow(r));
    cache_->valid = true;
    cache_->loaded = now;
  }
  for (const Template& t : cache_->custom) {
    if (t.event_key == event_key && t.channel == channel && t.language == language)
      return std::optional<Template>(t);
  }
  return std::optional<Template>();
}

Result<std::vector<Message>> Outbox::Enqueue(storage::Transaction& tx, const Event& event,
                                             const Recipient& recipient) const {
  if (FindEventKind(event.template_key) == nullptr) return NoTemplate(event.template_key);
  const core::Seconds now = clock_.Now();

  std::map<Channel, bool> enabled;
  if (recipient.user_id != 0) {
    TINHSO_ASSIGN_OR_RETURN(storage::Rows prefs,
                            tx.Query(sql::kPreferences, {{"user_id", recipient.user_id}}));
    for (const Row& r : prefs) {
      if (auto c = ParseChannel(r.Text(0))) enabled[*c] = r.Int(1) != 0;
    }
    TINHSO_ASSIGN_OR_RETURN(storage::Rows per_event,
                            tx.Query(sql::kEventPreference, {{"user_id", recipient.user_id},
                                                             {"event_key", event.template_key}}));
    for (const Row& r : per_event) {
      if (auto c = ParseChannel(r.Text(0))) enabled[*c] = r.Int(1) != 0;
    }
  }

  struct Target {
    Channel channel;
    std::string address;
    std::string who;  // in the idempotency key
  };
  std::vector<Target> targets;
  const std::string user = recipient.user_id != 0 ? "u" + std::to_string(recipient.user_id) : "";
  if (!recipient.email.empty()) {
    targets.push_back({Channel::kEmail, recipient.email, user.empty() ? recipient.email : user});
  }
  if (!recipient.phone.empty()) {
    targets.push_back({Channel::kSms, recipient.phone, user.empty() ? recipient.phone : user});
  }
  if (recipient.user_id != 0) targets.push_back({Channel::kInApp, "", user});

  std::vector<Message> out;
  for (const Target& target : targets) {
    const std::string key =
        event.id + "|" + std::string(ChannelName(target.channel)) + "|" + target.who;
    TINHSO_ASSIGN_OR_RETURN(
        std::optional<Template> found,
        CustomTemplate(tx, event.template_key, target.channel, recipient.language));
    if (!found) {
      found = internal::DefaultTemplate(event.template_key, target.channel, recipient.language);
    }
    if (!found) return NoTemplate(event.template_key);
    const Template& t = *found;
    TINHSO_ASSIGN_OR_RETURN(std::string subject, Render(t.subject, event.values));
    std::string body;
    if (target.channel == Channel::kSms && options_.sms_unaccented) {
      if (t.body_unaccented.empty()) {
        TINHSO_ASSIGN_OR_RETURN(std::string accented, Render(t.body, event.values));
        body = core::Unaccented(accented);
      } else {
        // The placeholders' values may carry diacritics of their own (names, places).
        TINHSO_ASSIGN_OR_RETURN(std::string rendered, Render(t.body_unaccented, event.values));
        body = core::Unaccented(rendered);
      }
    } else {
      TINHSO_ASSIGN_OR_RETURN(body, Render(t.body, event.values));
    }

    Status status = Status::kQueued;
    std::string reason;
    auto pref = enabled.find(target.channel);
    if (pref != enabled.end() && !pref->second) {
      status = Status::kSuppressed;
      reason = "preference: channel turned off by the recipient";
    } else if (target.channel == Channel::kInApp) {
      status = Status::kDelivered;  // the list is the delivery
    }
    int segments = 0;
    std::int64_t cost = 0;
    if (target.channel == Channel::kSms) {
      const SmsSize size = MeasureSms(body, options_.sms_cost_per_segment);
      segments = size.segments;
      cost = size.cost;
    }
    const bool done = status == Status::kDelivered;
    TINHSO_ASSIGN_OR_RETURN(
        storage::Rows inserted,
        tx.Query(sql::kInsert,
                 {{"key", key},
                  {"channel", std::string(ChannelName(target.channel))},
                  {"user_id", recipient.user_id},
                  {"address", target.address},
                  {"dossier_id",
                   event.dossier_id ? storage::Value(*event.dossier_id) : storage::Value(nullptr)},
                  {"template_key", event.template_key},
                  {"language", std::string(LanguageName(recipient.language))},
                  {"subject", subject},
                  {"body", body},
                  {"status", std::string(StatusName(status))},
                  {"next", Epoch(now)},
                  {"error", reason},
                  {"segments", std::int64_t{segments}},
                  {"cost", cost},
                  {"created_at", Epoch(now)},
                  {"sent_at", done ? storage::Value(Epoch(now)) : storage::Value(nullptr)},
                  {"delivered_at", done ? storage::Value(Epoch(now)) : storage::Value(nullptr)}}));
    if (inserted.empty()) {  // enqueued before: the message it made then
      TINHSO_ASSIGN_OR_RETURN(storage::Rows existing, tx.Query(sql::kByKey, {{"key", key}}));
      if (!existing.empty()) out.push_back(FromRow(existing[0]));
      continue;
    }
    Message m = FromRow(inserted[0]);
    // The cap counts only messages that would go out, and only once each (after the insert).
    if (status == Status::kQueued && options_.daily_cap > 0) {
      TINHSO_ASSIGN_OR_RETURN(
          storage::Rows count,
          tx.Query(sql::kBumpDaily, {{"address", target.address},
                                     {"channel", std::string(ChannelName(target.channel))},
                                     {"day", VietnamDay(now)}}));
      if (!count.empty() && count[0].Int(0) > options_.daily_cap) {
        TINHSO_ASSIGN_OR_RETURN(
            storage::Rows suppressed,
            tx.Query(sql::kSuppress, {{"error", "daily cap: " + std::to_string(options_.daily_cap) +
                                                    " messages a day reached for this address"},
                                      {"id", m.id}}));
        if (!suppressed.empty()) m = FromRow(suppressed[0]);
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<Message>> Outbox::Claim(std::string_view worker, int limit, bool email,
                                           bool sms) {
  return storage::WithTransaction(
      db_, [&](storage::Transaction& tx) -> Result<std::vector<Message>> {
        const std::int64_t now = Epoch(clock_.Now());
        TINHSO_RETURN_IF_ERROR(tx.Execute(
            sql::kFailAbandoned, {{"error", "attempts used up (the last delivery was interrupted)"},
                                  {"now", now},
                                  {"max", std::int64_t{options_.max_attempts}}}));
        TINHSO_ASSIGN_OR_RETURN(storage::Rows due,
                                tx.Query(sql::kDue, {{"now", now},
                                                     {"now2", now},
                                                     {"email", std::int64_t{email ? 1 : 0}},
                                                     {"sms", std::int64_t{sms ? 1 : 0}},
                                                     {"limit", std::int64_t{limit}}}));
        std::vector<Message> claimed;
        for (const Row& r : due) {
          TINHSO_ASSIGN_OR_RETURN(storage::Rows got,
                                  tx.Query(sql::kClaim, {{"owner", std::string(worker)},
                                                         {"until", now + options_.lease.count()},
                                                         {"id", r.Int(0)},
                                                         {"now", now}}));
          if (!got.empty()) claimed.push_back(FromRow(got[0]));
        }
        return claimed;
      });
}

Result<void> Outbox::Complete(const Message& message, const Result<std::string>& outcome) {
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    const core::Seconds now = clock_.Now();
    if (outcome.ok()) {
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kMarkSent, {{"now", Epoch(now)},
                                                         {"provider", *outcome},
                                                         {"id", message.id},
                                                         {"owner", message.lease_owner}}));
      return Ok();
    }
    const Error& e = outcome.error();
    std::string why = e.reason + ": " + e.message_en;
    if (!e.detail.empty()) why += " (" + e.detail + ")";
    const bool permanent = e.code == ErrorCode::kInvalidArgument;
    if (permanent || message.attempts >= options_.max_attempts) {
      const Status status = e.reason == "notify.bounced" ? Status::kBounced : Status::kFailed;
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kMarkFailed, {{"status", std::string(StatusName(status))},
                                        {"error", why},
                                        {"id", message.id},
                                        {"owner", message.lease_owner}}));
      return Ok();
    }
    // Exponential backoff: first_retry, then doubled per attempt, up to max_retry.
    auto delay = options_.first_retry;
    for (int i = 1; i < message.attempts && delay < options_.max_retry; ++i) delay *= 2;
    delay = std::min(delay, options_.max_retry);
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kMarkRetry, {{"next", Epoch(now + delay)},
                                                        {"error", why},
                                                        {"id", message.id},
                                                        {"owner", message.lease_owner}}));
    return Ok();
  });
}

Result<DeliveryReport> Outbox::DeliverDue(const Senders& senders, int limit) {
  DeliveryReport report;
  const std::string worker = core::RandomToken(12);
  while (report.claimed < limit) {
    TINHSO_ASSIGN_OR_RETURN(std::vector<Message> batch,
                            Claim(worker, std::min(10, limit - report.claimed),
                                  senders.email != nullptr, senders.sms != nullptr));
    if (batch.empty()) break;
    for (const Message& m : batch) {
      ++report.claimed;
      Sender* sender = m.channel == Channel::kEmail ? senders.email
                       : m.channel == Channel::kSms ? senders.sms
                                                    : nullptr;
      Result<std::string> outcome =
          sender != nullptr
              ? sender->Send(m)
              : Result<std::string>(MakeError(ErrorCode::kUnavailable, "notify.no_sender",
                                              "Chưa cấu hình kênh gửi này.",
                                              "This channel has no sender configured."));
      if (outcome.ok()) {
        ++report.sent;
      } else if (outcome.error().code == ErrorCode::kInvalidArgument ||
                 m.attempts >= options_.max_attempts) {
        ++report.failed;
      } else {
        ++report.retried;
      }
      TINHSO_RETURN_IF_ERROR(Complete(m, outcome));
    }
  }
  return report;
}

Result<void> Outbox::RecordReceipt(std::string_view id, Status status, std::string_view detail) {
  if (status != Status::kDelivered && status != Status::kFailed && status != Status::kBounced) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.bad_receipt",
                     "Báo cáo gửi tin chỉ có thể là đã nhận, thất bại hoặc bị trả lại.",
                     "A delivery receipt can only say delivered, failed or bounced.");
  }
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    std::optional<std::int64_t> message_id;
    constexpr std::string_view kPrefix = "notification-";
    if (id.starts_with(kPrefix)) {
      std::int64_t n = 0;
      const auto digits = id.substr(kPrefix.size());
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec == std::errc() && end == digits.data() + digits.size()) message_id = n;
    }
    if (!message_id) {
      TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                              tx.Query(sql::kByProvider, {{"provider", std::string(id)}}));
      if (!rows.empty()) message_id = rows[0].Int(0);
    }
    const core::Seconds now = clock_.Now();
    std::int64_t changed = 0;
    if (message_id) {
      TINHSO_ASSIGN_OR_RETURN(
          changed, tx.Execute(sql::kReceipt, {{"status", std::string(StatusName(status))},
                                              {"delivered_at", status == Status::kDelivered
                                                                   ? storage::Value(Epoch(now))
                                                                   : storage::Value(nullptr)},
                                              {"detail", std::string(detail)},
                                              {"id", *message_id}}));
    }
    if (changed == 0) {
      return MakeError(ErrorCode::kNotFound, "notify.unknown_message",
                       "Không có tin đã gửi với mã này.", "No sent message has this id.",
                       std::string(id));
    }
    return Ok();
  });
}

Result<Message> Outbox::Get(std::int64_t id) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(sql::kById, {{"id", id}}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound, "notify.unknown_message", "Không có thông báo này.",
                     "There is no such notification.");
  }
  return FromRow(rows[0]);
}

Result<std::vector<Message>> Outbox::ListForDossier(std::int64_t dossier_id) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                          tx->Query(sql::kByDossier, {{"dossier_id", dossier_id}}));
  return Messages(rows);
}

Result<std::vector<Message>> Outbox::ListInApp(std::int64_t user_id, int limit, int offset) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                          tx->Query(sql::kInApp, {{"user_id", user_id},
                                                  {"limit", std::int64_t{limit}},
                                                  {"offset", std::int64_t{offset}}}));
  return Messages(rows);
}

Result<void> Outbox::MarkRead(std::int64_t user_id, std::int64_t message_id) {
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(tx.Execute(
        sql::kMarkRead, {{"now", Epoch(clock_.Now())}, {"id", message_id}, {"user_id", user_id}}));
    return Ok();
  });
}

Result<std::map<Channel, bool>> Outbox::Preferences(std::int64_t user_id) {
  std::map<Channel, bool> out = {
      {Channel::kEmail, true}, {Channel::kSms, true}, {Channel::kInApp, true}};
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(sql::kPreferences, {{"user_id", user_id}}));
  for (const Row& r : rows) {
    if (auto c = ParseChannel(r.Text(0))) out[*c] = r.Int(1) != 0;
  }
  return out;
}

Result<void> Outbox::SetPreference(std::int64_t user_id, Channel channel, bool enabled) {
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kSetPreference, {{"user_id", user_id},
                                         {"channel", std::string(ChannelName(channel))},
                                         {"enabled", std::int64_t{enabled ? 1 : 0}},
                                         {"now", Epoch(clock_.Now())}}));
    return Ok();
  });
}

Result<std::vector<EventPreference>> Outbox::EventPreferences(std::int64_t user_id) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows channel_rows,
                          tx->Query(sql::kPreferences, {{"user_id", user_id}}));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows event_rows,
                          tx->Query(sql::kEventPreferences, {{"user_id", user_id}}));
  std::map<Channel, bool> channel_wide;
  for (const Row& r : channel_rows) {
    if (auto c = ParseChannel(r.Text(0))) channel_wide[*c] = r.Int(1) != 0;
  }
  std::vector<EventPreference> out;
  for (const EventKind& kind : EventKinds()) {
    for (Channel c : {Channel::kEmail, Channel::kSms, Channel::kInApp}) {
      EventPreference p{std::string(kind.key), c, true};
      if (auto it = channel_wide.find(c); it != channel_wide.end()) p.enabled = it->second;
      for (const Row& r : event_rows) {
        if (r.Text(0) == kind.key && ParseChannel(r.Text(1)) == c) p.enabled = r.Int(2) != 0;
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<void> Outbox::SetEventPreferences(std::int64_t user_id,
                                         const std::vector<EventPreference>& prefs) {
  for (const EventPreference& p : prefs) {
    if (FindEventKind(p.event_key) == nullptr) return NoTemplate(p.event_key);
  }
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    for (const EventPreference& p : prefs) {
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kSetEventPreference, {{"user_id", user_id},
                                                {"event_key", p.event_key},
                                                {"channel", std::string(ChannelName(p.channel))},
                                                {"enabled", std::int64_t{p.enabled ? 1 : 0}},
                                                {"now", Epoch(clock_.Now())}}));
    }
    return Ok();
  });
}

Result<std::vector<Template>> Outbox::Templates() {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(sql::kTemplates));
  std::vector<Template> custom;
  for (const Row& r : rows) custom.push_back(FromTemplateRow(r));
  std::vector<Template> out;
  for (const EventKind& kind : EventKinds()) {
    for (Channel c : {Channel::kEmail, Channel::kSms, Channel::kInApp}) {
      for (Language l : {Language::kVi, Language::kEn}) {
        auto it = std::find_if(custom.begin(), custom.end(), [&](const Template& t) {
          return t.event_key == kind.key && t.channel == c && t.language == l;
        });
        if (it != custom.end()) {
          out.push_back(*it);
        } else if (auto d = internal::DefaultTemplate(kind.key, c, l)) {
          out.push_back(*d);
        }
      }
    }
  }
  return out;
}

Result<Template> Outbox::GetTemplate(std::string_view event_key, Channel channel,
                                     Language language) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  return LoadTemplate(*tx, event_key, channel, language);
}

Result<Template> Outbox::SaveTemplate(const Template& t, std::int64_t by_user) {
  TINHSO_RETURN_IF_ERROR(Validate(t));
  Template saved = t;
  saved.subject = core::ToNfc(t.subject);
  saved.body = core::ToNfc(t.body);
  saved.body_unaccented = core::ToNfc(t.body_unaccented);
  saved.customised = true;
  saved.updated_at = clock_.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kSaveTemplate, {{"event_key", saved.event_key},
                                            {"channel", std::string(ChannelName(saved.channel))},
                                            {"language", std::string(LanguageName(saved.language))},
                                            {"subject", saved.subject},
                                            {"body", saved.body},
                                            {"unaccented", saved.body_unaccented},
                                            {"now", Epoch(*saved.updated_at)},
                                            {"by", by_user}}));
        return Ok();
      }));
  std::lock_guard lock(cache_->mu);
  cache_->valid = false;
  return saved;
}

Result<void> Outbox::ResetTemplate(std::string_view event_key, Channel channel, Language language) {
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kResetTemplate, {{"event_key", std::string(event_key)},
                                             {"channel", std::string(ChannelName(channel))},
                                             {"language", std::string(LanguageName(language))}}));
        return Ok();
      }));
  std::lock_guard lock(cache_->mu);
  cache_->valid = false;
  return Ok();
}

}  // namespace tinhso::notify
