// A receiving system on loopback for the outbox tests: POST /receive applies a message's effect
// once per Idempotency-Key (a later copy with the same key is answered 200 and changes nothing),
// as a well-behaved receiver does. It can answer the next requests with a given status, and can
// hold one request at a chosen point (before its effect, or after it and before the answer) so
// that a test kills the sender exactly there.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "http/http.hpp"
#include "http/loopback.hpp"

namespace tinhso::outbox::test {

class Receiver {
 public:
  struct Arrival {
    std::string key;  // the Idempotency-Key header ("" if missing)
    std::string sha256;
    std::size_t size = 0;
    std::string ordering;    // the X-Ordering header the tests send
    bool duplicate = false;  // a copy of a key whose effect was applied before
  };
  enum class Hold { kNone, kBeforeEffect, kAfterEffect };

  explicit Receiver(const std::string& access_log) {
    router_.Add({.method = http::Method::kPost,
                 .path = "/receive",
                 .action = "public.test_receiver",
                 .handler = [this](const http::Request& r, http::Context&) { return Handle(r); },
                 .upload = true});
    auto server = http::LoopbackServer::Start(router_, "outbox-receiver", access_log, "");
    EXPECT_TRUE(server.ok());
    if (server.ok()) server_ = std::move(*server);
  }
  ~Receiver() {
    {
      std::lock_guard lock(mu_);
      released_ = std::numeric_limits<int>::max();
      cv_.notify_all();
    }
    server_.reset();
  }

  std::string base_url() const { return server_ ? server_->base_url() : ""; }

  // The next requests are answered with `status` (and Retry-After when given), no effect.
  void FailNext(int status, std::string retry_after = "") {
    std::lock_guard lock(mu_);
    script_.push_back({status, std::move(retry_after)});
  }
  // The request that reaches the receiver `after` requests from now (1 = the next) waits at
  // `where` until Release(). Before its effect, it is then answered 503 without one.
  void HoldAt(Hold where, int after) {
    std::lock_guard lock(mu_);
    hold_ = where;
    hold_at_ = seen_ + after;
  }
  // Until the request HoldAt chose is held; false after a minute (the sender died or never
  // came).
  bool WaitHeld() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::minutes(1), [&] { return held_ == hold_at_; });
  }
  // Lets the held request go on.
  void Release() {
    std::lock_guard lock(mu_);
    released_ = std::max(released_, held_);
    cv_.notify_all();
  }

  // Requests whose effect stage was reached (applied or absorbed as a duplicate), in order.
  std::vector<Arrival> arrivals() const {
    std::lock_guard lock(mu_);
    return arrivals_;
  }
  // Keys in the order their effect was applied.
  std::vector<std::string> effects() const {
    std::lock_guard lock(mu_);
    return effects_;
  }

 private:
  Result<http::Response> Handle(const http::Request& r) {
    auto body = http::RequestBody(r, 64u << 20);
    if (!body.ok()) return body.error();
    std::unique_lock lock(mu_);
    const int n = ++seen_;
    if (!script_.empty()) {
      auto [status, retry_after] = script_.front();
      script_.pop_front();
      http::Response fail;
      fail.status = status;
      fail.body = R"({"loi":"tam thoi"})";
      if (!retry_after.empty()) fail.headers.emplace_back("Retry-After", retry_after);
      return fail;
    }
    // Requests are numbered, so a hold is never confused with an earlier one still leaving.
    const bool hold_here = n == hold_at_;
    auto wait = [&] {
      held_ = n;
      cv_.notify_all();
      cv_.wait(lock, [&] { return released_ >= n; });
    };
    if (hold_here && hold_ == Hold::kBeforeEffect) {
      wait();
      http::Response gone;
      gone.status = 503;
      return gone;
    }
    Arrival a{std::string(r.Header("idempotency-key")), core::Sha256Hex(*body), body->size(),
              std::string(r.Header("x-ordering"))};
    a.duplicate = applied_.contains(a.key);
    if (!a.duplicate) {
      applied_[a.key] = a.sha256;
      effects_.push_back(a.key);
    }
    arrivals_.push_back(a);
    if (hold_here && hold_ == Hold::kAfterEffect) wait();
    http::Response ok;
    ok.status = 200;
    ok.body = R"({"ok":true})";
    return ok;
  }

  http::Router router_;
  std::unique_ptr<http::LoopbackServer> server_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int seen_ = 0;
  std::deque<std::pair<int, std::string>> script_;
  Hold hold_ = Hold::kNone;
  int hold_at_ = -1;  // the number of the request to hold
  int held_ = 0;      // the last request held
  int released_ = 0;  // requests up to this number may go on
  std::map<std::string, std::string> applied_;
  std::vector<Arrival> arrivals_;
  std::vector<std::string> effects_;
};

}  // namespace tinhso::outbox::test
