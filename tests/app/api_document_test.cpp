// The OpenAPI document describes the API: every route of the whole application is declared
// (typed path parameters, query struct, body, each success status with its schema; see
// ARCHITECTURE.md, "Declaring a route").
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cctype>

#include "app_fixture.hpp"

namespace tinhso::app {
namespace {

class ApiDocumentTest : public test::AppTest {};

TEST_P(ApiDocumentTest, EveryRouteIsDeclared) {
  for (const auto& route : app_->router().routes()) {
    const std::string name = std::string(http::MethodName(route->method)) + " " + route->path;
    EXPECT_FALSE(route->answers.empty())
        << name << ": not declared (params, query, body, answers; see http/api.hpp)";
    for (const http::Answer& answer : route->answers) {
      if (answer.content_type == "application/json") {
        EXPECT_TRUE(answer.type) << name << " " << answer.status << ": JSON without a schema";
      }
    }
  }
  // The document is generated without aborting (no two schemas of one name) and lists them all.
  const boost::json::value doc = boost::json::parse(http::OpenApi(app_->router()));
  std::size_t operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object())
    operations += item.as_object().size();
  EXPECT_EQ(operations, app_->router().routes().size());
}

// The routes that take a file say so: the signing routes' raw bodies by media type, and the
// verification's multipart form by its parts (or the same as base64 in JSON).
TEST_P(ApiDocumentTest, RoutesTakingFilesDescribeTheirBodies) {
  const boost::json::value doc = boost::json::parse(http::OpenApi(app_->router()));
  const auto& paths = doc.at("paths").as_object();
  const auto content = [&](const char* path) -> const boost::json::object& {
    return paths.at(path).at("post").at("requestBody").at("content").as_object();
  };
  const boost::json::value binary = boost::json::parse(R"({"type":"string","format":"binary"})");
  EXPECT_EQ(content("/api/v1/signatures/pdf").at("application/pdf").at("schema"), binary);
  EXPECT_EQ(content("/api/v1/signatures/xml").at("application/xml").at("schema"), binary);
  EXPECT_EQ(content("/api/v1/signatures/cms").at("application/octet-stream").at("schema"), binary);
  EXPECT_EQ(content("/api/v1/pki/tsa").at("application/timestamp-query").at("schema"), binary);

  const auto& verify = content("/api/v1/verify");
  EXPECT_EQ(verify.at("application/json").at("schema").at("$ref").as_string(),
            "#/components/schemas/VerifyInput");
  const auto& form = verify.at("multipart/form-data").at("schema").as_object();
  EXPECT_EQ(form.at("required"), boost::json::parse(R"(["file"])"));
  EXPECT_EQ(form.at("properties").at("file").at("format").as_string(), "binary");
  EXPECT_EQ(form.at("properties").at("signature").at("format").as_string(), "binary");

  // Every upload route documents its body.
  for (const auto& route : app_->router().routes()) {
    if (!route->upload || route->answers.empty()) continue;
    std::string method(http::MethodName(route->method));
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    std::string path = route->path;  // "{rest...}" is "{rest}" in the document
    if (const auto rest = path.find("...}"); rest != std::string::npos) path.erase(rest, 3);
    ASSERT_TRUE(paths.contains(path)) << path;
    EXPECT_TRUE(paths.at(path).at(method).as_object().contains("requestBody"))
        << method << " " << route->path;
  }
}

TINHSO_INSTANTIATE_BACKENDS(ApiDocumentTest);

}  // namespace
}  // namespace tinhso::app
