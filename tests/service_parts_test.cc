// The service's pure parts: configuration, metrics text, guidance pages,
// GitHub's retry rules, Link pagination, diff ranges, webhook intake.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bot/guidance.h"
#include "bot/metrics.h"
#include "bot/review_job.h"
#include "bot/sqlite_queue.h"
#include "bot/webhook_intake.h"
#include "config/server_config.h"
#include "github/rest_client.h"
#include "github/webhook_signature.h"
#include "tests/test_util.h"

namespace lockspan {
namespace {

TEST(ServerConfig, DefaultsRequiredKeysAndSecretFiles) {
  test::TempDir d;
  auto secret = d.write("secret", "from-file\n");
  auto c = config::load_server_config("", {{"GITHUB_WEBHOOK_SECRET_FILE", secret}}, /*dry_run=*/true);
  EXPECT_EQ(c.webhook_secret, "from-file");
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.port(), 8080);
  EXPECT_THROW(config::load_server_config("", {}, true), config::ServerConfigError);
  try {
    config::load_server_config("", {{"GITHUB_WEBHOOK_SECRET", "s"}}, false);
    FAIL() << "app id is required outside dry runs";
  } catch (const config::ServerConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("GITHUB_APP_ID"), std::string::npos);
  }
  try {
    config::load_server_config("", {{"GITHUB_WEBHOOK_SECRET", "hunter2"}, {"LOCKSPAN_WORKERS", "lots"}}, true);
    FAIL();
  } catch (const config::ServerConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("LOCKSPAN_WORKERS"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
}

TEST(ServerConfig, FileSettingsAreOverriddenByTheEnvironment) {
  test::TempDir d;
  auto file = d.write("serve.yml", "LOCKSPAN_LISTEN: 0.0.0.0:9000\nGITHUB_WEBHOOK_SECRET: file\n");
  auto c = config::load_server_config(file, {{"GITHUB_WEBHOOK_SECRET", "env"}}, true);
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.webhook_secret, "env");
  auto bad = d.write("bad.yml", "LOCKSPAN_LISTN: 1\n");
  EXPECT_THROW(config::load_server_config(bad, {{"GITHUB_WEBHOOK_SECRET", "x"}}, true), config::ServerConfigError);
}

TEST(Metrics, PrometheusTextFormat) {
  bot::Metrics m;
  m.describe("lockspan_deliveries_total", "counter", "Deliveries.");
  m.inc("lockspan_deliveries_total", bot::label("event", "pull_request") + "," + bot::label("outcome", "queued"));
  m.inc("lockspan_deliveries_total", bot::label("event", "pull_request") + "," + bot::label("outcome", "queued"));
  m.observe("lockspan_job_duration_seconds", 0.2);
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE lockspan_deliveries_total counter"), std::string::npos);
  EXPECT_NE(text.find("lockspan_deliveries_total{event=\"pull_request\",outcome=\"queued\"} 2"), std::string::npos);
  EXPECT_NE(text.find("lockspan_job_duration_seconds_bucket{le=\"0.5\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lockspan_job_duration_seconds_count 1"), std::string::npos);
  EXPECT_EQ(bot::label("k", "a\"b"), "k=\"a\\\"b\"");
}

TEST(Guidance, EveryRuleHasAnHtmlPage) {
  for (const char* rule : {"lock-across-suspend", "lock-await-deadlock", "async-lock-across-suspend"}) {
    auto html = bot::guidance_html(rule);
    ASSERT_TRUE(html.has_value()) << rule;
    EXPECT_NE(html->find("<h1>"), std::string::npos);
    EXPECT_NE(html->find("<pre><code>"), std::string::npos);
  }
  EXPECT_FALSE(bot::guidance_html("no-such-rule").has_value());
  std::string h = bot::markdown_to_html("# T\n\nSee [x](lock-await-deadlock.md) and `a<b>`.\n", "t");
  EXPECT_NE(h.find("<a href=\"lock-await-deadlock\">x</a>"), std::string::npos);
  EXPECT_NE(h.find("<code>a&lt;b&gt;</code>"), std::string::npos);
}

TEST(RestClient, RetryRulesFollowGitHub) {
  github::HttpResponse r;
  r.status = 502;
  EXPECT_TRUE(github::retry_delay(r, 0, 1.0, 1000).has_value());
  r.status = 0;
  EXPECT_TRUE(github::retry_delay(r, 3, 1.0, 1000).has_value());
  r.status = 429;
  r.headers["retry-after"] = "7";
  EXPECT_EQ(github::retry_delay(r, 0, 1.0, 1000), 7.0);
  r.status = 403;
  r.headers.clear();
  r.headers["x-ratelimit-remaining"] = "0";
  r.headers["x-ratelimit-reset"] = "1030";
  EXPECT_EQ(github::retry_delay(r, 0, 1.0, 1000), 30.0);
  r.headers.clear();
  r.body = R"({"message":"Resource not accessible by integration"})";
  EXPECT_FALSE(github::retry_delay(r, 0, 1.0, 1000).has_value());  // a permission problem is final
  r.status = 422;
  EXPECT_FALSE(github::retry_delay(r, 0, 1.0, 1000).has_value());
}

TEST(RestClient, NextLinkFromTheLinkHeader) {
  EXPECT_EQ(github::next_link("<https://api.github.com/x?page=2>; rel=\"next\", <https://api.github.com/x?page=5>; rel=\"last\""),
            "https://api.github.com/x?page=2");
  EXPECT_EQ(github::next_link("<https://a/x?page=1>; rel=\"prev\", <https://a/x?page=1>; rel=\"first\""), "");
  EXPECT_EQ(github::next_link(""), "");
}

TEST(ReviewJob, PatchRangesAreTheNewSideOfEachHunk) {
  auto r = bot::patch_ranges("@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n@@ -20,2 +21,0 @@\n-x\n-y\n@@ -40 +41 @@\n-q\n+r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (std::pair<int, int>{1, 4}));
  EXPECT_EQ(r[1], (std::pair<int, int>{41, 41}));
}

TEST(WebhookIntake, SignatureFirstThenDedupThenJobs) {
  test::TempDir d;
  bot::SqliteQueue queue((d.path() / "q.db").string());
  bot::Metrics metrics;
  std::string secret = "s";
  nlohmann::json pr = {{"action", "opened"},
                       {"number", 7},
                       {"installation", {{"id", 42}}},
                       {"repository", {{"id", 1}, {"name", "r"}, {"full_name", "o/r"}, {"owner", {{"login", "o"}}},
                                       {"clone_url", "http://127.0.0.1:1/o/r.git"}, {"default_branch", "main"}}},
                       {"pull_request", {{"number", 7}, {"draft", false},
                                         {"head", {{"sha", std::string(40, 'a')}, {"ref", "f"}, {"repo", {{"full_name", "o/r"}}}}},
                                         {"base", {{"sha", std::string(40, 'b')}, {"ref", "main"}}}}}};
  std::string body = pr.dump();
  std::map<std::string, std::string> h = {{"x-github-event", "pull_request"}, {"x-github-delivery", "d-1"},
                                          {"x-hub-signature-256", github::sign_body(secret, body)}};
  auto bad = h;
  bad["x-hub-signature-256"] = github::sign_body("other", body);
  EXPECT_EQ(bot::take_delivery(bad, body, secret, queue, metrics).status, 401);
  auto unsigned_h = h;
  unsigned_h.erase("x-hub-signature-256");
  EXPECT_EQ(bot::take_delivery(unsigned_h, body, secret, queue, metrics).status, 401);
  auto a = bot::take_delivery(h, body, secret, queue, metrics);
  EXPECT_EQ(a.status, 202) << a.body;
  EXPECT_EQ(a.outcome, "queued");
  EXPECT_EQ(bot::take_delivery(h, body, secret, queue, metrics).outcome, "duplicate");
  EXPECT_EQ(queue.counts_by_state()["queued"], 1);
  auto malformed = h;
  malformed["x-github-delivery"] = "d-2";
  malformed["x-hub-signature-256"] = github::sign_body(secret, "{nope");
  EXPECT_EQ(bot::take_delivery(malformed, "{nope", secret, queue, metrics).status, 400);
  auto draft = pr;
  draft["pull_request"]["draft"] = true;
  std::string dbody = draft.dump();
  auto dh = h;
  dh["x-github-delivery"] = "d-3";
  dh["x-hub-signature-256"] = github::sign_body(secret, dbody);
  EXPECT_EQ(bot::take_delivery(dh, dbody, secret, queue, metrics).outcome, "ignored");
  EXPECT_EQ(queue.counts_by_state()["queued"], 1);
}

}  // namespace
}  // namespace lockspan
