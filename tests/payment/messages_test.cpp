#include "payment/messages.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/parse.hpp"

namespace tinhso::payment {
namespace {

core::Seconds At(long long s) { return core::Seconds(std::chrono::seconds(s)); }

// 2025-01-01T02:30:00Z = 09:30:00 in Vietnam.
constexpr long long kNineThirtyVietnam = 1735698600;

GatewayConfig Config() {
  GatewayConfig c;
  c.partner_code = "TINHSO";
  c.secret = "bi-mat";
  return c;
}

// Expected digests were computed outside the code under test, e.g.
//   printf '%s' 'QUERY|1.0.6|TINHSO|H55.01-250101-0001-1|20250101093000|bi-mat' | sha256sum
// A confirmation as the platform sends it, not yet signed.
Fields Confirmation() {
  return {{"LoaiBanTin", "CONFIRM"},
          {"MaLoi", "00"},
          {"MaDoiTac", "TINHSO"},
          {"MaThamChieu", "H55.01-250101-0001-1"},
          {"SoTien", "150000"},
          {"MaTienTe", "VND"},
          {"MaGiaoDich", "GD0001"},
          {"MaNganHang", "NCB"},
          {"ThoiGianGD", "20250101093000"},
          {"ThongTinGiaoDich", "Thanh toán hồ sơ H55.01-250101-0001"}};
}

TEST(PaymentChecksum, ConfirmationKnownAnswer) {
  Fields f = Confirmation();
  f["KhongCoTrongChecksum"] = "ignored";
  EXPECT_EQ(ChecksumInput(MessageKind::kConfirm, f, "bi-mat"),
            "CONFIRM|00|TINHSO|H55.01-250101-0001-1|150000|VND|GD0001|NCB|20250101093000|"
            "Thanh toán hồ sơ H55.01-250101-0001|bi-mat");
  EXPECT_EQ(Checksum(MessageKind::kConfirm, f, "bi-mat"),
            "f75255b9085902cf03ca982f871b9bf98aced94aa4e9e09c6aaabaebebda7870");
}

TEST(PaymentChecksum, InitKnownAnswer) {
  Payment p;
  p.reference = "H55.01-250101-0001-1";
  p.amount = 150000;
  p.description = "Thanh toan ho so H55.01-250101-0001";
  const Fields init = BuildInit(p, Config(), At(kNineThirtyVietnam));
  EXPECT_EQ(Field(init, "ThoiGianGD"), "20250101093000");
  EXPECT_EQ(Field(init, "MaXacThuc"),
            "6cf4989ad1925a66554945f9e1a2142d5803b5b618341b9bdd39d2f12d3071e1");
}

TEST(PaymentChecksum, QueryKnownAnswer) {
  const Fields q = BuildQuery("H55.01-250101-0001-1", Config(), At(kNineThirtyVietnam));
  EXPECT_EQ(Field(q, "LoaiBanTin"), "QUERY");
  EXPECT_EQ(Field(q, "MaXacThuc"),
            "08d8d5e87c31a97ccde19f9de30af0ee7f6796f597c739bc0ff0e76b24d122b1");
}

TEST(PaymentChecksum, VerificationRejectsAnyChange) {
  Fields f = BuildQuery("H55.01-250101-0001-1", Config(), At(kNineThirtyVietnam));
  EXPECT_TRUE(HasValidChecksum(MessageKind::kQuery, f, "bi-mat"));
  // The platform may write the hex in capitals.
  Fields upper = f;
  for (char& c : upper["MaXacThuc"]) c = static_cast<char>(std::toupper(c));
  EXPECT_TRUE(HasValidChecksum(MessageKind::kQuery, upper, "bi-mat"));

  EXPECT_FALSE(HasValidChecksum(MessageKind::kQuery, f, "bi-mat-khac")) << "other secret";
  Fields changed = f;
  changed["MaThamChieu"] = "H55.01-250101-0001-2";
  EXPECT_FALSE(HasValidChecksum(MessageKind::kQuery, changed, "bi-mat")) << "changed field";
  Fields missing = f;
  missing.erase("MaXacThuc");
  EXPECT_FALSE(HasValidChecksum(MessageKind::kQuery, missing, "bi-mat")) << "no checksum";
  Fields truncated = f;
  truncated["MaXacThuc"].pop_back();
  EXPECT_FALSE(HasValidChecksum(MessageKind::kQuery, truncated, "bi-mat")) << "short checksum";
}

Fields SignedConfirmation() {
  Fields f = Confirmation();
  Sign(MessageKind::kConfirm, f, "bi-mat");
  return f;
}

TEST(PaymentCheckMessage, AcceptsAGenuineMessage) {
  EXPECT_TRUE(CheckMessage(MessageKind::kConfirm, SignedConfirmation(), "bi-mat").ok());
  Fields wrong = SignedConfirmation();
  wrong["MaXacThuc"] = std::string(64, '0');
  auto r = CheckMessage(MessageKind::kConfirm, wrong, "bi-mat");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "payment.bad_checksum");
}

// Each message is re-signed with the right secret: only the value is at stake. A '|' inside a
// value makes the joined text read as other fields, so one message's checksum would stand for
// another's; another LoaiBanTin is another kind of message.
TEST(PaymentCheckMessage, RefusesSeparatorsOtherKindsAndUnexpectedValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"MaThamChieu", "H55.01-250101-0001-1|150000"},
      {"ThongTinGiaoDich", "Thanh toán|x"},
      {"ThongTinGiaoDich", "dòng 1\ndòng 2"},
      {"LoaiBanTin", "QUERY"},
      {"LoaiBanTin", "01|TINHSO"},
      {"LoaiBanTin", ""},
      {"MaLoi", "0|0"},
      {"SoTien", "150000.5"},
      {"SoTien", "-150000"},
      {"ThoiGianGD", "2025010109300"},
      {"ThoiGianGD", "2025-01-01 09:30"},
      {"MaTienTe", "vnd"},
      {"MaGiaoDich", "GD 0001"},
      {"MaNganHang", std::string(65, 'N')},
  };
  for (const auto& [field, value] : cases) {
    Fields f = SignedConfirmation();
    f[field] = value;
    Sign(MessageKind::kConfirm, f, "bi-mat");
    auto r = CheckMessage(MessageKind::kConfirm, f, "bi-mat");
    ASSERT_FALSE(r.ok()) << field << "=" << value;
    EXPECT_EQ(r.error().reason, "payment.bad_message") << field << "=" << value;
    EXPECT_EQ(r.error().detail, field);
  }
}

TEST(PaymentCheckMessage, EachKindHasItsLoaiBanTin) {
  Payment p;
  p.reference = "H55.01-250101-0001-1";
  p.amount = 150000;
  p.description = "Thanh toan ho so H55.01-250101-0001";
  Fields init = BuildInit(p, Config(), At(kNineThirtyVietnam));
  EXPECT_TRUE(CheckMessage(MessageKind::kInit, init, "bi-mat").ok());
  Fields query = BuildQuery(p.reference, Config(), At(kNineThirtyVietnam));
  EXPECT_TRUE(CheckMessage(MessageKind::kQuery, query, "bi-mat").ok());
  query["LoaiBanTin"] = "INIT";
  Sign(MessageKind::kQuery, query, "bi-mat");
  EXPECT_EQ(CheckMessage(MessageKind::kQuery, query, "bi-mat").error().reason,
            "payment.bad_message");
}

TEST(PaymentConfirmAnswer, RefusalIsUnsignedAndRepeatsNothing) {
  EXPECT_EQ(BuildRefusal("01", "Sai mã xác thực"),
            (Fields{{"MaLoi", "01"}, {"MoTaLoi", "Sai mã xác thực"}}));
}

// ThoiGianGD is Vietnam time as yyyyMMddHHmmss (core::FormatVietnamCompact).
TEST(PaymentGatewayTime, IsVietnamTime) {
  struct Case {
    long long utc;
    const char* expected;
  };
  const Case kCases[] = {
      {kNineThirtyVietnam, "20250101093000"},
      {1735664400, "20250101000000"},  // 2024-12-31T17:00:00Z: midnight in Vietnam
      {1735664399, "20241231235959"},  // one second earlier: still 2024 there
  };
  for (const Case& c : kCases)
    EXPECT_EQ(core::FormatVietnamCompact(At(c.utc)), c.expected) << c.utc;
}

TEST(PaymentFieldsFromJson, ReadsScalarsAsText) {
  auto f =
      FieldsFromJson(R"({"MaLoi":"00","SoTien":150000,"Nested":{"a":1},"List":[1],"Empty":null})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Field(*f, "MaLoi"), "00");
  EXPECT_EQ(Field(*f, "SoTien"), "150000");
  EXPECT_EQ(f->count("Nested"), 0u);
  EXPECT_EQ(f->count("List"), 0u);
  EXPECT_EQ(Field(*f, "Empty"), "");
  EXPECT_EQ(FieldsFromJson("[1]").error().reason, "payment.bad_message");
  EXPECT_EQ(FieldsFromJson("{").error().reason, "payment.bad_message");
  EXPECT_EQ(FieldsFromJson("{\"a\":\"\xff\"}").error().reason, "payment.bad_message");
}

TEST(PaymentInitJson, CarriesTheReceiptBlock) {
  Payment p;
  p.reference = "H55.01-250101-0001-1";
  p.dossier_code = "H55.01-250101-0001";
  p.amount = 150000;
  p.fees = {{"lephi", "LP01", "Lệ phí cấp giấy phép", 100000},
            {"phi", "P01", "Phí thẩm định", 50000}};
  p.payer_name = "Nguyễn Văn An";
  GatewayConfig c = Config();
  c.return_url = "http://tinhso.test/thanh-toan/ket-qua";
  const std::string json = InitJson(BuildInit(p, c, At(kNineThirtyVietnam)), p, c);
  EXPECT_NE(json.find(R"("ThongTinBienLai":{)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("TenPhiLePhi":"Lệ phí cấp giấy phép")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("HoTenNguoiNop":"Nguyễn Văn An")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("UrlTraVe":"http://tinhso.test/thanh-toan/ket-qua")"), std::string::npos);
  // The checksum still verifies after the round trip through JSON.
  auto back = FieldsFromJson(json);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(HasValidChecksum(MessageKind::kInit, *back, "bi-mat"));
}

}  // namespace
}  // namespace tinhso::payment
