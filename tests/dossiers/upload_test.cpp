// Files of real size and shape through the API, on SQLite and PostgreSQL: a 5 MB multi-page scan
// and a 3 MB phone photo submitted as multipart/form-data and read back intact, the limit to the
// byte, base64 in JSON for small clients, and a file's name that must agree with its content.
#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/real_files.hpp"
#include "support/sample_images.hpp"

namespace tinhso::dossiers::test {
namespace {

using tinhso::test::PdfOfSize;
using tinhso::test::PhotoJpeg;
using tinhso::test::ScannedPdf;
using tinhso::test::SealPng;

class UploadTest : public DossierApiTest {
 protected:
  void SetUp() override {
    DossierApiTest::SetUp();
    // Birth registration is a commune's procedure: its reception and its chairwoman.
    AddUser(core::ActorKind::kOfficer, "motcua.xa", commune_, {"reception"});
    AddUser(core::ActorKind::kOfficer, "chutich", commune_, {"leader"});
    for (const char* login : {"motcua.xa", "chutich"}) {
      auto s =
          app_->accounts().Login(login, "mat-khau-du-dai", auth::SessionKind::kBearer, "127.0.0.1");
      ASSERT_TRUE(s.ok()) << login;
      tokens_[login] = s->token;
    }
  }

  Reply Submit(const std::vector<FilePart>& files) {
    return Call("POST", "/api/v1/dossiers", "001199012345",
                Multipart(BirthRegistrationFields(), files), kMultipartHeader);
  }

  // The stored files of dossier `id`, each with its downloaded bytes.
  std::vector<std::pair<bj::object, std::string>> Stored(std::int64_t id) {
    const std::string files = "/api/v1/dossiers/" + std::to_string(id) + "/files";
    std::vector<std::pair<bj::object, std::string>> out;
    const bj::object listed = Json(Call("GET", files, "motcua.xa"));
    EXPECT_TRUE(listed.contains("items")) << bj::serialize(listed);
    if (!listed.contains("items")) return out;
    for (const auto& item : listed.at("items").as_array()) {
      const bj::object& f = item.as_object();
      auto download = Call("GET", files + "/" + std::to_string(f.at("id").as_int64()), "motcua.xa");
      EXPECT_EQ(download.status, 200) << download.body.substr(0, 300);
      out.emplace_back(f, download.body);
    }
    return out;
  }
};

TEST_P(UploadTest, AScanAndAPhotoOfRealSizeAreStoredAndReadBackIntact) {
  const std::string scan = ScannedPdf(4);
  const std::string photo = PhotoJpeg(3000, 4000);
  ASSERT_GT(scan.size(), 4'000'000u) << "the fixture must be a real scan's size";
  ASSERT_GT(photo.size(), 2'500'000u) << "the fixture must be a real photo's size";
  auto created = Submit({{"files.TP1", "Tờ khai đăng ký khai sinh.pdf", scan},
                         {"files.TP2", "IMG_20261121_093012.jpg", photo}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto stored = Stored(Json(created)["id"].as_int64());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].first.at("name").as_string(), "Tờ khai đăng ký khai sinh.pdf");
  EXPECT_EQ(stored[0].first.at("content_type").as_string(), "application/pdf");
  EXPECT_EQ(stored[0].first.at("size").as_int64(), static_cast<std::int64_t>(scan.size()));
  EXPECT_EQ(stored[0].first.at("sha256").as_string(), core::Sha256Hex(scan));
  EXPECT_TRUE(stored[0].second == scan) << "the scan comes back byte for byte";
  EXPECT_EQ(stored[1].first.at("content_type").as_string(), "image/jpeg");
  EXPECT_EQ(stored[1].first.at("sha256").as_string(), core::Sha256Hex(photo));
  EXPECT_TRUE(stored[1].second == photo);
}

// Files go in several to a statement, their small chunks too: twenty files, more than one
// statement holds, some larger than a chunk, all come back byte for byte and in their order.
TEST_P(UploadTest, ManyFilesOfMixedSizesComeBackInOrder) {
  std::vector<FilePart> parts;
  for (int i = 0; i < 20; ++i) {
    const std::size_t size = i % 5 == 4 ? 300'000 + static_cast<std::size_t>(i) * 1'000
                                        : 20'000 + static_cast<std::size_t>(i) * 1'000;
    parts.push_back({i % 2 == 0 ? "files.TP1" : "files.TP2", "ban-" + std::to_string(i) + ".pdf",
                     PdfOfSize(size, 100 + i)});
  }
  auto created = Submit(parts);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto stored = Stored(Json(created)["id"].as_int64());
  ASSERT_EQ(stored.size(), parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(stored[i].first.at("name").as_string(), parts[i].name) << i;
    EXPECT_EQ(stored[i].first.at("sha256").as_string(), core::Sha256Hex(parts[i].content)) << i;
    EXPECT_TRUE(stored[i].second == parts[i].content) << "file " << i;
  }
}

// Every file up to max_file_mb (10 MB) is taken; one byte more is refused, naming the file.
TEST_P(UploadTest, TheSizeLimitHoldsToTheByteWithAClearError) {
  const std::string largest = PdfOfSize(10 << 20, 1);
  const std::string under = PdfOfSize(9'900'000, 2);
  auto taken = Submit({{"files.TP1", "to-khai.pdf", under}, {"files.TP2", "giay.pdf", largest}});
  ASSERT_EQ(taken.status, 201) << taken.body;
  EXPECT_TRUE(Stored(Json(taken)["id"].as_int64())[1].second == largest);

  auto refused = Submit({{"files.TP1", "to-khai.pdf", under},
                         {"files.TP2", "ban-scan-lon.pdf", PdfOfSize((10 << 20) + 1, 3)}});
  EXPECT_EQ(refused.status, 413) << refused.body;
  const bj::object error = Json(refused)["error"].as_object();
  EXPECT_EQ(error.at("code").as_string(), "http.file_too_large");
  EXPECT_NE(std::string(error.at("message").as_string()).find("ban-scan-lon.pdf"),
            std::string::npos);
  EXPECT_NE(std::string(error.at("message_en").as_string()).find("10 MB"), std::string::npos);
}

// Small API clients may still send files as base64 in JSON: files of tens of kilobytes were
// once refused by a 1,000-character limit on the field.
TEST_P(UploadTest, SmallFilesAsBase64InJsonAreAccepted) {
  bj::object submit = BirthRegistrationFields();
  const std::string small = PdfOfSize(16 * 1024, 4);
  const std::string medium = PdfOfSize(54 * 1024, 5);
  submit["files"] = bj::array{
      {{"component", "TP1"},
       {"name", "to-khai.pdf"},
       {"content_base64", core::Base64Encode(small)}},
      {{"component", "TP2"}, {"name", "cs.pdf"}, {"content_base64", core::Base64Encode(medium)}}};
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto stored = Stored(Json(created)["id"].as_int64());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_TRUE(stored[0].second == small);
  EXPECT_TRUE(stored[1].second == medium);

  // A JSON body too large to parse in memory is refused with the way to send it.
  submit["files"] = bj::array{{{"component", "TP1"},
                               {"name", "to-khai.pdf"},
                               {"content_base64", core::Base64Encode(PdfOfSize(3'500'000, 6))}}};
  auto big = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(Json(big)["error"].at("code").as_string(), "dossier.json_too_large");
  EXPECT_NE(std::string(Json(big)["error"].at("message_en").as_string()).find("multipart"),
            std::string::npos);
}

TEST_P(UploadTest, AFileNameMustAgreeWithItsContent) {
  const std::string pdf = PdfOfSize(20'000, 7);
  auto png_as_pdf =
      Submit({{"files.TP1", "to-khai.pdf", pdf}, {"files.TP2", "giay.pdf", SealPng(64)}});
  EXPECT_EQ(png_as_pdf.status, 400) << png_as_pdf.body;
  EXPECT_EQ(Json(png_as_pdf)["error"].at("code").as_string(), "dossier.file_name_mismatch");
  EXPECT_NE(std::string(Json(png_as_pdf)["error"].at("message").as_string()).find("ảnh PNG"),
            std::string::npos);

  auto pdf_as_exe = Submit({{"files.TP1", "to-khai.exe", pdf}, {"files.TP2", "giay.pdf", pdf}});
  EXPECT_EQ(pdf_as_exe.status, 400) << pdf_as_exe.body;
  EXPECT_EQ(Json(pdf_as_exe)["error"].at("code").as_string(), "dossier.file_name_mismatch");

  // A name without an extension gets the content's; case does not matter.
  auto named = Submit({{"files.TP1", "to-khai", pdf}, {"files.TP2", "ANH.PNG", SealPng(64)}});
  ASSERT_EQ(named.status, 201) << named.body;
  const auto stored = Stored(Json(named)["id"].as_int64());
  EXPECT_EQ(stored[0].first.at("name").as_string(), "to-khai.pdf");
  EXPECT_EQ(stored[1].first.at("name").as_string(), "ANH.PNG");
}

// The leader's result is a real scan too: issued as multipart, stored whole.
TEST_P(UploadTest, AResultOfRealSizeIsIssued) {
  auto created = Submit({{"files.TP1", "to-khai.pdf", PdfOfSize(30'000, 8)},
                         {"files.TP2", "anh.jpg", PhotoJpeg(800, 600)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = Json(created)["id"].as_int64();
  version_ = Json(created)["version"].as_int64();
  auto& svc = app_->dossiers();
  auto accepted = svc.Transition(id, {.action = "accept", .version = version_},
                                 Officer(commune_, {"reception"}, 31));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  auto forwarded = svc.Transition(id, {.action = "forward", .version = accepted->version},
                                  Officer(commune_, {"officer"}, 32));
  ASSERT_TRUE(forwarded.ok()) << forwarded.error().message_en;
  const std::string result = ScannedPdf(4, 200, 9);
  bj::object fields;
  fields["version"] = forwarded->version;
  auto issued =
      Call("POST", "/api/v1/dossiers/" + std::to_string(id) + "/issue_result", "chutich",
           Multipart(fields, {{"files", "Giấy khai sinh.pdf", result}}), kMultipartHeader);
  ASSERT_EQ(issued.status, 200) << issued.body;
  const auto stored = Stored(id);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[2].first.at("kind").as_string(), "result");
  EXPECT_TRUE(stored[2].second == result);
}

TINHSO_INSTANTIATE_BACKENDS(UploadTest);

}  // namespace
}  // namespace tinhso::dossiers::test
