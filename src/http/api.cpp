// The non-template half of http/api.hpp: schemas and checks of the scalar types, enum names,
// the errors, and the declaration helpers of http.hpp.
#include "http/api.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>

#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::http {

namespace bj = boost::json;

void SchemaSet::Ref(std::string_view name, Make make, bj::object& out) {
  out["$ref"] = "#/components/schemas/" + std::string(name);
  for (const auto& [seen, seen_make] : made_) {
    if (seen != name) continue;
    if (seen_make != make) {
      std::fprintf(stderr, "tinhso: http: two API types are named %s\n", seen.c_str());
      std::abort();
    }
    return;
  }
  made_.emplace_back(std::string(name), make);
  bj::object schema;
  make(*this, schema);  // may add (and refer to) other components, even this one
  schemas_[name] = std::move(schema);
}

namespace api_detail {

Error Required(std::string_view field) {
  return json::FieldError(field, "là bắt buộc.", "is required.");
}

Error QueryError(std::string_view name, std::string_view expect_vi, std::string_view expect_en) {
  return MakeError(
      ErrorCode::kInvalidArgument, "request.invalid_query",
      "Tham số '" + std::string(name) + "' không hợp lệ: cần " + std::string(expect_vi) + ".",
      "Query parameter '" + std::string(name) + "' is invalid: expected " + std::string(expect_en) +
          ".");
}

Error QueryRequired(std::string_view name) {
  return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                   "Thiếu tham số '" + std::string(name) + "'.",
                   "Query parameter '" + std::string(name) + "' is required.");
}

Error OutOfBounds(std::string_view field, std::int64_t min, std::int64_t max) {
  const std::string range = std::to_string(min) + " đến " + std::to_string(max);
  return json::FieldError(
      field, "phải là số nguyên từ " + range + ".",
      "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ".");
}

Error QueryOutOfBounds(std::string_view name, std::int64_t min, std::int64_t max) {
  return QueryError(name, "số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max),
                    "an integer from " + std::to_string(min) + " to " + std::to_string(max));
}

std::string SnakeName(std::string_view enumerator) {
  if (enumerator.size() > 1 && enumerator[0] == 'k' && enumerator[1] >= 'A' &&
      enumerator[1] <= 'Z') {
    enumerator.remove_prefix(1);
  }
  std::string out;
  for (char c : enumerator) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

std::string Child(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  return std::string(parent) + "." + std::string(name);
}

bool Blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == text.npos; }

}  // namespace api_detail

Error NotAnArray(std::string_view field) {
  return json::FieldError(field, "phải là mảng.", "must be an array.");
}

Error NotAnObject(std::string_view field) {
  return json::FieldError(field, "phải là đối tượng {…}.", "must be an object {…}.");
}

// ---- Scalars ---------------------------------------------------------------------------------

void Codec<bool>::Schema(SchemaSet&, bj::object& out) { out["type"] = "boolean"; }

Result<void> Codec<bool>::Read(const bj::value& v, const std::string& field, bool& out) {
  TINHSO_ASSIGN_OR_RETURN(out, json::BoolValue(v, field));
  return Ok();
}

Result<void> Codec<bool>::ReadText(std::string_view text, std::string_view name, bool& out) {
  if (text == "true" || text == "1") {
    out = true;
  } else if (text == "false" || text == "0") {
    out = false;
  } else {
    return api_detail::QueryError(name, "true hoặc false", "true or false");
  }
  return Ok();
}

void Codec<std::int64_t>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "integer";
  out["format"] = "int64";
}

Result<void> Codec<std::int64_t>::Read(const bj::value& v, const std::string& field,
                                       std::int64_t& out) {
  TINHSO_ASSIGN_OR_RETURN(out, json::IntValue(v, field));
  return Ok();
}

Result<void> Codec<std::int64_t>::ReadText(std::string_view text, std::string_view name,
                                           std::int64_t& out) {
  const auto v = core::ParseInt64(text);
  if (!v) return api_detail::QueryError(name, "số nguyên", "an integer");
  out = *v;
  return Ok();
}

void Codec<int>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "integer";
  out["format"] = "int32";
}

Result<void> Codec<int>::Read(const bj::value& v, const std::string& field, int& out) {
  TINHSO_ASSIGN_OR_RETURN(const std::int64_t wide, json::IntValue(v, field));
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return json::FieldError(field, "vượt quá giới hạn số nguyên.", "is out of range.");
  }
  out = static_cast<int>(wide);
  return Ok();
}

Result<void> Codec<int>::ReadText(std::string_view text, std::string_view name, int& out) {
  const auto v = core::ParseInt64(text);
  if (!v || *v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
    return api_detail::QueryError(name, "số nguyên", "an integer");
  }
  out = static_cast<int>(*v);
  return Ok();
}

void Codec<double>::Schema(SchemaSet&, bj::object& out) { out["type"] = "number"; }

Result<void> Codec<double>::Read(const bj::value& v, const std::string& field, double& out) {
  if (!v.is_number()) return json::FieldError(field, "phải là số.", "must be a number.");
  out = v.to_number<double>();
  return Ok();
}

void Codec<std::string>::Schema(SchemaSet&, bj::object& out) { out["type"] = "string"; }

Result<void> Codec<std::string>::Read(const bj::value& v, const std::string& field,
                                      std::string& out) {
  TINHSO_ASSIGN_OR_RETURN(out, json::StringValue(v, field));
  return Ok();
}

Result<void> Codec<std::string>::ReadText(std::string_view text, std::string_view name,
                                          std::string& out) {
  return TextCodec::ReadText(text, name, 1000, out);
}

void TextCodec::Schema(std::size_t max_chars, bj::object& out) {
  out["type"] = "string";
  out["maxLength"] = max_chars;
}

Result<void> TextCodec::Read(const bj::value& v, const std::string& field, std::size_t max_chars,
                             std::string& out) {
  TINHSO_ASSIGN_OR_RETURN(out, json::StringValue(v, field, max_chars));
  return Ok();
}

Result<void> TextCodec::ReadText(std::string_view text, std::string_view name,
                                 std::size_t max_chars, std::string& out) {
  if (!core::IsValidUtf8(text)) {
    return api_detail::QueryError(name, "văn bản UTF-8", "UTF-8 text");
  }
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  if (chars > max_chars) {
    return api_detail::QueryError(name, "tối đa " + std::to_string(max_chars) + " ký tự",
                                  "at most " + std::to_string(max_chars) + " characters");
  }
  out = core::ToNfc(text);
  return Ok();
}

void Codec<Date>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "string";
  out["format"] = "date";
}

Result<void> Codec<Date>::Read(const bj::value& v, const std::string& field, Date& out) {
  const auto date = v.is_string() ? core::ParseDate(v.as_string()) : std::nullopt;
  if (!date) {
    return json::FieldError(field, "phải là ngày có thật, viết dạng YYYY-MM-DD.",
                            "must be a real date written YYYY-MM-DD.");
  }
  out = *date;
  return Ok();
}

bj::value Codec<Date>::Write(Date v) { return bj::string(core::FormatDate(v)); }

Result<void> Codec<Date>::ReadText(std::string_view text, std::string_view name, Date& out) {
  const auto date = core::ParseDate(text);
  if (!date) return api_detail::QueryError(name, "ngày YYYY-MM-DD", "a date YYYY-MM-DD");
  out = *date;
  return Ok();
}

void Codec<Timestamp>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "string";
  out["format"] = "date-time";
}

Result<void> Codec<Timestamp>::Read(const bj::value& v, const std::string& field, Timestamp& out) {
  const auto t = v.is_string() ? core::ParseTimestamp(v.as_string()) : std::nullopt;
  if (!t) {
    return json::FieldError(field, "phải là thời điểm dạng 2026-11-23T19:17:00Z.",
                            "must be a time written 2026-11-23T19:17:00Z.");
  }
  out = *t;
  return Ok();
}

bj::value Codec<Timestamp>::Write(Timestamp v) { return bj::string(core::FormatTimestamp(v)); }

Result<void> Codec<Timestamp>::ReadText(std::string_view text, std::string_view name,
                                        Timestamp& out) {
  const auto t = core::ParseTimestamp(text);
  if (!t) {
    return api_detail::QueryError(name, "thời điểm dạng 2026-11-23T19:17:00Z",
                                  "a time written 2026-11-23T19:17:00Z");
  }
  out = *t;
  return Ok();
}

// Any members: said outright, since generators read a bare "object" as one without members.
void Codec<bj::object>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "object";
  out["additionalProperties"] = true;
}

Result<void> Codec<bj::object>::Read(const bj::value& v, const std::string& field,
                                     bj::object& out) {
  if (!v.is_object()) return NotAnObject(field);
  out = v.as_object();
  return Ok();
}

// ---- Enums -----------------------------------------------------------------------------------

namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

void EnumCodec::Schema(const std::vector<std::string>& names, bj::object& out) {
  out["type"] = "string";
  bj::array values;
  for (const std::string& n : names) values.emplace_back(n);
  out["enum"] = std::move(values);
}

Error EnumCodec::Unknown(const std::vector<std::string>& names, std::string_view field) {
  return json::FieldError(field, "phải là một trong: " + Joined(names) + ".",
                          "must be one of: " + Joined(names) + ".");
}

Error EnumCodec::UnknownQuery(const std::vector<std::string>& names, std::string_view name) {
  return api_detail::QueryError(name, "một trong " + Joined(names), "one of " + Joined(names));
}

// ---- Declaration helpers (http.hpp) ------------------------------------------------------------

PathParam IdParam(std::string name) {
  return {.name = std::move(name), .kind = PathParam::Kind::kInteger, .minimum = 1};
}

PathParam IntParam(std::string name, std::int64_t minimum, std::int64_t maximum) {
  return {.name = std::move(name),
          .kind = PathParam::Kind::kInteger,
          .minimum = minimum,
          .maximum = maximum};
}

PathParam DateParam(std::string name) {
  return {.name = std::move(name), .kind = PathParam::Kind::kDate};
}

PathParam CodeParam(std::string name, std::string pattern) {
  return {.name = std::move(name), .kind = PathParam::Kind::kString, .pattern = std::move(pattern)};
}

Answer NoContent() { return {.status = 204, .content_type = "", .description = "No Content"}; }

Answer FileAnswer(int status, std::string content_type) {
  return {.status = status, .content_type = std::move(content_type)};
}

Answer Redirect(std::string description, int status) {
  return {.status = status, .content_type = "", .description = std::move(description)};
}

Response RedirectResponse(std::string location, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";  // and no body
  r.headers.emplace_back("Location", std::move(location));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace tinhso::http
