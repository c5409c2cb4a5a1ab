// Thin HTTP handlers for dossiers: parse, call the Service, render. The Guard has checked the
// route's action; the Service checks the object (which agency, whose dossier). What each route
// reads and answers is declared with the types of dossiers/api.hpp.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/parse.hpp"
#include "dossiers/api.hpp"
#include "dossiers/dossiers.hpp"
#include "dossiers/internal.hpp"
#include "http/api.hpp"
#include "payment/payment.hpp"

namespace tinhso::http {

namespace bj = boost::json;

void Codec<dossiers::StatusSet>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "string";
  out["pattern"] = "^([1-9]|10)(,([1-9]|10))*$";
  out["description"] =
      "Mã trạng thái 1–10, hoặc nhiều mã cách nhau bởi dấu phẩy / a status "
      "code 1–10, or several separated by commas (2,4,5,6)";
}

bj::value Codec<dossiers::StatusSet>::Write(const dossiers::StatusSet& v) {
  std::string text;
  for (dossiers::Status s : v.values) {
    if (!text.empty()) text += ',';
    text += std::to_string(static_cast<int>(s));
  }
  return bj::string(text);
}

Result<void> Codec<dossiers::StatusSet>::ReadText(std::string_view text, std::string_view,
                                                  dossiers::StatusSet& out) {
  for (std::string_view rest = text; !rest.empty();) {
    const auto comma = rest.find(',');
    const auto status = core::ParseInt64(rest.substr(0, comma));
    if (!status || *status < 1 || *status > 10) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'status' phải là các số từ 1 đến 10, cách nhau bởi dấu phẩy.",
                       "Query parameter 'status' must be numbers 1 to 10, separated by commas.");
    }
    out.values.push_back(static_cast<dossiers::Status>(*status));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return Ok();
}

void Codec<dossiers::DateOrTime>::Schema(SchemaSet&, bj::object& out) {
  out["type"] = "string";
  out["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T.+)?$";
  out["description"] =
      "YYYY-MM-DD (0 giờ, giờ Việt Nam) hoặc thời điểm ISO 8601 / YYYY-MM-DD "
      "(midnight, Vietnam time) or an ISO 8601 time";
}

bj::value Codec<dossiers::DateOrTime>::Write(const dossiers::DateOrTime& v) {
  return bj::string(core::FormatTimestamp(v.value));
}

Result<void> Codec<dossiers::DateOrTime>::ReadText(std::string_view text, std::string_view name,
                                                   dossiers::DateOrTime& out) {
  const auto t = core::ParseTimestamp(text);
  if (!t) {
    return MakeError(
        ErrorCode::kInvalidArgument, "request.invalid_query",
        "Tham số '" + std::string(name) + "' phải là ngày YYYY-MM-DD hoặc thời điểm ISO 8601.",
        "Query parameter '" + std::string(name) +
            "' must be a YYYY-MM-DD date or an ISO 8601 time.");
  }
  out.value = *t;
  return Ok();
}

namespace {

// Every field, ascending and descending.
const std::vector<std::string>& SortNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const std::string& field : Codec<dossiers::SortField>::Names()) {
      out.push_back(field);
      out.push_back("-" + field);
    }
    return out;
  }();
  return names;
}

}  // namespace

void Codec<dossiers::SortKey>::Schema(SchemaSet&, bj::object& out) {
  EnumCodec::Schema(SortNames(), out);
}

bj::value Codec<dossiers::SortKey>::Write(const dossiers::SortKey& v) {
  return bj::string(v.value);
}

Result<void> Codec<dossiers::SortKey>::ReadText(std::string_view text, std::string_view name,
                                                dossiers::SortKey& out) {
  const auto& names = SortNames();
  if (std::find(names.begin(), names.end(), text) == names.end()) {
    return EnumCodec::UnknownQuery(names, name);
  }
  out.value = std::string(text);
  return Ok();
}

}  // namespace tinhso::http

namespace tinhso::dossiers {
namespace {

namespace bj = boost::json;
using http::Method;

// The name a described enum has in the API ("on_time"), as the service takes it.
template <class E>
std::string Name(E value) {
  return std::string(http::ToJson(value).as_string());
}

template <std::size_t N>
std::string Value(const std::optional<http::Text<N>>& text) {
  return text ? text->value : std::string();
}

std::optional<core::Seconds> Time(const std::optional<DateOrTime>& t) {
  return t ? std::optional<core::Seconds>(t->value) : std::nullopt;
}

std::optional<Channel> ChannelNamed(std::string_view key) {
  for (Channel c : {Channel::kCounter, Channel::kOnline, Channel::kPostal}) {
    if (key == ChannelKey(c)) return c;
  }
  return std::nullopt;
}

DossierView View(const Service& svc, const Dossier& d, bool with_secret) {
  DossierView v{.id = d.id,
                .reference = Reference(d.id),
                .code = d.code.empty() ? std::nullopt : std::optional(d.code),
                .procedure_code = d.procedure_code,
                .procedure_name = d.procedure_name,
                .channel = d.channel,
                .status = static_cast<int>(d.status),
                .status_key = std::string(StatusKey(d.status)),
                .status_name = std::string(StatusNameVi(d.status)),
                .status_name_en = std::string(StatusNameEn(d.status)),
                .applicant = d.applicant,
                .submitter = d.submitter.kind == 0 ? std::nullopt : std::optional(d.submitter),
                .on_behalf = d.on_behalf,
                .receiving_agency_id = d.receiving_agency_id,
                .competent_agency_id = d.competent_agency_id,
                .current_agency_id = d.current_agency_id,
                .locality_agency_id =
                    d.locality_agency_id == 0 ? std::nullopt : std::optional(d.locality_agency_id),
                .step_index = d.step_index,
                .step_code = d.step_code,
                .assignee_id = d.assignee_id == 0 ? std::nullopt : std::optional(d.assignee_id),
                .summary = d.summary,
                .form = {},
                .submitted_at = d.submitted_at,
                .received_at = d.received_at,
                .due_at = d.due_at,
                .original_due_at = d.original_due_at,
                .step_started_at = d.step_started_at,
                .step_due_at = d.step_due_at,
                .finished_at = d.finished_at,
                .returned_at = d.returned_at,
                .paused_at = d.paused_at,
                .supplement_count = d.supplement_count,
                .apology_issued = d.apology_issued,
                .fee_total = d.fee_total,
                .paid_online = d.paid_online,
                .rating = d.rating,
                .return_method = ChannelNamed(d.return_method),
                .timeliness = std::string(TimelinessKey(d.timeliness)),
                .version = d.version,
                .updated_at = d.updated_at,
                .lookup_secret = with_secret ? std::optional(d.lookup_secret) : std::nullopt,
                .subject = svc.Subject(d)};
  boost::system::error_code ec;
  bj::value form = bj::parse(d.form_json, ec);
  if (!ec && form.is_object()) v.form = std::move(form.as_object());
  if (!d.applicant_verified_by.empty() && d.applicant_verified_at) {
    v.applicant_verified =
        ApplicantVerification{.provider = d.applicant_verified_by,
                              .verified_at = *d.applicant_verified_at,
                              .birth_date = core::ParseDate(d.applicant_birth_date)};
  }
  v.applicant_birth_date = core::ParseDate(d.applicant_birth_date);
  if (d.identity != IdentityStatus::kNone && d.identity_checked_at) {
    static constexpr IdentityCheckStatus kStatus[] = {
        IdentityCheckStatus::kUnchecked, IdentityCheckStatus::kMatches,
        IdentityCheckStatus::kDiffers, IdentityCheckStatus::kNotFound,
        IdentityCheckStatus::kUnchecked};
    v.identity_check = IdentityCheckView{
        .status = kStatus[static_cast<int>(d.identity)],
        .differing = d.identity_differing,
        .checked_at = *d.identity_checked_at,
        .error = d.identity_error.empty() ? std::nullopt : std::optional(d.identity_error)};
  }
  return v;
}

DossierEvent View(const Event& e) {
  DossierEvent v{.seq = e.seq,
                 .at = e.at,
                 .action = e.action,
                 .agency_name = e.agency_name,
                 .content = e.content,
                 .status = static_cast<int>(e.status),
                 .status_name = std::string(StatusNameVi(e.status)),
                 .status_name_en = std::string(StatusNameEn(e.status)),
                 .actor_id = e.actor_id,
                 .actor_name = e.actor_name,
                 .actor_position = e.actor_position,
                 .agency_id = e.agency_id,
                 .step_code = e.step_code,
                 .step_started_at = e.step_started_at,
                 .step_due_at = e.step_due_at,
                 .items = e.items,
                 .consultation_id = std::nullopt,
                 .consulted_agency_id = std::nullopt};
  if (e.consultation_id != 0) {
    v.consultation_id = e.consultation_id;
    v.consulted_agency_id = e.consulted_agency_id;
  }
  return v;
}

Result<std::int64_t> PathId(const http::Context& c, std::string_view name = "id") {
  auto id = core::ParseInt64(c.Param(name));
  if (!id || *id <= 0) {
    return json::FieldError(name, "phải là số nguyên dương.", "must be a positive integer.");
  }
  return *id;
}

// A JSON body may carry files as base64, for small API clients; larger files come as
// multipart/form-data, read from the spooled body a piece at a time. The JSON body is parsed
// whole in memory (about 3× its size), so it is kept small.
constexpr std::uint64_t kMaxJsonBody = 4 << 20;
static_assert(decltype(FileUpload::content_base64)::kMaxChars == kMaxJsonBody);

// The base64 files of a JSON body, decoded (their text is dropped as it goes).
Result<std::vector<FileInput>> DecodeFiles(std::optional<std::vector<FileUpload>>& uploads) {
  std::vector<FileInput> files;
  if (!uploads) return files;
  for (FileUpload& f : *uploads) {
    auto bytes = core::Base64Decode(f.content_base64.value);
    if (!bytes) {
      return json::FieldError("files[].content_base64", "không phải base64 hợp lệ.",
                              "is not valid base64.");
    }
    f.content_base64.value = {};
    FileInput file;
    file.component = Value(f.component);
    file.name = Value(f.name);
    file.content = core::ByteSource(std::move(*bytes));
    files.push_back(std::move(file));
  }
  uploads.reset();
  return files;
}

// An upload's body: T's fields and the files.
template <class T>
struct Upload {
  T fields;
  std::vector<FileInput> files;
};

// JSON (`files[].content_base64`), or multipart/form-data: a part `json` with the same object
// (without file contents), and one part per file, named `files` or `files.<component>` (e.g.
// `files.TP1`), its filename the file's name.
template <class T>
Result<Upload<T>> ReadUpload(const Service& svc, const http::Request& req) {
  Upload<T> out;
  if (!http::IsMultipart(req)) {
    if (http::RequestSource(req).size() > kMaxJsonBody) {
      return MakeError(ErrorCode::kPayloadTooLarge, "dossier.json_too_large",
                       "Yêu cầu JSON lớn quá 4 MB. Tệp lớn hãy gửi dạng multipart/form-data "
                       "(phần 'json' chứa các trường, mỗi tệp một phần 'files.<mã thành phần>').",
                       "The JSON request is over 4 MB. Send large files as multipart/form-data "
                       "(a 'json' part with the fields, one 'files.<component code>' part per "
                       "file).");
    }
    TINHSO_ASSIGN_OR_RETURN(std::string body, http::RequestBody(req, kMaxJsonBody));
    TINHSO_ASSIGN_OR_RETURN(out.fields, http::ParseJson<T>(body.empty() ? "{}" : body));
    TINHSO_ASSIGN_OR_RETURN(out.files, DecodeFiles(out.fields.files));
    return out;
  }
  http::FormLimits limits;
  limits.max_file_bytes = static_cast<std::uint64_t>(svc.options().max_file_bytes);
  limits.max_parts = static_cast<std::size_t>(svc.options().max_files) + 4;
  TINHSO_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req, limits));
  bool have_json = false;
  for (http::FormPart& part : parts) {
    if (part.name == "json" && !part.is_file) {
      TINHSO_ASSIGN_OR_RETURN(std::string text, part.content.ReadAll());
      TINHSO_ASSIGN_OR_RETURN(out.fields, http::ParseJson<T>(text));
      have_json = true;
    } else if (part.name == "files" || part.name.starts_with("files.")) {
      FileInput file;
      file.component = part.name == "files" ? "" : part.name.substr(6);
      file.name = part.filename;
      file.content = std::move(part.content);
      out.files.push_back(std::move(file));
    } else {
      return json::FieldError(part.name,
                              "không phải phần được chấp nhận (json, files, files.<mã>).",
                              "is not an accepted part (json, files, files.<code>).");
    }
  }
  if (!have_json) {
    return json::FieldError("json", "là bắt buộc: phần chứa các trường của yêu cầu (JSON).",
                            "is required: the part holding the request's fields (JSON).");
  }
  TINHSO_ASSIGN_OR_RETURN(auto inline_files, DecodeFiles(out.fields.files));
  for (FileInput& f : inline_files) out.files.push_back(std::move(f));
  return out;
}

std::string FormText(const std::optional<bj::object>& form) {
  return form ? json::Serialize(*form) : std::string();
}

// A submission's fields as the service takes them.
Result<SubmitInput> ToSubmitInput(const DossierSubmission& s) {
  const ApplicantInput& a = s.applicant;
  // Checked here, not by the type: a range is not part of the schema yet.
  if (a.kind && (*a.kind < 1 || *a.kind > 4)) {
    return json::FieldError("applicant.kind",
                            "phải là 1 (công dân), 2 (doanh nghiệp), 3 (cơ quan nhà nước) hoặc 4 "
                            "(tổ chức khác).",
                            "must be 1 (citizen), 2 (business), 3 (state agency) or 4 (other "
                            "organisation).");
  }
  SubmitInput in;
  in.procedure_code = s.procedure_code.value;
  in.channel = s.channel.value_or(Channel::kOnline);
  in.applicant = {.kind = a.kind.value_or(1),
                  .name = a.name.value,
                  .id_number = Value(a.id_number),
                  .phone = Value(a.phone),
                  .email = Value(a.email),
                  .address = Value(a.address)};
  if (a.birth_date) in.applicant_birth_date = core::FormatDate(*a.birth_date);
  in.on_behalf = s.on_behalf.value_or(false);
  in.locality_code = Value(s.locality_code);
  in.summary = Value(s.summary);
  in.form_json = FormText(s.form);
  if (s.draft) {
    in.draft_id = s.draft->id;
    in.draft_version = s.draft->version;
  }
  for (const ReceivedComponentInput& r :
       s.received_components.value_or(std::vector<ReceivedComponentInput>{})) {
    in.received.push_back({r.component.value, std::string(Name(r.form))});
  }
  return in;
}

Result<http::Response> CheckHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(SubmitInput in, ToSubmitInput(ctx.Body<DossierSubmission>()));
  TINHSO_ASSIGN_OR_RETURN(auto problems, svc.CheckSubmission(in, ctx.actor));
  return http::Reply(200, SubmissionCheck{.problems = std::move(problems)});
}

Result<http::Response> Submit(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Upload<DossierSubmission> body, ReadUpload<DossierSubmission>(svc, req));
  TINHSO_ASSIGN_OR_RETURN(SubmitInput in, ToSubmitInput(body.fields));
  in.files = std::move(body.files);
  in.idempotency_key = std::string(req.Header("idempotency-key"));
  bool created = false;
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Submit(in, ctx.actor, &created));
  http::Response r = http::Reply(created ? 201 : 200, View(svc, d, true));
  r.headers.emplace_back("Location", "/api/v1/dossiers/" + std::to_string(d.id));
  return r;
}

Result<http::Response> Act(Service& svc, std::string action, const DossierAction& body,
                           std::vector<FileInput> files, const http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TransitionInput in;
  in.action = std::move(action);
  in.version = body.version;
  in.note = Value(body.note);
  if (body.items) {
    for (const auto& item : *body.items) {
      if (item.value.empty()) {
        return json::FieldError("items", "phải là mảng chuỗi khác rỗng.",
                                "must be an array of non-empty strings.");
      }
      in.items.push_back(item.value);
    }
  }
  in.files = std::move(files);
  in.assignee_id = body.assignee_id;
  in.new_due_at = body.new_due_at;
  in.return_method = body.return_method ? Name(*body.return_method) : "";
  in.agency_code = Value(body.agency_code);
  in.consultation_id = body.consultation_id.value_or(0);
  in.rating = body.rating;
  if (body.amount) in.amount = body.amount->value;
  in.form_json = FormText(body.form);
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Transition(id, in, ctx.actor));
  return http::Reply(200, View(svc, d, false));
}

// An action with a JSON body (the router parsed it).
Result<http::Response> ActionHandler(Service& svc, const std::string& action, const http::Request&,
                                     http::Context& ctx) {
  DossierAction& body = ctx.Body<DossierAction>();
  TINHSO_ASSIGN_OR_RETURN(auto files, DecodeFiles(body.files));
  return Act(svc, action, body, std::move(files), ctx);
}

// An action that takes files: JSON, or a multipart form.
Result<http::Response> UploadActionHandler(Service& svc, const std::string& action,
                                           const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Upload<DossierAction> body, ReadUpload<DossierAction>(svc, req));
  return Act(svc, action, body.fields, std::move(body.files), ctx);
}

Result<http::Response> Pay(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(payment::Payment p, svc.StartPayment(id, ctx.actor));
  return http::Reply(200, PaymentStart{.reference = p.reference,
                                       .amount = p.amount,
                                       .status = p.status,
                                       .payment_url = p.payment_url});
}

Result<http::Response> GetOne(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Get(id, ctx.actor));
  return http::Reply(200, View(svc, d, true));
}

Result<http::Response> GetEvents(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto events, svc.Timeline(id, ctx.actor));
  DossierEventList list;
  list.items.reserve(events.size());
  for (const Event& e : events) list.items.push_back(View(e));
  return http::Reply(200, list);
}

Result<http::Response> GetFiles(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto files, svc.Files(id, ctx.actor));
  return http::Reply(200, DossierFileList{.items = std::move(files)});
}

// `inline` is a C++ keyword, so FileQuery cannot be described: its one parameter is declared
// here, as http/api.hpp would declare it.
http::TypeDecl FileQueryDecl() {
  return {
      .type = &typeid(FileQuery),
      .schema =
          [](http::SchemaSet& set, bj::object& out) {
            bj::object flag;
            http::Codec<bool>::Schema(set, flag);
            flag["default"] = false;
            out["type"] = "object";
            out["properties"] = bj::object{{"inline", std::move(flag)}};
          },
      .parse = [](const http::Request& request) -> Result<std::any> {
        FileQuery query;
        if (auto it = request.query.find("inline"); it != request.query.end()) {
          TINHSO_RETURN_IF_ERROR(http::Codec<bool>::ReadText(it->second, "inline", query.inline_));
        }
        return std::any(query);
      },
      .names = [] { return std::vector<std::string>{"inline"}; }};
}

Result<http::Response> GetFile(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::int64_t file_id, PathId(ctx, "file_id"));
  TINHSO_ASSIGN_OR_RETURN(auto files, svc.Files(id, ctx.actor));
  TINHSO_ASSIGN_OR_RETURN(std::string content, svc.FileContent(id, file_id, ctx.actor));
  std::string content_type = "application/octet-stream";
  for (const auto& f : files) {
    if (f.id == file_id) content_type = f.content_type;
  }
  // ?inline=1 lets the browser show a PDF or a picture in a tab. Anything else (and any type
  // a browser could run as a page) stays a download: these are uploads from the public.
  return http::UploadedFile(std::move(content), std::move(content_type),
                            ctx.Query<FileQuery>().inline_);
}

http::Response Pdf(std::string pdf) {
  http::Response r;
  r.content_type = "application/pdf";
  r.body = std::move(pdf);
  return r;
}

Result<http::Response> GetForm(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::string pdf, svc.Form(id, ctx.Param("form"), ctx.actor));
  return Pdf(std::move(pdf));
}

Result<http::Response> ListHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& p = ctx.Query<DossierListQuery>();
  ListQuery q;
  if (p.status) q.statuses = p.status->values;
  q.agency_id = p.agency_id;
  q.competent_agency_id = p.competent_agency_id;
  q.channel = p.channel;
  q.outcome = p.outcome ? Name(*p.outcome) : "";
  q.procedure_code = Value(p.procedure);
  q.due_from = Time(p.due_from);
  q.due_to = Time(p.due_to);
  q.received_from = Time(p.received_from);
  q.received_to = Time(p.received_to);
  q.overdue_only = p.overdue;
  q.queue = p.queue ? Name(*p.queue) : "";
  q.q = Value(p.q);
  q.sort = p.sort.value;
  q.limit = p.limit;
  q.offset = p.offset;
  TINHSO_ASSIGN_OR_RETURN(Page page, svc.List(q, ctx.actor));
  return http::Reply(200,
                     http::PageOf(page, [&svc](const Dossier& d) { return View(svc, d, false); }));
}

Result<http::Response> TrackingBookHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& p = ctx.Query<TrackingBookQuery>();
  TINHSO_ASSIGN_OR_RETURN(std::string pdf,
                          svc.TrackingBook(p.agency_id.value_or(ctx.actor.agency_id), p.from.value,
                                           p.to.value, ctx.actor));
  return Pdf(std::move(pdf));
}

// The hottest public route: written straight to text, no JSON value tree, with the public
// timeline as stored on the dossier's row. Its shape is DossierLookup's (the contract tests
// check it).
http::Response LookupResponse(const PublicView& view) {
  const Dossier& d = view.dossier;
  auto time = [](const std::optional<core::Seconds>& t) {
    return t ? std::optional<std::string>(core::FormatTimestamp(*t)) : std::nullopt;
  };
  json::Writer w(512 + view.events_json.size());
  w.BeginObject()
      .Field("code", d.code)
      .Field("reference", Reference(d.id))
      .Field("procedure_code", d.procedure_code)
      .Field("procedure_name", d.procedure_name)
      .Field("status", static_cast<int>(d.status))
      .Field("status_key", StatusKey(d.status))
      .Field("status_name", StatusNameVi(d.status))
      .Field("status_name_en", StatusNameEn(d.status))
      .Field("applicant_name", d.applicant.name)
      .Field("received_at", time(d.received_at))
      .Field("due_at", time(d.due_at))
      .Field("finished_at", time(d.finished_at))
      .Field("returned_at", time(d.returned_at))
      .Field("timeliness", TimelinessKey(d.timeliness))
      .Key("events")
      .Raw(view.events_json)
      .EndObject();
  http::Response r = http::JsonResponse(200, w.Take());
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<http::Response> LookupHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  const auto& p = ctx.Query<LookupQuery>();
  TINHSO_ASSIGN_OR_RETURN(PublicView view,
                          svc.Lookup(Value(p.code), Value(p.secret), req.client_ip));
  return LookupResponse(view);
}

// The same on PostgreSQL, where the read goes down a pipeline and no thread waits for it. The
// router parsed the query before this runs, on the same I/O thread, as for `handler`.
void LookupAsyncHandler(Service& svc, const http::Request& req, http::Context& ctx,
                        http::Responder respond) {
  const auto& p = ctx.Query<LookupQuery>();
  svc.LookupAsync(Value(p.code), Value(p.secret), req.client_ip,
                  [respond = std::move(respond)](Result<PublicView> view) {
                    if (!view.ok()) return respond(std::move(view).error());
                    respond(LookupResponse(*view));
                  });
}

Result<http::Response> QueuesHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto queues, svc.Queues(ctx.actor));
  return http::Reply(200, DossierQueues{.queues = std::move(queues)});
}

Result<http::Response> ApplicantHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(
      auto match, svc.FindApplicant(ctx.Query<ApplicantQuery>().id_number.value, ctx.actor));
  ApplicantLookup out{.account = match.account, .dossiers = match.dossiers};
  if (match.applicant) out.applicant = std::move(*match.applicant);
  return http::Reply(200, out);
}

Result<http::Response> StatsHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& p = ctx.Query<DossierStatsQuery>();
  StatsQuery q{.from = p.from.value,
               .to = p.to.value,
               .agency_id = p.agency_id,
               .procedure_code = Value(p.procedure),
               .group_by = Name(p.group_by)};
  TINHSO_ASSIGN_OR_RETURN(Stats stats, svc.Statistics(q, ctx.actor));
  return http::Reply(200, DossierStats{.rows = std::move(stats.rows),
                                       .total = stats.total,
                                       .definitions = StatsDefinitions()});
}

DraftView View(const Draft& d) {
  DraftView v{.id = d.id,
              .procedure_code = d.procedure_code,
              .procedure_name = d.procedure_name,
              .content = {},
              .files = d.files,
              .version = d.version,
              .created_at = d.created_at,
              .updated_at = d.updated_at,
              .expires_at = d.expires_at};
  boost::system::error_code ec;
  bj::value content = bj::parse(d.content_json, ec);
  if (!ec && content.is_object()) v.content = std::move(content.as_object());
  return v;
}

DraftInput ToDraftInput(Upload<DraftSave>& body) {
  DraftSave& s = body.fields;
  DraftInput in;
  in.procedure_code = Value(s.procedure_code);
  in.version = s.version.value_or(0);
  in.content_json = FormText(s.content);
  if (s.remove_files) in.remove_files = *s.remove_files;
  in.files = std::move(body.files);
  return in;
}

Result<http::Response> CreateDraftHandler(Service& svc, const http::Request& req,
                                          http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Upload<DraftSave> body, ReadUpload<DraftSave>(svc, req));
  if (!body.fields.procedure_code) {
    return json::FieldError("procedure_code", "là bắt buộc khi tạo hồ sơ nháp.",
                            "is required to create a draft.");
  }
  TINHSO_ASSIGN_OR_RETURN(Draft d, svc.CreateDraft(ToDraftInput(body), ctx.actor));
  http::Response r = http::Reply(201, View(d));
  r.headers.emplace_back("Location", "/api/v1/drafts/" + std::to_string(d.id));
  return r;
}

Result<http::Response> SaveDraftHandler(Service& svc, const http::Request& req,
                                        http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Upload<DraftSave> body, ReadUpload<DraftSave>(svc, req));
  if (!body.fields.version) {
    return json::FieldError("version", "là bắt buộc: phiên bản hồ sơ nháp trang đã đọc.",
                            "is required: the draft's version the page read.");
  }
  TINHSO_ASSIGN_OR_RETURN(Draft d, svc.SaveDraft(id, ToDraftInput(body), ctx.actor));
  return http::Reply(200, View(d));
}

Result<http::Response> ListDraftsHandler(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<DraftListQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto drafts, svc.Drafts(Value(q.procedure), ctx.actor));
  DraftList list;
  for (const Draft& d : drafts) list.items.push_back(View(d));
  return http::Reply(200, list);
}

Result<http::Response> GetDraftHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Draft d, svc.GetDraft(id, ctx.actor));
  return http::Reply(200, View(d));
}

Result<http::Response> GetDraftFileHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::int64_t file_id, PathId(ctx, "file_id"));
  TINHSO_ASSIGN_OR_RETURN(Draft d, svc.GetDraft(id, ctx.actor));
  TINHSO_ASSIGN_OR_RETURN(std::string content, svc.DraftFileContent(id, file_id, ctx.actor));
  std::string content_type = "application/octet-stream";
  for (const auto& f : d.files) {
    if (f.id == file_id) content_type = f.content_type;
  }
  return http::UploadedFile(std::move(content), std::move(content_type),
                            ctx.Query<FileQuery>().inline_);
}

Result<http::Response> DeleteDraftHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_RETURN_IF_ERROR(
      svc.DeleteDraft(id, ctx.Query<DraftDeleteQuery>().version.value_or(0), ctx.actor));
  return http::JsonResponse(204, "");
}

struct ActionRoute {
  std::string_view name;
  std::string_view policy_action;
  std::string_view vi;
  std::string_view en;
  bool upload = false;
};

constexpr ActionRoute kActions[] = {
    {"accept", "dossier.receive", "Tiếp nhận hồ sơ (cấp mã hồ sơ, hẹn trả)",
     "Accept a dossier (issue its code and appointment)"},
    {"request_completion", "dossier.receive", "Yêu cầu bổ sung, hoàn thiện hồ sơ khi tiếp nhận",
     "Ask the applicant to complete the dossier at reception"},
    {"reject", "dossier.receive", "Từ chối tiếp nhận hồ sơ", "Reject a dossier at reception"},
    {"return", "dossier.receive", "Trả kết quả", "Return the result"},
    {"assign", "dossier.process", "Phân công cán bộ xử lý", "Assign an officer"},
    {"forward", "dossier.process", "Chuyển bước xử lý tiếp theo", "Forward to the next step"},
    {"request_supplement", "dossier.process", "Yêu cầu bổ sung hồ sơ sau thẩm định",
     "Request supplements after appraisal"},
    {"request_payment", "dossier.process", "Yêu cầu thực hiện nghĩa vụ tài chính",
     "Request the fee payment"},
    {"confirm_payment", "dossier.process", "Xác nhận đã thu phí, lệ phí trực tiếp",
     "Confirm a fee paid at the counter"},
    {"consult", "dossier.process", "Xin ý kiến cơ quan phối hợp", "Consult another agency"},
    {"issue_result", "dossier.process", "Ban hành kết quả giải quyết", "Issue the result", true},
    {"answer_consultation", "dossier.consult_answer", "Trả lời xin ý kiến",
     "Answer a consultation"},
    {"stop", "dossier.decide", "Dừng xử lý hồ sơ", "Stop processing"},
    {"apologise", "dossier.decide", "Xin lỗi và hẹn lại ngày trả kết quả",
     "Apologise and set a new return date"},
    {"supplement", "dossier.applicant", "Nộp bổ sung hồ sơ", "Submit supplements", true},
    {"withdraw", "dossier.applicant", "Rút hồ sơ", "Withdraw the dossier"},
    {"rate", "dossier.applicant", "Đánh giá mức độ hài lòng", "Rate the service"},
};

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  Service* svc = &service;
  auto bind = [svc](auto fn) {
    return [svc, fn](const http::Request& r, http::Context& c) { return fn(*svc, r, c); };
  };
  const http::PathParam kId = http::IdParam("id");
  // A stored file is served as the type found from its content: each is an answer, so that
  // a page fetching one (a draft's photo) meets a documented type.
  std::vector<http::Answer> uploaded_file;
  for (std::string_view type : {"pdf", "jpg", "png", "docx", "xml", ""}) {
    http::Answer a = http::FileAnswer(200, internal::ContentTypeOf(type));
    a.description =
        "Tệp như đã nộp, với kiểu nhận ra từ nội dung (PDF, JPEG, PNG, DOCX, XML) / the file as "
        "uploaded, with the type found from its content";
    uploaded_file.push_back(std::move(a));
  }
  router.Add({.method = Method::kPost,
              .path = "/api/v1/dossiers",
              .action = "dossier.submit",
              .summary_vi = "Nộp hồ sơ (trực tuyến, hoặc tại quầy do cán bộ một cửa nhập); "
                            "gửi kèm tiêu đề Idempotency-Key để gửi lại an toàn",
              .summary_en = "Submit a dossier (online, or at the counter by a reception officer); "
                            "send an Idempotency-Key header to retry safely",
              .handler = bind(Submit),
              .upload = true,
              .writes = true,
              .tag = "dossiers",
              .body = http::JsonBody<DossierSubmission>(),
              .form = true,
              .answers = {http::Returns<DossierView>(201, "Đã nộp / submitted"),
                          http::Returns<DossierView>(
                              200,
                              "Đã nộp trước đó với cùng Idempotency-Key / submitted before "
                              "with this Idempotency-Key")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/dossiers/check",
              .action = "dossier.submit",
              .summary_vi = "Kiểm tra thông tin một hồ sơ trước khi nộp: mỗi trường sai kèm lời "
                            "nhắc để hiện ngay dưới trường đó (không gửi tệp, không lưu gì)",
              .summary_en = "Check a submission's details before sending: each wrong field with "
                            "the message to show under it (no files, nothing stored)",
              .handler = bind(CheckHandler),
              .tag = "dossiers",
              .body = http::JsonBody<DossierSubmission>(),
              .answers = {http::Returns<SubmissionCheck>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers",
              .action = "dossier.read",
              .summary_vi = "Danh sách hồ sơ, lọc và sắp xếp",
              .summary_en = "List dossiers, filtered and sorted",
              .handler = bind(ListHandler),
              .tag = "dossiers",
              .query = http::QueryParams<DossierListQuery>(),
              .answers = {http::Returns<http::Page<DossierView>>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/queues",
              .action = "dossier.queues",
              .summary_vi = "Số hồ sơ trong từng hàng đợi công việc của cơ quan (chờ tiếp nhận, "
                            "chờ phê duyệt, đang xử lý, chờ trả, quá hạn, sắp đến hạn); danh "
                            "sách: GET /api/v1/dossiers?queue=",
              .summary_en = "How many dossiers wait in each work queue of the agency (receive, "
                            "approve, processing, return, overdue, due_soon); the list: "
                            "GET /api/v1/dossiers?queue=",
              .handler = bind(QueuesHandler),
              .tag = "dossiers",
              .answers = {http::Returns<DossierQueues>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/applicants",
              .action = "dossier.receive",
              .summary_vi = "Tiếp nhận tại quầy: tìm người nộp theo số định danh (tài khoản, hồ "
                            "sơ đã nộp tại cơ quan)",
              .summary_en = "Counter intake: find an applicant by identity number (an account, "
                            "earlier dossiers at the agency)",
              .handler = bind(ApplicantHandler),
              .tag = "dossiers",
              .query = http::QueryParams<ApplicantQuery>(),
              .answers = {http::Returns<ApplicantLookup>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/tracking-book",
              .action = "dossier.read",
              .summary_vi = "Sổ theo dõi hồ sơ (Mẫu 06, PDF) của một cơ quan",
              .summary_en = "Dossier tracking book (form 06, PDF) of an agency",
              .handler = bind(TrackingBookHandler),
              .tag = "dossiers",
              .query = http::QueryParams<TrackingBookQuery>(),
              .answers = {http::FileAnswer(200, "application/pdf")}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}",
              .action = "dossier.read",
              .summary_vi = "Chi tiết hồ sơ",
              .summary_en = "One dossier",
              .handler = bind(GetOne),
              .tag = "dossiers",
              .params = {kId},
              .answers = {http::Returns<DossierView>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/events",
              .action = "dossier.read",
              .summary_vi = "Quá trình xử lý hồ sơ",
              .summary_en = "The dossier's timeline",
              .handler = bind(GetEvents),
              .tag = "dossiers",
              .params = {kId},
              .answers = {http::Returns<DossierEventList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/files",
              .action = "dossier.read",
              .summary_vi = "Danh sách tệp của hồ sơ",
              .summary_en = "The dossier's files",
              .handler = bind(GetFiles),
              .tag = "dossiers",
              .params = {kId},
              .answers = {http::Returns<DossierFileList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/files/{file_id}",
              .action = "dossier.read",
              .summary_vi = "Tải một tệp của hồ sơ",
              .summary_en = "Download one file of the dossier",
              .handler = bind(GetFile),
              .tag = "dossiers",
              .params = {kId, http::IdParam("file_id")},
              .query = FileQueryDecl(),
              .answers = uploaded_file});
  router.Add(
      {.method = Method::kGet,
       .path = "/api/v1/dossiers/{id}/forms/{form}",
       .action = "dossier.read",
       .summary_vi = "Biểu mẫu PDF: receipt (Mẫu 01), completion (02), rejection (03), "
                     "apology (04), control (05)",
       .summary_en = "PDF form: receipt (form 01), completion (02), rejection (03), "
                     "apology (04), control (05)",
       .handler = bind(GetForm),
       .tag = "dossiers",
       .params = {kId, http::CodeParam("form", "^(receipt|completion|rejection|apology|control)$")},
       .answers = {http::FileAnswer(200, "application/pdf")}});
  for (const ActionRoute& a : kActions) {
    const std::string name(a.name);
    auto handler = a.upload ? UploadActionHandler : ActionHandler;
    router.Add(
        {.method = Method::kPost,
         .path = "/api/v1/dossiers/{id}/" + name,
         .action = std::string(a.policy_action),
         .summary_vi = std::string(a.vi),
         .summary_en = std::string(a.en),
         .handler = [svc, name, handler](const http::Request& r,
                                         http::Context& c) { return handler(*svc, name, r, c); },
         .upload = a.upload,
         .writes = true,
         .tag = "dossiers",
         .params = {kId},
         .body = http::JsonBody<DossierAction>(),
         .form = a.upload,
         .answers = {http::Returns<DossierView>()}});
  }
  router.Add({.method = Method::kPost,
              .path = "/api/v1/dossiers/{id}/pay",
              .action = "dossier.applicant",
              .summary_vi = "Thanh toán trực tuyến phí, lệ phí của hồ sơ (trả về trang thanh toán)",
              .summary_en = "Pay the dossier's fees online (returns the payment page)",
              .handler = bind(Pay),
              .writes = true,
              .tag = "dossiers",
              .params = {kId},
              .answers = {http::Returns<PaymentStart>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/drafts",
              .action = "draft.own",
              .summary_vi = "Hồ sơ nháp của tài khoản (mới lưu trước), của một thủ tục nếu có "
                            "procedure",
              .summary_en = "The account's drafts (latest saved first), of one procedure when "
                            "procedure is given",
              .handler = bind(ListDraftsHandler),
              .tag = "drafts",
              .query = http::QueryParams<DraftListQuery>(),
              .answers = {http::Returns<DraftList>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/drafts",
              .action = "draft.own",
              .summary_vi = "Lưu nháp một hồ sơ đang soạn (tờ khai và tệp đã chọn)",
              .summary_en = "Save a submission in progress as a draft (the form and the files "
                            "chosen)",
              .handler = bind(CreateDraftHandler),
              .upload = true,
              .writes = true,
              .tag = "drafts",
              .body = http::JsonBody<DraftSave>(),
              .form = true,
              .answers = {http::Returns<DraftView>(201, "Đã lưu nháp / draft saved")}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/drafts/{id}",
              .action = "draft.own",
              .summary_vi = "Một hồ sơ nháp",
              .summary_en = "One draft",
              .handler = bind(GetDraftHandler),
              .tag = "drafts",
              .params = {kId},
              .answers = {http::Returns<DraftView>()}});
  // POST, not PUT: a save may add files as a multipart form, which pages send by POST (XHR
  // with upload progress, lib/api.ts callForm), as every upload route of the API.
  router.Add({.method = Method::kPost,
              .path = "/api/v1/drafts/{id}",
              .action = "draft.own",
              .summary_vi = "Lưu lại hồ sơ nháp (version: phiên bản đã đọc; thêm tệp, bỏ tệp "
                            "remove_files)",
              .summary_en = "Save a draft again (version: the version read; add files, drop "
                            "remove_files)",
              .handler = bind(SaveDraftHandler),
              .upload = true,
              .writes = true,
              .tag = "drafts",
              .params = {kId},
              .body = http::JsonBody<DraftSave>(),
              .form = true,
              .answers = {http::Returns<DraftView>()}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/drafts/{id}",
              .action = "draft.own",
              .summary_vi = "Xóa hồ sơ nháp",
              .summary_en = "Delete a draft",
              .handler = bind(DeleteDraftHandler),
              .writes = true,
              .tag = "drafts",
              .params = {kId},
              .query = http::QueryParams<DraftDeleteQuery>(),
              .answers = {http::NoContent()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/drafts/{id}/files/{file_id}",
              .action = "draft.own",
              .summary_vi = "Tải một tệp của hồ sơ nháp",
              .summary_en = "Download one file of a draft",
              .handler = bind(GetDraftFileHandler),
              .tag = "drafts",
              .params = {kId, http::IdParam("file_id")},
              .query = FileQueryDecl(),
              .answers = uploaded_file});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/lookup",
              .action = "public.dossier_lookup",
              .summary_vi = "Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu in trên giấy "
                            "tiếp nhận",
              .summary_en = "Look up a dossier by its code and the lookup code printed on the "
                            "receipt",
              .handler = bind(LookupHandler),
              .async_handler =
                  [svc](const http::Request& r, http::Context& c, http::Responder respond) {
                    LookupAsyncHandler(*svc, r, c, std::move(respond));
                  },
              .tag = "dossiers",
              .query = http::QueryParams<LookupQuery>(),
              .answers = {http::Returns<DossierLookup>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/statistics/dossiers",
              .action = "dossier.stats",
              .summary_vi = "Thống kê hồ sơ theo cơ quan, thủ tục, kênh, tháng hoặc tổng cộng",
              .summary_en = "Dossier statistics by agency, procedure, channel, month or in total",
              .handler = bind(StatsHandler),
              .tag = "dossiers",
              .query = http::QueryParams<DossierStatsQuery>(),
              .answers = {http::Returns<DossierStats>()}});
}

}  // namespace tinhso::dossiers
