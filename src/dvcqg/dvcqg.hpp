// The national public-service portal (Cổng dịch vụ công quốc gia, DVCQG): what the province
// sends it about a dossier, built as the portal expects it (../shared/domain-wave2.md §1.2–1.4,
// domain.md §7.1). Pure: the caller reads the dossier, its timeline and its files, and sends
// the JSON through the outbox and the gateway.
//
// The transformation rules are those of the provincial systems seen in public code, kept as
// defaults: statuses through a table (StatusMap, data, never a silent default), dates as
// yyyyMMddHHmmss in Vietnam time, long texts cut with "...", identity placeholders, a
// synthetic first step and a closing step, steps in chunks of 10.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "dossiers/dossiers.hpp"
#include "storage/database.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::dvcqg {

/// Local status (dossiers::Status, 1–10) → the national code. Loaded from the database by the
/// caller; Defaults() is the provincial systems' table (5, 6 and 8 sent as 9).
struct StatusMap {
  std::map<int, int> national;
  static StatusMap Defaults();
};

struct Settings {
  std::string province_code;          ///< MaDinhDanhTinh, e.g. "H55": dossier codes start with it
  std::string database_code = "7";    ///< DSKetNoiCSDL[].MaCSDL (meaning unconfirmed; "7" seen)
  std::string submitted_where = "2";  ///< NoiNopHoSo (meaning unconfirmed; "2" seen)
};

/// A file the national portal fetches: an absolute URL it can reach (signed, expiring).
struct FileLink {
  std::string id;
  std::string name;
  std::string component_code;  ///< MaThanhPhanHoSo; may be empty
  std::string url;
};

struct PaidFee {
  std::string note;         ///< what was paid for; empty: the dossier's code
  std::int64_t amount = 0;  ///< đồng
};

/// Everything one push needs, read by the caller.
struct DossierFacts {
  dossiers::Dossier dossier;
  std::string national_code;  ///< MaHoSoKhac, when the code does not start with the province's
  std::string field_code;     ///< MaLinhVuc
  std::string field_name;     ///< TenLinhVuc
  std::string result_code;    ///< the procedure's main result (MaKetQuaChinh)
  std::string agency_name;    ///< DonViXuLy
  std::vector<FileLink> submitted;  ///< TaiLieuNop
  std::vector<FileLink> results;    ///< DanhSachGiayToKetQua
  std::vector<PaidFee> fees;        ///< paid, amount > 0
};

/// `text` when it has at most `max` characters (Unicode code points), else its first `keep`
/// (max − 5 when 0) and "...". Empty text becomes `empty_as`.
std::string Shorten(std::string_view text, std::size_t max, std::string_view empty_as = {},
                    std::size_t keep = 0);

/// The code the nation knows the dossier by: its own when it starts with the province's
/// identifier, else `national_code`. Errors: kFailedPrecondition "dvcqg.needs_national_code"
/// when neither (the caller makes one with NationalCode and keeps it).
Result<std::string> CodeForNation(const DossierFacts& facts, const Settings& settings);
/// A new MaHoSoKhac: "<unit code>-<yyMMdd of reception>-<number>", number 10000–99999 chosen
/// by the caller (kept with the dossier: the nation must see the same code every time).
std::string NationalCode(std::string_view unit_code, core::Seconds received_at, int number);

/// The dossier object of DongBoHoSoMC / URLThemMoi / URLCapNhat, as JSON text.
/// Errors: kFailedPrecondition "dvcqg.unmapped_status" (the operator must add the status to
/// the table), "dvcqg.needs_national_code", "dvcqg.not_accepted" (no code yet: not for the
/// nation before reception).
Result<std::string> DossierJson(const DossierFacts& facts, const StatusMap& statuses,
                                const Settings& settings);

/// The process steps of CapNhatTienDoHoSoMC / URLDongBoTienTrinh, as JSON arrays of at most
/// 10 steps each: a synthetic first step at reception, the timeline's events after it, and a
/// closing step for a finished, stopped or paused dossier (or one without an appointment).
/// Errors: those of DossierJson.
Result<std::vector<std::string>> StepChunks(const DossierFacts& facts,
                                            const std::vector<dossiers::Event>& timeline,
                                            const StatusMap& statuses, const Settings& settings);

/// One row of the status table, as the operator sees it.
struct StatusRow {
  int local = 0;     ///< dossiers::Status
  int national = 0;  ///< the national portal's code
  core::Seconds updated_at{};
  std::int64_t updated_by = 0;  ///< 0: the migration's default
};

/// The status table in the database (dvcqg_status_map): read by the sync (Load), listed and
/// changed by administrators (actions dvcqg.read, dvcqg.manage), every change audited.
class StatusTable {
 public:
  StatusTable(storage::Database& db, const core::Clock& clock, const auth::Policy& policy)
      : db_(db), clock_(clock), policy_(policy) {}
  Result<StatusMap> Load() const;
  Result<std::vector<StatusRow>> List(const core::Actor& actor) const;
  /// Errors: kInvalidArgument (a local status outside 1–10, a national code outside 0–99).
  Result<StatusRow> Set(int local, int national, const core::Actor& actor);
  /// The status is no longer sent: dossiers in it wait, reported as unmapped. kNotFound.
  Result<void> Remove(int local, const core::Actor& actor);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  const auth::Policy& policy_;
};

/// GET /api/v1/dvcqg/statuses, PUT and DELETE /api/v1/dvcqg/statuses/{local}.
void RegisterRoutes(http::Router& router, StatusTable& statuses);

}  // namespace tinhso::dvcqg
