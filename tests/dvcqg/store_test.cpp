// The status table on both backends: the migration's defaults are what the payload builder's
// defaults are, administrators change and remove rows (audited), others may not, and a
// removed status makes the dossier's push an error for the operator rather than a guess.
#include <gtest/gtest.h>

#include "auth/policy.hpp"
#include "core/parse.hpp"
#include "dvcqg/dvcqg.hpp"
#include "support/actors.hpp"
#include "support/database.hpp"

namespace tinhso::dvcqg {
namespace {

using test::Person;

class StatusTableTest : public test::BackendTest {
 protected:
  core::FakeClock clock_{*core::ParseTimestamp("2026-12-08T09:00:00+07:00")};
  auth::Policy policy_;

  std::int64_t Audited(std::string_view action) {
    auto rows = storage::WithTransaction(
        db(),
        [&](storage::Transaction& tx) {
          return tx.Query("SELECT COUNT(*) FROM audit_log WHERE action = :action",
                          {{"action", std::string(action)}});
        },
        storage::TxKind::kReadOnly);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows->rows.at(0).Int(0) : -1;
  }
};

TEST_P(StatusTableTest, TheDefaultsAreTheProvincialSystemsTable) {
  StatusTable table(db(), clock_, policy_);
  auto loaded = table.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
  EXPECT_EQ(loaded->national, StatusMap::Defaults().national);
}

TEST_P(StatusTableTest, AdministratorsChangeAndRemoveRowsOthersMayNot) {
  StatusTable table(db(), clock_, policy_);
  const core::Actor admin = Person("admin", 3);
  auto set = table.Set(5, 5, admin);  // send "needs a supplement" as itself
  ASSERT_TRUE(set.ok()) << set.error().message_en;
  EXPECT_EQ(set->national, 5);
  EXPECT_EQ(table.Load()->national.at(5), 5);
  auto listed = table.List(admin);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 10u);
  EXPECT_EQ((*listed)[4].updated_by, 3);
  EXPECT_EQ((*listed)[3].updated_by, 0) << "the others keep the migration's";

  EXPECT_EQ(table.Set(0, 1, admin).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Set(4, 100, admin).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Set(4, 4, Person("officer", 7)).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(table.List(Person("officer", 7)).error().code, ErrorCode::kPermissionDenied);

  ASSERT_TRUE(table.Remove(8, admin).ok());
  EXPECT_FALSE(table.Load()->national.contains(8));
  EXPECT_EQ(table.Remove(8, admin).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Audited("dvcqg.status.set"), 1);
  EXPECT_EQ(Audited("dvcqg.status.remove"), 1);

  // A dossier stopped (8) now waits for the operator instead of being sent with a guess.
  DossierFacts stopped;
  stopped.dossier.code = "H55.405-261208-0001";
  stopped.dossier.status = dossiers::Status::kStopped;
  auto push = DossierJson(stopped, *table.Load(), {.province_code = "H55"});
  ASSERT_FALSE(push.ok());
  EXPECT_EQ(push.error().reason, "dvcqg.unmapped_status");
}

TINHSO_INSTANTIATE_BACKENDS(StatusTableTest);

}  // namespace
}  // namespace tinhso::dvcqg
