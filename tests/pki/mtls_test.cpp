// Mutual TLS with the provincial PKI, as the data-integration gateway (issue 17) stands on it: a
// freshly initialised PKI issues the gateway's server certificate (a system certificate for
// 127.0.0.1) and a member system's client certificate, exports both with their keys, and an
// http::Server with the PKI's root as client CA serves http::Fetch and the openssl tool on
// loopback. The handler looks the presented certificate up in the PKI for each request, as the
// gateway does, so that a revocation takes effect at once although TLS keeps accepting it.
//
// The certificates are dated by the real clock: OpenSSL judges them by it in the handshake.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <thread>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "http/client.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::pki {
namespace {

using test::Shell;
using test::WriteFile;

class AdmitAll final : public http::Guard {
 public:
  Result<core::Actor> Admit(const http::Request&, const http::Route&) override {
    return core::Actor{};
  }
};

class MutualTlsTest : public test::BackendTest {
 protected:
  void SetUp() override {
    test::BackendTest::SetUp();
    Options o;
    o.master_key = NewMasterKey();
    o.master_key_loaded = true;
    pki_ = std::make_unique<Service>(db(), clock_, policy_, o);
    auto ca = pki_->Init({}, core::SystemActor());
    ASSERT_TRUE(ca.ok()) << ca.error().message_en << " " << ca.error().detail;
    ca_ = *ca;
    WriteFile(dir_ / "root.pem", ca_.root.Pem());
    // The client CAs as an operator takes them from GET /api/v1/pki/ca: the issuing CA too, so
    // that a client sending its own certificate alone (openssl s_client, many others) is
    // verified as well as one sending its chain (http::Fetch).
    WriteFile(dir_ / "client-cas.pem", ca_.root.Pem() + ca_.issuing.Pem());
    gateway_ = IssueSystem("H55/lgsp", "Văn phòng UBND tỉnh Thái Nguyên", {"127.0.0.1"});
    motcua_ = IssueSystem("H55.19/motcua", "Sở Tư pháp tỉnh Thái Nguyên", {});
    ExportPem(gateway_, "gateway.pem");
    ExportPem(motcua_, "motcua.pem");

    // The system asks the PKI for every request; 403 once its certificate is revoked.
    router_.Add(
        {.method = http::Method::kGet,
         .path = "/api/v1/gateway/whoami",
         .action = "gateway.call",
         .handler = [this](const http::Request& r, http::Context&) -> Result<http::Response> {
           if (r.client_certificate.empty()) {
             return http::JsonResponse(200, R"({"system":null})");
           }
           TINHSO_ASSIGN_OR_RETURN(auto known, pki_->FindByDer(r.client_certificate));
           if (!known || known->status != Status::kValid) {
             return MakeError(ErrorCode::kPermissionDenied, "gateway.certificate_revoked",
                              "Chứng thư số của hệ thống đã bị thu hồi.",
                              "The system's certificate is revoked.");
           }
           // The PKI's record names the system: nothing to parse here.
           return http::JsonResponse(
               200, boost::json::serialize(boost::json::object{{"system", known->subject}}));
         }});
    http::RegisterBuiltinRoutes(router_, {});
    http::ServerOptions so;
    so.port = 0;
    so.io_threads = 1;
    so.worker_threads = 1;
    so.write_threads = 1;
    so.upload_dir = (dir_ / "uploads").string();
    so.access_log_path = (dir_ / "access.log").string();
    so.handle_signals = false;
    so.tls = http::TlsOptions{.port = 0,
                              .certificate_chain_file = (dir_ / "gateway.pem").string(),
                              .private_key_file = (dir_ / "gateway.pem").string(),
                              .client_ca_file = (dir_ / "client-cas.pem").string()};
    server_ = std::make_unique<http::Server>(router_, guard_, std::move(so));
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en << " " << started.error().detail;
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      if (thread_.joinable()) thread_.join();
    }
    test::BackendTest::TearDown();
  }

  Certificate IssueSystem(const std::string& code, const std::string& agency,
                          std::vector<std::string> ips) {
    IssueInput in;
    in.kind = Kind::kSystem;
    in.subject.common_name = code;
    in.subject.organization = agency;
    in.ip_addresses = std::move(ips);
    auto c = pki_->Issue(in, core::SystemActor());
    EXPECT_TRUE(c.ok()) << c.error().message_en << " " << c.error().detail;
    return c.ok() ? *c : Certificate{};
  }

  // The operator's `tinhso pki export --format pem --no-password`: certificate, chain, key.
  void ExportPem(const Certificate& c, const std::string& file) {
    auto pem = pki_->Export(c.id, ExportFormat::kPem, "", core::SystemActor());
    ASSERT_TRUE(pem.ok()) << pem.error().message_en << " " << pem.error().detail;
    WriteFile(dir_ / file, *pem);
  }

  Result<http::ClientResponse> Call(const std::string& client_pem,
                                    const std::string& ca = "root.pem") {
    http::ClientRequest request{.url = "https://127.0.0.1:" + std::to_string(server_->tls_port()) +
                                       "/api/v1/gateway/whoami",
                                .ca_file = (dir_ / ca).string()};
    if (!client_pem.empty()) request.client_cert_file = (dir_ / client_pem).string();
    return http::Fetch(request);
  }

  core::SystemClock clock_;
  auth::Policy policy_;
  std::unique_ptr<Service> pki_;
  InitResult ca_;
  Certificate gateway_, motcua_;
  std::filesystem::path dir_ = test::TempDir();
  http::Router router_;
  AdmitAll guard_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_P(MutualTlsTest, ASystemCertificateIdentifiesItsSystemUntilItIsRevoked) {
  auto res = Call("motcua.pem");
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.starts_with(R"({"system":"CN=H55.19/motcua,O=Sở Tư pháp)")) << res->body;

  ASSERT_TRUE(pki_->Revoke(motcua_.id, RevocationReason::kKeyCompromise, core::SystemActor()).ok());
  auto revoked = Call("motcua.pem");
  ASSERT_TRUE(revoked.ok()) << "TLS does not look at revocation: " << revoked.error().message_en;
  EXPECT_EQ(revoked->status, 403) << revoked->body;
  EXPECT_NE(revoked->body.find("gateway.certificate_revoked"), std::string::npos) << revoked->body;
}

TEST_P(MutualTlsTest, AClientWithoutACertificateIsServedAnonymously) {
  auto res = Call("");
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->body, R"({"system":null})");
}

TEST_P(MutualTlsTest, CertificatesThePkiDidNotIssueForTlsClientsAreRefused) {
  // Another CA's certificate for the same code.
  const std::string d = dir_.string();
  const test::ShellResult made = Shell(
      "cd " + d +
      " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout o.key "
      "-out o.pem -days 2 -subj /CN=other-ca -addext basicConstraints=critical,CA:TRUE "
      "-addext keyUsage=critical,keyCertSign"
      " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout s.key -out "
      "s.csr -subj '/CN=H55.19\\/motcua' && printf 'extendedKeyUsage=clientAuth\\n' > s.ext"
      " && openssl x509 -req -in s.csr -CA o.pem -CAkey o.key -CAcreateserial -days 2 -extfile "
      "s.ext -out s.pem && cat s.key >> s.pem");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  // An organisation's signing certificate from our own PKI: right CA, wrong purpose.
  IssueInput seal;
  seal.kind = Kind::kOrganisation;
  seal.subject = {.common_name = "Sở Tư pháp", .organization = "Sở Tư pháp"};
  seal.agency_id = 19;
  auto organisation = pki_->Issue(seal, core::SystemActor());
  ASSERT_TRUE(organisation.ok());
  auto key = pki_->KeyForSigning(organisation->id, core::SystemActor());
  ASSERT_TRUE(key.ok());
  WriteFile(dir_ / "seal.der", key->private_key_der);
  WriteFile(dir_ / "seal.pem", organisation->Pem() + ca_.issuing.Pem());
  ASSERT_EQ(
      Shell("openssl pkey -inform DER -in " + d + "/seal.der >> " + d + "/seal.pem").exit_code, 0);

  for (const std::string file : {"s.pem", "seal.pem"}) {
    auto res = Call(file);
    ASSERT_FALSE(res.ok()) << file << ": " << res->body;
    EXPECT_TRUE(res.error().reason == "http.client_certificate_refused" ||
                res.error().reason == "http.client_unreachable")
        << file << ": " << res.error().reason << " " << res.error().detail;
  }
  auto still = Call("motcua.pem");
  ASSERT_TRUE(still.ok()) << still.error().message_en;
  EXPECT_EQ(still->status, 200);
}

TEST_P(MutualTlsTest, AClientThatDoesNotTrustTheProvinceRefusesTheGateway) {
  const test::ShellResult made =
      Shell("cd " + dir_.string() +
            " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "
            "e.key -out elsewhere.pem -days 2 -subj /CN=elsewhere");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  auto res = Call("motcua.pem", "elsewhere.pem");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().reason, "http.client_untrusted_peer") << res.error().detail;
}

TEST_P(MutualTlsTest, PlainHttpOnTheHttpsPortFailsAndTheServerKeepsServing) {
  auto plain = http::Fetch({.url = "http://127.0.0.1:" + std::to_string(server_->tls_port()) +
                                   "/api/v1/gateway/whoami"});
  ASSERT_FALSE(plain.ok()) << plain->status << " " << plain->body;
  EXPECT_EQ(plain.error().reason, "http.client_unreachable") << plain.error().detail;
  auto res = Call("motcua.pem");
  ASSERT_TRUE(res.ok()) << res.error().message_en;
  auto http_port =
      http::Fetch({.url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/healthz"});
  ASSERT_TRUE(http_port.ok());
  EXPECT_EQ(http_port->status, 200);
}

// What an agency's administrator would run to check their system's installation.
TEST_P(MutualTlsTest, OpenSslVerifiesTheGatewayAndIsServedWithTheSystemCertificate) {
  const std::string pem = (dir_ / "motcua.pem").string();
  const test::ShellResult r = Shell(
      "printf 'GET /api/v1/gateway/whoami HTTP/1.1\\r\\nHost: lgsp\\r\\nConnection: "
      "close\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:" +
      std::to_string(server_->tls_port()) + " -verify_ip 127.0.0.1 -cert " + pem + " -key " + pem +
      " -CAfile " + (dir_ / "root.pem").string() + " -ign_eof");
  EXPECT_NE(r.out.find("Verify return code: 0 (ok)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"({"system":"CN=H55.19/motcua,)"), std::string::npos) << r.out;
}

TINHSO_INSTANTIATE_BACKENDS(MutualTlsTest);

}  // namespace
}  // namespace tinhso::pki
