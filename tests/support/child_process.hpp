// A reference program a test starts on loopback and stops: openssl s_server, an OpenID Provider,
// an SMTP sink. The test learns where it listens from a line of its standard output.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tinhso::test {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH) with standard input from /dev/null, standard output to
  // a pipe this object reads and standard error inherited (it lands in the test's log), or
  // into the same pipe with `merge_stderr`. Returns null when the program cannot be started.
  static std::unique_ptr<ChildProcess> Start(const std::vector<std::string>& argv,
                                             const std::filesystem::path& cwd = {},
                                             bool merge_stderr = false);
  ~ChildProcess();  // kills the process (SIGKILL) if it still runs, and reaps it
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads standard output until a line containing `marker` and returns that line (without
  // its newline); "" when the output ends first or nothing comes within `patience` (a program
  // that hangs fails the test instead of holding it until ctest's timeout).
  std::string WaitForLine(std::string_view marker,
                          std::chrono::seconds patience = std::chrono::seconds(60));
  // Sends `signal` and, for SIGKILL and SIGTERM, waits for the process to end. Returns its
  // exit status as waitpid gives it, or -1.
  int Stop(int signal);
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string pending_;  // output read past the last line returned
  bool reaped_ = false;
};

// A TCP port on 127.0.0.1 that was free when asked (the kernel's pick for port 0); another
// process may take it before the caller binds it.
int FreeLoopbackPort();

// The number at the end of `line` ("ACCEPT 127.0.0.1:46423" → 46423), or -1.
int TrailingPort(std::string_view line);

}  // namespace tinhso::test
