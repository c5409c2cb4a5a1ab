// The API contract in tests: every real response checked against the OpenAPI document the
// router generates. The validator covers exactly the JSON Schema subset http/api.hpp and the
// route tables emit ($ref, allOf, type, nullable, properties, required, items, enum, maxLength,
// minLength, minimum, maximum, pattern, format date/int32/int64): Debian packages no C++ JSON
// Schema validator, and this keeps the check inside the test binary, on every call.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/actor.hpp"
#include "http/http.hpp"

namespace tinhso::http::test {

// "" when `instance` matches `schema`, else the first problem, naming where ("$.days[3].kind").
// `$ref`s point into `document`'s components/schemas.
std::string ValidateSchema(const boost::json::value& document, const boost::json::value& schema,
                           const boost::json::value& instance, const std::string& where = "$");

class Contract {
 public:
  // `router` must outlive the contract.
  explicit Contract(const Router& router);

  // "" when the response is one the document allows: for a declared route (Route::answers) a
  // declared status with a body of its schema, or an error in the Error shape; for the others,
  // a body of the schema the document gives for its status, if any.
  std::string Check(std::string_view method, std::string_view target, int status,
                    std::string_view content_type, std::string_view body) const;

  // The same for a handler called without a socket: its request, and its result as the server
  // would send it (an error through http::ErrorResponse).
  std::string Check(const Request& request, const Result<Response>& result) const;

  // Calls a route of the router without a socket, as `actor` (the server's Guard is not
  // involved: the handler's own checks are), and checks its answer, error or not, with Check and
  // that the handler read no query parameter its route does not declare; either problem is a
  // test failure.
  Result<Response> Call(Method method, const std::string& path, std::string body = {},
                        std::multimap<std::string, std::string> query = {},
                        const core::Actor& actor = {}) const;

  const boost::json::value& document() const { return document_; }

 private:
  const Router& router_;
  boost::json::value document_;
};

// Runs the handler of the route of `router` that `request` matches (its path parameters filled
// in), as `actor`, without a socket and without the server's Guard. No route is a test failure.
Result<Response> Invoke(const Router& router, const Request& request,
                        const core::Actor& actor = {});

// Client::Call checks every response against this contract (none: no check) and reports a
// mismatch as a test failure.
void UseContract(std::shared_ptr<const Contract> contract);
std::shared_ptr<const Contract> CurrentContract();

}  // namespace tinhso::http::test
