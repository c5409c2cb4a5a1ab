// A Database that fails on demand, to prove that callers roll back cleanly and report the
// error instead of half-writing (the "fail call 1, 2, 3… until it succeeds" loop):
//
//   for (int n = 1;; ++n) {
//     test::FaultyDatabase faulty(db());
//     faulty.FailCall(n);
//     auto r = service.Submit(faulty, …);
//     if (r.ok()) break;
//     EXPECT_EQ(CountDossiers(db()), 0) << "call " << n << " failed but something was written";
//   }
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace tinhso::test {

// Thread-safe, as Database is. Forwards to `real`, which must outlive it.
class FaultyDatabase final : public storage::Database {
 public:
  explicit FaultyDatabase(storage::Database& real) : real_(real) {}

  // Makes the nth call from now on (1-based; Begin, Query, Execute, ExecuteScript and Commit
  // all count) fail with `error` instead of reaching the database. 0 turns failing off.
  void FailCall(int n, Error error = DefaultError());
  // Calls counted so far.
  int calls() const { return calls_.load(); }

  // The failure injected by default: a busy database, which WithTransaction retries.
  static Error DefaultError();

  Result<std::unique_ptr<storage::Transaction>> Begin(storage::TxKind kind) override;
  storage::Backend backend() const override { return real_.backend(); }
  std::string DisplayUrl() const override { return real_.DisplayUrl(); }

  // Counts one call; true if it is the one to fail. Used by the transaction wrapper.
  bool ShouldFail();
  const Error& error() const { return error_; }

 private:
  storage::Database& real_;
  std::atomic<int> calls_{0};
  std::atomic<int> fail_at_{0};
  Error error_ = DefaultError();
};

}  // namespace tinhso::test
