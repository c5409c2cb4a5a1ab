#include <string>

#include "storage/internal.hpp"
#include "storage/postgres/postgres.hpp"

namespace tinhso::storage::postgres {

using internal::StorageError;

Error FromPostgres(std::string_view sqlstate, std::string_view message, bool connection_lost) {
  // libpq's messages end with a newline; logs read better without it.
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.remove_suffix(1);
  }
  std::string detail = "postgresql SQLSTATE " +
                       (sqlstate.empty() ? std::string("none") : std::string(sqlstate)) + ": " +
                       std::string(message);
  if (connection_lost || sqlstate.starts_with("08")) {
    return StorageError(ErrorCode::kUnavailable, "storage.connection", std::move(detail));
  }
  struct Mapping {
    std::string_view sqlstate;
    ErrorCode code;
    std::string_view reason;
  };
  static constexpr Mapping kMappings[] = {
      {"23505", ErrorCode::kAlreadyExists, "storage.unique"},  // unique_violation
      {"23503", ErrorCode::kFailedPrecondition, "storage.foreign_key"},
      {"23502", ErrorCode::kInvalidArgument, "storage.constraint"},  // not_null_violation
      {"23514", ErrorCode::kInvalidArgument, "storage.constraint"},  // check_violation
      {"40001", ErrorCode::kConflict, "storage.conflict"},           // serialization_failure
      {"40P01", ErrorCode::kConflict, "storage.conflict"},           // deadlock_detected
      {"55P03", ErrorCode::kUnavailable, "storage.busy"},            // lock_not_available
      {"57014", ErrorCode::kUnavailable, "storage.timeout"},         // statement_timeout
      {"53300", ErrorCode::kUnavailable, "storage.connection"},      // too_many_connections
      {"57P01", ErrorCode::kUnavailable, "storage.connection"},      // admin_shutdown
      {"57P02", ErrorCode::kUnavailable, "storage.connection"},      // crash_shutdown
      {"57P03", ErrorCode::kUnavailable, "storage.connection"},      // cannot_connect_now
  };
  for (const Mapping& m : kMappings) {
    if (m.sqlstate == sqlstate) {
      return StorageError(m.code, m.reason, std::move(detail));
    }
  }
  return StorageError(ErrorCode::kInternal, "storage.error", std::move(detail));
}

}  // namespace tinhso::storage::postgres
