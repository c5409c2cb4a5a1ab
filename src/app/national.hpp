// The one-stop system's calls to the national databases (src/nationaldb) go through the
// province's gateway (src/gateway): authorised, logged, signed and time-stamped like any other
// system's.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "agencies/agencies.hpp"
#include "app/config.hpp"
#include "dossiers/dossiers.hpp"
#include "gateway/gateway.hpp"
#include "nationaldb/nationaldb.hpp"
#include "outbox/outbox.hpp"

namespace tinhso::app {

class App;

// A nationaldb::Transport that is a call from the one-stop system's own subsystem through the
// gateway. The gateway's refusals come back as LGSP answers, which the adapters read as their
// errors (nationaldb.authen_error for a right not granted); a failing upstream as no answer.
class GatewayTransport final : public nationaldb::Transport {
 public:
  // `subsystem` names the caller ("H55/motcua"); asked per call, since the agency tree that
  // names the province may be loaded after the start.
  GatewayTransport(gateway::Service& gateway, std::function<std::string()> subsystem)
      : gateway_(gateway), subsystem_(std::move(subsystem)) {}
  Result<nationaldb::Reply> Send(const nationaldb::Call& call) override;

 private:
  gateway::Service& gateway_;
  std::function<std::string()> subsystem_;
};

// The outbox's sender for messages to systems behind the gateway: a message's destination is
// the gateway service's code, sent as the one-stop system with its Idempotency-Key. The
// gateway's refusals are answers too (a withdrawn right is a 403: dead with its reason; an
// upstream that is down, a 502: retried).
class GatewaySender final : public outbox::Sender {
 public:
  GatewaySender(gateway::Service& gateway, std::function<std::string()> subsystem)
      : gateway_(gateway), subsystem_(std::move(subsystem)) {}
  Result<outbox::Response> Send(const outbox::Message& message) override;

 private:
  gateway::Service& gateway_;
  std::function<std::string()> subsystem_;
};

// The population database as the dossiers' identity checker: a citizen's number, name and
// birth date through the gateway. An answer that does not come (timeout, outage, the gateway's
// refusal, an answer not understood) is "unchecked" with its reason, never an error: a
// submission is never lost or blocked because a national system is down.
dossiers::IdentityChecker PopulationChecker(nationaldb::PopulationDatabase& population);

// Tells every listener of a dossier event in turn, inside the event's transaction (the
// dossiers take one listener; the application has several).
class EventListeners final : public dossiers::EventListener {
 public:
  void Add(dossiers::EventListener* listener) { listeners_.push_back(listener); }
  Result<void> OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                       const dossiers::Event& event, std::string_view reason) override;

 private:
  std::vector<dossiers::EventListener*> listeners_;
};

// Civil registration dossiers (hộ tịch: [nationaldb] civil_registration names the procedures)
// go to the civil registry when accepted: dangKyHoTich is queued in the outbox inside the
// accepting transaction (under the idempotency key "dangkyhotich-<dossier id>", so a crash
// loses nothing and the registry, which dedupes on it, sees it once), delivered through the
// gateway by GatewaySender, and the dossier is tracked for the poller below.
class CivilRegistrationSender final : public dossiers::EventListener {
 public:
  CivilRegistrationSender(const outbox::Outbox& outbox, dossiers::Service& dossiers,
                          const agencies::Service& agencies, const Config& config)
      : outbox_(outbox),
        dossiers_(dossiers),
        agencies_(agencies),
        procedures_(config.civil_registration_procedures) {}
  Result<void> OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                       const dossiers::Event& event, std::string_view reason) override;

 private:
  const outbox::Outbox& outbox_;
  dossiers::Service& dossiers_;
  const agencies::Service& agencies_;
  std::map<std::string, std::string, std::less<>> procedures_;
};

// The timeline's words for a civil registry status (1..4): the event's action
// ("civil_received", "civil_supplement", "civil_eligible", "civil_registered") and content.
struct CivilEventWords {
  std::string action;
  std::string content;
};
CivilEventWords CivilEvent(int status, std::string_view note);

// Polls the civil registry (traTrangThaiHoSo, through the gateway) for the dossiers sent and
// not yet registered whose poll is due: at most `batch` a run, each at most once per
// `interval`. A new status becomes an event of the dossier's timeline (audited); status 4 ends
// the polling. A registry that does not answer, or does not know the dossier yet (the outbox
// may not have delivered it), is asked again an interval later.
struct CivilPollReport {
  int asked = 0;
  int changed = 0;
  int failed = 0;
};
Result<CivilPollReport> PollCivilRegistrations(dossiers::Service& dossiers,
                                               nationaldb::CivilRegistration& registry,
                                               core::Seconds now, std::chrono::minutes interval,
                                               int batch);

// The one-stop system's subsystem: [gateway] one_stop_subsystem, else "<the province's agency
// code>/motcua"; "" before the agency tree has a root.
std::string OneStopSubsystem(App& app, const Config& config);

// Registers the national databases whose addresses [nationaldb] gives (or the demo's
// simulators) as services of the gateway, their providers as members, the one-stop system as a
// subsystem of the province, and its right to each where it never had one (a right an
// administrator withdrew stays withdrawn); addresses are updated, so a simulator's new port
// replaces the last one. Nothing when no address is configured.
Result<void> EnsureNationalServices(App& app, const Config& config);

}  // namespace tinhso::app
