// The agency tree of the province: people's committees, departments, communes, and the 2025
// reorganisations that merged, split, renamed and moved them. Other modules include only this
// header (and codes.hpp, which it includes).
//
// Time model: every agency has a validity [valid_from, valid_to) in calendar dates; valid_to
// NULL means it exists today. A reorganisation closes its sources (valid_to = effective date),
// links them to their successors, re-parents their current children and moves their open work.
// Nothing is ever deleted: old codes stay in agency_codes and keep resolving to the successor,
// because dossiers, documents and edXML OrganIds issued before 01/7/2025 carry them for years.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agencies/codes.hpp"
#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::agencies {

using Date = std::chrono::year_month_day;

/// One agency (cơ quan, đơn vị) as stored.
struct Agency {
  std::int64_t id = 0;
  std::string code;                      ///< current code, QĐ 20/2020 form ("H55.12")
  std::optional<std::string> code_qcvn;  ///< the same in QCVN 102 form, when it fits
  bool code_confirmed = false;           ///< checked against the official list
  std::optional<std::int64_t> parent_id;
  std::string name;        ///< full legal name, NFC ("Ủy ban nhân dân xã Chợ Đồn")
  std::string name_en;     ///< English name, may be empty
  std::string short_name;  ///< "UBND xã Chợ Đồn"
  std::string kind;        ///< data, not an enum: "province_pc", "department", "commune_pc", …
  int level = 1;           ///< depth in the current tree: 1 for a root
  std::string address;
  std::string phone;
  std::string email;
  std::string website;
  Date valid_from;
  std::optional<Date> valid_to;  ///< the effective date of the reorganisation that closed it
  std::int64_t version = 1;      ///< optimistic-locking counter, +1 on every change
  core::Seconds created_at{};
  core::Seconds updated_at{};

  bool current() const { return !valid_to.has_value(); }
};

/// What Create takes.
struct AgencyInput {
  std::string code;  ///< either notation; stored in QĐ 20/2020 form
  bool code_confirmed = false;
  std::optional<std::int64_t> parent_id;
  std::string name;
  std::string name_en;
  std::string short_name;
  std::string kind;
  std::string address;
  std::string phone;
  std::string email;
  std::string website;
  std::optional<Date> valid_from;  ///< default: today in Vietnam
};

/// What Update may change; unset fields stay. Codes, parents and validity change only through
/// reorganisations, so that each such change is one recorded, audited operation.
struct AgencyPatch {
  std::optional<std::string> name;
  std::optional<std::string> name_en;
  std::optional<std::string> short_name;
  std::optional<std::string> kind;
  std::optional<std::string> address;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> website;
  std::optional<bool> code_confirmed;
};

/// The answer to "which agency is this code today?".
struct Resolution {
  Agency agency;                   ///< the current agency the code leads to
  std::string code;                ///< the code asked for, in QĐ 20/2020 form
  std::int64_t holder_id = 0;      ///< the agency that held the code
  bool redirected = false;         ///< the code is old, or its holder was merged/split away
  std::vector<std::int64_t> path;  ///< holder, then each primary successor followed
};

struct ListQuery {
  std::optional<std::int64_t> parent_id;  ///< children of this agency (at `at`)
  std::optional<Date> at;                 ///< agencies valid on this date; default: current
  std::string kind;                       ///< empty: any
  std::optional<int> level;               ///< depth in today's tree, also when `at` is set
  std::string q;   ///< name search, folded with core::SearchKey ("cho don" finds "Chợ Đồn")
  int limit = 50;  ///< 1..500
  int offset = 0;
};

struct AgencyPage {
  std::vector<Agency> items;
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

// ---- Reorganisations --------------------------------------------------------------------------

/// Fields every reorganisation carries.
struct OperationInfo {
  Date effective_date;   ///< first day of the new arrangement; not after today
  std::string decision;  ///< legal basis, e.g. "Nghị quyết 202/2025/QH15"
  std::string note;
  bool confirmed = true;  ///< false when the mapping is not yet checked against the legal text
  /// An idempotency key: a second operation with the same non-empty ref is refused with
  /// kAlreadyExists "agency.reorganisation_recorded" before anything else is checked.
  std::string external_ref;
};

/// An existing agency or one to create, as a reorganisation target.
struct TargetRef {
  std::optional<std::int64_t> agency_id;
  std::optional<AgencyInput> create;  ///< valid_from is forced to the effective date
};

/// Sources → one target. Sources close; their children, codes and open work go to the target.
struct MergeInput {
  std::vector<std::int64_t> source_ids;
  TargetRef target;
  OperationInfo info;
};

struct SplitTarget {
  TargetRef target;
  bool primary = false;                 ///< exactly one: it gets everything not listed
  std::vector<std::int64_t> child_ids;  ///< current children of the source that go here
  std::vector<std::string> work_kinds;  ///< kinds of open work (WorkMover::kind) that go here
};

/// One source → several targets.
struct SplitInput {
  std::int64_t source_id = 0;
  std::vector<SplitTarget> targets;
  OperationInfo info;
};

/// Rename and/or recode one agency; it keeps its id, its old code keeps resolving to it.
struct RenameInput {
  std::int64_t agency_id = 0;
  std::optional<std::string> name;
  std::optional<std::string> name_en;
  std::optional<std::string> short_name;
  std::optional<std::string> kind;
  std::optional<std::string> code;  ///< either notation
  std::optional<bool> code_confirmed;
  OperationInfo info;
};

/// Re-parent one agency (with its subtree).
struct MoveInput {
  std::int64_t agency_id = 0;
  std::int64_t new_parent_id = 0;
  OperationInfo info;
};

using Operation = std::variant<MergeInput, SplitInput, RenameInput, MoveInput>;

struct ReorganisationAgency {
  std::int64_t agency_id = 0;
  std::string code;
  std::string name;
  std::string role;  ///< "source", "target" or "created"
  bool primary = false;
};

struct ChildMove {
  std::int64_t agency_id = 0;
  std::string code;
  std::int64_t from_parent_id = 0;
  std::int64_t to_parent_id = 0;
};

/// Open work of one kind moved from one agency to another.
struct WorkMove {
  std::string kind;
  std::int64_t from_agency_id = 0;
  std::int64_t to_agency_id = 0;
  std::int64_t count = 0;
};

/// A code that stops being current; it keeps resolving to `resolves_to_id`.
struct CodeChange {
  std::string code;
  std::optional<std::string> code_qcvn;
  std::int64_t agency_id = 0;
  std::int64_t resolves_to_id = 0;
};

/// One recorded reorganisation, or what one would do (preview = true: id is 0, the ids of the
/// agencies it would create are provisional, and nothing was changed).
struct Reorganisation {
  std::int64_t id = 0;
  std::string kind;  ///< "merge", "split", "rename", "move"
  Date effective_date;
  std::string decision;
  std::string note;
  std::string external_ref;
  bool confirmed = true;
  std::int64_t created_by = 0;
  core::Seconds created_at{};
  bool preview = false;
  std::vector<ReorganisationAgency> agencies;
  std::vector<ChildMove> children;  ///< filled by Preview/Apply; not kept (see agency_parents)
  std::vector<WorkMove> moves;      ///< work moves; children re-parented count as kind "children"
  std::vector<CodeChange> codes;    ///< filled by Preview/Apply
};

struct ReorganisationPage {
  std::vector<Reorganisation> items;
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

/// Moves one kind of open work (accounts, dossiers, documents) from an agency to its successor.
/// Each module that keeps an agency_id registers one. Both calls run inside the
/// reorganisation's transaction and must not commit it.
class WorkMover {
 public:
  virtual ~WorkMover() = default;
  /// A stable name: "users", "dossiers".
  virtual std::string_view kind() const = 0;
  /// How many open items `agency_id` has (used by Preview).
  virtual Result<std::int64_t> Count(storage::Transaction& tx, std::int64_t agency_id) = 0;
  /// Moves them; returns how many moved.
  virtual Result<std::int64_t> Move(storage::Transaction& tx, std::int64_t from,
                                    std::int64_t to) = 0;
};

/// A mover for work that is one column of one table: UPDATE table SET column = :to WHERE
/// column = :from AND (open_condition). `table` and `column` must be plain identifiers
/// ([a-z_][a-z0-9_]*; std::invalid_argument otherwise: a startup bug). `open_condition_sql` is
/// trusted SQL written by the registering module ("disabled = 0"); empty means every row.
class SqlColumnMover final : public WorkMover {
 public:
  SqlColumnMover(std::string kind, std::string table, std::string column,
                 std::string open_condition_sql);
  std::string_view kind() const override { return kind_; }
  Result<std::int64_t> Count(storage::Transaction& tx, std::int64_t agency_id) override;
  Result<std::int64_t> Move(storage::Transaction& tx, std::int64_t from, std::int64_t to) override;

 private:
  std::string kind_;
  std::string count_sql_;
  std::string move_sql_;
};

/// The agencies use cases. Thread-safe: one instance serves all requests. Every change runs in
/// one transaction with its audit entry, and either commits fully or changes nothing.
/// It is also the auth::AgencyTree, answering IsWithin from an in-memory directory of every
/// agency, refreshed after every change this instance makes; Get and Resolve read it too.
class Service final : public auth::AgencyTree {
 public:
  Service(storage::Database& db, const core::Clock& clock);
  ~Service() override;
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// Creates an agency. Errors: kInvalidArgument ("agency.code_invalid", "agency.invalid_input"
  /// naming the field), kAlreadyExists ("agency.code_taken": current or old code of another
  /// agency), kFailedPrecondition ("agency.parent_not_found", "agency.parent_dissolved").
  Result<Agency> Create(const AgencyInput& input, const core::Actor& actor);

  /// Changes descriptive fields if `expected_version` is still current. Errors: kNotFound
  /// ("agency.not_found"), kConflict ("agency.version_conflict"), kInvalidArgument.
  Result<Agency> Update(std::int64_t id, std::int64_t expected_version, const AgencyPatch& patch,
                        const core::Actor& actor);

  /// Errors: kNotFound ("agency.not_found").
  Result<Agency> Get(std::int64_t id) const;

  /// The agency whose current code is `code` (either notation), without following old codes
  /// or successors. Errors: kInvalidArgument ("agency.code_invalid"), kNotFound.
  Result<Agency> GetByCode(std::string_view code) const;

  /// Resolves a code in either notation, current or old, to the agency that stands for it
  /// today, following primary successor links (cycle-safe). Surrounding spaces are ignored and
  /// lower-case letters accepted (the code alphabet has none, so nothing is ambiguous).
  /// Errors: kInvalidArgument ("agency.code_invalid"), kNotFound ("agency.code_unknown"),
  /// kFailedPrecondition ("agency.no_successor": closed with no successor, or a cycle).
  Result<Resolution> Resolve(std::string_view code) const;

  /// Agencies valid at `query.at` (default: current), filtered and paginated, ordered by code.
  /// Errors: kInvalidArgument ("agency.invalid_input": limit/offset out of range).
  Result<AgencyPage> List(const ListQuery& query) const;

  /// The current ancestors of `id`, root first, without `id` itself. Errors: kNotFound.
  Result<std::vector<Agency>> Ancestors(std::int64_t id) const;

  /// Adds a work mover. Call before serving; a second mover of the same kind replaces the first.
  /// Throws std::invalid_argument for a null mover or a kind that is empty or "children" (that
  /// name counts re-parented agencies in reorganisation_moves).
  void RegisterMover(std::unique_ptr<WorkMover> mover);

  /// What `op` would do, computed by running it in a transaction that is rolled back.
  /// Same errors as Apply.
  Result<Reorganisation> Preview(const Operation& op);

  /// Records `op` as one reorganisation, in one transaction, audited as "agency.<kind>".
  /// Errors: kInvalidArgument ("agency.invalid_input", "agency.merge_into_self",
  /// "agency.merge_into_descendant", "agency.move_into_descendant",
  /// "agency.effective_date_before_valid_from", "agency.effective_date_in_future",
  /// "agency.split_plan"), kNotFound ("agency.not_found"), kFailedPrecondition
  /// ("agency.dissolved"), kAlreadyExists ("agency.code_taken",
  /// "agency.reorganisation_recorded"), and any error a WorkMover returns.
  Result<Reorganisation> Apply(const Operation& op, const core::Actor& actor);

  Result<Reorganisation> Merge(const MergeInput& input, const core::Actor& actor);
  Result<Reorganisation> Split(const SplitInput& input, const core::Actor& actor);
  Result<Reorganisation> Rename(const RenameInput& input, const core::Actor& actor);
  Result<Reorganisation> Move(const MoveInput& input, const core::Actor& actor);

  /// Recorded reorganisations, newest effective date first. Errors: kInvalidArgument.
  /// With `agency_id`: only those the agency took part in (as a source or a target).
  Result<ReorganisationPage> ListReorganisations(
      int limit, int offset, std::optional<std::int64_t> agency_id = std::nullopt) const;

  /// auth::AgencyTree. True when `agency_id` is `ancestor_id` or below it in the current tree.
  /// A closed agency counts as where its current successor is, so that the records it left
  /// behind stay within reach of the agency that inherited them. Unknown ids: false.
  bool IsWithin(std::int64_t agency_id, std::int64_t ancestor_id) const override;

  /// auth::AgencyTree. `root`, every current agency below it, and (consistently with IsWithin)
  /// every closed agency whose successor chain leads into them, so that a list filtered by
  /// Subtree shows the records a merged commune left to its successor. Root first, then
  /// breadth-first; just {root} for an unknown id.
  std::vector<std::int64_t> Subtree(std::int64_t root) const override;

  /// Reloads the in-memory directory. Called after every change; call it after changing
  /// agencies through another Service instance or by hand (Get and Resolve read an agency or a
  /// code the directory does not know from the database, but a changed one from the directory).
  Result<void> RefreshTree() const;

  /// Today's date in Vietnam (UTC+7) by the injected clock.
  Date Today() const;

 private:
  struct State;  // movers and the tree cache (service.cpp)
  Result<Reorganisation> Run(const Operation& op, const core::Actor& actor, bool preview);
  bool EnsureTree() const;  // loads the tree cache if needed; false when it cannot be read

  storage::Database& db_;
  const core::Clock& clock_;
  std::unique_ptr<State> state_;
};

/// What LoadDemo did.
struct DemoStats {
  int agencies_created = 0;
  int agencies_skipped = 0;  ///< already there (their code resolves)
  int reorganisations_applied = 0;
  int reorganisations_skipped = 0;  ///< already recorded (same ref)
  std::int64_t work_moved = 0;
};

/// Loads data_dir/agencies_bac_kan.json, then data_dir/reorganisations_2025.json. Idempotent:
/// agencies whose code already resolves and operations whose ref is recorded are skipped.
/// Errors: kNotFound ("agency.demo_missing"), kInvalidArgument ("agency.demo_invalid", naming
/// the file and the entry), and any error of Create/Apply (with the entry named in detail).
Result<DemoStats> LoadDemo(Service& service, const std::filesystem::path& data_dir,
                           const core::Actor& actor);
/// The two halves of LoadDemo, for callers that need to act in between (tests do).
Result<DemoStats> LoadDemoAgencies(Service& service, const std::filesystem::path& file,
                                   const core::Actor& actor);
Result<DemoStats> LoadDemoReorganisations(Service& service, const std::filesystem::path& file,
                                          const core::Actor& actor);

/// GET /api/v1/agencies, /agencies/{id}, /agencies/resolve/{code}, /agencies/reorganisations
/// ("public.agencies"); POST /agencies, PUT /agencies/{id} ("agency.manage");
/// POST /agencies/reorganisations[/preview] ("agency.reorganise").
void RegisterRoutes(http::Router& router, Service& service, const auth::Policy& policy);

}  // namespace tinhso::agencies
