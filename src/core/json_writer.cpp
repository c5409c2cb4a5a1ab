#include "core/json_writer.hpp"

#include <cassert>
#include <charconv>

namespace tinhso::json {

void Writer::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;
  const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
  if (has_items_ & bit) out_.push_back(',');
  has_items_ |= bit;
}

void Writer::Open(char c) {
  Separate();
  assert(depth_ < 64 && "JSON nested deeper than the writer supports");
  out_.push_back(c);
  ++depth_;
  has_items_ &= ~(std::uint64_t{1} << (depth_ - 1));
}

void Writer::Close(char c) {
  assert(depth_ > 0 && !after_key_);
  --depth_;
  out_.push_back(c);
}

Writer& Writer::BeginObject() {
  Open('{');
  return *this;
}
Writer& Writer::EndObject() {
  Close('}');
  return *this;
}
Writer& Writer::BeginArray() {
  Open('[');
  return *this;
}
Writer& Writer::EndArray() {
  Close(']');
  return *this;
}

Writer& Writer::Key(std::string_view key) {
  String(key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

Writer& Writer::String(std::string_view value) {
  Separate();
  out_.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes that need no escaping
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(value.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out_.append(escaped, sizeof escaped);
      }
    }
  }
  out_.append(value.data() + plain, value.size() - plain);
  out_.push_back('"');
  return *this;
}

Writer& Writer::Int(std::int64_t value) {
  Separate();
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
  out_.append(buf, static_cast<std::size_t>(end - buf));
  return *this;
}

Writer& Writer::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}

Writer& Writer::Null() {
  Separate();
  out_ += "null";
  return *this;
}

Writer& Writer::Raw(std::string_view json) {
  Separate();
  out_.append(json);
  return *this;
}

}  // namespace tinhso::json
