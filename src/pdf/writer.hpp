// Internal to src/pdf: writes an incremental update (ISO 32000-1 §7.5.6) after a file's original
// bytes: new and replaced objects, then a cross-reference section of the same kind as the file's
// last one (a classic table or a cross-reference stream) whose /Prev is the old startxref.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "pdf/document.hpp"
#include "pdf/object.hpp"

namespace tinhso::pdf::internal {

// Not thread-safe; one per update.
class UpdateWriter {
 public:
  // Copies `document`'s bytes; new objects are numbered from its next free number.
  explicit UpdateWriter(const Document& document);

  Ref Allocate();
  // New objects get numbers above `num` (a dangling reference must not come to name them).
  void ReserveAbove(std::uint32_t num) { next_ = std::max(next_, num + 1); }
  // Starts "N G obj\n"; what follows is written to out() by the caller until EndObject().
  void BeginObject(Ref ref);
  void EndObject();
  Result<void> WriteObject(Ref ref, const Object& object);
  // A stream object: `dict_entries` is the dictionary's text without << >> and /Length.
  void WriteStream(Ref ref, std::string_view dict_entries, std::string_view data);
  std::string& out() { return out_; }

  // Writes the cross-reference section, trailer, startxref and %%EOF; returns the file.
  Result<std::string> Finish();

 private:
  Result<void> WriteTrailerEntries(std::string& out, std::uint32_t size) const;

  const Document& document_;
  std::string out_;
  std::uint32_t next_;
  std::vector<std::pair<Ref, std::size_t>> offsets_;
};

}  // namespace tinhso::pdf::internal
