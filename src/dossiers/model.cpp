// Names of statuses, channels and timeliness; row decoding; file-type detection.
#include <array>
#include <charconv>
#include <cstdio>

#include "core/json_writer.hpp"
#include "core/parse.hpp"
#include "dossiers/internal.hpp"
#include "dossiers/sql.hpp"

namespace tinhso::dossiers {
namespace {

struct StatusNames {
  std::string_view key, vi, en;
};

constexpr std::array<StatusNames, 10> kStatusNames = {{
    {"receiving", "Mới đăng ký", "Submitted, waiting for reception"},
    {"new", "Được tiếp nhận", "Received"},
    {"denied", "Không được tiếp nhận", "Rejected"},
    {"processing", "Đang xử lý", "In progress"},
    {"waiting", "Yêu cầu bổ sung giấy tờ", "Waiting for supplements"},
    {"paying", "Yêu cầu thực hiện nghĩa vụ tài chính", "Waiting for payment"},
    {"cancelled", "Công dân yêu cầu rút hồ sơ", "Withdrawn by the applicant"},
    {"unresolved", "Dừng xử lý", "Stopped"},
    {"releasing", "Đã xử lý xong", "Resolved, result ready"},
    {"done", "Đã trả kết quả", "Result returned"},
}};

const StatusNames& NamesOf(Status s) {
  const int i = static_cast<int>(s);
  return kStatusNames[static_cast<std::size_t>(i >= 1 && i <= 10 ? i - 1 : 0)];
}

}  // namespace

std::string_view StatusKey(Status s) { return NamesOf(s).key; }
std::string_view StatusNameVi(Status s) { return NamesOf(s).vi; }
std::string_view StatusNameEn(Status s) { return NamesOf(s).en; }

std::string Reference(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "HS%06lld", static_cast<long long>(id));
  return buf;
}

std::optional<std::int64_t> ParseReference(std::string_view text) {
  if (text.size() < 3 || text.size() > 20 || (text[0] != 'H' && text[0] != 'h') ||
      (text[1] != 'S' && text[1] != 's')) {
    return std::nullopt;
  }
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

bool IsFinal(Status s) {
  return s == Status::kRejected || s == Status::kWithdrawn || s == Status::kStopped ||
         s == Status::kReturned;
}

std::string_view ChannelKey(Channel c) {
  switch (c) {
    case Channel::kCounter:
      return "counter";
    case Channel::kOnline:
      return "online";
    case Channel::kPostal:
      return "postal";
  }
  return "";
}

std::string_view TimelinessKey(Timeliness t) {
  switch (t) {
    case Timeliness::kNone:
      return "";
    case Timeliness::kEarly:
      return "early";
    case Timeliness::kOnTime:
      return "on_time";
    case Timeliness::kLate:
      return "late";
    case Timeliness::kUndue:
      return "undue";
    case Timeliness::kOverdue:
      return "overdue";
  }
  return "";
}

namespace internal {

Dossier DecodeDossier(const storage::Row& r) {
  Dossier d;
  d.id = r.Int(0);
  d.code = r.Text(1);
  d.procedure_code = r.Text(2);
  d.channel = static_cast<Channel>(r.Int(3));
  d.status = static_cast<Status>(r.Int(4));
  d.applicant.kind = static_cast<int>(r.Int(5));
  d.applicant.name = r.Text(6);
  d.applicant.id_number = r.Text(7);
  d.applicant.phone = r.Text(8);
  d.applicant.email = r.Text(9);
  d.applicant.address = r.Text(10);
  d.applicant_user_id = r.OptionalInt(11).value_or(0);
  d.receiving_agency_id = r.Int(12);
  d.competent_agency_id = r.Int(13);
  d.current_agency_id = r.Int(14);
  d.locality_agency_id = r.OptionalInt(15).value_or(0);
  d.step_index = static_cast<int>(r.Int(16));
  d.step_code = r.Text(17);
  d.assignee_id = r.OptionalInt(18).value_or(0);
  d.summary = r.Text(19);
  d.form_json = r.Text(20);
  d.submitted_at = r.Time(21);
  d.received_at = r.OptionalTime(22);
  d.due_at = r.OptionalTime(23);
  d.original_due_at = r.OptionalTime(24);
  d.step_due_at = r.OptionalTime(25);
  d.finished_at = r.OptionalTime(26);
  d.returned_at = r.OptionalTime(27);
  d.paused_at = r.OptionalTime(28);
  d.supplement_count = static_cast<int>(r.Int(29));
  d.apology_issued = r.Int(30) != 0;
  d.fee_total = r.Int(31);
  d.paid_online = r.Int(32) != 0;
  if (auto v = r.OptionalInt(33)) d.rating = static_cast<int>(*v);
  d.return_method = r.Text(34);
  d.version = r.Int(35);
  d.updated_at = r.Time(36);
  d.lookup_secret = r.Text(37);
  d.procedure_version = r.Int(38);
  d.step_started_at = r.OptionalTime(39);
  d.submitter.kind = static_cast<int>(r.OptionalInt(40).value_or(0));
  d.submitter.name = r.Text(41);
  d.submitter.id_number = r.Text(42);
  d.on_behalf = r.Int(43) != 0;
  d.applicant_verified_by = r.OptionalText(44).value_or("");
  d.applicant_verified_at = r.OptionalTime(45);
  d.applicant_birth_date = r.OptionalText(46).value_or("");
  d.identity = ParseIdentityStatus(r.OptionalText(47).value_or("")).value_or(IdentityStatus::kNone);
  d.identity_differing = SplitFields(r.OptionalText(48).value_or(""));
  d.identity_checked_at = r.OptionalTime(49);
  d.identity_error = r.OptionalText(50).value_or("");
  return d;
}

std::string SniffFileType(std::string_view c) {
  if (c.starts_with("%PDF-")) return "pdf";
  if (c.starts_with("\xFF\xD8\xFF")) return "jpg";
  if (c.starts_with("\x89PNG\r\n\x1A\n")) return "png";
  // A .docx is a zip whose entries include word/document.xml; a bare zip is not accepted.
  if (c.starts_with(std::string_view("PK\x03\x04", 4)) &&
      c.find("word/") != std::string_view::npos) {
    return "docx";
  }
  std::string_view t = c;
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  if (t.starts_with("<?xml")) return "xml";
  return "";
}

std::string ContentTypeOf(std::string_view type) {
  if (type == "pdf") return "application/pdf";
  if (type == "jpg") return "image/jpeg";
  if (type == "png") return "image/png";
  if (type == "docx")
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (type == "xml") return "application/xml";
  return "application/octet-stream";
}

int LocalMonth(core::Seconds t) {
  const std::chrono::year_month_day ymd{
      std::chrono::floor<std::chrono::days>(t + core::kVietnamOffset)};
  return static_cast<int>(ymd.year()) * 100 + static_cast<int>(static_cast<unsigned>(ymd.month()));
}

MonthlyDelta DeltaBetween(const Dossier& before, const Dossier& after, Timeliness outcome) {
  MonthlyDelta delta;
  if (!after.received_at) return delta;
  if (!before.received_at) delta.received = 1;
  if (!before.finished_at && after.finished_at) {
    delta.early = outcome == Timeliness::kEarly;
    delta.on_time = outcome == Timeliness::kOnTime;
    delta.late = outcome == Timeliness::kLate;
  }
  if (!before.paid_online && after.paid_online) delta.paid_online = 1;
  return delta;
}

Result<void> BumpMonthly(storage::Transaction& tx, const Dossier& d, const MonthlyDelta& delta) {
  if (delta.empty() || !d.received_at) return Ok();
  TINHSO_RETURN_IF_ERROR(
      tx.Execute(sql::kBumpMonthly, {{"month", std::int64_t{LocalMonth(*d.received_at)}},
                                     {"agency_id", d.competent_agency_id},
                                     {"procedure_code", d.procedure_code},
                                     {"channel", static_cast<std::int64_t>(d.channel)},
                                     {"received", delta.received},
                                     {"done_early", delta.early},
                                     {"done_on_time", delta.on_time},
                                     {"done_late", delta.late},
                                     {"paid_online", delta.paid_online}}));
  return Ok();
}

std::string PublicEventJson(std::int64_t seq, core::Seconds at, std::string_view action,
                            std::string_view agency_name, std::string_view content, Status status) {
  json::Writer w(256 + content.size());
  w.BeginObject()
      .Field("seq", seq)
      .Field("at", core::FormatTimestamp(at))
      .Field("action", action)
      .Field("agency_name", agency_name)
      .Field("content", content)
      .Field("status", static_cast<int>(status))
      .Field("status_name", StatusNameVi(status))
      .Field("status_name_en", StatusNameEn(status))
      .EndObject();
  return w.Take();
}

Result<void> ChunkWriter::Add(std::int64_t file_id, const core::ByteSource& content) {
  std::int64_t seq = 0;
  return content.ForEachChunk(kFileChunkBytes, [&](std::string_view piece) -> Result<void> {
    if (rows_.waiting() == 0) waiting_bytes_ = 0;
    if (waiting_bytes_ + piece.size() > kFileChunkBytes) {
      TINHSO_RETURN_IF_ERROR(rows_.Flush());
      waiting_bytes_ = 0;
    }
    waiting_bytes_ += piece.size();
    return rows_.Add({file_id, seq++, storage::Bytes{std::string(piece)}});
  });
}

Result<std::string> ReadChunks(storage::Transaction& tx, std::string_view select_piece,
                               std::int64_t file_id, std::int64_t pieces, std::int64_t size) {
  std::string content;
  content.reserve(static_cast<std::size_t>(size));
  for (std::int64_t seq = 0; seq < pieces; ++seq) {
    TINHSO_ASSIGN_OR_RETURN(auto piece,
                            tx.Query(select_piece, {{"file_id", file_id}, {"seq", seq}}));
    if (piece.empty()) {
      return InternalError("stored file " + std::to_string(file_id) + ": a piece is missing");
    }
    content += piece[0].Blob(0);
  }
  return content;
}

Error NotFound() {
  return MakeError(ErrorCode::kNotFound, "dossier.not_found", "Không tìm thấy hồ sơ.",
                   "Dossier not found.");
}

Error IllegalTransition(std::string_view action, Status from) {
  return MakeError(ErrorCode::kFailedPrecondition, "dossier.illegal_transition",
                   "Không thể thực hiện thao tác '" + std::string(action) +
                       "' khi hồ sơ đang ở trạng thái \"" + std::string(StatusNameVi(from)) + "\".",
                   "Action '" + std::string(action) + "' is not allowed while the dossier is \"" +
                       std::string(StatusNameEn(from)) + "\".");
}

}  // namespace internal
}  // namespace tinhso::dossiers
