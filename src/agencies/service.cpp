// The agencies use cases and the auth::AgencyTree cache. SQL lives in store.cpp/sql.hpp.
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "agencies/agencies.hpp"
#include "agencies/errors.hpp"
#include "agencies/json_io.hpp"
#include "agencies/store.hpp"
#include "audit/audit.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::agencies {

using internal::Dissolved;
using internal::InvalidInput;
using internal::NotFound;
using storage::Transaction;

struct Service::State {
  std::mutex movers_mutex;  // held for a whole reorganisation: movers need not be thread-safe
  std::vector<std::unique_ptr<WorkMover>> movers;

  // The directory: every agency and code, reloaded after every change this instance makes.
  std::mutex refresh_mutex;  // one reload at a time, so that the last to start is the last kept
  std::shared_mutex tree_mutex;
  std::unordered_map<std::int64_t, Agency> by_id;                      // current and closed
  std::unordered_map<std::string, std::vector<std::int64_t>> holders;  // code → newest first
  std::unordered_map<std::int64_t, std::int64_t> parent;     // current agency → parent or 0
  std::unordered_map<std::int64_t, std::int64_t> successor;  // closed agency → primary successor
  // The same edges inverted, for Subtree: agency → current children and closed predecessors.
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> below;
  bool loaded = false;
};

namespace {

constexpr std::size_t kMaxNameChars = 300;
constexpr std::size_t kMaxFieldChars = 300;
constexpr std::size_t kMaxDecisionChars = 500;
constexpr std::size_t kMaxNoteChars = 2000;
constexpr int kMaxPageSize = 500;

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view TrimView(std::string_view s) {
  const char* kSpace = " \t\r\n";
  std::size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

// Text from any caller (API, CLI, demo files) is checked, trimmed and stored in NFC, so that
// the same name typed on Windows and on macOS is one name.
Result<std::string> CleanText(std::string_view field, std::string_view value, std::size_t max,
                              bool required) {
  if (!core::IsValidUtf8(value)) {
    return InvalidInput(field, "không phải văn bản UTF-8 hợp lệ.", "is not valid UTF-8 text.");
  }
  std::string out = core::ToNfc(TrimView(value));
  if (required && out.empty()) return InvalidInput(field, "là bắt buộc.", "is required.");
  if (CodePoints(out) > max) {
    return InvalidInput(field, "dài quá " + std::to_string(max) + " ký tự.",
                        "is longer than " + std::to_string(max) + " characters.");
  }
  return out;
}

// Kinds are data (new kinds such as "special_zone_pc" for đặc khu appear with laws), but they
// are machine keys: lower-case ASCII.
Result<std::string> CleanKind(std::string_view field, std::string_view value) {
  std::string_view k = TrimView(value);
  bool ok = !k.empty() && k.size() <= 40 && k[0] >= 'a' && k[0] <= 'z';
  for (char c : k) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    return InvalidInput(field, "phải là khóa chữ thường không dấu, ví dụ \"commune_pc\".",
                        "must be a lower-case ASCII key, e.g. \"commune_pc\".");
  }
  return std::string(k);
}

Result<std::string> CleanEmail(std::string_view value) {
  TINHSO_ASSIGN_OR_RETURN(auto email, CleanText("email", value, kMaxFieldChars, false));
  if (!email.empty() && (email.find('@') == std::string::npos || email.find(' ') != email.npos)) {
    return InvalidInput("email", "không phải địa chỉ thư điện tử.", "is not an e-mail address.");
  }
  return email;
}

std::string SearchKeyOf(const Agency& a) {
  return core::SearchKey(a.name + " " + a.short_name + " " + a.code);
}

Result<AgencyCode> ParseInputCode(std::string_view field, std::string_view text) {
  auto code = ParseCode(TrimView(text));
  if (!code.ok()) {
    Error e = std::move(code).error();
    e.message_vi = "Trường " + internal::Quoted(field) + ": " + e.message_vi;
    e.message_en = "Field " + internal::Quoted(field) + ": " + e.message_en;
    return e;
  }
  return code;
}

Result<Agency> LoadAgency(Transaction& tx, std::int64_t id) {
  TINHSO_ASSIGN_OR_RETURN(auto found, store::FindAgency(tx, id));
  if (!found) return NotFound(id);
  return std::move(*found);
}

// Follows primary successor links from the agency that held `canonical` to the current one
// that stands for it (cycle-safe). `load(id)` → Result<Agency> and `next(id)` →
// Result<optional<id>> read either the database or the directory.
template <typename Load, typename Next>
Result<Resolution> FollowSuccessors(const std::string& canonical, std::int64_t holder, Load load,
                                    Next next) {
  Resolution r;
  r.code = canonical;
  r.holder_id = holder;
  std::unordered_set<std::int64_t> seen;
  std::int64_t id = r.holder_id;
  for (;;) {
    if (!seen.insert(id).second) {
      return MakeError(ErrorCode::kFailedPrecondition, "agency.no_successor",
                       "Chuỗi cơ quan kế thừa của mã " + canonical + " bị vòng lặp.",
                       "The successor chain of code " + canonical + " loops.",
                       "cycle at agency " + std::to_string(id));
    }
    r.path.push_back(id);
    TINHSO_ASSIGN_OR_RETURN(Agency a, load(id));
    if (a.current()) {
      r.agency = std::move(a);
      break;
    }
    TINHSO_ASSIGN_OR_RETURN(std::optional<std::int64_t> successor, next(id));
    if (!successor) {
      return MakeError(ErrorCode::kFailedPrecondition, "agency.no_successor",
                       internal::Quoted(a.name) + " (mã " + canonical +
                           ") đã giải thể và không có cơ quan kế thừa.",
                       internal::Quoted(a.name) + " (code " + canonical +
                           ") was dissolved without a successor.");
    }
    id = *successor;
  }
  r.redirected = r.path.size() > 1 || r.agency.code != canonical;
  return r;
}

// True when `ancestor` is a proper ancestor of `id` in the current tree. Cycle-safe: a cycle
// (only possible through hand edits) ends the walk.
Result<bool> HasAncestor(Transaction& tx, std::int64_t id, std::int64_t ancestor) {
  std::unordered_set<std::int64_t> seen{id};
  TINHSO_ASSIGN_OR_RETURN(auto node, store::FindAgency(tx, id));
  while (node && node->parent_id) {
    std::int64_t p = *node->parent_id;
    if (p == ancestor) return true;
    if (!seen.insert(p).second) return false;
    TINHSO_ASSIGN_OR_RETURN(node, store::FindAgency(tx, p));
  }
  return false;
}

std::string Serialize(const boost::json::object& o) { return json::Serialize(o); }

Result<void> Audit(Transaction& tx, const core::Actor& actor, std::string action,
                   std::string object_type, std::int64_t object_id, const boost::json::object& data,
                   core::Seconds now) {
  TINHSO_ASSIGN_OR_RETURN(auto seq, audit::Append(tx, actor,
                                                  {.action = std::move(action),
                                                   .object_type = std::move(object_type),
                                                   .object_id = std::to_string(object_id),
                                                   .data_json = Serialize(data)},
                                                  now));
  (void)seq;
  return Ok();
}

// Checks an AgencyInput and inserts it with its first code and parent rows.
Result<Agency> CreateInTx(Transaction& tx, const AgencyInput& in, core::Seconds now, Date today,
                          std::optional<Date> forced_valid_from, std::string_view field_prefix) {
  auto field = [&](std::string_view f) { return std::string(field_prefix) + std::string(f); };
  Agency a;
  TINHSO_ASSIGN_OR_RETURN(auto code, ParseInputCode(field("code"), in.code));
  a.code = code.Qd20();
  a.code_qcvn = code.Qcvn();
  a.code_confirmed = in.code_confirmed;
  TINHSO_ASSIGN_OR_RETURN(a.name, CleanText(field("name"), in.name, kMaxNameChars, true));
  TINHSO_ASSIGN_OR_RETURN(a.name_en, CleanText(field("name_en"), in.name_en, kMaxNameChars, false));
  TINHSO_ASSIGN_OR_RETURN(a.short_name,
                          CleanText(field("short_name"), in.short_name, kMaxNameChars, false));
  TINHSO_ASSIGN_OR_RETURN(a.kind, CleanKind(field("kind"), in.kind));
  TINHSO_ASSIGN_OR_RETURN(a.address,
                          CleanText(field("address"), in.address, kMaxFieldChars, false));
  TINHSO_ASSIGN_OR_RETURN(a.phone, CleanText(field("phone"), in.phone, 50, false));
  TINHSO_ASSIGN_OR_RETURN(a.email, CleanEmail(in.email));
  TINHSO_ASSIGN_OR_RETURN(a.website,
                          CleanText(field("website"), in.website, kMaxFieldChars, false));
  a.valid_from = forced_valid_from.value_or(in.valid_from.value_or(today));
  if (!a.valid_from.ok()) return InvalidInput(field("valid_from"), "không hợp lệ.", "is invalid.");

  TINHSO_ASSIGN_OR_RETURN(auto holders, store::CodeHolders(tx, a.code));
  if (!holders.empty()) return internal::CodeTaken(a.code);

  a.parent_id = in.parent_id;
  a.level = 1;
  if (a.parent_id) {
    TINHSO_ASSIGN_OR_RETURN(auto parent, store::FindAgency(tx, *a.parent_id));
    if (!parent) {
      return MakeError(
          ErrorCode::kFailedPrecondition, "agency.parent_not_found",
          "Không tìm thấy cơ quan cấp trên có mã số " + std::to_string(*a.parent_id) + ".",
          "No parent agency with id " + std::to_string(*a.parent_id) + ".");
    }
    if (!parent->current()) {
      return MakeError(
          ErrorCode::kFailedPrecondition, "agency.parent_dissolved",
          "Cơ quan cấp trên " + internal::Quoted(parent->name) + " đã giải thể hoặc sáp nhập.",
          "The parent agency " + internal::Quoted(parent->name) + " has been dissolved or merged.");
    }
    a.level = parent->level + 1;
  }
  a.created_at = now;
  a.updated_at = now;
  a.version = 1;
  TINHSO_ASSIGN_OR_RETURN(a.id, store::InsertAgency(tx, a, SearchKeyOf(a)));
  TINHSO_RETURN_IF_ERROR(store::InsertCode(tx, a.id, a.code, a.code_qcvn, a.valid_from));
  TINHSO_RETURN_IF_ERROR(store::InsertParentHistory(tx, a.id, a.parent_id, a.valid_from));
  return a;
}

// Carries out one reorganisation inside `tx`. In preview mode work is counted, not moved, and
// the caller rolls the transaction back.
class Executor {
 public:
  Executor(Transaction& tx, std::vector<std::unique_ptr<WorkMover>>& movers,
           const core::Actor& actor, core::Seconds now, Date today, bool preview)
      : tx_(tx), movers_(movers), actor_(actor), now_(now), today_(today), preview_(preview) {}

  Result<Reorganisation> Run(const Operation& op) {
    Result<void> done = std::visit([this](const auto& in) { return Do(in); }, op);
    if (!done.ok()) return std::move(done).error();
    TINHSO_RETURN_IF_ERROR(Finish());
    return std::move(out_);
  }

 private:
  // ---- checks shared by all operations

  Result<void> CheckInfo(const OperationInfo& info) {
    if (!info.external_ref.empty()) {
      TINHSO_ASSIGN_OR_RETURN(auto existing,
                              store::FindReorganisationByRef(tx_, info.external_ref));
      if (existing) {
        return MakeError(
            ErrorCode::kAlreadyExists, "agency.reorganisation_recorded",
            "Việc sắp xếp " + internal::Quoted(info.external_ref) + " đã được ghi nhận trước đó.",
            "Reorganisation " + internal::Quoted(info.external_ref) +
                " has already been recorded.");
      }
    }
    if (!info.effective_date.ok()) {
      return InvalidInput("effective_date", "không phải ngày hợp lệ.", "is not a valid date.");
    }
    // Applying records the new arrangement at once; a future date would show agencies as
    // closed before the law closes them. Scheduling is not supported: record it on the day.
    if (info.effective_date > today_) {
      return MakeError(ErrorCode::kInvalidArgument, "agency.effective_date_in_future",
                       "Ngày hiệu lực " + core::FormatDate(info.effective_date) +
                           " chưa đến; chỉ ghi nhận việc sắp xếp từ ngày có hiệu lực.",
                       "The effective date " + core::FormatDate(info.effective_date) +
                           " is in the future; record a reorganisation once it is in force.");
    }
    // Every change to the administrative apparatus rests on a decision (NQ, NĐ, QĐ): no
    // reorganisation without its legal basis.
    TINHSO_ASSIGN_OR_RETURN(auto decision,
                            CleanText("decision", info.decision, kMaxDecisionChars, true));
    TINHSO_ASSIGN_OR_RETURN(auto note, CleanText("note", info.note, kMaxNoteChars, false));
    out_.effective_date = info.effective_date;
    out_.decision = std::move(decision);
    out_.note = std::move(note);
    out_.confirmed = info.confirmed;
    out_.external_ref = info.external_ref;
    return Ok();
  }

  Result<Agency> Open(std::int64_t id, Date effective) {
    TINHSO_ASSIGN_OR_RETURN(auto a, LoadAgency(tx_, id));
    if (!a.current()) return Dissolved(a.id, a.name);
    if (effective < a.valid_from) {
      return MakeError(ErrorCode::kInvalidArgument, "agency.effective_date_before_valid_from",
                       "Ngày hiệu lực " + core::FormatDate(effective) + " sớm hơn ngày thành lập " +
                           core::FormatDate(a.valid_from) + " của " + internal::Quoted(a.name) +
                           ".",
                       "The effective date " + core::FormatDate(effective) + " is before " +
                           internal::Quoted(a.name) + " came into being (" +
                           core::FormatDate(a.valid_from) + ").");
    }
    return a;
  }

  Error IntoDescendant(std::string_view reason, const Agency& from, const Agency& into) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(reason),
                     "Không thể chuyển " + internal::Quoted(from.name) + " vào cơ quan cấp dưới " +
                         "của chính nó (" + internal::Quoted(into.name) + ").",
                     "Cannot move " + internal::Quoted(from.name) + " into its own descendant (" +
                         internal::Quoted(into.name) + ").");
  }

  Result<void> Begin(std::string kind) {
    out_.kind = std::move(kind);
    out_.created_by = actor_.user_id;
    out_.created_at = now_;
    out_.preview = preview_;
    TINHSO_ASSIGN_OR_RETURN(out_.id, store::InsertReorganisation(tx_, out_));
    return Ok();
  }

  Result<void> Role(const Agency& a, std::string role, bool primary = false) {
    TINHSO_RETURN_IF_ERROR(store::InsertReorganisationAgency(tx_, out_.id, a.id, role, primary));
    out_.agencies.push_back({.agency_id = a.id,
                             .code = a.code,
                             .name = a.name,
                             .role = std::move(role),
                             .primary = primary});
    return Ok();
  }

  // Validates a target before anything is written. `closing` are the agencies that close; the
  // target may be neither one of them nor below one of them.
  Result<void> CheckTarget(const TargetRef& ref, std::string_view field,
                           const std::vector<Agency>& closing, std::string_view self_reason,
                           std::optional<std::int64_t> default_parent) {
    if (ref.agency_id.has_value() == ref.create.has_value()) {
      return InvalidInput(field, "phải chọn đúng một: cơ quan có sẵn hoặc cơ quan mới.",
                          "must give exactly one of an existing agency or a new one.");
    }
    if (ref.agency_id) {
      for (const Agency& c : closing) {
        if (c.id == *ref.agency_id) {
          return MakeError(ErrorCode::kInvalidArgument, std::string(self_reason),
                           "Không thể sáp nhập " + internal::Quoted(c.name) + " vào chính nó.",
                           "Cannot merge " + internal::Quoted(c.name) + " into itself.");
        }
      }
      TINHSO_ASSIGN_OR_RETURN(auto target, Open(*ref.agency_id, out_.effective_date));
      for (const Agency& c : closing) {
        TINHSO_ASSIGN_OR_RETURN(bool below, HasAncestor(tx_, target.id, c.id));
        if (below) return IntoDescendant("agency.merge_into_descendant", c, target);
      }
      return Ok();
    }
    std::optional<std::int64_t> parent = ref.create->parent_id;
    if (!parent) parent = default_parent;
    if (parent) {
      TINHSO_ASSIGN_OR_RETURN(auto p, Open(*parent, out_.effective_date));
      for (const Agency& c : closing) {
        TINHSO_ASSIGN_OR_RETURN(bool below, HasAncestor(tx_, p.id, c.id));
        if (c.id == p.id || below) return IntoDescendant("agency.merge_into_descendant", c, p);
      }
    }
    return Ok();
  }

  // Returns the target, creating it when asked (its validity starts on the effective date).
  Result<Agency> MakeTarget(const TargetRef& ref, std::string_view field,
                            std::optional<std::int64_t> default_parent, bool primary) {
    if (ref.agency_id) {
      TINHSO_ASSIGN_OR_RETURN(auto t, LoadAgency(tx_, *ref.agency_id));
      TINHSO_RETURN_IF_ERROR(Role(t, "target", primary));
      return t;
    }
    AgencyInput in = *ref.create;
    if (!in.parent_id) in.parent_id = default_parent;
    TINHSO_ASSIGN_OR_RETURN(
        auto t, CreateInTx(tx_, in, now_, today_, out_.effective_date, std::string(field) + "."));
    TINHSO_RETURN_IF_ERROR(Role(t, "created", primary));
    return t;
  }

  // Re-parents `child` under `parent` from the effective date, and fixes the depth of the
  // current subtree below it (the number of levels is data: no depth is assumed).
  Result<void> Reparent(const Agency& child, const Agency& parent) {
    const int level = parent.level + 1;
    TINHSO_RETURN_IF_ERROR(store::SetParent(tx_, child.id, parent.id, level, now_));
    TINHSO_RETURN_IF_ERROR(store::CloseParentHistory(tx_, child.id, out_.effective_date));
    TINHSO_RETURN_IF_ERROR(
        store::InsertParentHistory(tx_, child.id, parent.id, out_.effective_date));
    out_.children.push_back({.agency_id = child.id,
                             .code = child.code,
                             .from_parent_id = child.parent_id.value_or(0),
                             .to_parent_id = parent.id});
    children_moved_[{child.parent_id.value_or(0), parent.id}] += 1;

    std::deque<std::pair<std::int64_t, int>> queue{{child.id, level}};
    std::unordered_set<std::int64_t> seen{child.id};
    while (!queue.empty()) {
      auto [id, depth] = queue.front();
      queue.pop_front();
      TINHSO_ASSIGN_OR_RETURN(auto kids, store::CurrentChildren(tx_, id));
      for (const Agency& k : kids) {
        if (!seen.insert(k.id).second) continue;
        if (k.level != depth + 1) TINHSO_RETURN_IF_ERROR(store::SetLevel(tx_, k.id, depth + 1));
        queue.emplace_back(k.id, depth + 1);
      }
    }
    return Ok();
  }

  Result<void> MoveWorkOf(WorkMover& mover, std::int64_t from, std::int64_t to) {
    std::int64_t n = 0;
    if (preview_) {
      TINHSO_ASSIGN_OR_RETURN(n, mover.Count(tx_, from));
    } else {
      TINHSO_ASSIGN_OR_RETURN(n, mover.Move(tx_, from, to));
    }
    if (n > 0) {
      out_.moves.push_back({.kind = std::string(mover.kind()),
                            .from_agency_id = from,
                            .to_agency_id = to,
                            .count = n});
    }
    return Ok();
  }

  // Closes `source`: its code stops being current but keeps resolving (agency_codes row kept,
  // successor links added), its parent link ends, and its validity ends on the effective date.
  Result<void> Retire(const Agency& source,
                      const std::vector<std::pair<std::int64_t, bool>>& successors,
                      std::int64_t primary) {
    out_.codes.push_back({.code = source.code,
                          .code_qcvn = source.code_qcvn,
                          .agency_id = source.id,
                          .resolves_to_id = primary});
    TINHSO_RETURN_IF_ERROR(
        store::CloseCode(tx_, source.id, source.code, out_.effective_date, out_.id));
    for (const auto& [successor, is_primary] : successors) {
      TINHSO_RETURN_IF_ERROR(
          store::InsertSuccessor(tx_, source.id, successor, is_primary, out_.id));
    }
    TINHSO_RETURN_IF_ERROR(store::CloseParentHistory(tx_, source.id, out_.effective_date));
    return store::CloseAgency(tx_, source.id, out_.effective_date, now_);
  }

  Result<std::vector<Agency>> LoadDistinct(const std::vector<std::int64_t>& ids,
                                           std::string_view field) {
    std::set<std::int64_t> seen;
    std::vector<Agency> out;
    for (std::int64_t id : ids) {
      if (!seen.insert(id).second) {
        return InvalidInput(field, "có cơ quan bị lặp (mã số " + std::to_string(id) + ").",
                            "lists agency " + std::to_string(id) + " twice.");
      }
      TINHSO_ASSIGN_OR_RETURN(auto a, Open(id, out_.effective_date));
      out.push_back(std::move(a));
    }
    return out;
  }

  // ---- the four operations

  Result<void> Do(const MergeInput& in) {
    TINHSO_RETURN_IF_ERROR(CheckInfo(in.info));
    if (in.source_ids.empty()) {
      return InvalidInput("sources", "phải có ít nhất một cơ quan.", "must list an agency.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto sources, LoadDistinct(in.source_ids, "sources"));
    const std::optional<std::int64_t> default_parent = sources.front().parent_id;
    TINHSO_RETURN_IF_ERROR(
        CheckTarget(in.target, "target", sources, "agency.merge_into_self", default_parent));

    TINHSO_RETURN_IF_ERROR(Begin("merge"));
    TINHSO_ASSIGN_OR_RETURN(auto target, MakeTarget(in.target, "target", default_parent, true));
    for (const Agency& s : sources) {
      TINHSO_RETURN_IF_ERROR(Role(s, "source"));
      TINHSO_ASSIGN_OR_RETURN(auto kids, store::CurrentChildren(tx_, s.id));
      for (const Agency& k : kids) TINHSO_RETURN_IF_ERROR(Reparent(k, target));
      for (auto& m : movers_) TINHSO_RETURN_IF_ERROR(MoveWorkOf(*m, s.id, target.id));
      TINHSO_RETURN_IF_ERROR(Retire(s, {{target.id, true}}, target.id));
    }
    return Ok();
  }

  Result<void> Do(const SplitInput& in) {
    TINHSO_RETURN_IF_ERROR(CheckInfo(in.info));
    TINHSO_ASSIGN_OR_RETURN(auto source, Open(in.source_id, out_.effective_date));
    auto plan_error = [](std::string vi, std::string en) {
      return MakeError(ErrorCode::kInvalidArgument, "agency.split_plan", std::move(vi),
                       std::move(en));
    };
    if (in.targets.empty()) {
      return plan_error("Phương án chia tách phải có ít nhất một cơ quan tiếp nhận.",
                        "A split needs at least one receiving agency.");
    }
    int primaries = 0;
    for (const auto& t : in.targets) primaries += t.primary ? 1 : 0;
    if (primaries != 1) {
      return plan_error(
          "Phải chỉ định đúng một cơ quan kế thừa chính (nhận mã cũ và phần còn lại).",
          "Exactly one target must be primary (it takes the old code and everything unassigned).");
    }
    TINHSO_ASSIGN_OR_RETURN(auto kids, store::CurrentChildren(tx_, source.id));
    std::set<std::int64_t> kid_ids;
    for (const Agency& k : kids) kid_ids.insert(k.id);
    std::set<std::string> kinds;
    for (const auto& m : movers_) kinds.insert(std::string(m->kind()));

    std::map<std::int64_t, std::size_t> child_to_target;
    std::map<std::string, std::size_t> kind_to_target;
    std::set<std::int64_t> existing_targets;
    std::size_t primary_index = 0;
    const std::vector<Agency> closing{source};
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
      const SplitTarget& t = in.targets[i];
      const std::string field = "targets[" + std::to_string(i) + "]";
      if (t.primary) primary_index = i;
      TINHSO_RETURN_IF_ERROR(
          CheckTarget(t.target, field, closing, "agency.merge_into_self", source.parent_id));
      if (t.target.agency_id && !existing_targets.insert(*t.target.agency_id).second) {
        return InvalidInput(field, "lặp lại một cơ quan đã có trong phương án.",
                            "repeats an agency already in the plan.");
      }
      for (std::int64_t c : t.child_ids) {
        if (!kid_ids.contains(c)) {
          return plan_error(
              "Cơ quan mã số " + std::to_string(c) + " không phải đơn vị trực thuộc hiện tại của " +
                  source.name + ".",
              "Agency " + std::to_string(c) + " is not a current child of " + source.name + ".");
        }
        if (!child_to_target.emplace(c, i).second) {
          return plan_error("Đơn vị mã số " + std::to_string(c) + " được giao cho hai nơi.",
                            "Child " + std::to_string(c) + " is assigned twice.");
        }
      }
      for (const std::string& k : t.work_kinds) {
        if (!kinds.contains(k)) {
          return plan_error("Không có loại công việc " + internal::Quoted(k) + ".",
                            "There is no kind of work " + internal::Quoted(k) + ".");
        }
        if (!kind_to_target.emplace(k, i).second) {
          return plan_error("Loại công việc " + internal::Quoted(k) + " được giao cho hai nơi.",
                            "Work kind " + internal::Quoted(k) + " is assigned twice.");
        }
      }
    }

    TINHSO_RETURN_IF_ERROR(Begin("split"));
    TINHSO_RETURN_IF_ERROR(Role(source, "source"));
    std::vector<Agency> targets;
    std::vector<std::pair<std::int64_t, bool>> successors;
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
      TINHSO_ASSIGN_OR_RETURN(auto t,
                              MakeTarget(in.targets[i].target, "targets[" + std::to_string(i) + "]",
                                         source.parent_id, in.targets[i].primary));
      successors.emplace_back(t.id, in.targets[i].primary);
      targets.push_back(std::move(t));
    }
    for (const Agency& k : kids) {
      auto it = child_to_target.find(k.id);
      const Agency& to = targets[it == child_to_target.end() ? primary_index : it->second];
      TINHSO_RETURN_IF_ERROR(Reparent(k, to));
    }
    for (auto& m : movers_) {
      auto it = kind_to_target.find(std::string(m->kind()));
      const Agency& to = targets[it == kind_to_target.end() ? primary_index : it->second];
      TINHSO_RETURN_IF_ERROR(MoveWorkOf(*m, source.id, to.id));
    }
    return Retire(source, successors, targets[primary_index].id);
  }

  Result<void> Do(const RenameInput& in) {
    TINHSO_RETURN_IF_ERROR(CheckInfo(in.info));
    TINHSO_ASSIGN_OR_RETURN(auto before, Open(in.agency_id, out_.effective_date));
    Agency after = before;
    if (in.name) {
      TINHSO_ASSIGN_OR_RETURN(after.name, CleanText("name", *in.name, kMaxNameChars, true));
    }
    if (in.name_en) {
      TINHSO_ASSIGN_OR_RETURN(after.name_en,
                              CleanText("name_en", *in.name_en, kMaxNameChars, false));
    }
    if (in.short_name) {
      TINHSO_ASSIGN_OR_RETURN(after.short_name,
                              CleanText("short_name", *in.short_name, kMaxNameChars, false));
    }
    if (in.kind) {
      TINHSO_ASSIGN_OR_RETURN(after.kind, CleanKind("kind", *in.kind));
    }
    if (in.code_confirmed) after.code_confirmed = *in.code_confirmed;
    if (in.code) {
      TINHSO_ASSIGN_OR_RETURN(auto code, ParseInputCode("code", *in.code));
      after.code = code.Qd20();
      after.code_qcvn = code.Qcvn();
    }
    const bool recode = after.code != before.code;
    if (recode) {
      TINHSO_ASSIGN_OR_RETURN(auto holders, store::CodeHolders(tx_, after.code));
      if (!holders.empty()) return internal::CodeTaken(after.code);
    }
    if (!recode && after.name == before.name && after.name_en == before.name_en &&
        after.short_name == before.short_name && after.kind == before.kind &&
        after.code_confirmed == before.code_confirmed) {
      return InvalidInput("name", "không có gì thay đổi (tên, mã, loại đều như cũ).",
                          "changes nothing (name, code and kind are as they were).");
    }

    TINHSO_RETURN_IF_ERROR(Begin("rename"));
    TINHSO_RETURN_IF_ERROR(Role(before, "source"));
    if (recode) {
      out_.codes.push_back({.code = before.code,
                            .code_qcvn = before.code_qcvn,
                            .agency_id = before.id,
                            .resolves_to_id = before.id});
      TINHSO_RETURN_IF_ERROR(
          store::CloseCode(tx_, before.id, before.code, out_.effective_date, out_.id));
      TINHSO_RETURN_IF_ERROR(
          store::InsertCode(tx_, before.id, after.code, after.code_qcvn, out_.effective_date));
    }
    TINHSO_ASSIGN_OR_RETURN(bool written,
                            store::RewriteAgency(tx_, after, SearchKeyOf(after), now_));
    if (!written) return InternalError("agency changed during its own rename");
    // The names before the change live in the audit entry and in the note of the record.
    renamed_from_ = internal::AgencyToJson(before);
    return Ok();
  }

  Result<void> Do(const MoveInput& in) {
    TINHSO_RETURN_IF_ERROR(CheckInfo(in.info));
    TINHSO_ASSIGN_OR_RETURN(auto agency, Open(in.agency_id, out_.effective_date));
    TINHSO_ASSIGN_OR_RETURN(auto parent, Open(in.new_parent_id, out_.effective_date));
    TINHSO_ASSIGN_OR_RETURN(bool below, HasAncestor(tx_, parent.id, agency.id));
    if (parent.id == agency.id || below) {
      return IntoDescendant("agency.move_into_descendant", agency, parent);
    }
    if (agency.parent_id == parent.id) {
      return InvalidInput("parent_id", "đã là cơ quan cấp trên hiện tại.",
                          "is already the current parent.");
    }
    TINHSO_RETURN_IF_ERROR(Begin("move"));
    TINHSO_RETURN_IF_ERROR(Role(agency, "source"));
    TINHSO_RETURN_IF_ERROR(Role(parent, "target"));
    return Reparent(agency, parent);
  }

  // Records the counted moves and, unless previewing, the audit entry.
  Result<void> Finish() {
    for (const auto& [from_to, n] : children_moved_) {
      out_.moves.push_back({.kind = "children",
                            .from_agency_id = from_to.first,
                            .to_agency_id = from_to.second,
                            .count = n});
    }
    for (const WorkMove& m : out_.moves) {
      // A root moved under a parent has no "from": 0 is no agency, so it is not recorded.
      if (m.from_agency_id == 0) continue;
      TINHSO_RETURN_IF_ERROR(store::InsertReorganisationMove(tx_, out_.id, m));
    }
    if (preview_) {
      out_.id = 0;  // the row is rolled back with everything else
      return Ok();
    }
    boost::json::object data = internal::ReorganisationToJson(out_);
    if (!renamed_from_.empty()) data["before"] = renamed_from_;
    return Audit(tx_, actor_, "agency." + out_.kind, "reorganisation", out_.id, data, now_);
  }

  Transaction& tx_;
  std::vector<std::unique_ptr<WorkMover>>& movers_;
  const core::Actor& actor_;
  const core::Seconds now_;
  const Date today_;
  const bool preview_;
  Reorganisation out_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> children_moved_;
  boost::json::object renamed_from_;
};

Result<void> CheckPage(int limit, int offset) {
  if (limit < 1 || limit > kMaxPageSize) {
    return InvalidInput("limit", "phải từ 1 đến 500.", "must be between 1 and 500.");
  }
  if (offset < 0) return InvalidInput("offset", "không được âm.", "must not be negative.");
  return Ok();
}

}  // namespace

// ---- Service ---------------------------------------------------------------------------------

Service::Service(storage::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock), state_(std::make_unique<State>()) {}

Service::~Service() = default;

Date Service::Today() const {
  // Legal dates are Vietnamese calendar days: UTC+7 all year.
  return Date{std::chrono::floor<std::chrono::days>(clock_.Now() + core::kVietnamOffset)};
}

Result<Agency> Service::Create(const AgencyInput& input, const core::Actor& actor) {
  const core::Seconds now = clock_.Now();
  const Date today = Today();
  auto created = storage::WithTransaction(db_, [&](Transaction& tx) -> Result<Agency> {
    TINHSO_ASSIGN_OR_RETURN(auto a, CreateInTx(tx, input, now, today, std::nullopt, ""));
    TINHSO_RETURN_IF_ERROR(
        Audit(tx, actor, "agency.create", "agency", a.id, internal::AgencyToJson(a), now));
    return a;
  });
  if (created.ok()) (void)RefreshTree();
  return created;
}

Result<Agency> Service::Update(std::int64_t id, std::int64_t expected_version,
                               const AgencyPatch& patch, const core::Actor& actor) {
  const core::Seconds now = clock_.Now();
  auto conflict = [&](std::int64_t current) {
    return MakeError(ErrorCode::kConflict, "agency.version_conflict",
                     "Thông tin cơ quan vừa được người khác sửa (phiên bản " +
                         std::to_string(current) + ", bạn sửa từ phiên bản " +
                         std::to_string(expected_version) + "). Hãy tải lại rồi sửa lại.",
                     "Someone else changed this agency (version " + std::to_string(current) +
                         ", you edited version " + std::to_string(expected_version) +
                         "). Reload and edit again.");
  };
  auto updated = storage::WithTransaction(db_, [&](Transaction& tx) -> Result<Agency> {
    TINHSO_ASSIGN_OR_RETURN(auto before, LoadAgency(tx, id));
    if (before.version != expected_version) return conflict(before.version);
    Agency after = before;
    if (patch.name) {
      TINHSO_ASSIGN_OR_RETURN(after.name, CleanText("name", *patch.name, kMaxNameChars, true));
    }
    if (patch.name_en) {
      TINHSO_ASSIGN_OR_RETURN(after.name_en,
                              CleanText("name_en", *patch.name_en, kMaxNameChars, false));
    }
    if (patch.short_name) {
      TINHSO_ASSIGN_OR_RETURN(after.short_name,
                              CleanText("short_name", *patch.short_name, kMaxNameChars, false));
    }
    if (patch.kind) {
      TINHSO_ASSIGN_OR_RETURN(after.kind, CleanKind("kind", *patch.kind));
    }
    if (patch.address) {
      TINHSO_ASSIGN_OR_RETURN(after.address,
                              CleanText("address", *patch.address, kMaxFieldChars, false));
    }
    if (patch.phone) {
      TINHSO_ASSIGN_OR_RETURN(after.phone, CleanText("phone", *patch.phone, 50, false));
    }
    if (patch.email) {
      TINHSO_ASSIGN_OR_RETURN(after.email, CleanEmail(*patch.email));
    }
    if (patch.website) {
      TINHSO_ASSIGN_OR_RETURN(after.website,
                              CleanText("website", *patch.website, kMaxFieldChars, false));
    }
    if (patch.code_confirmed) after.code_confirmed = *patch.code_confirmed;
    TINHSO_ASSIGN_OR_RETURN(bool written, store::RewriteAgency(tx, after, SearchKeyOf(after), now));
    if (!written) {
      TINHSO_ASSIGN_OR_RETURN(auto latest, LoadAgency(tx, id));
      return conflict(latest.version);
    }
    TINHSO_ASSIGN_OR_RETURN(auto stored, LoadAgency(tx, id));
    boost::json::object data{{"before", internal::AgencyToJson(before)},
                             {"after", internal::AgencyToJson(stored)}};
    TINHSO_RETURN_IF_ERROR(Audit(tx, actor, "agency.update", "agency", id, data, now));
    return stored;
  });
  if (updated.ok()) (void)RefreshTree();  // the directory serves Get and Resolve
  return updated;
}

Result<Agency> Service::Get(std::int64_t id) const {
  // From the directory (routing reads agencies on every submission and transition); one it
  // does not know (added by another process) from the database.
  if (EnsureTree()) {
    std::shared_lock lock(state_->tree_mutex);
    if (auto a = state_->by_id.find(id); a != state_->by_id.end()) return a->second;
  }
  return storage::WithTransaction(
      db_, [&](Transaction& tx) -> Result<Agency> { return LoadAgency(tx, id); },
      storage::TxKind::kReadOnly);
}

Result<Agency> Service::GetByCode(std::string_view code) const {
  TINHSO_ASSIGN_OR_RETURN(auto parsed, ParseCode(TrimView(code)));
  const std::string canonical = parsed.Qd20();
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<Agency> {
        TINHSO_ASSIGN_OR_RETURN(auto found, store::FindByCode(tx, canonical));
        if (!found) return internal::CodeUnknown(canonical);
        return std::move(*found);
      },
      storage::TxKind::kReadOnly);
}

Result<Resolution> Service::Resolve(std::string_view code) const {
  std::string text(TrimView(code));
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  TINHSO_ASSIGN_OR_RETURN(auto parsed, ParseCode(text));
  const std::string canonical = parsed.Qd20();
  // From the directory: every submission resolves its commune, and a read transaction costs
  // four round trips to PostgreSQL. A code it does not know (added by another process) is
  // looked up in the database.
  if (EnsureTree()) {
    std::shared_lock lock(state_->tree_mutex);
    if (auto h = state_->holders.find(canonical); h != state_->holders.end()) {
      return FollowSuccessors(
          canonical, h->second.front(),
          [&](std::int64_t id) -> Result<Agency> {
            auto a = state_->by_id.find(id);
            if (a == state_->by_id.end()) return NotFound(id);
            return a->second;
          },
          [&](std::int64_t id) -> Result<std::optional<std::int64_t>> {
            auto s = state_->successor.find(id);
            if (s == state_->successor.end()) return std::optional<std::int64_t>();
            return std::optional<std::int64_t>(s->second);
          });
    }
  }
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<Resolution> {
        TINHSO_ASSIGN_OR_RETURN(auto holders, store::CodeHolders(tx, canonical));
        if (holders.empty()) return internal::CodeUnknown(canonical);
        return FollowSuccessors(
            canonical, holders.front(), [&](std::int64_t id) { return LoadAgency(tx, id); },
            [&](std::int64_t id) { return store::PrimarySuccessor(tx, id); });
      },
      storage::TxKind::kReadOnly);
}

Result<AgencyPage> Service::List(const ListQuery& query) const {
  TINHSO_RETURN_IF_ERROR(CheckPage(query.limit, query.offset));
  if (query.at && !query.at->ok()) {
    return InvalidInput("at", "không phải ngày hợp lệ.", "is not a valid date.");
  }
  if (!core::IsValidUtf8(query.q)) {
    return InvalidInput("q", "không phải văn bản UTF-8 hợp lệ.", "is not valid UTF-8 text.");
  }
  const std::string key = core::SearchKey(query.q);
  if (key.empty() && query.q.find_first_not_of(" \t") != std::string::npos) {
    // Only punctuation ("%", "_"): no search key holds it, so nothing matches (not everything).
    return AgencyPage{{}, 0, query.limit, query.offset};
  }
  const std::string pattern = key.empty() ? std::string() : storage::LikeContains(key);
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<AgencyPage> {
        return store::ListAgencies(tx, query, pattern);
      },
      storage::TxKind::kReadOnly);
}

Result<std::vector<Agency>> Service::Ancestors(std::int64_t id) const {
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<std::vector<Agency>> {
        TINHSO_ASSIGN_OR_RETURN(auto node, LoadAgency(tx, id));
        std::vector<Agency> chain;
        std::unordered_set<std::int64_t> seen{id};
        while (node.parent_id && seen.insert(*node.parent_id).second) {
          TINHSO_ASSIGN_OR_RETURN(node, LoadAgency(tx, *node.parent_id));
          chain.push_back(node);
        }
        std::reverse(chain.begin(), chain.end());
        return chain;
      },
      storage::TxKind::kReadOnly);
}

void Service::RegisterMover(std::unique_ptr<WorkMover> mover) {
  // A bad registration is a bug in the composition root: refuse to start with it.
  if (!mover || mover->kind().empty() || mover->kind() == "children") {
    throw std::invalid_argument(
        "agencies::Service::RegisterMover: a mover needs a kind other "
        "than \"children\" (reserved for re-parented agencies)");
  }
  std::lock_guard lock(state_->movers_mutex);
  for (auto& m : state_->movers) {
    if (m->kind() == mover->kind()) {
      m = std::move(mover);
      return;
    }
  }
  state_->movers.push_back(std::move(mover));
}

Result<Reorganisation> Service::Run(const Operation& op, const core::Actor& actor, bool preview) {
  std::lock_guard lock(state_->movers_mutex);
  const core::Seconds now = clock_.Now();
  const Date today = Today();
  if (preview) {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadWrite));
    Executor executor(*tx, state_->movers, actor, now, today, true);
    return executor.Run(op);  // `tx` is dropped uncommitted: everything is rolled back
  }
  auto done = storage::WithTransaction(db_, [&](Transaction& tx) -> Result<Reorganisation> {
    Executor executor(tx, state_->movers, actor, now, today, false);
    return executor.Run(op);
  });
  if (done.ok()) (void)RefreshTree();
  return done;
}

Result<Reorganisation> Service::Preview(const Operation& op) {
  return Run(op, core::SystemActor(), true);
}
Result<Reorganisation> Service::Apply(const Operation& op, const core::Actor& actor) {
  return Run(op, actor, false);
}
Result<Reorganisation> Service::Merge(const MergeInput& input, const core::Actor& actor) {
  return Apply(input, actor);
}
Result<Reorganisation> Service::Split(const SplitInput& input, const core::Actor& actor) {
  return Apply(input, actor);
}
Result<Reorganisation> Service::Rename(const RenameInput& input, const core::Actor& actor) {
  return Apply(input, actor);
}
Result<Reorganisation> Service::Move(const MoveInput& input, const core::Actor& actor) {
  return Apply(input, actor);
}

Result<ReorganisationPage> Service::ListReorganisations(
    int limit, int offset, std::optional<std::int64_t> agency_id) const {
  TINHSO_RETURN_IF_ERROR(CheckPage(limit, offset));
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<ReorganisationPage> {
        return store::ListReorganisations(tx, limit, offset, agency_id);
      },
      storage::TxKind::kReadOnly);
}

// ---- auth::AgencyTree --------------------------------------------------------------------

Result<void> Service::RefreshTree() const {
  std::lock_guard refreshing(state_->refresh_mutex);
  auto rows = storage::WithTransaction(
      db_, [](Transaction& tx) { return store::LoadTree(tx); }, storage::TxKind::kReadOnly);
  std::unique_lock lock(state_->tree_mutex);
  if (!rows.ok()) {
    state_->loaded = false;  // the next IsWithin tries again
    return std::move(rows).error();
  }
  state_->by_id.clear();
  state_->holders.clear();
  state_->parent.clear();
  state_->successor.clear();
  state_->below.clear();
  for (Agency& a : rows->agencies) {
    const std::int64_t id = a.id;
    // A closed agency is placed through its successor instead.
    if (a.current()) {
      const std::int64_t parent = a.parent_id.value_or(0);
      state_->parent[id] = parent;
      if (parent != 0) state_->below[parent].push_back(id);
    }
    state_->by_id.emplace(id, std::move(a));
  }
  for (auto& [code, id] : rows->code_holders) state_->holders[std::move(code)].push_back(id);
  for (const auto& [id, successor] : rows->successor) {
    state_->successor[id] = successor;
    state_->below[successor].push_back(id);
  }
  for (auto& [id, ids] : state_->below) std::sort(ids.begin(), ids.end());
  state_->loaded = true;
  return Ok();
}

bool Service::EnsureTree() const {
  {
    std::shared_lock lock(state_->tree_mutex);
    if (state_->loaded) return true;
  }
  return RefreshTree().ok();
}

std::vector<std::int64_t> Service::Subtree(std::int64_t root) const {
  std::vector<std::int64_t> out{root};
  if (!EnsureTree()) return out;
  std::shared_lock lock(state_->tree_mutex);
  std::unordered_set<std::int64_t> seen{root};
  // Breadth-first; `seen` keeps a cycle in hand-edited data from looping.
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto it = state_->below.find(out[i]);
    if (it == state_->below.end()) continue;
    for (std::int64_t id : it->second) {
      if (seen.insert(id).second) out.push_back(id);
    }
  }
  return out;
}

bool Service::IsWithin(std::int64_t agency_id, std::int64_t ancestor_id) const {
  if (agency_id == ancestor_id) return true;
  // Deny when the tree cannot be read: a permission must never be granted by accident.
  if (!EnsureTree()) return false;
  std::shared_lock lock(state_->tree_mutex);
  // Every step visits a different agency unless the data has a cycle: bound the walk.
  std::size_t steps = state_->parent.size() + state_->successor.size() + 1;
  std::int64_t id = agency_id;
  while (steps-- > 0) {
    if (id == ancestor_id) return true;
    if (auto s = state_->successor.find(id); s != state_->successor.end()) {
      id = s->second;  // a closed agency stands where its successor stands
      continue;
    }
    auto p = state_->parent.find(id);
    if (p == state_->parent.end() || p->second == 0) return false;
    id = p->second;
  }
  return false;
}

}  // namespace tinhso::agencies
