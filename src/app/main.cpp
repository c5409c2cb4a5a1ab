// The one binary, `tinhso`: flag parsing only. Every subcommand lives in commands.cpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"

namespace {

// list, show, retry and cancel under `parent` (today `tinhso outbox`; the gateway's commands may
// mount the same under `tinhso gateway outbox`). `o` and `exit_code` must outlive the parse.
void AddOutboxCommands(CLI::App& parent, tinhso::app::OutboxCliOptions& o, int& exit_code,
                       const std::string& db_help) {
  using namespace tinhso::app;
  parent.require_subcommand(1);
  auto* list = parent.add_subcommand(
      "list", "Outgoing messages, newest first / Liệt kê tin gửi đi (mới nhất trước)");
  list->add_option("--status", o.status,
                   "queued, sending, retrying, delivered, dead, cancelled (trạng thái)");
  list->add_option("--destination", o.destination, "one destination's, e.g. dvcqg.dossier");
  list->add_option("--limit", o.limit, "at most this many (default 50)")->check(CLI::Range(1, 500));
  list->add_option("--offset", o.offset, "skip this many (default 0)")
      ->check(CLI::NonNegativeNumber);
  list->callback([&] { exit_code = RunOutboxList(o); });
  auto* show = parent.add_subcommand(
      "show", "One message with its headers, body and attempts / Xem một tin và các lần gửi");
  show->callback([&] { exit_code = RunOutboxShow(o); });
  auto* retry = parent.add_subcommand(
      "retry",
      "Send a dead or cancelled message again, now / Gửi lại tin gửi thất bại hoặc đã hủy");
  retry->callback([&] { exit_code = RunOutboxRetry(o); });
  auto* cancel =
      parent.add_subcommand("cancel", "Cancel a queued or retrying message / Hủy tin đang chờ gửi");
  cancel->callback([&] { exit_code = RunOutboxCancel(o); });
  for (CLI::App* sub : {show, retry, cancel}) {
    sub->add_option("ID", o.id, "the message's id (mã tin)")
        ->required()
        ->check(CLI::PositiveNumber);
  }
  for (CLI::App* sub : {list, show, retry, cancel})
    sub->add_option("--database", o.database_url, db_help);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tinhso::app;
  CLI::App cli{
      "tinhso — nền tảng chính quyền số cấp tỉnh / provincial digital-government platform"};
  cli.require_subcommand(1);
  const std::string kDbHelp = "database URL: sqlite:PATH or postgresql://… (cơ sở dữ liệu)";
  const std::string kDefaultDb = "sqlite:var/tinhso.db";
  int exit_code = 0;

  ServeOptions serve;
  auto* serve_cmd = cli.add_subcommand("serve", "Serve the web UI and API / Chạy máy chủ");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (default 127.0.0.1:8080)");
  serve_cmd->add_option("--database", serve.database_url, kDbHelp);
  serve_cmd->add_option("--config", serve.config_path, "TOML configuration file")
      ->check(CLI::ExistingFile);
  serve_cmd->add_flag("--with-simulators", serve.with_simulators,
                      "Start stand-ins for the outside systems the configuration does not name "
                      "(the demo) / Chạy các hệ thống giả lập cho bản demo");
  serve_cmd->callback([&] { exit_code = RunServe(serve); });

  std::string migrate_db = kDefaultDb;
  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations / Cập nhật lược đồ");
  migrate_cmd->add_option("--database", migrate_db, kDbHelp);
  migrate_cmd->callback([&] { exit_code = RunMigrate(migrate_db); });

  DemoOptions demo;
  demo.database_url = kDefaultDb;
  auto* demo_cmd = cli.add_subcommand("demo", "Demo data / Dữ liệu mẫu");
  demo_cmd->require_subcommand(1);
  auto* demo_load = demo_cmd->add_subcommand(
      "load", "Load the demo province (Bắc Kạn → Thái Nguyên) / Nạp tỉnh mẫu");
  demo_load->add_option("--database", demo.database_url, kDbHelp);
  demo_load->add_option("--data", demo.data_dir, "demo data folder (default: data)");
  demo_load->add_option("--dossiers", demo.dossiers,
                        "also add N dossiers spread over the past year / thêm N hồ sơ mẫu");
  demo_load->add_flag("--if-empty", demo.only_if_empty,
                      "add the dossiers only when the database has none (make run)");
  demo_load->add_option("--seed", demo.seed, "random seed for the dossiers (default 2025)");
  demo_load->callback([&] { exit_code = RunDemoLoad(demo); });
  PkiOptions demo_pki_opts;
  demo_pki_opts.database_url = kDefaultDb;
  auto* demo_pki = demo_cmd->add_subcommand(
      "pki",
      "A demo PKI: CAs, a time-stamping unit, certificates with specimen signatures and seals "
      "for the demo leaders and their agencies; writes the master key file if missing / PKI mẫu");
  demo_pki->add_option("--database", demo_pki_opts.database_url, kDbHelp);
  demo_pki->add_option("--config", demo_pki_opts.config_path, "config file (TOML)");
  demo_pki->add_option("--data", demo.data_dir, "demo data folder (default: data)");
  demo_pki->callback([&] { exit_code = RunDemoPki(demo_pki_opts, demo.data_dir); });

  CatalogOptions catalog;
  catalog.database_url = kDefaultDb;
  auto* catalog_cmd = cli.add_subcommand("catalog", "Procedure catalog / Danh mục thủ tục");
  catalog_cmd->require_subcommand(1);
  auto* catalog_import = catalog_cmd->add_subcommand(
      "import", "Import (create or update) procedures from a JSON file / Nhập danh mục");
  catalog_import->add_option("--database", catalog.database_url, kDbHelp);
  catalog_import->add_option("file", catalog.file, "catalog JSON file")->required();
  catalog_import->callback([&] { exit_code = RunCatalogImport(catalog); });
  auto* catalog_export =
      catalog_cmd->add_subcommand("export", "Export the catalog as JSON / Xuất danh mục");
  catalog_export->add_option("--database", catalog.database_url, kDbHelp);
  catalog_export->add_option("--out", catalog.file, "output file (default: standard output)");
  catalog_export->callback([&] { exit_code = RunCatalogExport(catalog); });

  PkiOptions pki_opts;
  auto* pki_cmd = cli.add_subcommand("pki", "The provincial PKI / Hạ tầng khóa công khai");
  pki_cmd->require_subcommand(1);
  auto pki_common = [&](CLI::App* c) {
    c->add_option("--config", pki_opts.config_path, "tinhso.toml ([pki] master_key_file)");
    c->add_option("--database", pki_opts.database_url, kDbHelp);
  };
  auto* pki_init = pki_cmd->add_subcommand(
      "init", "Create the root and issuing CA (and the master key file) / Khởi tạo CA");
  pki_common(pki_init);
  pki_init->add_option("--key-type", pki_opts.key_type, "ec-p256 (default) or rsa-3072");
  pki_init->add_option("--province", pki_opts.province, "O of the CAs, e.g. the province's PC");
  pki_init->callback([&] { exit_code = RunPkiInit(pki_opts); });
  auto* pki_issue = pki_cmd->add_subcommand("issue", "Issue a certificate / Cấp chứng thư số");
  pki_common(pki_issue);
  pki_issue->add_option("--kind", pki_opts.kind, "organisation, official, tsa or system")
      ->required();
  pki_issue->add_option("--agency", pki_opts.agency, "agency code or id");
  pki_issue->add_option("--user", pki_opts.user, "login of the official");
  pki_issue->add_option("--name", pki_opts.name, "CN (default: the agency's or person's name)");
  pki_issue->add_option("--organization", pki_opts.organization, "O (default: the agency)");
  pki_issue->add_option("--title", pki_opts.title, "the official's position");
  pki_issue->add_option("--key-type", pki_opts.key_type, "ec-p256 (default) or rsa-3072");
  pki_issue->add_option("--days", pki_opts.days, "validity in days (default 1095)");
  pki_issue->add_option("--dns", pki_opts.dns_names, "system: a DNS name it serves (repeatable)");
  pki_issue->add_option("--ip", pki_opts.ip_addresses, "system: an IP address it serves");
  pki_issue->callback([&] { exit_code = RunPkiIssue(pki_opts); });
  auto* pki_revoke = pki_cmd->add_subcommand("revoke", "Revoke a certificate / Thu hồi");
  pki_common(pki_revoke);
  pki_revoke->add_option("--id", pki_opts.id, "certificate id")->required();
  pki_revoke->add_option("--reason", pki_opts.reason, "unspecified, key_compromise, …");
  pki_revoke->callback([&] { exit_code = RunPkiRevoke(pki_opts); });
  auto* pki_renew = pki_cmd->add_subcommand("renew", "Renew a certificate / Gia hạn");
  pki_common(pki_renew);
  pki_renew->add_option("--id", pki_opts.id, "certificate id")->required();
  pki_renew->callback([&] { exit_code = RunPkiRenew(pki_opts); });
  auto* pki_appearance = pki_cmd->add_subcommand(
      "appearance", "Register a signature image or seal (PNG) / Đăng ký hình chữ ký, con dấu");
  pki_common(pki_appearance);
  pki_appearance->add_option("--id", pki_opts.id, "certificate id")->required();
  pki_appearance->add_option("--file", pki_opts.file, "PNG")->required();
  pki_appearance->callback([&] { exit_code = RunPkiAppearance(pki_opts); });
  auto* pki_export = pki_cmd->add_subcommand(
      "export", "Export a system certificate with its key / Xuất chứng thư hệ thống kèm khóa");
  pki_common(pki_export);
  pki_export->add_option("--id", pki_opts.id, "certificate id")->required();
  pki_export->add_option("--format", pki_opts.format, "pkcs12 (default) or pem");
  pki_export->add_flag("--no-password", pki_opts.no_password,
                       "pem: the key in the clear (else a password from standard input)");
  pki_export->add_option("out", pki_opts.file, "the file to write (owner-only)")->required();
  pki_export->callback([&] { exit_code = RunPkiExport(pki_opts); });
  auto* pki_list = pki_cmd->add_subcommand("list", "List certificates / Danh sách chứng thư");
  pki_common(pki_list);
  pki_list->callback([&] { exit_code = RunPkiList(pki_opts); });
  auto* pki_import = pki_cmd->add_subcommand(
      "import", "Import a PKCS#12 file (password on standard input) / Nhập tệp PKCS#12");
  pki_common(pki_import);
  pki_import->add_option("file", pki_opts.file, "the .p12/.pfx file")->required();
  pki_import->add_option("--kind", pki_opts.kind, "organisation or official")->required();
  pki_import->add_option("--agency", pki_opts.agency, "agency code or id")->required();
  pki_import->add_option("--user", pki_opts.user, "login of the official");
  pki_import->callback([&] { exit_code = RunPkiImport(pki_opts); });

  SignOptions sign;
  auto* sign_cmd = cli.add_subcommand("sign", "Sign a file / Ký số tệp");
  sign_cmd->require_subcommand(1);
  auto* sign_cms = sign_cmd->add_subcommand(
      "cms", "A detached CMS/CAdES signature of any file / Chữ ký CMS tách rời");
  sign_cms->add_option("--config", sign.config_path, "tinhso.toml ([pki] master_key_file)");
  sign_cms->add_option("--database", sign.database_url, kDbHelp);
  sign_cms->add_option("--signer", sign.signer, "certificate id (tinhso pki list)")->required();
  sign_cms->add_flag("!--no-timestamp", sign.timestamp, "without a time-stamp (CAdES-BES only)");
  sign_cms->add_option("in", sign.in, "the file to sign")->required();
  sign_cms->add_option("out", sign.out, "where to write the signature (.p7s)")->required();
  sign_cms->callback([&] {
    sign.format = "cms";
    exit_code = RunSign(sign);
  });
  auto* sign_pdf = sign_cmd->add_subcommand(
      "pdf", "A PAdES signature in the PDF, as NĐ 30/2020 places it / Ký số tệp PDF");
  auto* sign_xml = sign_cmd->add_subcommand(
      "xml", "An enveloped XML-DSig signature (edXML too) / Ký số tài liệu XML");
  for (CLI::App* c : {sign_pdf, sign_xml}) {
    c->add_option("--config", sign.config_path, "tinhso.toml ([pki] master_key_file)");
    c->add_option("--database", sign.database_url, kDbHelp);
    c->add_option("--signer", sign.signer, "certificate id (tinhso pki list)")->required();
    c->add_option("in", sign.in, "the file to sign")->required();
    c->add_option("out", sign.out, "where to write the signed file")->required();
  }
  sign_pdf->add_flag("!--no-timestamp", sign.timestamp, "without a time-stamp");
  sign_pdf->add_option("--appearance", sign.appearance, "invisible (default), signer, seal, text");
  sign_pdf->add_option(
      "--image", sign.image,
      "PNG of the signature (signer) or the seal (seal); default: the certificate's own");
  sign_pdf
      ->add_option("--rect", sign.rect,
                   "x y width height of the signer's box, in points, on the page as displayed")
      ->expected(4);
  sign_pdf->add_option("--field", sign.field,
                       "an empty signature field of the PDF to sign in (without --rect: the "
                       "file's only one)");
  sign_pdf->add_option("--page", sign.page, "the page, from 1 (default 1)");
  sign_pdf->add_option("--organisation", sign.organisation, "the name on the seal or text box");
  sign_pdf->add_option("--number", sign.document_number, "số/ký hiệu for the text box");
  sign_pdf->add_option("--reason", sign.reason, "/Reason");
  sign_pdf->callback([&] {
    sign.format = "pdf";
    exit_code = RunSign(sign);
  });
  sign_xml->add_flag("--edxml", sign.edxml, "into edXMLHeader (QCVN 102:2016)");
  sign_xml->callback([&] {
    sign.format = "xml";
    exit_code = RunSign(sign);
  });

  VerifyOptions verify;
  auto* verify_cmd = cli.add_subcommand(
      "verify", "Verify the signatures of a file (exit 0 = all valid) / Kiểm tra chữ ký số");
  verify_cmd->add_option("--config", verify.config_path, "tinhso.toml");
  verify_cmd->add_option("--database", verify.database_url, kDbHelp);
  verify_cmd->add_option("--signature", verify.signature,
                         "a detached CMS signature (.p7s); PDF and XML carry theirs");
  verify_cmd->add_flag("--json", verify.json, "the report as JSON");
  verify_cmd->add_option("file", verify.file, "the signed file")->required();
  verify_cmd->callback([&] { exit_code = RunVerify(verify); });

  PaymentOptions payment;
  auto* payment_cmd = cli.add_subcommand("payment", "Online payments / Thanh toán trực tuyến");
  payment_cmd->require_subcommand(1);
  auto* reconcile = payment_cmd->add_subcommand(
      "reconcile", "Settle payments whose confirmation never came / Đối soát thanh toán");
  reconcile->add_option("--config", payment.config_path, "tinhso.toml with a [payment] section");
  reconcile->add_option("--database", payment.database_url, kDbHelp);
  reconcile->callback([&] { exit_code = RunPaymentReconcile(payment); });

  UserOptions user;
  user.database_url = kDefaultDb;
  auto* user_cmd = cli.add_subcommand("user", "Accounts / Tài khoản");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand(
      "add", "Create an account; the password is read from standard input");
  user_add->add_option("--database", user.database_url, kDbHelp);
  user_add->add_option("--login", user.login, "user name, CCCD or tax code")->required();
  user_add->add_option("--name", user.full_name, "full name / họ và tên")->required();
  user_add->add_option("--kind", user.kind, "officer | citizen | business | admin")
      ->check(CLI::IsMember({"officer", "citizen", "business", "admin"}));
  user_add->add_option("--agency", user.agency, "agency code (H55.12 or 000.00.12.H55) or id");
  user_add->add_option("--position", user.position, "position / chức danh");
  user_add->add_option("--roles", user.roles, "officer,reception,clerk,leader");
  user_add->add_option("--email", user.email, "email");
  user_add->add_option("--phone", user.phone, "phone");
  user_add->callback([&] { exit_code = RunUserAdd(user); });
  auto* user_disable = user_cmd->add_subcommand("disable", "Disable an account / Khóa tài khoản");
  user_disable->add_option("--database", user.database_url, kDbHelp);
  user_disable->add_option("--login", user.login, "user name")->required();
  user_disable->callback([&] { exit_code = RunUserDisable(user); });
  auto* user_unlock = user_cmd->add_subcommand(
      "unlock", "Forget an account's failed sign-ins / Gỡ chặn đăng nhập sai");
  user_unlock->add_option("--database", user.database_url, kDbHelp);
  user_unlock->add_option("--login", user.login, "user name")->required();
  user_unlock->callback([&] { exit_code = RunUserUnlock(user); });
  auto* user_reset = user_cmd->add_subcommand(
      "reset-password", "Set a new password, read from standard input / Đặt lại mật khẩu");
  user_reset->add_option("--database", user.database_url, kDbHelp);
  user_reset->add_option("--login", user.login, "user name")->required();
  user_reset->callback([&] { exit_code = RunUserResetPassword(user); });

  std::string backup_db = kDefaultDb, backup_to;
  auto* backup_cmd = cli.add_subcommand(
      "backup", "Consistent online backup, portable between SQLite and PostgreSQL / Sao lưu");
  backup_cmd->add_option("--database", backup_db, kDbHelp);
  backup_cmd->add_option("--to", backup_to, "backup file")->required();
  backup_cmd->callback([&] { exit_code = RunBackup(backup_db, backup_to); });

  std::string restore_db = kDefaultDb, restore_from;
  auto* restore_cmd =
      cli.add_subcommand("restore", "Restore a backup into an empty database / Khôi phục");
  restore_cmd->add_option("--from", restore_from, "backup file")
      ->required()
      ->check(CLI::ExistingFile);
  restore_cmd->add_option("--database", restore_db, kDbHelp);
  restore_cmd->callback([&] { exit_code = RunRestore(restore_from, restore_db); });

  AuditOptions audit_opts;
  auto* audit_cmd = cli.add_subcommand("audit", "Audit log / Nhật ký");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify",
      "Check the hash chain against every checkpoint; exit 0 only when intact / Kiểm tra toàn vẹn");
  auto* audit_checkpoint = audit_cmd->add_subcommand(
      "checkpoint", "Sign and time-stamp the chain head now / Ghi điểm neo nhật ký");
  for (CLI::App* sub : {audit_verify, audit_checkpoint}) {
    sub->add_option("--config", audit_opts.config_path, "TOML configuration file");
    sub->add_option("--database", audit_opts.database_url, kDbHelp);
    sub->add_option("--checkpoint-dir", audit_opts.checkpoint_dir,
                    "checkpoint directory (default: [audit] checkpoint_dir)");
  }
  audit_verify->callback([&] { exit_code = RunAuditVerify(audit_opts); });
  audit_checkpoint->callback([&] { exit_code = RunAuditCheckpoint(audit_opts); });

  // tinhso gateway …
  GatewayOptions gw;
  auto* gateway_cmd = cli.add_subcommand(
      "gateway", "Data-integration gateway (LGSP) / Nền tảng tích hợp, chia sẻ dữ liệu");
  gateway_cmd->require_subcommand(1);
  auto with_db = [&gw, kDbHelp](CLI::App* sub) {
    sub->add_option("--config", gw.config_path, "TOML configuration file");
    sub->add_option("--database", gw.database_url, kDbHelp);
    return sub;
  };
  auto* gw_members = gateway_cmd->add_subcommand("members", "Members / Thành viên");
  gw_members->require_subcommand(1);
  with_db(gw_members->add_subcommand("list", "List members / Danh sách"))->callback([&] {
    exit_code = RunGatewayMembers(gw, false);
  });
  auto* gw_member_add = with_db(gw_members->add_subcommand("add", "Add a member / Thêm"));
  gw_member_add->add_option("--code", gw.code, "electronic identification code, e.g. H55.19")
      ->required();
  gw_member_add->add_option("--name", gw.name, "name")->required();
  gw_member_add->callback([&] { exit_code = RunGatewayMembers(gw, true); });

  auto* gw_systems = gateway_cmd->add_subcommand(
      "subsystems", "Members' information systems / Hệ thống thông tin");
  gw_systems->require_subcommand(1);
  with_db(gw_systems->add_subcommand("list", "List systems / Danh sách"))->callback([&] {
    exit_code = RunGatewaySubsystems(gw, "list");
  });
  auto* gw_system_set = with_db(gw_systems->add_subcommand(
      "set", "Change a system's addresses, rate, or enable/disable it / Sửa hệ thống"));
  gw_system_set->add_option("--subsystem", gw.subsystem, "<member>/<name>")->required();
  gw_system_set->add_option("--allow-ip", gw.allowed_ips, "the only addresses it may call from");
  gw_system_set->add_flag("--any-ip", gw.any_ip, "drop the address limit")->excludes("--allow-ip");
  gw_system_set->add_option("--rate", gw.new_rate, "its calls a second")
      ->check(CLI::Range(1, 100'000));
  gw_system_set->add_flag("--enable{true},--disable{false}", gw.enabled,
                          "let it call, or refuse its calls at once");
  gw_system_set->callback([&] { exit_code = RunGatewaySubsystems(gw, "set"); });
  auto* gw_system_add = with_db(gw_systems->add_subcommand("add", "Add a system / Thêm"));
  gw_system_add->add_option("--member", gw.member, "the member's code")->required();
  gw_system_add->add_option("--name", gw.name, "the system's name, e.g. motcua")->required();
  gw_system_add->add_option("--allow-ip", gw.allowed_ips, "addresses it may call from");
  gw_system_add->add_option("--rate", gw.rate_per_second, "its calls a second (default 50)")
      ->check(CLI::Range(1, 100'000));
  gw_system_add->callback([&] { exit_code = RunGatewaySubsystems(gw, "add"); });
  auto* gw_token = with_db(gateway_cmd->add_subcommand(
      "token", "Issue a new access token to a system / Cấp mã truy cập"));
  gw_token->add_option("--subsystem", gw.subsystem, "<member>/<name>")->required();
  gw_token->add_flag("--revoke", gw.revoke, "revoke its token instead (it stops working at once)");
  gw_token->callback([&] { exit_code = RunGatewayToken(gw); });
  auto* gw_cert = with_db(gateway_cmd->add_subcommand(
      "certificate", "Bind a system's client certificate (mutual TLS) / Gắn chứng thư số"));
  gw_cert->add_option("--subsystem", gw.subsystem, "<member>/<name>")->required();
  auto* cert_file =
      gw_cert->add_option("--file", gw.certificate_file, "PEM or DER")->check(CLI::ExistingFile);
  gw_cert->add_flag("--unbind", gw.unbind, "unbind its certificate instead")->excludes(cert_file);
  gw_cert->callback([&] { exit_code = RunGatewayCertificate(gw); });

  auto* gw_services = gateway_cmd->add_subcommand("services", "Services / Dịch vụ");
  gw_services->require_subcommand(1);
  with_db(gw_services->add_subcommand("list", "List services / Danh sách"))->callback([&] {
    exit_code = RunGatewayServices(gw, false);
  });
  auto* gw_service_put =
      with_db(gw_services->add_subcommand("put", "Register or change a service / Đăng ký"));
  gw_service_put->add_option("--code", gw.code, "the service's code, e.g. csdl-dancu")->required();
  gw_service_put->add_option("--provider", gw.subsystem, "the providing system, <member>/<name>")
      ->required();
  gw_service_put->add_option("--name", gw.name, "name")->required();
  gw_service_put->add_option("--upstream", gw.upstream_url, "http[s]://host:port/base")->required();
  gw_service_put->callback([&] { exit_code = RunGatewayServices(gw, true); });

  auto* gw_rights = gateway_cmd->add_subcommand("rights", "Access rights / Quyền truy cập");
  gw_rights->require_subcommand(1);
  with_db(gw_rights->add_subcommand("list", "Active rights / Quyền đang hiệu lực"))->callback([&] {
    exit_code = RunGatewayRights(gw, "list");
  });
  auto* gw_grant = with_db(gw_rights->add_subcommand("grant", "Grant a right / Cấp quyền"));
  gw_grant->add_option("--client", gw.subsystem, "the calling system, <member>/<name>")->required();
  gw_grant->add_option("--service", gw.service, "the service's code")->required();
  gw_grant->add_option("--per-minute", gw.per_minute, "quota, 0 = none");
  gw_grant->add_option("--per-day", gw.per_day, "quota, 0 = none");
  gw_grant->callback([&] { exit_code = RunGatewayRights(gw, "grant"); });
  auto* gw_withdraw =
      with_db(gw_rights->add_subcommand("withdraw", "Withdraw a right / Thu hồi quyền"));
  gw_withdraw->add_option("--id", gw.id, "the right's number")->required();
  gw_withdraw->callback([&] { exit_code = RunGatewayRights(gw, "withdraw"); });

  auto* gw_log = gateway_cmd->add_subcommand("log", "Message log / Nhật ký giao dịch");
  gw_log->require_subcommand(1);
  auto* gw_log_list = with_db(gw_log->add_subcommand("list", "Newest records / Bản ghi mới"));
  gw_log_list->add_option("--client", gw.subsystem, "only this calling system");
  gw_log_list->add_option("--service", gw.service, "only this service");
  gw_log_list->add_option("--limit", gw.limit, "how many (default 20)");
  gw_log_list->callback([&] { exit_code = RunGatewayLogList(gw); });
  auto* gw_verify = with_db(gw_log->add_subcommand(
      "verify",
      "Check the archive files and the database: the chain, every signature and time-stamp; exit "
      "0 only when intact / Kiểm tra toàn vẹn"));
  gw_verify->callback([&] { exit_code = RunGatewayLogVerify(gw); });
  auto* gw_archive = with_db(gw_log->add_subcommand(
      "archive",
      "Write the time-stamped records to signed archive files now, each linked to the previous "
      "one / Lưu trữ nhật ký ra tệp có ký số"));
  gw_archive->add_flag("--purge", gw.purge,
                       "then delete from the database the archived records past [gateway] "
                       "log_retention_days");
  gw_archive->callback([&] { exit_code = RunGatewayLogArchive(gw); });
  with_db(gw_log->add_subcommand("stamp", "Time-stamp the waiting records now / Đóng dấu"))
      ->callback([&] { exit_code = RunGatewayLogStamp(gw); });
  auto* gw_evidence = with_db(gw_log->add_subcommand(
      "evidence", "Export one record's evidence, checked by openssl / Xuất bằng chứng"));
  gw_evidence->add_option("--id", gw.id, "the record's number (seq)")->required();
  gw_evidence->add_option("--out", gw.out, "directory (default evidence-<id>)");
  for (CLI::App* sub : {gw_verify, gw_archive, gw_evidence}) {
    sub->add_option("--archive-dir", gw.archive_dir,
                    "archive directory (default: [gateway] archive_dir)");
  }
  gw_evidence->callback([&] { exit_code = RunGatewayLogEvidence(gw); });
  // The outbox's operators' commands, also here, beside the rest of the gateway's.
  OutboxCliOptions gateway_outbox_opts;
  gateway_outbox_opts.database_url = kDefaultDb;
  AddOutboxCommands(*gateway_cmd->add_subcommand(
                        "outbox", "Messages to other systems / Tin gửi đi các hệ thống khác"),
                    gateway_outbox_opts, exit_code, kDbHelp);
  OutboxCliOptions outbox_opts;
  outbox_opts.database_url = kDefaultDb;
  AddOutboxCommands(
      *cli.add_subcommand("outbox", "Messages to other systems / Tin gửi đi các hệ thống khác"),
      outbox_opts, exit_code, kDbHelp);

  int year = 0;
  std::string calendar_db;
  auto* calendar_cmd = cli.add_subcommand(
      "calendar", "A year's days off and swapped working days as JSON / Lịch nghỉ");
  calendar_cmd->add_option("YEAR", year, "year, e.g. 2026")
      ->required()
      ->check(CLI::Range(1900, 2199));
  calendar_cmd->add_option("--database", calendar_db,
                           "include the administrator's overrides from this database");
  calendar_cmd->callback([&] { exit_code = RunCalendar(year, calendar_db); });

  cli.add_subcommand("openapi",
                     "Print the OpenAPI document the server serves at /api/openapi.json, without "
                     "a server or database / Tài liệu OpenAPI")
      ->callback([&] { exit_code = RunOpenApi(); });

  cli.add_subcommand("version", "Print the version / Phiên bản")->callback([&] {
    exit_code = RunVersion();
  });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return exit_code;
}
