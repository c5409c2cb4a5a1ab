// Drafts (Lưu nháp): an online submission in progress, kept on the server for the account that
// started it. Files are checked and stored as a submission's are (PrepareFiles, ChunkWriter into
// draft_file_chunks), so that submitting the draft only copies their pieces across (Submit with
// SubmitInput::draft_id) and the citizen never sends them twice.
#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "core/json.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"

namespace tinhso::dossiers {
namespace {

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

Error DraftNotFound() {
  return MakeError(ErrorCode::kNotFound, "draft.not_found",
                   "Không tìm thấy hồ sơ nháp (có thể đã nộp, đã xóa hoặc đã hết hạn lưu).",
                   "Draft not found (it may have been submitted, deleted or expired).");
}

Error VersionConflict() {
  return MakeError(ErrorCode::kConflict, "draft.version_conflict",
                   "Hồ sơ nháp vừa được lưu ở nơi khác (một thẻ hoặc thiết bị khác). Hãy tải lại "
                   "bản nháp mới nhất.",
                   "The draft was just saved elsewhere (another tab or device). Load the latest "
                   "draft.");
}

Draft DecodeDraft(const storage::Row& r) {
  Draft d;
  d.id = r.Int(0);
  d.owner_id = r.Int(1);
  d.procedure_code = r.Text(2);
  d.content_json = r.Text(3);
  d.version = r.Int(4);
  d.created_at = r.Time(5);
  d.updated_at = r.Time(6);
  d.expires_at = r.Time(7);
  return d;
}

Result<std::vector<FileInfo>> ReadDraftFiles(storage::Transaction& tx, std::int64_t draft_id) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kDraftFiles, {{"draft_id", draft_id}}));
  std::vector<FileInfo> out;
  for (const auto& r : rows) {
    out.push_back({.id = r.Int(0),
                   .kind = "draft",
                   .component = r.Text(1),
                   .name = r.Text(2),
                   .content_type = internal::ContentTypeOf(r.Text(3)),
                   .size = r.Int(4),
                   .sha256 = r.Text(5),
                   .at = r.Time(6)});
  }
  return out;
}

// The draft `id` of `actor`, unexpired at `now`, with its files. Another account's draft is not
// found, as one that does not exist: its number says nothing.
Result<Draft> LoadOwn(storage::Transaction& tx, const auth::Policy& policy, std::int64_t id,
                      const core::Actor& actor, core::Seconds now) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kDraftById, {{"id", id}, {"now", Epoch(now)}}));
  if (rows.empty()) return DraftNotFound();
  Draft d = DecodeDraft(rows[0]);
  if (!policy.Check(actor, "draft.own", {0, d.owner_id}).ok()) return DraftNotFound();
  TINHSO_ASSIGN_OR_RETURN(d.files, ReadDraftFiles(tx, d.id));
  return d;
}

Result<std::string> CheckContent(const DraftInput& in, const Options& options) {
  if (in.content_json.empty()) return std::string("{}");
  if (in.content_json.size() > options.max_draft_content) {
    return MakeError(
        ErrorCode::kInvalidArgument, "draft.content_invalid",
        "Nội dung hồ sơ nháp dài quá " + std::to_string(options.max_draft_content >> 10) + " KB.",
        "The draft's content is over " + std::to_string(options.max_draft_content >> 10) + " KB.");
  }
  auto parsed = json::ParseObject(in.content_json, 8);
  if (!parsed.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, "draft.content_invalid",
                     "Nội dung hồ sơ nháp phải là một đối tượng JSON.",
                     "The draft's content must be a JSON object.");
  }
  return json::Serialize(*parsed);
}

// Stores `files` (checked) as files of draft `draft_id`.
Result<void> InsertDraftFiles(storage::Transaction& tx, std::int64_t draft_id,
                              const std::vector<internal::PreparedFile>& files, core::Seconds now) {
  static const storage::RowsInsert kFiles(
      sql::kDraftFilesTable, {std::begin(sql::kDraftFileColumns), std::end(sql::kDraftFileColumns)},
      1, "RETURNING id");
  static const storage::RowsInsert kChunks(
      sql::kDraftChunksTable, {std::begin(sql::kChunkColumns), std::end(sql::kChunkColumns)},
      sql::kRowsPerInsert);
  internal::ChunkWriter chunks(kChunks, tx);
  for (const internal::PreparedFile& f : files) {
    TINHSO_ASSIGN_OR_RETURN(
        auto params, kFiles.Bind({{draft_id, f.component, f.name, f.type,
                                   static_cast<std::int64_t>(f.size), f.sha256, Epoch(now)}}));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(kFiles.Sql(1), params));
    TINHSO_RETURN_IF_ERROR(chunks.Add(rows[0].Int(0), f.content));
  }
  return chunks.Flush();
}

std::string AuditData(const Draft& d) {
  boost::json::object o;
  o["procedure"] = d.procedure_code;
  o["version"] = d.version;
  boost::json::array files;
  for (const FileInfo& f : d.files) {
    files.push_back({{"id", f.id}, {"component", f.component}, {"sha256", f.sha256}});
  }
  o["files"] = std::move(files);
  return json::Serialize(o);
}

// The end of a create or a save: the new files stored, the draft read back as it now is, and
// the change audited, in the caller's transaction.
Result<Draft> StoreFilesAndAudit(storage::Transaction& tx, const auth::Policy& policy,
                                 std::int64_t id, const std::vector<internal::PreparedFile>& files,
                                 const core::Actor& actor, std::string_view action,
                                 const std::string& procedure_name, core::Seconds now) {
  TINHSO_RETURN_IF_ERROR(InsertDraftFiles(tx, id, files, now));
  TINHSO_ASSIGN_OR_RETURN(Draft d, LoadOwn(tx, policy, id, actor, now));
  TINHSO_RETURN_IF_ERROR(audit::Append(
      tx, actor, {std::string(action), "draft", std::to_string(id), AuditData(d)}, now));
  d.procedure_name = procedure_name;
  return d;
}

}  // namespace

Result<Draft> Service::CreateDraft(const DraftInput& input, const core::Actor& actor) {
  const core::Seconds now = impl_->clock.Now();
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "draft.own", {0, actor.user_id}));
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(input.procedure_code));
  TINHSO_ASSIGN_OR_RETURN(std::string content, CheckContent(input, options_));
  TINHSO_ASSIGN_OR_RETURN(auto files,
                          internal::PrepareFiles(proc, input.files, "component", options_, false));
  const core::Seconds expires = now + std::chrono::days(options_.draft_days);
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<Draft> {
    TINHSO_ASSIGN_OR_RETURN(
        auto count,
        tx.Query(sql::kCountDraftsOfOwner, {{"owner_id", actor.user_id}, {"now", Epoch(now)}}));
    if (count[0].Int(0) >= options_.max_drafts) {
      return MakeError(ErrorCode::kResourceExhausted, "draft.too_many",
                       "Bạn đang có " + std::to_string(options_.max_drafts) +
                           " hồ sơ nháp: hãy nộp hoặc xóa bớt trước khi lưu thêm.",
                       "You have " + std::to_string(options_.max_drafts) +
                           " drafts: submit or delete some before saving another.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto rows,
                            tx.Query(sql::kInsertDraft, {{"owner_id", actor.user_id},
                                                         {"procedure_code", proc.code},
                                                         {"content", content},
                                                         {"created_at", Epoch(now)},
                                                         {"updated_at", Epoch(now)},
                                                         {"expires_at", Epoch(expires)}}));
    const std::int64_t id = rows[0].Int(0);
    return StoreFilesAndAudit(tx, impl_->policy, id, files, actor, "draft.create", proc.name, now);
  });
}

Result<Draft> Service::SaveDraft(std::int64_t id, const DraftInput& input,
                                 const core::Actor& actor) {
  const core::Seconds now = impl_->clock.Now();
  TINHSO_ASSIGN_OR_RETURN(Draft seen, GetDraft(id, actor));
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(seen.procedure_code));
  std::string content = seen.content_json;
  if (!input.content_json.empty()) {
    TINHSO_ASSIGN_OR_RETURN(content, CheckContent(input, options_));
  }
  TINHSO_ASSIGN_OR_RETURN(auto files,
                          internal::PrepareFiles(proc, input.files, "component", options_, false));
  const std::size_t kept =
      seen.files.size() - std::min(seen.files.size(), input.remove_files.size());
  if (kept + files.size() > static_cast<std::size_t>(options_.max_files)) {
    return MakeError(ErrorCode::kInvalidArgument, "dossier.too_many_files",
                     "Mỗi hồ sơ tối đa " + std::to_string(options_.max_files) + " tệp.",
                     "At most " + std::to_string(options_.max_files) + " files per dossier.");
  }
  const core::Seconds expires = now + std::chrono::days(options_.draft_days);
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<Draft> {
    TINHSO_ASSIGN_OR_RETURN(std::int64_t changed,
                            tx.Execute(sql::kUpdateDraft, {{"content", content},
                                                           {"updated_at", Epoch(now)},
                                                           {"expires_at", Epoch(expires)},
                                                           {"id", id},
                                                           {"owner_id", seen.owner_id},
                                                           {"version", input.version},
                                                           {"now", Epoch(now)}}));
    if (changed != 1) return VersionConflict();
    for (std::int64_t file_id : input.remove_files) {
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kDeleteDraftFileChunks, {{"draft_id", id}, {"id", file_id}}));
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t n, tx.Execute(sql::kDeleteDraftFile, {{"draft_id", id}, {"id", file_id}}));
      if (n != 1) {
        return MakeError(ErrorCode::kNotFound, "draft.file_not_found",
                         "Không tìm thấy tệp " + std::to_string(file_id) + " trong hồ sơ nháp.",
                         "File " + std::to_string(file_id) + " is not in the draft.");
      }
    }
    return StoreFilesAndAudit(tx, impl_->policy, id, files, actor, "draft.save", proc.name, now);
  });
}

Result<Draft> Service::GetDraft(std::int64_t id, const core::Actor& actor) const {
  const core::Seconds now = impl_->clock.Now();
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(Draft d, LoadOwn(*tx, impl_->policy, id, actor, now));
  if (auto proc = impl_->catalog.Find(d.procedure_code); proc.ok()) {
    d.procedure_name = (*proc)->name;
  }
  return d;
}

Result<std::vector<Draft>> Service::Drafts(std::string_view procedure_code,
                                           const core::Actor& actor) const {
  const core::Seconds now = impl_->clock.Now();
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "draft.own", {0, actor.user_id}));
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kDraftsOfOwner,
                                               {{"owner_id", actor.user_id},
                                                {"now", Epoch(now)},
                                                {"procedure_code", std::string(procedure_code)},
                                                {"procedure_code2", std::string(procedure_code)}}));
  std::vector<Draft> out;
  for (const auto& r : rows) {
    Draft d = DecodeDraft(r);
    TINHSO_ASSIGN_OR_RETURN(d.files, ReadDraftFiles(*tx, d.id));
    if (auto proc = impl_->catalog.Find(d.procedure_code); proc.ok()) {
      d.procedure_name = (*proc)->name;
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::string> Service::DraftFileContent(std::int64_t id, std::int64_t file_id,
                                              const core::Actor& actor) const {
  const core::Seconds now = impl_->clock.Now();
  TINHSO_ASSIGN_OR_RETURN(auto tx, impl_->db.Begin(storage::TxKind::kReadOnly));
  TINHSO_RETURN_IF_ERROR(LoadOwn(*tx, impl_->policy, id, actor, now));
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, tx->Query(sql::kDraftFileChunkCount, {{"draft_id", id}, {"id", file_id}}));
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound, "draft.file_not_found", "Không tìm thấy tệp.",
                     "File not found.");
  }
  return internal::ReadChunks(*tx, sql::kDraftChunk, file_id, rows[0].Int(1), rows[0].Int(0));
}

Result<void> Service::DeleteDraft(std::int64_t id, std::int64_t version, const core::Actor& actor) {
  const core::Seconds now = impl_->clock.Now();
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(Draft d, LoadOwn(tx, impl_->policy, id, actor, now));
    TINHSO_RETURN_IF_ERROR(
        internal::RemoveDraft(tx, d.id, d.owner_id, version == 0 ? d.version : version));
    TINHSO_RETURN_IF_ERROR(
        audit::Append(tx, actor, {"draft.delete", "draft", std::to_string(id), AuditData(d)}, now));
    return Ok();
  });
}

Result<std::int64_t> Service::PurgeExpiredDrafts() {
  const core::Seconds now = impl_->clock.Now();
  return storage::WithTransaction(impl_->db, [&](storage::Transaction& tx) -> Result<std::int64_t> {
    const storage::Params at = {{"now", Epoch(now)}};
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kPurgeDraftChunks, at));
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kPurgeDraftFiles, at));
    TINHSO_ASSIGN_OR_RETURN(std::int64_t n, tx.Execute(sql::kPurgeDrafts, at));
    if (n > 0) {
      TINHSO_RETURN_IF_ERROR(audit::Append(
          tx, core::SystemActor(),
          {"draft.purge", "draft", "", json::Serialize(boost::json::object{{"count", n}})}, now));
    }
    return n;
  });
}

namespace internal {

Result<std::vector<PreparedFile>> DraftFilesToSubmit(storage::Transaction& tx,
                                                     std::int64_t draft_id) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kDraftFiles, {{"draft_id", draft_id}}));
  std::vector<PreparedFile> out;
  for (const auto& r : rows) {
    out.push_back({.kind = "component",
                   .component = r.Text(1),
                   .name = r.Text(2),
                   .type = r.Text(3),
                   .content = {},
                   .sha256 = r.Text(5),
                   .size = static_cast<std::uint64_t>(r.Int(4)),
                   .draft_file_id = r.Int(0)});
  }
  return out;
}

Result<void> RemoveDraft(storage::Transaction& tx, std::int64_t id, std::int64_t owner_id,
                         std::int64_t version) {
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kDeleteDraftChunks, {{"id", id}}));
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kDeleteDraftFiles, {{"id", id}}));
  TINHSO_ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Execute(sql::kDeleteDraft, {{"id", id}, {"owner_id", owner_id}, {"version", version}}));
  if (n != 1) return VersionConflict();
  return Ok();
}

}  // namespace internal
}  // namespace tinhso::dossiers
