// The LGSP envelope: reading an answer into its payload or the error it stands for, and the
// direct transport over http::Fetch.
#include <boost/json.hpp>

#include "core/json.hpp"
#include "http/client.hpp"
#include "nationaldb/nationaldb.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

struct Meaning {
  ErrorCode code;
  std::string_view vi;
  std::string_view en;
};

// What each LGSP code means to the person whose work waits on it.
Meaning MeaningOf(std::string_view code) {
  if (code == "100") {
    return {ErrorCode::kFailedPrecondition,
            "Trục liên thông không xác thực được kết nối của tỉnh (sai khóa truy cập).",
            "The integration gateway did not authenticate the province's connection (wrong "
            "access key)."};
  }
  if (code == "101") {
    return {ErrorCode::kFailedPrecondition,
            "Trục liên thông không cho phép địa chỉ IP của máy chủ tỉnh.",
            "The integration gateway does not allow the province server's IP address."};
  }
  if (code == "106") {
    return {ErrorCode::kFailedPrecondition, "Mã cơ quan gửi yêu cầu không đúng.",
            "The requesting agency's code is not correct."};
  }
  if (code == "108") {
    return {ErrorCode::kFailedPrecondition, "Mã tỉnh gửi yêu cầu không đúng.",
            "The requesting province's code is not correct."};
  }
  if (code == "200") {
    return {ErrorCode::kInvalidArgument, "Hồ sơ gửi đi còn thiếu thông tin bắt buộc.",
            "The dossier sent lacks required information."};
  }
  if (code == "201") {
    return {ErrorCode::kNotFound, "Cơ sở dữ liệu quốc gia không có bản ghi này.",
            "The national database has no such record."};
  }
  if (code == "302") {
    return {ErrorCode::kInvalidArgument, "Dữ liệu gửi đi sai kiểu (ngày, số hoặc mã).",
            "The data sent has a field of the wrong type (a date, a number or a code)."};
  }
  if (code == "500") {
    return {ErrorCode::kInvalidArgument, "Dữ liệu gửi đi không đúng.",
            "The data sent is not correct."};
  }
  return {ErrorCode::kUnavailable, "Cơ sở dữ liệu quốc gia trả lỗi chưa rõ nghĩa.",
          "The national database answered with an error we do not know."};
}

Error BadAnswer(std::string_view service, const Reply& reply, std::string_view why) {
  return MakeError(ErrorCode::kUnavailable, "nationaldb.bad_answer",
                   "Cơ sở dữ liệu quốc gia trả lời không đúng định dạng; xin thử lại sau.",
                   "The national database's answer is not in the expected format; please try "
                   "again later.",
                   std::string(service) + ": " + std::string(why) + " (HTTP " +
                       std::to_string(reply.status) + ")");
}

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

const std::vector<LgspCode>& LgspErrorCodes() {
  static const std::vector<LgspCode> codes = {
      {"100", "AUTHEN_ERROR"},        {"101", "IP_DISALLOWED"},
      {"106", "AGENCY_ID_INCORRECT"}, {"108", "PROVINCE_ID_INCORRECT"},
      {"200", "RECORD_UNCOMPLETE"},   {"201", "RECORD_NOT_FOUND"},
      {"302", "DATA_TYPE_INVALID"},   {"500", "DATA_INCORRECT"},
  };
  return codes;
}

Result<std::string> ReadAnswer(std::string_view service, const Reply& reply) {
  bj::error_code ec;
  bj::value parsed = bj::parse(reply.body, ec);
  const bj::object* envelope = ec ? nullptr : parsed.if_object();
  const bj::value* code_value = envelope ? envelope->if_contains("error_code") : nullptr;
  if (code_value == nullptr) {
    if (reply.status >= 500) {
      return MakeError(ErrorCode::kUnavailable, "nationaldb.upstream_error",
                       "Cơ sở dữ liệu quốc gia đang gặp sự cố; xin thử lại sau.",
                       "The national database is having trouble; please try again later.",
                       std::string(service) + ": HTTP " + std::to_string(reply.status));
    }
    return BadAnswer(service, reply, "no error_code");
  }
  // The code comes as a string in the guide's samples; a number is read the same.
  std::string code;
  if (const auto* s = code_value->if_string()) {
    code = std::string(*s);
  } else if (const auto* n = code_value->if_int64()) {
    code = std::to_string(*n);
  } else {
    return BadAnswer(service, reply, "error_code neither a string nor a number");
  }
  std::string message;
  if (const bj::value* m = envelope->if_contains("message"); m && m->is_string()) {
    message = std::string(m->get_string());
  }
  if (code == "0") {
    const bj::value* data = envelope->if_contains("data");
    if (data == nullptr || data->is_null()) return std::string("{}");
    if (!data->is_object()) return BadAnswer(service, reply, "data is not an object");
    return bj::serialize(*data);
  }
  const Meaning meaning = MeaningOf(code);
  std::string reason = "nationaldb.lgsp_error";
  for (const LgspCode& known : LgspErrorCodes()) {
    if (known.code == code) reason = "nationaldb." + LowerCase(known.message);
  }
  return MakeError(meaning.code, std::move(reason), std::string(meaning.vi),
                   std::string(meaning.en),
                   std::string(service) + ": LGSP " + code + " " + message + " (HTTP " +
                       std::to_string(reply.status) + ")");
}

Result<Reply> DirectTransport::Send(const Call& call) {
  auto base = options_.base_urls.find(call.service);
  if (base == options_.base_urls.end() || base->second.empty()) {
    return MakeError(ErrorCode::kUnavailable, "nationaldb.unavailable",
                     "Chưa cấu hình kết nối tới cơ sở dữ liệu quốc gia này.",
                     "The connection to this national database is not configured.",
                     "no base URL for service " + call.service);
  }
  std::string_view url = base->second;
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  http::ClientRequest request;
  request.method = call.method;
  request.url = std::string(url) + call.path;
  request.timeout = options_.timeout;
  request.ca_file = options_.ca_file;
  request.headers.emplace_back("accept", "application/json");
  if (!call.body.empty()) {
    request.headers.emplace_back("content-type", "application/json; charset=utf-8");
  }
  if (!options_.token.empty()) {
    request.headers.emplace_back("authorization", "Bearer " + options_.token);
  }
  request.body = call.body;
  auto response = http::Fetch(request);
  if (!response.ok()) {
    const Error& e = response.error();
    const std::string detail = call.service + " " + request.url + ": " + e.reason;
    if (e.code == ErrorCode::kTimeout) {
      return MakeError(ErrorCode::kTimeout, "nationaldb.timeout",
                       "Cơ sở dữ liệu quốc gia không trả lời kịp; xin thử lại sau.",
                       "The national database did not answer in time; please try again later.",
                       detail);
    }
    return MakeError(ErrorCode::kUnavailable, "nationaldb.unavailable",
                     "Không kết nối được cơ sở dữ liệu quốc gia; xin thử lại sau.",
                     "The national database cannot be reached; please try again later.", detail);
  }
  return Reply{response->status, std::move(response->body)};
}

}  // namespace tinhso::nationaldb
