// tinhso gateway …: the registry and the message log of the data-integration gateway from the
// command line, as the administrator's web page and API do (every change audited, as "system").
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/progress.hpp"
#include "core/clock.hpp"
#include "core/parse.hpp"

namespace tinhso::app {
namespace {

Result<std::unique_ptr<AppContext>> Open(const GatewayOptions& o, Config& config) {
  TINHSO_ASSIGN_OR_RETURN(config, LoadConfig(o.config_path));
  if (!o.database_url.empty()) config.database_url = o.database_url;
  if (!o.archive_dir.empty()) config.gateway_archive_dir = o.archive_dir;
  return OpenApp(config);
}

// Runs `body` on the opened application; its error, or the open's, is reported.
template <class F>
int WithGateway(const GatewayOptions& o, F body) {
  Config config;
  auto ctx = Open(o, config);
  if (!ctx.ok()) return ReportError(ctx.error());
  Result<int> code = body((*ctx)->app->gateway(), config);
  if (!code.ok()) return ReportError(code.error());
  return *code;
}

std::string Ips(const std::vector<std::string>& ips) {
  std::string out;
  for (const std::string& ip : ips) out += (out.empty() ? "" : ",") + ip;
  return out.empty() ? "*" : out;
}

}  // namespace

int RunGatewayMembers(const GatewayOptions& o, bool add) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (add) {
      TINHSO_ASSIGN_OR_RETURN(gateway::Member m,
                              g.AddMember({.code = o.code, .name = o.name}, core::SystemActor()));
      std::cout << "Đã thêm thành viên / member added: " << m.code << "\n";
      return 0;
    }
    TINHSO_ASSIGN_OR_RETURN(auto members, g.Members(core::SystemActor()));
    for (const gateway::Member& m : members) std::cout << m.code << "\t" << m.name << "\n";
    return 0;
  });
}

int RunGatewaySubsystems(const GatewayOptions& o, std::string_view what) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (what == "set") {
      gateway::SubsystemChange change{.rate_per_second = o.new_rate, .enabled = o.enabled};
      if (o.any_ip) {
        change.allowed_ips = std::vector<std::string>{};
      } else if (!o.allowed_ips.empty()) {
        change.allowed_ips = o.allowed_ips;
      }
      TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                              g.ChangeSubsystem(o.subsystem, change, core::SystemActor()));
      std::cout << "Đã sửa hệ thống / system changed: " << s.code << "\t"
                << (s.enabled ? "bật / enabled" : "tắt / disabled") << "\t" << Ips(s.allowed_ips)
                << "\t" << s.rate_per_second << "/s\n";
      return 0;
    }
    if (what == "add") {
      TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                              g.AddSubsystem({.member_code = o.member,
                                              .name = o.name,
                                              .allowed_ips = o.allowed_ips,
                                              .rate_per_second = o.rate_per_second},
                                             core::SystemActor()));
      std::cout << "Đã thêm hệ thống / system added: " << s.code << "\n";
      return 0;
    }
    TINHSO_ASSIGN_OR_RETURN(auto subsystems, g.Subsystems(core::SystemActor()));
    for (const gateway::Subsystem& s : subsystems) {
      std::cout << s.code << "\t" << (s.has_token ? "token" : "-") << "\t"
                << (s.certificate_sha256.empty() ? "-" : "mTLS") << "\t" << Ips(s.allowed_ips)
                << "\t" << s.rate_per_second << "/s\n";
    }
    return 0;
  });
}

int RunGatewayServices(const GatewayOptions& o, bool put) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (put) {
      TINHSO_ASSIGN_OR_RETURN(gateway::ServiceInfo s, g.PutService({.code = o.code,
                                                                    .provider_code = o.subsystem,
                                                                    .name = o.name,
                                                                    .upstream_url = o.upstream_url},
                                                                   core::SystemActor()));
      std::cout << "Đã đăng ký dịch vụ / service registered: " << s.code << " → " << s.upstream_url
                << "\n";
      return 0;
    }
    TINHSO_ASSIGN_OR_RETURN(auto services, g.Services(core::SystemActor()));
    for (const gateway::ServiceInfo& s : services) {
      std::cout << s.code << "\t" << s.provider_code << "\t" << s.upstream_url << "\t"
                << (s.enabled ? "" : "(tắt / off)") << "\n";
    }
    return 0;
  });
}

int RunGatewayRights(const GatewayOptions& o, std::string_view what) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (what == "grant") {
      TINHSO_ASSIGN_OR_RETURN(gateway::Right r, g.Grant({.client_code = o.subsystem,
                                                         .service_code = o.service,
                                                         .per_minute = o.per_minute,
                                                         .per_day = o.per_day},
                                                        core::SystemActor()));
      std::cout << "Đã cấp quyền / right granted: #" << r.id << " " << r.client_code << " → "
                << r.service_code << "\n";
      return 0;
    }
    if (what == "withdraw") {
      TINHSO_ASSIGN_OR_RETURN(gateway::Right r, g.Withdraw(o.id, core::SystemActor()));
      std::cout << "Đã thu hồi quyền / right withdrawn: #" << r.id << " " << r.client_code << " → "
                << r.service_code << "\n";
      return 0;
    }
    TINHSO_ASSIGN_OR_RETURN(auto rights, g.Rights(false, core::SystemActor()));
    for (const gateway::Right& r : rights) {
      std::cout << "#" << r.id << "\t" << r.client_code << "\t" << r.service_code << "\t"
                << r.per_minute << "/phút\t" << r.per_day << "/ngày\n";
    }
    return 0;
  });
}

int RunGatewayToken(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (o.revoke) {
      TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                              g.RevokeToken(o.subsystem, core::SystemActor()));
      (void)s;
      std::cout << "Đã thu hồi mã truy cập của / access token revoked: " << o.subsystem << "\n";
      return 0;
    }
    TINHSO_ASSIGN_OR_RETURN(std::string token, g.IssueToken(o.subsystem, core::SystemActor()));
    std::cerr << "Mã truy cập mới của / new access token of " << o.subsystem
              << " (chỉ hiện một lần / shown once):\n";
    std::cout << token << "\n";
    return 0;
  });
}

int RunGatewayCertificate(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    if (o.unbind) {
      TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                              g.UnbindCertificate(o.subsystem, core::SystemActor()));
      (void)s;
      std::cout << "Đã gỡ chứng thư số của / certificate unbound: " << o.subsystem << "\n";
      return 0;
    }
    if (o.certificate_file.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "cli.certificate_file_missing",
                       "Cần --file <tệp chứng thư số> để gắn, hoặc --unbind để gỡ.",
                       "Give --file <certificate file> to bind one, or --unbind to unbind.");
    }
    std::ifstream in(o.certificate_file, std::ios::binary);
    std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                            g.BindCertificate(o.subsystem, pem, core::SystemActor()));
    std::cout << s.code << "\t" << s.certificate_sha256 << "\n";
    return 0;
  });
}

int RunGatewayLogList(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    TINHSO_ASSIGN_OR_RETURN(auto records,
                            g.Log({.client = o.subsystem, .service = o.service, .limit = o.limit},
                                  core::SystemActor()));
    for (const gateway::LogRecord& r : records) {
      std::cout << r.seq << "\t"
                << core::FormatTimestamp(core::Seconds(std::chrono::seconds(r.at_ms / 1000)))
                << "\t" << (r.client.empty() ? "?" : r.client) << "\t" << r.service << "\t"
                << r.method << " " << r.path << "\t" << r.status
                << (r.error_code.empty() ? "" : " (" + r.error_code + ")") << "\t"
                << (r.stamp_id ? "đã đóng dấu / stamped" : "chờ đóng dấu / unstamped") << "\n";
    }
    return 0;
  });
}

int RunGatewayLogVerify(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    TINHSO_ASSIGN_OR_RETURN(gateway::VerifyReport r, g.Verify());
    if (!r.ok) {
      std::cerr << "NHẬT KÝ GIAO DỊCH BỊ THAY ĐỔI: " << r.problem_vi
                << "\nGATEWAY MESSAGE LOG TAMPERED: " << r.problem_en << "\n";
      return 3;
    }
    std::cout << "Nhật ký giao dịch toàn vẹn: " << r.records << " bản ghi, chữ ký hợp lệ; "
              << r.stamps << " lô đóng dấu thời gian hợp lệ; " << r.archives
              << " tệp lưu trữ hợp lệ.\n"
              << "Message log intact: " << r.records << " records, signatures valid; " << r.stamps
              << " time-stamp batches valid; " << r.archives << " archive files valid.\n";
    return 0;
  });
}

int RunGatewayLogStamp(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    TINHSO_ASSIGN_OR_RETURN(std::int64_t n, g.Stamp());
    std::cout << "Đã đóng dấu thời gian / time-stamped: " << n << " bản ghi / records\n";
    return 0;
  });
}

int RunGatewayLogEvidence(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config&) -> Result<int> {
    const std::string dir = o.out.empty() ? "evidence-" + std::to_string(o.id) : o.out;
    TINHSO_RETURN_IF_ERROR(g.Evidence(o.id, dir));
    std::cout << "Bằng chứng của bản ghi / evidence of record " << o.id << ": " << dir
              << "\nKiểm tra / check it: bash " << dir << "/verify.sh\n";
    return 0;
  });
}

int RunGatewayLogArchive(const GatewayOptions& o) {
  return WithGateway(o, [&](gateway::Service& g, const Config& config) -> Result<int> {
    const std::string& dir = config.gateway_archive_dir;
    int files = 0;
    while (true) {
      TINHSO_ASSIGN_OR_RETURN(std::optional<gateway::LogArchive> a, g.Archive());
      if (!a) break;
      ++files;
      std::cout << "Đã lưu trữ / archived: " << dir << "/" << a->file_name
                << "\n  bản ghi / records " << a->first_seq << "–" << a->last_seq << " ("
                << a->records << "), " << a->stamps
                << " lô đóng dấu / time-stamp batches\n  SHA-256 " << a->sha256
                << "\n  chữ ký / signature: " << a->file_name << ".p7s\n";
    }
    if (files == 0) {
      std::cout << "Không có bản ghi đã đóng dấu nào chờ lưu trữ / no time-stamped records waiting "
                   "to be archived.\n";
    }
    if (o.purge) {
      TINHSO_ASSIGN_OR_RETURN(std::int64_t purged, g.PurgeArchived());
      std::cout << "Đã xóa khỏi cơ sở dữ liệu / deleted from the database: " << purged
                << " bản ghi đã lưu trữ quá hạn / archived records past the retention\n";
    }
    return 0;
  });
}

}  // namespace tinhso::app
