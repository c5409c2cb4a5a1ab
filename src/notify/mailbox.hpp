// The demo's stand-ins made readable (`tinhso serve --with-simulators`): a small SMTP server on
// loopback that keeps what it receives, and the page that shows a new user the e-mails and SMS
// the stand-ins received, newest first. Never started otherwise.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "notify/email.hpp"

namespace tinhso::notify {

/// An SMTP server on 127.0.0.1 (an ephemeral port) that accepts every message (RFC 5321:
/// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no STARTTLS, no AUTH) and keeps it in
/// memory, except for recipients in the reserved ".invalid" domain (RFC 2606), refused at RCPT
/// with 550 5.1.1, so that the demo shows a bounced message. One connection at a time, on its
/// own thread; the destructor stops it.
class DemoSmtpServer {
 public:
  struct Mail {
    std::chrono::system_clock::time_point at;
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    std::string raw;  ///< DATA as received, dot-stuffing undone, CRLF line ends
  };

  static Result<std::unique_ptr<DemoSmtpServer>> Start();
  ~DemoSmtpServer();
  DemoSmtpServer(const DemoSmtpServer&) = delete;
  DemoSmtpServer& operator=(const DemoSmtpServer&) = delete;

  int port() const;
  /// An SmtpConfig that sends to this server (in clear: it is on loopback).
  SmtpConfig Config() const;
  /// What it received, oldest first.
  std::vector<Mail> Messages() const;

 private:
  struct Impl;
  explicit DemoSmtpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// One entry of the demo mailbox page.
struct DemoMailboxItem {
  std::chrono::system_clock::time_point at;
  bool sms = false;
  std::string to;  ///< address or phone number
  std::string subject;
  std::string body;
  std::string reference;  ///< Message-ID or the gateway's message id
};

/// The demo mailbox page (HTML, Vietnamese with English beside it), newest first; every text
/// escaped.
std::string DemoMailboxPage(std::vector<DemoMailboxItem> items);

}  // namespace tinhso::notify
