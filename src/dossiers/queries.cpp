// Reads: one dossier, its timeline and files, lists, the public lookup and statistics.
#include <deque>
#include <map>
#include <set>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "dossiers/deadline.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"

namespace tinhso::dossiers {
namespace {

using internal::NotFound;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

std::string Cols() { return std::string(sql::kSelect) + std::string(sql::kColumns); }

bool IsApplicantKind(const core::Actor& a) {
  return a.kind == core::ActorKind::kCitizen || a.kind == core::ActorKind::kBusiness ||
         a.kind == core::ActorKind::kAnonymous;
}

// Officers of the agency holding the dossier, of the one that received it and of the competent
// one may read it; so may the applicant. Others learn nothing, not even that it exists.
Result<void> CheckRead(const auth::Policy& policy, const core::Actor& actor, const Dossier& d) {
  Error first;
  bool have_error = false;
  for (std::int64_t agency : {d.current_agency_id, d.receiving_agency_id, d.competent_agency_id}) {
    auto r = policy.Check(actor, "dossier.read", {agency, d.applicant_user_id});
    if (r.ok()) return Ok();
    if (!have_error) {
      first = r.error();
      have_error = true;
    }
  }
  if (IsApplicantKind(actor)) return NotFound();
  return first;
}

// An agency asked for its opinion (xin ý kiến) reads the dossier it must answer about.
Result<void> CheckReadOrConsulted(const auth::Policy& policy, storage::Transaction& tx,
                                  const core::Actor& actor, const Dossier& d) {
  auto read = CheckRead(policy, actor, d);
  if (read.ok() || actor.kind != core::ActorKind::kOfficer || actor.agency_id == 0) return read;
  TINHSO_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(sql::kConsultedAgency, {{"dossier_id", d.id}, {"agency_id", actor.agency_id}}));
  if (rows.empty()) return read;
  return policy.Check(actor, "dossier.consult_answer", {actor.agency_id, 0});
}

std::string IdList(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "0" : out;
}

}  // namespace

Timeliness Service::Classify(const Dossier& d, core::Seconds now) const {
  if (d.status == Status::kRegistered || d.status == Status::kRejected ||
      d.status == Status::kWithdrawn || !d.received_at) {
    return Timeliness::kNone;
  }
  TimelinessFacts facts;
  facts.due = d.original_due_at ? d.original_due_at : d.due_at;
  facts.finished = d.finished_at;
  facts.supplement_requests = d.supplement_count;
  facts.waiting_for_applicant = d.status == Status::kSupplement || d.status == Status::kPaying;
  return ClassifyTimeliness(impl_->calendar, facts, now);
}

Result<Dossier> Service::Get(std::int64_t id, const core::Actor& actor) const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(Cols() + std::string(sql::kFromById), {{"id", id}}));
  if (rows.empty()) return NotFound();
  Dossier d = internal::DecodeDossier(rows[0]);
  TINHSO_RETURN_IF_ERROR(CheckReadOrConsulted(impl_->policy, *tx, actor, d));
  if (auto p = impl_->catalog.Find(d.procedure_code); p.ok()) d.procedure_name = (*p)->name;
  d.timeliness = Classify(d, impl_->clock.Now());
  return d;
}

Result<Dossier> Service::GetByCode(std::string_view code, const core::Actor& actor) const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, tx->Query(Cols() + std::string(sql::kFromByCode), {{"code", std::string(code)}}));
  if (rows.empty()) return NotFound();
  Dossier d = internal::DecodeDossier(rows[0]);
  TINHSO_RETURN_IF_ERROR(CheckReadOrConsulted(impl_->policy, *tx, actor, d));
  if (auto p = impl_->catalog.Find(d.procedure_code); p.ok()) d.procedure_name = (*p)->name;
  d.timeliness = Classify(d, impl_->clock.Now());
  return d;
}

namespace {

Result<std::vector<Event>> ReadEvents(storage::Transaction& tx, std::int64_t id) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kEvents, {{"dossier_id", id}}));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Event e;
    e.seq = r.Int(0);
    e.at = r.Time(1);
    e.action = r.Text(2);
    e.actor_id = r.Int(3);
    e.actor_name = r.Text(4);
    e.actor_position = r.Text(5);
    e.agency_id = r.OptionalInt(6).value_or(0);
    e.agency_name = r.Text(7);
    e.content = r.Text(8);
    e.status = static_cast<Status>(r.Int(9));
    e.step_code = r.Text(10);
    e.step_started_at = r.OptionalTime(11);
    e.step_due_at = r.OptionalTime(12);
    // The items of a completion request, supplement request or rejection, as structured data
    // (the forms list them; the content text is for people).
    if (auto data = json::ParseObject(r.Text(13)); data.ok()) {
      if (auto items = json::StringArray(*data, "items"); items.ok()) e.items = std::move(*items);
      if (auto got = json::StringArray(*data, "received"); got.ok()) {
        for (const std::string& one : *got) {  // "TP1:original"
          const auto colon = one.rfind(':');
          if (colon != std::string::npos) {
            e.received.push_back({one.substr(0, colon), one.substr(colon + 1)});
          }
        }
      }
      if (e.action == "consult" || e.action == "answer_consultation") {
        auto consultation = json::OptionalInt(*data, "consultation_id");
        auto agency = json::OptionalInt(*data, "agency_id");
        e.consultation_id = consultation.ok() ? consultation->value_or(0) : 0;
        e.consulted_agency_id = agency.ok() ? agency->value_or(0) : 0;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<Event>> Service::Timeline(std::int64_t id, const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(Get(id, actor));
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  return ReadEvents(*tx, id);
}

Result<std::vector<FileInfo>> Service::Files(std::int64_t id, const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(Get(id, actor));
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kFiles, {{"dossier_id", id}}));
  std::vector<FileInfo> out;
  for (const auto& r : rows) {
    FileInfo f;
    f.id = r.Int(0);
    f.kind = r.Text(1);
    f.component = r.Text(2);
    f.name = r.Text(3);
    f.content_type = r.Text(4);
    f.size = r.Int(5);
    f.sha256 = r.Text(6);
    f.at = r.Time(7);
    f.signed_by = r.Text(8);
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> Service::FileContent(std::int64_t id, std::int64_t file_id,
                                         const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(Get(id, actor));
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows,
                          tx->Query(sql::kFileContent, {{"dossier_id", id}, {"id", file_id}}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound, "dossier.file_not_found", "Không tìm thấy tệp.",
                     "File not found.");
  }
  const std::int64_t chunks = rows[0].Int(2);
  if (chunks == 0) return rows[0].Blob(0);  // stored before dossier_file_chunks
  return internal::ReadChunks(*tx, sql::kFileChunk, file_id, chunks, rows[0].Int(1));
}

namespace {

// Dossiers at an officer's step vs a leader's: the catalog's workflow knows whose step each
// (procedure, step) is. Returns the condition on d.procedure_code || '/' || d.step_code.
// storage::Param names are views: generated names live in `names` (a deque never moves them).
void AddParam(std::deque<std::string>& names, storage::Params& params, std::string name,
              storage::Value value) {
  names.push_back(std::move(name));
  params.push_back({names.back(), std::move(value)});
}

std::string LeaderStepCondition(const catalog::Service& catalog, std::deque<std::string>& names,
                                storage::Params& params, std::string_view prefix) {
  std::string in;
  int n = 0;
  // Every procedure, retired ones too (their dossiers still move), and no copies: this runs on
  // every dossier list, and copying the catalog cost more than the list's query.
  for (const auto& p : catalog.All()) {
    for (const catalog::Step& step : p->steps) {
      if (step.role != auth::kRoleLeader) continue;
      const std::string name = std::string(prefix) + "ls" + std::to_string(n++);
      in += (in.empty() ? ":" : ", :") + name;
      AddParam(names, params, name, p->code + "/" + step.code);
    }
  }
  if (in.empty()) return "1 = 0";
  return "(d.procedure_code || '/' || d.step_code) IN (" + in + ")";
}

// The SQL condition of one work queue (kQueues) at `agency_id` (0 = every agency); parameter
// names start with `prefix`, so that several queues can share one statement.
Result<std::string> QueueCondition(std::string_view queue, std::int64_t agency_id,
                                   core::Seconds now, const calendar::WorkingCalendar& calendar,
                                   const catalog::Service& catalog, std::deque<std::string>& names,
                                   storage::Params& params, std::string_view prefix) {
  const std::string p(prefix);
  if (queue == "consult") {
    if (agency_id == 0) return std::string("1 = 0");  // nobody consults "every agency"
    AddParam(names, params, p + "consulted", agency_id);
    return "d.status IN (2, 4) AND d.id IN (SELECT c.dossier_id FROM dossier_consultations c "
           "WHERE c.agency_id = :" +
           p + "consulted AND c.answered_at IS NULL)";
  }
  std::string c;
  if (agency_id != 0) {
    c = "d.current_agency_id = :" + p + "agency AND ";
    AddParam(names, params, p + "agency", agency_id);
  }
  if (queue == "receive") return c + "d.status = 1";
  if (queue == "return") return c + "d.status = 9";
  if (queue == "approve") {
    return c + "d.status IN (2, 4) AND " + LeaderStepCondition(catalog, names, params, p);
  }
  if (queue == "processing") {
    return c + "d.status IN (2, 4) AND NOT " + LeaderStepCondition(catalog, names, params, p);
  }
  if (queue == "overdue") {
    AddParam(names, params, p + "now", Epoch(now));
    return c + "d.status IN (2, 4) AND d.due_at < :" + p + "now";
  }
  if (queue == "due_soon") {
    AddParam(names, params, p + "now", Epoch(now));
    AddParam(names, params, p + "soon",
             Epoch(calendar.AddWorkingHours(now, std::chrono::hours(16))));
    return c + "d.status IN (2, 4) AND d.due_at >= :" + p + "now AND d.due_at < :" + p + "soon";
  }
  return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                   "Tham số 'queue' không hợp lệ: chọn receive, approve, processing, return, "
                   "overdue, due_soon hoặc consult.",
                   "Query parameter 'queue' is invalid: use receive, approve, processing, "
                   "return, overdue, due_soon or consult.");
}

}  // namespace

Result<std::vector<QueueCount>> Service::Queues(const core::Actor& actor) const {
  if (!impl_->policy.WidestScope(actor, "dossier.queues")) {
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền thực hiện thao tác này.",
                     "You do not have permission to do this.");
  }
  // One statement: each queue is a SUM over the agency's dossiers (index dossiers_current).
  std::deque<std::string> names;
  storage::Params params;
  std::string select = "SELECT ";
  const core::Seconds now = impl_->clock.Now();
  int i = 0;
  for (std::string_view queue : kQueues) {
    TINHSO_ASSIGN_OR_RETURN(
        std::string condition,
        QueueCondition(queue, actor.agency_id, now, impl_->calendar, impl_->catalog, names, params,
                       "q" + std::to_string(i) + "_"));
    select += std::string(i++ == 0 ? "" : ", ") + "COALESCE(SUM(CASE WHEN " + condition +
              " THEN 1 ELSE 0 END), 0)";
  }
  std::string from = " FROM dossiers d WHERE d.status IN (1, 2, 4, 9)";
  if (actor.agency_id != 0) {
    from +=
        " AND (d.current_agency_id = :agency OR d.id IN (SELECT c.dossier_id FROM "
        "dossier_consultations c WHERE c.agency_id = :consulting AND c.answered_at IS NULL))";
    params.push_back({"agency", actor.agency_id});
    params.push_back({"consulting", actor.agency_id});
  }
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(select + from, params));
  std::vector<QueueCount> out;
  i = 0;
  for (std::string_view queue : kQueues) out.push_back({std::string(queue), rows[0].Int(i++)});
  return out;
}

Result<Page> Service::List(const ListQuery& q, const core::Actor& actor) const {
  if (q.limit < 1 || q.limit > 500 || q.offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số phân trang không hợp lệ: limit từ 1 đến 500, offset không âm.",
                     "Invalid paging: limit must be 1 to 500 and offset not negative.");
  }
  auto scope = impl_->policy.WidestScope(actor, "dossier.read");
  if (!scope) {
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền thực hiện thao tác này.",
                     "You do not have permission to do this.");
  }
  std::string where = " FROM dossiers d WHERE 1 = 1";
  std::deque<std::string> names;  // generated parameter names (storage::Param holds views)
  storage::Params params;
  switch (*scope) {
    case auth::Scope::kPublic:
    case auth::Scope::kProvince:
      break;
    case auth::Scope::kSubtree: {
      const auto ids = IdList(impl_->agencies.Subtree(actor.agency_id));
      where += " AND (d.current_agency_id IN (" + ids + ") OR d.receiving_agency_id IN (" + ids +
               ") OR d.competent_agency_id IN (" + ids + "))";
      break;
    }
    case auth::Scope::kOwnAgency:
      // An agency asked for its opinion reads the dossier too (as Get allows).
      where +=
          " AND (d.current_agency_id = :own1 OR d.receiving_agency_id = :own2 OR "
          "d.competent_agency_id = :own3 OR d.id IN (SELECT c.dossier_id FROM "
          "dossier_consultations c WHERE c.agency_id = :own4))";
      params.push_back({"own1", actor.agency_id});
      params.push_back({"own2", actor.agency_id});
      params.push_back({"own3", actor.agency_id});
      params.push_back({"own4", actor.agency_id});
      break;
    case auth::Scope::kSelf:
      where += " AND d.applicant_user_id = :me";
      params.push_back({"me", actor.user_id});
      break;
  }
  if (q.agency_id) {
    where += " AND d.current_agency_id IN (" + IdList(impl_->agencies.Subtree(*q.agency_id)) + ")";
  }
  if (q.competent_agency_id) {
    where += " AND d.competent_agency_id IN (" +
             IdList(impl_->agencies.Subtree(*q.competent_agency_id)) + ")";
  }
  if (q.channel) {
    where += " AND d.channel = :channel";
    params.push_back({"channel", static_cast<std::int64_t>(*q.channel)});
  }
  if (!q.outcome.empty()) {
    if (q.outcome != "early" && q.outcome != "on_time" && q.outcome != "late") {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'outcome' phải là early, on_time hoặc late.",
                       "Query parameter 'outcome' must be early, on_time or late.");
    }
    where += " AND d.outcome = :outcome";
    params.push_back({"outcome", q.outcome});
  }
  if (!q.statuses.empty()) {
    std::string in;
    for (Status st : q.statuses) {
      in += (in.empty() ? "" : ", ") + std::to_string(static_cast<int>(st));  // enum: no user text
    }
    where += " AND d.status IN (" + in + ")";
  }
  if (!q.procedure_code.empty()) {
    where += " AND d.procedure_code = :procedure_code";
    params.push_back({"procedure_code", q.procedure_code});
  }
  // The time windows: the condition's SQL (its parameter is named after the bound) and the bound.
  const std::pair<std::string_view, const std::optional<core::Seconds>*> windows[] = {
      {"d.due_at >= :due_from", &q.due_from},
      {"d.due_at < :due_to", &q.due_to},
      {"d.received_at >= :received_from", &q.received_from},
      {"d.received_at < :received_to", &q.received_to}};
  for (const auto& [condition, bound] : windows) {
    if (!*bound) continue;
    where += " AND " + std::string(condition);
    params.push_back({condition.substr(condition.find(':') + 1), Epoch(**bound)});
  }
  if (q.overdue_only) {
    where += " AND " + std::string(sql::kStatsOverdue);
    params.push_back({"now", Epoch(impl_->clock.Now())});
  }
  if (!q.queue.empty()) {
    TINHSO_ASSIGN_OR_RETURN(
        std::string condition,
        QueueCondition(q.queue, actor.agency_id, impl_->clock.Now(), impl_->calendar,
                       impl_->catalog, names, params, "queue_"));
    where += " AND " + condition;
  }
  if (!q.q.empty()) {
    // The text's own '%' and '_' match themselves, not any text or character.
    where += R"( AND (d.code LIKE :q_code ESCAPE '\' OR d.applicant_name LIKE :q_name ESCAPE '\'))";
    params.push_back({"q_code", storage::LikePrefix(q.q)});
    params.push_back({"q_name", storage::LikeContains(core::ToNfc(q.q))});
  }
  static const std::map<std::string, std::string, std::less<>> kSorts = {
      {"submitted_at", "d.submitted_at"},
      {"due_at", "d.due_at"},
      {"code", "d.code"},
      {"updated_at", "d.updated_at"},
      {"received_at", "d.received_at"}};
  std::string_view sort = q.sort;
  const bool desc = sort.starts_with('-');
  if (desc) sort.remove_prefix(1);
  auto it = kSorts.find(sort);
  if (it == kSorts.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số 'sort' không hợp lệ: chọn submitted_at, received_at, due_at, code "
                     "hoặc updated_at (thêm '-' để sắp giảm dần).",
                     "Query parameter 'sort' is invalid: use submitted_at, received_at, due_at, "
                     "code or updated_at ('-' in front for descending).");
  }
  const std::string order =
      " ORDER BY " + it->second + (desc ? " DESC" : " ASC") + ", d.id" + (desc ? " DESC" : "");

  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto count, tx->Query("SELECT COUNT(*)" + where, params));
  storage::Params page_params = params;
  page_params.push_back({"limit", static_cast<std::int64_t>(q.limit)});
  page_params.push_back({"offset", static_cast<std::int64_t>(q.offset)});
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, tx->Query(Cols() + where + order + " LIMIT :limit OFFSET :offset", page_params));
  Page page;
  page.total = count[0].Int(0);
  page.limit = q.limit;
  page.offset = q.offset;
  const core::Seconds now = impl_->clock.Now();
  for (const auto& r : rows) {
    Dossier d = internal::DecodeDossier(r);
    if (auto p = impl_->catalog.Find(d.procedure_code); p.ok()) d.procedure_name = (*p)->name;
    d.timeliness = Classify(d, now);
    page.items.push_back(std::move(d));
  }
  return page;
}

namespace {

Error LookupFailed() {
  return MakeError(ErrorCode::kNotFound, "dossier.lookup_failed",
                   "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.",
                   "No dossier matches this dossier code and lookup code.");
}

bool LookupArgumentsFit(std::string_view code, std::string_view secret) {
  return !code.empty() && code.size() <= 64 && !secret.empty() && secret.size() <= 32;
}

// A reference in its one spelling ("hs12" → "HS000012"); a code as given.
std::string CanonicalLookupKey(std::string_view code) {
  const auto id = ParseReference(code);
  return id ? Reference(*id) : std::string(code);
}

// The lookup's statement: by the reference held from submission, or by the code.
std::pair<std::string_view, storage::Params> LookupStatement(std::string_view code) {
  if (auto id = ParseReference(code)) return {sql::kLookupById, {{"id", *id}}};
  return {sql::kLookup, {{"code", std::string(code)}}};
}

// The public timeline of a dossier written before public_timeline existed, from kPublicEvents.
std::string EventsJson(const storage::Rows& events) {
  std::string json = "[";
  for (const auto& e : events) {
    if (json.size() > 1) json += ',';
    json += internal::PublicEventJson(e.Int(0), e.Time(1), e.Text(2), e.Text(3), e.Text(4),
                                      static_cast<Status>(e.Int(5)));
  }
  return json + ']';
}

}  // namespace

std::string Service::Subject(const Dossier& d) const {
  auto proc = impl_->catalog.Find(d.procedure_code);
  if (!proc.ok()) return "";
  auto form = json::ParseObject(d.form_json);
  if (!form.ok()) return "";
  for (const catalog::FormField& field : (*proc)->form) {
    const bool names = field.name.starts_with("ten_") || field.name.ends_with("_ho_ten");
    if (field.type != "text" || !names || field.name.starts_with("nguoi_yeu_cau")) continue;
    const boost::json::value* v = form->if_contains(field.name);
    if (v != nullptr && v->is_string() && !v->as_string().empty()) {
      return std::string(v->as_string());
    }
  }
  return "";
}

Result<PublicView> Service::LookupView(const storage::Rows& rows, std::string_view secret) const {
  std::string given(secret);
  for (char& c : given) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // Compare against a dummy when the code is unknown, so both failures take the same time.
  const std::string stored = rows.empty() ? std::string("--------") : rows[0].Text(11);
  if (!core::ConstantTimeEquals(stored, given) || rows.empty()) return LookupFailed();
  const storage::Row& r = rows[0];

  PublicView view;
  if (!r.IsNull(12)) view.events_json = "[" + r.Text(12) + "]";
  Dossier& d = view.dossier;
  d.id = r.Int(0);
  d.code = r.Text(1);
  d.procedure_code = r.Text(2);
  d.status = static_cast<Status>(r.Int(3));
  d.applicant.name = r.Text(4);
  d.received_at = r.OptionalTime(5);
  d.due_at = r.OptionalTime(6);
  d.original_due_at = r.OptionalTime(7);
  d.finished_at = r.OptionalTime(8);
  d.returned_at = r.OptionalTime(9);
  d.supplement_count = static_cast<int>(r.Int(10));
  if (auto p = impl_->catalog.Find(d.procedure_code); p.ok()) d.procedure_name = (*p)->name;
  d.timeliness = Classify(d, impl_->clock.Now());
  return view;
}

Result<PublicView> Service::Lookup(std::string_view given_code, std::string_view secret,
                                   std::string_view client) const {
  // One spelling per dossier, so that "hs12" and "HS000012" count as the same code's failures.
  const std::string canonical = CanonicalLookupKey(given_code);
  const std::string_view code = canonical;
  TINHSO_RETURN_IF_ERROR(impl_->lookup_throttle.Check(client, code));
  if (!LookupArgumentsFit(code, secret)) {
    impl_->lookup_throttle.Failed(client, code);
    return LookupFailed();
  }
  // One statement reads the dossier and its timeline (two for old dossiers, whose events may
  // then be read a moment later than the row: harmless for a public status page).
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kSingleRead));
  const auto [statement, params] = LookupStatement(code);
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(statement, params));
  Result<PublicView> found = LookupView(rows, secret);
  if (!found.ok()) {
    impl_->lookup_throttle.Failed(client, code);
    return std::move(found).error();
  }
  PublicView view = std::move(*found);
  if (view.events_json.empty()) {
    TINHSO_ASSIGN_OR_RETURN(auto events,
                            tx->Query(sql::kPublicEvents, {{"dossier_id", view.dossier.id}}));
    view.events_json = EventsJson(events);
  }
  return view;
}

void Service::LookupAsync(std::string_view given_code, std::string_view secret,
                          std::string_view client,
                          std::function<void(Result<PublicView>)> done) const {
  const std::string canonical = CanonicalLookupKey(given_code);
  const std::string_view code = canonical;
  if (auto allowed = impl_->lookup_throttle.Check(client, code); !allowed.ok()) {
    return done(allowed.error());
  }
  if (!LookupArgumentsFit(code, secret)) {
    impl_->lookup_throttle.Failed(client, code);
    return done(LookupFailed());
  }
  auto [statement, params] = LookupStatement(code);
  impl_->db.ReadAsync(
      statement, std::move(params),
      [this, given = std::string(secret), who = std::string(client), asked = std::string(code),
       done = std::move(done)](Result<storage::Rows> rows) mutable {
        if (!rows.ok()) return done(std::move(rows).error());
        Result<PublicView> view = LookupView(*rows, given);
        if (!view.ok()) impl_->lookup_throttle.Failed(who, asked);
        if (!view.ok() || !view->events_json.empty()) return done(std::move(view));
        const std::int64_t id = view->dossier.id;
        impl_->db.ReadAsync(sql::kPublicEvents, {{"dossier_id", id}},
                            [view = std::move(*view),
                             done = std::move(done)](Result<storage::Rows> events) mutable {
                              if (!events.ok()) return done(std::move(events).error());
                              view.events_json = EventsJson(*events);
                              done(std::move(view));
                            });
      });
}

namespace {

// Local midnight of the first day of the month containing `t` (Vietnam time), and the same for
// the month after.
core::Seconds MonthStart(core::Seconds t, int months_later) {
  const std::chrono::year_month_day ymd{
      std::chrono::floor<std::chrono::days>(t + core::kVietnamOffset)};
  const std::chrono::year_month first =
      ymd.year() / ymd.month() + std::chrono::months(months_later);
  return core::Seconds(std::chrono::sys_days(first / 1).time_since_epoch()) - core::kVietnamOffset;
}

// "YYYY-MM" from a YYYYMM number or from a local day number (days since 1970-01-01).
std::string MonthKey(std::int64_t yyyymm) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld", static_cast<long long>(yyyymm / 100),
                static_cast<long long>(yyyymm % 100));
  return buf;
}
std::string MonthKeyOfDay(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days(day)}};
  return MonthKey(static_cast<int>(ymd.year()) * 100 +
                  static_cast<int>(static_cast<unsigned>(ymd.month())));
}

}  // namespace

Result<Stats> Service::Statistics(const StatsQuery& q, const core::Actor& actor) const {
  auto scope = impl_->policy.WidestScope(actor, "dossier.stats");
  if (!scope || *scope == auth::Scope::kSelf) {
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền thực hiện thao tác này.",
                     "You do not have permission to do this.");
  }
  if (q.to <= q.from) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Khoảng thời gian không hợp lệ: 'to' phải sau 'from'.",
                     "Invalid period: 'to' must be after 'from'.");
  }
  // Group expressions over dossiers (d) and over the monthly counters (m). Months of dossiers
  // are grouped by local day and folded into months below.
  struct Group {
    std::string_view dossiers;
    std::string_view monthly;
  };
  static const std::map<std::string, Group, std::less<>> kGroups = {
      {"agency", {"d.competent_agency_id", "m.agency_id"}},
      {"procedure", {"d.procedure_code", "m.procedure_code"}},
      {"channel", {"d.channel", "m.channel"}},
      {"month", {"CAST((d.received_at + 25200) / 86400 AS BIGINT)", "m.month"}},
      {"total", {"0", "0"}}};
  auto group = kGroups.find(q.group_by);
  if (group == kGroups.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số 'group_by' phải là agency, procedure, channel, month hoặc total.",
                     "Query parameter 'group_by' must be agency, procedure, channel, month or "
                     "total.");
  }
  // Which agencies: the actor's own or subtree scope, narrowed by the agency asked for.
  std::optional<std::int64_t> root = q.agency_id;
  std::string agency_filter_d, agency_filter_m;
  if (*scope == auth::Scope::kOwnAgency || *scope == auth::Scope::kSubtree) {
    if (root && !impl_->agencies.IsWithin(*root, actor.agency_id)) {
      return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                       "Bạn chỉ xem được số liệu của cơ quan mình.",
                       "You may only see your own agency's figures.");
    }
    if (!root) root = actor.agency_id;
  }
  if (root) {
    const std::string ids = *scope == auth::Scope::kOwnAgency
                                ? std::to_string(*root)
                                : IdList(impl_->agencies.Subtree(*root));
    agency_filter_d = " AND d.competent_agency_id IN (" + ids + ")";
    agency_filter_m = " AND m.agency_id IN (" + ids + ")";
  }
  std::string procedure_filter_d, procedure_filter_m;
  if (!q.procedure_code.empty()) {
    procedure_filter_d = " AND d.procedure_code = :procedure_code";
    procedure_filter_m = " AND m.procedure_code = :procedure_code";
  }
  auto spliced = [](std::string_view text, std::string_view group_sql, const std::string& more) {
    std::string out(text);
    out.replace(out.find("{group}"), 7, group_sql);
    return out + more + " GROUP BY k";
  };
  const core::Seconds now = impl_->clock.Now();
  auto params = [&](core::Seconds from, core::Seconds to) {
    storage::Params p = {{"from", Epoch(from)}, {"to", Epoch(to)}};
    if (!q.procedure_code.empty()) p.push_back({"procedure_code", q.procedure_code});
    return p;
  };

  // Whole months between the first month start at or after `from` and the last one at or
  // before `to` come from the counters; the edges from the dossiers.
  const core::Seconds first_full = MonthStart(q.from, 0) == q.from ? q.from : MonthStart(q.from, 1);
  const core::Seconds last_full = MonthStart(q.to, 0);
  std::vector<storage::Rows> parts;
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  const std::string edge_sql =
      spliced(sql::kStatsEdge, group->second.dossiers, agency_filter_d + procedure_filter_d);
  if (first_full < last_full) {
    storage::Params p = {{"month_from", std::int64_t{internal::LocalMonth(first_full)}},
                         {"month_to", std::int64_t{internal::LocalMonth(last_full)}}};
    if (!q.procedure_code.empty()) p.push_back({"procedure_code", q.procedure_code});
    TINHSO_ASSIGN_OR_RETURN(auto monthly,
                            tx->Query(spliced(sql::kStatsMonthly, group->second.monthly,
                                              agency_filter_m + procedure_filter_m),
                                      p));
    parts.push_back(std::move(monthly));
    for (auto [from, to] : {std::pair{q.from, first_full}, std::pair{last_full, q.to}}) {
      if (from >= to) continue;
      TINHSO_ASSIGN_OR_RETURN(auto edge, tx->Query(edge_sql, params(from, to)));
      parts.push_back(std::move(edge));
    }
  } else {
    TINHSO_ASSIGN_OR_RETURN(auto edge, tx->Query(edge_sql, params(q.from, q.to)));
    parts.push_back(std::move(edge));
  }
  storage::Params open_params = params(q.from, q.to);
  open_params.insert(open_params.begin(), {"now", Epoch(now)});
  TINHSO_ASSIGN_OR_RETURN(auto open, tx->Query(spliced(sql::kStatsOpen, group->second.dossiers,
                                                       agency_filter_d + procedure_filter_d),
                                               open_params));
  parts.push_back(std::move(open));

  std::map<std::string, StatsRow> grouped;
  auto add = [](StatsRow& into, const storage::Row& r) {
    into.received += r.Int(1);
    into.in_progress += r.Int(2);
    into.done_early += r.Int(3);
    into.done_on_time += r.Int(4);
    into.done_late += r.Int(5);
    into.overdue += r.Int(6);
    into.online += r.Int(7);
    into.paid_online += r.Int(8);
  };
  Stats stats;
  for (std::size_t part = 0; part < parts.size(); ++part) {
    const bool from_counters = first_full < last_full && part == 0;
    for (const auto& r : parts[part]) {
      std::string key = r.Text(0);
      if (q.group_by == "month") key = from_counters ? MonthKey(r.Int(0)) : MonthKeyOfDay(r.Int(0));
      StatsRow& row = grouped[key];
      if (row.key.empty()) {
        row.key = key;
        row.label = key;
        if (q.group_by == "agency") {
          if (auto a = impl_->agencies.Get(r.Int(0)); a.ok()) row.label = a->name;
        } else if (q.group_by == "procedure") {
          if (auto p = impl_->catalog.Find(key); p.ok()) row.label = (*p)->name;
        } else if (q.group_by == "channel") {
          row.label = std::string(ChannelKey(static_cast<Channel>(r.Int(0))));
        }
      }
      add(row, r);
      add(stats.total, r);
    }
  }
  for (auto& [key, row] : grouped) {
    FinishStatsRow(row);
    stats.rows.push_back(std::move(row));
  }
  stats.total.key = "total";
  stats.total.label = "Tổng cộng";
  FinishStatsRow(stats.total);
  return stats;
}

void FinishStatsRow(StatsRow& row) {
  row.done = row.done_early + row.done_on_time + row.done_late;
  row.undue = row.in_progress - row.overdue;
  row.closed = row.received - row.done - row.in_progress;
  // A dossier withdrawn after reception has neither a result nor a deadline: it counts in
  // what was received but in neither side of the on-time rate.
  const std::int64_t judged = row.done + row.in_progress;
  row.on_time_ratio =
      judged == 0 ? 0 : static_cast<double>(row.done_early + row.done_on_time + row.undue) / judged;
  row.online_share = row.received == 0 ? 0 : static_cast<double>(row.online) / row.received;
}

const std::vector<StatsDefinition>& StatsDefinitions() {
  static const std::vector<StatsDefinition> kDefinitions = {
      {"received", "Tiếp nhận", "Received",
       "Hồ sơ được tiếp nhận trong kỳ (theo ngày tiếp nhận), tại cơ quan có thẩm quyền và các "
       "đơn vị trực thuộc. Bằng đã giải quyết + đang giải quyết + đã rút.",
       "Dossiers received in the period (by reception date) for the competent agency and the "
       "units under it. Equals finished + in progress + withdrawn."},
      {"done", "Đã giải quyết", "Finished",
       "Hồ sơ tiếp nhận trong kỳ đã kết thúc xử lý (có kết quả hoặc dừng xử lý): trước hạn + "
       "đúng hạn + trễ hạn.",
       "Dossiers received in the period whose processing has ended (with a result, or "
       "stopped): early + on time + late."},
      {"in_progress", "Đang giải quyết", "In progress",
       "Hồ sơ tiếp nhận trong kỳ chưa có kết quả (kể cả đang chờ bổ sung hay nộp phí): trong "
       "hạn + quá hạn.",
       "Dossiers received in the period with no result yet (including those waiting for "
       "documents or fees): not yet due + overdue."},
      {"overdue", "Quá hạn", "Overdue",
       "Hồ sơ đang giải quyết đã quá ngày hẹn trả, hoặc đã phải bổ sung từ lần thứ hai.",
       "Dossiers in progress past their appointment date, or asked to supplement a second "
       "time."},
      {"closed", "Đã rút", "Withdrawn",
       "Hồ sơ người nộp rút lại sau khi tiếp nhận: không có kết quả, không tính vào tỷ lệ "
       "đúng hạn.",
       "Dossiers the applicant withdrew after reception: no result, left out of the on-time "
       "rate."},
      {"on_time_ratio", "Tỷ lệ đúng hạn", "On-time rate",
       "(Trước hạn + đúng hạn + đang giải quyết trong hạn) ÷ (đã giải quyết + đang giải "
       "quyết), theo Quyết định 766/QĐ-TTg.",
       "(Early + on time + in progress not yet due) ÷ (finished + in progress), as in "
       "Decision 766/QĐ-TTg."},
      {"online_share", "Tỷ lệ trực tuyến", "Online share",
       "Hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận.", "Dossiers submitted online ÷ dossiers received."},
  };
  return kDefinitions;
}

}  // namespace tinhso::dossiers
