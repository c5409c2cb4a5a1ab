// One function per subcommand of the `tinhso` binary. main.cpp parses flags (CLI11) into these
// plain structs; each command builds the services it needs and calls them. Return: exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tinhso::app {

struct ServeOptions {
  std::string config_path;
  std::string listen;        // overrides the config when set
  std::string database_url;  // overrides the config when set
  // The demo (`make run`): stand-ins for the outside systems that are not configured, started
  // on loopback with the server (today the national payment platform's simulator).
  bool with_simulators = false;
};
int RunServe(const ServeOptions& o);

// Prints `e` on standard error, Vietnamese then English, and returns the exit code: 2 for
// usage and configuration problems, 1 for everything else.
int ReportError(const Error& e);

int RunMigrate(const std::string& database_url);

struct DemoOptions {
  std::string database_url;
  std::string data_dir = "data";
  std::int64_t dossiers = 0;   // also add this many dossiers over the past year
  bool only_if_empty = false;  // ... but only into a database without dossiers (make run)
  std::uint64_t seed = 2025;
};
int RunDemoLoad(const DemoOptions& o);

struct UserOptions {
  std::string database_url;
  std::string login;
  std::string full_name;
  std::string kind = "officer";
  std::string agency;  // agency code (either notation) or id
  std::string position;
  std::string roles;  // comma-separated
  std::string email;
  std::string phone;
};
struct CatalogOptions {
  std::string database_url;
  std::string file;  // import: the catalog JSON; export: where to write ("-" = stdout)
};
int RunCatalogImport(const CatalogOptions& o);
int RunCatalogExport(const CatalogOptions& o);

struct PkiOptions {
  std::string config_path;
  std::string database_url;  // overrides the config when set
  std::string key_type = "ec-p256";
  std::string province;  // init: the province's committee, O of the CAs
  std::string kind;      // issue: organisation, official, tsa, system; import: the first two
  std::string agency;    // code (either notation) or id
  std::string user;      // login of the official
  std::string name;      // CN
  std::string organization;
  std::string title;
  int days = 3 * 365;
  std::int64_t id = 0;  // revoke/renew
  std::string reason = "unspecified";
  std::string file;  // import: the PKCS#12 file (its password on standard input);
                     // appearance: the PNG of the signature image or seal; export: the output
  std::vector<std::string> dns_names;     // issue --kind system: subjectAltName
  std::vector<std::string> ip_addresses;  // issue --kind system: subjectAltName
  std::string format = "pkcs12";          // export: pkcs12 or pem
  bool no_password = false;               // export --format pem: the key in the clear
};
int RunPkiInit(const PkiOptions& o);
int RunPkiIssue(const PkiOptions& o);
int RunPkiRevoke(const PkiOptions& o);
int RunPkiRenew(const PkiOptions& o);
int RunPkiList(const PkiOptions& o);
int RunPkiImport(const PkiOptions& o);
int RunPkiAppearance(const PkiOptions& o);
// A system certificate with its key into `file` (owner-only): PKCS#12, or PEM, under the
// password read from standard input (PEM without one with --no-password).
int RunPkiExport(const PkiOptions& o);
// The demo PKI (LoadDemoPki), writing the master key file if there is none.
int RunDemoPki(const PkiOptions& o, const std::string& data_dir);

struct SignOptions {
  std::string config_path;
  std::string database_url;
  std::string format;       // "cms", "pdf" or "xml"
  std::int64_t signer = 0;  // certificate id
  bool timestamp = true;
  std::string in;
  std::string out;
  // pdf: "invisible", "signer" (with --image), "seal" (with --image), "text" (top right of the
  // first page: attachments and electronic copies); the box, page, reason and number
  std::string appearance = "invisible";
  std::string image;  // PNG: the signature or the seal
  std::string field;  // an empty signature field of the PDF to sign in
  std::string organisation;
  std::string document_number;
  std::string reason;
  int page = 1;
  std::vector<double> rect;  // x, y, width, height in points
  bool edxml = false;        // xml: into edXMLHeader
};
// Signs as the system (the operator holds the master key); the audit log records it.
int RunSign(const SignOptions& o);

struct VerifyOptions {
  std::string config_path;
  std::string database_url;
  std::string file;
  std::string signature;  // a detached CMS signature of `file`
  bool json = false;
};
// Exit 0 when every signature is valid, 1 when one is not, 2 for unusable input.
int RunVerify(const VerifyOptions& o);

struct PaymentOptions {
  std::string config_path;   // the [payment] section names the platform
  std::string database_url;  // overrides the config when set
};
// One reconciliation run (the server also runs one every [payment] reconcile_minutes).
int RunPaymentReconcile(const PaymentOptions& o);

int RunUserAdd(const UserOptions& o);  // password from standard input
int RunUserDisable(const UserOptions& o);
int RunUserUnlock(const UserOptions& o);
int RunUserResetPassword(const UserOptions& o);  // password from standard input

int RunBackup(const std::string& database_url, const std::string& to);
int RunRestore(const std::string& from, const std::string& database_url);
struct AuditOptions {
  std::string config_path;
  std::string database_url;    // overrides the config when set
  std::string checkpoint_dir;  // overrides [audit] checkpoint_dir when set
};
// The chain and every checkpoint (audit::Checkpoints::Verify). Exit 0 when intact, 3 when the
// log or a checkpoint was tampered with.
int RunAuditVerify(const AuditOptions& o);
// Writes a checkpoint of the chain head now, moved or not.
int RunAuditCheckpoint(const AuditOptions& o);
// tinhso gateway …: the data-integration gateway's registry and message log (gateway_commands.cpp).
struct GatewayOptions {
  std::string config_path;
  std::string database_url;  // overrides the config when set
  // members add / subsystems add / services put / rights grant|withdraw / token / certificate
  std::string code;  // a member's or a service's code
  std::string name;
  std::string member;     // a subsystem's member code
  std::string subsystem;  // "<member>/<name>": a client, a provider, a token's holder
  std::string service;
  std::string upstream_url;
  std::string certificate_file;
  std::vector<std::string> allowed_ips;
  int rate_per_second = 50;  // subsystems add: the client's calls a second
  int per_minute = 0;
  int per_day = 0;
  std::int64_t id = 0;      // a right; a log record (evidence)
  std::string out;          // evidence: the directory to write
  int limit = 20;           // log list
  std::string archive_dir;  // log archive / verify / evidence: overrides [gateway] archive_dir
  bool purge = false;       // log archive: also delete archived records past the retention
  // subsystems set: what changes (unset: unchanged); token --revoke; certificate --unbind
  std::optional<int> new_rate;
  std::optional<bool> enabled;
  bool any_ip = false;  // subsystems set: drop the address limit
  bool revoke = false;
  bool unbind = false;
};
int RunGatewayMembers(const GatewayOptions& o, bool add);
// `what`: list, add, set
int RunGatewaySubsystems(const GatewayOptions& o, std::string_view what);
int RunGatewayServices(const GatewayOptions& o, bool put);
int RunGatewayRights(const GatewayOptions& o, std::string_view what);  // list, grant, withdraw
int RunGatewayToken(const GatewayOptions& o);
int RunGatewayCertificate(const GatewayOptions& o);
int RunGatewayLogList(const GatewayOptions& o);
// Checks the whole message log: exit 0 when intact, 3 when a record or a batch was tampered.
int RunGatewayLogVerify(const GatewayOptions& o);
int RunGatewayLogStamp(const GatewayOptions& o);
int RunGatewayLogEvidence(const GatewayOptions& o);
// Writes every archive file waiting (gateway::Service::Archive) and prints each; with `purge`,
// then deletes the archived records past [gateway] log_retention_days.
int RunGatewayLogArchive(const GatewayOptions& o);
// `tinhso outbox list|show|retry|cancel`: the operators' view of the messages to other systems,
// acting as the system (the audit log records the CLI's changes as "system").
struct OutboxCliOptions {
  std::string database_url;
  std::string status;       // list: queued, sending, retrying, delivered, dead, cancelled
  std::string destination;  // list: one destination's
  int limit = 50;
  int offset = 0;
  std::int64_t id = 0;  // show, retry, cancel
};
int RunOutboxList(const OutboxCliOptions& o);
int RunOutboxShow(const OutboxCliOptions& o);
int RunOutboxRetry(const OutboxCliOptions& o);
int RunOutboxCancel(const OutboxCliOptions& o);
int RunCalendar(int year, const std::string& database_url);
// The document of GET /api/openapi.json, from the application's router on a scratch in-memory
// database (the web build generates its API types from it).
int RunOpenApi();
int RunVersion();

}  // namespace tinhso::app
