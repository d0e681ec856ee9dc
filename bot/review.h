// One review of one change: which findings the change touches, and the
// review exactly as GitHub will accept it (every inline comment on a line of
// a diff hunk, the rest as file-level comments or in the summary).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "bot/git_change.h"
#include "bot/report.h"
#include "config/repo_config.h"

namespace lockspan::bot {

struct ReviewComment {
  std::string path;
  int line = 0;              // 0 for a file-level comment
  std::string side = "RIGHT";
  std::string body;
  std::string fingerprint;
  size_t finding = 0;        // index into Review::findings
};

// A changed file the review could not analyze fully, and why.
struct FileNote {
  std::string path;
  std::string status;  // "skipped", "degraded", "error", "excluded"
  std::string detail;
};

struct Review {
  std::string base_sha, head_sha, merge_base_sha;
  std::vector<Finding> findings;              // touched by the change, by severity then place
  std::vector<ReviewComment> comments;        // inline, RIGHT side, inside a hunk
  std::vector<ReviewComment> file_comments;   // the finding's lines are outside every hunk
  std::vector<size_t> overflow;               // findings beyond the inline cap: listed in the body
  std::vector<FileNote> notes;
  int files_changed = 0;                      // C and C++ files in the change
  int files_analyzed = 0;
  std::string body;                           // the review body, markdown
  std::string summary;                        // one line
};

struct ReviewRequest {
  std::string repo_dir = ".";
  std::string base;                           // empty: the default branch
  std::string head = "HEAD";
  std::optional<config::RepoConfig> config;   // set: used instead of the base side's file
  int jobs = 0;
  size_t max_file_bytes = 1u << 20;
  ReportContext report;
};

// Thrown (as config::ConfigError) when the base side's .github/lockspan.yml is invalid.
Review compute_review(const ReviewRequest& request);

// The pure part: from a change, the analysis of its files and the notes,
// the review to post. Exposed for tests.
Review compose_review(const git::Change& change, AnalysisResult analysis, std::vector<FileNote> notes,
                      int files_changed, int max_inline_comments, const ReportContext& ctx);

// The hidden marker a later run uses to recognize a comment it already made.
std::string fingerprint_marker(const std::string& fingerprint);
// Fingerprints found in a comment body written by lockspan.
std::vector<std::string> fingerprints_in(const std::string& body);

}  // namespace lockspan::bot
