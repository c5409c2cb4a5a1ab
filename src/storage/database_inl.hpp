// Template bodies for storage/database.hpp.
#pragma once

namespace tinhso::storage {

namespace internal {
// Only driver-level races are retried: an application conflict (a stale version) would fail
// the same way again.
inline bool IsRetryable(const Error& e) {
  return (e.code == ErrorCode::kConflict || e.code == ErrorCode::kUnavailable) &&
         e.reason.starts_with("storage.");
}

// Waits a random 1..2^attempt ms (at most 32 ms) before attempt `attempt + 1`. Retrying at
// once lets a deadlock victim take its first row again before the winner wakes, and the two
// deadlock again until the attempts run out; a little jitter lets the winner go first.
void PauseBeforeRetry(int attempt);
}  // namespace internal

template <typename F>
auto WithTransaction(Database& db, F&& work, TxKind kind)
    -> decltype(work(std::declval<Transaction&>())) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    if (attempt > 1) {
      internal::PauseBeforeRetry(attempt - 1);
    }
    auto tx = db.Begin(kind);
    if (!tx.ok()) {
      if (attempt < kAttempts && internal::IsRetryable(tx.error())) continue;
      return std::move(tx).error();
    }
    auto result = work(**tx);
    if (!result.ok()) {
      if (attempt < kAttempts && internal::IsRetryable(result.error())) continue;
      return result;
    }
    auto committed = (*tx)->Commit();
    if (!committed.ok()) {
      if (attempt < kAttempts && internal::IsRetryable(committed.error())) continue;
      return std::move(committed).error();
    }
    return result;
  }
}

}  // namespace tinhso::storage
