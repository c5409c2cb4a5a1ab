// Internal to src/pdf: the PDF object model (ISO 32000-1 §7.3), its serialisation, and the
// limits every reader in this module enforces. Not part of the module's API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace tinhso::pdf::internal {

// Limits on untrusted input. Each is far above what real documents need and low enough that a
// hostile file cannot exhaust memory or the stack.
inline constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;            // 1 GiB
inline constexpr int kMaxNesting = 64;                                        // arrays/dicts
inline constexpr std::size_t kMaxContainerItems = 1'000'000;                  // per array/dict
inline constexpr std::size_t kMaxParsedItems = 4'000'000;                     // per document
inline constexpr std::size_t kMaxDecodedStreamBytes = std::size_t{64} << 20;  // one stream
inline constexpr std::size_t kMaxDecodedTotalBytes = std::size_t{256} << 20;  // one document
// What a document may decode is bounded by its own size too: a few KB that inflate to hundreds
// of MB (a decompression bomb sent to the public verifier) cost as much CPU as a real large file.
// Real files' streams inflate 5-20 times; this allows far more.
inline constexpr std::size_t kDecodedBytesBase = std::size_t{8} << 20;
inline constexpr std::size_t kMaxInflationPerFileByte = 64;
inline constexpr std::uint32_t kMaxObjectNumber = 8'388'607;  // ISO 32000-1 Annex C
inline constexpr std::size_t kMaxXrefEntries = 4'194'304;     // all sections together
inline constexpr int kMaxXrefSections = 1000;                 // /Prev chain length
inline constexpr int kMaxResolveNesting = 16;  // object → /Length → object stream → …
inline constexpr int kMaxTreeDepth = 64;       // page tree and field tree
inline constexpr std::size_t kMaxPages = 100'000;
inline constexpr std::size_t kMaxFields = 100'000;

struct Ref {
  std::uint32_t num = 0;
  std::uint32_t gen = 0;
  friend bool operator==(const Ref&, const Ref&) = default;
};

struct Name {
  std::string value;  // decoded (#xx resolved), without the slash
};

struct String {
  std::string bytes;  // decoded bytes
  bool hex = false;   // written as <…> in the source
};

struct Real {
  double value = 0;
  std::string text;  // the source token, written back unchanged
};

class Object;
struct DictEntry;
using Array = std::vector<Object>;
using Dict = std::vector<DictEntry>;

// A stream: its dictionary and the raw (still encoded) bytes, a view into the document buffer.
struct Stream {
  Dict dict;
  std::string_view raw;
};

class Object {
 public:
  enum class Type { kNull, kBool, kInt, kReal, kString, kName, kArray, kDict, kRef, kStream };
  using Value = std::variant<std::monostate, bool, std::int64_t, Real, String, Name, Array, Dict,
                             Ref, Stream>;

  // Defined after DictEntry: instantiating Value's members needs DictEntry complete.
  Object();
  explicit Object(Value value);

  Type type() const { return static_cast<Type>(value_.index()); }
  bool IsNull() const { return type() == Type::kNull; }
  bool IsInt() const { return type() == Type::kInt; }
  bool IsNumber() const { return type() == Type::kInt || type() == Type::kReal; }
  bool IsName(std::string_view name) const {
    const Name* n = std::get_if<Name>(&value_);
    return n != nullptr && n->value == name;
  }

  const bool* AsBool() const { return std::get_if<bool>(&value_); }
  const std::int64_t* AsInt() const { return std::get_if<std::int64_t>(&value_); }
  const String* AsString() const { return std::get_if<String>(&value_); }
  const Name* AsName() const { return std::get_if<Name>(&value_); }
  const Array* AsArray() const { return std::get_if<Array>(&value_); }
  Array* AsArray() { return std::get_if<Array>(&value_); }
  const Ref* AsRef() const { return std::get_if<Ref>(&value_); }
  const Stream* AsStream() const { return std::get_if<Stream>(&value_); }
  // The dictionary of a dictionary or of a stream.
  const Dict* AsDict() const;
  Dict* AsDict();
  // Integer or real as a double; nullopt-like false when not a number.
  bool ToNumber(double* out) const;

  const Value& value() const { return value_; }

  // Where the object's text starts and ends in the buffer it was parsed from (the file, or the
  // decoded data of an object stream).
  std::size_t begin = 0;
  std::size_t end = 0;

 private:
  Value value_;
};

struct DictEntry {
  std::string key;  // decoded name, without the slash
  Object value;
};

inline Object::Object() = default;
inline Object::Object(Value value) : value_(std::move(value)) {}

// The value of `key`, or nullptr. Keys are unique (the parser rejects duplicates).
const Object* Find(const Dict& dict, std::string_view key);
// Sets `key` to `value`, replacing an existing entry in place or appending.
void Set(Dict& dict, std::string_view key, Object value);
void Erase(Dict& dict, std::string_view key);

Object MakeInt(std::int64_t value);
Object MakeName(std::string value);
Object MakeRef(Ref ref);
Object MakeArray(Array items);
Object MakeDict(Dict entries);
Object MakeString(std::string bytes, bool hex);

// Appends the PDF text of `object` to `out` (streams cannot be written this way: an internal
// error). Reals are written as they were read.
Result<void> Serialize(const Object& object, std::string& out);
void SerializeName(std::string_view name, std::string& out);
void SerializeString(std::string_view bytes, bool hex, std::string& out);
// A number for a rectangle or matrix, with at most 4 decimals and no exponent.
std::string FormatNumber(double value);

// Structural equality: dictionaries compare as sets of entries, references by number and
// generation (not followed), streams by dictionary and raw bytes. Reals compare by value.
bool DeepEqual(const Object& a, const Object& b);

}  // namespace tinhso::pdf::internal
