// Shared categories (dữ liệu danh mục dùng chung) the province publishes through its gateway as
// /dmdc/Metadata/<code> and /dmdc/Category/<code> (domain.md §7.3): administrative units, ethnic
// groups, religions, countries, document types, urgency levels. A category has versions (each a
// whole list from a date, with its legal basis); each item has its own validity, so that reading
// on a date gives the items valid that day, whichever version or edit made them.
//
// Validity is [valid_from, valid_to): valid_to is the first day an item no longer applies, as
// for agencies. History is append-only: a new version or an item's change is dated after every
// date the category already records, and nothing is deleted.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {
class Policy;
}
namespace tinhso::http {
class Router;
}

namespace tinhso::nationaldb {

using Date = std::chrono::year_month_day;

/// One entry of a category; which attributes mean something depends on the category.
struct ItemInput {
  std::string code;          ///< "01", "VN", "H55.405", …
  std::string name;          ///< Vietnamese name
  std::string name_en;       ///< may be empty
  std::string parent_code;   ///< administrative units: the unit above; else ""
  int level = 0;             ///< administrative units: 1 province, 2 commune (0: none)
  std::string kind;          ///< administrative units: "tinh", "xa", "phuong", …; else ""
  std::string abbreviation;  ///< document types: "QĐ", "TTr"; else ""
  bool operator==(const ItemInput&) const = default;
};

struct Item : ItemInput {
  Date valid_from;
  std::optional<Date> valid_to;
};

struct Version {
  std::string version;  ///< "1", "2025-07-01": unique in its category
  Date valid_from;
  std::optional<Date> valid_to;  ///< the next version's valid_from
  std::string decision;          ///< legal basis
  std::string note;
  std::int64_t items = 0;  ///< items valid on valid_from
  core::Seconds created_at{};
};

struct CategoryInput {
  std::string code;  ///< lower-case letters and digits, as the LGSP's ("dantoc", "quocgia")
  std::string name;
  std::string name_en;
  std::string description;  ///< what it lists, where from, what is unconfirmed
};

struct Category : CategoryInput {
  std::vector<Version> versions;  ///< oldest first
};

struct VersionInput {
  std::string version;
  Date valid_from;
  std::string decision;
  std::string note;
  std::vector<ItemInput> items;  ///< the whole list from valid_from (listed by code)
};

/// What Items answers: the items valid on `on`, and the version in force then ("" before the
/// first).
struct Listing {
  std::string category;
  Date on;
  std::string version;
  std::vector<Item> items;  ///< by code
};

/// What publishing a version changed.
struct PublishResult {
  int added = 0;
  int changed = 0;
  int ended = 0;
  int unchanged = 0;
};

/// Thread-safe.
class Categories {
 public:
  Categories(storage::Database& db, const core::Clock& clock, const auth::Policy& policy);

  // ---- Reading (anyone) --------------------------------------------------------------------
  Result<std::vector<Category>> List() const;
  /// Errors: kNotFound "category.not_found".
  Result<Category> Metadata(std::string_view code) const;
  /// The items valid on `on` (default: today in Vietnam). Errors: kNotFound.
  Result<Listing> Items(std::string_view code, std::optional<Date> on) const;

  // ---- Administration (action "category.manage"; each change audited) ----------------------
  /// Creates the category or changes its names and description. Errors: kPermissionDenied,
  /// kInvalidArgument "category.invalid" naming the field.
  Result<Category> Define(const CategoryInput& input, const core::Actor& actor);
  /// Publishes a whole list from its date: items missing from it end, changed ones end and
  /// start again, new ones start. Errors: kPermissionDenied, kNotFound, kInvalidArgument
  /// "category.invalid" (an empty or repeated code, an empty name), kAlreadyExists
  /// "category.version_exists", kFailedPrecondition "category.not_after" (not after every date
  /// the category records).
  Result<PublishResult> Publish(std::string_view code, const VersionInput& version,
                                const core::Actor& actor);
  /// Changes or adds one item from `from`. Errors: as Publish's.
  Result<Item> PutItem(std::string_view code, const ItemInput& item, Date from,
                       const core::Actor& actor);
  /// Ends one item: it is not valid from `on`. Errors: as Publish's; kNotFound
  /// "category.item_not_found" (no item of this code valid then).
  Result<void> EndItem(std::string_view code, std::string_view item, Date on,
                       const core::Actor& actor);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  const auth::Policy& policy_;
};

// ---- Data files -------------------------------------------------------------------------------

/// One category as its data file holds it (data/categories/README.md): the category and its
/// versions, oldest first.
struct CategoryFile {
  CategoryInput category;
  std::vector<VersionInput> versions;
};

/// Parses one file. Errors: kInvalidArgument "category.file_invalid" naming the file and entry.
Result<CategoryFile> ReadCategoryFile(const std::filesystem::path& file);

struct LoadStats {
  int categories = 0;        ///< created
  int versions = 0;          ///< published
  int versions_skipped = 0;  ///< already there
};

/// Loads what the category has not got yet: creates it if absent and publishes each of its
/// versions the database does not hold (by version name). Idempotent.
Result<LoadStats> LoadCategory(Categories& categories, const CategoryFile& file,
                               const core::Actor& actor);
/// LoadCategory for every *.json file of `dir`, in name order.
Result<LoadStats> LoadCategoryFiles(Categories& categories, const std::filesystem::path& dir,
                                    const core::Actor& actor);

/// GET /dmdc/Metadata/{code}, GET and POST /dmdc/Category/{code} (public), GET
/// /api/v1/categories (public), and the administrators' changes under /api/v1/categories.
void RegisterCategoryRoutes(http::Router& router, Categories& categories);

}  // namespace tinhso::nationaldb
