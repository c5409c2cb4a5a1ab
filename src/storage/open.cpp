// storage::Open: the only function that knows both backends exist.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "storage/database.hpp"
#include "storage/internal.hpp"
#include "storage/postgres/postgres.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace tinhso::storage {

namespace {

std::atomic<QueryObserver> g_query_observer{nullptr};

}  // namespace

void Database::ReadAsync(std::string_view sql, Params params, RowsCallback done) {
  auto rows = [&]() -> Result<Rows> {
    TINHSO_ASSIGN_OR_RETURN(auto tx, Begin(TxKind::kSingleRead));
    return tx->Query(sql, params);
  }();
  done(std::move(rows));
}

Result<std::unique_ptr<Database>> Open(std::string_view url) {
  if (url == "sqlite::memory:") {
    return sqlite::Open(":memory:");
  }
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) {  // "sqlite:///var/lib/x.db", the form some tools write
      path.remove_prefix(2);
    }
    auto durability = sqlite::Durability::kFull;
    if (const std::size_t q = path.rfind("?synchronous="); q != std::string_view::npos) {
      const std::string_view mode = path.substr(q + 13);
      if (mode == "full") {
        durability = sqlite::Durability::kFull;
      } else if (mode == "normal") {
        durability = sqlite::Durability::kNormal;
      } else if (mode == "off") {
        durability = sqlite::Durability::kOff;
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "storage.bad_url",
                         "Tham số synchronous phải là full, normal hoặc off.",
                         "synchronous must be full, normal or off.",
                         "synchronous=" + std::string(mode));
      }
      path = path.substr(0, q);
    }
    if (!path.empty()) {
      return sqlite::Open(std::string(path), durability);
    }
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return postgres::Open(url);
  }
  // The URL may hold a password: keep it out of the message and the log.
  return MakeError(ErrorCode::kInvalidArgument, "storage.bad_url",
                   "Địa chỉ cơ sở dữ liệu không hợp lệ: cần dạng sqlite:ĐƯỜNG_DẪN, sqlite::memory: "
                   "hoặc postgresql://người_dùng@máy:cổng/tên_csdl.",
                   "Invalid database URL: expected sqlite:PATH, sqlite::memory: or "
                   "postgresql://user@host:port/dbname.",
                   "scheme of '" + std::string(url.substr(0, url.find(':'))) + "' not supported");
}

void SetQueryObserver(QueryObserver observer) { g_query_observer.store(observer); }

namespace internal {

QueryObserver CurrentQueryObserver() { return g_query_observer.load(std::memory_order_relaxed); }

QueryTimer::QueryTimer(std::string_view backend)
    : backend_(backend), observer_(g_query_observer.load(std::memory_order_relaxed)) {
  if (observer_ != nullptr) {
    start_ = std::chrono::steady_clock::now();
  }
}

QueryTimer::~QueryTimer() {
  if (observer_ != nullptr) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    observer_(backend_, elapsed.count());
  }
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') {
      out += '"';  // doubled, as the SQL standard escapes it
    }
    out += c;
  }
  out += '"';
  return out;
}

void PauseBeforeRetry(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int limit = 1 << std::clamp(attempt, 1, 5);
  std::uniform_int_distribution<int> ms(1, limit);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(random)));
}

std::string_view BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

}  // namespace internal

}  // namespace tinhso::storage
