#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>

#include "agencies/agencies.hpp"
#include "auth/policy.hpp"
#include "fixture.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"

namespace tinhso::agencies::testing {
namespace {

namespace bj = boost::json;
using http::Method;

// Handlers are called through the Router with no socket (conventions §9.6); the server's Guard
// is not involved, so these tests see the handlers' own object-level checks. Every answer, error
// or not, is checked against the OpenAPI document the routes declare.
class RoutesTest : public AgencyTest {
 protected:
  void SetUp() override {
    policy_.SetAgencyTree(&service());
    RegisterRoutes(router_, service(), policy_);
    contract_ = std::make_unique<http::test::Contract>(router_);
    undeclared_query_reads_ = http::UndeclaredQueryReads();
    province_ = Make("H90", "Ủy ban nhân dân tỉnh Thử Nghiệm", "province_pc");
    district_ = Make("H90.31", "Ủy ban nhân dân huyện Chợ Đồn", "district_pc", province_.id);
    commune_ = Make("H90.31.01", "Ủy ban nhân dân xã Bản Thi", "commune_pc", district_.id);
  }

  Result<http::Response> Call(Method method, std::string path, std::string body = {},
                              std::multimap<std::string, std::string> query = {},
                              const core::Actor& actor = Admin()) {
    return contract_->Call(method, path, std::move(body), std::move(query), actor);
  }

  static bj::object Body(const Result<http::Response>& r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    if (!r.ok()) return {};
    return bj::parse(r->body).as_object();
  }

  static core::Actor Officer(std::int64_t agency_id) {
    core::Actor a;
    a.kind = core::ActorKind::kOfficer;
    a.user_id = 7;
    a.login = "canbo";
    a.agency_id = agency_id;
    a.roles = {"officer"};
    return a;
  }

  void TearDown() override {
    EXPECT_EQ(http::UndeclaredQueryReads(), undeclared_query_reads_)
        << "a handler read a query parameter its route does not declare";
  }

  auth::Policy policy_;
  http::Router router_;
  std::unique_ptr<http::test::Contract> contract_;
  std::uint64_t undeclared_query_reads_ = 0;
  Agency province_, district_, commune_;
};

TEST_P(RoutesTest, EveryRouteIsDescribedAndKnownToThePolicy) {
  ASSERT_EQ(router_.routes().size(), 8u);
  for (const auto& route : router_.routes()) {
    EXPECT_TRUE(auth::Policy::Knows(route->action)) << route->path;
    EXPECT_FALSE(route->summary_vi.empty()) << route->path;
    EXPECT_FALSE(route->summary_en.empty()) << route->path;
    EXPECT_EQ(route->tag, "agencies") << route->path;
  }
  // The literal path wins over "{id}".
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/agencies/reorganisations").route->action,
            "public.agencies");
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/agencies/reorganisations").route->path,
            "/api/v1/agencies/reorganisations");
}

TEST_P(RoutesTest, ListSearchesAndPages) {
  auto body = Body(Call(Method::kGet, "/api/v1/agencies", {}, {{"q", "cho don"}}));
  ASSERT_EQ(body["total"].as_int64(), 1);
  EXPECT_EQ(body["items"].as_array()[0].as_object().at("code").as_string(), "H90.31");

  body = Body(Call(Method::kGet, "/api/v1/agencies", {}, {{"limit", "1"}, {"offset", "1"}}));
  EXPECT_EQ(body["total"].as_int64(), 3);
  EXPECT_EQ(body["items"].as_array().size(), 1u);

  body = Body(Call(Method::kGet, "/api/v1/agencies", {},
                   {{"parent", std::to_string(district_.id)}, {"at", "2024-01-01"}}));
  EXPECT_EQ(body["total"].as_int64(), 1);

  for (auto [name, value] : {std::pair{"limit", "0"}, std::pair{"limit", "x"},
                             std::pair{"at", "2025-02-30"}, std::pair{"parent", "1e3"}}) {
    auto bad = Call(Method::kGet, "/api/v1/agencies", {}, {{name, value}});
    ASSERT_FALSE(bad.ok()) << name << "=" << value;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(bad.error().message_en.find(name), std::string::npos) << "the field is named";
  }
}

TEST_P(RoutesTest, GetAndResolve) {
  auto body = Body(Call(Method::kGet, "/api/v1/agencies/" + std::to_string(commune_.id)));
  EXPECT_EQ(body["code"].as_string(), "H90.31.01");
  EXPECT_EQ(body["code_qcvn"].as_string(), "000.01.31.H90");
  EXPECT_EQ(body["ancestors"].as_array().size(), 2u);

  auto missing = Call(Method::kGet, "/api/v1/agencies/999999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(http::StatusFor(missing.error().code), 404);
  auto bad = Call(Method::kGet, "/api/v1/agencies/abc");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(http::StatusFor(bad.error().code), 400);

  body = Body(Call(Method::kGet, "/api/v1/agencies/resolve/000.01.31.H90"));
  EXPECT_EQ(body["agency"].as_object().at("id").as_int64(), commune_.id);
  EXPECT_FALSE(body["redirected"].as_bool());
  auto unknown = Call(Method::kGet, "/api/v1/agencies/resolve/H90.99");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().reason, "agency.code_unknown");
}

TEST_P(RoutesTest, CreateValidatesAndChecksTheParent) {
  auto created = Call(Method::kPost, "/api/v1/agencies",
                      R"({"code":"H90.02","name":"Sở Tư pháp","kind":"department","parent_id":)" +
                          std::to_string(province_.id) + "}");
  ASSERT_TRUE(created.ok()) << created.error().message_en;
  EXPECT_EQ(created->status, 201);
  bool has_location = false;
  for (const auto& [k, v] : created->headers) {
    if (k == "location") has_location = v.starts_with("/api/v1/agencies/");
  }
  EXPECT_TRUE(has_location);

  auto no_name =
      Call(Method::kPost, "/api/v1/agencies", R"({"code":"H90.03","kind":"department"})");
  ASSERT_FALSE(no_name.ok());
  EXPECT_EQ(no_name.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(no_name.error().message_vi.find("name"), std::string::npos);

  auto bad_json = Call(Method::kPost, "/api/v1/agencies", "{not json");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().code, ErrorCode::kInvalidArgument);

  auto officer = Call(Method::kPost, "/api/v1/agencies",
                      R"({"code":"H90.04","name":"X","kind":"department","parent_id":)" +
                          std::to_string(province_.id) + "}",
                      {}, Officer(commune_.id));
  ASSERT_FALSE(officer.ok());
  EXPECT_EQ(officer.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(RoutesTest, UpdateUsesTheVersion) {
  const std::string path = "/api/v1/agencies/" + std::to_string(commune_.id);
  auto first = Body(Call(Method::kPut, path, R"({"version":1,"phone":"0209 3870 123"})"));
  EXPECT_EQ(first["version"].as_int64(), 2);
  EXPECT_EQ(first["phone"].as_string(), "0209 3870 123");

  auto stale = Call(Method::kPut, path, R"({"version":1,"phone":"x"})");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().reason, "agency.version_conflict");
  EXPECT_EQ(http::StatusFor(stale.error().code), 409);

  auto no_version = Call(Method::kPut, path, R"({"phone":"x"})");
  ASSERT_FALSE(no_version.ok());
  EXPECT_NE(no_version.error().message_en.find("version"), std::string::npos);

  auto recode = Call(Method::kPut, path, R"({"version":2,"code":"H90.31.09"})");
  ASSERT_FALSE(recode.ok());
  EXPECT_NE(recode.error().message_en.find("reorganisation"), std::string::npos)
      << "codes change only through a recorded reorganisation";

  auto officer = Call(Method::kPut, path, R"({"version":2,"phone":"x"})", {}, Officer(commune_.id));
  ASSERT_FALSE(officer.ok());
  EXPECT_EQ(officer.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(RoutesTest, PreviewThenRecordAReorganisation) {
  const std::string body = R"({"kind":"merge","sources":[)" + std::to_string(commune_.id) +
                           R"(],"new_target":{"code":"H90.401","name":"Ủy ban nhân dân xã Mới",)"
                           R"("kind":"commune_pc","parent_id":)" +
                           std::to_string(province_.id) +
                           R"(},"effective_date":"2025-07-01","decision":"Nghị quyết thử"})";
  auto preview = Body(Call(Method::kPost, "/api/v1/agencies/reorganisations/preview", body));
  EXPECT_TRUE(preview["preview"].as_bool());
  EXPECT_TRUE(preview["id"].is_null());
  EXPECT_EQ(preview["codes"].as_array().size(), 1u);
  EXPECT_TRUE(Fetch(commune_.id).current()) << "a preview changes nothing";

  auto applied = Call(Method::kPost, "/api/v1/agencies/reorganisations", body);
  ASSERT_TRUE(applied.ok()) << applied.error().message_en;
  EXPECT_EQ(applied->status, 201);
  EXPECT_FALSE(Fetch(commune_.id).current());

  auto list = Body(Call(Method::kGet, "/api/v1/agencies/reorganisations"));
  EXPECT_EQ(list["total"].as_int64(), 1);
  EXPECT_EQ(list["items"].as_array()[0].as_object().at("kind").as_string(), "merge");

  auto resolved = Body(Call(Method::kGet, "/api/v1/agencies/resolve/H90.31.01"));
  EXPECT_TRUE(resolved["redirected"].as_bool());
  EXPECT_EQ(resolved["agency"].as_object().at("code").as_string(), "H90.401");
}

TEST_P(RoutesTest, ReorganisationBodiesAreValidated) {
  struct Case {
    std::string body;
    std::string_view field;
  };
  const std::string src = std::to_string(district_.id);
  const Case kCases[] = {
      {R"({"kind":"merge","sources":[)" + src +
           R"(],"effective_date":"2025-07-01","decision":"x"})",
       "target_id"},
      {R"({"kind":"merge","target_id":1,"effective_date":"2025-07-01","decision":"x"})", "sources"},
      {R"({"kind":"merge","sources":["a"],"target_id":1,)"
       R"("effective_date":"2025-07-01","decision":"x"})",
       "sources"},
      {R"({"kind":"move","agency_id":)" + src +
           R"(,"effective_date":"1/7/2025","decision":"x","parent_id":1})",
       "effective_date"},
      {R"({"kind":"move","agency_id":)" + src + R"(,"effective_date":"2025-07-01","parent_id":1})",
       "decision"},
      {R"({"kind":"dissolve","effective_date":"2025-07-01","decision":"x"})", "kind"},
      {R"({"kind":"split","source_id":)" + src +
           R"(,"effective_date":"2025-07-01","decision":"x"})",
       "targets"},
      {R"({"kind":"split","targets":[],"effective_date":"2025-07-01","decision":"x"})",
       "source_id"},
      {R"({"kind":"split","source_id":)" + src +
           R"(,"targets":[{"agency_id":1,"new_agency":)"
           R"({"code":"H90.5","name":"X","kind":"commune_pc"}}],)"
           R"("effective_date":"2025-07-01","decision":"x"})",
       "agency_id"},
      {R"({"kind":"rename","name":"X","effective_date":"2025-07-01","decision":"x"})", "agency_id"},
      {R"({"kind":"move","agency_id":)" + src + R"(,"effective_date":"2025-07-01","decision":"x"})",
       "parent_id"},
      {R"({"kind":"merge","sources":[)" + src +
           R"(],"new_target":{"code":"H90.5","kind":"commune_pc"},)"
           R"("effective_date":"2025-07-01","decision":"x"})",
       "new_target.name"},
  };
  for (const Case& c : kCases) {
    auto r = Call(Method::kPost, "/api/v1/agencies/reorganisations", c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.body;
    EXPECT_NE(r.error().message_en.find(c.field), std::string::npos)
        << c.body << " → " << r.error().message_en;
  }
  // An officer of the commune may not reorganise the district.
  auto officer =
      Call(Method::kPost, "/api/v1/agencies/reorganisations",
           R"({"kind":"move","agency_id":)" + src + R"(,"parent_id":)" +
               std::to_string(province_.id) + R"(,"effective_date":"2025-07-01","decision":"x"})",
           {}, Officer(commune_.id));
  ASSERT_FALSE(officer.ok());
  EXPECT_EQ(officer.error().code, ErrorCode::kPermissionDenied);
}

// Rename, move and split through the API, each answer checked against the document.
TEST_P(RoutesTest, EveryKindOfReorganisation) {
  const std::string path = "/api/v1/agencies/reorganisations";
  const std::string info = R"("effective_date":"2025-07-01","decision":"Nghị quyết thử")";
  const std::string commune = std::to_string(commune_.id);
  auto renamed =
      Call(Method::kPost, path,
           R"({"kind":"rename","agency_id":)" + commune +
               R"(,"name":"Ủy ban nhân dân xã Bản Thi Mới","code":"H90.31.02",)" + info + "}");
  ASSERT_TRUE(renamed.ok()) << renamed.error().message_en;
  EXPECT_EQ(Body(renamed)["kind"].as_string(), "rename");
  EXPECT_EQ(Fetch(commune_.id).code, "H90.31.02");

  auto moved = Call(Method::kPost, path,
                    R"({"kind":"move","agency_id":)" + commune + R"(,"parent_id":)" +
                        std::to_string(province_.id) + "," + info + "}");
  ASSERT_TRUE(moved.ok()) << moved.error().message_en;
  EXPECT_EQ(Fetch(commune_.id).parent_id, province_.id);

  auto split = Call(Method::kPost, path,
                    R"({"kind":"split","source_id":)" + std::to_string(district_.id) +
                        R"(,"targets":[{"new_agency":{"code":"H90.32","name":"Ủy ban nhân dân )"
                        R"(huyện Đông","kind":"district_pc","parent_id":)" +
                        std::to_string(province_.id) +
                        R"(},"primary":true,"children":[],"work":[]},{"new_agency":{"code":)"
                        R"("H90.33","name":"Ủy ban nhân dân huyện Tây","kind":"district_pc",)"
                        R"("parent_id":)" +
                        std::to_string(province_.id) + "}}]," + info + "}");
  ASSERT_TRUE(split.ok()) << split.error().message_en;
  EXPECT_EQ(Body(split)["agencies"].as_array().size(), 3u);
  EXPECT_FALSE(Fetch(district_.id).current());

  auto list = Body(Call(Method::kGet, path, {}, {{"limit", "2"}}));
  EXPECT_EQ(list["total"].as_int64(), 3);
  EXPECT_EQ(list["items"].as_array().size(), 2u);
  auto closed = Body(Call(Method::kGet, "/api/v1/agencies/" + std::to_string(district_.id)));
  EXPECT_EQ(closed["valid_to"].as_string(), "2025-07-01");
  EXPECT_FALSE(closed["current"].as_bool());
}

TINHSO_INSTANTIATE_BACKENDS(RoutesTest);

}  // namespace
}  // namespace tinhso::agencies::testing
