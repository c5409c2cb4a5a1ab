// Runs the real `tinhso` binary as an operator would: subcommands, exit codes, passwords on
// standard input, the audit tamper check and a backup/restore round trip on SQLite files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "app/app.hpp"
#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "http/client.hpp"
#include "nationaldb/nationaldb.hpp"
#include "outbox/outbox.hpp"
#include "storage/database.hpp"
#include "support/child_process.hpp"
#include "support/sample_images.hpp"
#include "support/sample_pdf.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::app {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;  // standard output and standard error together
};

// Runs `tinhso <args>` with `input` on standard input.
CliRun Tinhso(const std::string& args, const std::string& input = "") {
  const std::string dir = test::TempDir().string();
  const std::string in_file = dir + "/stdin";
  const std::string out_file = dir + "/out";
  FILE* f = std::fopen(in_file.c_str(), "w");
  std::fputs(input.c_str(), f);
  std::fclose(f);
  const std::string cmd =
      std::string(TINHSO_BINARY) + " " + args + " <" + in_file + " >" + out_file + " 2>&1";
  CliRun r;
  const int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  FILE* o = std::fopen(out_file.c_str(), "r");
  std::array<char, 4096> buf;
  std::size_t n = 0;
  while (o && (n = std::fread(buf.data(), 1, buf.size(), o)) > 0) r.out.append(buf.data(), n);
  if (o) std::fclose(o);
  return r;
}

std::string Url(const std::string& path) { return "sqlite:" + path; }

TEST(CliTest, VersionAndHelp) {
  CliRun v = Tinhso("version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("tinhso "), std::string::npos);
  for (const char* sub :
       {"serve", "migrate", "demo load", "payment reconcile", "user add", "user disable",
        "user unlock", "user reset-password", "backup", "restore", "audit verify", "calendar",
        "openapi", "version", "outbox list", "outbox show", "outbox retry", "outbox cancel"}) {
    CliRun h = Tinhso(std::string(sub) + " --help");
    EXPECT_EQ(h.exit_code, 0) << sub;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << sub << ": " << h.out;
  }
  EXPECT_NE(Tinhso("no-such-command").exit_code, 0);
}

TEST(CliTest, CalendarPrintsTheYearAsJson) {
  CliRun r = Tinhso("calendar 2026");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"year\":2026"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"2026-02-17\""), std::string::npos) << "Tết 2026: " << r.out;
  EXPECT_NE(r.out.find("\"2026-04-27\""), std::string::npos)
      << "Giỗ Tổ 2026 is a Sunday, Monday is the compensatory day: " << r.out;
  EXPECT_NE(Tinhso("calendar 99999").exit_code, 0);
}

TEST(CliTest, OpenApiPrintsTheDocumentWithoutAServerOrDatabase) {
  CliRun r = Tinhso("openapi");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(r.out, ec);
  ASSERT_FALSE(ec) << r.out;
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  const auto& paths = doc.at("paths").as_object();
  for (const char* path : {"/api/openapi.json", "/api/v1/dossiers", "/api/v1/calendar/{year}"}) {
    EXPECT_TRUE(paths.contains(path)) << path;
  }
  EXPECT_TRUE(doc.at("components").as_object().at("schemas").as_object().contains("Error"));
}

TEST(CliTest, UserAddReadsThePasswordFromStandardInput) {
  const std::string db = Url(test::TempDir().string() + "/t.db");
  ASSERT_EQ(Tinhso("migrate --database " + db).exit_code, 0);
  CliRun added =
      Tinhso("user add --database " + db + " --kind admin --login quantri --name 'Quản trị'",
             "mat-khau-du-dai\n");
  EXPECT_EQ(added.exit_code, 0) << added.out;
  CliRun again = Tinhso("user add --database " + db + " --kind admin --login quantri --name 'X'",
                        "mat-khau-du-dai\n");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.out.find("đã được sử dụng"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("already taken"), std::string::npos) << again.out;
  CliRun weak =
      Tinhso("user add --database " + db + " --kind admin --login quantri2 --name 'X'", "ngan\n");
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_EQ(Tinhso("user disable --database " + db + " --login quantri").exit_code, 0);
  EXPECT_NE(Tinhso("user disable --database " + db + " --login khongco").exit_code, 0);
  CliRun unlocked = Tinhso("user unlock --database " + db + " --login quantri");
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.out;
  EXPECT_NE(unlocked.out.find("unlocked quantri"), std::string::npos) << unlocked.out;
  EXPECT_NE(Tinhso("user unlock --database " + db + " --login khongco").exit_code, 0);
  EXPECT_EQ(
      Tinhso("user reset-password --database " + db + " --login quantri", "mat-khau-moi-123\n")
          .exit_code,
      0);
}

TEST(CliTest, DemoLoadAddsTheDemoAccountsAndDossiersOnce) {
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  const std::string data = std::string(source ? source : ".") + "/data";
  const std::string path = test::TempDir().string() + "/t.db";
  const std::string load =
      "demo load --database " + Url(path) + " --data " + data + " --dossiers 40 --if-empty";
  CliRun first = Tinhso(load);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("Demo accounts: 8 created, 0 already there"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("Dossiers: 40 added"), std::string::npos) << first.out;
  CliRun second = Tinhso(load);
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("Demo accounts: 0 created, 8 already there"), std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("Dossiers: 40 already there, none added"), std::string::npos)
      << second.out;

  // The accounts hold the roles the data file gives them, in the agencies it names.
  auto opened = storage::Open(Url(path));
  ASSERT_TRUE(opened.ok());
  auto tx = (*opened)->Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query(
      "SELECT u.roles, a.code FROM users u JOIN agencies a ON a.id = u.agency_id "
      "WHERE u.login = 'motcua'");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_NE((*rows)[0].Text(0).find("reception"), std::string::npos);
  EXPECT_EQ((*rows)[0].Text(1), "H55.19");
}

TEST(CliTest, PkiInitIssueRevokeAndList) {
  const std::string dir = test::TempDir().string();
  const std::string db = Url(dir + "/t.db");
  {
    FILE* f = std::fopen((dir + "/tinhso.toml").c_str(), "w");
    std::fputs(("[pki]\nmaster_key_file = \"" + dir + "/keys/master.key\"\n").c_str(), f);
    std::fclose(f);
  }
  const std::string common = " --config " + dir + "/tinhso.toml --database " + db;
  EXPECT_NE(Tinhso("pki issue --kind tsa --name TSA --organization UBND" + common)
                .out.find("run 'tinhso pki init' first"),
            std::string::npos)
      << "nothing before init";
  CliRun init = Tinhso("pki init" + common);
  ASSERT_EQ(init.exit_code, 0) << init.out;
  EXPECT_NE(init.out.find("root"), std::string::npos) << init.out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/keys/master.key"));
  EXPECT_EQ(std::filesystem::file_size(dir + "/keys/master.key"), 32u);
  EXPECT_EQ(std::filesystem::status(dir + "/keys/master.key").permissions() &
                std::filesystem::perms::group_read,
            std::filesystem::perms::none)
      << "the master key is readable by its owner only";
  EXPECT_NE(Tinhso("pki init" + common).exit_code, 0) << "once only";
  CliRun issued = Tinhso(
      "pki issue --kind tsa --name 'Dịch vụ dấu thời gian' --organization "
      "'UBND tỉnh Thái Nguyên'" +
      common);
  ASSERT_EQ(issued.exit_code, 0) << issued.out;
  const std::string id = issued.out.substr(0, issued.out.find('\t'));
  CliRun revoked = Tinhso("pki revoke --id " + id + " --reason key_compromise" + common);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  EXPECT_NE(revoked.out.find("revoked"), std::string::npos) << revoked.out;
  CliRun listed = Tinhso("pki list" + common);
  EXPECT_NE(listed.out.find("Dịch vụ dấu thời gian"), std::string::npos) << listed.out;
  // Sign a file as that certificate's holder would, and verify it, as people and as JSON.
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  ASSERT_EQ(Tinhso("demo load --database " + db + " --data " + std::string(source ? source : ".") +
                   "/data")
                .exit_code,
            0);
  CliRun official = Tinhso(
      "pki issue --kind organisation --agency H55 --name 'UBND tỉnh' --organization 'UBND "
      "tỉnh Thái Nguyên'" +
      common);
  ASSERT_EQ(official.exit_code, 0) << official.out;
  const std::string seal = official.out.substr(0, official.out.find('\t'));
  ASSERT_EQ(Tinhso("pki issue --kind tsa --name TSA --organization UBND" + common).exit_code, 0);
  {
    FILE* f = std::fopen((dir + "/qd.txt").c_str(), "w");
    std::fputs("Quyết định 15/QĐ-UBND", f);
    std::fclose(f);
  }
  CliRun signed_ =
      Tinhso("sign cms --signer " + seal + common + " " + dir + "/qd.txt " + dir + "/qd.p7s");
  ASSERT_EQ(signed_.exit_code, 0) << signed_.out;
  CliRun verified =
      Tinhso("verify --signature " + dir + "/qd.p7s" + common + " " + dir + "/qd.txt");
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("HỢP LỆ / VALID"), std::string::npos) << verified.out;
  {
    FILE* f = std::fopen((dir + "/qd.txt").c_str(), "a");
    std::fputs(" (sửa)", f);
    std::fclose(f);
  }
  CliRun tampered =
      Tinhso("verify --json --signature " + dir + "/qd.p7s" + common + " " + dir + "/qd.txt");
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_NE(tampered.out.find("\"code\":\"integrity\""), std::string::npos) << tampered.out;

  // Without the master key the PKI refuses to issue, with the reason.
  CliRun keyless = Tinhso("pki issue --kind tsa --name X --organization Y --database " + db);
  EXPECT_NE(keyless.exit_code, 0);
  EXPECT_NE(keyless.out.find("TINHSO_PKI_MASTER_KEY"), std::string::npos) << keyless.out;
}

// Issue 17: an information system's certificate from the console, and the files its system
// installs: PEM in the clear (owner-only) or PKCS#12 under a password from standard input.
TEST(CliTest, PkiIssuesAndExportsASystemCertificate) {
  const std::string dir = test::TempDir().string();
  const std::string db = Url(dir + "/t.db");
  test::WriteFile(dir + "/tinhso.toml", "[pki]\nmaster_key_file = \"" + dir + "/master.key\"\n");
  const std::string common = " --config " + dir + "/tinhso.toml --database " + db;
  ASSERT_EQ(Tinhso("pki init" + common).exit_code, 0);
  CliRun issued = Tinhso(
      "pki issue --kind system --name H55.19/motcua --organization 'Sở Tư pháp' --ip 127.0.0.1 "
      "--dns motcua.sotuphap.example.vn" +
      common);
  ASSERT_EQ(issued.exit_code, 0) << issued.out;
  EXPECT_NE(issued.out.find("\tsystem\t"), std::string::npos) << issued.out;
  const std::string id = issued.out.substr(0, issued.out.find('\t'));

  CliRun pem = Tinhso("pki export --id " + id + " --format pem --no-password" + common + " " + dir +
                      "/s.pem");
  ASSERT_EQ(pem.exit_code, 0) << pem.out;
  EXPECT_EQ(std::filesystem::status(dir + "/s.pem").permissions() &
                (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none)
      << "a private key, readable by its owner only";
  const test::ShellResult san =
      test::Shell("openssl x509 -noout -ext subjectAltName,extendedKeyUsage -in " + dir + "/s.pem");
  EXPECT_NE(san.out.find("DNS:motcua.sotuphap.example.vn, IP Address:127.0.0.1"), std::string::npos)
      << san.out;
  EXPECT_NE(san.out.find("TLS Web Client Authentication"), std::string::npos) << san.out;
  EXPECT_EQ(test::Shell("openssl pkey -noout -in " + dir + "/s.pem").exit_code, 0);

  CliRun p12 =
      Tinhso("pki export --id " + id + common + " " + dir + "/s.p12", "mat-khau-he-thong\n");
  ASSERT_EQ(p12.exit_code, 0) << p12.out;
  EXPECT_EQ(test::Shell("openssl pkcs12 -in " + dir +
                        "/s.p12 -passin pass:mat-khau-he-thong "
                        "-nodes -out /dev/null")
                .exit_code,
            0);
  EXPECT_EQ(
      Tinhso("pki export --id " + id + " --no-password" + common + " " + dir + "/x.p12").exit_code,
      2)
      << "PKCS#12 is always under a password";
}

// make run's demo PKI: the CAs, a TSA, a certificate with a specimen seal per demo agency and
// one with a specimen signature per demo leader; once only. A PDF signed with the stored
// images verifies in pdfsig.
TEST(CliTest, DemoPkiGivesTheDemoLeadersSignaturesAndTheirAgenciesSeals) {
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  const std::string data = std::string(source ? source : ".") + "/data";
  const std::string dir = test::TempDir().string();
  const std::string db = Url(dir + "/t.db");
  test::WriteFile(dir + "/tinhso.toml", "[pki]\nmaster_key_file = \"" + dir + "/master.key\"\n");
  const std::string common = " --config " + dir + "/tinhso.toml --database " + db;
  ASSERT_EQ(Tinhso("demo load --database " + db + " --data " + data).exit_code, 0);
  CliRun first = Tinhso("demo pki --data " + data + common);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("8 certificates"), std::string::npos) << first.out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/master.key"));
  CliRun second = Tinhso("demo pki --data " + data + common);
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("already set up"), std::string::npos) << second.out;

  auto opened = storage::Open(db);
  ASSERT_TRUE(opened.ok());
  std::string seal, signer;
  {
    auto tx = (*opened)->Begin(storage::TxKind::kReadOnly);
    ASSERT_TRUE(tx.ok());
    auto rows = (*tx)->Query(
        "SELECT c.kind, COUNT(*), SUM(CASE WHEN c.appearance_png IS NULL THEN 0 ELSE 1 END) "
        "FROM pki_certificates c GROUP BY c.kind ORDER BY c.kind");
    ASSERT_TRUE(rows.ok());
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_kind;
    for (const auto& r : *rows) by_kind[r.Text(0)] = {r.Int(1), r.Int(2)};
    EXPECT_EQ(by_kind["official"], std::make_pair(std::int64_t{3}, std::int64_t{3}));
    EXPECT_EQ(by_kind["organisation"], std::make_pair(std::int64_t{4}, std::int64_t{4}));
    EXPECT_EQ(by_kind["tsa"].first, 1);
    auto ids = (*tx)->Query(
        "SELECT c.id FROM pki_certificates c JOIN users u ON u.id = c.user_id "
        "WHERE u.login = 'lanhdao.vanhoa' UNION ALL "
        "SELECT c.id FROM pki_certificates c JOIN agencies a ON a.id = c.agency_id "
        "WHERE c.kind = 'organisation' AND a.code = 'H55.13'");
    ASSERT_TRUE(ids.ok());
    ASSERT_EQ(ids->size(), 2u);
    signer = std::to_string((*ids)[0].Int(0));
    seal = std::to_string((*ids)[1].Int(0));
  }
  const std::string pdf = test::OnePagePdf("Giay phep hoat dong in so 15");
  test::WriteFile(dir + "/gp.pdf", pdf);
  CliRun signed_ =
      Tinhso("sign pdf --signer " + signer + " --appearance signer --rect 340 120 170 70" + common +
             " " + dir + "/gp.pdf " + dir + "/gp1.pdf");
  ASSERT_EQ(signed_.exit_code, 0) << signed_.out;
  CliRun sealed = Tinhso("sign pdf --signer " + seal + " --appearance seal --rect 340 120 170 70" +
                         common + " " + dir + "/gp1.pdf " + dir + "/gp2.pdf");
  ASSERT_EQ(sealed.exit_code, 0) << sealed.out;
  const test::ShellResult pdfsig = test::Shell("pdfsig -nocert " + dir + "/gp2.pdf");
  EXPECT_NE(pdfsig.out.find("Signature is Valid"), pdfsig.out.rfind("Signature is Valid"))
      << "two valid signatures: " << pdfsig.out;
  EXPECT_NE(pdfsig.out.find("Phạm Thị Hồng"), std::string::npos) << pdfsig.out;
  // A new image replaces the specimen through the CLI.
  test::WriteFile(dir + "/seal.png", test::SealPng(120));
  EXPECT_EQ(
      Tinhso("pki appearance --id " + seal + " --file " + dir + "/seal.png" + common).exit_code, 0);
  EXPECT_EQ(
      Tinhso("pki appearance --id " + seal + " --file " + dir + "/tinhso.toml" + common).exit_code,
      2)
      << "not a PNG";
}

// `make run` serves the demo with --with-simulators: the payment platform's stand-in starts on
// loopback with the server, so that a citizen can pay a fee end to end on one machine.
TEST(CliTest, ServeWithSimulatorsStartsThePaymentPlatformSimulator) {
  const std::string db = (test::TempDir() / "t.db").string();
  auto server = test::ChildProcess::Start({TINHSO_BINARY, "serve", "--database", Url(db),
                                           "--listen", "127.0.0.1:0", "--with-simulators"},
                                          {}, /*merge_stderr=*/true);
  ASSERT_NE(server, nullptr);
  const std::string announced = server->WaitForLine("payment platform simulator:");
  const std::size_t at = announced.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << announced;
  const std::string simulator = announced.substr(at);
  // Said once it listens and takes signals: SIGTERM right after it stops it cleanly.
  EXPECT_NE(server->WaitForLine("serving on http://127.0.0.1:"), "");
  // The simulator answers its own protocol: a signed refusal for an INIT with no checksum.
  auto refused = http::Fetch({.method = http::Method::kPost,
                              .url = simulator + "/paygov/init",
                              .headers = {{"content-type", "application/json"}},
                              .body = "{}"});
  ASSERT_TRUE(refused.ok()) << refused.error().message_en;
  EXPECT_EQ(refused->status, 403) << refused->body;
  const int status = server->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// The shared categories are there from the first start (the files of [paths] data_dir), and the
// national databases' stand-in answers the population database's protocol with the demo people.
TEST(CliTest, ServePublishesTheCategoriesAndStartsTheNationalDatabasesSimulator) {
  const std::string dir = test::TempDir().string();
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  std::ofstream(dir + "/tinhso.toml")
      << "[paths]\ndata_dir = \"" << std::string(source ? source : ".") << "/data\"\n";
  auto server = test::ChildProcess::Start(
      {TINHSO_BINARY, "serve", "--config", dir + "/tinhso.toml", "--database", Url(dir + "/t.db"),
       "--listen", "127.0.0.1:0", "--with-simulators"},
      {}, /*merge_stderr=*/true);
  ASSERT_NE(server, nullptr);
  const std::string announced = server->WaitForLine("national databases simulator:");
  const std::size_t at = announced.find("csdldancu=");
  ASSERT_NE(at, std::string::npos) << announced;
  const std::string population = announced.substr(at + 10, announced.find(' ', at) - at - 10);
  const std::string serving = server->WaitForLine("serving on http://127.0.0.1:");
  const std::size_t url = serving.find("http://127.0.0.1:");
  ASSERT_NE(url, std::string::npos) << serving;
  const std::string base = serving.substr(url, serving.find(' ', url) - url);

  auto ethnic = http::Fetch({.url = base + "/dmdc/Category/dantoc"});
  ASSERT_TRUE(ethnic.ok()) << ethnic.error().message_en;
  ASSERT_EQ(ethnic->status, 200) << ethnic->body;
  EXPECT_EQ(boost::json::parse(ethnic->body).at("DanhSach").as_array().size(), 54u);

  nationaldb::DirectTransport transport({.base_urls = {{"csdldancu", population}},
                                         .token = "lgsp-simulator-token",
                                         .timeout = std::chrono::seconds(10),
                                         .ca_file = ""});
  nationaldb::PopulationDatabase people(transport, {});
  auto an = people.FetchCitizen("001099012345", {.ma_can_bo = "motcua", .ma_yeu_cau = ""});
  ASSERT_TRUE(an.ok()) << an.error().message_en << " " << an.error().detail;
  EXPECT_EQ(an->ho_va_ten, "Nguyễn Văn An");
  const int status = server->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Answers every message with a 404: the receiver does not know it.
class RefusingSender final : public outbox::Sender {
 public:
  Result<outbox::Response> Send(const outbox::Message&) override {
    outbox::Response r;
    r.status = 404;
    r.detail = "không có hồ sơ";
    return r;
  }
};

TEST(CliTest, OutboxListShowRetryAndCancel) {
  const std::string url = Url((test::TempDir() / "tinhso.db").string());
  std::int64_t id = 0;
  {
    auto db = OpenMigrated(url);
    ASSERT_TRUE(db.ok());
    core::SystemClock clock;
    auth::Policy policy;
    outbox::Outbox box(**db, clock, policy);
    outbox::NewMessage m;
    m.destination = "dvcqg.dossier";
    m.idempotency_key = "hoso-42-dongbo-1";
    m.path = "/api/hoso/dongbo";
    m.body = R"({"MaHoSo":"H55-260310-0042"})";
    auto done = storage::WithTransaction(**db, [&](storage::Transaction& tx) -> Result<void> {
      TINHSO_ASSIGN_OR_RETURN(outbox::Message queued, box.Enqueue(tx, m));
      id = queued.id;
      return Ok();
    });
    ASSERT_TRUE(done.ok());
    RefusingSender refusing;
    ASSERT_TRUE(box.DeliverDue(clock.Now(), refusing).ok());
  }
  CliRun list = Tinhso("outbox list --status dead --database " + url);
  EXPECT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("hoso-42-dongbo-1"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("1 / 1"), std::string::npos) << list.out;
  CliRun show = Tinhso("outbox show " + std::to_string(id) + " --database " + url);
  EXPECT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find("1. "), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("dead HTTP 404 — HTTP 404: không có hồ sơ"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find(R"({"MaHoSo":"H55-260310-0042"})"), std::string::npos) << show.out;

  EXPECT_EQ(Tinhso("outbox cancel " + std::to_string(id) + " --database " + url).exit_code, 1);
  CliRun retry = Tinhso("outbox retry " + std::to_string(id) + " --database " + url);
  EXPECT_EQ(retry.exit_code, 0) << retry.out;
  CliRun cancel = Tinhso("outbox cancel " + std::to_string(id) + " --database " + url);
  EXPECT_EQ(cancel.exit_code, 0) << cancel.out;
  EXPECT_NE(Tinhso("outbox list --status lost --database " + url).exit_code, 0);
  EXPECT_NE(Tinhso("outbox show 999 --database " + url).exit_code, 0);
  list = Tinhso("outbox list --status cancelled --database " + url);
  EXPECT_NE(list.out.find("hoso-42-dongbo-1"), std::string::npos) << list.out;

  auto db = storage::Open(url);
  ASSERT_TRUE(db.ok());
  audit::Filter f;
  f.action_prefix = "outbox.";
  auto entries = audit::List(**db, f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "outbox.cancel");
  EXPECT_EQ((*entries)[1].action, "outbox.retry");
  EXPECT_EQ((*entries)[1].actor_login, "system");
}

TEST(CliTest, PaymentReconcileNeedsThePlatform) {
  const std::string db = Url(test::TempDir().string() + "/t.db");
  CliRun r = Tinhso("payment reconcile --database " + db);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("[payment] query_url"), std::string::npos) << r.out;
}

TEST(CliTest, AuditVerifyFailsOnTamperingAndNamesTheEntry) {
  const std::string path = test::TempDir().string() + "/t.db";
  const std::string db = Url(path);
  for (const char* login : {"mot.nguoi", "hai.nguoi", "ba.nguoi"}) {
    ASSERT_EQ(
        Tinhso("user add --database " + db + " --kind admin --login " + login + " --name 'Người'",
               "mat-khau-du-dai\n")
            .exit_code,
        0);
  }
  CliRun ok = Tinhso("audit verify --database " + db);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("intact: 3 entries"), std::string::npos) << ok.out;
  {
    auto opened = storage::Open(db);
    ASSERT_TRUE(opened.ok());
    auto r = storage::WithTransaction(**opened, [](storage::Transaction& tx) -> Result<void> {
      TINHSO_RETURN_IF_ERROR(
          tx.Execute("UPDATE audit_log SET data = '{\"login\":\"ke.gian\"}' WHERE seq = 2"));
      return Ok();
    });
    ASSERT_TRUE(r.ok());
  }
  CliRun bad = Tinhso("audit verify --database " + db);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("entry 2"), std::string::npos) << bad.out;
}

TEST(CliTest, AuditCheckpointAnchorsTheLogAndVerifyReportsATruncation) {
  const std::string dir = test::TempDir().string();
  const std::string db = Url(dir + "/t.db");
  test::WriteFile(dir + "/tinhso.toml", "[pki]\nmaster_key_file = \"" + dir +
                                            "/master.key\"\n[audit]\ncheckpoint_dir = \"" + dir +
                                            "/checkpoints\"\n");
  const std::string common = " --config " + dir + "/tinhso.toml --database " + db;
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  const std::string data = " --data " + std::string(source ? source : ".") + "/data";
  ASSERT_EQ(Tinhso("demo load --database " + db + data).exit_code, 0);
  CliRun unsigned_yet = Tinhso("audit checkpoint" + common);
  EXPECT_NE(unsigned_yet.exit_code, 0) << "no PKI: nothing to sign with";
  EXPECT_NE(unsigned_yet.out.find("organisation certificate of the province"), std::string::npos)
      << unsigned_yet.out;
  ASSERT_EQ(Tinhso("demo pki --config " + dir + "/tinhso.toml --database " + db + data).exit_code,
            0);
  CliRun written = Tinhso("audit checkpoint" + common);
  ASSERT_EQ(written.exit_code, 0) << written.out;
  EXPECT_NE(written.out.find("Checkpoint written"), std::string::npos) << written.out;
  CliRun ok = Tinhso("audit verify" + common);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("Checkpoints: 1, valid"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("0 entries after it are not yet anchored"), std::string::npos) << ok.out;
  {
    auto opened = storage::Open(db);
    ASSERT_TRUE(opened.ok());
    auto r = storage::WithTransaction(**opened, [](storage::Transaction& tx) -> Result<void> {
      TINHSO_RETURN_IF_ERROR(tx.Execute("DELETE FROM audit_log WHERE seq > 10"));
      TINHSO_RETURN_IF_ERROR(tx.Execute(
          "UPDATE audit_head SET seq = 10, hash = (SELECT hash FROM audit_log WHERE seq = 10)"));
      return Ok();
    });
    ASSERT_TRUE(r.ok());
  }
  CliRun cut = Tinhso("audit verify" + common);
  EXPECT_EQ(cut.exit_code, 3) << cut.out;
  EXPECT_NE(cut.out.find("NHẬT KÝ BỊ THAY ĐỔI: Nhật ký đã bị cắt cụt"), std::string::npos)
      << cut.out;
  EXPECT_NE(cut.out.find("entries 11 to"), std::string::npos) << cut.out;
  // Without the checkpoints (another directory), the cut goes unseen: they are the anchor.
  EXPECT_EQ(Tinhso("audit verify" + common + " --checkpoint-dir " + dir + "/none").exit_code, 0);
}

// The gateway's message log archived from the command line, signed with the province's
// organisation certificate: what it wrote, verify's count of files, and a changed byte found.
TEST(CliTest, GatewayLogArchiveWritesSignedFilesThatVerifyChecks) {
  const std::string dir = test::TempDir().string();
  const std::string url = Url(dir + "/t.db");
  const auto key = pki::NewMasterKey();
  test::WriteFile(dir + "/master.key", core::Base64Encode(std::string(
                                           reinterpret_cast<const char*>(key.data()), key.size())));
  test::WriteFile(dir + "/tinhso.toml", "[pki]\nmaster_key_file = \"" + dir +
                                            "/master.key\"\n[gateway]\narchive_dir = \"" + dir +
                                            "/archives\"\n");
  const std::string common = " --config " + dir + "/tinhso.toml --database " + url;
  {
    auto config = LoadConfig(dir + "/tinhso.toml");
    ASSERT_TRUE(config.ok()) << config.error().message_en;
    auto db = OpenMigrated(url);
    ASSERT_TRUE(db.ok());
    core::SystemClock clock;  // openssl and the TSA judge by the real time
    auto app = App::Create(**db, clock, *config, auth::PasswordCost::Minimum());
    ASSERT_TRUE(app.ok()) << app.error().message_en;
    agencies::AgencyInput province;
    province.code = "H55";
    province.name = "Ủy ban nhân dân tỉnh Thái Nguyên";
    province.kind = "province_pc";
    auto created = (*app)->agencies().Create(province, core::SystemActor());
    ASSERT_TRUE(created.ok()) << created.error().message_en;
    ASSERT_TRUE((*app)->pki().Init({}, core::SystemActor()).ok());
    for (pki::Kind kind : {pki::Kind::kTsa, pki::Kind::kOrganisation}) {
      pki::IssueInput in;
      in.kind = kind;
      in.subject.common_name = province.name;
      in.subject.organization = province.name;
      in.agency_id = kind == pki::Kind::kOrganisation ? created->id : 0;
      auto issued = (*app)->pki().Issue(in, core::SystemActor());
      ASSERT_TRUE(issued.ok()) << issued.error().message_en;
    }
    for (int i = 0; i < 3; ++i) {
      gateway::Call call;  // refused (nobody holds the token), and logged all the same
      call.caller.bearer_token = "lgsp_khong-ai-co";
      call.service = "csdldancu";
      call.path = "/";
      ASSERT_GT((*app)->gateway().Forward(call).log_seq, 0);
    }
    auto stamped = (*app)->gateway().Stamp();
    ASSERT_TRUE(stamped.ok()) << stamped.error().message_en;
  }
  CliRun archived = Tinhso("gateway log archive" + common);
  ASSERT_EQ(archived.exit_code, 0) << archived.out;
  EXPECT_NE(archived.out.find("archived: " + dir + "/archives/gateway-log-000000000001-"),
            std::string::npos)
      << archived.out;
  EXPECT_NE(archived.out.find(".jsonl.p7s"), std::string::npos) << archived.out;
  CliRun again = Tinhso("gateway log archive --purge" + common);
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("no time-stamped records waiting"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("deleted from the database: 0"), std::string::npos) << again.out;

  CliRun ok = Tinhso("gateway log verify" + common);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("; 1 archive files valid"), std::string::npos) << ok.out;
  std::filesystem::path file;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/archives")) {
    if (entry.path().extension() == ".jsonl") file = entry.path();
  }
  ASSERT_FALSE(file.empty());
  std::string bytes = test::ReadFile(file);
  bytes[bytes.size() / 2] ^= 0x01;
  test::WriteFile(file, bytes);
  CliRun bad = Tinhso("gateway log verify" + common);
  EXPECT_EQ(bad.exit_code, 3) << bad.out;
  EXPECT_NE(bad.out.find("was changed after it was written"), std::string::npos) << bad.out;
  // Elsewhere, the files are missing: the table still names them.
  CliRun elsewhere = Tinhso("gateway log verify --archive-dir " + dir + "/none" + common);
  EXPECT_EQ(elsewhere.exit_code, 3) << elsewhere.out;
  EXPECT_NE(elsewhere.out.find("the file is missing"), std::string::npos) << elsewhere.out;

  CliRun help = Tinhso("gateway log archive --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--purge"), std::string::npos) << help.out;
}

TEST(CliTest, BackupAndRestoreRoundTrip) {
  const std::string dir = test::TempDir().string();
  const std::string source = Url(dir + "/source.db");
  const std::string target = Url(dir + "/target.db");
  ASSERT_EQ(Tinhso("user add --database " + source + " --kind admin --login quantri --name 'Q'",
                   "mat-khau-du-dai\n")
                .exit_code,
            0);
  CliRun b = Tinhso("backup --database " + source + " --to " + dir + "/backup.tinhso");
  ASSERT_EQ(b.exit_code, 0) << b.out;
  CliRun r = Tinhso("restore --from " + dir + "/backup.tinhso --database " + target);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Tinhso("audit verify --database " + target).exit_code, 0);
  // The restored account signs in with its password: same rows, same hashes.
  CliRun again = Tinhso("user add --database " + target + " --kind admin --login quantri --name Q",
                        "mat-khau-du-dai\n");
  EXPECT_NE(again.exit_code, 0) << "the login exists in the restored database";
  // Restoring into a database that is not empty is refused.
  CliRun twice = Tinhso("restore --from " + dir + "/backup.tinhso --database " + target);
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(Tinhso("restore --from " + dir + "/missing --database " + target).exit_code, 0);
}

}  // namespace
}  // namespace tinhso::app
