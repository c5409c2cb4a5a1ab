// The dossiers' side of the national databases (issue 17): the applicant's identity as the
// population database found it, checked again while it could not be, and the cases handed to
// another system to register (the civil registry), polled by the application. The dossiers know
// no gateway and no national database: the application gives them an IdentityChecker and
// reads and records the cases' progress through the methods here.
#include <algorithm>
#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "core/json.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"

namespace tinhso::dossiers {
namespace {

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

// After a check that got no answer: 5 minutes, doubled each time, at most a day.
core::Seconds NextIdentityTry(core::Seconds now, std::int64_t attempts) {
  std::int64_t minutes = 5;
  for (std::int64_t i = 0; i < attempts && minutes < 24 * 60; ++i) minutes *= 2;
  return now + std::chrono::minutes(std::min<std::int64_t>(minutes, 24 * 60));
}

ExternalCase DecodeCase(const storage::Row& r) {
  ExternalCase c;
  c.dossier_id = r.Int(0);
  c.system = r.Text(1);
  c.kind = r.Text(2);
  c.unit_code = r.Text(3);
  c.case_code = r.Text(4);
  c.status = static_cast<int>(r.Int(5));
  c.note = r.Text(6);
  c.final = r.Int(7) != 0;
  c.polls = static_cast<int>(r.Int(8));
  c.last_error = r.Text(9);
  c.next_poll_at = r.Time(10);
  return c;
}

}  // namespace

std::string_view IdentityStatusKey(IdentityStatus s) {
  switch (s) {
    case IdentityStatus::kNone:
      return "";
    case IdentityStatus::kMatches:
      return "matches";
    case IdentityStatus::kDiffers:
      return "differs";
    case IdentityStatus::kNotFound:
      return "not_found";
    case IdentityStatus::kUnchecked:
      return "unchecked";
  }
  return "";
}

std::optional<IdentityStatus> ParseIdentityStatus(std::string_view key) {
  for (IdentityStatus s :
       {IdentityStatus::kNone, IdentityStatus::kMatches, IdentityStatus::kDiffers,
        IdentityStatus::kNotFound, IdentityStatus::kUnchecked}) {
    if (IdentityStatusKey(s) == key) return s;
  }
  return std::nullopt;
}

namespace internal {

std::vector<FieldProblem> IdentityProblems(const IdentityResult& r) {
  std::vector<FieldProblem> out;
  if (r.status == IdentityStatus::kNotFound) {
    out.push_back({"applicant.id_number",
                   "Số định danh cá nhân không có trong Cơ sở dữ liệu quốc gia về dân cư",
                   "This personal identification number is not in the national population "
                   "database"});
  } else if (r.status == IdentityStatus::kDiffers) {
    for (const std::string& f : r.differing) {
      if (f == "name") {
        out.push_back({"applicant.name", "Họ tên không khớp với Cơ sở dữ liệu quốc gia về dân cư",
                       "The full name does not match the national population database"});
      } else if (f == "birth_date") {
        out.push_back({"applicant.birth_date",
                       "Ngày sinh không khớp với Cơ sở dữ liệu quốc gia về dân cư",
                       "The date of birth does not match the national population database"});
      }
    }
    if (out.empty()) {  // differs, the database did not say in what
      out.push_back({"applicant.name",
                     "Thông tin nhân thân không khớp với Cơ sở dữ liệu quốc gia về dân cư",
                     "The identity does not match the national population database"});
    }
  }
  return out;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::vector<std::string> SplitFields(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace internal

void Service::SetIdentityChecker(IdentityChecker checker) {
  impl_->identity_checker = std::move(checker);
}

Result<int> Service::RecheckIdentities(core::Seconds now, int limit) {
  if (!impl_->identity_checker) return 0;
  TINHSO_ASSIGN_OR_RETURN(
      auto due, storage::WithTransaction(
                    impl_->db,
                    [&](storage::Transaction& tx) {
                      return tx.Query(sql::kIdentityDue,
                                      {{"now", Epoch(now)}, {"limit", std::int64_t{limit}}});
                    },
                    storage::TxKind::kReadOnly));
  int asked = 0;
  for (const storage::Row& row : due) {
    const std::int64_t id = row.Int(0);
    const std::int64_t attempts = row.Int(4);
    // The network call outside any transaction: a slow database holds no connection.
    IdentityResult r = impl_->identity_checker({.id_number = row.Text(1),
                                                .name = row.Text(2),
                                                .birth_date = row.Text(3),
                                                .asked_by = "system"});
    ++asked;
    const bool still = r.status == IdentityStatus::kUnchecked;
    auto recorded =
        storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<void> {
          TINHSO_ASSIGN_OR_RETURN(
              std::int64_t changed,
              tx.Execute(sql::kRecordIdentity,
                         {{"identity_check", std::string(IdentityStatusKey(r.status))},
                          {"identity_differing", internal::JoinFields(r.differing)},
                          {"identity_checked_at", Epoch(now)},
                          {"identity_error", still ? r.error : std::string()},
                          {"identity_next_check_at",
                           still ? storage::Value(Epoch(NextIdentityTry(now, attempts + 1)))
                                 : storage::Value(nullptr)},
                          {"id", id}}));
          if (changed != 1) return Ok();  // another process recorded it first
          boost::json::object data{{"identity", IdentityStatusKey(r.status)},
                                   {"differing", internal::JoinFields(r.differing)},
                                   {"code", row.Text(5)}};
          if (still) data["error"] = r.error;
          TINHSO_RETURN_IF_ERROR(audit::Append(
              tx, core::SystemActor(),
              {"dossier.identity_check", "dossier", std::to_string(id), json::Serialize(data)},
              now));
          return Ok();
        });
    if (!recorded.ok()) return std::move(recorded).error();
  }
  return asked;
}

Result<void> Service::TrackExternal(storage::Transaction& tx, const ExternalCase& c,
                                    core::Seconds now) {
  TINHSO_RETURN_IF_ERROR(
      tx.Execute(sql::kTrackExternal, {{"dossier_id", c.dossier_id},
                                       {"system", c.system},
                                       {"kind", c.kind},
                                       {"unit_code", c.unit_code},
                                       {"case_code", c.case_code},
                                       {"created_at", Epoch(now)},
                                       {"next_poll_at", Epoch(c.next_poll_at)}}));
  return Ok();
}

Result<std::vector<ExternalCase>> Service::ExternalDue(std::string_view system, core::Seconds now,
                                                       int limit) const {
  return storage::WithTransaction(
      impl_->db,
      [&](storage::Transaction& tx) -> Result<std::vector<ExternalCase>> {
        TINHSO_ASSIGN_OR_RETURN(
            auto rows, tx.Query(std::string(sql::kExternalColumns) + std::string(sql::kExternalDue),
                                {{"system", std::string(system)},
                                 {"now", Epoch(now)},
                                 {"limit", std::int64_t{limit}}}));
        std::vector<ExternalCase> out;
        for (const storage::Row& r : rows) out.push_back(DecodeCase(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Result<std::vector<ExternalCase>> Service::ExternalCases(std::int64_t dossier_id,
                                                         const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(Get(dossier_id, actor));  // the dossier's own readers only
  return storage::WithTransaction(
      impl_->db,
      [&](storage::Transaction& tx) -> Result<std::vector<ExternalCase>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(sql::kExternalColumns) +
                                                        std::string(sql::kExternalOfDossier),
                                                    {{"dossier_id", dossier_id}}));
        std::vector<ExternalCase> out;
        for (const storage::Row& r : rows) out.push_back(DecodeCase(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Result<void> Service::DeferExternal(std::int64_t dossier_id, std::string_view system,
                                    std::string_view error, core::Seconds now,
                                    core::Seconds next_poll_at) {
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kExternalPolled, {{"last_error", std::string(error.substr(0, 300))},
                                          {"polled_at", Epoch(now)},
                                          {"next_poll_at", Epoch(next_poll_at)},
                                          {"dossier_id", dossier_id},
                                          {"system", std::string(system)}}));
    return Ok();
  });
}

}  // namespace tinhso::dossiers
