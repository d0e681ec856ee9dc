// JobQueue on one SQLite file, shared by the webhook server, its worker
// threads and any other process (an admin CLI, a second server) that opens
// the same path.
//
// The file is in WAL mode with synchronous=FULL: every commit is fsynced
// before the call returns, which is what lets intake answer GitHub 2xx.
// Every write takes the write lock up front (BEGIN IMMEDIATE), so a busy
// database waits for busy_timeout_ms instead of failing half way. The
// schema is versioned with PRAGMA user_version; opening runs whatever
// migrations the file lacks and refuses a file from a newer lockspan.
//
// Errors throw std::runtime_error naming the operation, SQLite's message
// and the database path; values (payloads, tokens) never appear in them.

#ifndef LOCKSPAN_BOT_SQLITE_QUEUE_H_
#define LOCKSPAN_BOT_SQLITE_QUEUE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "bot/job_queue.h"

namespace lockspan::bot {

struct SqliteQueueOptions {
  // How long a call waits for another connection's write lock. Intake has
  // 10 s in all to answer GitHub, so keep this well below that.
  int busy_timeout_ms = 5000;
  // recover_expired() fails a job whose lease ran out this many times.
  int max_attempts = 5;
};

class SqliteConnection;  // sqlite3 and its cached statements; sqlite_queue.cc

class SqliteQueue : public JobQueue {
 public:
  /// Opens or creates the database at `path` (":memory:" works, for tests
  /// that need no durability).
  explicit SqliteQueue(const std::string& path, SqliteQueueOptions options = {});
  ~SqliteQueue() override;
  SqliteQueue(const SqliteQueue&) = delete;
  SqliteQueue& operator=(const SqliteQueue&) = delete;

  /// The schema version this build writes (PRAGMA user_version).
  static int schema_version();

  bool accept_delivery(const Delivery& d, const std::optional<Job>& job) override;
  std::int64_t enqueue(Job job) override;
  std::optional<Job> claim(std::int64_t now, std::int64_t lease_seconds) override;
  void complete(std::int64_t id, JobState final_state, const std::string& error) override;
  void retry_later(std::int64_t id, std::int64_t not_before, const std::string& error) override;
  bool cancel_requested(std::int64_t id) override;
  int recover_expired(std::int64_t now) override;
  std::map<std::string, std::int64_t> counts_by_state() override;
  std::optional<Job> find(std::int64_t id) override;
  bool mark_review_posted(const std::string& repo, int pull, const std::string& head_sha,
                          std::int64_t review_id) override;
  std::optional<std::int64_t> posted_review(const std::string& repo, int pull,
                                            const std::string& head_sha) override;
  void set_check_run(const std::string& repo, const std::string& head_sha,
                     std::int64_t check_run_id) override;
  std::optional<std::int64_t> check_run(const std::string& repo,
                                        const std::string& head_sha) override;
  bool writable() override;

 private:
  std::int64_t enqueue_locked(const Job& job);

  // Group commit: concurrent accept_delivery() calls share one transaction (one fsync).
  struct PendingAccept;
  void commit_batch(const std::vector<PendingAccept*>& batch);
  std::mutex batch_mu_;
  std::vector<PendingAccept*> pending_;
  bool committing_ = false;

  SqliteQueueOptions options_;
  // One connection shared by all threads; SQLite's own mutex would not
  // keep our multi-statement transactions from interleaving.
  std::mutex mu_;
  std::unique_ptr<SqliteConnection> db_;
};

}  // namespace lockspan::bot

#endif  // LOCKSPAN_BOT_SQLITE_QUEUE_H_
