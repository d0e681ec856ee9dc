#include "bot/metrics.h"

#include <cstdio>

namespace lockspan::bot {
namespace {

const std::vector<double> kBuckets = {0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::string label(const std::string& key, const std::string& value) {
  std::string out = key + "=\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard<std::mutex> g(mu_);
  meta_[name] = {type, help};
}

void Metrics::inc(const std::string& name, const std::string& labels, double by) {
  std::lock_guard<std::mutex> g(mu_);
  values_[name][labels] += by;
}

void Metrics::set(const std::string& name, const std::string& labels, double value) {
  std::lock_guard<std::mutex> g(mu_);
  values_[name][labels] = value;
}

void Metrics::observe(const std::string& name, double seconds) {
  std::lock_guard<std::mutex> g(mu_);
  Histogram& h = histograms_[name];
  if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) h.counts[i] += 1;
  h.sum += seconds;
  h.count += 1;
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> g(mu_);
  std::string out;
  auto header = [&](const std::string& name, const char* fallback_type) {
    auto it = meta_.find(name);
    if (it != meta_.end()) {
      out += "# HELP " + name + " " + it->second.second + "\n";
      out += "# TYPE " + name + " " + it->second.first + "\n";
    } else {
      out += "# TYPE " + name + " " + fallback_type + "\n";
    }
  };
  for (const auto& [name, series] : values_) {
    header(name, "untyped");
    for (const auto& [labels, v] : series)
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(v) + "\n";
  }
  for (const auto& [name, h] : histograms_) {
    header(name, "histogram");
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += name + "_bucket{le=\"" + number(kBuckets[i]) + "\"} " + number(h.counts[i]) + "\n";
    out += name + "_bucket{le=\"+Inf\"} " + number(h.count) + "\n";
    out += name + "_sum " + number(h.sum) + "\n";
    out += name + "_count " + number(h.count) + "\n";
  }
  return out;
}

}  // namespace lockspan::bot
