// The command line: a thin layer that parses arguments and calls the core.
#pragma once

#include <string>
#include <vector>

namespace lockspan::bot {

// Exit codes from the interface contract.
enum ExitCode { kExitClean = 0, kExitFindings = 1, kExitFailure = 2 };

int run_cli(int argc, char** argv);

struct AnalyzeArgs {
  std::string format = "text";
  std::string config_file;
  std::string fail_on = "error";
  int jobs = 0;
  std::vector<std::string> paths;
  std::vector<std::string> compiler_args;
};
int run_analyze(const AnalyzeArgs& args);

struct ReviewArgs {
  std::string repo = ".";
  std::string base;
  std::string head = "HEAD";
  std::string format = "text";
  std::string config_file;
  std::string fail_on = "error";
  int jobs = 0;
  int limit_cpu = 0;      // set by the service for its sandboxed child
  int limit_memory = 0;
};
int run_review(const ReviewArgs& args);

struct ServeArgs {
  std::string config_file;
  bool dry_run = false;
};
int run_serve(const ServeArgs& args);
int run_rerun(const ServeArgs& args, const std::string& target);

}  // namespace lockspan::bot

namespace lockspan {
struct AnalysisResult;
namespace bot {
// Exit code for findings against a --fail-on threshold ("error", "warning", "notice", "none").
int exit_code_for(const AnalysisResult& result, const std::string& fail_on);
}  // namespace bot
}  // namespace lockspan
