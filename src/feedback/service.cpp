// Feedback (phản ánh, kiến nghị): stored with its audit entry in one transaction, limited per
// address by counting what that address sent in the last hour.
#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/text.hpp"
#include "feedback/feedback.hpp"
#include "feedback/sql.hpp"

namespace tinhso::feedback {
namespace {

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

std::string_view KindKey(Kind k) { return k == Kind::kSuggestion ? "kien_nghi" : "phan_anh"; }

Error Invalid(std::string_view field, std::string_view vi, std::string_view en) {
  return MakeError(ErrorCode::kInvalidArgument, "feedback.invalid", std::string(vi),
                   std::string(en), std::string(field));
}

}  // namespace

Service::Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
                 Options options)
    : db_(db), clock_(clock), policy_(policy), options_(options) {}

Result<Feedback> Service::Send(const Input& input, const core::Actor& actor,
                               std::string_view client) {
  Feedback f;
  f.kind = input.kind;
  f.name = core::ToNfc(Trimmed(input.name));
  f.contact = Trimmed(input.contact);
  f.subject = core::ToNfc(Trimmed(input.subject));
  f.content = core::ToNfc(Trimmed(input.content));
  f.dossier_ref = Trimmed(input.dossier_ref);
  f.user_id = actor.user_id;
  if (f.name.empty()) return Invalid("name", "Nhập họ và tên", "Enter your full name");
  // Someone must be able to answer: an e-mail address or a phone number.
  const bool email = f.contact.find('@') != std::string::npos;
  const bool phone =
      f.contact.size() >= 9 && f.contact.find_first_not_of("0123456789 +.") == std::string::npos;
  if (!email && !phone) {
    return Invalid("contact", "Nhập thư điện tử hoặc số điện thoại để nhận trả lời",
                   "Enter an e-mail address or a phone number for the answer");
  }
  if (f.subject.empty()) return Invalid("subject", "Nhập tiêu đề", "Enter a subject");
  if (f.content.size() < 10) {
    return Invalid("content", "Nhập nội dung phản ánh, kiến nghị (ít nhất 10 ký tự)",
                   "Enter what you want to tell us (at least 10 characters)");
  }
  const core::Seconds now = clock_.Now();
  f.created_at = now;
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<Feedback> {
    TINHSO_ASSIGN_OR_RETURN(
        auto sent, tx.Query(sql::kSentSince,
                            {{"client_ip", std::string(client)},
                             {"since", (now - std::chrono::hours(1)).time_since_epoch().count()}}));
    if (!sent.empty() && sent[0].Int(0) >= options_.per_address_per_hour) {
      return MakeError(ErrorCode::kResourceExhausted, "feedback.too_many",
                       "Bạn đã gửi nhiều phản ánh, kiến nghị trong một giờ qua. Xin gửi lại sau "
                       "hoặc gọi đường dây nóng.",
                       "You have sent a lot of feedback in the past hour. Please send it later, "
                       "or call the hotline.");
    }
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(sql::kInsert, {{"created_at", now.time_since_epoch().count()},
                                           {"kind", std::string(KindKey(f.kind))},
                                           {"name", f.name},
                                           {"contact", f.contact},
                                           {"subject", f.subject},
                                           {"content", f.content},
                                           {"dossier_ref", f.dossier_ref},
                                           {"user_id", f.user_id == 0 ? storage::Value(nullptr)
                                                                      : storage::Value(f.user_id)},
                                           {"client_ip", std::string(client)}}));
    f.id = rows[0].Int(0);
    // The audit keeps that it came and what about; the person's contact stays in the table.
    boost::json::object data{{"kind", KindKey(f.kind)}, {"subject", f.subject}};
    if (!f.dossier_ref.empty()) data["dossier_ref"] = f.dossier_ref;
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor,
        {"feedback.create", "feedback", std::to_string(f.id), boost::json::serialize(data)}, now));
    return f;
  });
}

Result<Page> Service::List(int limit, int offset, const core::Actor& actor) const {
  if (!policy_.Allows(actor, "feedback.read")) {
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền xem phản ánh, kiến nghị.",
                     "You may not read the feedback.");
  }
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kList, {{"limit", std::int64_t{limit}},
                                                            {"offset", std::int64_t{offset}}}));
  TINHSO_ASSIGN_OR_RETURN(auto count, tx->Query(sql::kCount, {}));
  Page page{.total = count[0].Int(0), .limit = limit, .offset = offset};
  for (const auto& r : rows) {
    page.items.push_back({.id = r.Int(0),
                          .created_at = r.Time(1),
                          .kind = r.Text(2) == "kien_nghi" ? Kind::kSuggestion : Kind::kComplaint,
                          .name = r.Text(3),
                          .contact = r.Text(4),
                          .subject = r.Text(5),
                          .content = r.Text(6),
                          .dossier_ref = r.Text(7),
                          .user_id = r.OptionalInt(8).value_or(0)});
  }
  return page;
}

}  // namespace tinhso::feedback
