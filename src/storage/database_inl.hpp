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
}  // namespace internal

template <typename F>
auto WithTransaction(Database& db, F&& work, TxKind kind)
    -> decltype(work(std::declval<Transaction&>())) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
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
