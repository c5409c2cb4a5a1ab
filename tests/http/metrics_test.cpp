// Tests for src/core/metrics.*. They live here because tests/core belongs to core's owner;
// move them to tests/core/metrics_test.cpp when convenient.
#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tinhso::core {
namespace {

TEST(Metrics, CounterRendersWithSortedLabels) {
  Metrics m;
  m.GetCounter("tinhso_x_total", "Things done", {{"b", "2"}, {"a", "1"}}).Add();
  m.GetCounter("tinhso_x_total", "Things done", {{"a", "1"}, {"b", "2"}}).Add(2);
  m.GetCounter("tinhso_x_total", "Things done", {{"a", "1"}, {"b", "2"}}).Add(-5);
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP tinhso_x_total Things done\n"
            "# TYPE tinhso_x_total counter\n"
            "tinhso_x_total{a=\"1\",b=\"2\"} 3\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  Metrics m;
  m.GetGauge("g", "line1\nback\\slash", {{"path", "a\"b\\c\nd"}}).Set(1.5);
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP g line1\\nback\\\\slash\n"
            "# TYPE g gauge\n"
            "g{path=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  const double bounds[] = {0.1, 1};
  Histogram& h = m.GetHistogram("lat_seconds", "Latency", {{"route", "/x"}}, bounds);
  h.Observe(0.05);
  h.Observe(0.1);  // on the bound: counted in le="0.1"
  h.Observe(0.5);
  h.Observe(7);
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP lat_seconds Latency\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{route=\"/x\"} 7.65\n"
            "lat_seconds_count{route=\"/x\"} 4\n");
}

TEST(Metrics, SameSeriesSameObject) {
  Metrics m;
  Counter& a = m.GetCounter("c_total", "h", {{"k", "v"}});
  Counter& b = m.GetCounter("c_total", "h", {{"k", "v"}});
  Counter& other = m.GetCounter("c_total", "h", {{"k", "w"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 10000; ++i) {
        m.GetCounter("c_total", "h", {{"t", std::to_string(i % 3)}}).Add();
        m.GetHistogram("h_seconds", "h").Observe(0.001 * t);
      }
    });
  }
  for (auto& t : threads) t.join();
  double total = 0;
  for (int k = 0; k < 3; ++k)
    total += m.GetCounter("c_total", "h", {{"t", std::to_string(k)}}).Value();
  EXPECT_EQ(total, 40000);
  EXPECT_EQ(m.GetHistogram("h_seconds", "h").Read().count, 40000u);
}

TEST(Metrics, ObserveDbQueryUsesTheGlobalRegistry) {
  ObserveDbQuery("sqlite", 0.002);
  const std::string text = Metrics::Global().RenderPrometheus();
  EXPECT_NE(text.find("# TYPE tinhso_db_query_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("tinhso_db_query_duration_seconds_count{backend=\"sqlite\"}"),
            std::string::npos);
}

TEST(MetricsDeathTest, MisuseAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Metrics m;
        m.GetCounter("x", "h");
        m.GetGauge("x", "h");
      },
      "different types");
  EXPECT_DEATH(
      {
        Metrics m;
        m.GetCounter("bad-name", "h");
      },
      "invalid metric name");
  EXPECT_DEATH(
      {
        Metrics m;
        m.GetCounter("ok", "h", {{"le", "1"}});
      },
      "invalid label name");
}

}  // namespace
}  // namespace tinhso::core
