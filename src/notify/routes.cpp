// Thin HTTP handlers for notifications: parse, call the outbox, render.
#include "core/parse.hpp"
#include "core/text.hpp"
#include "http/api.hpp"
#include "notify/api.hpp"
#include "notify/email.hpp"
#include "notify/notify.hpp"
#include "notify/sms.hpp"

namespace tinhso::notify {
namespace {

NotificationView View(const Message& m) {
  NotificationView v;
  v.id = m.id;
  v.channel = std::string(ChannelName(m.channel));
  v.template_key = m.template_key;
  v.language = std::string(LanguageName(m.language));
  v.address = m.address;
  v.subject = m.subject;
  v.body = m.body;
  v.status = std::string(StatusName(m.status));
  v.attempts = m.attempts;
  v.last_error = m.last_error;
  v.dossier_id = m.dossier_id;
  v.segments = m.segments;
  v.cost = m.cost;
  v.created_at = m.created_at;
  v.sent_at = m.sent_at;
  v.delivered_at = m.delivered_at;
  v.read_at = m.read_at;
  return v;
}

NotificationList List(const std::vector<Message>& ms) {
  NotificationList out;
  for (const Message& m : ms) out.items.push_back(View(m));
  return out;
}

TemplateView View(const Template& t) {
  TemplateView v;
  v.event_key = t.event_key;
  v.channel = std::string(ChannelName(t.channel));
  v.language = std::string(LanguageName(t.language));
  v.subject = t.subject;
  v.body = t.body;
  v.body_unaccented = t.body_unaccented;
  v.customised = t.customised;
  if (const EventKind* kind = FindEventKind(t.event_key)) {
    for (std::string_view p : kind->placeholders) v.placeholders.emplace_back(p);
  }
  v.updated_at = t.updated_at;
  return v;
}

Result<std::int64_t> PathId(const http::Context& c) {
  auto id = core::ParseInt64(c.Param("id"));
  if (!id || *id <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_field",
                     "Mã phải là số nguyên dương.", "The id must be a positive integer.");
  }
  return *id;
}

// The template a path or a body names: event × channel × language.
Result<Template> Named(std::string_view event_key, std::string_view channel,
                       std::string_view language) {
  auto c = ParseChannel(channel);
  auto l = ParseLanguage(language);
  if (FindEventKind(event_key) == nullptr || !c || !l) {
    return MakeError(ErrorCode::kNotFound, "notify.unknown_template", "Không có mẫu thông báo này.",
                     "There is no such notification template.");
  }
  Template t;
  t.event_key = std::string(event_key);
  t.channel = *c;
  t.language = *l;
  return t;
}

// Sample values for a preview, one per placeholder an event offers.
const std::map<std::string, std::string>& SampleValues() {
  static const std::map<std::string, std::string> values = {
      {"name", "Nguyễn Văn An"},
      {"reference", "H55.60.01-260310-0001"},
      {"code", "H55.60.01-260310-0001"},
      {"procedure", "Đăng ký khai sinh"},
      {"lookup_url", "https://dichvucong.thainguyen.gov.vn/tra-cuu"},
      {"appointment_date", "24/03/2026 17:00"},
      {"what", "Bản sao giấy chứng sinh"},
      {"deadline", "31/03/2026"},
      {"amount", "150.000"},
      {"how_to_pay", "Thanh toán trực tuyến tại trang hồ sơ."},
      {"how_to_get", "Nhận tại Bộ phận một cửa xã Chợ Đồn."},
      {"new_date", "31/03/2026 17:00"},
      {"reason", "Cần xác minh thêm thông tin với cơ quan khác."},
  };
  return values;
}

SmsSizeView SizeView(const SmsSize& s) {
  return {.encoding = s.encoding == SmsEncoding::kGsm7 ? "gsm7" : "ucs2",
          .units = s.units,
          .segments = s.segments,
          .cost = s.cost};
}

Result<http::Response> InApp(Outbox& outbox, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<InAppQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto ms, outbox.ListInApp(ctx.actor.user_id, q.limit, q.offset));
  return http::Reply(200, List(ms));
}

Result<http::Response> MarkRead(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_RETURN_IF_ERROR(outbox.MarkRead(ctx.actor.user_id, id));
  http::Response done;
  done.status = 204;
  done.content_type.clear();  // no body, so no type (the contract checks a JSON type's body)
  return done;
}

Result<http::Response> ForDossier(Outbox& outbox, const DossierCheck& check, const http::Request&,
                                  http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  if (check) TINHSO_RETURN_IF_ERROR(check(ctx.actor, id));
  TINHSO_ASSIGN_OR_RETURN(auto ms, outbox.ListForDossier(id));
  return http::Reply(200, List(ms));
}

Result<http::Response> Templates(Outbox& outbox, const http::Request&, http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(auto all, outbox.Templates());
  TemplateList out;
  for (const Template& t : all) out.items.push_back(View(t));
  return http::Reply(200, out);
}

Result<http::Response> SaveTemplate(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Template t,
                          Named(ctx.Param("event"), ctx.Param("channel"), ctx.Param("language")));
  const auto& in = ctx.Body<TemplateInput>();
  t.subject = in.subject ? in.subject->value : "";
  t.body = in.body.value;
  t.body_unaccented = in.body_unaccented ? in.body_unaccented->value : "";
  TINHSO_ASSIGN_OR_RETURN(Template saved, outbox.SaveTemplate(t, ctx.actor.user_id));
  return http::Reply(200, View(saved));
}

Result<http::Response> ResetTemplate(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Template t,
                          Named(ctx.Param("event"), ctx.Param("channel"), ctx.Param("language")));
  TINHSO_RETURN_IF_ERROR(outbox.ResetTemplate(t.event_key, t.channel, t.language));
  TINHSO_ASSIGN_OR_RETURN(Template now, outbox.GetTemplate(t.event_key, t.channel, t.language));
  return http::Reply(200, View(now));
}

Result<http::Response> Preview(Outbox& outbox, const http::Request&, http::Context& ctx) {
  const auto& in = ctx.Body<PreviewInput>();
  TINHSO_ASSIGN_OR_RETURN(Template t,
                          Named(in.event_key.value, in.channel.value, in.language.value));
  t.subject = in.subject ? in.subject->value : "";
  t.body = in.body.value;
  t.body_unaccented = in.body_unaccented ? in.body_unaccented->value : "";
  TINHSO_RETURN_IF_ERROR(Validate(t));
  const std::int64_t price = outbox.options().sms_cost_per_segment;
  PreviewView v;
  TINHSO_ASSIGN_OR_RETURN(v.subject, Render(t.subject, SampleValues()));
  TINHSO_ASSIGN_OR_RETURN(v.body, Render(t.body, SampleValues()));
  v.sms = SizeView(MeasureSms(v.body, price));
  if (t.body_unaccented.empty()) {
    v.unaccented = core::Unaccented(v.body);
  } else {
    TINHSO_ASSIGN_OR_RETURN(std::string rendered, Render(t.body_unaccented, SampleValues()));
    v.unaccented = core::Unaccented(rendered);
  }
  v.sms_unaccented = SizeView(MeasureSms(v.unaccented, price));
  return http::Reply(200, v);
}

Result<http::Response> GetPreferences(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto prefs, outbox.EventPreferences(ctx.actor.user_id));
  PreferenceList out;
  for (const EventPreference& p : prefs) {
    const EventKind* kind = FindEventKind(p.event_key);
    out.items.push_back({.event_key = p.event_key,
                         .description_vi = std::string(kind->description_vi),
                         .description_en = std::string(kind->description_en),
                         .for_officers = kind->for_officers,
                         .channel = std::string(ChannelName(p.channel)),
                         .enabled = p.enabled});
  }
  return http::Reply(200, out);
}

Result<http::Response> PutPreferences(Outbox& outbox, const http::Request& r, http::Context& ctx) {
  std::vector<EventPreference> prefs;
  for (const PreferenceInput& in : ctx.Body<PreferencesInput>().items) {
    auto channel = ParseChannel(in.channel.value);
    if (!channel) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_field",
                       "Kênh phải là email, sms hoặc inapp.",
                       "The channel must be email, sms or inapp.", in.channel.value);
    }
    prefs.push_back({in.event_key.value, *channel, in.enabled});
  }
  TINHSO_RETURN_IF_ERROR(outbox.SetEventPreferences(ctx.actor.user_id, prefs));
  return GetPreferences(outbox, r, ctx);
}

// Receipts are posted by outside systems without a session: the shared secret's signature over
// the exact body is their credential, checked before the body is read any further.
Result<void> CheckSigned(const std::string& secret, const http::Request& r) {
  if (!ReceiptSignatureValid(secret, r.body, r.Header("x-tinhso-signature"))) {
    return MakeError(ErrorCode::kUnauthenticated, "notify.bad_signature",
                     "Chữ ký của báo cáo gửi tin không đúng.",
                     "The delivery receipt's signature is wrong.");
  }
  return Ok();
}

http::Response Accepted() {
  http::Response done;
  done.status = 204;
  done.content_type.clear();
  return done;
}

Result<http::Response> SmsReceiptRoute(Outbox& outbox, const std::string& secret,
                                       const http::Request& r, http::Context&) {
  TINHSO_RETURN_IF_ERROR(CheckSigned(secret, r));
  TINHSO_ASSIGN_OR_RETURN(SmsReceipt receipt, ParseSmsReceipt(r.body));
  // Our own reference first: it names the message even if our commit of the gateway's id was
  // lost (the receipt overtook it).
  TINHSO_RETURN_IF_ERROR(
      outbox.RecordReceipt(receipt.client_ref.empty() ? receipt.message_id : receipt.client_ref,
                           receipt.status, receipt.detail));
  return Accepted();
}

Result<http::Response> EmailReceiptRoute(Outbox& outbox, const std::string& secret,
                                         const http::Request& r, http::Context&) {
  TINHSO_RETURN_IF_ERROR(CheckSigned(secret, r));
  auto report = ParseDsn(r.body);
  if (!report.ok() && report.error().reason == "notify.dsn_not_final") return Accepted();
  if (!report.ok()) return report.error();
  TINHSO_RETURN_IF_ERROR(outbox.RecordReceipt(report->stable_id, report->status, report->detail));
  return Accepted();
}

}  // namespace

void RegisterRoutes(http::Router& router, Outbox& outbox, DossierCheck may_read_dossier,
                    std::string receipt_secret) {
  using http::Method;
  Outbox* box = &outbox;
  auto bind = [box](auto fn) {
    return [box, fn](const http::Request& r, http::Context& c) { return fn(*box, r, c); };
  };
  const http::PathParam kId = http::IdParam("id");
  const std::vector<http::PathParam> kTemplate = {http::CodeParam("event", "^[a-z_]{1,64}$"),
                                                  http::CodeParam("channel", "^(email|sms|inapp)$"),
                                                  http::CodeParam("language", "^(vi|en)$")};
  router.Add({.method = Method::kGet,
              .path = "/api/v1/notifications",
              .action = "notification.own",
              .summary_vi = "Thông báo của tôi (trên cổng), mới nhất trước",
              .summary_en = "My notifications (in the portal), newest first",
              .handler = bind(InApp),
              .tag = "notifications",
              .query = http::QueryParams<InAppQuery>(),
              .answers = {http::Returns<NotificationList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/notifications/{id}/read",
              .action = "notification.own",
              .summary_vi = "Đánh dấu đã đọc một thông báo của tôi",
              .summary_en = "Mark one of my notifications read",
              .handler = bind(MarkRead),
              .tag = "notifications",
              .params = {kId},
              .answers = {http::NoContent()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/notification-preferences",
              .action = "notification.own",
              .summary_vi = "Tôi muốn nhận thông báo nào, qua kênh nào",
              .summary_en = "Which notifications I want, by which channel",
              .handler = bind(GetPreferences),
              .tag = "notifications",
              .answers = {http::Returns<PreferenceList>()}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/notification-preferences",
              .action = "notification.own",
              .summary_vi = "Đổi lựa chọn nhận thông báo (theo sự kiện và kênh)",
              .summary_en = "Change which notifications I want (by event and channel)",
              .handler = bind(PutPreferences),
              .tag = "notifications",
              .body = http::JsonBody<PreferencesInput>(),
              .answers = {http::Returns<PreferenceList>()}});
  auto secret = std::make_shared<const std::string>(std::move(receipt_secret));
  router.Add(
      {.method = Method::kPost,
       .path = "/api/v1/notification-receipts/sms",
       .action = "public.notification_receipt",
       .summary_vi = "Cổng SMS báo tin đã đến hay không (ký HMAC-SHA256 ở X-Tinhso-Signature)",
       .summary_en = "The SMS gateway reports a delivery (HMAC-SHA256 in X-Tinhso-Signature)",
       .handler = [box, secret](const http::Request& r,
                                http::Context& c) { return SmsReceiptRoute(*box, *secret, r, c); },
       .tag = "notifications",
       .body = http::DocumentedBody<SmsReceiptInput>(),
       .answers = {http::NoContent()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/notification-receipts/email",
              .action = "public.notification_receipt",
              .summary_vi =
                  "Máy chủ thư chuyển một thư báo lỗi gửi (DSN, RFC 3464) đến hộp thư trả "
                  "về (ký HMAC-SHA256 ở X-Tinhso-Signature)",
              .summary_en = "The mail server hands over a bounce (DSN, RFC 3464) that reached the "
                            "bounce address (HMAC-SHA256 in X-Tinhso-Signature)",
              .handler = [box, secret](
                             const http::Request& r,
                             http::Context& c) { return EmailReceiptRoute(*box, *secret, r, c); },
              .tag = "notifications",
              .raw_body = {.types = {"message/rfc822"},
                           .description = "Thư DSN nguyên văn / the DSN as received"},
              .answers = {http::NoContent()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/notifications",
              .action = "notification.dossier",
              .summary_vi = "Các thông báo đã gửi về hồ sơ và trạng thái gửi",
              .summary_en = "The notifications sent about a dossier, with their delivery status",
              .handler = [box, check = std::move(may_read_dossier)](
                             const http::Request& r,
                             http::Context& c) { return ForDossier(*box, check, r, c); },
              .tag = "notifications",
              .params = {kId},
              .answers = {http::Returns<NotificationList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/notification-templates",
              .action = "notification.templates",
              .summary_vi = "Các mẫu thông báo (theo sự kiện, kênh và ngôn ngữ)",
              .summary_en = "The notification templates (by event, channel and language)",
              .handler = bind(Templates),
              .tag = "notifications",
              .answers = {http::Returns<TemplateList>()}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/notification-templates/{event}/{channel}/{language}",
              .action = "notification.templates",
              .summary_vi = "Sửa một mẫu thông báo",
              .summary_en = "Edit a notification template",
              .handler = bind(SaveTemplate),
              .tag = "notifications",
              .params = kTemplate,
              .body = http::JsonBody<TemplateInput>(),
              .answers = {http::Returns<TemplateView>()}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/notification-templates/{event}/{channel}/{language}",
              .action = "notification.templates",
              .summary_vi = "Trả một mẫu thông báo về mẫu mặc định",
              .summary_en = "Reset a notification template to the default",
              .handler = bind(ResetTemplate),
              .tag = "notifications",
              .params = kTemplate,
              .answers = {http::Returns<TemplateView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/notification-templates/preview",
              .action = "notification.templates",
              .summary_vi = "Xem trước một mẫu với dữ liệu mẫu, kèm số đoạn và chi phí tin nhắn",
              .summary_en = "Preview a template with sample values, with its SMS segments and cost",
              .handler = bind(Preview),
              .tag = "notifications",
              .body = http::JsonBody<PreviewInput>(),
              .answers = {http::Returns<PreviewView>()}});
}

}  // namespace tinhso::notify
