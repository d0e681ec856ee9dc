#include "github/app_auth.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace lockspan::github {
namespace {

[[noreturn]] void key_error(const std::string& what) {
  // Leave no stale entries in OpenSSL's thread-local error queue for some
  // unrelated later call to report.
  ERR_clear_error();
  throw std::runtime_error("GitHub App private key: " + what);
}

// A null callback would make OpenSSL prompt for a passphrase on the
// terminal; a server must fail instead.
int no_passphrase(char*, int, int, void*) { return -1; }

void check_pem_shape(std::string_view pem) {
  if (pem.find("-----BEGIN ") == std::string_view::npos)
    key_error("no PEM block found (expected \"-----BEGIN RSA PRIVATE KEY-----\")");
  if (pem.find("ENCRYPTED") != std::string_view::npos)
    key_error("the key is encrypted; give the unencrypted PEM GitHub issued");
  if (pem.find("PRIVATE KEY-----") == std::string_view::npos)
    key_error("the PEM holds no private key (a public key or certificate?)");
}

std::shared_ptr<EVP_PKEY> read_key(std::string_view pem) {
  check_pem_shape(pem);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) key_error("out of memory");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  if (!raw) key_error("cannot parse the PEM as a PKCS#1 or PKCS#8 private key");
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA)
    key_error("not an RSA key; RS256 needs the RSA key GitHub issued");
  if (int bits = EVP_PKEY_get_bits(raw); bits < 2048)
    key_error("RSA key has " + std::to_string(bits) + " bits; at least 2048 are needed");
  // OpenSSL loads a key whose numbers were damaged (a bad copy-paste)
  // without complaint; GitHub would then answer every JWT with 401.
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(raw, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1)
    key_error("the key is damaged (its RSA numbers do not fit together)");
  return key;
}

// App ids are digits and client ids look like "Iv1.0123abcd"; refusing
// anything else catches swapped arguments before GitHub answers 401.
void check_app_id(const std::string& app_id) {
  if (app_id.empty()) throw std::runtime_error("GitHub App id is empty");
  for (unsigned char c : app_id)
    if (!std::isalnum(c) && c != '.' && c != '-' && c != '_')
      throw std::runtime_error("GitHub App id must be an app id or client id "
                               "(letters, digits, '.', '-', '_')");
}

std::string base64url(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(n);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string rs256(EVP_PKEY* key, std::string_view input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                             EVP_MD_CTX_free);
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  size_t len = 0;
  std::string sig;
  bool ok = ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &len, data, input.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                        data, input.size()) == 1;
    sig.resize(len);
  }
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error("signing the GitHub App JWT failed in OpenSSL");
  }
  return sig;
}

// Digits at s[pos, pos+n), or -1.
int digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Seconds east of UTC for the part after the seconds field, or nullopt.
std::optional<int> utc_offset(std::string_view rest) {
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 1) return std::nullopt;
    rest.remove_prefix(i);  // sub-second precision is of no use here
  }
  if (rest == "Z") return 0;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':')
    return std::nullopt;
  int h = digits(rest, 1, 2), m = digits(rest, 4, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return (rest[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
}

}  // namespace

std::int64_t SystemClock::now() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

AppJwtSigner::AppJwtSigner(std::string app_id, std::shared_ptr<EVP_PKEY> key)
    : app_id_(std::move(app_id)), key_(std::move(key)) {}

AppJwtSigner AppJwtSigner::from_pem(std::string app_id, std::string_view pem) {
  check_app_id(app_id);
  return AppJwtSigner(std::move(app_id), read_key(pem));
}

std::string AppJwtSigner::sign(std::int64_t now) const {
  static const std::string header = base64url(R"({"alg":"RS256","typ":"JWT"})");
  nlohmann::json claims = {{"iat", now - 60}, {"exp", now + 540}, {"iss", app_id_}};
  std::string input = header + "." + base64url(claims.dump());
  return input + "." + base64url(rs256(key_.get(), input));
}

std::int64_t parse_github_time(std::string_view s) {
  auto fail = [&]() -> std::int64_t {
    throw std::runtime_error("bad GitHub timestamp \"" + std::string(s.substr(0, 40)) +
                             "\" (expected YYYY-MM-DDTHH:MM:SSZ)");
  };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':')
    return fail();
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  std::optional<int> offset = utc_offset(s.substr(19));
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
      sec > 59 || !offset)
    return fail();
  using namespace std::chrono;
  year_month_day ymd{year{y}, month(mo), day(d)};
  if (!ymd.ok()) return fail();
  std::int64_t days = sys_days(ymd).time_since_epoch().count();
  return days * 86400 + h * 3600 + mi * 60 + sec - *offset;
}

TokenCache::TokenCache(Fetch fetch, const Clock& clock)
    : fetch_(std::move(fetch)), clock_(clock) {}

std::shared_ptr<TokenCache::Slot> TokenCache::slot(std::int64_t installation_id) {
  std::lock_guard lock(mu_);
  std::shared_ptr<Slot>& s = slots_[installation_id];
  if (!s) s = std::make_shared<Slot>();
  return s;
}

bool TokenCache::fresh(const InstallationToken& t) const {
  return !t.token.empty() && clock_.now() < t.expires_at - kRefreshMargin;
}

std::string TokenCache::get(std::int64_t installation_id) {
  std::shared_ptr<Slot> s = slot(installation_id);
  // Waiters queue on the slot, so when the first fetch lands they find
  // the new token instead of each asking GitHub for another.
  std::lock_guard lock(s->mu);
  if (fresh(s->cached)) return s->cached.token;
  s->cached = {};
  InstallationToken t = fetch_(installation_id);
  if (t.token.empty())
    throw std::runtime_error("GitHub returned no token for installation " +
                             std::to_string(installation_id));
  // Even a token already inside the margin is handed out once: it was
  // just issued, and refusing it would only loop on the fetch.
  s->cached = std::move(t);
  return s->cached.token;
}

void TokenCache::invalidate(std::int64_t installation_id) {
  std::shared_ptr<Slot> s;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(installation_id);
    if (it == slots_.end()) return;
    s = it->second;
  }
  // If a fetch is under way this waits for it and drops its token too;
  // the price is one extra fetch, never a stale token.
  std::lock_guard lock(s->mu);
  s->cached = {};
}

}  // namespace lockspan::github
