// The three national databases' operations: each builds its request, sends it through the
// transport and reads the envelope's payload. Paths and field names not in domain.md §7.3 are
// our assumption, marked "(assumed)".
#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "nationaldb/nationaldb.hpp"
#include "nationaldb/wire.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

Error QueryInvalid(std::string_view field, std::string_view vi, std::string_view en) {
  return MakeError(ErrorCode::kInvalidArgument, "nationaldb.query_invalid", std::string(vi),
                   std::string(en), std::string(field));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

Result<void> CheckNumber(std::string_view so_dinh_danh) {
  if (so_dinh_danh.size() != 12 || !AllDigits(so_dinh_danh)) {
    return QueryInvalid("so_dinh_danh", "Số định danh cá nhân phải gồm 12 chữ số.",
                        "A personal identification number has 12 digits.");
  }
  return Ok();
}

Result<std::string> WireDateOf(std::string_view field, std::string_view date) {
  auto wire = ToWireDate(date);
  if (!wire) {
    return QueryInvalid(field, "Ngày phải theo dạng YYYY-MM-DD.", "Dates are YYYY-MM-DD.");
  }
  return *wire;
}

Result<void> CheckKey(std::string_view ma_don_vi, std::string_view ma_ho_so) {
  if (ma_don_vi.empty() || ma_ho_so.empty()) {
    return QueryInvalid(ma_don_vi.empty() ? "ma_don_vi" : "ma_ho_so", "Cần mã đơn vị và mã hồ sơ.",
                        "The agency's and the dossier's codes are "
                        "required.");
  }
  return Ok();
}

// Sends `body` to `path` of `service` and returns the envelope's payload as an object.
Result<bj::object> Exchange(Transport& transport, std::string_view service, std::string path,
                            const bj::object& body) {
  Call call{.service = std::string(service),
            .method = http::Method::kPost,
            .path = std::move(path),
            .body = bj::serialize(body)};
  TINHSO_ASSIGN_OR_RETURN(Reply reply, transport.Send(call));
  TINHSO_ASSIGN_OR_RETURN(std::string data, ReadAnswer(service, reply));
  return bj::parse(data).as_object();  // ReadAnswer returns an object's text
}

Error BadField(std::string_view service, std::string_view field) {
  return MakeError(ErrorCode::kUnavailable, "nationaldb.bad_answer",
                   "Cơ sở dữ liệu quốc gia trả lời không đúng định dạng; xin thử lại sau.",
                   "The national database's answer is not in the expected format; please try "
                   "again later.",
                   std::string(service) + ": field " + std::string(field));
}

std::string Str(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A status code sent as a number or as a numeric string, from 1 to 4.
std::optional<int> StatusCode(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (const auto* i = v->if_int64()) {
    n = *i;
  } else if (const auto* s = v->if_string(); s && s->size() == 1 && AllDigits(*s)) {
    n = (*s)[0] - '0';
  } else {
    return std::nullopt;
  }
  if (n < 1 || n > 4) return std::nullopt;
  return static_cast<int>(n);
}

struct DossierProgress {
  int status = 1;  // 1..4
  std::string note;
};

// A dossier's status by maDonVi + maHoSo: how both the civil registry and the judicial records
// centre answer (trangThai 1..4 and ghiChu: assumed names).
Result<DossierProgress> AskProgress(Transport& transport, std::string_view service,
                                    std::string_view path, std::string_view ma_don_vi,
                                    std::string_view ma_ho_so) {
  TINHSO_RETURN_IF_ERROR(CheckKey(ma_don_vi, ma_ho_so));
  bj::object body{{"maDonVi", ma_don_vi}, {"maHoSo", ma_ho_so}};
  TINHSO_ASSIGN_OR_RETURN(bj::object data, Exchange(transport, service, std::string(path), body));
  auto status = StatusCode(data, "trangThai");
  if (!status) return BadField(service, "trangThai");
  return DossierProgress{.status = *status, .note = Str(data, "ghiChu")};
}

}  // namespace

// ---- Population database ----------------------------------------------------------------------

PopulationDatabase::PopulationDatabase(Transport& transport, Options options)
    : transport_(transport), options_(std::move(options)) {}

Result<CitizenCheck> PopulationDatabase::CheckCitizen(const CitizenQuery& query,
                                                      const Requester& who) {
  TINHSO_RETURN_IF_ERROR(CheckNumber(query.so_dinh_danh));
  TINHSO_ASSIGN_OR_RETURN(std::string birth, WireDateOf("ngay_sinh", query.ngay_sinh));
  if (query.ho_va_ten.empty()) {
    return QueryInvalid("ho_va_ten", "Cần họ và tên.", "The full name is required.");
  }
  CitizenCheck out;
  out.ma_yeu_cau = who.ma_yeu_cau.empty() ? core::RandomToken(12) : who.ma_yeu_cau;
  // domain.md §7.3's request, plus NgaySinh (assumed: the check the guide cites has no birth
  // date; ours asks for one, as a counter officer compares it).
  bj::object body{{"MaYeuCau", out.ma_yeu_cau},
                  {"MaDichVu", options_.ma_dich_vu},
                  {"MaCanBo", who.ma_can_bo},
                  {"SoDinhDanh", query.so_dinh_danh},
                  {"SoCMND", ""},
                  {"HoVaTen", core::ToNfc(query.ho_va_ten)},
                  {"NgaySinh", birth}};
  TINHSO_ASSIGN_OR_RETURN(bj::object data, Exchange(transport_, kPopulationService,
                                                    std::string(kPopulationCheckPath), body));
  const bj::value* exists = data.if_contains("TonTai");
  if (exists == nullptr || !exists->is_bool()) return BadField(kPopulationService, "TonTai");
  if (!exists->get_bool()) {
    out.match = CitizenMatch::kNotFound;
    return out;
  }
  // TruongSaiLech (assumed): the request's fields that differ from the record.
  if (const bj::value* differs = data.if_contains("TruongSaiLech")) {
    if (!differs->is_array()) return BadField(kPopulationService, "TruongSaiLech");
    for (const bj::value& f : differs->get_array()) {
      if (!f.is_string()) return BadField(kPopulationService, "TruongSaiLech");
      if (f.get_string() == "HoVaTen") out.differing.emplace_back("ho_va_ten");
      if (f.get_string() == "NgaySinh") out.differing.emplace_back("ngay_sinh");
    }
  }
  out.match = out.differing.empty() ? CitizenMatch::kMatches : CitizenMatch::kDiffers;
  return out;
}

Result<Citizen> PopulationDatabase::FetchCitizen(std::string_view so_dinh_danh,
                                                 const Requester& who) {
  TINHSO_RETURN_IF_ERROR(CheckNumber(so_dinh_danh));
  bj::object body{{"MaYeuCau", who.ma_yeu_cau.empty() ? core::RandomToken(12) : who.ma_yeu_cau},
                  {"MaDichVu", options_.ma_dich_vu},
                  {"MaCanBo", who.ma_can_bo},
                  {"SoDinhDanh", so_dinh_danh}};
  TINHSO_ASSIGN_OR_RETURN(bj::object data, Exchange(transport_, kPopulationService,
                                                    std::string(kPopulationFetchPath), body));
  const bj::value* record = data.if_contains("CongDan");  // (assumed)
  if (record == nullptr || !record->is_object()) return BadField(kPopulationService, "CongDan");
  const bj::object& c = record->get_object();
  Citizen out;
  out.so_dinh_danh = Str(c, "SoDinhDanh");
  out.so_cmnd = Str(c, "SoCMND");
  out.ho_va_ten = Str(c, "HoVaTen");
  auto birth = FromWireDate(Str(c, "NgaySinh"));
  if (!birth) return BadField(kPopulationService, "NgaySinh");
  out.ngay_sinh = *birth;
  out.gioi_tinh = Str(c, "GioiTinh");
  out.dan_toc = Str(c, "DanToc");
  out.ton_giao = Str(c, "TonGiao");
  out.quoc_tich = Str(c, "QuocTich");
  out.que_quan = Str(c, "QueQuan");
  out.noi_thuong_tru = Str(c, "NoiThuongTru");
  out.noi_o_hien_tai = Str(c, "NoiOHienTai");
  if (out.so_dinh_danh != so_dinh_danh) return BadField(kPopulationService, "SoDinhDanh");
  return out;
}

// ---- Civil registration -----------------------------------------------------------------------

std::string_view CivilKindCode(CivilKind kind) {
  switch (kind) {
    case CivilKind::kKhaiSinh:
      return "KS";
    case CivilKind::kKetHon:
      return "KH";
    case CivilKind::kKhaiTu:
      return "KT";
  }
  return "KS";
}

Result<void> CivilRegistration::DangKyHoTich(const CivilDossier& dossier) {
  TINHSO_RETURN_IF_ERROR(CheckKey(dossier.ma_don_vi, dossier.ma_ho_so));
  TINHSO_ASSIGN_OR_RETURN(std::string received,
                          WireDateOf("ngay_tiep_nhan", dossier.ngay_tiep_nhan));
  bj::object data;
  for (const auto& [name, value] : dossier.du_lieu) data[name] = core::ToNfc(value);
  // loaiHoSo, ngayTiepNhan and duLieu are assumed names.
  bj::object body{{"maDonVi", dossier.ma_don_vi},
                  {"maHoSo", dossier.ma_ho_so},
                  {"loaiHoSo", CivilKindCode(dossier.loai)},
                  {"ngayTiepNhan", received},
                  {"duLieu", std::move(data)}};
  TINHSO_RETURN_IF_ERROR(
      Exchange(transport_, kCivilRegistrationService, std::string(kCivilRegisterPath), body));
  return Ok();
}

Result<CivilDossierStatus> CivilRegistration::TraTrangThaiHoSo(std::string_view ma_don_vi,
                                                               std::string_view ma_ho_so) {
  TINHSO_ASSIGN_OR_RETURN(DossierProgress p, AskProgress(transport_, kCivilRegistrationService,
                                                         kCivilStatusPath, ma_don_vi, ma_ho_so));
  return CivilDossierStatus{.ma_ho_so = std::string(ma_ho_so),
                            .trang_thai = static_cast<CivilStatus>(p.status),
                            .ghi_chu = std::move(p.note)};
}

// ---- Judicial records -------------------------------------------------------------------------

Result<void> JudicialRecords::NhanHoSoDangKy(const JudicialRecordRequest& r) {
  TINHSO_RETURN_IF_ERROR(CheckKey(r.ma_don_vi, r.ma_ho_so));
  TINHSO_RETURN_IF_ERROR(CheckNumber(r.so_dinh_danh));
  TINHSO_ASSIGN_OR_RETURN(std::string birth, WireDateOf("ngay_sinh", r.ngay_sinh));
  TINHSO_ASSIGN_OR_RETURN(std::string received, WireDateOf("ngay_tiep_nhan", r.ngay_tiep_nhan));
  if (r.loai_phieu != 1 && r.loai_phieu != 2) {
    return QueryInvalid("loai_phieu", "Loại phiếu lý lịch tư pháp là số 1 hoặc số 2.",
                        "A judicial record certificate is No. 1 or No. 2.");
  }
  if (r.so_luong_ban < 1) {
    return QueryInvalid("so_luong_ban", "Cần ít nhất một bản.", "At least one copy.");
  }
  // Every name but maDonVi and maHoSo is assumed.
  bj::object body{{"maDonVi", r.ma_don_vi},
                  {"maHoSo", r.ma_ho_so},
                  {"loaiPhieu", r.loai_phieu},
                  {"hoTen", core::ToNfc(r.ho_ten)},
                  {"soDinhDanh", r.so_dinh_danh},
                  {"ngaySinh", birth},
                  {"gioiTinh", r.gioi_tinh},
                  {"noiThuongTru", core::ToNfc(r.noi_thuong_tru)},
                  {"mucDich", core::ToNfc(r.muc_dich)},
                  {"soLuongBan", r.so_luong_ban},
                  {"ngayTiepNhan", received}};
  TINHSO_RETURN_IF_ERROR(
      Exchange(transport_, kJudicialRecordsService, std::string(kJudicialRegisterPath), body));
  return Ok();
}

Result<JudicialRecordStatus> JudicialRecords::TraTrangThaiHs(std::string_view ma_don_vi,
                                                             std::string_view ma_ho_so) {
  TINHSO_ASSIGN_OR_RETURN(DossierProgress p, AskProgress(transport_, kJudicialRecordsService,
                                                         kJudicialStatusPath, ma_don_vi, ma_ho_so));
  return JudicialRecordStatus{.ma_ho_so = std::string(ma_ho_so),
                              .trang_thai = static_cast<JudicialStatus>(p.status),
                              .ghi_chu = std::move(p.note)};
}

}  // namespace tinhso::nationaldb
