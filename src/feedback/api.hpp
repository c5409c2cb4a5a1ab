// The feedback module's API types (http/api.hpp).
#pragma once

#include <optional>
#include <string>

#include "feedback/feedback.hpp"
#include "http/api.hpp"

namespace tinhso::feedback {

BOOST_DESCRIBE_ENUM(Kind, kComplaint, kSuggestion)

TINHSO_API_STRUCT(SiteInfo,
                  (province, province_en, agency, agency_en, address, hotline, email, counter_hours,
                   bank_account_name, bank_account, bank_name, online_payment))

// POST /api/v1/feedback
struct FeedbackInput {
  Kind kind = Kind::kComplaint;  // complaint (phản ánh) or suggestion (kiến nghị)
  http::Text<200> name;
  http::Text<200> contact;  // e-mail or phone number, to be answered
  http::Text<300> subject;
  http::Text<5000> content;
  std::optional<http::Text<64>> dossier_ref;  // a dossier's reference or code
};
TINHSO_API_STRUCT(FeedbackInput, (kind, name, contact, subject, content, dossier_ref))

struct FeedbackView {
  std::int64_t id = 0;
  http::Timestamp created_at;
  Kind kind = Kind::kComplaint;
  std::string name;
  std::string contact;
  std::string subject;
  std::string content;
  std::string dossier_ref;
  bool signed_in = false;  // sent from an account
};
TINHSO_API_STRUCT(FeedbackView,
                  (id, created_at, kind, name, contact, subject, content, dossier_ref, signed_in))

struct FeedbackListQuery {
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
};
TINHSO_API_STRUCT(FeedbackListQuery, (limit, offset))

}  // namespace tinhso::feedback
