// One call through the gateway: who is calling, may they, is there room, then the upstream, and
// the log's record before the answer.
#include <boost/json.hpp>
#include <thread>

#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "gateway/internal.hpp"
#include "gateway/sql.hpp"
#include "pki/pki.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;

std::string_view ContentTypeOf(const http::Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (name == "content-type") return value;
  }
  return {};
}

// Hop-by-hop headers (RFC 9110 §7.6.1), what the transport sets itself, and the caller's own
// credentials, which are for the gateway and must never reach the upstream.
bool Forwardable(std::string_view lower_name) {
  static constexpr std::string_view kDropped[] = {"connection",
                                                  "keep-alive",
                                                  "proxy-connection",
                                                  "proxy-authenticate",
                                                  "proxy-authorization",
                                                  "te",
                                                  "trailer",
                                                  "transfer-encoding",
                                                  "upgrade",
                                                  "host",
                                                  "content-length",
                                                  "authorization",
                                                  "cookie",
                                                  "x-tinhso-client",
                                                  "x-forwarded-for",
                                                  "x-request-id"};
  for (std::string_view d : kDropped) {
    if (lower_name == d) return false;
  }
  return true;
}

bool Idempotent(http::Method m) {
  return m == http::Method::kGet || m == http::Method::kHead || m == http::Method::kPut ||
         m == http::Method::kDelete || m == http::Method::kOptions;
}

Refusal Refuse(int status, LgspCode code, std::string reason, std::string vi, std::string en) {
  return {status, code,
          MakeError(status == 401   ? ErrorCode::kUnauthenticated
                    : status == 403 ? ErrorCode::kPermissionDenied
                    : status == 404 ? ErrorCode::kNotFound
                    : status == 413 ? ErrorCode::kPayloadTooLarge
                    : status == 429 ? ErrorCode::kResourceExhausted
                    : status == 504 ? ErrorCode::kTimeout
                                    : ErrorCode::kUnavailable,
                    std::move(reason), std::move(vi), std::move(en))};
}

// LGSP's shape ({"error_code", "message"}) with ours beside it, so that LGSP clients and ours
// both read it.
Reply RefusalReply(const Refusal& r, std::string_view request_id) {
  Reply reply;
  reply.status = r.status;
  reply.content_type = "application/json; charset=utf-8";
  reply.body =
      json::serialize(json::object{{"error_code", std::to_string(static_cast<int>(r.code))},
                                   {"message", LgspCodeName(r.code)},
                                   {"error", json::object{{"code", r.error.reason},
                                                          {"message_vi", r.error.message_vi},
                                                          {"message_en", r.error.message_en},
                                                          {"request_id", request_id}}}});
  reply.refusal = r.error;
  reply.lgsp_code = r.code;
  return reply;
}

std::int64_t NowMs(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view LgspCodeName(LgspCode code) {
  switch (code) {
    case LgspCode::kAuthenError:
      return "AUTHEN_ERROR";
    case LgspCode::kIpDisallowed:
      return "IP_DISALLOWED";
    case LgspCode::kAgencyIdIncorrect:
      return "AGENCY_ID_INCORRECT";
    case LgspCode::kProvinceIdIncorrect:
      return "PROVINCE_ID_INCORRECT";
    case LgspCode::kRecordUncomplete:
      return "RECORD_UNCOMPLETE";
    case LgspCode::kRecordNotFound:
      return "RECORD_NOT_FOUND";
    case LgspCode::kDataTypeInvalid:
      return "DATA_TYPE_INVALID";
    case LgspCode::kDataIncorrect:
      return "DATA_INCORRECT";
    case LgspCode::kTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case LgspCode::kQuotaExceeded:
      return "QUOTA_EXCEEDED";
    case LgspCode::kUpstreamUnavailable:
      return "UPSTREAM_UNAVAILABLE";
    case LgspCode::kLogUnavailable:
      return "LOG_UNAVAILABLE";
    case LgspCode::kUpstreamTimeout:
      return "UPSTREAM_TIMEOUT";
  }
  return "DATA_INCORRECT";
}

Gateway::Gateway(storage::Database& database, const core::Clock& clock_source,
                 const auth::Policy& permission_policy, pki::Service& pki_service,
                 signing::Service& signing_service, Options gateway_options)
    : db(database),
      clock(clock_source),
      policy(permission_policy),
      pki(pki_service),
      signing(signing_service),
      options(std::move(gateway_options)),
      signer_(pki_service, options.signer),
      committer_(
          db,
          [this](storage::Transaction& tx, std::span<std::any* const> left) {
            return WriteRecords(tx, left);
          },
          kCommitBatchMax) {
  // Where time-stamping stands when this process starts (another may have left records).
  (void)LoadOldestUnstamped();
}

// ---- Quotas, rates and the circuit breaker ----

Result<Gateway::Usage> Gateway::LoadUsage(const Subsystem& client, const ServiceInfo& service,
                                          std::int64_t now_ms) {
  // A pair seen first in this process (or on a new day) starts from what the log already
  // counts, so a restart forgets no call of the day.
  constexpr std::int64_t kVietnamMs = 7 * 3600 * 1000;
  Usage u;
  u.minute = now_ms / 60'000;
  u.day = (now_ms + kVietnamMs) / 86'400'000;
  const std::int64_t day_start = u.day * 86'400'000 - kVietnamMs;
  auto count = [&](std::int64_t since) -> Result<int> {
    TINHSO_ASSIGN_OR_RETURN(auto rows, storage::WithTransaction(
                                           db,
                                           [&](storage::Transaction& tx) {
                                             return tx.Query(sql::kCallsSince,
                                                             {{"client", client.code},
                                                              {"service", service.code},
                                                              {"since_ms", since}});
                                           },
                                           storage::TxKind::kSingleRead));
    return static_cast<int>(rows.rows.at(0).Int(0));
  };
  TINHSO_ASSIGN_OR_RETURN(u.in_day, count(day_start));
  TINHSO_ASSIGN_OR_RETURN(u.in_minute, count(u.minute * 60'000));
  return u;
}

std::optional<Refusal> Gateway::Admit(const Subsystem& client, const ServiceInfo& service,
                                      const Right& right, std::int64_t now_ms) {
  const std::int64_t second = now_ms / 1000;
  {
    std::lock_guard lock(usage_mutex_);
    Rate& rate = rates_[client.id];
    if (rate.second != second) rate = {.second = second, .in_second = 0};
    if (rate.in_second >= client.rate_per_second) {
      return Refuse(
          429, LgspCode::kQuotaExceeded, "gateway.rate_exceeded",
          "Hệ thống " + client.code + " gọi quá " + std::to_string(client.rate_per_second) +
              " lần mỗi giây. Xin thử lại sau giây lát.",
          "The system " + client.code + " called more than " +
              std::to_string(client.rate_per_second) + " times in a second. Retry in a moment.");
    }
  }
  if (right.per_minute == 0 && right.per_day == 0) {
    std::lock_guard lock(usage_mutex_);
    ++rates_[client.id].in_second;
    return std::nullopt;
  }
  const auto key = std::pair{client.id, service.id};
  const std::int64_t minute = now_ms / 60'000;
  constexpr std::int64_t kVietnamMs = 7 * 3600 * 1000;
  const std::int64_t day = (now_ms + kVietnamMs) / 86'400'000;
  bool known = false;
  {
    std::lock_guard lock(usage_mutex_);
    auto it = usage_.find(key);
    known = it != usage_.end() && it->second.day == day;
  }
  if (!known) {
    auto loaded = LoadUsage(client, service, now_ms);
    if (!loaded.ok()) {
      return Refuse(503, LgspCode::kLogUnavailable, "gateway.quota_unreadable",
                    "Không đọc được hạn mức của lời gọi. Xin thử lại sau.",
                    "The call's quota cannot be read. Please retry later.");
    }
    std::lock_guard lock(usage_mutex_);
    auto [it, inserted] = usage_.emplace(key, *loaded);
    if (!inserted && it->second.day != day) it->second = *loaded;
  }
  std::lock_guard lock(usage_mutex_);
  Usage& u = usage_[key];
  if (u.minute != minute) u.minute = minute, u.in_minute = 0;
  if (right.per_minute > 0 && u.in_minute >= right.per_minute) {
    return Refuse(429, LgspCode::kQuotaExceeded, "gateway.quota_exceeded",
                  "Đã hết hạn mức " + std::to_string(right.per_minute) + " lời gọi mỗi phút của " +
                      client.code + " tới dịch vụ " + service.code + ".",
                  client.code + " has used its quota of " + std::to_string(right.per_minute) +
                      " calls a minute to " + service.code + ".");
  }
  if (right.per_day > 0 && u.in_day >= right.per_day) {
    return Refuse(429, LgspCode::kQuotaExceeded, "gateway.quota_exceeded",
                  "Đã hết hạn mức " + std::to_string(right.per_day) + " lời gọi mỗi ngày của " +
                      client.code + " tới dịch vụ " + service.code + ".",
                  client.code + " has used its quota of " + std::to_string(right.per_day) +
                      " calls a day to " + service.code + ".");
  }
  ++u.in_minute;
  ++u.in_day;
  ++rates_[client.id].in_second;
  return std::nullopt;
}

bool Gateway::BreakerAllows(const std::string& service, std::int64_t now_ms) {
  std::lock_guard lock(usage_mutex_);
  Breaker& b = breakers_[service];
  if (b.open_until_ms == 0) return true;
  if (now_ms < b.open_until_ms || b.trial) return false;
  b.trial = true;  // half-open: this call finds out whether the upstream is back
  return true;
}

void Gateway::BreakerRecord(const std::string& service, bool failed, std::int64_t now_ms) {
  std::lock_guard lock(usage_mutex_);
  Breaker& b = breakers_[service];
  if (!failed) {
    b = {};
    return;
  }
  ++b.failures;
  if (b.trial || b.failures >= options.breaker_failures) {
    b.open_until_ms = now_ms + options.breaker_open_for.count();
    b.trial = false;
  }
}

// ---- Operational monitoring ----

// Per client × service (codes from the registry: a bounded set; what a caller typed is never a
// label): calls by status class, latency, bytes.
void Gateway::RecordMetrics(const LogRecord& record, const Reply& reply) {
  auto& metrics = core::Metrics::Global();
  std::string service = record.service;
  {
    auto registry = Registry();
    if (!registry.ok() || !(*registry)->services.contains(service)) service = "(unknown)";
  }
  const std::string client = record.client.empty() ? "(unauthenticated)" : record.client;
  const std::string status = std::to_string(record.status / 100) + "xx";
  const std::string refused =
      reply.lgsp_code ? std::string(LgspCodeName(*reply.lgsp_code)) : std::string();
  metrics
      .GetCounter(
          "tinhso_gateway_calls_total",
          "Calls through the gateway by client, service, status class and refusal",
          {{"client", client}, {"service", service}, {"status", status}, {"refused", refused}})
      .Add();
  metrics
      .GetHistogram("tinhso_gateway_call_duration_seconds",
                    "Time from the call's arrival to its answer, logging excluded",
                    {{"client", client}, {"service", service}})
      .Observe(static_cast<double>(record.duration_us) / 1e6);
  metrics
      .GetCounter("tinhso_gateway_request_bytes_total", "Request bodies' bytes",
                  {{"client", client}, {"service", service}})
      .Add(static_cast<double>(record.request_bytes));
  metrics
      .GetCounter("tinhso_gateway_response_bytes_total", "Response bodies' bytes",
                  {{"client", client}, {"service", service}})
      .Add(static_cast<double>(record.response_bytes));
}

// ---- Forward ----

Reply Gateway::Forward(const Call& call) {
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t now_ms = NowMs(clock);
  LogRecord record;
  record.at_ms = now_ms;
  record.request_id = call.request_id;
  record.client_ip = call.caller.ip;
  record.service = call.service;
  record.method = std::string(http::MethodName(call.method));
  record.path = call.path + (call.query.empty() ? "" : "?" + call.query);
  record.request_bytes = static_cast<std::int64_t>(call.body.size());
  record.request_sha256 = core::Sha256Hex(call.body);

  Reply reply = [&]() -> Reply {
    auto refuse = [&](int status, LgspCode code, std::string reason, std::string vi,
                      std::string en) {
      return RefusalReply(Refuse(status, code, std::move(reason), std::move(vi), std::move(en)),
                          call.request_id);
    };
    auto registry = Registry();
    if (!registry.ok()) {
      return refuse(503, LgspCode::kLogUnavailable, "gateway.registry_unavailable",
                    "Không đọc được danh bạ của nền tảng tích hợp. Xin thử lại sau.",
                    "The gateway's registry cannot be read. Please retry later.");
    }
    const Snapshot& reg = **registry;

    // Who is calling.
    const Subsystem* client = nullptr;
    auto find = [&](const std::string& code) -> const Subsystem* {
      auto it = reg.subsystems.find(code);
      return it == reg.subsystems.end() ? nullptr : &it->second;
    };
    if (!call.caller.internal_subsystem.empty()) {
      client = find(call.caller.internal_subsystem);
    } else if (!call.caller.certificate_der.empty()) {
      auto it = reg.by_certificate.find(core::Sha256Hex(call.caller.certificate_der));
      if (it != reg.by_certificate.end()) client = find(it->second);
      // Revocation is read per call, never cached: a revoked system stops at once. A renewed
      // (superseded) certificate keeps working until it expires, as the TLS layer lets it.
      if (client != nullptr) {
        auto known = pki.FindByDer(call.caller.certificate_der);
        if (!known.ok() || !*known || (*known)->status == pki::Status::kRevoked) {
          record.client = client->code;
          return refuse(401, LgspCode::kAuthenError, "gateway.certificate_revoked",
                        "Chứng thư số của hệ thống " + client->code +
                            " đã bị thu hồi hoặc không do PKI của tỉnh cấp.",
                        "The certificate of the system " + client->code +
                            " is revoked or was not issued by the province's PKI.");
        }
      }
    } else if (!call.caller.bearer_token.empty()) {
      auto it = reg.by_token.find(core::Sha256Hex(call.caller.bearer_token));
      if (it != reg.by_token.end()) client = find(it->second);
    }
    if (client == nullptr || !client->enabled) {
      return refuse(401, LgspCode::kAuthenError, "gateway.unauthenticated",
                    "Hệ thống gọi chưa được xác thực: cần chứng thư số của hệ thống (TLS hai "
                    "chiều) hoặc mã truy cập do nền tảng tích hợp cấp.",
                    "The calling system is not authenticated: it needs its system certificate "
                    "(mutual TLS) or an access token issued by the gateway.");
    }
    record.client = client->code;
    if (!client->allowed_ips.empty() && call.caller.internal_subsystem.empty() &&
        std::find(client->allowed_ips.begin(), client->allowed_ips.end(), call.caller.ip) ==
            client->allowed_ips.end()) {
      return refuse(
          403, LgspCode::kIpDisallowed, "gateway.ip_disallowed",
          "Địa chỉ " + call.caller.ip + " không được phép gọi thay cho hệ thống " + client->code +
              ".",
          "The address " + call.caller.ip + " may not call for the system " + client->code + ".");
    }
    auto service_it = reg.services.find(call.service);
    if (service_it == reg.services.end() || !service_it->second.enabled) {
      return refuse(404, LgspCode::kRecordNotFound, "gateway.no_service",
                    "Nền tảng tích hợp không có dịch vụ " + call.service + ".",
                    "The gateway has no service " + call.service + ".");
    }
    const ServiceInfo& service = service_it->second;
    auto right = reg.rights.find({client->id, service.id});
    if (right == reg.rights.end()) {
      return refuse(
          403, LgspCode::kAuthenError, "gateway.access_denied",
          "Hệ thống " + client->code + " chưa được cấp quyền gọi dịch vụ " + service.code + ".",
          "The system " + client->code + " has no right to call the service " + service.code + ".");
    }
    const std::int64_t oldest = OldestUnstampedMs();
    if (oldest != 0 &&
        now_ms - oldest >
            std::chrono::duration_cast<std::chrono::milliseconds>(options.stamping_grace).count()) {
      return refuse(503, LgspCode::kLogUnavailable, "gateway.timestamping_overdue",
                    "Nền tảng tích hợp tạm dừng: không đóng dấu thời gian được nhật ký giao dịch "
                    "quá thời hạn cho phép. Quản trị viên cần kiểm tra dịch vụ cấp dấu thời gian.",
                    "The gateway has stopped: its message log could not be time-stamped for "
                    "longer than allowed. An administrator must check the time-stamping service.");
    }
    if (std::optional<Refusal> refused = Admit(*client, service, right->second, now_ms)) {
      return RefusalReply(*refused, call.request_id);
    }
    if (static_cast<std::int64_t>(call.body.size()) > service.max_request_bytes) {
      return refuse(413, LgspCode::kTooLarge, "gateway.request_too_large",
                    "Nội dung gửi lớn hơn giới hạn " + std::to_string(service.max_request_bytes) +
                        " byte của dịch vụ " + service.code + ".",
                    "The request body is larger than the " +
                        std::to_string(service.max_request_bytes) + "-byte limit of " +
                        service.code + ".");
    }
    if (!BreakerAllows(service.code, now_ms)) {
      return refuse(502, LgspCode::kUpstreamUnavailable, "gateway.circuit_open",
                    "Hệ thống cung cấp dịch vụ " + service.code +
                        " đang gặp sự cố nên tạm ngừng chuyển lời gọi. Xin thử lại sau.",
                    "The system behind " + service.code +
                        " is failing, so calls to it are paused. Please retry later.");
    }

    http::ClientRequest up;
    up.method = call.method;
    up.url = service.upstream_url + (call.path.empty() ? "/" : call.path) +
             (call.query.empty() ? "" : "?" + call.query);
    for (const auto& [name, value] : call.headers) {
      if (Forwardable(name)) up.headers.emplace_back(name, value);
    }
    up.headers.emplace_back("x-tinhso-client", client->code);
    up.headers.emplace_back("x-request-id", call.request_id);
    if (!call.caller.ip.empty()) up.headers.emplace_back("x-forwarded-for", call.caller.ip);
    if (options.upstream_credentials) {
      for (auto& header : options.upstream_credentials(service.code)) {
        up.headers.push_back(std::move(header));
      }
    }
    up.body = call.body;
    up.timeout = std::chrono::milliseconds(service.timeout_ms);
    up.max_response_bytes = static_cast<std::size_t>(service.max_response_bytes);

    const int attempts = Idempotent(call.method) ? 1 + options.retries : 1;
    Result<http::ClientResponse> answer = InternalError("no attempt");
    for (int attempt = 0; attempt < attempts; ++attempt) {
      if (attempt > 0 && options.retry_backoff.count() > 0) {
        std::this_thread::sleep_for(options.retry_backoff * (1 << (attempt - 1)));
      }
      answer = options.fetch ? options.fetch(up) : upstreams_.Fetch(up);
      const bool retry =
          !answer.ok() ? answer.error().code != ErrorCode::kPayloadTooLarge
                       : (answer->status == 502 || answer->status == 503 || answer->status == 504);
      if (!retry) break;
    }
    const bool failed = !answer.ok() || answer->status >= 500;
    BreakerRecord(service.code, failed, NowMs(clock));
    if (!answer.ok()) {
      const Error& e = answer.error();
      if (e.code == ErrorCode::kTimeout) {
        return refuse(504, LgspCode::kUpstreamTimeout, "gateway.upstream_timeout",
                      "Hệ thống cung cấp dịch vụ " + service.code + " không trả lời trong " +
                          std::to_string(service.timeout_ms) + " ms.",
                      "The system behind " + service.code + " did not answer within " +
                          std::to_string(service.timeout_ms) + " ms.");
      }
      if (e.code == ErrorCode::kPayloadTooLarge) {
        return refuse(502, LgspCode::kTooLarge, "gateway.response_too_large",
                      "Câu trả lời của dịch vụ " + service.code + " lớn hơn giới hạn " +
                          std::to_string(service.max_response_bytes) + " byte.",
                      "The answer of " + service.code + " is larger than the " +
                          std::to_string(service.max_response_bytes) + "-byte limit.");
      }
      return refuse(502, LgspCode::kUpstreamUnavailable, "gateway.upstream_unavailable",
                    "Không kết nối được hệ thống cung cấp dịch vụ " + service.code + ".",
                    "The system behind " + service.code + " cannot be reached.");
    }
    Reply ok;
    ok.status = answer->status;
    ok.content_type = std::string(ContentTypeOf(answer->headers));
    for (auto& [name, value] : answer->headers) {
      if (Forwardable(name) && name != "content-type" && name != "date" && name != "server") {
        ok.headers.emplace_back(name, value);
      }
    }
    ok.body = std::move(answer->body);
    return ok;
  }();

  record.status = reply.status;
  record.error_code = reply.lgsp_code ? std::to_string(static_cast<int>(*reply.lgsp_code)) : "";
  record.response_bytes = static_cast<std::int64_t>(reply.body.size());
  record.response_sha256 = core::Sha256Hex(reply.body);
  record.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  RecordMetrics(record, reply);
  RecordHealth(record, NowMs(clock));
  auto seq = Append(record, call.body, reply.body);
  if (!seq.ok()) {
    // No evidence, no answer: the caller must not act on a call the log does not hold. (The
    // upstream may have acted; its own log and the caller's retry with the same idempotency
    // key are what reconcile that.)
    return RefusalReply(Refuse(503, LgspCode::kLogUnavailable, "gateway.log_unavailable",
                               "Nhật ký giao dịch của nền tảng tích hợp không ghi được. Xin thử "
                               "lại sau.",
                               "The gateway's message log cannot record the call. Please retry "
                               "later."),
                        call.request_id);
  }
  reply.log_seq = *seq;
  return reply;
}

}  // namespace tinhso::gateway
