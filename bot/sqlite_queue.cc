#include "bot/sqlite_queue.h"

#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <ctime>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace lockspan::bot {
namespace {

// Migration i takes user_version from i to i + 1. Never edit one that has
// shipped; append a new one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE deliveries (
  delivery_id TEXT PRIMARY KEY,
  event TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL,
  job_id INTEGER,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;

-- AUTOINCREMENT so an id is never reused, even after old rows are pruned:
-- logs and check runs refer to jobs by id.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  repo TEXT NOT NULL, pull_number INTEGER NOT NULL, head_sha TEXT NOT NULL,
  installation_id INTEGER NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'running', 'done', 'failed', 'superseded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, id);
CREATE INDEX jobs_by_pull ON jobs (repo, pull_number, kind, state);
-- What enqueue's superseding guarantees; a bug that broke it should fail
-- loudly rather than review one pull twice.
CREATE UNIQUE INDEX jobs_one_queued_per_pull ON jobs (repo, pull_number, kind)
  WHERE state = 'queued';

CREATE TABLE posted_reviews (
  repo TEXT NOT NULL, pull_number INTEGER NOT NULL, head_sha TEXT NOT NULL,
  review_id INTEGER NOT NULL,
  posted_at INTEGER NOT NULL,
  PRIMARY KEY (repo, pull_number, head_sha)
) WITHOUT ROWID;

CREATE TABLE check_runs (
  repo TEXT NOT NULL, head_sha TEXT NOT NULL,
  check_run_id INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (repo, head_sha)
) WITHOUT ROWID;
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// readyz must answer quickly; a writer holding the lock longer than this
// is itself a sign of trouble.
constexpr int kProbeTimeoutMs = 1000;

#define JOB_COLUMNS                                                          \
  "id, delivery_id, kind, repo, pull_number, head_sha, installation_id, " \
  "payload, state, attempts, not_before, last_error, created_at, updated_at"

const char kInsertDelivery[] =
    "INSERT INTO deliveries (delivery_id, event, action, outcome, received_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING";
const char kSetDeliveryJob[] = "UPDATE deliveries SET job_id = ? WHERE delivery_id = ?";
const char kSupersedeQueued[] =
    "UPDATE jobs SET state = 'superseded', last_error = 'superseded by a newer job',"
    " updated_at = ? WHERE repo = ? AND pull_number = ? AND kind = ? AND state = 'queued'";
const char kCancelRunning[] =
    "UPDATE jobs SET cancel_requested = 1, updated_at = ?"
    " WHERE repo = ? AND pull_number = ? AND kind = ? AND state = 'running'";
const char kInsertJob[] =
    "INSERT INTO jobs (delivery_id, kind, repo, pull_number, head_sha, installation_id,"
    " payload, state, not_before, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)";
const char kAnyRunnable[] =
    "SELECT 1 FROM jobs WHERE state = 'queued' AND not_before <= ? LIMIT 1";
const char kClaim[] =
    "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
    " lease_until = ?1 + ?2, updated_at = ?1"
    " WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND not_before <= ?1"
    "             ORDER BY id LIMIT 1)"
    " RETURNING " JOB_COLUMNS;
const char kComplete[] =
    "UPDATE jobs SET state = ?, last_error = ?, lease_until = 0, updated_at = ?"
    " WHERE id = ? AND state IN ('queued', 'running')";
const char kRetryLater[] =
    "UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'superseded' ELSE 'queued' END,"
    " not_before = ?, last_error = ?, lease_until = 0, updated_at = ?"
    " WHERE id = ? AND state = 'running'";
const char kCancelRequested[] =
    "SELECT cancel_requested OR state = 'superseded' FROM jobs WHERE id = ?";
const char kRecoverExpired[] =
    "UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'superseded'"
    "                             WHEN attempts >= ?2 THEN 'failed'"
    "                             ELSE 'queued' END,"
    " last_error = 'lease expired on attempt ' || attempts,"
    " lease_until = 0, updated_at = ?1"
    " WHERE state = 'running' AND lease_until < ?1";
const char kCounts[] = "SELECT state, COUNT(*) FROM jobs GROUP BY state";
const char kFind[] = "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?";
const char kMarkPosted[] =
    "INSERT INTO posted_reviews (repo, pull_number, head_sha, review_id, posted_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
const char kPostedReview[] =
    "SELECT review_id FROM posted_reviews WHERE repo = ? AND pull_number = ? AND head_sha = ?";
const char kSetCheckRun[] =
    "INSERT INTO check_runs (repo, head_sha, check_run_id, updated_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (repo, head_sha) DO UPDATE"
    " SET check_run_id = excluded.check_run_id, updated_at = excluded.updated_at";
const char kCheckRun[] = "SELECT check_run_id FROM check_runs WHERE repo = ? AND head_sha = ?";
const char kProbe[] =
    "INSERT INTO meta (key, value) VALUES ('writable_probe', ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

constexpr JobState kAllStates[] = {JobState::Queued, JobState::Running, JobState::Done,
                                   JobState::Failed, JobState::Superseded};

std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

class SqliteConnection {
 public:
  SqliteConnection(const std::string& path, int busy_timeout_ms) : path_(path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw std::runtime_error("sqlite: open: " + message + " (database " + path_ + ")");
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
  }
  ~SqliteConnection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  [[noreturn]] void fail(std::string_view what) const {
    throw std::runtime_error("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db_) +
                             " (database " + path_ + ")");
  }

  // Statements are compiled once and keyed by the address of their text,
  // which is always one of the constants above.
  sqlite3_stmt* statement(const char* sql, std::string_view what) {
    sqlite3_stmt*& stmt = statements_[sql];
    if (!stmt && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr))
      fail(what);
    return stmt;
  }

  void exec_script(const char* sql, std::string_view what) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(what);
  }

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

namespace {

// One run of a cached statement. Resetting on the way out releases the
// statement's read snapshot and lets the next caller bind afresh.
class Query {
 public:
  Query(SqliteConnection& db, const char* sql, std::string_view what)
      : db_(db), stmt_(db.statement(sql, what)), what_(what) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, ++bound_, value) != SQLITE_OK) db_.fail(what_);
    return *this;
  }
  Query& bind(std::string_view value) {
    int rc = sqlite3_bind_text64(stmt_, ++bound_, value.data(), value.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) db_.fail(what_);
    return *this;
  }

  /// True when a row is ready to read.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) db_.fail(what_);
    return false;
  }
  /// Runs a write to the end; returns how many rows it changed.
  int run() {
    while (step()) {
    }
    return sqlite3_changes(db_.handle());
  }

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    auto data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return data ? std::string(data, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

 private:
  SqliteConnection& db_;
  sqlite3_stmt* stmt_;
  std::string_view what_;
  int bound_ = 0;
};

// BEGIN IMMEDIATE takes the write lock before reading anything, so the
// busy timeout covers the whole transaction; a deferred one could fail with
// SQLITE_BUSY half way when its read snapshot went stale.
class Transaction {
 public:
  Transaction(SqliteConnection& db, std::string_view what) : db_(db), what_(what) {
    Query(db_, "BEGIN IMMEDIATE", what_).run();
  }
  ~Transaction() {
    // SQLite may already have rolled back by itself (SQLITE_FULL, ...).
    if (!committed_ && !sqlite3_get_autocommit(db_.handle()))
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    Query(db_, "COMMIT", what_).run();
    committed_ = true;
  }

 private:
  SqliteConnection& db_;
  std::string_view what_;
  bool committed_ = false;
};

JobState parse_state(const SqliteConnection& db, const std::string& text) {
  for (JobState s : kAllStates) {
    if (to_string(s) == text) return s;
  }
  throw std::runtime_error("sqlite: job has unknown state '" + text + "' (database " +
                           db.path() + ")");
}

// Reads a row laid out as JOB_COLUMNS.
Job read_job(const SqliteConnection& db, const Query& q) {
  Job job;
  job.id = q.int64(0);
  job.delivery_id = q.text(1);
  job.kind = q.text(2);
  job.repo = q.text(3);
  job.pull_number = static_cast<int>(q.int64(4));
  job.head_sha = q.text(5);
  job.installation_id = q.int64(6);
  job.payload = q.text(7);
  job.state = parse_state(db, q.text(8));
  job.attempts = static_cast<int>(q.int64(9));
  job.not_before = q.int64(10);
  job.last_error = q.text(11);
  job.created_at = q.int64(12);
  job.updated_at = q.int64(13);
  return job;
}

void use_wal(SqliteConnection& db) {
  Query q(db, "PRAGMA journal_mode = WAL", "set journal_mode");
  std::string mode = q.step() ? q.text(0) : "";
  // An in-memory database has nothing to journal and says "memory".
  if (mode != "wal" && !(mode == "memory" && db.path() == ":memory:")) {
    throw std::runtime_error("sqlite: set journal_mode: got '" + mode +
                             "' instead of 'wal' (database " + db.path() + ")");
  }
}

int user_version(SqliteConnection& db) {
  Query q(db, "PRAGMA user_version", "read user_version");
  return q.step() ? static_cast<int>(q.int64(0)) : 0;
}

void migrate(SqliteConnection& db) {
  if (user_version(db) == kSchemaVersion) return;
  // Two processes may open a fresh file at once; the write lock decides
  // which one migrates, and the other sees the new version.
  Transaction tx(db, "migrate");
  int version = user_version(db);
  if (version > kSchemaVersion) {
    throw std::runtime_error("sqlite: schema version " + std::to_string(version) +
                             " is newer than this lockspan's " +
                             std::to_string(kSchemaVersion) + " (database " + db.path() + ")");
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    std::string what = "migration to schema version " + std::to_string(v + 1);
    db.exec_script(kMigrations[v], what);
    db.exec_script(("PRAGMA user_version = " + std::to_string(v + 1)).c_str(), what);
  }
  tx.commit();
}

}  // namespace

SqliteQueue::SqliteQueue(const std::string& path, SqliteQueueOptions options)
    : options_(options),
      db_(std::make_unique<SqliteConnection>(path, options.busy_timeout_ms)) {
  use_wal(*db_);
  // FULL fsyncs the WAL on every commit: accept_delivery's promise that a
  // 2xx is only sent for work that survives a power cut depends on it.
  Query(*db_, "PRAGMA synchronous = FULL", "set synchronous").run();
  migrate(*db_);
}

SqliteQueue::~SqliteQueue() = default;

int SqliteQueue::schema_version() { return kSchemaVersion; }

struct SqliteQueue::PendingAccept {
  const Delivery& d;
  const std::optional<Job>& job;
  bool done = false, lead = false, result = false;
  std::exception_ptr error;
  std::condition_variable cv;
};

const char kSavepoint[] = "SAVEPOINT accept_one";
const char kRelease[] = "RELEASE accept_one";
const char kRollbackTo[] = "ROLLBACK TO accept_one";

void SqliteQueue::commit_batch(const std::vector<PendingAccept*>& batch) {
  std::lock_guard lock(mu_);
  try {
    Transaction tx(*db_, "accept_delivery");
    for (PendingAccept* p : batch) {
      Query(*db_, kSavepoint, "accept_delivery").run();
      try {
        int added = Query(*db_, kInsertDelivery, "record delivery")
                        .bind(p->d.delivery_id).bind(p->d.event).bind(p->d.action).bind(p->d.outcome)
                        .bind(wall_now()).run();
        if (added && p->job) {
          Job j = *p->job;
          j.delivery_id = p->d.delivery_id;
          std::int64_t id = enqueue_locked(j);
          Query(*db_, kSetDeliveryJob, "record delivery").bind(id).bind(p->d.delivery_id).run();
        }
        p->result = added != 0;
      } catch (...) {
        p->error = std::current_exception();
        Query(*db_, kRollbackTo, "accept_delivery").run();
      }
      Query(*db_, kRelease, "accept_delivery").run();
    }
    tx.commit();
  } catch (...) {
    for (PendingAccept* p : batch)
      if (!p->error) p->error = std::current_exception();
  }
}

bool SqliteQueue::accept_delivery(const Delivery& d, const std::optional<Job>& job) {
  if (d.delivery_id.empty()) throw std::invalid_argument("accept_delivery: empty delivery id");
  // Deliveries that arrive while a commit is under way wait for it, then the first of them
  // commits all of them in one transaction: one fsync for the group instead of one each.
  PendingAccept me{d, job};
  std::unique_lock bl(batch_mu_);
  pending_.push_back(&me);
  if (committing_) me.cv.wait(bl, [&] { return me.done || me.lead; });
  if (!me.done) {
    committing_ = true;
    std::vector<PendingAccept*> batch;
    batch.swap(pending_);
    bl.unlock();
    commit_batch(batch);
    bl.lock();
    for (PendingAccept* p : batch) {
      p->done = true;
      if (p != &me) p->cv.notify_one();
    }
    if (!pending_.empty()) {
      pending_.front()->lead = true;
      pending_.front()->cv.notify_one();
    } else {
      committing_ = false;
    }
  }
  if (me.error) std::rethrow_exception(me.error);
  return me.result;
}

std::int64_t SqliteQueue::enqueue(Job job) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_, "enqueue");
  std::int64_t id = enqueue_locked(job);
  tx.commit();
  return id;
}

std::int64_t SqliteQueue::enqueue_locked(const Job& job) {
  std::int64_t now = wall_now();
  std::int64_t created = job.created_at ? job.created_at : now;
  Query(*db_, kSupersedeQueued, "enqueue")
      .bind(now).bind(job.repo).bind(job.pull_number).bind(job.kind).run();
  Query(*db_, kCancelRunning, "enqueue")
      .bind(now).bind(job.repo).bind(job.pull_number).bind(job.kind).run();
  Query(*db_, kInsertJob, "enqueue")
      .bind(job.delivery_id).bind(job.kind).bind(job.repo).bind(job.pull_number)
      .bind(job.head_sha).bind(job.installation_id).bind(job.payload)
      .bind(job.not_before).bind(created).bind(created).run();
  return sqlite3_last_insert_rowid(db_->handle());
}

std::optional<Job> SqliteQueue::claim(std::int64_t now, std::int64_t lease_seconds) {
  std::lock_guard lock(mu_);
  // Idle workers poll; a plain read (which WAL never blocks) keeps them
  // from taking the write lock intake needs.
  if (!Query(*db_, kAnyRunnable, "claim").bind(now).step()) return std::nullopt;
  Transaction tx(*db_, "claim");
  std::optional<Job> job;
  {
    Query q(*db_, kClaim, "claim");
    if (q.bind(now).bind(lease_seconds).step()) job = read_job(*db_, q);
  }
  tx.commit();
  return job;
}

void SqliteQueue::complete(std::int64_t id, JobState final_state, const std::string& error) {
  if (final_state == JobState::Queued || final_state == JobState::Running)
    throw std::invalid_argument("complete: final state must be done, failed or superseded");
  std::lock_guard lock(mu_);
  Query(*db_, kComplete, "complete")
      .bind(to_string(final_state)).bind(error).bind(wall_now()).bind(id).run();
}

void SqliteQueue::retry_later(std::int64_t id, std::int64_t not_before, const std::string& error) {
  std::lock_guard lock(mu_);
  Query(*db_, kRetryLater, "retry_later")
      .bind(not_before).bind(error).bind(wall_now()).bind(id).run();
}

bool SqliteQueue::cancel_requested(std::int64_t id) {
  std::lock_guard lock(mu_);
  Query q(*db_, kCancelRequested, "cancel_requested");
  return q.bind(id).step() && q.int64(0) != 0;
}

int SqliteQueue::recover_expired(std::int64_t now) {
  std::lock_guard lock(mu_);
  return Query(*db_, kRecoverExpired, "recover_expired")
      .bind(now).bind(options_.max_attempts).run();
}

std::map<std::string, std::int64_t> SqliteQueue::counts_by_state() {
  std::map<std::string, std::int64_t> counts;
  for (JobState s : kAllStates) counts[std::string(to_string(s))] = 0;
  std::lock_guard lock(mu_);
  Query q(*db_, kCounts, "counts_by_state");
  while (q.step()) counts[q.text(0)] = q.int64(1);
  return counts;
}

std::optional<Job> SqliteQueue::find(std::int64_t id) {
  std::lock_guard lock(mu_);
  Query q(*db_, kFind, "find");
  if (!q.bind(id).step()) return std::nullopt;
  return read_job(*db_, q);
}

bool SqliteQueue::mark_review_posted(const std::string& repo, int pull,
                                     const std::string& head_sha, std::int64_t review_id) {
  std::lock_guard lock(mu_);
  return Query(*db_, kMarkPosted, "mark_review_posted")
             .bind(repo).bind(pull).bind(head_sha).bind(review_id).bind(wall_now())
             .run() == 1;
}

std::optional<std::int64_t> SqliteQueue::posted_review(const std::string& repo, int pull,
                                                       const std::string& head_sha) {
  std::lock_guard lock(mu_);
  Query q(*db_, kPostedReview, "posted_review");
  if (!q.bind(repo).bind(pull).bind(head_sha).step()) return std::nullopt;
  return q.int64(0);
}

void SqliteQueue::set_check_run(const std::string& repo, const std::string& head_sha,
                                std::int64_t check_run_id) {
  std::lock_guard lock(mu_);
  Query(*db_, kSetCheckRun, "set_check_run")
      .bind(repo).bind(head_sha).bind(check_run_id).bind(wall_now()).run();
}

std::optional<std::int64_t> SqliteQueue::check_run(const std::string& repo,
                                                   const std::string& head_sha) {
  std::lock_guard lock(mu_);
  Query q(*db_, kCheckRun, "check_run");
  if (!q.bind(repo).bind(head_sha).step()) return std::nullopt;
  return q.int64(0);
}

bool SqliteQueue::writable() {
  std::lock_guard lock(mu_);
  sqlite3_busy_timeout(db_->handle(), std::min(options_.busy_timeout_ms, kProbeTimeoutMs));
  bool ok = true;
  try {
    // A real committed write: a read-only file, a full disk or a lock held
    // too long all show up here, as they would for intake.
    Query(*db_, kProbe, "writable").bind(wall_now()).run();
  } catch (const std::exception&) {
    ok = false;
  }
  sqlite3_busy_timeout(db_->handle(), options_.busy_timeout_ms);
  return ok;
}

}  // namespace lockspan::bot
