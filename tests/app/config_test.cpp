#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace tinhso::app {
namespace {

std::string WriteFile(const std::string& text) {
  const std::string path = (test::TempDir() / "tinhso.toml").string();
  std::ofstream(path) << text;
  return path;
}

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    unsetenv("TINHSO_LISTEN");
    unsetenv("TINHSO_WORKER_THREADS");
    unsetenv("TINHSO_ALLOWED_ORIGINS");
    unsetenv("TINHSO_TRUSTED_PROXIES");
    unsetenv("TINHSO_METRICS_TOKEN");
    unsetenv("TINHSO_PUBLIC_BASE_URL");
    unsetenv("TINHSO_SMTP_PASSWORD");
    unsetenv("TINHSO_NOTIFY_RECEIPT_SECRET");
    unsetenv("TINHSO_NATIONALDB_TOKEN");
  }
};

TEST_F(ConfigTest, DefaultsWithoutAFile) {
  auto c = LoadConfig("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->database_url, "sqlite:var/tinhso.db");
  EXPECT_EQ(c->checkpoint_dir, "var/audit-checkpoints");
  EXPECT_EQ(c->checkpoint_interval_minutes, 5);
}

// The receipt's QR code leads to the server's own lookup page wherever it is served (`make run`
// sets TINHSO_PUBLIC_BASE_URL from the address it listens on), unless configured apart.
TEST_F(ConfigTest, TheLookupAddressFollowsThePublicAddress) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->lookup_base_url, "http://127.0.0.1:8080/tra-cuu");
  setenv("TINHSO_PUBLIC_BASE_URL", "http://192.168.1.20:9000/", 1);
  auto served = LoadConfig("");
  ASSERT_TRUE(served.ok());
  EXPECT_EQ(served->lookup_base_url, "http://192.168.1.20:9000/tra-cuu");
  EXPECT_EQ(served->public_base_url, "http://192.168.1.20:9000/");
  auto apart = LoadConfig(WriteFile(R"(
[dossiers]
lookup_base_url = "https://dichvucong.example.gov.vn/tra-cuu"
)"));
  ASSERT_TRUE(apart.ok()) << apart.error().message_en;
  EXPECT_EQ(apart->lookup_base_url, "https://dichvucong.example.gov.vn/tra-cuu");
}

TEST_F(ConfigTest, AuditCheckpoints) {
  auto c = LoadConfig(WriteFile(R"(
[audit]
checkpoint_dir = "/srv/tinhso/neo"
checkpoint_interval_minutes = 15
checkpoint_certificate = 4
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->checkpoint_dir, "/srv/tinhso/neo");
  EXPECT_EQ(c->checkpoint_interval_minutes, 15);
  EXPECT_EQ(c->checkpoint_certificate, 4);
}

TEST_F(ConfigTest, GatewayLogArchives) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->gateway_archive_dir, "var/gateway-archives");
  EXPECT_EQ(defaults->gateway_archive_interval_minutes, 60);
  EXPECT_EQ(defaults->gateway_log_retention_days, 180);
  auto c = LoadConfig(WriteFile(R"(
[gateway]
archive_dir = "/srv/tinhso/lgsp-luu-tru"
archive_interval_minutes = 15
log_retention_days = 0
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->gateway_archive_dir, "/srv/tinhso/lgsp-luu-tru");
  EXPECT_EQ(c->gateway_archive_interval_minutes, 15);
  EXPECT_EQ(c->gateway_log_retention_days, 0);
  auto negative = LoadConfig(WriteFile("[gateway]\nlog_retention_days = -1\n"));
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message_en.find("log_retention_days"), std::string::npos)
      << negative.error().message_en;
}

TEST_F(ConfigTest, GatewayAlerts) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->gateway_alert_window_seconds, 300);
  EXPECT_EQ(defaults->gateway_alert_min_calls, 20);
  EXPECT_DOUBLE_EQ(defaults->gateway_alert_error_ratio, 0.2);
  EXPECT_EQ(defaults->gateway_alert_p95_ms, 3000);
  auto c = LoadConfig(WriteFile(R"(
[gateway]
alert_window_seconds = 600
alert_min_calls = 50
alert_error_ratio = 0.05
alert_p95_ms = 1500
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->gateway_alert_window_seconds, 600);
  EXPECT_EQ(c->gateway_alert_min_calls, 50);
  EXPECT_DOUBLE_EQ(c->gateway_alert_error_ratio, 0.05);
  EXPECT_EQ(c->gateway_alert_p95_ms, 1500);
  for (const char* bad : {"alert_error_ratio = 1.5", "alert_error_ratio = 0.0",
                          "alert_window_seconds = 5", "alert_p95_ms = 0"}) {
    auto refused = LoadConfig(WriteFile(std::string("[gateway]\n") + bad + "\n"));
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message_en.find("alert_"), std::string::npos)
        << refused.error().message_en;
  }
}

TEST_F(ConfigTest, OidcProviders) {
  auto c = LoadConfig(WriteFile(R"(
[pki]
public_base_url = "https://dichvucong.example.gov.vn"

[[oidc.providers]]
id = "vneid"
name_vi = "VNeID"
name_en = "VNeID"
issuer = "https://sso.example.gov.vn"
client_id = "tinh"
client_secret = "bi-mat"
token_auth_method = "client_secret_post"
clock_skew_seconds = 30
allowed_algorithms = ["RS256"]
[oidc.providers.claims]
identity_number = "cccd"

[[oidc.providers]]
id = "idp-tinh"
name_vi = "Cán bộ"
name_en = "Officers"
issuer = "http://127.0.0.1:9000/realms/tinh"
client_id = "tinhso"
client_secret = "x"
accounts = "officers"
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  ASSERT_EQ(c->oidc_providers.size(), 2u);
  const auto& vneid = c->oidc_providers[0];
  EXPECT_EQ(vneid.token_auth_method, oidc::TokenAuthMethod::kClientSecretPost);
  EXPECT_EQ(vneid.clock_skew, std::chrono::seconds(30));
  EXPECT_EQ(vneid.allowed_algorithms, std::vector<std::string>{"RS256"});
  EXPECT_EQ(vneid.claims.identity_number, "cccd");
  EXPECT_EQ(vneid.claims.full_name, "HoVaTen");
  EXPECT_EQ(vneid.redirect_base_url, "https://dichvucong.example.gov.vn");
  EXPECT_EQ(vneid.accounts, oidc::AccountKind::kCitizens);
  EXPECT_EQ(c->oidc_providers[1].accounts, oidc::AccountKind::kOfficers);

  // A provider over plain HTTP elsewhere than loopback is refused when the file is read.
  auto plain = LoadConfig(WriteFile(R"(
[[oidc.providers]]
id = "vneid"
name_vi = "VNeID"
name_en = "VNeID"
issuer = "http://sso.example.gov.vn"
client_id = "tinh"
client_secret = "bi-mat"
)"));
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().reason, "oidc.config_invalid");
}

TEST_F(ConfigTest, FileThenEnvironment) {
  const std::string path = WriteFile(R"(
[server]
listen = "0.0.0.0:9000"
worker_threads = 4
rate_per_second = 12.5
[database]
url = "postgresql://tinhso@127.0.0.1/tinhso"
[auth]
cookie_secure = true
)");
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->worker_threads, 4);
  EXPECT_DOUBLE_EQ(c->rate_per_second, 12.5);
  EXPECT_EQ(c->database_url, "postgresql://tinhso@127.0.0.1/tinhso");
  EXPECT_TRUE(c->cookie_secure);
  setenv("TINHSO_LISTEN", "127.0.0.1:7000", 1);
  setenv("TINHSO_WORKER_THREADS", "3", 1);
  auto overridden = LoadConfig(path);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->listen, "127.0.0.1:7000") << "the environment wins over the file";
  EXPECT_EQ(overridden->worker_threads, 3);
}

TEST_F(ConfigTest, AllowedOriginsAreAListOfStrings) {
  auto c = LoadConfig(WriteFile(R"(
[auth]
allowed_origins = ["https://dichvucong.example.gov.vn", "https://mot-cua.example.gov.vn"]
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->allowed_origins, (std::vector<std::string>{"https://dichvucong.example.gov.vn",
                                                          "https://mot-cua.example.gov.vn"}));
  setenv("TINHSO_ALLOWED_ORIGINS", " https://a.example , https://b.example", 1);
  auto env = LoadConfig("");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->allowed_origins,
            (std::vector<std::string>{"https://a.example", "https://b.example"}));
  auto wrong = LoadConfig(WriteFile("[auth]\nallowed_origins = [\"https://a.example\", 3]\n"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message_en.find("allowed_origins"), std::string::npos);
}

// Issue 15: the proxy in front, the operators' metrics token and the sessions' idle time are
// set from the file and the environment.
TEST_F(ConfigTest, ProxiesMetricsTokenAndIdleTime) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->trusted_proxies.empty());
  EXPECT_EQ(defaults->metrics_token, "");
  EXPECT_EQ(defaults->idle_minutes, 30);
  const std::string path = WriteFile(R"(
[server]
trusted_proxies = ["127.0.0.1", "10.0.0.5"]
metrics_token = "tu-tep"
[auth]
idle_minutes = 20
)");
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.5"}));
  EXPECT_EQ(c->metrics_token, "tu-tep");
  EXPECT_EQ(c->idle_minutes, 20);
  setenv("TINHSO_TRUSTED_PROXIES", "10.0.0.7, 10.0.0.8", 1);
  setenv("TINHSO_METRICS_TOKEN", "tu-moi-truong", 1);
  auto overridden = LoadConfig(path);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->trusted_proxies, (std::vector<std::string>{"10.0.0.7", "10.0.0.8"}));
  EXPECT_EQ(overridden->metrics_token, "tu-moi-truong");
}

// Issue 17: HTTPS beside HTTP, with the client CAs of mutual TLS; off unless a port is given,
// and a port without its certificate and key is refused at startup, not at the first client.
TEST_F(ConfigTest, HttpsListener) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->tls_port, 0);
  auto c = LoadConfig(WriteFile(R"(
[server]
tls_port = 8443
tls_cert_file = "/etc/tinhso/lgsp.pem"
tls_key_file = "/etc/tinhso/lgsp.key"
tls_client_ca_file = "/etc/tinhso/ca.pem"
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->tls_port, 8443);
  EXPECT_EQ(c->tls_cert_file, "/etc/tinhso/lgsp.pem");
  EXPECT_EQ(c->tls_key_file, "/etc/tinhso/lgsp.key");
  EXPECT_EQ(c->tls_client_ca_file, "/etc/tinhso/ca.pem");
  auto keyless = LoadConfig(WriteFile("[server]\ntls_port = 8443\ntls_cert_file = \"a.pem\"\n"));
  ASSERT_FALSE(keyless.ok());
  EXPECT_NE(keyless.error().message_en.find("tls_key_file"), std::string::npos)
      << keyless.error().message_en;
  auto too_big = LoadConfig(WriteFile(
      "[server]\ntls_port = 70000\ntls_cert_file = \"a.pem\"\ntls_key_file = \"a.pem\"\n"));
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message_en.find("tls_port"), std::string::npos);
}

TEST_F(ConfigTest, ErrorsNameTheFileAndKey) {
  auto wrong_type = LoadConfig(WriteFile("[server]\nio_threads = \"hai\"\n"));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong_type.error().message_en.find("io_threads"), std::string::npos);
  EXPECT_NE(wrong_type.error().message_vi.find("io_threads"), std::string::npos);

  auto syntax = LoadConfig(WriteFile("[server\nlisten = 1\n"));
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message_en.find("tinhso.toml:1"), std::string::npos)
      << syntax.error().message_en;

  auto zero_threads = LoadConfig(WriteFile("[server]\nio_threads = 0\n"));
  EXPECT_FALSE(zero_threads.ok());

  setenv("TINHSO_WORKER_THREADS", "nhieu", 1);
  auto bad_env = LoadConfig("");
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.error().message_en.find("TINHSO_WORKER_THREADS"), std::string::npos);
}

TEST_F(ConfigTest, Notifications) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->smtp.host.empty()) << "no SMTP server unless one is named";
  EXPECT_TRUE(defaults->sms.url.empty());
  EXPECT_EQ(defaults->outbox.daily_cap, 20);
  EXPECT_EQ(defaults->deliver_interval_seconds, 10);

  const std::string key = (test::TempDir() / "dkim.pem").string();
  std::ofstream(key) << "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n";
  setenv("TINHSO_SMTP_PASSWORD", "mat-khau-tu-moi-truong", 1);
  setenv("TINHSO_NOTIFY_RECEIPT_SECRET", "bi-mat", 1);
  auto c = LoadConfig(WriteFile(R"([notify]
smtp_host = "smtp.thainguyen.gov.vn"
smtp_port = 587
smtp_starttls = true
smtp_username = "thongbao"
smtp_password = "trong-tep"
from_address = "thongbao@thainguyen.gov.vn"
from_name = "Cổng dịch vụ công tỉnh Thái Nguyên"
dkim_domain = "thainguyen.gov.vn"
dkim_selector = "tinhso2026"
dkim_key_file = ")" + key + R"("
sms_url = "https://sms.example.vn/api/send"
sms_api_key = "khoa-sms"
sms_brandname = "TNGUYEN"
daily_cap = 5
sms_price_per_segment = 450
sms_unaccented = true
deliver_interval_seconds = 30
due_soon_working_days = 3
officer_scan_minutes = 10
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->smtp.host, "smtp.thainguyen.gov.vn");
  EXPECT_EQ(c->smtp.port, 587);
  EXPECT_TRUE(c->smtp.starttls);
  EXPECT_EQ(c->smtp.username, "thongbao");
  EXPECT_EQ(c->smtp.password, "mat-khau-tu-moi-truong") << "the environment wins";
  EXPECT_EQ(c->smtp.from_name, "Cổng dịch vụ công tỉnh Thái Nguyên");
  EXPECT_EQ(c->smtp.dkim_selector, "tinhso2026");
  EXPECT_NE(c->smtp.dkim_private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(c->sms.url, "https://sms.example.vn/api/send");
  EXPECT_EQ(c->sms.brandname, "TNGUYEN");
  EXPECT_EQ(c->receipt_secret, "bi-mat");
  EXPECT_EQ(c->outbox.daily_cap, 5);
  EXPECT_EQ(c->outbox.sms_cost_per_segment, 450);
  EXPECT_TRUE(c->outbox.sms_unaccented);
  EXPECT_EQ(c->deliver_interval_seconds, 30);
  EXPECT_EQ(c->due_soon_working_days, 3);
  EXPECT_EQ(c->officer_scan_minutes, 10);

  // DKIM needs its three settings; a port out of range and a wrong type name the key.
  auto half = LoadConfig(WriteFile("[notify]\nsmtp_host = \"h\"\ndkim_domain = \"d\"\n"));
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message_en.find("dkim"), std::string::npos);
  auto port = LoadConfig(WriteFile("[notify]\nsmtp_host = \"h\"\nsmtp_port = 70000\n"));
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().message_en.find("smtp_port"), std::string::npos);
  auto type = LoadConfig(WriteFile("[notify]\nsms_unaccented = \"yes\"\n"));
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message_en.find("sms_unaccented"), std::string::npos);
  auto missing =
      LoadConfig(WriteFile("[notify]\nsmtp_host = \"h\"\ndkim_domain = \"d\"\n"
                           "dkim_selector = \"s\"\ndkim_key_file = \"/khong/co\"\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message_en.find("/khong/co"), std::string::npos);
}

// [nationaldb]: each service's upstream address by its service code, the LGSP token (the
// environment wins), the timeout.
TEST_F(ConfigTest, NationalDatabases) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->nationaldb.base_urls.empty()) << "nothing connected unless named";
  EXPECT_EQ(defaults->nationaldb.timeout, std::chrono::seconds(10));
  setenv("TINHSO_NATIONALDB_TOKEN", "token-tu-moi-truong", 1);
  auto c = LoadConfig(WriteFile(R"([nationaldb]
population_url = "https://lgsp.thainguyen.gov.vn/csdldancu"
civil_registration_url = "https://lgsp.thainguyen.gov.vn/hotich"
judicial_records_url = "https://lgsp.thainguyen.gov.vn/lltp"
categories_url = "https://ngsp.gov.vn"
token = "trong-tep"
service_code = "H55-DVC"
timeout_seconds = 20
)"));
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->nationaldb.base_urls.at("csdldancu"), "https://lgsp.thainguyen.gov.vn/csdldancu");
  EXPECT_EQ(c->nationaldb.base_urls.at("hotich"), "https://lgsp.thainguyen.gov.vn/hotich");
  EXPECT_EQ(c->nationaldb.base_urls.at("lltp"), "https://lgsp.thainguyen.gov.vn/lltp");
  EXPECT_EQ(c->nationaldb.base_urls.at("dmdc"), "https://ngsp.gov.vn");
  EXPECT_EQ(c->nationaldb.token, "token-tu-moi-truong") << "the environment wins";
  EXPECT_EQ(c->nationaldb_service_code, "H55-DVC");
  EXPECT_EQ(c->nationaldb.timeout, std::chrono::seconds(20));
  // The civil registration procedures: the catalog's codes by default, or the file's list.
  EXPECT_EQ(c->civil_registration_procedures.at("1.001193"), "KS");
  auto civil = LoadConfig(
      WriteFile("[nationaldb]\ncivil_registration = [\"9.000001=KH\"]\ncivil_poll_minutes = 3\n"));
  ASSERT_TRUE(civil.ok()) << civil.error().message_en;
  EXPECT_EQ(civil->civil_registration_procedures,
            (std::map<std::string, std::string, std::less<>>{{"9.000001", "KH"}}));
  EXPECT_EQ(civil->civil_poll_minutes, 3);
  auto bad = LoadConfig(WriteFile("[nationaldb]\ncivil_registration = [\"1.001193=XX\"]\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en.find("civil_registration"), std::string::npos);
  auto zero = LoadConfig(WriteFile("[nationaldb]\ntimeout_seconds = 0\n"));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message_en.find("timeout_seconds"), std::string::npos);
}

// The sample configuration the README points to loads as it is, [notify] included.
TEST_F(ConfigTest, TheExampleConfigurationLoads) {
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  auto c = LoadConfig(std::string(source) + "/tinhso.example.toml");
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_EQ(c->smtp.port, 587);
  EXPECT_EQ(c->due_soon_working_days, 2);
}

TEST_F(ConfigTest, SplitListen) {
  auto v4 = SplitListen("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->first, "127.0.0.1");
  EXPECT_EQ(v4->second, 8080);
  auto v6 = SplitListen("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_FALSE(SplitListen("8080").ok());
  EXPECT_FALSE(SplitListen("127.0.0.1:70000").ok());
  EXPECT_FALSE(SplitListen("127.0.0.1:http").ok());
}

}  // namespace
}  // namespace tinhso::app
