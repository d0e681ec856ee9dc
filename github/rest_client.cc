#include "github/rest_client.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

namespace lockspan::github {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int64_t to_int(const std::string& s, int64_t fallback) {
  if (s.empty()) return fallback;
  try {
    return std::stoll(s);
  } catch (...) {
    return fallback;
  }
}

double jitter(double seconds) {
  thread_local std::mt19937 rng{std::random_device{}()};
  return seconds * std::uniform_real_distribution<double>(0.5, 1.5)(rng);
}

bool mutating(const std::string& method) { return method != "GET" && method != "HEAD"; }

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? "" : it->second;
}

// Scheme, host and port in one client; the path prefix (GHES /api/v3) apart.
struct RestClient::Endpoint {
  std::string origin;  // "https://api.github.com"
  std::string prefix;  // "/api/v3" or ""
  std::unique_ptr<httplib::Client> client;
  std::mutex mu;       // httplib::Client is not safe to share across threads
};

RestClient::RestClient(RestOptions options, RestObserver observer)
    : options_(std::move(options)), observer_(std::move(observer)), endpoint_(std::make_unique<Endpoint>()) {
  if (!options_.sleep)
    options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  std::string url = options_.api_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  size_t scheme = url.find("://");
  size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  endpoint_->origin = path == std::string::npos ? url : url.substr(0, path);
  endpoint_->prefix = path == std::string::npos ? "" : url.substr(path);
  endpoint_->client = std::make_unique<httplib::Client>(endpoint_->origin);
  auto& c = *endpoint_->client;
  c.set_connection_timeout(options_.timeout_seconds, 0);
  c.set_read_timeout(options_.timeout_seconds, 0);
  c.set_write_timeout(options_.timeout_seconds, 0);
  c.set_keep_alive(true);
  // httplib writes a request's headers and body apart: with Nagle on, the body of every
  // POST/PATCH waits for the server's (delayed) ACK of the headers.
  c.set_tcp_nodelay(true);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt"))
    c.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
  c.enable_server_certificate_verification(true);
#endif
}

RestClient::~RestClient() = default;

std::shared_ptr<std::mutex> RestClient::serial_lock(int64_t key) {
  std::lock_guard<std::mutex> g(serial_mu_);
  auto& m = serial_[key];
  if (!m) m = std::make_shared<std::mutex>();
  return m;
}

HttpResponse RestClient::once(const std::string& method, const std::string& path, const std::string& authorization,
                              const std::string* body) {
  std::string target = path;
  if (target.starts_with(endpoint_->origin)) target = target.substr(endpoint_->origin.size());
  else if (!target.starts_with("http")) target = endpoint_->prefix + target;
  httplib::Headers headers = {{"Accept", "application/vnd.github+json"},
                              {"X-GitHub-Api-Version", "2022-11-28"},
                              {"User-Agent", options_.user_agent}};
  if (!authorization.empty()) headers.emplace("Authorization", authorization);
  std::string payload = body ? *body : "";
  auto send = [&]() -> httplib::Result {
    std::lock_guard<std::mutex> g(endpoint_->mu);
    auto& c = *endpoint_->client;
    if (method == "POST") return c.Post(target, headers, payload, "application/json");
    if (method == "PATCH") return c.Patch(target, headers, payload, "application/json");
    if (method == "PUT") return c.Put(target, headers, payload, "application/json");
    if (method == "DELETE") return c.Delete(target, headers, payload, "application/json");
    return c.Get(target, headers);
  };
  httplib::Result res = send();
  HttpResponse r;
  if (!res) {
    r.error = httplib::to_string(res.error());
  } else {
    r.status = res->status;
    r.body = res->body;
    for (const auto& [k, v] : res->headers) r.headers[lower(k)] = v;
  }
  if (observer_) observer_(method, r.status, to_int(r.header("x-ratelimit-remaining"), -1));
  return r;
}

std::optional<double> retry_delay(const HttpResponse& r, int attempt, double backoff_seconds, int64_t now) {
  if (r.status == 0 || r.status >= 500) return jitter(backoff_seconds * (1 << std::min(attempt, 10)));
  if (r.status == 429 || r.status == 403) {
    if (std::string ra = r.header("retry-after"); !ra.empty()) return static_cast<double>(to_int(ra, 60));
    if (r.header("x-ratelimit-remaining") == "0") {
      int64_t reset = to_int(r.header("x-ratelimit-reset"), now + 60);
      return static_cast<double>(std::max<int64_t>(1, reset - now));
    }
    // A secondary limit without a hint: GitHub asks for at least a minute.
    if (r.status == 429 || r.body.find("secondary rate limit") != std::string::npos)
      return 60.0 * (1 << std::min(attempt, 4));
  }
  return std::nullopt;
}

HttpResponse RestClient::request(const std::string& method, const std::string& path,
                                 const std::string& authorization, const std::string* json_body,
                                 int64_t serial_key) {
  std::shared_ptr<std::mutex> serial = mutating(method) ? serial_lock(serial_key) : nullptr;
  std::unique_lock<std::mutex> hold;
  if (serial) hold = std::unique_lock<std::mutex>(*serial);
  HttpResponse r;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    r = once(method, path, authorization, json_body);
    auto delay = retry_delay(r, attempt, options_.backoff_seconds, unix_now());
    if (!delay) return r;
    if (*delay > options_.max_wait_seconds || attempt + 1 == options_.max_attempts) {
      throw ApiError(method + " " + path + ": " +
                         (r.status ? "GitHub answered " + std::to_string(r.status) : "no response: " + r.error) +
                         " after " + std::to_string(attempt + 1) + " attempt(s)",
                     r.status, static_cast<int64_t>(*delay));
    }
    options_.sleep(*delay);
  }
  return r;
}

nlohmann::json RestClient::call(const std::string& method, const std::string& path, const std::string& authorization,
                                const nlohmann::json* body, int64_t serial_key) {
  std::string text = body ? body->dump() : "";
  HttpResponse r = request(method, path, authorization, body ? &text : nullptr, serial_key);
  if (r.status < 200 || r.status >= 300) {
    std::string message;
    try {
      message = nlohmann::json::parse(r.body).value("message", "");
    } catch (...) {
    }
    throw ApiError(method + " " + path + ": GitHub answered " + std::to_string(r.status) +
                       (message.empty() ? "" : " (" + message + ")"),
                   r.status, 0);
  }
  if (r.body.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
}

std::vector<nlohmann::json> RestClient::get_all(const std::string& path, const std::string& authorization) {
  std::vector<nlohmann::json> out;
  std::string next = path + (path.find('?') == std::string::npos ? "?" : "&") + "per_page=100";
  for (int page = 0; !next.empty() && page < 1000; ++page) {
    HttpResponse r = request("GET", next, authorization);
    if (r.status != 200) throw ApiError("GET " + next + ": GitHub answered " + std::to_string(r.status), r.status, 0);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_array()) throw ApiError("GET " + next + ": expected a JSON array", r.status, 0);
    for (auto& item : j) out.push_back(std::move(item));
    next = next_link(r.header("link"));
  }
  return out;
}

std::string next_link(const std::string& link) {
  // <https://api.github.com/...?page=2>; rel="next", <...>; rel="last"
  size_t pos = 0;
  while (pos < link.size()) {
    size_t open = link.find('<', pos);
    size_t close = link.find('>', open);
    if (open == std::string::npos || close == std::string::npos) break;
    size_t end = link.find(',', close);
    std::string params = link.substr(close + 1, end == std::string::npos ? std::string::npos : end - close - 1);
    if (params.find("rel=\"next\"") != std::string::npos) return link.substr(open + 1, close - open - 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

}  // namespace lockspan::github
