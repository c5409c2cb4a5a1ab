// tests/support/smtp_sink.py (aiosmtpd) as a child process: started on an ephemeral port of
// 127.0.0.1, its stdout read line by line ("PORT n", "MESSAGE n", "HOLD n") so that tests wait
// on what it says, never on time.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tinhso::notify::test {

inline std::filesystem::path SourceDir() {
  const char* dir = std::getenv("TINHSO_SOURCE_DIR");
  return dir ? dir : ".";
}

class SmtpSink {
 public:
  // `args`: the script's options besides --dir.
  SmtpSink(const std::filesystem::path& dir, std::vector<std::string> args) : dir_(dir) {
    std::filesystem::create_directories(dir_);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    const std::string script = (SourceDir() / "tests/support/smtp_sink.py").string();
    args.insert(args.begin(), {"/usr/bin/python3", script, "--dir", dir_.string()});
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    const std::string first = NextLine();
    if (first.rfind("PORT ", 0) != 0) throw std::runtime_error("smtp_sink: " + first);
    port_ = std::stoi(first.substr(5));
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }

  // The next line the sink prints; "" if it says nothing within a minute (a hung test fails
  // instead of hanging) or exits.
  std::string NextLine() {
    for (;;) {
      const auto nl = pending_.find('\n');
      if (nl != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return line;
      }
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 60'000) <= 0) return "";
      char buf[512];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return "";
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Waits until the sink has printed `line` (skipping others, which are kept for Seen()).
  bool WaitFor(const std::string& line) {
    for (;;) {
      const std::string l = NextLine();
      if (l.empty()) return false;
      seen_.push_back(l);
      if (l == line) return true;
    }
  }

  // The stored messages' summaries (smtp_sink.py's <n>.json), in order of arrival.
  std::vector<boost::json::object> Messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<boost::json::object> out;
    for (const auto& f : files) {
      std::ifstream in(f);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(boost::json::parse(ss.str()).as_object());
    }
    return out;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  std::string pending_;
  std::vector<std::string> seen_;
};

inline std::string Str(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace tinhso::notify::test
