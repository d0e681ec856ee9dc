// The analysis core in-process: bad inputs, context files, fingerprints, -j.
#include "analysis/analyzer.h"

#include <gtest/gtest.h>

#include <string>

namespace lockspan {
namespace {

const char* kHeld = R"(#include <mutex>
std::mutex mu;
Task<void> f() {
  std::lock_guard<std::mutex> g(mu);
  co_await io();
}
)";

AnalysisResult run(std::vector<SourceFile> files, int jobs = 1) {
  AnalyzeOptions o;
  o.jobs = jobs;
  return analyze(std::move(files), o);
}

TEST(Analyzer, FindsTheBasicCase) {
  auto r = run({{"a.cpp", kHeld}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "lock-across-suspend");
  EXPECT_EQ(r.findings[0].loc.line, 5);
  EXPECT_EQ(r.findings[0].lock.loc.line, 4);
  EXPECT_EQ(r.files[0].status, FileStatus::Analyzed);
}

TEST(Analyzer, BadInputsGetAStatusAndDoNotLoseOtherFindings) {
  std::string binary = std::string("\x7f" "ELF\0\0\x01", 7);
  std::string latin1 = std::string(kHeld) + "// caf\xe9\n";
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += "{";
  std::string malformed = "Task<void> g() { std::lock_guard<std::mutex> g(mu); co_await x(); ) ] }}}";
  auto r = run({{"bin.cpp", binary},
                {"empty.cpp", ""},
                {"latin1.cpp", latin1},
                {"nested.cpp", "Task<void> f() { co_await x(); " + nested},
                {"malformed.cpp", malformed},
                {"good.cpp", kHeld}});
  ASSERT_EQ(r.files.size(), 6u);
  EXPECT_EQ(r.files[0].status, FileStatus::Skipped);
  EXPECT_NE(r.files[0].detail.find("binary"), std::string::npos);
  EXPECT_EQ(r.files[1].status, FileStatus::Analyzed);
  EXPECT_EQ(r.files[1].detail, "empty file");
  EXPECT_EQ(r.files[2].status, FileStatus::Degraded);
  EXPECT_NE(r.files[2].detail.find("UTF-8"), std::string::npos);
  EXPECT_EQ(r.files[3].status, FileStatus::Degraded);
  EXPECT_EQ(r.files[4].status, FileStatus::Degraded);
  int good = 0, latin = 0, bad = 0;
  for (const auto& f : r.findings) {
    good += f.path == "good.cpp";
    latin += f.path == "latin1.cpp";
    bad += f.path == "malformed.cpp";
  }
  EXPECT_EQ(good, 1);
  EXPECT_EQ(latin, 1);   // degraded files are still analyzed
  EXPECT_EQ(bad, 1);     // and so are malformed ones, as far as they go
}

TEST(Analyzer, LargeFileIsAnalyzed) {
  std::string big;
  for (int i = 0; i < 60000; ++i) big += "int filler_" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
  big += kHeld;
  auto r = run({{"big.cpp", big}});
  EXPECT_GT(big.size(), 1u << 20);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].loc.line, 60005);
}

TEST(Analyzer, OversizedFileIsSkippedWithAReason) {
  AnalyzeOptions o;
  o.max_file_bytes = 100;
  auto r = analyze({{"a.cpp", kHeld}}, o);
  EXPECT_EQ(r.files[0].status, FileStatus::Skipped);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Analyzer, HelperInAContextFileIsUsedButNotReported) {
  const char* header = R"(#include <mutex>
struct Store {
  std::unique_lock<std::mutex> lock_all() { return std::unique_lock<std::mutex>(mu_); }
  std::mutex mu_;
};
Task<void> unrelated() { std::lock_guard g(other); co_await x(); }
)";
  const char* user = R"(Task<void> use(Store& s) {
  auto held = s.lock_all();
  co_await io();
}
)";
  auto r = run({{"use.cpp", user}, {"store.h", header, /*report=*/false}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].path, "use.cpp");
  EXPECT_EQ(to_string(r.findings[0].lock.how), std::string("helper"));
  ASSERT_TRUE(r.findings[0].lock.helper.has_value());
  EXPECT_EQ(r.findings[0].lock.helper->path, "store.h");
  EXPECT_EQ(r.files.size(), 1u);
}

TEST(Analyzer, FingerprintSurvivesUnrelatedLinesAbove) {
  auto a = run({{"a.cpp", kHeld}});
  auto b = run({{"a.cpp", std::string("// a new comment\n\nint unrelated = 0;\n") + kHeld}});
  ASSERT_EQ(a.findings.size(), 1u);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_NE(a.findings[0].loc.line, b.findings[0].loc.line);
  EXPECT_EQ(a.findings[0].fingerprint, b.findings[0].fingerprint);
  auto c = run({{"a.cpp", std::string(kHeld).replace(std::string(kHeld).find("io()"), 4, "other_io()")}});
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_NE(a.findings[0].fingerprint, c.findings[0].fingerprint);
}

TEST(Analyzer, ParallelRunGivesTheSameResult) {
  std::vector<SourceFile> files;
  for (int i = 0; i < 24; ++i) files.push_back({"f" + std::to_string(i) + ".cpp", kHeld});
  auto one = run(files, 1);
  auto four = run(files, 4);
  ASSERT_EQ(one.findings.size(), 24u);
  ASSERT_EQ(four.findings.size(), 24u);
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(one.findings[i].fingerprint, four.findings[i].fingerprint);
}

TEST(Analyzer, SeverityOverrideAndOff) {
  AnalyzeOptions o;
  o.severity["lock-across-suspend"] = Severity::Warning;
  auto r = analyze({{"a.cpp", kHeld}}, o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::Warning);
  o.severity["lock-across-suspend"] = std::nullopt;
  EXPECT_TRUE(analyze({{"a.cpp", kHeld}}, o).findings.empty());
}

TEST(Analyzer, ConfiguredLockTypesExtendTheCatalog) {
  const char* src = R"(Task<void> f(my::Spin& s) {
  my::SpinGuard g(s);
  co_await io();
}
)";
  EXPECT_TRUE(run({{"a.cpp", src}}).findings.empty());
  AnalyzeOptions o;
  o.catalog.blocking_guards.push_back("my::SpinGuard");
  auto r = analyze({{"a.cpp", src}}, o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "lock-across-suspend");
  o.catalog.blocking_guards.pop_back();
  o.catalog.async_guards.push_back("my::SpinGuard");
  r = analyze({{"a.cpp", src}}, o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "async-lock-across-suspend");
}

}  // namespace
}  // namespace lockspan

namespace lockspan {
namespace {

TEST(Analyzer, BranchesThatEachOpenABlockFallBackToTheFirstBranch) {
  const char* src = R"(#include <mutex>
std::mutex mu;
Task<void> f(bool fast) {
#if defined(_WIN32)
  if (fast) {
#else
  if (!fast) {
#endif
    std::lock_guard<std::mutex> g(mu);
    co_await io();
  }
}
)";
  auto r = run({{"a.cpp", src}});
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].status, FileStatus::Analyzed);
  EXPECT_NE(r.files[0].detail.find("first branch"), std::string::npos);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].loc.line, 10);
}

}  // namespace
}  // namespace lockspan

namespace lockspan {
namespace {

TEST(Analyzer, IncludedPathsAsWritten) {
  auto inc = included_paths("#include \"a/b.h\"\n  #  include <vector>\n// #include \"not.h\"\n#define X 1\n#include\n");
  EXPECT_EQ(inc, (std::vector<std::string>{"a/b.h", "vector"}));
}

}  // namespace
}  // namespace lockspan
