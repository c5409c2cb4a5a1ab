// Thin handler: reception checks an applicant's identity against the population database (and
// takes the record to fill the form) through whatever transport app gives, the gateway in the
// server.
#include <functional>

#include "nationaldb/api.hpp"
#include "nationaldb/nationaldb.hpp"

namespace tinhso::nationaldb {
namespace {

CitizenView ViewOf(const Citizen& c);

Result<http::Response> Check(PopulationDatabase& db, const http::Request& req, http::Context& ctx) {
  const auto& b = ctx.Body<CitizenCheckBody>();
  const Requester who{.ma_can_bo = ctx.actor.login, .ma_yeu_cau = req.request_id};
  TINHSO_ASSIGN_OR_RETURN(CitizenCheck check, db.CheckCitizen({.so_dinh_danh = b.so_dinh_danh.value,
                                                               .ho_va_ten = b.ho_va_ten.value,
                                                               .ngay_sinh = b.ngay_sinh.value},
                                                              who));
  CitizenCheckView view{.match = check.match == CitizenMatch::kMatches   ? "matches"
                                 : check.match == CitizenMatch::kDiffers ? "differs"
                                                                         : "not_found",
                        .differing = check.differing,
                        .citizen = std::nullopt,
                        .ma_yeu_cau = check.ma_yeu_cau};
  // The record only for an identity the applicant stated correctly: a number alone reveals
  // nobody's data.
  if (check.match == CitizenMatch::kMatches) {
    TINHSO_ASSIGN_OR_RETURN(Citizen c, db.FetchCitizen(b.so_dinh_danh.value, who));
    view.citizen = ViewOf(c);
  }
  return http::Reply(200, view);
}

CitizenView ViewOf(const Citizen& c) {
  return CitizenView{.so_dinh_danh = c.so_dinh_danh,
                     .ho_va_ten = c.ho_va_ten,
                     .ngay_sinh = c.ngay_sinh,
                     .gioi_tinh = c.gioi_tinh,
                     .dan_toc = c.dan_toc,
                     .quoc_tich = c.quoc_tich,
                     .que_quan = c.que_quan,
                     .noi_thuong_tru = c.noi_thuong_tru,
                     .noi_o_hien_tai = c.noi_o_hien_tai};
}

// A citizen's own record, to fill a submission: only the account's own identity number (its
// login, the CCCD a provider verified or the administrator who created the account recorded;
// citizens cannot register themselves). The route takes no number, so nobody can ask for
// another's; anything but a citizen's account is refused by the policy and here again.
Result<http::Response> Me(PopulationDatabase& db, const http::Request& req, http::Context& ctx) {
  if (ctx.actor.kind != core::ActorKind::kCitizen || ctx.actor.login.size() != 12) {
    return MakeError(ErrorCode::kPermissionDenied, "nationaldb.own_record_only",
                     "Chỉ tài khoản công dân (đăng nhập bằng số định danh cá nhân) mới lấy được "
                     "thông tin của chính mình từ Cơ sở dữ liệu quốc gia về dân cư.",
                     "Only a citizen's account (signed in with a personal identification "
                     "number) may take its own record from the national population database.");
  }
  const Requester who{.ma_can_bo = ctx.actor.login, .ma_yeu_cau = req.request_id};
  TINHSO_ASSIGN_OR_RETURN(Citizen c, db.FetchCitizen(ctx.actor.login, who));
  http::Response r = http::Reply(200, ViewOf(c));
  r.headers.emplace_back("cache-control", "no-store");  // personal data: never kept on the way
  return r;
}

}  // namespace

void RegisterCitizenRoutes(http::Router& router, PopulationDatabase& population) {
  router.Add({.method = http::Method::kPost,
              .path = "/api/v1/citizens/check",
              .action = "citizen.check",
              .summary_vi = "Đối chiếu nhân thân của người nộp với Cơ sở dữ liệu quốc gia về dân "
                            "cư (qua nền tảng tích hợp), lấy thông tin để điền hồ sơ khi khớp",
              .summary_en = "Check an applicant's identity against the national population "
                            "database (through the gateway); the record to fill the form when it "
                            "matches",
              .handler = std::bind_front(Check, std::ref(population)),
              .tag = "nationaldb",
              .body = http::JsonBody<CitizenCheckBody>(),
              .answers = {http::Returns<CitizenCheckView>()}});
  router.Add({.method = http::Method::kGet,
              .path = "/api/v1/citizens/me",
              .action = "citizen.self",
              .summary_vi = "Thông tin cơ bản của chính công dân đang đăng nhập từ Cơ sở dữ liệu "
                            "quốc gia về dân cư (qua nền tảng tích hợp), để điền hồ sơ",
              .summary_en = "The signed-in citizen's own basic data from the national population "
                            "database (through the gateway), to fill a submission",
              .handler = std::bind_front(Me, std::ref(population)),
              .tag = "nationaldb",
              .answers = {http::Returns<CitizenView>()}});
}

}  // namespace tinhso::nationaldb
