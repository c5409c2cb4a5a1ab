// Requests built for the outbox: the same fields as adapters.cpp sends (names marked assumed
// there are assumed here too).
#include "nationaldb/requests.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "nationaldb/wire.hpp"

namespace tinhso::nationaldb {

Result<Call> DangKyHoTichCall(const CivilDossier& dossier) {
  if (dossier.ma_don_vi.empty() || dossier.ma_ho_so.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "nationaldb.query_invalid",
                     "Cần mã đơn vị và mã hồ sơ.",
                     "The agency's and the dossier's codes are required.",
                     dossier.ma_don_vi.empty() ? "ma_don_vi" : "ma_ho_so");
  }
  auto received = ToWireDate(dossier.ngay_tiep_nhan);
  if (!received) {
    return MakeError(ErrorCode::kInvalidArgument, "nationaldb.query_invalid",
                     "Ngày phải theo dạng YYYY-MM-DD.", "Dates are YYYY-MM-DD.", "ngay_tiep_nhan");
  }
  boost::json::object data;
  for (const auto& [name, value] : dossier.du_lieu) data[name] = core::ToNfc(value);
  boost::json::object body{{"maDonVi", dossier.ma_don_vi},
                           {"maHoSo", dossier.ma_ho_so},
                           {"loaiHoSo", CivilKindCode(dossier.loai)},
                           {"ngayTiepNhan", *received},
                           {"duLieu", std::move(data)}};
  return Call{.service = std::string(kCivilRegistrationService),
              .method = http::Method::kPost,
              .path = std::string(kCivilRegisterPath),
              .body = boost::json::serialize(body)};
}

}  // namespace tinhso::nationaldb
