#include "core/error.hpp"

#include <utility>

namespace tinhso {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
  }
  return "internal";
}

Error MakeError(ErrorCode code, std::string reason, std::string message_vi, std::string message_en,
                std::string detail) {
  return Error{code, std::move(reason), std::move(message_vi), std::move(message_en),
               std::move(detail)};
}

Error InternalError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "internal", "Lỗi hệ thống. Vui lòng thử lại sau.",
                   "Internal error. Please try again later.", std::move(detail));
}

}  // namespace tinhso
