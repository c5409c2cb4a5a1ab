#include "core/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <string>

#include "core/text.hpp"

namespace tinhso::json {
namespace {

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Quote(std::string_view field) { return "'" + std::string(field) + "'"; }

}  // namespace

Error FieldError(std::string_view field, std::string_view why_vi, std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "request.invalid_field",
                   "Trường " + Quote(field) + " " + std::string(why_vi),
                   "Field " + Quote(field) + " " + std::string(why_en));
}

Result<boost::json::object> ParseObject(std::string_view text, int max_depth) {
  if (!core::IsValidUtf8(text)) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_utf8",
                     "Nội dung gửi lên không phải văn bản UTF-8 hợp lệ.",
                     "The request body is not valid UTF-8 text.");
  }
  if (text.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "request.empty_body",
                     "Yêu cầu thiếu nội dung JSON.", "The request has no JSON body.");
  }
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, {}, options);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "request.malformed_json",
                     "Nội dung JSON không hợp lệ: " + ec.message(),
                     "The JSON body is malformed: " + ec.message(), ec.message());
  }
  if (!v.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "request.not_object",
                     "Nội dung JSON phải là một đối tượng {…}.",
                     "The JSON body must be an object {…}.");
  }
  return std::move(v.as_object());
}

Result<std::string> StringValue(const boost::json::value& v, std::string_view field,
                                std::size_t max_chars) {
  if (!v.is_string()) return FieldError(field, "phải là chuỗi ký tự.", "must be a string.");
  std::string_view s = v.as_string();
  if (CodePoints(s) > max_chars) {
    return FieldError(field, "dài quá " + std::to_string(max_chars) + " ký tự.",
                      "is longer than " + std::to_string(max_chars) + " characters.");
  }
  return core::ToNfc(s);
}

Result<std::int64_t> IntValue(const boost::json::value& v, std::string_view field) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return FieldError(field, "phải là số nguyên.", "must be an integer.");
}

Result<bool> BoolValue(const boost::json::value& v, std::string_view field) {
  if (!v.is_bool()) return FieldError(field, "phải là true hoặc false.", "must be true or false.");
  return v.as_bool();
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                  std::string_view field, std::size_t max_chars) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  TINHSO_ASSIGN_OR_RETURN(auto s, StringValue(it->value(), field, max_chars));
  return std::optional<std::string>(std::move(s));
}

Result<std::string> RequiredString(const boost::json::object& o, std::string_view field,
                                   std::size_t max_chars) {
  TINHSO_ASSIGN_OR_RETURN(auto s, OptionalString(o, field, max_chars));
  if (!s || s->find_first_not_of(" \t\r\n") == std::string::npos) {
    return FieldError(field, "là bắt buộc.", "is required.");
  }
  return std::move(*s);
}

Result<std::optional<std::int64_t>> OptionalInt(const boost::json::object& o,
                                                std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
  TINHSO_ASSIGN_OR_RETURN(auto v, IntValue(it->value(), field));
  return std::optional<std::int64_t>(v);
}

Result<std::int64_t> RequiredInt(const boost::json::object& o, std::string_view field) {
  TINHSO_ASSIGN_OR_RETURN(auto v, OptionalInt(o, field));
  if (!v) return FieldError(field, "là bắt buộc.", "is required.");
  return *v;
}

Result<bool> OptionalBool(const boost::json::object& o, std::string_view field, bool fallback) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return fallback;
  return BoolValue(it->value(), field);
}

Result<std::vector<std::string>> StringArray(const boost::json::object& o, std::string_view field,
                                             bool allow_empty_items) {
  std::vector<std::string> out;
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) {
    return FieldError(field, "phải là mảng chuỗi.", "must be an array of strings.");
  }
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string() || (!allow_empty_items && v.as_string().empty())) {
      return allow_empty_items
                 ? FieldError(field, "phải là mảng chuỗi.", "must be an array of strings.")
                 : FieldError(field, "phải là mảng chuỗi khác rỗng.",
                              "must be an array of non-empty strings.");
    }
    out.push_back(core::ToNfc(v.as_string()));
  }
  return out;
}

std::string Serialize(const boost::json::value& v) { return boost::json::serialize(v); }

}  // namespace tinhso::json
