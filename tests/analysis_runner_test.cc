// The sandboxed analysis child: real process, real limits, real repository.
#include "bot/analysis_runner.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace lockspan::test {
namespace {

struct Repo {
  GitRepo git;
  std::string base, head;
  Repo() {
    git.write("a.cpp", "int a;\n");
    git.commit("base");
    base = git.git("rev-parse HEAD").out.substr(0, 40);
    git.write("b.cpp", "#include <mutex>\nstd::mutex m;\nTask<void> f() {\n  std::lock_guard g(m);\n  co_await io();\n}\n");
    git.commit("head");
    head = git.git("rev-parse HEAD").out.substr(0, 40);
  }
};

bot::AnalysisLimits limits(int timeout, int memory_mb) {
  bot::AnalysisLimits l;
  l.timeout_seconds = timeout;
  l.memory_mb = memory_mb;
  l.public_url = "https://lockspan.example";
  l.executable = lockspan_bin();
  return l;
}

TEST(AnalysisRunner, ReviewsInAChildAndReturnsItsJson) {
  Repo r;
  auto out = bot::run_review_child(r.git.dir(), r.base, r.head, limits(60, 2048));
  ASSERT_TRUE(out.ok) << out.failure;
  ASSERT_EQ(out.review["findings"].size(), 1u);
  EXPECT_EQ(out.review["findings"][0]["guidance"], "https://lockspan.example/guidance/lock-across-suspend");
}

TEST(AnalysisRunner, AChildOverItsMemoryLimitIsReportedNotThrown) {
  Repo r;
  auto out = bot::run_review_child(r.git.dir(), r.base, r.head, limits(60, 64));
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.failure.empty());
}

TEST(AnalysisRunner, BadRevisionsAreAFailureWithTheReason) {
  Repo r;
  auto out = bot::run_review_child(r.git.dir(), r.base, std::string(40, 'f'), limits(60, 2048));
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.failure.find("ffff"), std::string::npos) << out.failure;
}

TEST(AnalysisRunner, TheChildSeesNoSecretFromOurEnvironment) {
  // The child gets a fixed environment; a secret here must not reach the review it prints.
  setenv("GITHUB_WEBHOOK_SECRET", "do-not-leak", 1);
  setenv("LOCKSPAN_PUBLIC_URL", "https://from-parent-env.example", 1);
  Repo r;
  auto out = bot::run_review_child(r.git.dir(), r.base, r.head, limits(60, 2048));
  unsetenv("GITHUB_WEBHOOK_SECRET");
  unsetenv("LOCKSPAN_PUBLIC_URL");
  ASSERT_TRUE(out.ok) << out.failure;
  EXPECT_EQ(out.review.dump().find("from-parent-env"), std::string::npos);
}

}  // namespace
}  // namespace lockspan::test
