#include <string>
#include <string_view>
#include <utility>

#include "storage/internal.hpp"

namespace tinhso::storage::internal {

namespace {

struct Messages {
  std::string_view reason;
  std::string_view vi;
  std::string_view en;
};

// Users see these; the driver's own text stays in Error::detail for the log.
constexpr Messages kMessages[] = {
    {"storage.unique", "Dữ liệu đã tồn tại.", "The record already exists."},
    {"storage.foreign_key",
     "Dữ liệu tham chiếu tới bản ghi không tồn tại hoặc đang được bản ghi khác tham chiếu.",
     "The record refers to a missing record, or another record still refers to it."},
    {"storage.constraint", "Dữ liệu không hợp lệ.", "The data is not valid."},
    {"storage.conflict", "Dữ liệu vừa bị thay đổi đồng thời. Vui lòng thử lại.",
     "The data was changed at the same time by someone else. Please try again."},
    {"storage.busy", "Cơ sở dữ liệu đang bận. Vui lòng thử lại sau.",
     "The database is busy. Please try again later."},
    {"storage.timeout", "Cơ sở dữ liệu phản hồi quá chậm. Vui lòng thử lại sau.",
     "The database took too long to answer. Please try again later."},
    {"storage.connection", "Không kết nối được tới cơ sở dữ liệu. Vui lòng thử lại sau.",
     "Cannot reach the database. Please try again later."},
};

}  // namespace

Error StorageError(ErrorCode code, std::string_view reason, std::string detail) {
  for (const Messages& m : kMessages) {
    if (m.reason == reason) {
      return MakeError(code, std::string(reason), std::string(m.vi), std::string(m.en),
                       std::move(detail));
    }
  }
  return MakeError(code, std::string(reason), "Lỗi cơ sở dữ liệu. Vui lòng thử lại sau.",
                   "Database error. Please try again later.", std::move(detail));
}

}  // namespace tinhso::storage::internal
