// The App's view of GitHub: JWT for App endpoints, cached installation tokens
// for repository endpoints, and the REST client with its retry rules. Every
// exchange is counted in the metrics.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bot/metrics.h"
#include "config/server_config.h"
#include "github/app_auth.h"
#include "github/rest_client.h"

namespace lockspan::bot {

class GitHubApp {
 public:
  GitHubApp(const config::ServerConfig& config, Metrics& metrics);

  github::RestClient& rest() { return *rest_; }
  // "token <installation token>"
  std::string auth(int64_t installation_id);
  std::string token(int64_t installation_id);
  void invalidate(int64_t installation_id) { tokens_->invalidate(installation_id); }
  // GET /repos/{o}/{r}/installation with the App JWT.
  int64_t installation_for(const std::string& full_name);

 private:
  github::SystemClock clock_;
  std::optional<github::AppJwtSigner> signer_;
  std::unique_ptr<github::RestClient> rest_;
  std::unique_ptr<github::TokenCache> tokens_;
  std::string jwt();
};

}  // namespace lockspan::bot
