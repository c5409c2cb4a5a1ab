// The dvcqg module's API types (http/api.hpp). Included by routes.cpp only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http/api.hpp"

namespace tinhso::dvcqg {

struct StatusView {
  int local = 0;
  std::string local_name_vi;
  std::string local_name_en;
  int national = 0;
  http::Nullable<http::Timestamp> updated_at;  // null: the default, never changed
  std::int64_t updated_by = 0;                 // 0: the default
};
TINHSO_API_STRUCT(StatusView,
                  (local, local_name_vi, local_name_en, national, updated_at, updated_by))
struct StatusList {
  std::vector<StatusView> items;  // every local status, mapped or not (then national = -1)
};
TINHSO_API_STRUCT(StatusList, (items))

struct StatusBody {
  http::Bounded<int, 0, 99> national;
};
TINHSO_API_STRUCT(StatusBody, (national))

}  // namespace tinhso::dvcqg
