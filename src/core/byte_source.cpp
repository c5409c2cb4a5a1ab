#include "core/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/crypto.hpp"

namespace tinhso::core {
namespace {

// Closes the descriptor however the read ends.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

constexpr std::size_t kDefaultChunk = 256 * 1024;

}  // namespace

ByteSource::ByteSource(std::string bytes)
    : memory_(std::make_shared<const std::string>(std::move(bytes))), size_(memory_->size()) {}

ByteSource ByteSource::FromFile(std::string path, std::uint64_t offset, std::uint64_t size) {
  ByteSource s;
  s.path_ = std::move(path);
  s.offset_ = offset;
  s.size_ = size;
  return s;
}

ByteSource ByteSource::Slice(std::uint64_t offset, std::uint64_t size) const {
  ByteSource s = *this;
  offset = std::min(offset, size_);
  s.offset_ = offset_ + offset;
  s.size_ = std::min(size, size_ - offset);
  return s;
}

Result<std::string> ByteSource::Read(std::uint64_t offset, std::size_t n) const {
  if (offset >= size_) return std::string();
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
  if (memory_) return memory_->substr(static_cast<std::size_t>(offset_ + offset), want);
  Fd file{open(path_.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return InternalError("open " + path_ + ": " + std::strerror(errno));
  std::string out(want, '\0');
  std::size_t got = 0;
  while (got < want) {
    const ssize_t r =
        pread(file.fd, out.data() + got, want - got, static_cast<off_t>(offset_ + offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return InternalError("read " + path_ + ": " + std::strerror(errno));
    if (r == 0) return InternalError("read " + path_ + ": the file is shorter than expected");
    got += static_cast<std::size_t>(r);
  }
  return out;
}

Result<std::string> ByteSource::ReadAll() const {
  if (memory_ && offset_ == 0 && size_ == memory_->size()) return *memory_;
  return Read(0, static_cast<std::size_t>(size_));
}

Result<void> ByteSource::ForEachChunk(
    std::size_t chunk_size, const std::function<Result<void>(std::string_view)>& chunk) const {
  if (chunk_size == 0) chunk_size = kDefaultChunk;
  if (memory_) {
    const std::string_view all =
        std::string_view(*memory_).substr(static_cast<std::size_t>(offset_), size_);
    for (std::size_t at = 0; at < all.size(); at += chunk_size) {
      TINHSO_RETURN_IF_ERROR(chunk(all.substr(at, chunk_size)));
    }
    return Ok();
  }
  for (std::uint64_t at = 0; at < size_; at += chunk_size) {
    TINHSO_ASSIGN_OR_RETURN(std::string piece, Read(at, chunk_size));
    TINHSO_RETURN_IF_ERROR(chunk(piece));
  }
  return Ok();
}

Result<std::string> ByteSource::Sha256Hex() const {
  Sha256Hasher hasher;
  TINHSO_RETURN_IF_ERROR(ForEachChunk(kDefaultChunk, [&](std::string_view piece) -> Result<void> {
    hasher.Update(piece);
    return Ok();
  }));
  return hasher.HexDigest();
}

}  // namespace tinhso::core
