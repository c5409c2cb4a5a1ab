// The notify module's API types (http/api.hpp): what its routes read and answer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http/api.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {

// One message, as its recipient (in-app) or an officer (a dossier's messages) sees it.
struct NotificationView {
  std::int64_t id = 0;
  std::string channel;  // "email", "sms", "inapp"
  std::string template_key;
  std::string language;  // "vi", "en"
  std::string address;   // e-mail address or phone number; "" in-app
  std::string subject;
  std::string body;
  std::string status;  // queued, sending, sent, delivered, failed, bounced, suppressed
  int attempts = 0;
  std::string last_error;  // why it failed, bounced or was suppressed
  http::Nullable<std::int64_t> dossier_id;
  int segments = 0;  // SMS
  std::int64_t cost = 0;
  http::Timestamp created_at;
  http::Nullable<http::Timestamp> sent_at;
  http::Nullable<http::Timestamp> delivered_at;
  http::Nullable<http::Timestamp> read_at;
};
TINHSO_API_STRUCT(NotificationView, (id, channel, template_key, language, address, subject, body,
                                     status, attempts, last_error, dossier_id, segments, cost,
                                     created_at, sent_at, delivered_at, read_at))

struct NotificationList {
  std::vector<NotificationView> items;
};
TINHSO_API_STRUCT(NotificationList, (items))

struct InAppQuery {
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
};
TINHSO_API_STRUCT(InAppQuery, (limit, offset))

struct TemplateView {
  std::string event_key;
  std::string channel;
  std::string language;
  std::string subject;
  std::string body;
  std::string body_unaccented;
  bool customised = false;  // an administrator's version (false: the built-in default)
  std::vector<std::string> placeholders;  // those the event offers
  http::Nullable<http::Timestamp> updated_at;
};
TINHSO_API_STRUCT(TemplateView, (event_key, channel, language, subject, body, body_unaccented,
                                 customised, placeholders, updated_at))

struct TemplateList {
  std::vector<TemplateView> items;
};
TINHSO_API_STRUCT(TemplateList, (items))

// PUT /api/v1/notification-templates/{event}/{channel}/{language}
struct TemplateInput {
  std::optional<http::Text<300>> subject;  // e-mail and in-app
  http::Text<5000> body;
  std::optional<http::Text<1000>> body_unaccented;  // SMS
};
TINHSO_API_STRUCT(TemplateInput, (subject, body, body_unaccented))

// POST /api/v1/notification-templates/preview: a template as it would read, with sample values.
struct PreviewInput {
  http::Text<64> event_key;
  http::Text<8> channel;
  http::Text<4> language;
  std::optional<http::Text<300>> subject;
  http::Text<5000> body;
  std::optional<http::Text<1000>> body_unaccented;
};
TINHSO_API_STRUCT(PreviewInput, (event_key, channel, language, subject, body, body_unaccented))

struct SmsSizeView {
  std::string encoding;  // "gsm7" or "ucs2"
  int units = 0;         // characters as the network counts them
  int segments = 0;
  std::int64_t cost = 0;  // đồng, at the configured price per segment
};
TINHSO_API_STRUCT(SmsSizeView, (encoding, units, segments, cost))

struct PreviewView {
  std::string subject;
  std::string body;
  SmsSizeView sms;         // the body sent as an SMS
  std::string unaccented;  // the unaccented variant as sent (the given one, or the body folded)
  SmsSizeView sms_unaccented;
};
TINHSO_API_STRUCT(PreviewView, (subject, body, sms, unaccented, sms_unaccented))

// One event × channel choice of the signed-in user.
struct PreferenceView {
  std::string event_key;
  std::string description_vi;
  std::string description_en;
  bool for_officers = false;  // an event only officers receive
  std::string channel;        // "email", "sms", "inapp"
  bool enabled = true;
};
TINHSO_API_STRUCT(PreferenceView,
                  (event_key, description_vi, description_en, for_officers, channel, enabled))

struct PreferenceList {
  std::vector<PreferenceView> items;
};
TINHSO_API_STRUCT(PreferenceList, (items))

struct PreferenceInput {
  http::Text<64> event_key;
  http::Text<8> channel;  // "email", "sms", "inapp"
  bool enabled = true;
};
TINHSO_API_STRUCT(PreferenceInput, (event_key, channel, enabled))

// PUT /api/v1/notification-preferences: the choices to change (the others stay).
struct PreferencesInput {
  std::vector<PreferenceInput> items;
};
TINHSO_API_STRUCT(PreferencesInput, (items))

// POST /api/v1/notification-receipts/sms: the SMS gateway's delivery report (notify/sms.hpp).
struct SmsReceiptInput {
  std::optional<http::Text<100>> message_id;  // the gateway's id of the message
  std::optional<http::Text<100>> client_ref;  // ours: "notification-N"
  http::Text<16> status;                      // "delivered" or "failed"
  std::optional<http::Text<500>> detail;
};
TINHSO_API_STRUCT(SmsReceiptInput, (message_id, client_ref, status, detail))

}  // namespace tinhso::notify
