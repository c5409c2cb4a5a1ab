// A small province for dossier tests: UBND tỉnh H55 with its service centre (H55.19), Sở Tư
// pháp (H55.03) and two communes, a two-procedure catalog, and actors for each role. Runs on
// both backends through test::AppTest.
#pragma once

#include <gtest/gtest.h>

#include "../app/app_fixture.hpp"
#include "core/parse.hpp"
#include "dossiers/dossiers.hpp"
#include "payment/simulator.hpp"

namespace tinhso::dossiers::test {

// Local Vietnam time "2026-11-23T09:00" as an instant.
inline core::Seconds At(const std::string& local) {
  auto t = core::ParseTimestamp(local + ":00+07:00");
  EXPECT_TRUE(t.has_value()) << local;
  return t.value_or(core::Seconds{});
}

inline const char kTestCatalog[] = R"({
"sectors": [{"code": "tu_phap", "name": "Sở Tư pháp", "agency_code": "H55.03"}],
"procedures": [
 {"code": "1.001193", "name": "Đăng ký khai sinh", "name_en": "Birth registration",
  "field": {"code": "HT", "name": "Hộ tịch"}, "level": "commune", "competent": {"kind": "commune"},
  "online_level": "full", "processing_time": {"value": 1, "unit": "working_days"},
  "fees": [{"code": "LP", "name": "Lệ phí đăng ký khai sinh", "kind": "le_phi", "amount": 0}],
  "components": [{"code": "TP1", "name": "Tờ khai đăng ký khai sinh", "originals": 1,
                  "certified": 0, "copies": 0, "required": true, "file_types": ["pdf"]},
                 {"code": "TP2", "name": "Giấy chứng sinh", "originals": 1, "certified": 0,
                  "copies": 0, "required": true, "file_types": ["pdf", "jpg", "png"]}],
  "form": [{"name": "child_name", "label_vi": "Họ tên trẻ", "label_en": "Child's name",
            "type": "text", "required": true, "max_length": 100},
           {"name": "birth_date", "label_vi": "Ngày sinh", "label_en": "Date of birth",
            "type": "date", "required": true}],
  "results": ["Giấy khai sinh"], "legal_basis": ["Luật Hộ tịch 2014"],
  "steps": [{"code": "tiep_nhan", "name": "Tiếp nhận", "name_en": "Reception", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.1},
            {"code": "xu_ly", "name": "Xử lý", "name_en": "Processing", "role": "officer",
             "agency": {"kind": "competent"}, "share": 0.6},
            {"code": "phe_duyet", "name": "Phê duyệt", "name_en": "Approval", "role": "leader",
             "agency": {"kind": "competent"}, "share": 0.2},
            {"code": "tra_ket_qua", "name": "Trả kết quả", "name_en": "Return", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.1}]},
 {"code": "2.001417", "name": "Cấp Phiếu lý lịch tư pháp", "name_en": "Criminal record certificate",
  "field": {"code": "LLTP", "name": "Lý lịch tư pháp"}, "level": "province",
  "competent": {"kind": "department", "sector": "tu_phap"},
  "online_level": "full", "processing_time": {"value": 10, "unit": "working_days"},
  "fees": [{"code": "P1", "name": "Phí cung cấp thông tin lý lịch tư pháp", "kind": "phi",
            "amount": 200000}],
  "components": [{"code": "TP1", "name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                  "originals": 1, "certified": 0, "copies": 0, "required": true,
                  "file_types": ["pdf"]}],
  "form": [{"name": "purpose", "label_vi": "Mục đích", "label_en": "Purpose", "type": "text",
            "required": true}],
  "results": ["Phiếu lý lịch tư pháp"], "legal_basis": ["Luật Lý lịch tư pháp 2009"],
  "steps": [{"code": "tiep_nhan", "name": "Tiếp nhận", "name_en": "Reception", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.05},
            {"code": "tham_dinh", "name": "Thẩm định, tra cứu", "name_en": "Appraisal",
             "role": "officer", "agency": {"kind": "competent"}, "share": 0.6},
            {"code": "phe_duyet", "name": "Ký phiếu", "name_en": "Signing", "role": "leader",
             "agency": {"kind": "competent"}, "share": 0.3},
            {"code": "tra_ket_qua", "name": "Trả kết quả", "name_en": "Return",
             "role": "reception", "agency": {"kind": "receiving"}, "share": 0.05}]}
]})";

inline std::string Pdf(std::string_view text = "demo") {
  return "%PDF-1.4\n% " + std::string(text) + "\n%%EOF\n";
}

class DossierTest : public app::test::AppTest {
 protected:
  void SetUp() override {
    app::test::AppTest::SetUp();
    clock_.Set(At("2026-11-23T09:00"));
    auto& ag = app_->agencies();
    auto make = [&](std::string code, std::optional<std::int64_t> parent, std::string name,
                    std::string kind) -> std::int64_t {
      agencies::AgencyInput in;
      in.code = std::move(code);
      in.parent_id = parent;
      in.name = std::move(name);
      in.short_name = in.name;
      in.kind = std::move(kind);
      in.valid_from = std::chrono::year{2025} / 1 / 1;
      auto a = ag.Create(in, core::SystemActor());
      EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_en + " " + a.error().detail);
      return a.ok() ? a->id : 0;
    };
    province_ = make("H55", std::nullopt, "Ủy ban nhân dân tỉnh Thái Nguyên", "province_pc");
    centre_ = make("H55.19", province_, "Trung tâm Phục vụ hành chính công tỉnh", "service_center");
    justice_ = make("H55.03", province_, "Sở Tư pháp", "department");
    commune_ = make("H55.60.01", province_, "Ủy ban nhân dân xã Chợ Đồn", "commune_pc");
    other_commune_ = make("H55.60.02", province_, "Ủy ban nhân dân xã Bằng Lãng", "commune_pc");
    auto parsed = catalog::Parse(kTestCatalog);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message_en << "\n" << parsed.error().detail;
    auto imported = app_->catalog().Import(*parsed, core::SystemActor());
    ASSERT_TRUE(imported.ok()) << imported.error().message_en;
  }

  // The application again, now connected to a payment-platform simulator on loopback (sim_),
  // whose payments are dated by `clock` (the wall clock when null).
  void ConnectPaymentPlatform(const core::Clock* clock) {
    payment::Simulator::Options o;
    o.clock = clock;
    auto sim = payment::Simulator::Start(o);
    ASSERT_TRUE(sim.ok()) << sim.error().message_en;
    sim_ = std::move(*sim);
    app::Config config;
    config.payment = sim_->Config();
    auto app = app::App::Create(db(), clock_, config, auth::PasswordCost::Minimum());
    ASSERT_TRUE(app.ok());
    app_ = std::move(*app);
  }
  std::unique_ptr<payment::Simulator> sim_;  // after ConnectPaymentPlatform

  core::Actor Officer(std::int64_t agency, std::vector<std::string> roles, std::int64_t id) {
    core::Actor a;
    a.kind = core::ActorKind::kOfficer;
    a.user_id = id;
    a.login = "canbo" + std::to_string(id);
    a.full_name = "Cán bộ " + std::to_string(id);
    a.position = "Chuyên viên";
    a.agency_id = agency;
    a.roles = std::move(roles);
    return a;
  }
  core::Actor Citizen(std::int64_t id = 500) {
    core::Actor a;
    a.kind = core::ActorKind::kCitizen;
    a.user_id = id;
    // The applicant of BirthRegistration() and CriminalRecord(), as her account knows her.
    a.login = "001199012345";
    a.full_name = "Nguyễn Thị Hồng Nhung";
    return a;
  }

  SubmitInput BirthRegistration(Channel channel = Channel::kOnline) {
    SubmitInput in;
    in.procedure_code = "1.001193";
    in.channel = channel;
    in.applicant = {1, "Nguyễn Thị Hồng Nhung", "001199012345", "0912345678", "", "Chợ Đồn"};
    in.locality_code = "H55.60.01";
    in.form_json = R"({"child_name":"Nguyễn Minh An","birth_date":"2026-11-01"})";
    in.files = {{"TP1", "to-khai.pdf", Pdf("to khai")}, {"TP2", "chung-sinh.pdf", Pdf("cs")}};
    return in;
  }
  SubmitInput CriminalRecord() {
    SubmitInput in;
    in.procedure_code = "2.001417";
    in.channel = Channel::kOnline;
    in.applicant = {1, "Nguyễn Thị Hồng Nhung", "001199012345", "0912345678", "", "Chợ Đồn"};
    in.form_json = R"({"purpose":"Xin việc"})";
    in.files = {{"TP1", "to-khai.pdf", Pdf()}};
    return in;
  }

  TransitionInput Act(std::string action, std::int64_t version) {
    TransitionInput t;
    t.action = std::move(action);
    t.version = version;
    return t;
  }

  std::int64_t CountRows(std::string_view table) {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  std::int64_t province_ = 0, centre_ = 0, justice_ = 0, commune_ = 0, other_commune_ = 0;
};

}  // namespace tinhso::dossiers::test
