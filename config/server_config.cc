#include "config/server_config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

extern char** environ;

namespace lockspan::config {
namespace {

const std::set<std::string> kKeys = {
    "LOCKSPAN_LISTEN", "LOCKSPAN_DATA_DIR", "LOCKSPAN_PUBLIC_URL", "GITHUB_API_URL", "GITHUB_APP_ID",
    "GITHUB_APP_PRIVATE_KEY_FILE", "GITHUB_APP_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET", "GITHUB_WEBHOOK_SECRET_FILE",
    "LOCKSPAN_WORKERS", "LOCKSPAN_ANALYSIS_TIMEOUT", "LOCKSPAN_ANALYSIS_MEMORY_MB", "LOCKSPAN_LOG_FORMAT"};

std::string read_secret_file(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ServerConfigError(key + ": cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

int to_int(const std::string& key, const std::string& v, int lo, int hi) {
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size() && n >= lo && n <= hi) return n;
  } catch (...) {
  }
  throw ServerConfigError(key + ": expected a whole number from " + std::to_string(lo) + " to " +
                          std::to_string(hi) + ", got '" + v + "'");
}

std::map<std::string, std::string> read_file_settings(const std::string& file) {
  std::map<std::string, std::string> out;
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw ServerConfigError(file + ": cannot read configuration file");
  } catch (const YAML::Exception& e) {
    throw ServerConfigError(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (doc.IsNull()) return out;
  if (!doc.IsMap()) throw ServerConfigError(file + ": expected a mapping of setting names to values");
  for (const auto& kv : doc) {
    std::string key = kv.first.as<std::string>();
    if (!kKeys.count(key))
      throw ServerConfigError(file + ":" + std::to_string(kv.first.Mark().line + 1) + ": unknown setting " + key);
    if (!kv.second.IsScalar())
      throw ServerConfigError(file + ":" + std::to_string(kv.second.Mark().line + 1) + ": " + key + " must be a scalar");
    out[key] = kv.second.as<std::string>();
  }
  return out;
}

}  // namespace

std::string ServerConfig::host() const {
  size_t colon = listen.rfind(':');
  std::string h = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

int ServerConfig::port() const {
  size_t colon = listen.rfind(':');
  return colon == std::string::npos ? 8080 : std::stoi(listen.substr(colon + 1));
}

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

ServerConfig load_server_config(const std::string& file, const std::map<std::string, std::string>& env,
                                bool dry_run) {
  std::map<std::string, std::string> s;
  if (!file.empty()) s = read_file_settings(file);
  for (const auto& key : kKeys)
    if (auto it = env.find(key); it != env.end() && !it->second.empty()) s[key] = it->second;
  auto get = [&](const char* key) { auto it = s.find(key); return it == s.end() ? std::string() : it->second; };
  ServerConfig c;
  c.dry_run = dry_run;
  if (!get("LOCKSPAN_LISTEN").empty()) c.listen = get("LOCKSPAN_LISTEN");
  if (c.listen.rfind(':') == std::string::npos) throw ServerConfigError("LOCKSPAN_LISTEN: expected address:port, got '" + c.listen + "'");
  to_int("LOCKSPAN_LISTEN", c.listen.substr(c.listen.rfind(':') + 1), 0, 65535);
  if (!get("LOCKSPAN_DATA_DIR").empty()) c.data_dir = get("LOCKSPAN_DATA_DIR");
  c.public_url = get("LOCKSPAN_PUBLIC_URL").empty() ? "http://" + c.listen : get("LOCKSPAN_PUBLIC_URL");
  if (!get("GITHUB_API_URL").empty()) c.api_url = get("GITHUB_API_URL");
  c.app_id = get("GITHUB_APP_ID");
  c.private_key_pem = get("GITHUB_APP_PRIVATE_KEY");
  if (c.private_key_pem.empty() && !get("GITHUB_APP_PRIVATE_KEY_FILE").empty())
    c.private_key_pem = read_secret_file("GITHUB_APP_PRIVATE_KEY_FILE", get("GITHUB_APP_PRIVATE_KEY_FILE"));
  c.webhook_secret = get("GITHUB_WEBHOOK_SECRET");
  if (c.webhook_secret.empty() && !get("GITHUB_WEBHOOK_SECRET_FILE").empty())
    c.webhook_secret = read_secret_file("GITHUB_WEBHOOK_SECRET_FILE", get("GITHUB_WEBHOOK_SECRET_FILE"));
  if (!get("LOCKSPAN_WORKERS").empty()) c.workers = to_int("LOCKSPAN_WORKERS", get("LOCKSPAN_WORKERS"), 1, 64);
  if (!get("LOCKSPAN_ANALYSIS_TIMEOUT").empty())
    c.analysis_timeout_seconds = to_int("LOCKSPAN_ANALYSIS_TIMEOUT", get("LOCKSPAN_ANALYSIS_TIMEOUT"), 1, 86400);
  if (!get("LOCKSPAN_ANALYSIS_MEMORY_MB").empty())
    c.analysis_memory_mb = to_int("LOCKSPAN_ANALYSIS_MEMORY_MB", get("LOCKSPAN_ANALYSIS_MEMORY_MB"), 64, 1 << 20);
  std::string fmt = get("LOCKSPAN_LOG_FORMAT");
  if (!fmt.empty() && fmt != "text" && fmt != "json") throw ServerConfigError("LOCKSPAN_LOG_FORMAT: expected text or json");
  c.json_logs = fmt == "json";
  if (c.webhook_secret.empty())
    throw ServerConfigError("GITHUB_WEBHOOK_SECRET (or GITHUB_WEBHOOK_SECRET_FILE) is required");
  if (!dry_run) {
    if (c.app_id.empty()) throw ServerConfigError("GITHUB_APP_ID is required (or use --dry-run)");
    if (c.private_key_pem.empty())
      throw ServerConfigError("GITHUB_APP_PRIVATE_KEY_FILE (or GITHUB_APP_PRIVATE_KEY) is required (or use --dry-run)");
  }
  return c;
}

}  // namespace lockspan::config
