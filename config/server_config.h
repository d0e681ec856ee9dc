// Settings of `lockspan serve` and `lockspan rerun`: environment variables,
// optionally a YAML file with the same keys (the environment wins).
#pragma once

#include <map>
#include <stdexcept>
#include <string>

namespace lockspan::config {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./var";
  std::string public_url;              // default: http://<listen>
  std::string api_url = "https://api.github.com";
  std::string app_id;
  std::string private_key_pem;         // secret
  std::string webhook_secret;          // secret
  int workers = 2;
  int analysis_timeout_seconds = 300;
  int analysis_memory_mb = 2048;
  bool dry_run = false;
  bool json_logs = false;

  std::string host() const;
  int port() const;
};

struct ServerConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `env` holds the process environment; `file` may be empty. Secrets given as
// *_FILE are read from those files. Throws ServerConfigError naming the key,
// never echoing a secret's value.
ServerConfig load_server_config(const std::string& file, const std::map<std::string, std::string>& env,
                                bool dry_run);

std::map<std::string, std::string> environment();

}  // namespace lockspan::config
