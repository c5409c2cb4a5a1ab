// A Sender straight over HTTP: the message's method, path, headers and body to the base URL of
// its destination, with the Idempotency-Key header.
#include <charconv>

#include "core/text.hpp"
#include "http/client.hpp"
#include "http/client_pool.hpp"
#include "outbox/outbox.hpp"

namespace tinhso::outbox {
namespace {

std::optional<http::Method> MethodOf(std::string_view name) {
  for (http::Method m : {http::Method::kGet, http::Method::kPost, http::Method::kPut,
                         http::Method::kPatch, http::Method::kDelete}) {
    if (http::MethodName(m) == name) return m;
  }
  return std::nullopt;
}

// The first bytes of an answer, kept with a failed attempt: enough to see why, never megabytes.
std::string Excerpt(std::string_view body) {
  constexpr std::size_t kMax = 300;
  if (body.size() > kMax) {
    body = body.substr(0, kMax);
    // The cut may split a UTF-8 character (at most 3 bytes of it).
    for (int i = 0; i < 3 && !core::IsValidUtf8(body); ++i) body.remove_suffix(1);
  }
  return core::IsValidUtf8(body) ? std::string(body) : std::string("(binary)");
}

// Retry-After in seconds (the HTTP-date form is not used by the systems we call).
std::optional<std::chrono::seconds> RetryAfter(std::string_view value) {
  long long s = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s);
  if (ec != std::errc() || end != value.data() + value.size() || s < 0) return std::nullopt;
  return std::chrono::seconds(s);
}

}  // namespace

HttpSender::HttpSender(Resolver base_url_of, std::chrono::milliseconds timeout)
    : base_url_of_(std::move(base_url_of)),
      timeout_(timeout),
      connections_(std::make_shared<http::ClientPool>()) {}

Result<Response> HttpSender::Send(const Message& message) {
  const std::optional<std::string> base = base_url_of_(message.destination);
  const std::optional<http::Method> method = MethodOf(message.method);
  if (!base || !method) {
    return MakeError(ErrorCode::kInvalidArgument, "outbox.unknown_destination",
                     "Chưa cấu hình địa chỉ cho nơi nhận này.",
                     "No address is configured for this destination.", message.destination);
  }
  http::ClientRequest request;
  request.method = *method;
  request.url = *base + message.path;
  request.headers = message.headers;
  request.headers.emplace_back("Idempotency-Key", message.idempotency_key);
  request.body = message.body;
  request.timeout = timeout_;
  TINHSO_ASSIGN_OR_RETURN(http::ClientResponse answer, connections_->Fetch(request));
  Response out;
  out.status = answer.status;
  if (answer.status < 200 || answer.status >= 300) out.detail = Excerpt(answer.body);
  out.retry_after = RetryAfter(answer.Header("retry-after"));
  return out;
}

}  // namespace tinhso::outbox
