#include <gtest/gtest.h>

#include "http/http.hpp"
#include "http/internal.hpp"

namespace tinhso::http {
namespace {

Handler Named(std::string name) {
  return [name](const Request&, Context&) -> Result<Response> { return JsonResponse(200, name); };
}

std::string HandlerOf(const Router::Match& m) {
  Request request;
  Context context;
  auto r = m.route->handler(request, context);
  return r.ok() ? r->body : "error";
}

Router Sample() {
  Router router;
  router.Add({.method = Method::kGet, .path = "/", .action = "t", .handler = Named("root")});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies",
              .action = "t",
              .handler = Named("list")});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies",
              .action = "t",
              .handler = Named("create")});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/{id}",
              .action = "t",
              .handler = Named("get")});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/tree",
              .action = "t",
              .handler = Named("tree")});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/agencies/{id}",
              .action = "t",
              .handler = Named("put")});
  // Another parameter name at the same position, one level deeper.
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/{code}/history/{version}",
              .action = "t",
              .handler = Named("history")});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies/merge",
              .action = "t",
              .handler = Named("merge")});
  return router;
}

TEST(Router, MatchesTable) {
  const Router router = Sample();
  struct Case {
    Method method;
    std::string_view path;
    std::string_view handler;  // "" = no route
    std::string_view why;
  };
  const Case kCases[] = {
      {Method::kGet, "/", "root", "the root path has zero segments"},
      {Method::kGet, "/api/v1/agencies", "list", "literal path"},
      {Method::kPost, "/api/v1/agencies", "create", "same path, other method"},
      {Method::kGet, "/api/v1/agencies/12", "get", "parameter"},
      {Method::kGet, "/api/v1/agencies/tree", "tree", "a literal beats a parameter"},
      {Method::kPut, "/api/v1/agencies/tree", "put", "no literal PUT: the parameter route"},
      {Method::kGet, "/api/v1/agencies/merge", "get",
       "the literal has only POST, so GET falls through to the parameter"},
      {Method::kGet, "/api/v1/agencies/7/history/3", "history", "two parameters"},
      {Method::kHead, "/api/v1/agencies/12", "get", "HEAD falls back to GET"},
      {Method::kGet, "/api/v1/agencies/", "", "trailing slash: an empty segment never matches"},
      {Method::kGet, "/api/v1//agencies", "", "empty segment"},
      {Method::kGet, "/api/v1/agencies/1/2", "", "too many segments"},
      {Method::kGet, "/api/v1", "", "prefix of a route"},
      {Method::kGet, "/API/v1/agencies", "", "case matters"},
  };
  for (const Case& c : kCases) {
    const Router::Match m = router.Find(c.method, c.path);
    if (c.handler.empty()) {
      EXPECT_EQ(m.route, nullptr) << c.path << ": " << c.why;
    } else {
      ASSERT_NE(m.route, nullptr) << c.path << ": " << c.why;
      EXPECT_EQ(HandlerOf(m), c.handler) << c.path << ": " << c.why;
      EXPECT_FALSE(m.path_exists) << c.why;
    }
  }
}

TEST(Router, ExtractsParametersByTheirOwnNames) {
  const Router router = Sample();
  Router::Match m = router.Find(Method::kGet, "/api/v1/agencies/12");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "12");
  EXPECT_EQ(m.params.size(), 1u);

  m = router.Find(Method::kGet, "/api/v1/agencies/HN-01/history/3");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("code"), "HN-01");
  EXPECT_EQ(m.params.at("version"), "3");
  EXPECT_FALSE(m.params.contains("id"));

  Context context;
  context.params = m.params;
  EXPECT_EQ(context.Param("code"), "HN-01");
  EXPECT_EQ(context.Param("missing"), "");
}

TEST(Router, ARestParameterTakesTheRestOfThePathSlashesIncluded) {
  Router router;
  router.Add({.method = Method::kGet,
              .path = "/lgsp/{service}/{path...}",
              .action = "t",
              .handler = Named("deep")});
  router.Add(
      {.method = Method::kGet, .path = "/lgsp/{service}", .action = "t", .handler = Named("top")});
  router.Add({.method = Method::kGet,
              .path = "/lgsp/{service}/status",
              .action = "t",
              .handler = Named("status")});

  Router::Match m = router.Find(Method::kGet, "/lgsp/hotich/apiHoTichTuPhap/traTrangThaiHoSo");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("service"), "hotich");
  EXPECT_EQ(m.params.at("path"), "apiHoTichTuPhap/traTrangThaiHoSo");
  m = router.Find(Method::kGet, "/lgsp/hotich/x");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "x");
  // A literal still wins, and no rest is an empty one: the route without it answers.
  EXPECT_EQ(router.Find(Method::kGet, "/lgsp/hotich/status").params.count("path"), 0u);
  m = router.Find(Method::kGet, "/lgsp/hotich");
  ASSERT_NE(m.route, nullptr);
  EXPECT_FALSE(m.params.contains("path"));
  EXPECT_EQ(router.Find(Method::kGet, "/lgsp/hotich/").route, nullptr);
  // The method still matters.
  m = router.Find(Method::kPost, "/lgsp/hotich/a/b");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_exists);
}

TEST(Router, PathWithOtherMethodsIs405WithAllowList) {
  const Router router = Sample();
  Router::Match m = router.Find(Method::kDelete, "/api/v1/agencies");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_exists);
  EXPECT_EQ(m.allowed, (std::vector<Method>{Method::kGet, Method::kHead, Method::kPost}));

  m = router.Find(Method::kDelete, "/api/v1/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_exists) << "404, not 405";
}

TEST(Router, MethodNamesRoundTrip) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    EXPECT_EQ(internal::ParseMethod(MethodName(m)), m);
  }
  EXPECT_EQ(internal::ParseMethod("TRACE"), std::nullopt);
  EXPECT_EQ(internal::ParseMethod("get"), std::nullopt) << "methods are case-sensitive";
}

TEST(RouterDeathTest, BrokenRouteTablesAbortAtStartup) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Router r = Sample();
        r.Add({.method = Method::kGet,
               .path = "/api/v1/agencies/{other}",
               .action = "t",
               .handler = Named("dup")});
      },
      "duplicate route");
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = Method::kGet, .path = "api/x", .action = "t", .handler = Named("x")});
      },
      "must start with");
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = Method::kGet, .path = "/a/x{id}", .action = "t", .handler = Named("x")});
      },
      "whole segment");
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = Method::kGet,
               .path = "/a/{rest...}/b",
               .action = "t",
               .handler = Named("x")});
      },
      "ends the path");
  EXPECT_DEATH(
      {
        Router r;
        r.Add(
            {.method = Method::kGet, .path = "/a/{id}/{id}", .action = "t", .handler = Named("x")});
      },
      "parameter used twice");
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = Method::kGet, .path = "/a", .handler = Named("x")});
      },
      "no action");
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = Method::kGet,
               .path = "/a",
               .action = "t",
               .handler = Named("x"),
               .request_schema = "{not json"});
      },
      "request_schema");
}

TEST(Request, HeaderQueryAndCookie) {
  Request r;
  r.headers = {{"content-type", "application/json"},
               {"cookie", "theme=dark; tinhso_session=abc123 ; quoted=\"v 1\""},
               {"cookie", "second=2"}};
  r.query = {{"page", "2"}, {"tag", "a"}, {"tag", "b"}};
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("x-missing"), "");
  EXPECT_EQ(r.Query("page"), "2");
  EXPECT_EQ(r.Query("tag"), "a") << "the first of repeated parameters";
  EXPECT_EQ(r.Query("none"), std::nullopt);
  EXPECT_EQ(r.Cookie("tinhso_session"), "abc123");
  EXPECT_EQ(r.Cookie("theme"), "dark");
  EXPECT_EQ(r.Cookie("quoted"), "v 1");
  EXPECT_EQ(r.Cookie("second"), "2") << "a second Cookie header is searched too";
  EXPECT_EQ(r.Cookie("session"), std::nullopt) << "no prefix matches";
}

}  // namespace
}  // namespace tinhso::http
