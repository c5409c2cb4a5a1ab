// Checkpoints of the chain head, kept outside the database (see audit.hpp).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

#include "audit/audit.hpp"
#include "audit/internal.hpp"
#include "audit/sql.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"

namespace tinhso::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormat = "tinhso-audit-checkpoint/1";
constexpr std::array<std::string_view, 3> kExtensions = {".json", ".p7s", ".tst"};

// "000000001234-20261207T023000Z": the entry number, then the time, so that names sort as the
// checkpoints were made.
std::string NameFor(std::int64_t seq, core::Seconds at) {
  char number[24];
  std::snprintf(number, sizeof number, "%012lld", static_cast<long long>(seq));
  std::string name = std::string(number) + "-";
  for (char c : core::FormatTimestamp(at)) {
    if (c != '-' && c != ':') name += c;
  }
  return name;
}

bool IsName(std::string_view name) {
  constexpr std::string_view kShape = "000000000000-00000000T000000Z";
  if (name.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const bool digit = name[i] >= '0' && name[i] <= '9';
    if (kShape[i] == '0' ? !digit : name[i] != kShape[i]) return false;
  }
  return true;
}

Error NotFound() {
  return MakeError(ErrorCode::kNotFound, "audit.checkpoint_not_found",
                   "Không có tệp điểm neo nhật ký này.", "No such audit checkpoint file.");
}

Error Invalid(std::string_view name, std::string_view why_vi, std::string_view why_en) {
  return MakeError(ErrorCode::kFailedPrecondition, "audit.checkpoint_invalid",
                   "Điểm neo " + std::string(name) + " không hợp lệ: " + std::string(why_vi),
                   "Checkpoint " + std::string(name) + " is not valid: " + std::string(why_en));
}

Error WriteFailed(const fs::path& path, int error) {
  return MakeError(error == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kUnavailable,
                   error == EEXIST ? "audit.checkpoint_exists" : "audit.checkpoint_write_failed",
                   "Không ghi được tệp điểm neo " + path.string() + ".",
                   "Cannot write the checkpoint file " + path.string() + ".", std::strerror(error));
}

// The checkpoint's bytes, which the signature and the time-stamp cover: one line of JSON.
std::string Text(const Checkpoint& c) {
  boost::json::object o;
  o["format"] = kFormat;
  o["seq"] = c.seq;
  o["hash"] = c.hash;
  o["count"] = c.count;
  o["at"] = core::FormatTimestamp(c.at);
  return json::Serialize(o) + "\n";
}

Result<Checkpoint> Parse(std::string_view name, std::string_view text) {
  auto bad = [name] {
    return Invalid(name, "tệp .json không đúng định dạng điểm neo.",
                   "the .json file is not a checkpoint.");
  };
  auto o = json::ParseObject(text);
  if (!o.ok()) return bad();
  Checkpoint c;
  c.name = std::string(name);
  auto format = json::RequiredString(*o, "format");
  auto seq = json::RequiredInt(*o, "seq");
  auto hash = json::RequiredString(*o, "hash");
  auto count = json::RequiredInt(*o, "count");
  auto at = json::RequiredString(*o, "at");
  if (!format.ok() || *format != kFormat || !seq.ok() || *seq < 1 || !hash.ok() ||
      hash->size() != 64 || !count.ok() || !at.ok()) {
    return bad();
  }
  auto time = core::ParseTimestamp(*at);
  if (!time) return bad();
  c.seq = *seq;
  c.hash = *hash;
  c.count = *count;
  c.at = *time;
  return c;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes `path` once: the bytes go to a temporary file, synced, then linked to `path`, which
// fails if it exists. A reader never sees a partial file, and no file is ever replaced.
Result<void> WriteOnce(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = path.string() + "." + std::to_string(::getpid()) + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return WriteFailed(tmp, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<std::size_t>(n);
  }
  const int error = done < bytes.size() ? errno : ::fsync(fd) != 0 ? errno : 0;
  ::close(fd);
  const int linked = error != 0 ? error : ::link(tmp.c_str(), path.c_str()) != 0 ? errno : 0;
  ::unlink(tmp.c_str());
  if (linked != 0) return WriteFailed(path, linked);
  return Ok();
}

}  // namespace

struct Checkpoints::State {
  State(storage::Database& database, fs::path directory, Notary n)
      : db(database), dir(std::move(directory)), notary(std::move(n)) {}

  storage::Database& db;
  fs::path dir;
  Notary notary;
  std::mutex writing;  // one writer at a time in this process; other processes meet link()

  // The names of the complete checkpoints (all three files), oldest first.
  Result<std::vector<std::string>> Names() const {
    std::vector<std::string> names;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() == ".json" && IsName(p.stem().string())) {
        names.push_back(p.stem().string());
      }
    }
    if (ec) {
      return MakeError(ErrorCode::kUnavailable, "audit.checkpoint_dir_unreadable",
                       "Không đọc được thư mục điểm neo " + dir.string() + ".",
                       "Cannot read the checkpoint directory " + dir.string() + ".", ec.message());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::optional<Checkpoint>> Newest() const {
    TINHSO_ASSIGN_OR_RETURN(auto names, Names());
    if (names.empty()) return std::optional<Checkpoint>();
    auto text = ReadFile(dir / (names.back() + ".json"));
    if (!text) return NotFound();
    TINHSO_ASSIGN_OR_RETURN(Checkpoint c, Parse(names.back(), *text));
    return std::optional<Checkpoint>(std::move(c));
  }
};

Checkpoints::Checkpoints(storage::Database& db, fs::path dir, Notary notary)
    : state_(std::make_unique<State>(db, std::move(dir), std::move(notary))) {}

Checkpoints::~Checkpoints() = default;

Result<std::optional<Checkpoint>> Checkpoints::Write(core::Seconds now, bool always) {
  std::lock_guard lock(state_->writing);
  TINHSO_ASSIGN_OR_RETURN(std::optional<Checkpoint> newest, state_->Newest());
  Checkpoint c;
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, state_->db.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(storage::Rows last, tx->Query(sql::kLast));
    if (last.empty()) return std::optional<Checkpoint>();
    c.seq = last[0].Int(0);
    c.hash = last[0].Text(1);
    if (newest) {
      // Never sign a chain that lost what was already anchored: that is for Verify to report.
      TINHSO_ASSIGN_OR_RETURN(storage::Rows anchored,
                              tx->Query(sql::kHashOf, {{"seq", newest->seq}}));
      if (anchored.empty() || anchored[0].Text(0) != newest->hash) {
        return MakeError(
            ErrorCode::kFailedPrecondition, "audit.checkpoint_conflict",
            "Không ghi điểm neo: nhật ký không còn bản ghi số " + std::to_string(newest->seq) +
                " như điểm neo " + newest->name + " đã ghi nhận. Hãy chạy tinhso audit verify.",
            "No checkpoint written: the log no longer holds entry " + std::to_string(newest->seq) +
                " as checkpoint " + newest->name + " recorded it. Run tinhso audit verify.");
      }
    }
  }
  if (!always && newest && newest->seq == c.seq && newest->hash == c.hash) {
    return std::optional<Checkpoint>();
  }
  c.count = c.seq;
  c.at = now;
  c.name = NameFor(c.seq, now);
  const std::string text = Text(c);
  TINHSO_ASSIGN_OR_RETURN(Notary::Seal seal, state_->notary.seal(text));
  std::error_code ec;
  fs::create_directories(state_->dir, ec);
  // The signature and the token first: a .json file is a checkpoint with all three.
  const fs::path stem = state_->dir / c.name;
  TINHSO_RETURN_IF_ERROR(WriteOnce(stem.string() + ".p7s", seal.signature));
  TINHSO_RETURN_IF_ERROR(WriteOnce(stem.string() + ".tst", seal.timestamp));
  TINHSO_RETURN_IF_ERROR(WriteOnce(stem.string() + ".json", text));
  const int dir_fd = ::open(state_->dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return std::optional<Checkpoint>(std::move(c));
}

Result<std::vector<Checkpoint>> Checkpoints::List(int limit, std::string_view before) const {
  TINHSO_ASSIGN_OR_RETURN(auto names, state_->Names());
  std::vector<Checkpoint> out;
  for (auto it = names.rbegin(); it != names.rend() && static_cast<int>(out.size()) < limit; ++it) {
    if (!before.empty() && *it >= before) continue;
    auto text = ReadFile(state_->dir / (*it + ".json"));
    auto parsed = text ? Parse(*it, *text) : Result<Checkpoint>(NotFound());
    if (parsed.ok()) {
      out.push_back(std::move(*parsed));
    } else {
      Checkpoint unreadable;  // listed all the same: an auditor should see it
      unreadable.name = *it;
      out.push_back(std::move(unreadable));
    }
  }
  return out;
}

Result<std::string> Checkpoints::File(std::string_view file_name) const {
  const auto dot = file_name.find('.');
  if (dot == std::string_view::npos || !IsName(file_name.substr(0, dot)) ||
      std::find(kExtensions.begin(), kExtensions.end(), file_name.substr(dot)) ==
          kExtensions.end()) {
    return NotFound();
  }
  auto bytes = ReadFile(state_->dir / std::string(file_name));
  if (!bytes) return NotFound();
  return *bytes;
}

Result<VerifyReport> Checkpoints::Verify(const std::function<void(std::int64_t)>& progress) const {
  // Listed before the chain's snapshot is taken, so that every checkpoint anchors an entry the
  // snapshot holds, even while the server appends and anchors meanwhile.
  TINHSO_ASSIGN_OR_RETURN(auto names, state_->Names());
  std::vector<Checkpoint> anchors;
  std::vector<core::Seconds> stamped;
  for (const std::string& name : names) {
    const fs::path stem = state_->dir / name;
    auto text = ReadFile(stem.string() + ".json");
    auto signature = ReadFile(stem.string() + ".p7s");
    auto token = ReadFile(stem.string() + ".tst");
    Result<core::Seconds> time = InternalError("unchecked");
    if (!text || !signature || !token) {
      time = Invalid(name, "thiếu tệp chữ ký (.p7s) hoặc dấu thời gian (.tst).",
                     "its signature (.p7s) or time-stamp (.tst) is missing.");
    } else {
      time = state_->notary.check(*text, {*signature, *token});
      if (!time.ok() && time.error().reason != "audit.checkpoint_invalid") return time.error();
      if (!time.ok()) time = Invalid(name, time.error().message_vi, time.error().message_en);
    }
    Result<Checkpoint> parsed = time.ok() ? Parse(name, *text) : Result<Checkpoint>(time.error());
    if (!parsed.ok()) {
      VerifyReport bad;
      bad.intact = false;
      bad.problem = "checkpoint";
      bad.problem_vi = parsed.error().message_vi;
      bad.problem_en = parsed.error().message_en;
      return bad;
    }
    anchors.push_back(std::move(*parsed));
    stamped.push_back(*time);
  }
  std::map<std::int64_t, std::string> hashes;
  for (const Checkpoint& c : anchors) hashes[c.seq];
  TINHSO_ASSIGN_OR_RETURN(VerifyReport report,
                          internal::VerifyChain(state_->db, progress, &hashes));
  report.checkpoints = static_cast<int>(anchors.size());
  if (!anchors.empty()) {
    report.anchored = anchors.back().seq;
    report.anchored_at = stamped.back();
  }
  if (!report.intact) {
    // A broken link at or below an anchored entry: what was anchored has been changed.
    const bool anchored = std::any_of(anchors.begin(), anchors.end(), [&](const Checkpoint& c) {
      return c.seq >= report.first_bad;
    });
    if (report.problem == "chain" && anchored) report.problem = "rewritten";
    return report;
  }
  std::int64_t confirmed = 0;  // entries up to here match a checkpoint
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    const Checkpoint& c = anchors[i];
    const std::string seq = std::to_string(c.seq);
    const std::string when = core::FormatVietnamDateTime(stamped[i]);
    if (c.seq > report.checked) {
      const std::string kept = std::to_string(report.checked);
      const std::string from = std::to_string(report.checked + 1);
      report.intact = false;
      report.first_bad = report.checked + 1;
      report.problem = "truncated";
      report.problem_vi = "Nhật ký đã bị cắt cụt: điểm neo " + c.name +
                          " (đóng dấu thời gian lúc " + when + ") ghi nhận " + seq +
                          " bản ghi, nay chỉ còn " + kept + "; các bản ghi từ số " + from +
                          " đến " + seq + " đã bị xóa.";
      report.problem_en = "The log was truncated: checkpoint " + c.name + " (time-stamped " + when +
                          ", Vietnam time) anchors " + seq + " entries, only " + kept +
                          " remain; entries " + from + " to " + seq + " were removed.";
      return report;
    }
    if (hashes[c.seq] != c.hash) {
      const std::string from = std::to_string(confirmed + 1);
      report.intact = false;
      report.first_bad = confirmed + 1;
      report.problem = "rewritten";
      report.problem_vi = "Nhật ký đã bị viết lại: bản ghi số " + seq +
                          " không còn mã băm mà điểm neo " + c.name + " (lúc " + when +
                          ") đã ghi nhận, dù chuỗi vẫn nối liền (các mã băm đã bị tính lại). "
                          "Ít nhất một bản ghi từ số " +
                          from + " đến " + seq + " đã bị sửa, xóa hoặc chèn.";
      report.problem_en = "The log was rewritten: entry " + seq +
                          " no longer has the hash that checkpoint " + c.name + " (" + when +
                          ", Vietnam time) recorded, although the chain links up (its hashes "
                          "were computed again). At least one entry from " +
                          from + " to " + seq + " was changed, removed or inserted.";
      return report;
    }
    confirmed = std::max(confirmed, c.seq);
  }
  return report;
}

}  // namespace tinhso::audit
