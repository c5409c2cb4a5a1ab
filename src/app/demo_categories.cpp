#include "app/demo_categories.hpp"

#include <array>
#include <map>

#include "core/parse.hpp"

namespace tinhso::app {
namespace {

struct UnitKind {
  std::string_view agency_kind;
  std::string_view kind;  // the unit's, in the category
};

// Which agencies stand for a territory, and what the territory is called.
constexpr UnitKind kUnitKinds[] = {
    {"province_pc", "tinh"}, {"city_pc", "thanh_pho"},    {"district_pc", "huyen"},
    {"ward_pc", "phuong"},   {"township_pc", "thi_tran"}, {"commune_pc", "xa"},
};

std::string_view UnitKindOf(std::string_view agency_kind) {
  for (const UnitKind& k : kUnitKinds) {
    if (k.agency_kind == agency_kind) return k.kind;
  }
  return {};
}

// "Ủy ban nhân dân xã Ba Bể" → "Xã Ba Bể".
std::string UnitName(std::string_view committee) {
  constexpr std::string_view kPrefix = "Ủy ban nhân dân ";
  if (!committee.starts_with(kPrefix)) return std::string(committee);
  std::string name(committee.substr(kPrefix.size()));
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 32);
  return name;
}

// The units valid on `on`, each under the nearest unit above it.
Result<std::vector<nationaldb::ItemInput>> UnitsOn(const agencies::Service& agencies,
                                                   std::chrono::year_month_day on) {
  std::map<std::int64_t, agencies::Agency> all;
  agencies::ListQuery q;
  q.at = on;
  q.limit = 500;
  for (;;) {
    TINHSO_ASSIGN_OR_RETURN(agencies::AgencyPage page, agencies.List(q));
    for (auto& a : page.items) all.emplace(a.id, std::move(a));
    q.offset += static_cast<int>(page.items.size());
    if (page.items.empty() || q.offset >= page.total) break;
  }
  std::vector<nationaldb::ItemInput> units;
  for (const auto& [id, a] : all) {
    const std::string_view kind = UnitKindOf(a.kind);
    if (kind.empty()) continue;
    nationaldb::ItemInput unit{.code = a.code,
                               .name = UnitName(a.name),
                               .name_en = "",
                               .parent_code = "",
                               .level = 1,
                               .kind = std::string(kind),
                               .abbreviation = ""};
    bool parent_found = false;
    for (auto p = a.parent_id; p;) {
      auto it = all.find(*p);
      if (it == all.end()) break;
      if (!UnitKindOf(it->second.kind).empty()) {
        if (!parent_found) unit.parent_code = it->second.code;
        parent_found = true;
        ++unit.level;
      }
      p = it->second.parent_id;
    }
    units.push_back(std::move(unit));
  }
  return units;
}

}  // namespace

Result<nationaldb::LoadStats> LoadDemoAdministrativeUnits(const agencies::Service& agencies,
                                                          nationaldb::Categories& categories,
                                                          const core::Actor& actor) {
  const auto d = [](std::string_view s) { return *core::ParseDate(s); };
  nationaldb::CategoryFile file;
  file.category = {
      .code = "donvihanhchinh",
      .name = "Đơn vị hành chính",
      .name_en = "Administrative units",
      .description =
          "Đơn vị hành chính của tỉnh demo, lấy từ cây cơ quan demo (data/demo): trước 01/7/2025 "
          "ba cấp (tỉnh, huyện, xã), từ 01/7/2025 hai cấp (tỉnh, xã). Mã là mã định danh của Ủy "
          "ban nhân dân cấp đó, do tinhso dùng tạm: mã đơn vị hành chính của Tổng cục Thống kê "
          "chưa có trong dữ liệu. / The demo province's administrative units, from the demo agency "
          "tree: three levels before 1 July 2025, two from then on. Codes are the people's "
          "committees' agency codes, a stand-in for the statistics office's unit codes."};
  for (auto [version, from, on, decision] :
       {std::array<std::string_view, 4>{"2025-01-01", "2025-01-01", "2025-06-30",
                                        "Đơn vị hành chính ba cấp trước sắp xếp năm 2025"},
        {"2025-07-01", "2025-07-01", "2025-07-01",
         "Nghị quyết 202/2025/QH15 và các nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025 "
         "(số hiệu chưa đối chiếu)"}}) {
    TINHSO_ASSIGN_OR_RETURN(auto units, UnitsOn(agencies, d(on)));
    if (units.empty()) continue;  // no demo agencies (yet): nothing to publish
    file.versions.push_back({.version = std::string(version),
                             .valid_from = d(from),
                             .decision = std::string(decision),
                             .note = "Dữ liệu demo / demo data",
                             .items = std::move(units)});
  }
  if (file.versions.empty()) return nationaldb::LoadStats{};
  return nationaldb::LoadCategory(categories, file, actor);
}

}  // namespace tinhso::app
