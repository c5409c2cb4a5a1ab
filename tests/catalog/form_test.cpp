// ValidateForm: one applicant's answers against a procedure's electronic form.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "catalog/catalog.hpp"
#include "fixture.hpp"

namespace tinhso::catalog::testing {
namespace {

namespace bj = boost::json;

// The year the checks are made in (the service passes its clock's).
constexpr int kThisYear = 2026;

// A procedure whose form has one field of every type.
Procedure EveryType() {
  bj::object doc = MinimalDocument();
  FirstProcedure(doc)["form"] = bj::parse(R"([
    {"name": "ho_ten", "label_vi": "Họ và tên", "label_en": "Full name", "type": "text",
     "required": true, "max_length": 10},
    {"name": "ghi_chu", "label_vi": "Ghi chú", "label_en": "Notes", "type": "textarea"},
    {"name": "ngay_sinh", "label_vi": "Ngày sinh", "label_en": "Date of birth", "type": "date",
     "required": true},
    {"name": "so_ban", "label_vi": "Số bản", "label_en": "Copies", "type": "number",
     "min": 1, "max": 5},
    {"name": "gioi_tinh", "label_vi": "Giới tính", "label_en": "Sex", "type": "select",
     "options": ["Nam", "Nữ"]},
    {"name": "cam_doan", "label_vi": "Cam đoan", "label_en": "Declaration", "type": "boolean",
     "required": true},
    {"name": "so_dinh_danh", "label_vi": "Số định danh cá nhân", "label_en": "Personal ID number",
     "type": "cccd", "required": true},
    {"name": "ma_so_thue", "label_vi": "Mã số thuế", "label_en": "Tax code", "type": "tax_code"},
    {"name": "dien_thoai", "label_vi": "Điện thoại", "label_en": "Phone", "type": "phone"},
    {"name": "thu", "label_vi": "Thư điện tử", "label_en": "E-mail", "type": "email"}])");
  auto c = Parse(bj::serialize(doc));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
  return c.ok() ? c->procedures[0] : Procedure{};
}

// A complete, valid answer; each case replaces one entry.
bj::object ValidAnswer() {
  return bj::parse(R"({"ho_ten": "Nguyễn An", "ghi_chu": "Dòng 1\nDòng 2",
    "ngay_sinh": "2026-02-28", "so_ban": 2, "gioi_tinh": "Nữ", "cam_doan": true,
    "so_dinh_danh": "019301004567", "ma_so_thue": "0100109106", "dien_thoai": "0912 345 678",
    "thu": "an.nguyen@example.vn"})")
      .as_object();
}

TEST(CatalogValidateForm, AcceptsAValidAnswer) {
  const Procedure p = EveryType();
  auto r = ValidateForm(p, bj::serialize(ValidAnswer()), kThisYear);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
}

TEST(CatalogValidateForm, OptionalFieldsMayBeMissingNullOrBlank) {
  const Procedure p = EveryType();
  bj::object a = ValidAnswer();
  a.erase("ghi_chu");
  a["so_ban"] = nullptr;
  a["gioi_tinh"] = "";
  a["thu"] = "  ";
  auto r = ValidateForm(p, bj::serialize(a), kThisYear);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
}

TEST(CatalogValidateForm, EachRuleNamesTheFieldInBothLanguages) {
  struct Case {
    std::string why;
    std::string field;  // key to replace ("" = add `value` under `extra`)
    bj::value value;
    std::string label_vi;
    std::string label_en;
    std::string reason_en;
  };
  const Case kCases[] = {
      {"missing required", "ho_ten", nullptr, "Họ và tên", "Full name", "is required"},
      {"blank required", "ho_ten", "   ", "Họ và tên", "Full name", "is required"},
      {"too long", "ho_ten", "Nguyễn Văn Anh", "Họ và tên", "Full name", "longer than 10"},
      {"line break in text", "ho_ten", "An\nB", "Họ và tên", "Full name", "single line"},
      {"text as number", "ho_ten", 42, "Họ và tên", "Full name", "must be text"},
      {"control character in textarea", "ghi_chu", "a\x01", "Ghi chú", "Notes", "control"},
      {"impossible date", "ngay_sinh", "2026-02-30", "Ngày sinh", "Date of birth", "real date"},
      {"date in another format", "ngay_sinh", "28/02/2026", "Ngày sinh", "Date of birth",
       "YYYY-MM-DD"},
      {"number below min", "so_ban", 0, "Số bản", "Copies", "less than 1"},
      {"number above max", "so_ban", 6, "Số bản", "Copies", "greater than 5"},
      {"number as text", "so_ban", "2", "Số bản", "Copies", "must be a number"},
      {"option not in list", "gioi_tinh", "Khác", "Giới tính", "Sex", "\"Nam\", \"Nữ\""},
      {"boolean as text", "cam_doan", "có", "Cam đoan", "Declaration", "true or false"},
      {"bad CCCD province", "so_dinh_danh", "003095001234", "Số định danh cá nhân",
       "Personal ID number", "12-digit"},
      {"CCCD too short", "so_dinh_danh", "01930100456", "Số định danh cá nhân",
       "Personal ID number", "12-digit"},
      {"CCCD of someone born next year (2027)", "so_dinh_danh", "019327004567",
       "Số định danh cá nhân", "Personal ID number", "birth year 2027, after the current year"},
      {"CCCD as tax code, born next year", "ma_so_thue", "019327004567", "Mã số thuế", "Tax code",
       "birth year 2027, after the current year"},
      {"bad tax check digit", "ma_so_thue", "0100109107", "Mã số thuế", "Tax code",
       "valid tax code"},
      {"bad phone", "dien_thoai", "12345", "Điện thoại", "Phone", "phone number"},
      {"bad e-mail", "thu", "an@@example", "Thư điện tử", "E-mail", "e-mail address"},
      {"unknown field", "", "x", "\"bi_danh\"", "\"bi_danh\"", "not part of the form"},
  };
  const Procedure p = EveryType();
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.why);
    bj::object a = ValidAnswer();
    if (c.field.empty()) {
      a["bi_danh"] = c.value;
    } else if (c.value.is_null()) {
      a.erase(c.field);
    } else {
      a[c.field] = c.value;
    }
    auto r = ValidateForm(p, bj::serialize(a), kThisYear);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "dossier.form_invalid");
    EXPECT_NE(r.error().message_vi.find(c.label_vi), std::string::npos) << r.error().message_vi;
    EXPECT_NE(r.error().message_en.find(c.label_en), std::string::npos) << r.error().message_en;
    EXPECT_NE(r.error().message_en.find(c.reason_en), std::string::npos) << r.error().message_en;
    EXPECT_NE(r.error().message_vi.find("Trường"), std::string::npos);
    EXPECT_NE(r.error().message_en.find("Field"), std::string::npos);
  }
}

// The birth year in a CCCD is checked against the year the caller passes (its clock's), not the
// wall clock: a child born this year has a valid number, one "born" next year does not.
TEST(CatalogValidateForm, CccdBirthYearIsCheckedAgainstTheGivenYear) {
  const Procedure p = EveryType();
  bj::object a = ValidAnswer();
  a["so_dinh_danh"] = "019326004567";  // a girl born in 2026
  EXPECT_TRUE(ValidateForm(p, bj::serialize(a), 2026).ok());
  EXPECT_FALSE(ValidateForm(p, bj::serialize(a), 2025).ok());
}

TEST(CatalogValidateForm, TaxCodeAcceptsEnterpriseCodesBranchesAndCccd) {
  const Procedure p = EveryType();
  for (std::string_view code : {"0100109106", "0100109106-001", "019301004567"}) {
    bj::object a = ValidAnswer();
    a["ma_so_thue"] = code;
    EXPECT_TRUE(ValidateForm(p, bj::serialize(a), kThisYear).ok()) << code;
  }
}

TEST(CatalogValidateForm, PhoneForms) {
  const Procedure p = EveryType();
  for (std::string_view phone : {"0912345678", "+84912345678", "0208.3855.123", "091-234-5678"}) {
    bj::object a = ValidAnswer();
    a["dien_thoai"] = phone;
    EXPECT_TRUE(ValidateForm(p, bj::serialize(a), kThisYear).ok()) << phone;
  }
  for (std::string_view phone : {"912345678", "09123456789012", "0912abc678", "+8512345678"}) {
    bj::object a = ValidAnswer();
    a["dien_thoai"] = phone;
    EXPECT_FALSE(ValidateForm(p, bj::serialize(a), kThisYear).ok()) << phone;
  }
}

TEST(CatalogValidateForm, ListsEveryProblem) {
  const Procedure p = EveryType();
  bj::object a = ValidAnswer();
  a.erase("ho_ten");
  a["so_dinh_danh"] = "123";
  a["bi_danh"] = "x";
  auto r = ValidateForm(p, bj::serialize(a), kThisYear);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("Full name"), std::string::npos);
  EXPECT_NE(r.error().message_en.find("Personal ID number"), std::string::npos);
  EXPECT_NE(r.error().message_en.find("bi_danh"), std::string::npos);
  EXPECT_NE(r.error().detail.find("ho_ten: required"), std::string::npos) << r.error().detail;
  EXPECT_NE(r.error().detail.find("so_dinh_danh: bad CCCD"), std::string::npos);
  EXPECT_NE(r.error().detail.find("bi_danh: unknown field"), std::string::npos);
}

TEST(CatalogValidateForm, NotAnObject) {
  const Procedure p = EveryType();
  for (std::string_view text : {"", "[]", "{\"ho_ten\": ", "\"x\""}) {
    auto r = ValidateForm(p, text, kThisYear);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().reason, "dossier.form_invalid") << text;
  }
}

TEST(CatalogValidateForm, ShippedBirthRegistrationForm) {
  const Catalog c = ShippedCatalog();
  const Procedure* birth = nullptr;
  for (const Procedure& p : c.procedures) {
    if (p.code == "1.001193") birth = &p;
  }
  ASSERT_NE(birth, nullptr);
  const std::string answer = R"({"tre_ho_ten": "Hoàng Minh An", "tre_gioi_tinh": "Nam",
    "tre_ngay_sinh": "2026-01-03", "tre_noi_sinh": "Bệnh viện Đa khoa Trung ương Thái Nguyên",
    "tre_dan_toc": "Tày", "tre_quoc_tich": "Việt Nam", "me_ho_ten": "Nông Thị Hoa",
    "me_so_dinh_danh": "006195001234", "so_dien_thoai": "0912345678"})";
  auto ok = ValidateForm(*birth, answer, kThisYear);
  EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().message_en);
  auto missing = ValidateForm(*birth, R"({"tre_ho_ten": "Hoàng Minh An"})", kThisYear);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message_vi.find("Họ, chữ đệm và tên người mẹ"), std::string::npos);
  EXPECT_NE(missing.error().message_en.find("Full name of the mother"), std::string::npos);
}

}  // namespace
}  // namespace tinhso::catalog::testing
