// The PostgreSQL backend's ":name" → "$n" rewrite: table-driven, no server needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "storage/postgres/postgres.hpp"

namespace tinhso::storage::postgres {
namespace {

TEST(RewriteNamedParams, NumbersNamesInOrderOfFirstUse) {
  struct Case {
    std::string_view sql;
    std::string_view rewritten;
    std::vector<std::string> names;
    std::string_view why;
  };
  const Case kCases[] = {
      {"SELECT 1", "SELECT 1", {}, "no parameters"},
      {"SELECT :a, :b, :a", "SELECT $1, $2, $1", {"a", "b"}, "a repeated name keeps its number"},
      {"WHERE x=:x_1 AND y=:Y", "WHERE x=$1 AND y=$2", {"x_1", "Y"}, "digits, underscores, case"},
      {"SELECT x::text, :v::bigint", "SELECT x::text, $1::bigint", {"v"}, "casts are not names"},
      {"SELECT ':no', 'it''s :no', :yes",
       "SELECT ':no', 'it''s :no', $1",
       {"yes"},
       "standard strings, doubled quote"},
      {R"(SELECT E'\':no', :yes)", R"(SELECT E'\':no', $1)", {"yes"}, "E'' strings take \\'"},
      {R"(SELECT "col:no", :yes)", R"(SELECT "col:no", $1)", {"yes"}, "quoted identifiers"},
      {"SELECT $$ :no $$, $t$ :no $ $t$, :yes",
       "SELECT $$ :no $$, $t$ :no $ $t$, $1",
       {"yes"},
       "dollar quoting"},
      {"SELECT 1 -- :no\n, :yes", "SELECT 1 -- :no\n, $1", {"yes"}, "line comments"},
      {"SELECT /* :no /* :no */ :no */ :yes",
       "SELECT /* :no /* :no */ :no */ $1",
       {"yes"},
       "nested block comments"},
      {"SELECT arr[1:2], :yes", "SELECT arr[1:2], $1", {"yes"}, "array slices"},
      {"SELECT :tên", "SELECT $1", {"tên"}, "UTF-8 names"},
      {"SELECT 'unterminated :no", "SELECT 'unterminated :no", {}, "broken SQL passes through"},
  };
  for (const Case& c : kCases) {
    const RewrittenSql r = RewriteNamedParams(c.sql);
    EXPECT_EQ(r.sql, c.rewritten) << c.why;
    EXPECT_EQ(r.names, c.names) << c.why;
  }
}

TEST(FromPostgres, MapsSqlstates) {
  struct Case {
    std::string_view sqlstate;
    bool connection_lost;
    ErrorCode code;
    std::string_view reason;
  };
  const Case kCases[] = {
      {"23505", false, ErrorCode::kAlreadyExists, "storage.unique"},
      {"23503", false, ErrorCode::kFailedPrecondition, "storage.foreign_key"},
      {"40001", false, ErrorCode::kConflict, "storage.conflict"},
      {"40P01", false, ErrorCode::kConflict, "storage.conflict"},
      {"08006", false, ErrorCode::kUnavailable, "storage.connection"},
      {"", true, ErrorCode::kUnavailable, "storage.connection"},
      {"42P01", false, ErrorCode::kInternal, "storage.error"},
  };
  for (const Case& c : kCases) {
    const Error e = FromPostgres(c.sqlstate, "message\n", c.connection_lost);
    EXPECT_EQ(e.code, c.code) << c.sqlstate;
    EXPECT_EQ(e.reason, c.reason) << c.sqlstate;
    EXPECT_THAT(e.detail, ::testing::HasSubstr("message")) << c.sqlstate;
    EXPECT_FALSE(e.message_vi.empty());
  }
}

}  // namespace
}  // namespace tinhso::storage::postgres
