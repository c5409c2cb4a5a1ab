// The message log: records chained and signed as they are written (the group committer's
// Finish, under the head's lock), time-stamped in batches afterwards, checked end to end, and
// one record's evidence exported for outside tools.
#include <boost/json.hpp>
#include <fstream>

#include "core/crypto.hpp"
#include "gateway/internal.hpp"
#include "gateway/sql.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "storage/rows_insert.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const std::string kZeroHash(64, '0');

}  // namespace

LogRecord RecordOf(const storage::Row& r) {
  LogRecord l;
  l.seq = r.Int(0);
  l.at_ms = r.Int(1);
  l.request_id = r.Text(2);
  l.client = r.Text(3);
  l.client_ip = r.Text(4);
  l.service = r.Text(5);
  l.method = r.Text(6);
  l.path = r.Text(7);
  l.status = static_cast<int>(r.Int(8));
  l.error_code = r.Text(9);
  l.request_bytes = r.Int(10);
  l.response_bytes = r.Int(11);
  l.request_sha256 = r.Text(12);
  l.response_sha256 = r.Text(13);
  l.duration_us = r.Int(14);
  l.prev_hash = r.Text(15);
  l.hash = r.Text(16);
  l.signature = r.Blob(17);
  l.signer_id = r.Int(18);
  l.bodies_kept = r.Int(19) != 0;
  l.stamp_id = r.OptionalInt(20);
  return l;
}

namespace {

Error Broken(std::int64_t seq, const std::string& vi, const std::string& en) {
  return MakeError(ErrorCode::kFailedPrecondition, "gateway.log_broken",
                   "Bản ghi " + std::to_string(seq) + ": " + vi,
                   "Record " + std::to_string(seq) + ": " + en);
}

Result<void> WriteText(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    return MakeError(ErrorCode::kUnavailable, "gateway.evidence_unwritable",
                     "Không ghi được tệp " + path.string(), "Cannot write " + path.string());
  }
  return Ok();
}

// Checks a package with openssl and bash alone: the record's hash and signature, the signer's
// chain, the record's path up the batch's hash tree, and the time-stamp over the tree's root.
constexpr std::string_view kVerifyScript = R"sh(#!/bin/bash
# Kiểm tra bằng chứng của một lời gọi qua nền tảng tích hợp (chỉ cần openssl và bash).
# Checks the evidence of one call through the provincial gateway (openssl and bash only).
set -euo pipefail
cd "$(dirname "$0")"
sha() { openssl dgst -sha256 -r | cut -d' ' -f1; }
bin() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }

# 1. The record leads, through the records after it in its commit batch (later-*.json, each
#    naming the one before by its hash in "prev_hash"), to the batch's last record, which a
#    certificate of the province's PKI signed. With no later-*.json the record is that one.
[ "$(sha < record.json)" = "$(cat record.sha256)" ] || { echo "record.json: hash differs"; exit 1; }
signed=record.json
prev=$(cat record.sha256)
shopt -s nullglob
for later in later-*.json; do
  [ "$(sed -n 's/.*"prev_hash":"\([0-9a-f]*\)"}$/\1/p' "$later")" = "$prev" ] ||
    { echo "$later: does not follow the record before it"; exit 1; }
  prev=$(sha < "$later")
  signed=$later
done
openssl verify -CAfile root.pem -untrusted chain.pem signer.pem
openssl x509 -in signer.pem -pubkey -noout > signer.pub
openssl dgst -sha256 -verify signer.pub -signature signature.sig "$signed"

# 2. The record's hash leads to the root of its batch's hash tree.
node=$( { printf '\x00'; bin "$(cat record.sha256)"; } | sha)
while read -r side sibling; do
  if [ "$side" = L ]; then
    node=$( { printf '\x01'; bin "$sibling"; bin "$node"; } | sha)
  else
    node=$( { printf '\x01'; bin "$node"; bin "$sibling"; } | sha)
  fi
done < proof.txt
[ "$node" = "$(cat root.sha256)" ] || { echo "proof.txt: the path does not lead to the root"; exit 1; }

# 3. The root was time-stamped (RFC 3161) by the province's time-stamping unit.
openssl ts -verify -digest "$node" -token_in -in timestamp.tst -CAfile root.pem -untrusted chain.pem
echo "OK: bản ghi $(cat seq.txt) hợp lệ / record $(cat seq.txt) verified"
)sh";

}  // namespace

std::string LogRecord::CanonicalJson() const {
  return json::serialize(json::object{{"seq", seq},
                                      {"at_ms", at_ms},
                                      {"request_id", request_id},
                                      {"client", client},
                                      {"client_ip", client_ip},
                                      {"service", service},
                                      {"method", method},
                                      {"path", path},
                                      {"status", status},
                                      {"error_code", error_code},
                                      {"request_bytes", request_bytes},
                                      {"response_bytes", response_bytes},
                                      {"request_sha256", request_sha256},
                                      {"response_sha256", response_sha256},
                                      {"duration_us", duration_us},
                                      {"prev_hash", prev_hash}});
}

// ---- Writing ----

Result<std::int64_t> Gateway::Append(LogRecord& record, std::string_view request_body,
                                     std::string_view response_body) {
  PendingRecord pending{.record = &record};
  if (options.body_key) {
    std::string both = std::to_string(request_body.size()) + "\n";
    both.append(request_body);
    both.append(response_body);
    pending.sealed_bodies = core::SealSecret(both, *options.body_key);
    pending.bodies_until =
        record.at_ms / 1000 +
        std::chrono::duration_cast<std::chrono::seconds>(options.body_retention).count();
  }
  std::any left;
  const storage::GroupCommitter::Work work = [&](storage::Transaction&) -> Result<void> {
    left = &pending;
    return Ok();
  };
  TINHSO_RETURN_IF_ERROR(committer_.Run(work, &left));
  std::int64_t none = 0;
  oldest_unstamped_ms_.compare_exchange_strong(none, record.at_ms);
  return record.seq;
}

Result<void> Gateway::WriteRecords(storage::Transaction& tx, std::span<std::any* const> left) {
  std::vector<PendingRecord*> batch;
  for (std::any* l : left) {
    if (l != nullptr && l->has_value()) batch.push_back(std::any_cast<PendingRecord*>(*l));
  }
  if (batch.empty()) return Ok();
  TINHSO_ASSIGN_OR_RETURN(
      auto head, tx.Query(sql::kBumpHead, {{"n", static_cast<std::int64_t>(batch.size())}}));
  if (head.empty()) return InternalError("gateway log head row missing");
  std::int64_t seq = head[0].Int(0) - static_cast<std::int64_t>(batch.size());
  std::string prev = head[0].Text(1);
  static const storage::RowsInsert kInsert(
      sql::kInsertTable,
      std::vector<std::string_view>(std::begin(sql::kInsertColumns), std::end(sql::kInsertColumns)),
      sql::kRowsPerInsert);
  // Chained first, then one signature over the batch's last record: through the chain it
  // covers every record before it (X-Road's batch signatures), and a signature per record
  // cost more than the rest of the logging together.
  std::string canonical;
  for (PendingRecord* p : batch) {
    LogRecord& r = *p->record;
    r.seq = ++seq;
    r.prev_hash = prev;
    canonical = r.CanonicalJson();
    r.hash = core::Sha256Hex(canonical);
    r.bodies_kept = !p->sealed_bodies.empty();
    prev = r.hash;
  }
  TINHSO_ASSIGN_OR_RETURN(RecordSigner::Signature signature, signer_.Sign(canonical));
  batch.back()->record->signature = std::move(signature.bytes);
  storage::RowsInsert::Writer writer(kInsert, tx);
  for (PendingRecord* p : batch) {
    LogRecord& r = *p->record;
    r.signer_id = signature.certificate_id;
    TINHSO_RETURN_IF_ERROR(writer.Add(
        {r.seq,
         r.at_ms,
         r.request_id,
         r.client,
         r.client_ip,
         r.service,
         r.method,
         r.path,
         std::int64_t{r.status},
         r.error_code,
         r.request_bytes,
         r.response_bytes,
         r.request_sha256,
         r.response_sha256,
         r.duration_us,
         r.prev_hash,
         r.hash,
         storage::Bytes{r.signature},
         r.signer_id,
         r.bodies_kept ? storage::Value(storage::Bytes{p->sealed_bodies}) : storage::Value(nullptr),
         p->bodies_until ? storage::Value(*p->bodies_until) : storage::Value(nullptr)}));
  }
  TINHSO_RETURN_IF_ERROR(writer.Flush());
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kSetHeadHash, {{"hash", prev}}));
  return Ok();
}

Result<void> Gateway::LoadOldestUnstamped() {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t oldest,
                          storage::WithTransaction(
                              db,
                              [](storage::Transaction& tx) -> Result<std::int64_t> {
                                TINHSO_ASSIGN_OR_RETURN(auto last, tx.Query(sql::kLastStamped));
                                TINHSO_ASSIGN_OR_RETURN(
                                    auto first,
                                    tx.Query(sql::kUnstamped, {{"after", last.rows.at(0).Int(0)},
                                                               {"limit", std::int64_t{1}}}));
                                return first.empty() ? std::int64_t{0} : first[0].Int(2);
                              },
                              storage::TxKind::kReadOnly));
  oldest_unstamped_ms_ = oldest;
  return Ok();
}

// ---- Time-stamping ----

Result<std::int64_t> Gateway::Stamp() {
  std::lock_guard lock(stamp_mutex_);
  struct Batch {
    std::int64_t first = 0, last = 0;
    std::vector<std::string> leaves;
  };
  TINHSO_ASSIGN_OR_RETURN(
      Batch batch,
      storage::WithTransaction(
          db,
          [&](storage::Transaction& tx) -> Result<Batch> {
            TINHSO_ASSIGN_OR_RETURN(auto last, tx.Query(sql::kLastStamped));
            TINHSO_ASSIGN_OR_RETURN(
                auto rows, tx.Query(sql::kUnstamped,
                                    {{"after", last.rows.at(0).Int(0)},
                                     {"limit", static_cast<std::int64_t>(options.max_stamp_batch +
                                                                         kCommitBatchMax)}}));
            Batch b;
            std::size_t through_signed = 0;  // leaves up to the last signed record
            for (const storage::Row& r : rows) {
              if (b.first == 0) b.first = r.Int(0);
              auto raw = core::HexDecode(r.Text(1));
              if (!raw || raw->size() != 32) return Broken(r.Int(0), "mã băm hỏng", "bad hash");
              b.leaves.push_back(std::move(*raw));
              if (r.Int(3) > 0) {
                through_signed = b.leaves.size();
                b.last = r.Int(0);
                if (b.leaves.size() >= options.max_stamp_batch) break;
              }
            }
            // A batch ends at a signed record (each commit batch's last is), so that a record's
            // evidence finds its signature within its stamp, and its archive file; it holds
            // max_stamp_batch records at most, or the one commit batch that straddles that.
            if (through_signed == 0 && !rows.empty()) {
              return Broken(rows.rows.back().Int(0), "không có bản ghi có chữ ký số nào sau nó",
                            "is followed by no signed record");
            }
            b.leaves.resize(through_signed);
            return b;
          },
          storage::TxKind::kReadOnly));
  if (batch.leaves.empty()) {
    oldest_unstamped_ms_ = 0;
    return std::int64_t{0};
  }
  const std::string root = MerkleRoot(batch.leaves);
  // The records stay unstamped on failure; Forward stops calls once the grace period is over.
  TINHSO_ASSIGN_OR_RETURN(std::string token, signing.TimeStamp(root));
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(
            tx.Query(sql::kInsertStamp, {{"first_seq", batch.first},
                                         {"last_seq", batch.last},
                                         {"root", core::HexEncode(root)},
                                         {"token", storage::Bytes{token}},
                                         {"stamped_at", clock.Now().time_since_epoch().count()}}));
        return Ok();
      }));
  TINHSO_RETURN_IF_ERROR(LoadOldestUnstamped());
  return static_cast<std::int64_t>(batch.leaves.size());
}

// ---- Checking ----

Result<VerifyReport> Gateway::Verify() {
  VerifyReport report;
  auto fail = [&report](const Error& e, std::int64_t seq) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem_vi = e.message_vi;
    report.problem_en = e.message_en;
    return report;
  };
  CertificateCache certificates(pki);
  // The archive files first: the records in the database continue their chain.
  TINHSO_ASSIGN_OR_RETURN(ArchivedChain archived, VerifyArchives(report, certificates));
  if (!report.ok) return report;

  // Then the database, in one snapshot: a record appended meanwhile is not seen, and the head
  // read with the records says where they must end.
  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto head, tx->Query(sql::kHead));
  const std::int64_t head_seq = head.rows.at(0).Int(0);
  const std::string head_hash = head[0].Text(1);
  TINHSO_ASSIGN_OR_RETURN(auto bounds, tx->Query(sql::kFirstSeq));
  // Without records in the database (all archived and purged), the head must be the archives'.
  const std::int64_t first = bounds.rows.at(0).OptionalInt(0).value_or(head_seq + 1);
  std::string prev = kZeroHash;
  if (first > 1) {
    auto end = archived.ends.find(first - 1);
    if (end == archived.ends.end()) {
      const std::int64_t from = std::min(archived.last_seq + 1, first - 1);
      const std::string to = std::to_string(first - 1);
      return fail(first - 1 > archived.last_seq
                      ? Broken(from,
                               "không còn trong cơ sở dữ liệu mà cũng không có trong tệp lưu trữ "
                               "nào" +
                                   (from < first - 1 ? " (các bản ghi đến số " + to + " cũng vậy)"
                                                     : std::string()),
                               "is neither in the database nor in any archive file" +
                                   (from < first - 1 ? " (nor are the records up to " + to + ")"
                                                     : std::string()))
                      : Broken(first,
                               "là bản ghi đầu tiên còn trong cơ sở dữ liệu nhưng không nối tiếp "
                               "cuối một tệp lưu trữ: các bản ghi trước nó đã bị xóa ngoài quy "
                               "trình lưu trữ",
                               "is the first record left in the database but does not follow the "
                               "end of an archive file: the records before it were deleted "
                               "outside archiving"),
                  from);
    }
    prev = end->second;
  }
  std::int64_t expected = first;
  bool last_signed = true;  // nothing in the database: the archives' own signatures cover them
  constexpr std::int64_t kPage = 1000;
  while (true) {
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx->Query(sql::kChainPage, {{"after", expected - 1}, {"limit", kPage}}));
    for (const storage::Row& row : rows) {
      const LogRecord r = RecordOf(row);
      if (r.seq != expected) {
        return fail(Broken(expected, "bị xóa khỏi nhật ký", "is missing from the log"), expected);
      }
      if (r.prev_hash != prev) {
        return fail(Broken(r.seq, "không nối tiếp bản ghi trước (chuỗi băm bị cắt)",
                           "does not follow the previous record (the hash chain is broken)"),
                    r.seq);
      }
      const std::string canonical = r.CanonicalJson();
      if (core::Sha256Hex(canonical) != r.hash) {
        return fail(
            Broken(r.seq, "nội dung đã bị sửa sau khi ghi", "was changed after it was written"),
            r.seq);
      }
      // A record without a signature of its own is covered by the next signed one's.
      if (!r.signature.empty()) {
        TINHSO_ASSIGN_OR_RETURN(bool signed_ok,
                                certificates.Verify(r.signer_id, canonical, r.signature));
        if (!signed_ok) {
          return fail(Broken(r.seq, "chữ ký số không hợp lệ", "its signature is not valid"), r.seq);
        }
      }
      last_signed = !r.signature.empty();
      // Archived and still here (inside the retention): the same record as in the file.
      if (auto end = archived.ends.find(r.seq);
          end != archived.ends.end() && end->second != r.hash) {
        return fail(Broken(r.seq, "khác với bản trong tệp lưu trữ",
                           "differs from its copy in the archive file"),
                    r.seq);
      }
      prev = r.hash;
      ++expected;
      if (r.seq > archived.last_seq) ++report.records;
    }
    if (static_cast<std::int64_t>(rows.size()) < kPage) break;
  }
  if (expected - 1 != head_seq || prev != head_hash) {
    return fail(Broken(expected, "các bản ghi cuối đã bị xóa", "the last records were deleted"),
                expected);
  }
  // Every batch ends with a signed record, so the newest one must be signed: otherwise the
  // records after the last signature could have been changed unseen.
  if (!last_signed) {
    return fail(Broken(head_seq, "là bản ghi mới nhất nhưng không có chữ ký số",
                       "is the newest record but carries no signature"),
                head_seq);
  }

  // The time-stamps of the records here: consecutive batches from the first, each over its
  // records' tree.
  std::int64_t after = 0;
  std::int64_t next_first = first;
  while (true) {
    TINHSO_ASSIGN_OR_RETURN(
        auto stamps,
        tx->Query(sql::kStampsFrom,
                  {{"from_seq", first}, {"after", after}, {"limit", std::int64_t{100}}}));
    for (const storage::Row& s : stamps) {
      const std::int64_t batch_first = s.Int(1);
      const std::int64_t last = s.Int(2);
      after = batch_first;
      if (batch_first != next_first || last < batch_first || last > head_seq) {
        return fail(Broken(batch_first, "lô đóng dấu thời gian không liền mạch",
                           "its time-stamp batch does not follow the previous one"),
                    batch_first);
      }
      TINHSO_ASSIGN_OR_RETURN(
          auto hashes, tx->Query(sql::kHashesBetween, {{"first", batch_first}, {"last", last}}));
      std::vector<std::string> leaves;
      for (const storage::Row& h : hashes) {
        leaves.push_back(core::HexDecode(h.Text(1)).value_or(""));
      }
      const std::string root = MerkleRoot(leaves);
      if (core::HexEncode(root) != s.Text(3)) {
        return fail(Broken(batch_first, "cây băm của lô không khớp gốc đã đóng dấu",
                           "its batch's hash tree does not match the stamped root"),
                    batch_first);
      }
      auto stamp = signing.VerifyTimeStamp(root, s.Blob(4));
      if (!stamp.ok() || !stamp->valid) {
        return fail(Broken(batch_first, "dấu thời gian của lô không hợp lệ",
                           "its batch's time-stamp is not valid"),
                    batch_first);
      }
      next_first = last + 1;
      if (batch_first > archived.last_seq) ++report.stamps;
    }
    if (stamps.size() < 100) break;
  }
  return report;
}

Result<void> Gateway::Evidence(std::int64_t seq, const fs::path& dir) {
  auto found = storage::WithTransaction(
      db,
      [&](storage::Transaction& tx) -> Result<EvidenceSource> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kLogRecord, {{"seq", seq}}));
        if (rows.empty()) {
          return MakeError(ErrorCode::kNotFound, "gateway.no_record",
                           "Nhật ký không có bản ghi " + std::to_string(seq) + ".",
                           "The log has no record " + std::to_string(seq) + ".");
        }
        const LogRecord record = RecordOf(rows[0]);
        EvidenceSource out;
        out.canonical = record.CanonicalJson();
        out.hash = record.hash;
        out.signature = record.signature;
        out.signer_id = record.signer_id;
        // Signed with its batch: the records after it up to the batch's signed last one.
        for (std::int64_t after = seq; out.signature.empty();) {
          TINHSO_ASSIGN_OR_RETURN(
              auto next,
              tx.Query(sql::kChainPage, {{"after", after}, {"limit", std::int64_t{256}}}));
          if (next.empty()) {
            return Broken(seq, "không có bản ghi có chữ ký số nào sau nó",
                          "is followed by no signed record");
          }
          for (const storage::Row& row : next) {
            const LogRecord r = RecordOf(row);
            after = r.seq;
            out.chain.push_back(r.CanonicalJson());
            if (!r.signature.empty()) {
              out.signature = r.signature;
              out.signer_id = r.signer_id;
              break;
            }
          }
        }
        TINHSO_ASSIGN_OR_RETURN(auto stamp, tx.Query(sql::kStampOf, {{"seq", seq}}));
        if (stamp.empty()) {
          return MakeError(ErrorCode::kFailedPrecondition, "gateway.not_stamped",
                           "Bản ghi " + std::to_string(seq) +
                               " chưa được đóng dấu thời gian; hãy thử lại sau ít phút.",
                           "Record " + std::to_string(seq) +
                               " is not time-stamped yet; try again in a few minutes.");
        }
        out.first = stamp[0].Int(1);
        out.root_hex = stamp[0].Text(3);
        out.token = stamp[0].Blob(4);
        TINHSO_ASSIGN_OR_RETURN(
            auto hashes,
            tx.Query(sql::kHashesBetween, {{"first", stamp[0].Int(1)}, {"last", stamp[0].Int(2)}}));
        for (const storage::Row& h : hashes) {
          out.leaves.push_back(core::HexDecode(h.Text(1)).value_or(""));
        }
        return out;
      },
      storage::TxKind::kReadOnly);
  // A record past the retention is read from its archive file.
  if (!found.ok() && found.error().reason == "gateway.no_record") found = ArchivedEvidence(seq);
  if (!found.ok()) return found.error();
  const EvidenceSource& f = *found;

  // The signer's chain: intermediates to chain.pem, the trust anchor to root.pem.
  TINHSO_ASSIGN_OR_RETURN(pki::Certificate signer, pki.Get(f.signer_id));
  std::string chain_pem;
  std::string root_pem;
  pki::Certificate at = signer;
  for (int depth = 0; depth < 8 && at.issuer_id != 0 && at.issuer_id != at.id; ++depth) {
    TINHSO_ASSIGN_OR_RETURN(at, pki.Get(at.issuer_id));
    (at.trusted ? root_pem : chain_pem) += at.Pem();
  }
  if (root_pem.empty()) {
    TINHSO_ASSIGN_OR_RETURN(auto anchors, pki.TrustAnchors());
    for (const pki::Certificate& a : anchors) root_pem += a.Pem();
  }

  std::error_code ec;
  fs::create_directories(dir, ec);
  // A package written here before must not lend its later records to this one.
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().starts_with("later-")) fs::remove(e.path(), ec);
  }
  std::string proof;
  for (const ProofStep& step : MerkleProof(f.leaves, static_cast<std::size_t>(seq - f.first))) {
    proof += (step.sibling_on_left ? "L " : "R ") + core::HexEncode(step.sibling) + "\n";
  }
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "seq.txt", std::to_string(seq) + "\n"));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "record.json", f.canonical));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "record.sha256", f.hash));
  for (std::size_t i = 0; i < f.chain.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "later-%04zu.json", i + 1);
    TINHSO_RETURN_IF_ERROR(WriteText(dir / name, f.chain[i]));
  }
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "signature.sig", f.signature));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "signer.pem", signer.Pem()));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "chain.pem", chain_pem));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "root.pem", root_pem));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "proof.txt", proof));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "root.sha256", f.root_hex));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "timestamp.tst", f.token));
  TINHSO_RETURN_IF_ERROR(WriteText(dir / "verify.sh", kVerifyScript));
  fs::permissions(dir / "verify.sh", fs::perms::owner_exec | fs::perms::group_exec,
                  fs::perm_options::add, ec);
  return Ok();
}

// ---- Reading and retention ----

Result<std::vector<LogRecord>> Gateway::Log(const LogFilter& filter) const {
  const int limit = std::clamp(filter.limit, 1, 500);
  return storage::WithTransaction(
      db,
      [&](storage::Transaction& tx) -> Result<std::vector<LogRecord>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows,
                                tx.Query(sql::kLogPage, {{"client", filter.client},
                                                         {"client2", filter.client},
                                                         {"service", filter.service},
                                                         {"service2", filter.service},
                                                         {"before", filter.before_seq},
                                                         {"before2", filter.before_seq},
                                                         {"limit", std::int64_t{limit}}}));
        std::vector<LogRecord> out;
        for (const storage::Row& r : rows) out.push_back(RecordOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

Result<std::int64_t> Gateway::PurgeBodies() {
  const std::int64_t now = clock.Now().time_since_epoch().count();
  return storage::WithTransaction(db, [&](storage::Transaction& tx) {
    return tx.Execute(sql::kPurgeBodies, {{"now", now}});
  });
}

Result<std::pair<std::string, std::string>> Gateway::Bodies(std::int64_t seq) const {
  TINHSO_ASSIGN_OR_RETURN(auto rows, storage::WithTransaction(
                                         db,
                                         [&](storage::Transaction& tx) {
                                           return tx.Query(sql::kBodies, {{"seq", seq}});
                                         },
                                         storage::TxKind::kReadOnly));
  auto gone = [seq] {
    return MakeError(
        ErrorCode::kNotFound, "gateway.bodies_gone",
        "Nội dung của bản ghi " + std::to_string(seq) + " không còn lưu (chỉ còn mã băm).",
        "The bodies of record " + std::to_string(seq) + " are no longer kept (only their hashes).");
  };
  if (rows.empty() || !options.body_key) return gone();
  std::optional<std::string> both = core::OpenSecret(rows[0].Blob(0), *options.body_key);
  if (!both) return InternalError("gateway log bodies cannot be opened with the key");
  const std::size_t newline = both->find('\n');
  const std::size_t size = newline == std::string::npos ? 0 : std::stoull(both->substr(0, newline));
  if (newline == std::string::npos || newline + 1 + size > both->size()) {
    return InternalError("gateway log bodies malformed");
  }
  return std::pair{both->substr(newline + 1, size), both->substr(newline + 1 + size)};
}

}  // namespace tinhso::gateway
