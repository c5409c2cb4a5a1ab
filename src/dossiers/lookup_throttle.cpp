#include "dossiers/lookup_throttle.hpp"

#include <algorithm>

namespace tinhso::dossiers {
namespace {

constexpr std::size_t kMaxKeys = 200'000;

std::string AddressKey(std::string_view address) { return "a:" + std::string(address); }
std::string CodeKey(std::string_view code) {
  std::string key = "c:" + std::string(code);
  for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace

int LookupThrottle::Current(const std::string& key, core::Seconds now) {
  auto it = counts_.find(key);
  if (it == counts_.end()) return 0;
  if (now - it->second.since >= limits_.window) {
    counts_.erase(it);
    return 0;
  }
  return it->second.failures;
}

void LookupThrottle::Sweep(core::Seconds now) {
  std::erase_if(counts_, [&](const auto& kv) { return now - kv.second.since >= limits_.window; });
}

Result<void> LookupThrottle::Check(std::string_view address, std::string_view code) {
  std::lock_guard lock(mu_);
  const core::Seconds now = clock_.Now();
  const bool by_address =
      !address.empty() && Current(AddressKey(address), now) >= limits_.failures_per_address;
  if (by_address || Current(CodeKey(code), now) >= limits_.failures_per_code) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(limits_.window).count();
    return MakeError(
        ErrorCode::kResourceExhausted, "dossier.lookup_throttled",
        "Đã nhập sai mã tra cứu quá nhiều lần. Vui lòng thử lại sau " + std::to_string(minutes) +
            " phút, hoặc tra cứu bằng tài khoản của mình, hay hỏi bộ phận một cửa.",
        "Too many wrong lookup codes. Please try again in " + std::to_string(minutes) +
            " minutes, or look the dossier up from your account, or ask the reception desk.");
  }
  return Ok();
}

void LookupThrottle::Failed(std::string_view address, std::string_view code) {
  std::lock_guard lock(mu_);
  const core::Seconds now = clock_.Now();
  if (counts_.size() >= kMaxKeys) Sweep(now);
  if (counts_.size() >= kMaxKeys) return;  // a flood of distinct keys: stop counting new ones
  for (const std::string& key : {AddressKey(address), CodeKey(code)}) {
    if (key == "a:") continue;
    Count& c = counts_[key];
    if (c.failures == 0 || now - c.since >= limits_.window) c = {0, now};
    ++c.failures;
  }
}

}  // namespace tinhso::dossiers
