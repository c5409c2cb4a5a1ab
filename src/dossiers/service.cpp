// Submission and transitions. Every agency and catalog lookup happens before the write
// transaction opens: a transaction holds a pooled connection, and waiting inside it for a
// second one could starve the PostgreSQL pool under load.
#include <algorithm>
#include <any>
#include <boost/json.hpp>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <span>

#include "audit/audit.hpp"
#include "auth/identity.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "dossiers/deadline.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"
#include "storage/rows_insert.hpp"

namespace tinhso::dossiers {
namespace {

using internal::CheckComponentsGiven;
using internal::IllegalTransition;
using internal::NotFound;
using internal::PreparedFile;
using internal::PrepareFiles;

constexpr std::string_view kSecretAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
// 11 characters of 32: 55 bits (receipts printed before had 6, 30 bits, and keep working: the
// stored secret is compared whatever its length). With failed lookups throttled per address and
// per code, guessing one of a province's million dossiers is out of reach.
constexpr std::size_t kSecretLength = 11;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

storage::Value TimeValue(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return Epoch(*t);
}

storage::Value IdValue(std::int64_t id) {
  if (id == 0) return nullptr;
  return id;
}

Error Invalid(std::string reason, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(reason), std::move(vi), std::move(en));
}

Error Precondition(std::string reason, std::string vi, std::string en) {
  return MakeError(ErrorCode::kFailedPrecondition, std::move(reason), std::move(vi), std::move(en));
}

bool IsCommuneKind(std::string_view kind) {
  return kind == "commune_pc" || kind == "ward_pc" || kind == "township_pc" ||
         kind == "special_zone_pc";
}

// What one transition writes besides the dossier row.
// How a received paper is named on the timeline and the receipt.
std::string ComponentFormText(std::string_view form) {
  if (form == "original") return "bản chính";
  if (form == "certified") return "bản sao chứng thực";
  return "bản chụp";
}

// The counter's checklist: known components, each once, in a known form, and every required
// one received. Online, the files are the components (PrepareFiles checks them).
Result<void> CheckReceived(const catalog::Procedure& proc,
                           const std::vector<ReceivedComponent>& received, bool at_counter) {
  if (received.empty()) return Ok();
  if (!at_counter) {
    return Invalid("dossier.received_counter_only",
                   "Danh sách thành phần đã nhận chỉ dùng khi tiếp nhận tại quầy.",
                   "The list of components received is for counter intake only.");
  }
  std::set<std::string_view> seen;
  for (const ReceivedComponent& r : received) {
    const auto c = std::ranges::find(proc.components, r.component, &catalog::Component::code);
    if (c == proc.components.end()) {
      return Invalid("dossier.unknown_component",
                     "Thủ tục không có thành phần hồ sơ " + r.component + ".",
                     "The procedure has no component " + r.component + ".");
    }
    if (r.form != "original" && r.form != "certified" && r.form != "copy") {
      return Invalid("dossier.component_form",
                     "Hình thức của " + c->name + " phải là original, certified hoặc copy.",
                     "The form of " + c->name + " must be original, certified or copy.");
    }
    if (!seen.insert(r.component).second) {
      return Invalid("dossier.component_twice", c->name + " được kê hai lần.",
                     c->name + " is listed twice.");
    }
  }
  for (const catalog::Component& c : proc.components) {
    if (c.required && !seen.contains(c.code)) {
      return Invalid("dossier.component_missing",
                     "Chưa nhận thành phần bắt buộc: " + c.name + " (" + c.code + ").",
                     "A required component was not received: " + c.name + " (" + c.code + ").");
    }
  }
  return Ok();
}

struct EventSpec {
  std::string action;
  std::string content;
  boost::json::object data;
  std::string reason;  // an apology's reason, for the listener (the content carries it too)
};

// Agencies a dossier's steps go to, resolved before the transaction.
struct Routing {
  std::int64_t receiving = 0;
  std::int64_t competent = 0;
  std::int64_t locality = 0;
  std::vector<std::int64_t> step_agencies;  // one per procedure step
  std::string receiving_code;               // the code printed in dossier codes
  std::string receiving_name;               // shown on the public timeline
};

// What acting as the applicant (supplement, withdraw, rate, pay) is checked against. An online
// dossier belongs to the account that submitted it, and only that account speaks for the
// applicant: no agency is named, so reception's agency-wide grant cannot match. A dossier taken
// at the counter or by post has no account, and its receiving agency's reception acts for the
// applicant who stands at the counter.
auth::Target ApplicantTarget(const Dossier& d) {
  if (d.channel == Channel::kOnline) return {0, d.applicant_user_id};
  return {d.receiving_agency_id, 0};
}

// One problem of the applicant's details, with the field it is about (ApplicantInput's name).
struct ApplicantProblem {
  std::string field;
  Error error;
};

// The applicant's details as a submission needs them, each field's first problem. The formats of
// phone and e-mail are the e-form's (catalog::CheckAnswer), of CCCD and tax code auth's.
std::vector<ApplicantProblem> ApplicantProblems(const Applicant& a, int this_year) {
  std::vector<ApplicantProblem> out;
  if (core::ToNfc(a.name).empty() || a.name.size() > 200) {
    out.push_back(
        {"name", Invalid("dossier.invalid_applicant", "Họ tên người nộp hồ sơ không được để trống.",
                         "The applicant's name is required.")});
  }
  if (a.kind < 1 || a.kind > 4) {
    out.push_back(
        {"kind", Invalid("dossier.invalid_applicant",
                         "Loại đối tượng phải là 1 (công dân), 2 (doanh nghiệp), 3 (cơ quan nhà "
                         "nước) hoặc 4 (tổ chức khác).",
                         "Applicant kind must be 1 (citizen), 2 (business), 3 (state agency) or 4 "
                         "(other organisation).")});
  }
  if ((a.kind == 1 || (a.kind == 2 && !auth::IsValidTaxCode(a.id_number))) &&
      auth::HasCccdShape(a.id_number) && !auth::IsValidCccd(a.id_number, this_year)) {
    const std::string year = std::to_string(auth::CccdBirthYear(a.id_number).value_or(0));
    out.push_back(
        {"id_number", Invalid("dossier.invalid_cccd",
                              "Số định danh cá nhân (CCCD) '" + a.id_number + "' ghi năm sinh " +
                                  year + ", sau năm hiện tại: số này không thể có thật.",
                              "The citizen id (CCCD) '" + a.id_number + "' gives the birth year " +
                                  year + ", after the current year: no such number can exist.")});
  } else if (a.kind == 1 && !auth::IsValidCccd(a.id_number, this_year)) {
    out.push_back(
        {"id_number",
         Invalid("dossier.invalid_cccd",
                 "Số định danh cá nhân (CCCD) '" + a.id_number +
                     "' không hợp lệ: cần 12 chữ số với mã tỉnh và mã thế kỷ đúng.",
                 "The citizen id (CCCD) '" + a.id_number +
                     "' is invalid: it needs 12 digits with a valid province and century code.")});
  } else if (a.kind == 2 && !auth::IsValidTaxCode(a.id_number) &&
             !auth::IsValidCccd(a.id_number, this_year)) {
    // Household businesses use their owner's CCCD as tax code (Thông tư 86/2024/TT-BTC).
    out.push_back({"id_number", Invalid("dossier.invalid_tax_code",
                                        "Mã số doanh nghiệp '" + a.id_number +
                                            "' không hợp lệ: cần 10 chữ số với chữ số kiểm tra "
                                            "đúng (chi nhánh: thêm -NNN).",
                                        "The business tax code '" + a.id_number +
                                            "' is invalid: it needs 10 digits with a correct "
                                            "check digit (a branch adds -NNN).")});
  }
  // Optional; when given, in the e-form's formats.
  static const catalog::FormField kPhone{
      .name = "phone", .label_vi = "Số điện thoại", .label_en = "Phone number", .type = "phone"};
  static const catalog::FormField kEmail{
      .name = "email", .label_vi = "Thư điện tử", .label_en = "E-mail", .type = "email"};
  for (const auto& [field, value] : {std::pair{&kPhone, &a.phone}, std::pair{&kEmail, &a.email}}) {
    if (value->empty()) continue;
    const boost::json::value answer(*value);
    if (auto p = catalog::CheckAnswer(*field, &answer, this_year)) {
      out.push_back({field->name, Invalid("dossier.invalid_applicant", std::move(p->message_vi),
                                          std::move(p->message_en))});
    }
  }
  return out;
}

Result<void> CheckApplicant(const Applicant& a, int this_year) {
  auto problems = ApplicantProblems(a, this_year);
  if (!problems.empty()) return std::move(problems.front().error);
  return Ok();
}

// The birth date a citizen applicant is checked with: a verified account's own (the provider
// read it from the population database), else the one the submission states.
std::string BirthDateFor(const SubmitInput& input, bool own_identity, const core::Actor& actor) {
  if (own_identity && !actor.birth_date.empty()) return actor.birth_date;
  return input.applicant_birth_date;
}

FieldProblem BirthDateRequired() {
  return {"applicant.birth_date",
          "Nhập ngày sinh để đối chiếu với Cơ sở dữ liệu quốc gia về dân cư",
          "Enter the date of birth, to be checked against the national population database"};
}

// The problems as one error, each field's message in turn.
Error IdentityMismatch(const std::vector<FieldProblem>& problems) {
  std::string vi, en;
  for (const FieldProblem& p : problems) {
    vi += (vi.empty() ? "" : "; ") + p.message_vi;
    en += (en.empty() ? "" : "; ") + p.message_en;
  }
  return Invalid("dossier.identity_mismatch", vi + ".", en + ".");
}

// The identity an online submission carries. Without `on_behalf` the applicant is the account
// itself: its verified id number and name, which the request may repeat (a name typed without
// diacritics still matches) but not change. With it, the applicant is someone else, and the
// account is recorded as who submitted for them (nộp thay).
Result<void> TakeAccountIdentity(Applicant& a, bool asked_on_behalf, const core::Actor& actor,
                                 Submitter& submitter, bool& on_behalf) {
  submitter.kind = actor.kind == core::ActorKind::kBusiness ? 2 : 1;
  submitter.name = core::ToNfc(actor.full_name);
  submitter.id_number = actor.login;
  if (asked_on_behalf && a.id_number != submitter.id_number) {
    on_behalf = true;
    return Ok();
  }
  // The account holder: the account's own number under another name is nobody else.
  on_behalf = false;
  const bool same_number = a.id_number.empty() || a.id_number == submitter.id_number;
  const bool same_name = core::SearchKey(a.name) == core::SearchKey(submitter.name);
  if (!same_number || !same_name) {
    return Invalid("dossier.applicant_not_account",
                   "Hồ sơ nộp trực tuyến mang danh tính của tài khoản nộp: " + submitter.name +
                       ", số định danh " + submitter.id_number +
                       ". Nếu nộp thay cho người khác, hãy chọn \"Nộp thay cho người khác\" "
                       "và ghi thông tin của người đó.",
                   "An online dossier carries the identity of the account that submits it: " +
                       submitter.name + ", id number " + submitter.id_number +
                       ". To submit for someone else, choose \"Submit on behalf of someone "
                       "else\" (\"on_behalf\": true) and give that person's details.");
  }
  a.kind = submitter.kind;
  a.name = submitter.name;
  a.id_number = submitter.id_number;
  return Ok();
}

// What a file name's extension claims the file is: "pdf", "jpg"… as SniffFileType names types,
// the bare extension when it is none of those, "" without one.
std::string ClaimedType(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return "";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "jpeg" || ext == "jpe") return "jpg";
  return ext;
}

std::string_view TypeLabel(std::string_view type, bool vietnamese) {
  if (type == "pdf") return "PDF";
  if (type == "jpg") return vietnamese ? "ảnh JPEG" : "a JPEG image";
  if (type == "png") return vietnamese ? "ảnh PNG" : "a PNG image";
  if (type == "docx") return vietnamese ? "văn bản Word (DOCX)" : "a Word document (DOCX)";
  if (type == "xml") return "XML";
  return type;
}

// The bytes a file type is recognised by: its start, and for a .docx (a zip) the end too, where
// the zip's directory names its entries even when large media come first.
Result<std::string> SniffBytes(const core::ByteSource& content) {
  constexpr std::size_t kSniff = 64 * 1024;
  TINHSO_ASSIGN_OR_RETURN(std::string bytes, content.Head(kSniff));
  if (content.size() > kSniff && bytes.starts_with(std::string_view("PK\x03\x04", 4))) {
    const std::uint64_t tail = std::max<std::uint64_t>(kSniff, content.size() - kSniff);
    TINHSO_ASSIGN_OR_RETURN(std::string end, content.Read(tail, kSniff));
    bytes += end;
  }
  return bytes;
}

// The fees a dossier owes with its form answers (per copy where the catalog says so).
std::int64_t FeeOf(const catalog::Procedure& proc, std::string_view form_json) {
  auto form = json::ParseObject(form_json);
  return proc.FeeFor(form.ok() ? *form : boost::json::object());
}

}  // namespace

namespace internal {

Result<std::vector<PreparedFile>> PrepareFiles(const catalog::Procedure& proc,
                                               const std::vector<FileInput>& files,
                                               std::string_view kind, const Options& options,
                                               bool require_all) {
  if (static_cast<int>(files.size()) > options.max_files) {
    return Invalid("dossier.too_many_files",
                   "Mỗi lần nộp tối đa " + std::to_string(options.max_files) + " tệp.",
                   "At most " + std::to_string(options.max_files) + " files per submission.");
  }
  std::vector<PreparedFile> out;
  for (const FileInput& f : files) {
    std::string name = f.name.empty() ? "tep" : f.name;
    if (f.content.size() > static_cast<std::uint64_t>(options.max_file_bytes)) {
      return MakeError(ErrorCode::kPayloadTooLarge, "dossier.file_too_large",
                       "Tệp '" + name + "' vượt quá dung lượng cho phép (" +
                           std::to_string(options.max_file_bytes >> 20) + " MB).",
                       "File '" + name + "' is over the size limit (" +
                           std::to_string(options.max_file_bytes >> 20) + " MB).");
    }
    if (f.content.empty()) {
      return Invalid("dossier.file_empty", "Tệp '" + name + "' rỗng.",
                     "File '" + name + "' is empty.");
    }
    if (name.size() > 255) {
      return Invalid("dossier.file_name", "Tên tệp dài quá 255 byte.",
                     "A file name is longer than 255 bytes.");
    }
    TINHSO_ASSIGN_OR_RETURN(std::string head, SniffBytes(f.content));
    const std::string type = internal::SniffFileType(head);
    TINHSO_RETURN_IF_ERROR(CheckComponentType(
        proc, kind == "result" ? std::nullopt : std::optional<std::string_view>(f.component), type,
        name));
    // The name must not claim another type than the content: a PNG named .pdf, or a PDF named
    // .exe, would open in the wrong program, or not at all, for whoever downloads it.
    const std::string claimed = ClaimedType(name);
    if (claimed.empty()) {
      name += "." + type;
    } else if (claimed != type) {
      return Invalid("dossier.file_name_mismatch",
                     "Tệp '" + name + "' có đuôi ." + claimed + " nhưng nội dung là " +
                         std::string(TypeLabel(type, true)) +
                         ". Hãy chọn đúng tệp, hoặc đổi tên tệp cho khớp với nội dung.",
                     "File '" + name + "' is named ." + claimed + " but its content is " +
                         std::string(TypeLabel(type, false)) +
                         ". Pick the right file, or rename it to match its content.");
    }
    TINHSO_ASSIGN_OR_RETURN(std::string sha256, f.content.Sha256Hex());
    out.push_back({std::string(kind), f.component, std::move(name), type, f.content,
                   std::move(sha256), f.content.size()});
  }
  if (require_all) TINHSO_RETURN_IF_ERROR(CheckComponentsGiven(proc, out));
  return out;
}

Result<void> CheckComponentType(const catalog::Procedure& proc,
                                std::optional<std::string_view> component, std::string_view type,
                                std::string_view name) {
  // A result (no component) may be any of the types the system knows.
  std::vector<std::string> allowed = {"pdf", "jpg", "png", "docx", "xml"};
  if (component) {
    const std::string code(*component);
    const catalog::Component* c = proc.FindComponent(code);
    if (c == nullptr) {
      return Invalid("dossier.component_unknown",
                     "Thủ tục không có thành phần hồ sơ mã '" + code + "'.",
                     "The procedure has no dossier component '" + code + "'.");
    }
    allowed = c->file_types.empty() ? std::vector<std::string>{"pdf"} : c->file_types;
  }
  if (type.empty() || std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
    std::string list;
    for (const auto& t : allowed) list += (list.empty() ? "" : ", ") + t;
    const std::string n(name);
    return Invalid("dossier.file_type",
                   "Tệp '" + n + "' không đúng định dạng: nội dung tệp phải là " + list + ".",
                   "File '" + n + "' has the wrong type: its content must be " + list + ".");
  }
  return Ok();
}

Result<void> CheckComponentsGiven(const catalog::Procedure& proc,
                                  const std::vector<PreparedFile>& files) {
  for (const catalog::Component& c : proc.components) {
    if (!c.required) continue;
    const bool given = std::any_of(files.begin(), files.end(),
                                   [&](const PreparedFile& f) { return f.component == c.code; });
    if (!given) {
      return Invalid("dossier.component_missing",
                     "Thiếu thành phần hồ sơ bắt buộc: " + c.name + " (" + c.code + ").",
                     "A required dossier component is missing: " + c.name + " (" + c.code + ").");
    }
  }
  return Ok();
}

}  // namespace internal

namespace {

Result<void> InsertFiles(storage::Transaction& tx, std::int64_t dossier_id,
                         const std::vector<PreparedFile>& files, core::Seconds now) {
  static const storage::RowsInsert kFiles(
      sql::kFilesTable, {std::begin(sql::kFileColumns), std::end(sql::kFileColumns)},
      sql::kRowsPerInsert, "RETURNING id");
  static const storage::RowsInsert kChunks(
      sql::kChunksTable, {std::begin(sql::kChunkColumns), std::end(sql::kChunkColumns)},
      sql::kRowsPerInsert);
  internal::ChunkWriter chunks(kChunks, tx);
  for (std::size_t first = 0; first < files.size(); first += kFiles.max_rows()) {
    const std::size_t n = std::min(kFiles.max_rows(), files.size() - first);
    std::vector<std::vector<storage::Value>> values;
    for (std::size_t r = 0; r < n; ++r) {
      const PreparedFile& f = files[first + r];
      values.push_back({dossier_id, f.kind, f.component, f.name, internal::ContentTypeOf(f.type),
                        static_cast<std::int64_t>(f.size), f.sha256, storage::Bytes{}, Epoch(now),
                        f.signed_by});
    }
    TINHSO_ASSIGN_OR_RETURN(auto params, kFiles.Bind(std::move(values)));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(kFiles.Sql(n), params));
    if (rows.size() != n) return InternalError("file insert returned a wrong number of ids");
    // RETURNING's order is not promised, but ids are given in the order the rows are inserted,
    // which is the VALUES order on both backends: sorted, they are the files in order.
    std::vector<std::int64_t> ids;
    for (const storage::Row& row : rows) ids.push_back(row.Int(0));
    std::sort(ids.begin(), ids.end());
    for (std::size_t r = 0; r < n; ++r) {
      const PreparedFile& f = files[first + r];
      if (f.draft_file_id != 0) {
        TINHSO_RETURN_IF_ERROR(tx.Execute(
            sql::kCopyDraftChunks, {{"file_id", ids[r]}, {"draft_file_id", f.draft_file_id}}));
      } else {
        TINHSO_RETURN_IF_ERROR(chunks.Add(ids[r], f.content));
      }
    }
  }
  return chunks.Flush();
}

}  // namespace

// ---- Implementation helpers that need the service's collaborators --------------------------

namespace {

struct Work {
  Service::Impl& impl;
  const Options& options;
  core::Seconds now;
  const core::Actor& actor;
  // When set, audit entries wait here to be appended at the end of the group commit's batch
  // (audit::AppendAll), instead of locking the audit chain's head in the middle of it.
  std::vector<audit::Pending>* deferred_audit = nullptr;

  Result<std::int64_t> ProvinceRoot() const {
    agencies::ListQuery q;
    q.kind = "province_pc";
    q.limit = 2;
    TINHSO_ASSIGN_OR_RETURN(auto page, impl.agencies.List(q));
    if (page.items.empty()) {
      return Precondition("dossier.no_competent_agency",
                          "Chưa khai báo Ủy ban nhân dân tỉnh trong danh mục cơ quan.",
                          "No provincial people's committee is defined.");
    }
    return page.items.front().id;
  }

  Result<std::int64_t> SectorAgency(std::string_view sector) const {
    auto s = impl.catalog.GetSector(sector);
    if (!s.ok()) return std::move(s).error();
    auto r = impl.agencies.Resolve(s->agency_code);
    if (!r.ok()) {
      return Precondition(
          "dossier.no_competent_agency",
          "Không xác định được cơ quan của lĩnh vực '" + s->name + "' (mã " + s->agency_code + ").",
          "Cannot find the agency of sector '" + s->code + "' (code " + s->agency_code + ").");
    }
    return r->agency.id;
  }

  Result<std::int64_t> ResolveRef(const catalog::AgencyRef& ref, const Routing& r) const {
    if (ref.kind == "receiving") return r.receiving;
    if (ref.kind == "competent") return r.competent;
    if (ref.kind == "commune") {
      if (r.locality == 0) {
        return Invalid("dossier.locality_required",
                       "Thủ tục cấp xã: cần chọn xã, phường nơi cư trú của người nộp.",
                       "A commune-level procedure needs the applicant's commune or ward.");
      }
      return r.locality;
    }
    if (ref.kind == "department") return SectorAgency(ref.sector);
    if (ref.kind == "province_pc") return ProvinceRoot();
    return Precondition("dossier.no_competent_agency",
                        "Loại cơ quan '" + ref.kind + "' trong quy trình không hợp lệ.",
                        "Unknown agency kind '" + ref.kind + "' in the workflow.");
  }

  // Competent, receiving and step agencies for a new dossier (NĐ 118/2025: received anywhere
  // in the province, settled by the competent agency).
  Result<Routing> Route(const catalog::Procedure& proc, std::string_view locality_code,
                        Channel channel) const {
    Routing r;
    // An agency read already (the commune, the officer's own), kept: most dossiers are received
    // by it, and each read is a transaction.
    std::optional<agencies::Agency> known;
    if (!locality_code.empty()) {
      auto loc = impl.agencies.Resolve(locality_code);
      if (!loc.ok() || !IsCommuneKind(loc->agency.kind)) {
        return Invalid("dossier.locality_invalid",
                       "Mã xã, phường '" + std::string(locality_code) + "' không hợp lệ.",
                       "'" + std::string(locality_code) + "' is not a commune or ward code.");
      }
      r.locality = loc->agency.id;
      known = std::move(loc->agency);
    }
    if (channel != Channel::kOnline) {
      r.receiving = actor.agency_id;
      if (r.locality == 0) {
        auto own = impl.agencies.Get(actor.agency_id);
        if (own.ok() && IsCommuneKind(own->kind)) r.locality = own->id;
        if (own.ok()) known = std::move(*own);
      }
    }
    TINHSO_ASSIGN_OR_RETURN(r.competent, ResolveRef(proc.competent, r));
    if (channel == Channel::kOnline) {
      // Online dossiers are received by the competent commune, or by the provincial service
      // centre for provincial procedures (the competent agency itself when there is none).
      r.receiving = r.competent;
      if (proc.level == "province") {
        agencies::ListQuery q;
        q.kind = "service_center";
        q.limit = 1;
        auto centres = impl.agencies.List(q);
        if (centres.ok() && !centres->items.empty()) r.receiving = centres->items.front().id;
      }
    }
    for (const catalog::Step& step : proc.steps) {
      TINHSO_ASSIGN_OR_RETURN(std::int64_t id, ResolveRef(step.agency, r));
      r.step_agencies.push_back(id);
    }
    if (!known || known->id != r.receiving) {
      TINHSO_ASSIGN_OR_RETURN(known, impl.agencies.Get(r.receiving));
    }
    r.receiving_code = known->code_qcvn.value_or(known->code);
    r.receiving_name = known->name;
    return r;
  }

  // Step agencies of an existing dossier.
  Result<Routing> RouteExisting(const catalog::Procedure& proc, const Dossier& d) const {
    Routing r;
    r.receiving = d.receiving_agency_id;
    r.competent = d.competent_agency_id;
    r.locality = d.locality_agency_id;
    for (const catalog::Step& step : proc.steps) {
      TINHSO_ASSIGN_OR_RETURN(std::int64_t id, ResolveRef(step.agency, r));
      r.step_agencies.push_back(id);
    }
    TINHSO_ASSIGN_OR_RETURN(auto receiving, impl.agencies.Get(r.receiving));
    r.receiving_code = receiving.code_qcvn.value_or(receiving.code);
    return r;
  }

  // Moves `d` to step `index`. A step at another agency is a transfer: under the 15:00 rule a
  // dossier handed over after 15:00 (or on a day off) starts there the next working morning.
  void EnterStep(Dossier& d, const catalog::Procedure& proc, const Routing& r, int index) const {
    const auto& cal = impl.calendar;
    const auto i = static_cast<std::size_t>(index);
    const std::int64_t agency = r.step_agencies[i];
    core::Seconds start = now;
    if (agency != d.current_agency_id &&
        TransferDeadline(cal, now) != cal.EndOfWorkingDay(cal.LocalDate(now))) {
      start = NextWorkingMorning(cal, now);
    }
    d.step_index = index;
    d.step_code = proc.steps[i].code;
    d.current_agency_id = agency;
    d.step_started_at = start;
    d.assignee_id = 0;
    if (d.received_at && d.due_at) {
      d.step_due_at = StepDue(cal, start, *d.received_at, *d.due_at, proc.steps[i].share);
    } else {
      d.step_due_at.reset();
    }
  }

  // The index of the return step: the last step performed at the receiving agency by reception.
  int ReturnStep(const catalog::Procedure& proc) const {
    for (int i = static_cast<int>(proc.steps.size()) - 1; i > 0; --i) {
      const auto& s = proc.steps[static_cast<std::size_t>(i)];
      if (s.agency.kind == "receiving" && s.role == auth::kRoleReception) return i;
    }
    return static_cast<int>(proc.steps.size()) - 1;
  }

  Result<std::string> NextCode(storage::Transaction& tx, const Routing& r) const {
    const std::chrono::year_month_day ymd = impl.calendar.LocalDate(now);
    const int day = (static_cast<int>(ymd.year()) % 100) * 10000 +
                    static_cast<int>(static_cast<unsigned>(ymd.month())) * 100 +
                    static_cast<int>(static_cast<unsigned>(ymd.day()));
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(sql::kNextSequence, {{"agency_id", r.receiving}, {"day", day}}));
    char buf[64];
    std::snprintf(buf, sizeof buf, "-%06d-%04lld", day, static_cast<long long>(rows[0].Int(0)));
    return r.receiving_code + buf;
  }

  Result<void> Accept(storage::Transaction& tx, Dossier& d, const catalog::Procedure& proc,
                      const Routing& r, EventSpec& ev) const {
    TINHSO_ASSIGN_OR_RETURN(d.code, NextCode(tx, r));
    d.received_at = now;
    d.due_at = Appointment(impl.calendar, now, proc.processing_time);
    d.original_due_at = d.due_at;
    d.status = Status::kReceived;
    d.fee_total = FeeOf(proc, d.form_json);
    d.current_agency_id = r.receiving;
    if (proc.steps.size() > 1) EnterStep(d, proc, r, 1);
    ev.action = "accept";
    ev.content = "Tiếp nhận hồ sơ, mã số " + d.code + "; hẹn trả kết quả lúc " +
                 core::FormatVietnamDateTime(*d.due_at) + ".";
    ev.data["code"] = d.code;
    ev.data["due_at"] = core::FormatTimestamp(*d.due_at);
    return Ok();
  }

  // The agency an event happens in: the actor's, or for citizens the dossier's current one.
  std::int64_t EventAgency(const Dossier& d) const {
    return actor.agency_id != 0 ? actor.agency_id : d.current_agency_id;
  }

  // Appends an event to the dossier's timeline, public and internal, and to the audit log.
  Result<void> WriteEvent(storage::Transaction& tx, const Dossier& d, const EventSpec& ev) const {
    const std::int64_t agency_id = EventAgency(d);
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(sql::kLastEventSeq, {{"agency_id", agency_id}, {"dossier_id", d.id}}));
    const std::int64_t seq = rows[0].Int(0) + 1;
    const std::string shown =
        internal::PublicEventJson(seq, now, ev.action, rows[0].Text(1), ev.content, d.status);
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kAppendPublicEvent,
                                      {{"first", shown}, {"next", "," + shown}, {"id", d.id}}));
    return WriteShownEvent(tx, d, ev, seq);
  }

  // The rest of WriteEvent, for an event already on the public timeline: a new dossier's first,
  // which the dossier's own row carries from its insert (two statements fewer per submission).
  Result<void> WriteShownEvent(storage::Transaction& tx, const Dossier& d, const EventSpec& ev,
                               std::int64_t seq) const {
    const std::int64_t agency_id = EventAgency(d);
    TINHSO_RETURN_IF_ERROR(tx.Execute(
        sql::kInsertEvent, {{"dossier_id", d.id},
                            {"seq", seq},
                            {"at", Epoch(now)},
                            {"action", ev.action},
                            {"actor_id", actor.user_id},
                            {"actor_name", actor.full_name.empty() ? actor.login : actor.full_name},
                            {"actor_position", actor.position},
                            {"agency_id", IdValue(agency_id)},
                            {"content", ev.content},
                            {"status", static_cast<std::int64_t>(d.status)},
                            {"step_code", d.step_code},
                            {"step_started_at", TimeValue(d.step_started_at)},
                            {"step_due_at", TimeValue(d.step_due_at)},
                            {"data", json::Serialize(ev.data)}}));
    if (impl.listener != nullptr) {
      Event told;
      told.seq = seq;
      told.at = now;
      told.action = ev.action;
      told.actor_id = actor.user_id;
      told.agency_id = agency_id;
      told.content = ev.content;
      told.status = d.status;
      told.step_code = d.step_code;
      if (const auto* items = ev.data.if_contains("items"); items && items->is_array()) {
        for (const auto& item : items->as_array()) {
          if (item.is_string()) told.items.emplace_back(item.as_string());
        }
      }
      TINHSO_RETURN_IF_ERROR(impl.listener->OnEvent(tx, d, told, ev.reason));
    }
    boost::json::object audit_data = ev.data;
    audit_data["status"] = static_cast<int>(d.status);
    audit_data["code"] = d.code;
    audit::Change change{"dossier." + ev.action, "dossier", std::to_string(d.id),
                         json::Serialize(audit_data)};
    if (deferred_audit != nullptr) {
      deferred_audit->push_back({actor, std::move(change), now});
      return Ok();
    }
    TINHSO_RETURN_IF_ERROR(audit::Append(tx, actor, change, now));
    return Ok();
  }

  Result<void> Update(storage::Transaction& tx, const Dossier& d, std::int64_t seen_version,
                      const std::string& rating_comment, Timeliness outcome) const {
    std::string outcome_key(TimelinessKey(outcome));
    TINHSO_ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Execute(sql::kUpdate,
                   {{"code", d.code.empty() ? storage::Value(nullptr) : storage::Value(d.code)},
                    {"status", static_cast<std::int64_t>(d.status)},
                    {"current_agency_id", d.current_agency_id},
                    {"step_index", static_cast<std::int64_t>(d.step_index)},
                    {"step_code", d.step_code},
                    {"step_started_at", TimeValue(d.step_started_at)},
                    {"step_due_at", TimeValue(d.step_due_at)},
                    {"assignee_id", IdValue(d.assignee_id)},
                    {"form", d.form_json},
                    {"received_at", TimeValue(d.received_at)},
                    {"due_at", TimeValue(d.due_at)},
                    {"original_due_at", TimeValue(d.original_due_at)},
                    {"finished_at", TimeValue(d.finished_at)},
                    {"returned_at", TimeValue(d.returned_at)},
                    {"paused_at", TimeValue(d.paused_at)},
                    {"supplement_count", static_cast<std::int64_t>(d.supplement_count)},
                    {"apology_issued", static_cast<std::int64_t>(d.apology_issued)},
                    {"fee_total", d.fee_total},
                    {"paid_online", static_cast<std::int64_t>(d.paid_online)},
                    {"rating", d.rating ? storage::Value(static_cast<std::int64_t>(*d.rating))
                                        : storage::Value(nullptr)},
                    {"rating_comment", rating_comment.empty() ? storage::Value(nullptr)
                                                              : storage::Value(rating_comment)},
                    {"return_method", d.return_method.empty() ? storage::Value(nullptr)
                                                              : storage::Value(d.return_method)},
                    {"outcome",
                     outcome_key.empty() ? storage::Value(nullptr) : storage::Value(outcome_key)},
                    {"new_version", d.version},
                    {"updated_at", Epoch(now)},
                    {"id", d.id},
                    {"version", seen_version}}));
    if (changed != 1) {
      return MakeError(ErrorCode::kConflict, "dossier.version_conflict",
                       "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.",
                       "The dossier was changed by someone else. Reload it and try again.");
    }
    return Ok();
  }
};

Result<Dossier> LoadForUpdate(storage::Transaction& tx, std::int64_t id) {
  TINHSO_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string(sql::kSelect) + std::string(sql::kColumns) + std::string(sql::kFromById),
               {{"id", id}}));
  if (rows.empty()) return NotFound();
  return internal::DecodeDossier(rows[0]);
}

// The group committer's Finish: the audit entries every submission and transition of one
// transaction left, appended together, so that the audit log's head is locked and moved once
// per transaction and not once per dossier.
Result<void> AppendLeftAudit(storage::Transaction& tx, std::span<std::any* const> left) {
  std::vector<audit::Pending> entries;
  for (std::any* l : left) {
    auto* mine = l == nullptr ? nullptr : std::any_cast<std::vector<audit::Pending>>(l);
    if (mine == nullptr) continue;
    entries.insert(entries.end(), std::make_move_iterator(mine->begin()),
                   std::make_move_iterator(mine->end()));
    mine->clear();
  }
  return audit::AppendAll(tx, entries);
}

}  // namespace

// ---- Service ---------------------------------------------------------------------------------

Service::Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
                 agencies::Service& agencies, catalog::Service& catalog,
                 const calendar::WorkingCalendar& calendar, Options options)
    : impl_(new Impl{db, clock, policy, agencies, catalog, calendar,
                     storage::GroupCommitter(db, AppendLeftAudit)}),
      options_(std::move(options)) {}

Service::~Service() = default;

Result<std::vector<FieldProblem>> Service::CheckSubmission(const SubmitInput& input,
                                                           const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(
      impl_->policy.Check(actor, "dossier.submit", {actor.agency_id, actor.user_id}));
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(input.procedure_code));
  const int this_year = auth::YearInVietnam(impl_->clock.Now());
  std::vector<FieldProblem> out;
  const bool own_identity = input.channel == Channel::kOnline && !input.on_behalf;
  bool identity_well_formed = true;
  for (ApplicantProblem& p : ApplicantProblems(input.applicant, this_year)) {
    // An online applicant without `on_behalf` is the account: its name and number are taken
    // from it, whatever the page sends.
    if (own_identity && (p.field == "name" || p.field == "id_number" || p.field == "kind")) {
      continue;
    }
    identity_well_formed = identity_well_formed && p.field != "name" && p.field != "id_number";
    out.push_back(
        {"applicant." + p.field, std::move(p.error.message_vi), std::move(p.error.message_en)});
  }
  if (!input.applicant_birth_date.empty() && !core::ParseDate(input.applicant_birth_date)) {
    identity_well_formed = false;
    out.push_back({"applicant.birth_date", "Ngày sinh phải theo dạng YYYY-MM-DD",
                   "The date of birth must be YYYY-MM-DD"});
  }
  // The population database, for an online citizen applicant whose details are well formed (a
  // number that cannot exist is not sent): what Submit would refuse, field by field.
  const int kind = own_identity ? (actor.kind == core::ActorKind::kBusiness ? 2 : 1)
                                : (input.applicant.kind == 0 ? 1 : input.applicant.kind);
  if (impl_->identity_checker && input.channel == Channel::kOnline && kind == 1 &&
      identity_well_formed) {
    const std::string birth = BirthDateFor(input, own_identity, actor);
    if (birth.empty()) {
      out.push_back(BirthDateRequired());
    } else {
      const IdentityResult r = impl_->identity_checker(
          {.id_number = own_identity ? actor.login : input.applicant.id_number,
           .name = own_identity ? actor.full_name : input.applicant.name,
           .birth_date = birth,
           .asked_by = actor.login});
      for (FieldProblem& p : internal::IdentityProblems(r)) out.push_back(std::move(p));
    }
  }
  if (input.locality_code.empty() && proc.NeedsCommune()) {
    out.push_back({"locality_code", "Chọn xã, phường nơi cư trú",
                   "Choose the commune or ward where you live"});
  } else if (!input.locality_code.empty()) {
    auto loc = impl_->agencies.Resolve(input.locality_code);
    if (!loc.ok() || !IsCommuneKind(loc->agency.kind)) {
      out.push_back({"locality_code", "Chọn một xã, phường trong danh sách",
                     "Choose a commune or ward from the list"});
    }
  }
  for (catalog::FieldProblem& p :
       catalog::CheckForm(proc, input.form_json.empty() ? "{}" : input.form_json, this_year)) {
    out.push_back({"form." + p.field, std::move(p.message_vi), std::move(p.message_en)});
  }
  return out;
}

Result<Dossier> Service::Submit(const SubmitInput& input, const core::Actor& actor, bool* created) {
  if (created != nullptr) *created = false;
  const core::Seconds now = impl_->clock.Now();
  const bool at_counter = input.channel != Channel::kOnline;
  if (at_counter) {
    if (actor.kind != core::ActorKind::kOfficer || !actor.HasRole(auth::kRoleReception)) {
      return MakeError(ErrorCode::kPermissionDenied, "dossier.counter_only_reception",
                       "Chỉ cán bộ một cửa mới tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính.",
                       "Only reception officers take dossiers at the counter or by post.");
    }
  } else if (actor.kind != core::ActorKind::kCitizen && actor.kind != core::ActorKind::kBusiness) {
    return MakeError(ErrorCode::kPermissionDenied, "dossier.online_only_applicant",
                     "Hồ sơ trực tuyến do công dân, doanh nghiệp nộp từ tài khoản của mình.",
                     "Online dossiers are submitted by citizens and businesses from their own "
                     "accounts.");
  }
  TINHSO_RETURN_IF_ERROR(
      impl_->policy.Check(actor, "dossier.submit", {actor.agency_id, actor.user_id}));
  if (input.idempotency_key.size() > 200) {
    return Invalid("dossier.idempotency_key", "Khóa chống gửi trùng quá dài (tối đa 200 ký tự).",
                   "The idempotency key is too long (200 characters at most).");
  }
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(input.procedure_code));
  if (!proc.active) {
    return Precondition("dossier.procedure_inactive", "Thủ tục " + proc.code + " đã ngừng áp dụng.",
                        "Procedure " + proc.code + " is no longer offered.");
  }
  if (proc.steps.empty()) {
    return Precondition("dossier.no_workflow", "Thủ tục chưa có quy trình xử lý.",
                        "The procedure has no workflow.");
  }
  TINHSO_RETURN_IF_ERROR(CheckReceived(proc, input.received, at_counter));
  Applicant applicant = input.applicant;
  Submitter submitter;
  bool on_behalf = false;
  if (!at_counter) {
    TINHSO_RETURN_IF_ERROR(
        TakeAccountIdentity(applicant, input.on_behalf, actor, submitter, on_behalf));
  }
  const int this_year = auth::YearInVietnam(now);
  TINHSO_RETURN_IF_ERROR(CheckApplicant(applicant, this_year));
  const std::string birth_date = BirthDateFor(input, !at_counter && !on_behalf, actor);
  if (!birth_date.empty() && !core::ParseDate(birth_date)) {
    return Invalid("dossier.invalid_birth_date", "Ngày sinh phải theo dạng YYYY-MM-DD.",
                   "The date of birth must be YYYY-MM-DD.");
  }
  const std::string form = input.form_json.empty() ? "{}" : input.form_json;
  TINHSO_RETURN_IF_ERROR(catalog::ValidateForm(proc, form, this_year));
  const bool from_draft = input.draft_id != 0;
  TINHSO_ASSIGN_OR_RETURN(auto files,
                          PrepareFiles(proc, input.files, "component", options_,
                                       // A counter's checklist records the papers received:
                                       // their scans may follow, as attachments.
                                       !from_draft && input.received.empty()));
  if (from_draft) {
    // The draft's files join the dossier from where they are stored; the version the page saw
    // is checked again when the draft is deleted, in the submission's transaction, so that the
    // files submitted are those the citizen saw.
    if (at_counter) {
      return Invalid("draft.online_only", "Hồ sơ nháp chỉ dùng cho hồ sơ nộp trực tuyến.",
                     "Drafts are for online submissions only.");
    }
    auto found = GetDraft(input.draft_id, actor);
    if (!found.ok() && found.error().code == ErrorCode::kNotFound &&
        !input.idempotency_key.empty()) {
      // Sent again after an answer that was lost: the draft went with the first submission,
      // whose dossier the key finds (its files' hashes went with the draft, so the key alone).
      auto earlier = storage::WithTransaction(
          impl_->db,
          [&](storage::Transaction& tx) {
            return tx.Query(sql::kFindByKey, {{"submit_key", "u" + std::to_string(actor.user_id) +
                                                                 ":" + input.idempotency_key}});
          },
          storage::TxKind::kReadOnly);
      if (earlier.ok() && !earlier->empty()) return Get((*earlier)[0].Int(0), actor);
    }
    if (!found.ok()) return std::move(found).error();
    Draft draft = std::move(*found);
    if (draft.procedure_code != proc.code) {
      return Invalid(
          "draft.procedure_mismatch",
          "Hồ sơ nháp này thuộc thủ tục " + draft.procedure_code + ", không phải " + proc.code +
              ".",
          "This draft belongs to procedure " + draft.procedure_code + ", not " + proc.code + ".");
    }
    if (draft.version != input.draft_version) {
      return MakeError(ErrorCode::kConflict, "draft.version_conflict",
                       "Hồ sơ nháp vừa được lưu ở nơi khác (một thẻ hoặc thiết bị khác). Hãy tải "
                       "lại bản nháp mới nhất.",
                       "The draft was just saved elsewhere (another tab or device). Load the "
                       "latest draft.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto stored, storage::WithTransaction(
                                             impl_->db,
                                             [&](storage::Transaction& tx) {
                                               return internal::DraftFilesToSubmit(tx, draft.id);
                                             },
                                             storage::TxKind::kReadOnly));
    for (const PreparedFile& f : stored) {
      TINHSO_RETURN_IF_ERROR(internal::CheckComponentType(proc, f.component, f.type, f.name));
    }
    files.insert(files.begin(), stored.begin(), stored.end());
    if (static_cast<int>(files.size()) > options_.max_files) {
      return Invalid("dossier.too_many_files",
                     "Mỗi lần nộp tối đa " + std::to_string(options_.max_files) + " tệp.",
                     "At most " + std::to_string(options_.max_files) + " files per submission.");
    }
    TINHSO_RETURN_IF_ERROR(CheckComponentsGiven(proc, files));
  }

  Work w{*impl_, options_, now, actor};
  TINHSO_ASSIGN_OR_RETURN(Routing routing, w.Route(proc, input.locality_code, input.channel));

  // The applicant's identity against the population database, after every other check (a
  // submission refused anyway costs no call) and before the transaction (which never waits on
  // the network). Only a citizen's identity (a business's tax code is not there).
  IdentityResult identity{.status = IdentityStatus::kNone};
  if (impl_->identity_checker && applicant.kind == 1) {
    if (birth_date.empty()) {
      // Online the page asks for it (CheckSubmission). At the counter the officer may take a
      // dossier without it: nothing is checked then.
      if (!at_counter) {
        const FieldProblem p = BirthDateRequired();
        return Invalid("dossier.birth_date_required", p.message_vi + ".", p.message_en + ".");
      }
    } else {
      identity = impl_->identity_checker({.id_number = applicant.id_number,
                                          .name = applicant.name,
                                          .birth_date = birth_date,
                                          .asked_by = actor.login});
      // Online, a mismatch refuses: the citizen corrects the field named and sends again. At
      // the counter it does not: the officer has the person and their identity card in front
      // of them, and the population database is not always right (a name changed or a birth
      // date corrected by civil registration may not have reached it yet; correcting such
      // records is itself a procedure taken at the counter). The officer's acceptance is the
      // override; the result stays on the dossier and in its audit entry for anyone to see.
      if (!at_counter && (identity.status == IdentityStatus::kDiffers ||
                          identity.status == IdentityStatus::kNotFound)) {
        return IdentityMismatch(internal::IdentityProblems(identity));
      }
    }
  }
  const bool identity_asked = identity.status != IdentityStatus::kNone;
  const bool identity_unchecked = identity.status == IdentityStatus::kUnchecked;

  std::string key;
  std::string hash;
  if (!input.idempotency_key.empty()) {
    key =
        (at_counter ? "a" + std::to_string(actor.agency_id) : "u" + std::to_string(actor.user_id)) +
        ":" + input.idempotency_key;
    std::string material = proc.code + "\n" + std::to_string(static_cast<int>(input.channel)) +
                           "\n" + applicant.name + "\n" + applicant.id_number + "\n" +
                           (on_behalf ? "on_behalf\n" : "") + input.locality_code + "\n" + form;
    for (const auto& f : files) material += "\n" + f.component + ":" + f.sha256;
    hash = core::Sha256Hex(material);
  }
  auto find_existing = [&](storage::Transaction& tx) -> Result<std::optional<std::int64_t>> {
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kFindByKey, {{"submit_key", key}}));
    if (rows.empty()) return std::optional<std::int64_t>();
    if (rows[0].Text(1) != hash) {
      return MakeError(ErrorCode::kConflict, "dossier.idempotency_key_reused",
                       "Khóa chống gửi trùng này đã dùng cho một hồ sơ khác.",
                       "This idempotency key was already used for a different submission.");
    }
    return std::optional<std::int64_t>(rows[0].Int(0));
  };

  bool is_new = false;
  std::optional<Dossier> stored;  // a new dossier as written
  std::any left_for_audit;        // for AppendLeftAudit, after the work of the whole transaction
  auto& audit_entries = left_for_audit.emplace<std::vector<audit::Pending>>();
  w.deferred_audit = &audit_entries;
  // Runs inside a transaction the group committer may share with other submissions; it may run
  // twice (alone after a failed shared batch), so it resets what it sets.
  static const std::string kInsertRow = sql::InsertReturningRow();
  auto write = [&](storage::Transaction& tx) -> Result<std::int64_t> {
    is_new = false;
    audit_entries.clear();
    Dossier d;
    d.procedure_code = proc.code;
    d.channel = input.channel;
    d.status = Status::kRegistered;
    d.applicant = applicant;
    d.applicant.name = core::ToNfc(d.applicant.name);
    d.applicant_user_id = at_counter ? 0 : actor.user_id;
    d.submitter = submitter;
    d.on_behalf = on_behalf;
    if (!at_counter && !on_behalf && !actor.identity_provider.empty()) {
      // The applicant is the verified account itself: the dossier says so, with what the
      // provider vouched for (the name and number are the account's, TakeAccountIdentity).
      d.applicant_verified_by = actor.identity_provider;
      d.applicant_verified_at = core::Seconds(std::chrono::seconds(actor.identity_verified_at));
      d.applicant_birth_date = actor.birth_date;
    }
    if (d.applicant_birth_date.empty()) d.applicant_birth_date = birth_date;
    d.receiving_agency_id = routing.receiving;
    d.competent_agency_id = routing.competent;
    d.current_agency_id = routing.receiving;
    d.locality_agency_id = routing.locality;
    d.step_code = proc.steps.front().code;
    d.step_started_at = now;
    d.form_json = form;
    d.summary =
        input.summary.empty() ? proc.name + " - " + d.applicant.name : core::ToNfc(input.summary);
    d.lookup_secret = core::RandomString(kSecretLength, kSecretAlphabet);
    EventSpec submit{
        "submit",
        std::string(at_counter ? "Nộp hồ sơ tại bộ phận một cửa" : "Nộp hồ sơ trực tuyến") + ": " +
            proc.name + ".",
        {}};
    submit.data["procedure"] = proc.code;
    submit.data["channel"] = std::string(ChannelKey(d.channel));
    submit.data["files"] = static_cast<std::int64_t>(files.size());
    if (identity_asked) {
      submit.data["identity"] = std::string(IdentityStatusKey(identity.status));
      if (!identity.differing.empty()) {
        submit.data["identity_differing"] = internal::JoinFields(identity.differing);
      }
      if (identity_unchecked) submit.data["identity_error"] = identity.error;
    }
    if (from_draft) submit.data["draft"] = input.draft_id;
    if (d.on_behalf) {
      // The public timeline shows names only; both identities go to the event and the audit.
      submit.content += " Nộp thay cho " + d.applicant.name + ".";
      submit.data["on_behalf"] = true;
      submit.data["submitter"] = {{"kind", d.submitter.kind},
                                  {"name", d.submitter.name},
                                  {"id_number", d.submitter.id_number}};
      submit.data["applicant"] = {{"kind", d.applicant.kind},
                                  {"name", d.applicant.name},
                                  {"id_number", d.applicant.id_number}};
    }
    // The submission is the first event: its public entry goes in with the row when the
    // agency it shows is the receiving one, whose name routing already has.
    const bool shown_with_row = w.EventAgency(d) == routing.receiving;
    const std::string first_shown =
        shown_with_row ? internal::PublicEventJson(1, now, submit.action, routing.receiving_name,
                                                   submit.content, d.status)
                       : std::string();
    TINHSO_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(
            kInsertRow,
            {{"lookup_secret", d.lookup_secret},
             {"procedure_code", proc.code},
             {"procedure_version", proc.version},
             {"channel", static_cast<std::int64_t>(d.channel)},
             {"applicant_kind", static_cast<std::int64_t>(d.applicant.kind)},
             {"applicant_name", d.applicant.name},
             {"applicant_id_number", d.applicant.id_number},
             {"applicant_phone", d.applicant.phone},
             {"applicant_email", d.applicant.email},
             {"applicant_address", d.applicant.address},
             {"applicant_user_id", IdValue(d.applicant_user_id)},
             {"submit_key", key.empty() ? storage::Value(nullptr) : storage::Value(key)},
             {"submit_hash", hash.empty() ? storage::Value(nullptr) : storage::Value(hash)},
             {"receiving_agency_id", d.receiving_agency_id},
             {"competent_agency_id", d.competent_agency_id},
             {"current_agency_id", d.current_agency_id},
             {"locality_agency_id", IdValue(d.locality_agency_id)},
             {"step_code", d.step_code},
             {"step_started_at", Epoch(now)},
             {"summary", d.summary},
             {"form", d.form_json},
             {"submitted_at", Epoch(now)},
             {"fee_total", FeeOf(proc, form)},
             {"updated_at", Epoch(now)},
             {"public_timeline", first_shown},
             {"submitter_kind", d.submitter.kind == 0
                                    ? storage::Value(nullptr)
                                    : storage::Value(std::int64_t{d.submitter.kind})},
             {"submitter_name",
              d.submitter.kind == 0 ? storage::Value(nullptr) : storage::Value(d.submitter.name)},
             {"submitter_id_number", d.submitter.kind == 0 ? storage::Value(nullptr)
                                                           : storage::Value(d.submitter.id_number)},
             {"on_behalf", static_cast<std::int64_t>(d.on_behalf)},
             {"applicant_verified_by", d.applicant_verified_by.empty()
                                           ? storage::Value(nullptr)
                                           : storage::Value(d.applicant_verified_by)},
             {"applicant_verified_at", d.applicant_verified_at
                                           ? storage::Value(Epoch(*d.applicant_verified_at))
                                           : storage::Value(nullptr)},
             {"applicant_birth_date", d.applicant_birth_date.empty()
                                          ? storage::Value(nullptr)
                                          : storage::Value(d.applicant_birth_date)},
             {"identity_check",
              identity_asked ? storage::Value(std::string(IdentityStatusKey(identity.status)))
                             : storage::Value(nullptr)},
             {"identity_differing", identity.differing.empty()
                                        ? storage::Value(nullptr)
                                        : storage::Value(internal::JoinFields(identity.differing))},
             {"identity_checked_at",
              identity_asked ? storage::Value(Epoch(now)) : storage::Value(nullptr)},
             {"identity_error",
              identity_unchecked ? storage::Value(identity.error) : storage::Value(nullptr)},
             {"identity_next_check_at", identity_unchecked
                                            ? storage::Value(Epoch(now + std::chrono::minutes(5)))
                                            : storage::Value(nullptr)}}));
    if (rows.empty()) {
      // The idempotency key is taken (ON CONFLICT DO NOTHING): a retry of an earlier
      // submission, answered with it; checking after the insert saves a round trip per
      // submission, most of which have a new key.
      TINHSO_ASSIGN_OR_RETURN(auto existing, find_existing(tx));
      if (!existing) return InternalError("a dossier's idempotency key is taken but not found");
      return *existing;
    }
    // The row as stored, the answer to an online submission (nothing below changes its columns).
    Dossier inserted = internal::DecodeDossier(rows[0]);
    d.id = inserted.id;
    d.version = 1;
    d.fee_total = FeeOf(proc, form);
    TINHSO_RETURN_IF_ERROR(InsertFiles(tx, d.id, files, now));
    // After the files: deleting the draft deletes the pieces they were copied from.
    if (from_draft) {
      TINHSO_RETURN_IF_ERROR(
          internal::RemoveDraft(tx, input.draft_id, actor.user_id, input.draft_version));
    }
    TINHSO_RETURN_IF_ERROR(shown_with_row ? w.WriteShownEvent(tx, d, submit, 1)
                                          : w.WriteEvent(tx, d, submit));
    if (at_counter) {
      EventSpec accept;
      const Dossier before = d;
      TINHSO_RETURN_IF_ERROR(w.Accept(tx, d, proc, routing, accept));
      if (!input.received.empty()) {
        boost::json::array items, received;
        for (const ReceivedComponent& r : input.received) {
          const auto c = std::ranges::find(proc.components, r.component, &catalog::Component::code);
          items.emplace_back(c->name + " (" + c->code + "): " + ComponentFormText(r.form));
          received.emplace_back(r.component + ":" + r.form);
        }
        accept.data["items"] = std::move(items);
        accept.data["received"] = std::move(received);
      }
      d.version = 2;
      TINHSO_RETURN_IF_ERROR(w.Update(tx, d, 1, "", Timeliness::kNone));
      TINHSO_RETURN_IF_ERROR(
          internal::BumpMonthly(tx, d, internal::DeltaBetween(before, d, Timeliness::kNone)));
      TINHSO_RETURN_IF_ERROR(w.WriteEvent(tx, d, accept));
    }
    // The answer: the row as inserted, or at the counter as accepted, read back in this
    // transaction (a read transaction after the commit would cost three more round trips).
    if (at_counter) {
      TINHSO_ASSIGN_OR_RETURN(stored, LoadForUpdate(tx, d.id));
    } else {
      stored = std::move(inserted);
    }
    is_new = true;
    return d.id;
  };
  std::int64_t new_id = 0;
  auto ran = impl_->committer.Run(
      [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(new_id, write(tx));
        return Ok();
      },
      &left_for_audit);
  Result<std::int64_t> result =
      ran.ok() ? Result<std::int64_t>(new_id) : Result<std::int64_t>(std::move(ran).error());
  if (!result.ok() && !key.empty() && result.error().reason == "storage.unique") {
    // A concurrent retry with the same key won the race: answer with its dossier.
    result = storage::WithTransaction(
        impl_->db,
        [&](storage::Transaction& tx) -> Result<std::int64_t> {
          TINHSO_ASSIGN_OR_RETURN(auto existing, find_existing(tx));
          if (!existing) return InternalError("idempotency key vanished");
          return *existing;
        },
        storage::TxKind::kReadOnly);
    is_new = false;
  }
  if (!result.ok()) return std::move(result).error();
  if (created != nullptr) *created = is_new;
  // A replay of an earlier submission reads it as any other read would (the policy's check).
  if (!is_new || !stored) return Get(*result, actor);
  stored->procedure_name = proc.name;
  stored->timeliness = Classify(*stored, now);
  return std::move(*stored);
}

Result<Dossier> Service::Transition(std::int64_t id, const TransitionInput& in,
                                    const core::Actor& actor) {
  const core::Seconds now = impl_->clock.Now();
  Work w{*impl_, options_, now, actor};
  const auto& cal = impl_->calendar;

  // Everything outside the database row, resolved before the write transaction.
  TINHSO_ASSIGN_OR_RETURN(Dossier seen, Get(id, actor));
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(seen.procedure_code));
  TINHSO_ASSIGN_OR_RETURN(Routing routing, w.RouteExisting(proc, seen));
  std::int64_t consulted_agency = 0;
  if (in.action == "consult") {
    auto r = impl_->agencies.Resolve(in.agency_code);
    if (!r.ok()) {
      return Invalid("dossier.consult_agency", "Không tìm thấy cơ quan được xin ý kiến.",
                     "The agency to consult was not found.");
    }
    consulted_agency = r->agency.id;
  }
  std::vector<PreparedFile> files;
  if (!in.files.empty()) {
    const std::string kind = in.action == "issue_result" ? "result" : "supplement";
    TINHSO_ASSIGN_OR_RETURN(files, PrepareFiles(proc, in.files, kind, options_, false));
  }
  // Result PDFs are signed by the deciding official and their organisation before they are
  // stored (NĐ 30/2020 Điều 13), outside the write transaction. Only for someone allowed to
  // decide here, so that a refused transition signs nothing.
  if (in.action == "issue_result" && impl_->result_signer &&
      impl_->policy.Check(actor, "dossier.decide", {seen.current_agency_id, 0}).ok()) {
    for (PreparedFile& f : files) {
      if (f.type != "pdf") continue;
      TINHSO_ASSIGN_OR_RETURN(std::string pdf, f.content.ReadAll());
      TINHSO_ASSIGN_OR_RETURN(std::string signed_pdf,
                              impl_->result_signer(pdf, actor, seen.current_agency_id));
      f.sha256 = core::Sha256Hex(signed_pdf);
      if (impl_->signature_reader) f.signed_by = impl_->signature_reader(signed_pdf);
      f.content = core::ByteSource(std::move(signed_pdf));
    }
  }
  if (in.action == "supplement" && !in.form_json.empty()) {
    TINHSO_RETURN_IF_ERROR(catalog::ValidateForm(proc, in.form_json, auth::YearInVietnam(now)));
  }

  auto check = [&](std::string_view action, std::int64_t agency) -> Result<void> {
    return impl_->policy.Check(actor, action, {agency, seen.applicant_user_id});
  };
  auto check_applicant = [&](const Dossier& d) -> Result<void> {
    return impl_->policy.Check(actor, "dossier.applicant", ApplicantTarget(d));
  };
  auto need_status = [&](std::initializer_list<Status> allowed, Status s) -> Result<void> {
    for (Status a : allowed) {
      if (a == s) return Ok();
    }
    return IllegalTransition(in.action, s);
  };
  auto need_step_role = [&](const Dossier& d) -> Result<void> {
    const auto& step = proc.steps[static_cast<std::size_t>(d.step_index)];
    // An officer needs the step's role (a leader may act on any step); administrators and the
    // system act on any step.
    if (actor.kind == core::ActorKind::kOfficer && !actor.HasRole(step.role) &&
        !actor.HasRole(auth::kRoleLeader)) {
      return MakeError(ErrorCode::kPermissionDenied, "dossier.step_role",
                       "Bước \"" + step.name + "\" do vai trò '" + step.role + "' thực hiện.",
                       "Step \"" + step.name_en + "\" is performed by role '" + step.role + "'.");
    }
    return Ok();
  };

  auto transition = [&](storage::Transaction& tx) -> Result<Dossier> {
    TINHSO_ASSIGN_OR_RETURN(Dossier d, LoadForUpdate(tx, id));
    if (in.version != d.version) {
      return MakeError(ErrorCode::kConflict, "dossier.version_conflict",
                       "Hồ sơ vừa được người khác cập nhật (phiên bản " +
                           std::to_string(d.version) + "). Vui lòng tải lại và thử lại.",
                       "The dossier was changed by someone else (now version " +
                           std::to_string(d.version) + "). Reload it and try again.");
    }
    const std::int64_t seen_version = d.version;
    const Status from = d.status;
    const Dossier before = d;
    EventSpec ev;
    ev.action = in.action;
    std::string rating_comment;
    const std::string& a = in.action;

    if (a == "accept") {
      TINHSO_RETURN_IF_ERROR(check("dossier.receive", d.receiving_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kRegistered}, from));
      TINHSO_RETURN_IF_ERROR(w.Accept(tx, d, proc, routing, ev));
    } else if (a == "request_completion" || a == "reject") {
      TINHSO_RETURN_IF_ERROR(check("dossier.receive", d.receiving_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kRegistered}, from));
      if (in.items.empty()) {
        return Invalid(
            "dossier.items_required",
            a == "reject" ? "Cần nêu rõ lý do từ chối." : "Cần nêu giấy tờ cần bổ sung.",
            a == "reject" ? "Give the reasons for rejection." : "List the papers to complete.");
      }
      boost::json::array items;
      std::string text;
      for (const auto& item : in.items) {
        items.push_back(boost::json::string(item));
        text += (text.empty() ? "" : "; ") + item;
      }
      ev.data["items"] = std::move(items);
      if (a == "reject") {
        d.status = Status::kRejected;
        ev.content = "Từ chối tiếp nhận hồ sơ. Lý do: " + text + ".";
      } else {
        d.status = Status::kSupplement;
        d.paused_at = now;
        ev.content = "Yêu cầu bổ sung, hoàn thiện hồ sơ: " + text + ".";
      }
      if (!in.note.empty()) ev.data["note"] = in.note;
    } else if (a == "assign") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      if (!in.assignee_id || *in.assignee_id <= 0) {
        return Invalid("dossier.assignee_required", "Cần chọn cán bộ xử lý.",
                       "Choose the officer to assign.");
      }
      d.assignee_id = *in.assignee_id;
      d.status = Status::kProcessing;
      ev.content = "Phân công cán bộ xử lý.";
      ev.data["assignee_id"] = d.assignee_id;
    } else if (a == "forward") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      TINHSO_RETURN_IF_ERROR(need_step_role(d));
      const int ret = w.ReturnStep(proc);
      if (d.step_index + 1 >= ret) {
        return Precondition("dossier.last_step",
                            "Đây là bước xử lý cuối: hãy ban hành kết quả hoặc dừng xử lý.",
                            "This is the last processing step: issue the result or stop.");
      }
      const std::int64_t from_agency = d.current_agency_id;
      const std::string from_step = d.step_code;
      w.EnterStep(d, proc, routing, d.step_index + 1);
      d.status = Status::kProcessing;
      const auto& step = proc.steps[static_cast<std::size_t>(d.step_index)];
      if (d.current_agency_id != from_agency) {
        ev.action = "transfer";
        ev.content = "Chuyển hồ sơ sang cơ quan khác: " + step.name + " (bắt đầu " +
                     core::FormatVietnamDateTime(*d.step_started_at) + ").";
        ev.data["from_agency_id"] = from_agency;
        ev.data["to_agency_id"] = d.current_agency_id;
        if (step.kind == "interagency") ev.data["interagency"] = true;
      } else {
        ev.content = "Chuyển bước: " + step.name + ".";
      }
      ev.data["from_step"] = from_step;
      ev.data["to_step"] = d.step_code;
      if (!in.note.empty()) ev.content += " " + in.note;
    } else if (a == "request_supplement") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      if (in.items.empty()) {
        return Invalid("dossier.items_required", "Cần nêu giấy tờ cần bổ sung.",
                       "List the papers to supplement.");
      }
      std::string text;
      boost::json::array items;
      for (const auto& item : in.items) {
        items.push_back(boost::json::string(item));
        text += (text.empty() ? "" : "; ") + item;
      }
      ev.data["items"] = std::move(items);
      d.status = Status::kSupplement;
      d.paused_at = now;
      d.supplement_count += 1;
      ev.content =
          "Yêu cầu bổ sung hồ sơ (lần " + std::to_string(d.supplement_count) + "): " + text + ".";
    } else if (a == "supplement") {
      TINHSO_RETURN_IF_ERROR(check_applicant(d));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kSupplement}, from));
      if (files.empty() && in.form_json.empty()) {
        return Invalid("dossier.supplement_empty", "Cần gửi kèm giấy tờ bổ sung.",
                       "Attach the supplementary papers.");
      }
      if (!in.form_json.empty()) d.form_json = in.form_json;
      d.paused_at.reset();
      if (d.received_at) {
        // NĐ 61/2018 art. 19.4: once the dossier is complete the time restarts from zero.
        d.status = Status::kProcessing;
        d.due_at = Appointment(cal, now, proc.processing_time);
        d.original_due_at = d.due_at;
        w.EnterStep(d, proc, routing, d.step_index);
        ev.content = "Công dân đã bổ sung hồ sơ; thời hạn giải quyết tính lại, hẹn trả " +
                     core::FormatVietnamDateTime(*d.due_at) + ".";
        ev.data["due_at"] = core::FormatTimestamp(*d.due_at);
      } else {
        d.status = Status::kRegistered;
        ev.content = "Công dân đã hoàn thiện hồ sơ, chờ tiếp nhận.";
      }
      ev.data["files"] = static_cast<std::int64_t>(files.size());
    } else if (a == "request_payment") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      if (in.amount && *in.amount != d.fee_total) {
        if (!proc.FeeAdjustable()) {
          return MakeError(ErrorCode::kInvalidArgument, "dossier.fee_fixed",
                           "Mức phí, lệ phí của thủ tục này cố định theo danh mục: " +
                               std::to_string(d.fee_total) + " đồng.",
                           "This procedure's fees are fixed by the catalog: " +
                               std::to_string(d.fee_total) + " dong.");
        }
        d.fee_total = *in.amount;
      }
      if (d.fee_total <= 0) {
        return Precondition("dossier.no_fee", "Thủ tục này không thu phí, lệ phí.",
                            "This procedure has no fee.");
      }
      d.status = Status::kPaying;
      d.paused_at = now;
      ev.content =
          "Yêu cầu thực hiện nghĩa vụ tài chính: " + std::to_string(d.fee_total) + " đồng.";
      ev.data["amount"] = d.fee_total;
    } else if (a == "confirm_payment") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kPaying}, from));
      if (d.paused_at && d.due_at) d.due_at = ShiftForPause(cal, *d.due_at, *d.paused_at, now);
      if (d.paused_at && d.original_due_at) {
        d.original_due_at = ShiftForPause(cal, *d.original_due_at, *d.paused_at, now);
      }
      d.paused_at.reset();
      d.status = Status::kProcessing;
      ev.content = "Đã thu phí, lệ phí trực tiếp; tiếp tục xử lý.";
    } else if (a == "consult") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      const core::Seconds due =
          in.new_due_at.value_or(cal.EndOfWorkingDay(cal.AddWorkingDays(cal.LocalDate(now), 3)));
      if (due <= now) {
        return Invalid("dossier.consult_due", "Hạn trả lời ý kiến phải sau thời điểm hiện tại.",
                       "The consultation deadline must be in the future.");
      }
      TINHSO_ASSIGN_OR_RETURN(auto rows,
                              tx.Query(sql::kInsertConsultation, {{"dossier_id", d.id},
                                                                  {"agency_id", consulted_agency},
                                                                  {"question", in.note},
                                                                  {"asked_at", Epoch(now)},
                                                                  {"due_at", Epoch(due)}}));
      d.status = Status::kProcessing;
      ev.content =
          "Xin ý kiến cơ quan phối hợp, hạn trả lời " + core::FormatVietnamDateTime(due) + ".";
      // The question itself is for the officers (the timeline's items), not the public lookup.
      if (!in.note.empty()) ev.data["items"] = boost::json::array{boost::json::string(in.note)};
      ev.data["consultation_id"] = rows[0].Int(0);
      ev.data["agency_id"] = consulted_agency;
      ev.data["due_at"] = core::FormatTimestamp(due);
    } else if (a == "answer_consultation") {
      TINHSO_RETURN_IF_ERROR(check("dossier.consult_answer", actor.agency_id));
      std::int64_t consultation = in.consultation_id;
      if (consultation == 0) {
        // Unnamed: the one consultation waiting for the actor's agency, if there is only one.
        TINHSO_ASSIGN_OR_RETURN(auto open,
                                tx.Query(sql::kOpenConsultationsOfAgency,
                                         {{"dossier_id", d.id}, {"agency_id", actor.agency_id}}));
        if (open.size() > 1) {
          std::string ids;
          for (const auto& row : open) ids += (ids.empty() ? "" : ", ") + row.Text(0);
          return Invalid("dossier.consultation_ambiguous",
                         "Cơ quan bạn có " + std::to_string(open.size()) +
                             " yêu cầu xin ý kiến đang chờ trả lời trên hồ sơ này (mã " + ids +
                             "): hãy chọn yêu cầu cần trả lời (consultation_id).",
                         "Your agency has " + std::to_string(open.size()) +
                             " open consultations on this dossier (ids " + ids +
                             "): say which one you answer (consultation_id).");
        }
        if (open.size() == 1) consultation = open[0].Int(0);
      }
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t n, tx.Execute(sql::kAnswerConsultation, {{"answered_at", Epoch(now)},
                                                                {"answer", in.note},
                                                                {"id", consultation},
                                                                {"dossier_id", d.id},
                                                                {"agency_id", actor.agency_id}}));
      if (n != 1) {
        return Precondition("dossier.consultation_not_open",
                            "Không có yêu cầu xin ý kiến đang chờ cơ quan bạn trả lời.",
                            "There is no open consultation for your agency on this dossier.");
      }
      ev.content = "Cơ quan phối hợp đã trả lời xin ý kiến.";
      if (!in.note.empty()) ev.data["items"] = boost::json::array{boost::json::string(in.note)};
      ev.data["consultation_id"] = consultation;
    } else if (a == "withdraw") {
      TINHSO_RETURN_IF_ERROR(check_applicant(d));
      TINHSO_RETURN_IF_ERROR(
          need_status({Status::kRegistered, Status::kReceived, Status::kProcessing,
                       Status::kSupplement, Status::kPaying},
                      from));
      d.status = Status::kWithdrawn;
      d.paused_at.reset();
      ev.content = "Người nộp rút hồ sơ." + (in.note.empty() ? "" : " Lý do: " + in.note);
    } else if (a == "stop") {
      TINHSO_RETURN_IF_ERROR(check("dossier.decide", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status(
          {Status::kReceived, Status::kProcessing, Status::kSupplement, Status::kPaying}, from));
      if (in.note.empty()) {
        return Invalid("dossier.reason_required", "Cần nêu lý do dừng xử lý.",
                       "Give the reason for stopping.");
      }
      d.status = Status::kStopped;
      d.finished_at = now;
      d.paused_at.reset();
      ev.content = "Dừng xử lý hồ sơ. Lý do: " + in.note;
    } else if (a == "apologise") {
      TINHSO_RETURN_IF_ERROR(check("dossier.decide", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status(
          {Status::kReceived, Status::kProcessing, Status::kSupplement, Status::kPaying}, from));
      if (d.apology_issued) {
        return Precondition("dossier.apology_once",
                            "Phiếu xin lỗi và hẹn lại ngày trả kết quả chỉ được ban hành một lần.",
                            "The apology letter with a new date may be issued only once.");
      }
      if (!in.new_due_at || !d.due_at || *in.new_due_at <= *d.due_at) {
        return Invalid("dossier.new_due_invalid",
                       "Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.",
                       "The new return date must be after the current one.");
      }
      if (now > *d.due_at) {
        return Precondition("dossier.apology_too_late",
                            "Đã quá hạn: phiếu xin lỗi phải gửi trước ngày hẹn trả.",
                            "The deadline has passed: the apology must be sent before it.");
      }
      if (in.note.empty()) {
        return Invalid("dossier.reason_required", "Cần nêu lý do chậm trả kết quả.",
                       "Give the reason for the delay.");
      }
      d.apology_issued = true;
      ev.reason = in.note;
      ev.data["old_due_at"] = core::FormatTimestamp(*d.due_at);
      d.due_at = *in.new_due_at;
      ev.data["new_due_at"] = core::FormatTimestamp(*d.due_at);
      ev.content =
          "Xin lỗi và hẹn lại ngày trả kết quả: " + core::FormatVietnamDateTime(*d.due_at) +
          ". Lý do: " + in.note;
    } else if (a == "issue_result") {
      TINHSO_RETURN_IF_ERROR(check("dossier.process", d.current_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReceived, Status::kProcessing}, from));
      TINHSO_RETURN_IF_ERROR(need_step_role(d));
      TINHSO_ASSIGN_OR_RETURN(auto open, tx.Query(sql::kOpenConsultations, {{"dossier_id", d.id}}));
      if (open[0].Int(0) > 0) {
        return Precondition("dossier.consultation_open",
                            "Còn yêu cầu xin ý kiến chưa được trả lời.",
                            "A consultation is still waiting for its answer.");
      }
      d.status = Status::kResolved;
      d.finished_at = now;
      const int ret = w.ReturnStep(proc);
      if (ret > d.step_index) w.EnterStep(d, proc, routing, ret);
      ev.content = "Đã giải quyết xong, chuyển kết quả về bộ phận trả kết quả.";
      ev.data["result_files"] = static_cast<std::int64_t>(files.size());
    } else if (a == "return") {
      TINHSO_RETURN_IF_ERROR(check("dossier.receive", d.receiving_agency_id));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kResolved}, from));
      const std::string method = in.return_method.empty() ? "counter" : in.return_method;
      if (method != "online" && method != "counter" && method != "postal") {
        return Invalid("dossier.return_method",
                       "Hình thức trả kết quả phải là online, counter hoặc postal.",
                       "The return method must be online, counter or postal.");
      }
      d.status = Status::kReturned;
      d.returned_at = now;
      d.return_method = method;
      ev.content = method == "online"   ? "Trả kết quả trực tuyến."
                   : method == "postal" ? "Trả kết quả qua dịch vụ bưu chính công ích."
                                        : "Trả kết quả tại bộ phận một cửa.";
    } else if (a == "rate") {
      TINHSO_RETURN_IF_ERROR(check_applicant(d));
      TINHSO_RETURN_IF_ERROR(need_status({Status::kReturned}, from));
      if (d.rating) {
        return Precondition("dossier.already_rated", "Hồ sơ này đã được đánh giá.",
                            "This dossier has already been rated.");
      }
      if (!in.rating || *in.rating < 1 || *in.rating > 3) {
        return Invalid("dossier.rating_invalid",
                       "Mức đánh giá là 1 (không hài lòng), 2 (hài lòng) hoặc 3 (rất hài lòng).",
                       "The rating is 1 (dissatisfied), 2 (satisfied) or 3 (very satisfied).");
      }
      d.rating = *in.rating;
      rating_comment = in.note;
      ev.content = "Người nộp đánh giá mức độ hài lòng: " + std::to_string(*in.rating) + "/3.";
      ev.data["rating"] = *in.rating;
    } else {
      return Invalid("dossier.unknown_action", "Thao tác '" + a + "' không tồn tại.",
                     "Unknown action '" + a + "'.");
    }

    d.version = seen_version + 1;
    Timeliness outcome = Timeliness::kNone;
    if (d.finished_at) {
      outcome = ClassifyTimeliness(
          cal, {d.original_due_at, d.finished_at, d.supplement_count, false}, now);
    }
    TINHSO_RETURN_IF_ERROR(w.Update(tx, d, seen_version, rating_comment, outcome));
    TINHSO_RETURN_IF_ERROR(
        internal::BumpMonthly(tx, d, internal::DeltaBetween(before, d, outcome)));
    TINHSO_RETURN_IF_ERROR(InsertFiles(tx, d.id, files, now));
    TINHSO_RETURN_IF_ERROR(w.WriteEvent(tx, d, ev));
    d.procedure_name = proc.name;
    d.timeliness = Classify(d, now);
    return d;
  };
  std::optional<Dossier> after;
  std::any left_for_audit;  // for AppendLeftAudit, after the work of the whole transaction
  auto& audit_entries = left_for_audit.emplace<std::vector<audit::Pending>>();
  w.deferred_audit = &audit_entries;
  TINHSO_RETURN_IF_ERROR(impl_->committer.Run(
      [&](storage::Transaction& tx) -> Result<void> {
        audit_entries.clear();
        TINHSO_ASSIGN_OR_RETURN(after, transition(tx));
        return Ok();
      },
      &left_for_audit));
  return std::move(*after);
}

void Service::SetPayments(payment::Service* payments) { impl_->payments = payments; }

void Service::SetResultSigner(ResultSigner signer) { impl_->result_signer = std::move(signer); }
void Service::SetSignatureReader(SignatureReader reader) {
  impl_->signature_reader = std::move(reader);
}

void Service::SetAccountFinder(AccountFinder finder) { impl_->account_finder = std::move(finder); }

Result<ApplicantMatch> Service::FindApplicant(std::string_view id_number,
                                              const core::Actor& actor) const {
  if (actor.kind != core::ActorKind::kOfficer || !actor.HasRole(auth::kRoleReception)) {
    return MakeError(ErrorCode::kPermissionDenied, "dossier.counter_only_reception",
                     "Chỉ cán bộ một cửa mới tra cứu người nộp khi tiếp nhận tại quầy.",
                     "Only reception officers look applicants up at the counter.");
  }
  if (id_number.size() < 9 || id_number.size() > 14 ||
      !std::ranges::all_of(id_number, [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid("dossier.invalid_id_number",
                   "Số định danh gồm 9 đến 14 chữ số (CCCD 12 số, mã số thuế 10 hoặc 13 số).",
                   "An identity number has 9 to 14 digits (CCCD 12, tax code 10 or 13).");
  }
  ApplicantMatch match;
  TINHSO_ASSIGN_OR_RETURN(auto rows, storage::WithTransaction(
                                         impl_->db,
                                         [&](storage::Transaction& tx) {
                                           return tx.Query(sql::kApplicantAt,
                                                           {{"id_number", std::string(id_number)},
                                                            {"agency_id", actor.agency_id}});
                                         },
                                         storage::TxKind::kReadOnly));
  if (!rows.empty()) {
    const storage::Row& r = rows[0];
    match.applicant = Applicant{.kind = static_cast<int>(r.Int(0)),
                                .name = r.Text(1),
                                .id_number = std::string(id_number),
                                .phone = r.Text(2),
                                .email = r.Text(3),
                                .address = r.Text(4)};
    match.dossiers = r.Int(5);
  }
  if (impl_->account_finder) {
    if (auto held = impl_->account_finder(id_number)) {
      // The account's name, phone and e-mail are the holder's own; an address only a dossier
      // has.
      if (held->address.empty() && match.applicant) held->address = match.applicant->address;
      match.applicant = std::move(*held);
      match.account = true;
    }
  }
  return match;
}

void Service::SetEventListener(EventListener* listener) { impl_->listener = listener; }

Result<payment::Payment> Service::StartPayment(std::int64_t id, const core::Actor& actor) {
  if (impl_->payments == nullptr) {
    return MakeError(ErrorCode::kUnavailable, "dossier.payment_unavailable",
                     "Chưa kết nối nền tảng thanh toán trực tuyến.",
                     "The online payment platform is not connected.");
  }
  TINHSO_ASSIGN_OR_RETURN(Dossier d, Get(id, actor));
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "dossier.applicant", ApplicantTarget(d)));
  if (d.status != Status::kPaying) return internal::IllegalTransition("pay", d.status);
  TINHSO_ASSIGN_OR_RETURN(auto proc, impl_->catalog.Find(d.procedure_code));
  TINHSO_ASSIGN_OR_RETURN(agencies::Agency agency, impl_->agencies.Get(d.competent_agency_id));
  payment::PaymentRequestInput in;
  in.dossier_id = d.id;
  in.dossier_code = d.code;
  in.agency_id = d.competent_agency_id;
  in.payer_user_id = d.applicant_user_id;
  // The lines as the catalog computes them for this form; the amount the officer asked for
  // (d.fee_total) differs only by what was set on an adjustable fee, whose line carries it.
  auto form = json::ParseObject(d.form_json);
  const boost::json::object answers = form.ok() ? *form : boost::json::object();
  const catalog::Fee* adjustable = nullptr;
  for (const catalog::Fee& fee : proc->fees) {
    if (fee.adjustable && adjustable == nullptr) adjustable = &fee;
    const std::int64_t amount = fee.amount * proc->Quantity(fee, answers);
    if (amount <= 0 && !fee.adjustable) continue;
    in.fees.push_back({fee.kind == "le_phi" ? "lephi" : "phi", fee.code, fee.name, amount});
    in.amount += amount;
  }
  if (adjustable != nullptr && in.amount != d.fee_total) {
    for (payment::FeeLine& line : in.fees) {
      if (line.code == adjustable->code) line.amount += d.fee_total - in.amount;
    }
    in.amount = d.fee_total;
  }
  std::erase_if(in.fees, [](const payment::FeeLine& line) { return line.amount <= 0; });
  in.payer_name = d.applicant.name;
  in.payer_id_number = d.applicant.id_number;
  in.procedure_code = proc->code;
  in.procedure_name = proc->name;
  in.agency_code = agency.code;
  in.agency_name = agency.name;
  return impl_->payments->Request(in, actor);
}

Result<void> Service::MarkPaid(storage::Transaction& tx, std::int64_t dossier_id, bool online) {
  const core::Seconds now = impl_->clock.Now();
  core::Actor system = core::SystemActor();
  Work w{*impl_, options_, now, system};
  TINHSO_ASSIGN_OR_RETURN(Dossier d, LoadForUpdate(tx, dossier_id));
  const std::int64_t seen = d.version;
  const Dossier before = d;
  d.paid_online = d.paid_online || online;
  EventSpec ev{
      "paid", online ? "Đã thanh toán trực tuyến phí, lệ phí." : "Đã thu phí, lệ phí.", {}};
  if (d.status == Status::kPaying) {
    if (d.paused_at && d.due_at) {
      d.due_at = ShiftForPause(impl_->calendar, *d.due_at, *d.paused_at, now);
    }
    if (d.paused_at && d.original_due_at) {
      d.original_due_at = ShiftForPause(impl_->calendar, *d.original_due_at, *d.paused_at, now);
    }
    d.paused_at.reset();
    d.status = Status::kProcessing;
    ev.content += " Tiếp tục xử lý.";
  }
  d.version = seen + 1;
  // A late payment may arrive for a finished dossier: keep its classification.
  const Timeliness outcome =
      d.finished_at
          ? ClassifyTimeliness(impl_->calendar,
                               {d.original_due_at, d.finished_at, d.supplement_count, false}, now)
          : Timeliness::kNone;
  TINHSO_RETURN_IF_ERROR(w.Update(tx, d, seen, "", outcome));
  TINHSO_RETURN_IF_ERROR(internal::BumpMonthly(tx, d, internal::DeltaBetween(before, d, outcome)));
  return w.WriteEvent(tx, d, ev);
}

Result<bool> Service::RecordExternalStatus(const ExternalStatus& heard, core::Seconds now) {
  const core::Actor system = core::SystemActor();
  Work w{*impl_, options_, now, system};
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<bool> {
    // Only a status other than the one kept moves the case: two pollers hearing the same news
    // write one event.
    TINHSO_ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Execute(sql::kExternalNewStatus, {{"status", std::int64_t{heard.status}},
                                             {"note", heard.note},
                                             {"final", static_cast<std::int64_t>(heard.final)},
                                             {"polled_at", Epoch(now)},
                                             {"next_poll_at", Epoch(heard.next_poll_at)},
                                             {"dossier_id", heard.dossier_id},
                                             {"system", heard.system},
                                             {"same_status", std::int64_t{heard.status}}}));
    if (changed == 0) {
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t polled,
          tx.Execute(sql::kExternalPolled, {{"last_error", std::string()},
                                            {"polled_at", Epoch(now)},
                                            {"next_poll_at", Epoch(heard.next_poll_at)},
                                            {"dossier_id", heard.dossier_id},
                                            {"system", heard.system}}));
      if (polled == 0) return NotFound();
      return false;
    }
    TINHSO_ASSIGN_OR_RETURN(Dossier d, LoadForUpdate(tx, heard.dossier_id));
    // The dossier's row is not changed (nor its version: an officer's page stays current);
    // the news is an event of its timeline, public like the others, and audited.
    EventSpec ev{heard.action, heard.content, {}};
    ev.data["system"] = heard.system;
    ev.data["external_status"] = heard.status;
    if (!heard.note.empty()) ev.data["note"] = heard.note;
    TINHSO_RETURN_IF_ERROR(w.WriteEvent(tx, d, ev));
    return true;
  });
}

}  // namespace tinhso::dossiers
