// The one-stop system's calls to the national databases (src/nationaldb) go through the
// province's gateway (src/gateway): authorised, logged, signed and time-stamped like any other
// system's.
#pragma once

#include <functional>
#include <string>

#include "app/config.hpp"
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
