#include "storage/group_commit.hpp"

#include <vector>

namespace tinhso::storage {

namespace {

std::size_t DefaultLeaders(const Database& db) { return db.backend() == Backend::kSqlite ? 1 : 4; }

}  // namespace

GroupCommitter::GroupCommitter(Database& db, Finish finish, std::size_t max_batch,
                               std::size_t max_leaders)
    : db_(db),
      finish_(std::move(finish)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      max_leaders_(max_leaders == 0 ? DefaultLeaders(db) : max_leaders) {}

Result<void> GroupCommitter::Run(const Work& work, std::any* left) {
  Item item;
  item.work = &work;
  item.left = left;
  std::unique_lock lock(mu_);
  queue_.push_back(&item);
  if (leading_ < max_leaders_) {
    ++leading_;
    item.batch = TakeBatch();
  }
  while (true) {
    if (!item.batch.empty()) {
      // This caller leads: usually a batch holding its own item (first when it arrived to an
      // idle committer, or handed over by the previous leader).
      const std::vector<Item*> batch = std::move(item.batch);
      item.batch.clear();
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      std::vector<std::shared_ptr<Signal>> wakes;
      for (Item* i : batch) {
        i->done = true;
        if (i != &item) wakes.push_back(i->wake);
      }
      // The next batch goes to its first item's caller, woken alone to lead it; with nothing
      // waiting this leader's place is free.
      if (!queue_.empty()) {
        Item* next = queue_.front();
        next->batch = TakeBatch();
        if (next != &item) wakes.push_back(next->wake);
      } else {
        --leading_;
      }
      lock.unlock();
      for (const auto& w : wakes) w->Raise();
      lock.lock();
      continue;
    }
    if (item.done) return std::move(item.result);
    lock.unlock();
    item.wake->Wait();
    lock.lock();
  }
}

void GroupCommitter::Signal::Raise() {
  std::lock_guard lock(mu);
  raised = true;
  cv.notify_one();
}

void GroupCommitter::Signal::Wait() {
  std::unique_lock lock(mu);
  cv.wait(lock, [this] { return raised; });
  raised = false;
}

std::vector<GroupCommitter::Item*> GroupCommitter::TakeBatch() {
  std::vector<Item*> batch;
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  return batch;
}

std::size_t GroupCommitter::waiting() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Result<void> GroupCommitter::RunItems(Transaction& tx, std::span<Item* const> items) const {
  for (Item* i : items) TINHSO_RETURN_IF_ERROR((*i->work)(tx));
  if (!finish_) return Ok();
  std::vector<std::any*> left;
  left.reserve(items.size());
  for (Item* i : items) left.push_back(i->left);
  return finish_(tx, left);
}

void GroupCommitter::RunBatch(const std::vector<Item*>& batch) {
  if (batch.size() > 1) {
    auto shared = WithTransaction(db_, [&](Transaction& tx) { return RunItems(tx, batch); });
    if (shared.ok()) {
      for (Item* i : batch) i->result = Ok();
      return;
    }
  }
  // Alone: the single item of a batch, or every item of a shared transaction that failed.
  for (Item* i : batch) {
    i->result = WithTransaction(db_, [&](Transaction& tx) { return RunItems(tx, {&i, 1}); });
  }
}

}  // namespace tinhso::storage
