#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "agencies/agencies.hpp"
#include "fixture.hpp"

namespace tinhso::agencies::testing {
namespace {

namespace bj = boost::json;

std::filesystem::path DataDir() {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "data" / "demo";
}

bj::value ReadJson(const std::string& name) {
  std::ifstream in(DataDir() / name);
  EXPECT_TRUE(in.good()) << (DataDir() / name);
  std::stringstream text;
  text << in.rdbuf();
  return bj::parse(text.str());
}

// Every agency entry of the demo file, with the level-1 code of its tree.
struct Entry {
  std::string code;
  std::string kind;
  std::string root;
};
void Collect(const bj::array& nodes, const std::string& root, std::vector<Entry>& out) {
  for (const auto& v : nodes) {
    const auto& o = v.as_object();
    const std::string code(o.at("code").as_string());
    const std::string r = root.empty() ? code : root;
    out.push_back({code, std::string(o.at("kind").as_string()), r});
    if (auto it = o.find("children"); it != o.end()) Collect(it->value().as_array(), r, out);
  }
}
std::vector<Entry> Entries() {
  std::vector<Entry> out;
  Collect(ReadJson("agencies_bac_kan.json").at("agencies").as_array(), "", out);
  return out;
}

class DemoTest : public AgencyTest {
 protected:
  std::int64_t CountRows(std::string_view table) {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  std::int64_t IdOf(std::string_view code) {
    auto r = service().Resolve(code);
    EXPECT_TRUE(r.ok()) << code;
    return r.ok() ? r->agency.id : 0;
  }

  // The id of the one agency that matches `q` and `kind` at `at` (default: today).
  std::int64_t FindOne(std::string q, std::string kind, std::optional<Date> at = std::nullopt) {
    ListQuery query;
    query.q = std::move(q);
    query.kind = std::move(kind);
    query.at = at;
    auto page = service().List(query);
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(page.ok() ? page->total : -1, 1) << query.q;
    return page.ok() && !page->items.empty() ? page->items[0].id : 0;
  }
};

TEST_P(DemoTest, LoadsEverythingAndLoadingTwiceChangesNothing) {
  const std::vector<Entry> entries = Entries();
  const std::size_t operations =
      ReadJson("reorganisations_2025.json").at("operations").as_array().size();

  auto first = LoadDemo(service(), DataDir(), core::SystemActor());
  ASSERT_TRUE(first.ok()) << first.error().message_en << " | " << first.error().detail;
  EXPECT_EQ(first->agencies_created, static_cast<int>(entries.size()));
  EXPECT_EQ(first->agencies_skipped, 0);
  EXPECT_EQ(first->reorganisations_applied, static_cast<int>(operations));

  const std::int64_t agencies = CountRows("agencies");
  const std::int64_t codes = CountRows("agency_codes");
  const std::int64_t reorganisations = CountRows("reorganisations");
  const std::int64_t moves = CountRows("reorganisation_moves");
  const std::int64_t audit = CountRows("audit_log");

  auto second = LoadDemo(service(), DataDir(), core::SystemActor());
  ASSERT_TRUE(second.ok()) << second.error().message_en << " | " << second.error().detail;
  EXPECT_EQ(second->agencies_created, 0);
  EXPECT_EQ(second->agencies_skipped, static_cast<int>(entries.size()));
  EXPECT_EQ(second->reorganisations_applied, 0);
  EXPECT_EQ(second->reorganisations_skipped, static_cast<int>(operations));
  EXPECT_EQ(CountRows("agencies"), agencies);
  EXPECT_EQ(CountRows("agency_codes"), codes);
  EXPECT_EQ(CountRows("reorganisations"), reorganisations);
  EXPECT_EQ(CountRows("reorganisation_moves"), moves);
  EXPECT_EQ(CountRows("audit_log"), audit) << "nothing new to audit";
}

TEST_P(DemoTest, BacKanBeforeTwentyTwentyFive) {
  ASSERT_TRUE(LoadDemo(service(), DataDir(), core::SystemActor()).ok());
  const Date before = D("2025-01-01");
  // 108 commune-level units after the 2019–2020 arrangement (NQ 855/NQ-UBTVQH14).
  int communes = 0;
  for (std::string kind : {"commune_pc", "ward_pc", "township_pc"}) {
    ListQuery q;
    q.kind = kind;
    q.at = before;
    q.limit = 500;
    auto page = service().List(q);
    ASSERT_TRUE(page.ok());
    // Thái Nguyên's communes are not in the demo before 1/7/2025, so every one counted is
    // Bắc Kạn's (by code would miss Hiệp Lực, recoded in July: codes are today's).
    communes += static_cast<int>(page->items.size());
  }
  EXPECT_EQ(communes, 108);
  // Thành phố Bắc Kạn and the seven districts, as the tree stood on 1 January 2025.
  ListQuery districts;
  districts.parent_id = service().Resolve("H04")->holder_id;
  districts.at = before;
  districts.limit = 500;
  auto page = service().List(districts);
  ASSERT_TRUE(page.ok());
  int district_level = 0;
  for (const auto& a : page->items) {
    district_level += (a.kind == "district_pc" || a.kind == "city_pc") ? 1 : 0;
  }
  EXPECT_EQ(district_level, 8);
  EXPECT_NE(FindOne("huyen cho don", "district_pc", before), 0) << "search folds tones";
}

TEST_P(DemoTest, EveryPreTwentyTwentyFiveCodeResolvesToACurrentAgency) {
  ASSERT_TRUE(LoadDemo(service(), DataDir(), core::SystemActor()).ok());
  const std::int64_t thai_nguyen = IdOf("H55");
  int checked = 0;
  for (const Entry& e : Entries()) {
    if (e.root != "H04") continue;
    auto r = service().Resolve(e.code);
    ASSERT_TRUE(r.ok()) << e.code << ": " << r.error().message_en;
    EXPECT_TRUE(r->agency.current()) << e.code;
    EXPECT_TRUE(r->redirected) << e.code << " belonged to Bắc Kạn, which is no more";
    EXPECT_TRUE(service().IsWithin(r->agency.id, thai_nguyen))
        << e.code << " → " << r->agency.code << " should lie in Thái Nguyên today";
    if (auto qcvn = Qd20ToQcvn(e.code)) {
      EXPECT_EQ(service().Resolve(*qcvn)->agency.id, r->agency.id) << *qcvn;
    }
    ++checked;
  }
  EXPECT_GT(checked, 130);
  // Two hops: Sở Kế hoạch và Đầu tư → Sở Tài chính (1/3) → Sở Tài chính Thái Nguyên (1/7).
  auto planning = service().Resolve("H04.04");
  ASSERT_TRUE(planning.ok());
  EXPECT_EQ(planning->path.size(), 3u);
  EXPECT_EQ(planning->agency.kind, "department");
}

TEST_P(DemoTest, TheProvinceTodayHasTwoLevelsAndNoDistricts) {
  ASSERT_TRUE(LoadDemo(service(), DataDir(), core::SystemActor()).ok());
  const std::int64_t thai_nguyen = IdOf("H55");
  EXPECT_FALSE(service().Get(service().Resolve("H04")->holder_id)->current());

  ListQuery under;
  under.parent_id = thai_nguyen;
  under.limit = 500;
  auto page = service().List(under);
  ASSERT_TRUE(page.ok());
  std::set<std::string> kinds;
  int communes = 0;
  for (const Agency& a : page->items) {
    kinds.insert(a.kind);
    EXPECT_EQ(a.level, 2) << a.code;
    if (a.kind == "commune_pc" || a.kind == "ward_pc") ++communes;
    ListQuery below;
    below.parent_id = a.id;
    EXPECT_EQ(service().List(below)->total, 0) << a.code << " has children: a third level";
  }
  EXPECT_EQ(communes, 38);
  EXPECT_TRUE(kinds.contains("department"));
  EXPECT_TRUE(kinds.contains("commune_pc"));
  for (std::string kind : {"district_pc", "city_pc", "township_pc"}) {
    ListQuery q;
    q.kind = kind;
    EXPECT_EQ(service().List(q)->total, 0) << kind << " should not exist after 1/7/2025";
  }
  ListQuery everything;
  everything.limit = 500;
  auto all = service().List(everything);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 1 + static_cast<std::int64_t>(page->items.size())) << "H55 and below";
  for (const Agency& a : all->items) {
    EXPECT_TRUE(service().IsWithin(a.id, thai_nguyen)) << a.code;
  }
}

TEST_P(DemoTest, AnOfficerOfAMergedCommuneMovesToTheSuccessor) {
  CreateOfficersTable();
  ASSERT_TRUE(
      LoadDemoAgencies(service(), DataDir() / "agencies_bac_kan.json", core::SystemActor()).ok());
  const Date before = D("2025-01-01");
  const std::int64_t nam_mau = FindOne("xa nam mau", "commune_pc", before);
  const std::int64_t planning = IdOf("H04.04");  // Sở Kế hoạch và Đầu tư
  AddOfficer(1, nam_mau);
  AddOfficer(2, nam_mau, /*disabled=*/true);
  AddOfficer(3, planning);

  auto stats = LoadDemoReorganisations(service(), DataDir() / "reorganisations_2025.json",
                                       core::SystemActor());
  ASSERT_TRUE(stats.ok()) << stats.error().message_en << " | " << stats.error().detail;
  EXPECT_EQ(stats->work_moved, 3) << "officer 1 once, officer 3 twice (March, then July)";

  auto successor = service().Get(OfficerAgency(1));
  ASSERT_TRUE(successor.ok());
  EXPECT_TRUE(successor->current());
  EXPECT_EQ(successor->kind, "commune_pc");
  EXPECT_EQ(successor->id, service().Resolve(service().Get(nam_mau)->code)->agency.id);
  EXPECT_EQ(OfficerAgency(2), nam_mau) << "disabled accounts stay where they were";
  EXPECT_EQ(OfficerAgency(3), service().Resolve("H04.04")->agency.id);
  EXPECT_TRUE(service().IsWithin(OfficerAgency(3), IdOf("H55")));
}

TEST_P(DemoTest, AMissingOrBrokenFileIsAClearError) {
  auto missing = LoadDemo(service(), test::TempDir(), core::SystemActor());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "agency.demo_missing");

  const auto dir = test::TempDir();
  std::ofstream(dir / "agencies_bac_kan.json")
      << R"({"agencies":[{"code":"H04","kind":"province_pc","name":"A","children":[)"
         R"({"code":"h04.1","kind":"department","name":"B"}]}]})";
  auto broken = LoadDemoAgencies(service(), dir / "agencies_bac_kan.json", core::SystemActor());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().reason, "agency.code_invalid");
  EXPECT_NE(broken.error().message_en.find("agencies[0].children[0]"), std::string::npos)
      << broken.error().message_en;
}

TINHSO_INSTANTIATE_BACKENDS(DemoTest);

}  // namespace
}  // namespace tinhso::agencies::testing
