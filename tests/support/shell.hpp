// Running outside tools (openssl, xmlsec1, pdfsig, qpdf) from tests, and small file helpers.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tinhso::test {

struct ShellResult {
  int exit_code = -1;  // -1: did not run or did not exit normally
  std::string out;     // standard output and standard error together
};

// Runs `command` with /bin/sh; the whole command's standard error joins its output.
ShellResult Shell(const std::string& command);

void WriteFile(const std::filesystem::path& path, std::string_view bytes);
std::string ReadFile(const std::filesystem::path& path);

}  // namespace tinhso::test
