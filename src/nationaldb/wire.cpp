#include "nationaldb/wire.hpp"

#include "core/parse.hpp"

namespace tinhso::nationaldb {

std::optional<std::string> ToWireDate(std::string_view date) {
  if (!core::ParseDate(date)) return std::nullopt;
  std::string out;
  for (char c : date) {
    if (c != '-') out += c;
  }
  return out;
}

std::optional<std::string> FromWireDate(std::string_view wire) {
  if (wire.size() != 8) return std::nullopt;
  std::string date = std::string(wire.substr(0, 4)) + "-" + std::string(wire.substr(4, 2)) + "-" +
                     std::string(wire.substr(6, 2));
  if (!core::ParseDate(date)) return std::nullopt;
  return date;
}

}  // namespace tinhso::nationaldb
