// The national portal's dossier and step objects (dvcqg.hpp).
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "core/parse.hpp"
#include "core/text.hpp"
#include "dvcqg/dvcqg.hpp"

namespace tinhso::dvcqg {
namespace {

namespace json = boost::json;
using dossiers::Status;

Error Precondition(std::string reason, std::string vi, std::string en) {
  return MakeError(ErrorCode::kFailedPrecondition, std::move(reason), std::move(vi), std::move(en));
}

Result<int> NationalStatus(const StatusMap& statuses, Status s) {
  auto it = statuses.national.find(static_cast<int>(s));
  if (it == statuses.national.end()) {
    const std::string n = std::to_string(static_cast<int>(s));
    return Precondition("dvcqg.unmapped_status",
                        "Trạng thái " + n + " (" + std::string(dossiers::StatusNameVi(s)) +
                            ") chưa có trong bảng ánh xạ trạng thái sang Cổng dịch vụ công quốc "
                            "gia; quản trị viên cần bổ sung trước khi đồng bộ.",
                        "The status " + n + " (" + std::string(dossiers::StatusNameEn(s)) +
                            ") is not in the table mapping statuses to the national portal; an "
                            "administrator must add it before the dossier can be synchronised.");
  }
  return it->second;
}

std::string Opt(const std::optional<core::Seconds>& t) {
  return t ? core::FormatVietnamCompact(*t) : "";
}

// DinhDanhCHS: a 12-digit CCCD is type 1, a 9-digit CMND type 2; anything else the
// placeholder the national portal accepts.
json::object Identity(std::string_view number) {
  const bool digits = !number.empty() && number.find_first_not_of("0123456789") == number.npos;
  if (digits && number.size() == 12) return {{"LoaiDinhDanh", "1"}, {"SoDinhDanh", number}};
  if (digits && number.size() == 9) return {{"LoaiDinhDanh", "2"}, {"SoDinhDanh", number}};
  return {{"LoaiDinhDanh", "2"}, {"SoDinhDanh", "000000001"}};
}

json::object Step(std::string_view code, std::string_view who, std::string_view position,
                  core::Seconds at, std::string_view unit, std::string_view what, int status,
                  const std::optional<core::Seconds>& started,
                  const std::optional<core::Seconds>& due) {
  return {{"MaHoSo", code},
          {"NguoiXuLy", Shorten(who, 50, "Chuyên viên", 46)},
          {"ChucDanh", position},
          {"ThoiDiemXuLy", core::FormatVietnamCompact(at)},
          {"PhongBanXuLy", unit},
          {"NoiDungXuLy", Shorten(what, 2000, "Xử lý hồ sơ")},
          {"TrangThai", std::to_string(status)},
          {"NgayBatDau", Opt(started)},
          {"NgayKetThucTheoQuyDinh", Opt(due)}};
}

}  // namespace

StatusMap StatusMap::Defaults() {
  return {.national = {
              {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 9}, {6, 9}, {7, 7}, {8, 9}, {9, 9}, {10, 10}}};
}

std::string Shorten(std::string_view text, std::size_t max, std::string_view empty_as,
                    std::size_t keep) {
  if (text.empty()) return std::string(empty_as);
  // Cut between code points, never inside one.
  std::size_t points = 0;
  std::size_t cut = text.size();
  if (keep == 0 || keep > max) keep = max > 5 ? max - 5 : 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points == keep) cut = std::min(cut, i);
    ++points;
  }
  if (points <= max) return std::string(text);
  return std::string(text.substr(0, cut)) + "...";
}

Result<std::string> CodeForNation(const DossierFacts& facts, const Settings& settings) {
  const std::string& code = facts.dossier.code;
  if (code.empty()) {
    return Precondition("dvcqg.not_accepted",
                        "Hồ sơ chưa được tiếp nhận nên chưa có mã để đồng bộ.",
                        "The dossier has not been received yet, so it has no code to send.");
  }
  if (!settings.province_code.empty() && code.starts_with(settings.province_code)) return code;
  if (!facts.national_code.empty()) return facts.national_code;
  return Precondition(
      "dvcqg.needs_national_code",
      "Mã hồ sơ " + code + " không bắt đầu bằng mã định danh của tỉnh (" + settings.province_code +
          "): cần cấp mã hồ sơ khác để gửi lên Cổng quốc gia.",
      "The code " + code + " does not start with the province's identifier (" +
          settings.province_code + "): the dossier needs another code for the national portal.");
}

std::string NationalCode(std::string_view unit_code, core::Seconds received_at, int number) {
  const std::string stamp = core::FormatVietnamCompact(received_at);  // yyyyMMddHHmmss
  return std::string(unit_code) + "-" + stamp.substr(2, 6) + "-" + std::to_string(number);
}

Result<std::string> DossierJson(const DossierFacts& facts, const StatusMap& statuses,
                                const Settings& settings) {
  const dossiers::Dossier& d = facts.dossier;
  TINHSO_ASSIGN_OR_RETURN(std::string code, CodeForNation(facts, settings));
  TINHSO_ASSIGN_OR_RETURN(int status, NationalStatus(statuses, d.status));
  const bool identified = !d.applicant.id_number.empty();

  json::array files;
  for (const FileLink& f : facts.submitted) {
    files.push_back({{"TepDinhKemId", f.id},
                     {"TenTepDinhKem", Shorten(f.name, 4000, "Dinhkem")},
                     {"IsDeleted", "False"},
                     {"MaThanhPhanHoSo", f.component_code},
                     {"DuongDanTaiTepTin", f.url},
                     {"DuocSoHoa", "1"},
                     {"DuocTaiSuDung", identified ? "1" : "0"},
                     {"DuocLayTuKhoDMQG", "0"}});
  }
  json::array fees;
  for (const PaidFee& fee : facts.fees) {
    if (fee.amount <= 0) continue;
    fees.push_back({{"TenPhiLePhi", fee.note.empty() ? code : fee.note},
                    {"MaPhiLePhi", "1"},
                    {"HinhThucThu", "1"},
                    {"Gia", fee.amount},
                    {"LoaiPhiLePhi", "1"}});
  }
  json::array results;
  for (const FileLink& r : facts.results) {
    results.push_back({{"TenGiayTo", r.name},
                       {"MaThanhPhanHoSo", r.component_code},
                       {"GiayToId", r.id},
                       {"DuongDanTepTinKetQua", r.url},
                       {"MaGiayToKetQua", facts.result_code}});
  }
  json::object o{
      {"MaHoSo", code},
      {"MaTTHC", d.procedure_code},
      {"TenTTHC", d.procedure_name},
      {"MaLinhVuc", facts.field_code},
      {"TenLinhVuc", facts.field_name},
      {"KenhThucHien", std::to_string(static_cast<int>(d.channel))},
      {"ChuHoSo", d.applicant.name},
      {"SoGiayToChuHoSo", d.applicant.id_number},
      {"LoaiDoiTuong",
       std::to_string(d.applicant.kind >= 1 && d.applicant.kind <= 4 ? d.applicant.kind : 1)},
      // The citizen's DVCQG TechID, only for online dossiers: not known to the province yet.
      {"MaDoiTuong", nullptr},
      {"ThongTinKhac", ""},
      {"Email", d.applicant.email},
      {"Fax", ""},
      {"SoDienThoai", d.applicant.phone},
      {"TrichYeuHoSo", Shorten(d.summary, 1000, "Dinhkem")},
      {"NgayTiepNhan", Opt(d.received_at)},
      {"NgayHenTra", Opt(d.due_at)},
      {"TrangThaiHoSo", std::to_string(status)},
      {"NgayTra", Opt(d.returned_at)},
      {"ThongTinTra", ""},
      {"HinhThuc", d.return_method == "postal" ? "1" : "0"},
      {"NgayKetThucXuLy", Opt(d.finished_at)},
      {"DonViXuLy", facts.agency_name},
      {"GhiChu", ""},
      {"NoiNopHoSo", settings.submitted_where},
      {"HoSoCoThanhPhanSoHoa", files.empty() ? "0" : "1"},
      {"TaiKhoanDuocXacThucVoiVNeID", d.applicant_verified_by == "vneid" ? "1" : "0"},
      {"DuocThanhToanTrucTuyen", d.paid_online ? "1" : "3"},
      {"NgayTuChoi", d.status == Status::kRejected ? Opt(d.finished_at) : ""},
      {"NgayNopHoSo", core::FormatVietnamCompact(d.submitted_at)},
      {"DinhDanhCHS", json::array{Identity(d.applicant.id_number)}},
      {"DSKetNoiCSDL", json::array{json::object{{"MaCSDL", settings.database_code}}}},
      {"TaiLieuNop", std::move(files)},
      {"DanhSachLePhi", std::move(fees)},
      {"DanhSachTepDinhKemKhac", json::array{}},
      {"DanhSachHoSoBoSung", json::array{}},
      {"DanhSachGiayToKetQua", std::move(results)}};
  return json::serialize(o);
}

Result<std::vector<std::string>> StepChunks(const DossierFacts& facts,
                                            const std::vector<dossiers::Event>& timeline,
                                            const StatusMap& statuses, const Settings& settings) {
  const dossiers::Dossier& d = facts.dossier;
  TINHSO_ASSIGN_OR_RETURN(std::string code, CodeForNation(facts, settings));
  if (!d.received_at) {
    return Precondition("dvcqg.not_accepted",
                        "Hồ sơ chưa được tiếp nhận nên chưa có quá trình xử lý để đồng bộ.",
                        "The dossier has not been received yet: no steps to send.");
  }
  std::vector<json::object> steps;
  // 1. The reception, as the national portal expects every dossier to begin.
  steps.push_back(Step(code, "Cán bộ một cửa", "", *d.received_at, "", "Tiếp nhận hồ sơ", 2,
                       std::nullopt, std::nullopt));
  // 2. What happened after it, in time order.
  std::vector<const dossiers::Event*> after;
  for (const dossiers::Event& e : timeline) {
    if (e.at > *d.received_at || (e.at == *d.received_at && e.action != "accept" &&
                                  e.action != "submit" && e.action != "receive")) {
      after.push_back(&e);
    }
  }
  std::stable_sort(
      after.begin(), after.end(),
      [](const dossiers::Event* a, const dossiers::Event* b) { return a->at < b->at; });
  for (const dossiers::Event* e : after) {
    TINHSO_ASSIGN_OR_RETURN(int status, NationalStatus(statuses, e->status));
    steps.push_back(Step(code, e->actor_name, e->actor_position, e->at, e->agency_name, e->content,
                         status, e->step_started_at, e->step_due_at));
  }
  // 3. The closing step the national portal counts a dossier finished by.
  const core::Seconds ended = d.finished_at.value_or(*d.received_at);
  const core::Seconds paused = d.paused_at.value_or(ended);
  switch (d.status) {
    case Status::kResolved:
    case Status::kReturned:
      steps.push_back(Step(code, "Hệ thống", "", ended, "", "Kết thúc xử lý hồ sơ", 9, std::nullopt,
                           std::nullopt));
      break;
    case Status::kSupplement:
      steps.push_back(Step(code, "Hệ thống", "", paused, "", "Cán bộ trả hồ sơ bổ sung", 9,
                           std::nullopt, std::nullopt));
      break;
    case Status::kPaying:
      steps.push_back(Step(code, "Hệ thống", "", paused, "", "Công dân thực hiện NVTC", 9,
                           std::nullopt, std::nullopt));
      break;
    case Status::kStopped:
      steps.push_back(Step(code, "Hệ thống", "", ended, "", "Cán bộ trả bổ sung hồ sơ", 9,
                           std::nullopt, std::nullopt));
      break;
    default:
      if (!d.due_at) {
        steps.push_back(Step(code, "Hệ thống", "", ended, "", "Hồ sơ không có ngày hẹn trả", 9,
                             std::nullopt, std::nullopt));
      }
      break;
  }
  std::vector<std::string> chunks;
  for (std::size_t i = 0; i < steps.size(); i += 10) {
    json::array chunk;
    for (std::size_t j = i; j < std::min(steps.size(), i + 10); ++j) chunk.push_back(steps[j]);
    chunks.push_back(json::serialize(chunk));
  }
  return chunks;
}

}  // namespace tinhso::dvcqg
