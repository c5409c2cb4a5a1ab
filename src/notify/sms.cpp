// The SMS gateway adapter (http::Fetch) and its simulator (an http::Server on loopback).
#include "notify/sms.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "http/client.hpp"
#include "http/http.hpp"
#include "http/loopback.hpp"

namespace tinhso::notify {
namespace {

namespace bj = boost::json;

std::string JsonString(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "notify.sms_unavailable",
                   "Cổng gửi tin nhắn tạm thời không nhận tin; sẽ thử lại.",
                   "The SMS gateway is not taking messages for now; will retry.",
                   std::move(detail));
}

// A Vietnamese mobile number: 0 and nine digits, or +84 and nine digits.
bool ValidPhone(std::string_view p) {
  if (p.starts_with("+84")) {
    p.remove_prefix(3);
  } else if (p.starts_with("0")) {
    p.remove_prefix(1);
  } else {
    return false;
  }
  if (p.size() != 9) return false;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<std::string> SmsGatewaySender::Send(const Message& message) {
  const SmsSize size = MeasureSms(message.body);
  http::ClientRequest request;
  request.method = http::Method::kPost;
  request.url = config_.url;
  request.timeout = config_.timeout;
  request.headers = {{"content-type", "application/json; charset=utf-8"},
                     {"authorization", "Bearer " + config_.api_key}};
  request.body = bj::serialize(bj::object{{"brandname", config_.brandname},
                                          {"phone", message.address},
                                          {"message", message.body},
                                          {"unicode", size.encoding == SmsEncoding::kUcs2},
                                          {"client_ref", StableId(message.id)}});
  auto response = http::Fetch(request);
  if (!response.ok()) return Unavailable(response.error().reason + " " + response.error().detail);
  boost::system::error_code ec;
  const bj::value answer = bj::parse(response->body, ec);
  const bj::object empty;
  const bj::object& o = !ec && answer.is_object() ? answer.as_object() : empty;
  if (response->status == 200) {
    std::string id = JsonString(o, "message_id");
    if (id.empty()) return Unavailable("200 without message_id: " + response->body);
    return id;
  }
  if (response->status == 400) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.bounced",
                     "Cổng tin nhắn từ chối số điện thoại hoặc nội dung tin.",
                     "The SMS gateway refused the phone number or the text.",
                     JsonString(o, "error"));
  }
  return Unavailable(std::to_string(response->status) + " " + response->body);
}

Result<SmsReceipt> ParseSmsReceipt(std::string_view json) {
  const auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument, "notify.bad_receipt",
                     "Báo cáo gửi tin nhắn không hợp lệ.", "The SMS delivery receipt is not valid.",
                     std::string(json.substr(0, 200)));
  };
  boost::system::error_code ec;
  const bj::value v = bj::parse(json, ec);
  if (ec || !v.is_object()) return bad();
  const bj::object& o = v.as_object();
  SmsReceipt r;
  r.message_id = JsonString(o, "message_id");
  r.client_ref = JsonString(o, "client_ref");
  r.detail = JsonString(o, "detail");
  const std::string status = JsonString(o, "status");
  if (status == "delivered") {
    r.status = Status::kDelivered;
  } else if (status == "failed") {
    r.status = Status::kFailed;
  } else {
    return bad();
  }
  if (r.message_id.empty() && r.client_ref.empty()) return bad();
  return r;
}

// ---- The simulator -----------------------------------------------------------------------------

namespace {

http::Response Answer(int status, bj::object body) {
  return http::JsonResponse(status, bj::serialize(body));
}

}  // namespace

struct SmsSimulator::Impl {
  Options options;
  http::Router router;
  std::unique_ptr<http::LoopbackServer> server;
  std::string base_url;

  mutable std::mutex mu;
  std::vector<Received> received;
  std::map<std::string, std::size_t, std::less<>> by_client_ref;
  bool available = true;
  int next_id = 0;

  Result<http::Response> HandleSend(const http::Request& req) {
    std::lock_guard lock(mu);
    if (!available) return Answer(503, {{"error", "unavailable"}});
    if (req.Header("authorization") != "Bearer " + options.api_key) {
      return Answer(401, {{"error", "unauthorized"}});
    }
    boost::system::error_code ec;
    const bj::value v = bj::parse(req.body, ec);
    if (ec || !v.is_object()) return Answer(400, {{"error", "bad_json"}});
    const bj::object& o = v.as_object();
    Received r;
    r.phone = JsonString(o, "phone");
    r.message = JsonString(o, "message");
    r.client_ref = JsonString(o, "client_ref");
    const bj::value* unicode = o.if_contains("unicode");
    r.unicode = unicode && unicode->is_bool() && unicode->as_bool();
    if (!ValidPhone(r.phone)) return Answer(400, {{"error", "invalid_phone"}});
    if (r.message.empty()) return Answer(400, {{"error", "empty_message"}});
    // A client reference seen before: the same answer, nothing sent again.
    if (!r.client_ref.empty()) {
      auto seen = by_client_ref.find(r.client_ref);
      if (seen != by_client_ref.end()) {
        Received& first = received[seen->second];
        ++first.times;
        return Answer(200, {{"message_id", first.message_id}, {"segments", first.segments}});
      }
    }
    const SmsSize size = MeasureSms(r.message);
    r.segments = size.segments;
    char id[32];
    std::snprintf(id, sizeof id, "SMS%08d", ++next_id);
    r.message_id = id;
    r.at = std::chrono::system_clock::now();
    if (!r.client_ref.empty()) by_client_ref[r.client_ref] = received.size();
    received.push_back(r);
    return Answer(200, {{"message_id", r.message_id}, {"segments", r.segments}});
  }

  const Received* Find(std::string_view message_id) const {
    for (const Received& r : received) {
      if (r.message_id == message_id) return &r;
    }
    return nullptr;
  }
};

SmsSimulator::SmsSimulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SmsSimulator::~SmsSimulator() { impl_->server.reset(); }

Result<std::unique_ptr<SmsSimulator>> SmsSimulator::Start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl* self = impl.get();
  self->router.Add(
      {.method = http::Method::kPost,
       .path = "/sms/send",
       .action = "public.sms_simulator",
       .handler = [self](const http::Request& r, http::Context&) { return self->HandleSend(r); }});
  TINHSO_ASSIGN_OR_RETURN(self->server, http::LoopbackServer::Start(self->router, "sms-simulator",
                                                                    self->options.access_log_path,
                                                                    self->options.upload_dir));
  self->base_url = self->server->base_url();
  return std::unique_ptr<SmsSimulator>(new SmsSimulator(std::move(impl)));
}

SmsGatewayConfig SmsSimulator::Config() const {
  SmsGatewayConfig c;
  c.url = impl_->base_url + "/sms/send";
  c.api_key = impl_->options.api_key;
  return c;
}

std::string SmsSimulator::base_url() const { return impl_->base_url; }

void SmsSimulator::SetAvailable(bool available) {
  std::lock_guard lock(impl_->mu);
  impl_->available = available;
}

void SmsSimulator::SetCallbackUrl(std::string url) {
  std::lock_guard lock(impl_->mu);
  impl_->options.callback_url = std::move(url);
}

std::vector<SmsSimulator::Received> SmsSimulator::Messages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

Result<std::string> SmsSimulator::Receipt(std::string_view message_id, Status status) const {
  std::lock_guard lock(impl_->mu);
  const Received* r = impl_->Find(message_id);
  if (r == nullptr) {
    return MakeError(ErrorCode::kNotFound, "simulator.unknown_message",
                     "Cổng tin nhắn giả lập không có tin này.",
                     "The simulated SMS gateway has no such message.");
  }
  return bj::serialize(
      bj::object{{"message_id", r->message_id},
                 {"client_ref", r->client_ref},
                 {"status", status == Status::kDelivered ? "delivered" : "failed"},
                 {"detail", status == Status::kDelivered ? "" : "subscriber unreachable"}});
}

Result<int> SmsSimulator::Report(std::string_view message_id, Status status) {
  TINHSO_ASSIGN_OR_RETURN(std::string body, Receipt(message_id, status));
  http::ClientRequest request;
  request.method = http::Method::kPost;
  {
    std::lock_guard lock(impl_->mu);
    request.url = impl_->options.callback_url;
  }
  if (request.url.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "simulator.no_callback",
                     "Chưa đặt địa chỉ nhận báo cáo gửi tin.", "No receipt callback is set.");
  }
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->options.receipt_secret.empty()) {
      request.headers.push_back(
          {"x-tinhso-signature", ReceiptSignature(impl_->options.receipt_secret, body)});
    }
  }
  request.body = std::move(body);
  TINHSO_ASSIGN_OR_RETURN(http::ClientResponse answer, http::Fetch(request));
  if (answer.status / 100 == 2) {
    std::lock_guard lock(impl_->mu);
    for (Received& r : impl_->received) {
      if (r.message_id == message_id) r.reported = true;
    }
  }
  return answer.status;
}

Result<int> SmsSimulator::ReportPending() {
  std::vector<std::string> pending;
  {
    std::lock_guard lock(impl_->mu);
    for (const Received& r : impl_->received) {
      if (!r.reported) pending.push_back(r.message_id);
    }
  }
  int accepted = 0;
  for (const std::string& id : pending) {
    TINHSO_ASSIGN_OR_RETURN(int status, Report(id, Status::kDelivered));
    if (status / 100 == 2) ++accepted;
  }
  return accepted;
}

}  // namespace tinhso::notify
