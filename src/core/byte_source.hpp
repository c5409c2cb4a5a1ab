// Bytes that live in memory or in a range of a file on disk. An upload is spooled to a file by
// the HTTP server; its files are ranges of that file, read a chunk at a time, so that memory per
// upload stays bounded whatever the size of the file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tinhso::core {

// Cheap to copy: copies share the bytes (or the file's name). Thread-compatible.
class ByteSource {
 public:
  ByteSource() = default;
  // In memory (implicit, so that `FileInput{"TP1", "a.pdf", bytes}` reads naturally).
  ByteSource(std::string bytes);  // NOLINT(google-explicit-constructor)
  ByteSource(const char* bytes) : ByteSource(std::string(bytes)) {}  // NOLINT
  // `size` bytes of the file at `path` from `offset`. The file must outlive every read.
  static ByteSource FromFile(std::string path, std::uint64_t offset, std::uint64_t size);

  std::uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool in_memory() const { return path_.empty(); }

  // These bytes from `offset`, `size` long (clamped to the end).
  ByteSource Slice(std::uint64_t offset, std::uint64_t size) const;

  // Up to `n` bytes from `offset`. Errors: kInternal when the file cannot be read.
  Result<std::string> Read(std::uint64_t offset, std::size_t n) const;
  // The first `n` bytes (or fewer): enough to recognise a file's type.
  Result<std::string> Head(std::size_t n) const { return Read(0, n); }
  // Every byte in memory: only for consumers that need the whole file at once (a PDF to sign),
  // whose size the caller has already bounded.
  Result<std::string> ReadAll() const;
  // Calls `chunk` with consecutive pieces of at most `chunk_size` bytes, stopping at its error.
  Result<void> ForEachChunk(std::size_t chunk_size,
                            const std::function<Result<void>(std::string_view)>& chunk) const;
  // Lower-case hex SHA-256 of the bytes, read a chunk at a time.
  Result<std::string> Sha256Hex() const;

 private:
  std::shared_ptr<const std::string> memory_;  // when in memory
  std::string path_;                           // when in a file
  std::uint64_t offset_ = 0;
  std::uint64_t size_ = 0;
};

}  // namespace tinhso::core
