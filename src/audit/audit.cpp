#include "audit/audit.hpp"

#include <iterator>
#include <string>

#include "audit/internal.hpp"
#include "audit/sql.hpp"
#include "core/crypto.hpp"
#include "storage/rows_insert.hpp"

namespace tinhso::audit {
namespace {

// The hashed form of an entry: every field length-prefixed, so that no two different entries
// share a serialisation ("ab"+"c" vs "a"+"bc").
std::string Canonical(const Entry& e, std::string_view data_hash) {
  std::string out;
  auto field = [&out](std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
    out += '\n';
  };
  field(e.prev_hash);
  field(std::to_string(e.seq));
  field(std::to_string(e.at.time_since_epoch().count()));
  field(std::to_string(e.actor_id));
  field(e.actor_login);
  field(e.action);
  field(e.object_type);
  field(e.object_id);
  field(data_hash);
  return out;
}

Entry FromRow(const storage::Row& r) {
  Entry e;
  e.seq = r.Int(0);
  e.at = core::Seconds(std::chrono::seconds(r.Int(1)));
  e.actor_id = r.Int(2);
  e.actor_login = r.Text(3);
  e.action = r.Text(4);
  e.object_type = r.Text(5);
  e.object_id = r.Text(6);
  e.data_json = r.Text(7);
  e.prev_hash = r.Text(9);
  e.hash = r.Text(10);
  return e;
}

}  // namespace

namespace {

// Writes `entries` after the head `seq`/`prev_hash` the caller has taken; returns the last hash.
Result<std::string> WriteChain(storage::Transaction& tx, std::int64_t seq, std::string prev_hash,
                               std::span<const Pending> entries) {
  static const storage::RowsInsert kInsert(
      sql::kInsertTable, {std::begin(sql::kInsertColumns), std::end(sql::kInsertColumns)},
      sql::kRowsPerInsert);
  storage::RowsInsert::Writer rows(kInsert, tx);
  for (const Pending& p : entries) {
    Entry e;
    e.seq = seq++;
    e.prev_hash = std::move(prev_hash);
    e.at = p.at;
    e.actor_id = p.actor.user_id;
    e.actor_login = p.actor.login;
    e.action = p.change.action;
    e.object_type = p.change.object_type;
    e.object_id = p.change.object_id;
    const std::string data = p.change.data_json.empty() ? "{}" : p.change.data_json;
    const std::string data_hash = core::Sha256Hex(data);
    e.hash = core::Sha256Hex(Canonical(e, data_hash));
    TINHSO_RETURN_IF_ERROR(
        rows.Add({e.seq, p.at.time_since_epoch().count(), e.actor_id, e.actor_login, e.action,
                  e.object_type, e.object_id, data, data_hash, e.prev_hash, e.hash}));
    prev_hash = std::move(e.hash);
  }
  TINHSO_RETURN_IF_ERROR(rows.Flush());
  return prev_hash;
}

}  // namespace

Result<std::int64_t> Append(storage::Transaction& tx, const core::Actor& actor,
                            const Change& change, core::Seconds at) {
  const Pending one{actor, change, at};
  TINHSO_ASSIGN_OR_RETURN(storage::Rows head, tx.Query(sql::kBumpHead, {{"n", std::int64_t{1}}}));
  if (head.size() != 1) return InternalError("audit_head row missing");
  const std::int64_t seq = head[0].Int(0);
  TINHSO_ASSIGN_OR_RETURN(auto hash, WriteChain(tx, seq, head[0].Text(1), {&one, 1}));
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kSetHeadHash, {{"hash", hash}}));
  return seq;
}

Result<void> AppendAll(storage::Transaction& tx, std::span<const Pending> entries) {
  if (entries.empty()) return Ok();
  const auto n = static_cast<std::int64_t>(entries.size());
  TINHSO_ASSIGN_OR_RETURN(storage::Rows head, tx.Query(sql::kBumpHead, {{"n", n}}));
  if (head.size() != 1) return InternalError("audit_head row missing");
  // The head holds the last sequence number taken: this batch's first is n - 1 below it.
  TINHSO_ASSIGN_OR_RETURN(auto hash,
                          WriteChain(tx, head[0].Int(0) - n + 1, head[0].Text(1), entries));
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kSetHeadHash, {{"hash", hash}}));
  return Ok();
}

Result<std::vector<Entry>> List(storage::Database& db, const Filter& filter) {
  if (filter.limit < 1 || filter.limit > 500) {
    return MakeError(ErrorCode::kInvalidArgument, "audit.limit_invalid",
                     "Tham số limit phải từ 1 đến 500.", "limit must be between 1 and 500.");
  }
  // The WHERE clause is assembled from fixed fragments; values are always bound parameters.
  std::string query = "SELECT " + std::string(sql::kColumns) + " FROM audit_log WHERE 1 = 1";
  storage::Params params;
  if (filter.actor_id) {
    query += " AND actor_id = :actor_id";
    params.push_back({"actor_id", *filter.actor_id});
  }
  if (!filter.action_prefix.empty()) {
    query += " AND substr(action, 1, :prefix_len) = :prefix";
    params.push_back({"prefix_len", static_cast<std::int64_t>(filter.action_prefix.size())});
    params.push_back({"prefix", filter.action_prefix});
  }
  if (!filter.object_type.empty()) {
    query += " AND object_type = :object_type";
    params.push_back({"object_type", filter.object_type});
  }
  if (!filter.object_id.empty()) {
    query += " AND object_id = :object_id";
    params.push_back({"object_id", filter.object_id});
  }
  if (filter.from) {
    query += " AND at >= :from";
    params.push_back({"from", filter.from->time_since_epoch().count()});
  }
  if (filter.to) {
    query += " AND at < :to";
    params.push_back({"to", filter.to->time_since_epoch().count()});
  }
  if (filter.before_seq) {
    query += " AND seq < :before";
    params.push_back({"before", *filter.before_seq});
  }
  query += " ORDER BY seq DESC LIMIT :limit";
  params.push_back({"limit", static_cast<std::int64_t>(filter.limit)});

  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(query, params));
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<VerifyReport> Verify(storage::Database& db,
                            const std::function<void(std::int64_t)>& progress) {
  return internal::VerifyChain(db, progress, nullptr);
}

Result<VerifyReport> internal::VerifyChain(storage::Database& db,
                                           const std::function<void(std::int64_t)>& progress,
                                           std::map<std::int64_t, std::string>* hashes) {
  constexpr std::int64_t kPage = 2000;
  VerifyReport report;
  // One snapshot for the whole walk: appends made meanwhile are neither half-seen nor blamed.
  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
  auto fail = [&report](std::int64_t seq, std::string vi, std::string en) {
    report.intact = false;
    report.first_bad = seq;
    report.problem = "chain";
    report.problem_vi = std::move(vi);
    report.problem_en = std::move(en);
    return report;
  };
  std::string prev_hash = "genesis";
  std::int64_t expected_seq = 1;
  std::int64_t after = 0;
  for (;;) {
    TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                            tx->Query(sql::kChainPage, {{"after", after}, {"limit", kPage}}));
    for (const auto& r : rows) {
      Entry e = FromRow(r);
      const std::string s = std::to_string(e.seq);
      if (e.seq != expected_seq) {
        // A gap means entries were removed; a smaller number cannot happen in seq order.
        return fail(
            expected_seq,
            "Thiếu bản ghi số " + std::to_string(expected_seq) + " (bản ghi kế tiếp là số " + s +
                ").",
            "Entry " + std::to_string(expected_seq) + " is missing (the next is " + s + ").");
      }
      if (e.prev_hash != prev_hash) {
        return fail(
            e.seq, "Bản ghi số " + s + " không nối với bản ghi trước (bị chèn hoặc đổi thứ tự).",
            "Entry " + s + " does not link to the entry before it (inserted or reordered).");
      }
      const std::string data_hash = core::Sha256Hex(e.data_json);
      if (data_hash != r.Text(8)) {
        return fail(e.seq, "Nội dung thay đổi của bản ghi số " + s + " đã bị sửa.",
                    "The change data of entry " + s + " was edited.");
      }
      if (core::Sha256Hex(Canonical(e, data_hash)) != e.hash) {
        return fail(e.seq, "Bản ghi số " + s + " đã bị sửa (mã băm không khớp).",
                    "Entry " + s + " was edited (its hash does not match).");
      }
      if (hashes != nullptr) {
        if (auto wanted = hashes->find(e.seq); wanted != hashes->end()) wanted->second = e.hash;
      }
      prev_hash = e.hash;
      after = e.seq;
      ++expected_seq;
      ++report.checked;
    }
    if (progress) progress(report.checked);
    if (static_cast<std::int64_t>(rows.size()) < kPage) break;
  }
  TINHSO_ASSIGN_OR_RETURN(storage::Rows head, tx->Query(sql::kHead));
  if (head.size() != 1) {
    return fail(0, "Thiếu dòng đầu chuỗi nhật ký (audit_head).", "The audit_head row is missing.");
  }
  if (head[0].Int(0) != report.checked || head[0].Text(1) != prev_hash) {
    fail(report.checked + 1,
         "Cuối nhật ký bị cắt hoặc đầu chuỗi bị sửa: đầu chuỗi ghi " +
             std::to_string(head[0].Int(0)) + " bản ghi, đọc được " +
             std::to_string(report.checked) + ".",
         "The end of the log was cut off or the chain head was edited: the head records " +
             std::to_string(head[0].Int(0)) + " entries, " + std::to_string(report.checked) +
             " were read.");
    if (head[0].Int(0) > report.checked) report.problem = "truncated";
    return report;
  }
  report.head_hash = prev_hash;
  return report;
}

}  // namespace tinhso::audit
