#include "pdf/parser.hpp"

#include <charconv>
#include <cstdlib>
#include <string>
#include <unordered_set>

#include "pdf/errors.hpp"

namespace tinhso::pdf::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string At(std::size_t pos) { return " at offset " + std::to_string(pos); }

}  // namespace

bool IsPdfWhitespace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool IsPdfDelimiter(char c) {
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '[':
    case ']':
    case '{':
    case '}':
    case '/':
    case '%':
      return true;
    default:
      return false;
  }
}

void Parser::SkipSpace() {
  while (pos_ < data_.size()) {
    const char c = data_[pos_];
    if (IsPdfWhitespace(c)) {
      ++pos_;
    } else if (c == '%') {
      while (pos_ < data_.size() && data_[pos_] != '\n' && data_[pos_] != '\r') {
        ++pos_;
      }
    } else {
      return;
    }
  }
}

std::string_view Parser::ReadKeyword() {
  SkipSpace();
  const std::size_t begin = pos_;
  while (pos_ < data_.size() && !IsPdfWhitespace(data_[pos_]) && !IsPdfDelimiter(data_[pos_])) {
    ++pos_;
  }
  return data_.substr(begin, pos_ - begin);
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  const std::size_t saved = pos_;
  if (ReadKeyword() == keyword) {
    return true;
  }
  pos_ = saved;
  return false;
}

Result<std::uint64_t> Parser::ReadUnsigned() {
  SkipSpace();
  const std::size_t begin = pos_;
  std::uint64_t value = 0;
  while (pos_ < data_.size() && IsDigit(data_[pos_])) {
    if (value > (std::uint64_t{1} << 50)) {
      return Malformed("integer too large" + At(begin));
    }
    value = value * 10 + static_cast<std::uint64_t>(data_[pos_] - '0');
    ++pos_;
  }
  if (pos_ == begin) {
    return Malformed("expected an integer" + At(begin));
  }
  if (pos_ < data_.size() && !IsPdfWhitespace(data_[pos_]) && !IsPdfDelimiter(data_[pos_])) {
    return Malformed("expected an integer" + At(begin));
  }
  return value;
}

Result<void> Parser::CountItem() {
  if (++*items_ > kMaxParsedItems) {
    return LimitExceeded("more than " + std::to_string(kMaxParsedItems) + " values parsed");
  }
  return Ok();
}

Result<Object> Parser::ParseObject() { return ParseValue(0); }

Result<Object> Parser::ParseValue(int depth) {
  if (depth > kMaxNesting) {
    return LimitExceeded("arrays and dictionaries nested deeper than " +
                         std::to_string(kMaxNesting) + At(pos_));
  }
  TINHSO_RETURN_IF_ERROR(CountItem());
  SkipSpace();
  if (pos_ >= data_.size()) {
    return Malformed("unexpected end of data" + At(pos_));
  }
  const std::size_t begin = pos_;
  const char c = data_[pos_];
  Object result;
  if (c == '[') {
    ++pos_;
    Array items;
    for (;;) {
      SkipSpace();
      if (pos_ >= data_.size()) {
        return Malformed("unterminated array" + At(begin));
      }
      if (data_[pos_] == ']') {
        ++pos_;
        break;
      }
      if (items.size() >= kMaxContainerItems) {
        return LimitExceeded("array with more than " + std::to_string(kMaxContainerItems) +
                             " items" + At(begin));
      }
      TINHSO_ASSIGN_OR_RETURN(Object item, ParseValue(depth + 1));
      items.push_back(std::move(item));
    }
    result = MakeArray(std::move(items));
  } else if (c == '<' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '<') {
    pos_ += 2;
    Dict entries;
    std::unordered_set<std::string> keys;  // used once the dictionary is large
    for (;;) {
      SkipSpace();
      if (pos_ >= data_.size()) {
        return Malformed("unterminated dictionary" + At(begin));
      }
      if (data_[pos_] == '>') {
        if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '>') {
          pos_ += 2;
          break;
        }
        return Malformed("'>' inside a dictionary" + At(pos_));
      }
      if (data_[pos_] != '/') {
        return Malformed("dictionary key is not a name" + At(pos_));
      }
      ++pos_;
      TINHSO_ASSIGN_OR_RETURN(std::string key, ParseNameText());
      if (entries.size() >= kMaxContainerItems) {
        return LimitExceeded("dictionary with too many entries" + At(begin));
      }
      // Duplicate keys make a dictionary ambiguous (readers disagree on which wins), which a
      // signed document must never be.
      bool duplicate = false;
      if (entries.size() < 16) {
        duplicate = Find(entries, key) != nullptr;
      } else {
        if (keys.empty()) {
          for (const DictEntry& entry : entries) {
            keys.insert(entry.key);
          }
        }
        duplicate = !keys.insert(key).second;
      }
      if (duplicate) {
        return Malformed("duplicate dictionary key /" + key + At(pos_));
      }
      TINHSO_ASSIGN_OR_RETURN(Object value, ParseValue(depth + 1));
      entries.push_back(DictEntry{std::move(key), std::move(value)});
    }
    result = MakeDict(std::move(entries));
  } else if (c == '<') {
    TINHSO_ASSIGN_OR_RETURN(std::string bytes, ParseHexString());
    result = MakeString(std::move(bytes), true);
  } else if (c == '(') {
    TINHSO_ASSIGN_OR_RETURN(std::string bytes, ParseLiteralString());
    result = MakeString(std::move(bytes), false);
  } else if (c == '/') {
    ++pos_;
    TINHSO_ASSIGN_OR_RETURN(std::string name, ParseNameText());
    result = MakeName(std::move(name));
  } else if (c == '+' || c == '-' || c == '.' || IsDigit(c)) {
    TINHSO_ASSIGN_OR_RETURN(result, ParseNumberOrRef(begin));
  } else {
    const std::string_view keyword = ReadKeyword();
    if (keyword == "true" || keyword == "false") {
      result = Object(Object::Value(keyword == "true"));
    } else if (keyword == "null") {
      result = Object();
    } else if (keyword.empty()) {
      return Malformed(std::string("unexpected character '") + c + "'" + At(begin));
    } else {
      return Malformed("unexpected keyword '" + std::string(keyword.substr(0, 32)) + "'" +
                       At(begin));
    }
  }
  result.begin = begin;
  result.end = pos_;
  return result;
}

Result<Object> Parser::ParseNumberOrRef(std::size_t begin) {
  std::size_t p = pos_;
  const bool sign = data_[p] == '+' || data_[p] == '-';
  if (sign) {
    ++p;
  }
  std::size_t digits = 0;
  bool point = false;
  while (p < data_.size() && (IsDigit(data_[p]) || (data_[p] == '.' && !point))) {
    if (data_[p] == '.') {
      point = true;
    } else {
      ++digits;
    }
    ++p;
  }
  if (digits == 0) {
    return Malformed("malformed number" + At(begin));
  }
  if (p < data_.size() && !IsPdfWhitespace(data_[p]) && !IsPdfDelimiter(data_[p])) {
    return Malformed("malformed number" + At(begin));
  }
  const std::string_view text = data_.substr(pos_, p - pos_);
  pos_ = p;
  if (point) {
    if (text.size() > 64) {
      return Malformed("number too long" + At(begin));
    }
    std::string copy(text);
    Real real;
    real.value = std::strtod(copy.c_str(), nullptr);
    real.text = std::move(copy);
    return Object(Object::Value(std::move(real)));
  }
  std::int64_t value = 0;
  const std::string_view unsigned_text = text.substr(text[0] == '+' ? 1 : 0);
  const auto [ptr, ec] =
      std::from_chars(unsigned_text.data(), unsigned_text.data() + unsigned_text.size(), value);
  if (ec != std::errc() || ptr != unsigned_text.data() + unsigned_text.size()) {
    return Malformed("integer out of range" + At(begin));
  }
  // "N G R": look ahead for a generation number and the R keyword.
  if (!sign) {
    const std::size_t saved = pos_;
    SkipSpace();
    if (pos_ < data_.size() && IsDigit(data_[pos_])) {
      std::size_t q = pos_;
      std::uint64_t gen = 0;
      while (q < data_.size() && IsDigit(data_[q]) && gen < 100000) {
        gen = gen * 10 + static_cast<std::uint64_t>(data_[q] - '0');
        ++q;
      }
      if (q < data_.size() && (IsPdfWhitespace(data_[q]) || IsPdfDelimiter(data_[q]))) {
        pos_ = q;
        SkipSpace();
        if (pos_ < data_.size() && data_[pos_] == 'R' &&
            (pos_ + 1 >= data_.size() || IsPdfWhitespace(data_[pos_ + 1]) ||
             IsPdfDelimiter(data_[pos_ + 1]))) {
          ++pos_;
          if (value > kMaxObjectNumber || gen > 65535) {
            return Malformed("object reference out of range" + At(begin));
          }
          return MakeRef(Ref{static_cast<std::uint32_t>(value), static_cast<std::uint32_t>(gen)});
        }
      }
    }
    pos_ = saved;
  }
  return MakeInt(value);
}

Result<std::string> Parser::ParseLiteralString() {
  const std::size_t begin = pos_;
  ++pos_;  // '('
  std::string bytes;
  int open = 1;
  while (pos_ < data_.size()) {
    const char c = data_[pos_++];
    if (c == '(') {
      ++open;
      bytes += c;
    } else if (c == ')') {
      if (--open == 0) {
        return bytes;
      }
      bytes += c;
    } else if (c == '\r') {
      // An unescaped end-of-line in a string is read as a single LF (§7.3.4.2).
      if (pos_ < data_.size() && data_[pos_] == '\n') {
        ++pos_;
      }
      bytes += '\n';
    } else if (c != '\\') {
      bytes += c;
    } else {
      if (pos_ >= data_.size()) {
        break;
      }
      const char e = data_[pos_++];
      switch (e) {
        case 'n':
          bytes += '\n';
          break;
        case 'r':
          bytes += '\r';
          break;
        case 't':
          bytes += '\t';
          break;
        case 'b':
          bytes += '\b';
          break;
        case 'f':
          bytes += '\f';
          break;
        case '(':
        case ')':
        case '\\':
          bytes += e;
          break;
        case '\r':
          if (pos_ < data_.size() && data_[pos_] == '\n') {
            ++pos_;
          }
          break;
        case '\n':
          break;
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int i = 0;
                 i < 2 && pos_ < data_.size() && data_[pos_] >= '0' && data_[pos_] <= '7'; ++i) {
              value = value * 8 + (data_[pos_++] - '0');
            }
            bytes += static_cast<char>(value & 0xff);
          } else {
            bytes += e;  // §7.3.4.2: an unknown escape drops the backslash
          }
      }
    }
  }
  return Malformed("unterminated string" + At(begin));
}

Result<std::string> Parser::ParseHexString() {
  const std::size_t begin = pos_;
  ++pos_;  // '<'
  std::string bytes;
  int high = -1;
  while (pos_ < data_.size()) {
    const char c = data_[pos_++];
    if (c == '>') {
      if (high >= 0) {
        bytes += static_cast<char>(high << 4);  // odd digit count: the last digit is the high one
      }
      return bytes;
    }
    if (IsPdfWhitespace(c)) {
      continue;
    }
    const int value = HexValue(c);
    if (value < 0) {
      return Malformed("bad character in hex string" + At(pos_ - 1));
    }
    if (high < 0) {
      high = value;
    } else {
      bytes += static_cast<char>((high << 4) | value);
      high = -1;
    }
  }
  return Malformed("unterminated hex string" + At(begin));
}

Result<std::string> Parser::ParseNameText() {
  std::string name;
  const std::size_t begin = pos_;
  while (pos_ < data_.size() && !IsPdfWhitespace(data_[pos_]) && !IsPdfDelimiter(data_[pos_])) {
    const char c = data_[pos_++];
    if (c == '#') {
      if (pos_ + 2 > data_.size() || HexValue(data_[pos_]) < 0 || HexValue(data_[pos_ + 1]) < 0) {
        return Malformed("bad #xx escape in name" + At(pos_ - 1));
      }
      const int value = HexValue(data_[pos_]) * 16 + HexValue(data_[pos_ + 1]);
      if (value == 0) {
        return Malformed("NUL in name" + At(pos_ - 1));
      }
      name += static_cast<char>(value);
      pos_ += 2;
    } else {
      name += c;
    }
    if (name.size() > 4096) {
      return Malformed("name too long" + At(begin));
    }
  }
  return name;
}

Result<Object> Parser::ParseIndirect(Ref* ref, const LengthResolver& length) {
  const std::size_t begin = (SkipSpace(), pos_);
  // No "N G obj" here means the cross-reference data pointed to the wrong place.
  auto num = ReadUnsigned();
  auto gen = num.ok() ? ReadUnsigned() : num;
  if (!gen.ok() || !AcceptKeyword("obj")) {
    return XrefInvalid("no \"N G obj\" where the cross-reference data points" + At(begin));
  }
  if (*num > kMaxObjectNumber || *gen > 65535) {
    return Malformed("object number out of range" + At(begin));
  }
  *ref = Ref{static_cast<std::uint32_t>(*num), static_cast<std::uint32_t>(*gen)};
  TINHSO_ASSIGN_OR_RETURN(Object value, ParseObject());
  const std::size_t after_value = pos_;
  if (AcceptKeyword("stream")) {
    Dict* dict = value.type() == Object::Type::kDict ? value.AsDict() : nullptr;
    if (dict == nullptr) {
      return Malformed("'stream' after something other than a dictionary" + At(after_value));
    }
    // The keyword is followed by CRLF or LF (§7.3.8.1), then the data.
    if (pos_ < data_.size() && data_[pos_] == '\r') {
      ++pos_;
    }
    if (pos_ >= data_.size() || data_[pos_] != '\n') {
      return BadStream("'stream' not followed by an end-of-line" + At(pos_));
    }
    ++pos_;
    const std::size_t data_begin = pos_;
    const Object* length_object = Find(*dict, "Length");
    std::int64_t size = -1;
    if (length_object != nullptr && length_object->AsInt() != nullptr) {
      size = *length_object->AsInt();
    } else if (length_object != nullptr && length_object->AsRef() != nullptr && length) {
      TINHSO_ASSIGN_OR_RETURN(size, length(*length_object->AsRef()));
    } else {
      return BadStream("stream without a usable /Length" + At(begin));
    }
    if (size < 0 || static_cast<std::uint64_t>(size) > data_.size() - data_begin) {
      return BadStream("stream /Length " + std::to_string(size) + " runs past the end of the file" +
                       At(begin));
    }
    pos_ = data_begin + static_cast<std::size_t>(size);
    if (!AcceptKeyword("endstream")) {
      return BadStream("stream /Length does not end at 'endstream'" + At(begin));
    }
    Stream stream{std::move(*dict), data_.substr(data_begin, static_cast<std::size_t>(size))};
    value = Object(Object::Value(std::move(stream)));
  }
  if (!AcceptKeyword("endobj")) {
    return Malformed("expected 'endobj'" + At(pos_));
  }
  value.begin = begin;
  value.end = pos_;
  return value;
}

}  // namespace tinhso::pdf::internal
