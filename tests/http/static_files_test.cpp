#include <gtest/gtest.h>

#include <chrono>
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

  Response Get(std::string path, std::string if_none_match = {}, std::string accept = {},
               std::string accept_encoding = {}) {
    Request r;
    r.path = std::move(path);
    r.request_id = "rid";
    if (!if_none_match.empty()) r.headers.emplace_back("if-none-match", if_none_match);
    if (!accept.empty()) r.headers.emplace_back("accept", accept);
    if (!accept_encoding.empty()) r.headers.emplace_back("accept-encoding", accept_encoding);
    return files_->Serve(r);
  }
  Response GetEncoded(std::string path, std::string accept_encoding,
                      std::string if_none_match = {}) {
    return Get(std::move(path), std::move(if_none_match), {}, std::move(accept_encoding));
  }
  std::string Served(const Response& r) const {
    return std::filesystem::path(r.file_path)
        .lexically_relative(std::filesystem::canonical(dir_.path() / "web"))
        .string();
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

// The build writes name.br and name.gz next to each text file; the best one the client
// accepts is sent, with its own ETag, and Vary so that caches keep the encodings apart.
class PrecompressedTest : public StaticFilesTest {
 protected:
  void SetUp() override {
    StaticFilesTest::SetUp();
    dir_.Write("web/assets/app-3f2a.js.br", "BR");
    dir_.Write("web/assets/app-3f2a.js.gz", "GZIP");
    dir_.Write("web/assets/gz-only.css", "body{}");
    dir_.Write("web/assets/gz-only.css.gz", "GZIP");
    dir_.Write("web/index.html.br", "BR");
    dir_.Write("web/index.html.gz", "GZIP");
  }
};

TEST_F(PrecompressedTest, BrotliBeforeGzipBeforeIdentity) {
  Response r = GetEncoded("/assets/app-3f2a.js", "gzip, deflate, br, zstd");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Served(r), "assets/app-3f2a.js.br");
  EXPECT_EQ(Header(r, "content-encoding"), "br");
  EXPECT_EQ(Header(r, "vary"), "Accept-Encoding");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8") << "the type of the file, not .br";
  EXPECT_EQ(Header(r, "cache-control"), "public, max-age=31536000, immutable");

  r = GetEncoded("/assets/app-3f2a.js", "gzip");
  EXPECT_EQ(Served(r), "assets/app-3f2a.js.gz");
  EXPECT_EQ(Header(r, "content-encoding"), "gzip");

  r = Get("/assets/app-3f2a.js");
  EXPECT_EQ(Served(r), "assets/app-3f2a.js") << "no Accept-Encoding: identity";
  EXPECT_EQ(Header(r, "content-encoding"), "");
  EXPECT_EQ(Header(r, "vary"), "Accept-Encoding") << "the plain answer varies too";

  r = GetEncoded("/assets/app-3f2a.js", "identity");
  EXPECT_EQ(Served(r), "assets/app-3f2a.js");
}

TEST_F(PrecompressedTest, QualityValues) {
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "br;q=0, gzip")), "assets/app-3f2a.js.gz")
      << "q=0 refuses brotli";
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "br;q=0.000, gzip;q=0.5")),
            "assets/app-3f2a.js.gz");
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "BR ; Q=0.2")), "assets/app-3f2a.js.br")
      << "case-insensitive, spaces around";
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "gzip;q=0, br;q=0")), "assets/app-3f2a.js");
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "*")), "assets/app-3f2a.js.br")
      << "* accepts every coding";
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "br;q=0, *;q=0.1")), "assets/app-3f2a.js.gz")
      << "* does not undo an explicit refusal";
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "*;q=0, identity")), "assets/app-3f2a.js");
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "deflate")), "assets/app-3f2a.js");
}

TEST_F(PrecompressedTest, FallsBackToWhatIsOnDisk) {
  Response r = GetEncoded("/assets/gz-only.css", "br, gzip");
  EXPECT_EQ(Served(r), "assets/gz-only.css.gz") << "no .br on disk: gzip";
  EXPECT_EQ(Header(r, "content-encoding"), "gzip");
  r = GetEncoded("/assets/gz-only.css", "br");
  EXPECT_EQ(Served(r), "assets/gz-only.css");
  EXPECT_EQ(Header(r, "content-encoding"), "");

  r = GetEncoded("/robots.txt", "br, gzip");
  EXPECT_EQ(Served(r), "robots.txt");
  EXPECT_EQ(Header(r, "vary"), "") << "nothing to choose from";

  // A file edited after the build: its older compressed copies are stale, never sent.
  const auto now = std::filesystem::last_write_time(dir_.path() / "web/assets/app-3f2a.js");
  std::filesystem::last_write_time(dir_.path() / "web/assets/app-3f2a.js.br",
                                   now - std::chrono::seconds(10));
  EXPECT_EQ(Served(GetEncoded("/assets/app-3f2a.js", "br, gzip")), "assets/app-3f2a.js.gz");
}

TEST_F(PrecompressedTest, IndexAndFallbackAreRevalidated) {
  Response r = GetEncoded("/", "br");
  EXPECT_EQ(Served(r), "index.html.br");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
  r = GetEncoded("/tra-cuu", "gzip");
  EXPECT_EQ(Served(r), "index.html.gz");
  EXPECT_EQ(Header(r, "content-encoding"), "gzip");
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
}

TEST_F(PrecompressedTest, EachEncodingHasItsOwnEtag) {
  const std::string br = Header(GetEncoded("/assets/app-3f2a.js", "br"), "etag");
  const std::string gz = Header(GetEncoded("/assets/app-3f2a.js", "gzip"), "etag");
  const std::string plain = Header(Get("/assets/app-3f2a.js"), "etag");
  EXPECT_NE(br, gz);
  EXPECT_NE(br, plain);
  EXPECT_NE(gz, plain);
  Response r = GetEncoded("/assets/app-3f2a.js", "br", br);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(Header(r, "content-encoding"), "br");
  EXPECT_EQ(Header(r, "vary"), "Accept-Encoding");
  EXPECT_EQ(GetEncoded("/assets/app-3f2a.js", "gzip", br).status, 200)
      << "the brotli ETag does not validate the gzip copy";
}

// Pages rendered on the server go into index.html's root, for "/" and client routes alike;
// assets and addresses the renderer declines are served as before.
class RenderedPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("web/index.html",
               "<!doctype html><title>Cổng</title><div id=\"root\"></div><script src=x></script>");
    dir_.Write("web/index.html.br", "BR");
    dir_.Write("web/assets/app.js", "console.log(1)");
    auto files = StaticFiles::Open((dir_.path() / "web").string(),
                                   [this](const Request& r) -> std::shared_ptr<const RenderedPage> {
                                     ++calls_;
                                     if (r.path != "/" && r.path != "/thu-tuc/1.001193")
                                       return nullptr;
                                     auto page = std::make_shared<RenderedPage>();
                                     page->key = version_ + r.path;
                                     page->title_html = r.path == "/" ? "" : "Khai sinh — Tỉnh số";
                                     page->html = "<main><h1>" + version_ + r.path + "</h1>" +
                                                  std::string(2000, 'x') + "</main>";
                                     return page;
                                   });
    ASSERT_TRUE(files.ok());
    files_.emplace(std::move(*files));
  }
  Response Get(std::string path, std::string accept_encoding = {}, std::string etag = {}) {
    Request r;
    r.path = std::move(path);
    r.request_id = "rid";
    r.headers.emplace_back("accept", "text/html");
    if (!accept_encoding.empty()) r.headers.emplace_back("accept-encoding", accept_encoding);
    if (!etag.empty()) r.headers.emplace_back("if-none-match", etag);
    return files_->Serve(r);
  }

  test::TempDir dir_;
  std::optional<StaticFiles> files_;
  std::string version_ = "v1";
  int calls_ = 0;
};

TEST_F(RenderedPagesTest, ThePageGoesIntoTheRoot) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.file_path.empty());
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body.substr(0, 64),
            "<!doctype html><title>Cổng</title><div id=\"root\"><main><h1>v1/");
  EXPECT_TRUE(r.body.ends_with("</main></div><script src=x></script>"));
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
  EXPECT_EQ(Header(r, "vary"), "Accept-Encoding, Cookie") << "the language may be a cookie";
  EXPECT_EQ(Header(r, "content-encoding"), "");

  r = Get("/thu-tuc/1.001193");
  EXPECT_NE(r.body.find("<title>Khai sinh — Tỉnh số</title>"), std::string::npos);
  EXPECT_NE(r.body.find("<h1>v1/thu-tuc/1.001193</h1>"), std::string::npos);

  r = Get("/tra-cuu", "br");
  EXPECT_EQ(std::filesystem::path(r.file_path).filename(), "index.html.br") << "declined";
  r = Get("/assets/app.js");
  EXPECT_EQ(std::filesystem::path(r.file_path).filename(), "app.js");
}

TEST_F(RenderedPagesTest, GzippedWhenAcceptedWithItsOwnEtag) {
  const Response plain = Get("/");
  Response r = Get("/", "gzip, br");
  EXPECT_EQ(Header(r, "content-encoding"), "gzip") << "no brotli for pages made at run time";
  ASSERT_GE(r.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(r.body[1]), 0x8b);
  EXPECT_LT(r.body.size(), plain.body.size());
  EXPECT_NE(Header(r, "etag"), Header(plain, "etag"));
  EXPECT_EQ(Header(Get("/", "br;q=1, gzip;q=0"), "content-encoding"), "");

  Response again = Get("/", "gzip", Header(r, "etag"));
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(Get("/", "", Header(plain, "etag")).status, 304);
  EXPECT_EQ(Get("/", "", Header(r, "etag")).status, 200);
}

TEST_F(RenderedPagesTest, ANewKeyOrANewIndexMakesANewDocument) {
  const Response before = Get("/");
  version_ = "v2";
  const Response after = Get("/");
  EXPECT_NE(after.body.find("<h1>v2/</h1>"), std::string::npos);
  EXPECT_NE(Header(after, "etag"), Header(before, "etag"));

  dir_.Write("web/index.html", "<!doctype html><title>Mới</title><div id=\"root\"></div>");
  const Response redeployed = Get("/");
  EXPECT_NE(redeployed.body.find("<title>Mới</title>"), std::string::npos);
  EXPECT_NE(redeployed.body.find("<h1>v2/</h1>"), std::string::npos);

  dir_.Write("web/index.html", "<!doctype html><div id=root></div>");
  EXPECT_EQ(Get("/").file_path, (std::filesystem::canonical(dir_.path()) / "web/index.html"))
      << "no empty root to fill: the file as it is";
}

// A page in another language says so in <html lang>; a page drawn for one reader (a dossier's
// lookup) is neither kept nor cached by the browser.
TEST(RenderedPages, LanguageAndPagesForOneReader) {
  test::TempDir dir;
  dir.Write("web/index.html",
            "<!doctype html><html lang=\"vi\"><title>Cổng</title><div id=\"root\"></div></html>");
  int calls = 0;
  auto files = StaticFiles::Open(
      (dir.path() / "web").string(), [&](const Request& r) -> std::shared_ptr<const RenderedPage> {
        auto page = std::make_shared<RenderedPage>();
        page->key = r.path;
        page->lang = r.path == "/en" ? "en" : "";
        page->no_store = r.path == "/tra-cuu";
        page->html = "<p>" + r.path + " " + std::to_string(++calls) + "</p>";
        return page;
      });
  ASSERT_TRUE(files.ok());
  const auto get = [&](std::string path, std::string etag = {}) {
    Request r;
    r.path = std::move(path);
    r.request_id = "rid";
    r.headers.emplace_back("accept", "text/html");
    if (!etag.empty()) r.headers.emplace_back("if-none-match", etag);
    return files->Serve(r);
  };
  EXPECT_NE(get("/en").body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(get("/").body.find("<html lang=\"vi\">"), std::string::npos) << "kept as it is";

  const Response first = get("/tra-cuu");
  EXPECT_NE(first.body.find("<p>/tra-cuu "), std::string::npos);
  EXPECT_EQ(Header(first, "cache-control"), "no-store");
  EXPECT_EQ(Header(first, "etag"), "");
  const Response second = get("/tra-cuu", "*");
  EXPECT_EQ(second.status, 200) << "never answered from an ETag";
  EXPECT_NE(second.body, first.body) << "drawn again, not kept";
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
