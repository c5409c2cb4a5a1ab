#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <thread>
#include <vector>

#include "../catalog/fixture.hpp"
#include "core/clock.hpp"
#include "http/test_util.hpp"
#include "portal/portal.hpp"
#include "support/database.hpp"

namespace tinhso::portal {
namespace {

using catalog::testing::Admin;
using catalog::testing::FirstProcedure;
using catalog::testing::MinimalDocument;

// Static files need no guard; the server wants one.
class OpenGuard final : public http::Guard {
 public:
  Result<core::Actor> Admit(const http::Request&, const http::Route&) override {
    return core::Actor{};
  }
};

class PagesTest : public test::BackendTest {
 protected:
  void SetUp() override {
    test::BackendTest::SetUp();
    catalog_.emplace(db(), clock_);
    Import(MinimalDocument());
  }

  void Import(const boost::json::object& doc) {
    auto parsed = catalog::Parse(boost::json::serialize(doc));
    ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
    auto imported = catalog_->Import(*parsed, Admin());
    ASSERT_TRUE(imported.ok()) << imported.error().detail;
  }

  std::shared_ptr<const http::RenderedPage> Render(std::string path,
                                                   std::multimap<std::string, std::string> q = {}) {
    http::Request r;
    r.path = std::move(path);
    r.query = std::move(q);
    return pages_->Render(r);
  }

  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'763'900'000))};
  std::optional<catalog::Service> catalog_;
  std::optional<Pages> pages_;
};

TEST_P(PagesTest, HomeListsTheCatalogBySectorWithASearchFormThatWorksWithoutScript) {
  pages_.emplace(*catalog_);
  auto page = Render("/");
  ASSERT_NE(page, nullptr);
  const std::string& html = page->html;
  EXPECT_NE(html.find("Thủ tục đăng ký khai sinh"), std::string::npos);
  EXPECT_NE(html.find("href=\"/thu-tuc?ma=1.001193\""), std::string::npos);
  EXPECT_NE(html.find("<h3 class=\"sector-title\">Ủy ban nhân dân cấp xã</h3>"), std::string::npos);
  EXPECT_NE(html.find("<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">"),
            std::string::npos);
  EXPECT_NE(html.find("name=\"q\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/tra-cuu\" method=\"get\""), std::string::npos);
  EXPECT_NE(html.find("Tỉnh số"), std::string::npos) << "the province header";
  EXPECT_EQ(Render("/")->html, html);
  EXPECT_EQ(Render("/"), page) << "kept while the catalog does not change";

  auto found = Render("/", {{"q", "khai sinh"}});
  ASSERT_NE(found, nullptr);
  EXPECT_NE(found->html.find("Tìm thấy 1 thủ tục"), std::string::npos);
  EXPECT_NE(found->html.find("value=\"khai sinh\""), std::string::npos);
  EXPECT_NE(found->key, page->key);
  auto none = Render("/", {{"q", "xây dựng"}});
  EXPECT_NE(none->html.find("Tìm thấy 0 thủ tục"), std::string::npos);
}

TEST_P(PagesTest, ProcedurePageHasItsEssentials) {
  pages_.emplace(*catalog_);
  for (const std::string path : {"/thu-tuc/1.001193", "/thu-tuc"}) {
    auto page = path == "/thu-tuc" ? Render(path, {{"ma", "1.001193"}}) : Render(path);
    ASSERT_NE(page, nullptr) << path;
    const std::string& html = page->html;
    EXPECT_NE(html.find("<h1>Thủ tục đăng ký khai sinh</h1>"), std::string::npos);
    EXPECT_NE(html.find("1 ngày làm việc"), std::string::npos) << "time";
    EXPECT_NE(html.find("Lệ phí: 0 đồng (Miễn)"), std::string::npos) << "fees";
    EXPECT_NE(html.find("<li>Tờ khai — 1 bản chính (Bắt buộc)</li>"), std::string::npos);
    EXPECT_NE(html.find("Giấy chứng sinh"), std::string::npos) << "components";
    EXPECT_NE(html.find("Ủy ban nhân dân cấp xã"), std::string::npos) << "agency";
    EXPECT_EQ(page->title_html, "Thủ tục đăng ký khai sinh — Tỉnh số");
  }
  EXPECT_EQ(Render("/thu-tuc/9.999999"), nullptr) << "unknown: the UI says so";
  EXPECT_EQ(Render("/thu-tuc"), nullptr);
  EXPECT_EQ(Render("/mot-cua"), nullptr) << "officers' pages are not rendered";
  EXPECT_EQ(Render("/thu-tuc/nop/1.001193"), nullptr) << "nor the submission";
}

TEST_P(PagesTest, LookupPageIsAPlainForm) {
  pages_.emplace(*catalog_);
  auto page = Render("/tra-cuu", {{"ma", "x"}, {"k", "y"}});
  ASSERT_NE(page, nullptr);
  EXPECT_NE(page->html.find("<form action=\"/tra-cuu\" method=\"get\""), std::string::npos);
  EXPECT_NE(page->html.find("name=\"ma\""), std::string::npos);
  EXPECT_NE(page->html.find("name=\"k\""), std::string::npos);
  EXPECT_FALSE(page->no_store) << "no lookup to ask: the form alone";
}

// A lookup the page can answer: one dossier, "H55-1" with secret "ABCD2345".
LookupFn FakeLookup(std::vector<std::string>* clients) {
  return [clients](std::string_view code, std::string_view secret,
                   std::string_view client) -> Result<dossiers::PublicView> {
    clients->emplace_back(client);
    if (code != "H55-1" || secret != "ABCD2345") {
      return MakeError(ErrorCode::kNotFound, "dossier.lookup_failed",
                       "Không tìm thấy hồ sơ với mã và mã tra cứu này.",
                       "No dossier matches this code and lookup code.");
    }
    dossiers::PublicView view;
    view.dossier.code = "H55-1";
    view.dossier.procedure_name = "Đăng ký khai sinh";
    view.dossier.applicant.name = "Nguyễn Văn <An>";
    view.dossier.status = dossiers::Status::kProcessing;
    view.dossier.received_at = core::Seconds(std::chrono::seconds(1'763'900'000));
    view.events_json =
        R"([{"seq":1,"at":"2025-11-23T12:13:20Z","action":"accept","agency_name":"UBND xã An )"
        R"(Bình","content":"Tiếp nhận hồ sơ","status":4,"status_name":"Đang xử lý",)"
        R"("status_name_en":"In progress"}])";
    return view;
  };
}

// /tra-cuu?ma=&k= without JavaScript: the dossier on the page, for this request only.
TEST_P(PagesTest, LookupWithoutScriptShowsTheDossier) {
  pages_.emplace(*catalog_);
  std::vector<std::string> clients;
  pages_->SetLookup(FakeLookup(&clients));
  http::Request r;
  r.path = "/tra-cuu";
  r.query = {{"ma", "H55-1"}, {"k", "ABCD2345"}};
  r.client_ip = "203.0.113.9";
  auto page = pages_->Render(r);
  ASSERT_NE(page, nullptr);
  EXPECT_TRUE(page->no_store);
  EXPECT_EQ(clients, std::vector<std::string>{"203.0.113.9"}) << "throttled per client address";
  const std::string& html = page->html;
  EXPECT_NE(html.find("Hồ sơ: H55-1"), std::string::npos);
  EXPECT_NE(html.find("Đăng ký khai sinh"), std::string::npos);
  EXPECT_NE(html.find("Nguyễn Văn &lt;An&gt;"), std::string::npos);
  EXPECT_NE(html.find("Đang xử lý"), std::string::npos);
  EXPECT_NE(html.find("23/11/2025 19:13"), std::string::npos) << "Vietnam time";
  EXPECT_NE(html.find("UBND xã An Bình"), std::string::npos) << "the timeline";
  EXPECT_NE(html.find("value=\"H55-1\""), std::string::npos) << "the form keeps what was typed";

  r.query = {{"ma", "H55-1"}, {"k", "WRONG"}, {"lang", "en"}};
  auto wrong = pages_->Render(r);
  ASSERT_NE(wrong, nullptr);
  EXPECT_NE(wrong->html.find("role=\"alert\"><p>No dossier matches this code and lookup code."),
            std::string::npos);
  EXPECT_EQ(wrong->html.find("Nguyễn"), std::string::npos);
  EXPECT_EQ(wrong->lang, "en");
}

// English for a reader who chose it (?lang=en or the web UI's cookie); links keep the language
// for a browser without JavaScript.
TEST_P(PagesTest, EnglishWhenTheReaderChoseIt) {
  pages_.emplace(*catalog_);
  auto vi = Render("/");
  auto en = Render("/", {{"lang", "en"}});
  ASSERT_NE(vi, nullptr);
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(vi->lang, "vi");
  EXPECT_EQ(en->lang, "en");
  EXPECT_NE(en->key, vi->key);
  EXPECT_NE(en->html.find("All procedures"), std::string::npos);
  EXPECT_NE(en->html.find("Track a dossier"), std::string::npos);
  EXPECT_NE(en->html.find("href=\"/thu-tuc?ma=1.001193&amp;lang=en\""), std::string::npos);
  EXPECT_NE(en->html.find("<input type=\"hidden\" name=\"lang\" value=\"en\">"), std::string::npos)
      << "the search stays in English";
  EXPECT_NE(en->html.find("lang=\"vi\" hreflang=\"vi\" href=\"/?lang=vi\""), std::string::npos)
      << "the switch back";
  EXPECT_EQ(en->html.find("Tất cả thủ tục"), std::string::npos);
  EXPECT_NE(vi->html.find("href=\"/?lang=en\""), std::string::npos);

  http::Request cookie;
  cookie.path = "/thu-tuc/1.001193";
  cookie.headers.emplace_back("cookie", "other=1; tinhso_lang=en");
  auto proc = pages_->Render(cookie);
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(proc->lang, "en");
  EXPECT_NE(proc->html.find("Required papers"), std::string::npos);
  EXPECT_NE(proc->html.find("Apply online"), std::string::npos);
}

// The home's groups in GroupOrderKey order; web/src/lib/catalog.test.ts holds the same names in
// the same order for groupOrderKey.
TEST(GroupOrderKeyTest, SortsAsTheWebUiDoes) {
  std::vector<std::string> names = {"Ủy ban nhân dân cấp xã",
                                    "Sở Tư pháp",
                                    "Công an tỉnh",
                                    "Đài Phát thanh - Truyền hình",
                                    "Ban Quản lý các khu công nghiệp",
                                    "Sở Công Thương"};
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return GroupOrderKey(a) < GroupOrderKey(b);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"Ban Quản lý các khu công nghiệp", "Công an tỉnh",
                                             "Đài Phát thanh - Truyền hình", "Sở Công Thương",
                                             "Sở Tư pháp", "Ủy ban nhân dân cấp xã"}));
}

TEST_P(PagesTest, EverythingIsEscaped) {
  auto doc = MinimalDocument();
  FirstProcedure(doc)["name"] = "Khai sinh <script>alert(\"x\")</script> & 'con'";
  Import(doc);
  pages_.emplace(*catalog_);
  for (const auto& page : {Render("/"), Render("/thu-tuc/1.001193")}) {
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page->html.find("<script"), std::string::npos);
    EXPECT_NE(page->html.find("Khai sinh &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                              "&#39;con&#39;"),
              std::string::npos);
  }
  auto search = Render("/", {{"q", "\"><script>x</script>"}});
  EXPECT_EQ(search->html.find("<script"), std::string::npos);
  EXPECT_NE(search->html.find("value=\"&quot;&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(Render("/", {{"q", "\xff\xfe"}})->html, Render("/")->html) << "invalid UTF-8 dropped";
}

TEST_P(PagesTest, ACatalogChangeShowsUp) {
  pages_.emplace(*catalog_);
  auto before = Render("/");
  ASSERT_NE(before, nullptr);
  auto doc = MinimalDocument();
  FirstProcedure(doc)["name"] = "Đăng ký khai sinh (đã sửa)";
  Import(doc);
  auto after = Render("/");
  ASSERT_NE(after, nullptr);
  EXPECT_NE(after->key, before->key);
  EXPECT_NE(after->html.find("Đăng ký khai sinh (đã sửa)"), std::string::npos);
  EXPECT_NE(Render("/thu-tuc/1.001193")->html.find("Đăng ký khai sinh (đã sửa)"),
            std::string::npos);
}

// As a browser without JavaScript: GET / from a server whose static files carry the pages.
TEST_P(PagesTest, FetchedOverHttpWithoutScript) {
  pages_.emplace(*catalog_);
  http::test::TempDir dir;
  dir.Write("web/index.html",
            "<!doctype html><html><head><title>Cổng dịch vụ công — Tỉnh số</title></head><body>"
            "<div id=\"root\"></div><script type=\"module\" src=\"/assets/a.js\"></script>"
            "</body></html>");
  dir.Write("web/index.html.gz", "stale precompressed copy without the page");
  http::Router router;
  OpenGuard guard;
  http::ServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 1;
  o.static_dir = (dir.path() / "web").string();
  o.upload_dir = (dir.path() / "uploads").string();
  o.access_log_path = (dir.path() / "access.log").string();
  o.handle_signals = false;
  o.page_renderer = pages_->Renderer();
  http::Server server(router, guard, o);
  ASSERT_TRUE(server.Start().ok());
  std::thread thread([&] { server.Run(); });

  http::test::Client c(server.port());
  auto home = c.Call("GET", "/", "Accept: text/html\r\n");
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("<div id=\"root\"><a class=\"skip-link\""), std::string::npos);
  EXPECT_NE(home.body.find("Thủ tục đăng ký khai sinh"), std::string::npos);
  EXPECT_NE(home.body.find("<script type=\"module\" src=\"/assets/a.js\">"), std::string::npos);
  EXPECT_EQ(home.Header("cache-control"), "no-cache");

  auto proc = c.Call("GET", "/thu-tuc/1.001193", "Accept: text/html\r\n");
  EXPECT_NE(proc.body.find("<title>Thủ tục đăng ký khai sinh — Tỉnh số</title>"),
            std::string::npos);

  std::vector<std::string> clients;
  pages_->SetLookup(FakeLookup(&clients));
  auto lookup = c.Call("GET", "/tra-cuu?ma=H55-1&k=ABCD2345", "Accept: text/html\r\n");
  EXPECT_EQ(lookup.status, 200);
  EXPECT_NE(lookup.body.find("Đang xử lý"), std::string::npos);
  EXPECT_EQ(lookup.Header("cache-control"), "no-store");

  auto doc = MinimalDocument();
  FirstProcedure(doc)["name"] = "Đăng ký khai sinh, bản mới";
  Import(doc);
  auto changed = c.Call("GET", "/", "Accept: text/html\r\n");
  EXPECT_NE(changed.body.find("Đăng ký khai sinh, bản mới"), std::string::npos);
  EXPECT_NE(changed.Header("etag"), home.Header("etag"));

  server.Stop();
  thread.join();
}

TINHSO_INSTANTIATE_BACKENDS(PagesTest);

}  // namespace
}  // namespace tinhso::portal
