#include "audit/audit.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/database.hpp"

namespace tinhso::audit {
namespace {

using storage::Transaction;

core::Seconds T(long long s) { return core::Seconds(std::chrono::seconds(s)); }

class AuditTest : public test::BackendTest {
 protected:
  core::Actor Admin() {
    core::Actor a;
    a.kind = core::ActorKind::kAdmin;
    a.user_id = 7;
    a.login = "quantri";
    return a;
  }
  // Appends `n` entries, one transaction each.
  void AppendMany(int n) {
    for (int i = 0; i < n; ++i) {
      auto r = storage::WithTransaction(db(), [&](Transaction& tx) {
        return Append(tx, Admin(),
                      {"agency.update", "agency", std::to_string(100 + i),
                       "{\"name\":\"Ủy ban nhân dân xã " + std::to_string(i) + "\"}"},
                      T(1'760'000'000 + i));
      });
      ASSERT_TRUE(r.ok()) << r.error().detail;
      ASSERT_EQ(*r, i + 1 + base_);
    }
    base_ += n;
  }
  void Exec(const std::string& sql) {
    auto r = storage::WithTransaction(db(), [&](Transaction& tx) -> Result<void> {
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql));
      return Ok();
    });
    ASSERT_TRUE(r.ok()) << r.error().detail;
  }
  VerifyReport MustVerify() {
    auto r = Verify(db());
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : VerifyReport{};
  }
  int base_ = 0;
};

TEST_P(AuditTest, IntactChainVerifies) {
  AppendMany(5);
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.intact) << r.problem_en;
  EXPECT_EQ(r.checked, 5);
  EXPECT_EQ(r.head_hash.size(), 64u);
}

// Entries appended together (a group commit's batch, at its end) continue the chain exactly as
// one at a time would: numbers without gaps, each linked to the one before.
// 70 entries: more than one multi-row statement holds (32, 32, then 6).
TEST_P(AuditTest, EntriesAppendedTogetherContinueTheChain) {
  constexpr int kBatch = 70;
  AppendMany(2);
  std::vector<Pending> batch;
  for (int i = 0; i < kBatch; ++i) {
    batch.push_back({Admin(),
                     {"dossier.submit", "dossier", std::to_string(500 + i),
                      "{\"n\":" + std::to_string(i) + "}"},
                     T(1'760'001'000 + i)});
  }
  auto r = storage::WithTransaction(
      db(), [&](Transaction& tx) -> Result<void> { return AppendAll(tx, batch); });
  ASSERT_TRUE(r.ok()) << r.error().detail;
  base_ += kBatch;
  AppendMany(1);  // the next single append follows the batch
  VerifyReport report = MustVerify();
  EXPECT_TRUE(report.intact) << report.problem_en;
  EXPECT_EQ(report.checked, 3 + kBatch);
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT seq, object_id, data, at FROM audit_log ORDER BY seq");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), static_cast<std::size_t>(3 + kBatch));
  for (std::size_t i = 0; i < kBatch; ++i) {
    const storage::Row& row = (*rows)[2 + i];
    EXPECT_EQ(row.Int(0), static_cast<std::int64_t>(3 + i));
    EXPECT_EQ(row.Text(1), std::to_string(500 + i));
    EXPECT_EQ(row.Text(2), "{\"n\":" + std::to_string(i) + "}");
    EXPECT_EQ(row.Int(3), static_cast<std::int64_t>(1'760'001'000 + i));
  }
}

TEST_P(AuditTest, EmptyLogVerifies) {
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.intact);
  EXPECT_EQ(r.checked, 0);
}

TEST_P(AuditTest, EditedDataIsDetected) {
  AppendMany(5);
  Exec("UPDATE audit_log SET data = '{\"name\":\"sửa trộm\"}' WHERE seq = 3");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 3);
}

TEST_P(AuditTest, EditedFieldIsDetectedEvenWithMatchingDataHash) {
  AppendMany(5);
  Exec("UPDATE audit_log SET actor_login = 'nguoikhac' WHERE seq = 2");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 2);
}

TEST_P(AuditTest, RemovedEntryIsDetected) {
  AppendMany(5);
  Exec("DELETE FROM audit_log WHERE seq = 4");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 4);
}

TEST_P(AuditTest, RemovedEntryWithRenumberingIsDetected) {
  AppendMany(5);
  Exec("DELETE FROM audit_log WHERE seq = 2");
  Exec("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 2);
}

TEST_P(AuditTest, TruncatedTailIsDetected) {
  AppendMany(5);
  Exec("DELETE FROM audit_log WHERE seq = 5");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 5);
}

TEST_P(AuditTest, InsertedEntryIsDetected) {
  AppendMany(3);
  // Make room at 2 in two steps: a single "seq + 1" collides with the next row midway.
  Exec("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 2");
  Exec("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
  Exec(
      "INSERT INTO audit_log (seq, at, actor_id, actor_login, action, object_type, object_id, "
      "data, data_hash, prev_hash, hash) VALUES (2, 1, 1, 'x', 'user.create', 'user', '9', '{}', "
      "'44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 'forged', 'forged')");
  Exec("UPDATE audit_head SET seq = 4");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 2);
}

TEST_P(AuditTest, ReorderedEntriesAreDetected) {
  AppendMany(4);
  Exec("UPDATE audit_log SET seq = 100 WHERE seq = 2");
  Exec("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = 100");
  VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad, 2);
}

TEST_P(AuditTest, RolledBackChangeLeavesNoEntry) {
  AppendMany(2);
  {
    auto tx = db().Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(Append(**tx, Admin(), {"user.create", "user", "1", "{}"}, T(1)).ok());
    // No commit: the change and its entry vanish together.
  }
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.intact) << r.problem_en;
  EXPECT_EQ(r.checked, 2);
}

TEST_P(AuditTest, ConcurrentAppendsKeepOneChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = storage::WithTransaction(db(), [&](Transaction& tx) {
          return Append(tx, Admin(), {"user.update", "user", std::to_string(t), "{}"}, T(i));
        });
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.intact) << r.problem_en;
  EXPECT_EQ(r.checked, kThreads * kEach);
}

TEST_P(AuditTest, ListFiltersAndPaginatesNewestFirst) {
  AppendMany(7);
  auto r = storage::WithTransaction(db(), [&](Transaction& tx) {
    return Append(tx, Admin(), {"user.create", "user", "55", "{}"}, T(1'760'000'100));
  });
  ASSERT_TRUE(r.ok());
  Filter f;
  f.limit = 3;
  auto page1 = List(db(), f);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 3u);
  EXPECT_EQ((*page1)[0].seq, 8);
  EXPECT_EQ((*page1)[2].seq, 6);
  f.before_seq = (*page1)[2].seq;
  auto page2 = List(db(), f);
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ((*page2)[0].seq, 5);

  Filter by_type;
  by_type.action_prefix = "user.";
  auto users = List(db(), by_type);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].object_id, "55");

  Filter by_object;
  by_object.object_type = "agency";
  by_object.object_id = "103";
  auto one = List(db(), by_object);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].data_json, "{\"name\":\"Ủy ban nhân dân xã 3\"}");

  Filter bad;
  bad.limit = 0;
  EXPECT_EQ(List(db(), bad).error().code, ErrorCode::kInvalidArgument);
}

TINHSO_INSTANTIATE_BACKENDS(AuditTest);

}  // namespace
}  // namespace tinhso::audit
