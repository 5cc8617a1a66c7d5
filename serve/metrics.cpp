// SPDX-License-Identifier: MIT
#include "metrics.h"

#include <cstdio>

namespace taxon::serve {
namespace {

const char* name_of(Endpoint e) {
  switch (e) {
    case Endpoint::Search:
      return "search";
    case Endpoint::Suggest:
      return "suggest";
    case Endpoint::Tree:
      return "tree";
    case Endpoint::Page:
      return "page";
    case Endpoint::Healthz:
      return "healthz";
    case Endpoint::Metrics:
      return "metrics";
    case Endpoint::Other:
      break;
  }
  return "other";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

Endpoint endpoint_of(std::string_view path) {
  if (path == "/api/search") return Endpoint::Search;
  if (path == "/api/suggest") return Endpoint::Suggest;
  if (path == "/api/tree") return Endpoint::Tree;
  if (path == "/healthz") return Endpoint::Healthz;
  if (path == "/metrics") return Endpoint::Metrics;
  if (path == "/" || path == "/taxon-search.js" || path == "/taxon-search.css")
    return Endpoint::Page;
  return Endpoint::Other;
}

void Metrics::record(Endpoint e, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{e, status}];
  if (seconds < 0) return;
  Histogram& h = latency_[static_cast<std::size_t>(e)];
  ++h.count;
  h.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
}

std::string Metrics::text(const std::vector<Figure>& more) const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP taxon_serve_requests_total Requests answered, by endpoint and HTTP status.\n";
  out += "# TYPE taxon_serve_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += "taxon_serve_requests_total{endpoint=\"" + std::string(name_of(key.first)) +
           "\",code=\"" + std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  out += "# HELP taxon_serve_request_duration_seconds Time from routing a request to its answer.\n";
  out += "# TYPE taxon_serve_request_duration_seconds histogram\n";
  for (std::size_t e = 0; e < kEndpoints; ++e) {
    const Histogram& h = latency_[e];
    if (h.count == 0) continue;
    const std::string label = "endpoint=\"" + std::string(name_of(static_cast<Endpoint>(e))) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out += "taxon_serve_request_duration_seconds_bucket{" + label + ",le=\"" +
             number(kBuckets[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
    out += "taxon_serve_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "taxon_serve_request_duration_seconds_sum{" + label + "} " + number(h.sum) + "\n";
    out += "taxon_serve_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  for (const Figure& f : more) {
    out += "# HELP " + f.name + " " + f.help + "\n";
    out += "# TYPE " + f.name + " " + f.type + "\n";
    out += f.name + " " + number(f.value) + "\n";
  }
  return out;
}

}  // namespace taxon::serve
