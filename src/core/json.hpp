// JSON input and output helpers over Boost.JSON. Every parse or field error is a kInvalidArgument
// value naming the field, in Vietnamese and English, so handlers stay thin.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tinhso::json {

// Parses a request body that must be a JSON object of valid UTF-8, at most `max_depth` deep.
Result<boost::json::object> ParseObject(std::string_view text, int max_depth = 32);

// Field accessors. `max_chars` counts UTF-8 code points. Strings are returned NFC-normalised.
Result<std::string> RequiredString(const boost::json::object& o, std::string_view field,
                                   std::size_t max_chars = 1000);
Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                  std::string_view field,
                                                  std::size_t max_chars = 1000);
Result<std::int64_t> RequiredInt(const boost::json::object& o, std::string_view field);
Result<std::optional<std::int64_t>> OptionalInt(const boost::json::object& o,
                                                std::string_view field);
Result<bool> OptionalBool(const boost::json::object& o, std::string_view field, bool fallback);
// An optional array of strings (missing or null: empty). `allow_empty_items` false refuses "".
Result<std::vector<std::string>> StringArray(const boost::json::object& o, std::string_view field,
                                             bool allow_empty_items = true);

// The same checks on one value that is present and not null, for readers that walk a document
// themselves (http/api.hpp): the errors name `field` exactly as the accessors above do.
Result<std::string> StringValue(const boost::json::value& v, std::string_view field,
                                std::size_t max_chars = 1000);
Result<std::int64_t> IntValue(const boost::json::value& v, std::string_view field);
Result<bool> BoolValue(const boost::json::value& v, std::string_view field);

// An invalid-argument error for `field` with the given explanations.
Error FieldError(std::string_view field, std::string_view why_vi, std::string_view why_en);

std::string Serialize(const boost::json::value& v);

}  // namespace tinhso::json
