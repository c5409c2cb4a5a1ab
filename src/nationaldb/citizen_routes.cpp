// Thin handler: reception checks an applicant's identity against the population database (and
// takes the record to fill the form) through whatever transport app gives, the gateway in the
// server.
#include <functional>

#include "nationaldb/api.hpp"
#include "nationaldb/nationaldb.hpp"

namespace tinhso::nationaldb {
namespace {

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
    view.citizen = CitizenView{.so_dinh_danh = c.so_dinh_danh,
                               .ho_va_ten = c.ho_va_ten,
                               .ngay_sinh = c.ngay_sinh,
                               .gioi_tinh = c.gioi_tinh,
                               .dan_toc = c.dan_toc,
                               .quoc_tich = c.quoc_tich,
                               .que_quan = c.que_quan,
                               .noi_thuong_tru = c.noi_thuong_tru,
                               .noi_o_hien_tai = c.noi_o_hien_tai};
  }
  return http::Reply(200, view);
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
}

}  // namespace tinhso::nationaldb
