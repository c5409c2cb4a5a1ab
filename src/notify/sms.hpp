// SMS through an HTTP gateway (a telecom's or an aggregator's "brandname" API), and a simulator
// of that gateway for tests and the demo.
//
// The wire format, JSON over HTTP POST with a bearer API key:
//   → POST <url>   {"brandname": "TINHSO", "phone": "0912345678", "message": "…",
//                   "unicode": true, "client_ref": "notification-42"}
//   ← 200          {"message_id": "SMS00000001", "segments": 2}
//   ← 400          {"error": "invalid_phone" | "empty_message"}   (no retry: the message bounces)
//   ← 401          {"error": "unauthorized"}                      (our configuration: retried)
//   ← 5xx          the gateway is down (retried)
// The gateway posts delivery receipts to our callback, signed with a shared secret
// (X-Tinhso-Signature: sha256=<hex HMAC-SHA256 of the body>, ReceiptSignature):
//   → POST <callback> {"message_id": "SMS00000001", "client_ref": "notification-42",
//                      "status": "delivered" | "failed", "detail": "…"}
// client_ref is the outbox's stable id, so a gateway that keeps them sends a message sent twice
// (a worker killed after the gateway's answer and before our commit) once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {

struct SmsGatewayConfig {
  std::string url;  ///< "http://…/sms/send"
  std::string api_key;
  std::string brandname = "TINHSO";
  std::chrono::milliseconds timeout{10'000};
};

/// The outbox's SMS channel. Errors: kInvalidArgument "notify.bounced" (the gateway refuses the
/// number or the text); kUnavailable "notify.sms_unavailable" (unreachable, 5xx, unauthorised).
class SmsGatewaySender final : public Sender {
 public:
  explicit SmsGatewaySender(SmsGatewayConfig config) : config_(std::move(config)) {}
  Result<std::string> Send(const Message& message) override;

 private:
  SmsGatewayConfig config_;
};

struct SmsReceipt {
  std::string message_id;
  std::string client_ref;
  Status status = Status::kDelivered;  ///< kDelivered or kFailed
  std::string detail;
};
/// Reads a gateway's delivery receipt. Errors: kInvalidArgument "notify.bad_receipt".
Result<SmsReceipt> ParseSmsReceipt(std::string_view json);

/// A stand-in for the gateway on 127.0.0.1 (an ephemeral port): keeps what it received and
/// reports deliveries to a callback. Thread-safe; the destructor stops its server.
class SmsSimulator {
 public:
  struct Options {
    std::string api_key = "sms-simulator-key";
    std::string callback_url;    ///< where Report() posts receipts; empty = nowhere
    std::string receipt_secret;  ///< signs receipts (ReceiptSignature); empty = unsigned
    std::string access_log_path = "/dev/null";
    std::string upload_dir;  ///< empty = <temp dir>/tinhso-sms-simulator
  };
  struct Received {
    std::string message_id;
    std::string phone;
    std::string message;
    std::string client_ref;
    bool unicode = false;
    int segments = 0;
    int times = 1;  ///< how often this client_ref came (a duplicate is answered, not resent)
    std::chrono::system_clock::time_point at;  ///< when it first came
    bool reported = false;                     ///< a receipt was posted for it
  };

  static Result<std::unique_ptr<SmsSimulator>> Start(Options options);
  ~SmsSimulator();
  SmsSimulator(const SmsSimulator&) = delete;
  SmsSimulator& operator=(const SmsSimulator&) = delete;

  /// A configuration that talks to this simulator.
  SmsGatewayConfig Config() const;
  std::string base_url() const;

  /// false: /sms/send answers 503.
  void SetAvailable(bool available);
  void SetCallbackUrl(std::string url);
  /// Messages received, in order (one per client_ref).
  std::vector<Received> Messages() const;
  /// The receipt for a message as JSON, and Report() posts it to the callback URL and returns
  /// the HTTP status. Errors: kNotFound (no such message_id), kFailedPrecondition (no callback).
  Result<std::string> Receipt(std::string_view message_id, Status status) const;
  Result<int> Report(std::string_view message_id, Status status);
  /// Reports every message not reported yet as delivered, as a real gateway does once the
  /// handsets answer (the demo runs this periodically). Returns how many were accepted (2xx).
  Result<int> ReportPending();

 private:
  struct Impl;
  explicit SmsSimulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinhso::notify
