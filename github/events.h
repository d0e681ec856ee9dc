// The webhook payloads lockspan acts on, reduced to plain structs.
//
// Parsing checks every field it reads: a missing or mistyped required
// field throws PayloadError naming it ("pull_request.head.sha is
// missing"), so a truncated or unexpected delivery is refused with a
// reason instead of crashing or acting on half-read data. Fields GitHub
// may legitimately leave null (a deleted fork, a check run without an
// external id) come back empty.
//
// The event name comes from the X-GitHub-Event header, not the body; the
// caller picks the parser by it and then checks `action`, since GitHub
// adds new actions over time.

#ifndef LOCKSPAN_GITHUB_EVENTS_H_
#define LOCKSPAN_GITHUB_EVENTS_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lockspan::github {

struct PayloadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// payload.repository: the repository the event happened in.
struct RepoRef {
  std::string owner, name, full_name, clone_url, default_branch;
  std::int64_t id = 0;
};

struct PullRequestEvent {
  std::string action;
  std::int64_t installation_id = 0;
  RepoRef repo;
  int number = 0;
  std::string head_sha, head_ref, base_sha, base_ref;
  bool draft = false;
  // Differs from repo.full_name for a fork; empty when the fork is gone.
  std::string head_repo_full_name;
};

struct CheckSuiteEvent {
  std::string action;
  std::int64_t installation_id = 0;
  RepoRef repo;
  std::string head_sha;
  std::vector<int> pull_numbers;  // empty for pushes from forks
};

struct CheckRunEvent {
  std::string action;
  std::int64_t installation_id = 0;
  RepoRef repo;
  std::string head_sha;
  std::int64_t check_run_id = 0;
  std::string external_id;
  std::vector<int> pull_numbers;
  std::string requested_action;  // requested_action.identifier, if a button was clicked
};

struct IssueCommentEvent {
  std::string action;
  std::int64_t installation_id = 0;
  RepoRef repo;
  int number = 0;                // the issue's or pull request's number
  bool on_pull_request = false;  // issue.pull_request is present
  std::string body;
  std::string user_login;
  std::int64_t comment_id = 0;
};

/// The raw delivery body as JSON; throws PayloadError unless it is a JSON
/// object.
nlohmann::json parse_payload(std::string_view body);

PullRequestEvent parse_pull_request_event(const nlohmann::json& payload);
CheckSuiteEvent parse_check_suite_event(const nlohmann::json& payload);
CheckRunEvent parse_check_run_event(const nlohmann::json& payload);
IssueCommentEvent parse_issue_comment_event(const nlohmann::json& payload);

/// True when some line of the comment is exactly "/lockspan rerun",
/// ignoring case and whitespace around it.
bool is_rerun_command(std::string_view comment_body);

}  // namespace lockspan::github

#endif  // LOCKSPAN_GITHUB_EVENTS_H_
