// `lockspan serve` and `lockspan rerun OWNER/REPO#N`.
#include <spdlog/spdlog.h>

#include <iostream>
#include <filesystem>
#include <regex>

#include "bot/cli.h"
#include "bot/report.h"
#include "bot/service.h"
#include "bot/sqlite_queue.h"

namespace lockspan::bot {

namespace {

bool load(const ServeArgs& args, bool dry_run, config::ServerConfig& out) {
  try {
    out = config::load_server_config(args.config_file, config::environment(), dry_run);
    return true;
  } catch (const std::exception& e) {
    std::cerr << "lockspan: error: " << e.what() << "\n";
    return false;
  }
}

}  // namespace

int run_serve(const ServeArgs& args) {
  config::ServerConfig cfg;
  if (!load(args, args.dry_run, cfg)) return kExitFailure;
  setup_logging(cfg.json_logs);
  try {
    Service service(cfg);
    return service.run_until_signal() == 0 ? kExitClean : kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "lockspan: error: " << e.what() << "\n";
    return kExitFailure;
  }
}

int run_rerun(const ServeArgs& args, const std::string& target_text) {
  std::smatch m;
  static const std::regex form(R"(^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)#([0-9]+)$)");
  if (!std::regex_match(target_text, m, form)) {
    std::cerr << "lockspan: error: expected OWNER/REPO#NUMBER, got '" << target_text << "'\n";
    return kExitFailure;
  }
  config::ServerConfig cfg;
  if (!load(args, false, cfg)) return kExitFailure;
  setup_logging(cfg.json_logs);
  try {
    std::filesystem::create_directories(cfg.data_dir);
    Metrics metrics;
    GitHubApp app(cfg, metrics);
    SqliteQueue queue(cfg.data_dir + "/lockspan.db");
    RepoCache cache(cfg.data_dir + "/repos");
    ReviewTarget t;
    t.repo = m[1].str() + "/" + m[2].str();
    t.pull = std::stoi(m[3].str());
    t.trigger = "rerun";
    t.installation_id = app.installation_for(t.repo);
    ReviewJob job(&app, queue, cache, {cfg.analysis_timeout_seconds, cfg.analysis_memory_mb, cfg.public_url}, "");
    ReviewResult r = job.run(t);
    nlohmann::ordered_json out = {{"repo", t.repo},
                                  {"pull", t.pull},
                                  {"conclusion", r.conclusion},
                                  {"title", r.title},
                                  {"review_id", r.review_id},
                                  {"comments_posted", r.comments_posted},
                                  {"review_skipped", r.review_skipped},
                                  {"review", r.posted}};
    std::cout << dump_json(out) << "\n";
    return kExitClean;
  } catch (const std::exception& e) {
    std::cerr << "lockspan: error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace lockspan::bot
