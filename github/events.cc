#include "github/events.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace lockspan::github {
namespace {

using nlohmann::json;

// A JSON value together with its dotted path, so that every error can
// name the exact field it is about.
class Node {
 public:
  Node(const json& j, std::string path) : j_(&j), path_(std::move(path)) {}

  Node at(std::string_view key) const {
    if (auto child = find(key)) return *child;
    throw error(join(key), "is missing");
  }

  // The child, or nullopt when it is absent or null.
  std::optional<Node> find(std::string_view key) const {
    if (!j_->is_object()) throw error(path_, "must be an object, got " + type());
    auto it = j_->find(key);
    if (it == j_->end() || it->is_null()) return std::nullopt;
    return Node(*it, join(key));
  }

  Node element(size_t i) const {
    return Node((*j_)[i], path_ + "[" + std::to_string(i) + "]");
  }

  size_t array_size() const {
    if (!j_->is_array()) throw error(path_, "must be an array, got " + type());
    return j_->size();
  }

  std::string str() const {
    if (!j_->is_string()) throw error(path_, "must be a string, got " + type());
    return j_->get<std::string>();
  }

  bool boolean() const {
    if (!j_->is_boolean()) throw error(path_, "must be true or false, got " + type());
    return j_->get<bool>();
  }

  std::int64_t int64() const {
    if (!j_->is_number_integer() ||
        (j_->is_number_unsigned() &&
         j_->get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()))
      throw error(path_, "must be an integer that fits 64 bits, got " + type());
    return j_->get<std::int64_t>();
  }

  // Issue and pull request numbers.
  int number() const {
    std::int64_t v = int64();
    if (v <= 0 || v > std::numeric_limits<int>::max())
      throw error(path_, "must be a positive number, got " + std::to_string(v));
    return static_cast<int>(v);
  }

  std::string opt_str(std::string_view key) const {
    auto child = find(key);
    return child ? child->str() : std::string();
  }

 private:
  std::string join(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::string type() const { return j_->type_name(); }
  static PayloadError error(const std::string& path, const std::string& what) {
    if (path.empty()) return PayloadError("webhook payload " + what);
    return PayloadError("webhook payload: " + path + " " + what);
  }

  const json* j_;
  std::string path_;
};

RepoRef parse_repo(const Node& repo) {
  RepoRef r;
  r.id = repo.at("id").int64();
  r.name = repo.at("name").str();
  r.full_name = repo.at("full_name").str();
  r.owner = repo.at("owner").at("login").str();
  r.clone_url = repo.opt_str("clone_url");
  r.default_branch = repo.opt_str("default_branch");
  return r;
}

// The fields every event carries; an App always gets `installation`.
template <typename Event>
Event parse_common(const json& payload) {
  Node root(payload, "");
  Event e;
  e.action = root.at("action").str();
  e.installation_id = root.at("installation").at("id").int64();
  e.repo = parse_repo(root.at("repository"));
  return e;
}

// Numbers of the pull requests listed on a check suite or run. GitHub can
// list pull requests of other repositories whose head is this commit (a
// fork's branch proposed upstream); their numbers would name the wrong
// pull requests here, so they are left out.
std::vector<int> pull_numbers(const Node& owner, std::int64_t repo_id) {
  std::vector<int> numbers;
  auto prs = owner.find("pull_requests");
  if (!prs) return numbers;
  for (size_t i = 0, n = prs->array_size(); i < n; ++i) {
    Node pr = prs->element(i);
    auto base = pr.find("base");
    auto base_repo = base ? base->find("repo") : std::nullopt;
    if (base_repo && base_repo->at("id").int64() != repo_id) continue;
    numbers.push_back(pr.at("number").number());
  }
  return numbers;
}

}  // namespace

json parse_payload(std::string_view body) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    throw PayloadError("webhook payload is not valid JSON (error at byte " +
                       std::to_string(e.byte) + ")");
  }
  if (!j.is_object())
    throw PayloadError(std::string("webhook payload must be a JSON object, got ") +
                       j.type_name());
  return j;
}

PullRequestEvent parse_pull_request_event(const json& payload) {
  auto e = parse_common<PullRequestEvent>(payload);
  Node pr = Node(payload, "").at("pull_request");
  e.number = pr.at("number").number();
  Node head = pr.at("head"), base = pr.at("base");
  e.head_sha = head.at("sha").str();
  e.head_ref = head.at("ref").str();
  e.base_sha = base.at("sha").str();
  e.base_ref = base.at("ref").str();
  if (auto draft = pr.find("draft")) e.draft = draft->boolean();
  // head.repo is null once the fork the pull request came from is deleted.
  if (auto head_repo = head.find("repo")) e.head_repo_full_name = head_repo->at("full_name").str();
  return e;
}

CheckSuiteEvent parse_check_suite_event(const json& payload) {
  auto e = parse_common<CheckSuiteEvent>(payload);
  Node suite = Node(payload, "").at("check_suite");
  e.head_sha = suite.at("head_sha").str();
  e.pull_numbers = pull_numbers(suite, e.repo.id);
  return e;
}

CheckRunEvent parse_check_run_event(const json& payload) {
  auto e = parse_common<CheckRunEvent>(payload);
  Node root(payload, "");
  Node run = root.at("check_run");
  e.check_run_id = run.at("id").int64();
  e.head_sha = run.at("head_sha").str();
  e.external_id = run.opt_str("external_id");
  e.pull_numbers = pull_numbers(run, e.repo.id);
  if (auto action = root.find("requested_action"))
    e.requested_action = action->at("identifier").str();
  return e;
}

IssueCommentEvent parse_issue_comment_event(const json& payload) {
  auto e = parse_common<IssueCommentEvent>(payload);
  Node root(payload, "");
  Node issue = root.at("issue");
  e.number = issue.at("number").number();
  e.on_pull_request = issue.find("pull_request").has_value();
  Node comment = root.at("comment");
  e.comment_id = comment.at("id").int64();
  e.body = comment.opt_str("body");
  // A deleted account's comments may come with a null user.
  if (auto user = comment.find("user")) e.user_login = user->at("login").str();
  return e;
}

bool is_rerun_command(std::string_view body) {
  constexpr std::string_view kCommand = "/lockspan rerun";
  constexpr std::string_view kSpace = " \t\r\f\v";
  while (!body.empty()) {
    size_t eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    size_t first = line.find_first_not_of(kSpace);
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(kSpace) - first + 1);
    if (line.size() == kCommand.size() &&
        std::equal(line.begin(), line.end(), kCommand.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        }))
      return true;
  }
  return false;
}

}  // namespace lockspan::github
