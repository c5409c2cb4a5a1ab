// Shared categories: reading on a date, and the administrators' changes, each with its audit
// entry in the same transaction.
#include "nationaldb/categories.hpp"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "nationaldb/sql.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

Error Invalid(std::string_view field, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, "category.invalid", std::move(vi), std::move(en),
                   std::string(field));
}

Error NotFound(std::string_view code) {
  return MakeError(ErrorCode::kNotFound, "category.not_found",
                   "Không có danh mục " + std::string(code) + ".",
                   "There is no category " + std::string(code) + ".");
}

Error NotAfter(std::string_view latest) {
  return MakeError(
      ErrorCode::kFailedPrecondition, "category.not_after",
      "Lịch sử danh mục chỉ ghi thêm: ngày hiệu lực phải từ " + std::string(latest) + " trở đi.",
      "A category's history only grows: the date must be " + std::string(latest) + " or later.");
}

Result<void> Allowed(const auth::Policy& policy, const core::Actor& actor) {
  if (!policy.Allows(actor, "category.manage")) {
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền sửa danh mục dùng chung.",
                     "You may not change the shared categories.");
  }
  return Ok();
}

bool CodeChars(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.size() <= 64 && s.find_first_not_of(allowed) == std::string_view::npos;
}

constexpr std::string_view kCategoryChars = "abcdefghijklmnopqrstuvwxyz0123456789_";
constexpr std::string_view kItemChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return core::ToNfc(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

Result<ItemInput> CleanItem(const ItemInput& in, std::string_view where) {
  ItemInput out;
  out.code = Trimmed(in.code);
  out.name = Trimmed(in.name);
  out.name_en = Trimmed(in.name_en);
  out.parent_code = Trimmed(in.parent_code);
  out.level = in.level;
  out.kind = Trimmed(in.kind);
  out.abbreviation = Trimmed(in.abbreviation);
  if (!CodeChars(out.code, kItemChars)) {
    return Invalid(std::string(where) + "code",
                   "Mã mục gồm chữ không dấu, chữ số, '.', '-' hoặc '_' (tối đa 64 ký tự): '" +
                       out.code + "'.",
                   "An item's code is letters without diacritics, digits, '.', '-' or '_' (at "
                   "most 64): '" +
                       out.code + "'.");
  }
  if (out.name.empty()) {
    return Invalid(std::string(where) + "name", "Mục " + out.code + " chưa có tên.",
                   "Item " + out.code + " has no name.");
  }
  if (out.level < 0 || out.level > 9) {
    return Invalid(std::string(where) + "level", "Cấp từ 0 đến 9.", "Levels are 0 to 9.");
  }
  return out;
}

std::string Iso(Date d) { return core::FormatDate(d); }

Item ItemFromRow(const storage::Row& r) {
  Item item;
  item.code = r.Text(0);
  item.name = r.Text(1);
  item.name_en = r.Text(2);
  item.parent_code = r.Text(3);
  item.level = static_cast<int>(r.Int(4));
  item.kind = r.Text(5);
  item.abbreviation = r.Text(6);
  item.valid_from = *core::ParseDate(r.Text(7));
  if (auto to = r.OptionalText(8)) item.valid_to = core::ParseDate(*to);
  return item;
}

storage::Params ItemParams(std::string_view category, const ItemInput& item, Date from) {
  return {{"category", std::string(category)},
          {"code", item.code},
          {"name", item.name},
          {"name_en", item.name_en},
          {"parent_code", item.parent_code},
          {"unit_level", std::int64_t{item.level}},
          {"kind", item.kind},
          {"abbreviation", item.abbreviation},
          {"valid_from", Iso(from)}};
}

Result<void> RequireCategory(storage::Transaction& tx, std::string_view code) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kCategory, {{"code", std::string(code)}}));
  if (rows.empty()) return NotFound(code);
  return Ok();
}

// Refuses a date before the latest the category records.
Result<void> RequireNotBefore(storage::Transaction& tx, std::string_view code, Date from) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kLatestDate, {{"category", std::string(code)}}));
  if (!rows.empty() && !rows[0].IsNull(0) && Iso(from) < rows[0].Text(0)) {
    return NotAfter(rows[0].Text(0));
  }
  return Ok();
}

bj::object ItemJson(const ItemInput& i) {
  bj::object o{{"code", i.code}, {"name", i.name}};
  if (!i.name_en.empty()) o["name_en"] = i.name_en;
  if (!i.parent_code.empty()) o["parent_code"] = i.parent_code;
  if (i.level != 0) o["level"] = i.level;
  if (!i.kind.empty()) o["kind"] = i.kind;
  if (!i.abbreviation.empty()) o["abbreviation"] = i.abbreviation;
  return o;
}

}  // namespace

Categories::Categories(storage::Database& db, const core::Clock& clock, const auth::Policy& policy)
    : db_(db), clock_(clock), policy_(policy) {}

Result<std::vector<Category>> Categories::List() const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kCategories));
  std::vector<Category> out;
  for (const auto& r : rows) {
    Category c;
    c.code = r.Text(0);
    c.name = r.Text(1);
    c.name_en = r.Text(2);
    c.description = r.Text(3);
    out.push_back(std::move(c));
  }
  for (Category& c : out) {
    TINHSO_ASSIGN_OR_RETURN(auto versions, tx->Query(sql::kVersions, {{"category", c.code}}));
    for (const auto& v : versions) {
      Version version{.version = v.Text(0),
                      .valid_from = *core::ParseDate(v.Text(1)),
                      .decision = v.Text(2),
                      .note = v.Text(3),
                      .items = v.Int(5),
                      .created_at = v.Time(4)};
      if (!c.versions.empty()) c.versions.back().valid_to = version.valid_from;
      c.versions.push_back(std::move(version));
    }
  }
  return out;
}

Result<Category> Categories::Metadata(std::string_view code) const {
  // A handful of categories: reading them all is one small query each.
  TINHSO_ASSIGN_OR_RETURN(auto all, List());
  for (Category& c : all) {
    if (c.code == code) return std::move(c);
  }
  return NotFound(code);
}

Result<Listing> Categories::Items(std::string_view code, std::optional<Date> on) const {
  Listing out;
  out.category = std::string(code);
  out.on =
      on ? *on : Date(std::chrono::floor<std::chrono::days>(clock_.Now() + core::kVietnamOffset));
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_RETURN_IF_ERROR(RequireCategory(*tx, code));
  TINHSO_ASSIGN_OR_RETURN(auto versions, tx->Query(sql::kVersions, {{"category", out.category}}));
  for (const auto& v : versions) {
    if (v.Text(1) <= Iso(out.on)) out.version = v.Text(0);
  }
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, tx->Query(sql::kItemsOn, {{"category", out.category}, {"on", Iso(out.on)}}));
  for (const auto& r : rows) out.items.push_back(ItemFromRow(r));
  return out;
}

Result<Category> Categories::Define(const CategoryInput& input, const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor));
  CategoryInput c{.code = Trimmed(input.code),
                  .name = Trimmed(input.name),
                  .name_en = Trimmed(input.name_en),
                  .description = Trimmed(input.description)};
  if (!CodeChars(c.code, kCategoryChars)) {
    return Invalid("code", "Mã danh mục gồm chữ thường không dấu, chữ số hoặc '_'.",
                   "A category's code is lower-case letters, digits or '_'.");
  }
  if (c.name.empty()) return Invalid("name", "Danh mục chưa có tên.", "The category has no name.");
  const core::Seconds now = clock_.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto existing, tx.Query(sql::kCategory, {{"code", c.code}}));
        const storage::Params params = {{"code", c.code},
                                        {"name", c.name},
                                        {"name_en", c.name_en},
                                        {"description", c.description},
                                        {"now", now.time_since_epoch().count()}};
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(existing.empty() ? sql::kInsertCategory : sql::kUpdateCategory, params));
        bj::object data{{"name", c.name}, {"name_en", c.name_en}};
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, actor,
                          {existing.empty() ? "category.create" : "category.update", "category",
                           c.code, bj::serialize(data)},
                          now));
        return Ok();
      }));
  return Metadata(c.code);
}

Result<PublishResult> Categories::Publish(std::string_view code, const VersionInput& input,
                                          const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor));
  const std::string version = Trimmed(input.version);
  if (version.empty() || version.size() > 64) {
    return Invalid("version", "Cần tên phiên bản (tối đa 64 ký tự).",
                   "A version needs a name (at most 64 characters).");
  }
  if (input.items.empty()) {
    return Invalid("items", "Phiên bản cần ít nhất một mục.", "A version needs at least one item.");
  }
  std::vector<ItemInput> items;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < input.items.size(); ++i) {
    TINHSO_ASSIGN_OR_RETURN(ItemInput item,
                            CleanItem(input.items[i], "items[" + std::to_string(i) + "]."));
    if (!seen.insert(item.code).second) {
      return Invalid("items[" + std::to_string(i) + "].code", "Mã " + item.code + " lặp lại.",
                     "Code " + item.code + " is repeated.");
    }
    items.push_back(std::move(item));
  }
  const std::string from = Iso(input.valid_from);
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<PublishResult> {
    TINHSO_RETURN_IF_ERROR(RequireCategory(tx, code));
    const std::string category(code);
    TINHSO_ASSIGN_OR_RETURN(
        auto exists, tx.Query(sql::kVersionExists, {{"category", category}, {"version", version}}));
    if (!exists.empty()) {
      return MakeError(ErrorCode::kAlreadyExists, "category.version_exists",
                       "Danh mục " + category + " đã có phiên bản " + version + ".",
                       "Category " + category + " already has version " + version + ".");
    }
    TINHSO_RETURN_IF_ERROR(RequireNotBefore(tx, code, input.valid_from));
    TINHSO_ASSIGN_OR_RETURN(auto versions, tx.Query(sql::kVersions, {{"category", category}}));
    if (!versions.empty() && versions.rows.back().Text(1) >= from) {
      return NotAfter(versions.rows.back().Text(1) + " (+1)");
    }
    TINHSO_ASSIGN_OR_RETURN(auto open, tx.Query(sql::kOpenItems, {{"category", category}}));
    std::map<std::string, const storage::Row*> current;
    for (const auto& r : open) current[r.Text(0)] = &r;
    PublishResult result;
    for (const ItemInput& item : items) {
      auto it = current.find(item.code);
      if (it != current.end()) {
        const storage::Row& row = *it->second;
        const bool same = static_cast<const ItemInput&>(ItemFromRow(row)) == item;
        current.erase(it);
        if (same) {
          ++result.unchanged;
          continue;
        }
        TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kEndItem, {{"valid_to", from}, {"id", row.Int(9)}}));
        ++result.changed;
      } else {
        ++result.added;
      }
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kInsertItem, ItemParams(category, item, input.valid_from)));
    }
    for (const auto& [item_code, row] : current) {
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kEndItem, {{"valid_to", from}, {"id", row->Int(9)}}));
      ++result.ended;
    }
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kInsertVersion, {{"category", category},
                                         {"version", version},
                                         {"valid_from", from},
                                         {"decision", Trimmed(input.decision)},
                                         {"note", Trimmed(input.note)},
                                         {"now", now.time_since_epoch().count()}}));
    bj::object data{{"version", version},
                    {"valid_from", from},
                    {"decision", Trimmed(input.decision)},
                    {"added", result.added},
                    {"changed", result.changed},
                    {"ended", result.ended},
                    {"unchanged", result.unchanged}};
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor, {"category.publish", "category", category, bj::serialize(data)}, now));
    return result;
  });
}

Result<Item> Categories::PutItem(std::string_view code, const ItemInput& input, Date from,
                                 const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor));
  TINHSO_ASSIGN_OR_RETURN(ItemInput item, CleanItem(input, ""));
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<Item> {
    TINHSO_RETURN_IF_ERROR(RequireCategory(tx, code));
    TINHSO_RETURN_IF_ERROR(RequireNotBefore(tx, code, from));
    const std::string category(code);
    TINHSO_ASSIGN_OR_RETURN(auto open, tx.Query(sql::kOpenItems, {{"category", category}}));
    bj::object data = ItemJson(item);
    data["valid_from"] = Iso(from);
    for (const auto& r : open) {
      if (r.Text(0) != item.code) continue;
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kEndItem, {{"valid_to", Iso(from)}, {"id", r.Int(9)}}));
      data["before"] = ItemJson(ItemFromRow(r));
    }
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kInsertItem, ItemParams(category, item, from)));
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor,
        {"category.item.put", "category", category + "/" + item.code, bj::serialize(data)}, now));
    Item out;
    static_cast<ItemInput&>(out) = item;
    out.valid_from = from;
    return out;
  });
}

Result<void> Categories::EndItem(std::string_view code, std::string_view item, Date on,
                                 const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor));
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(RequireCategory(tx, code));
    TINHSO_RETURN_IF_ERROR(RequireNotBefore(tx, code, on));
    const std::string category(code);
    TINHSO_ASSIGN_OR_RETURN(auto open, tx.Query(sql::kOpenItems, {{"category", category}}));
    for (const auto& r : open) {
      if (r.Text(0) != item) continue;
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kEndItem, {{"valid_to", Iso(on)}, {"id", r.Int(9)}}));
      bj::object data{{"valid_to", Iso(on)}};
      TINHSO_RETURN_IF_ERROR(
          audit::Append(tx, actor,
                        {"category.item.end", "category", category + "/" + std::string(item),
                         bj::serialize(data)},
                        now));
      return Ok();
    }
    return MakeError(
        ErrorCode::kNotFound, "category.item_not_found",
        "Danh mục " + category + " không có mục " + std::string(item) + " đang hiệu lực.",
        "Category " + category + " has no item " + std::string(item) + " in force.");
  });
}

}  // namespace tinhso::nationaldb
