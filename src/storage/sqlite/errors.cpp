#include <sqlite3.h>

#include <string>

#include "storage/internal.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace tinhso::storage::sqlite {

using internal::StorageError;

Error FromSqlite(int extended_code, std::string_view message) {
  std::string detail = "sqlite " + std::to_string(extended_code) + " (" +
                       sqlite3_errstr(extended_code) + "): " + std::string(message);
  switch (extended_code) {  // the extended code says which constraint failed
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return StorageError(ErrorCode::kAlreadyExists, "storage.unique", std::move(detail));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return StorageError(ErrorCode::kFailedPrecondition, "storage.foreign_key", std::move(detail));
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
      return StorageError(ErrorCode::kInvalidArgument, "storage.constraint", std::move(detail));
    case SQLITE_BUSY_SNAPSHOT:
      // A read snapshot went stale before it could write: the same race PostgreSQL reports
      // as a serialization failure.
      return StorageError(ErrorCode::kConflict, "storage.conflict", std::move(detail));
    default:
      break;
  }
  switch (extended_code & 0xff) {  // the primary code covers the rest (BUSY_RECOVERY is BUSY)
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StorageError(ErrorCode::kUnavailable, "storage.busy", std::move(detail));
    case SQLITE_CANTOPEN:
      return StorageError(ErrorCode::kUnavailable, "storage.connection", std::move(detail));
    default:
      return StorageError(ErrorCode::kInternal, "storage.error", std::move(detail));
  }
}

}  // namespace tinhso::storage::sqlite
