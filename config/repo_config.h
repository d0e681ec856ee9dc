// Per-repository configuration, read from .github/lockspan.yml.
//
// The file is optional and every key in it is optional; anything the bot
// does not understand is rejected with a positioned error rather than
// ignored, so a typo never silently disables a rule.

#ifndef LOCKSPAN_CONFIG_REPO_CONFIG_H_
#define LOCKSPAN_CONFIG_REPO_CONFIG_H_

#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lockspan::config {

inline constexpr std::string_view kRepoConfigPath = ".github/lockspan.yml";

enum class Severity { Error, Warning, Notice, Off };

/// Accepts exactly "error", "warning", "notice" or "off" (case-sensitive).
std::optional<Severity> parse_severity(std::string_view text);
std::string_view to_string(Severity severity);

/// Rule ids a config may mention under `rules:`.
std::span<const std::string_view> known_rule_ids();

/// Extra lock types, as fully qualified names written in code,
/// e.g. "my::SpinLock". They extend the built-in lists, not replace them.
struct LockTypes {
  std::vector<std::string> blocking_mutexes;  // thread-bound mutex types
  std::vector<std::string> async_mutexes;     // coroutine-aware mutex types
  std::vector<std::string> blocking_guards;   // RAII guards over thread-bound locks
  std::vector<std::string> async_guards;      // RAII guards/permits over coroutine-aware locks
};

struct RepoConfig {
  std::vector<std::string> include;  // globs relative to repo root; empty = everything
  std::vector<std::string> exclude;
  LockTypes locks;
  std::map<std::string, Severity> rule_severity;  // rule id -> severity override
  int max_inline_comments = 25;
  std::vector<std::string> compiler_args;
};

/// what() is "FILE:LINE:COL: KEY: message" with 1-based LINE and COL.
/// KEY is a dotted path such as "rules.lock-across-suspend" or
/// "paths.include[2]"; it is empty (and its ": " omitted from what()) for
/// errors not tied to a key, such as malformed YAML.
struct ConfigError : std::runtime_error {
  ConfigError(std::string file, int line, int column, std::string key,
              std::string message);

  std::string file;
  int line;
  int column;
  std::string key;
  std::string message;
};

/// Parses YAML text. `source_name` names the file in errors. Empty text or
/// an empty document yields the defaults. Throws ConfigError.
RepoConfig parse_repo_config(std::string_view yaml_text,
                             std::string_view source_name);

/// True when `path` (repo-relative, '/'-separated) is selected: it matches
/// some include pattern (or include is empty) and no exclude pattern.
bool path_selected(const RepoConfig& config, std::string_view path);

/// Glob match against a repo-relative path.
///   '*'  any run of characters within one path segment
///   '**' as a whole segment, any number of segments (including zero)
///   '?'  one character other than '/'
/// As in .gitignore, a pattern with no '/' except a trailing one matches at
/// any depth ("*.pb.cc" matches "a/b/x.pb.cc"), a leading '/' only anchors
/// to the root, and a trailing '/' matches everything below a directory.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace lockspan::config

#endif  // LOCKSPAN_CONFIG_REPO_CONFIG_H_
