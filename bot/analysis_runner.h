// Runs the analysis of untrusted code in a child process: this same binary's
// `review` command, with CPU-time and memory limits and an environment that
// holds no secret. A crash or a timeout is reported, never thrown away.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lockspan::bot {

struct AnalysisLimits {
  int timeout_seconds = 300;
  int memory_mb = 2048;
  std::string public_url;  // for guidance links in the comments
  std::string executable;  // the lockspan binary to run; empty: this process's own
};

struct AnalysisOutcome {
  bool ok = false;
  nlohmann::json review;       // `lockspan review --format json` output when ok
  std::string failure;         // why not, for the check run and the log
  bool config_error = false;   // the repository's .github/lockspan.yml is invalid
  double seconds = 0;
};

AnalysisOutcome run_review_child(const std::string& repo_dir, const std::string& base_sha,
                                 const std::string& head_sha, const AnalysisLimits& limits);

// Applies the limits to the calling process (used by the child itself).
void apply_limits(int cpu_seconds, int memory_mb);

}  // namespace lockspan::bot
