// App JWTs are checked with the openssl command line, an implementation
// independent of ours; the token cache runs on a fake clock.

#include "github/app_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <latch>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

// test_util.h names the lockspan binary, which CMake defines; these tests
// never run it, so a plain g++ build of this file alone works too.
#ifndef LOCKSPAN_BINARY
#define LOCKSPAN_BINARY ""
#endif
#include "tests/test_util.h"

namespace gh = lockspan::github;
using lockspan::test::run;
using lockspan::test::TempDir;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Written here rather than shared with the code under test, so a bug in
// one cannot hide the same bug in the other.
std::string base64url_decode(std::string_view in) {
  static const std::string abc =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0, n = 0;
  for (char c : in) {
    size_t v = abc.find(c);
    if (v == std::string::npos) throw std::runtime_error("not base64url");
    bits = bits << 6 | static_cast<unsigned>(v);
    if ((n += 6) >= 8) out += static_cast<char>(bits >> (n -= 8) & 0xff);
  }
  return out;
}

std::vector<std::string> split_jwt(const std::string& jwt) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = jwt.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(jwt.substr(start, dot - start));
  parts.push_back(jwt.substr(start));
  return parts;
}

// One set of keys for the whole suite: RSA generation is slow.
class AppJwt : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    // OpenSSL 3's genrsa writes PKCS#8; -traditional gives the PKCS#1
    // "BEGIN RSA PRIVATE KEY" form GitHub issues.
    sh("openssl genrsa -traditional -out pkcs1.pem 2048");
    sh("openssl rsa -in pkcs1.pem -pubout -out pub.pem");
    sh("openssl pkcs8 -topk8 -nocrypt -in pkcs1.pem -out pkcs8.pem");
  }
  static void TearDownTestSuite() { delete dir_; }

  static void sh(const std::string& cmd) {
    auto r = run("cd " + dir_->path().string() + " && " + cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  }
  static std::string file(const std::string& name) {
    return read_file((dir_->path() / name).string());
  }

  // What `openssl dgst -verify` says of the JWT's signature.
  static bool openssl_verifies(const std::string& jwt) {
    auto parts = split_jwt(jwt);
    dir_->write("signed.txt", parts[0] + "." + parts[1]);
    dir_->write("sig.bin", base64url_decode(parts[2]));
    auto r = run("cd " + dir_->path().string() +
                 " && openssl dgst -sha256 -verify pub.pem -signature sig.bin signed.txt");
    return r.exit_code == 0 && r.out.find("Verified OK") != std::string::npos;
  }

  static TempDir* dir_;
};
TempDir* AppJwt::dir_ = nullptr;

constexpr std::int64_t kNow = 1700000000;

TEST_F(AppJwt, Pkcs1KeySignsVerifiableJwt) {
  auto signer = gh::AppJwtSigner::from_pem("12345", file("pkcs1.pem"));
  std::string jwt = signer.sign(kNow);
  auto parts = split_jwt(jwt);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(jwt.find_first_of("=+/ \n"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(base64url_decode(parts[0])),
            nlohmann::json({{"alg", "RS256"}, {"typ", "JWT"}}));
  auto claims = nlohmann::json::parse(base64url_decode(parts[1]));
  EXPECT_EQ(claims, nlohmann::json({{"iat", kNow - 60}, {"exp", kNow + 540}, {"iss", "12345"}}));
  EXPECT_LE(claims["exp"].get<std::int64_t>() - kNow, 600);  // GitHub's 10-minute cap
  EXPECT_TRUE(openssl_verifies(jwt));
}

TEST_F(AppJwt, Pkcs8KeyAndClientIdIssuer) {
  auto signer = gh::AppJwtSigner::from_pem("Iv1.0123abcd", file("pkcs8.pem"));
  std::string jwt = signer.sign(kNow);
  auto claims = nlohmann::json::parse(base64url_decode(split_jwt(jwt)[1]));
  EXPECT_EQ(claims["iss"], "Iv1.0123abcd");
  EXPECT_TRUE(openssl_verifies(jwt));
}

TEST_F(AppJwt, TamperedJwtFailsOpensslVerification) {
  auto signer = gh::AppJwtSigner::from_pem("12345", file("pkcs1.pem"));
  auto parts = split_jwt(signer.sign(kNow));
  std::string forged = split_jwt(signer.sign(kNow + 1))[1];
  EXPECT_FALSE(openssl_verifies(parts[0] + "." + forged + "." + parts[2]));
}

TEST_F(AppJwt, SignIsSafeFromManyThreads) {
  auto signer = gh::AppJwtSigner::from_pem("12345", file("pkcs1.pem"));
  std::vector<std::future<std::string>> jwts;
  for (int i = 0; i < 8; ++i)
    jwts.push_back(std::async(std::launch::async, [&] { return signer.sign(kNow); }));
  std::string first = jwts[0].get();
  for (size_t i = 1; i < jwts.size(); ++i)
    EXPECT_EQ(jwts[i].get(), first);  // PKCS#1 v1.5 signatures are deterministic
}

// The message must say what is wrong and must not leak any of the key.
void expect_key_error(const std::string& pem, const std::string& says) {
  try {
    gh::AppJwtSigner::from_pem("12345", pem);
    ADD_FAILURE() << "accepted a bad key; expected: " << says;
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_TRUE(what.starts_with("GitHub App private key: ")) << what;
    EXPECT_NE(what.find(says), std::string::npos) << what;
    std::istringstream lines(pem);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() >= 16 && !line.starts_with("-----")) {
        EXPECT_EQ(what.find(line.substr(0, 16)), std::string::npos) << what;
      }
    }
  }
}

TEST_F(AppJwt, BadKeysAreRejectedWithoutEchoingThem) {
  std::string good = file("pkcs1.pem");
  expect_key_error("", "no PEM block");
  expect_key_error("MIIEowIBAAKCAQEAvQ3k2Xl1c0nqz5bq", "no PEM block");
  expect_key_error(file("pub.pem"), "no private key");
  std::string corrupt = good;
  corrupt.replace(corrupt.find('\n') + 40, 20, "AAAAAAAAAAAAAAAAAAAA");
  expect_key_error(corrupt, "damaged");
  std::string truncated = good.substr(0, good.size() / 2) + "-----END RSA PRIVATE KEY-----\n";
  expect_key_error(truncated, "cannot parse");

  sh("openssl genrsa -aes256 -passout pass:hunter2 -out enc.pem 2048");
  expect_key_error(file("enc.pem"), "encrypted");
  sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem");
  expect_key_error(file("ec.pem"), "not an RSA key");
  sh("openssl genrsa -traditional -out small.pem 1024");
  expect_key_error(file("small.pem"), "1024 bits");
}

TEST_F(AppJwt, BadAppIdRejected) {
  EXPECT_THROW(gh::AppJwtSigner::from_pem("", file("pkcs1.pem")), std::runtime_error);
  EXPECT_THROW(gh::AppJwtSigner::from_pem("12 345", file("pkcs1.pem")), std::runtime_error);
}

TEST(ParseGithubTime, Valid) {
  EXPECT_EQ(gh::parse_github_time("2016-07-11T22:14:10Z"), 1468275250);
  EXPECT_EQ(gh::parse_github_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(gh::parse_github_time("2024-02-29T23:59:59Z"), 1709251199);
  EXPECT_EQ(gh::parse_github_time("2099-12-31T00:00:00Z"), 4102358400);
  EXPECT_EQ(gh::parse_github_time("2016-07-11T22:14:10.123Z"), 1468275250);
  EXPECT_EQ(gh::parse_github_time("2016-07-12T00:14:10+02:00"), 1468275250);
  EXPECT_EQ(gh::parse_github_time("2016-07-11T17:14:10-05:00"), 1468275250);
}

TEST(ParseGithubTime, Invalid) {
  for (const char* bad : {"", "2016-07-11", "2016-07-11T22:14:10", "2016-07-11 22:14:10Z",
                          "2016-7-11T22:14:10Z", "2016-07-11T22:14:10Zjunk",
                          "2016-02-30T00:00:00Z", "2015-02-29T00:00:00Z",
                          "2016-13-01T00:00:00Z", "2016-07-11T24:00:00Z",
                          "2016-07-11T22:60:00Z", "2016-07-11T22:14:60Z",
                          "2016-07-11T22:14:10.Z", "2016-07-11T22:14:10+0200",
                          "2016-07-11T22:14:10+24:00", "+016-07-11T22:14:10Z",
                          "2016-07-11t22:14:10z"})
    EXPECT_THROW(gh::parse_github_time(bad), std::runtime_error) << bad;
}

struct FakeClock : gh::Clock {
  std::atomic<std::int64_t> t{kNow};
  std::int64_t now() const override { return t; }
};

// A fetch that hands out "tok-<id>-<n>" valid for an hour from `clock`.
struct CountingFetch {
  const FakeClock& clock;
  std::atomic<int> calls{0};
  gh::TokenCache::Fetch fn() {
    return [this](std::int64_t id) {
      int n = ++calls;
      return gh::InstallationToken{"tok-" + std::to_string(id) + "-" + std::to_string(n),
                                   clock.now() + 3600};
    };
  }
};

TEST(TokenCache, CachesUntilFiveMinutesBeforeExpiry) {
  FakeClock clock;
  CountingFetch fetch{clock};
  gh::TokenCache cache(fetch.fn(), clock);
  EXPECT_EQ(cache.get(7), "tok-7-1");
  clock.t = kNow + 3600 - 301;
  EXPECT_EQ(cache.get(7), "tok-7-1");
  clock.t = kNow + 3600 - 300;
  EXPECT_EQ(cache.get(7), "tok-7-2");
  EXPECT_EQ(cache.get(7), "tok-7-2");
  EXPECT_EQ(fetch.calls, 2);
}

TEST(TokenCache, InstallationsAreSeparate) {
  FakeClock clock;
  CountingFetch fetch{clock};
  gh::TokenCache cache(fetch.fn(), clock);
  EXPECT_EQ(cache.get(1), "tok-1-1");
  EXPECT_EQ(cache.get(2), "tok-2-2");
  EXPECT_EQ(cache.get(1), "tok-1-1");
}

TEST(TokenCache, InvalidateForcesRefetch) {
  FakeClock clock;
  CountingFetch fetch{clock};
  gh::TokenCache cache(fetch.fn(), clock);
  cache.invalidate(3);  // nothing cached yet: harmless
  EXPECT_EQ(cache.get(3), "tok-3-1");
  EXPECT_EQ(cache.get(4), "tok-4-2");
  cache.invalidate(3);
  EXPECT_EQ(cache.get(3), "tok-3-3");
  EXPECT_EQ(cache.get(4), "tok-4-2");
}

TEST(TokenCache, FailedFetchCachesNothing) {
  FakeClock clock;
  int calls = 0;
  gh::TokenCache cache(
      [&](std::int64_t) -> gh::InstallationToken {
        if (++calls == 1) throw std::runtime_error("HTTP 502");
        return {"tok", clock.now() + 3600};
      },
      clock);
  EXPECT_THROW(cache.get(1), std::runtime_error);
  EXPECT_EQ(cache.get(1), "tok");
  EXPECT_EQ(calls, 2);
}

TEST(TokenCache, EmptyTokenIsAnError) {
  FakeClock clock;
  gh::TokenCache cache([&](std::int64_t) { return gh::InstallationToken{"", kNow + 3600}; },
                       clock);
  EXPECT_THROW(cache.get(1), std::runtime_error);
}

TEST(TokenCache, LongOpaqueTokensPassThrough) {
  FakeClock clock;
  std::string token = "ghs_12345_" + std::string(250, 'a') + ".b-c_" + std::string(255, 'Z');
  gh::TokenCache cache([&](std::int64_t) { return gh::InstallationToken{token, kNow + 3600}; },
                       clock);
  EXPECT_EQ(cache.get(1), token);
}

TEST(TokenCache, ConcurrentGetsShareOneFetch) {
  FakeClock clock;
  std::atomic<int> calls{0};
  gh::TokenCache cache(
      [&](std::int64_t) {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return gh::InstallationToken{"shared", clock.now() + 3600};
      },
      clock);
  std::latch start(8);
  std::vector<std::future<std::string>> got;
  for (int i = 0; i < 8; ++i)
    got.push_back(std::async(std::launch::async, [&] {
      start.arrive_and_wait();
      return cache.get(42);
    }));
  for (auto& g : got) EXPECT_EQ(g.get(), "shared");
  EXPECT_EQ(calls, 1);
}

TEST(TokenCache, SlowFetchDoesNotBlockOtherInstallations) {
  FakeClock clock;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  gh::TokenCache cache(
      [&](std::int64_t id) {
        // Bounded wait, so a regression fails the test instead of hanging.
        if (id == 1) released.wait_for(std::chrono::seconds(5));
        return gh::InstallationToken{"tok" + std::to_string(id), clock.now() + 3600};
      },
      clock);
  auto slow = std::async(std::launch::async, [&] { return cache.get(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let it start fetching
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(cache.get(2), "tok2");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  release.set_value();
  EXPECT_EQ(slow.get(), "tok1");
}

}  // namespace
