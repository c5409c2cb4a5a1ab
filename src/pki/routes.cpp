// Thin HTTP handlers for the PKI: parse, call the service, render.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"

namespace tinhso::pki {
namespace {

namespace bj = boost::json;
using http::Method;

bj::object CertificateJson(const Certificate& c) {
  bj::object o;
  o["id"] = c.id;
  o["serial"] = c.serial;
  o["kind"] = KindName(c.kind);
  o["subject"] = c.subject;
  o["issuer"] = c.issuer;
  o["issuer_id"] = c.issuer_id;
  o["has_key"] = c.has_key;
  o["key_type"] = c.key_type;
  o["agency_id"] = c.agency_id;
  o["user_id"] = c.user_id;
  o["not_before"] = core::FormatTimestamp(c.not_before);
  o["not_after"] = core::FormatTimestamp(c.not_after);
  o["trusted"] = c.trusted;
  o["status"] = StatusName(c.status);
  o["revoked_at"] = c.revoked_at ? bj::value(core::FormatTimestamp(*c.revoked_at)) : nullptr;
  o["replaced_by"] = c.replaced_by;
  o["has_appearance"] = c.has_appearance;
  o["sha256"] = c.sha256;
  o["pem"] = c.Pem();
  return o;
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
  return http::JsonResponse(200, json::Serialize(CertificateJson(c)));
}

Result<http::Response> AppearanceHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::string png, svc.Appearance(id, ctx.actor));
  // Checked to be a PNG when registered, yet bytes someone uploaded all the same.
  return http::UploadedFile(std::move(png), "image/png", /*show_inline=*/true);
}

Result<http::Response> ListHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  ListQuery q;
  if (auto kind = req.Query("kind")) {
    q.kind = ParseKind(*kind);
    if (!q.kind) {
      return json::FieldError("kind",
                              "phải là root, issuing, organisation, official, tsa hoặc "
                              "external_ca.",
                              "must be root, issuing, organisation, official, tsa or external_ca.");
    }
  }
  if (auto agency = req.Query("agency_id")) q.agency_id = core::ParseInt64(*agency);
  if (auto user = req.Query("user_id")) q.user_id = core::ParseInt64(*user);
  q.include_inactive = req.Query("all").value_or("") == "true";
  TINHSO_ASSIGN_OR_RETURN(auto found, svc.List(q, ctx.actor));
  bj::array items;
  for (const Certificate& c : found) items.push_back(CertificateJson(c));
  return http::JsonResponse(200, json::Serialize(bj::object{{"items", std::move(items)}}));
}

Result<http::Response> GetHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Get(id, ctx.actor));
  return http::JsonResponse(200, json::Serialize(CertificateJson(c)));
}

Result<http::Response> IssueHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  IssueInput in;
  TINHSO_ASSIGN_OR_RETURN(std::string kind, json::RequiredString(body, "kind", 20));
  auto parsed_kind = ParseKind(kind);
  if (!parsed_kind) {
    return json::FieldError("kind", "phải là organisation, official hoặc tsa.",
                            "must be organisation, official or tsa.");
  }
  in.kind = *parsed_kind;
  TINHSO_ASSIGN_OR_RETURN(auto key_type, json::OptionalString(body, "key_type", 20));
  if (key_type) {
    auto parsed = ParseKeyType(*key_type);
    if (!parsed) {
      return json::FieldError("key_type", "phải là ec-p256 hoặc rsa-3072.",
                              "must be ec-p256 or rsa-3072.");
    }
    in.key_type = *parsed;
  }
  const auto* subject = body.if_contains("subject");
  if (subject == nullptr || !subject->is_object()) {
    return json::FieldError("subject", "phải là một đối tượng (common_name, organization, …).",
                            "must be an object (common_name, organization, …).");
  }
  const bj::object& s = subject->as_object();
  TINHSO_ASSIGN_OR_RETURN(in.subject.common_name, json::RequiredString(s, "common_name", 200));
  TINHSO_ASSIGN_OR_RETURN(in.subject.organization, json::RequiredString(s, "organization", 200));
  for (auto [field, out] :
       {std::pair{"unit", &in.subject.unit}, std::pair{"title", &in.subject.title},
        std::pair{"locality", &in.subject.locality}, std::pair{"serial", &in.subject.serial},
        std::pair{"email", &in.subject.email}}) {
    TINHSO_ASSIGN_OR_RETURN(auto v, json::OptionalString(s, field, 200));
    *out = v.value_or("");
  }
  TINHSO_ASSIGN_OR_RETURN(auto agency, json::OptionalInt(body, "agency_id"));
  TINHSO_ASSIGN_OR_RETURN(auto user, json::OptionalInt(body, "user_id"));
  TINHSO_ASSIGN_OR_RETURN(auto days, json::OptionalInt(body, "validity_days"));
  in.agency_id = agency.value_or(0);
  in.user_id = user.value_or(0);
  if (days) in.validity_days = static_cast<int>(std::clamp<std::int64_t>(*days, 0, 100000));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Issue(in, ctx.actor));
  return http::JsonResponse(201, json::Serialize(CertificateJson(c)));
}

Result<http::Response> RenewHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Renew(id, ctx.actor));
  return http::JsonResponse(201, json::Serialize(CertificateJson(c)));
}

Result<http::Response> RevokeHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body.empty() ? "{}" : req.body));
  TINHSO_ASSIGN_OR_RETURN(auto reason_text, json::OptionalString(body, "reason", 40));
  auto reason = ParseRevocationReason(reason_text.value_or("unspecified"));
  if (!reason) {
    return json::FieldError("reason",
                            "phải là unspecified, key_compromise, affiliation_changed, "
                            "superseded hoặc cessation_of_operation.",
                            "must be unspecified, key_compromise, affiliation_changed, "
                            "superseded or cessation_of_operation.");
  }
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.Revoke(id, *reason, ctx.actor));
  return http::JsonResponse(200, json::Serialize(CertificateJson(c)));
}

// {"pkcs12": base64, "password", "kind", "agency_id", "user_id"}
Result<http::Response> ImportHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string encoded, json::RequiredString(body, "pkcs12", 2'000'000));
  auto p12 = core::Base64Decode(encoded);
  if (!p12) {
    return json::FieldError("pkcs12", "phải là tệp PKCS#12 mã hóa base64.",
                            "must be a PKCS#12 file in base64.");
  }
  TINHSO_ASSIGN_OR_RETURN(auto password, json::OptionalString(body, "password", 200));
  TINHSO_ASSIGN_OR_RETURN(std::string kind_text, json::RequiredString(body, "kind", 20));
  const Kind kind = ParseKind(kind_text).value_or(Kind::kExternalCa);
  TINHSO_ASSIGN_OR_RETURN(auto agency, json::OptionalInt(body, "agency_id"));
  TINHSO_ASSIGN_OR_RETURN(auto user, json::OptionalInt(body, "user_id"));
  TINHSO_ASSIGN_OR_RETURN(Certificate c,
                          svc.ImportPkcs12(*p12, password.value_or(""), kind, agency.value_or(0),
                                           user.value_or(0), ctx.actor));
  return http::JsonResponse(201, json::Serialize(CertificateJson(c)));
}

// {"certificate": PEM}
Result<http::Response> TrustHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string pem, json::RequiredString(body, "certificate", 100'000));
  TINHSO_ASSIGN_OR_RETURN(Certificate c, svc.AddTrustAnchor(pem, ctx.actor));
  return http::JsonResponse(201, json::Serialize(CertificateJson(c)));
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
  bj::array items;
  for (const Certificate& c : cas) {
    if (c.kind == Kind::kExternalCa && !c.trusted) continue;
    bj::object o = CertificateJson(c);
    items.push_back(std::move(o));
  }
  return http::JsonResponse(200, json::Serialize(bj::object{{"items", std::move(items)}}));
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  auto bind = [&service](auto fn) {
    return [&service, fn](const http::Request& r, http::Context& c) { return fn(service, r, c); };
  };
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates",
              .action = "pki.read",
              .summary_vi = "Danh sách chứng thư số (?kind&agency_id&user_id&all)",
              .summary_en = "Certificates (?kind&agency_id&user_id&all)",
              .handler = bind(ListHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates",
              .action = "pki.manage",
              .summary_vi = "Cấp chứng thư số cho tổ chức, cá nhân hoặc dịch vụ dấu thời gian",
              .summary_en = "Issue a certificate to an organisation, an official or the "
                            "time-stamping unit",
              .handler = bind(IssueHandler),
              .tag = "pki"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates/{id}",
              .action = "pki.read",
              .summary_vi = "Một chứng thư số (kèm PEM)",
              .summary_en = "One certificate (with its PEM)",
              .handler = bind(GetHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates/{id}/renew",
              .action = "pki.manage",
              .summary_vi = "Gia hạn chứng thư số (khóa mới, chứng thư cũ được thay thế)",
              .summary_en = "Renew a certificate (a new key; the old certificate is superseded)",
              .handler = bind(RenewHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/certificates/{id}/revoke",
              .action = "pki.manage",
              .summary_vi = "Thu hồi chứng thư số ({reason})",
              .summary_en = "Revoke a certificate ({reason})",
              .handler = bind(RevokeHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/pki/certificates/{id}/appearance",
              .action = "pki.manage",
              .summary_vi = "Đăng ký hình chữ ký (cá nhân) hoặc con dấu (tổ chức), ảnh PNG, để "
                            "hiện trên văn bản PDF được ký",
              .summary_en = "Register the signature image (official) or seal (organisation), a "
                            "PNG, shown on signed PDF documents",
              .handler = bind(SetAppearanceHandler),
              .upload = true,
              .tag = "pki"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/certificates/{id}/appearance",
              .action = "pki.read",
              .summary_vi = "Hình chữ ký hoặc con dấu đã đăng ký (PNG)",
              .summary_en = "The registered signature image or seal (PNG)",
              .handler = bind(AppearanceHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/import",
              .action = "pki.manage",
              .summary_vi = "Nhập chứng thư số và khóa từ tệp PKCS#12 của CA khác",
              .summary_en = "Import a certificate and key from another CA's PKCS#12 file",
              .handler = bind(ImportHandler),
              .tag = "pki"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/trust",
              .action = "pki.manage",
              .summary_vi = "Tin cậy chứng thư của một CA (ví dụ CA gốc quốc gia)",
              .summary_en = "Trust a CA certificate (such as the national root)",
              .handler = bind(TrustHandler),
              .tag = "pki"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/ca",
              .action = "public.pki",
              .summary_vi = "Chứng thư của các CA tin cậy, để ai cũng kiểm tra được chữ ký",
              .summary_en = "The trusted CA certificates, so that anyone can verify signatures",
              .handler = bind(CaHandler),
              .tag = "pki"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pki/crl/{file}",
              .action = "public.pki",
              .summary_vi = "Danh sách chứng thư bị thu hồi (CRL, DER) của một CA",
              .summary_en = "A CA's certificate revocation list (CRL, DER)",
              .handler = bind(CrlHandler),
              .tag = "pki"});
}

}  // namespace tinhso::pki
