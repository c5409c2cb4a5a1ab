// CalendarService on both backends: overrides stored, audited, and seen by Working().
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "audit/audit.hpp"
#include "calendar/calendar.hpp"
#include "core/clock.hpp"
#include "core/parse.hpp"
#include "storage/database.hpp"
#include "support/database.hpp"
#include "support/faulty_database.hpp"

namespace tinhso::calendar {
namespace {

using std::chrono::sys_days;

Date D(std::string_view text) { return core::ParseDate(text).value_or(Date{}); }

Override Make(std::string_view date, OverrideKind kind, std::string name_vi = {},
              std::string name_en = {}, std::string note = {}) {
  return Override{D(date), kind, std::move(name_vi), std::move(name_en), std::move(note)};
}

core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 7;
  a.login = "quantri";
  a.full_name = "Quản trị viên";
  return a;
}

class CalendarServiceTest : public test::BackendTest {
 protected:
  // 2026-01-05 09:00 Vietnam time.
  core::FakeClock clock_{core::Seconds{sys_days{D("2026-01-05")}} + std::chrono::hours(2)};

  std::vector<audit::Entry> AuditEntries() {
    audit::Filter filter;
    filter.object_type = "calendar_override";
    filter.limit = 500;
    auto entries = audit::List(db(), filter);
    EXPECT_TRUE(entries.ok()) << entries.error().detail;
    return entries.ok() ? *entries : std::vector<audit::Entry>{};
  }

  std::int64_t OverrideRows() {
    auto n = storage::WithTransaction(db(), [](storage::Transaction& tx) -> Result<std::int64_t> {
      TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM calendar_overrides"));
      return rows[0].Int(0);
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }
};

TEST_P(CalendarServiceTest, PutOverrideShowsInYearAndWorking) {
  CalendarService service(db(), clock_);
  ASSERT_TRUE(service.Load().ok());
  // A swap decided for 2026: Friday 13/2 off, Saturday 28/2 worked instead.
  ASSERT_TRUE(
      service.PutOverride(Make("2026-02-13", OverrideKind::kDayOff, "Nghỉ hoán đổi"), Admin())
          .ok());
  ASSERT_TRUE(service.PutOverride(Make("2026-02-28", OverrideKind::kWorkingDay), Admin()).ok());

  auto year = service.Year(2026);
  ASSERT_TRUE(year.ok()) << year.error().detail;
  ASSERT_NE(year->Find(D("2026-02-13")), nullptr);
  EXPECT_EQ(year->Find(D("2026-02-13"))->kind, DayKind::kDayOff);
  EXPECT_EQ(year->Find(D("2026-02-13"))->name_vi, "Nghỉ hoán đổi");
  EXPECT_EQ(year->Find(D("2026-02-13"))->name_en, "Day off");  // filled in
  ASSERT_NE(year->Find(D("2026-02-28")), nullptr);
  EXPECT_EQ(year->Find(D("2026-02-28"))->kind, DayKind::kWorkingDay);

  const WorkingCalendar& working = service.Working();
  EXPECT_FALSE(working.IsWorkingDay(D("2026-02-13")));
  EXPECT_TRUE(working.IsWorkingDay(D("2026-02-28")));
  // Thu 12/2 + 1: Friday 13/2 is now off, then Tết: Monday 23/2.
  EXPECT_EQ(core::FormatDate(working.AddWorkingDays(D("2026-02-12"), 1)), "2026-02-23");
  EXPECT_EQ(core::FormatDate(working.AddWorkingDays(D("2026-02-27"), 1)), "2026-02-28");

  auto listed = service.Overrides(2026);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].date, D("2026-02-13"));
  EXPECT_EQ((*listed)[1].date, D("2026-02-28"));

  const auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "calendar.override.put");  // newest first
  EXPECT_EQ(entries[0].object_id, "2026-02-28");
  EXPECT_EQ(entries[0].actor_login, "quantri");
  EXPECT_EQ(entries[1].object_id, "2026-02-13");
}

TEST_P(CalendarServiceTest, ReplacingAnOverrideKeepsOneRowAndAuditsThePrevious) {
  CalendarService service(db(), clock_);
  ASSERT_TRUE(service.PutOverride(Make("2026-09-03", OverrideKind::kRemove), Admin()).ok());
  ASSERT_TRUE(
      service.PutOverride(Make("2026-09-03", OverrideKind::kDayOff, "Nghỉ", "", "QĐ số 2"), Admin())
          .ok());
  auto listed = service.Overrides(2026);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].kind, OverrideKind::kDayOff);
  EXPECT_EQ((*listed)[0].note, "QĐ số 2");
  EXPECT_EQ(OverrideRows(), 1);

  const auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_NE(entries[0].data_json.find(R"("previous":{"date":"2026-09-03","kind":"remove")"),
            std::string::npos)
      << entries[0].data_json;
  EXPECT_NE(entries[1].data_json.find(R"("previous":null)"), std::string::npos);
}

TEST_P(CalendarServiceTest, DeleteOverride) {
  CalendarService service(db(), clock_);
  ASSERT_TRUE(service.PutOverride(Make("2026-04-27", OverrideKind::kRemove), Admin()).ok());
  EXPECT_TRUE(service.Working().IsWorkingDay(D("2026-04-27")));  // compensatory day cancelled

  ASSERT_TRUE(service.DeleteOverride(D("2026-04-27"), Admin()).ok());
  EXPECT_FALSE(service.Working().IsWorkingDay(D("2026-04-27")));  // back to the default
  EXPECT_EQ(OverrideRows(), 0);

  auto again = service.DeleteOverride(D("2026-04-27"), Admin());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(again.error().reason, "calendar.override_not_found");

  const auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "calendar.override.delete");
  EXPECT_NE(entries[0].data_json.find(R"("override":null)"), std::string::npos);
  EXPECT_NE(entries[0].data_json.find(R"("kind":"remove")"), std::string::npos);
}

TEST_P(CalendarServiceTest, RejectedChangesWriteNothing) {
  CalendarService service(db(), clock_);
  struct Case {
    Override o;
    ErrorCode code;
    std::string_view reason;
  };
  const Case kCases[] = {
      {Make("1899-12-31", OverrideKind::kDayOff), ErrorCode::kInvalidArgument, "calendar.bad_date"},
      {Make("2026-02-13", OverrideKind::kDayOff, "Ngh\xE1"), ErrorCode::kInvalidArgument,
       "calendar.bad_text"},
      {Make("2026-09-04", OverrideKind::kRemove), ErrorCode::kFailedPrecondition,
       "calendar.nothing_to_remove"},
      {Make("2026-03-02", OverrideKind::kWorkingDay), ErrorCode::kFailedPrecondition,
       "calendar.already_working"},
  };
  for (const Case& c : kCases) {
    auto r = service.PutOverride(c.o, Admin());
    ASSERT_FALSE(r.ok()) << c.reason;
    EXPECT_EQ(r.error().code, c.code) << c.reason;
    EXPECT_EQ(r.error().reason, c.reason);
  }
  EXPECT_EQ(OverrideRows(), 0);
  EXPECT_TRUE(AuditEntries().empty());
}

TEST_P(CalendarServiceTest, LoadReadsWhatIsStored) {
  CalendarService writer(db(), clock_);
  ASSERT_TRUE(writer.PutOverride(Make("2026-02-13", OverrideKind::kDayOff), Admin()).ok());

  CalendarService reader(db(), clock_);
  EXPECT_TRUE(reader.Working().IsWorkingDay(D("2026-02-13")));  // statutory days only
  ASSERT_TRUE(reader.Load().ok());
  EXPECT_FALSE(reader.Working().IsWorkingDay(D("2026-02-13")));
}

TEST_P(CalendarServiceTest, YearValidatesItsRangeAndDefaultsWithoutOverrides) {
  CalendarService service(db(), clock_);
  for (int bad : {1899, 2200, 0, -1}) {
    auto r = service.Year(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().reason, "calendar.bad_year");
  }
  auto year = service.Year(2026);
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(YearToJson(*year), YearToJson(BuildYear(2026, {})));
}

TEST_P(CalendarServiceTest, RecordsWhoAndWhen) {
  CalendarService service(db(), clock_);
  ASSERT_TRUE(service.PutOverride(Make("2026-02-13", OverrideKind::kDayOff), Admin()).ok());
  ASSERT_TRUE(
      service.PutOverride(Make("2026-02-28", OverrideKind::kWorkingDay), core::SystemActor()).ok());
  auto rows = storage::WithTransaction(db(), [](storage::Transaction& tx) {
    return tx.Query("SELECT date, created_by, created_at FROM calendar_overrides ORDER BY date");
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(1), 7);
  EXPECT_EQ((*rows)[0].Int(2), clock_.Now().time_since_epoch().count());
  EXPECT_TRUE((*rows)[1].IsNull(1));  // the system has no user row
}

TEST_P(CalendarServiceTest, TextIsStoredNormalised) {
  CalendarService service(db(), clock_);
  // NFD "Nghỉ bù" with spaces around it.
  ASSERT_TRUE(service
                  .PutOverride(
                      Make("2026-05-04", OverrideKind::kCompensatory, "  Nghi\xCC\x89 bu\xCC\x80 "),
                      Admin())
                  .ok());
  auto listed = service.Overrides(2026);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name_vi, "Nghỉ bù");
  EXPECT_EQ((*listed)[0].name_en, "Compensatory day off");
}

TEST_P(CalendarServiceTest, AFailureAnywhereLeavesNothingHalfWritten) {
  const Error injected =
      MakeError(ErrorCode::kInternal, "test.injected", "Lỗi thử.", "Injected failure.");
  for (const bool deleting : {false, true}) {
    if (deleting) {
      CalendarService setup(db(), clock_);
      ASSERT_TRUE(setup.PutOverride(Make("2026-02-13", OverrideKind::kDayOff), Admin()).ok());
    }
    const auto rows_before = OverrideRows();
    const auto audit_before = AuditEntries().size();
    for (int n = 1;; ++n) {
      ASSERT_LT(n, 50) << "never succeeded";
      test::FaultyDatabase faulty(db());
      CalendarService service(faulty, clock_);
      ASSERT_TRUE(service.Load().ok());
      faulty.FailCall(n, injected);
      auto r = deleting ? service.DeleteOverride(D("2026-02-13"), Admin())
                        : service.PutOverride(Make("2026-02-13", OverrideKind::kDayOff), Admin());
      if (r.ok()) {
        EXPECT_EQ(service.Working().IsWorkingDay(D("2026-02-13")), deleting);
        break;
      }
      EXPECT_EQ(r.error().reason, "test.injected");
      EXPECT_EQ(OverrideRows(), rows_before) << "call " << n << " failed, yet a row changed";
      EXPECT_EQ(AuditEntries().size(), audit_before) << "call " << n << " failed, yet audited";
      // Working() still shows the calendar before the failed change.
      EXPECT_EQ(service.Working().IsWorkingDay(D("2026-02-13")), !deleting);
    }
  }
}

TINHSO_INSTANTIATE_BACKENDS(CalendarServiceTest);

}  // namespace
}  // namespace tinhso::calendar
