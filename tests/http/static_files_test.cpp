#include <gtest/gtest.h>

#include <filesystem>

#include "http/internal.hpp"
#include "http/test_util.hpp"

namespace tinhso::http::internal {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("web/index.html", "<!doctype html><title>tinhso</title>");
    dir_.Write("web/assets/app-3f2a.js", "console.log(1)");
    dir_.Write("web/robots.txt", "User-agent: *");
    dir_.Write("web/.env", "SECRET=1");
    dir_.Write("secret.txt", "top secret");
    std::filesystem::create_symlink(dir_.path() / "secret.txt", dir_.path() / "web/leak.txt");
    std::filesystem::create_directory_symlink(dir_.path(), dir_.path() / "web/up");
    auto files = StaticFiles::Open((dir_.path() / "web").string());
    ASSERT_TRUE(files.ok());
    files_.emplace(std::move(*files));
  }

  Response Get(std::string path, std::string if_none_match = {}, std::string accept = {}) {
    Request r;
    r.path = std::move(path);
    r.request_id = "rid";
    if (!if_none_match.empty()) r.headers.emplace_back("if-none-match", if_none_match);
    if (!accept.empty()) r.headers.emplace_back("accept", accept);
    return files_->Serve(r);
  }

  test::TempDir dir_;
  std::optional<StaticFiles> files_;
};

std::string Header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST_F(StaticFilesTest, ServesFilesWithTypeEtagAndCaching) {
  Response r = Get("/assets/app-3f2a.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.file_path, (std::filesystem::canonical(dir_.path()) / "web/assets/app-3f2a.js"));
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(r, "cache-control"), "public, max-age=31536000, immutable");
  const std::string etag = Header(r, "etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"') << "a strong ETag";

  r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");

  r = Get("/robots.txt");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
}

TEST_F(StaticFilesTest, IfNoneMatchGives304) {
  const std::string etag = Header(Get("/assets/app-3f2a.js"), "etag");
  EXPECT_EQ(Get("/assets/app-3f2a.js", etag).status, 304);
  EXPECT_EQ(Get("/assets/app-3f2a.js", "W/" + etag).status, 304) << "weak comparison";
  EXPECT_EQ(Get("/assets/app-3f2a.js", "\"other\", " + etag).status, 304) << "a list";
  EXPECT_EQ(Get("/assets/app-3f2a.js", "*").status, 304);
  EXPECT_EQ(Get("/assets/app-3f2a.js", "\"other\"").status, 200);
}

TEST_F(StaticFilesTest, EtagChangesWhenTheFileChanges) {
  const std::string before = Header(Get("/robots.txt"), "etag");
  dir_.Write("web/robots.txt", "User-agent: *\nDisallow: /api/");
  EXPECT_NE(Header(Get("/robots.txt"), "etag"), before);
}

TEST_F(StaticFilesTest, SinglePageAppFallback) {
  Response r = Get("/ho-so/H01.2025.000123");
  EXPECT_EQ(r.status, 404) << "the last segment has a dot: treated as a file";
  // A browser navigating there asks for HTML: a client route such as a procedure code.
  constexpr std::string_view kBrowser = "text/html,application/xhtml+xml,*/*;q=0.8";
  r = Get("/thu-tuc/1.001193", "", std::string(kBrowser));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(std::filesystem::path(r.file_path).filename(), "index.html");
  EXPECT_EQ(Get("/assets/missing.js", "", std::string(kBrowser)).status, 404)
      << "never under /assets/";
  r = Get("/ho-so/tra-cuu");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(std::filesystem::path(r.file_path).filename(), "index.html");
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
  EXPECT_EQ(Get("/assets/missing.js").status, 404) << "a missing asset is not masked by HTML";
  EXPECT_EQ(Get("/assets/chunk").status, 404) << "nothing under /assets/ falls back";
}

TEST_F(StaticFilesTest, RefusesEscapes) {
  struct Case {
    std::string path;
    int status;
    std::string_view why;
  };
  // Paths arrive percent-decoded: "%2e%2e" is ".." here, "%00" is a NUL byte.
  const Case kCases[] = {
      {"/../secret.txt", 400, "dot-dot"},
      {"/assets/../../secret.txt", 400, "dot-dot deeper"},
      {"/./index.html", 400, "dot segment"},
      {"/..\\secret.txt", 400, "backslash"},
      {std::string("/index.html\0.js", 15), 400, "NUL byte"},
      {"/leak.txt", 404, "symlink to a file outside the root"},
      {"/up/secret.txt", 404, "symlinked directory leading outside the root"},
      {"/.env", 404, "dot-files are never served"},
      {"relative", 400, "not absolute"},
  };
  for (const Case& c : kCases) {
    const Response r = Get(c.path);
    EXPECT_EQ(r.status, c.status) << c.why;
    EXPECT_TRUE(r.file_path.empty()) << c.why;
    EXPECT_NE(r.body.find("\"error\""), std::string::npos) << c.why << ": a JSON error";
  }
}

TEST(ContentTypeFor, KnownAndUnknown) {
  EXPECT_EQ(ContentTypeFor("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("archive.xyz"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("Makefile"), "application/octet-stream");
}

TEST(StaticFilesOpen, MissingDirectoryIsAnError) {
  auto files = StaticFiles::Open("/nonexistent/tinhso/web");
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tinhso::http::internal
