// The demo accounts of `tinhso demo load` (data/demo/accounts.json): one person per role, so
// that the web UI can be tried and browser-tested without creating users by hand.
#pragma once

#include <filesystem>
#include <string_view>

#include "agencies/agencies.hpp"
#include "auth/auth.hpp"
#include "core/result.hpp"

namespace tinhso::app {

// The password of every demo account. Demo data only: never load it into a real province.
inline constexpr std::string_view kDemoPassword = "demo-tinhso-2026";

struct DemoAccountStats {
  int created = 0;
  int skipped = 0;  // the login was already taken: loading twice changes nothing
};

// Errors: kNotFound (no file), kInvalidArgument (a malformed entry, named), and whatever
// Accounts::Create refuses, prefixed with the login.
Result<DemoAccountStats> LoadDemoAccounts(auth::Accounts& accounts,
                                          const agencies::Service& agencies,
                                          const std::filesystem::path& file);

class App;

struct DemoPkiStats {
  bool initialised = false;  // false: the PKI existed already and nothing was done
  int certificates = 0;
};

// A demo PKI: the root and issuing CA, a time-stamping unit, an organisation certificate with a
// specimen seal for each agency of a demo officer, and a personal certificate with a specimen
// signature for each demo leader, so that results issued in the demo come out signed.
// Nothing is done when the PKI is already initialised. Needs the master key loaded.
Result<DemoPkiStats> LoadDemoPki(App& app, const std::filesystem::path& accounts_file);

}  // namespace tinhso::app
