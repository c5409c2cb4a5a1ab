#include "app/demo_accounts.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "app/app.hpp"
#include "core/json.hpp"
#include "forms/forms.hpp"
#include "pki/pki.hpp"

namespace tinhso::app {
namespace {

namespace bj = boost::json;

Error At(std::string_view login, Error e) {
  e.message_vi = "Tài khoản mẫu " + std::string(login) + ": " + e.message_vi;
  e.message_en = "Demo account " + std::string(login) + ": " + e.message_en;
  return e;
}

Result<auth::NewUser> ParseEntry(const bj::object& o, const agencies::Service& agencies) {
  auth::NewUser u;
  TINHSO_ASSIGN_OR_RETURN(u.login, json::RequiredString(o, "login", 64));
  auto fail = [&u](Error e) { return At(u.login, std::move(e)); };
  auto kind = json::RequiredString(o, "kind", 16);
  if (!kind.ok()) return fail(kind.error());
  bool kind_ok = false;
  u.kind = auth::ParseActorKind(*kind, &kind_ok);
  if (!kind_ok) {
    return fail(json::FieldError("kind", "phải là officer, citizen, business hoặc admin.",
                                 "must be officer, citizen, business or admin."));
  }
  auto name = json::RequiredString(o, "full_name", 200);
  if (!name.ok()) return fail(name.error());
  u.full_name = *name;
  for (auto [field, out] : {std::pair{"position", &u.position}, std::pair{"phone", &u.phone},
                            std::pair{"email", &u.email}}) {
    auto v = json::OptionalString(o, field, 200);
    if (!v.ok()) return fail(v.error());
    *out = v->value_or("");
  }
  auto roles = json::StringArray(o, "roles", false);
  if (!roles.ok()) return fail(roles.error());
  u.roles = std::move(*roles);
  auto agency = json::OptionalString(o, "agency", 32);
  if (!agency.ok()) return fail(agency.error());
  if (*agency) {
    auto resolved = agencies.Resolve(**agency);
    if (!resolved.ok()) return fail(resolved.error());
    u.agency_id = resolved->agency.id;
  }
  u.password = std::string(kDemoPassword);
  return u;
}

}  // namespace

namespace {

Result<std::vector<auth::NewUser>> ReadDemoAccounts(const agencies::Service& agencies,
                                                    const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "demo.accounts_missing",
                     "Không đọc được tệp tài khoản mẫu " + file.string() + ".",
                     "Cannot read the demo accounts file " + file.string() + ".");
  }
  std::ostringstream text;
  text << in.rdbuf();
  TINHSO_ASSIGN_OR_RETURN(auto root, json::ParseObject(text.str()));
  const auto* list = root.if_contains("accounts");
  if (list == nullptr || !list->is_array()) {
    return json::FieldError("accounts", "phải là một mảng tài khoản.",
                            "must be an array of accounts.");
  }
  std::vector<auth::NewUser> users;
  for (const auto& entry : list->as_array()) {
    if (!entry.is_object()) {
      return json::FieldError("accounts", "mỗi mục phải là một đối tượng.",
                              "each entry must be an object.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto user, ParseEntry(entry.as_object(), agencies));
    users.push_back(std::move(user));
  }
  return users;
}

}  // namespace

Result<DemoAccountStats> LoadDemoAccounts(auth::Accounts& accounts,
                                          const agencies::Service& agencies,
                                          const std::filesystem::path& file) {
  TINHSO_ASSIGN_OR_RETURN(auto users, ReadDemoAccounts(agencies, file));
  DemoAccountStats stats;
  for (const auth::NewUser& user : users) {
    if (accounts.FindByLogin(user.login).ok()) {
      ++stats.skipped;
      continue;
    }
    auto created = accounts.Create(user, core::SystemActor());
    if (!created.ok()) return At(user.login, created.error());
    ++stats.created;
  }
  return stats;
}

Result<DemoPkiStats> LoadDemoPki(App& app, const std::filesystem::path& accounts_file) {
  const core::Actor system = core::SystemActor();
  DemoPkiStats stats;
  auto ca = app.pki().Init({}, system);
  if (!ca.ok() && ca.error().reason == "pki.already_initialised") return stats;
  if (!ca.ok()) return ca.error();
  stats.initialised = true;
  pki::IssueInput tsa;
  tsa.kind = pki::Kind::kTsa;
  tsa.subject = {"Dịch vụ cấp dấu thời gian tỉnh Thái Nguyên",
                 "Ủy ban nhân dân tỉnh Thái Nguyên",
                 "",
                 "",
                 "Thái Nguyên",
                 "",
                 ""};
  TINHSO_RETURN_IF_ERROR(app.pki().Issue(tsa, system));
  ++stats.certificates;
  TINHSO_ASSIGN_OR_RETURN(auto users, ReadDemoAccounts(app.agencies(), accounts_file));
  std::set<std::int64_t> sealed;
  for (const auth::NewUser& u : users) {
    if (u.kind != core::ActorKind::kOfficer || u.agency_id == 0) continue;
    TINHSO_ASSIGN_OR_RETURN(agencies::Agency agency, app.agencies().Get(u.agency_id));
    if (sealed.insert(agency.id).second) {
      pki::IssueInput seal;
      seal.kind = pki::Kind::kOrganisation;
      seal.subject = {agency.name, agency.name, "", "", "Thái Nguyên", agency.code, ""};
      seal.agency_id = agency.id;
      TINHSO_ASSIGN_OR_RETURN(pki::Certificate c, app.pki().Issue(seal, system));
      TINHSO_ASSIGN_OR_RETURN(std::string png, forms::SealSpecimenPng(agency.name));
      TINHSO_RETURN_IF_ERROR(app.pki().SetAppearance(c.id, png, system));
      ++stats.certificates;
    }
    if (std::find(u.roles.begin(), u.roles.end(), "leader") == u.roles.end()) continue;
    TINHSO_ASSIGN_OR_RETURN(auth::User user, app.accounts().FindByLogin(u.login));
    pki::IssueInput personal;
    personal.kind = pki::Kind::kOfficial;
    personal.subject = {u.full_name, agency.name, "", u.position, "Thái Nguyên", "", ""};
    personal.agency_id = agency.id;
    personal.user_id = user.id;
    TINHSO_ASSIGN_OR_RETURN(pki::Certificate c, app.pki().Issue(personal, system));
    TINHSO_ASSIGN_OR_RETURN(std::string png, forms::SignatureSpecimenPng(u.full_name));
    TINHSO_RETURN_IF_ERROR(app.pki().SetAppearance(c.id, png, system));
    ++stats.certificates;
  }
  return stats;
}

}  // namespace tinhso::app
