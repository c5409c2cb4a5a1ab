#include "pdf/object.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pdf/errors.hpp"
#include "pdf/parser.hpp"

namespace tinhso::pdf::internal {
namespace {

bool IsRegularNameChar(unsigned char c) {
  // Delimiters, white space, '#' and anything outside the printable ASCII range are escaped.
  return c >= 0x21 && c <= 0x7e && c != '#' && !IsPdfDelimiter(static_cast<char>(c));
}

bool DeepEqualAt(const Object& a, const Object& b, int depth);

bool DictEqual(const Dict& a, const Dict& b, int depth) {
  if (a.size() != b.size()) {
    return false;
  }
  for (const DictEntry& entry : a) {
    const Object* other = Find(b, entry.key);
    if (other == nullptr || !DeepEqualAt(entry.value, *other, depth + 1)) {
      return false;
    }
  }
  return true;
}

bool DeepEqualAt(const Object& a, const Object& b, int depth) {
  if (depth > kMaxNesting + 2) {
    return false;  // cannot happen for parsed objects; fail closed
  }
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsInt() && b.IsInt()) {
      return *a.AsInt() == *b.AsInt();
    }
    double x = 0;
    double y = 0;
    a.ToNumber(&x);
    b.ToNumber(&y);
    return x == y;
  }
  if (a.type() != b.type()) {
    return false;
  }
  switch (a.type()) {
    case Object::Type::kNull:
      return true;
    case Object::Type::kBool:
      return *a.AsBool() == *b.AsBool();
    case Object::Type::kInt:
    case Object::Type::kReal:
      return false;  // handled above
    case Object::Type::kString:
      return a.AsString()->bytes == b.AsString()->bytes;
    case Object::Type::kName:
      return a.AsName()->value == b.AsName()->value;
    case Object::Type::kArray: {
      const Array& x = *a.AsArray();
      const Array& y = *b.AsArray();
      if (x.size() != y.size()) {
        return false;
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!DeepEqualAt(x[i], y[i], depth + 1)) {
          return false;
        }
      }
      return true;
    }
    case Object::Type::kDict:
      return DictEqual(*a.AsDict(), *b.AsDict(), depth);
    case Object::Type::kRef:
      return *a.AsRef() == *b.AsRef();
    case Object::Type::kStream:
      return a.AsStream()->raw == b.AsStream()->raw &&
             DictEqual(a.AsStream()->dict, b.AsStream()->dict, depth);
  }
  return false;
}

Result<void> SerializeAt(const Object& object, std::string& out, int depth) {
  if (depth > kMaxNesting + 2) {
    return LimitExceeded("object nesting while writing");
  }
  switch (object.type()) {
    case Object::Type::kNull:
      out += "null";
      break;
    case Object::Type::kBool:
      out += *object.AsBool() ? "true" : "false";
      break;
    case Object::Type::kInt:
      out += std::to_string(*object.AsInt());
      break;
    case Object::Type::kReal:
      out += std::get<Real>(object.value()).text;
      break;
    case Object::Type::kString:
      SerializeString(object.AsString()->bytes, object.AsString()->hex, out);
      break;
    case Object::Type::kName:
      SerializeName(object.AsName()->value, out);
      break;
    case Object::Type::kArray: {
      out += '[';
      bool first = true;
      for (const Object& item : *object.AsArray()) {
        if (!first) {
          out += ' ';
        }
        first = false;
        TINHSO_RETURN_IF_ERROR(SerializeAt(item, out, depth + 1));
      }
      out += ']';
      break;
    }
    case Object::Type::kDict: {
      out += "<<";
      for (const DictEntry& entry : *object.AsDict()) {
        out += ' ';
        SerializeName(entry.key, out);
        out += ' ';
        TINHSO_RETURN_IF_ERROR(SerializeAt(entry.value, out, depth + 1));
      }
      out += " >>";
      break;
    }
    case Object::Type::kRef:
      out += std::to_string(object.AsRef()->num) + ' ' + std::to_string(object.AsRef()->gen) + " R";
      break;
    case Object::Type::kStream:
      return InternalError("pdf: a stream cannot be serialised as a direct object");
  }
  return Ok();
}

}  // namespace

const Dict* Object::AsDict() const {
  if (const Dict* dict = std::get_if<Dict>(&value_)) {
    return dict;
  }
  if (const Stream* stream = std::get_if<Stream>(&value_)) {
    return &stream->dict;
  }
  return nullptr;
}

Dict* Object::AsDict() {
  if (Dict* dict = std::get_if<Dict>(&value_)) {
    return dict;
  }
  if (Stream* stream = std::get_if<Stream>(&value_)) {
    return &stream->dict;
  }
  return nullptr;
}

bool Object::ToNumber(double* out) const {
  if (const std::int64_t* i = AsInt()) {
    *out = static_cast<double>(*i);
    return true;
  }
  if (const Real* r = std::get_if<Real>(&value_)) {
    *out = r->value;
    return true;
  }
  return false;
}

const Object* Find(const Dict& dict, std::string_view key) {
  for (const DictEntry& entry : dict) {
    if (entry.key == key) {
      return &entry.value;
    }
  }
  return nullptr;
}

void Set(Dict& dict, std::string_view key, Object value) {
  for (DictEntry& entry : dict) {
    if (entry.key == key) {
      entry.value = std::move(value);
      return;
    }
  }
  dict.push_back(DictEntry{std::string(key), std::move(value)});
}

void Erase(Dict& dict, std::string_view key) {
  std::erase_if(dict, [key](const DictEntry& entry) { return entry.key == key; });
}

Object MakeInt(std::int64_t value) { return Object(Object::Value(value)); }
Object MakeName(std::string value) { return Object(Object::Value(Name{std::move(value)})); }
Object MakeRef(Ref ref) { return Object(Object::Value(ref)); }
Object MakeArray(Array items) { return Object(Object::Value(std::move(items))); }
Object MakeDict(Dict entries) { return Object(Object::Value(std::move(entries))); }
Object MakeString(std::string bytes, bool hex) {
  return Object(Object::Value(String{std::move(bytes), hex}));
}

Result<void> Serialize(const Object& object, std::string& out) {
  return SerializeAt(object, out, 0);
}

void SerializeName(std::string_view name, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '/';
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsRegularNameChar(c)) {
      out += ch;
    } else {
      out += '#';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

void SerializeString(std::string_view bytes, bool hex, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (hex) {
    out += '<';
    for (char ch : bytes) {
      const auto c = static_cast<unsigned char>(ch);
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
    out += '>';
    return;
  }
  out += '(';
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '(' || ch == ')' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c > 0x7e) {
      // Octal escapes keep every byte exact (a raw CR would be read back as LF).
      char escape[5];
      std::snprintf(escape, sizeof escape, "\\%03o", c);
      out += escape;
    } else {
      out += ch;
    }
  }
  out += ')';
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) {
    return "0";
  }
  const double rounded = std::round(value * 10000.0) / 10000.0;
  char text[64];
  std::snprintf(text, sizeof text, "%.4f", rounded);
  std::string result = text;
  // Trim trailing zeros and a trailing point: "12.5000" → "12.5", "3.0000" → "3".
  while (!result.empty() && result.back() == '0') {
    result.pop_back();
  }
  if (!result.empty() && result.back() == '.') {
    result.pop_back();
  }
  if (result == "-0" || result.empty()) {
    result = "0";
  }
  return result;
}

bool DeepEqual(const Object& a, const Object& b) { return DeepEqualAt(a, b, 0); }

}  // namespace tinhso::pdf::internal
