#include "analysis/suppression.h"

#include <gtest/gtest.h>

namespace lockspan {
namespace {

TEST(Suppression, NolintForms) {
  Suppressions s(
      "a;  // NOLINT(lockspan)\n"
      "b;  // NOLINT(lockspan-lock-across-suspend)\n"
      "c;  // NOLINT(cppcoreguidelines-no-suspend-with-lock)\n"
      "d;  // NOLINT(bugprone-use-after-move)\n"
      "// NOLINTNEXTLINE(lockspan)\n"
      "e;\n"
      "f;  // NOLINT\n"
      "g;  // NOLINT(lockspan-*)\n");
  EXPECT_TRUE(s.suppressed(1, "lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(2, "lock-across-suspend"));
  EXPECT_FALSE(s.suppressed(2, "async-lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(3, "lock-across-suspend"));
  EXPECT_FALSE(s.suppressed(4, "lock-across-suspend"));
  EXPECT_FALSE(s.suppressed(5, "lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(6, "lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(7, "lock-await-deadlock"));
  EXPECT_TRUE(s.suppressed(8, "lock-await-deadlock"));
  EXPECT_FALSE(s.suppressed(99, "lock-await-deadlock"));
}

TEST(Suppression, NextLineIsNotTheSameLine) {
  Suppressions s("x;  // NOLINTNEXTLINE(lockspan)\ny;\n");
  EXPECT_FALSE(s.suppressed(1, "lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(2, "lock-across-suspend"));
}

TEST(Suppression, BeginEndRegions) {
  Suppressions s("// NOLINTBEGIN(lockspan)\na;\nb;\n// NOLINTEND(lockspan)\nc;\n");
  EXPECT_TRUE(s.suppressed(2, "lock-across-suspend"));
  EXPECT_TRUE(s.suppressed(3, "lock-across-suspend"));
  EXPECT_FALSE(s.suppressed(5, "lock-across-suspend"));
}

}  // namespace
}  // namespace lockspan
