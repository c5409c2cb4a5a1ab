// Backup and restore in a logical, backend-neutral format, so that a province can move from
// SQLite to PostgreSQL (and back) with `tinhso backup` + `tinhso restore`.
//
// The file is UTF-8 text, one JSON document per line:
//   {"format":"tinhso-backup","format_version":1,"schema_version":12,"backend":"sqlite",
//    "created_at":1767225600}
//   {"table":"agency","columns":["id","code","name"]}      one per table, parents first
//   [1,"000.00.00.H01","UBND tỉnh"]                         one per row, in column order
//   …
//   {"end":true,"tables":7,"rows":12345}                    absent if the backup was cut short
// Values: null, integers, reals, strings as JSON; bytes as {"base64":"…"}; NaN and ±infinity
// (which JSON cannot write) as {"real":"NaN"|"Infinity"|"-Infinity"}.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "storage/database.hpp"
#include "storage/internal.hpp"

namespace tinhso::storage {

namespace {

namespace json = boost::json;

constexpr std::int64_t kFormatVersion = 1;
// Rows read per query during backup: keeps memory flat on large tables.
constexpr int kPageRows = 1000;
// Rows per INSERT during restore, bounded by the parameter limits (SQLite 32766).
constexpr std::size_t kMaxBatchRows = 100;
constexpr std::size_t kMaxBatchParams = 4000;

// --- base64 (RFC 4648, with padding) ---------------------------------------------------------

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += two ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const int pad = (in[i + 3] == '=') + (in[i + 2] == '=' && in[i + 3] == '=');
    if (pad > 0 && i + 4 != in.size()) {
      return std::nullopt;
    }
    int n = 0;
    for (int k = 0; k < 4 - pad; ++k) {
      const int d = digit(in[i + static_cast<std::size_t>(k)]);
      if (d < 0) {
        return std::nullopt;
      }
      n |= d << (18 - 6 * k);
    }
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

// --- errors -----------------------------------------------------------------------------------

Error IoError(const std::string& what, const std::string& path, int err) {
  return MakeError(ErrorCode::kUnavailable, "backup.io", "Không đọc/ghi được tệp sao lưu.",
                   "Cannot read or write the backup file.",
                   what + " " + path + ": " + std::strerror(err));
}

Error InvalidBackup(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "backup.invalid",
                   "Tệp không phải bản sao lưu tinhso hợp lệ, hoặc bị cắt cụt.",
                   "The file is not a valid tinhso backup, or it was cut short.",
                   std::move(detail));
}

// --- writing ----------------------------------------------------------------------------------

// Buffered writes to PATH.tmp, then fsync + rename: readers of PATH see either the previous
// file or the complete new one, never a half-written backup.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {}
  ~AtomicFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (!committed_) {
      ::unlink(tmp_.c_str());
    }
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  Result<void> Open() {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return IoError("cannot create", tmp_, errno);
    }
    return Ok();
  }

  Result<void> WriteLine(std::string_view line) {
    buffer_.append(line);
    buffer_.push_back('\n');
    if (buffer_.size() >= (1 << 20)) {
      return Flush();
    }
    return Ok();
  }

  Result<void> Commit() {
    TINHSO_RETURN_IF_ERROR(Flush());
    if (::fsync(fd_) != 0) {
      return IoError("cannot sync", tmp_, errno);
    }
    if (::close(fd_) != 0) {
      fd_ = -1;
      return IoError("cannot close", tmp_, errno);
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      return IoError("cannot rename to", path_, errno);
    }
    committed_ = true;
    // The rename itself lives in the directory: sync it too, or a crash may forget it.
    std::string dir = std::filesystem::path(path_).parent_path().string();
    const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
    return Ok();
  }

  std::int64_t bytes() const { return bytes_; }

 private:
  Result<void> Flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return IoError("cannot write", tmp_, errno);
      }
      done += static_cast<std::size_t>(n);
    }
    bytes_ += static_cast<std::int64_t>(buffer_.size());
    buffer_.clear();
    return Ok();
  }

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
  std::string buffer_;
  std::int64_t bytes_ = 0;
};

json::value ToJson(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return *n;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::isfinite(*d)) {
      return *d;
    }
    return json::object{{"real", std::isnan(*d) ? "NaN" : (*d > 0 ? "Infinity" : "-Infinity")}};
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return json::string(*s);
  }
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return json::object{{"base64", Base64Encode(b->data)}};
  }
  return nullptr;
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) {
    out += (out.empty() ? "" : ", ") + internal::QuoteIdent(c);
  }
  return out;
}

// Reads one table page by page along its primary key ("keyset" paging: each page starts after
// the last key seen, so a page costs the same at the end of a large table as at its start).
Result<void> DumpTable(Transaction& tx, const internal::TableInfo& table, AtomicFile& out,
                       std::int64_t& total_rows, const ProgressFn& progress) {
  TINHSO_RETURN_IF_ERROR(out.WriteLine(json::serialize(
      json::object{{"table", table.name},
                   {"columns", json::array(table.columns.begin(), table.columns.end())}})));
  const std::string select =
      "SELECT " + ColumnList(table.columns) + " FROM " + internal::QuoteIdent(table.name);
  std::vector<std::size_t> key_index;  // positions of the key columns among the columns
  for (const std::string& k : table.primary_key) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i] == k) {
        key_index.push_back(i);
      }
    }
  }
  const bool paged = !key_index.empty() && key_index.size() == table.primary_key.size();
  std::string first_page = select;
  std::string next_page;
  std::vector<std::string> key_params;
  if (paged) {
    const std::string order =
        " ORDER BY " + ColumnList(table.primary_key) + " LIMIT " + std::to_string(kPageRows);
    std::string keys;
    for (std::size_t i = 0; i < key_index.size(); ++i) {
      key_params.push_back("k" + std::to_string(i));
      keys += (i == 0 ? ":" : ", :") + key_params.back();
    }
    first_page += order;
    next_page = select + " WHERE (" + ColumnList(table.primary_key) + ") > (" + keys + ")" + order;
  }

  std::int64_t table_rows = 0;
  Params after;
  for (bool first = true;; first = false) {
    TINHSO_ASSIGN_OR_RETURN(Rows rows, tx.Query(first ? first_page : next_page, after));
    for (const Row& row : rows) {
      json::array line;
      line.reserve(row.size());
      for (std::size_t i = 0; i < row.size(); ++i) {
        line.push_back(ToJson(row.at(i)));
      }
      TINHSO_RETURN_IF_ERROR(out.WriteLine(json::serialize(line)));
    }
    table_rows += static_cast<std::int64_t>(rows.size());
    total_rows += static_cast<std::int64_t>(rows.size());
    if (progress) {
      progress(Progress{table.name, table_rows, total_rows});
    }
    if (!paged || rows.size() < static_cast<std::size_t>(kPageRows)) {
      return Ok();
    }
    const Row& last = rows.rows.back();
    after.clear();
    for (std::size_t i = 0; i < key_index.size(); ++i) {
      after.push_back(Param{key_params[i], last.at(key_index[i])});
    }
  }
}

// --- reading ----------------------------------------------------------------------------------

Result<Value> FromJson(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return Value(nullptr);
    case json::kind::int64:
      return Value(v.get_int64());
    case json::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return Value(static_cast<std::int64_t>(v.get_uint64()));
      }
      break;
    case json::kind::double_:
      return Value(v.get_double());
    case json::kind::string:
      return Value(std::string(v.get_string()));
    case json::kind::object: {
      const json::object& o = v.get_object();
      if (const json::value* b = o.if_contains("base64"); b != nullptr && b->is_string()) {
        auto bytes = Base64Decode(b->get_string());
        if (bytes) {
          return Value(Bytes{std::move(*bytes)});
        }
      }
      if (const json::value* r = o.if_contains("real"); r != nullptr && r->is_string()) {
        const std::string_view s = r->get_string();
        if (s == "NaN") return Value(std::nan(""));
        if (s == "Infinity") return Value(HUGE_VAL);
        if (s == "-Infinity") return Value(-HUGE_VAL);
      }
      break;
    }
    default:
      break;
  }
  return InvalidBackup("unexpected value " + json::serialize(v));
}

std::optional<std::size_t> IndexOf(const std::vector<std::string>& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      return i;
    }
  }
  return std::nullopt;
}

// Collects rows of one table and inserts them a batch at a time.
class TableLoader {
 public:
  TableLoader(Transaction& tx, Backend backend, const internal::TableInfo& info,
              std::vector<std::string> columns)
      : tx_(tx), backend_(backend), table_(info.name), columns_(std::move(columns)) {
    batch_rows_ = std::max<std::size_t>(
        1, std::min(kMaxBatchRows, kMaxBatchParams / std::max<std::size_t>(1, columns_.size())));
    for (std::size_t r = 0; r < batch_rows_; ++r) {
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        names_.push_back("r" + std::to_string(r) + "c" + std::to_string(c));
      }
    }
    // Self-references are inserted as NULL and set once every row of the table exists; that
    // needs the primary key to find the row again.
    bool key_complete = !info.primary_key.empty();
    for (const std::string& k : info.primary_key) {
      const auto i = IndexOf(columns_, k);
      key_complete = key_complete && i.has_value();
      if (i) {
        key_.push_back(*i);
      }
    }
    if (key_complete) {
      for (const std::string& r : info.self_references) {
        if (const auto i = IndexOf(columns_, r)) {
          self_references_.push_back(*i);
        }
      }
    }
  }

  std::size_t width() const { return columns_.size(); }

  Result<void> Add(std::vector<Value> row) {
    if (!self_references_.empty()) {
      Fixup fixup;
      bool needed = false;
      for (std::size_t i : self_references_) {
        needed = needed || !std::holds_alternative<std::nullptr_t>(row[i]);
        fixup.references.push_back(std::exchange(row[i], nullptr));
      }
      if (needed) {
        for (std::size_t i : key_) {
          fixup.key.push_back(row[i]);
        }
        fixups_.push_back(std::move(fixup));
      }
    }
    pending_.push_back(std::move(row));
    if (pending_.size() == batch_rows_) {
      return Flush();
    }
    return Ok();
  }

  // Inserts what is left, then fills in the self-references.
  Result<void> Finish() {
    TINHSO_RETURN_IF_ERROR(Flush());
    if (fixups_.empty()) {
      return Ok();
    }
    std::string sql = "UPDATE " + internal::QuoteIdent(table_) + " SET ";
    for (std::size_t i = 0; i < self_references_.size(); ++i) {
      sql += (i == 0 ? "" : ", ") + internal::QuoteIdent(columns_[self_references_[i]]) + " = :v" +
             std::to_string(i);
    }
    for (std::size_t i = 0; i < key_.size(); ++i) {
      sql += (i == 0 ? " WHERE " : " AND ") + internal::QuoteIdent(columns_[key_[i]]) + " = :k" +
             std::to_string(i);
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < self_references_.size(); ++i) {
      names.push_back("v" + std::to_string(i));
    }
    for (std::size_t i = 0; i < key_.size(); ++i) {
      names.push_back("k" + std::to_string(i));
    }
    for (Fixup& fixup : fixups_) {
      Params params;
      std::size_t n = 0;
      for (Value& v : fixup.references) {
        params.push_back(Param{names[n++], std::move(v)});
      }
      for (Value& v : fixup.key) {
        params.push_back(Param{names[n++], std::move(v)});
      }
      TINHSO_RETURN_IF_ERROR(tx_.Execute(sql, params));
    }
    fixups_.clear();
    return Ok();
  }

 private:
  struct Fixup {
    std::vector<Value> key;
    std::vector<Value> references;
  };

  Result<void> Flush() {
    if (pending_.empty()) {
      return Ok();
    }
    std::string sql = "INSERT INTO " + internal::QuoteIdent(table_) + " (" + ColumnList(columns_) +
                      ")" + std::string(internal::RestoreInsertClause(backend_)) + " VALUES ";
    Params params;
    params.reserve(pending_.size() * columns_.size());
    for (std::size_t r = 0; r < pending_.size(); ++r) {
      sql += r == 0 ? "(" : ", (";
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::string& name = names_[r * columns_.size() + c];
        sql += (c == 0 ? ":" : ", :") + name;
        params.push_back(Param{name, std::move(pending_[r][c])});
      }
      sql += ")";
    }
    pending_.clear();
    TINHSO_RETURN_IF_ERROR(tx_.Execute(sql, params));
    return Ok();
  }

  Transaction& tx_;
  Backend backend_;
  std::string table_;
  std::vector<std::string> columns_;
  std::size_t batch_rows_;
  std::vector<std::string> names_;  // the parameter names the Params point into
  std::vector<std::vector<Value>> pending_;
  std::vector<std::size_t> key_;              // positions of the primary key columns
  std::vector<std::size_t> self_references_;  // positions of the self-referencing columns
  std::vector<Fixup> fixups_;
};

Result<json::value> ParseLine(const std::string& line, std::int64_t number) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // SQLite TEXT may hold it; the target decides
  boost::system::error_code ec;
  json::value v = json::parse(line, ec, {}, options);
  if (ec) {
    return InvalidBackup("line " + std::to_string(number) + ": " + ec.message());
  }
  return v;
}

std::int64_t IntField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : -1;
}

// Rows per table that the migrations themselves insert (audit_head's genesis row…), found by
// replaying them into a scratch in-memory database. A freshly migrated target holds exactly
// these, and a restore replaces them.
Result<std::map<std::string, std::int64_t>> SeedRows(std::span<const Migration> migrations,
                                                     int version) {
  std::size_t n = 0;
  while (n < migrations.size() && migrations[n].version <= version) {
    ++n;
  }
  TINHSO_ASSIGN_OR_RETURN(auto scratch, Open("sqlite::memory:"));
  TINHSO_RETURN_IF_ERROR(Migrate(*scratch, migrations.first(n)));
  TINHSO_ASSIGN_OR_RETURN(auto tx, scratch->Begin(TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto tables, internal::ListTables(*tx, Backend::kSqlite));
  std::map<std::string, std::int64_t> seeds;
  for (const internal::TableInfo& t : tables) {
    TINHSO_ASSIGN_OR_RETURN(Rows rows,
                            tx->Query("SELECT COUNT(*) FROM " + internal::QuoteIdent(t.name)));
    if (rows[0].Int(0) > 0) {
      seeds[t.name] = rows[0].Int(0);
    }
  }
  return seeds;
}

// Refuses a target that holds more than the migrations' own rows, then deletes those (children
// first) so that the backup's version of them goes in instead.
Result<void> ClearSeededTarget(Transaction& tx, const std::vector<internal::TableInfo>& tables,
                               const std::map<std::string, std::int64_t>& seeds) {
  std::vector<const internal::TableInfo*> seeded;
  for (const internal::TableInfo& t : tables) {
    const auto seed = seeds.find(t.name);
    const std::int64_t expected = seed == seeds.end() ? 0 : seed->second;
    // Counting stops just past the expected number: a large table is not scanned.
    TINHSO_ASSIGN_OR_RETURN(
        Rows rows, tx.Query("SELECT COUNT(*) FROM (SELECT 1 FROM " + internal::QuoteIdent(t.name) +
                                " LIMIT :limit) AS t",
                            {{"limit", expected + 1}}));
    const std::int64_t count = rows[0].Int(0);
    if (count != expected) {
      return MakeError(
          ErrorCode::kFailedPrecondition, "backup.target_not_empty",
          "Cơ sở dữ liệu đích đã có dữ liệu (bảng " + t.name +
              "). Chỉ khôi phục vào cơ sở dữ liệu mới, đã migrate và chưa dùng.",
          "The target database already holds data (table " + t.name +
              "). Restore only into a new database that has been migrated and not used.",
          "table " + t.name + " has " + std::to_string(count) + " rows, migrations insert " +
              std::to_string(expected));
    }
    if (count > 0) {
      seeded.push_back(&t);
    }
  }
  for (auto it = seeded.rbegin(); it != seeded.rend(); ++it) {
    TINHSO_RETURN_IF_ERROR(tx.Execute("DELETE FROM " + internal::QuoteIdent((*it)->name)));
  }
  return Ok();
}

}  // namespace

Result<BackupStats> Backup(Database& db, const std::string& path, const ProgressFn& progress) {
  // One read-only snapshot: the server keeps writing, the backup sees one instant.
  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(TxKind::kReadOnly));
  BackupStats stats;
  TINHSO_ASSIGN_OR_RETURN(stats.schema_version, internal::SchemaVersion(*tx, db.backend()));
  TINHSO_ASSIGN_OR_RETURN(auto tables, internal::ListTables(*tx, db.backend()));

  AtomicFile out(path);
  TINHSO_RETURN_IF_ERROR(out.Open());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  TINHSO_RETURN_IF_ERROR(
      out.WriteLine(json::serialize(json::object{{"format", "tinhso-backup"},
                                                 {"format_version", kFormatVersion},
                                                 {"schema_version", stats.schema_version},
                                                 {"backend", internal::BackendName(db.backend())},
                                                 {"created_at", now}})));
  for (const internal::TableInfo& table : tables) {
    TINHSO_RETURN_IF_ERROR(DumpTable(*tx, table, out, stats.rows, progress));
  }
  stats.tables = static_cast<std::int64_t>(tables.size());
  TINHSO_RETURN_IF_ERROR(out.WriteLine(json::serialize(
      json::object{{"end", true}, {"tables", stats.tables}, {"rows", stats.rows}})));
  TINHSO_RETURN_IF_ERROR(out.Commit());
  stats.bytes = out.bytes();
  return stats;
}

Result<RestoreStats> Restore(const std::string& path, Database& target,
                             const ProgressFn& progress) {
  return Restore(path, target, EmbeddedMigrations(), progress);
}

Result<RestoreStats> Restore(const std::string& path, Database& target,
                             std::span<const Migration> migrations, const ProgressFn& progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (!std::filesystem::exists(path)) {
      return MakeError(ErrorCode::kNotFound, "backup.not_found", "Không tìm thấy tệp sao lưu.",
                       "The backup file does not exist.", path);
    }
    return IoError("cannot open", path, err);
  }
  std::string line;
  std::int64_t line_number = 1;
  if (!std::getline(in, line)) {
    return InvalidBackup("empty file");
  }
  TINHSO_ASSIGN_OR_RETURN(json::value header_value, ParseLine(line, line_number));
  const json::object* header = header_value.if_object();
  if (header == nullptr || !header->contains("format") ||
      header->at("format") != json::value("tinhso-backup")) {
    return InvalidBackup("no tinhso-backup header");
  }
  if (IntField(*header, "format_version") != kFormatVersion) {
    return InvalidBackup("format_version " + json::serialize(header->at("format_version")) +
                         " is not supported");
  }
  RestoreStats stats;
  stats.schema_version = static_cast<int>(IntField(*header, "schema_version"));

  const Backend backend = target.backend();
  TINHSO_ASSIGN_OR_RETURN(auto tx, target.Begin(TxKind::kReadWrite));
  TINHSO_RETURN_IF_ERROR(internal::LockForMaintenance(*tx, backend));
  TINHSO_ASSIGN_OR_RETURN(const int target_version, internal::SchemaVersion(*tx, backend));
  if (target_version != stats.schema_version) {
    return MakeError(ErrorCode::kFailedPrecondition, "backup.schema_mismatch",
                     "Bản sao lưu ở phiên bản lược đồ " + std::to_string(stats.schema_version) +
                         ", cơ sở dữ liệu đích ở phiên bản " + std::to_string(target_version) +
                         ". Hãy migrate cơ sở dữ liệu đích tới cùng phiên bản rồi thử lại.",
                     "The backup has schema version " + std::to_string(stats.schema_version) +
                         ", the target database has version " + std::to_string(target_version) +
                         ". Migrate the target to the same version, then try again.",
                     "");
  }
  TINHSO_ASSIGN_OR_RETURN(auto tables, internal::ListTables(*tx, backend));
  TINHSO_ASSIGN_OR_RETURN(auto seeds, SeedRows(migrations, target_version));
  TINHSO_RETURN_IF_ERROR(internal::DeferForeignKeys(*tx, backend));
  TINHSO_RETURN_IF_ERROR(ClearSeededTarget(*tx, tables, seeds));
  std::map<std::string, const internal::TableInfo*> target_tables;
  for (const internal::TableInfo& t : tables) {
    target_tables[t.name] = &t;
  }

  std::optional<TableLoader> loader;
  std::string table;
  std::int64_t table_rows = 0;
  bool ended = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (ended) {
      return InvalidBackup("data after the end marker, line " + std::to_string(line_number));
    }
    TINHSO_ASSIGN_OR_RETURN(json::value v, ParseLine(line, line_number));
    if (const json::array* row = v.if_array()) {
      if (!loader || row->size() != loader->width()) {
        return InvalidBackup("row without a table, or with the wrong width, line " +
                             std::to_string(line_number));
      }
      std::vector<Value> values;
      values.reserve(row->size());
      for (const json::value& cell : *row) {
        TINHSO_ASSIGN_OR_RETURN(Value value, FromJson(cell));
        values.push_back(std::move(value));
      }
      TINHSO_RETURN_IF_ERROR(loader->Add(std::move(values)));
      ++table_rows;
      ++stats.rows;
      if (progress && table_rows % kPageRows == 0) {
        progress(Progress{table, table_rows, stats.rows});
      }
      continue;
    }
    const json::object* o = v.if_object();
    if (o == nullptr) {
      return InvalidBackup("unexpected line " + std::to_string(line_number));
    }
    if (loader) {
      TINHSO_RETURN_IF_ERROR(loader->Finish());
      if (progress) {
        progress(Progress{table, table_rows, stats.rows});
      }
      loader.reset();
    }
    if (o->contains("end")) {
      if (IntField(*o, "rows") != stats.rows || IntField(*o, "tables") != stats.tables) {
        return InvalidBackup("end marker counts do not match the rows read");
      }
      ended = true;
      continue;
    }
    const json::value* name = o->if_contains("table");
    const json::value* columns = o->if_contains("columns");
    if (name == nullptr || !name->is_string() || columns == nullptr || !columns->is_array()) {
      return InvalidBackup("bad table header, line " + std::to_string(line_number));
    }
    table = name->get_string();
    const auto known = target_tables.find(table);
    bool matches = known != target_tables.end();
    std::vector<std::string> column_names;
    for (const json::value& c : columns->get_array()) {
      if (!c.is_string()) {
        return InvalidBackup("bad column name, line " + std::to_string(line_number));
      }
      column_names.emplace_back(c.get_string());
      matches = matches && IndexOf(known->second->columns, column_names.back()).has_value();
    }
    if (!matches) {
      return MakeError(ErrorCode::kFailedPrecondition, "backup.schema_mismatch",
                       "Bảng " + table + " trong bản sao lưu không khớp với cơ sở dữ liệu đích.",
                       "Table " + table + " of the backup does not match the target database.",
                       "table or column missing in the target");
    }
    loader.emplace(*tx, backend, *known->second, std::move(column_names));
    table_rows = 0;
    ++stats.tables;
  }
  if (!ended) {
    return InvalidBackup("no end marker: the backup was cut short");
  }
  TINHSO_RETURN_IF_ERROR(internal::ResetSequences(*tx, backend));
  TINHSO_RETURN_IF_ERROR(tx->Commit());
  return stats;
}

}  // namespace tinhso::storage
