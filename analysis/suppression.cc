#include "analysis/suppression.h"

#include <string>

namespace lockspan {
namespace {

bool glob(std::string_view pat, std::string_view s) {
  if (pat.empty()) return s.empty();
  if (pat[0] == '*') {
    for (size_t i = 0; i <= s.size(); ++i)
      if (glob(pat.substr(1), s.substr(i))) return true;
    return false;
  }
  return !s.empty() && pat[0] == s[0] && glob(pat.substr(1), s.substr(1));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Finds `marker` followed by an optional "(list)"; returns whether `rule` is covered.
bool marker_covers(std::string_view text, std::string_view marker, std::string_view rule) {
  for (size_t pos = text.find(marker); pos != std::string_view::npos; pos = text.find(marker, pos + 1)) {
    std::string_view rest = text.substr(pos + marker.size());
    // NOLINT must not be read inside NOLINTNEXTLINE / NOLINTBEGIN / NOLINTEND.
    if (marker == "NOLINT" && (rest.starts_with("NEXTLINE") || rest.starts_with("BEGIN") || rest.starts_with("END")))
      continue;
    if (rest.empty() || rest[0] != '(') return true;
    size_t close = rest.find(')');
    if (close == std::string_view::npos) return true;
    if (check_list_covers(rest.substr(1, close - 1), rule)) return true;
  }
  return false;
}

}  // namespace

bool check_list_covers(std::string_view list, std::string_view rule) {
  std::string own = "lockspan-" + std::string(rule);
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (item == "lockspan" || glob(item, own) || glob(item, "cppcoreguidelines-no-suspend-with-lock") ||
        glob(item, "misc-coroutine-hostile-raii"))
      return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

Suppressions::Suppressions(std::string_view source) : source_(source) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < source.size(); ++i)
    if (source[i] == '\n') line_starts_.push_back(i + 1);
}

std::string_view Suppressions::line(int n) const {
  if (n < 1 || static_cast<size_t>(n) > line_starts_.size()) return {};
  size_t begin = line_starts_[n - 1];
  size_t end = static_cast<size_t>(n) < line_starts_.size() ? line_starts_[n] : source_.size();
  return source_.substr(begin, end - begin);
}

bool Suppressions::region_suppressed(int target, std::string_view rule) const {
  if (source_.find("NOLINTBEGIN") == std::string_view::npos) return false;
  int open = 0;
  for (int n = 1; n < target; ++n) {
    std::string_view l = line(n);
    if (marker_covers(l, "NOLINTBEGIN", rule)) ++open;
    if (marker_covers(l, "NOLINTEND", rule) && open > 0) --open;
  }
  return open > 0;
}

bool Suppressions::suppressed(int n, std::string_view rule) const {
  if (marker_covers(line(n), "NOLINT", rule)) return true;
  if (marker_covers(line(n - 1), "NOLINTNEXTLINE", rule)) return true;
  return region_suppressed(n, rule);
}

}  // namespace lockspan
