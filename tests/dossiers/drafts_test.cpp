// Drafts (Lưu nháp) on SQLite and PostgreSQL, through the API (checked against the OpenAPI
// document) and the service: only the owner reads or changes one, a stale version is refused,
// expired drafts are purged, and submitting a draft moves its files, of real size, into the
// dossier byte for byte without sending them again.
#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/real_files.hpp"
#include "support/sample_images.hpp"

namespace tinhso::dossiers::test {
namespace {

using tinhso::test::PhotoJpeg;
using tinhso::test::ScannedPdf;

class DraftApiTest : public DossierApiTest {
 protected:
  void SetUp() override {
    DossierApiTest::SetUp();
    AddUser(core::ActorKind::kCitizen, "001199054321", 0, {}, "Trần Văn Bình");
    AddUser(core::ActorKind::kOfficer, "motcua.xa", commune_, {"reception"});
    for (const char* login : {"001199054321", "motcua.xa"}) {
      auto s =
          app_->accounts().Login(login, "mat-khau-du-dai", auth::SessionKind::kBearer, "127.0.0.1");
      ASSERT_TRUE(s.ok()) << login;
      tokens_[login] = s->token;
    }
  }

  static bj::object Content() {
    // The page's state, kept as it came.
    return {{"applicant", {{"phone", "0912345678"}}},
            {"form", {{"child_name", "Nguyễn Minh An"}}},
            {"locality_code", "H55.60.01"}};
  }

  bj::object Create(const std::vector<FilePart>& files, const std::string& who = kOwner) {
    bj::object fields{{"procedure_code", "1.001193"}, {"content", Content()}};
    auto r = Call("POST", "/api/v1/drafts", who, Multipart(fields, files), kMultipartHeader);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }

  Reply Save(std::int64_t id, bj::object fields, const std::vector<FilePart>& files = {},
             const std::string& who = kOwner) {
    return Call("POST", "/api/v1/drafts/" + std::to_string(id), who, Multipart(fields, files),
                kMultipartHeader);
  }

  static constexpr const char* kOwner = "001199012345";
};

TEST_P(DraftApiTest, OnlyTheOwnerReadsOrChangesADraft) {
  const bj::object d = Create({{"files.TP1", "to-khai.pdf", Pdf("to khai")}});
  const std::int64_t id = d.at("id").as_int64();
  const std::string path = "/api/v1/drafts/" + std::to_string(id);
  EXPECT_EQ(d.at("content").as_object(), Content());
  EXPECT_EQ(d.at("procedure_name").as_string(), "Đăng ký khai sinh");
  ASSERT_EQ(d.at("files").as_array().size(), 1u);
  const std::int64_t file = d.at("files").as_array()[0].at("id").as_int64();

  // Another citizen: as if there were no such draft.
  const std::string other = "001199054321";
  EXPECT_EQ(Call("GET", path, other).status, 404);
  EXPECT_EQ(Call("GET", path + "/files/" + std::to_string(file), other).status, 404);
  EXPECT_EQ(Save(id, {{"version", 1}, {"content", bj::object{}}}, {}, other).status, 404);
  EXPECT_EQ(Call("DELETE", path, other).status, 404);
  EXPECT_TRUE(Json(Call("GET", "/api/v1/drafts", other)).at("items").as_array().empty());
  bj::object with_draft = BirthRegistrationFields();
  with_draft["applicant"].as_object()["name"] = "Trần Văn Bình";
  with_draft["applicant"].as_object()["id_number"] = other;
  with_draft["draft"] = {{"id", id}, {"version", 1}};
  EXPECT_EQ(Call("POST", "/api/v1/dossiers", other, bj::serialize(with_draft)).status, 404);
  // Officers keep no drafts.
  EXPECT_EQ(Call("GET", path, "motcua.xa").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/drafts", "motcua.xa").status, 403);

  // The owner still has it all.
  auto mine = Call("GET", path + "/files/" + std::to_string(file), kOwner);
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body, Pdf("to khai"));
  EXPECT_EQ(Json(Call("GET", path, kOwner)).at("version").as_int64(), 1);
  auto list = Json(Call("GET", "/api/v1/drafts?procedure=1.001193", kOwner));
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_TRUE(Json(Call("GET", "/api/v1/drafts?procedure=2.001417", kOwner))
                  .at("items")
                  .as_array()
                  .empty());
}

TEST_P(DraftApiTest, AStaleVersionIsRefusedAndNothingChanges) {
  const std::int64_t id = Create({}).at("id").as_int64();
  bj::object first{{"version", 1}, {"content", {{"form", {{"child_name", "An"}}}}}};
  auto saved = Save(id, first, {{"files.TP2", "chung-sinh.pdf", Pdf("cs")}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("version").as_int64(), 2);
  EXPECT_EQ(Json(saved).at("files").as_array().size(), 1u);

  // Another tab still at version 1.
  bj::object stale{{"version", 1}, {"content", {{"form", {{"child_name", "Bình"}}}}}};
  auto refused = Save(id, stale, {{"files.TP1", "to-khai.pdf", Pdf()}});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Json(refused).at("error").at("code").as_string(), "draft.version_conflict")
      << refused.body;
  const bj::object now = Json(Call("GET", "/api/v1/drafts/" + std::to_string(id), kOwner));
  EXPECT_EQ(now.at("version").as_int64(), 2);
  EXPECT_EQ(now.at("content").at("form").at("child_name").as_string(), "An");
  EXPECT_EQ(now.at("files").as_array().size(), 1u);
  EXPECT_EQ(CountRows("draft_files"), 1);

  // Removing a file, at the right version.
  const std::int64_t file = now.at("files").as_array()[0].at("id").as_int64();
  auto removed = Save(id, {{"version", 2}, {"remove_files", {file}}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(Json(removed).at("files").as_array().empty());
  EXPECT_EQ(CountRows("draft_file_chunks"), 0);
  // Deleting at a stale version keeps the draft.
  EXPECT_EQ(Call("DELETE", "/api/v1/drafts/" + std::to_string(id) + "?version=2", kOwner).status,
            409);
  EXPECT_EQ(Call("DELETE", "/api/v1/drafts/" + std::to_string(id) + "?version=3", kOwner).status,
            204);
  EXPECT_EQ(CountRows("drafts"), 0);
}

TEST_P(DraftApiTest, SubmittingADraftMovesItsRealSizeFilesByteForByte) {
  const std::string scan = ScannedPdf(4);
  const std::string photo = PhotoJpeg(3000, 4000);
  ASSERT_GT(scan.size(), 4'000'000u) << "the fixture must be a real scan's size";
  // Half a form and the scan; the photo added later, as a citizen would.
  const std::int64_t id =
      Create({{"files.TP1", "Tờ khai đăng ký khai sinh.pdf", scan}}).at("id").as_int64();
  auto saved = Save(id, {{"version", 1}}, {{"files.TP2", "IMG_20261121_093012.jpg", photo}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(CountRows("draft_files"), 2);

  // Submitting sends the fields only: the files are the draft's.
  bj::object fields = BirthRegistrationFields();
  fields["draft"] = {{"id", id}, {"version", 2}};
  auto stale = fields;
  stale["draft"] = {{"id", id}, {"version", 1}};
  auto refused = Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(stale));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(CountRows("dossiers"), 0);

  auto created = Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(fields));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string files =
      "/api/v1/dossiers/" + std::to_string(Json(created).at("id").as_int64()) + "/files";
  const bj::object listed = Json(Call("GET", files, kOwner));
  ASSERT_EQ(listed.at("items").as_array().size(), 2u) << bj::serialize(listed);
  const std::vector<std::pair<std::string, const std::string*>> expected = {
      {"Tờ khai đăng ký khai sinh.pdf", &scan}, {"IMG_20261121_093012.jpg", &photo}};
  for (std::size_t i = 0; i < 2; ++i) {
    const bj::object& f = listed.at("items").as_array()[i].as_object();
    EXPECT_EQ(f.at("name").as_string(), expected[i].first);
    EXPECT_EQ(f.at("size").as_int64(), static_cast<std::int64_t>(expected[i].second->size()));
    EXPECT_EQ(f.at("sha256").as_string(), core::Sha256Hex(*expected[i].second));
    auto download = Call("GET", files + "/" + std::to_string(f.at("id").as_int64()), kOwner);
    EXPECT_TRUE(download.body == *expected[i].second) << f.at("name").as_string() << " differs";
  }
  // The draft is gone, with its pieces, in the same transaction.
  EXPECT_EQ(Call("GET", "/api/v1/drafts/" + std::to_string(id), kOwner).status, 404);
  EXPECT_EQ(CountRows("drafts"), 0);
  EXPECT_EQ(CountRows("draft_files"), 0);
  EXPECT_EQ(CountRows("draft_file_chunks"), 0);
  // Submitted again (the same draft), nothing new is made.
  EXPECT_EQ(Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(fields)).status, 404);
  EXPECT_EQ(CountRows("dossiers"), 1);
}

// "Gửi lại" after a lost answer is safe from a draft too: the key finds the first dossier,
// although the draft went with it.
TEST_P(DraftApiTest, SendingADraftAgainWithItsKeyAnswersTheFirstDossier) {
  const std::int64_t id =
      Create({{"files.TP1", "to-khai.pdf", Pdf()}, {"files.TP2", "chung-sinh.pdf", Pdf("cs")}})
          .at("id")
          .as_int64();
  bj::object fields = BirthRegistrationFields();
  fields["draft"] = {{"id", id}, {"version", 1}};
  const std::string key = "Idempotency-Key: 6f1c2a9e-draft\r\n";
  auto first = Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(fields),
                    key + "Content-Type: application/json\r\n");
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(fields),
                    key + "Content-Type: application/json\r\n");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["id"], Json(first)["id"]);
  EXPECT_EQ(CountRows("dossiers"), 1);
  EXPECT_EQ(CountRows("dossier_files"), 2);
}

TEST_P(DraftApiTest, ADraftMissingARequiredFileIsNotSubmitted) {
  const std::int64_t id = Create({{"files.TP1", "to-khai.pdf", Pdf()}}).at("id").as_int64();
  bj::object fields = BirthRegistrationFields();
  fields["draft"] = {{"id", id}, {"version", 1}};
  auto refused = Call("POST", "/api/v1/dossiers", kOwner, bj::serialize(fields));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Json(refused).at("error").at("code").as_string(), "dossier.component_missing");
  EXPECT_EQ(CountRows("draft_files"), 1) << "the draft is kept";
  // The missing file sent with the submission completes it.
  auto created =
      Call("POST", "/api/v1/dossiers", kOwner,
           Multipart(fields, {{"files.TP2", "chung-sinh.pdf", Pdf("cs")}}), kMultipartHeader);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(CountRows("dossier_files"), 2);
  EXPECT_EQ(CountRows("drafts"), 0);
}

TEST_P(DraftApiTest, ExpiredDraftsAreGoneAndPurgedWithTheirFiles) {
  auto& svc = app_->dossiers();
  const core::Actor owner = Citizen(900);
  DraftInput in;
  in.procedure_code = "1.001193";
  in.content_json = R"({"form":{}})";
  in.files = {{"TP1", "to-khai.pdf", core::ByteSource(Pdf())}};
  auto old = svc.CreateDraft(in, owner);
  ASSERT_TRUE(old.ok()) << old.error().message_en;
  EXPECT_EQ(old->expires_at, clock_.Now() + std::chrono::days(30));
  clock_.Advance(std::chrono::days(20));
  auto recent = svc.CreateDraft(in, owner);
  ASSERT_TRUE(recent.ok());
  clock_.Advance(std::chrono::days(10));

  // Expired: not found before the purge runs, not listed, not submittable.
  auto gone = svc.GetDraft(old->id, owner);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().reason, "draft.not_found");
  auto listed = svc.Drafts("", owner);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, recent->id);

  auto purged = svc.PurgeExpiredDrafts();
  ASSERT_TRUE(purged.ok()) << purged.error().detail;
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(CountRows("drafts"), 1);
  EXPECT_EQ(CountRows("draft_files"), 1);
  EXPECT_EQ(CountRows("draft_file_chunks"), 1);
  EXPECT_EQ(*svc.PurgeExpiredDrafts(), 0);

  // Saving a draft gives it another 30 days.
  DraftInput save;
  save.version = 1;
  auto kept = svc.SaveDraft(recent->id, save, owner);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->expires_at, clock_.Now() + std::chrono::days(30));
}

TEST_P(DraftApiTest, EveryChangeIsAudited) {
  const std::int64_t id = Create({}).at("id").as_int64();
  ASSERT_EQ(Save(id, {{"version", 1}}).status, 200);
  ASSERT_EQ(Call("DELETE", "/api/v1/drafts/" + std::to_string(id), kOwner).status, 204);
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT action FROM audit_log WHERE object_type = 'draft' ORDER BY seq");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  std::vector<std::string> actions;
  for (const auto& r : *rows) actions.push_back(r.Text(0));
  EXPECT_EQ(actions, (std::vector<std::string>{"draft.create", "draft.save", "draft.delete"}));
}

TINHSO_INSTANTIATE_BACKENDS(DraftApiTest);

}  // namespace
}  // namespace tinhso::dossiers::test
