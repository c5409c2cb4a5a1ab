// tinhso_notify_deliver: a delivery worker in a process of its own, for the crash test. It
// delivers every due e-mail of the database to an SMTP server, then exits 0 with "DONE <n>".
//
//   tinhso_notify_deliver DATABASE_URL SMTP_PORT CA_FILE CLOCK_OFFSET_SECONDS
//
// CLOCK_OFFSET_SECONDS moves its clock forward: a restarted worker "later", once the lease of
// the one killed has ended, without the test waiting for it.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "notify/email.hpp"
#include "notify/notify.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  using namespace tinhso;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DATABASE_URL SMTP_PORT CA_FILE CLOCK_OFFSET\n", argv[0]);
    return 2;
  }
  auto db = storage::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.error().detail.c_str());
    return 1;
  }
  OffsetClock clock(std::atoll(argv[4]));
  notify::SmtpConfig smtp;
  smtp.port = std::atoi(argv[2]);
  smtp.ca_file = argv[3];
  smtp.from_address = "thongbao@tinhso.test";
  smtp.message_id_host = "tinhso.test";
  notify::SmtpSender email(smtp, clock);
  notify::Outbox outbox(**db, clock);
  int sent = 0;
  for (;;) {
    auto report = outbox.DeliverDue({&email, nullptr});
    if (!report.ok()) {
      std::fprintf(stderr, "deliver: %s %s\n", report.error().reason.c_str(),
                   report.error().detail.c_str());
      return 1;
    }
    sent += report->sent;
    if (report->claimed == 0) break;
  }
  std::printf("DONE %d\n", sent);
  return 0;
}
