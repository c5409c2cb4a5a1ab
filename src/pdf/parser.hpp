// Internal to src/pdf: the tokenizer and parser for PDF objects (ISO 32000-1 §7.2–7.3).
// Strict: anything the standard does not allow is an error, never a guess. Recursion is bounded
// by kMaxNesting and the number of values by a per-document budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/result.hpp"
#include "pdf/object.hpp"

namespace tinhso::pdf::internal {

// Gives the value of an indirect /Length while a stream is read.
using LengthResolver = std::function<Result<std::int64_t>(Ref)>;

bool IsPdfWhitespace(char c);
bool IsPdfDelimiter(char c);

// Not thread-safe; cheap to create (one per object read).
class Parser {
 public:
  // `items` counts every value parsed for one document; parsing fails beyond kMaxParsedItems.
  Parser(std::string_view data, std::size_t pos, std::size_t* items)
      : data_(data), pos_(pos), items_(items) {}

  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t pos) { pos_ = pos; }
  bool AtEnd() const { return pos_ >= data_.size(); }

  // Skips white space and comments.
  void SkipSpace();
  // The run of regular characters at the position (after SkipSpace), consumed; empty if none.
  std::string_view ReadKeyword();
  // True (and consumed) when the next token is exactly `keyword`.
  bool AcceptKeyword(std::string_view keyword);
  // An unsigned decimal integer token (no sign, no point).
  Result<std::uint64_t> ReadUnsigned();

  // One direct object; "N G R" is read as a reference.
  Result<Object> ParseObject();
  // "N G obj … endobj" at the position. A dictionary followed by `stream` becomes a Stream whose
  // raw bytes are a view into the data; /Length may be indirect (resolved by `length`).
  Result<Object> ParseIndirect(Ref* ref, const LengthResolver& length);

 private:
  Result<Object> ParseValue(int depth);
  Result<Object> ParseNumberOrRef(std::size_t begin);
  Result<std::string> ParseLiteralString();
  Result<std::string> ParseHexString();
  Result<std::string> ParseNameText();
  Result<void> CountItem();

  std::string_view data_;
  std::size_t pos_;
  std::size_t* items_;
};

}  // namespace tinhso::pdf::internal
