// Typed API declarations. A request body, a set of query parameters or a response is a plain
// struct described once (TINHSO_API_STRUCT, over Boost.Describe; enums with
// BOOST_DESCRIBE_ENUM, rendered as their snake_case names: kDayOff → "day_off"), and from that one
// description come its JSON Schema in the OpenAPI document, its parsing (with the errors of
// core/json.hpp: kInvalidArgument "request.invalid_field" naming the field, NFC text, lengths in
// characters; unknown fields ignored, as everywhere) and its rendering. Constraints live in the
// field's type: Text<300> is a string of at most 300 characters, Date a YYYY-MM-DD date,
// std::optional<T> a field that may be missing or null (every other field is required).
//
// Include this header only in a module's routes.cpp (and the file rendering its JSON): the
// templates are instantiated there, once per module, not in every file that includes http.hpp.
// See ARCHITECTURE.md, "Declaring a route".
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/json.hpp"
#include "http/http.hpp"

// Describes an API struct: its members for Boost.Describe, and its name for components/schemas.
// At namespace scope, after the struct. Names must be unique across the API (the document
// generator aborts on two different types of one name). A struct whose schema needs words (which
// members go together, say) declares `std::string_view ApiSchemaDescription(const T*)` next to it.
#define TINHSO_API_STRUCT(T, Members)   \
  BOOST_DESCRIBE_STRUCT(T, (), Members) \
  [[maybe_unused]] inline constexpr std::string_view ApiSchemaName(const T*) { return #T; }

namespace tinhso::http {

// Text of at most N characters (UTF-8 code points), NFC-normalised when read. A required Text
// must not be blank.
template <std::size_t N>
struct Text {
  static constexpr std::size_t kMaxChars = N;
  std::string value;
  Text() = default;
  Text(std::string v) : value(std::move(v)) {}  // NOLINT: implicit, to fill responses
  Text(const char* v) : value(v) {}             // NOLINT: implicit
  bool operator==(const Text&) const = default;
};

using Date = std::chrono::year_month_day;    // "YYYY-MM-DD", a real date
using Timestamp = std::chrono::sys_seconds;  // "2026-11-23T19:17:00Z" (core::FormatTimestamp)

// An integer from Min to Max, checked wherever it is read (a query parameter, a JSON field:
// "request.invalid_query" / "request.invalid_field" naming the range) and documented with
// `minimum` and `maximum`. Converts to and from Int, so a handler uses it as the number.
template <class Int, Int Min, Int Max>
struct Bounded {
  static_assert(std::is_same_v<Int, int> || std::is_same_v<Int, std::int64_t>);
  static_assert(Min <= Max);
  static constexpr Int kMin = Min;
  static constexpr Int kMax = Max;
  Int value = Min;
  constexpr Bounded() = default;
  constexpr Bounded(Int v) : value(v) {}            // NOLINT: implicit, for defaults and answers
  constexpr operator Int() const { return value; }  // NOLINT: implicit, to use it as a number
};

// A page of a list: at most 500 items, from an offset of at most a billion.
using PageLimit = Bounded<int, 1, 500>;
using PageOffset = Bounded<int, 0, 1'000'000'000>;

// Like std::optional, but always written: null when empty (std::optional is left out).
template <class T>
struct Nullable : std::optional<T> {
  using std::optional<T>::optional;
  using std::optional<T>::operator=;
  Nullable(std::optional<T> v) : std::optional<T>(std::move(v)) {}  // NOLINT: implicit
};

// components/schemas while one document is built.
class SchemaSet {
 public:
  using Make = void (*)(SchemaSet&, boost::json::object&);
  // Writes {"$ref":"#/components/schemas/<name>"} into `out`; the first time a name is seen,
  // make() builds its schema. Two different types of one name abort: a programming error.
  void Ref(std::string_view name, Make make, boost::json::object& out);
  const boost::json::object& schemas() const { return schemas_; }

 private:
  boost::json::object schemas_;
  std::vector<std::pair<std::string, Make>> made_;
};

namespace api_detail {

Error Required(std::string_view field);
// kInvalidArgument "request.invalid_query": "Thiếu tham số 'x'." (a required parameter).
Error QueryRequired(std::string_view name);
// A number outside [min, max], or not a number: the field's or the parameter's error.
Error OutOfBounds(std::string_view field, std::int64_t min, std::int64_t max);
Error QueryOutOfBounds(std::string_view name, std::int64_t min, std::int64_t max);
// kInvalidArgument "request.invalid_query": "Tham số 'x' không hợp lệ: cần …".
Error QueryError(std::string_view name, std::string_view expect_vi, std::string_view expect_en);
// "kDayOff" → "day_off".
std::string SnakeName(std::string_view enumerator);
std::string Child(std::string_view parent, std::string_view name);
bool Blank(std::string_view text);

template <class T>
struct IsText : std::false_type {};
template <std::size_t N>
struct IsText<Text<N>> : std::true_type {};

// May be missing or null when read.
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsOptional<Nullable<T>> : std::true_type {};
// Always written, so required in the schema (a response's shape), even when null.
template <class T>
struct IsNullable : std::false_type {};
template <class T>
struct IsNullable<Nullable<T>> : std::true_type {};

template <class T>
constexpr bool kDescribedStruct = boost::describe::has_describe_members<T>::value;
template <class T>
constexpr bool kDescribedEnum = boost::describe::has_describe_enumerators<T>::value;

template <class T>
using Members = boost::describe::describe_members<T, boost::describe::mod_public>;

}  // namespace api_detail

// How one C++ type is a JSON value: Schema (into an object), Read (a present, non-null value;
// `field` names it in errors), Write, and ReadText (a query parameter).
template <class T, class Enable = void>
struct Codec;

template <>
struct Codec<bool> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, bool& out);
  static boost::json::value Write(bool v) { return v; }
  static Result<void> ReadText(std::string_view text, std::string_view name, bool& out);
};

template <>
struct Codec<std::int64_t> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           std::int64_t& out);
  static boost::json::value Write(std::int64_t v) { return v; }
  static Result<void> ReadText(std::string_view text, std::string_view name, std::int64_t& out);
};

template <>
struct Codec<int> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, int& out);
  static boost::json::value Write(int v) { return v; }
  static Result<void> ReadText(std::string_view text, std::string_view name, int& out);
};

template <class Int, Int Min, Int Max>
struct Codec<Bounded<Int, Min, Max>> {
  static void Schema(SchemaSet& set, boost::json::object& out) {
    Codec<Int>::Schema(set, out);
    out["minimum"] = Min;
    out["maximum"] = Max;
  }
  // Read as 64 bits, then bounded: 2^32 + 2 is out of range, never 2.
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           Bounded<Int, Min, Max>& out) {
    std::int64_t wide = 0;
    if (!Codec<std::int64_t>::Read(v, field, wide).ok() || wide < Min || wide > Max) {
      return api_detail::OutOfBounds(field, Min, Max);
    }
    out.value = static_cast<Int>(wide);
    return Ok();
  }
  static boost::json::value Write(const Bounded<Int, Min, Max>& v) { return v.value; }
  static Result<void> ReadText(std::string_view text, std::string_view name,
                               Bounded<Int, Min, Max>& out) {
    std::int64_t wide = 0;
    if (!Codec<std::int64_t>::ReadText(text, name, wide).ok() || wide < Min || wide > Max) {
      return api_detail::QueryOutOfBounds(name, Min, Max);
    }
    out.value = static_cast<Int>(wide);
    return Ok();
  }
};

template <>
struct Codec<double> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, double& out);
  static boost::json::value Write(double v) { return v; }
};

// A plain string: for responses (no limit); read, at most 1000 characters as core/json.hpp.
template <>
struct Codec<std::string> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, std::string& out);
  static boost::json::value Write(const std::string& v) { return boost::json::string(v); }
  static Result<void> ReadText(std::string_view text, std::string_view name, std::string& out);
};

// Limit-checked text, shared by every Text<N>.
struct TextCodec {
  static void Schema(std::size_t max_chars, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           std::size_t max_chars, std::string& out);
  static Result<void> ReadText(std::string_view text, std::string_view name, std::size_t max_chars,
                               std::string& out);
};

template <std::size_t N>
struct Codec<Text<N>> {
  static void Schema(SchemaSet&, boost::json::object& out) { TextCodec::Schema(N, out); }
  static Result<void> Read(const boost::json::value& v, const std::string& field, Text<N>& out) {
    return TextCodec::Read(v, field, N, out.value);
  }
  static boost::json::value Write(const Text<N>& v) { return boost::json::string(v.value); }
  static Result<void> ReadText(std::string_view text, std::string_view name, Text<N>& out) {
    return TextCodec::ReadText(text, name, N, out.value);
  }
};

template <>
struct Codec<Date> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, Date& out);
  static boost::json::value Write(Date v);
  static Result<void> ReadText(std::string_view text, std::string_view name, Date& out);
};

// Any JSON object, for documents described elsewhere (the catalog's import format).
template <>
struct Codec<boost::json::object> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           boost::json::object& out);
  static boost::json::value Write(const boost::json::object& v) { return v; }
};

// May be missing or null; never written when empty.
template <class T>
struct Codec<std::optional<T>> {
  static void Schema(SchemaSet& set, boost::json::object& out) {
    boost::json::object inner;
    Codec<T>::Schema(set, inner);
    if (inner.contains("$ref")) {
      out["allOf"] = boost::json::array{std::move(inner)};  // 3.0: no siblings next to $ref
    } else {
      out = std::move(inner);
    }
    out["nullable"] = true;
  }
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           std::optional<T>& out) {
    T value{};
    TINHSO_RETURN_IF_ERROR(Codec<T>::Read(v, field, value));
    out = std::move(value);
    return Ok();
  }
  static boost::json::value Write(const std::optional<T>& v) {
    return v ? Codec<T>::Write(*v) : boost::json::value(nullptr);
  }
  static Result<void> ReadText(std::string_view text, std::string_view name,
                               std::optional<T>& out) {
    T value{};
    TINHSO_RETURN_IF_ERROR(Codec<T>::ReadText(text, name, value));
    out = std::move(value);
    return Ok();
  }
};

template <class T>
struct Codec<Nullable<T>> {
  static void Schema(SchemaSet& set, boost::json::object& out) {
    Codec<std::optional<T>>::Schema(set, out);
  }
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           Nullable<T>& out) {
    return Codec<std::optional<T>>::Read(v, field, out);
  }
  static boost::json::value Write(const Nullable<T>& v) {
    return v ? Codec<T>::Write(*v) : boost::json::value(nullptr);
  }
};

template <>
struct Codec<Timestamp> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field, Timestamp& out);
  static boost::json::value Write(Timestamp v);
  static Result<void> ReadText(std::string_view text, std::string_view name, Timestamp& out);
};

Error NotAnArray(std::string_view field);

template <class T>
struct Codec<std::vector<T>> {
  static void Schema(SchemaSet& set, boost::json::object& out) {
    boost::json::object items;
    Codec<T>::Schema(set, items);
    out["type"] = "array";
    out["items"] = std::move(items);
  }
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           std::vector<T>& out) {
    if (!v.is_array()) return NotAnArray(field);
    out.clear();
    out.reserve(v.as_array().size());
    for (const boost::json::value& item : v.as_array()) {
      const std::string name = field + "[" + std::to_string(out.size()) + "]";
      if (item.is_null()) return api_detail::Required(name);
      T value{};
      TINHSO_RETURN_IF_ERROR(Codec<T>::Read(item, name, value));
      out.push_back(std::move(value));
    }
    return Ok();
  }
  static boost::json::value Write(const std::vector<T>& v) {
    boost::json::array a;
    a.reserve(v.size());
    for (const T& item : v) a.push_back(Codec<T>::Write(item));
    return a;
  }
};

// Enum names, shared by every described enum.
struct EnumCodec {
  static void Schema(const std::vector<std::string>& names, boost::json::object& out);
  static Error Unknown(const std::vector<std::string>& names, std::string_view field);
  static Error UnknownQuery(const std::vector<std::string>& names, std::string_view name);
};

// A described enum, as a string of its snake_case names. A module may give its own error for an
// unknown name (`Error UnknownEnumValue(const E*, std::string_view text)`, found by ADL).
template <class E>
struct Codec<E, std::enable_if_t<api_detail::kDescribedEnum<E>>> {
  static const std::vector<std::string>& Names() {
    static const std::vector<std::string> names = [] {
      std::vector<std::string> n;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
          [&](auto d) { n.push_back(api_detail::SnakeName(d.name)); });
      return n;
    }();
    return names;
  }
  static bool Find(std::string_view text, E& out) {
    bool found = false;
    std::size_t i = 0;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
      if (!found && Names()[i] == text) {
        out = d.value;
        found = true;
      }
      ++i;
    });
    return found;
  }
  static void Schema(SchemaSet&, boost::json::object& out) { EnumCodec::Schema(Names(), out); }
  static Result<void> Read(const boost::json::value& v, const std::string& field, E& out) {
    if (v.is_string() && Find(v.as_string(), out)) return Ok();
    if constexpr (requires { UnknownEnumValue(static_cast<const E*>(nullptr), field); }) {
      if (v.is_string()) {
        return UnknownEnumValue(static_cast<const E*>(nullptr), std::string_view(v.as_string()));
      }
    }
    return EnumCodec::Unknown(Names(), field);
  }
  static boost::json::value Write(E v) {
    std::size_t i = 0;
    std::string_view name;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
      if (d.value == v && name.empty()) name = Names()[i];
      ++i;
    });
    return boost::json::string(name);
  }
  static Result<void> ReadText(std::string_view text, std::string_view name, E& out) {
    if (Find(text, out)) return Ok();
    return EnumCodec::UnknownQuery(Names(), name);
  }
};

Error NotAnObject(std::string_view field);

// A described struct: a component of its own, referred to by $ref.
template <class T>
struct Codec<T, std::enable_if_t<api_detail::kDescribedStruct<T>>> {
  static void Make(SchemaSet& set, boost::json::object& out) {
    boost::json::object properties;
    boost::json::array required;
    boost::mp11::mp_for_each<api_detail::Members<T>>([&](auto d) {
      using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
      boost::json::object schema;
      Codec<M>::Schema(set, schema);
      properties[d.name] = std::move(schema);
      if (!api_detail::IsOptional<M>::value || api_detail::IsNullable<M>::value) {
        required.emplace_back(d.name);
      }
    });
    out["type"] = "object";
    out["properties"] = std::move(properties);
    if (!required.empty()) out["required"] = std::move(required);
    if constexpr (requires { ApiSchemaDescription(static_cast<const T*>(nullptr)); }) {
      out["description"] = ApiSchemaDescription(static_cast<const T*>(nullptr));
    }
  }
  static void Schema(SchemaSet& set, boost::json::object& out) {
    set.Ref(ApiSchemaName(static_cast<const T*>(nullptr)), &Make, out);
  }
  // The members of `o` into `out`; `prefix` names the object in errors ("" at the top).
  static Result<void> ReadMembers(const boost::json::object& o, std::string_view prefix, T& out) {
    Result<void> result;
    boost::mp11::mp_for_each<api_detail::Members<T>>([&](auto d) {
      if (!result.ok()) return;
      using M = std::remove_cvref_t<decltype(out.*d.pointer)>;
      const std::string field = api_detail::Child(prefix, d.name);
      const auto it = o.find(d.name);
      if (it == o.end() || it->value().is_null()) {
        if (!api_detail::IsOptional<M>::value) result = api_detail::Required(field);
        return;
      }
      result = Codec<M>::Read(it->value(), field, out.*d.pointer);
      if constexpr (api_detail::IsText<M>::value) {
        if (result.ok() && api_detail::Blank((out.*d.pointer).value)) {
          result = api_detail::Required(field);
        }
      }
    });
    return result;
  }
  static Result<void> Read(const boost::json::value& v, const std::string& field, T& out) {
    if (!v.is_object()) return NotAnObject(field);
    return ReadMembers(v.as_object(), field, out);
  }
  static boost::json::value Write(const T& v) {
    boost::json::object o;
    boost::mp11::mp_for_each<api_detail::Members<T>>([&](auto d) {
      using M = std::remove_cvref_t<decltype(v.*d.pointer)>;
      if constexpr (api_detail::IsOptional<M>::value && !api_detail::IsNullable<M>::value) {
        if (!(v.*d.pointer)) return;
      }
      o[d.name] = Codec<M>::Write(v.*d.pointer);
    });
    return o;
  }
};

// One page of a list: `items` from `offset`, at most `limit` of them, of `total` in all. Its
// schema is named after the item's, without a trailing "View": Page<AgencyView> is
// "AgencyPage", Page<DossierView> "DossierPage".
template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
  BOOST_DESCRIBE_CLASS(Page, (), (items, total, limit, offset), (), ())
};

template <class T>
std::string ApiSchemaName(const Page<T>*) {
  std::string_view item = ApiSchemaName(static_cast<const T*>(nullptr));
  if (item.ends_with("View")) item.remove_suffix(4);
  return std::string(item) + "Page";
}

// The page of a list the service answered (items, total, limit, offset), each item made by
// `view`: PageOf(page, [](const Agency& a) { return ToApi(a); }).
template <class From, class F>
auto PageOf(const From& page, F&& view) {
  Page<std::remove_cvref_t<decltype(view(page.items.front()))>> out;
  out.total = page.total;
  out.limit = page.limit;
  out.offset = page.offset;
  out.items.reserve(page.items.size());
  for (const auto& item : page.items) out.items.push_back(view(item));
  return out;
}

template <class T>
std::string_view ApiSchemaDescription(const Page<T>*) {
  return "Một trang của danh sách: items từ vị trí offset, tối đa limit mục, trong total mục / "
         "one page of a list: items from offset, at most limit of them, of total in all";
}

// ---- Parsing and rendering ------------------------------------------------------------------

// A JSON body (an object of valid UTF-8, as json::ParseObject) into T: a described struct, or
// boost::json::object for a document the handler reads itself.
template <class T>
Result<T> ParseJson(std::string_view text) {
  TINHSO_ASSIGN_OR_RETURN(auto object, json::ParseObject(text));
  const boost::json::value root(std::move(object));
  T out{};
  TINHSO_RETURN_IF_ERROR(Codec<T>::Read(root, "", out));
  return out;
}

namespace api_detail {

// True for a query member's value in T{} that is no value at all: a blank Text, a Date that is
// no date, or what the type's Codec says (`static bool NoDefault(const M&)`). Such a member has
// no default, so it is required: `http::Date from;` must be given, `int limit = 50;` may not.
template <class M>
bool NoDefault(const M& value) {
  if constexpr (IsText<M>::value) {
    return Blank(value.value);
  } else if constexpr (std::is_same_v<M, Date>) {
    return !value.ok();
  } else if constexpr (requires { Codec<M>::NoDefault(value); }) {
    return Codec<M>::NoDefault(value);
  } else {
    return false;
  }
}

}  // namespace api_detail

// The query parameters into the described struct T: a parameter that is absent keeps the
// member's default, or is refused when it has none (api_detail::NoDefault: "Thiếu tham số…");
// one given twice, its first value. Unknown parameters are ignored.
template <class T>
Result<T> ParseQuery(const Request& request) {
  T out{};
  Result<void> result;
  boost::mp11::mp_for_each<api_detail::Members<T>>([&](auto d) {
    if (!result.ok()) return;
    using M = std::remove_cvref_t<decltype(out.*d.pointer)>;
    const auto it = request.query.find(d.name);
    if (it != request.query.end()) {
      result = Codec<M>::ReadText(it->second, d.name, out.*d.pointer);
    }
    // Absent, or given blank: still no value.
    if (result.ok() && api_detail::NoDefault(out.*d.pointer)) {
      result = api_detail::QueryRequired(d.name);
    }
  });
  if (!result.ok()) return result.error();
  return out;
}

// The text of an optional Text member, or `fallback` when the request left it out.
template <std::size_t N>
std::string TextOr(const std::optional<Text<N>>& text, std::string fallback = {}) {
  return text ? text->value : std::move(fallback);
}

template <class T>
boost::json::value ToJson(const T& value) {
  return Codec<T>::Write(value);
}

template <class T>
std::string Render(const T& value) {
  return boost::json::serialize(Codec<T>::Write(value));
}

// A JSON response of the declared type.
template <class T>
Response Reply(int status, const T& value) {
  return JsonResponse(status, Render(value));
}

// ---- Declarations for Route ------------------------------------------------------------------

namespace api_detail {

template <class T>
void SchemaOf(SchemaSet& set, boost::json::object& out) {
  Codec<T>::Schema(set, out);
}

// A query struct's members as an object schema, inline (the generator turns each property into
// a parameter), each with its default when it has one worth saying, and `required` listing
// those without one.
template <class T>
void QuerySchemaOf(SchemaSet& set, boost::json::object& out) {
  const T defaults{};
  boost::json::object properties;
  boost::json::array required;
  boost::mp11::mp_for_each<Members<T>>([&](auto d) {
    using M = std::remove_cvref_t<decltype(defaults.*d.pointer)>;
    static_assert(
        requires(std::string_view s, M & m) { Codec<M>::ReadText(s, s, m); },
        "a query parameter must be a scalar: text, integer, boolean, date or enum");
    boost::json::object schema;
    Codec<M>::Schema(set, schema);
    if (NoDefault(defaults.*d.pointer)) {
      required.emplace_back(d.name);
    } else if constexpr (!IsOptional<M>::value) {
      boost::json::value value = Codec<M>::Write(defaults.*d.pointer);
      if (!(value.is_string() && value.as_string().empty())) schema["default"] = std::move(value);
    }
    properties[d.name] = std::move(schema);
  });
  out["type"] = "object";
  out["properties"] = std::move(properties);
  if (!required.empty()) out["required"] = std::move(required);
}

template <class T>
std::vector<std::string> QueryNames() {
  std::vector<std::string> names;
  boost::mp11::mp_for_each<Members<T>>([&](auto d) { names.emplace_back(d.name); });
  return names;
}

template <class T>
Result<std::any> ParseBodyAny(const Request& request) {
  TINHSO_ASSIGN_OR_RETURN(T value, ParseJson<T>(request.body));
  return std::any(std::move(value));
}

template <class T>
Result<std::any> ParseQueryAny(const Request& request) {
  TINHSO_ASSIGN_OR_RETURN(T value, ParseQuery<T>(request));
  return std::any(std::move(value));
}

}  // namespace api_detail

struct BodyOptions {
  // Only a body sent as JSON (Content-Type: application/json) is read; any other is answered 415
  // before it is parsed. For a route a page of another site must not be able to call: a browser
  // posts a form or text/plain anywhere without asking, JSON only after a CORS preflight.
  bool json_only = false;
};

// Route::body: a JSON object of type T, parsed before the handler runs (Context::Body<T>()).
template <class T>
TypeDecl JsonBody(BodyOptions options = {}) {
  return {.type = &typeid(T),
          .schema = &api_detail::SchemaOf<T>,
          .parse = &api_detail::ParseBodyAny<T>,
          .json_only = options.json_only};
}

// Route::body of a route whose handler reads the body itself (Request::body): documented as a
// JSON object of type T, never parsed by the router (see Route::errors).
template <class T>
TypeDecl DocumentedBody() {
  return {.type = &typeid(T), .schema = &api_detail::SchemaOf<T>};
}

// Route::errors: the route's handler answers its errors with a JSON body of type T, not the
// Error shape; error statuses worth a word of their own are answers: Returns<T>(403, "…").
template <class T>
TypeDecl ErrorBody() {
  return {.type = &typeid(T), .schema = &api_detail::SchemaOf<T>};
}

// Route::query: the query parameters, one described struct (Context::Query<T>()).
template <class T>
TypeDecl QueryParams() {
  return {.type = &typeid(T),
          .schema = &api_detail::QuerySchemaOf<T>,
          .parse = &api_detail::ParseQueryAny<T>,
          .names = &api_detail::QueryNames<T>};
}

// Route::answers: `status` with a JSON body of type T (render it with Reply(status, value)).
template <class T>
Answer Returns(int status = 200, std::string description = {}) {
  return {.status = status,
          .type = {.type = &typeid(T), .schema = &api_detail::SchemaOf<T>},
          .description = std::move(description)};
}

}  // namespace tinhso::http
