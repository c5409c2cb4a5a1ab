// Checkpoints anchor the audit chain outside the database, on both backends: a tail cut off, or
// an entry rewritten with every hash after it computed again, passes the chain's own check
// (audit::Verify) but not Checkpoints::Verify; a tampered checkpoint is reported; the server's
// writer anchors only a head that moved; `openssl cms` and `openssl ts` verify what it writes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "app/app_fixture.hpp"
#include "audit/audit.hpp"
#include "core/crypto.hpp"
#include "http/contract.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::audit {
namespace {

using tinhso::test::ReadFile;
using tinhso::test::Shell;
using tinhso::test::WriteFile;

class CheckpointTest : public app::test::AppTest {
 protected:
  void SetUp() override {
    // Real time: `openssl ts` and `openssl cms` judge the certificates by the wall clock.
    clock_.Set(core::SystemClock().Now());
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    agencies::AgencyInput province;
    province.code = "H55";
    province.name = "Ủy ban nhân dân tỉnh Thái Nguyên";
    province.kind = "province_pc";
    auto created = app_->agencies().Create(province, core::SystemActor());
    ASSERT_TRUE(created.ok()) << created.error().message_en;
    province_ = created->id;
    agencies::AgencyInput department;
    department.code = "H55.13";
    department.parent_id = province_;
    department.name = "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên";
    department.kind = "department";
    created = app_->agencies().Create(department, core::SystemActor());
    ASSERT_TRUE(created.ok()) << created.error().message_en;
    department_ = created->id;
    auto ca = app_->pki().Init({}, core::SystemActor());
    ASSERT_TRUE(ca.ok()) << ca.error().message_en;
    WriteFile(dir_ / "root.pem", ca->root.Pem());
    IssueCertificate(pki::Kind::kTsa, 0, 0, "Dịch vụ cấp dấu thời gian", province.name);
    IssueCertificate(pki::Kind::kOrganisation, province_, 0, province.name, province.name);
  }

  app::Config MakeConfig() const override {
    app::Config config;
    const auto key = pki::NewMasterKey();
    config.pki_master_key =
        core::Base64Encode(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
    config.checkpoint_dir = (dir_ / "checkpoints").string();
    return config;
  }

  Checkpoints& checkpoints() { return app_->checkpoints(); }

  // Appends `n` entries, one transaction each, a second apart.
  void AppendMany(int n) {
    for (int i = 0; i < n; ++i) {
      clock_.Advance(std::chrono::seconds(1));
      auto r = storage::WithTransaction(db(), [&](storage::Transaction& tx) {
        return Append(tx, core::SystemActor(),
                      {"agency.update", "agency", std::to_string(province_),
                       "{\"phone\":\"0208 385" + std::to_string(1000 + i) + "\"}"},
                      clock_.Now());
      });
      ASSERT_TRUE(r.ok()) << r.error().message_en;
    }
  }

  std::int64_t Head() {
    auto r = Verify(db());
    EXPECT_TRUE(r.ok() && r->intact);
    return r.ok() ? r->checked : 0;
  }

  Checkpoint MustWrite(bool always = false) {
    clock_.Advance(std::chrono::seconds(1));
    auto written = checkpoints().Write(clock_.Now(), always);
    EXPECT_TRUE(written.ok()) << written.error().message_en << " " << written.error().detail;
    EXPECT_TRUE(written.ok() && written->has_value()) << "nothing written";
    return written.ok() && *written ? **written : Checkpoint{};
  }

  VerifyReport MustVerify() {
    auto r = checkpoints().Verify();
    EXPECT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
    return r.ok() ? *r : VerifyReport{};
  }

  void Exec(const std::string& sql) {
    auto r = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql));
      return Ok();
    });
    ASSERT_TRUE(r.ok()) << r.error().detail;
  }

  // What someone who can write the database does to hide entries from `seq` on: cut the tail
  // and make the head row agree, so that the chain alone still verifies.
  void CutFrom(std::int64_t seq) {
    Exec("DELETE FROM audit_log WHERE seq >= " + std::to_string(seq));
    Exec("UPDATE audit_head SET seq = " + std::to_string(seq - 1) +
         ", hash = (SELECT hash FROM audit_log WHERE seq = " + std::to_string(seq - 1) +
         ") WHERE id = 1");
  }

  std::filesystem::path File(const Checkpoint& c, std::string_view extension) const {
    return dir_ / "checkpoints" / (c.name + std::string(extension));
  }

  std::filesystem::path dir_ = tinhso::test::TempDir();
  std::int64_t province_ = 0;
  std::int64_t department_ = 0;
};

TEST_P(CheckpointTest, ACutTailIsReportedAsATruncation) {
  AppendMany(5);
  const Checkpoint c = MustWrite();
  EXPECT_EQ(c.seq, Head());
  AppendMany(2);
  VerifyReport fine = MustVerify();
  EXPECT_TRUE(fine.intact) << fine.problem_en;
  EXPECT_EQ(fine.checkpoints, 1);
  EXPECT_EQ(fine.anchored, c.seq);
  EXPECT_EQ(fine.checked - fine.anchored, 2) << "entries after the checkpoint: not yet anchored";

  CutFrom(c.seq - 2);
  auto chain_alone = Verify(db());
  ASSERT_TRUE(chain_alone.ok());
  EXPECT_TRUE(chain_alone->intact) << "the chain alone cannot see it";
  const VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.problem, "truncated");
  EXPECT_EQ(r.first_bad, c.seq - 2);
  EXPECT_NE(r.problem_vi.find("cắt cụt"), std::string::npos) << r.problem_vi;
  EXPECT_NE(r.problem_en.find("truncated"), std::string::npos) << r.problem_en;
  EXPECT_NE(r.problem_en.find(c.name), std::string::npos) << r.problem_en;
  // And the writer refuses to anchor what is left.
  auto refused = checkpoints().Write(clock_.Now() + std::chrono::minutes(5));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "audit.checkpoint_conflict");
}

TEST_P(CheckpointTest, ARewrittenEntryIsReportedEvenWhenEveryLaterHashIsComputedAgain) {
  AppendMany(3);
  const Checkpoint first = MustWrite();
  AppendMany(4);
  const Checkpoint second = MustWrite();
  AppendMany(1);
  // Entry first.seq + 2 onwards replaced: the forger appends new entries in their place through
  // the real code, so every link and hash is right and the count is the same.
  const std::int64_t forged = first.seq + 2;
  const std::int64_t total = Head();
  CutFrom(forged);
  for (std::int64_t seq = forged; seq <= total; ++seq) {
    auto r = storage::WithTransaction(db(), [&](storage::Transaction& tx) {
      return Append(tx, core::SystemActor(), {"agency.update", "agency", "1", "{\"x\":1}"},
                    clock_.Now());
    });
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(*r, seq);
  }
  auto chain_alone = Verify(db());
  ASSERT_TRUE(chain_alone.ok());
  EXPECT_TRUE(chain_alone->intact) << "the chain alone cannot see it";
  EXPECT_EQ(chain_alone->checked, total);

  const VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.problem, "rewritten");
  // Somewhere after the first checkpoint, which still holds, up to the second.
  EXPECT_EQ(r.first_bad, first.seq + 1);
  EXPECT_NE(r.problem_en.find(std::to_string(second.seq)), std::string::npos) << r.problem_en;
  EXPECT_NE(r.problem_vi.find("viết lại"), std::string::npos) << r.problem_vi;
}

TEST_P(CheckpointTest, AnEditBelowACheckpointIsARewrite) {
  AppendMany(3);
  const Checkpoint c = MustWrite();
  Exec("UPDATE audit_log SET actor_login = 'nguoikhac' WHERE seq = " + std::to_string(c.seq - 1));
  const VerifyReport r = MustVerify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.problem, "rewritten");
  EXPECT_EQ(r.first_bad, c.seq - 1);
}

TEST_P(CheckpointTest, ATamperedCheckpointIsReported) {
  AppendMany(2);
  const Checkpoint c = MustWrite();
  ASSERT_TRUE(MustVerify().intact);
  auto expect_refused = [&](std::string_view what) {
    const VerifyReport r = MustVerify();
    EXPECT_FALSE(r.intact) << what;
    EXPECT_EQ(r.problem, "checkpoint") << what;
    EXPECT_NE(r.problem_en.find(c.name), std::string::npos) << what << ": " << r.problem_en;
    return r;
  };
  // A changed byte in the signature.
  const std::string signature = ReadFile(File(c, ".p7s"));
  std::string broken = signature;
  broken[broken.size() - 40] ^= 0x01;
  WriteFile(File(c, ".p7s"), broken);
  expect_refused("signature byte");
  WriteFile(File(c, ".p7s"), signature);
  ASSERT_TRUE(MustVerify().intact);

  // The checkpoint itself, made to agree with a truncated log.
  const std::string text = ReadFile(File(c, ".json"));
  std::string lowered = text;
  const std::string seq = "\"seq\":" + std::to_string(c.seq);
  lowered.replace(lowered.find(seq), seq.size(), "\"seq\":" + std::to_string(c.seq - 1));
  WriteFile(File(c, ".json"), lowered);
  const VerifyReport edited = expect_refused("edited checkpoint");
  EXPECT_NE(edited.problem_en.find("signature"), std::string::npos) << edited.problem_en;
  WriteFile(File(c, ".json"), text);

  // Another checkpoint's time-stamp.
  AppendMany(1);
  const Checkpoint later = MustWrite();
  const std::string token = ReadFile(File(c, ".tst"));
  WriteFile(File(c, ".tst"), ReadFile(File(later, ".tst")));
  const VerifyReport swapped = expect_refused("another time-stamp");
  EXPECT_NE(swapped.problem_en.find("time-stamp"), std::string::npos) << swapped.problem_en;
  WriteFile(File(c, ".tst"), token);

  // The signature file gone.
  std::filesystem::remove(File(c, ".p7s"));
  expect_refused("missing signature");
  WriteFile(File(c, ".p7s"), signature);
  ASSERT_TRUE(MustVerify().intact);

  // A forgery signed by someone the PKI trusts, but not with the province's certificate: a
  // department's clerk may seal anything with the department's certificate, and the TSA stamps
  // anything for anyone.
  const pki::Certificate seal =
      IssueCertificate(pki::Kind::kOrganisation, department_, 0, "Sở Văn hóa", "Sở Văn hóa");
  auto forged_signature = app_->signing().SignCms(lowered, seal.id, core::SystemActor());
  auto forged_token = app_->signing().TimeStamp(core::Sha256(lowered));
  ASSERT_TRUE(forged_signature.ok() && forged_token.ok());
  WriteFile(File(c, ".json"), lowered);
  WriteFile(File(c, ".p7s"), *forged_signature);
  WriteFile(File(c, ".tst"), *forged_token);
  const VerifyReport foreign = expect_refused("another organisation's seal");
  EXPECT_NE(foreign.problem_en.find("organisation certificate"), std::string::npos)
      << foreign.problem_en;
}

// The server's housekeeping thread calls Write(now) every checkpoint_interval_minutes; here it
// is driven step by step.
TEST_P(CheckpointTest, TheWriterAnchorsTheHeadOnlyWhenItMoved) {
  AppendMany(1);
  const Checkpoint first = MustWrite();
  EXPECT_EQ(first.seq, Head());
  EXPECT_EQ(first.count, first.seq);
  auto again = checkpoints().Write(clock_.Now() + std::chrono::minutes(5));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value()) << "the head did not move";
  EXPECT_EQ(checkpoints().List(10)->size(), 1u);

  AppendMany(3);
  const Checkpoint second = MustWrite();
  EXPECT_EQ(second.seq, first.seq + 3);
  const Checkpoint forced = MustWrite(/*always=*/true);  // tinhso audit checkpoint
  EXPECT_EQ(forced.seq, second.seq);
  auto listed = checkpoints().List(10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].name, forced.name) << "newest first";
  EXPECT_EQ((*listed)[2].name, first.name);
  EXPECT_EQ(checkpoints().List(10, (*listed)[0].name)->size(), 2u);
  // Writing a checkpoint appends nothing to the log, so an idle log stays anchored.
  EXPECT_EQ(Head(), second.seq);
  const VerifyReport r = MustVerify();
  EXPECT_TRUE(r.intact) << r.problem_en;
  EXPECT_EQ(r.checkpoints, 3);
  ASSERT_TRUE(r.anchored_at.has_value());
  EXPECT_LE(std::chrono::abs(*r.anchored_at - clock_.Now()), std::chrono::seconds(1));
}

TEST_P(CheckpointTest, OpenSslVerifiesTheSignatureAndTheTimeStamp) {
  AppendMany(2);
  const Checkpoint c = MustWrite();
  const std::string json = File(c, ".json").string();
  const std::string root = (dir_ / "root.pem").string();
  const auto cms = Shell("openssl cms -verify -binary -inform DER -in " + File(c, ".p7s").string() +
                         " -content " + json + " -CAfile " + root + " -out /dev/null");
  EXPECT_EQ(cms.exit_code, 0) << cms.out;
  EXPECT_NE(cms.out.find("Verification successful"), std::string::npos) << cms.out;
  const auto ts = Shell("openssl ts -verify -data " + json + " -in " + File(c, ".tst").string() +
                        " -token_in -CAfile " + root);
  EXPECT_EQ(ts.exit_code, 0) << ts.out;
  EXPECT_NE(ts.out.find("Verification: OK"), std::string::npos) << ts.out;
  // One changed byte and both refuse.
  std::string text = ReadFile(File(c, ".json"));
  text[text.find(c.hash)] ^= 0x01;
  WriteFile(dir_ / "changed.json", text);
  const std::string changed = (dir_ / "changed.json").string();
  EXPECT_NE(Shell("openssl cms -verify -binary -inform DER -in " + File(c, ".p7s").string() +
                  " -content " + changed + " -CAfile " + root + " -out /dev/null")
                .exit_code,
            0);
  EXPECT_NE(Shell("openssl ts -verify -data " + changed + " -in " + File(c, ".tst").string() +
                  " -token_in -CAfile " + root)
                .exit_code,
            0);
}

TEST_P(CheckpointTest, AuditorsReadCheckpointsThroughTheApi) {
  // Every answer, errors included, is checked against the OpenAPI document.
  const http::test::Contract contract(app_->router());
  auto call = [&](const std::string& path, std::multimap<std::string, std::string> query = {}) {
    auto match = app_->router().Find(http::Method::kGet, path);
    EXPECT_NE(match.route, nullptr) << path;
    http::Request request;
    request.path = path;
    request.query = std::move(query);
    http::Context context;
    context.actor = core::SystemActor();
    context.params = match.params;
    auto result = match.route->handler(request, context);
    EXPECT_EQ(contract.Check(request, result), "");
    return result;
  };
  auto none = call("/api/v1/audit/checkpoints/latest");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().reason, "audit.no_checkpoint");
  AppendMany(1);
  const Checkpoint c = MustWrite();
  auto latest = call("/api/v1/audit/checkpoints/latest");
  ASSERT_TRUE(latest.ok()) << latest.error().message_en;
  const auto body = boost::json::parse(latest->body).as_object();
  EXPECT_EQ(body.at("name").as_string(), c.name);
  EXPECT_EQ(body.at("seq").as_int64(), c.seq);
  EXPECT_EQ(body.at("hash").as_string(), c.hash);
  const std::string signature_url(body.at("files").at("signature").as_string());
  auto signature = call(signature_url);
  ASSERT_TRUE(signature.ok()) << signature_url;
  EXPECT_EQ(signature->body, ReadFile(File(c, ".p7s")));
  EXPECT_EQ(signature->content_type, "application/pkcs7-signature");
  // Each file is served as the document says it is.
  const auto& files = contract.document()
                          .at("paths")
                          .at("/api/v1/audit/checkpoints/files/{file}")
                          .at("get")
                          .at("responses")
                          .at("200")
                          .at("content")
                          .as_object();
  for (const char* key : {"checkpoint", "signature", "timestamp"}) {
    const std::string url(body.at("files").at(key).as_string());
    auto file = call(url);
    ASSERT_TRUE(file.ok()) << url;
    EXPECT_TRUE(files.contains(file->content_type)) << url << " " << file->content_type;
  }
  auto list = call("/api/v1/audit/checkpoints");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(boost::json::parse(list->body).at("items").as_array().size(), 1u);
  // The page bounds are the declared type's: refused by the router, named in the message.
  for (const char* limit : {"0", "501"}) {
    for (const char* path : {"/api/v1/audit/checkpoints", "/api/v1/audit"}) {
      auto refused = call(path, {{"limit", limit}});
      ASSERT_FALSE(refused.ok()) << path << " limit=" << limit;
      EXPECT_EQ(refused.error().reason, "request.invalid_query");
      EXPECT_EQ(refused.error().message_en,
                "Query parameter 'limit' is invalid: expected an integer from 1 to 500.");
    }
  }
  // The log itself, filtered and paged.
  auto entries = call("/api/v1/audit", {{"action", "agency."}, {"limit", "1"}});
  ASSERT_TRUE(entries.ok()) << entries.error().message_en;
  const auto page = boost::json::parse(entries->body).as_object();
  ASSERT_EQ(page.at("items").as_array().size(), 1u);
  const auto& entry = page.at("items").as_array()[0].as_object();
  EXPECT_TRUE(entry.at("action").as_string().starts_with("agency."));
  EXPECT_TRUE(entry.at("data").is_object());
  const std::int64_t cursor = page.at("next_cursor").as_int64();
  EXPECT_EQ(cursor, entry.at("seq").as_int64());
  auto older = call("/api/v1/audit", {{"cursor", std::to_string(cursor)}, {"limit", "500"}});
  ASSERT_TRUE(older.ok());
  EXPECT_TRUE(boost::json::parse(older->body).at("next_cursor").is_null());
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"cursor", "0"}, {"actor", "x"}, {"from", "hôm qua"}}) {
    auto refused = call("/api/v1/audit", {{name, value}});
    ASSERT_FALSE(refused.ok()) << name << "=" << value;
    EXPECT_EQ(refused.error().reason, "request.invalid_query") << name;
  }
  for (const char* bad :
       {"/api/v1/audit/checkpoints/files/..%2Froot.pem", "/api/v1/audit/checkpoints/files/root.pem",
        "/api/v1/audit/checkpoints/files/000000000001-20261207T023000Z.key"}) {
    auto refused = call(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kNotFound) << bad;
  }
  for (const char* path : {"/api/v1/audit/checkpoints", "/api/v1/audit/checkpoints/latest",
                           "/api/v1/audit/checkpoints/files/x.json"}) {
    EXPECT_EQ(app_->router().Find(http::Method::kGet, path).route->action, "audit.read") << path;
  }
  auto verify = call("/api/v1/audit/verify");
  ASSERT_TRUE(verify.ok());
  const auto report = boost::json::parse(verify->body).as_object();
  EXPECT_TRUE(report.at("intact").as_bool());
  EXPECT_EQ(report.at("checkpoints").as_int64(), 1);
  EXPECT_EQ(report.at("anchored").as_int64(), c.seq);
  EXPECT_EQ(report.at("not_yet_anchored").as_int64(), 0);
}

TINHSO_INSTANTIATE_BACKENDS(CheckpointTest);

}  // namespace
}  // namespace tinhso::audit
