// `tinhso serve`: configuration → database → services → HTTP server, until SIGTERM.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "app/national.hpp"
#include "app/notifications.hpp"
#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "core/periodic.hpp"
#include "nationaldb/simulator.hpp"
#include "notify/email.hpp"
#include "notify/mailbox.hpp"
#include "notify/sms.hpp"
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
// The notifications' stand-ins: an SMTP server keeping what it receives and the SMS gateway's
// simulator, which reports each message delivered (signed) a moment later; the demo mailbox
// page shows what both received.
// The national databases' stand-in (population, civil registration, judicial records, the
// national categories) answers a fifth of a second late, as a system across the network does.
struct DemoSimulators {
  std::unique_ptr<payment::Simulator> payment;
  std::unique_ptr<notify::DemoSmtpServer> smtp;
  std::unique_ptr<notify::SmsSimulator> sms;
  std::unique_ptr<nationaldb::Simulator> nationaldb;
};

Result<DemoSimulators> StartDemoSimulators(Config& config) {
  DemoSimulators started;
  TINHSO_ASSIGN_OR_RETURN(auto listen, SplitListen(config.listen));
  std::string host = listen.first;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::") host = "[::1]";
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  // (With port 0 the server's port is known only once it listens: no callback arrives then.)
  const std::string self = "http://" + host + ":" + std::to_string(listen.second);
  if (config.smtp.host.empty()) {
    TINHSO_ASSIGN_OR_RETURN(started.smtp, notify::DemoSmtpServer::Start());
    const notify::SmtpConfig configured = config.smtp;
    config.smtp = started.smtp->Config();
    config.smtp.from_name = configured.from_name;
    std::cerr << "tinhso: máy chủ thư giả lập / SMTP stand-in: 127.0.0.1:" << started.smtp->port()
              << "\n";
  }
  if (config.sms.url.empty()) {
    if (config.receipt_secret.empty()) config.receipt_secret = core::RandomToken(24);
    notify::SmsSimulator::Options options;
    options.callback_url = self + "/api/v1/notification-receipts/sms";
    options.receipt_secret = config.receipt_secret;
    TINHSO_ASSIGN_OR_RETURN(started.sms, notify::SmsSimulator::Start(std::move(options)));
    config.sms = started.sms->Config();
    std::cerr << "tinhso: cổng SMS giả lập / SMS gateway simulator: " << started.sms->base_url()
              << "\n";
  }
  // The demo is tried by hand: messages go out within seconds, not at a server's pace.
  config.deliver_interval_seconds = std::min<std::int64_t>(config.deliver_interval_seconds, 2);
  if (config.payment.init_url.empty()) {
    payment::Simulator::Options options;
    // (With port 0 the server's port is known only once it listens: no confirmation arrives
    // then, and the reconciliation's QUERY settles the payment instead.)
    options.callback_url = self + "/api/v1/payments/callback";
    TINHSO_ASSIGN_OR_RETURN(started.payment, payment::Simulator::Start(std::move(options)));
    config.payment = started.payment->Config();
    std::string_view base = config.public_base_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    config.payment.return_url = std::string(base) + "/ho-so-cua-toi";
    std::cerr << "tinhso: cổng thanh toán giả lập / payment platform simulator: "
              << started.payment->base_url() << "\n";
  }
  if (config.nationaldb.base_urls.empty()) {
    nationaldb::Simulator::Options options;
    options.delay = std::chrono::milliseconds(200);
    if (!config.nationaldb.token.empty()) options.token = config.nationaldb.token;
    TINHSO_ASSIGN_OR_RETURN(started.nationaldb, nationaldb::Simulator::Start(std::move(options)));
    const std::chrono::milliseconds timeout = config.nationaldb.timeout;
    config.nationaldb = started.nationaldb->TransportOptions();
    config.nationaldb.timeout = timeout;
    std::cerr << "tinhso: CSDL quốc gia giả lập / national databases simulator:";
    for (std::string_view service :
         {nationaldb::kPopulationService, nationaldb::kCivilRegistrationService,
          nationaldb::kJudicialRecordsService, nationaldb::kCategoriesService}) {
      std::cerr << " " << service << "=" << started.nationaldb->base_url(service);
    }
    std::cerr << "\n";
  }
  return started;
}

// Loads the shared categories of [paths] data_dir/categories that the database lacks (a first
// start, or a new version in the files); a missing directory is only reported.
void LoadCategories(const Config& config, App& app) {
  const auto dir = std::filesystem::path(config.data_dir) / "categories";
  if (!std::filesystem::is_directory(dir)) {
    spdlog::warn("shared categories: no directory {}", dir.string());
    return;
  }
  auto loaded = nationaldb::LoadCategoryFiles(app.categories(), dir, core::SystemActor());
  if (!loaded.ok()) {
    spdlog::error("shared categories: {} {}", loaded.error().message_en, loaded.error().detail);
  } else if (loaded->versions > 0) {
    spdlog::info("shared categories: {} versions published from {}", loaded->versions,
                 dir.string());
  }
}

// Forgets unfinished identity-provider sign-ins and the id_tokens of ended sessions, hourly.
std::unique_ptr<core::Periodic> StartOidcHousekeeping(const Config& config, App& app) {
  if (config.oidc_providers.empty()) return nullptr;
  return std::make_unique<core::Periodic>(std::chrono::hours(1), std::chrono::hours(1), [&app] {
    auto purged = app.oidc().PurgeExpired();
    if (!purged.ok()) spdlog::error("oidc housekeeping: {}", purged.error().detail);
  });
}

// Archives the gateway's message log to signed files (as many as waiting, up to 100 a run) and
// deletes from the database the archived records past [gateway] log_retention_days. A failure
// is said once per reason, not every run.
void ArchiveGatewayLog(App& app, std::string& failing) {
  auto said = [&failing](const Error& e, std::string_view what) {
    if (e.reason != failing) spdlog::error("gateway log {}: {} {}", what, e.message_en, e.detail);
    failing = e.reason;
  };
  for (int files = 0; files < 100; ++files) {
    auto written = app.gateway().Archive();
    if (!written.ok()) return said(written.error(), "archive");
    if (!*written) break;
    spdlog::info("gateway log archived: {} (records {} to {})", (*written)->file_name,
                 (*written)->first_seq, (*written)->last_seq);
  }
  auto purged = app.gateway().PurgeArchived();
  if (!purged.ok()) return said(purged.error(), "retention");
  if (*purged > 0) spdlog::info("gateway log retention: {} archived records deleted", *purged);
  failing.clear();
}

// Time-stamps the gateway's message log in batches ([gateway] stamp_interval_seconds), drops
// logged bodies past their retention hourly, and archives the log every [gateway]
// archive_interval_minutes. A failing time-stamping unit is said once per reason, not every
// run; calls stop by themselves when it fails past the grace period.
std::unique_ptr<core::Periodic> StartGatewayHousekeeping(const Config& config, App& app) {
  const bool stamping = config.gateway_stamp_interval_seconds > 0;
  const bool archiving =
      config.gateway_archive_interval_minutes > 0 && !config.gateway_archive_dir.empty();
  if (!stamping && !archiving) return nullptr;
  const std::chrono::seconds every =
      stamping ? std::chrono::seconds(config.gateway_stamp_interval_seconds)
               : std::chrono::minutes(config.gateway_archive_interval_minutes);
  const std::chrono::minutes archive_every(config.gateway_archive_interval_minutes);
  struct State {
    std::string stamp_failing;
    std::string archive_failing;
    std::chrono::steady_clock::time_point last_purge{};
    std::chrono::steady_clock::time_point last_archive{};
  };
  auto state = std::make_shared<State>();
  return std::make_unique<core::Periodic>(
      every, every, [&app, state, stamping, archiving, archive_every] {
        if (stamping) {
          auto stamped = app.gateway().Stamp();
          if (!stamped.ok()) {
            if (stamped.error().reason != state->stamp_failing) {
              spdlog::error("gateway time-stamping: {} {}", stamped.error().message_en,
                            stamped.error().detail);
            }
            state->stamp_failing = stamped.error().reason;
          } else {
            if (!state->stamp_failing.empty()) spdlog::info("gateway time-stamping works again");
            state->stamp_failing.clear();
          }
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - state->last_purge >= std::chrono::hours(1)) {
          state->last_purge = now;
          auto purged = app.gateway().PurgeBodies();
          if (!purged.ok()) spdlog::error("gateway body purge: {}", purged.error().detail);
        }
        if (archiving && now - state->last_archive >= archive_every) {
          state->last_archive = now;
          ArchiveGatewayLog(app, state->archive_failing);
        }
      });
}

// Judges the gateway's upstreams every 15 seconds (alerts on error rate and latency); an alert
// raised is told to the administrators (TellAdministrators).
std::unique_ptr<core::Periodic> StartGatewayAlerts(App& app, storage::Database& db) {
  return std::make_unique<core::Periodic>(
      std::chrono::seconds(15), std::chrono::seconds(15), [&app, &db] {
        auto checked = app.gateway().CheckAlerts();
        if (!checked.ok()) {
          spdlog::error("gateway alerts: {}", checked.error().detail);
          return;
        }
        auto told = TellAdministrators(db, app.outbox(), app.accounts(), *checked);
        if (!told.ok()) {
          spdlog::error("gateway alerts: telling the administrators: {} {}",
                        told.error().message_en, told.error().detail);
        }
      });
}

// Delivers the outbox of messages to other systems through the gateway every few seconds; a
// failing delivery run is said once per reason.
std::unique_ptr<core::Periodic> StartOutgoingDelivery(App& app, const core::Clock& clock,
                                                      outbox::Sender& sender) {
  auto failing = std::make_shared<std::string>();
  return std::make_unique<core::Periodic>(
      std::chrono::seconds(2), std::chrono::seconds(5), [&app, &clock, &sender, failing] {
        auto report = app.outgoing().DeliverDue(clock.Now(), sender);
        if (!report.ok()) {
          if (report.error().reason != *failing) {
            spdlog::error("outbox delivery: {} {}", report.error().message_en,
                          report.error().detail);
          }
          *failing = report.error().reason;
          return;
        }
        failing->clear();
      });
}

// The one-stop system's polling of the national databases, every minute: the civil registry's
// status of the dossiers sent to it (each at most once per [nationaldb] civil_poll_minutes,
// civil_poll_batch a run), and another try at the applicants' identities the population
// database could not check at submission (the same batch).
std::unique_ptr<core::Periodic> StartNationalPolling(const Config& config, App& app,
                                                     const core::Clock& clock) {
  const bool civil = config.nationaldb.base_urls.contains(nationaldb::kCivilRegistrationService);
  const bool population = config.nationaldb.base_urls.contains(nationaldb::kPopulationService);
  if ((!civil && !population) || config.civil_poll_batch <= 0) return nullptr;
  const auto interval = std::chrono::minutes(std::max<std::int64_t>(1, config.civil_poll_minutes));
  const int batch = static_cast<int>(config.civil_poll_batch);
  return std::make_unique<core::Periodic>(
      std::chrono::seconds(30), std::chrono::minutes(1),
      [&app, &clock, civil, population, interval, batch] {
        if (civil) {
          auto polled = PollCivilRegistrations(app.dossiers(), app.civil_registration(),
                                               clock.Now(), interval, batch);
          if (!polled.ok()) {
            spdlog::error("civil registration poll: {} {}", polled.error().message_en,
                          polled.error().detail);
          } else if (polled->changed + polled->failed > 0) {
            spdlog::info("civil registration poll: {} asked, {} new statuses, {} unanswered",
                         polled->asked, polled->changed, polled->failed);
          }
        }
        if (population) {
          auto rechecked = app.dossiers().RecheckIdentities(clock.Now(), batch);
          if (!rechecked.ok()) {
            spdlog::error("identity recheck: {} {}", rechecked.error().message_en,
                          rechecked.error().detail);
          } else if (*rechecked > 0) {
            spdlog::info("identity recheck: {} applicants asked again", *rechecked);
          }
        }
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

// The demo mailbox page, GET /hop-thu-demo: what the stand-ins received, newest first. Only
// registered with --with-simulators (the addresses and texts are the demo's own).
void AddDemoMailbox(http::Router& router, const DemoSimulators& simulators) {
  const notify::DemoSmtpServer* smtp = simulators.smtp.get();
  const notify::SmsSimulator* sms = simulators.sms.get();
  if (smtp == nullptr && sms == nullptr) return;
  router.Add(
      {.method = http::Method::kGet,
       .path = "/hop-thu-demo",
       .action = "public.demo_mailbox",
       .summary_vi = "Hộp thư demo: thư và SMS máy chủ thư và cổng SMS giả lập đã nhận",
       .summary_en = "Demo mailbox: the e-mails and SMS the stand-ins received",
       .handler = [smtp, sms](const http::Request&, http::Context&) -> Result<http::Response> {
         std::vector<notify::DemoMailboxItem> items;
         if (smtp != nullptr) {
           for (const auto& mail : smtp->Messages()) {
             const notify::ReadableMail m = notify::ReadMail(mail.raw);
             std::string to;
             for (const auto& r : mail.rcpt_to) to += (to.empty() ? "" : ", ") + r;
             items.push_back({mail.at, false, to, m.subject, m.body, m.message_id});
           }
         }
         if (sms != nullptr) {
           for (const auto& m : sms->Messages()) {
             items.push_back({m.at, true, m.phone, "", m.message,
                              m.message_id + " · " + m.client_ref + " · " +
                                  std::to_string(m.segments) + " SMS"});
           }
         }
         http::Response r;
         r.content_type = "text/html; charset=utf-8";
         r.body = notify::DemoMailboxPage(std::move(items));
         r.headers.emplace_back("cache-control", "no-store");
         // The page's own rules: its inline style, nothing else.
         r.headers.emplace_back("content-security-policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
         return r;
       },
       .tag = "demo",
       .answers = {http::FileAnswer(200, "text/html")}});
}

// Delivers the outbox every [notify] deliver_interval_seconds through the configured senders
// (a channel without one keeps its messages queued).
struct NotifySenders {
  std::unique_ptr<notify::SmtpSender> email;
  std::unique_ptr<notify::SmsGatewaySender> sms;
};

std::unique_ptr<core::Periodic> StartNotifyDelivery(const Config& config, App& app,
                                                    const core::Clock& clock,
                                                    NotifySenders& senders) {
  if (!config.smtp.host.empty()) {
    senders.email = std::make_unique<notify::SmtpSender>(config.smtp, clock);
  }
  if (!config.sms.url.empty()) senders.sms = std::make_unique<notify::SmsGatewaySender>(config.sms);
  const notify::Senders use{senders.email.get(), senders.sms.get()};
  const auto every = std::chrono::seconds(config.deliver_interval_seconds);
  auto failing = std::make_shared<std::string>();
  return std::make_unique<core::Periodic>(std::chrono::seconds(1), every, [&app, use, failing] {
    auto report = app.outbox().DeliverDue(use);
    if (!report.ok()) {
      if (report.error().reason != *failing) {
        spdlog::error("notify delivery: {} {}", report.error().message_en, report.error().detail);
      }
      *failing = report.error().reason;
      return;
    }
    failing->clear();
    if (report->claimed > 0) {
      spdlog::info("notify delivery: {} sent, {} to retry, {} failed", report->sent,
                   report->retried, report->failed);
    }
  });
}

// Officers' notices of new work and of dossiers due soon (OfficerNotices), every
// [notify] officer_scan_minutes.
std::unique_ptr<core::Periodic> StartOfficerNotices(const Config& config, App& app,
                                                    storage::Database& db,
                                                    const core::Clock& clock) {
  if (config.officer_scan_minutes <= 0) return nullptr;
  OfficerScanOptions options;
  options.due_soon_working_days = static_cast<int>(config.due_soon_working_days);
  auto notices = std::make_shared<OfficerNotices>(db, app.outbox(), app.dossiers(), app.accounts(),
                                                  app.catalog(), app.calendar().Working(), options);
  const auto every = std::chrono::minutes(config.officer_scan_minutes);
  return std::make_unique<core::Periodic>(std::chrono::seconds(15), every, [notices, &clock] {
    auto report = notices->Scan(clock.Now());
    if (!report.ok()) {
      spdlog::error("officer notices: {} {}", report.error().message_en, report.error().detail);
    } else if (report->arrivals + report->due_soon > 0) {
      spdlog::info("officer notices: {} arrivals, {} due soon", report->arrivals, report->due_soon);
    }
  });
}

// The demo's SMS gateway reports its messages delivered, as handsets answer a real one's.
std::unique_ptr<core::Periodic> StartDemoReceipts(const DemoSimulators& simulators) {
  notify::SmsSimulator* sms = simulators.sms.get();
  if (sms == nullptr) return nullptr;
  return std::make_unique<core::Periodic>(std::chrono::seconds(2), std::chrono::seconds(2), [sms] {
    auto reported = sms->ReportPending();
    if (!reported.ok()) spdlog::warn("sms simulator receipts: {}", reported.error().message_en);
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
  if (config.tls_port != 0) {
    options.tls = http::TlsOptions{.port = static_cast<unsigned short>(config.tls_port),
                                   .certificate_chain_file = config.tls_cert_file,
                                   .private_key_file = config.tls_key_file,
                                   .client_ca_file = config.tls_client_ca_file};
  }
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

  AddDemoMailbox((*app)->router(), simulators);
  LoadCategories(*config, **app);

  auto options = ServerOptionsFor(*config, (*db)->backend(), **app);
  if (!options.ok()) return ReportError(options.error());
  const std::string host = options->host;
  http::Server server((*app)->router(), (*app)->guard(), std::move(*options));
  if (auto started = server.Start(); !started.ok()) return ReportError(started.error());
  // Said once the server listens and takes SIGTERM, so a script may wait for this line.
  std::cerr << "tinhso " << TINHSO_VERSION << ": phục vụ tại / serving on http://" << host << ":"
            << server.port();
  if (server.tls_port() != 0) std::cerr << " https://" << host << ":" << server.tls_port();
  std::cerr << " (" << (*db)->DisplayUrl() << ")" << std::endl;
  auto reconciliation = StartReconciliation(*config, **app, clock);
  auto checkpoints = StartCheckpoints(*config, **app, clock);
  auto oidc_housekeeping = StartOidcHousekeeping(*config, **app);
  auto draft_purge = StartDraftPurge(**app);
  auto gateway_housekeeping = StartGatewayHousekeeping(*config, **app);
  auto gateway_alerts = StartGatewayAlerts(**app, **db);
  GatewaySender outgoing_sender((*app)->gateway(),
                                [&app, &config] { return OneStopSubsystem(**app, *config); });
  auto outgoing_delivery = StartOutgoingDelivery(**app, clock, outgoing_sender);
  auto national_polling = StartNationalPolling(*config, **app, clock);
  NotifySenders senders;
  auto delivery = StartNotifyDelivery(*config, **app, clock, senders);
  auto officer_notices = StartOfficerNotices(*config, **app, **db, clock);
  auto demo_receipts = StartDemoReceipts(simulators);
  if (simulators.smtp || simulators.sms) {
    std::cerr << "tinhso: hộp thư demo / demo mailbox: http://" << host << ":" << server.port()
              << "/hop-thu-demo" << std::endl;
  }
  server.Run();
  demo_receipts.reset();  // these stop before the services they use go away
  officer_notices.reset();
  delivery.reset();
  national_polling.reset();
  outgoing_delivery.reset();
  gateway_housekeeping.reset();
  gateway_alerts.reset();
  draft_purge.reset();
  oidc_housekeeping.reset();
  checkpoints.reset();
  reconciliation.reset();
  std::cerr << "tinhso: đã dừng / stopped\n";
  return 0;
}

}  // namespace tinhso::app
