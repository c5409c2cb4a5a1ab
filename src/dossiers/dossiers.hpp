// Dossiers (hồ sơ thủ tục hành chính) from submission to returned result: reception with its
// three outcomes, routing to the competent agency, the procedure's steps across agencies and
// levels, supplements, financial obligations, withdrawal, stop, result, return, apology and
// rating. Every transition is one transaction holding the dossier row, one timeline event and
// one audit entry: it happens completely or not at all.
//
// Statuses are the DVCQG codes of domain.md §2.2. Deadlines come from the procedure's
// statutory time and the working-day calendar (deadline.hpp, pure and separately tested).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/byte_source.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::agencies {
class Service;
}
namespace tinhso::calendar {
class WorkingCalendar;
}
namespace tinhso::catalog {
class Service;
struct Procedure;
}  // namespace tinhso::catalog
namespace tinhso::http {
class Router;
}
namespace tinhso::payment {
class Service;
struct Payment;
}  // namespace tinhso::payment

namespace tinhso::dossiers {

/// DVCQG status codes (domain.md §2.2).
enum class Status : int {
  kRegistered = 1,  ///< mới đăng ký (online, waiting for reception)
  kReceived = 2,    ///< được tiếp nhận
  kRejected = 3,    ///< không được tiếp nhận
  kProcessing = 4,  ///< đang xử lý
  kSupplement = 5,  ///< yêu cầu bổ sung giấy tờ
  kPaying = 6,      ///< yêu cầu thực hiện nghĩa vụ tài chính
  kWithdrawn = 7,   ///< công dân yêu cầu rút hồ sơ
  kStopped = 8,     ///< dừng xử lý
  kResolved = 9,    ///< đã xử lý xong (waiting to hand back)
  kReturned = 10,   ///< đã trả kết quả
};
std::string_view StatusKey(Status s);     ///< "receiving", "new", … (DVCQG / OpenCPS keys)
std::string_view StatusNameVi(Status s);  ///< "Mới đăng ký", …
std::string_view StatusNameEn(Status s);
bool IsFinal(Status s);  ///< rejected, withdrawn, stopped, returned

/// The reference a dossier holds from its submission ("HS000123", from its id): with the lookup
/// secret it finds the dossier in the public lookup before the official code (TT 01/2018
/// art. 19) is given at acceptance, and after it; notifications carry it.
std::string Reference(std::int64_t id);
/// The id a reference names ("HS000123", "hs123"), or nothing when `text` is not one (a code).
std::optional<std::int64_t> ParseReference(std::string_view text);

/// KenhThucHien.
enum class Channel : int { kCounter = 1, kOnline = 2, kPostal = 3 };
std::string_view ChannelKey(Channel c);  ///< "counter", "online", "postal"

/// The national on-time classification (QĐ 766 indicator 2.1; OpenCPS buckets).
enum class Timeliness { kNone, kEarly, kOnTime, kLate, kUndue, kOverdue };
std::string_view TimelinessKey(
    Timeliness t);  ///< "", "early", "on_time", "late", "undue", "overdue"

struct Applicant {
  int kind = 1;  ///< LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other
  std::string name;
  std::string id_number;  ///< 12-digit CCCD for a citizen, tax code for a business
  std::string phone;
  std::string email;
  std::string address;

  bool operator==(const Applicant&) const = default;
};

/// Who submitted a dossier online: the account's verified identity (its CCCD or tax code, and
/// its name), whoever the applicant is.
struct Submitter {
  int kind = 0;  ///< as Applicant::kind: 1 a citizen's account, 2 a business's; 0 at the counter
  std::string name;
  std::string id_number;

  bool operator==(const Submitter&) const = default;
};

/// A file given with a submission, a supplement or a result.
struct FileInput {
  std::string component;  ///< the procedure's component code ("TP1"); empty for results
  std::string name;       ///< the file name as the user knows it
  /// The bytes: in memory, or a range of the upload's temporary file, read a piece at a time.
  core::ByteSource content;
};

struct FileInfo {
  std::int64_t id = 0;
  std::string kind;  ///< "component", "supplement", "result"
  std::string component;
  std::string name;
  std::string content_type;  ///< detected from the content
  std::int64_t size = 0;
  std::string sha256;
  core::Seconds at{};
  /// A result's signers as its signatures name them ("Nguyễn Văn A; Sở Văn hóa…"); "" when
  /// unsigned or not a result.
  std::string signed_by;
};

/// A new dossier. Online submissions come from the applicant; counter and postal ones from a
/// reception officer, and are accepted at once (the officer has checked the papers).
/// A component (thành phần hồ sơ) the counter received, and in which form.
struct ReceivedComponent {
  std::string component;  ///< the procedure's component code ("TP1")
  std::string form;  ///< "original" (bản chính), "certified" (bản sao chứng thực), "copy"
};

/// What FindApplicant found about an identity number.
struct ApplicantMatch {
  std::optional<Applicant> applicant;  ///< none: never seen
  bool account = false;                ///< an account holds it (the details are the account's)
  std::int64_t dossiers = 0;           ///< dossiers of this applicant at the officer's agency
};

/// What the national population database (CSDL quốc gia về dân cư) said of an applicant's
/// identity, as the dossier keeps it.
enum class IdentityStatus {
  kNone,      ///< not checked: not a citizen's identity, or no population database connected
  kMatches,   ///< the number, name and birth date are those recorded
  kDiffers,   ///< the number exists with another name or birth date (identity_differing)
  kNotFound,  ///< no citizen has this number
  kUnchecked,  ///< the database could not be reached (chưa đối chiếu được): checked again later
};
std::string_view IdentityStatusKey(IdentityStatus s);  ///< "", "matches", "differs", …
std::optional<IdentityStatus> ParseIdentityStatus(std::string_view key);

/// An identity to check: a citizen's 12-digit number, full name and birth date (YYYY-MM-DD).
struct IdentityQuery {
  std::string id_number;
  std::string name;
  std::string birth_date;
  std::string asked_by;  ///< who asks (the officer's or the citizen's login), for the record
};

struct IdentityResult {
  IdentityStatus status = IdentityStatus::kUnchecked;
  std::vector<std::string> differing;  ///< kDiffers: "name", "birth_date"
  std::string error;                   ///< kUnchecked: why ("nationaldb.timeout", …)
};

/// Asks the population database (the application's, through the gateway). Never fails: an
/// answer that does not come (timeout, outage, the gateway's refusal) is kUnchecked with the
/// reason. Called outside every transaction; it waits on the network.
using IdentityChecker = std::function<IdentityResult(const IdentityQuery&)>;

/// A dossier handed to another system that registers it (the civil registry), and its progress
/// there as last heard: status 0 before anything is heard, then the system's own (hộ tịch: 1
/// received, 2 needs a supplement, 3 eligible, 4 registered).
struct ExternalCase {
  std::int64_t dossier_id = 0;
  std::string system;     ///< the gateway service that registers it: "hotich"
  std::string kind;       ///< "KS", "KH", "KT"
  std::string unit_code;  ///< maDonVi: the registering agency's code
  std::string case_code;  ///< maHoSo: the dossier's code
  int status = 0;
  std::string note;
  bool final = false;
  int polls = 0;
  std::string last_error;
  core::Seconds next_poll_at{};
};

struct SubmitInput {
  std::string procedure_code;
  Channel channel = Channel::kOnline;
  Applicant applicant;
  /// The applicant's commune (any code that resolves, old ones included): decides the
  /// competent commune for commune-level procedures.
  std::string locality_code;
  std::string summary;    ///< trích yếu; default: the procedure name and applicant
  std::string form_json;  ///< the e-form answers, {"field": value}
  std::vector<FileInput> files;
  /// Retrying a submission with the same key returns the first dossier (never a second one).
  std::string idempotency_key;
  /// Online: the account submits for someone else (nộp thay), whose identity is `applicant`.
  /// Without it an online applicant is the account itself: its id number and name (diacritics
  /// aside) must be the account's, and the dossier carries the account's.
  bool on_behalf = false;
  /// Online, from a draft of the account (Lưu nháp) at the version the page last saw: the
  /// draft's files join `files` without being sent again, and the draft is deleted in the
  /// submission's transaction.
  std::int64_t draft_id = 0;
  std::int64_t draft_version = 0;
  /// At the counter, the officer's checklist at acceptance: each component received and in
  /// which form. When given, every required component must be in it (and it is on the receipt).
  std::vector<ReceivedComponent> received;
  /// The applicant's date of birth (YYYY-MM-DD), for the check against the population
  /// database; an online applicant who is a verified account has the account's.
  std::string applicant_birth_date;
};

/// One field a submission would be refused for, worded to be shown under that field.
struct FieldProblem {
  std::string field;  ///< "applicant.id_number", "locality_code", "form.<name>"
  std::string message_vi;
  std::string message_en;

  bool operator==(const FieldProblem&) const = default;
};

/// A submission in progress (Lưu nháp), kept on the server for its owner until it is submitted,
/// deleted or expires: the page's state as JSON and the files already chosen.
struct Draft {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;  ///< the account (users.id)
  std::string procedure_code;
  std::string procedure_name;
  /// The submission page's state ({"applicant": …, "form": …, "locality_code": …}): kept and
  /// given back as it came, checked only when it is submitted.
  std::string content_json;
  std::vector<FileInfo> files;  ///< kind "draft"
  std::int64_t version = 0;
  core::Seconds created_at{};
  core::Seconds updated_at{};
  core::Seconds expires_at{};  ///< each save moves it to Options::draft_days from then
};

/// Creating or saving a draft. Files are added or removed one by one, so that saving the
/// fields never sends the files again.
struct DraftInput {
  std::string procedure_code;  ///< to create; a draft keeps its procedure
  std::string content_json;    ///< "" keeps the content as it is
  std::vector<FileInput> files;
  std::vector<std::int64_t> remove_files;
  std::int64_t version = 0;  ///< to save: the version the page saw
};

struct Dossier {
  std::int64_t id = 0;
  std::string code;  ///< empty until accepted
  std::string procedure_code;
  std::string procedure_name;
  std::int64_t procedure_version = 0;  ///< the catalog version it was submitted under
  Channel channel = Channel::kOnline;
  Status status = Status::kRegistered;
  Applicant applicant;
  std::int64_t applicant_user_id = 0;  ///< the account that submitted online; 0 at the counter
  Submitter submitter;                 ///< that account's identity; empty at the counter
  bool on_behalf = false;              ///< submitted online for someone else (nộp thay)
  /// The applicant is the account's identity as a provider verified it (online, not nộp thay):
  /// the provider ("vneid") and when it verified the account. The national sync's
  /// TaiKhoanDuocXacThucVoiVNeID.
  std::string applicant_verified_by;
  std::optional<core::Seconds> applicant_verified_at;
  /// YYYY-MM-DD, may be empty: the one the provider gave for a verified applicant, else the one
  /// the submission stated (for the population database's check).
  std::string applicant_birth_date;
  /// The applicant's identity as the population database found it (IdentityStatus), when and
  /// which fields differ; for kUnchecked, why not yet.
  IdentityStatus identity = IdentityStatus::kNone;
  std::vector<std::string> identity_differing;
  std::optional<core::Seconds> identity_checked_at;
  std::string identity_error;
  std::int64_t receiving_agency_id = 0;
  std::int64_t competent_agency_id = 0;
  std::int64_t current_agency_id = 0;  ///< who holds it now
  std::int64_t locality_agency_id = 0;
  int step_index = 0;
  std::string step_code;
  std::int64_t assignee_id = 0;
  std::string summary;
  std::string form_json;
  core::Seconds submitted_at{};
  std::optional<core::Seconds> received_at;
  std::optional<core::Seconds> due_at;  ///< ngày hẹn trả (after an apology: the new one)
  std::optional<core::Seconds> original_due_at;  ///< the appointment before an apology
  std::optional<core::Seconds> step_started_at;
  std::optional<core::Seconds> step_due_at;
  std::optional<core::Seconds> finished_at;  ///< ngày kết thúc xử lý
  std::optional<core::Seconds> returned_at;
  std::optional<core::Seconds> paused_at;  ///< waiting for the applicant since
  int supplement_count = 0;
  bool apology_issued = false;
  std::int64_t fee_total = 0;
  bool paid_online = false;
  std::optional<int> rating;
  std::string return_method;  ///< "online", "counter", "postal" once returned
  Timeliness timeliness = Timeliness::kNone;
  std::int64_t version = 0;
  core::Seconds updated_at{};
  std::string lookup_secret;  ///< only filled for the applicant and officers

  bool operator==(const Dossier&) const = default;
};

/// One entry of the timeline (QuaTrinhXuLy): kept forever.
struct Event {
  std::int64_t seq = 0;
  core::Seconds at{};
  std::string action;  ///< "submit", "accept", "forward", "request_supplement", …
  std::int64_t actor_id = 0;
  std::string actor_name;
  std::string actor_position;
  std::int64_t agency_id = 0;
  std::string agency_name;
  std::string content;  ///< what happened, in Vietnamese, as shown to people
  Status status = Status::kRegistered;
  std::string step_code;
  std::optional<core::Seconds> step_started_at;
  std::optional<core::Seconds> step_due_at;
  std::vector<std::string> items;  ///< papers asked for or reasons given, as the officer wrote
  std::vector<ReceivedComponent> received;  ///< an accept at the counter: the checklist
  std::int64_t consultation_id = 0;         ///< a "consult" event: what answer_consultation names
  std::int64_t consulted_agency_id = 0;     ///< … and the agency asked
};

/// A transition asked for by a user. `version` is the dossier version the user saw.
struct TransitionInput {
  std::string action;
  std::int64_t version = 0;
  std::string note;                ///< content, reasons, guidance
  std::vector<std::string> items;  ///< papers to supplement, rejection reasons
  std::vector<FileInput> files;    ///< supplements, results
  std::optional<std::int64_t> assignee_id;
  std::optional<core::Seconds> new_due_at;  ///< apology
  std::string return_method;                ///< return: "online", "counter", "postal"
  std::string agency_code;                  ///< consult: the agency asked
  std::int64_t consultation_id = 0;         ///< answer_consultation
  std::optional<int> rating;                ///< rate: 1 (không hài lòng) .. 3 (rất hài lòng)
  std::string form_json;                    ///< supplement: corrected form answers (optional)
  /// request_payment: the amount asked for, in đồng; only where the procedure has an
  /// adjustable fee (catalog::Fee::adjustable). Unset: the fees computed at acceptance.
  std::optional<std::int64_t> amount;
};

struct ListQuery {
  std::vector<Status> statuses;                     ///< any of these; empty = any status
  std::optional<std::int64_t> agency_id;            ///< current agency (its subtree)
  std::optional<std::int64_t> competent_agency_id;  ///< competent agency (its subtree), as
                                                    ///< statistics group them
  std::optional<Channel> channel;
  std::string outcome;  ///< finished "early", "on_time" or "late" (the recorded outcome)
  std::string procedure_code;
  std::optional<core::Seconds> due_from;
  std::optional<core::Seconds> due_to;
  std::optional<core::Seconds> received_from;
  std::optional<core::Seconds> received_to;
  bool overdue_only = false;
  std::string queue;                   ///< a work queue of the actor's agency (kQueues); "" = any
  std::string q;                       ///< code prefix or applicant name
  std::string sort = "-submitted_at";  ///< submitted_at, due_at, code, updated_at; '-' = desc
  int limit = 50;
  int offset = 0;
};

struct Page {
  std::vector<Dossier> items;
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

struct StatsQuery {
  core::Seconds from{};
  core::Seconds to{};
  std::optional<std::int64_t> agency_id;  ///< subtree
  std::string procedure_code;
  std::string group_by = "agency";  ///< "agency", "procedure", "channel", "month"
};

struct StatsRow {
  std::string key;
  std::string label;
  std::int64_t received = 0;
  std::int64_t in_progress = 0;
  std::int64_t done_early = 0;
  std::int64_t done_on_time = 0;
  std::int64_t done_late = 0;
  std::int64_t overdue = 0;  ///< in progress past the appointment (or asked twice to supplement)
  std::int64_t online = 0;
  std::int64_t paid_online = 0;
  // Derived by FinishStatsRow, the one place each figure is defined (StatsDefinitions words
  // them): received = done + in_progress + closed, in_progress = undue + overdue.
  std::int64_t done = 0;     ///< finished (a result, or stopped): early + on time + late
  std::int64_t undue = 0;    ///< in progress, not yet late
  std::int64_t closed = 0;   ///< withdrawn after reception: no result, no deadline
  double on_time_ratio = 0;  ///< (early + on time + undue) / (done + in progress)
  double online_share = 0;   ///< online / received
};

/// Fills the derived figures of a row from its counts (see StatsRow).
void FinishStatsRow(StatsRow& row);

/// How each figure of the statistics is computed, in words, for the dashboard's "Cách tính".
struct StatsDefinition {
  std::string key;  ///< the StatsRow member it explains ("on_time_ratio")
  std::string name;
  std::string name_en;
  std::string text;
  std::string text_en;
};
const std::vector<StatsDefinition>& StatsDefinitions();

/// The work queues of an agency's one-stop desk, as officers work through them:
///   receive     registered online, waiting for reception (status 1)
///   processing  received or in processing at an officer's step
///   approve     at a leader's step (the catalog's workflow says whose step it is)
///   return      resolved, waiting to be handed back (status 9)
///   overdue     received or in processing, past the appointment
///   due_soon    received or in processing, due within two working days
///   consult     another agency asked this one for its opinion, not answered yet
inline constexpr std::string_view kQueues[] = {"receive", "approve",  "processing", "return",
                                               "overdue", "due_soon", "consult"};

struct QueueCount {
  std::string key;
  std::int64_t count = 0;
};

struct Stats {
  std::vector<StatsRow> rows;
  StatsRow total;  ///< the sum of the rows
};

/// Where a public lookup leads: only what the receipt holder may see.
struct PublicView {
  Dossier dossier;
  /// The public timeline as JSON array text: seq, at, action, agency_name, content, status and
  /// its names, oldest first. No officer names, no internal deadlines.
  std::string events_json;
};

struct Options {
  std::int64_t max_file_bytes = 10 << 20;
  int max_files = 20;
  /// The public lookup page printed in the QR code: "<base>?ma=<code>&k=<secret>".
  std::string lookup_base_url = "http://127.0.0.1:8080/tra-cuu";
  /// A draft not saved for this long is deleted by the housekeeping (PurgeExpiredDrafts).
  int draft_days = 30;
  /// Drafts an account may keep at once; its files count as a submission's (max_files).
  int max_drafts = 20;
  /// A draft's content (the page's state), in bytes.
  std::size_t max_draft_content = 64 << 10;
};

/// Told of each event of a dossier inside the transaction that writes it (after the dossier's
/// row and the event), so that what it writes commits or rolls back with them: the
/// application's notifications (src/notify), which the dossiers do not know. `event.items`
/// holds the papers asked for or the reasons given; `reason` the officer's note of an apology.
/// It must not call other services (their transactions would wait for another connection).
class EventListener {
 public:
  virtual ~EventListener() = default;
  virtual Result<void> OnEvent(storage::Transaction& tx, const Dossier& dossier, const Event& event,
                               std::string_view reason) = 0;
};

/// The dossiers use cases. Thread-safe.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
          agencies::Service& agencies, catalog::Service& catalog,
          const calendar::WorkingCalendar& calendar, Options options = {});
  ~Service();

  /// Creates a dossier. Online: status 1, waiting for reception. Counter/postal by a
  /// reception officer: accepted at once (status 2, with its code and appointment).
  /// Errors: kInvalidArgument ("dossier.form_invalid", "dossier.component_missing",
  /// "dossier.file_type", "dossier.file_too_large", "dossier.invalid_applicant",
  /// "dossier.applicant_not_account": online, another identity than the account's without
  /// `on_behalf`, …),
  /// kNotFound ("catalog.procedure_not_found"), kFailedPrecondition
  /// ("dossier.no_competent_agency"). `created` is false when the idempotency key matched an
  /// earlier submission.
  Result<Dossier> Submit(const SubmitInput& input, const core::Actor& actor,
                         bool* created = nullptr);

  /// The fields Submit would refuse `input` for, each with its first problem, in the page's
  /// order (applicant, commune, e-form): Submit's own checks, so that the portal states every
  /// format as the server does. Files are not looked at. Errors: as Submit's before its checks
  /// (permission, procedure).
  Result<std::vector<FieldProblem>> CheckSubmission(const SubmitInput& input,
                                                    const core::Actor& actor) const;

  /// Performs `input.action` on dossier `id`. Actions: accept, request_completion, reject,
  /// assign, forward, request_supplement, supplement, request_payment, confirm_payment,
  /// consult, answer_consultation, withdraw, stop, apologise, issue_result, return, rate.
  /// Errors: kNotFound, kConflict ("dossier.version_conflict": stale version),
  /// kFailedPrecondition ("dossier.illegal_transition", "dossier.apology_once", …),
  /// kPermissionDenied.
  Result<Dossier> Transition(std::int64_t id, const TransitionInput& input,
                             const core::Actor& actor);

  /// Drafts (Lưu nháp), for their owner only: another account's draft is kNotFound
  /// "draft.not_found", as a missing or expired one. Errors as Submit's for files,
  /// kInvalidArgument "draft.content_invalid" (not a JSON object, too long),
  /// kResourceExhausted "draft.too_many", kConflict "draft.version_conflict" (saved since, in
  /// another tab). Every change is audited.
  Result<Draft> CreateDraft(const DraftInput& input, const core::Actor& actor);
  Result<Draft> SaveDraft(std::int64_t id, const DraftInput& input, const core::Actor& actor);
  Result<Draft> GetDraft(std::int64_t id, const core::Actor& actor) const;
  /// The account's drafts, the latest saved first; of one procedure when `procedure_code` is
  /// given.
  Result<std::vector<Draft>> Drafts(std::string_view procedure_code,
                                    const core::Actor& actor) const;
  Result<std::string> DraftFileContent(std::int64_t id, std::int64_t file_id,
                                       const core::Actor& actor) const;
  /// `version` 0: whatever the draft's latest.
  Result<void> DeleteDraft(std::int64_t id, std::int64_t version, const core::Actor& actor);
  /// Housekeeping: deletes the drafts expired at the clock's now, with their files; returns how
  /// many (audited as one entry when there were some).
  Result<std::int64_t> PurgeExpiredDrafts();

  /// Connects the payment platform adapter (before serving). Without it StartPayment fails
  /// with kUnavailable "dossier.payment_unavailable".
  void SetPayments(payment::Service* payments);
  /// Signs a result PDF for `actor` of agency `agency_id` (the official's signature, then the
  /// organisation's), or returns it as it is when no certificate is there to sign with. Set by
  /// the application (src/signing); unset, results are stored as given.
  using ResultSigner = std::function<Result<std::string>(
      std::string_view pdf, const core::Actor& actor, std::int64_t agency_id)>;
  void SetResultSigner(ResultSigner signer);
  /// The account holding an identity number (a CCCD or tax code), as an applicant: what
  /// FindApplicant prefills from first. Set by the application (src/auth); unset, only prior
  /// dossiers are searched.
  using AccountFinder = std::function<std::optional<Applicant>(std::string_view id_number)>;
  void SetAccountFinder(AccountFinder finder);

  /// Counter intake: who holds `id_number`, to prefill the applicant. The account with that
  /// login first, else the applicant of the latest dossier received at the actor's agency.
  /// Errors: kPermissionDenied (not a reception officer), kInvalidArgument (not 9 to 14 digits).
  Result<ApplicantMatch> FindApplicant(std::string_view id_number, const core::Actor& actor) const;
  /// Reads who signed a PDF, from its signatures (the signers' names, "" when none), for the
  /// result files' `signed_by`. Set by the application (src/signing); unset, nobody is named.
  using SignatureReader = std::function<std::string(std::string_view pdf)>;
  void SetSignatureReader(SignatureReader reader);
  /// Connects the listener told of every event (before serving); may be null.
  void SetEventListener(EventListener* listener);

  // ---- The national databases (set by the application; the dossiers know no gateway) -------

  /// Connects the population database (before serving). Then a citizen applicant's number,
  /// name and birth date are checked at submission, outside the transaction: online, a number
  /// not found or a name or birth date that differs refuses the submission
  /// (kInvalidArgument "dossier.identity_mismatch"; CheckSubmission names the fields), and so
  /// does a missing birth date ("dossier.birth_date_required"); at the counter the result is
  /// only recorded (the officer decides, see Submit). A database that cannot be reached refuses
  /// nothing: the dossier is kept "unchecked" and RecheckIdentities tries again. Unset: nothing
  /// is checked.
  void SetIdentityChecker(IdentityChecker checker);
  /// Housekeeping: the dossiers whose identity could not be checked and are due for another
  /// try at `now` (at most `limit`, the longest waiting first) are checked again, each result
  /// recorded and audited; a dossier still unreachable waits longer each time (5 minutes
  /// doubled, at most a day). Returns how many were asked. Nothing without a checker.
  Result<int> RecheckIdentities(core::Seconds now, int limit);

  /// Records, inside `tx` (an EventListener's: the transaction of the event), that the dossier
  /// was handed to another system (`c.system`) to register, first polled at `c.next_poll_at`.
  /// Once per dossier and system: a second call changes nothing.
  Result<void> TrackExternal(storage::Transaction& tx, const ExternalCase& c, core::Seconds now);
  /// The cases of `system` not final whose poll is due at `now`, the longest waiting first, at
  /// most `limit`.
  Result<std::vector<ExternalCase>> ExternalDue(std::string_view system, core::Seconds now,
                                                int limit) const;
  /// A dossier's cases (for its officers and applicant, as Get allows).
  Result<std::vector<ExternalCase>> ExternalCases(std::int64_t dossier_id,
                                                  const core::Actor& actor) const;
  /// What a poll heard. A status other than the one kept becomes an event of the timeline
  /// (`action`, `content` in Vietnamese: the caller knows the system's words), audited, in one
  /// transaction with the case's new status; the same status only moves the next poll. Returns
  /// whether the status was new. `final`: no more polls. Errors: kNotFound (no such case).
  struct ExternalStatus {
    std::int64_t dossier_id = 0;
    std::string system;
    int status = 0;
    std::string note;
    bool final = false;
    std::string action;
    std::string content;
    core::Seconds next_poll_at{};
  };
  Result<bool> RecordExternalStatus(const ExternalStatus& heard, core::Seconds now);
  /// A poll that got no answer: kept with why, and polled again at `next_poll_at`.
  Result<void> DeferExternal(std::int64_t dossier_id, std::string_view system,
                             std::string_view error, core::Seconds now, core::Seconds next_poll_at);

  /// The applicant pays the fees a dossier waits for (status 6) online: a payment request with
  /// the procedure's fee lines goes to the national payment platform, and the answer carries
  /// the platform's page for the payer. The confirmation comes back through the payment
  /// module's callback, which resumes the dossier (MarkPaid). Errors: kFailedPrecondition
  /// ("dossier.illegal_transition" unless waiting for payment), kPermissionDenied, the payment
  /// module's errors.
  Result<payment::Payment> StartPayment(std::int64_t id, const core::Actor& actor);

  /// Marks the dossier's financial obligation paid (called by the payment module inside its
  /// transaction) and resumes processing.
  Result<void> MarkPaid(storage::Transaction& tx, std::int64_t dossier_id, bool online);

  Result<Dossier> Get(std::int64_t id, const core::Actor& actor) const;
  Result<Dossier> GetByCode(std::string_view code, const core::Actor& actor) const;
  Result<std::vector<Event>> Timeline(std::int64_t id, const core::Actor& actor) const;
  Result<std::vector<FileInfo>> Files(std::int64_t id, const core::Actor& actor) const;
  Result<std::string> FileContent(std::int64_t id, std::int64_t file_id,
                                  const core::Actor& actor) const;
  /// Officers: dossiers within their scope; citizens and businesses: their own.
  Result<Page> List(const ListQuery& query, const core::Actor& actor) const;
  /// How many dossiers wait in each of kQueues at the actor's agency (all agencies for an
  /// actor without one), in kQueues order.
  Result<std::vector<QueueCount>> Queues(const core::Actor& actor) const;
  /// Anyone with the code and the secret printed on the receipt. A wrong secret and an
  /// unknown code give the same kNotFound "dossier.lookup_failed" (no enumeration). Failures
  /// are counted per `client` address and per code (LookupThrottle): past the limit,
  /// kResourceExhausted "dossier.lookup_throttled" before anything is read.
  Result<PublicView> Lookup(std::string_view code, std::string_view secret,
                            std::string_view client = {}) const;
  /// The same without blocking: `done` gets the answer, on a database thread (see
  /// storage::Database::ReadAsync) or before LookupAsync returns.
  void LookupAsync(std::string_view code, std::string_view secret, std::string_view client,
                   std::function<void(Result<PublicView>)> done) const;
  Result<Stats> Statistics(const StatsQuery& query, const core::Actor& actor) const;
  /// The PDF of a form for the dossier: "receipt" (Mẫu 01), "completion" (02), "rejection"
  /// (03), "apology" (04), "control" (05).
  Result<std::string> Form(std::int64_t id, std::string_view form, const core::Actor& actor) const;
  /// Mẫu 06, the tracking book of an agency: the dossiers it received in [from, to), oldest
  /// first, at most 5,000. Errors: kInvalidArgument (period), kPermissionDenied.
  Result<std::string> TrackingBook(std::int64_t agency_id, core::Seconds from, core::Seconds to,
                                   const core::Actor& actor) const;

  /// Whom or what the dossier is about, as its form names it, to tell an applicant's dossiers
  /// apart: the first text field of the procedure's form that holds a name ("ten_…" or
  /// "…_ho_ten": the child, the facility), the requester's own ("nguoi_yeu_cau_…") aside; ""
  /// when the form names none.
  std::string Subject(const Dossier& d) const;

  /// Timeliness of a dossier at `now` (for lists and statistics).
  Timeliness Classify(const Dossier& d, core::Seconds now) const;

  const Options& options() const { return options_; }

  struct Impl;  // the collaborators (internal.hpp), shared by the module's .cpp files

 private:
  // Lookup's check of the secret and the view of kLookup's row; events_json is left empty
  // for a dossier older than public_timeline, whose events are read separately.
  Result<PublicView> LookupView(const storage::Rows& rows, std::string_view secret) const;

  std::unique_ptr<Impl> impl_;
  Options options_;
};

/// Bulk demo data: `count` dossiers spread over the year before `now`, across the current
/// agencies and the catalog's procedures, in realistic states and timelines. Batched
/// (thousands of rows per transaction); `progress(done, total)` is called after each batch.
struct DemoLoadStats {
  std::int64_t dossiers = 0;
  std::int64_t events = 0;
  double seconds = 0;
};
Result<DemoLoadStats> LoadDemo(storage::Database& db, agencies::Service& agencies,
                               catalog::Service& catalog, const calendar::WorkingCalendar& calendar,
                               core::Seconds now, std::int64_t count, std::uint64_t seed,
                               const std::function<void(std::int64_t, std::int64_t)>& progress);

/// /api/v1/dossiers…, /api/v1/lookup, /api/v1/statistics/dossiers.
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace tinhso::dossiers
