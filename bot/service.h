// `lockspan serve`: the HTTP front (webhooks, health, metrics, guidance) and
// the workers that drain the durable queue.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "bot/github_app.h"
#include "bot/job_queue.h"
#include "bot/metrics.h"
#include "bot/repo_cache.h"
#include "bot/review_job.h"
#include "config/server_config.h"

namespace httplib {
class Server;
}

namespace lockspan::bot {

class Service {
 public:
  explicit Service(config::ServerConfig config);
  ~Service();
  // Serves until stop() (or SIGTERM/SIGINT in run_until_signal()).
  int run();
  int run_until_signal();
  void stop();

 private:
  config::ServerConfig config_;
  Metrics metrics_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<GitHubApp> app_;
  std::unique_ptr<RepoCache> cache_;
  std::unique_ptr<httplib::Server> server_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};

  void routes();
  void worker_loop(int id);
  void process(const Job& job);
  bool rerun_allowed(const Job& job, const ReviewTarget& target);
};

// Sets up spdlog: text or JSON lines on stderr.
void setup_logging(bool json);

}  // namespace lockspan::bot
