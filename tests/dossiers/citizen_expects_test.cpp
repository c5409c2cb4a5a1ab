// What a citizen expects of a dossier (issue 16 §4), on both backends: the reference held from
// submission finds it in the public lookup before and after the code is given; "Hồ sơ của tôi"
// names whom it is about; fees are computed per copy where the catalog says so, fixed unless
// the catalog lets the officer set them, and paid online at that amount.
#include <future>

#include "fixture.hpp"
#include "payment/simulator.hpp"

namespace tinhso::dossiers::test {
namespace {

// A commune's copy of a civil-status extract (8.000 đồng per copy, the form says how many) and a
// department's certificate with a charge the officer counts at the result.
inline const char kFeeCatalog[] = R"({
"sectors": [{"code": "tu_phap", "name": "Sở Tư pháp", "agency_code": "H55.03"}],
"procedures": [
 {"code": "2.000635", "name": "Cấp bản sao Trích lục hộ tịch", "name_en": "Copy of an extract",
  "field": {"code": "HT", "name": "Hộ tịch"}, "level": "commune", "competent": {"kind": "commune"},
  "online_level": "full", "processing_time": {"value": 1, "unit": "working_days"},
  "fees": [{"code": "PHI", "name": "Phí cấp bản sao", "kind": "phi", "amount": 8000,
            "unit": "bản sao", "quantity_field": "so_ban_sao"}],
  "components": [{"code": "TP1", "name": "Tờ khai", "originals": 1, "certified": 0, "copies": 0,
                  "required": true, "file_types": ["pdf"]}],
  "form": [{"name": "nguoi_yeu_cau_ho_ten", "label_vi": "Người yêu cầu", "label_en": "Applicant",
            "type": "text", "required": true},
           {"name": "nguoi_duoc_cap_ho_ten", "label_vi": "Người có tên trong giấy tờ",
            "label_en": "Name on the paper", "type": "text", "required": true},
           {"name": "so_ban_sao", "label_vi": "Số bản sao", "label_en": "Copies",
            "type": "number", "required": false, "min": 0, "max": 20}],
  "results": ["Bản sao trích lục"], "legal_basis": ["Luật Hộ tịch 2014"],
  "steps": [{"code": "tiep_nhan", "name": "Tiếp nhận", "name_en": "Reception", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.2},
            {"code": "xu_ly", "name": "Xử lý", "name_en": "Processing", "role": "officer",
             "agency": {"kind": "competent"}, "share": 0.8}]},
 {"code": "3.000333", "name": "Cấp Phiếu lý lịch tư pháp", "name_en": "Criminal record",
  "field": {"code": "LLTP", "name": "Lý lịch tư pháp"}, "level": "province",
  "competent": {"kind": "department", "sector": "tu_phap"},
  "online_level": "full", "processing_time": {"value": 10, "unit": "working_days"},
  "fees": [{"code": "PHI", "name": "Phí", "kind": "phi", "amount": 200000},
           {"code": "PHI_BS", "name": "Phí Phiếu thứ 3 trở lên", "kind": "phi", "amount": 0,
            "adjustable": true}],
  "components": [{"code": "TP1", "name": "Tờ khai", "originals": 1, "certified": 0, "copies": 0,
                  "required": true, "file_types": ["pdf"]}],
  "form": [{"name": "purpose", "label_vi": "Mục đích", "label_en": "Purpose", "type": "text",
            "required": true}],
  "results": ["Phiếu lý lịch tư pháp"], "legal_basis": ["Luật Lý lịch tư pháp 2009"],
  "steps": [{"code": "tiep_nhan", "name": "Tiếp nhận", "name_en": "Reception", "role": "reception",
             "agency": {"kind": "receiving"}, "share": 0.1},
            {"code": "tham_dinh", "name": "Thẩm định", "name_en": "Appraisal", "role": "officer",
             "agency": {"kind": "competent"}, "share": 0.9}]}
]})";

class CitizenExpectsTest : public DossierTest {
 protected:
  void SetUp() override {
    DossierTest::SetUp();
    auto parsed = catalog::Parse(kFeeCatalog);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message_en << "\n" << parsed.error().detail;
    ASSERT_TRUE(app_->catalog().Import(*parsed, core::SystemActor()).ok());
  }
  SubmitInput Copies(std::string person, int copies) {
    SubmitInput in;
    in.procedure_code = "2.000635";
    in.applicant = {1, "Nguyễn Thị Hồng Nhung", "001199012345", "0912345678", "", "Chợ Đồn"};
    in.locality_code = "H55.60.01";
    in.form_json = R"({"nguoi_yeu_cau_ho_ten":"Nguyễn Thị Hồng Nhung","nguoi_duoc_cap_ho_ten":")" +
                   person + R"(","so_ban_sao":)" + std::to_string(copies) + "}";
    in.files = {{"TP1", "to-khai.pdf", Pdf()}};
    return in;
  }
  SubmitInput Record() {
    SubmitInput in = CriminalRecord();
    in.procedure_code = "3.000333";
    return in;
  }
  Result<Dossier> Accepted(const SubmitInput& in) {
    auto& svc = app_->dossiers();
    TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Submit(in, Citizen()));
    const std::int64_t receiving = in.procedure_code == "2.000635" ? commune_ : centre_;
    return svc.Transition(d.id, Act("accept", d.version), Officer(receiving, {"reception"}, 11));
  }
};

TEST_P(CitizenExpectsTest, TheReferenceFindsTheDossierBeforeAndAfterItsCode) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(Copies("Nguyễn Minh Khôi", 1), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  const std::string reference = Reference(d->id);
  EXPECT_EQ(reference.size(), 8u);
  EXPECT_TRUE(reference.starts_with("HS"));
  EXPECT_EQ(ParseReference(reference), d->id);
  EXPECT_EQ(ParseReference("hs" + std::to_string(d->id)), d->id);
  EXPECT_EQ(ParseReference("H55.60.01-261123-0001"), std::nullopt);
  EXPECT_EQ(ParseReference("HS"), std::nullopt);
  EXPECT_EQ(ParseReference("HS12x"), std::nullopt);

  auto before = svc.Lookup(reference, d->lookup_secret, "203.0.113.7");
  ASSERT_TRUE(before.ok()) << before.error().message_en;
  EXPECT_EQ(before->dossier.code, "");
  EXPECT_EQ(before->dossier.status, Status::kRegistered);
  EXPECT_EQ(svc.Lookup(reference, "WRONGWRONG2", "203.0.113.7").error().reason,
            "dossier.lookup_failed");

  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(commune_, {"reception"}, 11));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  for (const std::string& key : {reference, a->code}) {
    auto after = svc.Lookup(key, d->lookup_secret, "203.0.113.7");
    ASSERT_TRUE(after.ok()) << key;
    EXPECT_EQ(after->dossier.code, a->code);
    EXPECT_EQ(after->dossier.id, d->id);
  }
  // The same through the pipelined read the PostgreSQL server uses (waited for with a promise).
  std::promise<Result<PublicView>> answer;
  auto future = answer.get_future();
  svc.LookupAsync(reference, d->lookup_secret, "203.0.113.7",
                  [&answer](Result<PublicView> v) { answer.set_value(std::move(v)); });
  auto async = future.get();
  ASSERT_TRUE(async.ok());
  EXPECT_EQ(async->dossier.code, a->code);
}

TEST_P(CitizenExpectsTest, TheSubjectTellsTwoDossiersOfOneProcedureApart) {
  auto& svc = app_->dossiers();
  auto first = svc.Submit(Copies("Nguyễn Minh Khôi", 1), Citizen());
  auto second = svc.Submit(Copies("Nguyễn Thị Mai Anh", 1), Citizen());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(svc.Subject(*first), "Nguyễn Minh Khôi");
  EXPECT_EQ(svc.Subject(*second), "Nguyễn Thị Mai Anh");
  // A form that names nobody but the requester has no subject.
  auto record = svc.Submit(Record(), Citizen());
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(svc.Subject(*record), "");
}

TEST_P(CitizenExpectsTest, FeesArePerCopyAndFixedUnlessTheCatalogSaysOtherwise) {
  auto& svc = app_->dossiers();
  auto d = Accepted(Copies("Nguyễn Minh Khôi", 3));
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->fee_total, 3 * 8000);
  const auto officer = Officer(commune_, {"officer"}, 21);
  auto changed = Act("request_payment", d->version);
  changed.amount = 1000;
  EXPECT_EQ(svc.Transition(d->id, changed, officer).error().reason, "dossier.fee_fixed");
  auto asked = svc.Transition(d->id, Act("request_payment", d->version), officer);
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  EXPECT_EQ(asked->fee_total, 24000);

  // Fewer than one copy (or none said) pays for one.
  auto one = svc.Submit(Copies("Nguyễn Thị Mai Anh", 0), Citizen());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->fee_total, 8000);

  // An adjustable charge: the officer's amount stands.
  auto r = Accepted(Record());
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  EXPECT_EQ(r->fee_total, 200000);
  auto set = Act("request_payment", r->version);
  set.amount = 205000;
  auto adjusted = svc.Transition(r->id, set, Officer(justice_, {"officer"}, 22));
  ASSERT_TRUE(adjusted.ok()) << adjusted.error().message_en;
  EXPECT_EQ(adjusted->fee_total, 205000);
}

class CitizenPaysTest : public CitizenExpectsTest {
 protected:
  void SetUp() override {
    CitizenExpectsTest::SetUp();
    ConnectPaymentPlatform(nullptr);
  }
};

TEST_P(CitizenPaysTest, ThePlatformIsAskedForTheDossiersAmount) {
  auto& svc = app_->dossiers();
  auto d = Accepted(Copies("Nguyễn Minh Khôi", 3));
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  auto asked =
      svc.Transition(d->id, Act("request_payment", d->version), Officer(commune_, {"officer"}, 21));
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  auto p = svc.StartPayment(d->id, Citizen());
  ASSERT_TRUE(p.ok()) << p.error().message_en << " " << p.error().detail;
  EXPECT_EQ(p->amount, 24000);
  ASSERT_EQ(p->fees.size(), 1u);
  EXPECT_EQ(p->fees[0].amount, 24000);

  auto r = Accepted(Record());
  ASSERT_TRUE(r.ok());
  auto set = Act("request_payment", r->version);
  set.amount = 205000;
  ASSERT_TRUE(svc.Transition(r->id, set, Officer(justice_, {"officer"}, 22)).ok());
  auto q = svc.StartPayment(r->id, Citizen());
  ASSERT_TRUE(q.ok()) << q.error().message_en << " " << q.error().detail;
  EXPECT_EQ(q->amount, 205000);
  ASSERT_EQ(q->fees.size(), 2u);
  EXPECT_EQ(q->fees[1].code, "PHI_BS");
  EXPECT_EQ(q->fees[1].amount, 5000);
}

TINHSO_INSTANTIATE_BACKENDS(CitizenExpectsTest);
TINHSO_INSTANTIATE_BACKENDS(CitizenPaysTest);

}  // namespace
}  // namespace tinhso::dossiers::test
