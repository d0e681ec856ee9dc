// `lockspan review` on real repositories: what the change touches, where
// comments anchor, which configuration applies, and what stays stable.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "bot/git_change.h"
#include "bot/review.h"
#include "tests/test_util.h"

namespace lockspan::test {
namespace {

using nlohmann::json;

// A coroutine with a guard held across one await, `pad` blank lines in front.
std::string held(const std::string& name, int pad = 0, const std::string& awaited = "io()") {
  std::string s(pad, '\n');
  return s + "#include <mutex>\nstd::mutex " + name + "_mu;\nTask<void> " + name + "() {\n  std::lock_guard g(" + name +
         "_mu);\n  co_await " + awaited + ";\n}\n";
}

json review(const GitRepo& repo, const std::string& extra = "", int* exit_code = nullptr) {
  auto r = run(lockspan_bin() + " review --format json --fail-on none --repo " + repo.dir() + " --base main --head feature " + extra);
  if (exit_code) *exit_code = r.exit_code;
  if (r.exit_code != 0) return json{{"error", r.err}};
  return json::parse(r.out);
}

std::set<int> lines_of(const json& j) {
  std::set<int> out;
  for (const auto& f : j["findings"]) out.insert(f["line"].get<int>());
  return out;
}

TEST(Review, AddedLinesAreReportedContextOnlyIsNot) {
  GitRepo repo;
  repo.write("old.cpp", held("old"));          // a finding that predates the change
  repo.write("touched.cpp", "int x = 1;\n" + held("t", 6));
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("old.cpp", held("old") + "\nint unrelated = 2;\n");   // change near, not on, the finding
  repo.write("touched.cpp", "int x = 1;\n" + held("t", 6, "other()"));  // the await line itself changes
  repo.commit("change");
  json j = review(repo);
  ASSERT_FALSE(j.contains("error")) << j["error"];
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["path"], "touched.cpp");
  EXPECT_EQ(j["findings"][0]["line"], 12);
  ASSERT_EQ(j["review"]["comments"].size(), 1u);
  EXPECT_EQ(j["review"]["comments"][0]["line"], 12);
  EXPECT_EQ(j["review"]["comments"][0]["side"], "RIGHT");
  EXPECT_EQ(j["review"]["event"], "COMMENT");
  EXPECT_EQ(j["review"]["commit_id"], j["head"]);
}

TEST(Review, RenamedAndMovedFilesAreReviewedUnderTheirNewPath) {
  GitRepo repo;
  std::string body;
  for (int i = 0; i < 30; ++i) body += "int filler_" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
  repo.write("a.cpp", body);
  repo.write("moved_only.cpp", held("m"));
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.git("mv a.cpp src/b.cpp");
  repo.git("mv moved_only.cpp src/moved_only.cpp");
  repo.write("src/b.cpp", body + held("b"));
  repo.commit("move");
  json j = review(repo);
  ASSERT_EQ(j["findings"].size(), 1u) << j.dump();
  EXPECT_EQ(j["findings"][0]["path"], "src/b.cpp");
}

TEST(Review, BaseThatMovedOnAfterTheForkDoesNotLeakIn) {
  GitRepo repo;
  repo.write("a.cpp", "int a;\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("mine.cpp", held("mine"));
  repo.commit("mine");
  repo.git("checkout -q main");
  repo.write("theirs.cpp", held("theirs"));
  repo.commit("main moves on");
  json j = review(repo);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["path"], "mine.cpp");
  EXPECT_NE(j["base"], j["merge_base"]);
}

TEST(Review, ConfigurationComesFromTheBaseSide) {
  GitRepo repo;
  repo.write("a.cpp", "int a;\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write(".github/lockspan.yml", "rules:\n  lock-across-suspend: off\n");  // the PR tries to switch it off
  repo.write("b.cpp", held("b"));
  repo.commit("sneaky");
  EXPECT_EQ(review(repo)["findings"].size(), 1u);

  GitRepo off;
  off.write(".github/lockspan.yml", "rules:\n  lock-across-suspend: off\n");
  off.commit("base turns it off");
  off.git("checkout -q -b feature");
  off.write("b.cpp", held("b"));
  off.commit("change");
  EXPECT_EQ(review(off)["findings"].size(), 0u);
}

TEST(Review, ConfigurationErrorsNameFileLineAndKey) {
  GitRepo repo;
  repo.write(".github/lockspan.yml", "review:\n  max_inline_coments: 3\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("b.cpp", held("b"));
  repo.commit("change");
  int code = 0;
  json j = review(repo, "", &code);
  EXPECT_EQ(code, 2);
  std::string err = j["error"];
  EXPECT_NE(err.find(".github/lockspan.yml:2:"), std::string::npos) << err;
  EXPECT_NE(err.find("max_inline_coments"), std::string::npos) << err;
}

TEST(Review, UnknownRevisionIsAClearError) {
  GitRepo repo;
  repo.write("a.cpp", "int a;\n");
  repo.commit("base");
  auto r = run(lockspan_bin() + " review --repo " + repo.dir() + " --base main --head no-such-branch");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-branch"), std::string::npos) << r.err;
}

TEST(Review, EveryInlineCommentLiesInsideAHunkOnTheRightSide) {
  GitRepo repo;
  std::string base_text;
  for (int i = 0; i < 40; ++i) base_text += "int line_" + std::to_string(i) + ";\n";
  // A coroutine whose lock and first await sit far from the change; only a
  // later await is added, so the finding must fall back to a file comment.
  std::string coro = "#include <mutex>\nstd::mutex mu;\nTask<void> far() {\n  std::lock_guard g(mu);\n  co_await first();\n" +
                     base_text + "}\n";
  repo.write("far.cpp", coro);
  repo.write("near.cpp", "int z;\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  std::string changed = coro;
  changed.insert(changed.rfind("}"), "  co_await added_later();\n");
  repo.write("far.cpp", changed);
  repo.write("near.cpp", "int z;\n" + held("n1") + held("n2", 3));
  repo.commit("change");
  json j = review(repo);
  auto change = git::Repository::open(repo.dir()).diff("main", "feature");
  for (const auto& c : j["review"]["comments"]) {
    EXPECT_EQ(c["side"], "RIGHT");
    bool inside = false;
    for (const auto& f : change.files)
      if (f.path == c["path"]) inside = f.line_in_hunk(c["line"].get<int>());
    EXPECT_TRUE(inside) << c.dump();
  }
  EXPECT_EQ(j["review"]["comments"].size(), 2u);
  ASSERT_EQ(j["file_comments"].size(), 1u);
  EXPECT_EQ(j["file_comments"][0]["path"], "far.cpp");
  EXPECT_NE(j["file_comments"][0]["body"].get<std::string>().find("outside the diff"), std::string::npos);
}

TEST(Review, FingerprintsSurviveUnrelatedLinesAbove) {
  GitRepo repo;
  repo.write("a.cpp", "int a;\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("b.cpp", held("b"));
  repo.commit("one");
  std::string first = review(repo)["findings"][0]["fingerprint"];
  repo.write("b.cpp", "// a header comment\n#include <vector>\n\n" + held("b"));
  repo.commit("two");
  json j = review(repo);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["fingerprint"], first);
  std::string body = j["review"]["comments"][0]["body"];
  EXPECT_EQ(bot::fingerprints_in(body), std::vector<std::string>{first});
}

TEST(Review, CapMovesTheRestToTheSummaryBySeverity) {
  GitRepo repo;
  repo.write(".github/lockspan.yml", "review:\n  max_inline_comments: 2\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  std::string async = "Task<void> a(cppcoro::async_mutex& m) {\n  auto l = co_await m.scoped_lock_async();\n  co_await io();\n}\n";
  repo.write("async.cpp", async);  // a notice: sorts after the errors
  repo.write("c.cpp", held("c1") + held("c2") + held("c3"));
  repo.commit("change");
  json j = review(repo);
  EXPECT_EQ(j["findings"].size(), 4u);
  ASSERT_EQ(j["review"]["comments"].size(), 2u);
  for (const auto& c : j["review"]["comments"]) EXPECT_EQ(c["path"], "c.cpp");
  std::string body = j["review"]["body"];
  EXPECT_NE(body.find("More findings"), std::string::npos);
  EXPECT_NE(body.find("async.cpp"), std::string::npos);
  EXPECT_NE(body.find("| [`lock-across-suspend`]"), std::string::npos);
  EXPECT_NE(body.find("| 3 |"), std::string::npos);
}

TEST(Review, OddFilesGetNotesNotCrashes) {
  GitRepo repo;
  repo.write("gone.cpp", held("gone"));
  repo.write("big.cpp", "int a;\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.remove("gone.cpp");
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "int big_" + std::to_string(i) + ";\n";
  repo.write("big.cpp", big + held("big"));
  repo.write("blob.cpp", std::string("\0\1\2co_await", 11));
  repo.run_symlink("link.cpp", "big.cpp");
  repo.write("third_party/x.cpp", held("x"));
  repo.write(".github/unused", "");
  repo.commit("odd");
  json j = review(repo, "--config /dev/null");
  std::map<std::string, std::string> notes;
  for (const auto& f : j["files"]) notes[f["path"]] = f["detail"];
  EXPECT_NE(notes["big.cpp"].find("larger than"), std::string::npos);
  EXPECT_NE(notes["blob.cpp"].find("binary"), std::string::npos);
  EXPECT_NE(notes["link.cpp"].find("symbolic link"), std::string::npos);
  EXPECT_EQ(notes.count("gone.cpp"), 0u);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["path"], "third_party/x.cpp");
}

TEST(Review, ExcludedPathsAreNoted) {
  GitRepo repo;
  repo.write(".github/lockspan.yml", "paths:\n  exclude: [\"third_party/**\"]\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("third_party/x.cpp", held("x"));
  repo.commit("vendored");
  json j = review(repo);
  EXPECT_EQ(j["findings"].size(), 0u);
  ASSERT_EQ(j["files"].size(), 1u);
  EXPECT_EQ(j["files"][0]["status"], "excluded");
}

}  // namespace
}  // namespace lockspan::test
