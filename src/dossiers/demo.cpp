// `tinhso demo load --dossiers N`: a year of realistic dossiers, written in large batches.
// Codes follow the same per-agency daily sequences as live reception (the table is brought up
// to date at the end of each batch), so live dossiers accepted later continue without a gap.
#include <deque>
#include <map>
#include <random>
#include <tuple>

#include "audit/audit.hpp"
#include "core/crypto.hpp"
#include "dossiers/deadline.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"

namespace tinhso::dossiers {
namespace {

constexpr std::string_view kSecretAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr int kBatch = 5000;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

storage::Value TimeValue(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return Epoch(*t);
}

const char* const kFamily[] = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng",     "Vũ", "Đặng",
                               "Bùi",    "Đỗ",   "Hồ",    "Ngô",  "Dương",     "Lý", "Ma",
                               "Nông",   "Hà",   "Triệu", "Lục",  "Hoàng Thị", "Đàm"};
const char* const kMiddle[] = {"Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Hồng"};
const char* const kGiven[] = {"An",   "Bình", "Cường", "Dũng", "Giang", "Hà",    "Hải",  "Hạnh",
                              "Hùng", "Lan",  "Linh",  "Mai",  "Nam",   "Nhung", "Phúc", "Quân",
                              "Sơn",  "Thảo", "Trang", "Tuấn", "Vân",   "Yến"};

struct ProcedurePlan {
  const catalog::Procedure* proc = nullptr;
  std::vector<std::int64_t> competent;  // candidates (communes) or the one department
  bool commune_level = false;
  // The agency of each step whose agency is the same for every dossier (a department, the
  // provincial committee); 0 for those that depend on the dossier (receiving, competent, commune).
  std::vector<std::int64_t> fixed_step_agency;
};

// A valid 12-digit CCCD: province 006 (Bắc Kạn) or 019 (Thái Nguyên), century-sex digit,
// birth year, six random digits.
std::string RandomCccd(std::mt19937_64& rng) {
  static const char* kProvinces[] = {"006", "019"};
  std::uniform_int_distribution<int> year(1950, 2007), sex(0, 1), digit(0, 9), prov(0, 1);
  const int y = year(rng);
  std::string s = kProvinces[prov(rng)];
  s += static_cast<char>('0' + (y >= 2000 ? 2 : 0) + sex(rng));
  s += std::to_string(y % 100 + 100).substr(1);
  for (int i = 0; i < 6; ++i) s += static_cast<char>('0' + digit(rng));
  return s;
}

// One generated dossier and its timeline, before its id is known.
struct Pending {
  storage::Params dossier;  // names are the dossiers columns
  std::string code;
  std::vector<storage::Params> events;  // names are the dossier_events columns
};

// Writes the rows as multi-row INSERTs: a round trip per few hundred rows instead of per row,
// which is what makes a million dossiers take minutes on PostgreSQL.
Result<void> InsertRows(storage::Transaction& tx, std::string_view table,
                        const std::vector<const storage::Params*>& rows, std::string_view returning,
                        storage::Rows* out) {
  if (rows.empty()) return Ok();
  std::deque<std::string> names;  // the Params hold views of these
  storage::Params params;
  std::vector<std::string_view> columns;
  for (const auto& p : *rows.front()) columns.push_back(p.name);
  std::vector<std::vector<std::string_view>> placeholders;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string_view> row;
    for (const auto& p : *rows[r]) {
      names.push_back(std::string(p.name) + "_" + std::to_string(r));
      params.push_back({names.back(), p.value});
      row.push_back(names.back());
    }
    placeholders.push_back(std::move(row));
  }
  const std::string text = sql::MultiRowInsert(table, columns, placeholders, returning);
  if (out == nullptr) {
    TINHSO_RETURN_IF_ERROR(tx.Execute(text, params));
    return Ok();
  }
  TINHSO_ASSIGN_OR_RETURN(*out, tx.Query(text, params));
  return Ok();
}

Result<void> Flush(storage::Transaction& tx, storage::Backend backend,
                   std::vector<Pending>& pending) {
  // PostgreSQL pays a network round trip per statement, so rows go a few hundred at a time
  // (40 columns × 200 = 8,000 parameters). SQLite pays none, and parses a statement of
  // thousands of named parameters in quadratic time: one row per statement is fastest there.
  const bool remote = backend == storage::Backend::kPostgres;
  const std::size_t kDossiersPerStatement = remote ? 200 : 1;
  const std::size_t kEventsPerStatement = remote ? 500 : 1;
  std::map<std::string, std::int64_t, std::less<>> ids;
  for (std::size_t from = 0; from < pending.size(); from += kDossiersPerStatement) {
    std::vector<const storage::Params*> rows;
    for (std::size_t i = from; i < std::min(pending.size(), from + kDossiersPerStatement); ++i) {
      rows.push_back(&pending[i].dossier);
    }
    storage::Rows returned;
    TINHSO_RETURN_IF_ERROR(InsertRows(tx, "dossiers", rows, "id, code", &returned));
    for (const auto& r : returned) ids[r.Text(1)] = r.Int(0);
  }
  std::vector<const storage::Params*> events;
  for (Pending& p : pending) {
    const std::int64_t id = ids[p.code];
    for (auto& e : p.events) {
      e[0].value = id;  // dossier_id is the first column
      events.push_back(&e);
      if (events.size() == kEventsPerStatement) {
        TINHSO_RETURN_IF_ERROR(InsertRows(tx, "dossier_events", events, "", nullptr));
        events.clear();
      }
    }
  }
  TINHSO_RETURN_IF_ERROR(InsertRows(tx, "dossier_events", events, "", nullptr));
  pending.clear();
  return Ok();
}

}  // namespace

Result<DemoLoadStats> LoadDemo(storage::Database& db, agencies::Service& agencies,
                               catalog::Service& catalog, const calendar::WorkingCalendar& cal,
                               core::Seconds now, std::int64_t count, std::uint64_t seed,
                               const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  DemoLoadStats stats;
  if (count <= 0) return stats;

  // The current commune-level agencies and the service centre.
  std::vector<agencies::Agency> communes;
  std::int64_t centre = 0;
  std::int64_t province = 0;
  for (int offset = 0;; offset += 500) {
    agencies::ListQuery q;
    q.limit = 500;
    q.offset = offset;
    TINHSO_ASSIGN_OR_RETURN(auto page, agencies.List(q));
    for (auto& a : page.items) {
      if (a.kind == "commune_pc" || a.kind == "ward_pc" || a.kind == "township_pc") {
        communes.push_back(a);
      }
      if (a.kind == "service_center" && centre == 0) centre = a.id;
      if (a.kind == "province_pc" && province == 0) province = a.id;
    }
    if (static_cast<int>(page.items.size()) < q.limit) break;
  }
  if (communes.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "dossier.demo_no_agencies",
                     "Chưa có xã, phường nào: hãy nạp danh mục cơ quan mẫu trước.",
                     "There are no communes: load the demo agencies first.");
  }
  const std::vector<catalog::Procedure> procedures = catalog.List();
  std::vector<ProcedurePlan> plans;
  auto department = [&](const std::string& sector_code) -> std::int64_t {
    auto sector = catalog.GetSector(sector_code);
    if (!sector.ok()) return 0;
    auto r = agencies.Resolve(sector->agency_code);
    return r.ok() ? r->agency.id : 0;
  };
  for (const auto& p : procedures) {
    if (!p.active || p.steps.empty()) continue;
    ProcedurePlan plan{&p, {}, p.competent.kind == "commune", {}};
    if (plan.commune_level) {
      for (const auto& c : communes) plan.competent.push_back(c.id);
    } else if (p.competent.kind == "department") {
      const std::int64_t id = department(p.competent.sector);
      if (id == 0) continue;
      plan.competent.push_back(id);
    } else {
      continue;
    }
    bool routable = true;
    for (const catalog::Step& step : p.steps) {
      std::int64_t fixed = 0;
      if (step.agency.kind == "department") fixed = department(step.agency.sector);
      if (step.agency.kind == "province_pc") fixed = province;
      const bool per_dossier = step.agency.kind == "receiving" || step.agency.kind == "competent" ||
                               step.agency.kind == "commune";
      routable = routable && (per_dossier || fixed != 0);
      plan.fixed_step_agency.push_back(fixed);
    }
    if (routable) plans.push_back(std::move(plan));
  }
  if (plans.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "dossier.demo_no_procedures",
                     "Chưa có thủ tục nào định tuyến được: hãy nạp danh mục thủ tục trước.",
                     "No routable procedures: import the procedure catalog first.");
  }
  std::map<std::int64_t, std::string> code_of, name_of;
  for (const auto& c : communes) {
    code_of[c.id] = c.code_qcvn.value_or(c.code);
    name_of[c.id] = c.name;
  }
  auto remember = [&](std::int64_t id) {
    auto a = agencies.Get(id);
    code_of[id] = a.ok() ? a->code_qcvn.value_or(a->code) : std::to_string(id);
    name_of[id] = a.ok() ? a->name : "";
  };
  auto code_for = [&](std::int64_t id) -> const std::string& {
    if (!code_of.contains(id)) remember(id);
    return code_of[id];
  };
  auto name_for = [&](std::int64_t id) -> const std::string& {
    if (!name_of.contains(id)) remember(id);
    return name_of[id];
  };

  // Existing sequences, so that codes continue them.
  std::map<std::pair<std::int64_t, int>, std::int64_t> sequences;
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kAllSequences));
    for (const auto& r : rows) sequences[{r.Int(0), static_cast<int>(r.Int(1))}] = r.Int(2);
  }

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto year_ago = now - std::chrono::days(365);
  core::Actor system = core::SystemActor();
  system.full_name = "Dữ liệu mẫu";

  for (std::int64_t done = 0; done < count;) {
    const std::int64_t n = std::min<std::int64_t>(kBatch, count - done);
    std::map<std::pair<std::int64_t, int>, std::int64_t> touched;
    std::int64_t inserted = 0;
    auto batch =
        storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<std::int64_t> {
          std::int64_t events = 0;
          inserted = 0;
          std::vector<Pending> pending;
          pending.reserve(static_cast<std::size_t>(n));
          std::map<std::tuple<int, std::int64_t, std::string, int>, internal::MonthlyDelta> monthly;
          touched.clear();
          auto local_sequences = sequences;
          for (std::int64_t i = 0; i < n; ++i) {
            const ProcedurePlan& plan = plans[rng() % plans.size()];
            const catalog::Procedure& proc = *plan.proc;
            const std::int64_t competent = plan.competent[rng() % plan.competent.size()];
            const std::int64_t receiving = plan.commune_level || centre == 0 ? competent : centre;
            // The applicant's commune, wherever the workflow needs one (the competent agency, or
            // a step that asks the commune): without it no later step could be routed.
            const std::int64_t locality = plan.commune_level ? competent
                                          : proc.NeedsCommune()
                                              ? communes[rng() % communes.size()].id
                                              : 0;
            const bool online = unit(rng) < 0.55;
            // Submitted at a random moment of the past year; counter dossiers in office hours.
            // A draw received after `now` is drawn again, so that exactly `count` are added.
            core::Seconds submitted, received;
            do {
              submitted = year_ago + std::chrono::seconds(
                                         static_cast<std::int64_t>(unit(rng) * 365.0 * 86400.0));
              if (!online) submitted = cal.AddWorkingHours(submitted, std::chrono::minutes(1));
              received =
                  online ? cal.AddWorkingHours(submitted, std::chrono::minutes(30 + rng() % 600))
                         : submitted;
            } while (received >= now);
            const core::Seconds due = Appointment(cal, received, proc.processing_time);
            const auto total = cal.WorkingTimeBetween(received, due);

            // Outcome: most finished early or on time, some late, a few stopped or withdrawn.
            int status = 10;
            std::optional<core::Seconds> finished, returned, paused;
            int supplements = 0;
            const double roll = unit(rng);
            const auto at_fraction = [&](double f) {
              return cal.AddWorkingHours(
                  received, std::chrono::minutes(static_cast<std::int64_t>(
                                std::max<double>(1.0, static_cast<double>(total.count()) * f))));
            };
            core::Seconds planned_finish = at_fraction(0.3 + 0.65 * unit(rng));
            if (roll > 0.86) planned_finish = at_fraction(1.05 + 0.5 * unit(rng));  // late
            if (roll > 0.97) supplements = 1;
            if (planned_finish >= now) {
              // Still in progress: some waiting for papers or for the fee.
              const double r2 = unit(rng);
              status = r2 < 0.08 ? 5 : (r2 < 0.12 && proc.TotalFee() > 0 ? 6 : 4);
              if (status == 5) supplements = std::max(supplements, 1);
              if (status == 5 || status == 6) paused = now - std::chrono::hours(1 + rng() % 48);
            } else {
              finished = planned_finish;
              const double r3 = unit(rng);
              if (r3 < 0.01) {
                status = 7;  // withdrawn
                finished.reset();
              } else if (r3 < 0.025) {
                status = 8;  // stopped
              } else {
                const auto back = cal.AddWorkingHours(*finished, std::chrono::minutes(rng() % 960));
                if (back < now) {
                  returned = back;
                  status = 10;
                } else {
                  status = 9;
                }
              }
            }
            std::string outcome;
            if (finished) {
              outcome = std::string(
                  TimelinessKey(ClassifyTimeliness(cal, {due, finished, supplements, false}, now)));
            }
            const std::chrono::year_month_day ymd = cal.LocalDate(received);
            const int day = (static_cast<int>(ymd.year()) % 100) * 10000 +
                            static_cast<int>(static_cast<unsigned>(ymd.month())) * 100 +
                            static_cast<int>(static_cast<unsigned>(ymd.day()));
            const std::int64_t seq = ++local_sequences[{receiving, day}];
            touched[{receiving, day}] = seq;
            char suffix[32];
            std::snprintf(suffix, sizeof suffix, "-%06d-%04lld", day, static_cast<long long>(seq));
            const std::string code = code_for(receiving) + suffix;
            const std::string name = std::string(kFamily[rng() % std::size(kFamily)]) + " " +
                                     kMiddle[rng() % std::size(kMiddle)] + " " +
                                     kGiven[rng() % std::size(kGiven)];
            const int step_count = static_cast<int>(proc.steps.size());
            int step_index = std::min(step_count - 1, 1);
            if (status == 9 || status == 10) step_index = step_count - 1;
            if (status == 4 && step_count > 2)
              step_index = 1 + static_cast<int>(rng() % (step_count - 2));
            // Who holds it: the agency of the step it is at (resolved, returned: reception).
            const auto step_agency = [&](int index) -> std::int64_t {
              const auto at = static_cast<std::size_t>(index);
              const std::string& kind = proc.steps[at].agency.kind;
              if (kind == "receiving") return receiving;
              if (kind == "competent") return competent;
              if (kind == "commune") return locality;
              return plan.fixed_step_agency[at];
            };
            const std::int64_t current =
                (status == 9 || status == 10) ? receiving : step_agency(step_index);
            const bool paid_online =
                proc.TotalFee() > 0 && online && status >= 9 && unit(rng) < 0.7;
            std::optional<int> rating;
            if (status == 10 && unit(rng) < 0.4) rating = unit(rng) < 0.9 ? 3 : 2;
            const core::Seconds updated = returned ? *returned : finished ? *finished : received;
            pending.push_back(Pending{
                {{"code", code},
                 {"lookup_secret", core::RandomString(11, kSecretAlphabet)},
                 {"procedure_code", proc.code},
                 {"procedure_version", proc.version},
                 {"channel", std::int64_t{online ? 2 : 1}},
                 {"status", std::int64_t{status}},
                 {"applicant_kind", std::int64_t{1}},
                 {"applicant_name", name},
                 {"applicant_id_number", RandomCccd(rng)},
                 {"applicant_phone", "09" + std::to_string(10000000 + rng() % 89999999)},
                 {"receiving_agency_id", receiving},
                 {"competent_agency_id", competent},
                 {"current_agency_id", current},
                 {"locality_agency_id",
                  locality != 0 ? storage::Value(locality) : storage::Value(nullptr)},
                 {"step_index", std::int64_t{step_index}},
                 {"step_code", proc.steps[static_cast<std::size_t>(step_index)].code},
                 {"step_started_at", Epoch(received)},
                 {"step_due_at", Epoch(due)},
                 {"summary", proc.name + " - " + name},
                 {"submitted_at", Epoch(std::min(submitted, received))},
                 {"received_at", Epoch(received)},
                 {"due_at", Epoch(due)},
                 {"original_due_at", Epoch(due)},
                 {"finished_at", TimeValue(finished)},
                 {"returned_at", TimeValue(returned)},
                 {"paused_at", TimeValue(paused)},
                 {"supplement_count", std::int64_t{supplements}},
                 {"fee_total", proc.TotalFee()},
                 {"paid_online", std::int64_t{paid_online ? 1 : 0}},
                 {"rating",
                  rating ? storage::Value(std::int64_t{*rating}) : storage::Value(nullptr)},
                 {"return_method", returned ? storage::Value(online ? "online" : "counter")
                                            : storage::Value(nullptr)},
                 {"outcome", outcome.empty() ? storage::Value(nullptr) : storage::Value(outcome)},
                 {"updated_at", Epoch(updated)},
                 {"applicant_email", ""},
                 {"applicant_address", ""},
                 {"form", "{}"},
                 {"version", std::int64_t{1}}},
                code,
                {}});
            ++inserted;
            auto& delta =
                monthly[{internal::LocalMonth(received), competent, proc.code, online ? 2 : 1}];
            delta.received += 1;
            delta.early += outcome == "early";
            delta.on_time += outcome == "on_time";
            delta.late += outcome == "late";
            delta.paid_online += paid_online;
            // The timeline: submission, acceptance, then the end of processing and the return.
            struct E {
              const char* action;
              const char* content;
              int status;
              core::Seconds at;
            };
            std::vector<E> timeline = {
                {"submit", online ? "Nộp hồ sơ trực tuyến." : "Nộp hồ sơ tại bộ phận một cửa.", 1,
                 std::min(submitted, received)},
                {"accept", "Tiếp nhận hồ sơ.", 2, received}};
            if (finished && status != 8) {
              timeline.push_back({"issue_result", "Đã giải quyết xong.", 9, *finished});
            }
            if (status == 8) timeline.push_back({"stop", "Dừng xử lý hồ sơ.", 8, *finished});
            if (returned) timeline.push_back({"return", "Trả kết quả.", 10, *returned});
            if (status == 7) timeline.push_back({"withdraw", "Người nộp rút hồ sơ.", 7, received});
            std::int64_t seq_no = 0;
            std::string shown;  // the public timeline (dossiers.public_timeline)
            for (const E& e : timeline) {
              if (!shown.empty()) shown += ',';
              shown += internal::PublicEventJson(seq_no + 1, e.at, e.action, name_for(receiving),
                                                 e.content, static_cast<Status>(e.status));
              pending.back().events.push_back(
                  storage::Params{{"dossier_id", std::int64_t{0}},
                                  {"seq", ++seq_no},
                                  {"at", Epoch(e.at)},
                                  {"action", e.action},
                                  {"actor_id", std::int64_t{0}},
                                  {"actor_name", system.full_name},
                                  {"actor_position", ""},
                                  {"agency_id", receiving},
                                  {"content", e.content},
                                  {"status", std::int64_t{e.status}},
                                  {"step_code", proc.steps.front().code},
                                  {"step_started_at", nullptr},
                                  {"step_due_at", nullptr},
                                  {"data", "{}"}});
              ++events;
            }
            pending.back().dossier.push_back({"public_timeline", std::move(shown)});
          }
          TINHSO_RETURN_IF_ERROR(Flush(tx, db.backend(), pending));
          for (const auto& [key, delta] : monthly) {
            TINHSO_RETURN_IF_ERROR(
                tx.Execute(sql::kBumpMonthly, {{"month", std::int64_t{std::get<0>(key)}},
                                               {"agency_id", std::get<1>(key)},
                                               {"procedure_code", std::get<2>(key)},
                                               {"channel", std::int64_t{std::get<3>(key)}},
                                               {"received", delta.received},
                                               {"done_early", delta.early},
                                               {"done_on_time", delta.on_time},
                                               {"done_late", delta.late},
                                               {"paid_online", delta.paid_online}}));
          }
          for (const auto& [key, value] : touched) {
            TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kSetSequence, {{"agency_id", key.first},
                                                                  {"day", std::int64_t{key.second}},
                                                                  {"last_value", value}}));
          }
          if (done + n >= count) {
            TINHSO_RETURN_IF_ERROR(audit::Append(tx, system,
                                                 {"dossier.demo_load", "dossier", "*",
                                                  "{\"dossiers\":" + std::to_string(count) +
                                                      ",\"seed\":" + std::to_string(seed) + "}"},
                                                 now));
          }
          return events;
        });
    if (!batch.ok()) return std::move(batch).error();
    for (const auto& [key, value] : touched) sequences[key] = value;
    stats.events += *batch;
    done += n;
    stats.dossiers += inserted;
    if (progress) progress(done, count);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace tinhso::dossiers
