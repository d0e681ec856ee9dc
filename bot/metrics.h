// Prometheus metrics for /metrics: counters, gauges and histograms, labelled,
// rendered in the text exposition format.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace lockspan::bot {

class Metrics {
 public:
  // labels: "event=\"pull_request\",outcome=\"queued\""
  void inc(const std::string& name, const std::string& labels = "", double by = 1);
  void set(const std::string& name, const std::string& labels, double value);
  void observe(const std::string& name, double seconds);
  void describe(const std::string& name, const std::string& type, const std::string& help);
  std::string render() const;

 private:
  struct Histogram {
    std::vector<double> counts;
    double sum = 0;
    double count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> meta_;  // name -> type, help
  std::map<std::string, std::map<std::string, double>> values_;      // name -> labels -> value
  std::map<std::string, Histogram> histograms_;
};

// Label value escaping per the exposition format.
std::string label(const std::string& key, const std::string& value);

}  // namespace lockspan::bot
