// SPDX-License-Identifier: MIT
// Request counts and latencies, in Prometheus' text format for /metrics.
#ifndef TAXON_SERVE_METRICS_H_
#define TAXON_SERVE_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taxon::serve {

/// What a request was for: the label of its counts.
enum class Endpoint { Search, Suggest, Tree, Page, Healthz, Metrics, Other };
inline constexpr std::size_t kEndpoints = 7;

/// The endpoint a request path is counted under.
Endpoint endpoint_of(std::string_view path);

/// Thread-safe.
class Metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  /// One answered request; `seconds` < 0 when its start was not seen
  /// (a request refused before routing): counted, not timed.
  void record(Endpoint e, int status, double seconds);

  /// A figure kept elsewhere, added to the text as it is.
  struct Figure {
    std::string name, type, help;  // type: "gauge" or "counter"
    double value = 0;
  };

  /// The text /metrics answers.
  std::string text(const std::vector<Figure>& more) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<Endpoint, int>, std::uint64_t> requests_;
  std::array<Histogram, kEndpoints> latency_{};
};

}  // namespace taxon::serve

#endif  // TAXON_SERVE_METRICS_H_
