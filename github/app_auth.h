// Authenticating as the GitHub App: the short-lived RS256 JWT that proves
// we hold the App's private key, and a cache of the installation tokens
// that JWT is traded for.
//
// None of the secrets handled here (the key, JWTs, tokens) is ever logged
// or put in an exception message.

#ifndef LOCKSPAN_GITHUB_APP_AUTH_H_
#define LOCKSPAN_GITHUB_APP_AUTH_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <openssl/types.h>

namespace lockspan::github {

/// Unix seconds; injected so expiry logic can be tested without waiting.
struct Clock {
  virtual ~Clock() = default;
  virtual std::int64_t now() const = 0;
};

struct SystemClock : Clock {
  std::int64_t now() const override;
};

/// Signs the App JWT: header {"alg":"RS256","typ":"JWT"}, claims
/// iat = now - 60 (GitHub's advice against clock drift), exp = now + 540
/// (GitHub refuses more than 10 minutes ahead; this leaves a minute of
/// slack), iss = the app id or client id, always as a JSON string.
/// Copies share the key; sign() may be called from many threads.
class AppJwtSigner {
 public:
  /// Accepts an unencrypted RSA key in PKCS#1 ("BEGIN RSA PRIVATE KEY",
  /// the format GitHub hands out) or PKCS#8 ("BEGIN PRIVATE KEY"). Throws
  /// std::runtime_error("GitHub App private key: ...") saying what is
  /// wrong, never quoting the key.
  static AppJwtSigner from_pem(std::string app_id, std::string_view pem);

  std::string sign(std::int64_t now) const;

  const std::string& app_id() const { return app_id_; }

 private:
  AppJwtSigner(std::string app_id, std::shared_ptr<EVP_PKEY> key);

  std::string app_id_;
  std::shared_ptr<EVP_PKEY> key_;
};

/// An installation access token. The string is opaque: it was 40 chars
/// ("ghs_...") and is becoming ~520 chars with '_', '.' and '-'.
struct InstallationToken {
  std::string token;
  std::int64_t expires_at = 0;  // unix seconds; 0 if unknown
};

/// "2016-07-11T22:14:10Z" (optionally with fractional seconds or a
/// "+HH:MM"/"-HH:MM" offset) to unix seconds. Throws std::runtime_error.
std::int64_t parse_github_time(std::string_view iso8601);

/// Caches installation tokens until 5 minutes before they expire.
///
/// `fetch` does the HTTP call (POST /app/installations/{id}/access_tokens
/// with the App JWT) and is injected so the cache can be tested. Thread-
/// safe: concurrent get()s for one installation share a single fetch,
/// while other installations are served meanwhile. A fetch that throws
/// leaves nothing cached and the exception reaches the caller.
class TokenCache {
 public:
  using Fetch = std::function<InstallationToken(std::int64_t installation_id)>;

  /// Tokens this close to expiry are refreshed rather than handed out, so a
  /// caller never starts a request with a token about to die.
  static constexpr std::int64_t kRefreshMargin = 5 * 60;

  TokenCache(Fetch fetch, const Clock& clock);

  std::string get(std::int64_t installation_id);

  /// Drops the cached token, e.g. after GitHub answered 401 with it.
  void invalidate(std::int64_t installation_id);

 private:
  struct Slot {
    std::mutex mu;  // held across the fetch: one fetch per installation
    InstallationToken cached;
  };
  std::shared_ptr<Slot> slot(std::int64_t installation_id);
  bool fresh(const InstallationToken& t) const;

  Fetch fetch_;
  const Clock& clock_;
  std::mutex mu_;  // guards slots_ only, never held while fetching
  std::map<std::int64_t, std::shared_ptr<Slot>> slots_;
};

}  // namespace lockspan::github

#endif  // LOCKSPAN_GITHUB_APP_AUTH_H_
