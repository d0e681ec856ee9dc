#include "bot/webhook_intake.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <set>

#include "github/events.h"
#include "github/webhook_signature.h"

namespace lockspan::bot {

using json = nlohmann::json;

namespace {

std::string get(const std::map<std::string, std::string>& h, const std::string& k) {
  auto it = h.find(k);
  return it == h.end() ? "" : it->second;
}

IntakeAnswer answer(int status, const std::string& outcome, const std::string& message) {
  IntakeAnswer a;
  a.status = status;
  a.outcome = outcome;
  a.body = json{{"outcome", outcome}, {"message", message}}.dump();
  return a;
}

Job review_job(const std::string& repo, int pull, const std::string& head, int64_t installation, json payload) {
  Job j;
  j.kind = "review";
  j.repo = repo;
  j.pull_number = pull;
  j.head_sha = head;
  j.installation_id = installation;
  j.payload = payload.dump();
  return j;
}

// The jobs a delivery asks for; empty when the event is not one we act on.
std::vector<Job> jobs_for(const std::string& event, const json& p, std::string& action) {
  action = p.value("action", "");
  std::vector<Job> jobs;
  if (event == "pull_request") {
    static const std::set<std::string> acts = {"opened", "synchronize", "reopened", "ready_for_review"};
    if (!acts.count(action)) return jobs;
    auto e = github::parse_pull_request_event(p);
    if (e.draft) return jobs;  // ready_for_review brings it back
    jobs.push_back(review_job(e.repo.full_name, e.number, e.head_sha, e.installation_id,
                              {{"trigger", event + "." + action}, {"base_sha", e.base_sha}, {"base_ref", e.base_ref},
                               {"clone_url", e.repo.clone_url}}));
  } else if (event == "check_suite") {
    if (action != "requested" && action != "rerequested") return jobs;
    auto e = github::parse_check_suite_event(p);
    for (int n : e.pull_numbers)
      jobs.push_back(review_job(e.repo.full_name, n, e.head_sha, e.installation_id, {{"trigger", event + "." + action}}));
  } else if (event == "check_run") {
    if (action != "rerequested") return jobs;
    auto e = github::parse_check_run_event(p);
    for (int n : e.pull_numbers)
      jobs.push_back(review_job(e.repo.full_name, n, e.head_sha, e.installation_id, {{"trigger", event + "." + action}}));
  } else if (event == "issue_comment") {
    if (action != "created") return jobs;
    auto e = github::parse_issue_comment_event(p);
    if (!e.on_pull_request || !github::is_rerun_command(e.body)) return jobs;
    Job j = review_job(e.repo.full_name, e.number, "", e.installation_id,
                       {{"trigger", "comment"}, {"user", e.user_login}, {"comment_id", e.comment_id}});
    j.kind = "comment_rerun";
    jobs.push_back(j);
  }
  return jobs;
}

}  // namespace

IntakeAnswer take_delivery(const std::map<std::string, std::string>& headers, const std::string& body,
                           const std::string& secret, JobQueue& queue, Metrics& metrics) {
  std::string event = get(headers, "x-github-event");
  std::string delivery = get(headers, "x-github-delivery");
  auto finish = [&](IntakeAnswer a) {
    a.event = event;
    a.delivery_id = delivery;
    metrics.inc("lockspan_deliveries_total",
                label("event", event.empty() ? "unknown" : event) + "," + label("outcome", a.outcome.substr(0, a.outcome.find(':'))));
    spdlog::info("delivery={} event={} status={} outcome={}", delivery.empty() ? "-" : delivery,
                 event.empty() ? "-" : event, a.status, a.outcome);
    return a;
  };
  std::string signature = get(headers, "x-hub-signature-256");
  if (signature.empty()) return finish(answer(401, "rejected:unsigned", "missing X-Hub-Signature-256"));
  if (!github::verify_signature(secret, body, signature))
    return finish(answer(401, "rejected:bad-signature", "signature does not match"));
  if (event.empty() || delivery.empty())
    return finish(answer(400, "rejected:headers", "missing X-GitHub-Event or X-GitHub-Delivery"));
  json payload = json::parse(body, nullptr, false);
  if (payload.is_discarded() || !payload.is_object())
    return finish(answer(400, "rejected:malformed-json", "the body is not a JSON object"));
  std::string action;
  std::vector<Job> jobs;
  try {
    jobs = jobs_for(event, payload, action);
  } catch (const std::exception& e) {
    // Signed by GitHub but not what we expect: record it, do nothing.
    Delivery d{delivery, event, payload.value("action", ""), std::string("rejected:payload")};
    if (!queue.accept_delivery(d, std::nullopt)) return finish(answer(200, "duplicate", "already received"));
    return finish(answer(400, "rejected:payload", e.what()));
  }
  Delivery d{delivery, event, action, jobs.empty() ? "ignored" : "queued"};
  std::optional<Job> first;
  if (!jobs.empty()) first = jobs.front();
  if (!queue.accept_delivery(d, first)) return finish(answer(200, "duplicate", "already received"));
  for (size_t i = 1; i < jobs.size(); ++i) queue.enqueue(jobs[i]);
  if (jobs.empty()) {
    if (event == "ping" || event == "installation" || event == "installation_repositories")
      spdlog::info("delivery={} event={} action={} installation={}", delivery, event, action,
                   payload.contains("installation") ? payload["installation"].value("id", int64_t{0}) : 0);
    return finish(answer(202, "ignored", "nothing to do for " + event + (action.empty() ? "" : "." + action)));
  }
  return finish(answer(202, "queued", std::to_string(jobs.size()) + " job(s) queued"));
}

}  // namespace lockspan::bot
