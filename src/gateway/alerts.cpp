// Alerts on upstreams in trouble: every call the gateway forwarded (or failed to forward because
// of the upstream: timeout, unreachable, a broken answer, circuit open) is counted in 10-second
// buckets per service with a histogram of durations; CheckAlerts judges the window ending now
// against AlertOptions. Each process judges its own traffic: with several processes each raises
// its own alert, which is what an operator wants to see (any one of them failing its callers).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <deque>
#include <map>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/metrics.hpp"
#include "gateway/internal.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;

constexpr std::int64_t kBucketMs = 10'000;
// Upper bounds of the duration buckets, in milliseconds; the last is everything slower.
constexpr std::array<double, 14> kBoundsMs = {5,    10,   25,   50,   100,   250,   500,
                                              1000, 2000, 3000, 5000, 10000, 30000, 1e12};

// The refusals that are the upstream's doing, by the record's LGSP code: 502 (unreachable, a
// broken or too large answer, circuit open) and 504 (timeout). The rest are the gateway's own
// (rights, quotas, the caller's size) and say nothing of the upstream.
bool UpstreamFailure(std::string_view error_code) {
  return error_code == "502" || error_code == "504";
}

std::string Key(const Alert& a) { return a.service + "\n" + a.kind; }

}  // namespace

struct Gateway::Health {
  struct Bucket {
    std::int64_t index = 0;
    std::int64_t calls = 0;
    std::int64_t failures = 0;
    std::array<std::int64_t, kBoundsMs.size()> durations{};
  };
  mutable std::mutex mu;
  std::map<std::string, std::deque<Bucket>, std::less<>> services;
  std::map<std::string, Alert> active;  // by Key()
};

std::shared_ptr<Gateway::Health> Gateway::MakeHealth() { return std::make_shared<Health>(); }

void Gateway::RecordHealth(const LogRecord& record, std::int64_t now_ms) {
  const bool failed_upstream = UpstreamFailure(record.error_code);
  if (!record.error_code.empty() && !failed_upstream) return;
  const bool failed = failed_upstream || record.status >= 500;
  const double ms = static_cast<double>(record.duration_us) / 1000.0;
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(kBoundsMs.begin(), kBoundsMs.end(), ms) - kBoundsMs.begin());
  const std::int64_t index = now_ms / kBucketMs;
  const auto keep = static_cast<std::size_t>(options.alerts.window.count() * 1000 / kBucketMs + 1);
  std::lock_guard lock(health_->mu);
  auto& buckets = health_->services[record.service];
  if (buckets.empty() || buckets.back().index != index) buckets.push_back({.index = index});
  while (buckets.size() > keep) buckets.pop_front();
  Health::Bucket& b = buckets.back();
  ++b.calls;
  if (failed) ++b.failures;
  ++b.durations[std::min(bucket, kBoundsMs.size() - 1)];
}

std::vector<Alert> Gateway::ActiveAlerts() const {
  std::lock_guard lock(health_->mu);
  std::vector<Alert> out;
  for (const auto& [key, alert] : health_->active) out.push_back(alert);
  return out;
}

Result<std::vector<Alert>> Gateway::CheckAlerts() {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  const std::int64_t first = (now_ms - options.alerts.window.count() * 1000) / kBucketMs + 1;
  const double max_p95_ms = static_cast<double>(options.alerts.max_p95.count());
  std::map<std::string, Alert> over;  // by Key()
  std::vector<std::string> seen;
  {
    std::lock_guard lock(health_->mu);
    for (const auto& [service, buckets] : health_->services) {
      seen.push_back(service);
      std::int64_t calls = 0;
      std::int64_t failures = 0;
      std::array<std::int64_t, kBoundsMs.size()> durations{};
      for (const auto& b : buckets) {
        if (b.index < first) continue;
        calls += b.calls;
        failures += b.failures;
        for (std::size_t i = 0; i < durations.size(); ++i) durations[i] += b.durations[i];
      }
      if (calls < options.alerts.min_calls) continue;
      const double ratio = static_cast<double>(failures) / static_cast<double>(calls);
      if (ratio > options.alerts.max_error_ratio) {
        Alert a{.service = service,
                .kind = "error_rate",
                .value = ratio,
                .threshold = options.alerts.max_error_ratio,
                .calls = calls};
        over.emplace(Key(a), a);
      }
      // The 95th percentile, as the bound of the bucket that holds it.
      const std::int64_t rank = (calls * 95 + 99) / 100;
      std::int64_t below = 0;
      double p95 = kBoundsMs.back();
      for (std::size_t i = 0; i < durations.size(); ++i) {
        below += durations[i];
        if (below >= rank) {
          p95 = kBoundsMs[i];
          break;
        }
      }
      if (p95 > max_p95_ms) {
        Alert a{.service = service,
                .kind = "latency",
                .value = p95,
                .threshold = max_p95_ms,
                .calls = calls};
        over.emplace(Key(a), a);
      }
    }
  }

  std::vector<Alert> raised;
  std::vector<Alert> cleared;
  {
    std::lock_guard lock(health_->mu);
    for (auto& [key, alert] : over) {
      auto it = health_->active.find(key);
      if (it == health_->active.end()) {
        alert.since_ms = now_ms;
        health_->active.emplace(key, alert);
        raised.push_back(alert);
      } else {
        alert.since_ms = it->second.since_ms;
        it->second = alert;
      }
    }
    for (auto it = health_->active.begin(); it != health_->active.end();) {
      if (over.contains(it->first)) {
        ++it;
        continue;
      }
      cleared.push_back(it->second);
      it = health_->active.erase(it);
    }
  }

  auto& metrics = core::Metrics::Global();
  for (const std::string& service : seen) {
    for (const char* kind : {"error_rate", "latency"}) {
      const bool on = over.contains(service + "\n" + kind);
      metrics
          .GetGauge("tinhso_gateway_upstream_alert",
                    "1 while an upstream's error rate or p95 latency is over its threshold",
                    {{"service", service}, {"kind", kind}})
          .Set(on ? 1 : 0);
    }
  }
  if (raised.empty() && cleared.empty()) return raised;

  const auto describe = [](const Alert& a) {
    char value[64];
    std::snprintf(value, sizeof value, a.kind == "latency" ? "%.0f ms" : "%.0f%%",
                  a.kind == "latency" ? a.value : a.value * 100);
    return std::string(value);
  };
  for (const Alert& a : raised) {
    spdlog::warn("gateway alert: {} {} at {} over {} calls (threshold {})", a.service, a.kind,
                 describe(a), a.calls, a.threshold);
  }
  for (const Alert& a : cleared) spdlog::info("gateway alert cleared: {} {}", a.service, a.kind);
  const core::Seconds at = clock.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<void> {
        for (const auto& [list, action] : {std::pair{&raised, "gateway.alert.raise"},
                                           std::pair{&cleared, "gateway.alert.clear"}}) {
          for (const Alert& a : *list) {
            TINHSO_RETURN_IF_ERROR(
                audit::Append(tx, core::SystemActor(),
                              {action, "gateway_service", a.service,
                               json::serialize(json::object{{"kind", a.kind},
                                                            {"value", a.value},
                                                            {"threshold", a.threshold},
                                                            {"calls", a.calls}})},
                              at));
          }
        }
        return Ok();
      }));
  return raised;
}

Result<std::vector<Alert>> Service::Alerts(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "gateway.read", {}));
  return impl_->ActiveAlerts();
}

Result<std::vector<Alert>> Service::CheckAlerts() { return impl_->CheckAlerts(); }

}  // namespace tinhso::gateway
