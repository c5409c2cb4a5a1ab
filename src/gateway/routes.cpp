// Thin handlers: the registry's administration, the message log, and the gateway's door
// /lgsp/{service}/… through which other systems call.
#include <functional>

#include "gateway/api.hpp"
#include "gateway/gateway.hpp"

namespace tinhso::gateway {
namespace {

using http::Method;

MemberView View(const Member& m) {
  return {.id = m.id,
          .code = m.code,
          .name = m.name,
          .agency_id = m.agency_id,
          .created_at = m.created_at};
}

SubsystemView View(const Subsystem& s) {
  return {.id = s.id,
          .member_id = s.member_id,
          .code = s.code,
          .name = s.name,
          .has_token = s.has_token,
          .certificate_sha256 = s.certificate_sha256,
          .allowed_ips = s.allowed_ips,
          .rate_per_second = s.rate_per_second,
          .enabled = s.enabled,
          .created_at = s.created_at};
}

ServiceView View(const ServiceInfo& s) {
  return {.id = s.id,
          .code = s.code,
          .provider_code = s.provider_code,
          .name = s.name,
          .description = s.description,
          .upstream_url = s.upstream_url,
          .timeout_ms = s.timeout_ms,
          .max_request_bytes = s.max_request_bytes,
          .max_response_bytes = s.max_response_bytes,
          .enabled = s.enabled};
}

RightView View(const Right& r) {
  return {.id = r.id,
          .client = r.client_code,
          .service = r.service_code,
          .per_minute = r.per_minute,
          .per_day = r.per_day,
          .granted_at = r.granted_at,
          .granted_by = r.granted_by,
          .withdrawn_at = r.withdrawn_at};
}

LogView View(const LogRecord& l) {
  return {.seq = l.seq,
          .at_ms = l.at_ms,
          .request_id = l.request_id,
          .client = l.client,
          .client_ip = l.client_ip,
          .service = l.service,
          .method = l.method,
          .path = l.path,
          .status = l.status,
          .error_code = l.error_code,
          .request_bytes = l.request_bytes,
          .response_bytes = l.response_bytes,
          .request_sha256 = l.request_sha256,
          .response_sha256 = l.response_sha256,
          .duration_us = l.duration_us,
          .hash = l.hash,
          .bodies_kept = l.bodies_kept,
          .stamp_id = l.stamp_id};
}

AlertView View(const Alert& a) {
  return {.service = a.service,
          .kind = a.kind,
          .value = a.value,
          .threshold = a.threshold,
          .calls = a.calls,
          .since_ms = a.since_ms};
}

ArchiveView View(const LogArchive& a) {
  return {.first_seq = a.first_seq,
          .last_seq = a.last_seq,
          .records = a.records,
          .stamps = a.stamps,
          .file_name = a.file_name,
          .sha256 = a.sha256,
          .created_at = a.created_at,
          .purged = a.purged};
}

template <class List, class T>
List ListOf(const std::vector<T>& items) {
  List out;
  for (const T& item : items) out.items.push_back(View(item));
  return out;
}

Result<http::Response> Members(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto members, svc.Members(ctx.actor));
  return http::Reply(200, ListOf<MemberList>(members));
}

Result<http::Response> Alerts(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto alerts, svc.Alerts(ctx.actor));
  return http::Reply(200, ListOf<AlertList>(alerts));
}

Result<http::Response> Archives(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto archives, svc.Archives(ctx.actor));
  return http::Reply(200, ListOf<ArchiveList>(archives));
}

Result<http::Response> AddMember(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<MemberBody>();
  TINHSO_ASSIGN_OR_RETURN(
      Member m,
      svc.AddMember({.code = b.code.value, .name = b.name.value, .agency_id = b.agency_id},
                    ctx.actor));
  return http::Reply(201, View(m));
}

Result<http::Response> Subsystems(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto subsystems, svc.Subsystems(ctx.actor));
  return http::Reply(200, ListOf<SubsystemList>(subsystems));
}

Result<http::Response> AddSubsystem(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<SubsystemBody>();
  TINHSO_ASSIGN_OR_RETURN(
      Subsystem s,
      svc.AddSubsystem({.member_code = b.member_code.value,
                        .name = b.name.value,
                        .allowed_ips = b.allowed_ips.value_or(std::vector<std::string>{}),
                        .rate_per_second = b.rate_per_second ? b.rate_per_second->value : 50},
                       ctx.actor));
  return http::Reply(201, View(s));
}

std::string SubsystemCode(const http::Context& ctx) {
  return std::string(ctx.Param("member")) + "/" + std::string(ctx.Param("name"));
}

Result<http::Response> ChangeSubsystem(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<SubsystemChangeBody>();
  SubsystemChange change{.allowed_ips = b.allowed_ips, .enabled = b.enabled};
  if (b.rate_per_second) change.rate_per_second = b.rate_per_second->value;
  TINHSO_ASSIGN_OR_RETURN(Subsystem s, svc.ChangeSubsystem(SubsystemCode(ctx), change, ctx.actor));
  return http::Reply(200, View(s));
}

Result<http::Response> RevokeToken(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Subsystem s, svc.RevokeToken(SubsystemCode(ctx), ctx.actor));
  return http::Reply(200, View(s));
}

Result<http::Response> UnbindCertificate(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Subsystem s, svc.UnbindCertificate(SubsystemCode(ctx), ctx.actor));
  return http::Reply(200, View(s));
}

Result<http::Response> IssueToken(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<TokenBody>();
  TINHSO_ASSIGN_OR_RETURN(std::string token, svc.IssueToken(b.subsystem.value, ctx.actor));
  http::Response r = http::Reply(201, TokenView{.subsystem = b.subsystem.value, .token = token});
  r.headers.emplace_back("cache-control", "no-store");
  return r;
}

Result<http::Response> BindCertificate(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<CertificateBody>();
  TINHSO_ASSIGN_OR_RETURN(
      Subsystem s, svc.BindCertificate(b.subsystem.value, b.certificate_pem.value, ctx.actor));
  return http::Reply(200, View(s));
}

Result<http::Response> Services(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto services, svc.Services(ctx.actor));
  return http::Reply(200, ListOf<ServiceList>(services));
}

Result<http::Response> PutService(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<ServiceBody>();
  ServiceInput in{.code = std::string(ctx.Param("code")),
                  .provider_code = b.provider_code.value,
                  .name = b.name.value,
                  .description = b.description ? b.description->value : "",
                  .upstream_url = b.upstream_url.value};
  if (b.timeout_ms) in.timeout_ms = *b.timeout_ms;
  if (b.max_request_bytes) in.max_request_bytes = *b.max_request_bytes;
  if (b.max_response_bytes) in.max_response_bytes = *b.max_response_bytes;
  if (b.enabled) in.enabled = *b.enabled;
  TINHSO_ASSIGN_OR_RETURN(ServiceInfo s, svc.PutService(in, ctx.actor));
  return http::Reply(200, View(s));
}

Result<http::Response> Rights(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<RightsQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto rights, svc.Rights(q.all.value_or(false), ctx.actor));
  return http::Reply(200, ListOf<RightList>(rights));
}

Result<http::Response> Grant(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& b = ctx.Body<RightBody>();
  TINHSO_ASSIGN_OR_RETURN(Right r, svc.Grant({.client_code = b.client.value,
                                              .service_code = b.service.value,
                                              .per_minute = b.per_minute ? b.per_minute->value : 0,
                                              .per_day = b.per_day ? b.per_day->value : 0},
                                             ctx.actor));
  return http::Reply(201, View(r));
}

Result<http::Response> Withdraw(Service& svc, const http::Request&, http::Context& ctx) {
  const std::int64_t id = std::stoll(std::string(ctx.Param("id")));
  TINHSO_ASSIGN_OR_RETURN(Right r, svc.Withdraw(id, ctx.actor));
  return http::Reply(200, View(r));
}

Result<http::Response> Log(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<LogQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto records, svc.Log({.client = q.client ? q.client->value : "",
                                                 .service = q.service ? q.service->value : "",
                                                 .before_seq = q.before.value_or(0),
                                                 .limit = q.limit},
                                                ctx.actor));
  return http::Reply(200, ListOf<LogList>(records));
}

// The door. The caller proves who it is to the gateway (Forward), not to the user sessions.
Result<http::Response> Door(Service& svc, const http::Request& req, http::Context& ctx) {
  Call call;
  call.caller.ip = req.client_ip;
  call.caller.certificate_der = req.client_certificate;
  const std::string_view authorization = req.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    call.caller.bearer_token = std::string(authorization.substr(7));
  }
  call.service = std::string(ctx.Param("service"));
  call.method = req.method;
  if (auto it = ctx.params.find("path"); it != ctx.params.end()) call.path = "/" + it->second;
  call.query = req.raw_query;
  call.headers = req.headers;
  TINHSO_ASSIGN_OR_RETURN(call.body, http::RequestBody(req, std::uint64_t{1} << 30));
  call.request_id = ctx.request_id;
  Reply reply = svc.Forward(call);
  http::Response r;
  r.status = reply.status;
  r.content_type = reply.content_type;
  r.headers = std::move(reply.headers);
  if (reply.log_seq != 0) r.headers.emplace_back("x-tinhso-log-seq", std::to_string(reply.log_seq));
  r.body = std::move(reply.body);
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  auto svc = std::ref(service);
  const http::PathParam id = http::IdParam("id");
  const http::PathParam code = http::CodeParam("code");
  const std::string tag = "gateway";
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/members",
              .action = "gateway.read",
              .summary_vi = "Thành viên của nền tảng tích hợp (cơ quan, tổ chức)",
              .summary_en = "The gateway's members (agencies, bodies)",
              .handler = std::bind_front(Members, svc),
              .tag = tag,
              .answers = {http::Returns<MemberList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/alerts",
              .action = "gateway.read",
              .summary_vi = "Cảnh báo: dịch vụ có tỷ lệ lỗi hoặc độ trễ vượt ngưỡng",
              .summary_en = "Alerts: services whose error rate or latency is over its threshold",
              .handler = std::bind_front(Alerts, svc),
              .tag = tag,
              .answers = {http::Returns<AlertList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/archives",
              .action = "gateway.read",
              .summary_vi = "Các tệp lưu trữ nhật ký giao dịch (cũ nhất trước)",
              .summary_en = "The message log's archive files (oldest first)",
              .handler = std::bind_front(Archives, svc),
              .tag = tag,
              .answers = {http::Returns<ArchiveList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/gateway/members",
              .action = "gateway.manage",
              .summary_vi = "Thêm thành viên",
              .summary_en = "Add a member",
              .handler = std::bind_front(AddMember, svc),
              .tag = tag,
              .body = http::JsonBody<MemberBody>(),
              .answers = {http::Returns<MemberView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/subsystems",
              .action = "gateway.read",
              .summary_vi = "Hệ thống thông tin của các thành viên",
              .summary_en = "The members' information systems",
              .handler = std::bind_front(Subsystems, svc),
              .tag = tag,
              .answers = {http::Returns<SubsystemList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/gateway/subsystems",
              .action = "gateway.manage",
              .summary_vi = "Thêm hệ thống thông tin của một thành viên",
              .summary_en = "Add a member's information system",
              .handler = std::bind_front(AddSubsystem, svc),
              .tag = tag,
              .body = http::JsonBody<SubsystemBody>(),
              .answers = {http::Returns<SubsystemView>(201)}});
  const std::vector<http::PathParam> subsystem{http::CodeParam("member"), http::CodeParam("name")};
  router.Add({.method = Method::kPatch,
              .path = "/api/v1/gateway/subsystems/{member}/{name}",
              .action = "gateway.manage",
              .summary_vi = "Sửa địa chỉ được phép, giới hạn mỗi giây hoặc bật/tắt một hệ thống",
              .summary_en = "Change a system's allowed addresses or rate, or enable or disable it",
              .handler = std::bind_front(ChangeSubsystem, svc),
              .tag = tag,
              .params = subsystem,
              .body = http::JsonBody<SubsystemChangeBody>(),
              .answers = {http::Returns<SubsystemView>()}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/gateway/subsystems/{member}/{name}/token",
              .action = "gateway.manage",
              .summary_vi = "Thu hồi mã truy cập của một hệ thống (hết hiệu lực ngay)",
              .summary_en = "Revoke a system's access token (it stops working at once)",
              .handler = std::bind_front(RevokeToken, svc),
              .tag = tag,
              .params = subsystem,
              .answers = {http::Returns<SubsystemView>()}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/gateway/subsystems/{member}/{name}/certificate",
              .action = "gateway.manage",
              .summary_vi = "Gỡ chứng thư số đã gắn với một hệ thống",
              .summary_en = "Unbind the certificate bound to a system",
              .handler = std::bind_front(UnbindCertificate, svc),
              .tag = tag,
              .params = subsystem,
              .answers = {http::Returns<SubsystemView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/gateway/tokens",
              .action = "gateway.manage",
              .summary_vi = "Cấp mã truy cập mới cho một hệ thống (mã cũ hết hiệu lực)",
              .summary_en = "Issue a new access token to a system (the old one stops working)",
              .handler = std::bind_front(IssueToken, svc),
              .tag = tag,
              .body = http::JsonBody<TokenBody>(),
              .answers = {http::Returns<TokenView>(201)}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/gateway/certificates",
              .action = "gateway.manage",
              .summary_vi = "Gắn chứng thư số của hệ thống (xác thực TLS hai chiều)",
              .summary_en = "Bind a system's certificate (mutual TLS authentication)",
              .handler = std::bind_front(BindCertificate, svc),
              .tag = tag,
              .body = http::JsonBody<CertificateBody>(),
              .answers = {http::Returns<SubsystemView>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/services",
              .action = "gateway.read",
              .summary_vi = "Dịch vụ cung cấp qua nền tảng tích hợp",
              .summary_en = "Services offered through the gateway",
              .handler = std::bind_front(Services, svc),
              .tag = tag,
              .answers = {http::Returns<ServiceList>()}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/gateway/services/{code}",
              .action = "gateway.manage",
              .summary_vi = "Đăng ký hoặc sửa một dịch vụ",
              .summary_en = "Register or change a service",
              .handler = std::bind_front(PutService, svc),
              .tag = tag,
              .params = {code},
              .body = http::JsonBody<ServiceBody>(),
              .answers = {http::Returns<ServiceView>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/rights",
              .action = "gateway.read",
              .summary_vi = "Quyền truy cập: hệ thống nào được gọi dịch vụ nào",
              .summary_en = "Access rights: which system may call which service",
              .handler = std::bind_front(Rights, svc),
              .tag = tag,
              .query = http::QueryParams<RightsQuery>(),
              .answers = {http::Returns<RightList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/gateway/rights",
              .action = "gateway.manage",
              .summary_vi = "Cấp quyền gọi một dịch vụ (kèm hạn mức)",
              .summary_en = "Grant the right to call a service (with quotas)",
              .handler = std::bind_front(Grant, svc),
              .tag = tag,
              .body = http::JsonBody<RightBody>(),
              .answers = {http::Returns<RightView>(201)}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/gateway/rights/{id}",
              .action = "gateway.manage",
              .summary_vi = "Thu hồi quyền truy cập (có hiệu lực ngay)",
              .summary_en = "Withdraw an access right (takes effect at once)",
              .handler = std::bind_front(Withdraw, svc),
              .tag = tag,
              .params = {id},
              .answers = {http::Returns<RightView>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/gateway/log",
              .action = "gateway.read",
              .summary_vi = "Nhật ký giao dịch qua nền tảng tích hợp, mới nhất trước",
              .summary_en = "The gateway's message log, newest first",
              .handler = std::bind_front(Log, svc),
              .tag = tag,
              .query = http::QueryParams<LogQuery>(),
              .answers = {http::Returns<LogList>()}});

  http::PathParam service_param = http::CodeParam("service");
  service_param.description = "Mã dịch vụ / the service's code, e.g. csdl-dancu";
  http::PathParam path_param{.name = "path"};
  path_param.description =
      "Đường dẫn chuyển tiếp tới hệ thống cung cấp, có thể gồm nhiều đoạn / the path passed on "
      "to the upstream, slashes included";
  for (Method method :
       {Method::kGet, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
    for (bool with_path : {false, true}) {
      http::Route r{.method = method,
                    .path = with_path ? "/lgsp/{service}/{path...}" : "/lgsp/{service}",
                    .action = "gateway.call",
                    .summary_vi =
                        "Gọi một dịch vụ qua nền tảng tích hợp (xác thực bằng chứng thư "
                        "số của hệ thống hoặc mã truy cập)",
                    .summary_en =
                        "Call a service through the gateway (authenticated by the "
                        "system's certificate or an access token)",
                    .handler = std::bind_front(Door, svc),
                    // A body of any size the service allows, streamed to disk past the
                    // in-memory limit; GET and DELETE carry none.
                    .upload = method != Method::kGet && method != Method::kDelete,
                    .writes = true,
                    .tag = tag};
      r.params = with_path ? std::vector<http::PathParam>{service_param, path_param}
                           : std::vector<http::PathParam>{service_param};
      if (method != Method::kGet && method != Method::kDelete) {
        r.raw_body = {
            .types = {"application/json", "application/xml", "application/octet-stream"},
            .required = false,
            .description = "Chuyển nguyên vẹn tới hệ thống cung cấp / passed on unchanged"};
      }
      r.answers = {{.status = 200,
                    .content_type = "application/octet-stream",
                    .description = "Câu trả lời của hệ thống cung cấp, nguyên vẹn / the upstream's "
                                   "answer, unchanged"}};
      r.errors = http::ErrorBody<LgspError>();
      router.Add(std::move(r));
    }
  }
}

}  // namespace tinhso::gateway
