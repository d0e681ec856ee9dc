// The may-hold analysis on hand-built IR: language-neutral, no parser involved.
#include "analysis/flow.h"

#include <gtest/gtest.h>

namespace lockspan {
namespace {

Node ops(std::vector<Op> v) {
  Node n{Node::Kind::Ops};
  n.ops = std::move(v);
  return n;
}
Node block(std::vector<Node> children, std::vector<int> scoped = {}) {
  Node n{Node::Kind::Block};
  n.children = std::move(children);
  n.scoped_slots = std::move(scoped);
  return n;
}
Node kind(Node::Kind k) { return Node{k}; }
Op acquire(int s) { return Op{OpKind::Acquire, s}; }
Op release(int s) { return Op{OpKind::Release, s}; }
Op suspend(int i) {
  Op op{OpKind::Suspend};
  op.suspension = i;
  return op;
}

FunctionIR function(int slots, int suspensions, Node body) {
  FunctionIR fn;
  fn.slots.resize(slots);
  for (int i = 0; i < suspensions; ++i) fn.suspensions.push_back(Suspension{{10 + i, 1}, "co_await"});
  fn.body = block({std::move(body)});
  return fn;
}

TEST(Flow, GuardHeldAtSuspensionInItsScope) {
  auto fn = function(1, 1, block({ops({acquire(0)}), ops({suspend(0)})}, {0}));
  EXPECT_EQ(find_holds(fn).at[0], std::vector<int>{0});
}

TEST(Flow, ScopeEndReleasesBeforeLaterSuspension) {
  auto fn = function(1, 1, block({block({ops({acquire(0)})}, {0}), ops({suspend(0)})}));
  EXPECT_TRUE(find_holds(fn).at[0].empty());
}

TEST(Flow, UnlockOnOneBranchStillMayHold) {
  Node branch{Node::Kind::If};
  branch.children = {block({}), block({ops({release(0)})}), block({})};
  auto fn = function(1, 1, block({ops({acquire(0)}), branch, ops({suspend(0)})}, {0}));
  EXPECT_EQ(find_holds(fn).at[0], std::vector<int>{0});
}

TEST(Flow, UnlockOnEveryBranchDoesNotHold) {
  Node branch{Node::Kind::If};
  branch.children = {block({}), block({ops({release(0)})}), block({ops({release(0)})})};
  auto fn = function(1, 1, block({ops({acquire(0)}), branch, ops({suspend(0)})}, {0}));
  EXPECT_TRUE(find_holds(fn).at[0].empty());
}

TEST(Flow, GuardBeforeLoopIsHeldAtEveryIteration) {
  Node loop{Node::Kind::Loop};
  loop.children = {block({}), block({}), block({ops({suspend(0)}), ops({suspend(1)})}), block({})};
  auto fn = function(1, 2, block({ops({acquire(0)}), loop}, {0}));
  EXPECT_EQ(find_holds(fn).at[0], (std::vector<int>{0, 1}));
}

TEST(Flow, GuardPerIterationAfterAwaitIsNotHeldAtNextAwait) {
  Node loop{Node::Kind::Loop};
  loop.children = {block({}), block({}), block({ops({suspend(0)}), ops({acquire(0)})}, {0}), block({})};
  auto fn = function(1, 1, block({loop}));
  EXPECT_TRUE(find_holds(fn).at[0].empty());
}

TEST(Flow, LockTakenInLoopAndReleasedAfterIsHeldOnTheNextRound) {
  // for (...) { co_await x; m.lock(); }  m.unlock();  -> held at the await from round two.
  Node loop{Node::Kind::Loop};
  loop.children = {block({}), block({}), block({ops({suspend(0)}), ops({acquire(0)})}), block({})};
  auto fn = function(1, 1, block({loop, ops({release(0)})}));
  EXPECT_EQ(find_holds(fn).at[0], std::vector<int>{0});
}

TEST(Flow, BreakLeavesInnerScopes) {
  // for (;;) { guard g; break; }  co_await x;
  Node loop{Node::Kind::Loop};
  loop.infinite = true;
  loop.children = {block({}), block({}), block({ops({acquire(0)}), kind(Node::Kind::Break)}, {0}), block({})};
  auto fn = function(1, 1, block({loop, ops({suspend(0)})}));
  EXPECT_TRUE(find_holds(fn).at[0].empty());
}

TEST(Flow, ReturnEndsThePath) {
  Node branch{Node::Kind::If};
  branch.children = {block({}), block({kind(Node::Kind::Return)}), block({ops({release(0)})})};
  auto fn = function(1, 1, block({ops({acquire(0)}), branch, ops({suspend(0)})}));
  EXPECT_TRUE(find_holds(fn).at[0].empty());
}

TEST(Flow, SwitchFallthroughAndMissingDefault) {
  // switch (x) { case 1: m.lock(); case 2: co_await a; break; }  co_await b;
  Node body = block({kind(Node::Kind::Case), ops({acquire(0)}), kind(Node::Kind::Case), ops({suspend(0)}),
                     kind(Node::Kind::Break)});
  Node sw{Node::Kind::Switch};
  sw.children = {block({}), body};
  auto fn = function(1, 2, block({sw, ops({suspend(1)})}));
  EXPECT_EQ(find_holds(fn).at[0], (std::vector<int>{0, 1}));
}

TEST(Flow, ThrowReachesHandlerWithInnerScopesReleased) {
  // try { guard g; co_await a; throw; } catch (...) { co_await b; }
  Node t{Node::Kind::Try};
  t.children = {block({ops({acquire(0)}), ops({suspend(0)}), kind(Node::Kind::Throw)}, {0}),
                block({ops({suspend(1)})})};
  auto fn = function(1, 2, block({t}));
  EXPECT_EQ(find_holds(fn).at[0], std::vector<int>{0});
}

TEST(Flow, TransferMovesTheHold) {
  // manual lock, then a guard adopts it, guard scope ends, then await.
  auto fn = function(2, 2,
                     block({ops({acquire(0)}), block({ops({Op{OpKind::Transfer, 0, 1}}), ops({suspend(0)})}, {1}),
                            ops({suspend(1)})}));
  Holds h = find_holds(fn);
  EXPECT_TRUE(h.at[0].empty());
  EXPECT_EQ(h.at[1], std::vector<int>{0});
}

TEST(Flow, AcquisitionAfterItsOwnSuspensionIsNotHeldThere) {
  auto fn = function(1, 2, block({ops({suspend(0), acquire(0)}), ops({suspend(1)})}, {0}));
  EXPECT_EQ(find_holds(fn).at[0], std::vector<int>{1});
}

}  // namespace
}  // namespace lockspan
