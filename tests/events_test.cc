// Webhook parsing over real GitHub payloads, then over broken ones.
//
// The payloads are examples from npm @octokit/webhooks-examples 7.6.1
// (api.github.com/index.json; the index is named above each one), trimmed
// to stay readable: *_url and node_id fields, sender, organization, app,
// labels and other bulk were removed and user objects cut to login, id and
// type. What is left is unchanged, values and nesting as GitHub sent them.

#include "github/events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gh = lockspan::github;
using nlohmann::json;

namespace {

// pull_request examples[12] ("opened")
constexpr std::string_view kPullRequestOpened = R"json(
{"action":"opened","number":2,"pull_request":{"id":279147437,"number":2,"state":"open",
"title":"Update the README with new information.","user":{"login":"Codertocat","id":21031067,
"type":"User"},"draft":false,"head":{"label":"Codertocat:changes","ref":"changes",
"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","user":{"login":"Codertocat","id":21031067,
"type":"User"},"repo":{"id":186853002,"name":"Hello-World","full_name":"Codertocat/Hello-World",
"owner":{"login":"Codertocat","id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"}},
"base":{"label":"Codertocat:master","ref":"master",
"sha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e","user":{"login":"Codertocat","id":21031067,
"type":"User"},"repo":{"id":186853002,"name":"Hello-World","full_name":"Codertocat/Hello-World",
"owner":{"login":"Codertocat","id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"}},
"merged":false},"repository":{"id":186853002,"name":"Hello-World",
"full_name":"Codertocat/Hello-World","owner":{"login":"Codertocat","id":21031067,"type":"User"},
"private":false,"fork":false,"clone_url":"https://github.com/Codertocat/Hello-World.git",
"default_branch":"master"},"installation":{"id":1}})json";

// pull_request examples[22] ("synchronize")
constexpr std::string_view kPullRequestSynchronize = R"json(
{"action":"synchronize","number":2,"pull_request":{"id":279147437,"number":2,"state":"open",
"title":"Update the README with new information.","user":{"login":"Codertocat","id":21031067,
"type":"User"},"draft":false,"head":{"label":"Codertocat:changes","ref":"changes",
"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","user":{"login":"Codertocat","id":21031067,
"type":"User"},"repo":{"id":186853002,"name":"Hello-World","full_name":"Codertocat/Hello-World",
"owner":{"login":"Codertocat","id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"}},
"base":{"label":"Codertocat:master","ref":"master",
"sha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e","user":{"login":"Codertocat","id":21031067,
"type":"User"},"repo":{"id":186853002,"name":"Hello-World","full_name":"Codertocat/Hello-World",
"owner":{"login":"Codertocat","id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"}},
"merged":false},"before":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
"after":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","repository":{"id":186853002,
"name":"Hello-World","full_name":"Codertocat/Hello-World","owner":{"login":"Codertocat",
"id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"},
"installation":{"id":1}})json";

// check_suite examples[4] ("requested")
constexpr std::string_view kCheckSuiteRequested = R"json(
{"action":"requested","check_suite":{"id":118578174,"head_branch":"master",
"head_sha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e","status":"queued","conclusion":null,
"before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",
"after":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e","pull_requests":[],
"created_at":"2019-05-15T15:20:33Z","updated_at":"2019-05-15T15:20:33Z",
"latest_check_runs_count":0},"repository":{"id":186853002,"name":"Hello-World",
"full_name":"Codertocat/Hello-World","owner":{"login":"Codertocat","id":21031067,"type":"User"},
"private":false,"fork":false,"clone_url":"https://github.com/Codertocat/Hello-World.git",
"default_branch":"master"},"installation":{"id":957387}})json";

// check_suite examples[7] ("rerequested")
constexpr std::string_view kCheckSuiteRerequested = R"json(
{"action":"rerequested","check_suite":{"id":118578147,"head_branch":"changes",
"head_sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","status":"completed",
"conclusion":"success","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",
"after":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","pull_requests":[{"id":279147437,"number":2,
"head":{"ref":"changes","sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","repo":{"id":186853002,
"name":"Hello-World"}},"base":{"ref":"master","sha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
"repo":{"id":186853002,"name":"Hello-World"}}}],"created_at":"2019-05-15T15:20:31Z",
"updated_at":"2019-05-15T15:21:14Z","latest_check_runs_count":1},"repository":{"id":186853002,
"name":"Hello-World","full_name":"Codertocat/Hello-World","owner":{"login":"Codertocat",
"id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"},
"installation":{"id":957387}})json";

// check_run examples[7] ("rerequested")
constexpr std::string_view kCheckRunRerequested = R"json(
{"action":"rerequested","check_run":{"id":4,
"head_sha":"d6fde92930d4715a2b49857d24b940956b26d2d3","external_id":"","status":"completed",
"conclusion":"neutral","started_at":"2018-05-04T01:14:52Z",
"completed_at":"2018-05-04T01:14:52Z","name":"randscape","pull_requests":[]},
"repository":{"id":526,"name":"hello-world","full_name":"github/hello-world",
"owner":{"login":"github","id":340,"type":"Organization"},"private":false,"fork":false,
"clone_url":"http://github.com/github/hello-world.git","default_branch":"master"},
"installation":{"id":1}})json";

// check_run examples[6] ("requested_action")
constexpr std::string_view kCheckRunRequestedAction = R"json(
{"action":"requested_action","check_run":{"id":1494503112,
"head_sha":"5bd5f196a46b8222fb7484f05faba41a73cf34bd","external_id":"","status":"in_progress",
"conclusion":null,"started_at":"2020-12-03T18:27:27Z","completed_at":null,"name":"API Review",
"pull_requests":[{"id":530493071,"number":26764,"head":{"ref":"miniak/event-process-id",
"sha":"5bd5f196a46b8222fb7484f05faba41a73cf34bd","repo":{"id":9384267,"name":"electron"}},
"base":{"ref":"master","sha":"45eee468647309e9e6cdb2a88a3b460a59771fef","repo":{"id":9384267,
"name":"electron"}}}]},"requested_action":{"identifier":"lgtm|26764"},
"repository":{"id":9384267,"name":"electron","full_name":"electron/electron",
"owner":{"login":"electron","id":13409222,"type":"Organization"},"private":false,"fork":false,
"clone_url":"https://github.com/electron/electron.git","default_branch":"master"},
"installation":{"id":690857}})json";

// issue_comment examples[3] ("created")
constexpr std::string_view kIssueCommentCreated = R"json(
{"action":"created","issue":{"id":444500041,"number":1,
"title":"Spelling error in the README file","user":{"login":"Codertocat","id":21031067,
"type":"User"},"state":"open"},"comment":{"id":492700400,"user":{"login":"Codertocat",
"id":21031067,"type":"User"},"created_at":"2019-05-15T15:20:21Z",
"body":"You are totally right! I'll get this fixed right away."},"repository":{"id":186853002,
"name":"Hello-World","full_name":"Codertocat/Hello-World","owner":{"login":"Codertocat",
"id":21031067,"type":"User"},"private":false,"fork":false,
"clone_url":"https://github.com/Codertocat/Hello-World.git","default_branch":"master"},
"installation":{"id":1}})json";

json parse(std::string_view raw) { return gh::parse_payload(raw); }

// `raw` with the value at `pointer` replaced, or removed when `value` is
// nullopt.
json mutate(std::string_view raw, const std::string& pointer, std::optional<json> value) {
  json j = parse(raw);
  json::json_pointer ptr(pointer);
  if (value) {
    j[ptr] = *value;
  } else {
    json& parent = j.at(ptr.parent_pointer());
    if (parent.is_array()) parent.erase(std::stoul(ptr.back()));
    else parent.erase(ptr.back());
  }
  return j;
}

// Runs `parse_fn` and returns the PayloadError message, or "" if it parsed.
template <typename Parse>
std::string error_of(Parse parse_fn, const json& payload) {
  try {
    parse_fn(payload);
    return "";
  } catch (const gh::PayloadError& e) {
    return e.what();
  }
}

TEST(WebhookEvents, PullRequestOpened) {
  auto e = gh::parse_pull_request_event(parse(kPullRequestOpened));
  EXPECT_EQ(e.action, "opened");
  EXPECT_EQ(e.installation_id, 1);
  EXPECT_EQ(e.repo.owner, "Codertocat");
  EXPECT_EQ(e.repo.name, "Hello-World");
  EXPECT_EQ(e.repo.full_name, "Codertocat/Hello-World");
  EXPECT_EQ(e.repo.clone_url, "https://github.com/Codertocat/Hello-World.git");
  EXPECT_EQ(e.repo.default_branch, "master");
  EXPECT_EQ(e.repo.id, 186853002);
  EXPECT_EQ(e.number, 2);
  EXPECT_EQ(e.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_EQ(e.head_ref, "changes");
  EXPECT_EQ(e.base_sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
  EXPECT_EQ(e.base_ref, "master");
  EXPECT_FALSE(e.draft);
  EXPECT_EQ(e.head_repo_full_name, "Codertocat/Hello-World");
}

TEST(WebhookEvents, PullRequestSynchronize) {
  auto e = gh::parse_pull_request_event(parse(kPullRequestSynchronize));
  EXPECT_EQ(e.action, "synchronize");
  EXPECT_EQ(e.number, 2);
  EXPECT_EQ(e.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
}

TEST(WebhookEvents, PullRequestDraftForkAndDeletedFork) {
  auto draft = mutate(kPullRequestOpened, "/pull_request/draft", true);
  EXPECT_TRUE(gh::parse_pull_request_event(draft).draft);
  auto fork =
      mutate(kPullRequestOpened, "/pull_request/head/repo/full_name", "someone/Hello-World");
  EXPECT_EQ(gh::parse_pull_request_event(fork).head_repo_full_name, "someone/Hello-World");
  // GitHub sends head.repo: null once the fork is deleted.
  auto gone = mutate(kPullRequestOpened, "/pull_request/head/repo", json(nullptr));
  EXPECT_EQ(gh::parse_pull_request_event(gone).head_repo_full_name, "");
}

TEST(WebhookEvents, CheckSuiteRequested) {
  auto e = gh::parse_check_suite_event(parse(kCheckSuiteRequested));
  EXPECT_EQ(e.action, "requested");
  EXPECT_EQ(e.installation_id, 957387);
  EXPECT_EQ(e.repo.full_name, "Codertocat/Hello-World");
  EXPECT_EQ(e.head_sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
  EXPECT_TRUE(e.pull_numbers.empty());
}

TEST(WebhookEvents, CheckSuiteRerequestedListsPullRequests) {
  auto e = gh::parse_check_suite_event(parse(kCheckSuiteRerequested));
  EXPECT_EQ(e.action, "rerequested");
  EXPECT_EQ(e.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_EQ(e.pull_numbers, std::vector<int>{2});
}

TEST(WebhookEvents, PullRequestsOfOtherRepositoriesAreDropped) {
  auto j = mutate(kCheckSuiteRerequested, "/check_suite/pull_requests/0/base/repo/id", 99);
  EXPECT_TRUE(gh::parse_check_suite_event(j).pull_numbers.empty());
}

TEST(WebhookEvents, CheckRunRerequested) {
  auto e = gh::parse_check_run_event(parse(kCheckRunRerequested));
  EXPECT_EQ(e.action, "rerequested");
  EXPECT_EQ(e.installation_id, 1);
  EXPECT_EQ(e.repo.full_name, "github/hello-world");
  EXPECT_EQ(e.repo.owner, "github");
  EXPECT_EQ(e.head_sha, "d6fde92930d4715a2b49857d24b940956b26d2d3");
  EXPECT_EQ(e.check_run_id, 4);
  EXPECT_EQ(e.external_id, "");
  EXPECT_TRUE(e.pull_numbers.empty());
  EXPECT_EQ(e.requested_action, "");
}

TEST(WebhookEvents, CheckRunRequestedAction) {
  auto e = gh::parse_check_run_event(parse(kCheckRunRequestedAction));
  EXPECT_EQ(e.action, "requested_action");
  EXPECT_EQ(e.installation_id, 690857);
  EXPECT_EQ(e.check_run_id, 1494503112);
  EXPECT_EQ(e.pull_numbers, std::vector<int>{26764});
  EXPECT_EQ(e.requested_action, "lgtm|26764");
  auto null_id = mutate(kCheckRunRequestedAction, "/check_run/external_id", json(nullptr));
  EXPECT_EQ(gh::parse_check_run_event(null_id).external_id, "");
}

TEST(WebhookEvents, IssueCommentOnIssue) {
  auto e = gh::parse_issue_comment_event(parse(kIssueCommentCreated));
  EXPECT_EQ(e.action, "created");
  EXPECT_EQ(e.installation_id, 1);
  EXPECT_EQ(e.number, 1);
  EXPECT_FALSE(e.on_pull_request);
  EXPECT_EQ(e.body, "You are totally right! I'll get this fixed right away.");
  EXPECT_EQ(e.user_login, "Codertocat");
  EXPECT_EQ(e.comment_id, 492700400);
}

TEST(WebhookEvents, IssueCommentOnPullRequest) {
  // The package has no issue_comment example on a pull request, so this
  // copy gets the issue.pull_request key GitHub adds for one (its real
  // shape: the pull request's URLs and merged_at).
  auto j = mutate(kIssueCommentCreated, "/issue/pull_request",
                  json{{"url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"},
                       {"html_url", "https://github.com/Codertocat/Hello-World/pull/1"},
                       {"diff_url", "https://github.com/Codertocat/Hello-World/pull/1.diff"},
                       {"patch_url", "https://github.com/Codertocat/Hello-World/pull/1.patch"},
                       {"merged_at", nullptr}});
  auto e = gh::parse_issue_comment_event(j);
  EXPECT_TRUE(e.on_pull_request);
  EXPECT_EQ(e.number, 1);
}

TEST(WebhookEvents, MissingOrMistypedFieldsAreNamed) {
  auto pr = [](const json& j) { gh::parse_pull_request_event(j); };
  auto suite = [](const json& j) { gh::parse_check_suite_event(j); };
  auto run = [](const json& j) { gh::parse_check_run_event(j); };
  auto comment = [](const json& j) { gh::parse_issue_comment_event(j); };
  auto missing = std::optional<json>();
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/installation", missing)),
            "webhook payload: installation is missing");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/pull_request/head/sha", missing)),
            "webhook payload: pull_request.head.sha is missing");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/action", json(nullptr))),
            "webhook payload: action is missing");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/pull_request/number", "2")),
            "webhook payload: pull_request.number must be an integer that fits 64 bits, "
            "got string");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/pull_request/number", -2)),
            "webhook payload: pull_request.number must be a positive number, got -2");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/pull_request/draft", "no")),
            "webhook payload: pull_request.draft must be true or false, got string");
  EXPECT_EQ(error_of(pr, mutate(kPullRequestOpened, "/repository/owner", "Codertocat")),
            "webhook payload: repository.owner must be an object, got string");
  EXPECT_EQ(error_of(pr, json::array()), "webhook payload must be an object, got array");
  EXPECT_EQ(error_of(pr, parse(kIssueCommentCreated)),
            "webhook payload: pull_request is missing");
  const std::string prs = "/check_suite/pull_requests";
  EXPECT_EQ(error_of(suite, mutate(kCheckSuiteRerequested, prs, json::object())),
            "webhook payload: check_suite.pull_requests must be an array, got object");
  EXPECT_EQ(error_of(suite, mutate(kCheckSuiteRerequested, prs + "/0/number", missing)),
            "webhook payload: check_suite.pull_requests[0].number is missing");
  EXPECT_EQ(error_of(run, mutate(kCheckRunRerequested, "/check_run/id", 1.5)),
            "webhook payload: check_run.id must be an integer that fits 64 bits, got number");
  EXPECT_EQ(error_of(run, mutate(kCheckRunRerequested, "/installation/id", UINT64_MAX)),
            "webhook payload: installation.id must be an integer that fits 64 bits, got number");
  EXPECT_EQ(error_of(run, mutate(kCheckRunRequestedAction, "/requested_action", json::object())),
            "webhook payload: requested_action.identifier is missing");
  EXPECT_EQ(error_of(comment, mutate(kIssueCommentCreated, "/comment/body", 5)),
            "webhook payload: comment.body must be a string, got number");
  EXPECT_EQ(error_of(comment, mutate(kIssueCommentCreated, "/issue", json(nullptr))),
            "webhook payload: issue is missing");
}

// The JSON pointer of every value below `j`, inner ones included.
std::vector<std::string> all_pointers(const json& j, const std::string& at) {
  std::vector<std::string> out;
  if (!j.is_structured()) return out;
  for (const auto& [key, child] : j.items()) {
    std::string p = at + "/" + key;  // no key here needs ~ or / escaping
    out.push_back(p);
    auto below = all_pointers(child, p);
    out.insert(out.end(), below.begin(), below.end());
  }
  return out;
}

// Every field of every example removed, nulled or given the wrong type:
// the parser either copes or throws PayloadError, nothing else.
TEST(WebhookEvents, NoMutationCrashes) {
  auto any_parser = [](const json& j) {
    gh::parse_pull_request_event(j);
    gh::parse_check_suite_event(j);
    gh::parse_check_run_event(j);
    gh::parse_issue_comment_event(j);
  };
  const std::optional<json> replacements[] = {std::nullopt, json(nullptr), json("x"),
                                              json::array({1}), json(-1), json(1e300)};
  for (auto raw : {kPullRequestOpened, kPullRequestSynchronize, kCheckSuiteRequested,
                   kCheckSuiteRerequested, kCheckRunRerequested, kCheckRunRequestedAction,
                   kIssueCommentCreated}) {
    for (const std::string& pointer : all_pointers(parse(raw), "")) {
      for (const auto& replacement : replacements) {
        json j = mutate(raw, pointer, replacement);
        EXPECT_NO_THROW(error_of(any_parser, j)) << pointer;
      }
    }
  }
}

TEST(WebhookEvents, ParsePayloadRejectsNonObjects) {
  for (std::string_view bad : {"", "not json", "[]", "\"text\"", "42", "{\"action\":"})
    EXPECT_THROW(gh::parse_payload(bad), gh::PayloadError) << bad;
  EXPECT_THROW(gh::parse_payload(kPullRequestOpened.substr(0, 200)), gh::PayloadError);
}

TEST(WebhookEvents, RerunCommand) {
  EXPECT_TRUE(gh::is_rerun_command("/lockspan rerun"));
  EXPECT_TRUE(gh::is_rerun_command("  /LockSpan RERUN \t"));
  EXPECT_TRUE(gh::is_rerun_command("Flaky, trying again.\r\n/lockspan rerun\r\nthanks"));
  EXPECT_TRUE(gh::is_rerun_command("\n\n/lockspan rerun"));
  EXPECT_FALSE(gh::is_rerun_command(""));
  EXPECT_FALSE(gh::is_rerun_command("/lockspan"));
  EXPECT_FALSE(gh::is_rerun_command("/lockspan rerun please"));
  EXPECT_FALSE(gh::is_rerun_command("please /lockspan rerun"));
  EXPECT_FALSE(gh::is_rerun_command("> /lockspan rerun"));  // quoting someone else
  EXPECT_FALSE(gh::is_rerun_command("/lockspan  rerun"));
  EXPECT_FALSE(gh::is_rerun_command("/lockspan rerun!"));
  EXPECT_FALSE(gh::is_rerun_command("`/lockspan rerun`"));
}

}  // namespace
