// The national databases the province reaches through its data-integration gateway (LGSP, and
// the national NGSP behind it; domain.md §7.3): the population database (CSDL quốc gia về dân
// cư), civil registration (hộ tịch) and judicial records (lý lịch tư pháp). Plain structs in,
// plain structs out, errors as values.
//
// The adapters never speak HTTP themselves: they hand each call to a Transport, which `app`
// implements with the gateway (it authorises, logs and proxies to the upstream's URL) and tests
// with DirectTransport (straight to a URL, over http::Fetch).
//
// The wire format. Requests are JSON objects POSTed to the path of the operation. Every answer
// is one envelope (our choice; the guide domain.md cites shows only `error_code` and `message`):
//
//   {"error_code": "0",   "message": "SUCCESS",          "data": {…}}   success
//   {"error_code": "201", "message": "RECORD_NOT_FOUND"}                 an LGSP error
//
// with HTTP status 200, or 4xx for an LGSP error (both are read the same way: the body decides).
// Field names that domain.md §7.3 gives (maDonVi, maHoSo, MaYeuCau, MaDichVu, MaCanBo,
// SoDinhDanh, SoCMND, HoVaTen, TonTai) are as given; every other name is our assumption, marked
// "(assumed)" where it is declared in adapters.cpp, until the ministries' documents are at hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/http.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::nationaldb {

// ---- Transport --------------------------------------------------------------------------------

// The service codes the gateway routes by (ours: the guide names none).
inline constexpr std::string_view kPopulationService = "csdldancu";
inline constexpr std::string_view kCivilRegistrationService = "hotich";
inline constexpr std::string_view kJudicialRecordsService = "lltp";
inline constexpr std::string_view kCategoriesService = "dmdc";

struct Call {
  std::string service;  ///< one of the service codes above
  http::Method method = http::Method::kPost;
  std::string path;  ///< "/apiHoTichTuPhap/dangKyHoTich", relative to the service's base URL
  std::string body;  ///< JSON, or "" for none
};

struct Reply {
  int status = 0;
  std::string body;
};

/// How a call reaches the upstream. A reply with any HTTP status is a Reply; only a call that
/// got no answer is an error:
///   kTimeout     "nationaldb.timeout"      no complete answer in time
///   kUnavailable "nationaldb.unavailable"  not reachable (refused, reset, unknown service)
/// Implementations must be thread-safe.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<Reply> Send(const Call& call) = 0;
};

/// Straight to each service's base URL over http::Fetch (tests, and a province without a
/// gateway), with the LGSP's bearer token.
class DirectTransport final : public Transport {
 public:
  struct Options {
    std::map<std::string, std::string, std::less<>> base_urls;  ///< service code → base URL
    std::string token;  ///< "Authorization: Bearer <token>"; empty: none
    std::chrono::milliseconds timeout{10'000};
    std::string ca_file;  ///< for https://, see http::ClientRequest::ca_file
  };
  explicit DirectTransport(Options options) : options_(std::move(options)) {}
  Result<Reply> Send(const Call& call) override;

 private:
  Options options_;
};

/// The envelope's payload (`data`, {} when absent), or the error the answer stands for:
///   LGSP error codes (domain.md §7.3), reason "nationaldb.<lower-case message>":
///     100 AUTHEN_ERROR, 101 IP_DISALLOWED, 106 AGENCY_ID_INCORRECT, 108 PROVINCE_ID_INCORRECT
///                                   → kFailedPrecondition (the province's connection is
///                                     misconfigured: retrying will not help until it is fixed)
///     200 RECORD_UNCOMPLETE, 302 DATA_TYPE_INVALID, 500 DATA_INCORRECT → kInvalidArgument
///     201 RECORD_NOT_FOUND          → kNotFound
///     any other code                → kUnavailable "nationaldb.lgsp_error"
///   HTTP 5xx without an LGSP code   → kUnavailable "nationaldb.upstream_error"
///   an answer that is not the envelope → kUnavailable "nationaldb.bad_answer"
/// The detail keeps the service, the code and the upstream's message.
Result<std::string> ReadAnswer(std::string_view service, const Reply& reply);

/// The LGSP error codes, in the order of domain.md §7.3, with their messages.
struct LgspCode {
  std::string_view code;
  std::string_view message;
};
const std::vector<LgspCode>& LgspErrorCodes();

/// Who asks: the officer (MaCanBo) and, when the caller has one to correlate with its own log,
/// the request's id (MaYeuCau; empty: a random one is made).
struct Requester {
  std::string ma_can_bo;
  std::string ma_yeu_cau;
};

// ---- Population database (CSDL quốc gia về dân cư) -------------------------------------------

struct CitizenQuery {
  std::string so_dinh_danh;  ///< 12-digit personal identification number
  std::string ho_va_ten;
  std::string ngay_sinh;  ///< YYYY-MM-DD
};

enum class CitizenMatch {
  kMatches,   ///< the number exists and the name and birth date are those recorded
  kNotFound,  ///< no citizen has this number
  kDiffers,   ///< the number exists with another name or birth date (CitizenCheck::differing)
};

struct CitizenCheck {
  CitizenMatch match = CitizenMatch::kNotFound;
  /// Which of the query's fields differ from the record: "ho_va_ten", "ngay_sinh".
  std::vector<std::string> differing;
  std::string ma_yeu_cau;  ///< the request's id, as sent
};

struct Citizen {
  std::string so_dinh_danh;
  std::string so_cmnd;  ///< the old 9-digit number, when there was one
  std::string ho_va_ten;
  std::string ngay_sinh;  ///< YYYY-MM-DD
  std::string gioi_tinh;  ///< "1" nam, "2" nữ (assumed codes)
  std::string dan_toc;    ///< code of the ethnic-groups category (dantoc), "01" Kinh
  std::string ton_giao;   ///< code of the religions category (tongiao), "00" none
  std::string quoc_tich;  ///< ISO 3166-1 alpha-2
  std::string que_quan;
  std::string noi_thuong_tru;  ///< permanent residence
  std::string noi_o_hien_tai;  ///< current residence
};

class PopulationDatabase {
 public:
  struct Options {
    std::string ma_dich_vu = "TINHSO";  ///< MaDichVu: the province's service code there
  };
  PopulationDatabase(Transport& transport, Options options);

  /// Whether the citizen is recorded as the query says. Not found and differing are answers,
  /// not errors. Errors: the transport's and ReadAnswer's; kInvalidArgument
  /// "nationaldb.query_invalid" for a malformed number or date (checked before sending).
  Result<CitizenCheck> CheckCitizen(const CitizenQuery& query, const Requester& who);
  /// The citizen's basic data. Errors: as above; kNotFound "nationaldb.record_not_found".
  Result<Citizen> FetchCitizen(std::string_view so_dinh_danh, const Requester& who);

 private:
  Transport& transport_;
  Options options_;
};

/// POST /api/v1/citizens/check (action citizen.check: those who receive dossiers).
void RegisterCitizenRoutes(http::Router& router, PopulationDatabase& population);

// ---- Civil registration (hộ tịch, /apiHoTichTuPhap) -------------------------------------------

enum class CivilKind { kKhaiSinh, kKetHon, kKhaiTu };  ///< birth, marriage, death
/// The code sent as loaiHoSo: "KS", "KH", "KT" (assumed).
std::string_view CivilKindCode(CivilKind kind);

struct CivilDossier {
  std::string ma_don_vi;  ///< the registering authority's code (an agency code, "H55.405")
  std::string ma_ho_so;   ///< the one-stop receipt number (số phiếu tiếp nhận)
  CivilKind loai = CivilKind::kKhaiSinh;
  std::string ngay_tiep_nhan;  ///< YYYY-MM-DD
  /// The registration's data, by field name (per kind; names assumed, e.g. for a birth
  /// hoTen, ngaySinh, gioiTinh, noiSinh, hoTenCha, hoTenMe, soDinhDanhNguoiYeuCau).
  std::map<std::string, std::string> du_lieu;
};

/// domain.md §7.3: 1 received, 2 needs a supplement, 3 eligible, 4 registration completed.
enum class CivilStatus { kReceived = 1, kNeedsSupplement = 2, kEligible = 3, kRegistered = 4 };

struct CivilDossierStatus {
  std::string ma_ho_so;
  CivilStatus trang_thai = CivilStatus::kReceived;
  std::string ghi_chu;  ///< the registrar's note (what to supplement, the certificate's number)
};

class CivilRegistration {
 public:
  explicit CivilRegistration(Transport& transport) : transport_(transport) {}
  /// Sends a registration dossier (dangKyHoTich). Sending the same maDonVi + maHoSo again
  /// replaces the data while the registry has not completed it. Errors: the transport's and
  /// ReadAnswer's; kInvalidArgument "nationaldb.query_invalid" for an empty key.
  Result<void> DangKyHoTich(const CivilDossier& dossier);
  /// Its status (traTrangThaiHoSo). Errors: as above; kNotFound "nationaldb.record_not_found".
  Result<CivilDossierStatus> TraTrangThaiHoSo(std::string_view ma_don_vi,
                                              std::string_view ma_ho_so);

 private:
  Transport& transport_;
};

// ---- Judicial records (lý lịch tư pháp, /apiLyLichTuPhap) -------------------------------------

struct JudicialRecordRequest {
  std::string ma_don_vi;
  std::string ma_ho_so;
  int loai_phieu = 1;  ///< Phiếu lý lịch tư pháp số 1 or số 2
  std::string ho_ten;
  std::string so_dinh_danh;
  std::string ngay_sinh;  ///< YYYY-MM-DD
  std::string gioi_tinh;  ///< "1" nam, "2" nữ (assumed codes)
  std::string noi_thuong_tru;
  std::string muc_dich;        ///< what the certificate is for
  int so_luong_ban = 1;        ///< copies
  std::string ngay_tiep_nhan;  ///< YYYY-MM-DD
};

/// The judicial-records centre's progress (assumed: the guide names the operation, not the
/// codes): 1 received, 2 being verified, 3 certificate issued, 4 refused.
enum class JudicialStatus { kReceived = 1, kVerifying = 2, kIssued = 3, kRefused = 4 };

struct JudicialRecordStatus {
  std::string ma_ho_so;
  JudicialStatus trang_thai = JudicialStatus::kReceived;
  std::string ghi_chu;
};

class JudicialRecords {
 public:
  explicit JudicialRecords(Transport& transport) : transport_(transport) {}
  /// Sends a request for a certificate (nhanHoSoDangKy). Errors: as CivilRegistration's.
  Result<void> NhanHoSoDangKy(const JudicialRecordRequest& request);
  /// Its status (traTrangThaiHs). Errors: as above; kNotFound "nationaldb.record_not_found".
  Result<JudicialRecordStatus> TraTrangThaiHs(std::string_view ma_don_vi,
                                              std::string_view ma_ho_so);

 private:
  Transport& transport_;
};

}  // namespace tinhso::nationaldb
