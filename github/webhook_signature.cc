#include "github/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <optional>
#include <stdexcept>

namespace lockspan::github {
namespace {

constexpr std::string_view kPrefix = "sha256=";
constexpr size_t kDigestSize = 32;
using Digest = std::array<unsigned char, kDigestSize>;

std::optional<Digest> hmac_sha256(std::string_view key, std::string_view data) {
  // HMAC() treats a null key as "no key given" rather than an empty one,
  // so always hand it a real pointer.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  const auto* data_ptr = data.empty()
      ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  Digest out;
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()),
            data_ptr, data.size(), out.data(), &len) ||
      len != kDigestSize)
    return std::nullopt;
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Digest> decode_hex(std::string_view hex) {
  if (hex.size() != 2 * kDigestSize) return std::nullopt;
  Digest out;
  for (size_t i = 0; i < kDigestSize; ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace

bool verify_signature(std::string_view secret, std::string_view raw_body,
                      std::string_view header_value) {
  if (secret.empty() || !header_value.starts_with(kPrefix)) return false;
  std::optional<Digest> given = decode_hex(header_value.substr(kPrefix.size()));
  if (!given) return false;
  std::optional<Digest> expected = hmac_sha256(secret, raw_body);
  if (!expected) return false;
  // Comparing decoded bytes keeps the hex case out of it; CRYPTO_memcmp
  // takes the same time wherever the first difference is.
  return CRYPTO_memcmp(given->data(), expected->data(), kDigestSize) == 0;
}

std::string sign_body(std::string_view secret, std::string_view body) {
  std::optional<Digest> digest = hmac_sha256(secret, body);
  if (!digest) throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
  static const char kHex[] = "0123456789abcdef";
  std::string out(kPrefix);
  for (unsigned char b : *digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

}  // namespace lockspan::github
