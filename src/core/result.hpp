// Result<T>: a value or an Error. [[nodiscard]] so that an ignored failure is a compile error
// under -Werror. Implicit from Error, so `return result.error();` reads naturally.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace tinhso {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

// Success for Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace tinhso

#define TINHSO_CONCAT_INNER_(a, b) a##b
#define TINHSO_CONCAT_(a, b) TINHSO_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Result); returns its error from the enclosing function on failure.
// The temporary's name is unique per use so that nested uses (a lambda inside the expression)
// do not shadow each other.
#define TINHSO_RETURN_IF_ERROR(expr) \
  TINHSO_RETURN_IF_ERROR_IMPL_(TINHSO_CONCAT_(tinhso_status_, __COUNTER__), expr)
#define TINHSO_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                          \
    auto tmp = (expr);                          \
    if (!tmp.ok()) {                            \
      return std::move(tmp).error();            \
    }                                           \
  } while (false)

// `TINHSO_ASSIGN_OR_RETURN(auto x, Compute());` declares x from the value or returns the error.
#define TINHSO_ASSIGN_OR_RETURN(lhs, expr) \
  TINHSO_ASSIGN_OR_RETURN_IMPL_(TINHSO_CONCAT_(tinhso_result_, __COUNTER__), lhs, expr)
#define TINHSO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) {                                    \
    return std::move(tmp).error();                    \
  }                                                   \
  lhs = std::move(tmp).value()
