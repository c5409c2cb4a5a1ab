#include "support/temp_dir.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "support/internal.hpp"

namespace tinhso::test {

namespace internal {

std::filesystem::path TempBase() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? std::filesystem::path(dir) : "/tmp";
}

std::filesystem::path MakeOwnedDir(std::string_view prefix) {
  std::string pattern =
      (TempBase() / (std::string(prefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  return pattern;
}

void RemoveStaleDirs(std::string_view prefix,
                     const std::function<void(const std::filesystem::path&)>& before_remove) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(TempBase(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) {
      continue;
    }
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    // kill(pid, 0) fails with ESRCH only when no such process exists: a live run keeps its
    // directory, whoever owns it.
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) {
      continue;
    }
    if (before_remove) {
      before_remove(entry.path());
    }
    std::filesystem::remove_all(entry.path(), ec);
  }
}

}  // namespace internal

namespace {

constexpr std::string_view kPrefix = "tinhso-tmp-";

class TempRoot {
 public:
  TempRoot() : owner_(::getpid()) {
    internal::RemoveStaleDirs(kPrefix, {});
    path_ = internal::MakeOwnedDir(kPrefix);
  }
  ~TempRoot() {
    if (::getpid() == owner_) {  // not in a forked child (death tests)
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  std::filesystem::path Next() {
    auto dir = path_ / std::to_string(next_.fetch_add(1));
    std::filesystem::create_directory(dir);
    return dir;
  }

 private:
  pid_t owner_;
  std::filesystem::path path_;
  std::atomic<int> next_{0};
};

}  // namespace

std::filesystem::path TempDir() {
  static TempRoot root;
  return root.Next();
}

}  // namespace tinhso::test
