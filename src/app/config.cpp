#include "app/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "core/parse.hpp"

namespace tinhso::app {
namespace {

Error ConfigError(const std::string& where, const std::string& what_vi,
                  const std::string& what_en) {
  return MakeError(ErrorCode::kInvalidArgument, "config.invalid",
                   "Cấu hình không hợp lệ (" + where + "): " + what_vi,
                   "Invalid configuration (" + where + "): " + what_en);
}

template <typename T>
Result<void> Read(const toml::table& t, std::string_view section, std::string_view key, T& out,
                  const std::string& file) {
  const toml::node* node = t.at_path(std::string(section) + "." + std::string(key)).node();
  if (node == nullptr) return Ok();
  const std::string where = file + ": [" + std::string(section) + "] " + std::string(key);
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node->value<std::string>()) {
      out = *v;
      return Ok();
    }
    return ConfigError(where, "cần một chuỗi.", "expected a string.");
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    const toml::array* array = node->as_array();
    std::vector<std::string> values;
    if (array != nullptr) {
      for (const toml::node& item : *array) {
        auto v = item.value<std::string>();
        if (!v) break;
        values.push_back(*v);
      }
    }
    if (array == nullptr || values.size() != array->size()) {
      return ConfigError(where, "cần một danh sách chuỗi.", "expected a list of strings.");
    }
    out = std::move(values);
    return Ok();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node->value<bool>()) {
      out = *v;
      return Ok();
    }
    return ConfigError(where, "cần true hoặc false.", "expected true or false.");
  } else if constexpr (std::is_floating_point_v<T>) {
    if (auto v = node->value<double>()) {
      out = *v;
      return Ok();
    }
    return ConfigError(where, "cần một số.", "expected a number.");
  } else {
    if (auto v = node->value<std::int64_t>(); v && *v >= 0) {
      out = static_cast<T>(*v);
      return Ok();
    }
    return ConfigError(where, "cần một số nguyên không âm.", "expected a non-negative integer.");
  }
}

template <typename T>
Result<void> Env(const char* name, T& out) {
  const char* raw = std::getenv(name);
  if (raw == nullptr || *raw == '\0') return Ok();
  const std::string v = raw;
  if constexpr (std::is_same_v<T, std::string>) {
    out = v;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    // Comma-separated.
    out.clear();
    std::string_view rest = v;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.emplace_back(item);
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    if (v != "true" && v != "false" && v != "1" && v != "0") {
      return ConfigError(name, "cần true hoặc false.", "expected true or false.");
    }
    out = v == "true" || v == "1";
  } else if constexpr (std::is_floating_point_v<T>) {
    char* end = nullptr;
    out = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0')
      return ConfigError(name, "cần một số.", "expected a number.");
  } else {
    auto n = core::ParseInt64(v);
    if (!n || *n < 0) {
      return ConfigError(name, "cần một số nguyên không âm.", "expected a non-negative integer.");
    }
    out = static_cast<T>(*n);
  }
  return Ok();
}

// One [[oidc.providers]] table, the `index`-th.
Result<oidc::ProviderConfig> ReadProvider(const toml::table& provider, std::size_t index,
                                          const std::string& file,
                                          const std::string& public_base_url) {
  // Read() takes a section: the provider's table under a name of its own.
  const std::string section = "oidc.providers[" + std::to_string(index) + "]";
  toml::table t;
  t.insert("p", provider);
  auto read = [&](std::string_view key, auto& out) -> Result<void> {
    auto done = Read(t, "p", key, out, file);
    if (!done.ok()) {
      return ConfigError(file + ": [[" + section + "]] " + std::string(key),
                         "giá trị không hợp lệ.", "invalid value.");
    }
    return Ok();
  };
  oidc::ProviderConfig c;
  c.redirect_base_url = public_base_url;
  std::string method = "client_secret_basic";
  std::string accounts = "citizens";
  std::int64_t skew = c.clock_skew.count();
  TINHSO_RETURN_IF_ERROR(read("id", c.id));
  TINHSO_RETURN_IF_ERROR(read("name_vi", c.name_vi));
  TINHSO_RETURN_IF_ERROR(read("name_en", c.name_en));
  TINHSO_RETURN_IF_ERROR(read("issuer", c.issuer));
  TINHSO_RETURN_IF_ERROR(read("client_id", c.client_id));
  TINHSO_RETURN_IF_ERROR(read("client_secret", c.client_secret));
  TINHSO_RETURN_IF_ERROR(read("private_key_file", c.private_key_file));
  TINHSO_RETURN_IF_ERROR(read("token_auth_method", method));
  TINHSO_RETURN_IF_ERROR(read("scopes", c.scopes));
  TINHSO_RETURN_IF_ERROR(read("redirect_base_url", c.redirect_base_url));
  TINHSO_RETURN_IF_ERROR(read("post_logout_redirect_uri", c.post_logout_redirect_uri));
  TINHSO_RETURN_IF_ERROR(read("clock_skew_seconds", skew));
  TINHSO_RETURN_IF_ERROR(read("allowed_algorithms", c.allowed_algorithms));
  TINHSO_RETURN_IF_ERROR(read("accounts", accounts));
  TINHSO_RETURN_IF_ERROR(read("claims.identity_number", c.claims.identity_number));
  TINHSO_RETURN_IF_ERROR(read("claims.full_name", c.claims.full_name));
  TINHSO_RETURN_IF_ERROR(read("claims.birth_date", c.claims.birth_date));
  TINHSO_RETURN_IF_ERROR(read("claims.account_type", c.claims.account_type));
  TINHSO_RETURN_IF_ERROR(read("claims.tech_id", c.claims.tech_id));
  TINHSO_RETURN_IF_ERROR(read("claims.tax_code", c.claims.tax_code));
  TINHSO_RETURN_IF_ERROR(read("claims.business_name", c.claims.business_name));
  TINHSO_RETURN_IF_ERROR(read("claims.officer_login", c.claims.officer_login));
  c.clock_skew = std::chrono::seconds(skew);
  if (method == "client_secret_basic") {
    c.token_auth_method = oidc::TokenAuthMethod::kClientSecretBasic;
  } else if (method == "client_secret_post") {
    c.token_auth_method = oidc::TokenAuthMethod::kClientSecretPost;
  } else if (method == "private_key_jwt") {
    c.token_auth_method = oidc::TokenAuthMethod::kPrivateKeyJwt;
  } else {
    return ConfigError(file + ": [[" + section + "]] token_auth_method",
                       "cần client_secret_basic, client_secret_post hoặc private_key_jwt.",
                       "expected client_secret_basic, client_secret_post or private_key_jwt.");
  }
  if (accounts != "citizens" && accounts != "officers") {
    return ConfigError(file + ": [[" + section + "]] accounts", "cần citizens hoặc officers.",
                       "expected citizens or officers.");
  }
  c.accounts = accounts == "officers" ? oidc::AccountKind::kOfficers : oidc::AccountKind::kCitizens;
  return c;
}

Result<void> ReadNotify(const toml::table& t, Config& c, const std::string& path) {
  const auto read = [&](std::string_view key, auto& out) {
    return Read(t, "notify", key, out, path);
  };
  TINHSO_RETURN_IF_ERROR(read("smtp_host", c.smtp.host));
  TINHSO_RETURN_IF_ERROR(read("smtp_port", c.smtp.port));
  TINHSO_RETURN_IF_ERROR(read("smtp_starttls", c.smtp.starttls));
  TINHSO_RETURN_IF_ERROR(read("smtp_ca_file", c.smtp.ca_file));
  TINHSO_RETURN_IF_ERROR(read("smtp_username", c.smtp.username));
  TINHSO_RETURN_IF_ERROR(read("smtp_password", c.smtp.password));
  TINHSO_RETURN_IF_ERROR(read("from_address", c.smtp.from_address));
  TINHSO_RETURN_IF_ERROR(read("from_name", c.smtp.from_name));
  TINHSO_RETURN_IF_ERROR(read("helo_name", c.smtp.helo_name));
  TINHSO_RETURN_IF_ERROR(read("message_id_host", c.smtp.message_id_host));
  TINHSO_RETURN_IF_ERROR(read("dkim_domain", c.smtp.dkim_domain));
  TINHSO_RETURN_IF_ERROR(read("dkim_selector", c.smtp.dkim_selector));
  TINHSO_RETURN_IF_ERROR(read("dkim_key_file", c.dkim_key_file));
  TINHSO_RETURN_IF_ERROR(read("sms_url", c.sms.url));
  TINHSO_RETURN_IF_ERROR(read("sms_api_key", c.sms.api_key));
  TINHSO_RETURN_IF_ERROR(read("sms_brandname", c.sms.brandname));
  TINHSO_RETURN_IF_ERROR(read("receipt_secret", c.receipt_secret));
  TINHSO_RETURN_IF_ERROR(read("daily_cap", c.outbox.daily_cap));
  TINHSO_RETURN_IF_ERROR(read("sms_price_per_segment", c.outbox.sms_cost_per_segment));
  TINHSO_RETURN_IF_ERROR(read("sms_unaccented", c.outbox.sms_unaccented));
  TINHSO_RETURN_IF_ERROR(read("deliver_interval_seconds", c.deliver_interval_seconds));
  TINHSO_RETURN_IF_ERROR(read("due_soon_working_days", c.due_soon_working_days));
  TINHSO_RETURN_IF_ERROR(read("officer_scan_minutes", c.officer_scan_minutes));
  return Ok();
}

Result<void> ReadNationalDb(const toml::table& t, Config& c, const std::string& path) {
  for (auto [key, service] :
       {std::pair<const char*, std::string_view>{"population_url", nationaldb::kPopulationService},
        {"civil_registration_url", nationaldb::kCivilRegistrationService},
        {"judicial_records_url", nationaldb::kJudicialRecordsService},
        {"categories_url", nationaldb::kCategoriesService}}) {
    std::string url;
    TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", key, url, path));
    if (!url.empty()) c.nationaldb.base_urls[std::string(service)] = url;
  }
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "token", c.nationaldb.token, path));
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "ca_file", c.nationaldb.ca_file, path));
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "service_code", c.nationaldb_service_code, path));
  std::int64_t timeout = c.nationaldb.timeout.count() / 1000;
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "timeout_seconds", timeout, path));
  if (timeout < 1 || timeout > 300) {
    return ConfigError(path + ": [nationaldb] timeout_seconds", "phải từ 1 đến 300.",
                       "must be 1 to 300.");
  }
  c.nationaldb.timeout = std::chrono::seconds(timeout);
  if (t.at_path("nationaldb.civil_registration").node() != nullptr) {
    std::vector<std::string> entries;
    TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "civil_registration", entries, path));
    c.civil_registration_procedures.clear();
    for (const std::string& e : entries) {
      const std::size_t eq = e.find('=');
      const std::string kind = eq == std::string::npos ? "" : e.substr(eq + 1);
      if (eq == 0 || (kind != "KS" && kind != "KH" && kind != "KT")) {
        return ConfigError(path + ": [nationaldb] civil_registration",
                           "mỗi mục là \"<mã thủ tục>=KS|KH|KT\", không phải \"" + e + "\".",
                           "each entry is \"<procedure code>=KS|KH|KT\", not \"" + e + "\".");
      }
      c.civil_registration_procedures[e.substr(0, eq)] = kind;
    }
  }
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "civil_poll_minutes", c.civil_poll_minutes, path));
  TINHSO_RETURN_IF_ERROR(Read(t, "nationaldb", "civil_poll_batch", c.civil_poll_batch, path));
  return Ok();
}

// The [notify] section's checks, after the environment: what would only fail at the first
// delivery fails at startup instead.
Result<void> CheckNotify(Config& c) {
  if (!c.smtp.host.empty() && (c.smtp.port < 1 || c.smtp.port > 65535)) {
    return ConfigError("[notify] smtp_port", "cổng phải từ 1 đến 65535.",
                       "the port must be 1–65535.");
  }
  const int dkim =
      !c.smtp.dkim_domain.empty() + !c.smtp.dkim_selector.empty() + !c.dkim_key_file.empty();
  if (dkim != 0 && dkim != 3) {
    return ConfigError("[notify] dkim_*",
                       "ký DKIM cần đủ cả dkim_domain, dkim_selector và dkim_key_file.",
                       "DKIM signing needs dkim_domain, dkim_selector and dkim_key_file together.");
  }
  if (!c.dkim_key_file.empty()) {
    std::ifstream in(c.dkim_key_file, std::ios::binary);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().find("PRIVATE KEY") == std::string::npos) {
      return ConfigError("[notify] dkim_key_file",
                         "không đọc được khóa riêng PEM ở " + c.dkim_key_file + ".",
                         "cannot read a PEM private key at " + c.dkim_key_file + ".");
    }
    c.smtp.dkim_private_key_pem = pem.str();
  }
  if (c.deliver_interval_seconds < 1) {
    return ConfigError("[notify] deliver_interval_seconds", "phải từ 1 trở lên.",
                       "must be 1 or more.");
  }
  return Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  if (!path.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      std::string where = path;
      if (e.source().begin.line > 0) where += ":" + std::to_string(e.source().begin.line);
      return ConfigError(where, std::string(e.description()), std::string(e.description()));
    }
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "listen", c.listen, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "io_threads", c.io_threads, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "worker_threads", c.worker_threads, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "header_limit", c.header_limit, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "body_limit", c.body_limit, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "upload_limit", c.upload_limit, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "upload_dir", c.upload_dir, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "read_timeout_seconds", c.read_timeout_seconds, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "idle_timeout_seconds", c.idle_timeout_seconds, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "server", "first_request_timeout_seconds", c.first_request_timeout_seconds, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "max_connections", c.max_connections, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "server", "max_connections_per_ip", c.max_connections_per_ip, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "rate_per_second", c.rate_per_second, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "rate_burst", c.rate_burst, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "static_dir", c.static_dir, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "access_log", c.access_log, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "trusted_proxies", c.trusted_proxies, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "metrics_token", c.metrics_token, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "tls_port", c.tls_port, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "tls_cert_file", c.tls_cert_file, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "tls_key_file", c.tls_key_file, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "server", "tls_client_ca_file", c.tls_client_ca_file, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "database", "url", c.database_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "auth", "cookie_secure", c.cookie_secure, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "auth", "cookie_hours", c.cookie_hours, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "auth", "idle_minutes", c.idle_minutes, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "auth", "token_days", c.token_days, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "auth", "login_delay_cap_seconds", c.login_delay_cap_seconds, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "auth", "account_slowdown_after", c.account_slowdown_after, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "auth", "allowed_origins", c.allowed_origins, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "auth", "password_reset_minutes", c.password_reset_minutes, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "dossiers", "lookup_base_url", c.lookup_base_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "dossiers", "max_file_mb", c.max_file_mb, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "init_url", c.payment.init_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "query_url", c.payment.query_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "partner_code", c.payment.partner_code, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "secret", c.payment.secret, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "return_url", c.payment.return_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "payment", "reconcile_minutes", c.reconcile_minutes, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "pki", "master_key_file", c.pki_master_key_file, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "pki", "public_base_url", c.public_base_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "signing", "tsa_url", c.tsa_url, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "audit", "checkpoint_dir", c.checkpoint_dir, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "audit", "checkpoint_interval_minutes", c.checkpoint_interval_minutes, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "audit", "checkpoint_certificate", c.checkpoint_certificate, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "signing_certificate", c.gateway_signing_certificate, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "one_stop_subsystem", c.gateway_one_stop_subsystem, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "stamp_interval_seconds", c.gateway_stamp_interval_seconds, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "stamping_grace_minutes", c.gateway_stamping_grace_minutes, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "body_retention_days", c.gateway_body_retention_days, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "alert_window_seconds", c.gateway_alert_window_seconds, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "gateway", "alert_min_calls", c.gateway_alert_min_calls, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "alert_error_ratio", c.gateway_alert_error_ratio, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "gateway", "alert_p95_ms", c.gateway_alert_p95_ms, path));
    if (c.gateway_alert_window_seconds < 10 || c.gateway_alert_min_calls < 1 ||
        !(c.gateway_alert_error_ratio > 0 && c.gateway_alert_error_ratio <= 1) ||
        c.gateway_alert_p95_ms < 1) {
      return ConfigError(path + ": [gateway] alert_*",
                         "alert_window_seconds ≥ 10, alert_min_calls ≥ 1, alert_error_ratio trong "
                         "(0, 1], alert_p95_ms ≥ 1.",
                         "alert_window_seconds ≥ 10, alert_min_calls ≥ 1, alert_error_ratio in "
                         "(0, 1], alert_p95_ms ≥ 1.");
    }
    TINHSO_RETURN_IF_ERROR(Read(t, "gateway", "archive_dir", c.gateway_archive_dir, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "archive_interval_minutes", c.gateway_archive_interval_minutes, path));
    TINHSO_RETURN_IF_ERROR(
        Read(t, "gateway", "log_retention_days", c.gateway_log_retention_days, path));
    TINHSO_RETURN_IF_ERROR(Read(t, "paths", "data_dir", c.data_dir, path));
    for (auto [key, value] : {std::pair<const char*, std::string*>{"province", &c.site.province},
                              {"province_en", &c.site.province_en},
                              {"agency", &c.site.agency},
                              {"agency_en", &c.site.agency_en},
                              {"address", &c.site.address},
                              {"hotline", &c.site.hotline},
                              {"email", &c.site.email},
                              {"counter_hours", &c.site.counter_hours},
                              {"bank_account_name", &c.site.bank_account_name},
                              {"bank_account", &c.site.bank_account},
                              {"bank_name", &c.site.bank_name}}) {
      TINHSO_RETURN_IF_ERROR(Read(t, "site", key, *value, path));
    }
    TINHSO_RETURN_IF_ERROR(ReadNotify(t, c, path));
    TINHSO_RETURN_IF_ERROR(ReadNationalDb(t, c, path));
    if (const toml::node* providers = t.at_path("oidc.providers").node()) {
      const toml::array* list = providers->as_array();
      if (list == nullptr) {
        return ConfigError(path + ": [[oidc.providers]]", "cần một danh sách bảng.",
                           "expected an array of tables.");
      }
      for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table* provider = list->get(i)->as_table();
        if (provider == nullptr) {
          return ConfigError(path + ": [[oidc.providers]]", "cần một danh sách bảng.",
                             "expected an array of tables.");
        }
        TINHSO_ASSIGN_OR_RETURN(auto p, ReadProvider(*provider, i, path, c.public_base_url));
        c.oidc_providers.push_back(std::move(p));
      }
    }
  }
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_LISTEN", c.listen));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_DATABASE", c.database_url));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_IO_THREADS", c.io_threads));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_WORKER_THREADS", c.worker_threads));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_STATIC_DIR", c.static_dir));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_ACCESS_LOG", c.access_log));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_TRUSTED_PROXIES", c.trusted_proxies));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_METRICS_TOKEN", c.metrics_token));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_RATE_PER_SECOND", c.rate_per_second));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_RATE_BURST", c.rate_burst));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_COOKIE_SECURE", c.cookie_secure));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_ALLOWED_ORIGINS", c.allowed_origins));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_DATA_DIR", c.data_dir));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_LOOKUP_BASE_URL", c.lookup_base_url));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_PAYMENT_SECRET", c.payment.secret));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_PKI_MASTER_KEY", c.pki_master_key));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_PUBLIC_BASE_URL", c.public_base_url));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_SMTP_PASSWORD", c.smtp.password));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_SMS_API_KEY", c.sms.api_key));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_NOTIFY_RECEIPT_SECRET", c.receipt_secret));
  TINHSO_RETURN_IF_ERROR(Env("TINHSO_NATIONALDB_TOKEN", c.nationaldb.token));
  TINHSO_RETURN_IF_ERROR(CheckNotify(c));
  if (c.lookup_base_url.empty()) {
    std::string_view base = c.public_base_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    c.lookup_base_url = std::string(base) + "/tra-cuu";
  }
  for (const auto& p : c.oidc_providers) {
    TINHSO_RETURN_IF_ERROR(oidc::CheckProviderConfig(p));
  }
  if (c.io_threads < 1 || c.io_threads > 256 || c.worker_threads < -1 || c.worker_threads > 1024) {
    return ConfigError("threads", "số luồng phải từ 1 đến 256 (I/O) và 0 đến 1024 (xử lý).",
                       "thread counts must be 1–256 (I/O) and 0–1024 (workers).");
  }
  if (c.tls_port < 0 || c.tls_port > 65535) {
    return ConfigError("[server] tls_port", "cổng phải từ 1 đến 65535 (0: không có HTTPS).",
                       "the port must be 1–65535 (0: no HTTPS).");
  }
  if (c.tls_port != 0 && (c.tls_cert_file.empty() || c.tls_key_file.empty())) {
    return ConfigError("[server] tls_cert_file, tls_key_file",
                       "HTTPS (tls_port) cần tệp chứng thư số và tệp khóa bí mật.",
                       "HTTPS (tls_port) needs a certificate file and a private key file.");
  }
  if (c.gateway_archive_interval_minutes < 0 || c.gateway_log_retention_days < 0) {
    return ConfigError("[gateway] archive_interval_minutes, log_retention_days",
                       "phải từ 0 trở lên (0: không bao giờ).", "must be 0 or more (0: never).");
  }
  if (c.max_connections < 1 || c.max_connections_per_ip < 1 ||
      c.first_request_timeout_seconds < 1) {
    return ConfigError("connections",
                       "max_connections, max_connections_per_ip và "
                       "first_request_timeout_seconds phải từ 1 trở lên.",
                       "max_connections, max_connections_per_ip and "
                       "first_request_timeout_seconds must be 1 or more.");
  }
  return c;
}

Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return ConfigError("listen", "cần dạng HOST:PORT, ví dụ 127.0.0.1:8080.",
                       "expected HOST:PORT, e.g. 127.0.0.1:8080.");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto port = core::ParseInt64(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    return ConfigError("listen", "cổng phải từ 0 đến 65535.", "the port must be 0–65535.");
  }
  return std::make_pair(host, static_cast<unsigned short>(*port));
}

}  // namespace tinhso::app
