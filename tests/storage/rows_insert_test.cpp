// RowsInsert on both backends: the statements it makes, a Writer that sends a statement whenever
// it is full and the rest on Flush, every value stored in its own row and column, and ids
// given in the VALUES order (which InsertFiles relies on to match files with their ids).
#include "storage/rows_insert.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

class RowsInsertTest : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return test::StorageTestMigrations(); }
};

TEST(RowsInsert, MakesOneStatementPerRowCountWithNamesPerRow) {
  RowsInsert insert("kinds", {"i", "t"}, 3, "RETURNING id");
  EXPECT_EQ(insert.max_rows(), 3u);
  EXPECT_EQ(insert.Sql(1), "INSERT INTO kinds (i, t) VALUES (:i_0, :t_0) RETURNING id");
  EXPECT_EQ(insert.Sql(2),
            "INSERT INTO kinds (i, t) VALUES (:i_0, :t_0), (:i_1, :t_1) RETURNING id");
  EXPECT_EQ(insert.Name(2, 1), "t_2");
  EXPECT_FALSE(insert.Bind({{std::int64_t{1}}}).ok()) << "one value for two columns";
  EXPECT_FALSE(insert.Bind({}).ok());
  std::vector<std::vector<Value>> four(4, {std::int64_t{1}, std::string("x")});
  EXPECT_FALSE(insert.Bind(four).ok()) << "more rows than a statement holds";
}

TEST_P(RowsInsertTest, AWriterStoresEveryRowAcrossStatements) {
  static const RowsInsert kInsert("kinds", {"i", "t", "b"}, 3);
  auto done = WithTransaction(db(), [&](Transaction& tx) -> Result<void> {
    RowsInsert::Writer writer(kInsert, tx);
    for (std::int64_t n = 0; n < 7; ++n) {  // 3 + 3 sent by Add, 1 by Flush
      TINHSO_RETURN_IF_ERROR(writer.Add(
          {n, "dòng " + std::to_string(n), Bytes{std::string(static_cast<std::size_t>(n), '\0')}}));
    }
    EXPECT_EQ(writer.waiting(), 1u);
    return writer.Flush();
  });
  ASSERT_TRUE(done.ok()) << done.error().detail;
  auto tx = db().Begin(TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT i, t, b FROM kinds ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 7u);
  for (std::size_t n = 0; n < 7; ++n) {
    EXPECT_EQ((*rows)[n].Int(0), static_cast<std::int64_t>(n));
    EXPECT_EQ((*rows)[n].Text(1), "dòng " + std::to_string(n));
    EXPECT_EQ((*rows)[n].Blob(2).size(), n);
  }
}

TEST_P(RowsInsertTest, IdsFollowTheOrderOfTheValues) {
  static const RowsInsert kInsert("kinds", {"i"}, 16, "RETURNING id, i");
  std::vector<std::vector<Value>> values;
  for (std::int64_t n = 0; n < 16; ++n) values.push_back({n * 10});
  auto params = kInsert.Bind(values);
  ASSERT_TRUE(params.ok());
  auto tx = db().Begin();
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query(kInsert.Sql(16), *params);
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_TRUE((*tx)->Commit().ok());
  std::vector<std::pair<std::int64_t, std::int64_t>> by_id;
  for (const Row& r : *rows) by_id.emplace_back(r.Int(0), r.Int(1));
  std::sort(by_id.begin(), by_id.end());
  for (std::size_t n = 0; n < by_id.size(); ++n) {
    EXPECT_EQ(by_id[n].second, static_cast<std::int64_t>(n) * 10) << "the " << n << "th id";
  }
}

TINHSO_INSTANTIATE_BACKENDS(RowsInsertTest);

}  // namespace
}  // namespace tinhso::storage
