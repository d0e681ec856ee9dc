// NOLINT comments, read the way clang-tidy reads them: NOLINT on the line,
// NOLINTNEXTLINE on the line before, NOLINTBEGIN / NOLINTEND around a region,
// each with an optional list of check names (globs allowed).
#pragma once

#include <string_view>
#include <vector>

namespace lockspan {

class Suppressions {
 public:
  explicit Suppressions(std::string_view source);
  // True when `rule` is suppressed on 1-based `line`.
  bool suppressed(int line, std::string_view rule) const;

 private:
  std::string_view source_;
  std::vector<size_t> line_starts_;
  std::string_view line(int n) const;
  bool region_suppressed(int line, std::string_view rule) const;
};

// Whether a NOLINT check list such as "lockspan, bugprone-*" covers `rule`.
bool check_list_covers(std::string_view list, std::string_view rule);

}  // namespace lockspan
