// Checks the X-Hub-Signature-256 header GitHub puts on every webhook
// delivery: "sha256=" followed by the hex HMAC-SHA256 of the raw body,
// keyed by the App's webhook secret.
//
// Verify the bytes exactly as received, before any JSON parsing: a body
// that was re-serialised no longer matches its signature.

#ifndef LOCKSPAN_GITHUB_WEBHOOK_SIGNATURE_H_
#define LOCKSPAN_GITHUB_WEBHOOK_SIGNATURE_H_

#include <string>
#include <string_view>

namespace lockspan::github {

/// True when `header_value` is "sha256=<64 hex digits>" (either case) and
/// matches the HMAC of `raw_body`. The comparison is constant-time. An
/// empty secret never verifies: anyone could forge a signature with it.
bool verify_signature(std::string_view secret, std::string_view raw_body,
                      std::string_view header_value);

/// "sha256=<64 lowercase hex digits>", as GitHub would send it; for tests
/// and tools that replay deliveries.
std::string sign_body(std::string_view secret, std::string_view body);

}  // namespace lockspan::github

#endif  // LOCKSPAN_GITHUB_WEBHOOK_SIGNATURE_H_
