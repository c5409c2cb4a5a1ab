// Shared by the dossiers module's .cpp files; not part of its interface.
#pragma once

#include <string>
#include <string_view>

#include "agencies/agencies.hpp"
#include "calendar/calendar.hpp"
#include "catalog/catalog.hpp"
#include "dossiers/dossiers.hpp"
#include "dossiers/lookup_throttle.hpp"
#include "payment/payment.hpp"
#include "storage/group_commit.hpp"
#include "storage/rows_insert.hpp"

namespace tinhso::dossiers {

struct Service::Impl {
  storage::Database& db;
  const core::Clock& clock;
  const auth::Policy& policy;
  agencies::Service& agencies;
  catalog::Service& catalog;
  const calendar::WorkingCalendar& calendar;
  // Submissions and transitions waiting at the same time share one commit.
  storage::GroupCommitter committer;
  payment::Service* payments = nullptr;       // set once before serving
  Service::ResultSigner result_signer;        // set once before serving
  Service::AccountFinder account_finder;      // set once before serving
  Service::SignatureReader signature_reader;  // set once before serving
  EventListener* listener = nullptr;          // set once before serving
  IdentityChecker identity_checker;           // set once before serving
  LookupThrottle lookup_throttle{clock, {}};
};

namespace internal {

/// Reads a row selected with sql::kColumns.
Dossier DecodeDossier(const storage::Row& row);

/// The file type by its first bytes: "pdf", "jpg", "png", "docx", "xml", or "" (unknown).
std::string SniffFileType(std::string_view content);
std::string ContentTypeOf(std::string_view file_type);

/// YYYYMM of an instant in Vietnam time: the key of the monthly statistics.
int LocalMonth(core::Seconds t);

/// What a change of one dossier adds to its month's counters (dossier_monthly).
struct MonthlyDelta {
  std::int64_t received = 0, early = 0, on_time = 0, late = 0, paid_online = 0;
  bool empty() const { return !received && !early && !on_time && !late && !paid_online; }
};
/// Received, finished (with `outcome`) or paid online by the change from `before` to `after`.
MonthlyDelta DeltaBetween(const Dossier& before, const Dossier& after, Timeliness outcome);
/// Adds `delta` to the month of `d`'s reception, inside the caller's transaction.
Result<void> BumpMonthly(storage::Transaction& tx, const Dossier& d, const MonthlyDelta& delta);

/// One event as the public timeline shows it (a JSON object; see PublicView::events_json).
/// Rendered when the event is written and kept on the dossier row (public_timeline).
std::string PublicEventJson(std::int64_t seq, core::Seconds at, std::string_view action,
                            std::string_view agency_name, std::string_view content, Status status);

/// A file checked and ready to store: its type found from its content, its hash taken.
struct PreparedFile {
  std::string kind;  ///< "component", "supplement", "result"
  std::string component;
  std::string name;
  std::string type;          ///< as SniffFileType names it
  core::ByteSource content;  ///< empty for a draft's file, whose bytes are stored already
  std::string sha256;
  std::uint64_t size = 0;
  std::int64_t draft_file_id = 0;  ///< a draft's file: moved from draft_file_chunks, not sent
  std::string signed_by;           ///< a signed result: its signers
};

/// Checks files given for `proc` (count, size, the type each component accepts, a name that
/// agrees with the content) and hashes them; `require_all`: every required component has one.
Result<std::vector<PreparedFile>> PrepareFiles(const catalog::Procedure& proc,
                                               const std::vector<FileInput>& files,
                                               std::string_view kind, const Options& options,
                                               bool require_all);
/// Every required component of `proc` has a file among `files`.
Result<void> CheckComponentsGiven(const catalog::Procedure& proc,
                                  const std::vector<PreparedFile>& files);

/// Whether a file of `component` (nullopt: a result) may be of `type` (pdf, jpg…); the error
/// says which types it must be.
Result<void> CheckComponentType(const catalog::Procedure& proc,
                                std::optional<std::string_view> component, std::string_view type,
                                std::string_view name);

/// The files of draft `draft_id`, as they join a submission (their bytes stay stored).
Result<std::vector<PreparedFile>> DraftFilesToSubmit(storage::Transaction& tx,
                                                     std::int64_t draft_id);
/// Deletes draft `id` of `owner_id` with its files, if it is still at `version`
/// (kConflict "draft.version_conflict" otherwise), inside the caller's transaction.
Result<void> RemoveDraft(storage::Transaction& tx, std::int64_t id, std::int64_t owner_id,
                         std::int64_t version);

/// Pieces a stored file's bytes are kept in (dossier_file_chunks, draft_file_chunks): small
/// enough that several uploads at once stay within a few MB of memory, large enough that a
/// 10 MB scan is 40 rows.
inline constexpr std::size_t kFileChunkBytes = 256 * 1024;

/// Writes files' bytes into a chunk table (file_id, seq, data), one piece in memory at a time.
/// Small pieces go several to a statement; a large file's go one by one.
class ChunkWriter {
 public:
  ChunkWriter(const storage::RowsInsert& insert, storage::Transaction& tx) : rows_(insert, tx) {}
  Result<void> Add(std::int64_t file_id, const core::ByteSource& content);
  Result<void> Flush() { return rows_.Flush(); }

 private:
  storage::RowsInsert::Writer rows_;
  std::size_t waiting_bytes_ = 0;
};

/// A stored file's bytes, read back piece by piece with `select_piece` (:file_id, :seq).
Result<std::string> ReadChunks(storage::Transaction& tx, std::string_view select_piece,
                               std::int64_t file_id, std::int64_t pieces, std::int64_t size);

/// The problems a population database's answer makes for the fields of the submission page
/// (applicant.id_number, applicant.name, applicant.birth_date), worded for the citizen.
std::vector<FieldProblem> IdentityProblems(const IdentityResult& r);

/// "name,birth_date" ↔ {"name", "birth_date"}, as identity_differing keeps them.
std::string JoinFields(const std::vector<std::string>& fields);
std::vector<std::string> SplitFields(std::string_view text);

Error NotFound();
Error IllegalTransition(std::string_view action, Status from);

}  // namespace internal
}  // namespace tinhso::dossiers
