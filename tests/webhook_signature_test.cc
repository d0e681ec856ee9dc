// Webhook signatures against GitHub's published vector and, for arbitrary
// bodies, against the openssl command line as an independent HMAC.

#include "github/webhook_signature.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <utility>

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

// From GitHub's "Validating webhook deliveries" page.
constexpr std::string_view kSecret = "It's a Secret to Everybody";
constexpr std::string_view kBody = "Hello, World!";
constexpr std::string_view kSignature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// "sha256=<hex>" computed by `openssl dgst`, from a file so any bytes pass.
std::string openssl_sign(std::string_view secret, const std::string& body) {
  TempDir dir;
  std::string path = dir.write("body", body);
  auto r = run("openssl dgst -sha256 -r -hmac " + shell_quote(secret) + " " +
               shell_quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return "sha256=" + r.out.substr(0, r.out.find(' '));
}

}  // namespace

TEST(WebhookSignature, GitHubPublishedVector) {
  EXPECT_EQ(gh::sign_body(kSecret, kBody), kSignature);
  EXPECT_TRUE(gh::verify_signature(kSecret, kBody, kSignature));
}

TEST(WebhookSignature, UppercaseHexAccepted) {
  std::string upper(kSignature);
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = std::toupper(upper[i]);
  EXPECT_TRUE(gh::verify_signature(kSecret, kBody, upper));
}

TEST(WebhookSignature, TamperedBodyRejected) {
  EXPECT_FALSE(gh::verify_signature(kSecret, "Hello, World?", kSignature));
  EXPECT_FALSE(gh::verify_signature(kSecret, "Hello, World! ", kSignature));
  EXPECT_FALSE(gh::verify_signature(kSecret, "", kSignature));
}

TEST(WebhookSignature, WrongSecretRejected) {
  EXPECT_FALSE(gh::verify_signature("It's a secret to everybody", kBody, kSignature));
  EXPECT_FALSE(gh::verify_signature("", kBody, kSignature));
}

TEST(WebhookSignature, EveryFlippedDigitRejected) {
  std::string sig(kSignature);
  for (size_t i = 7; i < sig.size(); ++i) {
    std::string bad = sig;
    bad[i] = bad[i] == '0' ? '1' : '0';
    EXPECT_FALSE(gh::verify_signature(kSecret, kBody, bad)) << i;
  }
}

TEST(WebhookSignature, MalformedHeadersRejected) {
  std::string hex(kSignature.substr(7));
  const std::string cases[] = {
      "",
      hex,                                   // no prefix
      "sha1=" + hex,                         // legacy algorithm
      "SHA256=" + hex,                       // GitHub's prefix is lowercase
      " sha256=" + hex,
      "sha256=" + hex + " ",
      "sha256=" + hex.substr(0, 63),         // too short
      "sha256=" + hex + "0",                 // too long
      "sha256=" + hex.substr(0, 62) + "zz",  // not hex
      "sha256=" + hex.substr(0, 62) + "1",   // odd length
      "sha256=",
      "sha256=" + std::string(64, ' '),
  };
  for (const auto& header : cases)
    EXPECT_FALSE(gh::verify_signature(kSecret, kBody, header)) << '"' << header << '"';
}

TEST(WebhookSignature, EmbeddedNulInHexRejected) {
  std::string header(kSignature);
  header[20] = '\0';
  EXPECT_FALSE(gh::verify_signature(kSecret, kBody, header));
}

TEST(WebhookSignature, MatchesOpensslCommandLine) {
  std::string binary("{\"a\":1}\n\0\xff\xfe tail", 15);
  const std::pair<std::string, std::string> cases[] = {
      {std::string(kSecret), std::string(kBody)},
      {"s3cr3t with spaces & $hell chars", R"({"action":"opened","number":1})"},
      {"k", binary},
      {"k", ""},
      {std::string(200, 'x'), std::string(100000, 'y')},  // key longer than a block
  };
  for (const auto& [secret, body] : cases) {
    std::string expected = openssl_sign(secret, body);
    EXPECT_EQ(gh::sign_body(secret, body), expected);
    EXPECT_TRUE(gh::verify_signature(secret, body, expected));
  }
}
