// catalog::Service: the stored catalog (procedures, sectors, every version), its audited
// import, and the in-memory copy every read is served from.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

#include "audit/audit.hpp"
#include "catalog/catalog.hpp"
#include "catalog/internal.hpp"
#include "catalog/search.hpp"
#include "catalog/sql.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"

namespace tinhso::catalog {
namespace {

namespace bj = boost::json;
using storage::Transaction;
using storage::TxKind;

// How long the in-memory copy is trusted before one query checks that no other process has
// imported since (catalog_head.generation).
constexpr std::chrono::seconds kRecheckAfter{60};

struct Snapshot {
  std::int64_t generation = 0;
  std::map<std::string, Procedure, std::less<>> procedures;
  // The procedures in code order (pointers into `procedures`), and the search over them.
  std::vector<const Procedure*> ordered;
  internal::SearchIndex search;
  std::map<std::string, Sector, std::less<>> sectors;
};

std::int64_t ToUnix(core::Seconds t) { return t.time_since_epoch().count(); }

Result<std::int64_t> ReadGeneration(Transaction& tx) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kHead));
  if (rows.empty()) return InternalError("catalog_head has no row");
  return rows[0].Int(0);
}

Result<std::vector<Sector>> ReadSectors(Transaction& tx) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kAllSectors));
  std::vector<Sector> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    out.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3)});
  }
  return out;
}

Result<std::vector<Procedure>> ReadProcedures(Transaction& tx) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kAllProcedures));
  std::vector<Procedure> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    TINHSO_ASSIGN_OR_RETURN(Procedure p, internal::ParseStoredProcedure(row.Text(1)));
    if (p.code != row.Text(0)) {
      return InternalError("procedures row " + row.Text(0) + " holds the document of " + p.code);
    }
    p.version = row.Int(2);
    p.updated_at = row.Time(3);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::shared_ptr<const Snapshot>> Load(storage::Database& db) {
  return storage::WithTransaction(
      db,
      [](Transaction& tx) -> Result<std::shared_ptr<const Snapshot>> {
        auto snapshot = std::make_shared<Snapshot>();
        TINHSO_ASSIGN_OR_RETURN(snapshot->generation, ReadGeneration(tx));
        TINHSO_ASSIGN_OR_RETURN(auto sectors, ReadSectors(tx));
        for (Sector& s : sectors) {
          std::string code = s.code;
          snapshot->sectors.emplace(std::move(code), std::move(s));
        }
        TINHSO_ASSIGN_OR_RETURN(auto procedures, ReadProcedures(tx));
        for (Procedure& p : procedures) {
          std::string code = p.code;
          snapshot->procedures.emplace(std::move(code), std::move(p));
        }
        for (const auto& [code, p] : snapshot->procedures) snapshot->ordered.push_back(&p);
        std::vector<Sector> by_code;
        for (const auto& [code, s] : snapshot->sectors) by_code.push_back(s);
        snapshot->search = internal::SearchIndex(snapshot->ordered, by_code);
        return std::shared_ptr<const Snapshot>(std::move(snapshot));
      },
      TxKind::kReadOnly);
}

Result<void> Exec(Transaction& tx, std::string_view statement, const storage::Params& params) {
  TINHSO_ASSIGN_OR_RETURN(auto changed, tx.Execute(statement, params));
  (void)changed;
  return Ok();
}

storage::Params ProcedureParams(const Procedure& p, const std::string& document, std::int64_t now) {
  return {{"code", p.code},
          {"name", p.name},
          {"search_key", core::SearchKey(p.name)},
          {"field_code", p.field_code},
          {"level", p.level},
          {"document", document},
          {"active", std::int64_t{p.active ? 1 : 0}},
          {"updated_at", now}};
}

// What one import changed, for its audit entry.
struct Changes {
  bj::array created;
  bj::array updated;
  bj::array sectors;
  int unchanged = 0;
};

Result<void> ImportSector(Transaction& tx, const Sector& s, std::int64_t now, Changes& changes) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kSectorByCode, {{"code", s.code}}));
  if (!rows.empty() && rows[0].Text(0) == s.name && rows[0].Text(1) == s.agency_code &&
      rows[0].Text(2) == s.name_en) {
    return Ok();
  }
  storage::Params params = {{"code", s.code},
                            {"name", s.name},
                            {"agency_code", s.agency_code},
                            {"name_en", s.name_en},
                            {"updated_at", now}};
  TINHSO_RETURN_IF_ERROR(Exec(tx, rows.empty() ? sql::kInsertSector : sql::kUpdateSector, params));
  changes.sectors.emplace_back(internal::SectorToJson(s));
  return Ok();
}

Result<void> ImportProcedure(Transaction& tx, const Procedure& p, const core::Actor& actor,
                             std::int64_t now, Changes& changes) {
  const std::string document = internal::Write(internal::ProcedureToJson(p, false), false);
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kProcedureByCode, {{"code", p.code}}));
  std::int64_t version = 1;
  if (rows.empty()) {
    storage::Params params = ProcedureParams(p, document, now);
    params.push_back({"created_at", now});
    TINHSO_RETURN_IF_ERROR(Exec(tx, sql::kInsertProcedure, params));
  } else {
    // A stored document that no longer parses (edited by hand) is replaced like a changed one.
    auto stored = internal::ParseStoredProcedure(rows[0].Text(0));
    if (stored.ok() && internal::SameContent(*stored, p)) {
      ++changes.unchanged;
      return Ok();
    }
    version = rows[0].Int(1) + 1;
    storage::Params params = ProcedureParams(p, document, now);
    params.push_back({"version", version});
    TINHSO_RETURN_IF_ERROR(Exec(tx, sql::kUpdateProcedure, params));
  }
  TINHSO_RETURN_IF_ERROR(Exec(tx, sql::kInsertVersion,
                              {{"code", p.code},
                               {"version", version},
                               {"document", document},
                               {"created_at", now},
                               {"actor_id", actor.user_id}}));
  bj::object entry{{"code", p.code}, {"version", version}, {"sha256", core::Sha256Hex(document)}};
  (version == 1 ? changes.created : changes.updated).emplace_back(std::move(entry));
  return Ok();
}

}  // namespace

struct Service::State {
  std::mutex mu;  // guards snapshot and checked_at
  std::shared_ptr<const Snapshot> snapshot;
  core::Seconds checked_at{};
  std::mutex load_mu;    // one (re)load at a time
  std::mutex import_mu;  // one import at a time in this process

  void Set(std::shared_ptr<const Snapshot> s, core::Seconds now) {
    std::lock_guard lock(mu);
    snapshot = std::move(s);
    checked_at = now;
  }

  // The copy to serve, (re)loading it if it is missing or has not been checked for a minute.
  Result<std::shared_ptr<const Snapshot>> Current(storage::Database& db, core::Seconds now) {
    const auto fresh = [&]() -> std::shared_ptr<const Snapshot> {
      std::lock_guard lock(mu);
      const auto age = now - checked_at;
      if (snapshot && age >= std::chrono::seconds(0) && age < kRecheckAfter) return snapshot;
      return nullptr;
    };
    if (auto s = fresh()) return s;
    std::lock_guard load_lock(load_mu);
    if (auto s = fresh()) return s;  // another thread just did it
    std::shared_ptr<const Snapshot> stale;
    {
      std::lock_guard lock(mu);
      stale = snapshot;
    }
    if (stale) {
      auto generation = storage::WithTransaction(
          db, [](Transaction& tx) { return ReadGeneration(tx); }, TxKind::kReadOnly);
      // A failed check keeps serving the copy (the catalog rarely changes); the next read
      // checks again.
      if (!generation.ok() || *generation == stale->generation) {
        if (generation.ok()) Set(stale, now);
        return stale;
      }
    }
    TINHSO_ASSIGN_OR_RETURN(auto loaded, Load(db));
    Set(loaded, now);
    return loaded;
  }
};

Service::Service(storage::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock), state_(std::make_shared<State>()) {}

Result<ImportStats> Service::Import(const Catalog& catalog, const core::Actor& actor) {
  // The canonical text is parsed again, so that a Catalog built in code gets exactly the checks
  // and normalisation (NFC, trimming) a file gets.
  TINHSO_ASSIGN_OR_RETURN(Catalog clean, Parse(ToJson(catalog)));
  std::lock_guard import_lock(state_->import_mu);
  const core::Seconds at = clock_.Now();
  const std::int64_t now = ToUnix(at);
  TINHSO_ASSIGN_OR_RETURN(
      ImportStats stats, storage::WithTransaction(db_, [&](Transaction& tx) -> Result<ImportStats> {
        Changes changes;
        TINHSO_RETURN_IF_ERROR(Exec(tx, sql::kLockHead, {}));
        for (const Sector& s : clean.sectors) {
          TINHSO_RETURN_IF_ERROR(ImportSector(tx, s, now, changes));
        }
        for (const Procedure& p : clean.procedures) {
          TINHSO_RETURN_IF_ERROR(ImportProcedure(tx, p, actor, now, changes));
        }
        ImportStats st;
        st.created = static_cast<int>(changes.created.size());
        st.updated = static_cast<int>(changes.updated.size());
        st.unchanged = changes.unchanged;
        st.sectors = static_cast<int>(changes.sectors.size());
        if (st.created + st.updated + st.sectors == 0) return st;  // nothing to record
        TINHSO_RETURN_IF_ERROR(Exec(tx, sql::kBumpHead, {}));
        bj::object data;
        data["created"] = std::move(changes.created);
        data["updated"] = std::move(changes.updated);
        data["unchanged"] = changes.unchanged;
        data["sectors"] = std::move(changes.sectors);
        TINHSO_ASSIGN_OR_RETURN(
            auto seq, audit::Append(tx, actor,
                                    audit::Change{.action = "catalog.import",
                                                  .object_type = "catalog",
                                                  .object_id = "procedures",
                                                  .data_json = internal::Write(data, false)},
                                    at));
        (void)seq;
        return st;
      }));
  if (stats.created + stats.updated + stats.sectors > 0) {
    // The import is committed whatever happens here; a failed reload leaves no copy, so the
    // next read loads again.
    if (auto reloaded = Load(db_); reloaded.ok()) {
      state_->Set(*reloaded, clock_.Now());
    } else {
      state_->Set(nullptr, {});
    }
  }
  return stats;
}

Result<Catalog> Service::Export() const {
  return storage::WithTransaction(
      db_,
      [](Transaction& tx) -> Result<Catalog> {
        Catalog c;
        TINHSO_ASSIGN_OR_RETURN(c.sectors, ReadSectors(tx));
        TINHSO_ASSIGN_OR_RETURN(c.procedures, ReadProcedures(tx));
        return c;
      },
      TxKind::kReadOnly);
}

Result<Procedure> Service::Get(std::string_view code) const {
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, state_->Current(db_, clock_.Now()));
  auto it = snapshot->procedures.find(code);
  if (it == snapshot->procedures.end()) return internal::ProcedureNotFound(code);
  return it->second;
}

Result<std::shared_ptr<const Procedure>> Service::Find(std::string_view code) const {
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, state_->Current(db_, clock_.Now()));
  auto it = snapshot->procedures.find(code);
  if (it == snapshot->procedures.end()) return internal::ProcedureNotFound(code);
  // Aliasing: shares ownership of the snapshot, points at one of its procedures.
  return std::shared_ptr<const Procedure>(snapshot, &it->second);
}

std::vector<std::shared_ptr<const Procedure>> Service::All() const {
  std::vector<std::shared_ptr<const Procedure>> out;
  auto snapshot = state_->Current(db_, clock_.Now());
  if (!snapshot.ok()) return out;
  out.reserve((*snapshot)->procedures.size());
  for (const auto& [code, p] : (*snapshot)->procedures) out.emplace_back(*snapshot, &p);
  return out;
}

Result<std::int64_t> Service::Generation() const {
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, state_->Current(db_, clock_.Now()));
  return snapshot->generation;
}

Result<Service::View> Service::Current() const {
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, state_->Current(db_, clock_.Now()));
  View view{.generation = snapshot->generation};
  view.sectors.reserve(snapshot->sectors.size());
  for (const auto& [code, sector] : snapshot->sectors) view.sectors.push_back(sector);
  view.procedures.reserve(snapshot->procedures.size());
  for (const auto& [code, p] : snapshot->procedures) view.procedures.emplace_back(snapshot, &p);
  return view;
}

std::vector<Procedure> Service::List(std::string_view query, std::string_view field,
                                     std::string_view level) const {
  std::vector<Procedure> out;
  auto snapshot = state_->Current(db_, clock_.Now());
  if (!snapshot.ok()) return out;
  const Snapshot& snap = **snapshot;
  const std::vector<std::size_t> found = snap.search.Rank(query, [&](std::size_t i) {
    const Procedure& p = *snap.ordered[i];
    return p.active && (field.empty() || p.field_code == field) &&
           (level.empty() || p.level == level);
  });
  out.reserve(found.size());
  for (std::size_t i : found) out.push_back(*snap.ordered[i]);
  return out;
}

Result<Sector> Service::GetSector(std::string_view code) const {
  TINHSO_ASSIGN_OR_RETURN(auto snapshot, state_->Current(db_, clock_.Now()));
  auto it = snapshot->sectors.find(code);
  if (it == snapshot->sectors.end()) return internal::SectorNotFound(code);
  return it->second;
}

Result<void> Service::Refresh() const {
  std::lock_guard load_lock(state_->load_mu);
  TINHSO_ASSIGN_OR_RETURN(auto loaded, Load(db_));
  state_->Set(std::move(loaded), clock_.Now());
  return Ok();
}

Result<ImportStats> ImportFile(Service& service, const std::filesystem::path& file,
                               const core::Actor& actor) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    return internal::FileMissing(file.string());
  }
  const auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > internal::kMaxDocumentBytes) return internal::TooLarge(size);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return internal::FileMissing(file.string());
  TINHSO_ASSIGN_OR_RETURN(Catalog catalog, Parse(text));
  return service.Import(catalog, actor);
}

}  // namespace tinhso::catalog
