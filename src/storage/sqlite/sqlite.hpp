// The SQLite backend. Only files in this folder include <sqlite3.h>.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::storage::sqlite {

// How hard a commit waits for the disk. kFull is the product's setting; kOff is for
// throw-away databases (tests, demos), where an fsync per commit is pure cost.
enum class Durability { kFull, kNormal, kOff };

// Opens (creating if needed) the database file at `path`, or a private in-memory database
// when `path` is ":memory:". Errors: kUnavailable (cannot open or set WAL mode).
Result<std::unique_ptr<Database>> Open(const std::string& path,
                                       Durability durability = Durability::kFull);

// Translates an extended SQLite result code (and sqlite3_errmsg) into our Error. The one place
// that knows SQLite's codes.
Error FromSqlite(int extended_code, std::string_view message);

}  // namespace tinhso::storage::sqlite
