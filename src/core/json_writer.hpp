// A streaming JSON writer for hot responses: it appends straight to one string, with no value
// tree (building a boost::json::object per response cost more than the database read on the
// public lookup). Strings must be valid UTF-8, which everything we store is; quotes,
// backslashes and control characters are escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinhso::json {

class Writer {
 public:
  explicit Writer(std::size_t reserve = 1024) { out_.reserve(reserve); }

  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  // In an object: the key of the next value.
  Writer& Key(std::string_view key);

  Writer& String(std::string_view value);
  Writer& Int(std::int64_t value);
  Writer& Bool(bool value);
  Writer& Null();
  // A value that is already JSON text (trusted, written by this writer earlier), as is.
  Writer& Raw(std::string_view json);

  // Key and value in one call; an empty optional writes null.
  Writer& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  Writer& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  Writer& Field(std::string_view key, const std::string& value) { return Key(key).String(value); }
  Writer& Field(std::string_view key, std::int64_t value) { return Key(key).Int(value); }
  Writer& Field(std::string_view key, int value) { return Key(key).Int(value); }
  Writer& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  Writer& Field(std::string_view key, const std::optional<std::string>& value) {
    return value ? Field(key, std::string_view(*value)) : Key(key).Null();
  }

  // The document; the writer is empty afterwards.
  std::string Take() { return std::move(out_); }

 private:
  // A comma before every value but the first of its container; a key's value needs none.
  void Separate();
  void Open(char c);
  void Close(char c);

  std::string out_;
  std::uint64_t has_items_ = 0;  // bit d: the container at depth d already holds an item
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace tinhso::json
