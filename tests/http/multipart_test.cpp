// multipart/form-data parsing over bodies in memory and spooled to disk: files are ranges of the
// body (nothing copied), names and limits as browsers and curl send them.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "http/http.hpp"
#include "test_util.hpp"

namespace tinhso::http {
namespace {

constexpr char kBoundary[] = "----WebKitFormBoundaryQx7aB3";

std::string Part(const std::string& disposition, const std::string& content,
                 const std::string& type = "") {
  std::string p =
      std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
  if (!type.empty()) p += "Content-Type: " + type + "\r\n";
  return p + "\r\n" + content + "\r\n";
}

std::string Close() { return std::string("--") + kBoundary + "--\r\n"; }

Request InMemory(std::string body) {
  Request r;
  r.headers = {{"content-type", std::string("multipart/form-data; boundary=") + kBoundary}};
  r.body = std::move(body);
  return r;
}

std::string Random(std::size_t n, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(random());
  return s;
}

TEST(Multipart, FieldsAndFilesInOrder) {
  const std::string pdf = "%PDF-1.7\r\n\r\n--not-the-boundary\r\n%%EOF";
  auto parts = ParseMultipart(
      InMemory(Part("name=\"json\"", R"({"a":1})", "application/json") +
               Part("name=\"files.TP1\"; filename=\"Tờ khai.pdf\"", pdf, "application/pdf") +
               Part("name=\"files\"; filename=\"\"", "") + Close()),
      {});
  ASSERT_TRUE(parts.ok()) << parts.error().message_en;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "json");
  EXPECT_FALSE((*parts)[0].is_file);
  EXPECT_EQ((*parts)[0].content.ReadAll().value(), R"({"a":1})");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ((*parts)[1].name, "files.TP1");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "Tờ khai.pdf");
  EXPECT_EQ((*parts)[1].content.ReadAll().value(), pdf);
  EXPECT_TRUE((*parts)[2].is_file);
  EXPECT_TRUE((*parts)[2].content.empty());
}

TEST(Multipart, FileNamesLoseFoldersAndUseTheExtendedForm) {
  auto parts =
      ParseMultipart(InMemory(Part(R"(name="files"; filename="C:\Users\lan\scan.pdf")", "x") +
                              Part("name=\"files\"; filename=\"a%22b.pdf\"", "y") +
                              Part("name=\"files\"; filename=\"fallback.pdf\"; "
                                   "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf",
                                   "z") +
                              Close()),
                     {});
  ASSERT_TRUE(parts.ok()) << parts.error().message_en;
  EXPECT_EQ((*parts)[0].filename, "scan.pdf");
  EXPECT_EQ((*parts)[1].filename, "a\"b.pdf");
  EXPECT_EQ((*parts)[2].filename, "Giấy khai sinh.pdf");
}

TEST(Multipart, MalformedBodiesAreRefusedWithTheirReason) {
  const auto reason = [](Request r) {
    auto parts = ParseMultipart(r, {});
    return parts.ok() ? std::string("ok") : parts.error().reason;
  };
  EXPECT_EQ(reason(InMemory(Part("name=\"a\"", "1"))), "http.bad_multipart") << "no closing line";
  EXPECT_EQ(reason(InMemory("garbage")), "http.bad_multipart");
  EXPECT_EQ(reason(InMemory(Part("filename=\"x\"", "1") + Close())), "http.bad_multipart")
      << "a part without a name";
  Request no_boundary = InMemory(Part("name=\"a\"", "1") + Close());
  no_boundary.headers = {{"content-type", "multipart/form-data"}};
  EXPECT_EQ(reason(no_boundary), "http.bad_multipart");
  std::string many;
  for (int i = 0; i < 10; ++i) many += Part("name=\"f\"", "1");
  auto limited = ParseMultipart(InMemory(many + Close()), {.max_parts = 5});
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().reason, "http.too_many_parts");
}

TEST(Multipart, AFileOverTheLimitIsRefusedByName) {
  const std::string big(2000, 'x');
  auto parts = ParseMultipart(InMemory(Part("name=\"files\"; filename=\"big.pdf\"", big) + Close()),
                              {.max_file_bytes = 1999});
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.error().reason, "http.file_too_large");
  EXPECT_NE(parts.error().message_vi.find("big.pdf"), std::string::npos);
  EXPECT_TRUE(ParseMultipart(InMemory(Part("name=\"files\"; filename=\"big.pdf\"", big) + Close()),
                             {.max_file_bytes = 2000})
                  .ok());
}

// A body spooled to disk, as the server does for large uploads: 10 MB of random bytes (which
// contain CRLFs and dashes) come back as a range of the file, exactly.
TEST(Multipart, FilesOfASpooledBodyAreRangesOfIt) {
  test::TempDir dir;
  const std::string scan = Random(10 << 20, 7);
  const std::string photo = Random(3 << 20, 8);
  const std::string body = Part("name=\"json\"", "{}") +
                           Part("name=\"files.TP1\"; filename=\"scan.pdf\"", scan) +
                           Part("name=\"files.TP2\"; filename=\"photo.jpg\"", photo) + Close();
  const auto path = dir.path() / "body.upload";
  std::ofstream(path, std::ios::binary) << body;
  Request r = InMemory("");
  r.upload_path = path.string();
  r.upload_size = body.size();
  auto parts = ParseMultipart(r, {.max_file_bytes = 10 << 20});
  ASSERT_TRUE(parts.ok()) << parts.error().message_en;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_FALSE((*parts)[1].content.in_memory());
  EXPECT_EQ((*parts)[1].content.size(), scan.size());
  EXPECT_EQ((*parts)[1].content.ReadAll().value(), scan);
  EXPECT_EQ((*parts)[2].content.ReadAll().value(), photo);
  EXPECT_EQ((*parts)[2].content.Sha256Hex().value(), core::ByteSource(photo).Sha256Hex().value());
}

}  // namespace
}  // namespace tinhso::http
