// The catalog document: the shipped data file, the round trip, and every validation rule.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "fixture.hpp"

namespace tinhso::catalog::testing {
namespace {

namespace bj = boost::json;

std::string Text(const bj::object& doc) { return bj::serialize(doc); }

int CountLines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// ---- The shipped data -------------------------------------------------------------------

TEST(ShippedCatalog, ParsesWithAtLeastThirtyProcedures) {
  auto parsed = Parse(ReadText(DataFile()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  const Catalog& c = *parsed;
  EXPECT_GE(c.procedures.size(), 30u);
  std::set<std::string> sectors;
  for (const Sector& s : c.sectors) sectors.insert(s.code);
  int commune = 0;
  int interagency = 0;
  int consultation = 0;
  int demo_interagency = 0;  // liên thông steps whose sector maps to an agency of the demo tree
  for (const Procedure& p : c.procedures) {
    SCOPED_TRACE(p.code);
    EXPECT_FALSE(p.steps.empty());
    EXPECT_EQ(p.steps.front().role, "reception");
    EXPECT_GE(p.form.size(), 5u);
    EXPECT_LE(p.form.size(), 12u);
    EXPECT_FALSE(p.components.empty());
    EXPECT_FALSE(p.results.empty());
    EXPECT_FALSE(p.legal_basis.empty());
    EXPECT_FALSE(p.name_en.empty());
    commune += p.level == "commune";
    bool has_interagency = false;
    for (const Step& s : p.steps) {
      if (s.kind == "interagency") {
        has_interagency = true;
        for (const Sector& sector : c.sectors) {
          if (sector.code == s.agency.sector && sector.agency_code.starts_with("H55.")) {
            ++demo_interagency;
          }
        }
      }
      consultation += s.kind == "consultation";
    }
    interagency += has_interagency;
  }
  EXPECT_GE(interagency, 3);
  EXPECT_GE(demo_interagency, 2);
  EXPECT_GE(consultation, 3);
  // A realistic mix: most frequent procedures are settled by communes, but not all.
  EXPECT_GE(commune * 2, static_cast<int>(c.procedures.size()));
  EXPECT_LT(commune, static_cast<int>(c.procedures.size()));
}

TEST(ShippedCatalog, KnownProcedures) {
  const Catalog c = ShippedCatalog();
  const auto find = [&](std::string_view code) -> const Procedure* {
    for (const Procedure& p : c.procedures) {
      if (p.code == code) return &p;
    }
    return nullptr;
  };
  const Procedure* birth = find("1.001193");
  ASSERT_NE(birth, nullptr);
  EXPECT_EQ(birth->name, "Thủ tục đăng ký khai sinh");
  EXPECT_EQ(birth->level, "commune");
  EXPECT_EQ(birth->competent.kind, "commune");
  EXPECT_EQ(birth->processing_time, (ProcessingTime{1, TimeUnit::kWorkingDays}));
  EXPECT_EQ(birth->TotalFee(), 0);
  EXPECT_TRUE(birth->code_confirmed);

  const Procedure* copy = find("2.000815");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->processing_time.unit, TimeUnit::kHours);
  EXPECT_EQ(copy->TotalFee(), 2000);

  const Procedure* record = find("3.000333");  // phiếu lý lịch tư pháp
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->TotalFee(), 200000);
  EXPECT_EQ(record->processing_time.value, 10);
  EXPECT_FALSE(record->code_confirmed);

  for (std::string_view code : {"1.000656", "1.000894", "1.004873", "2.000884", "1.001612",
                                "2.000720", "1.013978", "1.013831"}) {
    EXPECT_NE(find(code), nullptr) << code;
  }
}

// ---- Round trip -------------------------------------------------------------------------

TEST(CatalogRoundTrip, ShippedFile) {
  const Catalog first = ShippedCatalog();
  ASSERT_FALSE(first.procedures.empty());
  const std::string text = ToJson(first);
  auto second = Parse(text);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_EQ(*second, first);
  EXPECT_EQ(ToJson(*second), text) << "the canonical form is stable";
}

TEST(CatalogRoundTrip, EveryOptionalField) {
  bj::object doc = MinimalDocument();
  bj::object& p = FirstProcedure(doc);
  p["active"] = false;
  p["code_confirmed"] = false;
  p["version"] = 3;
  p["updated_at"] = "2026-01-05T08:30:00Z";
  p["processing_time"] = bj::object{{"value", 0.5}, {"unit", "days"}};
  auto first = Parse(Text(doc));
  ASSERT_TRUE(first.ok()) << first.error().detail;
  const Procedure& proc = first->procedures[0];
  EXPECT_FALSE(proc.active);
  EXPECT_FALSE(proc.code_confirmed);
  EXPECT_EQ(proc.version, 3);
  EXPECT_EQ(proc.updated_at.time_since_epoch().count(), 1767601800);
  EXPECT_EQ(proc.form[2].min, 0.0);
  EXPECT_EQ(proc.form[2].max, 20.0);
  EXPECT_EQ(proc.fees[0].note, "Miễn");
  EXPECT_EQ(proc.steps[2].kind, "consultation");
  EXPECT_EQ(proc.steps[0].kind, "normal");
  auto second = Parse(ToJson(*first));
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_EQ(*second, *first);
  // Shares are written in their shortest exact form, not "1E-1".
  EXPECT_NE(ToJson(*first).find("\"share\": 0.1,"), std::string::npos);
}

TEST(CatalogRoundTrip, TextIsNormalisedToNfcAndTrimmed) {
  bj::object doc = MinimalDocument();
  // "Hộ tịch" decomposed (NFD): o + combining circumflex + combining dot below.
  FirstProcedure(doc)["field"].as_object()["name"] =
      "  Ho\xcc\x82\xcc\xa3 ti\xcc\xa3"
      "ch ";
  auto c = Parse(Text(doc));
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->procedures[0].field_name, "Hộ tịch");
}

// ---- Validation -------------------------------------------------------------------------

struct Case {
  std::string why;
  std::function<void(bj::object& doc, bj::object& proc)> mutate;
  std::string path;  // the field the problem must name
};

bj::object& At(bj::object& proc, std::string_view list, std::size_t i) {
  return proc[list].as_array()[i].as_object();
}

TEST(CatalogValidation, EachRuleNamesProcedureAndField) {
  const Case kCases[] = {
      {"code pattern", [](auto&, auto& p) { p["code"] = "1.00119"; }, "code"},
      {"code pattern, letters", [](auto&, auto& p) { p["code"] = "BTP-277"; }, "code"},
      {"empty name", [](auto&, auto& p) { p["name"] = "  "; }, "name"},
      {"missing field", [](auto&, auto& p) { p.erase("field"); }, "field"},
      {"unknown level", [](auto&, auto& p) { p["level"] = "district"; }, "level"},
      {"unknown online level", [](auto&, auto& p) { p["online_level"] = "4"; }, "online_level"},
      {"negative time", [](auto&, auto& p) { p["processing_time"].as_object()["value"] = -1; },
       "processing_time.value"},
      {"unknown unit", [](auto&, auto& p) { p["processing_time"].as_object()["unit"] = "weeks"; },
       "processing_time.unit"},
      {"negative fee", [](auto&, auto& p) { At(p, "fees", 0)["amount"] = -5; }, "fees[0].amount"},
      {"fractional fee", [](auto&, auto& p) { At(p, "fees", 0)["amount"] = 1.5; },
       "fees[0].amount"},
      {"fee as text", [](auto&, auto& p) { At(p, "fees", 0)["amount"] = "200000"; },
       "fees[0].amount"},
      {"unknown fee kind", [](auto&, auto& p) { At(p, "fees", 0)["kind"] = "thue"; },
       "fees[0].kind"},
      {"duplicate component", [](auto&, auto& p) { At(p, "components", 1)["code"] = "TP1"; },
       "components[1].code"},
      {"required paper without copies",
       [](auto&, auto& p) { At(p, "components", 1)["originals"] = 0; }, "components[1].originals"},
      {"negative count", [](auto&, auto& p) { At(p, "components", 0)["copies"] = -1; },
       "components[0].copies"},
      {"unknown file type",
       [](auto&, auto& p) {
         At(p, "components", 0)["file_types"] = bj::array{"pdf", "exe"};
       },
       "components[0].file_types[1]"},
      {"duplicate form field", [](auto&, auto& p) { At(p, "form", 1)["name"] = "ho_ten"; },
       "form[1].name"},
      {"form field name pattern", [](auto&, auto& p) { At(p, "form", 0)["name"] = "Ho Ten"; },
       "form[0].name"},
      {"unknown field type", [](auto&, auto& p) { At(p, "form", 0)["type"] = "file"; },
       "form[0].type"},
      {"select without options", [](auto&, auto& p) { At(p, "form", 1).erase("options"); },
       "form[1].options"},
      {"options on a text field",
       [](auto&, auto& p) { At(p, "form", 0)["options"] = bj::array{"a"}; }, "form[0].options"},
      {"min above max", [](auto&, auto& p) { At(p, "form", 2)["min"] = 30; }, "form[2].min"},
      {"misspelt key", [](auto&, auto& p) { At(p, "form", 0)["reqired"] = true; },
       "form[0].reqired"},
      {"missing label", [](auto&, auto& p) { At(p, "form", 0).erase("label_vi"); },
       "form[0].label_vi"},
      {"no steps", [](auto&, auto& p) { p["steps"] = bj::array{}; }, "steps"},
      {"duplicate step", [](auto&, auto& p) { At(p, "steps", 1)["code"] = "tiep_nhan"; },
       "steps[1].code"},
      {"first step not reception", [](auto&, auto& p) { At(p, "steps", 0)["role"] = "officer"; },
       "steps[0].role"},
      {"unknown role", [](auto&, auto& p) { At(p, "steps", 1)["role"] = "director"; },
       "steps[1].role"},
      {"share above 1", [](auto&, auto& p) { At(p, "steps", 1)["share"] = 1.5; }, "steps[1].share"},
      {"shares not summing to 1", [](auto&, auto& p) { At(p, "steps", 1)["share"] = 0.5; },
       "steps"},
      {"unknown step kind", [](auto&, auto& p) { At(p, "steps", 1)["kind"] = "parallel"; },
       "steps[1].kind"},
      {"unknown sector",
       [](auto&, auto& p) { At(p, "steps", 2)["agency"].as_object()["sector"] = "thue"; },
       "steps[2].agency.sector"},
      {"department without sector",
       [](auto&, auto& p) { At(p, "steps", 2)["agency"].as_object().erase("sector"); },
       "steps[2].agency.sector"},
      {"interagency step naming no other agency",
       [](auto&, auto& p) {
         At(p, "steps", 1)["kind"] = "interagency";  // its agency is "competent"
       },
       "steps[1].agency.kind"},
      {"commune procedure settled by a department",
       [](auto&, auto& p) {
         p["competent"] = bj::object{{"kind", "department"}, {"sector", "tu_phap"}};
       },
       "competent.kind"},
      {"province procedure settled by a commune", [](auto&, auto& p) { p["level"] = "province"; },
       "competent.kind"},
      {"no results", [](auto&, auto& p) { p["results"] = bj::array{}; }, "results"},
      {"duplicate procedure",
       [](auto& doc, auto& p) { doc["procedures"].as_array().push_back(bj::object(p)); }, "code"},
      {"line break in a name", [](auto&, auto& p) { p["name"] = "Đăng ký\nkhai sinh"; }, "name"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.why);
    bj::object doc = MinimalDocument();
    c.mutate(doc, FirstProcedure(doc));
    auto r = Parse(Text(doc));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "catalog.invalid");
    const std::string code = FirstProcedure(doc)["code"].as_string().c_str();
    const std::string vi = "Thủ tục " + code + ", trường " + c.path + ":";
    const std::string en = "Procedure " + code + ", field " + c.path + ":";
    EXPECT_NE(r.error().detail.find(vi), std::string::npos) << r.error().detail;
    EXPECT_NE(r.error().detail.find(en), std::string::npos) << r.error().detail;
    EXPECT_NE(r.error().message_vi.find("Thủ tục " + code), std::string::npos)
        << r.error().message_vi;
    EXPECT_NE(r.error().message_en.find("Procedure " + code), std::string::npos)
        << r.error().message_en;
  }
}

TEST(CatalogValidation, CollectsEveryProblem) {
  bj::object doc = MinimalDocument();
  bj::object& p = FirstProcedure(doc);
  p["level"] = "district";
  At(p, "fees", 0)["amount"] = -1;
  At(p, "steps", 0)["role"] = "leader";
  auto r = Parse(Text(doc));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(CountLines(r.error().detail), 3) << r.error().detail;
  EXPECT_NE(r.error().detail.find("level"), std::string::npos);
  EXPECT_NE(r.error().detail.find("fees[0].amount"), std::string::npos);
  EXPECT_NE(r.error().detail.find("steps[0].role"), std::string::npos);
  // The message is the first problem plus the count.
  EXPECT_NE(r.error().message_en.find("field level"), std::string::npos) << r.error().message_en;
  EXPECT_NE(r.error().message_en.find("3 problems"), std::string::npos) << r.error().message_en;
  EXPECT_NE(r.error().message_vi.find("3 lỗi"), std::string::npos) << r.error().message_vi;
}

TEST(CatalogValidation, ProblemsInSeveralProceduresNameEach) {
  bj::object doc = MinimalDocument();
  bj::object second = FirstProcedure(doc);
  second["code"] = "1.000656";
  second["name"] = "";
  FirstProcedure(doc)["online_level"] = "level4";
  doc["procedures"].as_array().push_back(second);
  auto r = Parse(Text(doc));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("Procedure 1.001193, field online_level"), std::string::npos);
  EXPECT_NE(r.error().detail.find("Procedure 1.000656, field name"), std::string::npos);
}

TEST(CatalogValidation, Sectors) {
  bj::object doc = MinimalDocument();
  doc["sectors"].as_array().push_back(
      bj::object{{"code", "tu_phap"}, {"name", "Khác"}, {"agency_code", "H55.99"}});
  doc["sectors"].as_array().push_back(
      bj::object{{"code", "Bad Code"}, {"name", ""}, {"agency_code", "H55 03"}});
  auto r = Parse(Text(doc));
  ASSERT_FALSE(r.ok());
  const std::string& d = r.error().detail;
  EXPECT_NE(d.find("Sector tu_phap, field code"), std::string::npos) << d;
  EXPECT_NE(d.find("Sector Bad Code, field code"), std::string::npos) << d;
  EXPECT_NE(d.find("Sector Bad Code, field name"), std::string::npos) << d;
  EXPECT_NE(d.find("Sector Bad Code, field agency_code"), std::string::npos) << d;
  EXPECT_NE(d.find("Ngành Bad Code, trường name"), std::string::npos) << d;
}

TEST(CatalogValidation, DocumentLevel) {
  struct DocCase {
    std::string text;
    std::string expect;
  };
  const DocCase kCases[] = {
      {"{\"procedures\": [}", "line:column 1:17"},
      {"{\n  \"procedures\": [\n    {\"code\": 1.0.1}\n  ]\n}", "line:column 3:17"},
      {"[]", "must be an object"},
      {"{}", "field procedures: is required"},
      {"{\"procedures\": [], \"extra\": 1}", "field extra: is not a field"},
      {"{\"procedures\": [], \"about\": \"caf\xc3\"}", "not valid UTF-8"},
      {"{\"procedures\": [42]}", "field procedures[0]: must be an object"},
  };
  for (const DocCase& c : kCases) {
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().reason, "catalog.invalid");
    EXPECT_NE(r.error().message_en.find(c.expect), std::string::npos)
        << c.text << " → " << r.error().message_en;
  }
  auto empty = Parse("{\"procedures\": []}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->procedures.empty());
}

TEST(CatalogValidation, ProcedureCodeForms) {
  for (std::string_view code : {"1.001193", "2.000815", "3.000722", "6.006710"}) {
    bj::object doc = MinimalDocument();
    FirstProcedure(doc)["code"] = code;
    EXPECT_TRUE(Parse(Text(doc)).ok()) << code;
  }
  for (std::string_view code : {"1001193", "1.0011930", "a.001193", "1.00119a", "12.00119"}) {
    bj::object doc = MinimalDocument();
    FirstProcedure(doc)["code"] = code;
    EXPECT_FALSE(Parse(Text(doc)).ok()) << code;
  }
}

// ---- Helpers on the structs -------------------------------------------------------------

TEST(CatalogProcedure, TotalFeeAndFindComponent) {
  bj::object doc = MinimalDocument();
  bj::array& fees = FirstProcedure(doc)["fees"].as_array();
  fees[0].as_object()["amount"] = 200000;
  fees.push_back(bj::object{{"code", "PHI2"}, {"name", "Phí"}, {"kind", "phi"}, {"amount", 5000}});
  auto c = Parse(Text(doc));
  ASSERT_TRUE(c.ok()) << c.error().detail;
  const Procedure& p = c->procedures[0];
  EXPECT_EQ(p.TotalFee(), 205000);
  ASSERT_NE(p.FindComponent("TP2"), nullptr);
  EXPECT_EQ(p.FindComponent("TP2")->name, "Giấy chứng sinh");
  EXPECT_TRUE(p.FindComponent("TP2")->file_types.empty()) << "empty means pdf";
  EXPECT_EQ(p.FindComponent("TP9"), nullptr);
  EXPECT_EQ(TimeUnitName(TimeUnit::kWorkingDays), "working_days");
  EXPECT_EQ(TimeUnitName(TimeUnit::kDays), "days");
  EXPECT_EQ(TimeUnitName(TimeUnit::kHours), "hours");
}

}  // namespace
}  // namespace tinhso::catalog::testing
