#include "config/repo_config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <set>
#include <utility>

#include <yaml-cpp/yaml.h>

namespace lockspan::config {

namespace {

constexpr std::array<std::string_view, 3> kKnownRules = {
    "lock-across-suspend",
    "lock-await-deadlock",
    "async-lock-across-suspend",
};

constexpr int kMaxInlineCommentsLimit = 1000;

std::string format_error(const std::string& file, int line, int column,
                         const std::string& key, const std::string& message) {
  std::string out = file + ":" + std::to_string(line) + ":" +
                    std::to_string(column) + ": ";
  if (!key.empty())
    out += key + ": ";
  return out + message;
}

using Names = std::initializer_list<std::string_view>;

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// "(did you mean 'x'? KNOWN_LABEL: a, b)" -- the suggestion only when a
/// candidate is within two edits, which catches typos but not guesses.
template <typename Range>
std::string unknown_detail(std::string_view word, const Range& candidates,
                           std::string_view known_label) {
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  std::string out = "(";
  if (!best.empty())
    out += "did you mean '" + std::string(best) + "'? ";
  out += std::string(known_label) + ":";
  std::string_view separator = " ";
  for (std::string_view candidate : candidates) {
    out += std::string(separator) + std::string(candidate);
    separator = ", ";
  }
  return out + ")";
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    default: return "nothing";
  }
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

/// Walks the parsed document, turning every problem into a ConfigError
/// that points at the offending node.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& key,
                         const std::string& message) const {
    // yaml-cpp uses -1 for "no position"; report the file start instead.
    int line = mark.line < 0 ? 1 : mark.line + 1;
    int column = mark.column < 0 ? 1 : mark.column + 1;
    throw ConfigError(source_, line, column, key, message);
  }

  /// Calls `visit(key, key_node, value)` for each entry of a mapping after
  /// rejecting non-string and duplicate keys, and keys not in `allowed`
  /// unless it is empty (the caller then checks keys itself).
  template <typename Visit>
  void for_each_entry(const YAML::Node& map, const std::string& path,
                      Names allowed, Visit visit) const {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const YAML::Node& key_node = entry.first;
      if (!key_node.IsScalar())
        fail(key_node.Mark(), path, "keys must be strings, got " +
                                        describe(key_node));
      const std::string& key = key_node.Scalar();
      std::string key_path = child_path(path, key);
      if (allowed.size() > 0 &&
          std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(key_node.Mark(), key_path,
             "unknown key " + unknown_detail(key, allowed, "expected one of"));
      if (!seen.insert(key).second)
        fail(key_node.Mark(), key_path, "duplicate key");
      visit(key, key_node, entry.second);
    }
  }

  /// Null means the key was written with nothing under it (typically all
  /// children commented out), which reads as "use the defaults".
  bool expect_mapping(const YAML::Node& value, const std::string& path) const {
    if (value.IsNull())
      return false;
    if (!value.IsMap())
      fail(value.Mark(), path, "expected a mapping, got " + describe(value));
    return true;
  }

  std::vector<std::string> string_list(const YAML::Node& value,
                                       const std::string& path) const {
    std::vector<std::string> out;
    if (value.IsNull())
      return out;
    if (!value.IsSequence()) {
      std::string hint = value.IsScalar()
          ? " (write [\"" + value.Scalar() + "\"] for a single entry)" : "";
      fail(value.Mark(), path,
           "expected a list of strings, got " + describe(value) + hint);
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const YAML::Node& item = value[i];
      std::string item_path = path + "[" + std::to_string(i) + "]";
      // yaml-cpp marks an empty entry at the token after it, so point at
      // the list instead and let the index in the key say which entry.
      if (!item.IsScalar())
        fail(item.IsNull() ? value.Mark() : item.Mark(), item_path,
             "expected a string, got " + describe(item));
      if (is_blank(item.Scalar()))
        fail(item.Mark(), item_path, "empty string is not allowed");
      out.push_back(item.Scalar());
    }
    return out;
  }

  Severity severity(const YAML::Node& key_node, const YAML::Node& value,
                    const std::string& path) const {
    static constexpr std::array<std::string_view, 4> kSeverities = {
        "error", "warning", "notice", "off"};
    if (!value.IsScalar())
      fail(value.IsNull() ? key_node.Mark() : value.Mark(), path,
           "expected a severity (error|warning|notice|off), got " +
               describe(value));
    if (std::optional<Severity> parsed = parse_severity(value.Scalar()))
      return *parsed;
    fail(value.Mark(), path,
         "unknown severity '" + value.Scalar() + "' " +
             unknown_detail(value.Scalar(), kSeverities, "expected one of"));
  }

  int bounded_int(const YAML::Node& key_node, const YAML::Node& value,
                  const std::string& path, int min, int max) const {
    std::string range =
        "an integer " + std::to_string(min) + ".." + std::to_string(max);
    // A quoted scalar (tag "!") is a string in YAML even if it looks
    // numeric; only plain ("?") or !!int scalars count as integers.
    bool string_tag = value.IsScalar() && value.Tag() != "?" &&
                      value.Tag() != "tag:yaml.org,2002:int";
    if (!value.IsScalar() || string_tag)
      fail(value.IsNull() ? key_node.Mark() : value.Mark(), path,
           "expected " + range + ", got " +
               (string_tag ? "a string" : describe(value)));
    const std::string& text = value.Scalar();
    long long number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                     number);
    if (ec == std::errc::invalid_argument || end != text.data() + text.size())
      fail(value.Mark(), path, "expected " + range + ", got " + describe(value));
    if (ec == std::errc::result_out_of_range || number < min || number > max)
      fail(value.Mark(), path, text + " is out of range (expected " + range + ")");
    return static_cast<int>(number);
  }

  void paths(const YAML::Node& value, RepoConfig* config) const {
    if (!expect_mapping(value, "paths"))
      return;
    for_each_entry(value, "paths", {"include", "exclude"},
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& v) {
      auto& target = key == "include" ? config->include : config->exclude;
      target = string_list(v, "paths." + key);
    });
  }

  /// `locks:` and `guards:` share a shape: a blocking and an async list.
  void lock_lists(const YAML::Node& value, const std::string& path,
                  std::vector<std::string>* blocking,
                  std::vector<std::string>* async) const {
    if (!expect_mapping(value, path))
      return;
    for_each_entry(value, path, {"blocking", "async"},
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& v) {
      *(key == "blocking" ? blocking : async) =
          string_list(v, path + "." + key);
    });
  }

  void rules(const YAML::Node& value, RepoConfig* config) const {
    if (!expect_mapping(value, "rules"))
      return;
    // Rule ids are checked here rather than via `allowed` so the message
    // says "rule id", which is what the user got wrong.
    for_each_entry(value, "rules", {},
                   [&](const std::string& key, const YAML::Node& k,
                       const YAML::Node& v) {
      std::string path = "rules." + key;
      if (std::find(kKnownRules.begin(), kKnownRules.end(), key) ==
          kKnownRules.end())
        fail(k.Mark(), path,
             "unknown rule id " + unknown_detail(key, kKnownRules, "known"));
      config->rule_severity[key] = severity(k, v, path);
    });
  }

  void review(const YAML::Node& value, RepoConfig* config) const {
    if (!expect_mapping(value, "review"))
      return;
    for_each_entry(value, "review", {"max_inline_comments"},
                   [&](const std::string& key, const YAML::Node& k,
                       const YAML::Node& v) {
      config->max_inline_comments = bounded_int(
          k, v, "review." + key, 0, kMaxInlineCommentsLimit);
    });
  }

  void document(const YAML::Node& root, RepoConfig* config) const {
    if (!root.IsMap())
      fail(root.Mark(), "",
           "expected a mapping at the top level, got " + describe(root));
    Names sections = {"paths", "locks", "guards", "rules", "review",
                      "compiler_args"};
    for_each_entry(root, "", sections,
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& v) {
      if (key == "paths") {
        paths(v, config);
      } else if (key == "locks") {
        lock_lists(v, key, &config->locks.blocking_mutexes,
                   &config->locks.async_mutexes);
      } else if (key == "guards") {
        lock_lists(v, key, &config->locks.blocking_guards,
                   &config->locks.async_guards);
      } else if (key == "rules") {
        rules(v, config);
      } else if (key == "review") {
        review(v, config);
      } else {
        config->compiler_args = string_list(v, key);
      }
    });
  }

 private:
  std::string source_;
};

std::vector<YAML::Node> load_documents(std::string_view text,
                                       const Reader& reader) {
  try {
    return YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {  // ParserException and kin
    std::string message = e.msg;
    // An unquoted leading '*' is YAML alias syntax, the usual way a glob
    // like *.pb.cc breaks the parse.
    if (message.find("anchor") != std::string::npos)
      message += " (quote glob patterns that start with '*', e.g. \"*.pb.cc\")";
    reader.fail(e.mark, "", message);
  }
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, int column,
                         std::string key, std::string message)
    : std::runtime_error(format_error(file, line, column, key, message)),
      file(std::move(file)),
      line(line),
      column(column),
      key(std::move(key)),
      message(std::move(message)) {}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::Error;
  if (text == "warning") return Severity::Warning;
  if (text == "notice") return Severity::Notice;
  if (text == "off") return Severity::Off;
  return std::nullopt;
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Notice: return "notice";
    case Severity::Off: return "off";
  }
  return "unknown";
}

std::span<const std::string_view> known_rule_ids() {
  return kKnownRules;
}

RepoConfig parse_repo_config(std::string_view yaml_text,
                             std::string_view source_name) {
  Reader reader(source_name);
  std::vector<YAML::Node> documents = load_documents(yaml_text, reader);
  RepoConfig config;
  if (documents.size() > 1)
    reader.fail(documents[1].Mark(), "",
                "expected a single YAML document, found " +
                    std::to_string(documents.size()));
  if (documents.empty() || documents[0].IsNull())
    return config;
  reader.document(documents[0], &config);
  return config;
}

namespace {

/// Single-backtrack wildcard matching, shared by the two levels of a glob:
/// '*' over the characters of a segment and "**" over the segments of a
/// path. Linear-ish, unlike naive recursion, for patterns with many stars.
template <typename Seq, typename IsStar, typename Matches>
bool wildcard_match(const Seq& pattern, const Seq& text, IsStar is_star,
                    Matches matches) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && is_star(pattern[p])) {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && matches(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && is_star(pattern[p]))
    ++p;
  return p == pattern.size();
}

bool segment_match(std::string_view pattern, std::string_view text) {
  return wildcard_match(
      pattern, text, [](char c) { return c == '*'; },
      [](char p, char t) { return p == '?' || p == t; });
}

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = std::min(path.find('/', start), path.size());
    if (slash > start)  // collapse "a//b" and ignore edge slashes
      out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  bool directory = !pattern.empty() && pattern.back() == '/';
  if (directory)
    pattern.remove_suffix(1);
  if (pattern.empty())
    return false;
  bool anchored = pattern.find('/') != std::string_view::npos;
  std::vector<std::string_view> segments;
  if (!anchored)
    segments.push_back("**");
  for (std::string_view segment : split_segments(pattern))
    segments.push_back(segment);
  if (directory) {
    // "gen/" must not match a file named "gen", so require one more segment.
    segments.push_back("*");
    segments.push_back("**");
  }
  return wildcard_match(
      segments, split_segments(path),
      [](std::string_view segment) { return segment == "**"; },
      segment_match);
}

bool path_selected(const RepoConfig& config, std::string_view path) {
  auto matches = [&](const std::string& pattern) {
    return glob_match(pattern, path);
  };
  if (!config.include.empty() &&
      std::none_of(config.include.begin(), config.include.end(), matches))
    return false;
  return std::none_of(config.exclude.begin(), config.exclude.end(), matches);
}

}  // namespace lockspan::config
