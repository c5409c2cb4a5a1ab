// What the portal says about who runs it, and what people tell them: the operating agency's
// contacts for the footer and for paying without the online platform (from the configuration),
// and feedback (phản ánh, kiến nghị) sent from the portal, kept for the officers who answer it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {
class Policy;
}
namespace tinhso::http {
class Router;
}

namespace tinhso::feedback {

/// The portal's official identity and the ways to pay besides the online platform ([site] in
/// the configuration). The defaults are the demo province's.
struct SiteInfo {
  std::string province = "Tỉnh Bắc Kạn";
  std::string province_en = "Bac Kan Province";
  std::string agency = "Trung tâm Phục vụ hành chính công tỉnh Bắc Kạn";
  std::string agency_en = "Bac Kan Provincial Public Administration Service Centre";
  std::string address = "Số 7, đường Trường Chinh, phường Đức Xuân, tỉnh Thái Nguyên";
  std::string hotline = "0209 3870 000";
  std::string email = "motcua@backan.gov.vn";
  // Paying at the counter, and by bank transfer (khi không thanh toán trực tuyến được).
  std::string counter_hours = "Thứ Hai đến Thứ Sáu, 7 giờ 30 đến 17 giờ";
  std::string bank_account_name = "Trung tâm Phục vụ hành chính công tỉnh Bắc Kạn";
  std::string bank_account = "3761.0.1052639";
  std::string bank_name = "Kho bạc Nhà nước tỉnh Thái Nguyên";
  bool online_payment = false;  ///< the payment platform is configured (set by the application)
};

enum class Kind { kComplaint, kSuggestion };  ///< phản ánh, kiến nghị

struct Input {
  Kind kind = Kind::kComplaint;
  std::string name;
  std::string contact;  ///< e-mail or phone, to be answered
  std::string subject;
  std::string content;
  std::string dossier_ref;  ///< a dossier's reference or code, or ""
};

struct Feedback {
  std::int64_t id = 0;
  core::Seconds created_at{};
  Kind kind = Kind::kComplaint;
  std::string name;
  std::string contact;
  std::string subject;
  std::string content;
  std::string dossier_ref;
  std::int64_t user_id = 0;  ///< 0: sent signed out
};

struct Page {
  std::vector<Feedback> items;
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

struct Options {
  /// Feedback one address may send per hour (counted in the table, so a restart forgets none).
  int per_address_per_hour = 5;
};

/// Thread-safe.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
          Options options = {});

  /// Stores and audits one feedback from `client` (its address). Errors: kInvalidArgument
  /// "feedback.invalid" naming the field, kResourceExhausted "feedback.too_many" past the
  /// address's hourly limit.
  Result<Feedback> Send(const Input& input, const core::Actor& actor, std::string_view client);
  /// The newest first. Errors: kPermissionDenied (officers and administrators read them).
  Result<Page> List(int limit, int offset, const core::Actor& actor) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  const auth::Policy& policy_;
  Options options_;
};

/// GET /api/v1/site, POST and GET /api/v1/feedback.
void RegisterRoutes(http::Router& router, Service& service, SiteInfo site);

}  // namespace tinhso::feedback
