// The message log's archives: whole time-stamp batches written to signed files outside the
// database, each linked to the previous file by its SHA-256 (as X-Road archives its message
// log); their check for Verify; a record's evidence read back from its file; and the records'
// deletion from the database after the retention. The file format is described in gateway.hpp,
// above LogArchive.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <variant>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "gateway/internal.hpp"
#include "gateway/sql.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Version 2: a record's "signature" may be empty (signed with its commit batch, see LogArchive).
constexpr std::string_view kFormat = "tinhso-gateway-log-archive/2";
constexpr std::string_view kFormatSignedEach = "tinhso-gateway-log-archive/1";
constexpr std::string_view kHashTree =
    "RFC 6962 over the records' raw SHA-256 hashes: leaf SHA-256(0x00 || hash), node "
    "SHA-256(0x01 || left || right), an odd node carried up unchanged";
const std::string kZeros(64, '0');
// A writer that has not finished within this long is taken for dead: another takes over.
constexpr std::int64_t kLeaseSeconds = 15 * 60;
constexpr std::int64_t kRecordPage = 1000;

std::int64_t Secs(core::Seconds t) { return t.time_since_epoch().count(); }
core::Seconds AtSecs(std::int64_t s) { return core::Seconds(std::chrono::seconds(s)); }

LogArchive ArchiveOf(const storage::Row& r) {
  LogArchive a;
  a.id = r.Int(0);
  a.first_seq = r.Int(1);
  a.last_seq = r.Int(2);
  a.records = r.Int(3);
  a.stamps = r.Int(4);
  a.file_name = r.Text(7);
  a.sha256 = r.Text(8);
  a.prev_sha256 = r.Text(9);
  a.created_at = AtSecs(r.Int(12));
  a.purged = !r.IsNull(13);
  return a;
}

// The columns LogArchive leaves out.
struct ArchiveRow {
  LogArchive archive;
  std::string last_hash;
  std::int64_t last_at_ms = 0;
  std::string claim;
  std::optional<std::int64_t> claimed_until;
};

ArchiveRow RowOf(const storage::Row& r) {
  return ArchiveRow{.archive = ArchiveOf(r),
                    .last_hash = r.Text(5),
                    .last_at_ms = r.Int(6),
                    .claim = r.Text(10),
                    .claimed_until = r.OptionalInt(11)};
}

std::string FileName(std::int64_t first, std::int64_t last, std::string_view claim) {
  char name[96];
  std::snprintf(name, sizeof name, "gateway-log-%012lld-%012lld-%.8s.jsonl",
                static_cast<long long>(first), static_cast<long long>(last),
                std::string(claim).c_str());
  return name;
}

Error LogBroken(std::int64_t seq, const std::string& vi, const std::string& en) {
  return MakeError(ErrorCode::kFailedPrecondition, "gateway.log_broken",
                   "Không lưu trữ được: bản ghi " + std::to_string(seq) + " " + vi +
                       ". Hãy chạy tinhso gateway log verify.",
                   "Nothing archived: record " + std::to_string(seq) + " " + en +
                       ". Run tinhso gateway log verify.");
}

Error DiskError(std::string_view what, const fs::path& path, int error) {
  return MakeError(
      ErrorCode::kUnavailable, "gateway.archive_unwritable",
      "Không ghi được tệp lưu trữ " + path.string() + " (" + std::string(what) + ").",
      "Cannot write the archive file " + path.string() + " (" + std::string(what) + ").",
      std::strerror(error));
}

std::optional<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

// Writes `path` atomically and durably: a temporary file beside it, synced, renamed over the
// name (which is this claim's alone), then the directory synced, so that a crash leaves either
// nothing or the whole file.
Result<void> WriteDurably(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return DiskError("open", tmp, errno);
  std::size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(tmp.c_str());
    return DiskError("write", path, error);
  }
  const int dir_fd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const int synced = ::fsync(dir_fd);
    error = synced != 0 ? errno : 0;
    ::close(dir_fd);
    if (synced != 0) return DiskError("fsync", path.parent_path(), error);
  }
  return Ok();
}

std::string Line(const json::object& o) { return json::serialize(o) + "\n"; }

// ---- Reading a file ----

struct ArchivedRecord {
  std::int64_t seq = 0;
  std::string canonical;
  std::string hash;
  std::string signature;
  std::int64_t signer_id = 0;
};

struct ArchivedStamp {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string root_hex;
  std::string token;
  std::size_t first_record = 0;  // index into ArchiveFile::records
  std::size_t record_count = 0;
};

struct ArchiveFile {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t records = 0;
  std::int64_t stamps = 0;
  std::string prev_sha256;
  std::string prev_hash;
  std::map<std::int64_t, std::string> certificates;  // id → PEM
  std::vector<ArchivedStamp> stamp_list;
  std::vector<ArchivedRecord> record_list;
};

struct Problem {
  std::int64_t seq = 0;
  std::string vi;
  std::string en;
};

const json::value* Field(const json::object& o, std::string_view key) { return o.if_contains(key); }
std::optional<std::int64_t> IntField(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}
std::optional<std::string> TextField(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// Reads the lines of a file: only its shape (the header first, each record after its stamp);
// what the values mean is for CheckContents. The problem names the line.
std::variant<ArchiveFile, Problem> Parse(std::string_view bytes) {
  ArchiveFile file;
  std::size_t line_no = 0;
  auto bad = [&](std::string_view vi, std::string_view en) {
    return Problem{.seq = file.first_seq,
                   .vi = "dòng " + std::to_string(line_no) + " " + std::string(vi),
                   .en = "line " + std::to_string(line_no) + " " + std::string(en)};
  };
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t end = bytes.find('\n', at);
    ++line_no;
    if (end == std::string_view::npos) return bad("không kết thúc bằng xuống dòng", "is cut short");
    const std::string_view text = bytes.substr(at, end - at);
    at = end + 1;
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec || !value.is_object()) return bad("không phải JSON", "is not JSON");
    const json::object& o = value.as_object();
    if (line_no == 1) {
      auto format = TextField(o, "format");
      auto first = IntField(o, "first_seq");
      auto last = IntField(o, "last_seq");
      auto records = IntField(o, "records");
      auto stamps = IntField(o, "stamps");
      auto prev_sha = TextField(o, "prev_sha256");
      auto prev_hash = TextField(o, "prev_hash");
      if (!format || (*format != kFormat && *format != kFormatSignedEach) || !first || !last ||
          !records || !stamps || !prev_sha || !prev_hash) {
        return bad("không phải phần đầu của tệp lưu trữ nhật ký",
                   "is not the header of a message-log archive");
      }
      file.first_seq = *first;
      file.last_seq = *last;
      file.records = *records;
      file.stamps = *stamps;
      file.prev_sha256 = *prev_sha;
      file.prev_hash = *prev_hash;
      continue;
    }
    const auto type = TextField(o, "type");
    if (type == "certificate") {
      auto id = IntField(o, "id");
      auto pem = TextField(o, "pem");
      if (!id || !pem) return bad("không phải chứng thư số", "is not a certificate");
      file.certificates[*id] = *pem;
    } else if (type == "stamp") {
      auto first = IntField(o, "first_seq");
      auto last = IntField(o, "last_seq");
      auto root = TextField(o, "root");
      auto token = TextField(o, "token");
      std::optional<std::string> der = token ? core::Base64Decode(*token) : std::nullopt;
      if (!first || !last || !root || !der) {
        return bad("không phải lô đóng dấu thời gian", "is not a time-stamp batch");
      }
      file.stamp_list.push_back({.first_seq = *first,
                                 .last_seq = *last,
                                 .root_hex = *root,
                                 .token = std::move(*der),
                                 .first_record = file.record_list.size()});
    } else if (type == "record") {
      auto seq = IntField(o, "seq");
      auto record = TextField(o, "record");
      auto hash = TextField(o, "hash");
      auto signature = TextField(o, "signature");
      auto signer = IntField(o, "signer_id");
      std::optional<std::string> raw = signature ? core::Base64Decode(*signature) : std::nullopt;
      if (!seq || !record || !hash || !raw || !signer) {
        return bad("không phải bản ghi nhật ký", "is not a log record");
      }
      if (file.stamp_list.empty()) {
        return bad("là bản ghi đứng trước lô của nó", "is a record before its batch");
      }
      ++file.stamp_list.back().record_count;
      file.record_list.push_back({.seq = *seq,
                                  .canonical = std::move(*record),
                                  .hash = std::move(*hash),
                                  .signature = std::move(*raw),
                                  .signer_id = *signer});
    } else {
      return bad("có loại không rõ", "has an unknown type");
    }
  }
  if (line_no == 0) {
    return Problem{.seq = 0, .vi = "tệp rỗng", .en = "the file is empty"};
  }
  return file;
}

}  // namespace

namespace {

// Every record of `file` follows `prev_hash`, hashes and is signed as the log's records are, and
// every batch's time-stamp covers its records' hash tree; the batches cover the file's range.
Result<std::optional<Problem>> CheckContents(const ArchiveFile& file, const std::string& prev_hash,
                                             CertificateCache& certificates,
                                             const signing::Service& signing) {
  auto problem = [](std::int64_t seq, std::string vi, std::string en) {
    return std::optional<Problem>(Problem{.seq = seq,
                                          .vi = "bản ghi " + std::to_string(seq) + " " + vi,
                                          .en = "record " + std::to_string(seq) + " " + en});
  };
  if (file.prev_hash != prev_hash) {
    return problem(file.first_seq, "không nối tiếp bản ghi cuối của tệp trước",
                   "does not follow the last record of the previous file");
  }
  if (static_cast<std::int64_t>(file.record_list.size()) != file.last_seq - file.first_seq + 1 ||
      file.records != static_cast<std::int64_t>(file.record_list.size()) ||
      file.stamps != static_cast<std::int64_t>(file.stamp_list.size())) {
    return problem(file.first_seq, "trở đi: số bản ghi hoặc số lô không đúng như phần đầu tệp",
                   "onwards: the numbers of records or batches are not what the header says");
  }
  std::string prev = prev_hash;
  std::int64_t expected = file.first_seq;
  for (const ArchivedStamp& stamp : file.stamp_list) {
    if (stamp.first_seq != expected ||
        stamp.last_seq - stamp.first_seq + 1 != static_cast<std::int64_t>(stamp.record_count)) {
      return problem(expected, "không nằm đúng trong lô đóng dấu thời gian của nó",
                     "is not where its time-stamp batch says");
    }
    std::vector<std::string> leaves;
    for (std::size_t i = 0; i < stamp.record_count; ++i) {
      const ArchivedRecord& r = file.record_list[stamp.first_record + i];
      if (r.seq != expected) {
        return problem(expected, "bị thiếu hoặc sai thứ tự", "is missing or out of order");
      }
      boost::system::error_code ec;
      json::value fields = json::parse(r.canonical, ec);
      if (ec || !fields.is_object() || IntField(fields.as_object(), "seq") != r.seq ||
          TextField(fields.as_object(), "prev_hash") != prev) {
        return problem(r.seq, "không nối tiếp bản ghi trước (chuỗi băm bị cắt)",
                       "does not follow the previous record (the hash chain is broken)");
      }
      if (core::Sha256Hex(r.canonical) != r.hash) {
        return problem(r.seq, "đã bị sửa sau khi ghi", "was changed after it was written");
      }
      // Unsigned: covered by the next signed record (its commit batch's last) and by the file's
      // own signature.
      if (!r.signature.empty()) {
        TINHSO_ASSIGN_OR_RETURN(bool signed_ok,
                                certificates.Verify(r.signer_id, r.canonical, r.signature));
        if (!signed_ok) {
          return problem(r.seq, "có chữ ký số không hợp lệ", "has an invalid signature");
        }
      }
      if (!file.certificates.contains(r.signer_id)) {
        return problem(r.seq, "không kèm chứng thư số của người ký trong tệp",
                       "has no signer's certificate in the file");
      }
      leaves.push_back(core::HexDecode(r.hash).value_or(""));
      prev = r.hash;
      ++expected;
    }
    const std::string root = MerkleRoot(leaves);
    if (core::HexEncode(root) != stamp.root_hex) {
      return problem(stamp.first_seq, "trở đi: cây băm của lô không khớp gốc đã đóng dấu",
                     "onwards: its batch's hash tree does not match the stamped root");
    }
    auto verified = signing.VerifyTimeStamp(root, stamp.token);
    if (!verified.ok() || !verified->valid) {
      return problem(stamp.first_seq, "trở đi: dấu thời gian của lô không hợp lệ",
                     "onwards: its batch's time-stamp is not valid");
    }
  }
  return std::optional<Problem>();
}

}  // namespace

// ---- Writing ----

Result<std::optional<LogArchive>> Gateway::Archive() {
  std::lock_guard lock(archive_mutex_);
  if (options.archive_dir.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "gateway.no_archive_dir",
                     "Chưa cấu hình thư mục lưu trữ nhật ký giao dịch ([gateway] archive_dir).",
                     "No archive directory is configured for the message log ([gateway] "
                     "archive_dir).");
  }
  const core::Seconds now = clock.Now();
  struct Claim {
    std::int64_t id = 0;
    std::int64_t first = 0, last = 0, records = 0, stamps = 0;
    std::string prev_sha256;
    std::string prev_hash;
    std::string token;
    std::string file_name;
  };
  // 1. Claim the next range (or take over one whose writer's lease ran out).
  TINHSO_ASSIGN_OR_RETURN(
      std::optional<Claim> claim,
      storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<std::optional<Claim>> {
        Claim c;
        c.token = core::RandomString(16, "0123456789abcdef");
        TINHSO_ASSIGN_OR_RETURN(auto last, tx.Query(sql::kLastArchive));
        std::optional<ArchiveRow> previous;
        if (!last.empty()) previous = RowOf(last[0]);
        if (previous && previous->archive.sha256.empty()) {
          if (previous->claimed_until.value_or(0) > Secs(now)) return std::optional<Claim>();
          const LogArchive& a = previous->archive;
          c.id = a.id;
          c.first = a.first_seq;
          c.last = a.last_seq;
          c.records = a.records;
          c.stamps = a.stamps;
          c.prev_sha256 = a.prev_sha256;
          c.file_name = FileName(c.first, c.last, c.token);
          TINHSO_ASSIGN_OR_RETURN(
              std::int64_t taken,
              tx.Execute(sql::kTakeOverArchive, {{"claim", c.token},
                                                 {"claimed_until", Secs(now) + kLeaseSeconds},
                                                 {"file_name", c.file_name},
                                                 {"now", Secs(now)},
                                                 {"id", c.id},
                                                 {"old_claim", previous->claim}}));
          if (taken != 1) return std::optional<Claim>();
          c.prev_hash = kZeros;
          if (c.first > 1) {
            TINHSO_ASSIGN_OR_RETURN(auto before,
                                    tx.Query(sql::kArchiveEndingAt, {{"seq", c.first - 1}}));
            if (before.empty()) return InternalError("gateway archive before a claim missing");
            c.prev_hash = RowOf(before[0]).last_hash;
          }
          return std::optional<Claim>(std::move(c));
        }
        const std::int64_t after = previous ? previous->archive.last_seq : 0;
        c.prev_sha256 = previous ? previous->archive.sha256 : kZeros;
        c.prev_hash = previous ? previous->last_hash : kZeros;
        TINHSO_ASSIGN_OR_RETURN(
            auto stamps, tx.Query(sql::kStampsToArchive,
                                  {{"after", after}, {"limit", options.archive_max_records}}));
        c.first = after + 1;
        c.last = after;
        for (const storage::Row& s : stamps) {
          if (s.Int(1) != c.last + 1) {
            if (c.stamps == 0) {
              return LogBroken(c.last + 1, "chưa được đóng dấu thời gian dù các bản ghi sau nó đã",
                               "is not time-stamped although later records are");
            }
            break;
          }
          if (c.stamps > 0 && s.Int(2) - after > options.archive_max_records) break;
          c.last = s.Int(2);
          ++c.stamps;
        }
        if (c.stamps == 0) return std::optional<Claim>();
        c.records = c.last - after;
        TINHSO_ASSIGN_OR_RETURN(auto end, tx.Query(sql::kRecordAt, {{"seq", c.last}}));
        if (end.empty()) {
          return LogBroken(c.last, "không còn trong cơ sở dữ liệu", "is missing from the database");
        }
        c.file_name = FileName(c.first, c.last, c.token);
        TINHSO_ASSIGN_OR_RETURN(
            auto inserted,
            tx.Query(sql::kClaimArchive, {{"first_seq", c.first},
                                          {"last_seq", c.last},
                                          {"records", c.records},
                                          {"stamps", c.stamps},
                                          {"last_hash", end[0].Text(1)},
                                          {"last_at_ms", end[0].Int(0)},
                                          {"file_name", c.file_name},
                                          {"prev_sha256", c.prev_sha256},
                                          {"claim", c.token},
                                          {"claimed_until", Secs(now) + kLeaseSeconds},
                                          {"created_at", Secs(now)}}));
        if (inserted.empty()) return std::optional<Claim>();  // another process was first
        c.id = inserted[0].Int(0);
        return std::optional<Claim>(std::move(c));
      }));
  if (!claim) return std::optional<LogArchive>();
  // On failure the claim is let go, so that the next run (or another process) starts afresh.
  auto release = [&] {
    (void)storage::WithTransaction(db, [&](storage::Transaction& tx) {
      return tx.Execute(sql::kReleaseArchive, {{"id", claim->id}, {"claim", claim->token}});
    });
  };

  // 2. The file's bytes, from one snapshot, checked as they are read: a log that does not hold
  // together is not archived (its records' own signatures would show it later anyway).
  auto bytes = [&]() -> Result<std::string> {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto stamps, tx->Query(sql::kStampsBetween, {{"first", claim->first},
                                                                         {"last", claim->last}}));
    std::vector<LogRecord> records;
    records.reserve(static_cast<std::size_t>(claim->records));
    for (std::int64_t after = claim->first - 1; after < claim->last;) {
      TINHSO_ASSIGN_OR_RETURN(
          auto rows,
          tx->Query(sql::kChainPage,
                    {{"after", after}, {"limit", std::min(kRecordPage, claim->last - after)}}));
      if (rows.empty()) break;
      for (const storage::Row& row : rows) {
        records.push_back(RecordOf(row));
        after = records.back().seq;
      }
    }
    std::string prev = claim->prev_hash;
    std::int64_t expected = claim->first;
    std::set<std::int64_t> signers;
    for (const LogRecord& r : records) {
      if (r.seq != expected) {
        return LogBroken(expected, "không còn trong cơ sở dữ liệu", "is missing from the database");
      }
      if (r.prev_hash != prev || core::Sha256Hex(r.CanonicalJson()) != r.hash) {
        return LogBroken(r.seq, "không khớp chuỗi băm", "does not match the hash chain");
      }
      signers.insert(r.signer_id);
      prev = r.hash;
      ++expected;
    }
    if (expected != claim->last + 1) {
      return LogBroken(expected, "không còn trong cơ sở dữ liệu", "is missing from the database");
    }
    // The certificates a reader needs: each signer's and its issuers'.
    std::string certificate_lines;
    std::set<std::int64_t> written;
    for (std::int64_t id : signers) {
      for (int depth = 0; depth < 8 && id != 0 && !written.contains(id); ++depth) {
        TINHSO_ASSIGN_OR_RETURN(pki::Certificate c, pki.Get(id));
        written.insert(id);
        certificate_lines += Line({{"type", "certificate"}, {"id", c.id}, {"pem", c.Pem()}});
        id = c.issuer_id == c.id ? 0 : c.issuer_id;
      }
    }
    std::string out = Line({{"format", kFormat},
                            {"first_seq", claim->first},
                            {"last_seq", claim->last},
                            {"records", claim->records},
                            {"stamps", static_cast<std::int64_t>(stamps.size())},
                            {"prev_sha256", claim->prev_sha256},
                            {"prev_hash", claim->prev_hash},
                            {"created_at", core::FormatTimestamp(now)},
                            {"hash_tree", kHashTree}});
    out += certificate_lines;
    std::size_t next = 0;
    std::int64_t covered = claim->first;
    for (const storage::Row& s : stamps) {
      const std::int64_t first = s.Int(1);
      const std::int64_t last = s.Int(2);
      if (first != covered) {
        return LogBroken(covered, "không thuộc lô đóng dấu thời gian nào",
                         "belongs to no time-stamp batch");
      }
      std::vector<std::string> leaves;
      std::string lines;
      for (; next < records.size() && records[next].seq <= last; ++next) {
        const LogRecord& r = records[next];
        leaves.push_back(core::HexDecode(r.hash).value_or(""));
        lines += Line({{"type", "record"},
                       {"seq", r.seq},
                       {"record", r.CanonicalJson()},
                       {"hash", r.hash},
                       {"signature", core::Base64Encode(r.signature)},
                       {"signer_id", r.signer_id}});
      }
      if (core::HexEncode(MerkleRoot(leaves)) != s.Text(3)) {
        return LogBroken(first, "trở đi: cây băm của lô không khớp gốc đã đóng dấu",
                         "onwards: its batch's hash tree does not match the stamped root");
      }
      out += Line({{"type", "stamp"},
                   {"id", s.Int(0)},
                   {"first_seq", first},
                   {"last_seq", last},
                   {"root", s.Text(3)},
                   {"stamped_at", core::FormatTimestamp(AtSecs(s.Int(5)))},
                   {"token", core::Base64Encode(s.Blob(4))}});
      out += lines;
      covered = last + 1;
    }
    if (covered != claim->last + 1) {
      return LogBroken(covered, "không thuộc lô đóng dấu thời gian nào",
                       "belongs to no time-stamp batch");
    }
    return out;
  }();
  if (!bytes.ok()) {
    release();
    return bytes.error();
  }

  // 3. Signed by the organisation certificate (CAdES-T), the signature written first: a file
  // present always has its signature beside it.
  auto signature = [&]() -> Result<std::string> {
    if (!options.signer) return InternalError("gateway: no signer configured");
    TINHSO_ASSIGN_OR_RETURN(std::int64_t signer, options.signer());
    TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key, pki.KeyForSigning(signer, core::SystemActor()));
    return signing.SignCmsWithKey(*bytes, key);
  }();
  if (!signature.ok()) {
    release();
    return signature.error();
  }
  const fs::path path = options.archive_dir / claim->file_name;
  std::error_code ec;
  fs::create_directories(options.archive_dir, ec);
  Result<void> written = WriteDurably(path.string() + ".p7s", *signature);
  if (written.ok()) written = WriteDurably(path, *bytes);
  if (!written.ok()) {
    release();
    return written.error();
  }

  // 4. Recorded, if the claim is still ours.
  LogArchive archive{.id = claim->id,
                     .first_seq = claim->first,
                     .last_seq = claim->last,
                     .records = claim->records,
                     .stamps = claim->stamps,
                     .file_name = claim->file_name,
                     .sha256 = core::Sha256Hex(*bytes),
                     .prev_sha256 = claim->prev_sha256,
                     .created_at = now};
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            std::int64_t done,
            tx.Execute(sql::kCompleteArchive,
                       {{"sha256", archive.sha256}, {"id", archive.id}, {"claim", claim->token}}));
        if (done != 1) {
          return MakeError(ErrorCode::kConflict, "gateway.archive_claim_lost",
                           "Tệp lưu trữ " + archive.file_name +
                               " không được ghi nhận: việc ghi quá lâu và đã được tiến trình khác "
                               "làm thay.",
                           "The archive file " + archive.file_name +
                               " was not recorded: writing it took too long and another process "
                               "took over.");
        }
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, core::SystemActor(),
                          {"gateway.log.archive", "gateway_log_archive", archive.file_name,
                           json::serialize(json::object{{"first_seq", archive.first_seq},
                                                        {"last_seq", archive.last_seq},
                                                        {"records", archive.records},
                                                        {"stamps", archive.stamps},
                                                        {"sha256", archive.sha256},
                                                        {"prev_sha256", archive.prev_sha256}})},
                          now));
        return Ok();
      }));
  return std::optional<LogArchive>(std::move(archive));
}

Result<std::vector<LogArchive>> Gateway::Archives() const {
  return storage::WithTransaction(
      db,
      [](storage::Transaction& tx) -> Result<std::vector<LogArchive>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kArchives));
        std::vector<LogArchive> out;
        for (const storage::Row& r : rows) out.push_back(ArchiveOf(r));
        return out;
      },
      storage::TxKind::kReadOnly);
}

// ---- Retention ----

Result<std::int64_t> Gateway::PurgeArchived() {
  std::lock_guard lock(archive_mutex_);
  if (options.log_retention.count() <= 0 || options.archive_dir.empty()) return std::int64_t{0};
  const core::Seconds now = clock.Now();
  const std::int64_t before_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() -
      std::chrono::duration_cast<std::chrono::milliseconds>(options.log_retention).count();
  std::int64_t purged = 0;
  constexpr std::int64_t kPage = 100;
  while (true) {
    TINHSO_ASSIGN_OR_RETURN(auto rows,
                            storage::WithTransaction(
                                db,
                                [&](storage::Transaction& tx) {
                                  return tx.Query(sql::kArchivesToPurge, {{"limit", kPage}});
                                },
                                storage::TxKind::kReadOnly));
    for (const storage::Row& row : rows) {
      const ArchiveRow a = RowOf(row);
      // Oldest first, and never past one still inside the retention: the database keeps a
      // suffix of the log, which continues the last purged file's chain.
      if (a.last_at_ms >= before_ms) return purged;
      const fs::path path = options.archive_dir / a.archive.file_name;
      auto bytes = ReadWhole(path);
      std::error_code ec;
      if (!bytes || core::Sha256Hex(*bytes) != a.archive.sha256 ||
          !fs::exists(path.string() + ".p7s", ec)) {
        return MakeError(ErrorCode::kFailedPrecondition, "gateway.archive_unusable",
                         "Không xóa bản ghi nào khỏi cơ sở dữ liệu: tệp lưu trữ " + path.string() +
                             " (hoặc chữ ký .p7s của nó) bị mất hoặc đã bị thay đổi. Hãy chạy "
                             "tinhso gateway log verify.",
                         "No record deleted from the database: the archive file " + path.string() +
                             " (or its .p7s signature) is missing or changed. Run tinhso gateway "
                             "log verify.");
      }
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t deleted,
          storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<std::int64_t> {
            // The database's copy is the archived one (its last record's hash), or gone already.
            TINHSO_ASSIGN_OR_RETURN(auto end,
                                    tx.Query(sql::kRecordAt, {{"seq", a.archive.last_seq}}));
            if (!end.empty() && end[0].Text(1) != a.last_hash) {
              return MakeError(ErrorCode::kFailedPrecondition, "gateway.archive_unusable",
                               "Không xóa bản ghi nào khỏi cơ sở dữ liệu: bản ghi " +
                                   std::to_string(a.archive.last_seq) +
                                   " khác với bản trong tệp lưu trữ " + a.archive.file_name +
                                   ". Hãy chạy tinhso gateway log verify.",
                               "No record deleted from the database: record " +
                                   std::to_string(a.archive.last_seq) +
                                   " differs from its copy in the archive " + a.archive.file_name +
                                   ". Run tinhso gateway log verify.");
            }
            const storage::Params range = {{"first", a.archive.first_seq},
                                           {"last", a.archive.last_seq}};
            TINHSO_ASSIGN_OR_RETURN(std::int64_t n, tx.Execute(sql::kDeleteRecords, range));
            TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kDeleteStamps, range));
            TINHSO_RETURN_IF_ERROR(
                tx.Execute(sql::kMarkPurged, {{"now", Secs(now)}, {"id", a.archive.id}}));
            TINHSO_RETURN_IF_ERROR(
                audit::Append(tx, core::SystemActor(),
                              {"gateway.log.purge", "gateway_log_archive", a.archive.file_name,
                               json::serialize(json::object{{"first_seq", a.archive.first_seq},
                                                            {"last_seq", a.archive.last_seq},
                                                            {"records", n},
                                                            {"sha256", a.archive.sha256}})},
                              now));
            return n;
          }));
      purged += deleted;
    }
    if (static_cast<std::int64_t>(rows.size()) < kPage) break;
  }
  return purged;
}

// ---- Checking ----

Result<ArchivedChain> Gateway::VerifyArchives(VerifyReport& report,
                                              CertificateCache& certificates) {
  ArchivedChain chain;
  chain.last_hash = kZeros;
  TINHSO_ASSIGN_OR_RETURN(std::vector<LogArchive> archives, Archives());
  std::map<std::string, std::string> by_digest;  // sha256 → file name: names a swapped file
  for (const LogArchive& a : archives) {
    if (!a.sha256.empty()) by_digest[a.sha256] = a.file_name;
  }
  std::string prev_sha = kZeros;
  for (const LogArchive& a : archives) {
    if (a.sha256.empty()) break;  // being written: the newest
    auto fail = [&](std::int64_t seq, const std::string& vi, const std::string& en) {
      report.ok = false;
      report.first_bad_seq = seq;
      report.problem_vi = "Tệp lưu trữ " + a.file_name + ": " + vi + ".";
      report.problem_en = "Archive file " + a.file_name + ": " + en + ".";
      return chain;
    };
    if (a.first_seq != chain.last_seq + 1) {
      return fail(
          chain.last_seq + 1,
          "không bắt đầu ngay sau tệp trước (bản ghi " + std::to_string(chain.last_seq + 1) + ")",
          "does not start right after the previous file (record " +
              std::to_string(chain.last_seq + 1) + ")");
    }
    if (a.prev_sha256 != prev_sha) {
      return fail(a.first_seq, "không nối với tệp trước (mã SHA-256 của tệp trước không khớp)",
                  "is not linked to the previous file (the previous file's SHA-256 differs)");
    }
    const fs::path path = options.archive_dir / a.file_name;
    if (options.archive_dir.empty()) {
      return fail(a.first_seq, "chưa cấu hình thư mục lưu trữ ([gateway] archive_dir)",
                  "no archive directory is configured ([gateway] archive_dir)");
    }
    auto bytes = ReadWhole(path);
    if (!bytes) {
      return fail(a.first_seq, "tệp bị mất (không có trong " + options.archive_dir.string() + ")",
                  "the file is missing (not in " + options.archive_dir.string() + ")");
    }
    const std::string sha = core::Sha256Hex(*bytes);
    if (sha != a.sha256) {
      auto other = by_digest.find(sha);
      if (other != by_digest.end()) {
        return fail(
            a.first_seq,
            "chứa nội dung của tệp " + other->second + ": các tệp đã bị đổi tên hoặc tráo thứ tự",
            "holds the contents of " + other->second + ": the files were renamed or re-ordered");
      }
      return fail(a.first_seq, "đã bị thay đổi sau khi ghi (mã SHA-256 khác với mã đã ghi nhận)",
                  "was changed after it was written (its SHA-256 differs from the one recorded)");
    }
    auto p7s = ReadWhole(path.string() + ".p7s");
    if (!p7s) {
      return fail(a.first_seq, "tệp chữ ký .p7s bị mất", "its .p7s signature file is missing");
    }
    auto cms = signing.VerifyCms(*bytes, *p7s);
    if (!cms.ok() || cms->signatures.size() != 1 || !cms->signatures[0].valid) {
      std::string vi = "chữ ký số của tệp không hợp lệ";
      std::string en = "its signature is not valid";
      if (cms.ok() && cms->signatures.size() == 1 && !cms->signatures[0].problems.empty()) {
        vi += " (" + cms->signatures[0].problems.front().message_vi + ")";
        en += " (" + cms->signatures[0].problems.front().message_en + ")";
      }
      return fail(a.first_seq, vi, en);
    }
    auto parsed = Parse(*bytes);
    if (auto* problem = std::get_if<Problem>(&parsed)) {
      return fail(a.first_seq, "không đọc được: " + problem->vi, "cannot be read: " + problem->en);
    }
    const ArchiveFile& file = std::get<ArchiveFile>(parsed);
    if (file.first_seq != a.first_seq || file.last_seq != a.last_seq ||
        file.prev_sha256 != prev_sha) {
      return fail(a.first_seq, "phần đầu tệp không khớp vị trí của tệp trong chuỗi",
                  "its header does not match its place in the chain");
    }
    // Signed by the gateway: an organisation certificate of the agency whose key signed the
    // records (any renewal of it), not merely any certificate the PKI trusts.
    const signing::SignatureReport& s = cms->signatures[0];
    TINHSO_ASSIGN_OR_RETURN(auto used,
                            pki.FindByIssuerSerial(s.issuer_subject, s.certificate_serial));
    std::optional<std::int64_t> agency;
    if (!file.record_list.empty()) {
      auto a_of = certificates.AgencyOf(file.record_list.front().signer_id);
      if (a_of.ok()) agency = *a_of;
    }
    if (!used || used->kind != pki::Kind::kOrganisation || !agency || used->agency_id != *agency) {
      return fail(
          a.first_seq, "không được ký bằng chứng thư tổ chức của nền tảng (" + s.signer_name + ")",
          "is not signed with the gateway's organisation certificate (" + s.signer_name + ")");
    }
    TINHSO_ASSIGN_OR_RETURN(std::optional<Problem> problem,
                            CheckContents(file, chain.last_hash, certificates, signing));
    if (problem) return fail(problem->seq, problem->vi, problem->en);
    chain.last_seq = a.last_seq;
    chain.last_hash = file.record_list.back().hash;
    chain.ends[a.last_seq] = chain.last_hash;
    prev_sha = sha;
    ++report.archives;
    report.records += file.records;
    report.stamps += file.stamps;
  }
  return chain;
}

Result<EvidenceSource> Gateway::ArchivedEvidence(std::int64_t seq) {
  TINHSO_ASSIGN_OR_RETURN(auto rows,
                          storage::WithTransaction(
                              db,
                              [&](storage::Transaction& tx) {
                                return tx.Query(sql::kArchiveOf, {{"seq", seq}, {"seq2", seq}});
                              },
                              storage::TxKind::kReadOnly));
  const std::string n = std::to_string(seq);
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound, "gateway.no_record",
                     "Nhật ký không có bản ghi " + n + ".", "The log has no record " + n + ".");
  }
  const LogArchive a = ArchiveOf(rows[0]);
  const fs::path path = options.archive_dir / a.file_name;
  auto bytes = ReadWhole(path);
  if (!bytes) {
    return MakeError(
        ErrorCode::kNotFound, "gateway.archive_missing",
        "Bản ghi " + n + " không còn trong cơ sở dữ liệu; nó được lưu trữ trong tệp " +
            a.file_name + " (SHA-256 " + a.sha256 + "), nhưng tệp này không có ở " +
            path.parent_path().string() + ". Hãy khôi phục tệp từ bản sao lưu rồi thử lại.",
        "Record " + n + " is no longer in the database; it was archived in " + a.file_name +
            " (SHA-256 " + a.sha256 + "), which is not in " + path.parent_path().string() +
            ". Restore the file from a backup and try "
            "again.");
  }
  if (core::Sha256Hex(*bytes) != a.sha256) {
    return MakeError(ErrorCode::kFailedPrecondition, "gateway.archive_altered",
                     "Bản ghi " + n + " chỉ còn trong tệp lưu trữ " + path.string() +
                         ", nhưng tệp đã bị thay đổi (mã SHA-256 không khớp " + a.sha256 +
                         "). Hãy khôi phục tệp từ bản sao lưu rồi thử lại.",
                     "Record " + n + " is only in the archive file " + path.string() +
                         ", which was changed (its SHA-256 is not " + a.sha256 +
                         "). Restore the file from a backup and try again.");
  }
  auto parsed = Parse(*bytes);
  if (auto* problem = std::get_if<Problem>(&parsed)) {
    return InternalError("gateway archive " + a.file_name + " unreadable: " + problem->en);
  }
  const ArchiveFile& file = std::get<ArchiveFile>(parsed);
  for (const ArchivedStamp& stamp : file.stamp_list) {
    if (seq < stamp.first_seq || seq > stamp.last_seq) continue;
    EvidenceSource out;
    out.first = stamp.first_seq;
    out.root_hex = stamp.root_hex;
    out.token = stamp.token;
    std::size_t at = file.record_list.size();
    for (std::size_t i = 0; i < stamp.record_count; ++i) {
      const ArchivedRecord& r = file.record_list[stamp.first_record + i];
      out.leaves.push_back(core::HexDecode(r.hash).value_or(""));
      if (r.seq == seq) at = stamp.first_record + i;
    }
    if (at == file.record_list.size()) break;
    const ArchivedRecord& r = file.record_list[at];
    out.canonical = r.canonical;
    out.hash = r.hash;
    // Signed with its commit batch: the records after it up to the batch's signed last one.
    for (std::size_t i = at; i < file.record_list.size(); ++i) {
      const ArchivedRecord& next = file.record_list[i];
      if (i > at) out.chain.push_back(next.canonical);
      if (!next.signature.empty()) {
        out.signature = next.signature;
        out.signer_id = next.signer_id;
        return out;
      }
    }
    return InternalError("gateway archive " + a.file_name + " has no signed record after " + n);
  }
  return InternalError("gateway archive " + a.file_name + " lacks record " + n);
}

Result<std::optional<LogArchive>> Service::Archive() { return impl_->Archive(); }
Result<std::vector<LogArchive>> Service::Archives(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return impl_->Archives();
}
Result<std::int64_t> Service::PurgeArchived() { return impl_->PurgeArchived(); }

}  // namespace tinhso::gateway
