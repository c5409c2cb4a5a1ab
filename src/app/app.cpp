#include "app/app.hpp"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/national.hpp"
#include "app/notifications.hpp"
#include "core/crypto.hpp"

namespace tinhso::app {

namespace {

// The CN of an RFC 2253 name ("CN=Sở Y tế,O=…"), unescaping "\,".
std::string CommonName(std::string_view rfc2253) {
  const auto at = rfc2253.find("CN=");
  if (at == std::string_view::npos) return std::string(rfc2253);
  std::string out;
  for (std::size_t i = at + 3; i < rfc2253.size(); ++i) {
    if (rfc2253[i] == '\\' && i + 1 < rfc2253.size()) {
      out += rfc2253[++i];
    } else if (rfc2253[i] == ',') {
      break;
    } else {
      out += rfc2253[i];
    }
  }
  return out;
}

Error NoCheckpointSigner() {
  return MakeError(ErrorCode::kFailedPrecondition, "audit.no_checkpoint_signer",
                   "Chưa có chứng thư số tổ chức của tỉnh để ký điểm neo nhật ký: hãy cấp một "
                   "chứng thư tổ chức cho cơ quan cấp tỉnh (tinhso pki issue --kind organisation "
                   "--agency <mã>) hoặc đặt [audit] checkpoint_certificate.",
                   "There is no organisation certificate of the province to sign audit "
                   "checkpoints with: issue one for the province's agency (tinhso pki issue "
                   "--kind organisation --agency <code>) or set [audit] checkpoint_certificate.");
}

// Whose certificate signs audit checkpoints: the agency of certificate `configured`, else the
// province, the one agency at the root of today's tree.
Result<std::int64_t> CheckpointAgency(App& app, std::int64_t configured) {
  if (configured > 0) {
    TINHSO_ASSIGN_OR_RETURN(pki::Certificate c, app.pki().Get(configured));
    return c.agency_id;
  }
  agencies::ListQuery roots;
  roots.level = 1;
  roots.limit = 2;
  TINHSO_ASSIGN_OR_RETURN(agencies::AgencyPage page, app.agencies().List(roots));
  if (page.items.size() != 1) return NoCheckpointSigner();
  return page.items[0].id;
}

// The certificate that signs them: `configured`, else the newest organisation certificate (with
// its key) of the province.
Result<std::int64_t> CheckpointSigner(App& app, std::int64_t configured) {
  if (configured > 0) return configured;
  TINHSO_ASSIGN_OR_RETURN(std::int64_t agency, CheckpointAgency(app, configured));
  pki::ListQuery seals;
  seals.kind = pki::Kind::kOrganisation;
  seals.agency_id = agency;
  TINHSO_ASSIGN_OR_RETURN(auto certificates, app.pki().List(seals));
  for (auto it = certificates.rbegin(); it != certificates.rend(); ++it) {
    if (it->has_key) return it->id;
  }
  return NoCheckpointSigner();
}

// Checkpoints are signed (CAdES-T) with the province's organisation certificate and
// time-stamped by the TSA. A checkpoint is good when both verify against the PKI's trust
// anchors and the signature is an organisation certificate of the signer's agency (any renewal
// of it), not merely anyone's that the PKI trusts.
audit::Notary CheckpointNotary(App& app, std::int64_t configured) {
  audit::Notary notary;
  notary.seal = [&app, configured](std::string_view bytes) -> Result<audit::Notary::Seal> {
    TINHSO_ASSIGN_OR_RETURN(std::int64_t signer, CheckpointSigner(app, configured));
    TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key,
                            app.pki().KeyForSigning(signer, core::SystemActor()));
    audit::Notary::Seal seal;
    // With the key in hand, so that no audit entry is appended: anchoring the head must not
    // move it.
    TINHSO_ASSIGN_OR_RETURN(seal.signature, app.signing().SignCmsWithKey(bytes, key));
    TINHSO_ASSIGN_OR_RETURN(seal.timestamp, app.signing().TimeStamp(core::Sha256(bytes)));
    return seal;
  };
  notary.check = [&app, configured](std::string_view bytes,
                                    const audit::Notary::Seal& seal) -> Result<core::Seconds> {
    auto invalid = [](std::string vi, std::string en,
                      const signing::SignatureReport* why = nullptr) {
      if (why != nullptr && !why->problems.empty()) {
        vi += " (" + why->problems.front().message_vi + ")";
        en += " (" + why->problems.front().message_en + ")";
      }
      return MakeError(ErrorCode::kFailedPrecondition, "audit.checkpoint_invalid", vi + ".",
                       en + ".");
    };
    auto signature = app.signing().VerifyCms(bytes, seal.signature);
    if (!signature.ok() || signature->signatures.size() != 1) {
      return invalid("tệp chữ ký .p7s không đọc được", "its .p7s signature cannot be read");
    }
    const signing::SignatureReport& s = signature->signatures[0];
    if (!s.valid) {
      return invalid("chữ ký không hợp lệ", "its signature is not valid", &s);
    }
    TINHSO_ASSIGN_OR_RETURN(std::int64_t agency, CheckpointAgency(app, configured));
    TINHSO_ASSIGN_OR_RETURN(auto used,
                            app.pki().FindByIssuerSerial(s.issuer_subject, s.certificate_serial));
    if (!used || used->kind != pki::Kind::kOrganisation || used->agency_id != agency) {
      return invalid("chữ ký không phải của chứng thư tổ chức ký điểm neo (" + s.signer_name + ")",
                     "it is not signed with the organisation certificate that signs checkpoints (" +
                         s.signer_name + ")");
    }
    auto stamp = app.signing().VerifyTimeStamp(core::Sha256(bytes), seal.timestamp);
    if (!stamp.ok()) {
      return invalid("tệp dấu thời gian .tst không đọc được", "its .tst time-stamp cannot be read");
    }
    if (!stamp->valid || !stamp->timestamp_time) {
      return invalid("dấu thời gian không hợp lệ", "its time-stamp is not valid", &*stamp);
    }
    return *stamp->timestamp_time;
  };
  return notary;
}

}  // namespace

Result<std::optional<std::array<unsigned char, 32>>> LoadMasterKey(const Config& config) {
  if (!config.pki_master_key.empty()) {
    TINHSO_ASSIGN_OR_RETURN(auto key, pki::ParseMasterKey(config.pki_master_key));
    return std::optional<std::array<unsigned char, 32>>(key);
  }
  std::error_code ec;
  if (config.pki_master_key_file.empty() ||
      !std::filesystem::exists(config.pki_master_key_file, ec)) {
    return std::optional<std::array<unsigned char, 32>>();
  }
  std::ifstream in(config.pki_master_key_file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto key = pki::ParseMasterKey(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  if (!key.ok()) {
    Error e = key.error();
    e.detail = config.pki_master_key_file;
    return e;
  }
  return std::optional<std::array<unsigned char, 32>>(*key);
}

App::App(storage::Database& db, const core::Clock& clock, auth::AuthOptions auth_options)
    : agencies_(db, clock),
      policy_(&agencies_),
      accounts_(db, clock, auth_options),
      guard_(accounts_, policy_),
      calendar_(db, clock),
      catalog_(db, clock) {}

Result<std::unique_ptr<App>> App::Create(storage::Database& db, const core::Clock& clock,
                                         const Config& config, auth::PasswordCost password_cost,
                                         oidc::Fetcher oidc_fetch) {
  auth::AuthOptions auth_options;
  auth_options.password_cost = password_cost;
  auth_options.cookie_secure = config.cookie_secure;
  auth_options.cookie_lifetime = std::chrono::hours(config.cookie_hours);
  auth_options.idle_timeout = std::chrono::minutes(config.idle_minutes);
  auth_options.token_lifetime = std::chrono::hours(24 * config.token_days);
  auth_options.login_delay_cap = std::chrono::seconds(config.login_delay_cap_seconds);
  auth_options.account_slowdown_after = config.account_slowdown_after;
  auth_options.allowed_origins = config.allowed_origins;
  auth_options.password_reset_lifetime = std::chrono::minutes(config.password_reset_minutes);
  std::unique_ptr<App> app(new App(db, clock, auth_options));

  TINHSO_RETURN_IF_ERROR(app->agencies_.RefreshTree());
  TINHSO_RETURN_IF_ERROR(app->calendar_.Load());
  // Officer accounts are open work of their agency: a merge moves them to the successor.
  app->agencies_.RegisterMover(
      std::make_unique<agencies::SqlColumnMover>("users", "users", "agency_id", "disabled = 0"));
  // Dossiers in progress follow their agency to its successor; finished ones keep their history.
  app->agencies_.RegisterMover(std::make_unique<agencies::SqlColumnMover>(
      "dossiers", "dossiers", "current_agency_id", "status IN (1, 2, 4, 5, 6, 9)"));
  TINHSO_RETURN_IF_ERROR(app->catalog_.Refresh());
  dossiers::Options dossier_options;
  dossier_options.lookup_base_url = config.lookup_base_url;
  dossier_options.max_file_bytes = config.max_file_mb << 20;
  app->dossiers_ =
      std::make_unique<dossiers::Service>(db, clock, app->policy_, app->agencies_, app->catalog_,
                                          app->calendar_.Working(), dossier_options);
  // /tra-cuu?ma=&k= answered on the server too, for a browser without JavaScript.
  app->pages_.SetLookup([dossiers = app->dossiers_.get()](std::string_view code,
                                                          std::string_view secret,
                                                          std::string_view client) {
    return dossiers->Lookup(code, secret, client);
  });
  app->payments_ = std::make_unique<payment::Service>(db, clock, config.payment);
  app->dossiers_->SetPayments(app->payments_.get());
  // A confirmed online payment resumes the dossier in the same transaction.
  dossiers::Service* dossier_service = app->dossiers_.get();
  app->payments_->OnPaid([dossier_service](storage::Transaction& tx, const payment::Payment& p) {
    return dossier_service->MarkPaid(tx, p.dossier_id, /*online=*/true);
  });

  // Every event a dossier's applicant or officer should hear of becomes notifications in the
  // event's own transaction.
  app->outbox_ = std::make_unique<notify::Outbox>(db, clock, config.outbox);
  app->notifier_ =
      std::make_unique<DossierNotifier>(*app->outbox_, app->catalog_, config.lookup_base_url);
  app->dossiers_->SetEventListener(app->notifier_.get());
  // "Quên mật khẩu": the reset link goes by e-mail through the outbox, in the request's
  // transaction. Addressed to the e-mail alone (no account): the link must not sit in an in-app
  // list, and an account's channel preferences cannot turn it off.
  app->accounts_.SetResetMailer([outbox = app->outbox_.get(), base = config.public_base_url,
                                 minutes = config.password_reset_minutes](
                                    storage::Transaction& tx, const auth::User& user,
                                    std::string_view token, core::Seconds) -> Result<void> {
    std::string_view site = base;
    while (site.ends_with('/')) site.remove_suffix(1);
    notify::Event event;
    event.id = "password-reset-" + core::Sha256Hex(token).substr(0, 32);
    event.template_key = "password_reset";
    // After '#': the token never reaches a server's log or a Referer header.
    event.values = {{"name", user.full_name},
                    {"login", user.login},
                    {"link", std::string(site) + "/dat-lai-mat-khau#" + std::string(token)},
                    {"minutes", std::to_string(minutes)}};
    notify::Recipient to;
    to.email = user.email;
    TINHSO_RETURN_IF_ERROR(outbox->Enqueue(tx, event, to));
    return Ok();
  });

  http::Router& r = app->router_;
  auth::RegisterRoutes(r, app->accounts_, app->policy_);
  std::vector<oidc::ProviderConfig> providers = config.oidc_providers;
  TINHSO_RETURN_IF_ERROR(oidc::LoadProviderKeys(providers));
  for (const auto& p : providers) TINHSO_RETURN_IF_ERROR(oidc::CheckProviderConfig(p));
  app->oidc_ = std::make_unique<oidc::Service>(db, clock, app->accounts_, std::move(providers),
                                               std::move(oidc_fetch));
  oidc::RegisterRoutes(r, *app->oidc_, app->accounts_);
  agencies::RegisterRoutes(r, app->agencies_, app->policy_);
  calendar::RegisterRoutes(r, app->calendar_);
  catalog::RegisterRoutes(r, app->catalog_);
  dossiers::RegisterRoutes(r, *app->dossiers_);
  const auth::Policy* policy = &app->policy_;
  pki::Options pki_options;
  pki_options.public_base_url = config.public_base_url;
  TINHSO_ASSIGN_OR_RETURN(auto master_key, LoadMasterKey(config));
  if (master_key) {
    pki_options.master_key = *master_key;
    pki_options.master_key_loaded = true;
  }
  app->pki_ = std::make_unique<pki::Service>(db, clock, app->policy_, pki_options);
  pki::RegisterRoutes(r, *app->pki_);
  app->signing_ = std::make_unique<signing::Service>(*app->pki_, clock, config.tsa_url);
  signing::RegisterRoutes(r, *app->signing_, static_cast<std::uint64_t>(config.max_file_mb) << 20);
  app->checkpoints_ = std::make_unique<audit::Checkpoints>(
      db, config.checkpoint_dir, CheckpointNotary(*app, config.checkpoint_certificate));
  audit::RegisterRoutes(r, db, *app->checkpoints_);
  // Result PDFs carry the deciding official's signature and their organisation's, when the PKI
  // holds certificates for them (else they are stored unsigned, as before the PKI is set up).
  // A result is signed by the deciding official, then by the organisation (NĐ 30/2020): with
  // their registered signature image and seal, the official's in a box at the bottom right of
  // the last page (where a decision's signature block is) and the seal over its left third;
  // without them, the official's invisibly and the organisation's as the text box at the top
  // right of the first page.
  // Counter intake prefills an applicant from the account holding the identity number.
  app->dossiers_->SetAccountFinder(
      [accounts =
           &app->accounts_](std::string_view id_number) -> std::optional<dossiers::Applicant> {
        auto user = accounts->FindByLogin(id_number);
        if (!user.ok() ||
            (user->kind != core::ActorKind::kCitizen && user->kind != core::ActorKind::kBusiness)) {
          return std::nullopt;
        }
        return dossiers::Applicant{.kind = user->kind == core::ActorKind::kBusiness ? 2 : 1,
                                   .name = user->full_name,
                                   .id_number = user->login,
                                   .phone = user->phone,
                                   .email = user->email};
      });
  app->dossiers_->SetResultSigner([pki = app->pki_.get(), signer = app->signing_.get()](
                                      std::string_view pdf, const core::Actor& actor,
                                      std::int64_t agency_id) -> Result<std::string> {
    std::string out(pdf);
    pki::ListQuery personal;
    personal.kind = pki::Kind::kOfficial;
    personal.user_id = actor.user_id;
    TINHSO_ASSIGN_OR_RETURN(auto mine, pki->List(personal));
    pki::ListQuery seal;
    seal.kind = pki::Kind::kOrganisation;
    seal.agency_id = agency_id;
    TINHSO_ASSIGN_OR_RETURN(auto ours, pki->List(seal));
    if (mine.empty() && ours.empty()) return out;  // nothing to sign with: stored as given
    TINHSO_ASSIGN_OR_RETURN(pdf::DocumentInfo info, pdf::Inspect(out));
    std::optional<pdf::Rect> signer_box;
    const auto fits = [&info](const pdf::Rect& box) {
      return pdf::FitsOnPage(info.pages.back(), box);
    };
    if (!mine.empty()) {
      signing::PdfOptions o;
      o.reason = "Phê duyệt kết quả giải quyết thủ tục hành chính";
      const pdf::PageInfo* last = info.pages.empty() ? nullptr : &info.pages.back();
      // On the page as displayed, turned or not (pdf::DisplayedBox); pdf::PrepareSignature
      // refuses boxes over its edge, so a page too small for the box is signed invisibly.
      const pdf::Rect page = last != nullptr ? pdf::DisplayedBox(*last) : pdf::Rect{};
      const pdf::Rect box{page.x2 - 56.7 - 170, page.y1 + 85, page.x2 - 56.7, page.y1 + 155};
      if (mine.back().has_appearance && last != nullptr && fits(box)) {
        signer_box = box;
        o.appearance.kind = pdf::AppearanceKind::kSigner;
        o.appearance.rect = *signer_box;
        o.page_index = static_cast<int>(info.pages.size()) - 1;
      }
      TINHSO_ASSIGN_OR_RETURN(out, signer->SignPdf(out, mine.back().id, actor, o));
    }
    if (!ours.empty()) {
      signing::PdfOptions o;
      o.reason = "Xác nhận của cơ quan";
      o.appearance.organisation = CommonName(ours.back().subject);
      // The seal with its text left of the signature when that fits on the page; else the
      // text box.
      if (signer_box && ours.back().has_appearance && fits(pdf::SealBox(*signer_box))) {
        o.appearance.kind = pdf::AppearanceKind::kOrganisationSeal;
        o.appearance.rect = pdf::SealBox(*signer_box);
        o.page_index = static_cast<int>(info.pages.size()) - 1;
      } else {
        o.appearance.kind = pdf::AppearanceKind::kOrganisationText;
        if (!info.pages.empty()) o.appearance.rect = pdf::TopRightBox(info.pages[0], 200, 60);
      }
      TINHSO_ASSIGN_OR_RETURN(out, signer->SignPdf(out, ours.back().id, actor, o));
    }
    return out;
  });
  // "Đã ký số bởi …" beside a result: the signers as the signatures name them, read once when
  // the result is stored.
  app->dossiers_->SetSignatureReader([signer = app->signing_.get()](std::string_view pdf) {
    std::string names;
    auto verified = signer->VerifyPdf(pdf);
    if (!verified.ok()) return names;
    for (const signing::SignatureReport& s : verified->signatures) {
      const std::string& who = s.signer_name.empty() ? s.signer_organization : s.signer_name;
      if (!who.empty() && names.find(who) == std::string::npos) {
        names += (names.empty() ? "" : "; ") + who;
      }
    }
    return names;
  });
  // The gateway signs its log like the audit checkpoints: with the province's organisation
  // certificate, unless [gateway] names another.
  gateway::Options gateway_options;
  gateway_options.signer = [raw = app.get(), configured = config.gateway_signing_certificate > 0
                                                              ? config.gateway_signing_certificate
                                                              : config.checkpoint_certificate] {
    return CheckpointSigner(*raw, configured);
  };
  if (master_key) {
    // Its own key, derived from the master key: the log's bodies never share a key with the
    // PKI's private keys.
    core::SecretKey body_key{};
    const std::string derived = core::Sha256(
        "tinhso gateway log bodies\n" +
        std::string(reinterpret_cast<const char*>(master_key->data()), master_key->size()));
    std::copy(derived.begin(), derived.end(), body_key.begin());
    gateway_options.body_key = body_key;
  }
  gateway_options.body_retention = std::chrono::hours(24 * config.gateway_body_retention_days);
  gateway_options.alerts = {.window = std::chrono::seconds(config.gateway_alert_window_seconds),
                            .min_calls = static_cast<int>(config.gateway_alert_min_calls),
                            .max_error_ratio = config.gateway_alert_error_ratio,
                            .max_p95 = std::chrono::milliseconds(config.gateway_alert_p95_ms)};
  gateway_options.stamping_grace = std::chrono::minutes(config.gateway_stamping_grace_minutes);
  gateway_options.archive_dir = config.gateway_archive_dir;
  gateway_options.log_retention = std::chrono::hours(24 * config.gateway_log_retention_days);
  // The national databases' upstream token ([nationaldb] token) is the gateway's credential
  // toward them, never the calling system's.
  gateway_options.upstream_credentials = [token =
                                              config.nationaldb.token](std::string_view service) {
    http::Headers headers;
    const bool national = service == nationaldb::kPopulationService ||
                          service == nationaldb::kCivilRegistrationService ||
                          service == nationaldb::kJudicialRecordsService ||
                          service == nationaldb::kCategoriesService;
    if (national && !token.empty()) headers.emplace_back("authorization", "Bearer " + token);
    return headers;
  };
  app->gateway_ = std::make_unique<gateway::Service>(db, clock, app->policy_, *app->pki_,
                                                     *app->signing_, std::move(gateway_options));
  gateway::RegisterRoutes(r, *app->gateway_);
  // The one-stop system reaches the national databases through the gateway, as its own
  // subsystem.
  app->national_ = std::make_unique<GatewayTransport>(
      *app->gateway_, [raw = app.get(), config] { return OneStopSubsystem(*raw, config); });
  app->population_ = std::make_unique<nationaldb::PopulationDatabase>(
      *app->national_,
      nationaldb::PopulationDatabase::Options{.ma_dich_vu = config.nationaldb_service_code});
  app->civil_registration_ = std::make_unique<nationaldb::CivilRegistration>(*app->national_);
  nationaldb::RegisterCitizenRoutes(r, *app->population_);
  // A citizen applicant's identity is checked against the population database at submission,
  // where one is connected.
  if (config.nationaldb.base_urls.contains(nationaldb::kPopulationService)) {
    app->dossiers_->SetIdentityChecker(PopulationChecker(*app->population_));
  }
  TINHSO_RETURN_IF_ERROR(EnsureNationalServices(*app, config));
  notify::RegisterRoutes(
      r, *app->outbox_,
      [dossier_service](const core::Actor& a, std::int64_t id) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(dossier_service->Get(id, a));
        return Ok();
      },
      config.receipt_secret);
  app->outgoing_ = std::make_unique<outbox::Outbox>(db, clock, app->policy_);
  outbox::RegisterRoutes(r, *app->outgoing_);
  app->national_statuses_ = std::make_unique<dvcqg::StatusTable>(db, clock, app->policy_);
  dvcqg::RegisterRoutes(r, *app->national_statuses_);
  // Civil registration dossiers go to the civil registry, where one is connected, from the
  // transaction that accepts them; the notifications are told first, as before.
  auto listeners = std::make_unique<EventListeners>();
  listeners->Add(app->notifier_.get());
  if (config.nationaldb.base_urls.contains(nationaldb::kCivilRegistrationService)) {
    app->civil_sender_ = std::make_unique<CivilRegistrationSender>(*app->outgoing_, *app->dossiers_,
                                                                   app->agencies_, config);
    listeners->Add(app->civil_sender_.get());
  }
  app->listeners_ = std::move(listeners);
  app->dossiers_->SetEventListener(app->listeners_.get());
  app->feedback_ = std::make_unique<feedback::Service>(db, clock, *policy);
  feedback::SiteInfo site = config.site;
  site.online_payment = !config.payment.init_url.empty();
  feedback::RegisterRoutes(r, *app->feedback_, std::move(site));
  app->categories_ = std::make_unique<nationaldb::Categories>(db, clock, *policy);
  nationaldb::RegisterCategoryRoutes(r, *app->categories_);
  payment::RegisterRoutes(
      r, *app->payments_,
      [policy](const core::Actor& a, std::string_view action, const payment::Payment& p) {
        return policy->Check(a, action, {p.agency_id, p.payer_user_id});
      });
  http::BuiltinOptions builtin;
  builtin.openapi.version = TINHSO_VERSION;
  const int costly_threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
  app->costly_ = std::make_shared<http::CostlyAdmission>(costly_threads, 8 * costly_threads);
  builtin.ready = [&db, costly = app->costly_]() -> Result<void> {
    if (costly->Saturated()) {
      return MakeError(ErrorCode::kUnavailable, "http.saturated",
                       "Máy chủ đang quá tải: hàng đợi đăng nhập và kiểm tra chữ ký đã đầy.",
                       "The server is saturated: the queue of sign-ins and signature checks is "
                       "full.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxKind::kReadOnly));
    TINHSO_RETURN_IF_ERROR(tx->Query("SELECT 1"));
    return Ok();
  };
  builtin.metrics_token = config.metrics_token;
  http::RegisterBuiltinRoutes(r, builtin);
  TINHSO_RETURN_IF_ERROR(app->CheckRoutes());
  return app;
}

Result<void> App::CheckRoutes() const {
  for (const auto& route : router_.routes()) {
    if (!auth::Policy::Knows(route->action)) {
      return InternalError("route " + std::string(http::MethodName(route->method)) + " " +
                           route->path + " names action '" + route->action +
                           "', which the policy table (src/auth/policy.cpp) does not know");
    }
  }
  return Ok();
}

Result<std::unique_ptr<storage::Database>> OpenMigrated(const std::string& url) {
  TINHSO_ASSIGN_OR_RETURN(auto db, storage::Open(url));
  TINHSO_RETURN_IF_ERROR(storage::Migrate(*db));
  return db;
}

}  // namespace tinhso::app
