// `lockspan review`: a git change in, the review it deserves out.
#include <iostream>

#include "bot/analysis_options.h"
#include "bot/analysis_runner.h"
#include "bot/cli.h"
#include "bot/review.h"
#include "bot/review_report.h"

namespace lockspan::bot {

int run_review(const ReviewArgs& args) {
  apply_limits(args.limit_cpu, args.limit_memory);
  ReviewRequest req;
  req.repo_dir = args.repo;
  req.base = args.base;
  req.head = args.head;
  req.jobs = args.jobs;
  req.report = report_context_from_env();
  Review review;
  try {
    if (!args.config_file.empty()) req.config = load_config_file(args.config_file);
    review = compute_review(req);
  } catch (const std::exception& e) {
    std::cerr << "lockspan: error: " << e.what() << "\n";
    return kExitFailure;
  }
  if (args.format == "json") std::cout << dump_json(review_json(review, req.report)) << "\n";
  else if (args.format == "sarif") std::cout << dump_json(review_sarif(review, req.report)) << "\n";
  else if (args.format == "markdown") std::cout << review_markdown(review);
  else std::cout << review_text(review);
  std::cout.flush();
  AnalysisResult as_result;
  as_result.findings = review.findings;
  return exit_code_for(as_result, args.fail_on);
}

}  // namespace lockspan::bot
