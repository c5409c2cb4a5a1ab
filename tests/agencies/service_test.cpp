#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "agencies/agencies.hpp"
#include "audit/audit.hpp"
#include "fixture.hpp"

namespace tinhso::agencies::testing {
namespace {

class ServiceTest : public AgencyTest {
 protected:
  // A small province: H90 with a department and a district holding two communes.
  void BuildProvince() {
    province_ = Make("H90", "Ủy ban nhân dân tỉnh Thử Nghiệm", "province_pc");
    department_ = Make("H90.01", "Sở Nội vụ tỉnh Thử Nghiệm", "department", province_.id);
    district_ = Make("H90.31", "Ủy ban nhân dân huyện Chợ Đồn", "district_pc", province_.id);
    commune_a_ = Make("H90.31.01", "Ủy ban nhân dân xã Bản Thi", "commune_pc", district_.id);
    commune_b_ = Make("H90.31.02", "Ủy ban nhân dân xã Bằng Lãng", "commune_pc", district_.id);
  }

  std::vector<std::string> Codes(const ListQuery& q) {
    auto page = service().List(q);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message_en);
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& a : page->items) out.push_back(a.code);
    }
    return out;
  }

  Agency province_, department_, district_, commune_a_, commune_b_;
};

// ---- Create / Get / Update ---------------------------------------------------------------

TEST_P(ServiceTest, CreateStoresBothNotationsAndDepth) {
  BuildProvince();
  Agency a = Fetch(commune_a_.id);
  EXPECT_EQ(a.code, "H90.31.01");
  EXPECT_EQ(a.code_qcvn, std::optional<std::string>("000.01.31.H90"));
  EXPECT_EQ(a.level, 3);
  EXPECT_EQ(a.parent_id, district_.id);
  EXPECT_EQ(a.version, 1);
  EXPECT_TRUE(a.current());
  EXPECT_FALSE(a.code_confirmed);
  EXPECT_EQ(a.valid_from, D("2020-01-01"));
  EXPECT_EQ(a.created_at, TestNow());
}

TEST_P(ServiceTest, CreateTakesTheQcvnFormAndStoresNfc) {
  AgencyInput in;
  in.code = "000.00.00.H91";
  in.name = "U\xcc\x89y ban nha\xcc\x82n da\xcc\x82n ti\xcc\x89nh";  // NFD, as macOS sends it
  in.kind = "province_pc";
  auto a = service().Create(in, Admin());
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(a->code, "H91");
  EXPECT_EQ(a->name, "\xe1\xbb\xa6y ban nh\xc3\xa2n d\xc3\xa2n t\xe1\xbb\x89nh");  // NFC
  EXPECT_EQ(a->valid_from, D("2025-09-01")) << "defaults to today in Vietnam";
}

TEST_P(ServiceTest, CreateIsAudited) {
  BuildProvince();
  audit::Filter f;
  f.action_prefix = "agency.create";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok()) << entries.error().detail;
  EXPECT_EQ(entries->size(), 5u);
  EXPECT_EQ(entries->front().object_type, "agency");
  EXPECT_EQ(entries->front().object_id, std::to_string(commune_b_.id));
}

TEST_P(ServiceTest, CreateRefusesBadInput) {
  BuildProvince();
  struct Case {
    AgencyInput in;
    ErrorCode code;
    std::string_view reason;
    std::string_view why;
  };
  auto input = [](std::string code, std::string name, std::string kind,
                  std::optional<std::int64_t> parent) {
    AgencyInput in;
    in.code = std::move(code);
    in.name = std::move(name);
    in.kind = std::move(kind);
    in.parent_id = parent;
    return in;
  };
  const Case kCases[] = {
      {input("h90.9", "X", "department", province_.id), ErrorCode::kInvalidArgument,
       "agency.code_invalid", "lower-case code"},
      {input("H90.01", "X", "department", province_.id), ErrorCode::kAlreadyExists,
       "agency.code_taken", "current code of another agency"},
      {input("000.00.01.H90", "X", "department", province_.id), ErrorCode::kAlreadyExists,
       "agency.code_taken", "the same code in QCVN form"},
      {input("H90.02", "  ", "department", province_.id), ErrorCode::kInvalidArgument,
       "agency.invalid_input", "blank name"},
      {input("H90.02", "X", "Sở", province_.id), ErrorCode::kInvalidArgument,
       "agency.invalid_input", "kind is not a key"},
      {input("H90.02", "X", "department", 999999), ErrorCode::kFailedPrecondition,
       "agency.parent_not_found", "unknown parent"},
      {input("H90.02", std::string("X\xff"), "department", province_.id),
       ErrorCode::kInvalidArgument, "agency.invalid_input", "invalid UTF-8"},
  };
  for (const Case& c : kCases) {
    auto r = service().Create(c.in, Admin());
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_EQ(r.error().code, c.code) << c.why;
    EXPECT_EQ(r.error().reason, c.reason) << c.why;
    EXPECT_FALSE(r.error().message_vi.empty()) << c.why;
  }
}

TEST_P(ServiceTest, UpdateChecksTheVersion) {
  BuildProvince();
  AgencyPatch patch;
  patch.phone = "0209 3870 000";
  patch.code_confirmed = true;
  auto first = service().Update(department_.id, 1, patch, Admin());
  ASSERT_TRUE(first.ok()) << first.error().message_en;
  EXPECT_EQ(first->version, 2);
  EXPECT_EQ(first->phone, "0209 3870 000");
  EXPECT_TRUE(first->code_confirmed);

  patch.phone = "0209 0000 000";
  auto stale = service().Update(department_.id, 1, patch, Admin());
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().reason, "agency.version_conflict");
  EXPECT_EQ(Fetch(department_.id).phone, "0209 3870 000") << "the stale write changed nothing";

  auto missing = service().Update(424242, 1, patch, Admin());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "agency.not_found");

  AgencyPatch bad;
  bad.email = "not an address";
  auto invalid = service().Update(department_.id, 2, bad, Admin());
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().reason, "agency.invalid_input");
}

TEST_P(ServiceTest, RegisterMoverRefusesReservedKinds) {
  EXPECT_THROW(service().RegisterMover(std::make_unique<SqlColumnMover>("children", "t", "c", "")),
               std::invalid_argument);
  EXPECT_THROW(service().RegisterMover(nullptr), std::invalid_argument);
  EXPECT_THROW(SqlColumnMover("users", "users; DROP TABLE x", "agency_id", ""),
               std::invalid_argument);
  EXPECT_THROW(SqlColumnMover("users", "users", "Agency", ""), std::invalid_argument);
}

TEST_P(ServiceTest, GetUnknownIsNotFound) {
  auto r = service().Get(77);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().reason, "agency.not_found");
}

// ---- Resolve / List / Ancestors ------------------------------------------------------------

TEST_P(ServiceTest, ResolveTakesBothNotations) {
  BuildProvince();
  for (std::string_view code : {"H90.31.02", "000.02.31.H90", " h90.31.02 "}) {
    auto r = service().Resolve(code);
    ASSERT_TRUE(r.ok()) << code << ": " << r.error().message_en;
    EXPECT_EQ(r->agency.id, commune_b_.id) << code;
    EXPECT_EQ(r->code, "H90.31.02");
    EXPECT_FALSE(r->redirected);
    EXPECT_EQ(r->path, std::vector<std::int64_t>{commune_b_.id});
  }
  auto unknown = service().Resolve("H90.99");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().reason, "agency.code_unknown");
  auto invalid = service().Resolve("H90..1");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().reason, "agency.code_invalid");
  EXPECT_EQ(service().GetByCode("000.00.01.H90")->id, department_.id);
}

TEST_P(ServiceTest, ListFiltersSearchesAndPages) {
  BuildProvince();
  ListQuery children;
  children.parent_id = district_.id;
  EXPECT_EQ(Codes(children), (std::vector<std::string>{"H90.31.01", "H90.31.02"}));

  ListQuery by_kind;
  by_kind.kind = "department";
  EXPECT_EQ(Codes(by_kind), std::vector<std::string>{"H90.01"});

  ListQuery by_level;
  by_level.level = 2;
  EXPECT_EQ(Codes(by_level), (std::vector<std::string>{"H90.01", "H90.31"}));

  // core::SearchKey folds case, tones and đ: "cho don" finds "Chợ Đồn".
  for (std::string_view q : {"cho don", "CHỢ ĐỒN", "huyen cho", "h90.31"}) {
    ListQuery search;
    search.q = std::string(q);
    auto codes = Codes(search);
    ASSERT_FALSE(codes.empty()) << q;
    EXPECT_EQ(codes.front(), "H90.31") << q;
  }
  ListQuery none;
  none.q = "100%_";
  EXPECT_TRUE(Codes(none).empty()) << "LIKE wildcards in the query are literal";
  // Punctuation is no part of a search key: "%" or "_" alone matches no agency, not all.
  for (std::string_view q : {"%", "_", "\\"}) {
    ListQuery wildcard;
    wildcard.q = std::string(q);
    EXPECT_TRUE(Codes(wildcard).empty()) << q;
  }

  ListQuery page;
  page.limit = 2;
  page.offset = 1;
  auto r = service().List(page);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 5);
  ASSERT_EQ(r->items.size(), 2u);
  EXPECT_EQ(r->items[0].code, "H90.01");

  ListQuery bad;
  bad.limit = 0;
  EXPECT_EQ(service().List(bad).error().reason, "agency.invalid_input");
}

TEST_P(ServiceTest, AncestorsRootFirst) {
  BuildProvince();
  auto chain = service().Ancestors(commune_a_.id);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->size(), 2u);
  EXPECT_EQ((*chain)[0].id, province_.id);
  EXPECT_EQ((*chain)[1].id, district_.id);
  EXPECT_TRUE(service().Ancestors(province_.id)->empty());
  EXPECT_EQ(service().Ancestors(999).error().reason, "agency.not_found");
}

// ---- Merge -----------------------------------------------------------------------------------

TEST_P(ServiceTest, MergeIntoNewAgencyMovesCodesChildrenAndWork) {
  BuildProvince();
  CreateOfficersTable();
  AddOfficer(1, commune_a_.id);
  AddOfficer(2, commune_b_.id);
  AddOfficer(3, commune_b_.id, /*disabled=*/true);
  Agency hamlet_office = Make("H90.31.01.001", "Tổ một cửa xã Bản Thi", "office", commune_a_.id);

  MergeInput in;
  in.source_ids = {commune_a_.id, commune_b_.id};
  AgencyInput created;
  created.code = "H90.401";
  created.name = "Ủy ban nhân dân xã Chợ Đồn";
  created.kind = "commune_pc";
  created.parent_id = province_.id;
  in.target.create = created;
  in.info = Info("2025-07-01", "Nghị quyết 1683/NQ-UBTVQH15");
  auto r = service().Merge(in, Admin());
  ASSERT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
  EXPECT_EQ(r->kind, "merge");
  EXPECT_GT(r->id, 0);
  EXPECT_FALSE(r->preview);

  auto target = service().GetByCode("H90.401");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->valid_from, D("2025-07-01")) << "a new agency starts on the effective date";
  EXPECT_EQ(target->level, 2);

  for (const Agency& s : {commune_a_, commune_b_}) {
    Agency closed = Fetch(s.id);
    EXPECT_EQ(closed.valid_to, D("2025-07-01"));
    auto resolved = service().Resolve(s.code);
    ASSERT_TRUE(resolved.ok()) << s.code;
    EXPECT_EQ(resolved->agency.id, target->id);
    EXPECT_TRUE(resolved->redirected);
    EXPECT_EQ(resolved->path, (std::vector<std::int64_t>{s.id, target->id}));
    // The QCVN form of the old code keeps working too (edXML OrganId, dossier numbers).
    EXPECT_EQ(service().Resolve(*s.code_qcvn)->agency.id, target->id);
  }
  Agency moved = Fetch(hamlet_office.id);
  EXPECT_EQ(moved.parent_id, target->id) << "current children follow the merge";
  EXPECT_EQ(moved.level, 3);

  EXPECT_EQ(OfficerAgency(1), target->id);
  EXPECT_EQ(OfficerAgency(2), target->id);
  EXPECT_EQ(OfficerAgency(3), commune_b_.id) << "a disabled account is not open work";

  auto listed = service().ListReorganisations(10, 0);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->total, 1);
  // An agency's own history: the merge for its sources and its target, nothing for the others.
  for (std::int64_t part : {commune_a_.id, commune_b_.id, target->id}) {
    auto of = service().ListReorganisations(10, 0, part);
    ASSERT_TRUE(of.ok()) << of.error().message_en;
    EXPECT_EQ(of->total, 1);
    ASSERT_EQ(of->items.size(), 1u);
    EXPECT_EQ(of->items[0].id, listed->items[0].id);
  }
  EXPECT_EQ(service().ListReorganisations(10, 0, department_.id)->total, 0);
  EXPECT_TRUE(service().ListReorganisations(10, 0, department_.id)->items.empty());
  const Reorganisation& rec = listed->items[0];
  EXPECT_EQ(rec.decision, "Nghị quyết 1683/NQ-UBTVQH15");
  EXPECT_EQ(rec.effective_date, D("2025-07-01"));
  std::int64_t users = 0, children = 0;
  for (const auto& m : rec.moves) {
    if (m.kind == "users") users += m.count;
    if (m.kind == "children") children += m.count;
  }
  EXPECT_EQ(users, 2);
  EXPECT_EQ(children, 1);
  EXPECT_EQ(std::count_if(rec.agencies.begin(), rec.agencies.end(),
                          [](const auto& a) { return a.role == "source"; }),
            2);

  audit::Filter f;
  f.action_prefix = "agency.merge";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().object_id, std::to_string(r->id));
}

TEST_P(ServiceTest, MergeIntoExistingAgencyDefaultsAndChains) {
  BuildProvince();
  Agency labour = Make("H90.12", "Sở Lao động - Thương binh và Xã hội", "department", province_.id);
  MergeInput in;
  in.source_ids = {labour.id};
  in.target.agency_id = department_.id;
  in.info = Info("2025-03-01");
  ASSERT_TRUE(service().Merge(in, Admin()).ok());

  // Then the department itself merges away: the old code follows both links.
  Agency other = Make("H55", "Ủy ban nhân dân tỉnh Khác", "province_pc");
  Agency other_dept = Make("H55.02", "Sở Nội vụ tỉnh Khác", "department", other.id);
  MergeInput second;
  second.source_ids = {department_.id};
  second.target.agency_id = other_dept.id;
  second.info = Info("2025-07-01");
  ASSERT_TRUE(service().Merge(second, Admin()).ok());
  auto r = service().Resolve("H90.12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->agency.id, other_dept.id);
  EXPECT_EQ(r->path, (std::vector<std::int64_t>{labour.id, department_.id, other_dept.id}));
}

TEST_P(ServiceTest, MergeRefusesNonsense) {
  BuildProvince();
  Agency closed = Make("H90.02", "Sở đã sáp nhập", "department", province_.id);
  {
    MergeInput in;
    in.source_ids = {closed.id};
    in.target.agency_id = department_.id;
    in.info = Info("2025-03-01");
    ASSERT_TRUE(service().Merge(in, Admin()).ok());
  }
  Agency young = Make("H90.03", "Sở mới lập", "department", province_.id, "2025-05-01");

  struct Case {
    std::vector<std::int64_t> sources;
    std::optional<std::int64_t> target;
    std::string date;
    std::string decision;
    ErrorCode code;
    std::string_view reason;
    std::string_view why;
  };
  const Case kCases[] = {
      {{department_.id},
       department_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.merge_into_self",
       "into itself"},
      {{district_.id},
       commune_a_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.merge_into_descendant",
       "into its own commune"},
      {{province_.id},
       commune_a_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.merge_into_descendant",
       "into a grandchild"},
      {{closed.id},
       department_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kFailedPrecondition,
       "agency.dissolved",
       "a dissolved source"},
      {{young.id},
       department_.id,
       "2025-03-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.effective_date_before_valid_from",
       "before the source existed"},
      {{commune_a_.id},
       commune_b_.id,
       "2025-12-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.effective_date_in_future",
       "not in force yet"},
      {{commune_a_.id},
       commune_b_.id,
       "2025-07-01",
       " ",
       ErrorCode::kInvalidArgument,
       "agency.invalid_input",
       "no legal basis"},
      {{commune_a_.id, commune_a_.id},
       commune_b_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.invalid_input",
       "a source twice"},
      {{},
       commune_b_.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kInvalidArgument,
       "agency.invalid_input",
       "no source"},
      {{commune_a_.id},
       closed.id,
       "2025-07-01",
       "NQ",
       ErrorCode::kFailedPrecondition,
       "agency.dissolved",
       "a dissolved target"},
      {{commune_a_.id},
       31337,
       "2025-07-01",
       "NQ",
       ErrorCode::kNotFound,
       "agency.not_found",
       "an unknown target"},
  };
  for (const Case& c : kCases) {
    MergeInput in;
    in.source_ids = c.sources;
    in.target.agency_id = c.target;
    in.info = Info(c.date, c.decision);
    auto r = service().Merge(in, Admin());
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_EQ(r.error().code, c.code) << c.why << ": " << r.error().message_en;
    EXPECT_EQ(r.error().reason, c.reason) << c.why << ": " << r.error().message_en;
    EXPECT_FALSE(r.error().message_vi.empty());
  }
  // None of them changed anything.
  EXPECT_TRUE(Fetch(commune_a_.id).current());
  EXPECT_TRUE(Fetch(district_.id).current());
  EXPECT_EQ(service().ListReorganisations(10, 0)->total, 1);
}

TEST_P(ServiceTest, SameExternalRefIsRecordedOnce) {
  BuildProvince();
  MergeInput in;
  in.source_ids = {commune_a_.id};
  in.target.agency_id = commune_b_.id;
  in.info = Info("2025-07-01");
  in.info.external_ref = "demo-1";
  ASSERT_TRUE(service().Merge(in, Admin()).ok());
  auto again = service().Merge(in, Admin());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().reason, "agency.reorganisation_recorded");
}

// ---- Split -----------------------------------------------------------------------------------

TEST_P(ServiceTest, SplitFollowsThePlan) {
  BuildProvince();
  CreateOfficersTable();
  service().RegisterMover(
      std::make_unique<SqlColumnMover>("archives", "test_officers", "agency_id", "disabled = 1"));
  AddOfficer(1, district_.id);
  AddOfficer(2, district_.id, /*disabled=*/true);
  Agency east = Make("H90.41", "Ủy ban nhân dân xã Đông", "commune_pc", province_.id);

  SplitInput in;
  in.source_id = district_.id;
  SplitTarget to_east;
  to_east.target.agency_id = east.id;
  to_east.child_ids = {commune_b_.id};
  to_east.work_kinds = {"archives"};
  SplitTarget to_west;
  AgencyInput west;
  west.code = "H90.42";
  west.name = "Ủy ban nhân dân xã Tây";
  west.kind = "commune_pc";
  to_west.target.create = west;
  to_west.primary = true;
  in.targets = {to_east, to_west};
  in.info = Info("2025-07-01");
  auto r = service().Split(in, Admin());
  ASSERT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;

  auto west_agency = service().GetByCode("H90.42");
  ASSERT_TRUE(west_agency.ok());
  EXPECT_EQ(west_agency->parent_id, province_.id) << "new targets default to the source's parent";
  EXPECT_EQ(Fetch(commune_b_.id).parent_id, east.id);
  EXPECT_EQ(Fetch(commune_a_.id).parent_id, west_agency->id) << "unassigned → primary";
  EXPECT_EQ(OfficerAgency(1), west_agency->id) << "unassigned work kinds → primary";
  EXPECT_EQ(OfficerAgency(2), east.id) << "the archives mover's rows went east";
  EXPECT_EQ(service().Resolve("H90.31")->agency.id, west_agency->id);
  EXPECT_EQ(r->codes.size(), 1u);
  EXPECT_EQ(r->codes[0].resolves_to_id, west_agency->id);
}

TEST_P(ServiceTest, SplitRefusesABadPlan) {
  BuildProvince();
  Agency east = Make("H90.41", "Đông", "commune_pc", province_.id);
  Agency west = Make("H90.42", "Tây", "commune_pc", province_.id);
  auto plan = [&](bool p1, bool p2, std::vector<std::int64_t> kids, std::vector<std::string> work) {
    SplitInput in;
    in.source_id = district_.id;
    SplitTarget a;
    a.target.agency_id = east.id;
    a.primary = p1;
    a.child_ids = std::move(kids);
    a.work_kinds = std::move(work);
    SplitTarget b;
    b.target.agency_id = west.id;
    b.primary = p2;
    in.targets = {a, b};
    in.info = Info("2025-07-01");
    return in;
  };
  const SplitInput kCases[] = {
      plan(false, false, {}, {}),               // no primary
      plan(true, true, {}, {}),                 // two primaries
      plan(true, false, {department_.id}, {}),  // not a child of the source
      plan(true, false, {}, {"dossiers"}),      // no such mover
  };
  for (const SplitInput& in : kCases) {
    auto r = service().Split(in, Admin());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, "agency.split_plan") << r.error().message_en;
  }
  SplitInput self = plan(true, false, {}, {});
  self.targets[0].target.agency_id = district_.id;
  EXPECT_EQ(service().Split(self, Admin()).error().reason, "agency.merge_into_self");
  SplitInput down = plan(true, false, {}, {});
  down.targets[1].target.agency_id = commune_a_.id;
  EXPECT_EQ(service().Split(down, Admin()).error().reason, "agency.merge_into_descendant");
  EXPECT_TRUE(Fetch(district_.id).current());
}

// ---- Rename / Move ---------------------------------------------------------------------------

TEST_P(ServiceTest, RenameAndRecodeKeepTheOldCodeResolving) {
  BuildProvince();
  RenameInput in;
  in.agency_id = department_.id;
  in.name = "Sở Dân tộc và Tôn giáo tỉnh Thử Nghiệm";
  in.code = "000.00.18.H90";
  in.info = Info("2025-03-01");
  auto r = service().Rename(in, Admin());
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  Agency renamed = Fetch(department_.id);
  EXPECT_EQ(renamed.code, "H90.18");
  EXPECT_EQ(renamed.name, "Sở Dân tộc và Tôn giáo tỉnh Thử Nghiệm");
  EXPECT_EQ(renamed.version, 2);
  EXPECT_TRUE(renamed.current());

  auto old = service().Resolve("H90.01");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->agency.id, department_.id);
  EXPECT_TRUE(old->redirected) << "an old code is a redirect even without a successor";
  EXPECT_EQ(old->path.size(), 1u);
  EXPECT_FALSE(service().Resolve("H90.18")->redirected);

  RenameInput taken;
  taken.agency_id = commune_a_.id;
  taken.code = "H90.01";  // the department's old code: never handed out again
  taken.info = Info("2025-07-01");
  EXPECT_EQ(service().Rename(taken, Admin()).error().reason, "agency.code_taken");

  RenameInput nothing;
  nothing.agency_id = commune_a_.id;
  nothing.name = commune_a_.name;
  nothing.info = Info("2025-07-01");
  EXPECT_EQ(service().Rename(nothing, Admin()).error().reason, "agency.invalid_input");
}

TEST_P(ServiceTest, MoveReparentsTheSubtreeAndKeepsHistory) {
  BuildProvince();
  Agency office = Make("H90.31.01.001", "Bộ phận một cửa", "office", commune_a_.id);
  MoveInput in;
  in.agency_id = commune_a_.id;
  in.new_parent_id = province_.id;
  in.info = Info("2025-07-01");
  auto r = service().Move(in, Admin());
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  EXPECT_EQ(Fetch(commune_a_.id).level, 2);
  EXPECT_EQ(Fetch(office.id).level, 3) << "depth below follows";
  EXPECT_EQ(Fetch(commune_a_.id).version, 2);

  ListQuery now;
  now.parent_id = district_.id;
  EXPECT_EQ(Codes(now), std::vector<std::string>{"H90.31.02"});
  ListQuery before = now;
  before.at = D("2025-06-30");
  EXPECT_EQ(Codes(before), (std::vector<std::string>{"H90.31.01", "H90.31.02"}))
      << "the tree at a past date uses the parent history";
  ListQuery after = now;
  after.at = D("2025-07-01");
  EXPECT_EQ(Codes(after), std::vector<std::string>{"H90.31.02"});

  MoveInput loop;
  loop.agency_id = district_.id;
  loop.new_parent_id = commune_b_.id;
  loop.info = Info("2025-07-01");
  EXPECT_EQ(service().Move(loop, Admin()).error().reason, "agency.move_into_descendant");
  loop.new_parent_id = district_.id;
  EXPECT_EQ(service().Move(loop, Admin()).error().reason, "agency.move_into_descendant");
}

// ---- Preview ---------------------------------------------------------------------------------

TEST_P(ServiceTest, PreviewChangesNothing) {
  BuildProvince();
  CreateOfficersTable();
  AddOfficer(1, district_.id);
  MergeInput in;
  in.source_ids = {district_.id};
  in.target.agency_id = province_.id;
  in.info = Info("2025-07-01");
  auto p = service().Preview(in);
  ASSERT_TRUE(p.ok()) << p.error().message_en;
  EXPECT_TRUE(p->preview);
  EXPECT_EQ(p->id, 0);
  EXPECT_EQ(p->children.size(), 2u);
  ASSERT_EQ(p->codes.size(), 1u);
  EXPECT_EQ(p->codes[0].code, "H90.31");
  EXPECT_EQ(p->codes[0].resolves_to_id, province_.id);
  std::int64_t users = 0;
  for (const auto& m : p->moves) {
    if (m.kind == "users") users += m.count;
  }
  EXPECT_EQ(users, 1);

  EXPECT_TRUE(Fetch(district_.id).current());
  EXPECT_EQ(Fetch(commune_a_.id).parent_id, district_.id);
  EXPECT_EQ(OfficerAgency(1), district_.id);
  EXPECT_EQ(service().ListReorganisations(10, 0)->total, 0);
  EXPECT_FALSE(service().Resolve("H90.31")->redirected);

  in.info.effective_date = D("2026-01-01");
  EXPECT_EQ(service().Preview(in).error().reason, "agency.effective_date_in_future")
      << "a preview checks what the real run checks";
}

// ---- auth::AgencyTree --------------------------------------------------------------------

TEST_P(ServiceTest, IsWithinFollowsTheCurrentTreeAndSuccessors) {
  BuildProvince();
  const auth::AgencyTree& tree = service();
  EXPECT_TRUE(tree.IsWithin(commune_a_.id, commune_a_.id));
  EXPECT_TRUE(tree.IsWithin(commune_a_.id, district_.id));
  EXPECT_TRUE(tree.IsWithin(commune_a_.id, province_.id));
  EXPECT_FALSE(tree.IsWithin(district_.id, commune_a_.id));
  EXPECT_FALSE(tree.IsWithin(commune_a_.id, department_.id));
  EXPECT_FALSE(tree.IsWithin(9999, province_.id));

  MergeInput in;
  in.source_ids = {commune_a_.id};
  in.target.agency_id = department_.id;  // odd, but legal: the tree is data
  in.info = Info("2025-07-01");
  ASSERT_TRUE(service().Merge(in, Admin()).ok());
  EXPECT_TRUE(tree.IsWithin(commune_a_.id, department_.id))
      << "a closed agency's records are within its successor";
  EXPECT_FALSE(tree.IsWithin(commune_a_.id, district_.id)) << "refreshed after the change";
}

TEST_P(ServiceTest, SubtreeAgreesWithIsWithin) {
  BuildProvince();
  const auth::AgencyTree& tree = service();
  EXPECT_EQ(tree.Subtree(district_.id),
            (std::vector<std::int64_t>{district_.id, commune_a_.id, commune_b_.id}));
  EXPECT_EQ(tree.Subtree(4242), std::vector<std::int64_t>{4242});

  MergeInput in;
  in.source_ids = {district_.id};
  in.target.agency_id = department_.id;
  in.info = Info("2025-07-01");
  ASSERT_TRUE(service().Merge(in, Admin()).ok());
  std::vector<std::int64_t> sub = tree.Subtree(department_.id);
  std::sort(sub.begin() + 1, sub.end());
  EXPECT_EQ(sub,
            (std::vector<std::int64_t>{department_.id, district_.id, commune_a_.id, commune_b_.id}))
      << "the communes moved under the department, the closed district lies in it by succession";
  for (std::int64_t id : tree.Subtree(province_.id)) {
    EXPECT_TRUE(tree.IsWithin(id, province_.id)) << id;
  }
}

TEST_P(ServiceTest, IsWithinIsSafeFromManyThreads) {
  BuildProvince();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (!service().IsWithin(commune_b_.id, province_.id)) ++wrong;
        if (i % 500 == 0) (void)service().RefreshTree();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(ServiceTest, ResolveStopsOnASuccessorCycle) {
  BuildProvince();
  // Only a hand edit can make a cycle; Resolve must still answer.
  auto tx = db().Begin();
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)
                  ->Execute("INSERT INTO reorganisations (kind, effective_date, decision, "
                            "created_by, created_at) VALUES ('merge', '2025-07-01', 'x', 0, 0)")
                  .ok());
  auto id = (*tx)->Query("SELECT MAX(id) FROM reorganisations");
  ASSERT_TRUE(id.ok());
  const std::int64_t rid = (*id)[0].Int(0);
  for (auto [from, to] :
       {std::pair{commune_a_.id, commune_b_.id}, std::pair{commune_b_.id, commune_a_.id}}) {
    ASSERT_TRUE(
        (*tx)
            ->Execute("UPDATE agencies SET valid_to = '2025-07-01' WHERE id = :id", {{"id", from}})
            .ok());
    ASSERT_TRUE((*tx)
                    ->Execute("INSERT INTO agency_successors (agency_id, successor_id, "
                              "is_primary, reorganisation_id) VALUES (:a, :b, 1, :r)",
                              {{"a", from}, {"b", to}, {"r", rid}})
                    .ok());
  }
  ASSERT_TRUE((*tx)->Commit().ok());
  ASSERT_TRUE(service().RefreshTree().ok());  // as after any hand edit
  auto r = service().Resolve("H90.31.01");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "agency.no_successor");
  EXPECT_FALSE(service().IsWithin(commune_a_.id, province_.id)) << "the walk is bounded";
}

// Get and Resolve answer from the directory, which this instance reloads after each of its own
// changes. What another instance (another process, the CLI) adds is still found, in the
// database; what it changes shows after RefreshTree.
TEST_P(ServiceTest, TheDirectoryServesGetAndResolveAndFindsWhatOthersAdd) {
  BuildProvince();
  Service elsewhere(db(), clock_);
  AgencyInput in;
  in.code = "H90.31.03";
  in.name = "Ủy ban nhân dân xã Nam Cường";
  in.kind = "commune_pc";
  in.parent_id = district_.id;
  auto added = elsewhere.Create(in, Admin());
  ASSERT_TRUE(added.ok()) << added.error().message_en;
  auto found = service().Resolve("000.03.31.H90");
  ASSERT_TRUE(found.ok()) << found.error().message_en;
  EXPECT_EQ(found->agency.id, added->id);
  auto got = service().Get(added->id);
  ASSERT_TRUE(got.ok()) << got.error().message_en;
  EXPECT_EQ(got->name, in.name);

  AgencyPatch patch;
  patch.name = "Ủy ban nhân dân xã Bản Thi mới";
  ASSERT_TRUE(elsewhere.Update(commune_a_.id, 1, patch, Admin()).ok());
  EXPECT_EQ(service().Get(commune_a_.id)->name, commune_a_.name) << "served from the directory";
  EXPECT_EQ(service().Resolve("H90.31.01")->agency.name, commune_a_.name);
  ASSERT_TRUE(service().RefreshTree().ok());
  EXPECT_EQ(service().Get(commune_a_.id)->name, *patch.name);
  EXPECT_EQ(service().Resolve("H90.31.01")->agency.name, *patch.name);
  EXPECT_EQ(service().Get(commune_a_.id)->version, 2);

  // This instance's own change shows at once.
  patch.name = "Ủy ban nhân dân xã Bản Thi";
  ASSERT_TRUE(service().Update(commune_a_.id, 2, patch, Admin()).ok());
  EXPECT_EQ(service().Get(commune_a_.id)->name, *patch.name);
  EXPECT_EQ(service().Resolve("H90.31.01")->agency.version, 3);
}

TINHSO_INSTANTIATE_BACKENDS(ServiceTest);

}  // namespace
}  // namespace tinhso::agencies::testing
