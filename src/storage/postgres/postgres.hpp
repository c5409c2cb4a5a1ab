// The PostgreSQL backend. Only files in this folder include <libpq-fe.h>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::storage::postgres {

// Opens a pool for "postgresql://user:pass@host:port/db?params" (or "postgres://…"). Two
// parameters are ours and are removed before the URL reaches libpq: pool_size (connections,
// default 8) and statement_timeout (PostgreSQL syntax such as "30s", default 30s).
// Connects once before returning. Errors: kInvalidArgument (bad parameter),
// kUnavailable (cannot connect).
Result<std::unique_ptr<Database>> Open(std::string_view url);

// Translates a SQLSTATE (and the server's message) into our Error; `connection_lost` when the
// connection broke and there is no SQLSTATE. The one place that knows SQLSTATEs.
Error FromPostgres(std::string_view sqlstate, std::string_view message, bool connection_lost);

// ":name" → "$n" for the PostgreSQL wire protocol. The same name always gets the same number.
// Leaves alone "::type" casts and anything inside '…', E'…', "…", $tag$…$tag$ and comments.
struct RewrittenSql {
  std::string sql;
  std::vector<std::string> names;  // names[n - 1] is bound to $n
};
RewrittenSql RewriteNamedParams(std::string_view sql);

}  // namespace tinhso::storage::postgres
