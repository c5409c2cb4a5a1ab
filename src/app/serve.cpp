// `tinhso serve`: configuration → database → services → HTTP server, until SIGTERM.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "core/metrics.hpp"
#include "core/periodic.hpp"
#include "payment/simulator.hpp"

namespace tinhso::app {
namespace {

// web/dist when the UI has been built, else the placeholder page in web/static.
std::string DefaultStaticDir() {
  if (std::filesystem::exists("web/dist/index.html")) return "web/dist";
  if (std::filesystem::exists("web/static/index.html")) return "web/static";
  return "";
}

// Settles payments whose confirmation never came (payment::Service::Reconcile), while the
// server runs. Nothing to do when the platform is not connected.
std::unique_ptr<core::Periodic> StartReconciliation(const Config& config, App& app,
                                                    const core::Clock& clock) {
  if (config.payment.query_url.empty() || config.reconcile_minutes <= 0) return nullptr;
  const auto every = std::chrono::minutes(config.reconcile_minutes);
  return std::make_unique<core::Periodic>(std::chrono::minutes(1), every, [&app, &clock] {
    auto report = app.payments().Reconcile(clock.Now());
    if (!report.ok()) {
      spdlog::error("payment reconcile: {}", report.error().detail);
      return;
    }
    if (report->checked > 0) {
      spdlog::info(
          "payment reconcile: {} checked, {} paid, {} expired, {} failed, {} pending, {} "
          "unreachable",
          report->checked, report->paid, report->expired, report->failed, report->still_pending,
          report->errors);
    }
  });
}

// Anchors the audit chain every [audit] checkpoint_interval_minutes, when its head moved
// (audit::Checkpoints::Write). A failure is logged when it starts, not at every run.
std::unique_ptr<core::Periodic> StartCheckpoints(const Config& config, App& app,
                                                 const core::Clock& clock) {
  if (config.checkpoint_interval_minutes <= 0) return nullptr;
  const auto every = std::chrono::minutes(config.checkpoint_interval_minutes);
  auto failing = std::make_shared<std::string>();  // the reason of the last failure
  return std::make_unique<core::Periodic>(every, every, [&app, &clock, failing] {
    auto written = app.checkpoints().Write(clock.Now());
    if (!written.ok()) {
      if (written.error().reason != *failing) {
        spdlog::error("audit checkpoint: {} {}", written.error().message_en,
                      written.error().detail);
      }
      *failing = written.error().reason;
      return;
    }
    failing->clear();
    if (*written) spdlog::info("audit checkpoint {}: entry {}", (*written)->name, (*written)->seq);
  });
}

// The outside systems the demo needs and the configuration does not name, on loopback, with
// `config` pointed at them. The payment platform's simulator sends its confirmations to this
// server and the payer's browser back to "Hồ sơ của tôi".
struct DemoSimulators {
  std::unique_ptr<payment::Simulator> payment;
};

Result<DemoSimulators> StartDemoSimulators(Config& config) {
  DemoSimulators started;
  if (config.payment.init_url.empty()) {
    TINHSO_ASSIGN_OR_RETURN(auto listen, SplitListen(config.listen));
    std::string host = listen.first;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    if (host == "::") host = "[::1]";
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    payment::Simulator::Options options;
    // (With port 0 the server's port is known only once it listens: no confirmation arrives
    // then, and the reconciliation's QUERY settles the payment instead.)
    options.callback_url =
        "http://" + host + ":" + std::to_string(listen.second) + "/api/v1/payments/callback";
    TINHSO_ASSIGN_OR_RETURN(started.payment, payment::Simulator::Start(std::move(options)));
    config.payment = started.payment->Config();
    std::string_view base = config.public_base_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    config.payment.return_url = std::string(base) + "/ho-so-cua-toi";
    std::cerr << "tinhso: cổng thanh toán giả lập / payment platform simulator: "
              << started.payment->base_url() << "\n";
  }
  return started;
}

// Forgets unfinished identity-provider sign-ins and the id_tokens of ended sessions, hourly.
std::unique_ptr<core::Periodic> StartOidcHousekeeping(const Config& config, App& app) {
  if (config.oidc_providers.empty()) return nullptr;
  return std::make_unique<core::Periodic>(std::chrono::hours(1), std::chrono::hours(1), [&app] {
    auto purged = app.oidc().PurgeExpired();
    if (!purged.ok()) spdlog::error("oidc housekeeping: {}", purged.error().detail);
  });
}

// Deletes the drafts nobody saved for Options::draft_days (dossiers::PurgeExpiredDrafts), hourly.
std::unique_ptr<core::Periodic> StartDraftPurge(App& app) {
  return std::make_unique<core::Periodic>(std::chrono::minutes(5), std::chrono::hours(1), [&app] {
    auto purged = app.dossiers().PurgeExpiredDrafts();
    if (!purged.ok()) {
      spdlog::error("draft purge: {} {}", purged.error().message_en, purged.error().detail);
    } else if (*purged > 0) {
      spdlog::info("draft purge: {} expired drafts deleted", *purged);
    }
  });
}

}  // namespace

Result<http::ServerOptions> ServerOptionsFor(const Config& config, storage::Backend backend,
                                             const App& app) {
  TINHSO_ASSIGN_OR_RETURN(auto listen, SplitListen(config.listen));
  http::ServerOptions options;
  options.host = listen.first;
  options.port = listen.second;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  if (options.worker_threads < 0) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.worker_threads = backend == storage::Backend::kSqlite ? cores : 8;
  }
  // PostgreSQL answers hot reads through pipelines (storage::Database::ReadAsync), so routes
  // that can (the public lookup) skip the worker pool; SQLite's reads are local CPU work.
  options.async_handlers = backend == storage::Backend::kPostgres;
  options.header_limit = config.header_limit;
  options.body_limit = config.body_limit;
  options.upload_limit = config.upload_limit;
  options.upload_dir = config.upload_dir;
  options.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  options.first_request_timeout = std::chrono::seconds(config.first_request_timeout_seconds);
  options.max_connections = config.max_connections;
  options.max_connections_per_ip = config.max_connections_per_ip;
  options.rate_per_second = config.rate_per_second;
  options.rate_burst = config.rate_burst;
  options.static_dir = config.static_dir.empty() ? DefaultStaticDir() : config.static_dir;
  options.page_renderer = app.pages().Renderer();
  options.access_log_path = config.access_log;
  options.trusted_proxies = config.trusted_proxies;
  options.costly = app.costly();
  return options;
}

int RunServe(const ServeOptions& o) {
  auto config = LoadConfig(o.config_path);
  if (!config.ok()) return ReportError(config.error());
  if (!o.listen.empty()) config->listen = o.listen;
  if (!o.database_url.empty()) config->database_url = o.database_url;
  if (auto listen = SplitListen(config->listen); !listen.ok()) return ReportError(listen.error());

  DemoSimulators simulators;
  if (o.with_simulators) {
    auto started = StartDemoSimulators(*config);
    if (!started.ok()) return ReportError(started.error());
    simulators = std::move(*started);
  }

  storage::SetQueryObserver(&core::ObserveDbQuery);
  auto db = OpenMigrated(config->database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = App::Create(**db, clock, *config);
  if (!app.ok()) return ReportError(app.error());

  auto options = ServerOptionsFor(*config, (*db)->backend(), **app);
  if (!options.ok()) return ReportError(options.error());
  const std::string host = options->host;
  http::Server server((*app)->router(), (*app)->guard(), std::move(*options));
  if (auto started = server.Start(); !started.ok()) return ReportError(started.error());
  // Said once the server listens and takes SIGTERM, so a script may wait for this line.
  std::cerr << "tinhso " << TINHSO_VERSION << ": phục vụ tại / serving on http://" << host << ":"
            << server.port() << " (" << (*db)->DisplayUrl() << ")" << std::endl;
  auto reconciliation = StartReconciliation(*config, **app, clock);
  auto checkpoints = StartCheckpoints(*config, **app, clock);
  auto oidc_housekeeping = StartOidcHousekeeping(*config, **app);
  auto draft_purge = StartDraftPurge(**app);
  server.Run();
  draft_purge.reset();  // these stop before the services they use go away
  oidc_housekeeping.reset();
  checkpoints.reset();
  reconciliation.reset();
  std::cerr << "tinhso: đã dừng / stopped\n";
  return 0;
}

}  // namespace tinhso::app
