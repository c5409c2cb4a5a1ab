// Group commit: concurrent writers share one transaction, and so one durable commit (one fsync
// on SQLite, one WAL flush on PostgreSQL), instead of each paying for its own. A caller blocks
// until the transaction holding its work has committed, so "answered" still means "on disk".
#pragma once

#include <any>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "storage/database.hpp"

namespace tinhso::storage {

class GroupCommitter {
 public:
  using Work = std::function<Result<void>(Transaction&)>;
  /// Runs once per transaction, after the work of all its items and just before its commit,
  /// with what each item left for it (Run's `left`, in the items' order; null where none): for
  /// a lock every writer needs and that costs as much for one item as for many (the audit log's
  /// head), taken last and once, so that it is held for the commit and not for the batch.
  using Finish = std::function<Result<void>(Transaction&, std::span<std::any* const> left)>;

  /// `max_leaders`: how many batches may run at once; 0 picks by backend. SQLite has one writer,
  /// so one. PostgreSQL runs a batch's statements one round trip at a time on one connection;
  /// a single leader would cap every writer at that connection's pace while the server idles,
  /// so several batches run on several connections.
  explicit GroupCommitter(Database& db, Finish finish = {}, std::size_t max_batch = 128,
                          std::size_t max_leaders = 0);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  /// Runs `work` in a read-write transaction that may also hold the work of other callers
  /// waiting at the same time, and returns once it has committed. The first caller to find no
  /// batch running leads: it takes every waiting item (up to max_batch), runs them in order in
  /// one transaction and commits; callers arriving meanwhile form the next batch, which a
  /// finishing leader hands to its first caller (so that at most max_leaders batches run).
  ///
  /// If the shared transaction fails (any item's error, or the commit), it is rolled back and
  /// each of its items runs again alone (WithTransaction), so one bad item never fails its
  /// neighbours and each gets its own result. Work may therefore run more than once: it must
  /// reset whatever it captures at its start, and have no effect outside the transaction.
  ///
  /// `work` may leave something in `left` for the committer's Finish; it must then reset it at
  /// its start too, and Finish may take it (each run of `work` leaves it anew).
  Result<void> Run(const Work& work, std::any* left = nullptr);

  /// Callers queued for the next batch (for metrics and tests).
  std::size_t waiting() const;

 private:
  // Wakes one sleeping caller. (Not std::binary_semaphore: libstdc++'s spins with sched_yield
  // before it sleeps, which on two cores takes the CPU from the thread it waits for.)
  struct Signal {
    std::mutex mu;
    std::condition_variable cv;
    bool raised = false;  // guarded by mu
    void Raise();
    void Wait();
  };
  // One caller's work, on its stack. Each caller sleeps on its own signal and is woken only
  // when its item is done or it is to lead the next batch: one condition variable for all
  // would wake every waiting caller after each batch (dozens of futex wake-ups and context
  // switches per commit, which cost more than the commit on a busy gateway). The signal is
  // shared so that a leader may still raise it after the caller has returned.
  struct Item {
    const Work* work = nullptr;
    std::any* left = nullptr;
    Result<void> result;
    bool done = false;         // guarded by mu_
    std::vector<Item*> batch;  // guarded by mu_: non-empty when this caller is to lead it
    std::shared_ptr<Signal> wake = std::make_shared<Signal>();
  };
  // Up to max_batch_ items from the front of the queue. Requires mu_.
  std::vector<Item*> TakeBatch();
  void RunBatch(const std::vector<Item*>& batch);

  Result<void> RunItems(Transaction& tx, std::span<Item* const> items) const;

  Database& db_;
  const Finish finish_;
  const std::size_t max_batch_;
  const std::size_t max_leaders_;
  mutable std::mutex mu_;
  std::deque<Item*> queue_;  // guarded by mu_
  std::size_t leading_ = 0;  // guarded by mu_: batches running or handed to their leader
};

}  // namespace tinhso::storage
