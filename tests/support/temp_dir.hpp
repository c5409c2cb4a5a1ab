// Scratch directories for tests.
#pragma once

#include <filesystem>

namespace tinhso::test {

// A new, empty directory, unique per call. Every directory handed out lives under one root per
// process, removed when the process exits; roots left by crashed runs are removed by the next.
std::filesystem::path TempDir();

}  // namespace tinhso::test
