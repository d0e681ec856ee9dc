// The durable queue between webhook intake and the review workers.
//
// GitHub wants a 2xx within 10 seconds and never retries a failed delivery
// by itself, so intake only records the delivery (and its job) durably and
// answers; the review happens later in a worker that claims the job. A
// redelivery keeps its X-GitHub-Delivery id, which is what makes
// accept_delivery() idempotent.
//
// The posting bookkeeping (review and check-run ids) lives here too: a
// worker that crashed half way must find out on retry what it already did.
//
// Kept small on purpose so that a shared server database can implement it
// later; SqliteQueue (sqlite_queue.h) is the one implementation today.

#ifndef LOCKSPAN_BOT_JOB_QUEUE_H_
#define LOCKSPAN_BOT_JOB_QUEUE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lockspan::bot {

enum class JobState { Queued, Running, Done, Failed, Superseded };

/// "queued", "running", "done", "failed", "superseded"; also the keys of
/// counts_by_state() and what the SQLite schema stores.
inline std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Superseded: return "superseded";
  }
  return "unknown";
}

struct Job {
  std::int64_t id = 0;
  std::string delivery_id;      // X-GitHub-Delivery that created it ("" for manual reruns)
  std::string kind;             // "review"
  std::string repo;             // "owner/name"
  int pull_number = 0;
  std::string head_sha;
  std::int64_t installation_id = 0;
  std::string payload;          // JSON the worker needs; opaque to the queue
  JobState state = JobState::Queued;
  int attempts = 0;
  std::int64_t not_before = 0;  // unix seconds; retries with backoff
  std::string last_error;
  std::int64_t created_at = 0, updated_at = 0;

  bool operator==(const Job&) const = default;
};

/// outcome: "queued", "ignored", "duplicate" or "rejected:<why>".
struct Delivery {
  std::string delivery_id, event, action;
  std::string outcome;
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  /// Records the delivery and, when `job` is given, enqueues it (with
  /// enqueue()'s superseding), in one transaction that is durable before
  /// this returns, so answering 2xx afterwards cannot lose work. Returns
  /// false, changing nothing, when the delivery id was seen before.
  /// The job's delivery_id is set to d.delivery_id.
  /// Call this only after the signature has verified: an unauthenticated
  /// request must not be able to burn a real delivery's id.
  virtual bool accept_delivery(const Delivery& d, const std::optional<Job>& job) = 0;

  /// Adds a Queued job (state, attempts and id of `job` are ignored; a
  /// created_at of 0 means now) and returns its id. Queued jobs of the same
  /// kind for the same repo and pull become Superseded, and Running ones
  /// are asked to cancel: only the newest push is worth reviewing.
  virtual std::int64_t enqueue(Job job) = 0;

  /// Claims the oldest queued job with not_before <= now: Running,
  /// attempts + 1, leased until now + lease_seconds. nullopt when none is
  /// runnable. Safe across threads and across processes sharing the file.
  virtual std::optional<Job> claim(std::int64_t now, std::int64_t lease_seconds) = 0;

  /// final_state is Done, Failed or Superseded (anything else throws
  /// std::invalid_argument). Jobs already finished are left alone.
  virtual void complete(std::int64_t id, JobState final_state, const std::string& error) = 0;

  /// Puts a Running job back in the queue until not_before; a job whose
  /// cancellation was requested becomes Superseded instead.
  virtual void retry_later(std::int64_t id, std::int64_t not_before, const std::string& error) = 0;

  /// True once a newer job for the same pull asked this one to stop.
  virtual bool cancel_requested(std::int64_t id) = 0;

  /// After a crash: Running jobs whose lease ran out go back to Queued
  /// (attempts kept). Those asked to cancel become Superseded, and those
  /// out of attempts Failed, so a job that kills its worker cannot loop
  /// forever. Returns how many jobs were taken back.
  virtual int recover_expired(std::int64_t now) = 0;

  /// Every state's to_string() with its count, zeros included.
  virtual std::map<std::string, std::int64_t> counts_by_state() = 0;
  virtual std::optional<Job> find(std::int64_t id) = 0;

  /// Records that the review of (repo, pull, head_sha) was posted; false
  /// when it already was, so a retried job never posts twice.
  virtual bool mark_review_posted(const std::string& repo, int pull,
                                  const std::string& head_sha, std::int64_t review_id) = 0;
  virtual std::optional<std::int64_t> posted_review(const std::string& repo, int pull,
                                                    const std::string& head_sha) = 0;

  /// One check run per (repo, head_sha); setting it again replaces it.
  virtual void set_check_run(const std::string& repo, const std::string& head_sha,
                             std::int64_t check_run_id) = 0;
  virtual std::optional<std::int64_t> check_run(const std::string& repo,
                                                const std::string& head_sha) = 0;

  /// For /readyz: whether a write can be committed right now. Never throws.
  virtual bool writable() = 0;
};

}  // namespace lockspan::bot

#endif  // LOCKSPAN_BOT_JOB_QUEUE_H_
