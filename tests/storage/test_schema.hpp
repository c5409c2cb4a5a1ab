// The schema of tests/storage/migrations, embedded at build time like migrations/.
#pragma once

#include <span>

#include "storage/database.hpp"

namespace tinhso::test {

std::span<const storage::Migration> StorageTestMigrations();

// The version StorageTestMigrations() migrates to.
inline constexpr int kStorageTestVersion = 3;

}  // namespace tinhso::test
