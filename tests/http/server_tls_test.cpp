// The server's HTTPS listener (ServerOptions::tls) with client certificates, spoken to with
// http::Fetch, raw sockets and the openssl tool. The certificates come from a test CA made with
// openssl at the real time (valid two days), as in client_tls_test.cpp.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "http/client.hpp"
#include "http/http.hpp"
#include "http/test_util.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::http {
namespace {

namespace fs = std::filesystem;

// Admits everyone; remembers what the last request showed it of its transport.
class RecordingGuard final : public Guard {
 public:
  Result<core::Actor> Admit(const Request& request, const Route&) override {
    std::lock_guard lock(mu);
    certificate = request.client_certificate;
    https = request.https;
    ++calls;
    return core::Actor{};
  }
  std::mutex mu;
  std::string certificate;
  bool https = false;
  int calls = 0;
};

// The subject's CN of a DER certificate, or "".
std::string CommonName(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert == nullptr) return "";
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return cn;
}

class TlsServerTest : public ::testing::Test {
 protected:
  // The province's CA, the server's certificate for 127.0.0.1, a system's client certificate;
  // another CA and a client certificate from it.
  static void SetUpTestSuite() {
    dir_ = new fs::path(::tinhso::test::TempDir());
    const std::string d = dir_->string();
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    const auto run = [](const std::string& command) {
      const ::tinhso::test::ShellResult r = ::tinhso::test::Shell(command);
      ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.out;
    };
    for (const std::string ca : {"ca", "other-ca"}) {
      run("cd " + d + " && openssl req -x509" + key + " -keyout " + ca + ".key -out " + ca +
          ".pem -days 2 -subj /CN=" + ca +
          " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign");
    }
    struct Leaf {
      std::string name, ca, cn, ext;
    };
    for (const Leaf& leaf :
         {Leaf{"server", "ca", "127.0.0.1",
               "subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth"},
          // "\\/": a slash inside a value of openssl's -subj
          Leaf{"client", "ca", "H55.19\\/motcua", "extendedKeyUsage=clientAuth"},
          Leaf{"stranger", "other-ca", "H55.19\\/motcua", "extendedKeyUsage=clientAuth"}}) {
      run("cd " + d + " && openssl req" + key + " -keyout " + leaf.name + ".key -out " + leaf.name +
          ".csr -subj '/CN=" + leaf.cn + "' && printf '" + leaf.ext + "\\n' > " + leaf.name +
          ".ext && openssl x509 -req -in " + leaf.name + ".csr -CA " + leaf.ca + ".pem -CAkey " +
          leaf.ca + ".key -CAcreateserial -days 2 -extfile " + leaf.name + ".ext -out " +
          leaf.name + ".pem && openssl x509 -in " + leaf.name + ".pem -outform DER -out " +
          leaf.name + ".der");
    }
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string File(const std::string& name) { return (*dir_ / name).string(); }

  TlsServerTest() {
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/peer",
                 .action = "peer.read",
                 .handler = [](const Request& r, Context&) -> Result<Response> {
                   return JsonResponse(200, "{\"cn\":\"" + CommonName(r.client_certificate) +
                                                "\",\"https\":" + (r.https ? "true" : "false") +
                                                "}");
                 }});
    RegisterBuiltinRoutes(router_, {});
  }

  ServerOptions Options() {
    ServerOptions o;
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 2;
    o.upload_dir = (work_.path() / "uploads").string();
    o.access_log_path = (work_.path() / "access.log").string();
    o.handle_signals = false;
    o.tls = TlsOptions{.port = 0,
                       .certificate_chain_file = File("server.pem"),
                       .private_key_file = File("server.key"),
                       .client_ca_file = File("ca.pem")};
    return o;
  }

  void Start(ServerOptions options) {
    server_ = std::make_unique<Server>(router_, guard_, std::move(options));
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en << " " << started.error().detail;
    ASSERT_NE(server_->tls_port(), 0);
    ASSERT_NE(server_->tls_port(), server_->port());
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    thread_.join();
  }

  std::string Https(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(server_->tls_port()) + path;
  }

  // GET over HTTPS, trusting the province's CA, presenting `client` ("" for none).
  Result<ClientResponse> Get(const std::string& path, const std::string& client = "",
                             const std::string& ca = "ca") {
    ClientRequest request{.url = Https(path), .ca_file = File(ca + ".pem")};
    if (!client.empty()) {
      request.client_cert_file = File(client + ".pem");
      request.client_key_file = File(client + ".key");
    }
    return Fetch(request);
  }

  // Still serving, on both listeners.
  void ExpectServing() {
    auto https = Get("/healthz");
    ASSERT_TRUE(https.ok()) << https.error().message_en << " " << https.error().detail;
    EXPECT_EQ(https->status, 200);
    test::Client plain(server_->port());
    EXPECT_EQ(plain.Call("GET", "/healthz").status, 200);
  }

  static fs::path* dir_;
  test::TempDir work_;
  Router router_;
  RecordingGuard guard_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};
fs::path* TlsServerTest::dir_ = nullptr;

TEST_F(TlsServerTest, AVerifiedClientCertificateReachesTheGuardAndTheHandler) {
  Start(Options());
  auto res = Get("/api/v1/peer", "client");
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"cn":"H55.19/motcua","https":true})");
  std::lock_guard lock(guard_.mu);
  EXPECT_EQ(guard_.certificate, ::tinhso::test::ReadFile(File("client.der")))
      << "the leaf's DER, as the client presented it";
  EXPECT_TRUE(guard_.https);
}

// Legacy clients authenticate with bearer tokens on the same port: no certificate is required.
TEST_F(TlsServerTest, AClientWithoutACertificateIsServedWithNone) {
  Start(Options());
  auto res = Get("/api/v1/peer");
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->body, R"({"cn":"","https":true})");
  std::lock_guard lock(guard_.mu);
  EXPECT_TRUE(guard_.certificate.empty());
}

TEST_F(TlsServerTest, PlainHttpIsNeitherHttpsNorCertified) {
  Start(Options());
  test::Client plain(server_->port());
  const test::Reply reply = plain.Call("GET", "/api/v1/peer");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"cn":"","https":false})");
}

TEST_F(TlsServerTest, ACertificateFromAnotherCaFailsTheHandshake) {
  Start(Options());
  auto res = Get("/api/v1/peer", "stranger");
  ASSERT_FALSE(res.ok()) << res->body;
  // TLS 1.3 refuses a client's certificate after the client has finished its side of the
  // handshake: the alert arrives where the response would, unless the connection's reset does
  // first. Either way nothing is served.
  EXPECT_TRUE(res.error().reason == "http.client_certificate_refused" ||
              res.error().reason == "http.client_unreachable")
      << res.error().reason << " " << res.error().detail;
  {
    std::lock_guard lock(guard_.mu);
    EXPECT_EQ(guard_.calls, 0) << "no request got through";
  }
  ExpectServing();
}

TEST_F(TlsServerTest, TheClientRefusesAServerItsCasDoNotVouchFor) {
  Start(Options());
  auto res = Get("/api/v1/peer", "client", "other-ca");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_untrusted_peer") << res.error().detail;
}

TEST_F(TlsServerTest, PlainHttpOnTheHttpsPortIsClosedAndTheServerKeepsServing) {
  Start(Options());
  test::Client confused(server_->tls_port());
  ASSERT_TRUE(confused.connected());
  confused.Send(test::RawRequest("GET", "/healthz"));
  const test::Reply reply = confused.Read();
  EXPECT_EQ(reply.status, 0) << "no HTTP answer: " << reply.body;
  ExpectServing();
}

TEST_F(TlsServerTest, ASilentConnectionIsClosedWithinTheFirstRequestTimeout) {
  ServerOptions o = Options();
  o.first_request_timeout = std::chrono::seconds(1);
  o.idle_timeout = std::chrono::seconds(600);
  Start(std::move(o));
  test::Client silent(server_->tls_port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.ClosedByServer()) << "a handshake that never starts";
}

// A connection still in its handshake holds its place: the next one from the address is
// refused (closed before any handshake) until it goes.
TEST_F(TlsServerTest, HttpsConnectionsCountInTheConnectionLimits) {
  ServerOptions o = Options();
  o.max_connections_per_ip = 1;
  Start(std::move(o));
  auto first = std::make_unique<test::Client>(server_->tls_port());
  ASSERT_TRUE(first->connected());
  auto refused = Get("/healthz");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().reason;
}

TEST_F(TlsServerTest, UnusableTlsFilesStopTheStartWithTheFileNamed) {
  ServerOptions o = Options();
  o.tls->private_key_file = File("client.key");  // another certificate's key
  Server mismatched(router_, guard_, std::move(o));
  auto started = mismatched.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().reason, "http.tls_config");
  EXPECT_NE(started.error().message_en.find("client.key"), std::string::npos)
      << started.error().message_en;
  ServerOptions missing = Options();
  missing.tls->client_ca_file = File("nothing.pem");
  Server without_ca(router_, guard_, std::move(missing));
  EXPECT_EQ(without_ca.Start().error().reason, "http.tls_config");
}

// The openssl tool as an outside client: TLS 1.2 is still served, 1.1 is not, and the server
// names the province's CA in its certificate request.
TEST_F(TlsServerTest, OpenSslSeesTheRequestForAClientCertificateAndTheVersionFloor) {
  Start(Options());
  const std::string connect =
      "openssl s_client -connect 127.0.0.1:" + std::to_string(server_->tls_port()) + " -CAfile " +
      File("ca.pem");
  const ::tinhso::test::ShellResult tls12 = ::tinhso::test::Shell(
      "printf 'GET /api/v1/peer HTTP/1.1\\r\\nHost: t\\r\\nConnection: close\\r\\n\\r\\n' | " +
      connect + " -tls1_2 -cert " + File("client.pem") + " -key " + File("client.key") +
      " -ign_eof");
  EXPECT_NE(tls12.out.find("Verify return code: 0 (ok)"), std::string::npos) << tls12.out;
  EXPECT_NE(tls12.out.find("Acceptable client certificate CA names"), std::string::npos)
      << tls12.out;
  EXPECT_NE(tls12.out.find(R"({"cn":"H55.19/motcua","https":true})"), std::string::npos)
      << tls12.out;
  EXPECT_NE(tls12.out.find("Protocol  : TLSv1.2"), std::string::npos) << tls12.out;
  // SECLEVEL=0: the tool itself would not offer TLS 1.1 otherwise; the server must refuse it.
  const ::tinhso::test::ShellResult tls11 =
      ::tinhso::test::Shell("printf '' | " + connect + " -tls1_1 -cipher DEFAULT@SECLEVEL=0");
  EXPECT_NE(tls11.exit_code, 0) << tls11.out;
  EXPECT_EQ(tls11.out.find("Cipher is ECDHE"), std::string::npos) << tls11.out;
  ExpectServing();
}

}  // namespace
}  // namespace tinhso::http
