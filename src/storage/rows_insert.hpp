// Multi-row INSERT statements with named parameters: one round trip for many rows, where a
// round trip to PostgreSQL costs more than the rows (a batch's audit entries, a dossier's files).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::storage {

/// The statements "INSERT INTO t (a, b) VALUES (:a_0, :b_0), (:a_1, :b_1) <tail>" for
/// 1..max_rows rows, and the parameter names, kept for the life of the object (Param names are
/// views). Build it once (a function-local static) and bind row r's column c under Name(r, c).
class RowsInsert {
 public:
  /// `tail` may add "RETURNING id".
  RowsInsert(std::string_view table, std::vector<std::string_view> columns, std::size_t max_rows,
             std::string_view tail = {});

  std::size_t max_rows() const { return statements_.size() - 1; }
  /// The statement for `rows` rows, 1 ≤ rows ≤ max_rows().
  const std::string& Sql(std::size_t rows) const { return statements_.at(rows); }
  std::string_view Name(std::size_t row, std::size_t column) const {
    return names_.at(row * columns_ + column);
  }

  /// The parameters of Sql(rows.size()): each row's values in the order of the columns.
  /// Errors: kInternal when a row has a different number of values, or there are too many rows.
  Result<Params> Bind(std::vector<std::vector<Value>> rows) const;

  /// Rows added one at a time, sent max_rows() to a statement (and by Flush).
  class Writer {
   public:
    Writer(const RowsInsert& insert, Transaction& tx) : insert_(insert), tx_(tx) {}
    /// `values` in the order of the columns; sends the statement when it is full.
    Result<void> Add(std::vector<Value> values);
    /// Sends the rows added since the last statement, if any.
    Result<void> Flush();
    std::size_t waiting() const { return rows_; }

   private:
    const RowsInsert& insert_;
    Transaction& tx_;
    Params params_;
    std::size_t rows_ = 0;
  };

 private:
  std::size_t columns_;
  std::vector<std::string> names_;       // row-major
  std::vector<std::string> statements_;  // by row count; [0] unused
};

}  // namespace tinhso::storage
