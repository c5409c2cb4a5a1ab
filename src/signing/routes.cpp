// Thin HTTP handlers for signing, verification and the time-stamping unit.
#include <charconv>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "http/api.hpp"
#include "signing/api.hpp"
#include "signing/signing.hpp"

namespace tinhso::signing {
namespace {

using http::Method;

// The largest file signed or verified: the configured max_file_mb of dossier files.
struct Limits {
  std::uint64_t max_document = 10 << 20;
};

Error DocumentTooLarge(std::uint64_t max) {
  const std::string mb = std::to_string(max >> 20);
  return MakeError(ErrorCode::kPayloadTooLarge, "signing.file_too_large",
                   "Tệp vượt quá dung lượng cho phép (" + mb + " MB).",
                   "The file is over the size limit (" + mb + " MB).");
}

// The raw body of a signing request, at most `max` bytes.
Result<std::string> Document(const http::Request& req, std::uint64_t max) {
  if (http::RequestSource(req).size() > max) return DocumentTooLarge(max);
  return http::RequestBody(req, max);
}

Result<std::int64_t> Certificate(const std::optional<std::int64_t>& id) {
  if (!id || *id <= 0) {
    return json::FieldError("certificate_id", "cần mã chứng thư số dùng để ký.",
                            "the id of the certificate to sign with is required.");
  }
  return *id;
}

// POST /api/v1/signatures/cms?certificate_id=N, body: the file → the detached signature (DER).
Result<http::Response> SignCmsHandler(Service& svc, const Limits& limits, const http::Request& req,
                                      http::Context& ctx) {
  const auto& query = ctx.Query<SignCmsQuery>();
  TINHSO_ASSIGN_OR_RETURN(std::int64_t certificate, Certificate(query.certificate_id));
  TINHSO_ASSIGN_OR_RETURN(std::string data, Document(req, limits.max_document));
  CmsOptions options;
  options.timestamp = query.timestamp;
  TINHSO_ASSIGN_OR_RETURN(std::string signature,
                          svc.SignCms(data, certificate, ctx.actor, options));
  http::Response r;
  r.status = 200;
  r.content_type = "application/pkcs7-signature";
  r.body = std::move(signature);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"signature.p7s\"");
  return r;
}

// POST /api/v1/signatures/pdf?certificate_id=N[&appearance=invisible|signer|seal|text&page=1
// &rect=x,y,w,h&field=…&organisation=…&document_number=…&reason=…&timestamp=false], body: the
// PDF → the PDF with one more signature (PdfPlacement says what each parameter does).
Result<http::Response> SignPdfHandler(Service& svc, const Limits& limits, const http::Request& req,
                                      http::Context& ctx) {
  const auto& query = ctx.Query<SignPdfQuery>();
  TINHSO_ASSIGN_OR_RETURN(std::int64_t certificate, Certificate(query.certificate_id));
  PdfPlacement placement;
  placement.appearance = query.appearance.value;
  if (query.page) {
    if (*query.page < 1 || *query.page > 100000) {
      return json::FieldError("page", "phải là số trang, từ 1.", "must be a page number, from 1.");
    }
    placement.page = *query.page;
  }
  if (query.rect) {
    std::string_view rest = query.rect->value;
    while (placement.rect.size() < 5) {
      const std::string_view part = rest.substr(0, rest.find(','));
      double value = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
      if (part.empty() || ec != std::errc() || end != part.data() + part.size()) {
        return json::FieldError("rect", "phải là 4 số x,y,rộng,cao (điểm PDF).",
                                "must be 4 numbers x,y,width,height (PDF points).");
      }
      placement.rect.push_back(value);
      if (part.size() == rest.size()) break;
      rest.remove_prefix(part.size() + 1);
    }
  }
  placement.field = query.field ? query.field->value : "";
  placement.organisation = query.organisation ? query.organisation->value : "";
  placement.document_number = query.document_number ? query.document_number->value : "";
  placement.reason = query.reason ? query.reason->value : "";
  placement.timestamp = query.timestamp;
  TINHSO_ASSIGN_OR_RETURN(std::string pdf, Document(req, limits.max_document));
  TINHSO_ASSIGN_OR_RETURN(PdfOptions options, PdfOptionsFor(placement, pdf));
  TINHSO_ASSIGN_OR_RETURN(std::string signed_pdf,
                          svc.SignPdf(pdf, certificate, ctx.actor, options));
  // The caller's own bytes with a signature added: never a page of this site.
  return http::UploadedFile(std::move(signed_pdf), "application/pdf", /*show_inline=*/false);
}

// POST /api/v1/signatures/xml?certificate_id=N[&edxml=true], body: the XML → the document with
// an enveloped XML-DSig signature (in the edXML header with edxml=true).
Result<http::Response> SignXmlHandler(Service& svc, const Limits& limits, const http::Request& req,
                                      http::Context& ctx) {
  const auto& query = ctx.Query<SignXmlQuery>();
  TINHSO_ASSIGN_OR_RETURN(std::int64_t certificate, Certificate(query.certificate_id));
  TINHSO_ASSIGN_OR_RETURN(std::string xml, Document(req, limits.max_document));
  const XmlOptions options = query.edxml ? xmlsig::EdXmlHeader() : XmlOptions{};
  TINHSO_ASSIGN_OR_RETURN(std::string signed_xml,
                          svc.SignXml(xml, certificate, ctx.actor, options));
  // XML a browser would render, scripts and all (XHTML, XSLT): a sandboxed download.
  return http::UploadedFile(std::move(signed_xml), "application/xml", /*show_inline=*/false);
}

// POST /api/v1/verify: a signed PDF or XML document, or any file with its detached CMS
// signature, as JSON {"file": base64, "signature": base64, optional} (small files) or as
// multipart/form-data with the parts `file` and `signature` (optional). Anyone may check; nothing
// is stored.
Result<http::Response> VerifyHandler(Service& svc, const Limits& limits, const http::Request& req,
                                     http::Context&) {
  std::string file;
  std::optional<std::string> signature;
  if (http::IsMultipart(req)) {
    http::FormLimits form;
    form.max_parts = 2;
    form.max_file_bytes = limits.max_document;
    form.max_field_bytes = limits.max_document;
    TINHSO_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req, form));
    bool have_file = false;
    for (const http::FormPart& part : parts) {
      if (part.content.size() > limits.max_document) return DocumentTooLarge(limits.max_document);
      if (part.name == "file") {
        TINHSO_ASSIGN_OR_RETURN(file, part.content.ReadAll());
        have_file = true;
      } else if (part.name == "signature") {
        TINHSO_ASSIGN_OR_RETURN(signature, part.content.ReadAll());
      } else {
        return json::FieldError(part.name, "không phải phần được chấp nhận (file, signature).",
                                "is not an accepted part (file, signature).");
      }
    }
    if (!have_file) {
      return json::FieldError("file", "là bắt buộc: tệp cần kiểm tra.",
                              "is required: the file to check.");
    }
  } else {
    if (http::RequestSource(req).size() > kMaxJsonBody) {
      return MakeError(ErrorCode::kPayloadTooLarge, "signing.json_too_large",
                       "Yêu cầu JSON lớn quá 4 MB. Tệp lớn hãy gửi dạng multipart/form-data "
                       "(phần 'file', và 'signature' nếu chữ ký tách rời).",
                       "The JSON request is over 4 MB. Send large files as multipart/form-data "
                       "(a 'file' part, and 'signature' for a detached signature).");
    }
    TINHSO_ASSIGN_OR_RETURN(std::string text, http::RequestBody(req, kMaxJsonBody));
    TINHSO_ASSIGN_OR_RETURN(const auto body, http::ParseJson<VerifyInput>(text));
    auto decoded = core::Base64Decode(body.file.value);
    if (!decoded) {
      return json::FieldError("file", "phải là nội dung tệp mã hóa base64.",
                              "must be the file's content in base64.");
    }
    file = std::move(*decoded);
    if (body.signature) {
      signature = core::Base64Decode(body.signature->value);
      if (!signature) {
        return json::FieldError("signature", "phải là chữ ký mã hóa base64.",
                                "must be the signature in base64.");
      }
    }
  }
  TINHSO_ASSIGN_OR_RETURN(Verification v, svc.Verify(file, signature.value_or("")));
  return http::Reply(200, ToApi(v));
}

// POST /api/v1/pki/tsa, body: a TimeStampReq (application/timestamp-query, RFC 3161).
Result<http::Response> TsaHandler(Service& svc, const http::Request& req, http::Context&) {
  if (req.Header("content-type") != "application/timestamp-query") {
    return MakeError(ErrorCode::kInvalidArgument, "signing.tsa_content_type",
                     "Cần Content-Type: application/timestamp-query.",
                     "Content-Type: application/timestamp-query is required.");
  }
  TINHSO_ASSIGN_OR_RETURN(std::string reply, svc.RespondToTimeStampRequest(req.body));
  http::Response r;
  r.status = 200;
  r.content_type = "application/timestamp-reply";
  r.body = std::move(reply);
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, std::uint64_t max_document_bytes) {
  auto bind = [&service](auto fn) {
    return [&service, fn](const http::Request& r, http::Context& c) { return fn(service, r, c); };
  };
  const Limits limits{max_document_bytes};
  auto bind_limited = [&service, limits](auto fn) {
    return [&service, limits, fn](const http::Request& r, http::Context& c) {
      return fn(service, limits, r, c);
    };
  };
  router.Add({.method = Method::kPost,
              .path = "/api/v1/signatures/cms",
              .action = "sign.document",
              .summary_vi = "Ký số một tệp bất kỳ (chữ ký CMS/CAdES tách rời, có dấu thời gian) "
                            "bằng chứng thư ?certificate_id",
              .summary_en = "Sign any file (a detached CMS/CAdES signature with a time-stamp) "
                            "with the certificate ?certificate_id",
              .handler = bind_limited(SignCmsHandler),
              .upload = true,
              .tag = "signing",
              .query = http::QueryParams<SignCmsQuery>(),
              .raw_body = {.types = {"application/octet-stream"}},
              .answers = {http::FileAnswer(200, "application/pkcs7-signature")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/signatures/pdf",
              .action = "sign.document",
              .summary_vi = "Ký số tệp PDF (PAdES, có dấu thời gian) bằng chứng thư "
                            "?certificate_id, hiện hình chữ ký, con dấu hoặc khung chữ theo "
                            "Nghị định 30/2020",
              .summary_en = "Sign a PDF (PAdES, time-stamped) with the certificate "
                            "?certificate_id, showing the signature image, the seal or the text "
                            "box of Decree 30/2020",
              .handler = bind_limited(SignPdfHandler),
              .upload = true,
              .tag = "signing",
              .query = http::QueryParams<SignPdfQuery>(),
              .raw_body = {.types = {"application/pdf"}},
              .answers = {http::FileAnswer(200, "application/pdf")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/signatures/xml",
              .action = "sign.document",
              .summary_vi = "Ký số tài liệu XML (XML-DSig bao trong tài liệu, hoặc trong phần "
                            "đầu gói edXML với ?edxml=true)",
              .summary_en = "Sign an XML document (enveloped XML-DSig, or in the edXML header "
                            "with ?edxml=true)",
              .handler = bind_limited(SignXmlHandler),
              .upload = true,
              .tag = "signing",
              .query = http::QueryParams<SignXmlQuery>(),
              .raw_body = {.types = {"application/xml", "text/xml"}},
              .answers = {http::FileAnswer(200, "application/xml")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/verify",
              .action = "public.verify",
              .summary_vi = "Kiểm tra chữ ký số: ai ký, với tư cách gì, lúc nào, hợp lệ hay "
                            "không và vì sao",
              .summary_en = "Verify a signature: who signed, as what, when, valid or why not",
              .handler = bind_limited(VerifyHandler),
              .upload = true,
              .costly = true,
              .tag = "signing",
              .body = http::JsonBody<VerifyInput>(),
              .form_parts = {{.name = "file",
                              .description = "Tệp cần kiểm tra: PDF hoặc XML đã ký, hoặc tệp bất "
                                             "kỳ có chữ ký tách rời / the file to check"},
                             {.name = "signature",
                              .required = false,
                              .description = "Chữ ký CMS tách rời của tệp / the file's "
                                             "detached CMS signature"}},
              .answers = {http::Returns<VerificationView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/pki/tsa",
              .action = "public.pki",
              .summary_vi = "Dịch vụ cấp dấu thời gian (RFC 3161)",
              .summary_en = "The time-stamping service (RFC 3161)",
              .handler = bind(TsaHandler),
              .costly = true,
              .tag = "signing",
              .raw_body = {.types = {"application/timestamp-query"}},
              .answers = {http::FileAnswer(200, "application/timestamp-reply")}});
}

}  // namespace tinhso::signing
