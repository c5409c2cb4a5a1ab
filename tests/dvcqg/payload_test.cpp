// The national portal's dossier and step objects: fields, codes, dates in Vietnam time, the
// transformation rules (statuses through the table, texts cut, identity placeholders, the
// code rewrite, the synthetic first and closing steps, chunks of 10).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/parse.hpp"
#include "core/text.hpp"
#include "dvcqg/dvcqg.hpp"

namespace tinhso::dvcqg {
namespace {

namespace json = boost::json;
using dossiers::Status;
using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-08 09:30:00 in Vietnam: 02:30 UTC.
const core::Seconds kReceived =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 8} + hours(2) + minutes(30);

DossierFacts Birth() {
  DossierFacts f;
  dossiers::Dossier& d = f.dossier;
  d.code = "H55.405-261208-0001";
  d.procedure_code = "1.001193.000.00.00.H55";
  d.procedure_name = "Đăng ký khai sinh";
  d.channel = dossiers::Channel::kOnline;
  d.status = Status::kProcessing;
  d.applicant = {.kind = 1,
                 .name = "Nguyễn Thị Lan",
                 .id_number = "019190000001",
                 .phone = "0912345678",
                 .email = "lan@example.vn"};
  d.applicant_verified_by = "vneid";
  d.summary = "Đăng ký khai sinh cho con Nguyễn Minh An";
  d.submitted_at = kReceived - hours(20);
  d.received_at = kReceived;
  d.due_at = kReceived + hours(24 * 3);
  f.field_code = "HT";
  f.field_name = "Hộ tịch";
  f.result_code = "KQ.KS";
  f.agency_name = "UBND xã Ba Bể";
  f.submitted.push_back({.id = "41",
                         .name = "to-khai.pdf",
                         .component_code = "TK",
                         .url = "https://dichvucong.backan.gov.vn/f/41?sig=abc"});
  return f;
}

Settings Province() { return {.province_code = "H55"}; }

json::object Parse(const Result<std::string>& text) {
  EXPECT_TRUE(text.ok()) << text.error().message_en;
  return json::parse(*text).as_object();
}

TEST(DvcqgTest, DatesAreVietnamTimeAsTheNationWritesThem) {
  EXPECT_EQ(core::FormatVietnamCompact(kReceived), "20261208093000");
  // 20:00 UTC on 31 December is already the new year in Vietnam.
  EXPECT_EQ(core::FormatVietnamCompact(std::chrono::sys_days{std::chrono::year{2026} / 12 / 31} +
                                       hours(20)),
            "20270101030000");
}

TEST(DvcqgTest, LongTextsAreCutBetweenCharactersAndEmptyOnesReplaced) {
  EXPECT_EQ(Shorten("", 1000, "Dinhkem"), "Dinhkem");
  EXPECT_EQ(Shorten("ngắn", 1000), "ngắn");
  std::string long_vi;
  for (int i = 0; i < 600; ++i) long_vi += "đạ";  // 1,200 characters, 2,400+ bytes
  const std::string cut = Shorten(long_vi, 1000);
  EXPECT_EQ(core::CodePoints(cut).size(), 998u) << "995 characters and \"...\"";
  EXPECT_TRUE(cut.ends_with("..."));
  EXPECT_TRUE(core::IsValidUtf8(cut));
  const std::string exact(1000, 'a');
  EXPECT_EQ(Shorten(exact, 1000), exact) << "1,000 characters fit";
}

TEST(DvcqgTest, TheDossierCarriesTheRequiredFieldsAndCodes) {
  json::object o = Parse(DossierJson(Birth(), StatusMap::Defaults(), Province()));
  for (const char* required :
       {"MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "LoaiDoiTuong", "Email",
        "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "HinhThuc",
        "DonViXuLy"}) {
    ASSERT_TRUE(o.contains(required)) << required;
  }
  EXPECT_EQ(o.at("MaHoSo").as_string(), "H55.405-261208-0001");
  EXPECT_EQ(o.at("NgayTiepNhan").as_string(), "20261208093000");
  EXPECT_EQ(o.at("NgayHenTra").as_string(), "20261211093000");
  EXPECT_EQ(o.at("TrangThaiHoSo").as_string(), "4");
  EXPECT_EQ(o.at("KenhThucHien").as_string(), "2");
  EXPECT_EQ(o.at("LoaiDoiTuong").as_string(), "1");
  EXPECT_EQ(o.at("TaiKhoanDuocXacThucVoiVNeID").as_string(), "1");
  EXPECT_EQ(o.at("DuocThanhToanTrucTuyen").as_string(), "3");
  EXPECT_EQ(o.at("HoSoCoThanhPhanSoHoa").as_string(), "1");
  EXPECT_EQ(o.at("DinhDanhCHS").as_array()[0].at("LoaiDinhDanh").as_string(), "1");
  EXPECT_EQ(o.at("DSKetNoiCSDL").as_array()[0].at("MaCSDL").as_string(), "7");
  const json::object& file = o.at("TaiLieuNop").as_array()[0].as_object();
  EXPECT_EQ(file.at("DuongDanTaiTepTin").as_string(),
            "https://dichvucong.backan.gov.vn/f/41?sig=abc");
  EXPECT_EQ(file.at("DuocSoHoa").as_string(), "1");
  EXPECT_EQ(file.at("DuocTaiSuDung").as_string(), "1") << "the applicant has an identity number";
}

TEST(DvcqgTest, PausedAndStoppedDossiersAreSentAsFinishedByTheDefaultTable) {
  for (Status s : {Status::kSupplement, Status::kPaying, Status::kStopped, Status::kResolved}) {
    DossierFacts f = Birth();
    f.dossier.status = s;
    EXPECT_EQ(Parse(DossierJson(f, StatusMap::Defaults(), Province())).at("TrangThaiHoSo"), "9")
        << static_cast<int>(s);
  }
  DossierFacts rejected = Birth();
  rejected.dossier.status = Status::kRejected;
  rejected.dossier.finished_at = kReceived + hours(1);
  json::object o = Parse(DossierJson(rejected, StatusMap::Defaults(), Province()));
  EXPECT_EQ(o.at("TrangThaiHoSo").as_string(), "3");
  EXPECT_EQ(o.at("NgayTuChoi").as_string(), "20261208103000");
}

TEST(DvcqgTest, AnUnmappedStatusIsAnErrorNotADefault) {
  StatusMap partial = StatusMap::Defaults();
  partial.national.erase(4);
  auto refused = DossierJson(Birth(), partial, Province());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "dvcqg.unmapped_status");
  EXPECT_NE(refused.error().message_vi.find("Đang xử lý"), std::string::npos);
  EXPECT_NE(refused.error().message_en.find("status 4"), std::string::npos);
}

TEST(DvcqgTest, PlaceholdersForWhatTheNationRequiresButTheDossierLacks) {
  DossierFacts f = Birth();
  f.dossier.applicant.id_number = "";
  f.dossier.summary = "";
  f.dossier.paid_online = true;
  f.dossier.return_method = "postal";
  f.submitted[0].name = "";
  f.fees = {{.note = "", .amount = 8000}, {.note = "Miễn phí", .amount = 0}};
  json::object o = Parse(DossierJson(f, StatusMap::Defaults(), Province()));
  EXPECT_EQ(o.at("TrichYeuHoSo").as_string(), "Dinhkem");
  EXPECT_EQ(o.at("DinhDanhCHS").as_array()[0].at("SoDinhDanh").as_string(), "000000001");
  EXPECT_EQ(o.at("DinhDanhCHS").as_array()[0].at("LoaiDinhDanh").as_string(), "2");
  EXPECT_EQ(o.at("TaiLieuNop").as_array()[0].at("TenTepDinhKem").as_string(), "Dinhkem");
  EXPECT_EQ(o.at("TaiLieuNop").as_array()[0].at("DuocTaiSuDung").as_string(), "0");
  EXPECT_EQ(o.at("DuocThanhToanTrucTuyen").as_string(), "1");
  EXPECT_EQ(o.at("HinhThuc").as_string(), "1");
  const json::array& fees = o.at("DanhSachLePhi").as_array();
  ASSERT_EQ(fees.size(), 1u) << "only what was paid";
  EXPECT_EQ(fees[0].at("Gia").as_int64(), 8000);
  EXPECT_EQ(fees[0].at("TenPhiLePhi").as_string(), "H55.405-261208-0001");

  DossierFacts cmnd = Birth();
  cmnd.dossier.applicant.id_number = "012345678";
  EXPECT_EQ(Parse(DossierJson(cmnd, StatusMap::Defaults(), Province()))
                .at("DinhDanhCHS")
                .as_array()[0]
                .at("LoaiDinhDanh")
                .as_string(),
            "2");
}

TEST(DvcqgTest, ACodeOutsideTheProvincesSeriesNeedsANationalOne) {
  DossierFacts f = Birth();
  f.dossier.code = "000.00.12.H55-261208-0001";
  auto needs = DossierJson(f, StatusMap::Defaults(), Province());
  ASSERT_FALSE(needs.ok());
  EXPECT_EQ(needs.error().reason, "dvcqg.needs_national_code");
  f.national_code = NationalCode("H55.405", kReceived, 42817);
  EXPECT_EQ(f.national_code, "H55.405-261208-42817");
  EXPECT_EQ(Parse(DossierJson(f, StatusMap::Defaults(), Province())).at("MaHoSo"),
            "H55.405-261208-42817");

  DossierFacts unreceived = Birth();
  unreceived.dossier.code = "";
  EXPECT_EQ(DossierJson(unreceived, StatusMap::Defaults(), Province()).error().reason,
            "dvcqg.not_accepted");
}

dossiers::Event At(core::Seconds at, std::string action, Status status, std::string who,
                   std::string content) {
  dossiers::Event e;
  e.at = at;
  e.action = std::move(action);
  e.status = status;
  e.actor_name = std::move(who);
  e.content = std::move(content);
  e.agency_name = "UBND xã Ba Bể";
  return e;
}

std::vector<json::object> Steps(const Result<std::vector<std::string>>& chunks) {
  EXPECT_TRUE(chunks.ok()) << chunks.error().message_en;
  std::vector<json::object> out;
  for (const std::string& c : *chunks) {
    const json::array a = json::parse(c).as_array();
    EXPECT_LE(a.size(), 10u);
    for (const auto& s : a) out.push_back(s.as_object());
  }
  return out;
}

TEST(DvcqgTest, StepsBeginWithTheReceptionAndEndWithAClosingStep) {
  DossierFacts f = Birth();
  f.dossier.status = Status::kReturned;
  f.dossier.finished_at = kReceived + hours(30);
  const std::vector<dossiers::Event> timeline = {
      At(kReceived - hours(20), "submit", Status::kRegistered, "Nguyễn Thị Lan", "Nộp hồ sơ"),
      At(kReceived, "accept", Status::kReceived, "Hoàng Thu Hà", "Tiếp nhận hồ sơ"),
      At(kReceived + hours(30), "resolve", Status::kResolved, "Ma Văn Tú", "Đã ký kết quả"),
      At(kReceived + hours(2), "forward", Status::kProcessing,
         "Nguyễn Hoàng Phương Thảo Nguyên Bình Minh Trường Giang Xuân Hạ",
         "Chuyển chuyên viên xử lý"),
      At(kReceived + hours(40), "return", Status::kReturned, "", "Trả kết quả")};
  const auto steps = Steps(StepChunks(f, timeline, StatusMap::Defaults(), Province()));
  ASSERT_EQ(steps.size(), 5u) << "reception, 3 later events in time order, closing";
  EXPECT_EQ(steps[0].at("NguoiXuLy").as_string(), "Cán bộ một cửa");
  EXPECT_EQ(steps[0].at("TrangThai").as_string(), "2");
  EXPECT_EQ(steps[0].at("ThoiDiemXuLy").as_string(), "20261208093000");
  EXPECT_EQ(steps[1].at("NoiDungXuLy").as_string(), "Chuyển chuyên viên xử lý");
  EXPECT_EQ(steps[1].at("TrangThai").as_string(), "4");
  EXPECT_EQ(core::CodePoints(std::string(steps[1].at("NguoiXuLy").as_string())).size(), 49u)
      << "at most 50 characters: 46 and \"...\", as the provincial systems send it";
  EXPECT_EQ(steps[2].at("TrangThai").as_string(), "9");
  EXPECT_EQ(steps[3].at("NguoiXuLy").as_string(), "Chuyên viên") << "no name given";
  EXPECT_EQ(steps[3].at("TrangThai").as_string(), "10");
  EXPECT_EQ(steps[4].at("NoiDungXuLy").as_string(), "Kết thúc xử lý hồ sơ");
  EXPECT_EQ(steps[4].at("TrangThai").as_string(), "9");
  for (const auto& s : steps) EXPECT_EQ(s.at("MaHoSo").as_string(), "H55.405-261208-0001");
}

TEST(DvcqgTest, StepsGoInChunksOfTenAndAPausedDossierIsClosedForTheNation) {
  DossierFacts f = Birth();
  f.dossier.status = Status::kSupplement;
  f.dossier.paused_at = kReceived + hours(100);
  std::vector<dossiers::Event> timeline;
  for (int i = 1; i <= 22; ++i) {
    timeline.push_back(At(kReceived + hours(i), "note", Status::kProcessing, "Ma Văn Tú",
                          "Ghi chú xử lý " + std::to_string(i)));
  }
  auto chunks = StepChunks(f, timeline, StatusMap::Defaults(), Province());
  ASSERT_TRUE(chunks.ok());
  ASSERT_EQ(chunks->size(), 3u) << "1 + 22 + 1 steps";
  const auto steps = Steps(chunks);
  ASSERT_EQ(steps.size(), 24u);
  EXPECT_EQ(steps.back().at("NoiDungXuLy").as_string(), "Cán bộ trả hồ sơ bổ sung");
  EXPECT_EQ(steps.back().at("ThoiDiemXuLy").as_string(),
            core::FormatVietnamCompact(kReceived + hours(100)));

  DossierFacts open = Birth();
  open.dossier.due_at.reset();
  const auto no_date = Steps(StepChunks(open, {}, StatusMap::Defaults(), Province()));
  ASSERT_EQ(no_date.size(), 2u);
  EXPECT_EQ(no_date[1].at("NoiDungXuLy").as_string(), "Hồ sơ không có ngày hẹn trả");
}

}  // namespace
}  // namespace tinhso::dvcqg
