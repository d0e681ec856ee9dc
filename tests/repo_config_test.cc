#include "config/repo_config.h"

#include <string>

#include <gtest/gtest.h>

namespace lockspan::config {
namespace {

constexpr std::string_view kFile = ".github/lockspan.yml";

// gmock is not linked into the test binary, so no HasSubstr.
::testing::AssertionResult Contains(std::string_view text,
                                    std::string_view part) {
  if (text.find(part) != std::string_view::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// Parses text that must be rejected and returns the error for inspection.
ConfigError parse_error(std::string_view yaml) {
  try {
    parse_repo_config(yaml, kFile);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
  return ConfigError("", 0, 0, "", "no error");
}

void expect_defaults(const RepoConfig& config) {
  EXPECT_TRUE(config.include.empty());
  EXPECT_TRUE(config.exclude.empty());
  EXPECT_TRUE(config.locks.blocking_mutexes.empty());
  EXPECT_TRUE(config.locks.async_mutexes.empty());
  EXPECT_TRUE(config.locks.blocking_guards.empty());
  EXPECT_TRUE(config.locks.async_guards.empty());
  EXPECT_TRUE(config.rule_severity.empty());
  EXPECT_EQ(config.max_inline_comments, 25);
  EXPECT_TRUE(config.compiler_args.empty());
}

TEST(Severity, ParsesAndPrintsEveryValue) {
  for (Severity s : {Severity::Error, Severity::Warning, Severity::Notice,
                     Severity::Off})
    EXPECT_EQ(parse_severity(to_string(s)), s);
  EXPECT_EQ(to_string(Severity::Warning), "warning");
  EXPECT_EQ(parse_severity("Error"), std::nullopt);
  EXPECT_EQ(parse_severity(""), std::nullopt);
}

TEST(ConfigErrorTest, WhatNamesFileLineColumnAndKey) {
  ConfigError e("a.yml", 7, 3, "rules.x", "unknown rule id");
  EXPECT_STREQ(e.what(), "a.yml:7:3: rules.x: unknown rule id");
  EXPECT_STREQ(ConfigError("a.yml", 1, 2, "", "bad").what(), "a.yml:1:2: bad");
}

TEST(ParseRepoConfig, EmptyTextGivesDefaults) {
  expect_defaults(parse_repo_config("", kFile));
  expect_defaults(parse_repo_config("\n  \n", kFile));
}

TEST(ParseRepoConfig, CommentOnlyDocumentGivesDefaults) {
  expect_defaults(parse_repo_config("# lockspan config\n# nothing yet\n", kFile));
  expect_defaults(parse_repo_config("---\n# empty\n", kFile));
}

TEST(ParseRepoConfig, SectionWithEverythingCommentedOutGivesDefaults) {
  expect_defaults(parse_repo_config("paths:\n#  include: [\"a\"]\nrules:\n",
                                    kFile));
}

TEST(ParseRepoConfig, FullDocumentFillsEveryField) {
  RepoConfig c = parse_repo_config(R"(# full example
paths:
  include: ["src/**", "lib/**"]
  exclude: ["third_party/**", "*.pb.cc"]
locks:
  blocking: ["my::SpinLock", "my::RwLock"]
  async: ["my::AsyncMutex"]
guards:
  blocking: ["my::SpinGuard"]
  async:
    - my::AsyncGuard
    - my::Permit
rules:
  lock-across-suspend: error
  lock-await-deadlock: warning
  async-lock-across-suspend: off
review:
  max_inline_comments: 40
compiler_args: ["-DFOO=1", "-Iinclude"]
)", kFile);
  EXPECT_EQ(c.include, (std::vector<std::string>{"src/**", "lib/**"}));
  EXPECT_EQ(c.exclude, (std::vector<std::string>{"third_party/**", "*.pb.cc"}));
  EXPECT_EQ(c.locks.blocking_mutexes,
            (std::vector<std::string>{"my::SpinLock", "my::RwLock"}));
  EXPECT_EQ(c.locks.async_mutexes, std::vector<std::string>{"my::AsyncMutex"});
  EXPECT_EQ(c.locks.blocking_guards, std::vector<std::string>{"my::SpinGuard"});
  EXPECT_EQ(c.locks.async_guards,
            (std::vector<std::string>{"my::AsyncGuard", "my::Permit"}));
  EXPECT_EQ(c.rule_severity, (std::map<std::string, Severity>{
                                 {"lock-across-suspend", Severity::Error},
                                 {"lock-await-deadlock", Severity::Warning},
                                 {"async-lock-across-suspend", Severity::Off},
                             }));
  EXPECT_EQ(c.max_inline_comments, 40);
  EXPECT_EQ(c.compiler_args,
            (std::vector<std::string>{"-DFOO=1", "-Iinclude"}));
}

TEST(ParseRepoConfig, MaxInlineCommentsAcceptsBounds) {
  EXPECT_EQ(parse_repo_config("review: {max_inline_comments: 0}", kFile)
                .max_inline_comments, 0);
  EXPECT_EQ(parse_repo_config("review: {max_inline_comments: 1000}", kFile)
                .max_inline_comments, 1000);
}

TEST(ParseRepoConfigError, MalformedYamlUsesParserMark) {
  ConfigError e = parse_error("paths:\n  include: [\"src/**\"\nrules: {}\n");
  EXPECT_EQ(e.file, kFile);
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.key, "");
  EXPECT_TRUE(Contains(e.what(), ".github/lockspan.yml:3:"));
}

TEST(ParseRepoConfigError, UnquotedStarGlobGetsQuotingHint) {
  ConfigError e = parse_error("paths:\n  exclude:\n    - *.pb.cc\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_TRUE(Contains(e.message, "quote glob patterns"));
}

TEST(ParseRepoConfigError, TopLevelListIsRejected) {
  ConfigError e = parse_error("# comment\n- paths\n- rules\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 1);
  EXPECT_EQ(e.message, "expected a mapping at the top level, got a list");
}

TEST(ParseRepoConfigError, TopLevelScalarIsRejected) {
  ConfigError e = parse_error("just some text\n");
  EXPECT_EQ(e.line, 1);
  EXPECT_TRUE(Contains(e.message, "expected a mapping at the top level"));
}

TEST(ParseRepoConfigError, SecondDocumentIsRejected) {
  ConfigError e = parse_error("rules: {}\n---\npaths: {}\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_TRUE(Contains(e.message, "single YAML document"));
}

TEST(ParseRepoConfigError, UnknownTopLevelKeySuggestsNearest) {
  ConfigError e = parse_error("paths: {}\nrulez:\n  lock-across-suspend: off\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 1);
  EXPECT_EQ(e.key, "rulez");
  EXPECT_TRUE(Contains(e.message, "unknown key"));
  EXPECT_TRUE(Contains(e.message, "did you mean 'rules'?"));
}

TEST(ParseRepoConfigError, UnknownNestedKeySuggestsNearest) {
  ConfigError e = parse_error("paths:\n  include: []\n  exlude: [\"a\"]\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.column, 3);
  EXPECT_EQ(e.key, "paths.exlude");
  EXPECT_TRUE(Contains(e.message, "did you mean 'exclude'?"));
  EXPECT_STREQ(e.what(),
               ".github/lockspan.yml:3:3: paths.exlude: unknown key (did you "
               "mean 'exclude'? expected one of: include, exclude)");
}

TEST(ParseRepoConfigError, UnknownKeyWithoutCloseMatchListsChoices) {
  ConfigError e = parse_error("review:\n  comments_per_review: 3\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.key, "review.comments_per_review");
  EXPECT_EQ(e.message.find("did you mean"), std::string::npos);
  EXPECT_TRUE(Contains(e.message, "expected one of: max_inline_comments"));
}

TEST(ParseRepoConfigError, DuplicateKeyIsRejected) {
  ConfigError e = parse_error("locks:\n  async: [\"a\"]\n  async: [\"b\"]\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.key, "locks.async");
  EXPECT_EQ(e.message, "duplicate key");
}

TEST(ParseRepoConfigError, StringWhereListExpected) {
  ConfigError e = parse_error("paths:\n  include: \"src/**\"\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 12);
  EXPECT_EQ(e.key, "paths.include");
  EXPECT_TRUE(Contains(e.message, "expected a list of strings"));
  EXPECT_TRUE(Contains(e.message, "[\"src/**\"]"));
}

TEST(ParseRepoConfigError, StringWhereListExpectedAtTopLevel) {
  ConfigError e = parse_error("compiler_args: -DFOO\n");
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.key, "compiler_args");
  EXPECT_TRUE(Contains(e.message, "expected a list of strings"));
}

TEST(ParseRepoConfigError, ListWhereMappingExpected) {
  ConfigError e = parse_error("rules: {}\nguards:\n  - my::Guard\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.key, "guards");
  EXPECT_EQ(e.message, "expected a mapping, got a list");
}

TEST(ParseRepoConfigError, MappingInsideListIsRejected) {
  ConfigError e = parse_error("locks:\n  blocking:\n    - a::M\n    - {x: 1}\n");
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.key, "locks.blocking[1]");
  EXPECT_EQ(e.message, "expected a string, got a mapping");
}

TEST(ParseRepoConfigError, EmptyEntryInListPointsAtList) {
  ConfigError e = parse_error("locks:\n  blocking:\n    - a::M\n    -\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.key, "locks.blocking[1]");
  EXPECT_EQ(e.message, "expected a string, got nothing");
}

TEST(ParseRepoConfigError, EmptyStringInListIsRejected) {
  ConfigError e = parse_error("paths:\n  exclude:\n    - gen/**\n    - \"\"\n");
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.key, "paths.exclude[1]");
  EXPECT_EQ(e.message, "empty string is not allowed");
}

TEST(ParseRepoConfigError, BlankStringInFlowListIsRejected) {
  ConfigError e = parse_error("\ncompiler_args: [\"-Ia\", \"  \"]\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.key, "compiler_args[1]");
}

TEST(ParseRepoConfigError, NonIntegerMaxInlineComments) {
  ConfigError e = parse_error("review:\n  max_inline_comments: lots\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 24);
  EXPECT_EQ(e.key, "review.max_inline_comments");
  EXPECT_TRUE(Contains(e.message, "expected an integer 0..1000"));
}

TEST(ParseRepoConfigError, FractionalMaxInlineComments) {
  ConfigError e = parse_error("review:\n\n  max_inline_comments: 2.5\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_TRUE(Contains(e.message, "expected an integer"));
}

TEST(ParseRepoConfigError, QuotedMaxInlineCommentsIsAString) {
  ConfigError e = parse_error("review:\n  max_inline_comments: \"25\"\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.message, "expected an integer 0..1000, got a string");
}

TEST(ParseRepoConfigError, OutOfRangeMaxInlineComments) {
  ConfigError high = parse_error("review:\n  max_inline_comments: 1001\n");
  EXPECT_EQ(high.line, 2);
  EXPECT_TRUE(Contains(high.message, "out of range"));
  ConfigError low = parse_error("review:\n  max_inline_comments: -1\n");
  EXPECT_EQ(low.line, 2);
  EXPECT_TRUE(Contains(low.message, "out of range"));
  ConfigError huge =
      parse_error("review:\n  max_inline_comments: 99999999999999999999\n");
  EXPECT_TRUE(Contains(huge.message, "out of range"));
}

TEST(ParseRepoConfigError, UnknownSeverity) {
  ConfigError e = parse_error("rules:\n  lock-across-suspend: eror\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 24);
  EXPECT_EQ(e.key, "rules.lock-across-suspend");
  EXPECT_TRUE(Contains(e.message, "unknown severity 'eror'"));
  EXPECT_TRUE(Contains(e.message, "did you mean 'error'?"));
}

TEST(ParseRepoConfigError, MissingSeverityPointsAtKey) {
  ConfigError e = parse_error("rules:\n  lock-await-deadlock:\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.key, "rules.lock-await-deadlock");
  EXPECT_TRUE(Contains(e.message, "expected a severity"));
}

TEST(ParseRepoConfigError, UnknownRuleId) {
  ConfigError e = parse_error(R"(paths:
  include: ["src/**"]
locks:
  blocking: ["a::B"]
rules:
  lock-await-deadlock: error
  lock-acros-suspend: warning
)");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.column, 3);
  EXPECT_EQ(e.key, "rules.lock-acros-suspend");
  EXPECT_TRUE(Contains(e.what(), ".github/lockspan.yml:7:3: "
                                  "rules.lock-acros-suspend: unknown rule id"));
  EXPECT_TRUE(Contains(e.message, "did you mean 'lock-across-suspend'?"));
  EXPECT_TRUE(Contains(e.message, "known: lock-across-suspend, "
                                   "lock-await-deadlock, "
                                   "async-lock-across-suspend"));
}

TEST(ParseRepoConfigError, SourceNameAppearsInErrors) {
  try {
    parse_repo_config("bogus: 1\n", "repo@abc123:.github/lockspan.yml");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file, "repo@abc123:.github/lockspan.yml");
    EXPECT_TRUE(Contains(e.what(), "repo@abc123:.github/lockspan.yml:1:1: "));
  }
}

TEST(GlobMatch, DoubleStarMatchesAcrossSegments) {
  EXPECT_TRUE(glob_match("src/**", "src/a/b.cc"));
  EXPECT_TRUE(glob_match("src/**", "src/x.h"));
  EXPECT_FALSE(glob_match("src/**", "lib/src/x.h"));
  EXPECT_FALSE(glob_match("src/**", "srcs/x.h"));
}

TEST(GlobMatch, LeadingDoubleStarMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(glob_match("**/gen/*.cc", "gen/a.cc"));
  EXPECT_TRUE(glob_match("**/gen/*.cc", "x/y/gen/a.cc"));
  EXPECT_FALSE(glob_match("**/gen/*.cc", "x/gen/sub/a.cc"));
  EXPECT_FALSE(glob_match("**/gen/*.cc", "x/gen/a.h"));
  EXPECT_TRUE(glob_match("a/**/b.cc", "a/b.cc"));
  EXPECT_TRUE(glob_match("a/**/b.cc", "a/x/y/b.cc"));
}

TEST(GlobMatch, PatternWithoutSlashMatchesBasenameAnywhere) {
  EXPECT_TRUE(glob_match("*.pb.cc", "foo.pb.cc"));
  EXPECT_TRUE(glob_match("*.pb.cc", "a/b/foo.pb.cc"));
  EXPECT_FALSE(glob_match("*.pb.cc", "a/foo.pb.h"));
  EXPECT_FALSE(glob_match("*.pb.cc", "foo.pb.cc/x.h"));
  EXPECT_TRUE(glob_match("BUILD", "a/BUILD"));
}

TEST(GlobMatch, PatternWithSlashIsAnchored) {
  EXPECT_TRUE(glob_match("src/*.cc", "src/a.cc"));
  EXPECT_FALSE(glob_match("src/*.cc", "x/src/a.cc"));
  EXPECT_TRUE(glob_match("/main.cc", "main.cc"));
  EXPECT_FALSE(glob_match("/main.cc", "a/main.cc"));
}

TEST(GlobMatch, QuestionMarkMatchesOneCharacter) {
  EXPECT_TRUE(glob_match("src/?.cc", "src/a.cc"));
  EXPECT_FALSE(glob_match("src/?.cc", "src/ab.cc"));
  EXPECT_FALSE(glob_match("src/?.cc", "src/.cc"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
}

TEST(GlobMatch, StarDoesNotCrossSlash) {
  EXPECT_TRUE(glob_match("src/*", "src/a.cc"));
  EXPECT_FALSE(glob_match("src/*", "src/a/b.cc"));
  EXPECT_FALSE(glob_match("src*", "src/a.cc"));
  EXPECT_TRUE(glob_match("src/*_test.cc", "src/lock_test.cc"));
  EXPECT_TRUE(glob_match("src/a*b*c", "src/aXbYbZc"));
}

TEST(GlobMatch, TrailingSlashMatchesContentsOfDirectory) {
  EXPECT_TRUE(glob_match("third_party/", "third_party/x/y.cc"));
  EXPECT_TRUE(glob_match("gen/", "a/gen/y.cc"));
  EXPECT_FALSE(glob_match("gen/", "a/gen"));
}

TEST(GlobMatch, EmptyPatternMatchesNothing) {
  EXPECT_FALSE(glob_match("", "a.cc"));
  EXPECT_FALSE(glob_match("/", "a.cc"));
}

TEST(PathSelected, EmptyIncludeSelectsEverything) {
  RepoConfig config;
  EXPECT_TRUE(path_selected(config, "any/where.cc"));
  config.exclude = {"*.pb.cc"};
  EXPECT_TRUE(path_selected(config, "any/where.cc"));
  EXPECT_FALSE(path_selected(config, "any/where.pb.cc"));
}

TEST(PathSelected, IncludeLimitsAndExcludeWins) {
  RepoConfig config = parse_repo_config(R"(paths:
  include: ["src/**", "lib/**"]
  exclude: ["src/third_party/**", "*.pb.cc"]
)", kFile);
  EXPECT_TRUE(path_selected(config, "src/a/b.cc"));
  EXPECT_TRUE(path_selected(config, "lib/x.h"));
  EXPECT_FALSE(path_selected(config, "tools/gen.cc"));
  EXPECT_FALSE(path_selected(config, "src/third_party/abseil/x.cc"));
  EXPECT_FALSE(path_selected(config, "lib/proto/msg.pb.cc"));
}

}  // namespace
}  // namespace lockspan::config
