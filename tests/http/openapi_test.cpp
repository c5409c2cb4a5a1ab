#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/http.hpp"

namespace tinhso::http {
namespace {

Result<Response> Ok200(const Request&, Context&) { return JsonResponse(200, "{}"); }

TEST(OpenApi, DocumentsEveryRoute) {
  Router router;
  RegisterBuiltinRoutes(router, {});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/{id}",
              .action = "agency.read",
              .summary_vi = "Xem cơ quan",
              .summary_en = "Read an agency",
              .handler = Ok200,
              .response_schema = R"({"type":"object"})",
              .tag = "agencies"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies",
              .action = "agency.create",
              .summary_vi = "Tạo cơ quan",
              .summary_en = "Create an agency",
              .handler = Ok200,
              .request_schema = R"({"type":"object","required":["name"]})",
              .tag = "agencies"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/files",
              .action = "file.upload",
              .handler = Ok200,
              .upload = true});

  const boost::json::value doc = boost::json::parse(OpenApi(router));
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  const auto& paths = doc.at("paths").as_object();
  std::size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.as_object().size();
  EXPECT_EQ(operations, router.routes().size()) << "one operation per route, none missed";
  for (const auto& route : router.routes()) {
    std::string method(MethodName(route->method));
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(route->path)) << route->path;
    EXPECT_TRUE(paths.at(route->path).as_object().contains(method)) << route->path;
  }

  const auto& get = paths.at("/api/v1/agencies/{id}").at("get").as_object();
  EXPECT_EQ(get.at("summary").as_string(), "Xem cơ quan");
  EXPECT_EQ(get.at("description").as_string(), "Read an agency");
  EXPECT_EQ(get.at("tags").as_array().at(0).as_string(), "agencies");
  EXPECT_EQ(get.at("x-action").as_string(), "agency.read");
  const auto& param = get.at("parameters").as_array().at(0).as_object();
  EXPECT_EQ(param.at("name").as_string(), "id");
  EXPECT_EQ(param.at("in").as_string(), "path");
  EXPECT_TRUE(param.at("required").as_bool());
  EXPECT_EQ(get.at("responses").at("200").at("content").at("application/json").at("schema"),
            boost::json::parse(R"({"type":"object"})"));
  EXPECT_EQ(get.at("responses").at("default").at("$ref").as_string(),
            "#/components/responses/Error");
  EXPECT_EQ(get.at("security").as_array().size(), 2u);

  const auto& post = paths.at("/api/v1/agencies").at("post").as_object();
  EXPECT_EQ(post.at("requestBody").at("content").at("application/json").at("schema").at("required"),
            boost::json::parse(R"(["name"])"));
  const auto& upload = paths.at("/api/v1/files").at("post").as_object();
  EXPECT_TRUE(
      upload.at("requestBody").at("content").as_object().contains("application/octet-stream"));

  EXPECT_TRUE(paths.at("/healthz").at("get").at("security").as_array().empty())
      << "public actions need no credentials";
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Error"));
  EXPECT_EQ(doc.at("components").at("securitySchemes").at("cookieAuth").at("name").as_string(),
            "tinhso_session");
}

// A body that is not JSON is documented by what it is: raw bytes of a media type, or a
// multipart form of named file parts, each a binary string.
TEST(OpenApi, DocumentsRawAndMultipartBodies) {
  Router router;
  router.Add({.method = Method::kPost,
              .path = "/api/v1/sign",
              .action = "sign.document",
              .handler = Ok200,
              .upload = true,
              .raw_body = {.types = {"application/pdf", "application/xml"}},
              .answers = {FileAnswer(200, "application/pdf")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/check",
              .action = "public.check",
              .handler = Ok200,
              .upload = true,
              .form_parts = {{.name = "file", .description = "the file"},
                             {.name = "signature", .required = false}},
              .answers = {NoContent()}});

  const boost::json::value doc = boost::json::parse(OpenApi(router));
  const auto& sign = doc.at("paths").at("/api/v1/sign").at("post").as_object();
  const auto& raw = sign.at("requestBody").at("content").as_object();
  EXPECT_EQ(raw.size(), 2u);
  for (const char* type : {"application/pdf", "application/xml"}) {
    EXPECT_EQ(raw.at(type).at("schema"),
              boost::json::parse(R"({"type":"string","format":"binary"})"))
        << type;
  }
  EXPECT_TRUE(sign.at("requestBody").at("required").as_bool());
  EXPECT_TRUE(sign.at("responses").as_object().contains("413")) << "a body may be too large";
  EXPECT_TRUE(sign.at("responses").as_object().contains("400"));

  const auto& check = doc.at("paths").at("/api/v1/check").at("post").as_object();
  const auto& content = check.at("requestBody").at("content").as_object();
  ASSERT_EQ(content.size(), 1u);
  const auto& form = content.at("multipart/form-data").at("schema").as_object();
  EXPECT_EQ(form.at("type").as_string(), "object");
  EXPECT_EQ(form.at("required"), boost::json::parse(R"(["file"])"));
  EXPECT_EQ(form.at("properties"), boost::json::parse(R"({
      "file": {"type":"string","format":"binary","description":"the file"},
      "signature": {"type":"string","format":"binary"}})"));
}

TEST(BuiltinRoutes, AreCheapExceptReadiness) {
  Router router;
  RegisterBuiltinRoutes(router, {});
  for (const auto& route : router.routes()) {
    EXPECT_EQ(route->cheap, route->path != "/readyz") << route->path;
    EXPECT_TRUE(route->action.starts_with("public.")) << route->path;
  }
}

TEST(BuiltinRoutes, ReadinessReportsTheCheck) {
  Router router;
  bool healthy = true;
  RegisterBuiltinRoutes(router, {.ready = [&]() -> Result<void> {
                          if (healthy) return Ok();
                          return MakeError(ErrorCode::kUnavailable, "db.down", "Mất kết nối CSDL",
                                           "Database down", "connection refused");
                        }});
  const Router::Match m = router.Find(Method::kGet, "/readyz");
  ASSERT_NE(m.route, nullptr);
  Request request;
  Context context;
  auto ok = m.route->handler(request, context);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  healthy = false;
  auto down = m.route->handler(request, context);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(StatusFor(down.error().code), 503);
}

}  // namespace
}  // namespace tinhso::http
