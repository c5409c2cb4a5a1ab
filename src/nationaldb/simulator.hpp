// A stand-in for the national databases behind the LGSP, for tests and the demo: the population
// database, civil registration, judicial records and the national shared categories (/dmdc),
// each on its own port of 127.0.0.1 (an outage of one leaves the others up), speaking the
// envelope and paths of nationaldb.hpp. It knows the demo citizens (the VNeID stand-in's and the
// demo accounts' people), keeps every call it received, and can be scripted per service: answer
// with any LGSP error code, hold answers until released (a caller's timeout cuts them), answer
// HTTP 5xx, or be down (connections refused, then back on the same port).
//
// Its own routes besides the services' (on every port), for the demo and for tests written
// against HTTP:
//   POST /_sim/hotich/{maHoSo}/status   {"trangThai": 1..4, "ghiChu": "…"}  moves a civil
//                                       registration dossier (1 → 2 → 3 → 4)
//   POST /_sim/lltp/{maHoSo}/status     the same for a judicial records request
//   POST /_sim/fault/{service}          {"kind": "lgsp", "code": "201"} | {"kind": "http",
//                                       "status": 503} | {"kind": "hold"} | {"kind": "none"}
//   GET  /_sim/received                 what it received, oldest first
//
// Thread-safe. The destructor releases held answers, stops the servers and joins their threads.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "nationaldb/nationaldb.hpp"

namespace tinhso::nationaldb {

class Simulator {
 public:
  struct Options {
    /// Added before every answer, as a national system over the network takes (the demo: a
    /// fifth of a second). Tests keep 0.
    std::chrono::milliseconds delay{0};
    /// The bearer token the services expect (LGSP 100 AUTHEN_ERROR otherwise); empty: none.
    std::string token = "lgsp-simulator-token";
    std::string access_log_path = "/dev/null";
    std::string upload_dir;  ///< empty = <temp dir>/tinhso-nationaldb-simulator
  };

  enum class FaultKind {
    kNone,
    kLgspError,    ///< answer the envelope with Fault::code ("100", "201", …)
    kServerError,  ///< answer HTTP Fault::status (5xx) with a body that is not the envelope
    kHold,         ///< keep the answer until Release() (the caller's timeout ends the wait)
  };
  struct Fault {
    FaultKind kind = FaultKind::kNone;
    std::string code;  ///< kLgspError
    int status = 503;  ///< kServerError
  };

  struct Received {
    std::string service;
    std::string path;
    std::string body;
    std::string authorization;  ///< the Authorization header, as sent
  };

  /// A dossier the civil registry or the judicial records centre received.
  struct Dossier {
    std::string ma_don_vi;
    std::string ma_ho_so;
    std::string body;  ///< the last request, raw
    int trang_thai = 1;
    std::string ghi_chu;
    int times = 1;  ///< how often it was sent
  };

  /// Starts serving. Errors: those of http::LoopbackServer::Start.
  static Result<std::unique_ptr<Simulator>> Start(Options options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// "http://127.0.0.1:<port>" of one service (kPopulationService, …); "" for another code.
  std::string base_url(std::string_view service) const;
  /// A DirectTransport's options that reach every service here, with the right token.
  DirectTransport::Options TransportOptions() const;

  /// The demo citizens the population database knows.
  static const std::vector<Citizen>& DemoCitizens();

  // ---- Scripting (per service, until changed) --------------------------------------------
  void SetFault(std::string_view service, Fault fault);
  /// Ends a kHold: the answers it keeps go out, and the service answers at once again.
  void Release(std::string_view service);
  /// down: the service's port refuses connections; up again: it listens on the same port.
  /// Errors: kNotFound (no such service), those of LoopbackServer::Start when coming back.
  Result<void> SetOutage(std::string_view service, bool down);
  /// Moves a dossier to status 1..4 with a note. Errors: kNotFound (never received),
  /// kInvalidArgument (status outside 1..4).
  Result<void> SetCivilStatus(std::string_view ma_ho_so, int status, std::string note);
  Result<void> SetJudicialStatus(std::string_view ma_ho_so, int status, std::string note);

  // ---- Inspection ------------------------------------------------------------------------
  std::vector<Received> ReceivedCalls() const;
  std::optional<Dossier> CivilDossier(std::string_view ma_ho_so) const;
  std::optional<Dossier> JudicialDossier(std::string_view ma_ho_so) const;

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinhso::nationaldb
