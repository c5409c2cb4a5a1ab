// Shared by the agencies tests: a Service on a fresh database of each backend, a fixed clock,
// a tiny table of officer accounts for the work mover, and short helpers.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "agencies/agencies.hpp"
#include "core/clock.hpp"
#include "core/parse.hpp"
#include "support/database.hpp"

namespace tinhso::agencies::testing {

inline Date D(std::string_view text) {
  auto d = core::ParseDate(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date{});
}

// 1 September 2025, 10:00 in Vietnam: after every 2025 reorganisation took effect.
inline core::Seconds TestNow() {
  return std::chrono::sys_days{D("2025-09-01")} + std::chrono::hours(3);
}

inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.login = "admin";
  a.full_name = "Quản trị";
  a.roles = {"admin"};
  return a;
}

class AgencyTest : public test::BackendTest {
 protected:
  Service& service() {
    if (!service_) service_ = std::make_unique<Service>(db(), clock_);
    return *service_;
  }

  // Officer accounts, standing in for auth's users table (which belongs to auth): the mover
  // moves accounts that are not disabled.
  void CreateOfficersTable() {
    auto tx = db().Begin();
    ASSERT_TRUE(tx.ok());
    auto done = (*tx)->ExecuteScript(
        "CREATE TABLE test_officers (id BIGINT PRIMARY KEY, login TEXT NOT NULL, "
        "agency_id BIGINT REFERENCES agencies (id), disabled INTEGER NOT NULL DEFAULT 0)");
    ASSERT_TRUE(done.ok()) << done.error().detail;
    ASSERT_TRUE((*tx)->Commit().ok());
    service().RegisterMover(
        std::make_unique<SqlColumnMover>("users", "test_officers", "agency_id", "disabled = 0"));
  }

  void AddOfficer(std::int64_t id, std::int64_t agency_id, bool disabled = false) {
    auto tx = db().Begin();
    ASSERT_TRUE(tx.ok());
    auto done = (*tx)->Execute(
        "INSERT INTO test_officers (id, login, agency_id, disabled) "
        "VALUES (:id, :login, :agency_id, :disabled)",
        {{"id", id},
         {"login", "officer" + std::to_string(id)},
         {"agency_id", agency_id},
         {"disabled", std::int64_t{disabled ? 1 : 0}}});
    ASSERT_TRUE(done.ok()) << done.error().detail;
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  std::int64_t OfficerAgency(std::int64_t id) {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT agency_id FROM test_officers WHERE id = :id", {{"id", id}});
    EXPECT_TRUE(rows.ok());
    if (!rows.ok() || rows->empty()) return -1;
    return (*rows)[0].Int(0);
  }

  // Creates an agency or fails the test.
  Agency Make(std::string code, std::string name, std::string kind,
              std::optional<std::int64_t> parent = std::nullopt,
              std::string valid_from = "2020-01-01") {
    AgencyInput in;
    in.code = std::move(code);
    in.name = std::move(name);
    in.kind = std::move(kind);
    in.parent_id = parent;
    in.valid_from = D(valid_from);
    auto a = service().Create(in, Admin());
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_en + " " + a.error().detail);
    return a.ok() ? *a : Agency{};
  }

  Agency Fetch(std::int64_t id) {
    auto a = service().Get(id);
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : Agency{};
  }

  static OperationInfo Info(std::string date, std::string decision = "Nghị quyết thử nghiệm") {
    OperationInfo info;
    info.effective_date = D(date);
    info.decision = std::move(decision);
    return info;
  }

  core::FakeClock clock_{TestNow()};
  std::unique_ptr<Service> service_;
};

}  // namespace tinhso::agencies::testing
