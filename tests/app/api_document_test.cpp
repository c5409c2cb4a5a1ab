// The OpenAPI document describes the API: every route of the whole application is declared
// (typed path parameters, query struct, body, each success status with its schema), except the
// modules still listed below, which are converted one by one (ARCHITECTURE.md, "Declaring a
// route"). Remove a route from the list when you declare it: the test fails on a stale entry.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "app_fixture.hpp"

namespace tinhso::app {
namespace {

// "METHOD path" of the routes not declared yet.
const std::set<std::string> kNotYetDeclared = {
#include "not_yet_declared.inc"
};

class ApiDocumentTest : public test::AppTest {};

TEST_P(ApiDocumentTest, EveryRouteIsDeclared) {
  std::set<std::string> seen;
  for (const auto& route : app_->router().routes()) {
    const std::string name = std::string(http::MethodName(route->method)) + " " + route->path;
    seen.insert(name);
    if (route->answers.empty()) {
      EXPECT_TRUE(kNotYetDeclared.contains(name))
          << name << ": not declared (params, query, body, answers; see http/api.hpp)";
      continue;
    }
    EXPECT_FALSE(kNotYetDeclared.contains(name)) << name << ": declared, remove it from the list";
    for (const http::Answer& answer : route->answers) {
      if (answer.content_type == "application/json") {
        EXPECT_TRUE(answer.type) << name << " " << answer.status << ": JSON without a schema";
      }
    }
  }
  for (const std::string& name : kNotYetDeclared) {
    EXPECT_TRUE(seen.contains(name)) << name << ": no such route, remove it from the list";
  }
  // The document is generated without aborting (no two schemas of one name) and lists them all.
  const boost::json::value doc = boost::json::parse(http::OpenApi(app_->router()));
  std::size_t operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object())
    operations += item.as_object().size();
  EXPECT_EQ(operations, app_->router().routes().size());
}

TINHSO_INSTANTIATE_BACKENDS(ApiDocumentTest);

}  // namespace
}  // namespace tinhso::app
