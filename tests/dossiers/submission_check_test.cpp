// POST /api/v1/dossiers/check on SQLite and PostgreSQL: every field Submit would refuse, named
// and worded to be shown under it, so that the portal states each format (CCCD, tax code,
// phone) as the server checks it and never writes the rules a second time.
#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"

namespace tinhso::dossiers::test {
namespace {

class SubmissionCheckTest : public DossierApiTest {
 protected:
  std::vector<std::pair<std::string, std::string>> Problems(const bj::object& body) {
    auto r = Call("POST", "/api/v1/dossiers/check", "001199012345", bj::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::pair<std::string, std::string>> out;
    const bj::object answer = Json(r);
    if (!answer.contains("problems")) return out;
    for (const auto& p : answer.at("problems").as_array()) {
      out.emplace_back(p.at("field").as_string(), p.at("message_vi").as_string());
    }
    return out;
  }
};

TEST_P(SubmissionCheckTest, EachWrongFieldIsNamedWithWhatToDo) {
  bj::object body{
      {"procedure_code", "1.001193"},
      {"on_behalf", true},
      {"applicant",
       {{"kind", 1}, {"name", "Lê Văn Cường"}, {"id_number", "999199012345"}, {"phone", "12345"}}},
      {"form", {{"birth_date", "2026-02-30"}}}};
  const auto problems = Problems(body);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0].first, "applicant.id_number");
  EXPECT_NE(problems[0].second.find("mã tỉnh"), std::string::npos) << problems[0].second;
  EXPECT_EQ(problems[1].first, "applicant.phone");
  EXPECT_EQ(problems[2],
            (std::pair<std::string, std::string>{"locality_code", "Chọn xã, phường nơi cư trú"}));
  EXPECT_EQ(problems[3],
            (std::pair<std::string, std::string>{"form.child_name", "Nhập họ tên trẻ"}));
  EXPECT_EQ(problems[4].first, "form.birth_date");
  EXPECT_EQ(problems[4].second,
            "Ngày sinh phải là một ngày có thật, viết YYYY-MM-DD (ví dụ 2026-03-15).");

  // Corrected, nothing is left; and the submission goes through as the check said.
  body["applicant"].as_object()["id_number"] = "001090012345";
  body["applicant"].as_object()["phone"] = "0912 345 678";
  body["locality_code"] = "H55.60.01";
  body["form"] = {{"child_name", "Lê Minh Khang"}, {"birth_date", "2026-02-28"}};
  EXPECT_TRUE(Problems(body).empty());
  body["files"] = bj::array{
      {{"component", "TP1"}, {"name", "a.pdf"}, {"content_base64", core::Base64Encode(Pdf())}},
      {{"component", "TP2"}, {"name", "b.pdf"}, {"content_base64", core::Base64Encode(Pdf())}}};
  EXPECT_EQ(Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(body)).status, 201);
}

TEST_P(SubmissionCheckTest, TheAccountsOwnIdentityIsNotTheApplicantsToFix) {
  // Without on_behalf the server takes the account's name and number: nothing to say of them.
  bj::object body{{"procedure_code", "2.001417"},
                  {"applicant", {{"name", "Nhung"}, {"id_number", "1"}, {"email", "a@b"}}},
                  {"form", {{"purpose", "Xin việc"}}}};
  const auto problems = Problems(body);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].first, "applicant.email");
}

TEST(LowerFirstTest, PutsALabelInsideASentence) {
  EXPECT_EQ(core::LowerFirst("Tên cơ sở in"), "tên cơ sở in");
  EXPECT_EQ(core::LowerFirst("Địa chỉ"), "địa chỉ");
  EXPECT_EQ(core::LowerFirst("CCCD của mẹ"), "CCCD của mẹ");
  EXPECT_EQ(core::LowerFirst(""), "");
}

TINHSO_INSTANTIATE_BACKENDS(SubmissionCheckTest);

}  // namespace
}  // namespace tinhso::dossiers::test
