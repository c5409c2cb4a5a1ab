// The categories' data files (data/categories/*.json, described in its README.md), loaded at the
// server's first start and by `tinhso demo load`: what a category lacks is published, what it
// has is left alone.
#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/json.hpp"
#include "core/parse.hpp"
#include "nationaldb/categories.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

Error FileInvalid(const std::string& where, const Error& why) {
  return MakeError(ErrorCode::kInvalidArgument, "category.file_invalid",
                   "Tệp danh mục " + where + ": " + why.message_vi,
                   "Category file " + where + ": " + why.message_en, where);
}

Result<std::string> Text(const bj::object& o, std::string_view field, bool required) {
  if (required) return json::RequiredString(o, field, 4000);
  TINHSO_ASSIGN_OR_RETURN(auto s, json::OptionalString(o, field, 4000));
  return s.value_or("");
}

Result<Date> DateOf(const bj::object& o, std::string_view field) {
  TINHSO_ASSIGN_OR_RETURN(std::string text, json::RequiredString(o, field, 10));
  auto d = core::ParseDate(text);
  if (!d) {
    return json::FieldError(field, "không phải ngày YYYY-MM-DD", "is not a YYYY-MM-DD date");
  }
  return *d;
}

Result<ItemInput> ItemOf(const bj::value& v) {
  if (!v.is_object()) {
    return json::FieldError("items", "mỗi mục là một đối tượng", "each item is an object");
  }
  const bj::object& o = v.get_object();
  ItemInput item;
  TINHSO_ASSIGN_OR_RETURN(item.code, Text(o, "code", true));
  TINHSO_ASSIGN_OR_RETURN(item.name, Text(o, "name", true));
  TINHSO_ASSIGN_OR_RETURN(item.name_en, Text(o, "name_en", false));
  TINHSO_ASSIGN_OR_RETURN(item.parent_code, Text(o, "parent_code", false));
  TINHSO_ASSIGN_OR_RETURN(item.kind, Text(o, "kind", false));
  TINHSO_ASSIGN_OR_RETURN(item.abbreviation, Text(o, "abbreviation", false));
  TINHSO_ASSIGN_OR_RETURN(auto level, json::OptionalInt(o, "level"));
  item.level = static_cast<int>(level.value_or(0));
  return item;
}

}  // namespace

Result<CategoryFile> ReadCategoryFile(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "category.file_missing",
                     "Không đọc được tệp danh mục " + file.string() + ".",
                     "Cannot read the category file " + file.string() + ".");
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = json::ParseObject(text.str(), 16);
  if (!parsed.ok()) return FileInvalid(name, parsed.error());
  const bj::object& root = *parsed;
  CategoryFile out;
  auto header = [&]() -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(out.category.code, Text(root, "code", true));
    TINHSO_ASSIGN_OR_RETURN(out.category.name, Text(root, "name", true));
    TINHSO_ASSIGN_OR_RETURN(out.category.name_en, Text(root, "name_en", false));
    TINHSO_ASSIGN_OR_RETURN(out.category.description, Text(root, "description", false));
    return Ok();
  }();
  if (!header.ok()) return FileInvalid(name, header.error());
  const bj::value* versions = root.if_contains("versions");
  if (versions == nullptr || !versions->is_array() || versions->get_array().empty()) {
    return FileInvalid(name, json::FieldError("versions", "cần ít nhất một phiên bản",
                                              "needs at least one version"));
  }
  for (const bj::value& v : versions->get_array()) {
    const std::string where =
        name + ", phiên bản/version " + std::to_string(out.versions.size() + 1);
    if (!v.is_object()) {
      return FileInvalid(where, json::FieldError("versions", "là một đối tượng", "is an object"));
    }
    const bj::object& o = v.get_object();
    VersionInput version;
    auto fields = [&]() -> Result<void> {
      TINHSO_ASSIGN_OR_RETURN(version.version, Text(o, "version", true));
      TINHSO_ASSIGN_OR_RETURN(version.valid_from, DateOf(o, "valid_from"));
      TINHSO_ASSIGN_OR_RETURN(version.decision, Text(o, "decision", false));
      TINHSO_ASSIGN_OR_RETURN(version.note, Text(o, "note", false));
      const bj::value* items = o.if_contains("items");
      if (items == nullptr || !items->is_array()) {
        return json::FieldError("items", "cần danh sách mục", "needs a list of items");
      }
      for (const bj::value& item : items->get_array()) {
        TINHSO_ASSIGN_OR_RETURN(ItemInput i, ItemOf(item));
        version.items.push_back(std::move(i));
      }
      return Ok();
    }();
    if (!fields.ok()) return FileInvalid(where, fields.error());
    out.versions.push_back(std::move(version));
  }
  return out;
}

Result<LoadStats> LoadCategory(Categories& categories, const CategoryFile& file,
                               const core::Actor& actor) {
  LoadStats stats;
  auto existing = categories.Metadata(file.category.code);
  if (!existing.ok() && existing.error().code != ErrorCode::kNotFound) {
    return std::move(existing).error();
  }
  if (!existing.ok()) {
    TINHSO_ASSIGN_OR_RETURN(existing, categories.Define(file.category, actor));
    ++stats.categories;
  }
  for (const VersionInput& version : file.versions) {
    const bool there = std::any_of(existing->versions.begin(), existing->versions.end(),
                                   [&](const Version& v) { return v.version == version.version; });
    if (there) {
      ++stats.versions_skipped;
      continue;
    }
    auto published = categories.Publish(file.category.code, version, actor);
    if (!published.ok()) {
      Error e = std::move(published).error();
      e.message_vi =
          "Danh mục " + file.category.code + ", phiên bản " + version.version + ": " + e.message_vi;
      e.message_en =
          "Category " + file.category.code + ", version " + version.version + ": " + e.message_en;
      return e;
    }
    ++stats.versions;
  }
  return stats;
}

Result<LoadStats> LoadCategoryFiles(Categories& categories, const std::filesystem::path& dir,
                                    const core::Actor& actor) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) {
    return MakeError(ErrorCode::kNotFound, "category.file_missing",
                     "Không đọc được thư mục danh mục " + dir.string() + ".",
                     "Cannot read the categories directory " + dir.string() + ".", ec.message());
  }
  std::sort(files.begin(), files.end());
  LoadStats total;
  for (const auto& f : files) {
    TINHSO_ASSIGN_OR_RETURN(CategoryFile file, ReadCategoryFile(f));
    TINHSO_ASSIGN_OR_RETURN(LoadStats s, LoadCategory(categories, file, actor));
    total.categories += s.categories;
    total.versions += s.versions;
    total.versions_skipped += s.versions_skipped;
  }
  return total;
}

}  // namespace tinhso::nationaldb
