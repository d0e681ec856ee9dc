#include "bot/analysis_options.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lockspan::bot {

AnalyzeOptions options_from_config(const config::RepoConfig& config, int jobs) {
  AnalyzeOptions o;
  o.jobs = jobs;
  auto add = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  add(o.catalog.blocking_mutexes, config.locks.blocking_mutexes);
  add(o.catalog.async_mutexes, config.locks.async_mutexes);
  add(o.catalog.blocking_guards, config.locks.blocking_guards);
  add(o.catalog.async_guards, config.locks.async_guards);
  for (const auto& [rule, sev] : config.rule_severity) {
    switch (sev) {
      case config::Severity::Error: o.severity[rule] = Severity::Error; break;
      case config::Severity::Warning: o.severity[rule] = Severity::Warning; break;
      case config::Severity::Notice: o.severity[rule] = Severity::Notice; break;
      case config::Severity::Off: o.severity[rule] = std::nullopt; break;
    }
  }
  return o;
}

config::RepoConfig load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return config::parse_repo_config(ss.str(), path);
}

}  // namespace lockspan::bot
