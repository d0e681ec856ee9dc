#include "analysis/lock_catalog.h"

#include <gtest/gtest.h>

namespace lockspan {
namespace {

TEST(LockCatalog, NamesMatchOnScopeBoundaries) {
  EXPECT_TRUE(names_match("unique_lock", "std::unique_lock"));
  EXPECT_TRUE(names_match("::std::mutex", "std::mutex"));
  EXPECT_FALSE(names_match("my_mutex", "std::mutex"));
  EXPECT_FALSE(names_match("tex", "std::mutex"));
}

TEST(LockCatalog, ClassifiesMutexesByType) {
  auto c = LockCatalog::builtin();
  EXPECT_EQ(c.classify_mutex_type("std::mutex"), LockKind::ThreadBound);
  EXPECT_EQ(c.classify_mutex_type("std::shared_ptr<std::recursive_mutex>"), LockKind::ThreadBound);
  EXPECT_EQ(c.classify_mutex_type("absl::Mutex"), LockKind::ThreadBound);
  EXPECT_EQ(c.classify_mutex_type("cppcoro::async_mutex"), LockKind::Async);
  EXPECT_EQ(c.classify_mutex_type("folly::coro::Mutex"), LockKind::Async);
  EXPECT_EQ(c.classify_mutex_type("coro::mutex"), LockKind::Async);
  EXPECT_EQ(c.classify_mutex_type("seastar::semaphore"), LockKind::Async);
  EXPECT_EQ(c.classify_mutex_type("std::counting_semaphore<8>"), LockKind::ThreadBound);
  EXPECT_EQ(c.classify_mutex_type("MyAsyncMutex"), LockKind::Async);
  EXPECT_EQ(c.classify_mutex_type("std::chrono::steady_clock"), std::nullopt);
  EXPECT_EQ(c.classify_mutex_type("std::string"), std::nullopt);
}

TEST(LockCatalog, GuardsAreClassifiedAndGenericOnesFollowTheirMutex) {
  auto c = LockCatalog::builtin();
  bool generic = false;
  EXPECT_EQ(c.classify_guard_type("std::lock_guard<std::mutex>", &generic), LockKind::ThreadBound);
  EXPECT_TRUE(generic);
  EXPECT_EQ(c.classify_guard_type("scoped_lock", &generic), LockKind::ThreadBound);
  EXPECT_TRUE(generic);  // a bare scoped_lock is std::scoped_lock
  EXPECT_EQ(c.classify_guard_type("coro::scoped_lock", &generic), LockKind::Async);
  EXPECT_FALSE(generic);
  EXPECT_EQ(c.classify_guard_type("absl::MutexLock"), LockKind::ThreadBound);
  EXPECT_EQ(c.classify_guard_type("cppcoro::async_mutex_lock"), LockKind::Async);
  EXPECT_EQ(c.classify_guard_type("std::vector<int>"), std::nullopt);
}

TEST(LockCatalog, TemplateArgs) {
  EXPECT_EQ(type_head("const std::unique_lock<std::mutex>&"), "std::unique_lock");
  auto args = template_args("std::map<int, std::function<void(int)>>");
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0], "int");
}

}  // namespace
}  // namespace lockspan
