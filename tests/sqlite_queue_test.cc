// SqliteQueue against real database files: dedup, superseding, leases,
// several claimers (threads, connections, processes) and a kill -9.

#include "bot/sqlite_queue.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace lockspan::bot {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

class SqliteQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lockspan-queue-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "queue.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  std::string path_;
};

Job review_job(const std::string& repo, int pull, const std::string& sha) {
  Job job;
  job.kind = "review";
  job.repo = repo;
  job.pull_number = pull;
  job.head_sha = sha;
  job.installation_id = 42;
  job.payload = R"({"sha":")" + sha + R"("})";
  return job;
}

Delivery delivery(const std::string& id, const std::string& outcome = "queued") {
  return {id, "pull_request", "synchronize", outcome};
}

// Waits for a child for at most `seconds`, killing it if it overstays, so
// a hang fails the test instead of the whole run.
int wait_bounded(pid_t pid, int seconds) {
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "child " << pid << " timed out";
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status;
}

// Claims and completes until nothing is runnable; returns the ids it got.
// Errors are reported, not thrown, since this runs on worker threads.
std::vector<std::int64_t> drain(JobQueue& q) {
  std::vector<std::int64_t> ids;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  try {
    while (std::chrono::steady_clock::now() < deadline) {
      std::optional<Job> job = q.claim(kNow, 300);
      if (!job) return ids;
      ids.push_back(job->id);
      q.complete(job->id, JobState::Done, "");
      // A moment of "work" between jobs, as real workers have, gives
      // other connections a chance at the lock instead of starving.
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ADD_FAILURE() << "drain timed out";
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  return ids;
}

void enqueue_distinct_pulls(JobQueue& q, int n) {
  for (int i = 0; i < n; ++i) q.enqueue(review_job("o/r", i + 1, "sha" + std::to_string(i)));
}

// Every job claimed exactly once: ids unique across claimers, and the
// database agrees (a second claim would have made attempts 2).
void expect_each_claimed_once(JobQueue& q, const std::vector<std::int64_t>& ids, int n) {
  std::set<std::int64_t> unique(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), static_cast<size_t>(n));
  EXPECT_EQ(unique.size(), static_cast<size_t>(n));
  EXPECT_EQ(q.counts_by_state()["done"], n);
  for (std::int64_t id = 1; id <= n; ++id) {
    std::optional<Job> job = q.find(id);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->attempts, 1) << "job " << id;
  }
}

TEST_F(SqliteQueueTest, AcceptDeliveryRecordsOnceAndEnqueuesOnce) {
  SqliteQueue q(path_);
  EXPECT_TRUE(q.accept_delivery(delivery("d-1"), review_job("o/r", 7, "aaa")));
  Job second = review_job("o/r", 7, "bbb");
  EXPECT_FALSE(q.accept_delivery(delivery("d-1"), second));
  EXPECT_EQ(q.counts_by_state()["queued"], 1);

  std::optional<Job> job = q.claim(kNow, 60);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->delivery_id, "d-1");
  EXPECT_EQ(job->head_sha, "aaa");  // the redelivery did not replace it
  EXPECT_FALSE(q.claim(kNow, 60));

  // Deliveries without a job are remembered too.
  EXPECT_TRUE(q.accept_delivery(delivery("d-2", "ignored"), std::nullopt));
  EXPECT_FALSE(q.accept_delivery(delivery("d-2", "ignored"), std::nullopt));
  EXPECT_THROW(q.accept_delivery(delivery(""), std::nullopt), std::invalid_argument);
}

TEST_F(SqliteQueueTest, NewerJobSupersedesQueuedAndCancelsRunning) {
  SqliteQueue q(path_);
  std::int64_t first = q.enqueue(review_job("o/r", 1, "a1"));
  std::int64_t other_pull = q.enqueue(review_job("o/r", 2, "b1"));
  ASSERT_EQ(q.claim(kNow, 60)->id, first);
  EXPECT_FALSE(q.cancel_requested(first));

  std::int64_t second = q.enqueue(review_job("o/r", 1, "a2"));
  EXPECT_TRUE(q.cancel_requested(first));
  EXPECT_EQ(q.find(first)->state, JobState::Running);  // the worker decides when to stop

  std::int64_t third = q.enqueue(review_job("o/r", 1, "a3"));
  EXPECT_EQ(q.find(second)->state, JobState::Superseded);
  EXPECT_TRUE(q.cancel_requested(second));
  EXPECT_EQ(q.find(third)->state, JobState::Queued);
  EXPECT_EQ(q.find(other_pull)->state, JobState::Queued);
  EXPECT_FALSE(q.cancel_requested(other_pull));

  Job lint = review_job("o/r", 1, "a3");
  lint.kind = "lint";
  q.enqueue(lint);
  EXPECT_EQ(q.find(third)->state, JobState::Queued);  // other kinds do not compete

  // A cancelled job that asks for a retry is dropped, not requeued.
  q.retry_later(first, kNow + 10, "network");
  EXPECT_EQ(q.find(first)->state, JobState::Superseded);
}

TEST_F(SqliteQueueTest, ClaimTakesOldestRunnableAndHonoursNotBefore) {
  SqliteQueue q(path_);
  std::int64_t a = q.enqueue(review_job("o/r", 1, "a"));
  Job later = review_job("o/r", 2, "b");
  later.not_before = kNow + 60;
  std::int64_t b = q.enqueue(later);
  std::int64_t c = q.enqueue(review_job("o/r", 3, "c"));

  std::optional<Job> got = q.claim(kNow, 30);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, a);
  EXPECT_EQ(got->state, JobState::Running);
  EXPECT_EQ(got->attempts, 1);
  EXPECT_EQ(got->payload, R"({"sha":"a"})");
  EXPECT_EQ(q.claim(kNow, 30)->id, c);
  EXPECT_FALSE(q.claim(kNow, 30));
  EXPECT_EQ(q.claim(kNow + 60, 30)->id, b);

  q.retry_later(a, kNow + 100, "502 from GitHub");
  std::optional<Job> waiting = q.find(a);
  EXPECT_EQ(waiting->state, JobState::Queued);
  EXPECT_EQ(waiting->last_error, "502 from GitHub");
  EXPECT_FALSE(q.claim(kNow + 99, 30));
  got = q.claim(kNow + 100, 30);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, a);
  EXPECT_EQ(got->attempts, 2);
}

TEST_F(SqliteQueueTest, CompleteIsFinal) {
  SqliteQueue q(path_);
  std::int64_t id = q.enqueue(review_job("o/r", 1, "a"));
  q.claim(kNow, 30);
  EXPECT_THROW(q.complete(id, JobState::Queued, ""), std::invalid_argument);
  q.complete(id, JobState::Failed, "analyzer crashed");
  q.complete(id, JobState::Done, "");  // a late duplicate changes nothing
  std::optional<Job> job = q.find(id);
  EXPECT_EQ(job->state, JobState::Failed);
  EXPECT_EQ(job->last_error, "analyzer crashed");
  EXPECT_FALSE(q.find(id + 100));
}

TEST_F(SqliteQueueTest, ExpiredLeaseIsRecoveredAfterCrash) {
  std::int64_t id = 0;
  {
    SqliteQueue q(path_);
    id = q.enqueue(review_job("o/r", 1, "a"));
    ASSERT_TRUE(q.claim(kNow, 30));
  }  // the worker "dies": destroyed without complete()
  SqliteQueue q(path_);
  EXPECT_EQ(q.find(id)->state, JobState::Running);
  EXPECT_EQ(q.recover_expired(kNow + 30), 0);  // lease still held
  EXPECT_FALSE(q.claim(kNow + 30, 30));
  EXPECT_EQ(q.recover_expired(kNow + 31), 1);
  std::optional<Job> job = q.find(id);
  EXPECT_EQ(job->state, JobState::Queued);
  EXPECT_EQ(job->attempts, 1);
  EXPECT_EQ(job->last_error, "lease expired on attempt 1");
  job = q.claim(kNow + 31, 30);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempts, 2);
}

TEST_F(SqliteQueueTest, RecoveryFailsCrashLoopsAndDropsCancelledJobs) {
  SqliteQueue q(path_, {.max_attempts = 2});
  std::int64_t poison = q.enqueue(review_job("o/r", 1, "a"));
  q.claim(kNow, 10);
  EXPECT_EQ(q.recover_expired(kNow + 11), 1);
  q.claim(kNow + 11, 10);
  EXPECT_EQ(q.recover_expired(kNow + 22), 1);
  EXPECT_EQ(q.find(poison)->state, JobState::Failed);
  EXPECT_EQ(q.find(poison)->attempts, 2);

  std::int64_t old = q.enqueue(review_job("o/r", 2, "b1"));
  q.claim(kNow, 10);
  std::int64_t fresh = q.enqueue(review_job("o/r", 2, "b2"));
  EXPECT_EQ(q.recover_expired(kNow + 11), 1);
  EXPECT_EQ(q.find(old)->state, JobState::Superseded);
  EXPECT_EQ(q.find(fresh)->state, JobState::Queued);
}

TEST_F(SqliteQueueTest, FourThreadsNeverShareAJob) {
  constexpr int kJobs = 500;
  SqliteQueue q(path_);
  enqueue_distinct_pulls(q, kJobs);
  std::vector<std::vector<std::int64_t>> got(4);
  std::vector<std::thread> threads;
  for (auto& ids : got) threads.emplace_back([&q, &ids] { ids = drain(q); });
  for (auto& t : threads) t.join();
  std::vector<std::int64_t> all;
  for (auto& ids : got) all.insert(all.end(), ids.begin(), ids.end());
  expect_each_claimed_once(q, all, kJobs);
}

TEST_F(SqliteQueueTest, TwoConnectionsNeverShareAJob) {
  constexpr int kJobs = 500;
  SqliteQueue a(path_), b(path_);
  enqueue_distinct_pulls(a, kJobs);
  std::vector<std::vector<std::int64_t>> got(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    JobQueue& q = i % 2 ? static_cast<JobQueue&>(a) : b;
    threads.emplace_back([&q, &ids = got[i]] { ids = drain(q); });
  }
  for (auto& t : threads) t.join();
  std::vector<std::int64_t> all;
  for (auto& ids : got) all.insert(all.end(), ids.begin(), ids.end());
  expect_each_claimed_once(a, all, kJobs);
}

TEST_F(SqliteQueueTest, TwoProcessesNeverShareAJob) {
  constexpr int kJobs = 500;
  {
    SqliteQueue q(path_);
    enqueue_distinct_pulls(q, kJobs);
  }  // no connection may cross fork()
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    try {
      SqliteQueue q(path_);
      char go = 1;
      if (write(ready[1], &go, 1) != 1) _exit(1);
      drain(q);
      _exit(::testing::Test::HasFailure() ? 1 : 0);
    } catch (...) {
      _exit(1);
    }
  }
  close(ready[1]);  // so a child that died early reads as EOF, not a hang
  {
    SqliteQueue q(path_);
    char go = 0;
    EXPECT_EQ(read(ready[0], &go, 1), 1);  // start together
    close(ready[0]);
    drain(q);
  }
  int status = wait_bounded(child, 90);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // The child's claims are visible only in the database; attempts == 1
  // everywhere is the proof that nobody claimed a job twice.
  SqliteQueue q(path_);
  EXPECT_EQ(q.counts_by_state()["done"], kJobs);
  for (std::int64_t id = 1; id <= kJobs; ++id) EXPECT_EQ(q.find(id)->attempts, 1) << id;
}

TEST_F(SqliteQueueTest, PostingRecordsSurviveReopen) {
  {
    SqliteQueue q(path_);
    EXPECT_FALSE(q.posted_review("o/r", 5, "abc"));
    EXPECT_TRUE(q.mark_review_posted("o/r", 5, "abc", 9001));
    EXPECT_FALSE(q.mark_review_posted("o/r", 5, "abc", 9002));
    q.set_check_run("o/r", "abc", 111);
    q.set_check_run("o/r", "abc", 222);
  }
  SqliteQueue q(path_);
  EXPECT_FALSE(q.mark_review_posted("o/r", 5, "abc", 9003));
  EXPECT_EQ(q.posted_review("o/r", 5, "abc"), 9001);
  EXPECT_FALSE(q.posted_review("o/r", 5, "def"));
  EXPECT_FALSE(q.posted_review("o/r", 6, "abc"));
  EXPECT_TRUE(q.mark_review_posted("o/r", 5, "def", 9004));
  EXPECT_EQ(q.check_run("o/r", "abc"), 222);
  EXPECT_FALSE(q.check_run("o/other", "abc"));
}

TEST_F(SqliteQueueTest, CountsByStateListsEveryState) {
  SqliteQueue q(path_);
  std::map<std::string, std::int64_t> zero = {
      {"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}, {"superseded", 0}};
  EXPECT_EQ(q.counts_by_state(), zero);

  q.enqueue(review_job("o/r", 1, "a1"));
  q.enqueue(review_job("o/r", 1, "a2"));  // supersedes a1
  q.enqueue(review_job("o/r", 2, "b"));
  q.enqueue(review_job("o/r", 3, "c"));
  q.enqueue(review_job("o/r", 4, "d"));
  std::int64_t done = q.claim(kNow, 30)->id;
  q.complete(done, JobState::Done, "");
  std::int64_t failed = q.claim(kNow, 30)->id;
  q.complete(failed, JobState::Failed, "boom");
  q.claim(kNow, 30);
  std::map<std::string, std::int64_t> want = {
      {"queued", 1}, {"running", 1}, {"done", 1}, {"failed", 1}, {"superseded", 1}};
  EXPECT_EQ(q.counts_by_state(), want);
}

TEST_F(SqliteQueueTest, AcceptedDeliveriesSurviveKillNine) {
  constexpr int kDeliveries = 200;
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      // Leaked on purpose: no destructor, no clean close, no checkpoint.
      auto* q = new SqliteQueue(path_);
      for (int i = 0; i < kDeliveries; ++i) {
        if (!q->accept_delivery(delivery("d-" + std::to_string(i)),
                                review_job("o/r", i + 1, "s" + std::to_string(i))))
          _exit(2);
      }
    } catch (...) {
      _exit(1);
    }
    raise(SIGKILL);
    _exit(3);
  }
  int status = wait_bounded(child, 60);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  SqliteQueue q(path_);
  EXPECT_EQ(q.counts_by_state()["queued"], kDeliveries);
  std::set<std::string> seen;
  while (std::optional<Job> job = q.claim(kNow, 30)) seen.insert(job->delivery_id);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kDeliveries));
  for (int i = 0; i < kDeliveries; ++i) {
    std::string id = "d-" + std::to_string(i);
    EXPECT_TRUE(seen.count(id)) << id;
    EXPECT_FALSE(q.accept_delivery(delivery(id), std::nullopt)) << id;
  }
}

// Reads one integer or text pragma through a separate plain connection.
std::string raw_pragma(const std::string& path, const std::string& pragma) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, ("PRAGMA " + pragma).c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST_F(SqliteQueueTest, FileIsWalAndVersioned) {
  { SqliteQueue q(path_); }
  EXPECT_EQ(raw_pragma(path_, "journal_mode"), "wal");
  EXPECT_EQ(raw_pragma(path_, "user_version"), std::to_string(SqliteQueue::schema_version()));
  { SqliteQueue again(path_); }  // reopening an up-to-date file migrates nothing
  EXPECT_EQ(raw_pragma(path_, "user_version"), std::to_string(SqliteQueue::schema_version()));
}

TEST_F(SqliteQueueTest, ErrorsNameTheDatabase) {
  std::string newer = (dir_ / "newer.db").string();
  raw_pragma(newer, "user_version = 99");
  try {
    SqliteQueue q(newer);
    FAIL() << "opened a database from the future";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(newer), std::string::npos) << e.what();
  }
  std::string missing = (dir_ / "no/such/dir/q.db").string();
  try {
    SqliteQueue q(missing);
    FAIL() << "opened a database in a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST_F(SqliteQueueTest, NotWritableWhileAnotherWriterHoldsTheLock) {
  SqliteQueue q(path_, {.busy_timeout_ms = 200});
  EXPECT_TRUE(q.writable());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_FALSE(q.writable());
  EXPECT_THROW(q.enqueue(review_job("o/r", 1, "a")), std::runtime_error);
  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(q.writable());
  EXPECT_GT(q.enqueue(review_job("o/r", 1, "a")), 0);
}

}  // namespace
}  // namespace lockspan::bot
