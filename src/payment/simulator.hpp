// A stand-in for the national payment platform, for tests and the demo. It serves INIT and
// QUERY over real HTTP on 127.0.0.1 (an ephemeral port), checks their checksums, remembers the
// transactions, and can be scripted: make the next payment succeed or fail, refuse the next
// INIT, be down, and send confirmations (genuine, duplicated, forged, with a wrong amount, or
// late) to a callback URL through http::Fetch. It speaks the format of messages.hpp.
//
// Its own routes:
//   POST /paygov/init               INIT → signed answer with UrlThanhToan
//   POST /paygov/query              QUERY → signed answer with TrangThaiGD
//   GET  /paygov/pay/{reference}    the payer's page (a small HTML form, for the demo)
//   POST /paygov/pay/{reference}    the payer pays (?ket_qua=that_bai to fail); when
//                                   Options::callback_url is set, the confirmation is sent there;
//                                   a browser (Accept: text/html) is then sent back to the INIT's
//                                   UrlTraVe, as the platform does, or shown the outcome
//
// Thread-safe. The destructor stops the server and joins its thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/client.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {

class Simulator {
 public:
  struct Options {
    std::string partner_code = "TINHSO";
    std::string secret = "paygov-simulator-secret";
    // ThoiGianGD of its own messages; null = the system clock. Must outlive the simulator.
    const core::Clock* clock = nullptr;
    // Where POST /paygov/pay/{reference} sends the confirmation (the demo); empty = nowhere.
    std::string callback_url;
    std::string access_log_path = "/dev/null";
    std::string upload_dir;  // empty = <temp dir>/tinhso-paygov-simulator (the server wants one)
  };

  enum class State { kInitiated, kPaid, kFailed };

  struct Transaction {
    std::string reference;
    std::string amount;  // SoTien as received
    std::string description;
    std::string init_body;   // the last INIT, raw (its ThongTinBienLai included)
    std::string return_url;  // UrlTraVe of the last INIT: where the payer's browser goes back
    State state = State::kInitiated;
    std::string code;         // MaLoi of the payment (after Pay)
    std::string transaction;  // MaGiaoDich (after Pay)
    std::string time;         // ThoiGianGD of the payment (after Pay)
    int init_count = 0;
    int query_count = 0;
  };

  /// Starts serving. Errors: those of http::Server::Start.
  static Result<std::unique_ptr<Simulator>> Start(Options options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:<port>"
  std::string init_url() const;
  std::string query_url() const;
  /// A gateway configuration that talks to this simulator (same partner code and secret).
  GatewayConfig Config() const;

  // ---- Scripting -------------------------------------------------------------------------
  /// false: INIT and QUERY answer HTTP 503, as a platform under maintenance.
  void SetAvailable(bool available);
  /// The next INIT is refused with this MaLoi.
  void RejectNextInit(std::string code);
  /// The next Pay fails with MaLoi `code` (one-shot); without it payments succeed.
  void FailNextPayment(std::string code = "24");
  /// Where POST /paygov/pay/{reference} sends confirmations (see Options::callback_url).
  void SetCallbackUrl(std::string url);
  /// QUERY for `reference` answers TrangThaiGD "3" (the platform does not know yet).
  void SetUndecided(std::string_view reference, bool undecided);

  /// The payer pays on the platform's page: the transaction becomes paid, or failed as
  /// scripted. Paying a paid transaction again changes nothing. Returns the signed
  /// confirmation the platform sends. Errors: kNotFound (no INIT seen for `reference`).
  Result<Fields> Pay(std::string_view reference);

  enum class Variant {
    kGenuine,      // as the platform signs it
    kForged,       // says success, signed with a wrong secret
    kWrongAmount,  // correctly signed, but SoTien is 1 000 đồng more than requested
  };
  /// The confirmation of the transaction's current state. Errors: kNotFound,
  /// kFailedPrecondition (not paid or failed yet).
  Result<Fields> Confirmation(std::string_view reference, Variant variant = Variant::kGenuine);
  /// POSTs Confirmation(reference, variant) as JSON to `callback_url`; returns the answer.
  /// Send it twice for a duplicate; after the request expired for a late one.
  Result<http::ClientResponse> Notify(std::string_view reference, const std::string& callback_url,
                                      Variant variant = Variant::kGenuine);

  // ---- Inspection ------------------------------------------------------------------------
  std::optional<Transaction> Find(std::string_view reference) const;
  /// Requests refused for a wrong checksum or partner code.
  int rejected_requests() const;

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinhso::payment
