// Shared by the files of tests/support only.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace tinhso::test::internal {

// The system temporary directory: $TMPDIR, else /tmp.
std::filesystem::path TempBase();

// A new directory TempBase()/<prefix><pid>-XXXXXX (mode 0700).
std::filesystem::path MakeOwnedDir(std::string_view prefix);

// Finds directories TempBase()/<prefix><pid>-* whose process is gone (a crashed or killed run),
// calls `before_remove` on each, then removes it.
void RemoveStaleDirs(std::string_view prefix,
                     const std::function<void(const std::filesystem::path&)>& before_remove);

}  // namespace tinhso::test::internal
