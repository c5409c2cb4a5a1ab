// The registry: members, subsystems, services and rights, changed by administrators (each change
// audited, and the version moved so that every process reloads), read from an in-memory copy.
#include <arpa/inet.h>

#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "gateway/internal.hpp"
#include "gateway/sql.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;

Error Invalid(std::string_view field, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, "gateway.invalid", std::move(vi), std::move(en),
                   std::string(field));
}

Error NotFound(std::string_view what, std::string_view code) {
  return MakeError(
      ErrorCode::kNotFound, "gateway.not_found",
      "Không tìm thấy " + std::string(what == "service" ? "dịch vụ" : "hệ thống") + " " +
          std::string(code) + " trong danh bạ của nền tảng tích hợp.",
      "The gateway's registry has no " + std::string(what) + " " + std::string(code) + ".");
}

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// Codes: letters, digits and ". _ -" (agency codes such as H55.19, service codes such as
// csdl-dancu); they appear in paths and in the log.
bool IsCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string JoinIps(const std::vector<std::string>& ips) {
  std::string out;
  for (const std::string& ip : ips) {
    if (!out.empty()) out += ',';
    out += ip;
  }
  return out;
}

std::vector<std::string> SplitIps(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string ip =
        Trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (!ip.empty()) out.push_back(std::move(ip));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// Allowed addresses are compared with the caller's as text: each must be an IPv4 or IPv6
// address as the server writes it (no names, no ranges), or it would never match.
Result<void> CheckIps(const std::vector<std::string>& ips) {
  for (const std::string& ip : ips) {
    unsigned char bytes[16];
    if (inet_pton(AF_INET, ip.c_str(), bytes) != 1 && inet_pton(AF_INET6, ip.c_str(), bytes) != 1) {
      return Invalid("allowed_ips",
                     "\"" + ip + "\" không phải địa chỉ IPv4 hoặc IPv6 (ví dụ 10.0.0.5)",
                     "\"" + ip + "\" is not an IPv4 or IPv6 address (e.g. 10.0.0.5)");
    }
  }
  return Ok();
}

Result<void> CheckRate(int rate_per_second) {
  if (rate_per_second < 1 || rate_per_second > 100'000) {
    return Invalid("rate_per_second", "Giới hạn mỗi giây phải từ 1 đến 100000",
                   "The rate per second must be from 1 to 100000");
  }
  return Ok();
}

Member MemberOf(const storage::Row& r) {
  return {.id = r.Int(0),
          .code = r.Text(1),
          .name = r.Text(2),
          .agency_id = r.OptionalInt(3),
          .created_at = core::Seconds(std::chrono::seconds(r.Int(4)))};
}

Subsystem SubsystemOf(const storage::Row& r) {
  return {.id = r.Int(0),
          .member_id = r.Int(1),
          .code = r.Text(2),
          .name = r.Text(3),
          .has_token = !r.IsNull(4),
          .certificate_sha256 = r.Text(5),
          .allowed_ips = SplitIps(r.Text(6)),
          .rate_per_second = static_cast<int>(r.Int(7)),
          .enabled = r.Int(8) != 0,
          .created_at = core::Seconds(std::chrono::seconds(r.Int(9)))};
}

ServiceInfo ServiceOf(const storage::Row& r) {
  return {.id = r.Int(0),
          .code = r.Text(1),
          .provider_id = r.Int(2),
          .provider_code = r.Text(3),
          .name = r.Text(4),
          .description = r.Text(5),
          .upstream_url = r.Text(6),
          .timeout_ms = static_cast<int>(r.Int(7)),
          .max_request_bytes = r.Int(8),
          .max_response_bytes = r.Int(9),
          .enabled = r.Int(10) != 0};
}

Right RightOf(const storage::Row& r) {
  Right right{.id = r.Int(0),
              .client_id = r.Int(1),
              .client_code = r.Text(2),
              .service_id = r.Int(3),
              .service_code = r.Text(4),
              .per_minute = static_cast<int>(r.Int(5)),
              .per_day = static_cast<int>(r.Int(6)),
              .granted_at = core::Seconds(std::chrono::seconds(r.Int(7))),
              .granted_by = r.Int(8)};
  if (auto at = r.OptionalInt(9)) right.withdrawn_at = core::Seconds(std::chrono::seconds(*at));
  return right;
}

std::int64_t Secs(core::Seconds t) { return t.time_since_epoch().count(); }

}  // namespace

// ---- The in-memory copy ----

Result<void> Gateway::Reload() {
  auto snapshot = std::make_shared<Snapshot>();
  TINHSO_RETURN_IF_ERROR(storage::WithTransaction(
      db,
      [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto version, tx.Query(sql::kRegistryVersion));
        snapshot->version = version.rows.at(0).Int(0);
        TINHSO_ASSIGN_OR_RETURN(auto subsystems, tx.Query(sql::kSubsystems));
        std::unordered_map<std::int64_t, std::string> codes;
        for (const storage::Row& r : subsystems) {
          Subsystem s = SubsystemOf(r);
          if (!r.IsNull(4)) snapshot->by_token.emplace(r.Text(4), s.code);
          if (!s.certificate_sha256.empty()) {
            snapshot->by_certificate.emplace(s.certificate_sha256, s.code);
          }
          codes.emplace(s.id, s.code);
          snapshot->subsystems.emplace(s.code, std::move(s));
        }
        TINHSO_ASSIGN_OR_RETURN(auto services, tx.Query(sql::kServices));
        for (const storage::Row& r : services) {
          ServiceInfo s = ServiceOf(r);
          snapshot->services.emplace(s.code, std::move(s));
        }
        TINHSO_ASSIGN_OR_RETURN(auto rights, tx.Query(sql::kRights, {{"all", std::int64_t{0}}}));
        for (const storage::Row& r : rights) {
          Right right = RightOf(r);
          snapshot->rights.emplace(std::pair{right.client_id, right.service_id}, std::move(right));
        }
        return Ok();
      },
      storage::TxKind::kReadOnly));
  std::lock_guard lock(registry_mutex_);
  registry_ = std::move(snapshot);
  registry_checked_ = std::chrono::steady_clock::now();
  return Ok();
}

Result<std::shared_ptr<const Snapshot>> Gateway::Registry() {
  std::shared_ptr<const Snapshot> current;
  {
    std::lock_guard lock(registry_mutex_);
    current = registry_;
    if (current != nullptr &&
        std::chrono::steady_clock::now() - registry_checked_ < options.registry_refresh) {
      return current;
    }
    registry_checked_ = std::chrono::steady_clock::now();
  }
  // Another process may have changed the registry: one read of the version says whether.
  if (current != nullptr) {
    TINHSO_ASSIGN_OR_RETURN(
        auto version,
        storage::WithTransaction(
            db, [](storage::Transaction& tx) { return tx.Query(sql::kRegistryVersion); },
            storage::TxKind::kSingleRead));
    if (version.rows.at(0).Int(0) == current->version) return current;
  }
  TINHSO_RETURN_IF_ERROR(Reload());
  std::lock_guard lock(registry_mutex_);
  return registry_;
}

Result<void> Gateway::Changed(storage::Transaction& tx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t n, tx.Execute(sql::kBumpRegistryVersion));
  if (n != 1) return InternalError("gateway registry version row missing");
  return Ok();
}

// ---- Service: the registry's operations ----

Service::Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
                 pki::Service& pki, signing::Service& signing, Options options)
    : impl_(std::make_unique<Gateway>(db, clock, policy, pki, signing, std::move(options))) {}
Service::~Service() = default;

Result<Member> Service::AddMember(const MemberInput& in, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  Member m{.code = Trim(in.code), .name = core::ToNfc(Trim(in.name)), .agency_id = in.agency_id};
  if (!IsCode(m.code)) {
    return Invalid("code",
                   "Mã thành viên chỉ gồm chữ, số và các dấu . _ - (mã định danh điện tử của cơ "
                   "quan, ví dụ H55.19)",
                   "A member's code holds letters, digits and . _ - only (the agency's electronic "
                   "identification code, e.g. H55.19)");
  }
  if (m.name.empty()) return Invalid("name", "Nhập tên thành viên", "Enter the member's name");
  m.created_at = g.clock.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            auto rows,
            tx.Query(sql::kInsertMember, {{"code", m.code},
                                          {"name", m.name},
                                          {"agency_id", m.agency_id ? storage::Value(*m.agency_id)
                                                                    : storage::Value(nullptr)},
                                          {"created_at", Secs(m.created_at)}}));
        m.id = rows.rows.at(0).Int(0);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(audit::Append(tx, actor,
                                             {"gateway.member.add", "gateway_member", m.code,
                                              json::serialize(json::object{{"name", m.name}})},
                                             m.created_at));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  return m;
}

Result<std::vector<Member>> Service::Members(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return storage::WithTransaction(
      impl_->db,
      [](storage::Transaction& tx) -> Result<std::vector<Member>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kMembers));
        std::vector<Member> out;
        for (const storage::Row& r : rows) out.push_back(MemberOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Result<Subsystem> Service::AddSubsystem(const SubsystemInput& in, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  const std::string name = Trim(in.name);
  if (!IsCode(name)) {
    return Invalid("name", "Tên hệ thống chỉ gồm chữ, số và các dấu . _ - (ví dụ motcua)",
                   "A system's name holds letters, digits and . _ - only (e.g. motcua)");
  }
  TINHSO_RETURN_IF_ERROR(CheckRate(in.rate_per_second));
  TINHSO_RETURN_IF_ERROR(CheckIps(in.allowed_ips));
  Subsystem s{.name = name, .allowed_ips = in.allowed_ips, .rate_per_second = in.rate_per_second};
  s.created_at = g.clock.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto member,
                                tx.Query(sql::kMemberByCode, {{"code", Trim(in.member_code)}}));
        if (member.empty()) {
          return MakeError(ErrorCode::kNotFound, "gateway.not_found",
                           "Không có thành viên " + in.member_code + " trong danh bạ.",
                           "The registry has no member " + in.member_code + ".");
        }
        s.member_id = member[0].Int(0);
        s.code = member[0].Text(1) + "/" + name;
        TINHSO_ASSIGN_OR_RETURN(
            auto rows,
            tx.Query(sql::kInsertSubsystem, {{"member_id", s.member_id},
                                             {"code", s.code},
                                             {"name", name},
                                             {"allowed_ips", JoinIps(s.allowed_ips)},
                                             {"rate_per_second", std::int64_t{s.rate_per_second}},
                                             {"created_at", Secs(s.created_at)}}));
        s.id = rows.rows.at(0).Int(0);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, actor,
                          {"gateway.subsystem.add", "gateway_subsystem", s.code,
                           json::serialize(json::object{{"allowed_ips", JoinIps(s.allowed_ips)},
                                                        {"rate_per_second", s.rate_per_second}})},
                          s.created_at));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  return s;
}

Result<std::vector<Subsystem>> Service::Subsystems(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return storage::WithTransaction(
      impl_->db,
      [](storage::Transaction& tx) -> Result<std::vector<Subsystem>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kSubsystems));
        std::vector<Subsystem> out;
        for (const storage::Row& r : rows) out.push_back(SubsystemOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

namespace {

// One change of a subsystem's row under `action` (audited with `detail`), then the registry
// reloaded and the subsystem as it is now.
Result<Subsystem> ChangeRow(Gateway& g, std::string_view code, std::string_view statement,
                            storage::Params params, std::string_view action, std::string detail,
                            const core::Actor& actor) {
  params.emplace_back("code", std::string(code));
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(std::int64_t n, tx.Execute(statement, params));
        if (n != 1) return NotFound("system", code);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(audit::Append(
            tx, actor,
            {std::string(action), "gateway_subsystem", std::string(code), std::move(detail)},
            g.clock.Now()));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, g.Registry());
  auto it = snapshot->subsystems.find(std::string(code));
  if (it == snapshot->subsystems.end()) return NotFound("system", code);
  return it->second;
}

}  // namespace

Result<std::string> Service::IssueToken(std::string_view subsystem_code, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  // A prefix says what the secret is when it turns up in a log or a repository.
  std::string token = "lgsp_" + core::RandomToken(32);
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            std::int64_t n, tx.Execute(sql::kSetToken, {{"token_sha256", core::Sha256Hex(token)},
                                                        {"code", std::string(subsystem_code)}}));
        if (n != 1) return NotFound("system", subsystem_code);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(audit::Append(
            tx, actor,
            {"gateway.subsystem.token", "gateway_subsystem", std::string(subsystem_code), "{}"},
            g.clock.Now()));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  return token;
}

Result<Subsystem> Service::BindCertificate(std::string_view subsystem_code,
                                           std::string_view certificate, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  TINHSO_ASSIGN_OR_RETURN(auto digest, CertificateDigest(certificate));
  return ChangeRow(g, subsystem_code, sql::kSetCertificate, {{"certificate_sha256", digest.first}},
                   "gateway.subsystem.certificate",
                   json::serialize(json::object{{"certificate_sha256", digest.first}}), actor);
}

Result<Subsystem> Service::ChangeSubsystem(std::string_view code, const SubsystemChange& change,
                                           const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, g.Registry());
  auto it = snapshot->subsystems.find(std::string(code));
  if (it == snapshot->subsystems.end()) return NotFound("system", code);
  Subsystem s = it->second;
  json::object detail;
  if (change.allowed_ips) {
    TINHSO_RETURN_IF_ERROR(CheckIps(*change.allowed_ips));
    s.allowed_ips = *change.allowed_ips;
    detail["allowed_ips"] = JoinIps(s.allowed_ips);
  }
  if (change.rate_per_second) {
    TINHSO_RETURN_IF_ERROR(CheckRate(*change.rate_per_second));
    s.rate_per_second = *change.rate_per_second;
    detail["rate_per_second"] = s.rate_per_second;
  }
  if (change.enabled) {
    s.enabled = *change.enabled;
    detail["enabled"] = s.enabled;
  }
  return ChangeRow(g, code, sql::kChangeSubsystem,
                   {{"allowed_ips", JoinIps(s.allowed_ips)},
                    {"rate_per_second", std::int64_t{s.rate_per_second}},
                    {"enabled", std::int64_t{s.enabled ? 1 : 0}}},
                   "gateway.subsystem.change", json::serialize(detail), actor);
}

Result<Subsystem> Service::RevokeToken(std::string_view code, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  return ChangeRow(g, code, sql::kSetToken, {{"token_sha256", nullptr}},
                   "gateway.subsystem.token_revoke", "{}", actor);
}

Result<Subsystem> Service::UnbindCertificate(std::string_view code, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  return ChangeRow(g, code, sql::kSetCertificate, {{"certificate_sha256", nullptr}},
                   "gateway.subsystem.certificate_unbind", "{}", actor);
}

Result<ServiceInfo> Service::PutService(const ServiceInput& in, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  ServiceInfo s{.code = Trim(in.code),
                .provider_code = Trim(in.provider_code),
                .name = core::ToNfc(Trim(in.name)),
                .description = in.description,
                .upstream_url = Trim(in.upstream_url),
                .timeout_ms = in.timeout_ms,
                .max_request_bytes = in.max_request_bytes,
                .max_response_bytes = in.max_response_bytes,
                .enabled = in.enabled};
  if (!IsCode(s.code)) {
    return Invalid("code", "Mã dịch vụ chỉ gồm chữ, số và các dấu . _ - (ví dụ csdl-dancu)",
                   "A service's code holds letters, digits and . _ - only (e.g. csdl-dancu)");
  }
  if (s.name.empty()) return Invalid("name", "Nhập tên dịch vụ", "Enter the service's name");
  if (!s.upstream_url.starts_with("http://") && !s.upstream_url.starts_with("https://")) {
    return Invalid("upstream_url",
                   "Địa chỉ hệ thống cung cấp phải bắt đầu bằng http:// hoặc https://",
                   "The upstream address must start with http:// or https://");
  }
  while (s.upstream_url.ends_with('/')) s.upstream_url.pop_back();
  if (s.timeout_ms < 100 || s.timeout_ms > 300'000) {
    return Invalid("timeout_ms", "Thời gian chờ phải từ 100 ms đến 300000 ms",
                   "The timeout must be from 100 ms to 300000 ms");
  }
  if (s.max_request_bytes < 1 || s.max_response_bytes < 1 ||
      s.max_request_bytes > (std::int64_t{1} << 30) ||
      s.max_response_bytes > (std::int64_t{1} << 30)) {
    return Invalid("max_request_bytes", "Giới hạn kích thước phải từ 1 byte đến 1 GiB",
                   "Size limits must be from 1 byte to 1 GiB");
  }
  const core::Seconds now = g.clock.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto subsystems, tx.Query(sql::kSubsystems));
        s.provider_id = 0;
        for (const storage::Row& r : subsystems) {
          if (r.Text(2) == s.provider_code) s.provider_id = r.Int(0);
        }
        if (s.provider_id == 0) return NotFound("system", s.provider_code);
        TINHSO_ASSIGN_OR_RETURN(
            auto rows, tx.Query(sql::kUpsertService, {{"code", s.code},
                                                      {"provider_id", s.provider_id},
                                                      {"name", s.name},
                                                      {"description", s.description},
                                                      {"upstream_url", s.upstream_url},
                                                      {"timeout_ms", std::int64_t{s.timeout_ms}},
                                                      {"max_request_bytes", s.max_request_bytes},
                                                      {"max_response_bytes", s.max_response_bytes},
                                                      {"enabled", std::int64_t{s.enabled ? 1 : 0}},
                                                      {"now", Secs(now)},
                                                      {"now2", Secs(now)}}));
        s.id = rows.rows.at(0).Int(0);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, actor,
                          {"gateway.service.put", "gateway_service", s.code,
                           json::serialize(json::object{{"provider", s.provider_code},
                                                        {"upstream_url", s.upstream_url},
                                                        {"timeout_ms", s.timeout_ms},
                                                        {"enabled", s.enabled}})},
                          now));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  return s;
}

Result<std::vector<ServiceInfo>> Service::Services(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return storage::WithTransaction(
      impl_->db,
      [](storage::Transaction& tx) -> Result<std::vector<ServiceInfo>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kServices));
        std::vector<ServiceInfo> out;
        for (const storage::Row& r : rows) out.push_back(ServiceOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Result<Right> Service::Grant(const RightInput& in, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  if (in.per_minute < 0 || in.per_day < 0) {
    return Invalid("per_minute", "Hạn mức không được âm (0 là không giới hạn)",
                   "Quotas cannot be negative (0 means none)");
  }
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, g.Registry());
  auto client = snapshot->subsystems.find(Trim(in.client_code));
  if (client == snapshot->subsystems.end()) return NotFound("system", in.client_code);
  auto service = snapshot->services.find(Trim(in.service_code));
  if (service == snapshot->services.end()) return NotFound("service", in.service_code);
  Right right{.client_id = client->second.id,
              .client_code = client->second.code,
              .service_id = service->second.id,
              .service_code = service->second.code,
              .per_minute = in.per_minute,
              .per_day = in.per_day,
              .granted_at = g.clock.Now(),
              .granted_by = actor.user_id};
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        // One active right per pair: granting again replaces it (new quotas).
        TINHSO_ASSIGN_OR_RETURN(auto active,
                                tx.Query(sql::kActiveRight, {{"client_id", right.client_id},
                                                             {"service_id", right.service_id}}));
        for (const storage::Row& r : active) {
          TINHSO_RETURN_IF_ERROR(tx.Execute(
              sql::kWithdrawRight,
              {{"now", Secs(right.granted_at)}, {"by", actor.user_id}, {"id", r.Int(0)}}));
        }
        TINHSO_ASSIGN_OR_RETURN(
            auto rows, tx.Query(sql::kInsertRight, {{"client_id", right.client_id},
                                                    {"service_id", right.service_id},
                                                    {"per_minute", std::int64_t{right.per_minute}},
                                                    {"per_day", std::int64_t{right.per_day}},
                                                    {"now", Secs(right.granted_at)},
                                                    {"by", actor.user_id}}));
        right.id = rows.rows.at(0).Int(0);
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, actor,
                          {"gateway.right.grant", "gateway_right", std::to_string(right.id),
                           json::serialize(json::object{{"client", right.client_code},
                                                        {"service", right.service_code},
                                                        {"per_minute", right.per_minute},
                                                        {"per_day", right.per_day}})},
                          right.granted_at));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(g.Reload());
  return right;
}

Result<Right> Service::Withdraw(std::int64_t right_id, const core::Actor& actor) {
  Gateway& g = *impl_;
  TINHSO_RETURN_IF_ERROR(g.policy.Check(actor, "gateway.manage", {}));
  const core::Seconds now = g.clock.Now();
  std::optional<Right> withdrawn;
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(g.db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            std::int64_t n,
            tx.Execute(sql::kWithdrawRight,
                       {{"now", Secs(now)}, {"by", actor.user_id}, {"id", right_id}}));
        if (n != 1) {
          return MakeError(
              ErrorCode::kNotFound, "gateway.not_found",
              "Không có quyền truy cập đang hiệu lực với số " + std::to_string(right_id) + ".",
              "There is no active access right " + std::to_string(right_id) + ".");
        }
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kRights, {{"all", std::int64_t{1}}}));
        for (const storage::Row& r : rows) {
          if (r.Int(0) == right_id) withdrawn = RightOf(r);
        }
        TINHSO_RETURN_IF_ERROR(g.Changed(tx));
        TINHSO_RETURN_IF_ERROR(audit::Append(
            tx, actor,
            {"gateway.right.withdraw", "gateway_right", std::to_string(right_id),
             withdrawn ? json::serialize(json::object{{"client", withdrawn->client_code},
                                                      {"service", withdrawn->service_code}})
                       : "{}"},
            now));
        return Ok();
      }));
  // At once in this process; other processes within registry_refresh.
  TINHSO_RETURN_IF_ERROR(g.Reload());
  if (!withdrawn) return InternalError("withdrawn right not read back");
  return *withdrawn;
}

Result<std::vector<Right>> Service::Rights(bool include_withdrawn, const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return storage::WithTransaction(
      impl_->db,
      [&](storage::Transaction& tx) -> Result<std::vector<Right>> {
        TINHSO_ASSIGN_OR_RETURN(
            auto rows, tx.Query(sql::kRights, {{"all", std::int64_t{include_withdrawn ? 1 : 0}}}));
        std::vector<Right> out;
        for (const storage::Row& r : rows) out.push_back(RightOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Reply Service::Forward(const Call& call) { return impl_->Forward(call); }

Result<std::vector<LogRecord>> Service::Log(const LogFilter& filter,
                                            const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return impl_->Log(filter);
}
Result<std::int64_t> Service::Stamp() { return impl_->Stamp(); }
Result<VerifyReport> Service::Verify() { return impl_->Verify(); }
Result<void> Service::Evidence(std::int64_t seq, const std::filesystem::path& dir) {
  return impl_->Evidence(seq, dir);
}
Result<std::int64_t> Service::PurgeBodies() { return impl_->PurgeBodies(); }
Result<std::pair<std::string, std::string>> Service::Bodies(std::int64_t seq,
                                                            const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.manage", {}));
  return impl_->Bodies(seq);
}

}  // namespace tinhso::gateway
