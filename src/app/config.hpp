// Server configuration: defaults, then a TOML file, then TINHSO_* environment variables, then
// command-line flags (applied by the caller) — each later source wins.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "feedback/feedback.hpp"
#include "nationaldb/nationaldb.hpp"
#include "notify/email.hpp"
#include "notify/notify.hpp"
#include "notify/sms.hpp"
#include "oidc/oidc.hpp"
#include "payment/payment.hpp"

namespace tinhso::app {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int io_threads = 2;
  // Handler threads. -1 (the default, i.e. the key left out) = automatic: one per core for
  // SQLite, whose reads are CPU-bound (more threads only add switching: 8 workers on 2 cores
  // served 21k authenticated reads/s where 2 served 30–40k), and 8 for PostgreSQL, whose
  // queries wait on the network. 0 runs handlers on the I/O threads.
  int worker_threads = -1;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1 << 20;
  std::uint64_t upload_limit = 100ull << 20;
  std::string upload_dir = "var/uploads";
  int read_timeout_seconds = 15;
  int idle_timeout_seconds = 60;
  int first_request_timeout_seconds = 10;  // a new connection's first request must start by then
  int max_connections = 10000;
  int max_connections_per_ip = 256;
  double rate_per_second = 50;
  double rate_burst = 200;
  std::string static_dir;  // empty: web/dist if built, else web/static
  std::string access_log;  // empty: standard output
  // Reverse proxies (exact IPs) whose X-Forwarded-For names the client and whose
  // X-Forwarded-Proto says whether it used HTTPS. TINHSO_TRUSTED_PROXIES: comma-separated.
  std::vector<std::string> trusted_proxies;
  // GET /metrics needs "Authorization: Bearer <metrics_token>"; empty: only clients on this
  // machine (loopback, not through a proxy). TINHSO_METRICS_TOKEN.
  std::string metrics_token;
  // HTTPS beside HTTP, on the same host (http::TlsOptions): tls_port 0 = none. The
  // certificate file holds the server's certificate and its CA chain, the key file its
  // unencrypted key (the same file may hold both: `tinhso pki export --format pem`); a client CA
  // file makes clients' certificates asked for and checked (mutual TLS, the data-integration
  // gateway), though not required.
  int tls_port = 0;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // [database]
  std::string database_url = "sqlite:var/tinhso.db";
  // [auth]
  bool cookie_secure = false;
  int cookie_hours = 12;
  int idle_minutes = 30;  // a cookie session unused this long ends
  int token_days = 30;
  // auth::AuthOptions::login_delay_cap and account_slowdown_after: failed sign-ins never lock
  // an account, they make the address that failed wait 1, 2, 4… seconds up to the cap.
  int login_delay_cap_seconds = 15 * 60;
  int account_slowdown_after = 100;
  // Origins besides the server's own (its Host header) whose pages may send changes; see
  // auth::AuthOptions::allowed_origins. TINHSO_ALLOWED_ORIGINS: comma-separated.
  std::vector<std::string> allowed_origins;
  // How long a "Quên mật khẩu" link works (auth::AuthOptions::password_reset_lifetime).
  int password_reset_minutes = 30;
  // [dossiers]
  // The public lookup page printed in the receipt's QR code ("<url>?ma=<code>&k=<secret>");
  // when not set, public_base_url + "/tra-cuu", so that one setting (which `make run` takes from
  // the address it serves) makes the printed code lead back to this server.
  std::string lookup_base_url;
  std::int64_t max_file_mb = 10;  // per file of a dossier
  // [payment]: the national payment platform (domain.md §7.2); empty URLs = not connected.
  payment::GatewayConfig payment;
  // Pending payments older than the payment TTL are settled with a QUERY this often (0 = never;
  // `tinhso payment reconcile` does one run by hand).
  std::int64_t reconcile_minutes = 10;
  // [pki]: the 32-byte key that seals private keys, kept out of the database and its backups.
  std::string pki_master_key_file = "var/pki-master.key";
  std::string pki_master_key;  // base64; TINHSO_PKI_MASTER_KEY (wins over the file)
  // Public address of this server, written into certificates (CRL distribution points) and,
  // unless lookup_base_url says otherwise, into receipts' QR codes. TINHSO_PUBLIC_BASE_URL.
  std::string public_base_url = "http://127.0.0.1:8080";
  // [signing]: an external RFC 3161 time-stamping service; empty = the built-in one.
  std::string tsa_url;
  // [audit]: checkpoints of the audit chain's head (audit::Checkpoints), in a directory the
  // database's writers cannot rewrite; the server writes one this often when the head moved
  // (0 = never; `tinhso audit checkpoint` writes one by hand), signed with this certificate
  // (0 = the newest organisation certificate of the province, the root of the agency tree).
  std::string checkpoint_dir = "var/audit-checkpoints";
  std::int64_t checkpoint_interval_minutes = 5;
  std::int64_t checkpoint_certificate = 0;
  // [gateway]: the provincial data-integration gateway (src/gateway). Its message log is signed
  // with `signing_certificate` (0 = the audit checkpoints' certificate) and time-stamped every
  // `stamp_interval_seconds`; when time-stamping fails for `stamping_grace_minutes`, calls stop.
  // Bodies are kept sealed (under the PKI's master key) for `body_retention_days`, then only
  // their hashes.
  std::int64_t gateway_signing_certificate = 0;
  // The one-stop system's subsystem at the gateway; "" = "<the province's agency code>/motcua".
  std::string gateway_one_stop_subsystem;
  std::int64_t gateway_stamp_interval_seconds = 60;
  std::int64_t gateway_stamping_grace_minutes = 240;
  std::int64_t gateway_body_retention_days = 30;
  // Alerts on an upstream (gateway::AlertOptions): over the last `alert_window_seconds`, with at
  // least `alert_min_calls` calls, an error ratio above `alert_error_ratio` or a 95th-percentile
  // duration above `alert_p95_ms`.
  std::int64_t gateway_alert_window_seconds = 300;
  std::int64_t gateway_alert_min_calls = 20;
  double gateway_alert_error_ratio = 0.2;
  std::int64_t gateway_alert_p95_ms = 3000;
  // The message log is archived every `archive_interval_minutes` (0 = never; `tinhso gateway log
  // archive` does it by hand) to signed files in `archive_dir`, a directory the database's
  // writers cannot rewrite ("" = no archives); archived records leave the database
  // `log_retention_days` after they were written (0 = never).
  std::string gateway_archive_dir = "var/gateway-archives";
  std::int64_t gateway_archive_interval_minutes = 60;
  std::int64_t gateway_log_retention_days = 180;
  // [notify]: notifications (src/notify). E-mail over SMTP when smtp_host is set, SMS through
  // the gateway when sms_url is set; otherwise that channel's messages wait in the outbox.
  // Secrets from the environment win: TINHSO_SMTP_PASSWORD, TINHSO_SMS_API_KEY,
  // TINHSO_NOTIFY_RECEIPT_SECRET. dkim_key_file (PEM) is read into smtp.dkim_private_key_pem.
  notify::SmtpConfig smtp = [] {
    notify::SmtpConfig c;
    c.host.clear();
    c.port = 587;
    return c;
  }();
  std::string dkim_key_file;
  notify::SmsGatewayConfig sms;
  // Signs the receipts gateways post to /api/v1/notification-receipts/… (notify::
  // ReceiptSignature); empty: receipts are refused.
  std::string receipt_secret;
  // daily_cap, sms_price_per_segment (đồng), sms_unaccented.
  notify::OutboxOptions outbox;
  std::int64_t deliver_interval_seconds = 10;  // the outbox is delivered this often
  // Officers hear of new work in their queue and of dossiers due within this many working days
  // (0 = no such notices), from a scan this often.
  std::int64_t due_soon_working_days = 2;
  std::int64_t officer_scan_minutes = 5;
  // [nationaldb]: the national databases the gateway proxies to (src/nationaldb): each
  // service's base URL by its code (population_url → csdldancu, civil_registration_url → hotich,
  // judicial_records_url → lltp, categories_url → dmdc; empty: not connected), the LGSP's bearer
  // token (TINHSO_NATIONALDB_TOKEN), timeout_seconds per call. service_code is the province's
  // MaDichVu at the population database.
  nationaldb::DirectTransport::Options nationaldb;
  std::string nationaldb_service_code = "TINHSO";
  // [nationaldb] civil_registration = ["1.001193=KS", …]: the procedures that are civil
  // registration (hộ tịch), by code, and their kind: KS birth, KH marriage, KT death. Their
  // dossiers go to the civil registry when accepted (through the outbox and the gateway), and
  // its progress is polled per dossier every civil_poll_minutes, civil_poll_batch a run at
  // most. The defaults are the national catalog's codes in data/catalog.
  std::map<std::string, std::string, std::less<>> civil_registration_procedures = {
      {"1.001193", "KS"},  // đăng ký khai sinh
      {"1.000689", "KS"},  // khai sinh kết hợp nhận cha, mẹ, con
      {"3.000722", "KS"},  // liên thông khai sinh, thường trú, thẻ BHYT
      {"1.000894", "KH"},  // đăng ký kết hôn
      {"1.000656", "KT"},  // đăng ký khai tử
      {"2.002913", "KT"},  // liên thông khai tử, xóa thường trú, mai táng phí
  };
  std::int64_t civil_poll_minutes = 10;
  std::int64_t civil_poll_batch = 50;
  // [paths]
  std::string data_dir = "data";  // demo data, catalog files
  // [[oidc.providers]]: OpenID Connect providers one may sign in with (VNeID for citizens and
  // businesses, a provincial identity provider for officers); see tinhso.example.toml.
  // redirect_base_url defaults to [pki] public_base_url.
  std::vector<oidc::ProviderConfig> oidc_providers;
  // [site]: the portal's official identity (header, footer) and the ways to pay besides the
  // online platform; the defaults are the demo province's.
  feedback::SiteInfo site;
};

// Reads `path` (if not empty) and the environment. Errors: kInvalidArgument naming the file,
// the key and what was expected.
Result<Config> LoadConfig(const std::string& path);

// Splits "HOST:PORT" / "[::1]:PORT". Errors: kInvalidArgument.
Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen);

}  // namespace tinhso::app
