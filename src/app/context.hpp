// The application opened on the configured database, for subcommands that work as the server
// would (commands.cpp, gateway_commands.cpp).
#pragma once

#include <memory>

#include "app/app.hpp"
#include "app/config.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

namespace tinhso::app {

struct AppContext {
  std::unique_ptr<storage::Database> db;
  core::SystemClock clock;
  std::unique_ptr<App> app;
};
Result<std::unique_ptr<AppContext>> OpenApp(const Config& config);

}  // namespace tinhso::app
