// The GitHub REST client: one request with GitHub's rules for retrying
// (5xx and timeouts back off with jitter; 403/429 honour retry-after and
// x-ratelimit-reset), Link pagination, and writes for one installation sent
// one at a time. It knows nothing of reviews; callers build the paths.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lockspan::github {

struct HttpResponse {
  int status = 0;                             // 0: no response (connection error, timeout)
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string error;                           // transport error text when status == 0
  std::string header(const std::string& name) const;
};

// Thrown when GitHub cannot be reached or keeps failing after every retry,
// or asks us to wait longer than we may. `retry_after` (seconds) says when a
// later attempt makes sense; 0 when unknown.
struct ApiError : std::runtime_error {
  ApiError(std::string what, int status, int64_t retry_after)
      : std::runtime_error(std::move(what)), status(status), retry_after(retry_after) {}
  int status;
  int64_t retry_after;
};

struct RestOptions {
  std::string api_url = "https://api.github.com";  // GHES: https://HOST/api/v3
  int max_attempts = 5;
  int timeout_seconds = 30;
  double backoff_seconds = 1.0;       // first wait after a 5xx; doubles each time
  double max_wait_seconds = 60.0;     // a longer wait is left to the job queue
  std::string user_agent = "lockspan";
  std::function<void(double)> sleep;  // injectable for tests; default sleeps
};

// Called after every HTTP exchange: method, status (0 = transport error),
// and the x-ratelimit-remaining header when present (-1 otherwise).
using RestObserver = std::function<void(const std::string& method, int status, int64_t ratelimit_remaining)>;

class RestClient {
 public:
  explicit RestClient(RestOptions options, RestObserver observer = nullptr);
  ~RestClient();

  // `path` is relative to the API root ("/repos/o/r") or an absolute URL
  // from a Link header. `authorization` is the full header value. Mutating
  // requests for the same `serial_key` (an installation id) never overlap.
  HttpResponse request(const std::string& method, const std::string& path, const std::string& authorization,
                       const std::string* json_body = nullptr, int64_t serial_key = 0);

  // Like request(), but throws ApiError unless the status is 2xx.
  nlohmann::json call(const std::string& method, const std::string& path, const std::string& authorization,
                      const nlohmann::json* body = nullptr, int64_t serial_key = 0);

  // GET every page (per_page=100), following Link rel="next"; the arrays joined.
  std::vector<nlohmann::json> get_all(const std::string& path, const std::string& authorization);

 private:
  struct Endpoint;
  RestOptions options_;
  RestObserver observer_;
  std::unique_ptr<Endpoint> endpoint_;
  std::mutex serial_mu_;
  std::map<int64_t, std::shared_ptr<std::mutex>> serial_;

  HttpResponse once(const std::string& method, const std::string& path, const std::string& authorization,
                    const std::string* body);
  std::shared_ptr<std::mutex> serial_lock(int64_t key);
};

// The rel="next" target of a Link header, or "".
std::string next_link(const std::string& link_header);

// How long to wait before retrying `r`, or nullopt when it must not be retried.
// attempt counts from 0. `now` is unix seconds.
std::optional<double> retry_delay(const HttpResponse& r, int attempt, double backoff_seconds, int64_t now);

}  // namespace lockspan::github
