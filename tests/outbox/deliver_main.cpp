// tinhso_outbox_deliver: an outbox delivery worker in a process of its own, for the crash test.
// It delivers every due message of the database over HTTP to BASE_URL (every destination), then
// exits 0 printing "DONE <n>".
//
//   tinhso_outbox_deliver DATABASE_URL BASE_URL CLOCK_OFFSET_SECONDS [STOP N]
//
// CLOCK_OFFSET_SECONDS moves its clock forward: a restarted worker "later", once the leases of
// the one killed have ended, without the test waiting for them. STOP makes it print "STOPPED"
// and wait to be killed at one point: "before-send" (the N-th message of this process is claimed
// and not sent yet) or "after-commit" (the N-th delivery's outcome is committed).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "auth/policy.hpp"
#include "outbox/outbox.hpp"
#include "storage/database.hpp"

namespace {

class OffsetClock final : public tinhso::core::Clock {
 public:
  explicit OffsetClock(long long offset) : offset_(offset) {}
  tinhso::core::Seconds Now() const override {
    return system_.Now() + std::chrono::seconds(offset_);
  }

 private:
  tinhso::core::SystemClock system_;
  long long offset_;
};

[[noreturn]] void Stop() {
  std::printf("STOPPED\n");
  std::fflush(stdout);
  for (;;) ::pause();
}

// Stops before the N-th send.
class StoppingSender final : public tinhso::outbox::Sender {
 public:
  StoppingSender(tinhso::outbox::Sender& inner, int stop_at) : inner_(inner), stop_at_(stop_at) {}
  tinhso::Result<tinhso::outbox::Response> Send(const tinhso::outbox::Message& m) override {
    if (++sent_ == stop_at_) Stop();
    return inner_.Send(m);
  }

 private:
  tinhso::outbox::Sender& inner_;
  int stop_at_;
  int sent_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace tinhso;
  if (argc != 4 && argc != 6) {
    std::fprintf(stderr, "usage: %s DATABASE_URL BASE_URL CLOCK_OFFSET [STOP N]\n", argv[0]);
    return 2;
  }
  const std::string stop = argc == 6 ? argv[4] : "";
  const int stop_at = argc == 6 ? std::atoi(argv[5]) : 0;
  auto db = storage::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.error().detail.c_str());
    return 1;
  }
  OffsetClock clock(std::atoll(argv[3]));
  auth::Policy policy;
  // Every worker killed counts an attempt for each message it held (a message that kills its
  // workers must end dead, not loop); the test kills more often than a message may fail.
  outbox::Options options;
  options.max_attempts = 100;
  outbox::Outbox box(**db, clock, policy, options);
  outbox::HttpSender http([base = std::string(argv[2])](
                              std::string_view) -> std::optional<std::string> { return base; });
  StoppingSender stopping(http, stop == "before-send" ? stop_at : 0);
  int delivered = 0;
  for (;;) {
    // One message a run when it must stop after a commit; the ordinary batches otherwise.
    auto report = box.DeliverDue(clock.Now(), stopping, stop == "after-commit" ? 1 : 100);
    if (!report.ok()) {
      std::fprintf(stderr, "deliver: %s %s\n", report.error().reason.c_str(),
                   report.error().detail.c_str());
      return 1;
    }
    delivered += report->delivered;
    if (stop == "after-commit" && report->delivered > 0 && delivered == stop_at) Stop();
    if (report->claimed == 0) break;
  }
  std::printf("DONE %d\n", delivered);
  return 0;
}
