// Thin HTTP handlers for dossiers: parse, call the Service, render. The Guard has checked the
// route's action; the Service checks the object (which agency, whose dossier).
#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/parse.hpp"
#include "dossiers/dossiers.hpp"
#include "http/http.hpp"
#include "payment/payment.hpp"

namespace tinhso::dossiers {
namespace {

namespace bj = boost::json;
using http::Method;

bj::value Time(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return bj::string(core::FormatTimestamp(*t));
}

bj::object DossierJson(const Dossier& d, bool with_secret) {
  bj::object o;
  o["id"] = d.id;
  o["code"] = d.code.empty() ? bj::value(nullptr) : bj::value(bj::string(d.code));
  o["procedure_code"] = d.procedure_code;
  o["procedure_name"] = d.procedure_name;
  o["channel"] = std::string(ChannelKey(d.channel));
  o["status"] = static_cast<int>(d.status);
  o["status_key"] = std::string(StatusKey(d.status));
  o["status_name"] = std::string(StatusNameVi(d.status));
  o["status_name_en"] = std::string(StatusNameEn(d.status));
  bj::object a;
  a["kind"] = d.applicant.kind;
  a["name"] = d.applicant.name;
  a["id_number"] = d.applicant.id_number;
  a["phone"] = d.applicant.phone;
  a["email"] = d.applicant.email;
  a["address"] = d.applicant.address;
  o["applicant"] = std::move(a);
  if (d.submitter.kind == 0) {
    o["submitter"] = nullptr;
  } else {
    o["submitter"] = {{"kind", d.submitter.kind},
                      {"name", d.submitter.name},
                      {"id_number", d.submitter.id_number}};
  }
  o["on_behalf"] = d.on_behalf;
  o["receiving_agency_id"] = d.receiving_agency_id;
  o["competent_agency_id"] = d.competent_agency_id;
  o["current_agency_id"] = d.current_agency_id;
  o["locality_agency_id"] =
      d.locality_agency_id == 0 ? bj::value(nullptr) : bj::value(d.locality_agency_id);
  o["step_index"] = d.step_index;
  o["step_code"] = d.step_code;
  o["assignee_id"] = d.assignee_id == 0 ? bj::value(nullptr) : bj::value(d.assignee_id);
  o["summary"] = d.summary;
  bj::error_code ec;
  bj::value form = bj::parse(d.form_json, ec);
  o["form"] = ec ? bj::value(bj::object()) : std::move(form);
  o["submitted_at"] = core::FormatTimestamp(d.submitted_at);
  o["received_at"] = Time(d.received_at);
  o["due_at"] = Time(d.due_at);
  o["original_due_at"] = Time(d.original_due_at);
  o["step_started_at"] = Time(d.step_started_at);
  o["step_due_at"] = Time(d.step_due_at);
  o["finished_at"] = Time(d.finished_at);
  o["returned_at"] = Time(d.returned_at);
  o["paused_at"] = Time(d.paused_at);
  o["supplement_count"] = d.supplement_count;
  o["apology_issued"] = d.apology_issued;
  o["fee_total"] = d.fee_total;
  o["paid_online"] = d.paid_online;
  o["rating"] = d.rating ? bj::value(*d.rating) : bj::value(nullptr);
  o["return_method"] =
      d.return_method.empty() ? bj::value(nullptr) : bj::value(bj::string(d.return_method));
  o["timeliness"] = std::string(TimelinessKey(d.timeliness));
  o["version"] = d.version;
  o["updated_at"] = core::FormatTimestamp(d.updated_at);
  if (with_secret) o["lookup_secret"] = d.lookup_secret;
  return o;
}

// The public view shows what happened and where, not who did it or the internal deadlines.
bj::object EventJson(const Event& e) {
  bj::object o;
  o["seq"] = e.seq;
  o["at"] = core::FormatTimestamp(e.at);
  o["action"] = e.action;
  o["agency_name"] = e.agency_name;
  o["content"] = e.content;
  o["status"] = static_cast<int>(e.status);
  o["status_name"] = std::string(StatusNameVi(e.status));
  o["status_name_en"] = std::string(StatusNameEn(e.status));
  o["actor_id"] = e.actor_id;
  o["actor_name"] = e.actor_name;
  o["actor_position"] = e.actor_position;
  o["agency_id"] = e.agency_id;
  o["step_code"] = e.step_code;
  o["step_started_at"] = Time(e.step_started_at);
  o["step_due_at"] = Time(e.step_due_at);
  o["items"] = bj::array(e.items.begin(), e.items.end());
  if (e.consultation_id != 0) {
    o["consultation_id"] = e.consultation_id;
    o["consulted_agency_id"] = e.consulted_agency_id;
  }
  return o;
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

Result<std::vector<FileInput>> ParseFiles(const bj::object& o) {
  std::vector<FileInput> files;
  auto it = o.find("files");
  if (it == o.end() || it->value().is_null()) return files;
  if (!it->value().is_array()) {
    return json::FieldError("files", "phải là mảng tệp.", "must be an array of files.");
  }
  for (const auto& v : it->value().as_array()) {
    if (!v.is_object()) {
      return json::FieldError("files", "mỗi phần tử phải là một đối tượng.",
                              "each item must be an object.");
    }
    const auto& f = v.as_object();
    FileInput file;
    TINHSO_ASSIGN_OR_RETURN(auto component, json::OptionalString(f, "component"));
    TINHSO_ASSIGN_OR_RETURN(auto name, json::OptionalString(f, "name"));
    // The body's limit bounds the content; the service checks each file's size.
    TINHSO_ASSIGN_OR_RETURN(std::string content,
                            json::RequiredString(f, "content_base64", kMaxJsonBody));
    auto bytes = core::Base64Decode(content);
    if (!bytes) {
      return json::FieldError("files[].content_base64", "không phải base64 hợp lệ.",
                              "is not valid base64.");
    }
    file.component = component.value_or("");
    file.name = name.value_or("");
    file.content = core::ByteSource(std::move(*bytes));
    files.push_back(std::move(file));
  }
  return files;
}

// A submission's or transition's body: its JSON fields and its files.
struct BodyWithFiles {
  bj::object fields;
  std::vector<FileInput> files;
};

// JSON (`files[].content_base64`), or multipart/form-data: a part `json` with the same object
// (without file contents), and one part per file, named `files` or `files.<component>` (e.g.
// `files.TP1`), its filename the file's name.
Result<BodyWithFiles> ReadBodyWithFiles(const Service& svc, const http::Request& req) {
  BodyWithFiles out;
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
    TINHSO_ASSIGN_OR_RETURN(out.fields, json::ParseObject(body.empty() ? "{}" : body));
    TINHSO_ASSIGN_OR_RETURN(out.files, ParseFiles(out.fields));
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
      TINHSO_ASSIGN_OR_RETURN(out.fields, json::ParseObject(text));
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
  if (out.fields.contains("files")) {
    TINHSO_ASSIGN_OR_RETURN(auto inline_files, ParseFiles(out.fields));
    for (FileInput& f : inline_files) out.files.push_back(std::move(f));
  }
  return out;
}

std::string FormText(const bj::object& o) {
  auto it = o.find("form");
  if (it == o.end() || it->value().is_null()) return "";
  return json::Serialize(it->value());
}

Result<http::Response> Submit(Service& svc, const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(BodyWithFiles body, ReadBodyWithFiles(svc, req));
  const bj::object& o = body.fields;
  SubmitInput in;
  TINHSO_ASSIGN_OR_RETURN(in.procedure_code, json::RequiredString(o, "procedure_code"));
  TINHSO_ASSIGN_OR_RETURN(auto channel, json::OptionalString(o, "channel"));
  const std::string ch = channel.value_or("online");
  if (ch == "online") {
    in.channel = Channel::kOnline;
  } else if (ch == "counter") {
    in.channel = Channel::kCounter;
  } else if (ch == "postal") {
    in.channel = Channel::kPostal;
  } else {
    return json::FieldError("channel", "phải là online, counter hoặc postal.",
                            "must be online, counter or postal.");
  }
  auto ait = o.find("applicant");
  if (ait == o.end() || !ait->value().is_object()) {
    return json::FieldError("applicant", "là bắt buộc (thông tin người nộp).",
                            "is required (who submits).");
  }
  const auto& a = ait->value().as_object();
  TINHSO_ASSIGN_OR_RETURN(auto kind, json::OptionalInt(a, "kind"));
  // Checked on the 64-bit value: narrowed first, 4294967297 would pass as 1.
  if (kind && (*kind < 1 || *kind > 4)) {
    return json::FieldError("applicant.kind",
                            "phải là 1 (công dân), 2 (doanh nghiệp), 3 (cơ quan nhà nước) hoặc 4 "
                            "(tổ chức khác).",
                            "must be 1 (citizen), 2 (business), 3 (state agency) or 4 (other "
                            "organisation).");
  }
  in.applicant.kind = static_cast<int>(kind.value_or(1));
  TINHSO_ASSIGN_OR_RETURN(in.applicant.name, json::RequiredString(a, "name"));
  TINHSO_ASSIGN_OR_RETURN(auto id_number, json::OptionalString(a, "id_number"));
  TINHSO_ASSIGN_OR_RETURN(auto phone, json::OptionalString(a, "phone"));
  TINHSO_ASSIGN_OR_RETURN(auto email, json::OptionalString(a, "email"));
  TINHSO_ASSIGN_OR_RETURN(auto address, json::OptionalString(a, "address"));
  in.applicant.id_number = id_number.value_or("");
  in.applicant.phone = phone.value_or("");
  in.applicant.email = email.value_or("");
  in.applicant.address = address.value_or("");
  TINHSO_ASSIGN_OR_RETURN(in.on_behalf, json::OptionalBool(o, "on_behalf", false));
  TINHSO_ASSIGN_OR_RETURN(auto locality, json::OptionalString(o, "locality_code"));
  in.locality_code = locality.value_or("");
  TINHSO_ASSIGN_OR_RETURN(auto summary, json::OptionalString(o, "summary"));
  in.summary = summary.value_or("");
  in.form_json = FormText(o);
  in.files = std::move(body.files);
  in.idempotency_key = std::string(req.Header("idempotency-key"));
  bool created = false;
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Submit(in, ctx.actor, &created));
  http::Response r = http::JsonResponse(created ? 201 : 200, json::Serialize(DossierJson(d, true)));
  r.headers.emplace_back("Location", "/api/v1/dossiers/" + std::to_string(d.id));
  return r;
}

Result<http::Response> TransitionHandler(Service& svc, std::string action, const http::Request& req,
                                         http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(BodyWithFiles body, ReadBodyWithFiles(svc, req));
  const bj::object& o = body.fields;
  TransitionInput in;
  in.action = std::move(action);
  TINHSO_ASSIGN_OR_RETURN(in.version, json::RequiredInt(o, "version"));
  TINHSO_ASSIGN_OR_RETURN(auto note, json::OptionalString(o, "note"));
  in.note = note.value_or("");
  TINHSO_ASSIGN_OR_RETURN(in.items, json::StringArray(o, "items", /*allow_empty_items=*/false));
  in.files = std::move(body.files);
  TINHSO_ASSIGN_OR_RETURN(in.assignee_id, json::OptionalInt(o, "assignee_id"));
  TINHSO_ASSIGN_OR_RETURN(auto due, json::OptionalString(o, "new_due_at"));
  if (due) {
    auto t = core::ParseTimestamp(*due);
    if (!t) {
      return json::FieldError("new_due_at", "phải là thời điểm ISO 8601.",
                              "must be an ISO 8601 time.");
    }
    in.new_due_at = *t;
  }
  TINHSO_ASSIGN_OR_RETURN(auto method, json::OptionalString(o, "return_method"));
  in.return_method = method.value_or("");
  TINHSO_ASSIGN_OR_RETURN(auto agency, json::OptionalString(o, "agency_code"));
  in.agency_code = agency.value_or("");
  TINHSO_ASSIGN_OR_RETURN(auto consultation, json::OptionalInt(o, "consultation_id"));
  in.consultation_id = consultation.value_or(0);
  TINHSO_ASSIGN_OR_RETURN(auto rating, json::OptionalInt(o, "rating"));
  // Checked on the 64-bit value: narrowed first, 4294967298 would pass as 2.
  if (rating && (*rating < 1 || *rating > 3)) {
    return json::FieldError("rating",
                            "phải là 1 (không hài lòng), 2 (hài lòng) hoặc 3 (rất hài lòng).",
                            "must be 1 (dissatisfied), 2 (satisfied) or 3 (very satisfied).");
  }
  if (rating) in.rating = static_cast<int>(*rating);
  in.form_json = FormText(o);
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Transition(id, in, ctx.actor));
  return http::JsonResponse(200, json::Serialize(DossierJson(d, false)));
}

Result<http::Response> Pay(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(payment::Payment p, svc.StartPayment(id, ctx.actor));
  bj::object o;
  o["reference"] = p.reference;
  o["amount"] = p.amount;
  o["status"] = std::string(payment::StatusName(p.status));
  o["payment_url"] = p.payment_url;
  return http::JsonResponse(200, json::Serialize(o));
}

Result<http::Response> GetOne(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Dossier d, svc.Get(id, ctx.actor));
  return http::JsonResponse(200, json::Serialize(DossierJson(d, true)));
}

Result<http::Response> GetEvents(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto events, svc.Timeline(id, ctx.actor));
  bj::array items;
  for (const auto& e : events) items.push_back(EventJson(e));
  bj::object o;
  o["items"] = std::move(items);
  return http::JsonResponse(200, json::Serialize(o));
}

Result<http::Response> GetFiles(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto files, svc.Files(id, ctx.actor));
  bj::array items;
  for (const auto& f : files) {
    bj::object o;
    o["id"] = f.id;
    o["kind"] = f.kind;
    o["component"] = f.component;
    o["name"] = f.name;
    o["content_type"] = f.content_type;
    o["size"] = f.size;
    o["sha256"] = f.sha256;
    o["at"] = core::FormatTimestamp(f.at);
    items.push_back(std::move(o));
  }
  bj::object o;
  o["items"] = std::move(items);
  return http::JsonResponse(200, json::Serialize(o));
}

Result<http::Response> GetFile(Service& svc, const http::Request& req, http::Context& ctx) {
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
                            req.Query("inline").value_or("") == "1");
}

Result<http::Response> GetForm(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(std::string pdf, svc.Form(id, ctx.Param("form"), ctx.actor));
  http::Response r;
  r.content_type = "application/pdf";
  r.body = std::move(pdf);
  return r;
}

Result<std::optional<core::Seconds>> QueryTime(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v) return std::optional<core::Seconds>();
  auto t = core::ParseTimestamp(*v);
  if (!t) {
    return MakeError(
        ErrorCode::kInvalidArgument, "request.invalid_query",
        "Tham số '" + std::string(name) + "' phải là ngày YYYY-MM-DD hoặc thời điểm ISO 8601.",
        "Query parameter '" + std::string(name) +
            "' must be a YYYY-MM-DD date or an ISO 8601 time.");
  }
  return std::optional<core::Seconds>(*t);
}

Result<std::optional<std::int64_t>> QueryInt(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v) return std::optional<std::int64_t>();
  auto n = core::ParseInt64(*v);
  if (!n) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số '" + std::string(name) + "' phải là số nguyên.",
                     "Query parameter '" + std::string(name) + "' must be an integer.");
  }
  return std::optional<std::int64_t>(*n);
}

Result<http::Response> ListHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  ListQuery q;
  // status=4 or a comma-separated set: status=2,4,5,6 ("in progress" on the dashboard).
  for (std::string_view rest = req.Query("status").value_or(""); !rest.empty();) {
    const auto comma = rest.find(',');
    const auto status = core::ParseInt64(rest.substr(0, comma));
    if (!status || *status < 1 || *status > 10) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'status' phải là các số từ 1 đến 10, cách nhau bởi dấu phẩy.",
                       "Query parameter 'status' must be numbers 1 to 10, separated by commas.");
    }
    q.statuses.push_back(static_cast<Status>(*status));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  TINHSO_ASSIGN_OR_RETURN(q.agency_id, QueryInt(req, "agency_id"));
  TINHSO_ASSIGN_OR_RETURN(q.competent_agency_id, QueryInt(req, "competent_agency_id"));
  if (auto channel = req.Query("channel")) {
    bool known = false;
    for (Channel c : {Channel::kCounter, Channel::kOnline, Channel::kPostal}) {
      if (*channel == ChannelKey(c)) {
        q.channel = c;
        known = true;
      }
    }
    if (!known) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'channel' phải là counter, online hoặc postal.",
                       "Query parameter 'channel' must be counter, online or postal.");
    }
  }
  q.outcome = req.Query("outcome").value_or("");
  q.procedure_code = req.Query("procedure").value_or("");
  TINHSO_ASSIGN_OR_RETURN(q.due_from, QueryTime(req, "due_from"));
  TINHSO_ASSIGN_OR_RETURN(q.due_to, QueryTime(req, "due_to"));
  TINHSO_ASSIGN_OR_RETURN(q.received_from, QueryTime(req, "received_from"));
  TINHSO_ASSIGN_OR_RETURN(q.received_to, QueryTime(req, "received_to"));
  q.overdue_only = req.Query("overdue").value_or("") == "true";
  q.queue = req.Query("queue").value_or("");
  q.q = req.Query("q").value_or("");
  q.sort = req.Query("sort").value_or("-submitted_at");
  TINHSO_ASSIGN_OR_RETURN(auto limit, QueryInt(req, "limit"));
  TINHSO_ASSIGN_OR_RETURN(auto offset, QueryInt(req, "offset"));
  // Checked on the 64-bit values, before they are narrowed to int.
  if ((limit && (*limit < 1 || *limit > 500)) ||
      (offset && (*offset < 0 || *offset > 1'000'000'000))) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số phân trang không hợp lệ: 'limit' từ 1 đến 500, 'offset' từ 0 đến "
                     "1.000.000.000.",
                     "Invalid paging: 'limit' must be 1 to 500 and 'offset' 0 to 1,000,000,000.");
  }
  q.limit = static_cast<int>(limit.value_or(50));
  q.offset = static_cast<int>(offset.value_or(0));
  TINHSO_ASSIGN_OR_RETURN(Page page, svc.List(q, ctx.actor));
  bj::array items;
  for (const auto& d : page.items) items.push_back(DossierJson(d, false));
  bj::object o;
  o["items"] = std::move(items);
  o["total"] = page.total;
  o["limit"] = page.limit;
  o["offset"] = page.offset;
  return http::JsonResponse(200, json::Serialize(o));
}

Result<http::Response> TrackingBookHandler(Service& svc, const http::Request& req,
                                           http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto from, QueryTime(req, "from"));
  TINHSO_ASSIGN_OR_RETURN(auto to, QueryTime(req, "to"));
  TINHSO_ASSIGN_OR_RETURN(auto agency, QueryInt(req, "agency_id"));
  if (!from || !to) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Cần tham số 'from' và 'to' (YYYY-MM-DD).",
                     "Query parameters 'from' and 'to' (YYYY-MM-DD) are required.");
  }
  TINHSO_ASSIGN_OR_RETURN(std::string pdf, svc.TrackingBook(agency.value_or(ctx.actor.agency_id),
                                                            *from, *to, ctx.actor));
  http::Response r;
  r.content_type = "application/pdf";
  r.body = std::move(pdf);
  return r;
}

// The hottest public route: written straight to text, no JSON value tree.
http::Response LookupResponse(const PublicView& view) {
  const Dossier& d = view.dossier;
  auto time = [](const std::optional<core::Seconds>& t) {
    return t ? std::optional<std::string>(core::FormatTimestamp(*t)) : std::nullopt;
  };
  json::Writer w(512 + view.events_json.size());
  w.BeginObject()
      .Field("code", d.code)
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

Result<http::Response> LookupHandler(Service& svc, const http::Request& req, http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(
      PublicView view,
      svc.Lookup(req.Query("code").value_or(""), req.Query("secret").value_or(""), req.client_ip));
  return LookupResponse(view);
}

// The same on PostgreSQL, where the read goes down a pipeline and no thread waits for it.
void LookupAsyncHandler(Service& svc, const http::Request& req, http::Context&,
                        http::Responder respond) {
  svc.LookupAsync(req.Query("code").value_or(""), req.Query("secret").value_or(""), req.client_ip,
                  [respond = std::move(respond)](Result<PublicView> view) {
                    if (!view.ok()) return respond(std::move(view).error());
                    respond(LookupResponse(*view));
                  });
}

Result<http::Response> QueuesHandler(Service& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto queues, svc.Queues(ctx.actor));
  json::Writer w;
  w.BeginObject().Key("queues").BeginArray();
  for (const QueueCount& q : queues) {
    w.BeginObject().Field("key", q.key).Field("count", q.count).EndObject();
  }
  w.EndArray().EndObject();
  return http::JsonResponse(200, w.Take());
}

Result<http::Response> StatsHandler(Service& svc, const http::Request& req, http::Context& ctx) {
  StatsQuery q;
  TINHSO_ASSIGN_OR_RETURN(auto from, QueryTime(req, "from"));
  TINHSO_ASSIGN_OR_RETURN(auto to, QueryTime(req, "to"));
  if (!from || !to) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Cần tham số 'from' và 'to' (YYYY-MM-DD).",
                     "Query parameters 'from' and 'to' (YYYY-MM-DD) are required.");
  }
  q.from = *from;
  q.to = *to;
  TINHSO_ASSIGN_OR_RETURN(q.agency_id, QueryInt(req, "agency_id"));
  q.procedure_code = req.Query("procedure").value_or("");
  q.group_by = req.Query("group_by").value_or("agency");
  TINHSO_ASSIGN_OR_RETURN(Stats stats, svc.Statistics(q, ctx.actor));
  auto row_json = [](const StatsRow& r) {
    bj::object o;
    o["key"] = r.key;
    o["label"] = r.label;
    o["received"] = r.received;
    o["in_progress"] = r.in_progress;
    o["done_early"] = r.done_early;
    o["done_on_time"] = r.done_on_time;
    o["done_late"] = r.done_late;
    o["overdue"] = r.overdue;
    o["online"] = r.online;
    o["paid_online"] = r.paid_online;
    o["on_time_ratio"] = r.on_time_ratio;
    o["online_share"] =
        r.received == 0 ? 0.0 : static_cast<double>(r.online) / static_cast<double>(r.received);
    return o;
  };
  bj::array rows;
  for (const auto& r : stats.rows) rows.push_back(row_json(r));
  bj::object o;
  o["rows"] = std::move(rows);
  o["total"] = row_json(stats.total);
  return http::JsonResponse(200, json::Serialize(o));
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

constexpr std::string_view kTransitionSchema = R"({"type":"object","required":["version"],
"properties":{"version":{"type":"integer"},"note":{"type":"string"},
"items":{"type":"array","items":{"type":"string"}},"assignee_id":{"type":"integer"},
"new_due_at":{"type":"string","format":"date-time"},"return_method":{"type":"string",
"enum":["online","counter","postal"]},"agency_code":{"type":"string"},
"consultation_id":{"type":"integer"},"rating":{"type":"integer","minimum":1,"maximum":3},
"form":{"type":"object"},"files":{"type":"array","items":{"type":"object",
"properties":{"component":{"type":"string"},"name":{"type":"string"},
"content_base64":{"type":"string","format":"byte"}}}}}})";

constexpr std::string_view kSubmitSchema = R"({"type":"object",
"required":["procedure_code","applicant"],"properties":{"procedure_code":{"type":"string"},
"channel":{"type":"string","enum":["online","counter","postal"]},
"applicant":{"type":"object","required":["name"],"properties":{"kind":{"type":"integer"},
"name":{"type":"string"},"id_number":{"type":"string"},"phone":{"type":"string"},
"email":{"type":"string"},"address":{"type":"string"}}},"on_behalf":{"type":"boolean"},
"locality_code":{"type":"string"},"summary":{"type":"string"},"form":{"type":"object"},
"files":{"type":"array","items":{"type":"object","required":["component","content_base64"],
"properties":{"component":{"type":"string"},"name":{"type":"string"},
"content_base64":{"type":"string","format":"byte"}}}}}})";

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  Service* svc = &service;
  auto bind = [svc](auto fn) {
    return [svc, fn](const http::Request& r, http::Context& c) { return fn(*svc, r, c); };
  };
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
              .request_schema = std::string(kSubmitSchema),
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers",
              .action = "dossier.read",
              .summary_vi = "Danh sách hồ sơ (lọc theo status, agency_id, competent_agency_id, "
                            "procedure, channel, outcome, queue, due_from, due_to, received_from, "
                            "received_to, overdue, q; sort; limit, offset)",
              .summary_en = "List dossiers (filter by status, agency_id, competent_agency_id, "
                            "procedure, channel, outcome, queue, due_from, due_to, received_from, "
                            "received_to, overdue, q; sort; limit, offset)",
              .handler = bind(ListHandler),
              .tag = "dossiers"});
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
              .tag = "dossiers"});
  router.Add(
      {.method = Method::kGet,
       .path = "/api/v1/dossiers/tracking-book",
       .action = "dossier.read",
       .summary_vi = "Sổ theo dõi hồ sơ (Mẫu 06, PDF) của một cơ quan (?agency_id&from&to)",
       .summary_en = "Dossier tracking book (form 06, PDF) of an agency (?agency_id&from&to)",
       .handler = bind(TrackingBookHandler),
       .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}",
              .action = "dossier.read",
              .summary_vi = "Chi tiết hồ sơ",
              .summary_en = "One dossier",
              .handler = bind(GetOne),
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/events",
              .action = "dossier.read",
              .summary_vi = "Quá trình xử lý hồ sơ",
              .summary_en = "The dossier's timeline",
              .handler = bind(GetEvents),
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/files",
              .action = "dossier.read",
              .summary_vi = "Danh sách tệp của hồ sơ",
              .summary_en = "The dossier's files",
              .handler = bind(GetFiles),
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/files/{file_id}",
              .action = "dossier.read",
              .summary_vi = "Tải một tệp của hồ sơ",
              .summary_en = "Download one file of the dossier",
              .handler = bind(GetFile),
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/dossiers/{id}/forms/{form}",
              .action = "dossier.read",
              .summary_vi = "Biểu mẫu PDF: receipt (Mẫu 01), completion (02), rejection (03), "
                            "apology (04), control (05)",
              .summary_en = "PDF form: receipt (form 01), completion (02), rejection (03), "
                            "apology (04), control (05)",
              .handler = bind(GetForm),
              .tag = "dossiers"});
  for (const ActionRoute& a : kActions) {
    const std::string name(a.name);
    router.Add(
        {.method = Method::kPost,
         .path = "/api/v1/dossiers/{id}/" + name,
         .action = std::string(a.policy_action),
         .summary_vi = std::string(a.vi),
         .summary_en = std::string(a.en),
         .handler = [svc, name](const http::Request& r,
                                http::Context& c) { return TransitionHandler(*svc, name, r, c); },
         .upload = a.upload,
         .writes = true,
         .request_schema = std::string(kTransitionSchema),
         .tag = "dossiers"});
  }
  router.Add({.method = Method::kPost,
              .path = "/api/v1/dossiers/{id}/pay",
              .action = "dossier.applicant",
              .summary_vi = "Thanh toán trực tuyến phí, lệ phí của hồ sơ (trả về trang thanh toán)",
              .summary_en = "Pay the dossier's fees online (returns the payment page)",
              .handler = bind(Pay),
              .writes = true,
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/lookup",
              .action = "public.dossier_lookup",
              .summary_vi = "Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu in trên giấy "
                            "tiếp nhận (?code=&secret=)",
              .summary_en = "Look up a dossier by its code and the lookup code printed on the "
                            "receipt (?code=&secret=)",
              .handler = bind(LookupHandler),
              .async_handler =
                  [svc](const http::Request& r, http::Context& c, http::Responder respond) {
                    LookupAsyncHandler(*svc, r, c, std::move(respond));
                  },
              .tag = "dossiers"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/statistics/dossiers",
              .action = "dossier.stats",
              .summary_vi = "Thống kê hồ sơ theo cơ quan, thủ tục, kênh hoặc tháng "
                            "(?from&to&group_by&agency_id&procedure)",
              .summary_en = "Dossier statistics by agency, procedure, channel or month "
                            "(?from&to&group_by&agency_id&procedure)",
              .handler = bind(StatsHandler),
              .tag = "dossiers"});
}

}  // namespace tinhso::dossiers
