#include "app/demo_accounts.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <sstream>

#include "core/json.hpp"

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

Result<DemoAccountStats> LoadDemoAccounts(auth::Accounts& accounts,
                                          const agencies::Service& agencies,
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
  DemoAccountStats stats;
  for (const auto& entry : list->as_array()) {
    if (!entry.is_object()) {
      return json::FieldError("accounts", "mỗi mục phải là một đối tượng.",
                              "each entry must be an object.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto user, ParseEntry(entry.as_object(), agencies));
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

}  // namespace tinhso::app
