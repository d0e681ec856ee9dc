// One review of one pull request at one head commit, from fetch to the posted
// review and the completed check run. Used by the service's workers and by
// `lockspan rerun`. Safe to run again after a crash: it never posts a second
// review for the same head, nor a comment whose fingerprint is already there.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "bot/analysis_runner.h"
#include "bot/github_app.h"
#include "bot/job_queue.h"
#include "bot/repo_cache.h"

namespace lockspan::bot {

struct ReviewTarget {
  std::string repo;  // owner/name
  int pull = 0;
  int64_t installation_id = 0;
  std::string head_sha, base_sha, base_ref, clone_url;  // filled from the API when empty
  std::string trigger;
};

struct ReviewResult {
  std::string conclusion;       // success | neutral | failure
  std::string title;
  int comments_posted = 0;
  int64_t review_id = 0;
  bool review_skipped = false;  // already posted for this head, or nothing new to say
  nlohmann::json posted;        // the review body sent (or that would be sent in a dry run)
  double analysis_seconds = 0;
};

// A newer push superseded this review while it ran: nothing is posted.
struct Superseded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// GitHub or git cannot be reached right now; try again after `seconds`.
struct RetryLater : std::runtime_error {
  RetryLater(const std::string& what, int64_t seconds) : std::runtime_error(what), seconds(seconds) {}
  int64_t seconds;
};

class ReviewJob {
 public:
  // `app` is null in a dry run: nothing is read from or written to GitHub.
  ReviewJob(GitHubApp* app, JobQueue& queue, RepoCache& cache, AnalysisLimits limits, std::string dry_run_dir);
  ReviewResult run(ReviewTarget target);
  // Asked after the analysis, before anything is posted.
  void set_cancelled(std::function<bool()> cancelled) { cancelled_ = std::move(cancelled); }
  // Best effort after the last attempt failed: say so in the check run.
  void report_failure(const ReviewTarget& target, const std::string& why);

 private:
  GitHubApp* app_;
  JobQueue& queue_;
  RepoCache& cache_;
  AnalysisLimits limits_;
  std::string dry_run_dir_;
  std::function<bool()> cancelled_;

  void complete_pull_info(ReviewTarget& t, const std::string& auth);
  int64_t start_check_run(const ReviewTarget& t, const std::string& auth);
  void finish_check_run(const ReviewTarget& t, const std::string& auth, int64_t id, const ReviewResult& r,
                        const nlohmann::json& findings, const std::string& summary);
  ReviewResult post_review(const ReviewTarget& t, const std::string& auth, const nlohmann::json& review);
};

// The head marker that makes a posted review recognizable after a crash.
std::string review_head_marker(const std::string& head_sha);
// New-side line ranges of a unified diff patch: the lines a comment may use.
std::vector<std::pair<int, int>> patch_ranges(const std::string& patch);

}  // namespace lockspan::bot
