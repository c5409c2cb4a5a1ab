#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/http.hpp"

namespace tinhso::http {
namespace {

TEST(StatusFor, TheOneTable) {
  struct Case {
    ErrorCode code;
    int status;
  };
  // Written from the brief and conventions §9.5, not from the code under test.
  const Case kCases[] = {
      {ErrorCode::kInvalidArgument, 400},   {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kPermissionDenied, 403},  {ErrorCode::kNotFound, 404},
      {ErrorCode::kMethodNotAllowed, 405},  {ErrorCode::kTimeout, 408},
      {ErrorCode::kAlreadyExists, 409},     {ErrorCode::kConflict, 409},
      {ErrorCode::kPayloadTooLarge, 413},   {ErrorCode::kFailedPrecondition, 422},
      {ErrorCode::kResourceExhausted, 429}, {ErrorCode::kInternal, 500},
      {ErrorCode::kUnavailable, 503},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(StatusFor(c.code), c.status) << ErrorCodeName(c.code);
  }
}

TEST(ErrorResponse, ExactShapeAndNoDetail) {
  const Error error =
      MakeError(ErrorCode::kAlreadyExists, "agency.code_taken", "Mã cơ quan đã tồn tại.",
                "The agency code is taken.", "SQLSTATE 23505 on agencies_code_key");
  const Response r = ErrorResponse(error, "req-1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"error":{"code":"agency.code_taken","message":"Mã cơ quan đã tồn tại.",)"
                    R"("message_en":"The agency code is taken.","request_id":"req-1"}})");
  EXPECT_EQ(r.body.find("SQLSTATE"), std::string::npos) << "Error::detail must never be sent";
}

TEST(ErrorResponse, EscapesTextAndFallsBackToCodeName) {
  const Error error = MakeError(ErrorCode::kInvalidArgument, "", "Trường \"tên\" sai\n",
                                "Field \"name\" is wrong", "secret");
  const Response r = ErrorResponse(error, "x");
  const boost::json::value v = boost::json::parse(r.body);
  const auto& e = v.at("error").as_object();
  EXPECT_EQ(e.size(), 4u);
  EXPECT_EQ(e.at("code").as_string(), "invalid_argument");
  EXPECT_EQ(e.at("message").as_string(), "Trường \"tên\" sai\n");
  EXPECT_EQ(e.at("message_en").as_string(), "Field \"name\" is wrong");
  EXPECT_EQ(e.at("request_id").as_string(), "x");
}

TEST(ErrorResponse, InternalErrorsSayNothingSpecific) {
  const Response r = ErrorResponse(InternalError("null pointer in dossier/store.cpp:88"), "id");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("store.cpp"), std::string::npos);
}

TEST(JsonResponse, KeepsTheBody) {
  const Response r = JsonResponse(201, R"({"id":1})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"id":1})");
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
}

}  // namespace
}  // namespace tinhso::http
