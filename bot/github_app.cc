#include "bot/github_app.h"

namespace lockspan::bot {

GitHubApp::GitHubApp(const config::ServerConfig& config, Metrics& metrics) {
  if (!config.private_key_pem.empty())
    signer_.emplace(github::AppJwtSigner::from_pem(config.app_id, config.private_key_pem));
  github::RestOptions opts;
  opts.api_url = config.api_url;
  rest_ = std::make_unique<github::RestClient>(opts, [&metrics](const std::string& method, int status, int64_t remaining) {
    metrics.inc("lockspan_github_requests_total", label("method", method) + "," + label("status", std::to_string(status)));
    if (remaining >= 0) metrics.set("lockspan_github_ratelimit_remaining", "", static_cast<double>(remaining));
  });
  tokens_ = std::make_unique<github::TokenCache>(
      [this](int64_t installation) {
        nlohmann::json body = nlohmann::json::object();
        auto r = rest_->call("POST", "/app/installations/" + std::to_string(installation) + "/access_tokens",
                             "Bearer " + jwt(), &body);
        github::InstallationToken t;
        t.token = r.value("token", "");
        t.expires_at = github::parse_github_time(r.value("expires_at", "1970-01-01T00:00:00Z"));
        return t;
      },
      clock_);
}

std::string GitHubApp::jwt() {
  if (!signer_) throw std::runtime_error("no GitHub App private key configured");
  return signer_->sign(clock_.now());
}

std::string GitHubApp::token(int64_t installation_id) { return tokens_->get(installation_id); }

std::string GitHubApp::auth(int64_t installation_id) { return "token " + token(installation_id); }

int64_t GitHubApp::installation_for(const std::string& full_name) {
  auto r = rest_->call("GET", "/repos/" + full_name + "/installation", "Bearer " + jwt());
  return r.value("id", int64_t{0});
}

}  // namespace lockspan::bot
