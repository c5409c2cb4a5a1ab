// The dossiers module's API types (http/api.hpp): what its routes read and answer, described once
// for the parser, the renderer and the OpenAPI document. Included by routes.cpp only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossiers/dossiers.hpp"
#include "http/api.hpp"
#include "payment/api.hpp"

namespace tinhso::dossiers {

BOOST_DESCRIBE_ENUM(Channel, kCounter, kOnline, kPostal)

// ---- Query parameter types of this module (their codecs are below, in tinhso::http) ----------

// ?status=4, or a set: ?status=2,4,5,6 ("in progress" on the dashboard).
struct StatusSet {
  std::vector<Status> values;
};

// A period's bound: a date (midnight Vietnam time) or a moment, "2026-11-23T08:00:00Z".
struct DateOrTime {
  core::Seconds value = core::Seconds::min();  // min: none (a required bound left out)
};

// ?sort=: a field, ascending, or descending with a leading '-' ("-submitted_at").
enum class SortField { kSubmittedAt, kReceivedAt, kDueAt, kCode, kUpdatedAt };
BOOST_DESCRIBE_ENUM(SortField, kSubmittedAt, kReceivedAt, kDueAt, kCode, kUpdatedAt)
struct SortKey {
  std::string value;  // as ListQuery::sort
};

// ?outcome=: how a finished dossier ended (its recorded timeliness).
enum class Outcome { kEarly, kOnTime, kLate };
BOOST_DESCRIBE_ENUM(Outcome, kEarly, kOnTime, kLate)

// ?queue=: the work queues of kQueues, in its order.
enum class Queue { kReceive, kApprove, kProcessing, kReturn, kOverdue, kDueSoon, kConsult };
BOOST_DESCRIBE_ENUM(Queue, kReceive, kApprove, kProcessing, kReturn, kOverdue, kDueSoon, kConsult)

enum class StatsGroup { kAgency, kProcedure, kChannel, kMonth, kTotal };
BOOST_DESCRIBE_ENUM(StatsGroup, kAgency, kProcedure, kChannel, kMonth, kTotal)

// GET /api/v1/dossiers
struct DossierListQuery {
  std::optional<StatusSet> status;
  std::optional<std::int64_t> agency_id;            // current agency (its subtree)
  std::optional<std::int64_t> competent_agency_id;  // competent agency (its subtree)
  std::optional<http::Text<100>> procedure;         // a procedure code
  std::optional<Channel> channel;
  std::optional<Outcome> outcome;
  std::optional<Queue> queue;  // a work queue of the actor's agency
  std::optional<DateOrTime> due_from;
  std::optional<DateOrTime> due_to;
  std::optional<DateOrTime> received_from;
  std::optional<DateOrTime> received_to;
  bool overdue = false;              // only dossiers past their appointment
  std::optional<http::Text<200>> q;  // a code prefix or words of the applicant's name
  SortKey sort{"-submitted_at"};
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
};
TINHSO_API_STRUCT(DossierListQuery,
                  (status, agency_id, competent_agency_id, procedure, channel, outcome, queue,
                   due_from, due_to, received_from, received_to, overdue, q, sort, limit, offset))

// GET /api/v1/dossiers/tracking-book; `from` and `to` are required, `to` excluded.
struct TrackingBookQuery {
  std::optional<std::int64_t> agency_id;  // default: the actor's agency
  DateOrTime from;                        // required
  DateOrTime to;                          // required, excluded
};
TINHSO_API_STRUCT(TrackingBookQuery, (agency_id, from, to))

// GET /api/v1/applicants (counter intake)
struct ApplicantQuery {
  http::Text<20> id_number;  // a CCCD or tax code
};
TINHSO_API_STRUCT(ApplicantQuery, (id_number))

// GET /api/v1/statistics/dossiers; `from` and `to` are required, `to` excluded.
struct DossierStatsQuery {
  DateOrTime from;
  DateOrTime to;
  std::optional<std::int64_t> agency_id;     // the agency and those under it
  std::optional<http::Text<100>> procedure;  // a procedure code
  StatsGroup group_by = StatsGroup::kAgency;
};
TINHSO_API_STRUCT(DossierStatsQuery, (from, to, agency_id, procedure, group_by))

// GET /api/v1/lookup: the dossier's code and the lookup code printed on the receipt.
struct LookupQuery {
  std::optional<http::Text<64>> code;
  std::optional<http::Text<32>> secret;
};
TINHSO_API_STRUCT(LookupQuery, (code, secret))

// GET /api/v1/dossiers/{id}/files/{file_id}?inline=1: shown in the browser (a PDF, a picture)
// rather than downloaded. `inline` is a C++ keyword, so this one is declared by hand (routes.cpp,
// FileQueryDecl) instead of described.
struct FileQuery {
  bool inline_ = false;
};

// ---- Request bodies -------------------------------------------------------------------------

// A file sent inside a JSON body, as base64 (small files; larger ones go as multipart parts).
struct FileUpload {
  std::optional<http::Text<100>> component;  // the procedure's component code ("TP1")
  std::optional<http::Text<255>> name;
  http::Text<(4 << 20)> content_base64;  // bounded by the 4 MB JSON body
};
TINHSO_API_STRUCT(FileUpload, (component, name, content_base64))

struct ApplicantInput {
  std::optional<int> kind;  // 1 citizen (default), 2 business, 3 state agency, 4 other
  http::Text<200> name;
  std::optional<http::Text<20>> id_number;  // CCCD for a citizen, tax code for a business
  std::optional<http::Text<20>> phone;
  std::optional<http::Text<200>> email;
  std::optional<http::Text<500>> address;
  // A citizen's date of birth: with the number and name, checked against the national
  // population database where it is connected (required online then, except for a verified
  // account, whose own is taken).
  std::optional<http::Date> birth_date;
};
TINHSO_API_STRUCT(ApplicantInput, (kind, name, id_number, phone, email, address, birth_date))

// At the counter: a component received, and in which form.
enum class ComponentForm { kOriginal, kCertified, kCopy };
BOOST_DESCRIBE_ENUM(ComponentForm, kOriginal, kCertified, kCopy)
struct ReceivedComponentInput {
  http::Text<100> component;  // the procedure's component code ("TP1")
  ComponentForm form = ComponentForm::kOriginal;
};
TINHSO_API_STRUCT(ReceivedComponentInput, (component, form))

// Submitting a draft: its id and the version the page last saved (Lưu nháp).
struct DraftRef {
  std::int64_t id = 0;
  std::int64_t version = 0;
};
TINHSO_API_STRUCT(DraftRef, (id, version))

// POST /api/v1/dossiers: as JSON, or as the `json` part of a multipart form whose other parts
// are the files (`files.<component>`).
struct DossierSubmission {
  http::Text<100> procedure_code;
  std::optional<Channel> channel;  // default online; counter and postal by a reception officer
  ApplicantInput applicant;
  std::optional<bool> on_behalf;  // online, for someone else (nộp thay): `applicant` is them
  std::optional<http::Text<100>> locality_code;  // the applicant's commune
  std::optional<http::Text<1000>> summary;       // trích yếu
  std::optional<boost::json::object> form;       // the e-form's answers
  std::optional<std::vector<FileUpload>> files;
  // From a draft: its files join the dossier without being sent again, and the draft is gone.
  std::optional<DraftRef> draft;
  // At the counter: the checklist at acceptance (every required component, each once).
  std::optional<std::vector<ReceivedComponentInput>> received_components;
};
TINHSO_API_STRUCT(DossierSubmission, (procedure_code, channel, applicant, on_behalf, locality_code,
                                      summary, form, files, draft, received_components))

// POST /api/v1/drafts (procedure_code required) and POST /api/v1/drafts/{id} (version
// required): as JSON, or as the `json` part of a multipart form whose other parts are files
// to add (`files.<component>`).
struct DraftSave {
  std::optional<http::Text<100>> procedure_code;
  std::optional<std::int64_t> version;                    // the version the page saw
  std::optional<boost::json::object> content;             // the page's state; absent: unchanged
  std::optional<std::vector<std::int64_t>> remove_files;  // ids of the draft's files
  std::optional<std::vector<FileUpload>> files;
};
TINHSO_API_STRUCT(DraftSave, (procedure_code, version, content, remove_files, files))

// GET /api/v1/drafts
struct DraftListQuery {
  std::optional<http::Text<100>> procedure;  // a procedure code
};
TINHSO_API_STRUCT(DraftListQuery, (procedure))

// DELETE /api/v1/drafts/{id}
struct DraftDeleteQuery {
  std::optional<std::int64_t> version;  // the version the page saw; absent: the latest
};
TINHSO_API_STRUCT(DraftDeleteQuery, (version))

// POST /api/v1/dossiers/{id}/{action}: `version` is the dossier's version the user saw; the
// other fields as the action needs them.
struct DossierAction {
  std::int64_t version = 0;
  std::optional<http::Text<1000>> note;                // content, reasons, guidance
  std::optional<std::vector<http::Text<1000>>> items;  // papers asked for, reasons (not blank)
  std::optional<std::int64_t> assignee_id;             // assign
  std::optional<http::Timestamp> new_due_at;           // apologise, consult
  std::optional<Channel> return_method;                // return
  std::optional<http::Text<100>> agency_code;          // consult: the agency asked
  std::optional<std::int64_t> consultation_id;         // answer_consultation
  // rate: 1 (không hài lòng / dissatisfied), 2 (hài lòng / satisfied), 3 (rất hài lòng / very
  // satisfied)
  std::optional<http::Bounded<int, 1, 3>> rating;
  std::optional<boost::json::object> form;       // supplement: corrected answers
  std::optional<std::vector<FileUpload>> files;  // supplement, issue_result
  // request_payment: the amount in đồng, where the catalog lets the officer set it (an
  // adjustable fee); otherwise the amount computed from the catalog and the form stands.
  std::optional<http::Bounded<std::int64_t, 1, 1'000'000'000'000>> amount;
};
TINHSO_API_STRUCT(DossierAction, (version, note, items, assignee_id, new_due_at, return_method,
                                  agency_code, consultation_id, rating, form, files, amount))

// ---- Responses ------------------------------------------------------------------------------

TINHSO_API_STRUCT(Applicant, (kind, name, id_number, phone, email, address))
TINHSO_API_STRUCT(Submitter, (kind, name, id_number))

struct ApplicantLookup {
  http::Nullable<Applicant> applicant;  // null: never seen at this agency, no account
  bool account = false;                 // an account holds the number (its details)
  std::int64_t dossiers = 0;            // earlier dossiers of this applicant at the agency
};
TINHSO_API_STRUCT(ApplicantLookup, (applicant, account, dossiers))

// The applicant is the submitting account's identity as an identity provider verified it
// (TaiKhoanDuocXacThucVoiVNeID): which provider, when, and the date of birth it gave.
struct ApplicantVerification {
  std::string provider;  // "vneid"
  http::Timestamp verified_at;
  std::optional<http::Date> birth_date;
};
TINHSO_API_STRUCT(ApplicantVerification, (provider, verified_at, birth_date))
TINHSO_API_STRUCT(FileInfo, (id, kind, component, name, content_type, size, sha256, at, signed_by))
TINHSO_API_STRUCT(QueueCount, (key, count))

// The applicant's identity as the national population database found it.
enum class IdentityCheckStatus { kMatches, kDiffers, kNotFound, kUnchecked };
BOOST_DESCRIBE_ENUM(IdentityCheckStatus, kMatches, kDiffers, kNotFound, kUnchecked)
struct IdentityCheckView {
  // matches; differs (in `differing`: "name", "birth_date"); not_found; unchecked (chưa đối
  // chiếu được: the database could not be reached; checked again later, `error` says why)
  IdentityCheckStatus status = IdentityCheckStatus::kUnchecked;
  std::vector<std::string> differing;
  http::Timestamp checked_at;
  std::optional<std::string> error;
};
TINHSO_API_STRUCT(IdentityCheckView, (status, differing, checked_at, error))

struct DossierView {
  std::int64_t id = 0;
  std::string reference;             // held from submission ("HS000123"); the lookup takes it
  http::Nullable<std::string> code;  // null until accepted
  std::string procedure_code;
  std::string procedure_name;
  Channel channel = Channel::kOnline;
  int status = 0;  // the DVCQG code, 1 to 10
  std::string status_key;
  std::string status_name;
  std::string status_name_en;
  Applicant applicant;
  http::Nullable<Submitter> submitter;  // the account that submitted online; null at the counter
  bool on_behalf = false;
  std::int64_t receiving_agency_id = 0;
  std::int64_t competent_agency_id = 0;
  std::int64_t current_agency_id = 0;
  http::Nullable<std::int64_t> locality_agency_id;
  int step_index = 0;
  std::string step_code;
  http::Nullable<std::int64_t> assignee_id;
  std::string summary;
  boost::json::object form;
  http::Timestamp submitted_at;
  http::Nullable<http::Timestamp> received_at;
  http::Nullable<http::Timestamp> due_at;
  http::Nullable<http::Timestamp> original_due_at;
  http::Nullable<http::Timestamp> step_started_at;
  http::Nullable<http::Timestamp> step_due_at;
  http::Nullable<http::Timestamp> finished_at;
  http::Nullable<http::Timestamp> returned_at;
  http::Nullable<http::Timestamp> paused_at;
  int supplement_count = 0;
  bool apology_issued = false;
  std::int64_t fee_total = 0;
  bool paid_online = false;
  http::Nullable<int> rating;
  http::Nullable<Channel> return_method;
  std::string timeliness;  // "", early, on_time, late, undue, overdue
  std::int64_t version = 0;
  http::Timestamp updated_at;
  std::optional<std::string> lookup_secret;  // for the applicant and officers, on one dossier
  std::string subject;  // whom or what it is about, from the form (the child, the facility)
  std::optional<ApplicantVerification> applicant_verified;  // left out when not verified
  std::optional<http::Date> applicant_birth_date;           // left out when not known
  std::optional<IdentityCheckView> identity_check;          // left out when not checked
};
TINHSO_API_STRUCT(DossierView,
                  (id, reference, code, procedure_code, procedure_name, channel, status, status_key,
                   status_name, status_name_en, applicant, submitter, on_behalf,
                   receiving_agency_id, competent_agency_id, current_agency_id, locality_agency_id,
                   step_index, step_code, assignee_id, summary, form, submitted_at, received_at,
                   due_at, original_due_at, step_started_at, step_due_at, finished_at, returned_at,
                   paused_at, supplement_count, apology_issued, fee_total, paid_online, rating,
                   return_method, timeliness, version, updated_at, lookup_secret, subject,
                   applicant_verified, applicant_birth_date, identity_check))

struct DossierQueues {
  std::vector<QueueCount> queues;  // in kQueues order
};
TINHSO_API_STRUCT(DossierQueues, (queues))

// One entry of the timeline as officers and the applicant see it.
struct DossierEvent {
  std::int64_t seq = 0;
  http::Timestamp at;
  std::string action;
  std::string agency_name;
  std::string content;
  int status = 0;
  std::string status_name;
  std::string status_name_en;
  std::int64_t actor_id = 0;
  std::string actor_name;
  std::string actor_position;
  std::int64_t agency_id = 0;
  std::string step_code;
  http::Nullable<http::Timestamp> step_started_at;
  http::Nullable<http::Timestamp> step_due_at;
  std::vector<std::string> items;
  std::optional<std::int64_t> consultation_id;  // a "consult" event
  std::optional<std::int64_t> consulted_agency_id;
};
TINHSO_API_STRUCT(DossierEvent,
                  (seq, at, action, agency_name, content, status, status_name, status_name_en,
                   actor_id, actor_name, actor_position, agency_id, step_code, step_started_at,
                   step_due_at, items, consultation_id, consulted_agency_id))

struct DossierEventList {
  std::vector<DossierEvent> items;
};
TINHSO_API_STRUCT(DossierEventList, (items))

TINHSO_API_STRUCT(FieldProblem, (field, message_vi, message_en))

// POST /api/v1/dossiers/check: an empty list when Submit would take the details.
struct SubmissionCheck {
  std::vector<FieldProblem> problems;
};
TINHSO_API_STRUCT(SubmissionCheck, (problems))

struct DraftView {
  std::int64_t id = 0;
  std::string procedure_code;
  std::string procedure_name;
  boost::json::object content;  // the page's state, as it was saved
  std::vector<FileInfo> files;
  std::int64_t version = 0;
  core::Seconds created_at{};
  core::Seconds updated_at{};
  core::Seconds expires_at{};  // deleted after this unless saved again
};
TINHSO_API_STRUCT(DraftView, (id, procedure_code, procedure_name, content, files, version,
                              created_at, updated_at, expires_at))

struct DraftList {
  std::vector<DraftView> items;
};
TINHSO_API_STRUCT(DraftList, (items))

struct DossierFileList {
  std::vector<FileInfo> items;
};
TINHSO_API_STRUCT(DossierFileList, (items))

// POST /api/v1/dossiers/{id}/pay
struct PaymentStart {
  std::string reference;
  std::int64_t amount = 0;
  payment::Status status = payment::Status::kPending;
  std::string payment_url;
};
TINHSO_API_STRUCT(PaymentStart, (reference, amount, status, payment_url))

// One entry of the public timeline: what happened and where, not who.
struct PublicDossierEvent {
  std::int64_t seq = 0;
  http::Timestamp at;
  std::string action;
  std::string agency_name;
  std::string content;
  int status = 0;
  std::string status_name;
  std::string status_name_en;
};
TINHSO_API_STRUCT(PublicDossierEvent,
                  (seq, at, action, agency_name, content, status, status_name, status_name_en))

// GET /api/v1/lookup. Written by a json::Writer straight to text (the hottest public route, its
// events stored as JSON on the dossier's row); the contract tests hold it to this type.
struct DossierLookup {
  std::string code;       // "" until accepted
  std::string reference;  // held from submission
  std::string procedure_code;
  std::string procedure_name;
  int status = 0;
  std::string status_key;
  std::string status_name;
  std::string status_name_en;
  std::string applicant_name;
  http::Nullable<http::Timestamp> received_at;
  http::Nullable<http::Timestamp> due_at;
  http::Nullable<http::Timestamp> finished_at;
  http::Nullable<http::Timestamp> returned_at;
  std::string timeliness;
  std::vector<PublicDossierEvent> events;  // oldest first
};
TINHSO_API_STRUCT(DossierLookup,
                  (code, reference, procedure_code, procedure_name, status, status_key, status_name,
                   status_name_en, applicant_name, received_at, due_at, finished_at, returned_at,
                   timeliness, events))

TINHSO_API_STRUCT(StatsRow,
                  (key, label, received, in_progress, done_early, done_on_time, done_late, overdue,
                   online, paid_online, done, undue, closed, on_time_ratio, online_share))
TINHSO_API_STRUCT(StatsDefinition, (key, name, name_en, text, text_en))

struct DossierStats {
  std::vector<StatsRow> rows;
  StatsRow total;                            // the sum of the rows
  std::vector<StatsDefinition> definitions;  // how each figure is computed ("Cách tính")
};
TINHSO_API_STRUCT(DossierStats, (rows, total, definitions))

}  // namespace tinhso::dossiers

namespace tinhso::http {

template <>
struct Codec<dossiers::StatusSet> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static boost::json::value Write(const dossiers::StatusSet& v);
  static Result<void> ReadText(std::string_view text, std::string_view name,
                               dossiers::StatusSet& out);
};

template <>
struct Codec<dossiers::DateOrTime> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static boost::json::value Write(const dossiers::DateOrTime& v);
  // A query member of this type is required (http::api_detail::NoDefault).
  static bool NoDefault(const dossiers::DateOrTime& v) { return v.value == core::Seconds::min(); }
  static Result<void> ReadText(std::string_view text, std::string_view name,
                               dossiers::DateOrTime& out);
};

template <>
struct Codec<dossiers::SortKey> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static boost::json::value Write(const dossiers::SortKey& v);
  static Result<void> ReadText(std::string_view text, std::string_view name,
                               dossiers::SortKey& out);
};

}  // namespace tinhso::http
