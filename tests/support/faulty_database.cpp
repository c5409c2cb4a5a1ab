#include "support/faulty_database.hpp"

#include <utility>

namespace tinhso::test {

namespace {

class FaultyTransaction final : public storage::Transaction {
 public:
  FaultyTransaction(FaultyDatabase& db, std::unique_ptr<storage::Transaction> real)
      : db_(db), real_(std::move(real)) {}

  Result<storage::Rows> Query(std::string_view sql, const storage::Params& params) override {
    if (db_.ShouldFail()) {
      return db_.error();
    }
    return real_->Query(sql, params);
  }
  Result<std::int64_t> Execute(std::string_view sql, const storage::Params& params) override {
    if (db_.ShouldFail()) {
      return db_.error();
    }
    return real_->Execute(sql, params);
  }
  Result<void> ExecuteScript(std::string_view sql) override {
    if (db_.ShouldFail()) {
      return db_.error();
    }
    return real_->ExecuteScript(sql);
  }
  Result<void> Commit() override {
    if (db_.ShouldFail()) {
      return db_.error();  // not committed: destroying the real transaction rolls it back
    }
    return real_->Commit();
  }

 private:
  FaultyDatabase& db_;
  std::unique_ptr<storage::Transaction> real_;
};

}  // namespace

Error FaultyDatabase::DefaultError() {
  return MakeError(ErrorCode::kUnavailable, "storage.busy", "Cơ sở dữ liệu đang bận (giả lập).",
                   "The database is busy (injected).", "FaultyDatabase");
}

void FaultyDatabase::FailCall(int n, Error error) {
  error_ = std::move(error);
  fail_at_.store(n <= 0 ? 0 : calls_.load() + n);
}

bool FaultyDatabase::ShouldFail() {
  const int call = calls_.fetch_add(1) + 1;
  return fail_at_.load() != 0 && call == fail_at_.load();
}

Result<std::unique_ptr<storage::Transaction>> FaultyDatabase::Begin(storage::TxKind kind) {
  if (ShouldFail()) {
    return error_;
  }
  auto real = real_.Begin(kind);
  if (!real.ok()) {
    return std::move(real).error();
  }
  return std::unique_ptr<storage::Transaction>(
      std::make_unique<FaultyTransaction>(*this, std::move(real).value()));
}

}  // namespace tinhso::test
