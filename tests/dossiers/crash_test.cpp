// SIGKILL in the middle of a load of submissions, on SQLite and PostgreSQL: every submission the
// server answered with success must be there, complete (its files and timeline), and no
// half-written dossier may exist.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "app/app.hpp"
#include "core/crypto.hpp"
#include "fixture.hpp"
#include "http/test_util.hpp"
#include "support/child_process.hpp"
#include "support/database.hpp"

namespace tinhso::dossiers::test {
namespace {

namespace bj = boost::json;

class CrashTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    shared_ = std::make_unique<tinhso::test::SharedDatabase>(GetParam(), dir_.path());
    url_ = shared_->url();
    // The province, the catalog and a reception officer with a bearer token.
    auto db = app::OpenMigrated(url_);
    ASSERT_TRUE(db.ok()) << db.error().message_en;
    core::SystemClock clock;
    auto app = app::App::Create(**db, clock, app::Config{}, auth::PasswordCost::Minimum());
    ASSERT_TRUE(app.ok());
    agencies::AgencyInput p;
    p.code = "H55";
    p.name = "Ủy ban nhân dân tỉnh Thái Nguyên";
    p.kind = "province_pc";
    p.valid_from = std::chrono::year{2025} / 1 / 1;
    auto province = (*app)->agencies().Create(p, core::SystemActor());
    ASSERT_TRUE(province.ok());
    agencies::AgencyInput c = p;
    c.code = "H55.60.01";
    c.name = "Ủy ban nhân dân xã Chợ Đồn";
    c.kind = "commune_pc";
    c.parent_id = province->id;
    auto commune = (*app)->agencies().Create(c, core::SystemActor());
    ASSERT_TRUE(commune.ok());
    auto parsed = catalog::Parse(kTestCatalog);
    ASSERT_TRUE(parsed.ok());
    ASSERT_TRUE((*app)->catalog().Import(*parsed, core::SystemActor()).ok());
    auth::NewUser u;
    u.kind = core::ActorKind::kOfficer;
    u.login = "motcua";
    u.full_name = "Cán bộ một cửa";
    u.password = "mat-khau-du-dai";
    u.agency_id = commune->id;
    u.roles = {"reception"};
    ASSERT_TRUE((*app)->accounts().Create(u, core::SystemActor()).ok());
    auto s = (*app)->accounts().Login("motcua", "mat-khau-du-dai", auth::SessionKind::kBearer,
                                      "127.0.0.1");
    ASSERT_TRUE(s.ok());
    token_ = s->token;
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    shared_.reset();  // drops a PostgreSQL schema, once nothing uses it
  }

  // Starts `tinhso serve` and waits until it answers /healthz.
  void StartServer() {
    port_ = static_cast<unsigned short>(tinhso::test::FreeLoopbackPort());
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string log = (dir_.path() / "server.log").string();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::setenv("TINHSO_RATE_PER_SECOND", "0", 1);
      ::setenv("TINHSO_ACCESS_LOG", (dir_.path() / "access.log").c_str(), 1);
      FILE* out = std::freopen(log.c_str(), "a", stdout);
      (void)out;
      ::dup2(STDOUT_FILENO, STDERR_FILENO);
      ::execl(TINHSO_BINARY, TINHSO_BINARY, "serve", "--database", url_.c_str(), "--listen",
              listen.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Readiness: retry the connection until the server listens (bounded, no fixed sleep).
    for (int attempt = 0; attempt < 2000; ++attempt) {
      http::test::Client c(port_);
      if (c.connected() && c.Call("GET", "/healthz").status == 200) return;
      int status = 0;
      ASSERT_EQ(::waitpid(pid_, &status, WNOHANG), 0) << "server exited; see " << log;
      std::this_thread::yield();
      ::usleep(5000);
    }
    FAIL() << "server did not start";
  }

  std::string SubmitBody() {
    bj::object o;
    o["procedure_code"] = "1.001193";
    o["channel"] = "counter";
    o["applicant"] = {{"kind", 1}, {"name", "Nguyễn Văn An"}, {"id_number", "001199012345"}};
    o["form"] = {{"child_name", "Nguyễn Minh Khôi"}, {"birth_date", "2026-11-01"}};
    o["files"] = bj::array{
        {{"component", "TP1"}, {"content_base64", core::Base64Encode(Pdf("to khai"))}},
        {{"component", "TP2"}, {"content_base64", core::Base64Encode(Pdf("chung sinh"))}}};
    return bj::serialize(o);
  }

  http::test::TempDir dir_;
  std::string url_;
  std::unique_ptr<tinhso::test::SharedDatabase> shared_;
  std::string token_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

TEST_P(CrashTest, KilledMidLoadKeepsEveryAnsweredSubmissionWhole) {
  StartServer();
  const std::string body = SubmitBody();
  constexpr int kClients = 4;
  constexpr int kKillAfter = 60;  // successes before the kill
  std::mutex mu;
  std::vector<std::pair<std::string, std::int64_t>> answered;  // code, id
  std::atomic<int> successes{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        http::test::Client c(port_);
        if (!c.connected()) break;
        const std::string headers = "Authorization: Bearer " + token_ +
                                    "\r\nContent-Type: application/json\r\nIdempotency-Key: c" +
                                    std::to_string(t) + "-" + std::to_string(i) + "\r\n";
        auto r = c.Call("POST", "/api/v1/dossiers", headers, body);
        if (r.status == 0) break;  // the server died under us: the answer never came
        if (r.status != 201) continue;
        boost::system::error_code ec;
        auto v = bj::parse(r.body, ec);
        if (ec) continue;
        std::lock_guard lock(mu);
        answered.emplace_back(std::string(v.as_object().at("code").as_string()),
                              v.as_object().at("id").as_int64());
        ++successes;
      }
    });
  }
  while (successes.load() < kKillAfter) std::this_thread::yield();
  ASSERT_EQ(::kill(pid_, SIGKILL), 0);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_GE(answered.size(), static_cast<std::size_t>(kKillAfter));

  // After the crash: reopen and check every dossier.
  {
    auto db = storage::Open(url_);
    ASSERT_TRUE(db.ok());
    auto tx = (*db)->Begin(storage::TxKind::kReadOnly);
    ASSERT_TRUE(tx.ok());
    auto rows = (*tx)->Query(R"(
SELECT d.id, d.code, d.status,
  (SELECT COUNT(*) FROM dossier_files f WHERE f.dossier_id = d.id),
  (SELECT COUNT(*) FROM dossier_events e WHERE e.dossier_id = d.id)
FROM dossiers d)");
    ASSERT_TRUE(rows.ok());
    std::map<std::string, std::int64_t> stored;
    for (const auto& r : *rows) {
      // Complete: accepted with a code, both files, submission and acceptance events.
      EXPECT_FALSE(r.IsNull(1)) << "dossier " << r.Int(0) << " has no code";
      EXPECT_EQ(r.Int(2), 2) << r.Text(1);
      EXPECT_EQ(r.Int(3), 2) << r.Text(1) << ": files";
      EXPECT_EQ(r.Int(4), 2) << r.Text(1) << ": events";
      stored[r.Text(1)] = r.Int(0);
    }
    for (const auto& [code, id] : answered) {
      auto it = stored.find(code);
      ASSERT_NE(it, stored.end()) << "answered " << code << " but it is gone";
      EXPECT_EQ(it->second, id);
    }
    // Codes stay gap-free across the crash: 0001 … N.
    std::set<int> numbers;
    for (const auto& [code, id] : stored) numbers.insert(std::stoi(code.substr(code.size() - 4)));
    ASSERT_FALSE(numbers.empty());
    EXPECT_EQ(*numbers.begin(), 1);
    EXPECT_EQ(*numbers.rbegin(), static_cast<int>(numbers.size()));
  }

  // And the server starts again on the same database and serves the dossiers.
  StartServer();
  http::test::Client c(port_);
  auto r = c.Call("GET", "/api/v1/dossiers/" + std::to_string(answered.front().second),
                  "Authorization: Bearer " + token_ + "\r\n");
  EXPECT_EQ(r.status, 200) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         tinhso::test::BackendParamName);

}  // namespace
}  // namespace tinhso::dossiers::test
