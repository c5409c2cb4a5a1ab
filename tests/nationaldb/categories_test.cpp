// The shared categories on both backends: versions and reading on a date, items changed and
// ended, history that only grows, who may change them and the audit entries, the repository's
// data files (loaded once, idempotent), and the /dmdc routes over HTTP.
#include "nationaldb/categories.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/parse.hpp"
#include "http/client.hpp"
#include "http/loopback.hpp"
#include "support/database.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

Date D(std::string_view s) { return *core::ParseDate(s); }

core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.login = "quantri";
  a.roles = {"admin"};
  return a;
}

core::Actor Officer() {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = 2;
  a.login = "motcua";
  a.roles = {"reception"};
  return a;
}

std::filesystem::path CategoriesDir() {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "data" / "categories";
}

std::vector<std::string> Codes(const Listing& l) {
  std::vector<std::string> out;
  for (const Item& i : l.items) out.push_back(i.code);
  return out;
}

const Item* Find(const Listing& l, std::string_view code) {
  for (const Item& i : l.items) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

ItemInput Unit(std::string code, std::string name, std::string parent, int level,
               std::string kind) {
  return {.code = std::move(code),
          .name = std::move(name),
          .name_en = "",
          .parent_code = std::move(parent),
          .level = level,
          .kind = std::move(kind),
          .abbreviation = ""};
}

class CategoriesTest : public test::BackendTest {
 protected:
  void Define(Categories& c) {
    auto defined = c.Define({.code = "donvihanhchinh",
                             .name = "Đơn vị hành chính",
                             .name_en = "Administrative units",
                             .description = "demo"},
                            Admin());
    ASSERT_TRUE(defined.ok()) << defined.error().message_en;
  }
  // Before and after 1 July 2025: three levels, then two.
  void PublishBoth(Categories& c) {
    Define(c);
    auto before =
        c.Publish("donvihanhchinh",
                  {.version = "2025-01",
                   .valid_from = D("2025-01-01"),
                   .decision = "trước sắp xếp",
                   .note = "",
                   .items = {Unit("H04", "Tỉnh Bắc Kạn", "", 1, "tinh"),
                             Unit("H04.31", "Huyện Ba Bể", "H04", 2, "huyen"),
                             Unit("H04.31.01", "Thị trấn Chợ Rã", "H04.31", 3, "thi_tran"),
                             Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh")}},
                  Admin());
    ASSERT_TRUE(before.ok()) << before.error().message_en;
    EXPECT_EQ(before->added, 4);
    auto after = c.Publish("donvihanhchinh",
                           {.version = "2025-07-01",
                            .valid_from = D("2025-07-01"),
                            .decision = "Nghị quyết 202/2025/QH15",
                            .note = "",
                            .items = {Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh"),
                                      Unit("H55.404", "Xã Chợ Rã", "H55", 2, "xa"),
                                      Unit("H55.405", "Xã Ba Bể", "H55", 2, "xa")}},
                           Admin());
    ASSERT_TRUE(after.ok()) << after.error().message_en;
    EXPECT_EQ(after->unchanged, 1);
    EXPECT_EQ(after->added, 2);
    EXPECT_EQ(after->ended, 3);
    EXPECT_EQ(after->changed, 0);
  }

  core::FakeClock clock_{*core::ParseTimestamp("2026-11-23T09:00:00+07:00")};
  auth::Policy policy_;
};

TEST_P(CategoriesTest, ReadingOnADayGivesTheItemsValidThatDay) {
  Categories c(db(), clock_, policy_);
  PublishBoth(c);
  auto june = c.Items("donvihanhchinh", D("2025-06-30"));
  ASSERT_TRUE(june.ok()) << june.error().message_en;
  EXPECT_EQ(june->version, "2025-01");
  EXPECT_EQ(Codes(*june), (std::vector<std::string>{"H04", "H04.31", "H04.31.01", "H55"}));
  auto july = c.Items("donvihanhchinh", D("2025-07-01"));
  ASSERT_TRUE(july.ok());
  EXPECT_EQ(july->version, "2025-07-01");
  EXPECT_EQ(Codes(*july), (std::vector<std::string>{"H55", "H55.404", "H55.405"}));
  EXPECT_EQ(Find(*july, "H55.405")->parent_code, "H55");
  EXPECT_EQ(Find(*july, "H55.405")->level, 2);
  EXPECT_EQ(Find(*july, "H55")->valid_from, D("2025-01-01"));  // unchanged, so not restarted
  // Before the first version: nothing, and no version.
  auto earlier = c.Items("donvihanhchinh", D("2024-12-31"));
  ASSERT_TRUE(earlier.ok());
  EXPECT_TRUE(earlier->items.empty());
  EXPECT_EQ(earlier->version, "");
  // Without a day: today in Vietnam (the clock says 23 November 2026).
  auto today = c.Items("donvihanhchinh", std::nullopt);
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->on, D("2026-11-23"));
  EXPECT_EQ(today->items.size(), 3u);
  // The ended ones say when they stopped.
  EXPECT_EQ(Find(*june, "H04.31")->valid_to, D("2025-07-01"));

  auto meta = c.Metadata("donvihanhchinh");
  ASSERT_TRUE(meta.ok());
  ASSERT_EQ(meta->versions.size(), 2u);
  EXPECT_EQ(meta->versions[0].valid_to, D("2025-07-01"));
  EXPECT_EQ(meta->versions[0].items, 4);
  EXPECT_FALSE(meta->versions[1].valid_to.has_value());
  EXPECT_EQ(meta->versions[1].items, 3);
  EXPECT_EQ(meta->versions[1].decision, "Nghị quyết 202/2025/QH15");
  EXPECT_EQ(c.Items("khongco", std::nullopt).error().reason, "category.not_found");
  EXPECT_EQ(c.Metadata("khongco").error().code, ErrorCode::kNotFound);
}

TEST_P(CategoriesTest, AChangedItemEndsAndStartsAgain) {
  Categories c(db(), clock_, policy_);
  PublishBoth(c);
  auto renamed = c.Publish("donvihanhchinh",
                           {.version = "2026",
                            .valid_from = D("2026-01-01"),
                            .decision = "",
                            .note = "",
                            .items = {Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh"),
                                      Unit("H55.405", "Xã Ba Bể", "H55", 2, "xa"),
                                      Unit("H55.404", "Phường Chợ Rã", "H55", 2, "phuong")}},
                           Admin());
  ASSERT_TRUE(renamed.ok()) << renamed.error().message_en;
  EXPECT_EQ(renamed->changed, 1);
  EXPECT_EQ(renamed->unchanged, 2);
  auto before = c.Items("donvihanhchinh", D("2025-12-31"));
  auto after = c.Items("donvihanhchinh", D("2026-01-01"));
  EXPECT_EQ(Find(*before, "H55.404")->name, "Xã Chợ Rã");
  EXPECT_EQ(Find(*after, "H55.404")->name, "Phường Chợ Rã");
  EXPECT_EQ(Find(*after, "H55.404")->valid_from, D("2026-01-01"));
  EXPECT_EQ(Codes(*after), (std::vector<std::string>{"H55", "H55.404", "H55.405"}));
}

TEST_P(CategoriesTest, ItemsAreChangedAndEndedOneByOne) {
  Categories c(db(), clock_, policy_);
  PublishBoth(c);
  auto put = c.PutItem("donvihanhchinh", Unit("H55.405", "Xã Ba Bể (mới)", "H55", 2, "xa"),
                       D("2026-09-01"), Admin());
  ASSERT_TRUE(put.ok()) << put.error().message_en;
  auto added = c.PutItem("donvihanhchinh", Unit("H55.438", "Xã Hiệp Lực", "H55", 2, "xa"),
                         D("2026-09-01"), Admin());
  ASSERT_TRUE(added.ok()) << added.error().message_en;
  EXPECT_EQ(Find(*c.Items("donvihanhchinh", D("2026-08-31")), "H55.405")->name, "Xã Ba Bể");
  auto september = c.Items("donvihanhchinh", D("2026-09-01"));
  EXPECT_EQ(Find(*september, "H55.405")->name, "Xã Ba Bể (mới)");
  EXPECT_EQ(Codes(*september), (std::vector<std::string>{"H55", "H55.404", "H55.405", "H55.438"}));
  EXPECT_EQ(Find(*c.Items("donvihanhchinh", D("2026-08-31")), "H55.438"), nullptr);

  ASSERT_TRUE(c.EndItem("donvihanhchinh", "H55.438", D("2026-10-01"), Admin()).ok());
  EXPECT_EQ(Find(*c.Items("donvihanhchinh", D("2026-10-01")), "H55.438"), nullptr);
  EXPECT_NE(Find(*c.Items("donvihanhchinh", D("2026-09-30")), "H55.438"), nullptr);
  EXPECT_EQ(c.EndItem("donvihanhchinh", "H55.438", D("2026-10-02"), Admin()).error().reason,
            "category.item_not_found");
}

TEST_P(CategoriesTest, HistoryOnlyGrows) {
  Categories c(db(), clock_, policy_);
  PublishBoth(c);
  VersionInput late{.version = "2025-03",
                    .valid_from = D("2025-03-01"),
                    .decision = "",
                    .note = "",
                    .items = {Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh")}};
  auto r = c.Publish("donvihanhchinh", late, Admin());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "category.not_after");
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  late.version = "2025-07-01";
  late.valid_from = D("2026-01-01");
  EXPECT_EQ(c.Publish("donvihanhchinh", late, Admin()).error().reason, "category.version_exists");
  late.version = "same-day";
  late.valid_from = D("2025-07-01");
  EXPECT_EQ(c.Publish("donvihanhchinh", late, Admin()).error().reason, "category.not_after");
  EXPECT_EQ(c.PutItem("donvihanhchinh", Unit("H55", "X", "", 1, "tinh"), D("2025-06-30"), Admin())
                .error()
                .reason,
            "category.not_after");
  // Repeated codes and nameless items are refused, naming the entry.
  late.valid_from = D("2026-01-01");
  late.items.push_back(Unit("H55", "Lặp", "", 1, "tinh"));
  auto repeated = c.Publish("donvihanhchinh", late, Admin());
  EXPECT_EQ(repeated.error().reason, "category.invalid");
  EXPECT_EQ(repeated.error().detail, "items[1].code");
  late.items = {Unit("H55", " ", "", 1, "tinh")};
  EXPECT_EQ(c.Publish("donvihanhchinh", late, Admin()).error().detail, "items[0].name");
  late.items = {Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh")};
  EXPECT_EQ(c.Publish("khongco", late, Admin()).error().code, ErrorCode::kNotFound);
}

TEST_P(CategoriesTest, OnlyAdministratorsChangeThemAndEveryChangeIsAudited) {
  Categories c(db(), clock_, policy_);
  EXPECT_EQ(
      c.Define({.code = "dantoc", .name = "Dân tộc", .name_en = "", .description = ""}, Officer())
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      c.Define({.code = "Dân tộc", .name = "Dân tộc", .name_en = "", .description = ""}, Admin())
          .error()
          .detail,
      "code");
  PublishBoth(c);
  EXPECT_EQ(c.Publish("donvihanhchinh", {}, Officer()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(c.PutItem("donvihanhchinh", Unit("H55", "X", "", 1, "tinh"), D("2027-01-01"), Officer())
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(c.EndItem("donvihanhchinh", "H55", D("2027-01-01"), Officer()).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(c.PutItem("donvihanhchinh", Unit("H55", "Tỉnh Thái Nguyên", "", 1, "tinh"),
                        D("2027-01-01"), Admin())
                  .ok());
  ASSERT_TRUE(c.EndItem("donvihanhchinh", "H55.404", D("2027-01-01"), Admin()).ok());
  auto redefined = c.Define({.code = "donvihanhchinh",
                             .name = "Đơn vị hành chính",
                             .name_en = "Units",
                             .description = ""},
                            Admin());
  ASSERT_TRUE(redefined.ok());
  EXPECT_EQ(redefined->versions.size(), 2u);

  audit::Filter f;
  f.action_prefix = "category.";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> actions;
  for (const auto& e : *entries) actions.push_back(e.action);
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions,
            (std::vector<std::string>{"category.create", "category.item.end", "category.item.put",
                                      "category.publish", "category.publish", "category.update"}));
  for (const auto& e : *entries) EXPECT_EQ(e.actor_login, "quantri");
}

TEST_P(CategoriesTest, TheRepositorysDataFilesLoadOnce) {
  Categories c(db(), clock_, policy_);
  auto loaded = LoadCategoryFiles(c, CategoriesDir(), core::SystemActor());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en << " " << loaded.error().detail;
  EXPECT_EQ(loaded->categories, 5);
  EXPECT_EQ(loaded->versions, 5);
  auto again = LoadCategoryFiles(c, CategoriesDir(), core::SystemActor());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->categories, 0);
  EXPECT_EQ(again->versions, 0);
  EXPECT_EQ(again->versions_skipped, 5);

  auto ethnic = c.Items("dantoc", std::nullopt);
  ASSERT_TRUE(ethnic.ok());
  ASSERT_EQ(ethnic->items.size(), 54u);
  EXPECT_EQ(ethnic->items.front().code, "01");
  EXPECT_EQ(ethnic->items.front().name, "Kinh");
  EXPECT_EQ(ethnic->items[1].name, "Tày");
  EXPECT_EQ(ethnic->items.back().code, "54");
  EXPECT_EQ(ethnic->items.back().name, "Rơ-măm");
  auto types = c.Items("loaivanban", std::nullopt);
  ASSERT_EQ(types->items.size(), 29u);
  EXPECT_EQ(Find(*types, "02")->abbreviation, "QĐ");
  EXPECT_EQ(Find(*types, "05")->abbreviation, "QyĐ");
  EXPECT_EQ(Find(*types, "18")->name, "Công văn");
  EXPECT_EQ(Find(*types, "18")->abbreviation, "");
  auto countries = c.Items("quocgia", std::nullopt);
  ASSERT_EQ(countries->items.size(), 249u);
  EXPECT_EQ(Find(*countries, "VN")->name, "Việt Nam");
  EXPECT_EQ(Find(*countries, "LA")->name, "Lào");
  EXPECT_EQ(Find(*countries, "LA")->name_en, "Laos");
  EXPECT_EQ(c.Items("dokhanvanban", std::nullopt)->items.size(), 4u);
  EXPECT_GE(c.Items("tongiao", std::nullopt)->items.size(), 17u);
  // The national lists did not exist before their legal basis.
  EXPECT_TRUE(c.Items("loaivanban", D("2020-03-04"))->items.empty());
}

TEST_P(CategoriesTest, AMalformedDataFileNamesItsEntry) {
  const std::filesystem::path dir = test::TempDir();
  std::ofstream(dir / "x.json")
      << R"({"code":"x","name":"X","versions":[{"version":"1","valid_from":"2025-13-01","items":[]}]})";
  auto read = ReadCategoryFile(dir / "x.json");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().reason, "category.file_invalid");
  EXPECT_NE(read.error().message_en.find("x.json"), std::string::npos);
  EXPECT_NE(read.error().message_en.find("valid_from"), std::string::npos);
}

TEST_P(CategoriesTest, DmdcRoutesServeTheCategoriesOverHttp) {
  Categories c(db(), clock_, policy_);
  PublishBoth(c);
  http::Router router;
  RegisterCategoryRoutes(router, c);
  auto server = http::LoopbackServer::Start(router, "categories-test", "/dev/null", "");
  ASSERT_TRUE(server.ok()) << server.error().message_en;
  auto get = [&](std::string path) {
    http::ClientRequest r;
    r.url = (*server)->base_url() + path;
    auto answer = http::Fetch(r);
    EXPECT_TRUE(answer.ok());
    return *answer;
  };
  auto june = get("/dmdc/Category/donvihanhchinh?ngay=2025-06-30");
  ASSERT_EQ(june.status, 200) << june.body;
  const bj::value list = bj::parse(june.body);
  EXPECT_EQ(list.at("MaDanhMuc").as_string(), "donvihanhchinh");
  EXPECT_EQ(list.at("PhienBan").as_string(), "2025-01");
  EXPECT_EQ(list.at("Ngay").as_string(), "2025-06-30");
  ASSERT_EQ(list.at("DanhSach").as_array().size(), 4u);
  const bj::value& district = list.at("DanhSach").at(1);
  EXPECT_EQ(district.at("Ma").as_string(), "H04.31");
  EXPECT_EQ(district.at("MaCha").as_string(), "H04");
  EXPECT_EQ(district.at("Cap").as_int64(), 2);
  EXPECT_EQ(district.at("HieuLucDen").as_string(), "2025-07-01");
  EXPECT_TRUE(list.at("DanhSach").at(3).at("HieuLucDen").is_null());

  http::ClientRequest post;
  post.method = http::Method::kPost;
  post.url = (*server)->base_url() + "/dmdc/Category/donvihanhchinh";
  post.headers = {{"content-type", "application/json"}};
  post.body = R"({"ngay":"2025-07-01"})";
  auto july = http::Fetch(post);
  ASSERT_TRUE(july.ok());
  EXPECT_EQ(bj::parse(july->body).at("DanhSach").as_array().size(), 3u);

  auto meta = get("/dmdc/Metadata/donvihanhchinh");
  ASSERT_EQ(meta.status, 200);
  EXPECT_EQ(bj::parse(meta.body).at("PhienBan").as_array().size(), 2u);
  EXPECT_EQ(get("/dmdc/Metadata/khongco").status, 404);
  EXPECT_EQ(get("/dmdc/Category/donvihanhchinh?ngay=2025-02-30").status, 400);

  // The loopback server admits anyone; the service still asks the policy.
  http::ClientRequest change;
  change.method = http::Method::kPost;
  change.url = (*server)->base_url() + "/api/v1/categories/donvihanhchinh/items/H55/end";
  change.headers = {{"content-type", "application/json"}};
  change.body = R"({"valid_to":"2027-01-01"})";
  auto refused = http::Fetch(change);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 403);
}

TINHSO_INSTANTIATE_BACKENDS(CategoriesTest);

}  // namespace
}  // namespace tinhso::nationaldb
