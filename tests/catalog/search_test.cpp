// The procedure search as citizens use it: the query set in search_queries.tsv (what people
// type, and the procedure that must come first), ranking, and queries that must find nothing.
// Runs the shipped catalog through catalog::Service on both backends.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "fixture.hpp"
#include "support/database.hpp"

namespace tinhso::catalog::testing {
namespace {

struct QueryCase {
  int line = 0;
  std::string query;
  std::string expected;  // a procedure code, or "-" for nothing
  std::string note;
};

std::vector<QueryCase> ReadQueries() {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(root ? root : ".") / "tests" / "catalog" /
                   "search_queries.tsv");
  EXPECT_TRUE(in.good()) << "tests/catalog/search_queries.tsv";
  std::vector<QueryCase> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line.starts_with('#')) continue;
    std::vector<std::string> cols;
    std::stringstream split(line);
    for (std::string col; std::getline(split, col, '\t');) cols.push_back(col);
    EXPECT_EQ(cols.size(), 3u) << "search_queries.tsv:" << n << ": query, code, note";
    if (cols.size() != 3) continue;
    out.push_back({n, cols[0], cols[1], cols[2]});
  }
  return out;
}

std::vector<std::string> Codes(const std::vector<Procedure>& list) {
  std::vector<std::string> out;
  for (const Procedure& p : list) out.push_back(p.code);
  return out;
}

class CatalogSearchTest : public test::BackendTest {
 protected:
  void SetUp() override { ASSERT_TRUE(ImportFile(service_, DataFile(), Admin()).ok()); }
  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'767'600'000))};
  Service service_{db(), clock_};
};

// Every line fails on its own, with what came first instead, so that a change that breaks the
// ranking shows which queries it broke.
TEST_P(CatalogSearchTest, QuerySetFindsTheExpectedFirstProcedure) {
  const std::vector<QueryCase> cases = ReadQueries();
  ASSERT_GE(cases.size(), 40u);
  int passed = 0;
  std::string failures;
  for (const QueryCase& c : cases) {
    const std::vector<std::string> found = Codes(service_.List(c.query));
    const bool ok =
        c.expected == "-" ? found.empty() : !found.empty() && found.front() == c.expected;
    if (ok) {
      ++passed;
      continue;
    }
    std::string got;
    for (std::size_t i = 0; i < found.size() && i < 4; ++i) got += (i ? ", " : "") + found[i];
    if (found.size() > 4) got += ", … (" + std::to_string(found.size()) + ")";
    failures += "  line " + std::to_string(c.line) + ": \"" + c.query + "\" expected " +
                c.expected + " (" + c.note + "), got [" + got + "]\n";
  }
  std::cout << "search_queries.tsv: " << passed << " of " << cases.size() << " pass\n";
  EXPECT_EQ(passed, static_cast<int>(cases.size())) << "failing queries:\n" << failures;
}

TEST_P(CatalogSearchTest, RankingIsStable) {
  for (std::string_view q : {"khai sinh", "dang ky", "chung", "giay phep"}) {
    const std::vector<std::string> first = Codes(service_.List(q));
    EXPECT_FALSE(first.empty()) << q;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(Codes(service_.List(q)), first) << q;
  }
}

// Forgiving finds what nothing matches as typed, without adding to what does.
TEST_P(CatalogSearchTest, ForgivenWordsDoNotFlood) {
  const std::vector<std::string> plain = Codes(service_.List("khai sinh"));
  // The plain procedure first, then shorter names.
  EXPECT_EQ(plain, (std::vector<std::string>{"1.001193", "2.000635", "1.000689", "3.000722"}));
  for (std::string_view q :
       {"kai sinh", "khaisinh", "lam giay khai sinh cho con", "KHAI-SINH!", "khai sinhf"}) {
    EXPECT_EQ(Codes(service_.List(q)), plain) << q;
  }
  // "cai" is one sound from "khai", but a word of the catalog as typed: birth stays out.
  EXPECT_EQ(Codes(service_.List("cai chinh")), std::vector<std::string>{"1.004859"});
  // A sentence keeps to the procedures that match most of its words.
  for (const std::string& code : Codes(service_.List("toi muon dang ky ket hon"))) {
    EXPECT_EQ(code, "1.000894");
  }
}

TINHSO_INSTANTIATE_BACKENDS(CatalogSearchTest);

}  // namespace
}  // namespace tinhso::catalog::testing
