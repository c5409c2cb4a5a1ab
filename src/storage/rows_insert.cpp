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

}  // namespace tinhso::storage
