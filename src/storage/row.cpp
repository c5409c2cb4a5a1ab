#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>

#include "storage/database.hpp"

namespace tinhso::storage {

namespace {

// Shortest text that reads back as the same double.
std::string FormatDouble(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) {
    return std::to_string(d);
  }
  return std::string(buf, end);
}

}  // namespace

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_[i];
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return *n;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return static_cast<std::int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    // A numeric column some driver returned as text (e.g. a SQLite expression).
    std::int64_t n = 0;
    std::from_chars(s->data(), s->data() + s->size(), n);
    return n;
  }
  return 0;
}

double Row::Real(std::size_t i) const {
  const Value& v = values_[i];
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return static_cast<double>(*n);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    std::from_chars(s->data(), s->data() + s->size(), d);
    return d;
  }
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_[i];
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return std::to_string(*n);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return FormatDouble(*d);
  }
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return b->data;
  }
  return {};
}

std::string Row::Blob(std::size_t i) const {
  const Value& v = values_[i];
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return b->data;
  }
  return Text(i);
}

std::optional<std::int64_t> Row::OptionalInt(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Int(i);
}

std::chrono::sys_seconds Row::Time(std::size_t i) const {
  return std::chrono::sys_seconds(std::chrono::seconds(Int(i)));
}

std::optional<std::chrono::sys_seconds> Row::OptionalTime(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Time(i);
}

std::optional<std::string> Row::OptionalText(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Text(i);
}

}  // namespace tinhso::storage
