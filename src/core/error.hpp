// Errors as values at module edges: a stable code, a machine-readable reason, and a message in
// Vietnamese and English. The HTTP layer maps `ErrorCode` to a status in one table
// (src/http/error_status.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tinhso {

// Broad categories. Stable: they appear in logs and in the API. Append only, never renumber.
enum class ErrorCode : std::uint8_t {
  kInvalidArgument = 1,     // the request is wrong; sending it again unchanged fails again
  kUnauthenticated = 2,     // no valid session or token
  kPermissionDenied = 3,    // authenticated, but the policy says no
  kNotFound = 4,            //
  kAlreadyExists = 5,       // a unique key is taken
  kFailedPrecondition = 6,  // state forbids it; retry only after the state changes
  kConflict = 7,            // lost a race (version check); re-read and retry
  kResourceExhausted = 8,   // size or rate limit
  kUnavailable = 9,         // database busy, remote system down; retry later
  kInternal = 10,           // a bug; the details are only in the log
  kPayloadTooLarge = 11,    // body or upload over the limit
  kTimeout = 12,            // the client was too slow
  kMethodNotAllowed = 13,   // the path exists, not with this method
};

// The stable lower-case name of a code ("invalid_argument"), used in logs.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;      // stable and machine-readable, e.g. "agency.code_invalid"
  std::string message_vi;  // shown to people: Vietnamese first
  std::string message_en;  // the same, in English
  std::string detail;      // log only (SQLSTATE, remote reply); never sent to clients
};

// Builds an error. `reason` is the stable key clients may branch on.
Error MakeError(ErrorCode code, std::string reason, std::string message_vi, std::string message_en,
                std::string detail = {});

// A bug or an unexpected library failure: the client sees a generic message.
Error InternalError(std::string detail);

}  // namespace tinhso
