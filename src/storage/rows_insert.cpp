#include "storage/rows_insert.hpp"

namespace tinhso::storage {

RowsInsert::RowsInsert(std::string_view table, std::vector<std::string_view> columns,
                       std::size_t max_rows, std::string_view tail)
    : columns_(columns.size()) {
  std::string head = "INSERT INTO " + std::string(table) + " (";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) head += ", ";
    head += columns[c];
  }
  head += ") VALUES";
  names_.reserve(max_rows * columns.size());
  for (std::size_t r = 0; r < max_rows; ++r) {
    for (std::string_view c : columns) names_.push_back(std::string(c) + "_" + std::to_string(r));
  }
  statements_.resize(max_rows + 1);
  std::string values;
  for (std::size_t r = 0; r < max_rows; ++r) {
    values += r == 0 ? " (" : ", (";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) values += ", ";
      values += ':';
      values += Name(r, c);
    }
    values += ')';
    statements_[r + 1] = head + values + (tail.empty() ? "" : " ") + std::string(tail);
  }
}

Result<Params> RowsInsert::Bind(std::vector<std::vector<Value>> rows) const {
  if (rows.empty() || rows.size() > max_rows()) {
    return InternalError("RowsInsert: " + std::to_string(rows.size()) + " rows");
  }
  Params params;
  params.reserve(rows.size() * columns_);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != columns_) {
      return InternalError("RowsInsert: " + std::to_string(rows[r].size()) + " values for " +
                           std::to_string(columns_) + " columns");
    }
    for (std::size_t c = 0; c < columns_; ++c)
      params.push_back({Name(r, c), std::move(rows[r][c])});
  }
  return params;
}

Result<void> RowsInsert::Writer::Add(std::vector<Value> values) {
  if (values.size() != insert_.columns_) {
    return InternalError("RowsInsert: " + std::to_string(values.size()) + " values for " +
                         std::to_string(insert_.columns_) + " columns");
  }
  for (std::size_t c = 0; c < values.size(); ++c) {
    params_.push_back({insert_.Name(rows_, c), std::move(values[c])});
  }
  if (++rows_ == insert_.max_rows()) return Flush();
  return Ok();
}

Result<void> RowsInsert::Writer::Flush() {
  if (rows_ == 0) return Ok();
  auto done = tx_.Execute(insert_.Sql(rows_), params_);
  params_.clear();
  rows_ = 0;
  if (!done.ok()) return std::move(done).error();
  return Ok();
}

}  // namespace tinhso::storage
