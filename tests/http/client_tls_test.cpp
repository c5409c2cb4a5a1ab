// http::Fetch over https:// against OpenSSL's own server (openssl s_server) on loopback: the
// certificate must chain to the trust anchors and name the host, or nothing is sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "http/client.hpp"
#include "support/child_process.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::http {
namespace {

namespace fs = std::filesystem;

// A test CA, a server certificate it issued for 127.0.0.1, one it issued for another host, and
// a self-signed one nobody trusts. Made with the openssl tool at the real time, valid two days.
class TlsClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(test::TempDir());
    const std::string d = dir_->string();
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    const auto run = [](const std::string& command) {
      const test::ShellResult r = test::Shell(command);
      ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.out;
    };
    run("cd " + d + " && openssl req -x509" + key +
        " -keyout ca.key -out ca.pem -days 2 -subj /CN=tinhso-test-ca"
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign");
    for (const auto& [name, san] : {std::pair<std::string, std::string>{"loopback", "IP:127.0.0.1"},
                                    {"other", "DNS:other.example"}}) {
      run("cd " + d + " && openssl req" + key + " -keyout " + name + ".key -out " + name +
          ".csr -subj /CN=" + name + " && printf 'subjectAltName=" + san +
          "\\nextendedKeyUsage=serverAuth\\n' > " + name + ".ext && openssl x509 -req -in " + name +
          ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile " + name + ".ext -out " +
          name + ".pem");
    }
    run("cd " + d + " && openssl req -x509" + key +
        " -keyout stranger.key -out stranger.pem -days 2 -subj /CN=127.0.0.1"
        " -addext subjectAltName=IP:127.0.0.1");
  }
  static void TearDownTestSuite() { delete dir_; }

  // Starts `openssl s_server -www` with the named certificate for one connection; returns its
  // https:// address.
  std::string Serve(const std::string& name) {
    const std::string d = dir_->string();
    server_ = test::ChildProcess::Start({"openssl", "s_server", "-www", "-accept", "127.0.0.1:0",
                                         "-naccept", "1", "-cert", d + "/" + name + ".pem", "-key",
                                         d + "/" + name + ".key"});
    EXPECT_NE(server_, nullptr);
    if (server_ == nullptr) return "";
    const int port = test::TrailingPort(server_->WaitForLine("ACCEPT"));
    EXPECT_GT(port, 0);
    return "https://127.0.0.1:" + std::to_string(port) + "/";
  }
  std::string CaFile() const { return (*dir_ / "ca.pem").string(); }

  static fs::path* dir_;
  std::unique_ptr<test::ChildProcess> server_;
};
fs::path* TlsClientTest::dir_ = nullptr;

TEST_F(TlsClientTest, TalksToAServerWhoseCertificateChainsToTheGivenCa) {
  const std::string url = Serve("loopback");
  auto res = Fetch({.method = Method::kGet, .url = url, .ca_file = CaFile()});
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->status, 200);
  // s_server -www answers with a page describing the session it negotiated.
  EXPECT_NE(res->body.find("<HTML>"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("TLSv1.3"), std::string::npos) << res->body;
}

TEST_F(TlsClientTest, RefusesACertificateTheSystemStoreDoesNotTrust) {
  auto res = Fetch({.method = Method::kGet, .url = Serve("loopback")});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_untrusted_peer") << res.error().detail;
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
}

TEST_F(TlsClientTest, RefusesASelfSignedCertificateOutsideTheGivenCa) {
  auto res = Fetch({.method = Method::kGet, .url = Serve("stranger"), .ca_file = CaFile()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_untrusted_peer") << res.error().detail;
}

TEST_F(TlsClientTest, RefusesATrustedCertificateForAnotherHost) {
  auto res = Fetch({.method = Method::kGet, .url = Serve("other"), .ca_file = CaFile()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_untrusted_peer") << res.error().detail;
}

TEST(TlsClient, AnUnreadableCaFileIsAConfigurationError) {
  auto res = Fetch({.method = Method::kGet,
                    .url = "https://127.0.0.1:1/",
                    .ca_file = (test::TempDir() / "missing.pem").string()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_bad_ca_file");
  EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument);
}

TEST(TlsClient, OtherSchemesAreStillRefused) {
  for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "ws://127.0.0.1/"}) {
    auto res = Fetch({.url = url});
    ASSERT_FALSE(res.ok()) << url;
    EXPECT_EQ(res.error().reason, "http.client_bad_url") << url;
  }
}

}  // namespace
}  // namespace tinhso::http
