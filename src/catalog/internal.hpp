// Internal to the catalog module: the JSON shape of procedures (shared by Parse/ToJson, the
// store and the routes), the JSON writer, and the module's errors.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"

namespace tinhso::catalog::internal {

/// Documents larger than this are refused before parsing (the 2025 national list of every
/// procedure of a province is about 2,000 procedures, a few MiB).
inline constexpr std::size_t kMaxDocumentBytes = 32u << 20;

/// One problem found in a document, already worded for people in both languages.
struct Problem {
  std::string vi;
  std::string en;
  std::string path;  ///< the field within its procedure or sector ("components[1].name"), "$"
};

/// kInvalidArgument "catalog.invalid": the messages summarise the first problem and the count,
/// Error::detail lists every problem, one per line ("path\tvi | en").
Error InvalidCatalog(const std::vector<Problem>& problems);

/// The procedure as a JSON object in the canonical field order. Optional fields are written
/// only when set (note, file_types, options, min/max, max_length; active only when false,
/// code_confirmed only when false). With `with_version`, "version" and "updated_at" are written
/// when updated_at is set (the store's copy); without, the object is the procedure's content,
/// as stored in procedures.document.
boost::json::object ProcedureToJson(const Procedure& procedure, bool with_version);
boost::json::object SectorToJson(const Sector& sector);

/// JSON text with numbers in their shortest exact form ("0.1", not "1E-1"). Pretty: two-space
/// indent, arrays of plain values on one line. Compact: no spaces at all.
std::string Write(const boost::json::value& value, bool pretty);

/// Parses one procedure as stored in procedures.document (sector references are not checked:
/// they were when it was imported). Errors: kInternal (the row was edited by hand).
Result<Procedure> ParseStoredProcedure(std::string_view json_text);

/// Procedures equal apart from version and updated_at.
bool SameContent(const Procedure& a, const Procedure& b);

Error ProcedureNotFound(std::string_view code);
Error SectorNotFound(std::string_view code);
Error FileMissing(std::string_view path);
Error TooLarge(std::size_t bytes);

}  // namespace tinhso::catalog::internal
