// Failed public lookups, counted per address and per dossier code: guessing a receipt's lookup
// code is slowed to a few tries per window, from any number of addresses (per code) and for any
// number of codes (per address). Only failures count: a citizen checking their own dossier often
// is never slowed.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace tinhso::dossiers {

class LookupThrottle {
 public:
  struct Limits {
    int failures_per_address = 20;
    int failures_per_code = 10;
    std::chrono::seconds window{std::chrono::minutes(15)};
  };
  LookupThrottle(const core::Clock& clock, Limits limits) : clock_(clock), limits_(limits) {}

  // Before a lookup. Errors: kResourceExhausted "dossier.lookup_throttled" once the address or
  // the code has failed its limit within the window. Thread-safe.
  Result<void> Check(std::string_view address, std::string_view code);
  // After a failed lookup. Thread-safe.
  void Failed(std::string_view address, std::string_view code);

 private:
  struct Count {
    int failures = 0;
    core::Seconds since{};
  };
  int Current(const std::string& key, core::Seconds now);  // mu_ held
  void Sweep(core::Seconds now);                           // mu_ held

  const core::Clock& clock_;
  const Limits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Count> counts_;  // "a:<address>" and "c:<code>"; mu_
};

}  // namespace tinhso::dossiers
