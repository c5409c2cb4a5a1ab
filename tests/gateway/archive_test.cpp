// The message log's archives on both backends: whole time-stamp batches written to signed files,
// each linked to the previous by its SHA-256; Verify checks them (a changed byte, a missing
// file, two files swapped, a record edited and the file signed again are each found); the
// records leave the database after the retention and Verify and Evidence still work from the
// files; two processes never write the same range; openssl reads what a third party needs.
// Dated by the fake clock where our own code judges the dates; the files openssl checks are
// made at the real time (the fake clock starts there).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "gateway/actors.hpp"
#include "gateway/gateway.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using test::ReadFile;
using test::Shell;
using test::WriteFile;

using test_actors::Admin;
using test_actors::Officer;

class ArchiveTest : public test::BackendTest {
 protected:
  void SetUp() override {
    pki::Options o;
    o.master_key = pki::NewMasterKey();
    o.master_key_loaded = true;
    pki_ = std::make_unique<pki::Service>(db(), clock_, policy_, o);
    auto ca = pki_->Init({}, Admin());
    ASSERT_TRUE(ca.ok()) << ca.error().message_en;
    WriteFile(dir_ / "root.pem", ca->root.Pem());
    WriteFile(dir_ / "issuing.pem", ca->issuing.Pem());
    org_ = Issue(pki::Kind::kOrganisation, "Văn phòng Ủy ban nhân dân tỉnh", 13);
    Issue(pki::Kind::kTsa, "Đơn vị cấp dấu thời gian tỉnh", 13);
    signing_ = std::make_unique<signing::Service>(*pki_, clock_);  // the built-in TSA
    gateway_ = MakeGateway();
  }

  std::unique_ptr<Service> MakeGateway() {
    Options options;
    options.signer = [id = org_.id]() -> Result<std::int64_t> { return id; };
    options.archive_dir = archives_;
    options.archive_max_records = 3;
    options.log_retention = std::chrono::hours(24 * 180);
    return std::make_unique<Service>(db(), clock_, policy_, *pki_, *signing_, options);
  }

  pki::Certificate Issue(pki::Kind kind, const std::string& name, std::int64_t agency) {
    pki::IssueInput in;
    in.kind = kind;
    in.subject.common_name = name;
    in.subject.organization = "Ủy ban nhân dân tỉnh Thái Nguyên";
    in.agency_id = agency;
    in.validity_days = 3 * 365;  // the retention test moves the clock more than a year
    auto c = pki_->Issue(in, Admin());
    EXPECT_TRUE(c.ok()) << c.error().message_en;
    return c.ok() ? *c : pki::Certificate{};
  }

  // `n` calls with a token nobody holds: refused, and logged all the same.
  void Calls(int n) {
    for (int i = 0; i < n; ++i) {
      Call call;
      call.caller = {.bearer_token = "lgsp_khong-ai-co", .ip = "10.0.0.5"};
      call.service = "csdl-dancu";
      call.path = "/cong-dan/" + std::to_string(++calls_);
      call.request_id = "req-" + std::to_string(calls_);
      ASSERT_GT(gateway_->Forward(call).log_seq, 0);
    }
  }
  // `n` calls, then their time-stamp batch.
  void Batch(int n) {
    Calls(n);
    auto stamped = gateway_->Stamp();
    ASSERT_TRUE(stamped.ok()) << stamped.error().message_en;
    ASSERT_EQ(*stamped, n);
  }

  std::vector<LogArchive> ArchiveAll(Service& gateway) {
    std::vector<LogArchive> out;
    while (true) {
      auto a = gateway.Archive();
      EXPECT_TRUE(a.ok()) << a.error().message_en << " " << a.error().detail;
      if (!a.ok() || !*a) return out;
      out.push_back(**a);
    }
  }
  std::vector<LogArchive> ArchiveAll() { return ArchiveAll(*gateway_); }

  VerifyReport MustVerify() {
    auto r = gateway_->Verify();
    EXPECT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
    return r.ok() ? *r : VerifyReport{.ok = false, .problem_en = "Verify failed"};
  }

  std::int64_t Count(const std::string& sql) {
    auto rows =
        storage::WithTransaction(db(), [&](storage::Transaction& tx) { return tx.Query(sql); });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows->rows.at(0).Int(0) : -1;
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(storage::WithTransaction(db(), [&](storage::Transaction& tx) {
                  return tx.Execute(sql);
                }).ok());
  }

  fs::path File(const LogArchive& a) const { return archives_ / a.file_name; }
  fs::path Signature(const LogArchive& a) const { return archives_ / (a.file_name + ".p7s"); }
  // The file's lines as JSON objects.
  static std::vector<json::object> Lines(const fs::path& file) {
    std::vector<json::object> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line).as_object());
    return out;
  }

  core::FakeClock clock_{core::SystemClock().Now()};
  auth::Policy policy_;
  std::unique_ptr<pki::Service> pki_;
  std::unique_ptr<signing::Service> signing_;
  pki::Certificate org_;
  std::unique_ptr<Service> gateway_;
  const fs::path dir_ = test::TempDir();
  const fs::path archives_ = dir_ / "archives";
  int calls_ = 0;
};

TEST_P(ArchiveTest, WholeBatchesGoToSignedFilesLinkedByTheirDigests) {
  Batch(2);
  Batch(1);
  Batch(1);  // 2 + 1 fit in a file of 3 records; this one starts the next
  Batch(4);  // larger than a file: alone
  Calls(2);  // not time-stamped: they wait
  const std::vector<LogArchive> written = ArchiveAll();
  ASSERT_EQ(written.size(), 3u);
  const std::pair<std::int64_t, std::int64_t> ranges[] = {{1, 3}, {4, 4}, {5, 8}};
  std::string prev(64, '0');
  for (std::size_t i = 0; i < written.size(); ++i) {
    const LogArchive& a = written[i];
    EXPECT_EQ(a.first_seq, ranges[i].first);
    EXPECT_EQ(a.last_seq, ranges[i].second);
    EXPECT_EQ(a.records, a.last_seq - a.first_seq + 1);
    EXPECT_EQ(a.prev_sha256, prev) << "linked to the previous file";
    EXPECT_EQ(core::Sha256Hex(ReadFile(File(a))), a.sha256);
    EXPECT_TRUE(fs::exists(Signature(a)));
    EXPECT_FALSE(fs::exists(File(a).string() + ".tmp"));
    prev = a.sha256;
    // What a reader finds: the header, then the certificates, then each batch and its records.
    const std::vector<json::object> lines = Lines(File(a));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0].at("format").as_string(), "tinhso-gateway-log-archive/2");
    EXPECT_EQ(lines[0].at("first_seq").as_int64(), a.first_seq);
    EXPECT_EQ(lines[0].at("prev_sha256").as_string(), a.prev_sha256);
    int records = 0;
    for (const json::object& line : lines) {
      if (line.contains("type") && line.at("type").as_string() == "record") ++records;
    }
    EXPECT_EQ(records, a.records);
  }
  EXPECT_EQ(written[1].stamps, 1);

  // Nothing more until the waiting calls are stamped; then they link to the last file.
  auto none = gateway_->Archive();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_EQ(*gateway_->Stamp(), 2);
  const std::vector<LogArchive> more = ArchiveAll();
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].first_seq, 9);
  EXPECT_EQ(more[0].prev_sha256, written[2].sha256);

  auto listed = gateway_->Archives(Admin());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[3].sha256, more[0].sha256);
  EXPECT_FALSE((*listed)[0].purged);
  EXPECT_EQ(gateway_->Archives(Officer()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'gateway.log.archive'"), 4);

  const VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.archives, 4);
  EXPECT_EQ(r.records, 10);
  EXPECT_EQ(r.stamps, 5);
}

TEST_P(ArchiveTest, WithoutADirectoryNothingIsArchived) {
  Options options;
  options.signer = [id = org_.id]() -> Result<std::int64_t> { return id; };
  Service plain(db(), clock_, policy_, *pki_, *signing_, options);
  EXPECT_EQ(plain.Archive().error().reason, "gateway.no_archive_dir");
  auto purged = plain.PurgeArchived();
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 0);
}

// What a third party needs, with openssl alone: the file's CMS signature, one record's
// signature by the certificate the file carries, and a batch's time-stamp over its root.
TEST_P(ArchiveTest, OpensslVerifiesTheFileItsRecordsAndItsTimeStamps) {
  Batch(3);
  const std::vector<LogArchive> written = ArchiveAll();
  ASSERT_EQ(written.size(), 1u);
  const LogArchive& a = written[0];
  const std::string root = (dir_ / "root.pem").string();
  const auto cms = Shell("openssl cms -verify -binary -inform DER -in " + Signature(a).string() +
                         " -content " + File(a).string() + " -CAfile " + root + " -out /dev/null");
  EXPECT_EQ(cms.exit_code, 0) << cms.out;
  EXPECT_NE(cms.out.find("Verification successful"), std::string::npos) << cms.out;

  const std::vector<json::object> lines = Lines(File(a));
  std::map<std::int64_t, std::string> pems;
  std::string stamp_root;
  std::string token;
  std::string record;
  std::string signature;
  std::int64_t signer = 0;
  for (const json::object& line : lines) {
    if (!line.contains("type")) continue;
    const std::string_view type = line.at("type").as_string();
    if (type == "certificate") {
      pems[line.at("id").as_int64()] = std::string(line.at("pem").as_string());
    } else if (type == "stamp") {
      stamp_root = std::string(line.at("root").as_string());
      token = *core::Base64Decode(line.at("token").as_string());
    } else if (type == "record" && line.at("seq").as_int64() == 2) {
      record = std::string(line.at("record").as_string());
      signature = *core::Base64Decode(line.at("signature").as_string());
      signer = line.at("signer_id").as_int64();
      EXPECT_EQ(core::Sha256Hex(record), line.at("hash").as_string());
    }
  }
  ASSERT_TRUE(pems.contains(signer));
  WriteFile(dir_ / "signer.pem", pems[signer]);
  WriteFile(dir_ / "record.json", record);
  WriteFile(dir_ / "record.sig", signature);
  WriteFile(dir_ / "token.tst", token);
  const std::string d = dir_.string() + "/";
  const auto dgst = Shell("openssl x509 -in " + d + "signer.pem -pubkey -noout > " + d +
                          "signer.pub && openssl dgst -sha256 -verify " + d + "signer.pub " +
                          "-signature " + d + "record.sig " + d + "record.json");
  EXPECT_EQ(dgst.exit_code, 0) << dgst.out;
  EXPECT_NE(dgst.out.find("Verified OK"), std::string::npos) << dgst.out;
  const auto ts = Shell("openssl ts -verify -digest " + stamp_root + " -token_in -in " + d +
                        "token.tst -CAfile " + root + " -untrusted " + d + "issuing.pem");
  EXPECT_EQ(ts.exit_code, 0) << ts.out;
  EXPECT_NE(ts.out.find("Verification: OK"), std::string::npos) << ts.out;

  // One changed byte, and openssl refuses the file.
  std::string bytes = ReadFile(File(a));
  bytes[bytes.size() / 2] ^= 0x01;
  WriteFile(dir_ / "changed.jsonl", bytes);
  EXPECT_NE(Shell("openssl cms -verify -binary -inform DER -in " + Signature(a).string() +
                  " -content " + d + "changed.jsonl -CAfile " + root + " -out /dev/null")
                .exit_code,
            0);
}

TEST_P(ArchiveTest, VerifyFindsEveryKindOfTamperingWithTheFiles) {
  for (int i = 0; i < 3; ++i) Batch(3);
  const std::vector<LogArchive> a = ArchiveAll();
  ASSERT_EQ(a.size(), 3u);
  ASSERT_TRUE(MustVerify().ok);
  std::vector<std::string> original;
  for (const LogArchive& x : a) original.push_back(ReadFile(File(x)));
  const std::string original_p7s = ReadFile(Signature(a[2]));
  auto restore = [&] {
    for (std::size_t i = 0; i < a.size(); ++i) WriteFile(File(a[i]), original[i]);
    WriteFile(Signature(a[2]), original_p7s);
    Exec("UPDATE gateway_log_archives SET sha256 = '" + a[2].sha256 +
         "' WHERE id = " + std::to_string(a[2].id));
    const VerifyReport r = MustVerify();
    EXPECT_TRUE(r.ok) << r.problem_en;
  };
  auto expect_found = [&](std::int64_t seq, std::string_view file, std::string_view words) {
    const VerifyReport r = MustVerify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, seq) << r.problem_en;
    EXPECT_NE(r.problem_en.find(file), std::string::npos) << r.problem_en;
    EXPECT_NE(r.problem_en.find(words), std::string::npos) << r.problem_en;
    EXPECT_NE(r.problem_vi.find("Tệp lưu trữ"), std::string::npos) << r.problem_vi;
  };

  // One byte changed in the middle file.
  std::string changed = original[1];
  changed[changed.size() / 2] ^= 0x01;
  WriteFile(File(a[1]), changed);
  expect_found(4, a[1].file_name, "was changed after it was written");
  restore();

  // A file missing.
  fs::remove(File(a[1]));
  expect_found(4, a[1].file_name, "is missing");
  restore();

  // Two files swapped.
  WriteFile(File(a[0]), original[1]);
  WriteFile(File(a[1]), original[0]);
  expect_found(1, a[0].file_name, "holds the contents of " + a[1].file_name);
  restore();

  // A record edited in the last file, which is signed again with another organisation's key and
  // whose digest is written into the table (someone who can write both the files and the
  // database): the signature is not the gateway's.
  std::string edited = original[2];
  const std::size_t at = edited.find("\\\"status\\\":401");
  ASSERT_NE(at, std::string::npos) << edited.substr(0, 2000);
  edited.replace(at, 14, "\\\"status\\\":200");
  WriteFile(File(a[2]), edited);
  auto record_changed = [&](const std::string& p7s) {
    WriteFile(Signature(a[2]), p7s);
    Exec("UPDATE gateway_log_archives SET sha256 = '" + core::Sha256Hex(edited) +
         "' WHERE id = " + std::to_string(a[2].id));
  };
  const pki::Certificate other = Issue(pki::Kind::kOrganisation, "Sở Tư pháp", 14);
  auto other_key = pki_->KeyForSigning(other.id, core::SystemActor());
  ASSERT_TRUE(other_key.ok()) << other_key.error().message_en;
  auto forged = signing_->SignCmsWithKey(edited, *other_key);
  ASSERT_TRUE(forged.ok()) << forged.error().message_en;
  record_changed(*forged);
  expect_found(7, a[2].file_name, "is not signed with the gateway's organisation certificate");
  // The old signature no longer fits the file.
  record_changed(original_p7s);
  expect_found(7, a[2].file_name, "its signature is not valid");
  // Even signed again with the gateway's own key, the record itself gives the change away.
  auto own_key = pki_->KeyForSigning(org_.id, core::SystemActor());
  ASSERT_TRUE(own_key.ok());
  auto resigned = signing_->SignCmsWithKey(edited, *own_key);
  ASSERT_TRUE(resigned.ok());
  record_changed(*resigned);
  const VerifyReport r = MustVerify();
  EXPECT_FALSE(r.ok);
  EXPECT_GE(r.first_bad_seq, 7);
  EXPECT_NE(r.problem_en.find("was changed after it was written"), std::string::npos)
      << r.problem_en;
  restore();

  // The table's record of a file changed (a database writer covering up): the file disagrees.
  Exec("UPDATE gateway_log_archives SET prev_sha256 = '" + std::string(64, 'a') +
       "' WHERE id = " + std::to_string(a[1].id));
  expect_found(4, a[1].file_name, "is not linked to the previous file");
  Exec("UPDATE gateway_log_archives SET prev_sha256 = '" + a[0].sha256 +
       "' WHERE id = " + std::to_string(a[1].id));
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(ArchiveTest, AfterTheRetentionRecordsLeaveTheDatabaseAndStayProvable) {
  Batch(3);
  Batch(3);
  // Records 1 and 2 as a commit batch of three leaves them: signed through record 3's signature.
  ASSERT_TRUE(storage::WithTransaction(db(), [](storage::Transaction& tx) {
                return tx.Execute("UPDATE gateway_log SET signature = :none WHERE seq <= 2",
                                  {{"none", storage::Bytes{""}}});
              }).ok());
  ASSERT_EQ(ArchiveAll().size(), 2u);
  clock_.Advance(std::chrono::hours(24 * 100));
  Batch(2);
  const std::vector<LogArchive> third = ArchiveAll();
  ASSERT_EQ(third.size(), 1u);
  Calls(1);  // record 9, not yet archived

  // Evidence before the purge, from the database, as a reference.
  const fs::path before = dir_ / "before";
  ASSERT_TRUE(gateway_->Evidence(2, before).ok());

  // Inside the retention nothing goes; past it, the two older files' records (1–6) do, the
  // third's (written 100 days later) stay.
  auto purged = gateway_->PurgeArchived();
  ASSERT_TRUE(purged.ok()) << purged.error().message_en;
  EXPECT_EQ(*purged, 0);
  clock_.Advance(std::chrono::hours(24 * 81));
  purged = gateway_->PurgeArchived();
  ASSERT_TRUE(purged.ok()) << purged.error().message_en;
  EXPECT_EQ(*purged, 6);
  EXPECT_EQ(Count("SELECT MIN(seq) FROM gateway_log"), 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM gateway_log_stamps"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'gateway.log.purge'"), 2);
  auto listed = gateway_->Archives(Admin());
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE((*listed)[0].purged);
  EXPECT_TRUE((*listed)[1].purged);
  EXPECT_FALSE((*listed)[2].purged);

  // The chain still holds: the first record left follows the last purged file.
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.records, 9);
  EXPECT_EQ(r.archives, 3);
  // The log goes on from there.
  Calls(1);
  ASSERT_EQ(*gateway_->Stamp(), 2);  // records 9 and 10
  r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.records, 10);

  // A record gone from the database is read from its file: the same evidence, and openssl
  // accepts it.
  const fs::path after = dir_ / "after";
  auto evidence = gateway_->Evidence(2, after);
  ASSERT_TRUE(evidence.ok()) << evidence.error().message_en;
  for (const char* f : {"record.json", "record.sha256", "later-0001.json", "signature.sig",
                        "proof.txt", "root.sha256", "timestamp.tst", "signer.pem"}) {
    EXPECT_TRUE(fs::exists(after / f)) << f;
    EXPECT_EQ(ReadFile(after / f), ReadFile(before / f)) << f;
  }
  EXPECT_FALSE(fs::exists(after / "later-0002.json")) << "record 3 is signed";
  const auto script = Shell("bash " + (after / "verify.sh").string());
  EXPECT_EQ(script.exit_code, 0) << script.out;
  EXPECT_NE(script.out.find("OK: "), std::string::npos) << script.out;
  EXPECT_TRUE(gateway_->Evidence(8, dir_ / "in-db").ok()) << "still in the database";

  // Its file gone or changed: Evidence says which file to restore; Verify finds it too.
  const std::string first_file = (*listed)[0].file_name;
  const std::string kept = ReadFile(archives_ / first_file);
  fs::remove(archives_ / first_file);
  auto gone = gateway_->Evidence(2, dir_ / "gone");
  EXPECT_EQ(gone.error().reason, "gateway.archive_missing");
  EXPECT_NE(gone.error().message_en.find(first_file), std::string::npos) << gone.error().message_en;
  EXPECT_NE(gone.error().message_vi.find("khôi phục"), std::string::npos);
  EXPECT_FALSE(MustVerify().ok);
  WriteFile(archives_ / first_file, kept + " ");
  EXPECT_EQ(gateway_->Evidence(2, dir_ / "altered").error().reason, "gateway.archive_altered");
  WriteFile(archives_ / first_file, kept);
  EXPECT_TRUE(MustVerify().ok);
  EXPECT_EQ(gateway_->Evidence(99, dir_ / "none").error().code, ErrorCode::kNotFound);

  // A file missing is never purged from: the database keeps the only other copy.
  const std::string third_file = third[0].file_name;
  const std::string third_bytes = ReadFile(archives_ / third_file);
  fs::remove(archives_ / third_file);
  clock_.Advance(std::chrono::hours(24 * 200));
  EXPECT_EQ(gateway_->PurgeArchived().error().reason, "gateway.archive_unusable");
  EXPECT_EQ(Count("SELECT MIN(seq) FROM gateway_log"), 7);
  WriteFile(archives_ / third_file, third_bytes);

  // Everything archived and purged: the database holds no record, and the chain still checks.
  ASSERT_EQ(ArchiveAll().size(), 1u);  // records 9–10
  purged = gateway_->PurgeArchived();
  ASSERT_TRUE(purged.ok()) << purged.error().message_en;
  EXPECT_EQ(*purged, 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM gateway_log"), 0);
  r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.records, 10);
  Batch(2);  // records 11–12 follow record 10 in its file
  r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.records, 12);

  // A record deleted from the database's start is in no file: Verify says so.
  Exec("DELETE FROM gateway_log WHERE seq = 11");
  r = MustVerify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 11);
  EXPECT_NE(r.problem_en.find("is neither in the database nor in any archive file"),
            std::string::npos)
      << r.problem_en;
}

// Two server processes archiving at once: each range is written once, by one of them.
TEST_P(ArchiveTest, TwoProcessesNeverWriteTheSameRange) {
  for (int i = 0; i < 12; ++i) Batch(1);
  auto other = MakeGateway();
  std::vector<LogArchive> mine;
  std::vector<LogArchive> theirs;
  std::thread racing([&] { theirs = ArchiveAll(*other); });
  mine = ArchiveAll();
  racing.join();
  // One may stop early while the other writes the next file; the rest is picked up after.
  std::vector<LogArchive> rest = ArchiveAll();
  EXPECT_EQ(mine.size() + theirs.size() + rest.size(), 4u);
  auto listed = gateway_->Archives(Admin());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 4u);
  std::int64_t next = 1;
  for (const LogArchive& a : *listed) {
    EXPECT_EQ(a.first_seq, next);
    EXPECT_FALSE(a.sha256.empty());
    next = a.last_seq + 1;
  }
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(archives_)) {
    files += entry.path().extension() == ".jsonl";
  }
  EXPECT_EQ(files, 4u);
  const VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.archives, 4);
}

// A writer that died after claiming its range: its claim holds for its lease, then another
// process takes the range over under a new name.
TEST_P(ArchiveTest, AClaimWhoseWriterDiedIsTakenOverAfterItsLease) {
  Batch(3);
  const std::int64_t now = clock_.Now().time_since_epoch().count();
  Exec(
      "INSERT INTO gateway_log_archives (first_seq, last_seq, records, stamps, last_hash, "
      "last_at_ms, file_name, prev_sha256, claim, claimed_until, created_at) VALUES (1, 3, 3, 1, "
      "(SELECT hash FROM gateway_log WHERE seq = 3), 0, 'gateway-log-dead.jsonl', '" +
      std::string(64, '0') + "', 'dead', " + std::to_string(now + 900) + ", " +
      std::to_string(now) + ")");
  auto waiting = gateway_->Archive();
  ASSERT_TRUE(waiting.ok()) << waiting.error().message_en;
  EXPECT_FALSE(waiting->has_value()) << "the other writer's lease still runs";
  EXPECT_TRUE(MustVerify().ok) << "a range being written is not an archive yet";
  clock_.Advance(std::chrono::minutes(16));
  const std::vector<LogArchive> taken = ArchiveAll();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].first_seq, 1);
  EXPECT_EQ(taken[0].last_seq, 3);
  EXPECT_NE(taken[0].file_name, "gateway-log-dead.jsonl");
  const VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem_en;
  EXPECT_EQ(r.archives, 1);
}

TINHSO_INSTANTIATE_BACKENDS(ArchiveTest);

}  // namespace
}  // namespace tinhso::gateway
