// The national databases through the gateway: the transport and the registry entries they need.
#include "app/national.hpp"

#include "app/app.hpp"
#include "core/crypto.hpp"

namespace tinhso::app {
namespace {

struct Provider {
  std::string_view service;
  std::string_view member;
  std::string_view member_name;
  std::string_view name;
};

// Who runs each national database (the members that provide them).
constexpr Provider kProviders[] = {
    {nationaldb::kPopulationService, "BCA", "Bộ Công an", "Cơ sở dữ liệu quốc gia về dân cư"},
    {nationaldb::kCivilRegistrationService, "BTP", "Bộ Tư pháp",
     "Cơ sở dữ liệu hộ tịch điện tử toàn quốc"},
    {nationaldb::kJudicialRecordsService, "BTP", "Bộ Tư pháp", "Cơ sở dữ liệu lý lịch tư pháp"},
    {nationaldb::kCategoriesService, "VPCP", "Văn phòng Chính phủ", "Danh mục dùng chung quốc gia"},
};

}  // namespace

Result<nationaldb::Reply> GatewayTransport::Send(const nationaldb::Call& call) {
  gateway::Call c;
  c.caller.internal_subsystem = subsystem_();
  c.service = call.service;
  c.method = call.method;
  c.path = call.path;
  if (!call.body.empty()) c.headers = {{"content-type", "application/json"}};
  c.body = call.body;
  c.request_id = core::RandomToken(12);
  gateway::Reply reply = gateway_.Forward(c);
  if (reply.lgsp_code == gateway::LgspCode::kUpstreamTimeout) {
    return MakeError(ErrorCode::kTimeout, "nationaldb.timeout", reply.refusal->message_vi,
                     reply.refusal->message_en);
  }
  if (reply.lgsp_code == gateway::LgspCode::kUpstreamUnavailable ||
      reply.lgsp_code == gateway::LgspCode::kLogUnavailable) {
    return MakeError(ErrorCode::kUnavailable, "nationaldb.unavailable", reply.refusal->message_vi,
                     reply.refusal->message_en);
  }
  return nationaldb::Reply{.status = reply.status, .body = std::move(reply.body)};
}

Result<outbox::Response> GatewaySender::Send(const outbox::Message& message) {
  auto method = http::ParseMethod(message.method);
  if (!method) {
    return MakeError(ErrorCode::kInvalidArgument, "outbox.bad_method",
                     "Phương thức HTTP không hợp lệ: " + message.method,
                     "Not an HTTP method: " + message.method);
  }
  gateway::Call c;
  c.caller.internal_subsystem = subsystem_();
  c.service = message.destination;
  c.method = *method;
  const auto q = message.path.find('?');
  c.path = message.path.substr(0, q);
  if (q != std::string::npos) c.query = message.path.substr(q + 1);
  c.headers = message.headers;
  c.headers.emplace_back("idempotency-key", message.idempotency_key);
  c.body = message.body;
  c.request_id = "outbox-" + std::to_string(message.id);
  gateway::Reply reply = gateway_.Forward(c);
  outbox::Response r;
  r.status = reply.status;
  r.detail = reply.refusal ? reply.refusal->reason + ": " + reply.refusal->message_en
                           : reply.body.substr(0, 300);
  return r;
}

std::string OneStopSubsystem(App& app, const Config& config) {
  if (!config.gateway_one_stop_subsystem.empty()) return config.gateway_one_stop_subsystem;
  agencies::ListQuery roots;
  roots.level = 1;
  roots.limit = 2;
  auto page = app.agencies().List(roots);
  if (!page.ok() || page->items.size() != 1) return {};
  return page->items[0].code + "/motcua";
}

Result<void> EnsureNationalServices(App& app, const Config& config) {
  if (config.nationaldb.base_urls.empty()) return Ok();
  const std::string one_stop = OneStopSubsystem(app, config);
  const auto slash = one_stop.find('/');
  if (slash == std::string::npos) return Ok();  // no province yet: nothing can call
  gateway::Service& g = app.gateway();
  const core::Actor system = core::SystemActor();
  TINHSO_ASSIGN_OR_RETURN(auto members, g.Members(system));
  TINHSO_ASSIGN_OR_RETURN(auto subsystems, g.Subsystems(system));
  auto ensure_member = [&](const std::string& code, const std::string& name) -> Result<void> {
    for (const gateway::Member& m : members) {
      if (m.code == code) return Ok();
    }
    TINHSO_ASSIGN_OR_RETURN(gateway::Member m, g.AddMember({.code = code, .name = name}, system));
    members.push_back(std::move(m));
    return Ok();
  };
  auto ensure_subsystem = [&](const std::string& member, const std::string& name) -> Result<void> {
    for (const gateway::Subsystem& s : subsystems) {
      if (s.code == member + "/" + name) return Ok();
    }
    TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                            g.AddSubsystem({.member_code = member, .name = name}, system));
    subsystems.push_back(std::move(s));
    return Ok();
  };
  const std::string province = one_stop.substr(0, slash);
  TINHSO_RETURN_IF_ERROR(ensure_member(province, "Ủy ban nhân dân tỉnh (" + province + ")"));
  TINHSO_RETURN_IF_ERROR(ensure_subsystem(province, one_stop.substr(slash + 1)));
  // Withdrawn rights count: an administrator's withdrawal is never undone by a restart.
  TINHSO_ASSIGN_OR_RETURN(auto rights, g.Rights(true, system));
  TINHSO_ASSIGN_OR_RETURN(auto services, g.Services(system));
  for (const Provider& p : kProviders) {
    auto url = config.nationaldb.base_urls.find(p.service);
    if (url == config.nationaldb.base_urls.end()) continue;
    TINHSO_RETURN_IF_ERROR(ensure_member(std::string(p.member), std::string(p.member_name)));
    TINHSO_RETURN_IF_ERROR(ensure_subsystem(std::string(p.member), std::string(p.service)));
    bool current = false;  // registered with this address already: no change, no audit entry
    for (const gateway::ServiceInfo& s : services) {
      current = current || (s.code == p.service && s.upstream_url == url->second);
    }
    if (!current) {
      TINHSO_RETURN_IF_ERROR(
          g.PutService({.code = std::string(p.service),
                        .provider_code = std::string(p.member) + "/" + std::string(p.service),
                        .name = std::string(p.name),
                        .upstream_url = url->second,
                        .timeout_ms = static_cast<int>(config.nationaldb.timeout.count())},
                       system));
    }
    bool granted = false;
    for (const gateway::Right& r : rights) {
      granted = granted || (r.client_code == one_stop && r.service_code == p.service);
    }
    if (!granted) {
      TINHSO_RETURN_IF_ERROR(
          g.Grant({.client_code = one_stop, .service_code = std::string(p.service)}, system));
    }
  }
  return Ok();
}

}  // namespace tinhso::app
