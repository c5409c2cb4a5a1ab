// gateway.outbox_delivered_per_s: messages of 1 KiB enqueued in the durable outbox (one
// transaction each, as callers do) and delivered by `workers` threads to a receiver that accepts
// everything, next to the same number of POSTs sent straight to that receiver by as many threads
// (the baseline: what the receiver and the HTTP client allow without the outbox's claims, leases
// and attempt rows). Prints one JSON object:
//   {"delivered","seconds","per_second","direct","direct_seconds","direct_per_second"}
// Usage: tinhso_outbox_bench DATABASE_URL RECEIVER_BASE_URL N WORKERS
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "http/client.hpp"
#include "outbox/outbox.hpp"
#include "storage/database.hpp"

namespace {

using namespace tinhso;

int Fail(const Error& e) {
  std::fprintf(stderr, "outbox bench: %s %s\n", e.message_en.c_str(), e.detail.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DATABASE_URL RECEIVER_BASE_URL N WORKERS\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const std::string receiver = argv[2];
  const int n = std::atoi(argv[3]);
  const int workers = std::atoi(argv[4]);
  auto db = storage::Open(url);
  if (!db.ok()) return Fail(db.error());
  if (auto migrated = storage::Migrate(**db); !migrated.ok()) return Fail(migrated.error());

  const std::string body(1024, 'x');
  // The baseline first: the receiver answering the same POSTs with no outbox in between.
  std::atomic<int> next{0};
  std::atomic<int> sent{0};
  const auto direct_start = std::chrono::steady_clock::now();
  {
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&] {
        for (int i = next++; i < n; i = next++) {
          http::ClientRequest r;
          r.method = http::Method::kPost;
          r.url = receiver + "/receive";
          r.headers = {{"Content-Type", "application/json"},
                       {"Idempotency-Key", "direct-" + std::to_string(i)}};
          r.body = body;
          auto answer = http::Fetch(r);
          if (answer.ok() && answer->status == 200) ++sent;
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  const double direct_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - direct_start).count();
  if (sent != n) {
    std::fprintf(stderr, "outbox bench: %d of %d direct POSTs accepted\n", sent.load(), n);
    return 1;
  }

  core::SystemClock clock;
  auth::Policy policy;
  outbox::Outbox box(**db, clock, policy);
  outbox::HttpSender sender(
      [&](std::string_view) -> std::optional<std::string> { return receiver; });
  outbox::NewMessage like;
  like.destination = "bench.receiver";
  like.method = "POST";
  like.path = "/receive";
  like.headers = {{"Content-Type", "application/json"}};
  like.body = body;
  like.idempotency_key = "bench";
  auto run = outbox::EnqueueAndDeliver(box, **db, like, n, sender, workers);
  if (!run.ok()) return Fail(run.error());
  std::printf(
      "{\"delivered\":%d,\"seconds\":%.3f,\"per_second\":%.1f,\"direct\":%d,"
      "\"direct_seconds\":%.3f,\"direct_per_second\":%.1f}\n",
      run->delivered, run->seconds, run->delivered / run->seconds, sent.load(), direct_seconds,
      n / direct_seconds);
  return 0;
}
