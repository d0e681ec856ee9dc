#include "bot/service.h"

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include "bot/guidance.h"
#include "bot/sqlite_queue.h"
#include "bot/webhook_intake.h"

namespace lockspan::bot {

using json = nlohmann::json;

namespace {

constexpr int kMaxAttempts = 5;
// Threads serving HTTP connections. httplib's default pool (max(8, cores - 1)) holds a thread
// per keep-alive connection, so with more open connections than threads the others wait
// (up to the 5 s keep-alive timeout) before their requests are even read.
constexpr size_t kHttpThreads = 64;

int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// JSON lines on stderr, one object per log record.
class JsonSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto t = std::chrono::system_clock::to_time_t(msg.time);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    json line = {{"time", ts},
                 {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                                       spdlog::level::to_string_view(msg.level).size())},
                 {"msg", std::string(msg.payload.data(), msg.payload.size())}};
    std::string s = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    fwrite(s.data(), 1, s.size(), stderr);
  }
  void flush_() override { fflush(stderr); }
};

ReviewTarget target_of(const Job& job) {
  ReviewTarget t;
  t.repo = job.repo;
  t.pull = job.pull_number;
  t.installation_id = job.installation_id;
  t.head_sha = job.head_sha;
  json p = json::parse(job.payload, nullptr, false);
  if (p.is_object()) {
    t.base_sha = p.value("base_sha", "");
    t.base_ref = p.value("base_ref", "");
    t.clone_url = p.value("clone_url", "");
    t.trigger = p.value("trigger", "");
  }
  return t;
}

}  // namespace

void setup_logging(bool json_lines) {
  if (json_lines) {
    auto logger = std::make_shared<spdlog::logger>("lockspan", std::make_shared<JsonSink>());
    spdlog::set_default_logger(logger);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::flush_on(spdlog::level::info);
}

Service::Service(config::ServerConfig config) : config_(std::move(config)) {
  std::filesystem::create_directories(config_.data_dir);
  queue_ = std::make_unique<SqliteQueue>(config_.data_dir + "/lockspan.db");
  cache_ = std::make_unique<RepoCache>(config_.data_dir + "/repos");
  if (!config_.dry_run) app_ = std::make_unique<GitHubApp>(config_, metrics_);
  metrics_.describe("lockspan_deliveries_total", "counter", "Webhook deliveries by event and outcome.");
  metrics_.describe("lockspan_jobs", "gauge", "Jobs in the queue by state.");
  metrics_.describe("lockspan_job_duration_seconds", "histogram", "Time from claim to completion of a job.");
  metrics_.describe("lockspan_analysis_duration_seconds", "histogram", "Time the analysis child ran.");
  metrics_.describe("lockspan_github_requests_total", "counter", "GitHub API requests by method and status (0: no answer).");
  metrics_.describe("lockspan_github_ratelimit_remaining", "gauge", "x-ratelimit-remaining of the last GitHub answer.");
  server_ = std::make_unique<httplib::Server>();
  server_->new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  // httplib writes the status line and headers apart from the body; with Nagle on, the body
  // waits for the client's delayed ACK of the headers: 40 ms on every answer.
  server_->set_tcp_nodelay(true);
  routes();
}

Service::~Service() { stop(); }

void Service::routes() {
  auto& s = *server_;
  s.set_payload_max_length(25u << 20);  // GitHub never sends more; bigger is refused with 413
  // The limit above only holds for a Content-Length body: httplib reads a chunked one into
  // memory whatever its size, before any signature check. GitHub always sends Content-Length.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST" || !req.has_header("Transfer-Encoding")) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 411;
    res.set_header("Connection", "close");
    res.set_content(R"({"outcome":"rejected:length-required","message":"send the body with a Content-Length"})",
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  s.Post("/webhook", [this](const httplib::Request& req, httplib::Response& res) {
    std::map<std::string, std::string> headers;
    for (const auto& [k, v] : req.headers) {
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      headers[lower] = v;
    }
    IntakeAnswer a;
    try {
      a = take_delivery(headers, req.body, config_.webhook_secret, *queue_, metrics_);
    } catch (const std::exception& e) {
      // The queue could not store it: say so, so GitHub shows a failed delivery to redeliver.
      spdlog::error("delivery={} could not be stored: {}", headers["x-github-delivery"], e.what());
      res.status = 503;
      res.set_content(R"({"outcome":"error","message":"could not store the delivery"})", "application/json");
      return;
    }
    res.status = a.status;
    res.set_content(a.body, "application/json");
  });
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool writable = queue_->writable();
    json body = {{"database_writable", writable}, {"queue", queue_->counts_by_state()}};
    res.status = writable ? 200 : 503;
    res.set_content(body.dump(), "application/json");
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    for (const auto& [state, n] : queue_->counts_by_state())
      metrics_.set("lockspan_jobs", label("state", state), static_cast<double>(n));
    res.set_content(metrics_.render(), "text/plain; version=0.0.4");
  });
  s.Get(R"(/guidance/([a-z0-9-]+))", [](const httplib::Request& req, httplib::Response& res) {
    auto html = guidance_html(req.matches[1]);
    if (!html) {
      res.status = 404;
      res.set_content("no such rule\n", "text/plain");
      return;
    }
    res.set_content(*html, "text/html; charset=utf-8");
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    }
    spdlog::error("{} {}: {}", req.method, req.path, what);
    res.status = 500;
    res.set_content("internal error\n", "text/plain");
  });
}

bool Service::rerun_allowed(const Job& job, const ReviewTarget& t) {
  json p = json::parse(job.payload, nullptr, false);
  std::string user = p.value("user", "");
  int64_t comment = p.value("comment_id", int64_t{0});
  if (!app_) return false;
  std::string auth = app_->auth(t.installation_id);
  json perm = app_->rest().call("GET", "/repos/" + t.repo + "/collaborators/" + user + "/permission", auth);
  std::string role = perm.value("role_name", "");
  std::string legacy = perm.value("permission", "");
  bool allowed = role == "admin" || role == "maintain" || role == "write" || legacy == "admin" || legacy == "write";
  json reaction = {{"content", allowed ? "+1" : "-1"}};
  app_->rest().call("POST", "/repos/" + t.repo + "/issues/comments/" + std::to_string(comment) + "/reactions", auth,
                    &reaction, t.installation_id);
  if (!allowed) {
    json reply = {{"body", "@" + user + " only people with write access to this repository can ask lockspan to rerun."}};
    app_->rest().call("POST", "/repos/" + t.repo + "/issues/" + std::to_string(t.pull) + "/comments", auth, &reply,
                      t.installation_id);
  }
  spdlog::info("job={} repo={} pull={} rerun requested by {} ({}): {}", job.id, t.repo, t.pull, user,
               role.empty() ? legacy : role, allowed ? "allowed" : "refused");
  return allowed;
}

void Service::process(const Job& job) {
  auto started = std::chrono::steady_clock::now();
  ReviewTarget target = target_of(job);
  AnalysisLimits limits{config_.analysis_timeout_seconds, config_.analysis_memory_mb, config_.public_url};
  ReviewJob review(app_.get(), *queue_, *cache_, limits, config_.dry_run ? config_.data_dir + "/dry-run" : "");
  try {
    if (queue_->cancel_requested(job.id)) {
      queue_->complete(job.id, JobState::Superseded, "a newer push superseded it");
      return;
    }
    if (job.kind == "comment_rerun" && !rerun_allowed(job, target)) {
      queue_->complete(job.id, JobState::Done, "rerun refused: no write access");
      return;
    }
    review.set_cancelled([this, id = job.id] { return queue_->cancel_requested(id); });
    ReviewResult r = review.run(target);
    metrics_.observe("lockspan_analysis_duration_seconds", r.analysis_seconds);
    queue_->complete(job.id, JobState::Done, "");
    spdlog::info("job={} repo={} pull={} trigger={} conclusion={} comments={} review={}", job.id, job.repo,
                 job.pull_number, target.trigger, r.conclusion, r.comments_posted,
                 r.review_skipped ? "skipped" : std::to_string(r.review_id));
  } catch (const Superseded& e) {
    spdlog::info("job={} repo={} pull={} superseded by a newer push before posting", job.id, job.repo, job.pull_number);
    queue_->complete(job.id, JobState::Superseded, e.what());
  } catch (const RetryLater& e) {
    if (job.attempts >= kMaxAttempts) {
      spdlog::error("job={} repo={} pull={} failed after {} attempts: {}", job.id, job.repo, job.pull_number,
                    job.attempts, e.what());
      queue_->complete(job.id, JobState::Failed, e.what());
      review.report_failure(target, std::string("Gave up after ") + std::to_string(job.attempts) + " attempts: " + e.what());
    } else {
      int64_t wait = std::min<int64_t>(e.seconds * (1 << std::min(job.attempts, 6)), 3600);
      spdlog::warn("job={} repo={} pull={} attempt {} will be retried in {} s: {}", job.id, job.repo,
                   job.pull_number, job.attempts, wait, e.what());
      queue_->retry_later(job.id, now() + wait, e.what());
    }
  } catch (const std::exception& e) {
    spdlog::error("job={} repo={} pull={} failed: {}", job.id, job.repo, job.pull_number, e.what());
    queue_->complete(job.id, JobState::Failed, e.what());
    review.report_failure(target, e.what());
  }
  metrics_.observe("lockspan_job_duration_seconds",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void Service::worker_loop(int id) {
  int64_t lease = config_.analysis_timeout_seconds + 300;
  int64_t last_recovery = 0;
  while (!stopping_) {
    try {
      if (now() - last_recovery >= 10) {
        if (int n = queue_->recover_expired(now())) spdlog::warn("worker={} took back {} job(s) from a lost worker", id, n);
        last_recovery = now();
      }
      auto job = queue_->claim(now(), lease);
      if (!job) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      spdlog::info("worker={} job={} kind={} repo={} pull={} attempt={}", id, job->id, job->kind, job->repo,
                   job->pull_number, job->attempts);
      process(*job);
    } catch (const std::exception& e) {
      spdlog::error("worker={}: {}", id, e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

int Service::run() {
  // Jobs that were running when the process died are taken back at once. A job claimed in
  // this very second has lease_until == now + lease, hence the + 1 (recover_expired takes
  // leases strictly before the time it is given).
  queue_->recover_expired(now() + config_.analysis_timeout_seconds + 300 + 1);
  for (int i = 0; i < config_.workers; ++i) workers_.emplace_back(&Service::worker_loop, this, i);
  spdlog::info("lockspan {} listening on {} (data {}, {} workers{})", LOCKSPAN_VERSION, config_.listen,
               config_.data_dir, config_.workers, config_.dry_run ? ", dry run" : "");
  // httplib listens with a backlog of 5: a burst of new connections (GitHub opens one per
  // delivery) overflows it, and each dropped SYN costs the sender a 1 s retransmit. Take the
  // listening socket as it is made and listen again with the system's maximum.
  int listen_fd = -1;
  server_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = static_cast<int>(sock);
  });
  bool ok = server_->bind_to_port(config_.host(), config_.port());
  if (ok && listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);
  if (ok) ok = server_->listen_after_bind();
  stopping_ = true;
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
  if (!ok) {
    spdlog::error("could not listen on {}", config_.listen);
    return 2;
  }
  spdlog::info("stopped");
  return 0;
}

int Service::run_until_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread waiter([this, set] {
    int sig = 0;
    sigwait(&set, &sig);
    spdlog::info("signal {}: stopping", sig);
    stop();
  });
  int rc = run();
  if (!stopping_) stop();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return rc;
}

void Service::stop() {
  stopping_ = true;
  if (server_) server_->stop();
}

}  // namespace lockspan::bot
