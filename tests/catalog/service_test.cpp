// catalog::Service on both backends: import (idempotent, versioned, audited), export, reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "fixture.hpp"
#include "support/database.hpp"
#include "support/faulty_database.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::catalog::testing {
namespace {

namespace bj = boost::json;

core::Seconds T(long long s) { return core::Seconds(std::chrono::seconds(s)); }
constexpr long long kStart = 1'767'600'000;  // 2026-01-05

class CatalogServiceTest : public test::BackendTest {
 protected:
  std::int64_t Count(std::string_view sql) {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    if (!tx.ok()) return -1;
    auto rows = (*tx)->Query(sql);
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().detail);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  std::vector<audit::Entry> AuditEntries() {
    audit::Filter f;
    f.action_prefix = "catalog.";
    f.limit = 500;
    auto r = audit::List(db(), f);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<audit::Entry>{};
  }
  static Catalog Small() {
    auto c = Parse(bj::serialize(MinimalDocument()));
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    Catalog out = *c;
    Procedure second = out.procedures[0];
    second.code = "1.000656";
    second.name = "Thủ tục đăng ký khai tử";
    second.name_en = "Death registration";
    out.procedures.push_back(second);
    Procedure third = out.procedures[0];
    third.code = "2.000815";
    third.name = "Chứng thực bản sao từ bản chính";
    third.name_en = "Certified copies";
    third.field_code = "CT";
    third.field_name = "Chứng thực";
    out.procedures.push_back(third);
    return out;
  }
  static std::vector<Procedure> SortedWithoutVersions(std::vector<Procedure> list) {
    for (Procedure& p : list) {
      p.version = 1;
      p.updated_at = {};
    }
    std::sort(list.begin(), list.end(),
              [](const Procedure& a, const Procedure& b) { return a.code < b.code; });
    return list;
  }

  core::FakeClock clock_{T(kStart)};
};

TEST_P(CatalogServiceTest, ImportsTheShippedFile) {
  Service service(db(), clock_);
  auto stats = ImportFile(service, DataFile(), Admin());
  ASSERT_TRUE(stats.ok()) << stats.error().detail;
  const Catalog file = ShippedCatalog();
  EXPECT_EQ(stats->created, static_cast<int>(file.procedures.size()));
  EXPECT_EQ(stats->updated, 0);
  EXPECT_EQ(stats->unchanged, 0);
  EXPECT_EQ(stats->sectors, static_cast<int>(file.sectors.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedures"), static_cast<int>(file.procedures.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedure_versions"),
            static_cast<int>(file.procedures.size()));

  auto birth = service.Get("1.001193");
  ASSERT_TRUE(birth.ok()) << birth.error().detail;
  EXPECT_EQ(birth->name, "Thủ tục đăng ký khai sinh");
  EXPECT_EQ(birth->version, 1);
  EXPECT_EQ(birth->updated_at, T(kStart));

  auto sector = service.GetSector("tu_phap");
  ASSERT_TRUE(sector.ok());
  EXPECT_EQ(sector->agency_code, "H55.03");

  // Export gives back exactly the file's content, sorted by code, with versions and times.
  auto exported = service.Export();
  ASSERT_TRUE(exported.ok()) << exported.error().detail;
  for (const Procedure& p : exported->procedures) {
    EXPECT_EQ(p.version, 1);
    EXPECT_EQ(p.updated_at, T(kStart));
  }
  EXPECT_EQ(SortedWithoutVersions(exported->procedures), SortedWithoutVersions(file.procedures));
  std::vector<Sector> sectors = file.sectors;
  std::sort(sectors.begin(), sectors.end(),
            [](const Sector& a, const Sector& b) { return a.code < b.code; });
  EXPECT_EQ(exported->sectors, sectors);
}

TEST_P(CatalogServiceTest, ReimportChangesNothing) {
  Service service(db(), clock_);
  ASSERT_TRUE(ImportFile(service, DataFile(), Admin()).ok());
  ASSERT_EQ(AuditEntries().size(), 1u);
  clock_.Advance(std::chrono::hours(1));
  auto again = ImportFile(service, DataFile(), Admin());
  ASSERT_TRUE(again.ok()) << again.error().detail;
  const int n = static_cast<int>(ShippedCatalog().procedures.size());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, n);
  EXPECT_EQ(again->sectors, 0);
  EXPECT_EQ(AuditEntries().size(), 1u) << "an import that changes nothing records nothing";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedure_versions"), n);
  EXPECT_EQ(Count("SELECT MAX(version) FROM procedures"), 1);
  auto birth = service.Get("1.001193");
  ASSERT_TRUE(birth.ok());
  EXPECT_EQ(birth->updated_at, T(kStart)) << "untouched rows keep their time";
}

TEST_P(CatalogServiceTest, ExportImportsBackUnchanged) {
  Service service(db(), clock_);
  ASSERT_TRUE(ImportFile(service, DataFile(), Admin()).ok());
  auto exported = service.Export();
  ASSERT_TRUE(exported.ok());
  auto reparsed = Parse(ToJson(*exported));
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().detail;
  EXPECT_EQ(*reparsed, *exported);
  auto stats = service.Import(*reparsed, Admin());
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->unchanged, static_cast<int>(exported->procedures.size()));
  EXPECT_EQ(stats->created + stats->updated + stats->sectors, 0);
}

TEST_P(CatalogServiceTest, ChangeBumpsVersionAndIsAudited) {
  Service service(db(), clock_);
  Catalog c = Small();
  ASSERT_TRUE(service.Import(c, Admin()).ok());

  clock_.Advance(std::chrono::hours(2));
  c.procedures[1].processing_time.value = 3;
  c.sectors[0].name = "Sở Tư pháp tỉnh Thái Nguyên";
  auto stats = service.Import(c, Admin());
  ASSERT_TRUE(stats.ok()) << stats.error().detail;
  EXPECT_EQ(stats->created, 0);
  EXPECT_EQ(stats->updated, 1);
  EXPECT_EQ(stats->unchanged, 2);
  EXPECT_EQ(stats->sectors, 1);

  auto changed = service.Get("1.000656");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(changed->processing_time.value, 3);
  EXPECT_EQ(changed->updated_at, T(kStart + 7200));
  auto same = service.Get("1.001193");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(service.GetSector("tu_phap")->name, "Sở Tư pháp tỉnh Thái Nguyên");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedure_versions WHERE code = '1.000656'"), 2);

  const std::vector<audit::Entry> entries = AuditEntries();  // newest first
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "catalog.import");
  EXPECT_EQ(entries[0].actor_login, "quantri");
  EXPECT_EQ(entries[0].at, T(kStart + 7200));
  const bj::object data = bj::parse(entries[0].data_json).as_object();
  ASSERT_EQ(data.at("updated").as_array().size(), 1u);
  EXPECT_EQ(data.at("updated").as_array()[0].at("code"), "1.000656");
  EXPECT_EQ(data.at("updated").as_array()[0].at("version"), 2);
  EXPECT_EQ(data.at("updated").as_array()[0].at("sha256").as_string().size(), 64u);
  EXPECT_EQ(data.at("created").as_array().size(), 0u);
  EXPECT_EQ(data.at("unchanged"), 2);
  EXPECT_EQ(data.at("sectors").as_array()[0].at("code"), "tu_phap");
  const bj::object first = bj::parse(entries[1].data_json).as_object();
  EXPECT_EQ(first.at("created").as_array().size(), 3u);
  auto verify = audit::Verify(db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->intact);
}

TEST_P(CatalogServiceTest, ProceduresMissingFromTheDocumentStay) {
  Service service(db(), clock_);
  ASSERT_TRUE(service.Import(Small(), Admin()).ok());
  Catalog only_one = Small();
  only_one.procedures.resize(1);
  auto stats = service.Import(only_one, Admin());
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->unchanged, 1);
  EXPECT_TRUE(service.Get("2.000815").ok());
  EXPECT_EQ(service.List().size(), 3u);
}

TEST_P(CatalogServiceTest, InactiveProceduresAreNotListedButStillResolve) {
  Service service(db(), clock_);
  Catalog c = Small();
  c.procedures[2].active = false;
  ASSERT_TRUE(service.Import(c, Admin()).ok());
  const std::vector<Procedure> listed = service.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].code, "1.000656");  // sorted by code
  EXPECT_EQ(listed[1].code, "1.001193");
  auto retired = service.Get("2.000815");
  ASSERT_TRUE(retired.ok());
  EXPECT_FALSE(retired->active);
}

TEST_P(CatalogServiceTest, ListFilters) {
  Service service(db(), clock_);
  ASSERT_TRUE(ImportFile(service, DataFile(), Admin()).ok());
  const auto codes = [](const std::vector<Procedure>& list) {
    std::vector<std::string> out;
    for (const Procedure& p : list) out.push_back(p.code);
    return out;
  };
  const auto has = [&](const std::vector<Procedure>& list, std::string_view code) {
    const auto c = codes(list);
    return std::find(c.begin(), c.end(), code) != c.end();
  };
  // Words typed with or without diacritics, in any case, as word prefixes.
  for (std::string_view q : {"khai sinh", "KHAI SINH", "khai si", "Đăng ký khai sinh"}) {
    const auto found = service.List(q);
    EXPECT_TRUE(has(found, "1.001193")) << q;
    EXPECT_TRUE(has(found, "1.000689")) << q;
    EXPECT_FALSE(has(found, "1.000656")) << q;
  }
  EXPECT_TRUE(has(service.List("ket hon"), "1.000894"));
  EXPECT_TRUE(has(service.List("birth"), "1.001193")) << "English names match too";
  EXPECT_TRUE(has(service.List("chung thuc"), "2.000815")) << "field names match too";
  // A word that matches nothing does not hide what the others find, when they are most of
  // the query.
  const auto extra_word = codes(service.List("khai sinh xyz"));
  EXPECT_EQ(extra_word.empty() ? "" : extra_word.front(), "1.001193");
  // Typing slips are forgiven, and exact matches come first.
  for (std::string_view q : {"kahi sinh", "khai sinhh", "dnag ky khai sinh", "dăng kí khai sinh"}) {
    EXPECT_TRUE(has(service.List(q), "1.001193")) << q;
  }
  EXPECT_FALSE(has(service.List("kahi sinh"), "1.000894")) << "one slip, not a different word";
  EXPECT_TRUE(service.List("khai snh xyzw").empty()) << "one word of three is not enough";
  {
    const auto exact = service.List("khai sinh");
    for (const Procedure& p : exact) {
      EXPECT_NE(p.code, "1.000956") << "'sinh' is one slip from 'single', forgiven only when "
                                       "nothing matches as typed";
    }
  }
  // The competent department's name and the level find procedures too.
  EXPECT_TRUE(has(service.List("so van hoa"), "1.003725"));
  EXPECT_TRUE(has(service.List("co so in"), "1.003725"));
  EXPECT_TRUE(has(service.List("department of culture"), "1.003725")) << "in English too";
  // A code prefix.
  for (const Procedure& p : service.List("2.000")) EXPECT_TRUE(p.code.starts_with("2.000"));
  EXPECT_EQ(codes(service.List("1.001193")), std::vector<std::string>{"1.001193"});
  // Field and level.
  const auto civil = service.List("", "HT");
  EXPECT_GE(civil.size(), 8u);
  for (const Procedure& p : civil) EXPECT_EQ(p.field_code, "HT");
  const auto province = service.List("", "", "province");
  EXPECT_FALSE(province.empty());
  for (const Procedure& p : province) EXPECT_EQ(p.level, "province");
  EXPECT_EQ(service.List("", "", "commune").size() + province.size(), service.List().size());
  // No provincial procedure is about birth: what comes back is only forgiven matches, and
  // still only provincial ones.
  for (const Procedure& p : service.List("khai sinh", "", "province")) {
    EXPECT_EQ(p.level, "province");
    EXPECT_NE(p.code, "1.001193");
  }
}

TEST_P(CatalogServiceTest, NotFound) {
  Service service(db(), clock_);
  auto p = service.Get("9.999999");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(p.error().reason, "catalog.procedure_not_found");
  EXPECT_NE(p.error().message_vi.find("9.999999"), std::string::npos);
  auto s = service.GetSector("thue");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason, "catalog.sector_not_found");
  EXPECT_TRUE(service.List().empty());
  auto missing = ImportFile(service, test::TempDir() / "none.json", Admin());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().reason, "catalog.file_missing");
}

TEST_P(CatalogServiceTest, InvalidCatalogWritesNothing) {
  Service service(db(), clock_);
  Catalog c = Small();
  c.procedures[1].steps[1].share = 0.9;  // shares add up to 1.3
  auto r = service.Import(c, Admin());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "catalog.invalid");
  EXPECT_NE(r.error().detail.find("Procedure 1.000656, field steps"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedures"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_sectors"), 0);
  EXPECT_TRUE(AuditEntries().empty());

  const std::filesystem::path file = test::TempDir() / "bad.json";
  std::ofstream(file) << "{\"procedures\": [}";
  auto from_file = ImportFile(service, file, Admin());
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error().reason, "catalog.invalid");
}

TEST_P(CatalogServiceTest, CatalogsBuiltInCodeAreNormalised) {
  Service service(db(), clock_);
  Catalog c = Small();
  c.procedures[0].name =
      "Thu\xcc\x89 tu\xcc\xa3"
      "c  ";  // "Thủ tục", decomposed, trailing spaces
  ASSERT_TRUE(service.Import(c, Admin()).ok());
  EXPECT_EQ(service.Get("1.001193")->name, "Thủ tục");
}

TEST_P(CatalogServiceTest, FailureAtAnyStepLeavesNothingHalfWritten) {
  int failures = 0;
  for (int n = 1;; ++n) {
    ASSERT_LT(n, 500) << "never succeeded";
    test::FaultyDatabase faulty(db());
    faulty.FailCall(n, MakeError(ErrorCode::kInternal, "test.fault", "lỗi", "fault"));
    Service service(faulty, clock_);
    auto r = service.Import(Small(), Admin());
    if (r.ok()) break;
    ++failures;
    EXPECT_EQ(r.error().reason, "test.fault");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM procedures"), 0) << "call " << n;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM procedure_versions"), 0) << "call " << n;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_sectors"), 0) << "call " << n;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 0) << "call " << n;
  }
  EXPECT_GT(failures, 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM procedures"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 1);
}

TEST_P(CatalogServiceTest, AnotherProcessImportIsSeenWithinAMinute) {
  Service server(db(), clock_);
  Service cli(db(), clock_);
  ASSERT_TRUE(cli.Import(Small(), Admin()).ok());
  ASSERT_EQ(server.Get("1.000656")->processing_time.value, 1);  // loads its copy now

  Catalog changed = Small();
  changed.procedures[1].processing_time.value = 4;
  ASSERT_TRUE(cli.Import(changed, Admin()).ok());
  EXPECT_EQ(server.Get("1.000656")->processing_time.value, 1) << "the copy is trusted a minute";
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(server.Get("1.000656")->processing_time.value, 4);
  EXPECT_EQ(server.Get("1.000656")->version, 2);

  changed.procedures[1].processing_time.value = 5;
  ASSERT_TRUE(cli.Import(changed, Admin()).ok());
  ASSERT_TRUE(server.Refresh().ok());
  EXPECT_EQ(server.Get("1.000656")->processing_time.value, 5) << "Refresh reloads at once";
}

TINHSO_INSTANTIATE_BACKENDS(CatalogServiceTest);

}  // namespace
}  // namespace tinhso::catalog::testing
