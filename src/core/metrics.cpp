#include "core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <type_traits>
#include <variant>

namespace tinhso::core {
namespace {

// Misuse of the registry is a bug in our code; failing loudly at the first call is kinder than
// rendering an exposition that Prometheus rejects as a whole.
[[noreturn]] void Die(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "tinhso: metrics: %.*s: '%.*s'\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(name.size()), name.data());
  std::abort();
}

bool IsNameStart(char c, bool allow_colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
}

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty() || !IsNameStart(name[0], allow_colon)) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return IsNameStart(c, allow_colon) || (c >= '0' && c <= '9'); });
}

// Label values: backslash, double quote and line feed are escaped (exposition format 0.0.4).
void AppendLabelValue(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

// HELP text escapes only backslash and line feed.
void AppendHelp(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
  }
}

void AppendNumber(std::string& out, std::uint64_t v) { out += std::to_string(v); }

// `a="1",b="2"` with names sorted, so that the same set in another order is the same series.
std::string LabelKey(const MetricLabels& labels) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(labels.size());
  for (const auto& l : labels) {
    if (!IsValidName(l.first, false) || l.first.starts_with("__") || l.first == "le") {
      Die("invalid label name", l.first);
    }
    sorted.push_back(&l);
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string key;
  for (const auto* l : sorted) {
    if (!key.empty()) key += ',';
    key += l->first;
    key += "=\"";
    AppendLabelValue(key, l->second);
    key += '"';
  }
  return key;
}

template <typename A>
void AtomicAdd(std::atomic<A>& a, A v) {
  A old = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Counter::Add(double v) {
  if (v > 0) AtomicAdd(value_, v);
}

void Gauge::Add(double v) { AtomicAdd(value_, v); }

Histogram::Histogram(std::span<const double> upper_bounds)
    : bounds_(upper_bounds.begin(), upper_bounds.end()),
      buckets_(new std::atomic<std::uint64_t>[upper_bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  // Buckets are few (about a dozen): a linear scan beats a binary search here.
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.upper_bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  // The +Inf bucket and _count must agree; a concurrent Observe may have bumped count_ already.
  s.count = running;
  return s;
}

struct Metrics::Family {
  std::string name;
  std::string help;
  Type type;
  std::vector<double> bounds;
  using Series =
      std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>>;
  std::map<std::string, Series, std::less<>> series;  // by label key
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics& Metrics::Global() {
  // Leaked on purpose: metrics may be recorded from threads still running during exit.
  static Metrics* global = new Metrics();
  return *global;
}

Metrics::Family& Metrics::FamilyFor(std::string_view name, std::string_view help, Type type,
                                    std::span<const double> upper_bounds) {
  // Called with mu_ held exclusively.
  auto it = families_.find(name);
  if (it == families_.end()) {
    if (!IsValidName(name, true)) Die("invalid metric name", name);
    if (type == Type::kHistogram &&
        (upper_bounds.empty() || !std::is_sorted(upper_bounds.begin(), upper_bounds.end()))) {
      Die("histogram buckets must be ascending and non-empty", name);
    }
    auto family = std::make_unique<Family>();
    family->name = std::string(name);
    family->help = std::string(help);
    family->type = type;
    family->bounds.assign(upper_bounds.begin(), upper_bounds.end());
    it = families_.emplace(family->name, std::move(family)).first;
  } else if (it->second->type != type) {
    Die("metric registered twice with different types", name);
  }
  return *it->second;
}

template <typename T>
T& Metrics::Get(std::string_view name, std::string_view help, Type type, const MetricLabels& labels,
                std::span<const double> upper_bounds) {
  const std::string key = LabelKey(labels);
  {
    // The common case, an existing series, only takes the lock shared.
    std::shared_lock lock(mu_);
    auto it = families_.find(name);
    if (it != families_.end() && it->second->type == type) {
      auto series = it->second->series.find(key);
      if (series != it->second->series.end()) {
        return *std::get<std::unique_ptr<T>>(series->second);
      }
    }
  }
  std::unique_lock lock(mu_);
  Family& family = FamilyFor(name, help, type, upper_bounds);
  auto it = family.series.find(key);
  if (it == family.series.end()) {
    std::unique_ptr<T> created;
    if constexpr (std::is_same_v<T, Histogram>) {
      created = std::make_unique<Histogram>(family.bounds);
    } else {
      created = std::make_unique<T>();
    }
    it = family.series.emplace(key, std::move(created)).first;
  }
  return *std::get<std::unique_ptr<T>>(it->second);
}

Counter& Metrics::GetCounter(std::string_view name, std::string_view help,
                             const MetricLabels& labels) {
  return Get<Counter>(name, help, Type::kCounter, labels, {});
}

Gauge& Metrics::GetGauge(std::string_view name, std::string_view help, const MetricLabels& labels) {
  return Get<Gauge>(name, help, Type::kGauge, labels, {});
}

Histogram& Metrics::GetHistogram(std::string_view name, std::string_view help,
                                 const MetricLabels& labels, std::span<const double> upper_bounds) {
  return Get<Histogram>(name, help, Type::kHistogram, labels, upper_bounds);
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  std::shared_lock lock(mu_);
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    AppendHelp(out, family->help);
    out += "\n# TYPE ";
    out += name;
    switch (family->type) {
      case Type::kCounter:
        out += " counter\n";
        break;
      case Type::kGauge:
        out += " gauge\n";
        break;
      case Type::kHistogram:
        out += " histogram\n";
        break;
    }
    for (const auto& [key, series] : family->series) {
      // `extra` is appended inside the braces: the `le` label of histogram buckets. The bindings
      // are captured by name because clang before 16 cannot capture structured bindings.
      auto line = [&out, &name = name, &key = key](std::string_view suffix,
                                                   std::string_view extra) {
        out += name;
        out += suffix;
        if (!key.empty() || !extra.empty()) {
          out += '{';
          out += key;
          if (!key.empty() && !extra.empty()) out += ',';
          out += extra;
          out += '}';
        }
        out += ' ';
      };
      if (auto* c = std::get_if<std::unique_ptr<Counter>>(&series)) {
        line("", "");
        AppendNumber(out, (*c)->Value());
        out += '\n';
      } else if (auto* g = std::get_if<std::unique_ptr<Gauge>>(&series)) {
        line("", "");
        AppendNumber(out, (*g)->Value());
        out += '\n';
      } else if (auto* h = std::get_if<std::unique_ptr<Histogram>>(&series)) {
        const Histogram::Snapshot s = (*h)->Read();
        for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
          std::string le = "le=\"";
          if (i < s.upper_bounds.size()) {
            AppendNumber(le, s.upper_bounds[i]);
          } else {
            le += "+Inf";
          }
          le += '"';
          line("_bucket", le);
          AppendNumber(out, s.cumulative[i]);
          out += '\n';
        }
        line("_sum", "");
        AppendNumber(out, s.sum);
        out += '\n';
        line("_count", "");
        AppendNumber(out, s.count);
        out += '\n';
      }
    }
  }
  return out;
}

void ObserveDbQuery(std::string_view backend, double seconds) {
  // Called for every statement (several per request): the two histograms are looked up once,
  // not by label on each call. Registry entries live as long as the registry.
  auto histogram = [](const char* name) -> Histogram& {
    return Metrics::Global().GetHistogram("tinhso_db_query_duration_seconds",
                                          "Database query duration in seconds",
                                          {{"backend", name}});
  };
  static Histogram& sqlite = histogram("sqlite");
  static Histogram& postgresql = histogram("postgresql");
  if (backend == "sqlite") {
    sqlite.Observe(seconds);
  } else if (backend == "postgresql") {
    postgresql.Observe(seconds);
  } else {
    histogram(std::string(backend).c_str()).Observe(seconds);
  }
}

}  // namespace tinhso::core
