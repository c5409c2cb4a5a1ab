// A private, throw-away PostgreSQL cluster for a test process that was not given one in
// TINHSO_TEST_PG_URL. Never touches a system cluster: its own data directory, its own port,
// its own socket directory.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "support/child_process.hpp"
#include "support/database.hpp"
#include "support/internal.hpp"

extern char** environ;

namespace tinhso::test {

namespace {

namespace fs = std::filesystem;

// Shared with scripts/with-postgres.sh, so that either cleans up after the other's crashes.
constexpr std::string_view kPrefix = "tinhso-test-pg-";

// Directory of initdb/pg_ctl: $TINHSO_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin
// (Debian keeps them off PATH), else PATH.
std::string PgBinDir() {
  if (const char* dir = std::getenv("TINHSO_PG_BINDIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code ec;
  int best = -1;
  std::string found;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best && fs::exists(entry.path() / "bin" / "initdb")) {
      best = version;
      found = (entry.path() / "bin").string();
    }
  }
  return found;
}

std::string Tool(const std::string& name) {
  static const std::string dir = PgBinDir();
  return dir.empty() ? name : dir + "/" + name;
}

// initdb refuses to run as root: run the tools as the postgres user then.
std::vector<std::string> AsServerUser(std::vector<std::string> argv) {
  if (::geteuid() == 0) {
    // ctest may run with a PATH that lacks /usr/sbin.
    const std::string runuser = fs::exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
    argv.insert(argv.begin(), {runuser, "-u", "postgres", "--"});
  }
  return argv;
}

// Runs argv[0] with stdout and stderr appended to `log`, in `cwd`; returns the exit status.
int Run(const std::vector<std::string>& argv, const fs::path& log, const fs::path& cwd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // The postgres user may not enter the caller's working directory (root's home).
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void StopCluster(const fs::path& dir) {
  Run(AsServerUser(
          {Tool("pg_ctl"), "stop", "-D", (dir / "data").string(), "-m", "immediate", "-w", "-s"}),
      dir / "commands.log", dir);
}

// If the process dies on a signal, static destructors do not run: stop the server from the
// handler (kill is async-signal-safe), so that no postmaster outlives the test. The directory
// is removed by the next run's stale sweep.
pid_t g_postmaster = 0;
pid_t g_owner = 0;

void OnFatalSignal(int sig) {
  if (g_postmaster > 0 && ::getpid() == g_owner) {
    ::kill(g_postmaster, SIGQUIT);  // PostgreSQL's immediate shutdown
  }
  std::signal(sig, SIG_DFL);
  ::raise(sig);
}

class Cluster {
 public:
  Cluster() : owner_(::getpid()) {
    internal::RemoveStaleDirs(kPrefix, [](const fs::path& dir) { StopCluster(dir); });
    dir_ = internal::MakeOwnedDir(kPrefix);
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr || ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        Fail("running as root needs a 'postgres' user to own the cluster");
      }
    }
    const fs::path log = dir_ / "commands.log";
    // --no-sync and fsync=off: the data is thrown away, durability only costs time.
    if (Run(AsServerUser({Tool("initdb"), "-D", (dir_ / "data").string(), "-U", "postgres", "-A",
                          "trust", "-E", "UTF8", "--locale=C", "--no-sync"}),
            log, dir_) != 0) {
      Fail("initdb failed");
    }
    for (int attempt = 0; attempt < 3 && url_.empty(); ++attempt) {
      // A free port can be taken between FreePort() and the server's bind: try another.
      const int port = FreeLoopbackPort();
      const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port) +
                                  " -k " + dir_.string() +
                                  " -c fsync=off -c full_page_writes=off -c max_connections=200"
                                  " -c deadlock_timeout=100ms";
      if (Run(AsServerUser({Tool("pg_ctl"), "start", "-D", (dir_ / "data").string(), "-l",
                            (dir_ / "server.log").string(), "-w", "-t", "60", "-s", "-o", options}),
              log, dir_) == 0) {
        url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
      }
    }
    if (url_.empty()) {
      Fail("pg_ctl start failed");
    }
    std::istringstream pid_file(ReadFile(dir_ / "data" / "postmaster.pid"));
    pid_file >> g_postmaster;
    g_owner = owner_;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) {
      std::signal(sig, OnFatalSignal);
    }
  }

  ~Cluster() {
    if (::getpid() != owner_) {  // a forked child (death test) leaves the parent's server alone
      return;
    }
    g_postmaster = 0;
    StopCluster(dir_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  const std::string& url() const { return url_; }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    const std::string logs = ReadFile(dir_ / "commands.log") + ReadFile(dir_ / "server.log");
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw std::runtime_error("throw-away PostgreSQL: " + what + " (set TINHSO_TEST_PG_URL or " +
                             "run under scripts/with-postgres.sh)\n" + logs);
  }

  pid_t owner_;
  fs::path dir_;
  std::string url_;
};

}  // namespace

std::string PostgresUrl() {
  if (const char* url = std::getenv("TINHSO_TEST_PG_URL"); url != nullptr && *url != '\0') {
    return url;
  }
  // Started once, by the first caller, and stopped at exit. A failure is kept too, so that a
  // machine without PostgreSQL fails each test at once instead of re-running initdb.
  struct Outcome {
    std::unique_ptr<Cluster> cluster;
    std::string error;
  };
  static const Outcome outcome = [] {
    Outcome o;
    try {
      o.cluster = std::make_unique<Cluster>();
      // Child processes a test starts (the tinhso binary, a re-executed death test) share it.
      ::setenv("TINHSO_TEST_PG_URL", o.cluster->url().c_str(), 1);
    } catch (const std::exception& e) {
      o.error = e.what();
    }
    return o;
  }();
  if (!outcome.error.empty()) {
    throw std::runtime_error(outcome.error);
  }
  return outcome.cluster->url();
}

}  // namespace tinhso::test
