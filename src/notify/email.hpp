// E-mail over SMTP (RFC 5321) with STARTTLS (RFC 3207), AUTH PLAIN/LOGIN (RFC 4616, 4954),
// MIME UTF-8 messages (RFC 2045, 2047) and optional DKIM signing (RFC 6376, rsa-sha256,
// relaxed/relaxed). No Asio here: smtp.cpp alone includes it; mime.cpp holds MIME and DKIM.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {

struct SmtpConfig {
  std::string host = "127.0.0.1";
  int port = 25;
  /// Upgrade with STARTTLS and refuse to go on in clear when the server does not offer it.
  bool starttls = true;
  /// PEM file of the CA(s) that sign the server's certificate; empty = the system store.
  std::string ca_file;
  /// Skips certificate verification. Refused unless `host` is a loopback address (tests).
  bool insecure_skip_verify = false;
  std::string username;  ///< AUTH when set (PLAIN if offered, else LOGIN)
  std::string password;
  std::string from_address = "thongbao@localhost";
  std::string from_name = "Cổng dịch vụ công";
  std::string helo_name = "localhost";
  std::string message_id_host = "localhost";  ///< Message-ID: <notification-N@this>
  enum class BodyEncoding { kBase64, kQuotedPrintable };
  BodyEncoding body_encoding = BodyEncoding::kQuotedPrintable;
  std::chrono::milliseconds timeout{30'000};  ///< the whole conversation
  /// DKIM signing when all three are set: d=, s= and the RSA private key (PEM).
  std::string dkim_domain;
  std::string dkim_selector;
  std::string dkim_private_key_pem;
};

struct MailMessage {
  std::string to;          ///< one address
  std::string subject;     ///< UTF-8
  std::string body;        ///< UTF-8 plain text, "\n" or "\r\n" line ends
  std::string message_id;  ///< without angle brackets: "notification-7@tinhso.gov.vn"
  core::Seconds date;
};

/// The message as sent: headers and body with CRLF line ends, DKIM-signed when configured.
/// Errors: kInvalidArgument "notify.bad_address" (CR, LF or angle brackets in an address),
/// "notify.dkim_key" (the key does not load).
Result<std::string> BuildMime(const SmtpConfig& config, const MailMessage& message);

/// Delivers one message; returns the server's last reply ("250 2.0.0 Ok: queued as …").
/// Errors: kInvalidArgument "notify.bounced" (the recipient refused with 5xx),
/// "notify.smtp_rejected" (the message refused with 5xx), "notify.smtp_insecure" (insecure flag
/// on a non-loopback host); kUnavailable "notify.smtp_unreachable", "notify.smtp_tls" (handshake
/// or certificate), "notify.smtp_no_starttls", "notify.smtp_auth", "notify.smtp_temporary" (4xx);
/// kTimeout "notify.smtp_timeout".
Result<std::string> SendMail(const SmtpConfig& config, const MailMessage& message);

/// What a delivery status notification (RFC 3464, a "bounce") says about one of our messages.
struct DsnReport {
  std::string stable_id;             ///< "notification-N", from the returned message's Message-ID
  Status status = Status::kBounced;  ///< kBounced (Action: failed) or kDelivered
  std::string detail;                ///< "5.1.1 smtp; 550 5.1.1 <x@y>: User unknown"
};
/// Reads a DSN as the mail server delivered it to our bounce address: a multipart/report with
/// report-type=delivery-status whose per-recipient Action is failed or delivered, returning the
/// original message (message/rfc822) or its headers (text/rfc822-headers) with our Message-ID.
/// Errors: kInvalidArgument "notify.not_a_dsn" (not such a report, or no message of ours in
/// it), kFailedPrecondition "notify.dsn_not_final" (delayed, relayed or expanded: nothing to
/// record yet).
Result<DsnReport> ParseDsn(std::string_view raw);

/// Readable parts of a received message, for the demo mailbox: RFC 2047 header words and a
/// quoted-printable or base64 text body decoded to UTF-8.
struct ReadableMail {
  std::string from;
  std::string to;
  std::string subject;
  std::string message_id;
  std::string body;
};
ReadableMail ReadMail(std::string_view raw);

/// The outbox's e-mail channel: Message-ID "<notification-N@message_id_host>", dated by `clock`.
class SmtpSender final : public Sender {
 public:
  SmtpSender(SmtpConfig config, const core::Clock& clock)
      : config_(std::move(config)), clock_(clock) {}
  Result<std::string> Send(const Message& message) override;

 private:
  SmtpConfig config_;
  const core::Clock& clock_;
};

}  // namespace tinhso::notify
