// The catalog routes, called through the Router without a socket (the server's Guard, which
// checks the route actions, is not involved). Every answer, error or not, is checked against the
// OpenAPI document the routes declare.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "fixture.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"
#include "support/database.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::catalog::testing {
namespace {

namespace bj = boost::json;
using http::Method;

class CatalogRoutesTest : public test::BackendTest {
 protected:
  void SetUp() override {
    service_ = std::make_unique<Service>(db(), clock_);
    RegisterRoutes(router_, *service_);
    contract_ = std::make_unique<http::test::Contract>(router_);
  }

  Result<http::Response> Call(Method method, const std::string& path, std::string body = {},
                              std::multimap<std::string, std::string> query = {},
                              std::string upload_path = {}) {
    const http::Router::Match match = router_.Find(method, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return InternalError("no route");
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.body = std::move(body);
    request.upload_path = std::move(upload_path);
    http::Context context;
    context.actor = Admin();
    context.params = match.params;
    context.request_id = "req-1";
    Result<http::Response> response = match.route->handler(request, context);
    const std::string problem = contract_->Check(request, response);
    EXPECT_EQ(problem, "") << "the API document does not allow " << problem;
    return response;
  }

  static bj::object Body(const Result<http::Response>& r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    if (!r.ok()) return {};
    return bj::parse(r->body).as_object();
  }

  void ImportShipped() {
    auto r = Call(Method::kPost, "/api/v1/procedures/import", ReadText(DataFile()));
    ASSERT_TRUE(r.ok()) << r.error().detail;
    ASSERT_EQ(r->status, 200);
  }

  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'767'600'000))};
  std::unique_ptr<Service> service_;
  http::Router router_;
  std::unique_ptr<http::test::Contract> contract_;
};

TEST_P(CatalogRoutesTest, ActionsNextToPaths) {
  const auto route = [&](Method m, std::string_view path) { return router_.Find(m, path).route; };
  for (std::string_view path :
       {"/api/v1/procedures", "/api/v1/procedures/1.001193", "/api/v1/procedures/1.001193/form"}) {
    ASSERT_NE(route(Method::kGet, path), nullptr) << path;
    EXPECT_EQ(route(Method::kGet, path)->action, "public.catalog") << path;
  }
  const http::Route* import = route(Method::kPost, "/api/v1/procedures/import");
  ASSERT_NE(import, nullptr);
  EXPECT_EQ(import->action, "catalog.manage");
  EXPECT_TRUE(import->upload) << "catalogs can be larger than the in-memory body limit";
  const http::Route* exported = route(Method::kGet, "/api/v1/procedures/export");
  ASSERT_NE(exported, nullptr);
  EXPECT_EQ(exported->action, "catalog.manage") << "not the public procedure route";
}

TEST_P(CatalogRoutesTest, ExportImportsBackUnchanged) {
  ImportShipped();
  auto exported = Call(Method::kGet, "/api/v1/procedures/export");
  ASSERT_TRUE(exported.ok());
  const bj::object doc = Body(exported);
  EXPECT_EQ(doc.at("procedures").as_array().size(), ShippedCatalog().procedures.size());
  const bj::object again = Body(Call(Method::kPost, "/api/v1/procedures/import", exported->body));
  EXPECT_EQ(again.at("created"), 0);
  EXPECT_EQ(again.at("updated"), 0);
}

TEST_P(CatalogRoutesTest, ImportThenReimport) {
  auto first = Call(Method::kPost, "/api/v1/procedures/import", ReadText(DataFile()));
  const bj::object a = Body(first);
  const auto n = static_cast<std::int64_t>(ShippedCatalog().procedures.size());
  EXPECT_EQ(a.at("created"), n);
  EXPECT_EQ(a.at("unchanged"), 0);
  // The second time through an uploaded file, as the server hands large bodies over.
  const std::filesystem::path file = test::TempDir() / "upload.json";
  std::ofstream(file, std::ios::binary) << ReadText(DataFile());
  auto second = Call(Method::kPost, "/api/v1/procedures/import", {}, {}, file.string());
  const bj::object b = Body(second);
  EXPECT_EQ(b.at("created"), 0);
  EXPECT_EQ(b.at("updated"), 0);
  EXPECT_EQ(b.at("unchanged"), n);
  EXPECT_EQ(b.at("sectors"), 0);
}

TEST_P(CatalogRoutesTest, InvalidDocumentListsEveryProblem) {
  bj::object doc = MinimalDocument();
  bj::object& p = FirstProcedure(doc);
  p["level"] = "district";
  p["fees"].as_array()[0].as_object()["amount"] = -1;
  auto r = Call(Method::kPost, "/api/v1/procedures/import", bj::serialize(doc));
  ASSERT_TRUE(r.ok()) << "rendered by the handler, to carry the list";
  EXPECT_EQ(r->status, 400);
  const bj::object body = bj::parse(r->body).as_object();
  const bj::object& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code"), "catalog.invalid");
  EXPECT_EQ(error.at("request_id"), "req-1");
  const bj::array& problems = error.at("problems").as_array();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].at("message_en").as_string().find("Procedure 1.001193, field level"), 0u);
  EXPECT_EQ(problems[1].at("message").as_string().find("Thủ tục 1.001193, trường fees[0].amount"),
            0u);
  // Each names its field, for the procedure editor to show the message beside it.
  EXPECT_EQ(problems[0].at("field"), "level");
  EXPECT_EQ(problems[1].at("field"), "fees[0].amount");
  EXPECT_EQ(service_->List().size(), 0u) << "nothing imported";
}

TEST_P(CatalogRoutesTest, ListAndFilters) {
  ImportShipped();
  const bj::object all = Body(Call(Method::kGet, "/api/v1/procedures"));
  EXPECT_EQ(all.at("count"), static_cast<std::int64_t>(all.at("items").as_array().size()));
  EXPECT_GE(all.at("items").as_array().size(), 30u);

  const bj::object found = Body(
      Call(Method::kGet, "/api/v1/procedures", {}, {{"q", "khai sinh"}, {"level", "commune"}}));
  bool birth = false;
  for (const bj::value& item : found.at("items").as_array()) {
    EXPECT_EQ(item.at("level"), "commune");
    if (item.at("code") == "1.001193") {
      birth = true;
      EXPECT_EQ(item.at("name"), "Thủ tục đăng ký khai sinh");
      EXPECT_EQ(item.at("field").at("code"), "HT");
      EXPECT_EQ(item.at("processing_time").at("unit"), "working_days");
      EXPECT_EQ(item.at("total_fee"), 0);
      EXPECT_EQ(item.at("version"), 1);
      EXPECT_EQ(item.at("competent").at("name"), "Ủy ban nhân dân cấp xã");
    }
  }
  EXPECT_TRUE(birth);

  auto bad = Call(Method::kGet, "/api/v1/procedures", {}, {{"level", "district"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "request.invalid_query");
}

TEST_P(CatalogRoutesTest, GetProcedureAndForm) {
  ImportShipped();
  const bj::object p = Body(Call(Method::kGet, "/api/v1/procedures/3.000333"));
  EXPECT_EQ(p.at("code"), "3.000333");
  EXPECT_EQ(p.at("version"), 1);
  EXPECT_EQ(p.at("updated_at"), "2026-01-05T08:00:00Z");
  EXPECT_EQ(p.at("total_fee"), 200000);
  EXPECT_EQ(p.at("code_confirmed"), false);
  EXPECT_FALSE(p.at("steps").as_array().empty());
  const bj::object printing = Body(Call(Method::kGet, "/api/v1/procedures/1.003725"));
  EXPECT_EQ(printing.at("competent").at("kind"), "department");
  EXPECT_NE(printing.at("competent").at("name").as_string().find("Văn hóa"), bj::string::npos)
      << bj::serialize(printing.at("competent"));
  EXPECT_EQ(printing.at("competent").at("name_en"), "Department of Culture, Sports and Tourism");

  const bj::object form = Body(Call(Method::kGet, "/api/v1/procedures/1.001193/form"));
  EXPECT_EQ(form.at("code"), "1.001193");
  EXPECT_EQ(form.at("version"), 1);
  const bj::array& fields = form.at("form").as_array();
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields[0].at("name"), "tre_ho_ten");
  EXPECT_EQ(fields[0].at("label_en"), "Full name of the child");
  EXPECT_FALSE(form.at("components").as_array().empty());

  auto missing = Call(Method::kGet, "/api/v1/procedures/9.999999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto missing_form = Call(Method::kGet, "/api/v1/procedures/9.999999/form");
  ASSERT_FALSE(missing_form.ok());
  EXPECT_EQ(missing_form.error().reason, "catalog.procedure_not_found");
}

// A procedure and its form are typed in the document, member by member, so that clients get
// real types: every shipped procedure's answers match their schemas (Call checks that), and
// every member they carry is one the schema declares.
TEST_P(CatalogRoutesTest, ProcedureAnswersAreDescribedMemberByMember) {
  ImportShipped();
  const bj::value& doc = contract_->document();
  const auto schema = [&](const char* path) -> const bj::object& {
    const bj::value& ref = doc.at("paths")
                               .at(path)
                               .at("get")
                               .at("responses")
                               .at("200")
                               .at("content")
                               .at("application/json")
                               .at("schema");
    EXPECT_TRUE(ref.as_object().contains("$ref")) << path << ": " << bj::serialize(ref);
    const std::string name(ref.as_object().contains("$ref") ? ref.at("$ref").as_string() : "");
    return doc.at("components").at("schemas").at(name.substr(name.rfind('/') + 1)).as_object();
  };
  const bj::object& detail = schema("/api/v1/procedures/{code}");
  const bj::object& form = schema("/api/v1/procedures/{code}/form");
  const auto covered = [&](const bj::object& s, const bj::object& answer, const std::string& what) {
    for (const auto& [key, value] : answer) {
      EXPECT_TRUE(s.at("properties").as_object().contains(key)) << what << ": " << key;
    }
  };
  for (const Procedure& p : ShippedCatalog().procedures) {
    const std::string path = "/api/v1/procedures/" + p.code;
    covered(detail, Body(Call(Method::kGet, path)), path);
    covered(form, Body(Call(Method::kGet, path + "/form")), path + "/form");
  }
  const bj::value& step = doc.at("components").at("schemas").at("ProcedureStep");
  EXPECT_EQ(step.at("properties").at("share").at("type"), "number");
}

// The submission page asks for the applicant's commune when the dossier will need one: for a
// commune-level procedure, and for a provincial one whose workflow asks the commune (1.004253).
TEST_P(CatalogRoutesTest, ProceduresSayWhetherTheyNeedTheApplicantsCommune) {
  ImportShipped();
  for (const auto& [code, needed] :
       {std::pair{"1.004253", true}, std::pair{"1.001193", true}, std::pair{"1.003725", false}}) {
    SCOPED_TRACE(code);
    const std::string path = std::string("/api/v1/procedures/") + code;
    EXPECT_EQ(Body(Call(Method::kGet, path)).at("needs_commune"), needed);
    EXPECT_EQ(Body(Call(Method::kGet, path + "/form")).at("needs_commune"), needed);
    const bj::object list = Body(Call(Method::kGet, "/api/v1/procedures", {}, {{"q", code}}));
    ASSERT_FALSE(list.at("items").as_array().empty());
    EXPECT_EQ(list.at("items").as_array()[0].at("needs_commune"), needed);
  }
}

TINHSO_INSTANTIATE_BACKENDS(CatalogRoutesTest);

}  // namespace
}  // namespace tinhso::catalog::testing
