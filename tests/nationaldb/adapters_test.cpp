// The national databases' adapters against the simulator over real HTTP on loopback: every
// adapter call, and every fault the simulator injects (each LGSP error code, a held answer cut by
// the client's timeout, HTTP 5xx, an outage) mapped to its error. Nothing sleeps: a held answer
// waits until the test releases it, and only the client's own timeout ends the call.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>

#include "http/client.hpp"
#include "nationaldb/nationaldb.hpp"
#include "nationaldb/simulator.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

const Requester kOfficer{.ma_can_bo = "motcua.babe", .ma_yeu_cau = ""};

CivilDossier Birth(std::string code) {
  return {.ma_don_vi = "H55.405",
          .ma_ho_so = std::move(code),
          .loai = CivilKind::kKhaiSinh,
          .ngay_tiep_nhan = "2026-11-23",
          .du_lieu = {{"hoTen", "Nguyễn Minh Khang"},
                      {"ngaySinh", "2026-11-20"},
                      {"gioiTinh", "1"},
                      {"noiSinh", "Trung tâm Y tế huyện Ba Bể"},
                      {"hoTenMe", "Hoàng Thị Bình"},
                      {"soDinhDanhNguoiYeuCau", "006201000123"}}};
}

JudicialRecordRequest Certificate(std::string code) {
  return {.ma_don_vi = "H55.19",
          .ma_ho_so = std::move(code),
          .loai_phieu = 1,
          .ho_ten = "Nguyễn Văn An",
          .so_dinh_danh = "001099012345",
          .ngay_sinh = "1999-01-02",
          .gioi_tinh = "1",
          .noi_thuong_tru = "Thôn Pác Ngòi, xã Ba Bể, tỉnh Thái Nguyên",
          .muc_dich = "Bổ sung hồ sơ xin việc",
          .so_luong_ban = 2,
          .ngay_tiep_nhan = "2026-11-23"};
}

bj::object LastBody(const Simulator& sim) {
  auto calls = sim.ReceivedCalls();
  EXPECT_FALSE(calls.empty());
  return calls.empty() ? bj::object{} : bj::parse(calls.back().body).as_object();
}

class NationalDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = Simulator::Start({});
    ASSERT_TRUE(started.ok()) << started.error().message_en;
    sim_ = std::move(*started);
    transport_ = std::make_unique<DirectTransport>(Options(std::chrono::seconds(10)));
    population_ = std::make_unique<PopulationDatabase>(*transport_, PopulationDatabase::Options{});
    civil_ = std::make_unique<CivilRegistration>(*transport_);
    judicial_ = std::make_unique<JudicialRecords>(*transport_);
  }

  DirectTransport::Options Options(std::chrono::milliseconds timeout) const {
    DirectTransport::Options o = sim_->TransportOptions();
    o.timeout = timeout;
    return o;
  }

  // POSTs JSON to one of the simulator's own routes, as the demo's operator would.
  int SimPost(std::string_view service, const std::string& path, const std::string& body) {
    http::ClientRequest r;
    r.method = http::Method::kPost;
    r.url = sim_->base_url(service) + path;
    r.headers = {{"content-type", "application/json"}};
    r.body = body;
    auto answer = http::Fetch(r);
    EXPECT_TRUE(answer.ok());
    return answer.ok() ? answer->status : 0;
  }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<DirectTransport> transport_;
  std::unique_ptr<PopulationDatabase> population_;
  std::unique_ptr<CivilRegistration> civil_;
  std::unique_ptr<JudicialRecords> judicial_;
};

TEST_F(NationalDbTest, CheckCitizenTellsMatchNotFoundAndWhichFieldsDiffer) {
  auto same = population_->CheckCitizen(
      {.so_dinh_danh = "001099012345", .ho_va_ten = "Nguyễn Văn An", .ngay_sinh = "1999-01-02"},
      kOfficer);
  ASSERT_TRUE(same.ok()) << same.error().detail;
  EXPECT_EQ(same->match, CitizenMatch::kMatches);
  EXPECT_TRUE(same->differing.empty());
  // The request carries domain.md §7.3's fields, and the birth date as yyyyMMdd.
  const bj::object sent = LastBody(*sim_);
  for (const char* field : {"MaYeuCau", "MaDichVu", "MaCanBo", "SoDinhDanh", "SoCMND", "HoVaTen"}) {
    EXPECT_TRUE(sent.contains(field)) << field;
  }
  EXPECT_EQ(sent.at("MaYeuCau").as_string(), same->ma_yeu_cau);
  EXPECT_EQ(sent.at("MaCanBo").as_string(), "motcua.babe");
  EXPECT_EQ(sent.at("NgaySinh").as_string(), "19990102");
  EXPECT_EQ(sim_->ReceivedCalls().back().authorization, "Bearer lgsp-simulator-token");

  auto unknown = population_->CheckCitizen(
      {.so_dinh_danh = "001099099999", .ho_va_ten = "Nguyễn Văn An", .ngay_sinh = "1999-01-02"},
      kOfficer);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->match, CitizenMatch::kNotFound);

  auto renamed = population_->CheckCitizen(
      {.so_dinh_danh = "006201000123", .ho_va_ten = "Hoàng Thị Bính", .ngay_sinh = "2001-08-15"},
      {.ma_can_bo = "motcua", .ma_yeu_cau = "YC-1"});
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->match, CitizenMatch::kDiffers);
  EXPECT_EQ(renamed->differing, std::vector<std::string>{"ho_va_ten"});
  EXPECT_EQ(renamed->ma_yeu_cau, "YC-1");

  auto both = population_->CheckCitizen({.so_dinh_danh = "019190000001",
                                         .ho_va_ten = "Nguyễn Thị Lan Anh",
                                         .ngay_sinh = "1990-08-03"},
                                        kOfficer);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->match, CitizenMatch::kDiffers);
  EXPECT_EQ(both->differing, (std::vector<std::string>{"ho_va_ten", "ngay_sinh"}));
}

TEST_F(NationalDbTest, FetchCitizenGivesBasicDataOrRecordNotFound) {
  auto an = population_->FetchCitizen("001099012345", kOfficer);
  ASSERT_TRUE(an.ok()) << an.error().detail;
  EXPECT_EQ(an->ho_va_ten, "Nguyễn Văn An");
  EXPECT_EQ(an->ngay_sinh, "1999-01-02");
  EXPECT_EQ(an->gioi_tinh, "1");
  EXPECT_EQ(an->dan_toc, "01");
  EXPECT_EQ(an->quoc_tich, "VN");
  EXPECT_EQ(an->noi_thuong_tru, "Thôn Pác Ngòi, xã Ba Bể, tỉnh Thái Nguyên");

  auto nobody = population_->FetchCitizen("001099099999", kOfficer);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(nobody.error().reason, "nationaldb.record_not_found");
}

TEST_F(NationalDbTest, MalformedQueriesAreRefusedBeforeSending) {
  auto short_number = population_->CheckCitizen(
      {.so_dinh_danh = "12345", .ho_va_ten = "Nguyễn Văn An", .ngay_sinh = "1999-01-02"}, kOfficer);
  ASSERT_FALSE(short_number.ok());
  EXPECT_EQ(short_number.error().reason, "nationaldb.query_invalid");
  EXPECT_EQ(short_number.error().detail, "so_dinh_danh");
  auto bad_date = population_->CheckCitizen(
      {.so_dinh_danh = "001099012345", .ho_va_ten = "Nguyễn Văn An", .ngay_sinh = "02/01/1999"},
      kOfficer);
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().detail, "ngay_sinh");
  CivilDossier keyless = Birth("");
  EXPECT_EQ(civil_->DangKyHoTich(keyless).error().detail, "ma_ho_so");
  JudicialRecordRequest third = Certificate("LLTP-1");
  third.loai_phieu = 3;
  EXPECT_EQ(judicial_->NhanHoSoDangKy(third).error().detail, "loai_phieu");
  EXPECT_TRUE(sim_->ReceivedCalls().empty());
}

TEST_F(NationalDbTest, CivilRegistrationDossierMovesThroughItsStatuses) {
  ASSERT_TRUE(civil_->DangKyHoTich(Birth("H55.405-261123-0001")).ok());
  // What the registry received is what was sent.
  auto kept = sim_->CivilDossier("H55.405-261123-0001");
  ASSERT_TRUE(kept.has_value());
  const bj::object sent = bj::parse(kept->body).as_object();
  EXPECT_EQ(sent.at("maDonVi").as_string(), "H55.405");
  EXPECT_EQ(sent.at("loaiHoSo").as_string(), "KS");
  EXPECT_EQ(sent.at("ngayTiepNhan").as_string(), "20261123");
  EXPECT_EQ(sent.at("duLieu").at("hoTen").as_string(), "Nguyễn Minh Khang");

  auto status = civil_->TraTrangThaiHoSo("H55.405", "H55.405-261123-0001");
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->trang_thai, CivilStatus::kReceived);

  ASSERT_TRUE(
      sim_->SetCivilStatus("H55.405-261123-0001", 2, "Bổ sung giấy chứng sinh bản chính").ok());
  status = civil_->TraTrangThaiHoSo("H55.405", "H55.405-261123-0001");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->trang_thai, CivilStatus::kNeedsSupplement);
  EXPECT_EQ(status->ghi_chu, "Bổ sung giấy chứng sinh bản chính");

  // The supplement: the same key sent again replaces the data; the registry takes it up again.
  CivilDossier supplemented = Birth("H55.405-261123-0001");
  supplemented.du_lieu["soGiayChungSinh"] = "GCS-2026-118";
  ASSERT_TRUE(civil_->DangKyHoTich(supplemented).ok());
  EXPECT_EQ(sim_->CivilDossier("H55.405-261123-0001")->times, 2);
  EXPECT_EQ(civil_->TraTrangThaiHoSo("H55.405", "H55.405-261123-0001")->trang_thai,
            CivilStatus::kReceived);

  // The demo's operator moves it on through the simulator's own route.
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/hotich/H55.405-261123-0001/status",
                    R"({"trangThai": 3, "ghiChu": "Đủ điều kiện đăng ký"})"),
            200);
  EXPECT_EQ(civil_->TraTrangThaiHoSo("H55.405", "H55.405-261123-0001")->trang_thai,
            CivilStatus::kEligible);
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/hotich/H55.405-261123-0001/status",
                    R"({"trangThai": 4, "ghiChu": "Số 118/2026, quyển 01"})"),
            200);
  status = civil_->TraTrangThaiHoSo("H55.405", "H55.405-261123-0001");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->trang_thai, CivilStatus::kRegistered);
  EXPECT_EQ(status->ghi_chu, "Số 118/2026, quyển 01");

  // A completed registration is not taken again.
  auto again = civil_->DangKyHoTich(supplemented);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "nationaldb.data_incorrect");
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/hotich/NOPE/status", R"({"trangThai": 2})"),
            404);
}

TEST_F(NationalDbTest, CivilRegistrationRefusalsMapToTheirReasons) {
  auto unknown = civil_->TraTrangThaiHoSo("H55.405", "never-sent");
  EXPECT_EQ(unknown.error().reason, "nationaldb.record_not_found");
  CivilDossier wrong_agency = Birth("KS-2");
  wrong_agency.ma_don_vi = "ubnd-ba-be";
  auto refused = civil_->DangKyHoTich(wrong_agency);
  EXPECT_EQ(refused.error().reason, "nationaldb.agency_id_incorrect");
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  CivilDossier empty = Birth("KS-3");
  empty.du_lieu.clear();
  auto incomplete = civil_->DangKyHoTich(empty);
  EXPECT_EQ(incomplete.error().reason, "nationaldb.record_uncomplete");
  EXPECT_EQ(incomplete.error().code, ErrorCode::kInvalidArgument);
  CivilDossier marriage = Birth("KH-1");
  marriage.loai = CivilKind::kKetHon;
  ASSERT_TRUE(civil_->DangKyHoTich(marriage).ok());
  EXPECT_EQ(bj::parse(sim_->CivilDossier("KH-1")->body).at("loaiHoSo").as_string(), "KH");
}

TEST_F(NationalDbTest, JudicialRecordRequestIsReceivedAndAdvanced) {
  ASSERT_TRUE(judicial_->NhanHoSoDangKy(Certificate("H55.19-261123-0007")).ok());
  const bj::object sent = bj::parse(sim_->JudicialDossier("H55.19-261123-0007")->body).as_object();
  EXPECT_EQ(sent.at("loaiPhieu").as_int64(), 1);
  EXPECT_EQ(sent.at("soLuongBan").as_int64(), 2);
  EXPECT_EQ(sent.at("ngaySinh").as_string(), "19990102");
  auto status = judicial_->TraTrangThaiHs("H55.19", "H55.19-261123-0007");
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->trang_thai, JudicialStatus::kReceived);
  ASSERT_TRUE(sim_->SetJudicialStatus("H55.19-261123-0007", 2, "Đang xác minh").ok());
  EXPECT_EQ(judicial_->TraTrangThaiHs("H55.19", "H55.19-261123-0007")->trang_thai,
            JudicialStatus::kVerifying);
  EXPECT_EQ(SimPost(kJudicialRecordsService, "/_sim/lltp/H55.19-261123-0007/status",
                    R"({"trangThai": 3, "ghiChu": "Đã cấp phiếu số 1"})"),
            200);
  status = judicial_->TraTrangThaiHs("H55.19", "H55.19-261123-0007");
  EXPECT_EQ(status->trang_thai, JudicialStatus::kIssued);
  EXPECT_EQ(status->ghi_chu, "Đã cấp phiếu số 1");
  // Another agency's code does not find it.
  EXPECT_EQ(judicial_->TraTrangThaiHs("H55.405", "H55.19-261123-0007").error().reason,
            "nationaldb.record_not_found");
}

// Every adapter call, so that each fault is tried on each of them.
struct Operation {
  std::string name;
  std::string_view service;
  std::function<Result<void>(NationalDbTest&)> run;
};

class FaultTest : public NationalDbTest {
 public:
  std::vector<Operation> Operations() {
    auto to_void = [](const auto& r) -> Result<void> {
      if (!r.ok()) return r.error();
      return Ok();
    };
    return {
        {"CheckCitizen", kPopulationService,
         [to_void](NationalDbTest& t) {
           return to_void(
               static_cast<FaultTest&>(t).population_->CheckCitizen({.so_dinh_danh = "001099012345",
                                                                     .ho_va_ten = "Nguyễn Văn An",
                                                                     .ngay_sinh = "1999-01-02"},
                                                                    kOfficer));
         }},
        {"FetchCitizen", kPopulationService,
         [to_void](NationalDbTest& t) {
           return to_void(
               static_cast<FaultTest&>(t).population_->FetchCitizen("001099012345", kOfficer));
         }},
        {"DangKyHoTich", kCivilRegistrationService,
         [](NationalDbTest& t) {
           return static_cast<FaultTest&>(t).civil_->DangKyHoTich(Birth("KS-F"));
         }},
        {"TraTrangThaiHoSo", kCivilRegistrationService,
         [to_void](NationalDbTest& t) {
           return to_void(static_cast<FaultTest&>(t).civil_->TraTrangThaiHoSo("H55.405", "KS-F"));
         }},
        {"NhanHoSoDangKy", kJudicialRecordsService,
         [](NationalDbTest& t) {
           return static_cast<FaultTest&>(t).judicial_->NhanHoSoDangKy(Certificate("LLTP-F"));
         }},
        {"TraTrangThaiHs", kJudicialRecordsService,
         [to_void](NationalDbTest& t) {
           return to_void(static_cast<FaultTest&>(t).judicial_->TraTrangThaiHs("H55.19", "LLTP-F"));
         }},
    };
  }
  // The dossiers the status calls ask about exist, so that a clean answer is a success.
  void SeedDossiers() {
    ASSERT_TRUE(civil_->DangKyHoTich(Birth("KS-F")).ok());
    ASSERT_TRUE(judicial_->NhanHoSoDangKy(Certificate("LLTP-F")).ok());
  }
};

TEST_F(FaultTest, EveryLgspErrorCodeOnEveryCallMapsToItsReason) {
  SeedDossiers();
  const std::map<std::string, ErrorCode> expected = {
      {"100", ErrorCode::kFailedPrecondition}, {"101", ErrorCode::kFailedPrecondition},
      {"106", ErrorCode::kFailedPrecondition}, {"108", ErrorCode::kFailedPrecondition},
      {"200", ErrorCode::kInvalidArgument},    {"201", ErrorCode::kNotFound},
      {"302", ErrorCode::kInvalidArgument},    {"500", ErrorCode::kInvalidArgument},
  };
  ASSERT_EQ(expected.size(), LgspErrorCodes().size());
  for (const Operation& op : Operations()) {
    for (const LgspCode& code : LgspErrorCodes()) {
      SCOPED_TRACE(op.name + " " + std::string(code.code));
      sim_->SetFault(op.service,
                     {.kind = Simulator::FaultKind::kLgspError, .code = std::string(code.code)});
      auto r = op.run(*this);
      ASSERT_FALSE(r.ok());
      std::string reason = "nationaldb.";
      for (char c : code.message) reason += static_cast<char>(std::tolower(c));
      EXPECT_EQ(r.error().reason, reason);
      EXPECT_EQ(r.error().code, expected.at(std::string(code.code)));
      EXPECT_NE(r.error().detail.find("LGSP " + std::string(code.code)), std::string::npos);
      EXPECT_FALSE(r.error().message_vi.empty());
      EXPECT_FALSE(r.error().message_en.empty());
    }
    // An unknown code is still an error, of its own reason.
    sim_->SetFault(op.service, {.kind = Simulator::FaultKind::kLgspError, .code = "999"});
    EXPECT_EQ(op.run(*this).error().reason, "nationaldb.lgsp_error") << op.name;
    sim_->SetFault(op.service, {});
    EXPECT_TRUE(op.run(*this).ok()) << op.name;
  }
}

TEST_F(FaultTest, ServerErrorsOnEveryCallAreUnavailable) {
  SeedDossiers();
  for (const Operation& op : Operations()) {
    for (int status : {500, 502, 503}) {
      sim_->SetFault(op.service, {.kind = Simulator::FaultKind::kServerError, .status = status});
      auto r = op.run(*this);
      ASSERT_FALSE(r.ok()) << op.name;
      EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << op.name;
      EXPECT_EQ(r.error().reason, "nationaldb.upstream_error") << op.name;
      EXPECT_NE(r.error().detail.find(std::to_string(status)), std::string::npos);
    }
    sim_->SetFault(op.service, {});
    EXPECT_TRUE(op.run(*this).ok()) << op.name;
  }
}

TEST_F(FaultTest, HeldAnswersOnEveryCallAreCutByTheCallersTimeout) {
  SeedDossiers();
  // The simulator keeps each answer until the test releases it: only the client's timeout
  // ends the call, whatever the machine's speed.
  transport_ = std::make_unique<DirectTransport>(Options(std::chrono::milliseconds(300)));
  population_ = std::make_unique<PopulationDatabase>(*transport_, PopulationDatabase::Options{});
  civil_ = std::make_unique<CivilRegistration>(*transport_);
  judicial_ = std::make_unique<JudicialRecords>(*transport_);
  for (const Operation& op : Operations()) {
    sim_->SetFault(op.service, {.kind = Simulator::FaultKind::kHold});
    auto r = op.run(*this);
    ASSERT_FALSE(r.ok()) << op.name;
    EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << op.name;
    EXPECT_EQ(r.error().reason, "nationaldb.timeout") << op.name;
    sim_->Release(op.service);
    EXPECT_TRUE(op.run(*this).ok()) << op.name;
  }
}

TEST_F(FaultTest, AnOutageOnEveryCallIsUnavailableAndTheServiceComesBackAtItsAddress) {
  SeedDossiers();
  for (const Operation& op : Operations()) {
    const std::string url = sim_->base_url(op.service);
    ASSERT_TRUE(sim_->SetOutage(op.service, true).ok());
    auto r = op.run(*this);
    ASSERT_FALSE(r.ok()) << op.name;
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << op.name;
    EXPECT_EQ(r.error().reason, "nationaldb.unavailable") << op.name;
    ASSERT_TRUE(sim_->SetOutage(op.service, false).ok());
    EXPECT_EQ(sim_->base_url(op.service), url);
    EXPECT_TRUE(op.run(*this).ok()) << op.name;
  }
}

// The demo's operator scripts faults over HTTP too, and reads what came in.
TEST_F(NationalDbTest, FaultsAreScriptedOverHttpAndWhatCameInIsListed) {
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/fault/hotich",
                    R"({"kind": "lgsp", "code": "108"})"),
            200);
  EXPECT_EQ(civil_->DangKyHoTich(Birth("KS-H")).error().reason, "nationaldb.province_id_incorrect");
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/fault/hotich",
                    R"({"kind": "http", "status": 502})"),
            200);
  EXPECT_EQ(civil_->DangKyHoTich(Birth("KS-H")).error().reason, "nationaldb.upstream_error");
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/fault/hotich", R"({"kind": "none"})"), 200);
  EXPECT_TRUE(civil_->DangKyHoTich(Birth("KS-H")).ok());
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/fault/khongco", R"({"kind": "none"})"), 404);
  EXPECT_EQ(SimPost(kCivilRegistrationService, "/_sim/fault/hotich", R"({"kind": "?"})"), 400);

  http::ClientRequest r;
  r.url = sim_->base_url(kCivilRegistrationService) + "/_sim/received";
  auto answer = http::Fetch(r);
  ASSERT_TRUE(answer.ok());
  const bj::array received = bj::parse(answer->body).as_array();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[2].at("service").as_string(), "hotich");
  EXPECT_EQ(received[2].at("path").as_string(), "/apiHoTichTuPhap/dangKyHoTich");
}

TEST_F(NationalDbTest, AnOutageOfOneServiceLeavesTheOthersUp) {
  ASSERT_TRUE(sim_->SetOutage(kPopulationService, true).ok());
  EXPECT_EQ(population_->FetchCitizen("001099012345", kOfficer).error().reason,
            "nationaldb.unavailable");
  EXPECT_TRUE(civil_->DangKyHoTich(Birth("KS-9")).ok());
}

TEST_F(NationalDbTest, AWrongTokenIsAnAuthenticationError) {
  DirectTransport::Options o = Options(std::chrono::seconds(10));
  o.token = "guessed";
  DirectTransport wrong(o);
  PopulationDatabase db(wrong, {});
  auto r = db.FetchCitizen("001099012345", kOfficer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "nationaldb.authen_error");
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(NationalDbTest, AServiceWithoutAnAddressIsUnavailable) {
  DirectTransport::Options o = Options(std::chrono::seconds(10));
  o.base_urls.erase(std::string(kJudicialRecordsService));
  DirectTransport partial(o);
  JudicialRecords records(partial);
  auto r = records.TraTrangThaiHs("H55.19", "X");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "nationaldb.unavailable");
}

TEST(LgspEnvelope, ReadsTheAnswerWhateverItsStatus) {
  // An LGSP error with a 4xx status, and with a numeric code.
  auto not_found =
      ReadAnswer("hotich", {404, R"({"error_code":"201","message":"RECORD_NOT_FOUND"})"});
  EXPECT_EQ(not_found.error().reason, "nationaldb.record_not_found");
  auto numeric = ReadAnswer("hotich", {200, R"({"error_code":302,"message":"DATA_TYPE_INVALID"})"});
  EXPECT_EQ(numeric.error().reason, "nationaldb.data_type_invalid");
  auto ok = ReadAnswer("hotich", {200, R"({"error_code":"0","message":"SUCCESS","data":{"a":1}})"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, R"({"a":1})");
  EXPECT_EQ(*ReadAnswer("hotich", {200, R"({"error_code":"0"})"}), "{}");
  EXPECT_EQ(ReadAnswer("hotich", {200, "<html>"}).error().reason, "nationaldb.bad_answer");
  EXPECT_EQ(ReadAnswer("hotich", {200, R"({"error_code":"0","data":[1]})"}).error().reason,
            "nationaldb.bad_answer");
  EXPECT_EQ(ReadAnswer("hotich", {502, "Bad Gateway"}).error().reason, "nationaldb.upstream_error");
}

TEST_F(NationalDbTest, SimulatorServesANationalCategory) {
  http::ClientRequest r;
  r.url = sim_->base_url(kCategoriesService) + "/dmdc/Category/gioitinh";
  r.headers = {{"authorization", "Bearer lgsp-simulator-token"}};
  auto answer = http::Fetch(r);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  const bj::value v = bj::parse(answer->body);
  EXPECT_EQ(v.at("DanhSach").as_array().size(), 3u);
  EXPECT_EQ(v.at("DanhSach").at(1).at("Ten").as_string(), "Nữ");
}

}  // namespace
}  // namespace tinhso::nationaldb
