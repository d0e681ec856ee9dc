#include "bot/review_job.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "bot/review.h"

namespace lockspan::bot {

using json = nlohmann::json;

namespace {

constexpr const char* kCheckName = "lockspan";

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// GitHub errors worth another attempt become RetryLater.
template <typename Fn>
auto with_retry(const std::string& what, Fn fn) {
  try {
    return fn();
  } catch (const github::ApiError& e) {
    if (e.status == 0 || e.status >= 500 || e.status == 429 || e.retry_after > 0 || e.status == 401)
      throw RetryLater(what + ": " + e.what(), std::max<int64_t>(e.retry_after, 5));
    throw;
  }
}

std::string level_for(const std::string& severity) {
  return severity == "error" ? "failure" : severity == "warning" ? "warning" : "notice";
}

}  // namespace

std::string review_head_marker(const std::string& head_sha) {
  return "<!-- lockspan:review head=" + head_sha + " -->";
}

std::vector<std::pair<int, int>> patch_ranges(const std::string& patch) {
  std::vector<std::pair<int, int>> out;
  for (size_t pos = patch.find("@@ -"); pos != std::string::npos; pos = patch.find("@@ -", pos + 4)) {
    size_t plus = patch.find(" +", pos);
    if (plus == std::string::npos) break;
    int start = 0, count = 1;
    if (std::sscanf(patch.c_str() + plus + 2, "%d,%d", &start, &count) < 1) continue;
    if (count > 0) out.emplace_back(start, start + count - 1);
  }
  return out;
}

ReviewJob::ReviewJob(GitHubApp* app, JobQueue& queue, RepoCache& cache, AnalysisLimits limits,
                     std::string dry_run_dir)
    : app_(app), queue_(queue), cache_(cache), limits_(std::move(limits)), dry_run_dir_(std::move(dry_run_dir)) {}

void ReviewJob::complete_pull_info(ReviewTarget& t, const std::string& auth) {
  if (!t.head_sha.empty() && !t.base_sha.empty() && !t.clone_url.empty() && !t.base_ref.empty()) return;
  if (!app_) throw std::runtime_error("pull request details are missing and a dry run cannot ask GitHub");
  json pr = with_retry("GET pull request", [&] {
    return app_->rest().call("GET", "/repos/" + t.repo + "/pulls/" + std::to_string(t.pull), auth);
  });
  t.head_sha = pr["head"].value("sha", "");
  t.base_sha = pr["base"].value("sha", "");
  t.base_ref = pr["base"].value("ref", "");
  if (pr["base"].contains("repo") && pr["base"]["repo"].is_object())
    t.clone_url = pr["base"]["repo"].value("clone_url", "");
  if (t.head_sha.empty() || t.clone_url.empty())
    throw std::runtime_error("pull request " + t.repo + "#" + std::to_string(t.pull) + " has no head or clone URL");
}

int64_t ReviewJob::start_check_run(const ReviewTarget& t, const std::string& auth) {
  if (auto id = queue_.check_run(t.repo, t.head_sha)) {
    json body = {{"status", "in_progress"}};
    with_retry("PATCH check run", [&] {
      return app_->rest().call("PATCH", "/repos/" + t.repo + "/check-runs/" + std::to_string(*id), auth, &body,
                               t.installation_id);
    });
    return *id;
  }
  json body = {{"name", kCheckName},
               {"head_sha", t.head_sha},
               {"status", "in_progress"},
               {"started_at", iso_now()},
               {"external_id", "pr:" + std::to_string(t.pull)}};
  json r = with_retry("POST check run", [&] {
    return app_->rest().call("POST", "/repos/" + t.repo + "/check-runs", auth, &body, t.installation_id);
  });
  int64_t id = r.value("id", int64_t{0});
  queue_.set_check_run(t.repo, t.head_sha, id);
  return id;
}

void ReviewJob::finish_check_run(const ReviewTarget& t, const std::string& auth, int64_t id, const ReviewResult& r,
                                 const json& findings, const std::string& summary) {
  json annotations = json::array();
  for (const auto& f : findings) {
    annotations.push_back({{"path", f.value("path", "")},
                           {"start_line", f.value("line", 1)},
                           {"end_line", f.value("line", 1)},
                           {"annotation_level", level_for(f.value("severity", "error"))},
                           {"title", f.value("rule", "")},
                           {"message", f.value("message", "")}});
  }
  std::string path = "/repos/" + t.repo + "/check-runs/" + std::to_string(id);
  // At most 50 annotations per request; later requests append.
  size_t sent = 0;
  do {
    json batch = json::array();
    for (size_t i = sent; i < annotations.size() && batch.size() < 50; ++i) batch.push_back(annotations[i]);
    sent += batch.size();
    json body = {{"output", {{"title", r.title}, {"summary", summary.substr(0, 60000)}, {"annotations", batch}}}};
    if (sent >= annotations.size()) {
      body["status"] = "completed";
      body["conclusion"] = r.conclusion;
      body["completed_at"] = iso_now();
    }
    with_retry("PATCH check run", [&] { return app_->rest().call("PATCH", path, auth, &body, t.installation_id); });
  } while (sent < annotations.size());
}

ReviewResult ReviewJob::post_review(const ReviewTarget& t, const std::string& auth, const json& review) {
  ReviewResult r;
  std::string base = "/repos/" + t.repo + "/pulls/" + std::to_string(t.pull);
  std::set<std::string> seen;
  bool already = queue_.posted_review(t.repo, t.pull, t.head_sha).has_value();
  if (app_) {
    auto comments = with_retry("list review comments", [&] { return app_->rest().get_all(base + "/comments", auth); });
    for (const auto& c : comments)
      for (const auto& fp : fingerprints_in(c.value("body", ""))) seen.insert(fp);
    auto reviews = with_retry("list reviews", [&] { return app_->rest().get_all(base + "/reviews", auth); });
    for (const auto& rv : reviews)
      if (rv.value("body", "").find(review_head_marker(t.head_sha)) != std::string::npos) already = true;
  }
  json body = review["review"];
  json fresh = json::array();
  for (const auto& c : body["comments"]) {
    auto fps = fingerprints_in(c.value("body", ""));
    if (fps.empty() || !seen.count(fps[0])) fresh.push_back(c);
  }
  std::string text = body.value("body", "");
  bool new_file_findings = false;
  for (const auto& fc : review["file_comments"]) {
    auto fps = fingerprints_in(fc.value("body", ""));
    if (!fps.empty() && seen.count(fps[0])) continue;
    new_file_findings = true;
    text += "\n---\n**`" + fc.value("path", "") + "`** (outside the diff)\n\n" + fc.value("body", "") + "\n";
  }
  body["comments"] = fresh;
  body["body"] = text + "\n" + review_head_marker(t.head_sha);
  r.posted = body;
  if (already || (fresh.empty() && !new_file_findings)) {
    r.review_skipped = true;
    return r;
  }
  if (!app_) return r;
  auto post = [&](const json& b) {
    return app_->rest().call("POST", base + "/reviews", auth, &b, t.installation_id);
  };
  json answer;
  try {
    answer = with_retry("POST review", [&] { return post(body); });
  } catch (const github::ApiError& e) {
    if (e.status != 422) throw;
    // GitHub refused some anchor: keep the comments its own diff accepts, move the rest into the body.
    spdlog::warn("repo={} pull={} review rejected with 422; checking anchors against the pull request's files",
                 t.repo, t.pull);
    std::map<std::string, std::vector<std::pair<int, int>>> ranges;
    for (const auto& f : app_->rest().get_all(base + "/files", auth))
      ranges[f.value("filename", "")] = patch_ranges(f.value("patch", ""));
    json keep = json::array();
    std::string moved;
    for (const auto& c : body["comments"]) {
      int line = c.value("line", 0);
      bool ok = false;
      for (const auto& [a, b] : ranges[c.value("path", "")]) ok |= line >= a && line <= b;
      if (ok) keep.push_back(c);
      else moved += "\n---\n**`" + c.value("path", "") + ":" + std::to_string(line) + "`**\n\n" + c.value("body", "") + "\n";
    }
    body["comments"] = keep;
    body["body"] = text + moved + "\n" + review_head_marker(t.head_sha);
    try {
      answer = with_retry("POST review", [&] { return post(body); });
    } catch (const github::ApiError& e2) {
      if (e2.status != 422) throw;
      for (const auto& c : keep)
        moved += "\n---\n**`" + c.value("path", "") + ":" + std::to_string(c.value("line", 0)) + "`**\n\n" +
                 c.value("body", "") + "\n";
      body["comments"] = json::array();
      body["body"] = text + moved + "\n" + review_head_marker(t.head_sha);
      answer = with_retry("POST review", [&] { return post(body); });
    }
  }
  r.posted = body;
  r.review_id = answer.value("id", int64_t{0});
  r.comments_posted = static_cast<int>(body["comments"].size());
  queue_.mark_review_posted(t.repo, t.pull, t.head_sha, r.review_id);
  return r;
}

ReviewResult ReviewJob::run(ReviewTarget t) {
  std::string auth, token;
  if (app_) {
    token = with_retry("installation token", [&] { return app_->token(t.installation_id); });
    auth = "token " + token;
  }
  complete_pull_info(t, auth);
  int64_t check = app_ ? start_check_run(t, auth) : 0;
  std::string repo_dir;
  try {
    repo_dir = cache_.fetch(t.repo, t.clone_url, token, pull_refspecs(t.pull, t.base_ref), {t.head_sha, t.base_sha});
  } catch (const std::exception& e) {
    if (app_) app_->invalidate(t.installation_id);  // an expired or revoked token looks like this too
    throw RetryLater(e.what(), 10);
  }
  AnalysisOutcome a = run_review_child(repo_dir, t.base_sha, t.head_sha, limits_);
  if (cancelled_ && cancelled_()) throw Superseded("a newer push superseded this review");
  spdlog::info("repo={} pull={} head={} analysis={} seconds={:.2f}", t.repo, t.pull, t.head_sha.substr(0, 12),
               a.ok ? "ok" : a.failure, a.seconds);
  ReviewResult r;
  r.analysis_seconds = a.seconds;
  json findings = json::array();
  std::string summary;
  if (!a.ok) {
    // The job is done either way: say what happened in the check run.
    r.conclusion = "neutral";
    r.title = a.config_error ? ".github/lockspan.yml is invalid" : "lockspan could not analyze this change";
    summary = a.failure;
  } else {
    findings = a.review["findings"];
    r = post_review(t, auth, a.review);
    r.analysis_seconds = a.seconds;
    bool error = false;
    for (const auto& f : findings) error |= f.value("severity", "") == "error";
    r.conclusion = error ? "failure" : findings.empty() ? "success" : "neutral";
    r.title = a.review.value("summary", "lockspan review");
    summary = a.review["review"].value("body", "");
  }
  if (app_) finish_check_run(t, auth, check, r, findings, summary);
  if (!dry_run_dir_.empty() && a.ok) {
    std::filesystem::create_directories(dry_run_dir_);
    std::string name = t.repo + "#" + std::to_string(t.pull) + "@" + t.head_sha.substr(0, 12) + ".json";
    for (char& c : name)
      if (c == '/') c = '_';
    std::ofstream(dry_run_dir_ + "/" + name) << json{{"target", t.repo}, {"pull", t.pull}, {"head", t.head_sha},
                                                      {"review", r.posted}, {"conclusion", r.conclusion}}.dump(2);
  }
  return r;
}

void ReviewJob::report_failure(const ReviewTarget& t, const std::string& why) {
  if (!app_ || t.head_sha.empty()) return;
  try {
    auto id = queue_.check_run(t.repo, t.head_sha);
    if (!id) return;
    std::string auth = app_->auth(t.installation_id);
    json body = {{"status", "completed"},
                 {"conclusion", "neutral"},
                 {"completed_at", iso_now()},
                 {"output", {{"title", "lockspan could not finish this review"}, {"summary", why}}}};
    app_->rest().call("PATCH", "/repos/" + t.repo + "/check-runs/" + std::to_string(*id), auth, &body,
                      t.installation_id);
  } catch (const std::exception& e) {
    spdlog::warn("repo={} pull={} could not report the failure in the check run: {}", t.repo, t.pull, e.what());
  }
}

}  // namespace lockspan::bot
