// Thin HTTP handlers for the PKI: parse, call the service, render.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/api.hpp"
#include "pki/api.hpp"
#include "pki/pki.hpp"

namespace tinhso::http {
namespace {

const std::vector<std::string>& KeyTypeNames() {
  static const std::vector<std::string> names{
      std::string(pki::KeyTypeName(pki::KeyType::kEcdsaP256)),
      std::string(pki::KeyTypeName(pki::KeyType::kRsa3072))};
  return names;
}

}  // namespace

void Codec<pki::KeyType>::Schema(SchemaSet&, boost::json::object& out) {
  EnumCodec::Schema(KeyTypeNames(), out);
}

Result<void> Codec<pki::KeyType>::Read(const boost::json::value& v, const std::string& field,
                                       pki::KeyType& out) {
  const auto parsed = v.is_string() ? pki::ParseKeyType(v.as_string()) : std::nullopt;
  if (!parsed) return EnumCodec::Unknown(KeyTypeNames(), field);
  out = *parsed;
  return Ok();
}

boost::json::value Codec<pki::KeyType>::Write(pki::KeyType v) {
  return boost::json::string(pki::KeyTypeName(v));
}

}  // namespace tinhso::http

namespace tinhso::pki {
namespace {

using http::Method;

CertificateView ToApi(const Certificate& c) {
  return {.id = c.id,
          .serial = c.serial,
          .kind = c.kind,
          .subject = c.subject,
          .issuer = c.issuer,
          .issuer_id = c.issuer_id,
          .has_key = c.has_key,
          .key_type = c.key_type,
          .agency_id = c.agency_id,
          .user_id = c.user_id,
          .not_before = c.not_before,
          .not_after = c.not_after,
          .trusted = c.trusted,
          .status = c.status,
          .revoked_at = c.revoked_at,
          .replaced_by = c.replaced_by,
          .has_appearance = c.has_appearance,
          .sha256 = c.sha256,
          .pem = c.Pem()};
}

CertificateList ToApi(const std::vector<Certificate>& certificates) {
  CertificateList list;
  list.items.reserve(certificates.size());
  for (const Certificate& c : certificates) list.items.push_back(ToApi(c));
  return list;
}

Result<std::int64_t> PathId(const http::Context& c) {
  auto id = core::ParseInt64(c.Param("id"));
  if (!id || *id <= 0) {
    return json::FieldError("id", "phải là số nguyên dương.", "must be a positive integer.");
  }
  return *id;
}

// PUT /api/v1/pki/certificates/{id}/appearance, body: the PNG (empty: remove it).
Result<http::Response> SetAppearanceHandler(Service& svc, const http::Request& req,
                                            http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::string png, http::RequestBody(req, 512 * 1024));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.SetAppearance(id, png, ctx.actor));
  return http::Reply(200, ToApi(c));
}

Result<http::Response> AppearanceHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::string png, svc.Appearance(id, ctx.actor));
  // Checked to be a PNG when registered, yet bytes someone uploaded all the same.
  return http::UploadedFile(std::move(png), "image/png", /*show_inline=*/true);
}

Result<http::Response> ListHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& query = ctx.Query<CertificateListQuery>();
  ListQuery q;
  q.kind = query.kind;
  q.agency_id = query.agency_id;
  q.user_id = query.user_id;
  q.include_inactive = query.all;
  TINHSO_ASSIGN_OR_RETURN(auto found, svc.List(q, ctx.actor));
  return http::Reply(200, ToApi(found));
}

Result<http::Response> GetHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Get(id, ctx.actor));
  return http::Reply(200, ToApi(c));
}

Result<http::Response> IssueHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<CertificateIssueInput>();
  IssueInput in;
  in.kind = body.kind;
  if (body.key_type) in.key_type = *body.key_type;
  const CertificateSubject& s = body.subject;
  auto text = [](const std::optional<http::Text<200>>& t) { return t ? t->value : std::string(); };
  in.subject = {.common_name = s.common_name.value,
                .organization = s.organization.value,
                .unit = text(s.unit),
                .title = text(s.title),
                .locality = text(s.locality),
                .serial = text(s.serial),
                .email = text(s.email)};
  in.agency_id = body.agency_id.value_or(0);
  in.user_id = body.user_id.value_or(0);
  if (body.validity_days) {
    in.validity_days = static_cast<int>(std::clamp<std::int64_t>(*body.validity_days, 0, 100000));
  }
  for (const auto& name : body.dns_names.value_or(std::vector<http::Text<253>>{})) {
    in.dns_names.push_back(name.value);
  }
  for (const auto& ip : body.ip_addresses.value_or(std::vector<http::Text<45>>{})) {
    in.ip_addresses.push_back(ip.value);
  }
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Issue(in, ctx.actor));
  return http::Reply(201, ToApi(c));
}

Result<http::Response> RenewHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Renew(id, ctx.actor));
  return http::Reply(201, ToApi(c));
}

// POST /api/v1/pki/certificates/{id}/export: the file the system installs, as an attachment.
Result<http::Response> ExportHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  const auto& body = ctx.Body<CertificateExportInput>();
  const ExportFormat format = body.format.value_or(ExportFormat::kPkcs12);
  TINHSO_ASSIGN_OR_RETURN(std::string file, svc.Export(id, format, body.password.value, ctx.actor));
  const bool p12 = format == ExportFormat::kPkcs12;
  http::Response r;
  r.content_type = p12 ? "application/x-pkcs12" : "application/x-pem-file";
  r.body = std::move(file);
  r.headers.emplace_back(
      "Content-Disposition",
      "attachment; filename=\"system-" + std::to_string(id) + (p12 ? ".p12\"" : ".pem\""));
  return r;
}

// The revocation body may be left out: the reason is then "unspecified".
Result<std::any> ParseRevocation(const http::Request& req) {
  TINHSO_ASSIGN_OR_RETURN(auto in,
                          http::ParseJson<RevocationInput>(req.body.empty() ? "{}" : req.body));
  return std::any(std::move(in));
}

Result<http::Response> RevokeHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  const auto& body = ctx.Body<RevocationInput>();
  TINHSO_ASSIGN_OR_RETURN(
      Certificate c,
      svc.Revoke(id, body.reason.value_or(RevocationReason::kUnspecified), ctx.actor));
  return http::Reply(200, ToApi(c));
}

Result<http::Response> ImportHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<Pkcs12ImportInput>();
  auto p12 = core::Base64Decode(body.pkcs12.value);
  if (!p12) {
    return json::FieldError("pkcs12", "phải là tệp PKCS#12 mã hóa base64.",
                            "must be a PKCS#12 file in base64.");
  }
  TINHSO_ASSIGN_OR_RETURN(
      Certificate c,
      svc.ImportPkcs12(*p12, body.password ? body.password->value : "", body.kind,
                       body.agency_id.value_or(0), body.user_id.value_or(0), ctx.actor));
  return http::Reply(201, ToApi(c));
}

Result<http::Response> TrustHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<TrustAnchorInput>();
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.AddTrustAnchor(body.certificate.value, ctx.actor));
  return http::Reply(201, ToApi(c));
}

// GET /api/v1/pki/crl/{file}: "<issuer id>.crl", DER (RFC 5280 §4.2.1.13 distribution point).
Result<http::Response> CrlHandler(Service& svc, const http::Request&, http::Context& ctx) {
  std::string_view file = ctx.Param("file");
  auto id =
      file.ends_with(".crl") ? core::ParseInt64(file.substr(0, file.size() - 4)) : std::nullopt;
  if (!id) {
    return MakeError(ErrorCode::kNotFound, "pki.crl_not_found", "Không có danh sách thu hồi này.",
                     "No such revocation list.");
  }
  TINHSO_ASSIGN_OR_RETURN(std::string der, svc.Crl(*id));
  http::Response r;
  r.status = 200;
  r.content_type = "application/pkix-crl";
  r.body = std::move(der);
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

// GET /api/v1/pki/ca: the trust anchors and CA certificates, for anyone to verify with.
Result<http::Response> CaHandler(Service& svc, const http::Request&, http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(auto cas, svc.Intermediates());
  std::erase_if(cas,
                [](const Certificate& c) { return c.kind == Kind::kExternalCa && !c.trusted; });
  return http::Reply(200, ToApi(cas));
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  auto svc = std::ref(service);
  const http::PathParam id = http::IdParam("id");
  http::TypeDecl revocation = http::JsonBody<RevocationInput>();
  revocation.parse = &ParseRevocation;
  http::PathParam crl_file = http::CodeParam("file", "^[0-9]+\\.crl$");
  crl_file.description = "Mã của CA, thêm .crl / the CA certificate's id, then .crl (\"2.crl\")";
  http::Answer png = http::FileAnswer(200, "image/png");
  png.description = "Ảnh PNG đã đăng ký / the registered PNG";
  http::Answer crl = http::FileAnswer(200, "application/pkix-crl");
  crl.description = "CRL (DER), Cache-Control: public, max-age=3600";
  http::Answer p12 = http::FileAnswer(200, "application/x-pkcs12");
  p12.description = "PKCS#12 (format pkcs12), tải về / as an attachment";
  http::Answer pem = http::FileAnswer(200, "application/x-pem-file");
  pem.description = "PEM (format pem), tải về / as an attachment";
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates",
              .action = "pki.read",
              .summary_vi = "Danh sách chứng thư số",
              .summary_en = "Certificates",
              .handler = std::bind_front(ListHandler, svc),
              .tag = "pki",
              .query = http::QueryParams<CertificateListQuery>(),
              .answers = {http::Returns<CertificateList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates",
              .action = "pki.manage",
              .summary_vi = "Cấp chứng thư số cho tổ chức, cá nhân, dịch vụ dấu thời gian hoặc "
                            "hệ thống thông tin",
              .summary_en = "Issue a certificate to an organisation, an official, the "
                            "time-stamping unit or an information system",
              .handler = std::bind_front(IssueHandler, svc),
              .tag = "pki",
              .body = http::JsonBody<CertificateIssueInput>(),
              .answers = {http::Returns<CertificateView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates/{id}",
              .action = "pki.read",
              .summary_vi = "Một chứng thư số (kèm PEM)",
              .summary_en = "One certificate (with its PEM)",
              .handler = std::bind_front(GetHandler, svc),
              .tag = "pki",
              .params = {id},
              .answers = {http::Returns<CertificateView>()}});
  router.Add(
      {.method = Method::kPost,
       .path = "/api/v1/pki/certificates/{id}/renew",
       .action = "pki.manage",
       .summary_vi = "Gia hạn chứng thư số (khóa mới, chứng thư cũ được thay thế)",
       .summary_en = "Renew a certificate (a new key; the old certificate is superseded)",
       .handler = std::bind_front(RenewHandler, svc),
       .tag = "pki",
       .params = {id},
       .answers = {http::Returns<CertificateView>(201, "Chứng thư mới / the new certificate")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates/{id}/revoke",
              .action = "pki.manage",
              .summary_vi = "Thu hồi chứng thư số",
              .summary_en = "Revoke a certificate",
              .handler = std::bind_front(RevokeHandler, svc),
              .tag = "pki",
              .params = {id},
              .body = revocation,
              .answers = {http::Returns<CertificateView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates/{id}/export",
              .action = "pki.manage",
              .summary_vi = "Xuất chứng thư của hệ thống thông tin kèm khóa bí mật (mã hóa bằng "
                            "mật khẩu) để cài vào hệ thống đó",
              .summary_en = "Export a system certificate with its private key (encrypted under a "
                            "password) to install in that system",
              .handler = std::bind_front(ExportHandler, svc),
              .tag = "pki",
              .params = {id},
              .body = http::JsonBody<CertificateExportInput>(),
              .answers = {p12, pem}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/pki/certificates/{id}/appearance",
              .action = "pki.manage",
              .summary_vi = "Đăng ký hình chữ ký (cá nhân) hoặc con dấu (tổ chức), ảnh PNG, để "
                            "hiện trên văn bản PDF được ký",
              .summary_en = "Register the signature image (official) or seal (organisation), a "
                            "PNG, shown on signed PDF documents",
              .handler = std::bind_front(SetAppearanceHandler, svc),
              .upload = true,
              .tag = "pki",
              .params = {id},
              .raw_body = {.types = {"image/png"},
                           .required = false,
                           .description = "Ảnh PNG, tối đa 512 KB; để trống thì xóa hình đã "
                                          "đăng ký. / The PNG, 512 KB at most; an empty body "
                                          "removes the registered one."},
              .answers = {http::Returns<CertificateView>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates/{id}/appearance",
              .action = "pki.read",
              .summary_vi = "Hình chữ ký hoặc con dấu đã đăng ký (PNG)",
              .summary_en = "The registered signature image or seal (PNG)",
              .handler = std::bind_front(AppearanceHandler, svc),
              .tag = "pki",
              .params = {id},
              .answers = {png}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/import",
              .action = "pki.manage",
              .summary_vi = "Nhập chứng thư số và khóa từ tệp PKCS#12 của CA khác",
              .summary_en = "Import a certificate and key from another CA's PKCS#12 file",
              .handler = std::bind_front(ImportHandler, svc),
              .tag = "pki",
              .body = http::JsonBody<Pkcs12ImportInput>(),
              .answers = {http::Returns<CertificateView>(201)}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/trust",
              .action = "pki.manage",
              .summary_vi = "Tin cậy chứng thư của một CA (ví dụ CA gốc quốc gia)",
              .summary_en = "Trust a CA certificate (such as the national root)",
              .handler = std::bind_front(TrustHandler, svc),
              .tag = "pki",
              .body = http::JsonBody<TrustAnchorInput>(),
              .answers = {http::Returns<CertificateView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/ca",
              .action = "public.pki",
              .summary_vi = "Chứng thư của các CA tin cậy, để ai cũng kiểm tra được chữ ký",
              .summary_en = "The trusted CA certificates, so that anyone can verify signatures",
              .handler = std::bind_front(CaHandler, svc),
              .tag = "pki",
              .answers = {http::Returns<CertificateList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/crl/{file}",
              .action = "public.pki",
              .summary_vi = "Danh sách chứng thư bị thu hồi (CRL, DER) của một CA",
              .summary_en = "A CA's certificate revocation list (CRL, DER)",
              .handler = std::bind_front(CrlHandler, svc),
              .tag = "pki",
              .params = {crl_file},
              .answers = {crl}});
}

}  // namespace tinhso::pki
