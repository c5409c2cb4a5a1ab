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
  while (!item.done) {
    // Wait while every leader is busy, or when another leader has taken this item already.
    if (leading_ >= max_leaders_ || queue_.empty()) {
      done_.wait(lock);
      continue;
    }
    ++leading_;
    std::vector<Item*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    for (Item* i : batch) i->done = true;
    --leading_;
    done_.notify_all();
  }
  return std::move(item.result);
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
