#include "app/commands.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "app/app.hpp"
#include "app/context.hpp"
#include "app/demo_accounts.hpp"
#include "app/demo_categories.hpp"
#include "app/progress.hpp"
#include "audit/audit.hpp"
#include "core/parse.hpp"

namespace tinhso::app {
Result<std::unique_ptr<AppContext>> OpenApp(const Config& config) {
  auto ctx = std::make_unique<AppContext>();
  TINHSO_ASSIGN_OR_RETURN(ctx->db, OpenMigrated(config.database_url));
  TINHSO_ASSIGN_OR_RETURN(ctx->app, App::Create(*ctx->db, ctx->clock, config));
  return ctx;
}

namespace {

// Reads a password from standard input: with echo off and twice on a terminal, else one line.
Result<std::string> ReadPassword() {
  const bool tty = isatty(STDIN_FILENO) != 0;
  auto read_line = [tty](const char* prompt) -> std::string {
    termios old_mode{};
    if (tty) {
      std::cerr << prompt << std::flush;
      tcgetattr(STDIN_FILENO, &old_mode);
      termios silent = old_mode;
      silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
      tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
      std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  std::string password = read_line("Mật khẩu / Password: ");
  if (tty && read_line("Nhập lại / Again: ") != password) {
    return MakeError(ErrorCode::kInvalidArgument, "cli.password_mismatch",
                     "Hai lần nhập mật khẩu không khớp.", "The two passwords do not match.");
  }
  if (password.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "cli.password_missing",
                     "Không đọc được mật khẩu từ đầu vào chuẩn.",
                     "No password was given on standard input.");
  }
  return password;
}

Result<std::unique_ptr<App>> BuildApp(storage::Database& db, const core::Clock& clock) {
  return App::Create(db, clock, Config{});
}

}  // namespace

int ReportError(const Error& e) {
  std::cerr << "Lỗi: " << e.message_vi << "\nError: " << e.message_en << "\n";
  if (!e.detail.empty()) std::cerr << "(" << e.detail << ")\n";
  return e.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

int RunMigrate(const std::string& database_url) {
  auto db = storage::Open(database_url);
  if (!db.ok()) return ReportError(db.error());
  auto version = storage::Migrate(**db);
  if (!version.ok()) return ReportError(version.error());
  std::cout << "Lược đồ ở phiên bản " << *version << " / schema at version " << *version << "\n";
  return 0;
}

int RunDemoLoad(const DemoOptions& o) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = BuildApp(**db, clock);
  if (!app.ok()) return ReportError(app.error());
  const std::filesystem::path dir = std::filesystem::path(o.data_dir) / "demo";
  auto stats = agencies::LoadDemo((*app)->agencies(), dir, core::SystemActor());
  if (!stats.ok()) return ReportError(stats.error());
  std::cout << "Cơ quan: thêm " << stats->agencies_created << ", đã có " << stats->agencies_skipped
            << "; sắp xếp lại: áp dụng " << stats->reorganisations_applied << ", đã có "
            << stats->reorganisations_skipped << "\nAgencies: " << stats->agencies_created
            << " created, " << stats->agencies_skipped
            << " already there; reorganisations: " << stats->reorganisations_applied << " applied, "
            << stats->reorganisations_skipped << " already recorded\n";
  const auto catalog_file = std::filesystem::path(o.data_dir) / "catalog" / "procedures.json";
  auto imported = catalog::ImportFile((*app)->catalog(), catalog_file, core::SystemActor());
  if (!imported.ok()) return ReportError(imported.error());
  std::cout << "Thủ tục: thêm " << imported->created << ", cập nhật " << imported->updated
            << ", không đổi " << imported->unchanged << "\nProcedures: " << imported->created
            << " created, " << imported->updated << " updated, " << imported->unchanged
            << " unchanged\n";
  auto accounts = LoadDemoAccounts((*app)->accounts(), (*app)->agencies(), dir / "accounts.json");
  if (!accounts.ok()) return ReportError(accounts.error());
  std::cout << "Tài khoản mẫu: thêm " << accounts->created << ", đã có " << accounts->skipped
            << " (mật khẩu " << kDemoPassword << ")\nDemo accounts: " << accounts->created
            << " created, " << accounts->skipped << " already there (password " << kDemoPassword
            << ")\n";
  // The shared categories: the national lists of data/categories, and the demo province's
  // administrative units from the agency tree just loaded.
  auto categories = nationaldb::LoadCategoryFiles(
      (*app)->categories(), std::filesystem::path(o.data_dir) / "categories", core::SystemActor());
  if (!categories.ok()) return ReportError(categories.error());
  auto units =
      LoadDemoAdministrativeUnits((*app)->agencies(), (*app)->categories(), core::SystemActor());
  if (!units.ok()) return ReportError(units.error());
  const int published = categories->versions + units->versions;
  const int kept = categories->versions_skipped + units->versions_skipped;
  std::cout << "Danh mục dùng chung: công bố " << published << " phiên bản, đã có " << kept
            << "\nShared categories: " << published << " versions published, " << kept
            << " already there\n";
  std::int64_t to_add = o.dossiers;
  if (to_add > 0 && o.only_if_empty) {
    dossiers::ListQuery any;
    any.limit = 1;
    auto existing = (*app)->dossiers().List(any, core::SystemActor());
    if (!existing.ok()) return ReportError(existing.error());
    if (existing->total > 0) {
      std::cout << "Hồ sơ: đã có " << existing->total
                << ", không thêm\nDossiers: " << existing->total << " already there, none added\n";
      to_add = 0;
    }
  }
  if (to_add > 0) {
    Progress bar("Hồ sơ / Dossiers", to_add);
    auto loaded = dossiers::LoadDemo(**db, (*app)->agencies(), (*app)->catalog(),
                                     (*app)->calendar().Working(), clock.Now(), to_add, o.seed,
                                     [&bar](std::int64_t done, std::int64_t) { bar.Update(done); });
    bar.Finish();
    if (!loaded.ok()) return ReportError(loaded.error());
    std::cout << "Hồ sơ: thêm " << loaded->dossiers << " (" << loaded->events << " sự kiện) trong "
              << static_cast<std::int64_t>(loaded->seconds)
              << " giây\nDossiers: " << loaded->dossiers << " added (" << loaded->events
              << " events) in " << loaded->seconds << " s\n";
  }
  return 0;
}

int RunCatalogImport(const CatalogOptions& o) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = BuildApp(**db, clock);
  if (!app.ok()) return ReportError(app.error());
  auto stats = catalog::ImportFile((*app)->catalog(), o.file, core::SystemActor());
  if (!stats.ok()) return ReportError(stats.error());
  std::cout << "Thủ tục: thêm " << stats->created << ", cập nhật " << stats->updated
            << ", không đổi " << stats->unchanged << "; lĩnh vực/cơ quan: " << stats->sectors
            << "\nProcedures: " << stats->created << " created, " << stats->updated << " updated, "
            << stats->unchanged << " unchanged; sectors: " << stats->sectors << "\n";
  return 0;
}

int RunCatalogExport(const CatalogOptions& o) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = BuildApp(**db, clock);
  if (!app.ok()) return ReportError(app.error());
  auto catalog = (*app)->catalog().Export();
  if (!catalog.ok()) return ReportError(catalog.error());
  const std::string text = catalog::ToJson(*catalog);
  if (o.file.empty() || o.file == "-") {
    std::cout << text << "\n";
    return 0;
  }
  std::ofstream out(o.file, std::ios::binary | std::ios::trunc);
  out << text << "\n";
  if (!out) {
    return ReportError(MakeError(ErrorCode::kUnavailable, "cli.write_failed",
                                 "Không ghi được tệp " + o.file + ".",
                                 "Cannot write the file " + o.file + "."));
  }
  std::cerr << "Đã ghi / Written: " << o.file << " (" << catalog->procedures.size()
            << " thủ tục / procedures)\n";
  return 0;
}

namespace {

// The configured app for the commands that sign or verify (the PKI's, the audit log's).
// `create_key`: write a new master key file first when none is configured (pki init only).
Result<std::unique_ptr<AppContext>> OpenPki(const PkiOptions& o, bool create_key) {
  TINHSO_ASSIGN_OR_RETURN(Config config, LoadConfig(o.config_path));
  if (!o.database_url.empty()) config.database_url = o.database_url;
  std::error_code ec;
  if (create_key && config.pki_master_key.empty() &&
      !std::filesystem::exists(config.pki_master_key_file, ec)) {
    const std::filesystem::path file(config.pki_master_key_file);
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    const auto key = pki::NewMasterKey();
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(key.data()), key.size());
      if (!out) {
        return MakeError(ErrorCode::kUnavailable, "cli.write_failed",
                         "Không ghi được khóa chủ vào " + file.string() + ".",
                         "Cannot write the master key to " + file.string() + ".");
      }
    }
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    std::cerr << "Đã tạo khóa chủ / master key written: " << file.string()
              << " (sao lưu riêng / back it up apart from the database)\n";
  }
  return OpenApp(config);
}

Result<std::unique_ptr<AppContext>> OpenAudit(const AuditOptions& o) {
  TINHSO_ASSIGN_OR_RETURN(Config config, LoadConfig(o.config_path));
  if (!o.database_url.empty()) config.database_url = o.database_url;
  if (!o.checkpoint_dir.empty()) config.checkpoint_dir = o.checkpoint_dir;
  return OpenApp(config);
}

void PrintCertificate(const pki::Certificate& c) {
  std::cout << c.id << "\t" << pki::KindName(c.kind) << "\t" << pki::StatusName(c.status) << "\t"
            << core::FormatTimestamp(c.not_after) << "\t" << c.subject << "\n";
}

Result<std::int64_t> AgencyId(App& app, const std::string& code) {
  if (code.empty()) return std::int64_t{0};
  if (auto id = core::ParseInt64(code)) return *id;
  TINHSO_ASSIGN_OR_RETURN(auto resolved, app.agencies().Resolve(code));
  return resolved.agency.id;
}

}  // namespace

int RunPkiInit(const PkiOptions& o) {
  auto ctx = OpenPki(o, /*create_key=*/true);
  if (!ctx.ok()) return ReportError(ctx.error());
  pki::InitInput in;
  if (!o.province.empty()) in.province_name = o.province;
  auto type = pki::ParseKeyType(o.key_type);
  if (!type) {
    return ReportError(MakeError(ErrorCode::kInvalidArgument, "cli.key_type",
                                 "--key-type phải là ec-p256 hoặc rsa-3072.",
                                 "--key-type must be ec-p256 or rsa-3072."));
  }
  in.key_type = *type;
  auto made = (*ctx)->app->pki().Init(in, core::SystemActor());
  if (!made.ok()) return ReportError(made.error());
  std::cout << "CA gốc / root CA:\n";
  PrintCertificate(made->root);
  std::cout << "SHA-256: " << made->root.sha256 << "\nCA cấp phát / issuing CA:\n";
  PrintCertificate(made->issuing);
  return 0;
}

int RunPkiIssue(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  App& app = *(*ctx)->app;
  pki::IssueInput in;
  in.kind = pki::ParseKind(o.kind).value_or(pki::Kind::kRoot);  // kRoot: refused with a reason
  in.key_type = pki::ParseKeyType(o.key_type).value_or(pki::KeyType::kEcdsaP256);
  in.validity_days = o.days;
  in.subject.common_name = o.name;
  in.subject.organization = o.organization;
  in.subject.title = o.title;
  in.dns_names = o.dns_names;
  in.ip_addresses = o.ip_addresses;
  auto agency = AgencyId(app, o.agency);
  if (!agency.ok()) return ReportError(agency.error());
  in.agency_id = *agency;
  if (in.agency_id != 0) {
    auto a = app.agencies().Get(in.agency_id);
    if (!a.ok()) return ReportError(a.error());
    if (in.subject.organization.empty()) in.subject.organization = a->name;
    // A system's name is its own code (--name H55.19/motcua), never its agency's.
    if (in.subject.common_name.empty() && in.kind != pki::Kind::kOfficial &&
        in.kind != pki::Kind::kSystem) {
      in.subject.common_name = a->name;
    }
  }
  if (!o.user.empty()) {
    auto user = app.accounts().FindByLogin(o.user);
    if (!user.ok()) return ReportError(user.error());
    in.user_id = user->id;
    if (in.subject.common_name.empty()) in.subject.common_name = user->full_name;
    if (in.subject.title.empty()) in.subject.title = user->position;
  }
  auto c = app.pki().Issue(in, core::SystemActor());
  if (!c.ok()) return ReportError(c.error());
  PrintCertificate(*c);
  return 0;
}

int RunPkiRevoke(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto reason = pki::ParseRevocationReason(o.reason);
  if (!reason) {
    return ReportError(MakeError(ErrorCode::kInvalidArgument, "cli.reason",
                                 "--reason: unspecified, key_compromise, affiliation_changed, "
                                 "superseded hoặc cessation_of_operation.",
                                 "--reason: unspecified, key_compromise, affiliation_changed, "
                                 "superseded or cessation_of_operation."));
  }
  auto c = (*ctx)->app->pki().Revoke(o.id, *reason, core::SystemActor());
  if (!c.ok()) return ReportError(c.error());
  PrintCertificate(*c);
  return 0;
}

int RunPkiRenew(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto c = (*ctx)->app->pki().Renew(o.id, core::SystemActor());
  if (!c.ok()) return ReportError(c.error());
  PrintCertificate(*c);
  return 0;
}

int RunPkiList(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  pki::ListQuery q;
  q.include_inactive = true;
  q.limit = 500;
  auto list = (*ctx)->app->pki().List(q);
  if (!list.ok()) return ReportError(list.error());
  for (const auto& c : *list) PrintCertificate(c);
  return 0;
}

int RunPkiImport(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  App& app = *(*ctx)->app;
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    return ReportError(MakeError(ErrorCode::kNotFound, "cli.file_missing",
                                 "Không đọc được tệp " + o.file + ".",
                                 "Cannot read the file " + o.file + "."));
  }
  const std::string p12((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string password;
  std::getline(std::cin, password);
  auto agency = AgencyId(app, o.agency);
  if (!agency.ok()) return ReportError(agency.error());
  std::int64_t user_id = 0;
  if (!o.user.empty()) {
    auto user = app.accounts().FindByLogin(o.user);
    if (!user.ok()) return ReportError(user.error());
    user_id = user->id;
  }
  auto c = app.pki().ImportPkcs12(p12, password, pki::ParseKind(o.kind).value_or(pki::Kind::kRoot),
                                  *agency, user_id, core::SystemActor());
  if (!c.ok()) return ReportError(c.error());
  PrintCertificate(*c);
  return 0;
}

namespace {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "cli.file_missing", "Không đọc được tệp " + path + ".",
                     "Cannot read the file " + path + ".");
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

// The appearance of a PDF signature from the flags (signing::PdfOptionsFor has the rules).
Result<signing::PdfOptions> PdfSignOptions(const SignOptions& o, std::string_view pdf_bytes) {
  signing::PdfPlacement placement;
  placement.appearance = o.appearance;
  placement.page = o.page;
  placement.rect = o.rect;
  placement.field = o.field;
  placement.organisation = o.organisation;
  placement.document_number = o.document_number;
  placement.reason = o.reason;
  placement.timestamp = o.timestamp;
  if (!o.image.empty()) {
    TINHSO_ASSIGN_OR_RETURN(placement.image_png, ReadWholeFile(o.image));
  }
  return signing::PdfOptionsFor(placement, pdf_bytes);
}

int RunDemoPki(const PkiOptions& o, const std::string& data_dir) {
  auto ctx = OpenPki(o, /*create_key=*/true);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto stats =
      LoadDemoPki(*(*ctx)->app, std::filesystem::path(data_dir) / "demo" / "accounts.json");
  if (!stats.ok()) return ReportError(stats.error());
  if (!stats->initialised) {
    std::cout << "PKI: đã có, không đổi\nPKI: already set up, unchanged\n";
  } else {
    std::cout << "PKI mẫu: CA gốc, CA cấp phát và " << stats->certificates
              << " chứng thư (kèm hình chữ ký, con dấu mẫu)\nDemo PKI: root and issuing CA and "
              << stats->certificates << " certificates (with specimen signatures and seals)\n";
  }
  return 0;
}

int RunPkiExport(const PkiOptions& o) {
  const auto format = o.format == "pkcs12" ? std::optional(pki::ExportFormat::kPkcs12)
                      : o.format == "pem"  ? std::optional(pki::ExportFormat::kPem)
                                           : std::nullopt;
  if (!format || (o.no_password && *format != pki::ExportFormat::kPem)) {
    return ReportError(MakeError(ErrorCode::kInvalidArgument, "cli.format",
                                 "--format phải là pkcs12 hoặc pem; --no-password chỉ với pem.",
                                 "--format must be pkcs12 or pem; --no-password only with pem."));
  }
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  std::string password;
  if (!o.no_password) {
    auto read = ReadPassword();
    if (!read.ok()) return ReportError(read.error());
    password = std::move(*read);
  }
  auto file = (*ctx)->app->pki().Export(o.id, *format, password, core::SystemActor());
  if (!file.ok()) return ReportError(file.error());
  // Created owner-only before a byte is written: the file holds a private key.
  const int fd = ::open(o.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool written = fd >= 0 && ::fchmod(fd, 0600) == 0;
  for (std::size_t at = 0; written && at < file->size();) {
    const ssize_t n = ::write(fd, file->data() + at, file->size() - at);
    written = n > 0;
    at += written ? static_cast<std::size_t>(n) : 0;
  }
  if (fd >= 0 && ::close(fd) != 0) written = false;
  if (!written) {
    return ReportError(MakeError(ErrorCode::kUnavailable, "cli.write_failed",
                                 "Không ghi được tệp " + o.file + ".",
                                 "Cannot write the file " + o.file + "."));
  }
  std::cout << o.file << "\n";
  return 0;
}

int RunPkiAppearance(const PkiOptions& o) {
  auto ctx = OpenPki(o, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto png = ReadWholeFile(o.file);
  if (!png.ok()) return ReportError(png.error());
  auto c = (*ctx)->app->pki().SetAppearance(o.id, *png, core::SystemActor());
  if (!c.ok()) return ReportError(c.error());
  PrintCertificate(*c);
  return 0;
}

int RunSign(const SignOptions& o) {
  PkiOptions p;
  p.config_path = o.config_path;
  p.database_url = o.database_url;
  auto ctx = OpenPki(p, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto data = ReadWholeFile(o.in);
  if (!data.ok()) return ReportError(data.error());
  signing::Service& signer = (*ctx)->app->signing();
  Result<std::string> signature = std::string();
  if (o.format == "cms") {
    signing::CmsOptions options;
    options.timestamp = o.timestamp;
    signature = signer.SignCms(*data, o.signer, core::SystemActor(), options);
  } else if (o.format == "xml") {
    signature = signer.SignXml(*data, o.signer, core::SystemActor(),
                               o.edxml ? xmlsig::EdXmlHeader() : signing::XmlOptions{});
  } else {
    auto options = PdfSignOptions(o, *data);
    if (!options.ok()) return ReportError(options.error());
    signature = signer.SignPdf(*data, o.signer, core::SystemActor(), *options);
  }
  if (!signature.ok()) return ReportError(signature.error());
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out << *signature;
  if (!out) {
    return ReportError(MakeError(ErrorCode::kUnavailable, "cli.write_failed",
                                 "Không ghi được tệp " + o.out + ".",
                                 "Cannot write the file " + o.out + "."));
  }
  std::cerr << "Đã ký / signed: " << o.out << "\n";
  return 0;
}

int RunVerify(const VerifyOptions& o) {
  PkiOptions p;
  p.config_path = o.config_path;
  p.database_url = o.database_url;
  auto ctx = OpenPki(p, false);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto data = ReadWholeFile(o.file);
  if (!data.ok()) return ReportError(data.error());
  std::string signature;
  if (!o.signature.empty()) {
    auto read = ReadWholeFile(o.signature);
    if (!read.ok()) return ReportError(read.error());
    signature = std::move(*read);
  }
  auto verified = (*ctx)->app->signing().Verify(*data, signature);
  if (!verified.ok()) return ReportError(verified.error());
  std::cout << (o.json ? signing::ToJson(*verified) + "\n" : signing::ToText(*verified));
  return verified->AllValid() ? 0 : 1;
}

int RunPaymentReconcile(const PaymentOptions& o) {
  auto config = LoadConfig(o.config_path);
  if (!config.ok()) return ReportError(config.error());
  if (!o.database_url.empty()) config->database_url = o.database_url;
  if (config->payment.query_url.empty()) {
    return ReportError(MakeError(
        ErrorCode::kInvalidArgument, "cli.payment_not_configured",
        "Chưa cấu hình nền tảng thanh toán: cần [payment] query_url trong tệp cấu hình.",
        "The payment platform is not configured: [payment] query_url is needed in the config."));
  }
  auto db = OpenMigrated(config->database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = App::Create(**db, clock, *config);
  if (!app.ok()) return ReportError(app.error());
  auto report = (*app)->payments().Reconcile(clock.Now());
  if (!report.ok()) return ReportError(report.error());
  const auto& r = *report;
  std::cout << "Đối soát: kiểm tra " << r.checked << ", đã trả " << r.paid << ", hết hạn "
            << r.expired << ", thất bại " << r.failed << ", còn chờ " << r.still_pending
            << ", không hỏi được " << r.errors << "\nReconciled: " << r.checked << " checked, "
            << r.paid << " paid, " << r.expired << " expired, " << r.failed << " failed, "
            << r.still_pending << " still pending, " << r.errors << " unreachable\n";
  return r.errors > 0 ? 1 : 0;
}

int RunUserAdd(const UserOptions& o) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = BuildApp(**db, clock);
  if (!app.ok()) return ReportError(app.error());
  auth::NewUser u;
  bool kind_ok = false;
  u.kind = auth::ParseActorKind(o.kind, &kind_ok);
  u.login = o.login;
  u.full_name = o.full_name;
  u.position = o.position;
  u.email = o.email;
  u.phone = o.phone;
  for (std::string_view rest = o.roles; !rest.empty();) {
    const auto comma = rest.find(',');
    if (comma != 0) u.roles.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!o.agency.empty()) {
    if (auto id = core::ParseInt64(o.agency)) {
      u.agency_id = *id;
    } else {
      auto resolved = (*app)->agencies().Resolve(o.agency);
      if (!resolved.ok()) return ReportError(resolved.error());
      u.agency_id = resolved->agency.id;
    }
  }
  auto password = ReadPassword();
  if (!password.ok()) return ReportError(password.error());
  u.password = *password;
  auto created = (*app)->accounts().Create(u, core::SystemActor());
  if (!created.ok()) return ReportError(created.error());
  std::cout << "Đã tạo tài khoản / created account " << created->login << " (id " << created->id
            << ")\n";
  return 0;
}

namespace {

// Runs `change` on the account named by --login and says `done` (VI / EN) when it worked.
int ChangeAccount(const UserOptions& o, std::string_view done,
                  const std::function<Result<void>(auth::Accounts&, std::int64_t)>& change) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auth::Accounts accounts(**db, clock);
  auto user = accounts.FindByLogin(o.login);
  if (!user.ok()) return ReportError(user.error());
  auto r = change(accounts, user->id);
  if (!r.ok()) return ReportError(r.error());
  std::cout << done << " " << o.login << "\n";
  return 0;
}

}  // namespace

int RunUserDisable(const UserOptions& o) {
  return ChangeAccount(o, "Đã khóa tài khoản / disabled", [](auth::Accounts& a, std::int64_t id) {
    return a.SetDisabled(id, true, core::SystemActor());
  });
}

int RunUserUnlock(const UserOptions& o) {
  return ChangeAccount(
      o, "Đã gỡ chặn đăng nhập / unlocked",
      [](auth::Accounts& a, std::int64_t id) { return a.Unlock(id, core::SystemActor()); });
}

int RunUserResetPassword(const UserOptions& o) {
  auto db = OpenMigrated(o.database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auth::Accounts accounts(**db, clock);
  auto user = accounts.FindByLogin(o.login);
  if (!user.ok()) return ReportError(user.error());
  auto password = ReadPassword();
  if (!password.ok()) return ReportError(password.error());
  auto r = accounts.SetPassword(user->id, *password, core::SystemActor());
  if (!r.ok()) return ReportError(r.error());
  std::cout << "Đã đặt lại mật khẩu / password reset for " << o.login << "\n";
  return 0;
}

int RunBackup(const std::string& database_url, const std::string& to) {
  auto db = storage::Open(database_url);
  if (!db.ok()) return ReportError(db.error());
  Progress bar("Sao lưu / backup", 0);
  auto stats =
      storage::Backup(**db, to, [&bar](const storage::Progress& p) { bar.Update(p.total_rows); });
  bar.Finish();
  if (!stats.ok()) return ReportError(stats.error());
  std::cout << "Đã sao lưu " << stats->rows << " dòng của " << stats->tables << " bảng vào " << to
            << "\nBacked up " << stats->rows << " rows of " << stats->tables << " tables ("
            << stats->bytes << " bytes, schema " << stats->schema_version << ") to " << to << "\n";
  return 0;
}

int RunRestore(const std::string& from, const std::string& database_url) {
  auto db = OpenMigrated(database_url);
  if (!db.ok()) return ReportError(db.error());
  Progress bar("Khôi phục / restore", 0);
  auto stats = storage::Restore(from, **db,
                                [&bar](const storage::Progress& p) { bar.Update(p.total_rows); });
  bar.Finish();
  if (!stats.ok()) return ReportError(stats.error());
  std::cout << "Đã khôi phục " << stats->rows << " dòng của " << stats->tables << " bảng\n"
            << "Restored " << stats->rows << " rows of " << stats->tables << " tables\n";
  return 0;
}

int RunAuditVerify(const AuditOptions& o) {
  auto ctx = OpenAudit(o);
  if (!ctx.ok()) return ReportError(ctx.error());
  Progress bar("Kiểm tra nhật ký / verifying", 0);
  auto report = (*ctx)->app->checkpoints().Verify([&bar](std::int64_t n) { bar.Update(n); });
  bar.Finish();
  if (!report.ok()) return ReportError(report.error());
  const audit::VerifyReport& r = *report;
  if (!r.intact) {
    // Truncations, rewrites and bad checkpoints say where in their own words.
    const std::string at =
        r.problem == "chain" ? " tại bản ghi số " + std::to_string(r.first_bad) : std::string();
    const std::string at_en =
        r.problem == "chain" ? " at entry " + std::to_string(r.first_bad) : std::string();
    std::cerr << "NHẬT KÝ BỊ THAY ĐỔI" << at << ": " << r.problem_vi << "\nAUDIT LOG TAMPERED"
              << at_en << ": " << r.problem_en << "\n";
    return 3;
  }
  const std::string checked = std::to_string(r.checked);
  const std::string waiting = std::to_string(r.checked - r.anchored);
  std::cout << "Nhật ký toàn vẹn: " << checked << " bản ghi.\n";
  if (r.checkpoints > 0) {
    const std::string when = core::FormatVietnamDateTime(*r.anchored_at);
    std::cout << "Điểm neo: " << r.checkpoints << ", hợp lệ; điểm neo mới nhất (đóng dấu thời gian "
              << when << ") neo đến bản ghi số " << r.anchored << "; " << waiting
              << " bản ghi sau đó chưa được neo.\n";
    std::cout << "Audit log intact: " << checked << " entries.\nCheckpoints: " << r.checkpoints
              << ", valid; the newest (time-stamped " << when
              << ", Vietnam time) anchors entries up to " << r.anchored << "; " << waiting
              << " entries after it are not yet anchored.\n";
  } else {
    std::cout << "Chưa có điểm neo nào: " << waiting
              << " bản ghi chưa được neo (tinhso audit checkpoint ghi một điểm neo).\n"
              << "Audit log intact: " << checked << " entries.\nNo checkpoint yet: " << waiting
              << " entries are not yet anchored (tinhso audit checkpoint writes one).\n";
  }
  std::cout << "Head hash: " << r.head_hash << "\n";
  return 0;
}

int RunAuditCheckpoint(const AuditOptions& o) {
  auto ctx = OpenAudit(o);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto written = (*ctx)->app->checkpoints().Write((*ctx)->clock.Now(), /*always=*/true);
  if (!written.ok()) return ReportError(written.error());
  if (!*written) {
    std::cout << "Nhật ký trống: chưa có gì để neo.\nThe audit log is empty: nothing to anchor.\n";
    return 0;
  }
  std::cout << "Đã ghi điểm neo " << (*written)->name << " (đến bản ghi số " << (*written)->seq
            << ")\nCheckpoint written: " << (*written)->name << " (entries up to "
            << (*written)->seq << ")\n";
  return 0;
}

int RunCalendar(int year, const std::string& database_url) {
  if (database_url.empty()) {
    std::cout << calendar::YearToJson(calendar::BuildYear(year, {})) << "\n";
    return 0;
  }
  auto db = storage::Open(database_url);
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  calendar::CalendarService service(**db, clock);
  auto loaded = service.Load();
  if (!loaded.ok()) return ReportError(loaded.error());
  auto y = service.Year(year);
  if (!y.ok()) return ReportError(y.error());
  std::cout << calendar::YearToJson(*y) << "\n";
  return 0;
}

int RunOpenApi() {
  auto db = OpenMigrated("sqlite::memory:");
  if (!db.ok()) return ReportError(db.error());
  core::SystemClock clock;
  auto app = BuildApp(**db, clock);
  if (!app.ok()) return ReportError(app.error());
  // Through the route itself, so that this is byte for byte what the server serves.
  http::Router::Match match = (*app)->router().Find(http::Method::kGet, "/api/openapi.json");
  if (match.route == nullptr) return ReportError(InternalError("no /api/openapi.json route"));
  http::Request request;
  http::Context context;
  auto response = match.route->handler(request, context);
  if (!response.ok()) return ReportError(response.error());
  std::cout << response->body << "\n";
  return 0;
}

int RunVersion() {
  std::cout << "tinhso " << TINHSO_VERSION << "\n";
  return 0;
}

}  // namespace tinhso::app
