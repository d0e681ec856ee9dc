// `lockspan analyze` as users and CI run it: the real binary, real files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "tests/test_util.h"

namespace lockspan::test {
namespace {

const char* kHeld = "#include <mutex>\nstd::mutex mu;\nTask<void> f() {\n  std::lock_guard g(mu);\n  co_await io();\n}\n";
const char* kClean = "#include <mutex>\nstd::mutex mu;\nint f() {\n  std::lock_guard g(mu);\n  return 1;\n}\n";
const char* kAsync = "Task<void> f(cppcoro::async_mutex& m) {\n  auto l = co_await m.scoped_lock_async();\n  co_await io();\n}\n";

std::string analyze(const std::string& args) { return lockspan_bin() + " analyze " + args; }

TEST(AnalyzeCli, ExitCodesFollowFailOn) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto clean = d.write("clean.cpp", kClean);
  auto async = d.write("async.cpp", kAsync);
  EXPECT_EQ(run(analyze(held)).exit_code, 1);
  EXPECT_EQ(run(analyze(clean)).exit_code, 0);
  EXPECT_EQ(run(analyze("--fail-on none " + held)).exit_code, 0);
  EXPECT_EQ(run(analyze(async)).exit_code, 0);  // a notice is below the default threshold
  EXPECT_EQ(run(analyze("--fail-on notice " + async)).exit_code, 1);
  EXPECT_EQ(run(analyze("--fail-on warning " + async)).exit_code, 0);
}

TEST(AnalyzeCli, JsonFollowsTheContract) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto r = run(analyze("--format json " + held));
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["tool"]["name"], "lockspan");
  ASSERT_EQ(j["findings"].size(), 1u);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["rule"], "lock-across-suspend");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["path"], held);
  EXPECT_EQ(f["line"], 5);
  EXPECT_EQ(f["column"], 3);
  EXPECT_EQ(f["lock"]["how"], "guard");
  EXPECT_EQ(f["lock"]["mutex"], "mu");
  EXPECT_EQ(f["lock"]["line"], 4);
  EXPECT_EQ(f["suspensions"][0]["keyword"], "co_await");
  EXPECT_NE(f["guidance"].get<std::string>().find("/guidance/lock-across-suspend"), std::string::npos);
  EXPECT_EQ(f["fingerprint"].get<std::string>().size(), 16u);
  EXPECT_EQ(j["files"][0]["status"], "analyzed");
}

TEST(AnalyzeCli, SarifIsVersion210WithRules) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto r = run(analyze("--format sarif " + held));
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run0 = j["runs"][0];
  EXPECT_EQ(run0["tool"]["driver"]["rules"].size(), 3u);
  ASSERT_EQ(run0["results"].size(), 1u);
  EXPECT_EQ(run0["results"][0]["ruleId"], "lock-across-suspend");
  EXPECT_EQ(run0["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
}

TEST(AnalyzeCli, MissingPathIsExit2ButOtherFindingsAreKept) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto r = run(analyze("--format json " + held + " " + (d.path() / "nope.cpp").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.cpp: no such file or directory"), std::string::npos) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["findings"].size(), 1u);
  bool error_listed = false;
  for (const auto& f : j["files"]) error_listed |= f["status"] == "error";
  EXPECT_TRUE(error_listed);
}

TEST(AnalyzeCli, DirectoriesAreSearchedRecursively) {
  TempDir d;
  d.write("src/a/held.cpp", kHeld);
  d.write("src/b/held.hpp", kHeld);
  d.write("src/notes.txt", kHeld);
  auto r = run(analyze("--format json --fail-on none " + (d.path() / "src").string()));
  EXPECT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["files"].size(), 2u);
}

TEST(AnalyzeCli, BadArgumentsAndBadConfigAreExit2WithOneLine) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto r = run(analyze("--format xml " + held));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("lockspan: error:"), std::string::npos);
  auto cfg = d.write("lockspan.yml", "rules:\n  lock-acros-suspend: off\n");
  r = run(analyze("--config " + cfg + " " + held));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("lockspan.yml:2:"), std::string::npos) << r.err;
  EXPECT_EQ(run(lockspan_bin() + " --help").exit_code, 0);
  EXPECT_EQ(run(lockspan_bin() + " analyze --help").exit_code, 0);
  EXPECT_EQ(run(lockspan_bin()).exit_code, 2);
}

TEST(AnalyzeCli, ConfigTurnsRulesOffAndExcludesPaths) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  auto off = d.write("off.yml", "rules:\n  lock-across-suspend: off\n");
  EXPECT_EQ(run(analyze("--config " + off + " " + held)).exit_code, 0);
  auto excl = d.write("excl.yml", "paths:\n  exclude: [\"held.cpp\"]\n");
  EXPECT_EQ(run(analyze("--config " + excl + " " + held)).exit_code, 0);
}

TEST(AnalyzeCli, HeadersFromIncludeDirsServeAsContext) {
  TempDir d;
  d.write("inc/store.h",
          "#include <mutex>\nstruct Store { std::unique_lock<std::mutex> lock_all() { return "
          "std::unique_lock<std::mutex>(mu_); } std::mutex mu_; };\n");
  auto user = d.write("src/use.cpp", "#include \"store.h\"\nTask<void> f(Store& s) {\n  auto h = s.lock_all();\n  co_await io();\n}\n");
  auto without = run(analyze("--format json " + user));
  EXPECT_EQ(nlohmann::json::parse(without.out)["findings"].size(), 0u);
  auto with = run(analyze("--format json " + user + " -- -std=c++20 -I" + (d.path() / "inc").string()));
  auto j = nlohmann::json::parse(with.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["lock"]["how"], "helper");
  EXPECT_EQ(j["files"].size(), 1u);  // the header is context, not a reported file
}

TEST(AnalyzeCli, NonUtf8AndBinaryInputsDoNotBreakJson) {
  TempDir d;
  auto latin = d.write("latin.cpp", std::string(kHeld) + "// na\xefve\n");
  auto bin = d.write("blob.cpp", std::string("\0\1\2\3", 4));
  auto r = run(analyze("--format json " + latin + " " + bin));
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["files"][1]["status"], "skipped");
}

}  // namespace
}  // namespace lockspan::test

namespace lockspan::test {
namespace {

// Fingerprints must be the same in every process: a later run recognizes its comments by them.
TEST(AnalyzeCli, FingerprintsAreStableAcrossRuns) {
  TempDir d;
  auto held = d.write("held.cpp", kHeld);
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto j = nlohmann::json::parse(run(lockspan_bin() + " analyze --format json " + held).out);
    seen.insert(j["findings"][0]["fingerprint"].get<std::string>());
  }
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
}  // namespace lockspan::test
