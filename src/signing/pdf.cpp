// PAdES: a CMS/CAdES signature over a PDF's byte range, in an incremental update (src/pdf).
#include "core/crypto.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace {

// Room for the CMS: the certificate and its chain (RSA-3072 certificates run to ~1.5 KB each),
// the time-stamp token with the TSA's chain, and the signature.
constexpr std::size_t kContentsCapacity = 32 * 1024;

std::string ChangeList(const pdf::SignatureInfo& info) {
  std::string out;
  for (const pdf::ObjectChange& c : info.changes) {
    if (c.kind != pdf::ObjectChange::Kind::kModified &&
        c.kind != pdf::ObjectChange::Kind::kRemoved) {
      continue;
    }
    if (!out.empty()) out += "; ";
    out += c.reason.empty() ? "object " + std::to_string(c.object_number) : c.reason;
  }
  return out.empty() ? "the later revisions could not be compared" : out;
}

}  // namespace

Result<PdfOptions> PdfOptionsFor(const PdfPlacement& o, std::string_view pdf_bytes) {
  PdfOptions options;
  options.timestamp = o.timestamp;
  options.reason = o.reason;
  options.page_index = o.page - 1;
  options.field_name = o.field;
  pdf::Appearance& a = options.appearance;
  a.organisation = o.organisation;
  a.document_number = o.document_number;
  a.image_png = o.image_png;
  const bool has_rect = o.rect.size() == 4;
  if (!o.rect.empty() && !has_rect) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.rect",
                     "Vị trí chữ ký cần 4 số: x, y, rộng, cao (điểm PDF).",
                     "The signature's box needs 4 numbers: x, y, width, height (PDF points).");
  }
  if (has_rect) a.rect = {o.rect[0], o.rect[1], o.rect[0] + o.rect[2], o.rect[1] + o.rect[3]};
  if (o.appearance == "invisible") {
    a.kind = pdf::AppearanceKind::kInvisible;
  } else if (o.appearance == "signer" || o.appearance == "seal") {
    // Without a box: in the prepared signature field (pdf::SignatureRequest::field_name).
    a.kind = o.appearance == "signer" ? pdf::AppearanceKind::kSigner
                                      : pdf::AppearanceKind::kOrganisationSeal;
    if (a.kind == pdf::AppearanceKind::kOrganisationSeal && has_rect) a.rect = pdf::SealBox(a.rect);
  } else if (o.appearance == "text") {
    a.kind = pdf::AppearanceKind::kOrganisationText;
    if (!has_rect) {
      TINHSO_ASSIGN_OR_RETURN(pdf::DocumentInfo info, pdf::Inspect(pdf_bytes));
      if (info.pages.empty() || options.page_index < 0 ||
          options.page_index >= static_cast<int>(info.pages.size())) {
        return MakeError(ErrorCode::kInvalidArgument, "signing.page",
                         "Tài liệu không có trang " + std::to_string(o.page) + ".",
                         "The document has no page " + std::to_string(o.page) + ".");
      }
      a.rect = pdf::TopRightBox(info.pages[options.page_index], 200, 60);
    }
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "signing.appearance",
                     "Kiểu hiển thị chữ ký: invisible, signer, seal hoặc text.",
                     "The signature's appearance: invisible, signer, seal or text.");
  }
  return options;
}

Result<std::string> Service::SignPdf(std::string_view pdf, std::int64_t certificate_id,
                                     const core::Actor& actor, const PdfOptions& options) {
  TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key, impl_->pki.KeyForSigning(certificate_id, actor));
  TINHSO_ASSIGN_OR_RETURN(std::string signed_pdf, SignPdfWithKey(pdf, key, options));
  TINHSO_RETURN_IF_ERROR(
      impl_->pki.RecordSignature(certificate_id, actor, "pades", core::Sha256Hex(pdf)));
  return signed_pdf;
}

Result<std::string> Service::SignPdfWithKey(std::string_view pdf, const pki::SigningKey& key,
                                            const PdfOptions& options) {
  if (pdf.empty()) return internal::EmptyFile(/*to_sign=*/true);
  TINHSO_ASSIGN_OR_RETURN(auto parsed, impl_->Parse(key));
  SignatureReport who;
  internal::DescribeSigner(parsed->certificate.get(), who);
  pdf::SignatureRequest request;
  request.page_index = options.page_index;
  request.field_name = options.field_name;
  request.signing_time = impl_->clock.Now().time_since_epoch().count();
  request.name = who.signer_name;
  request.reason = options.reason;
  request.location = options.location;
  request.appearance = options.appearance;
  const bool drawn = options.appearance.kind == pdf::AppearanceKind::kSigner ||
                     options.appearance.kind == pdf::AppearanceKind::kOrganisationSeal;
  if (drawn && request.appearance.image_png.empty()) {
    request.appearance.image_png = key.appearance_png;
    if (request.appearance.image_png.empty()) {
      return MakeError(ErrorCode::kFailedPrecondition, "signing.appearance_missing",
                       "Chứng thư số này chưa có hình chữ ký hoặc con dấu đã đăng ký; hãy đăng "
                       "ký hình, hoặc ký không hiển thị hình.",
                       "This certificate has no registered signature image or seal: register "
                       "one, or sign without an image.");
    }
  }
  request.contents_capacity = kContentsCapacity;
  TINHSO_ASSIGN_OR_RETURN(pdf::Prepared prepared, pdf::PrepareSignature(pdf, request));
  CmsOptions cms;
  cms.timestamp = options.timestamp;
  cms.signing_time = false;
  TINHSO_ASSIGN_OR_RETURN(std::string signature, SignCmsWithKey(prepared.BytesToSign(), key, cms));
  return pdf::EmbedSignature(prepared, signature);
}

Result<Verification> Service::VerifyPdf(std::string_view pdf) const {
  TINHSO_ASSIGN_OR_RETURN(std::vector<pdf::SignatureInfo> found, pdf::ReadSignatures(pdf));
  Verification v;
  v.format = "pades";
  if (found.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.not_signed",
                     "Tệp PDF không có chữ ký số nào.", "The PDF has no digital signature.");
  }
  for (const pdf::SignatureInfo& info : found) {
    SignatureReport r;
    auto bytes = pdf::SignedBytes(pdf, info);
    auto cms = bytes.ok() && !info.contents.empty() ? VerifyCms(*bytes, info.contents)
                                                    : Result<Verification>(Verification{});
    if (cms.ok() && !cms->signatures.empty()) {
      r = std::move(cms->signatures.front());
    } else {
      internal::AddProblem(r, "integrity", "Không đọc được chữ ký trong tệp PDF.",
                           "The signature in the PDF cannot be read.");
    }
    r.format = "pades";
    if (!r.claimed_time && info.signing_time_utc != 0) {
      r.claimed_time = core::Seconds(std::chrono::seconds(info.signing_time_utc));
    }
    if (!info.byte_range_ok) {
      r.integrity_ok = false;
      internal::AddProblem(r, "byte_range",
                           "Vùng dữ liệu được ký (ByteRange) không hợp lệ: chữ ký không bao trọn "
                           "tài liệu.",
                           "The signed byte range is not sound (" + info.byte_range_problem +
                               "): the signature does not cover the document.");
    }
    // A certification (ISO 32000-1 §12.8.2.2): the author said which changes may follow, and
    // the changes were judged by it.
    static constexpr const char* kPermits[][2] = {
        {"không cho phép thay đổi", "no changes allowed"},
        {"chỉ cho phép điền biểu mẫu và ký vào ô chữ ký có sẵn",
         "filling in forms and signing existing signature fields only"},
        {"cho phép điền biểu mẫu, ký và thêm chú thích",
         "filling in forms, signing and annotations"}};
    const char* const* permits = info.certification >= 1 && info.certification <= 3
                                     ? kPermits[info.certification - 1]
                                     : nullptr;
    if (info.modified_after_signing && permits != nullptr) {
      internal::AddProblem(
          r, "certification",
          std::string("Chứng nhận tài liệu bị phá vỡ: tài liệu được chứng nhận ở mức “") +
              permits[0] + "”, nhưng sau đó đã bị thay đổi.",
          std::string("The document's certification is broken: it was certified with “") +
              permits[1] + "”, and was changed afterwards: " + ChangeList(info) + ".");
    } else if (info.modified_after_signing) {
      internal::AddProblem(r, "modified",
                           "Tài liệu đã bị sửa đổi sau khi ký (không chỉ thêm chữ ký).",
                           "The document was changed after this signature (not only by adding "
                           "signatures): " +
                               ChangeList(info) + ".");
    } else {
      if (permits != nullptr) {
        r.notes_vi.push_back(std::string("Chữ ký chứng nhận tài liệu (") + permits[0] + ").");
        r.notes_en.push_back(std::string("This signature certifies the document (") + permits[1] +
                             ").");
      }
      if (!info.covers_whole_file) {
        r.notes_vi.push_back("Sau chữ ký này, tài liệu chỉ được thêm chữ ký hoặc chú thích.");
        r.notes_en.push_back("After this signature, only signatures or annotations were added.");
      }
    }
    r.valid = r.integrity_ok && r.chain_ok && !r.revoked && r.problems.empty();
    v.signatures.push_back(std::move(r));
  }
  return v;
}

Result<Verification> Service::Verify(std::string_view file,
                                     std::string_view detached_signature) const {
  if (file.empty()) return internal::EmptyFile(/*to_sign=*/false);
  if (!detached_signature.empty()) return VerifyCms(file, detached_signature);
  std::string_view head = file.substr(0, 1024);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);  // a UTF-8 BOM
  if (head.find("%PDF-") != std::string_view::npos) return VerifyPdf(file);
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '<') return VerifyXml(file);
  // A CMS file with its content inside (attached), or a detached one without its file.
  auto attached = VerifyCms({}, file);
  if (attached.ok() || attached.error().reason == "signing.content_required") return attached;
  return MakeError(ErrorCode::kInvalidArgument, "signing.signature_required",
                   "Không nhận ra chữ ký trong tệp: với tệp không phải PDF hay XML, cần kèm tệp "
                   "chữ ký (.p7s).",
                   "No signature recognised in the file: for a file that is neither PDF nor XML, "
                   "the signature file (.p7s) is needed too.");
}

}  // namespace tinhso::signing
