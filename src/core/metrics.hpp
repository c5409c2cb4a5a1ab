// Process-wide metrics: counters, gauges and fixed-bucket histograms with labels, rendered in the
// Prometheus text exposition format 0.0.4 for GET /metrics. No Boost, no I/O: any module may
// record a metric without pulling in the HTTP layer.
//
// Typical use records through the global registry:
//   core::Metrics::Global()
//       .GetCounter("tinhso_dossiers_submitted_total", "Dossiers submitted", {{"agency", "12"}})
//       .Add();
// Label values must come from a small, bounded set (route patterns, backend names), never from
// user input such as raw paths or ids: each distinct label set is a series kept for ever.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinhso::core {

// Label name → value pairs, in any order (the registry sorts them).
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Latency buckets in seconds, from 1 ms to 10 s: covers a cached lookup up to a slow report.
inline constexpr double kLatencyBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1,     2.5,  5,     10};

/// A monotonically increasing value. Thread-safe, lock-free.
class Counter {
 public:
  /// Adds `v`; negative values are ignored because counters never go down.
  void Add(double v = 1.0);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down (open connections, queue length). Thread-safe, lock-free.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Counts observations into fixed buckets (upper bounds, ascending) plus sum and count.
/// Thread-safe, lock-free.
class Histogram {
 public:
  explicit Histogram(std::span<const double> upper_bounds);

  void Observe(double v);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (+Inf)
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

/// A registry of metric families. Thread-safe: Get* may be called from any thread; the returned
/// references stay valid for the registry's lifetime, so hot paths may cache them.
///
/// Programming errors abort with a message (a name that is not a valid Prometheus name, or one
/// name used for two metric types): they show up on the first run, never in production only.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// The process-wide registry that GET /metrics renders. Never destroyed.
  static Metrics& Global();

  Counter& GetCounter(std::string_view name, std::string_view help,
                      const MetricLabels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  /// `upper_bounds` applies when the family is first created; later calls reuse its buckets.
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          const MetricLabels& labels = {},
                          std::span<const double> upper_bounds = kLatencyBuckets);

  /// Every family in the Prometheus text format 0.0.4, sorted by name then labels.
  std::string RenderPrometheus() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family;
  Family& FamilyFor(std::string_view name, std::string_view help, Type type,
                    std::span<const double> upper_bounds);
  template <typename T>
  T& Get(std::string_view name, std::string_view help, Type type, const MetricLabels& labels,
         std::span<const double> upper_bounds);

  mutable std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

/// Records one database query into `tinhso_db_query_duration_seconds{backend}`. Its signature
/// matches storage::SetQueryObserver, so the app wires it with
/// `storage::SetQueryObserver(&core::ObserveDbQuery)` and storage never depends on metrics.
void ObserveDbQuery(std::string_view backend, double seconds);

}  // namespace tinhso::core
