// The analysis entry point: sources in, findings and file statuses out. It
// reads nothing from disk; callers hand it file contents (from the file
// system, from git objects), so the same core serves every front door.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/lock_catalog.h"

namespace lockspan {

struct SourceFile {
  std::string path;
  std::string content;
  bool report = true;  // false: only read for helpers, guard classes and types
};

struct AnalyzeOptions {
  int jobs = 1;                                        // 0: one per core
  LockCatalog catalog = LockCatalog::builtin();
  std::map<std::string, std::optional<Severity>> severity;  // rule -> override; nullopt turns it off
  size_t max_file_bytes = 16u << 20;
};

struct AnalysisResult {
  std::vector<Finding> findings;   // sorted by path, line, column, rule
  std::vector<FileResult> files;   // one per reported input, in input order
};

AnalysisResult analyze(std::vector<SourceFile> files, const AnalyzeOptions& options);

// Whether a file can contain anything the analysis reports or needs; cheap,
// so callers can skip reading context files that cannot matter.
bool may_matter(std::string_view content);

// True for the extensions analyzed as C or C++.
bool is_cpp_path(std::string_view path);

// The paths named by #include "..." and #include <...>, as written.
std::vector<std::string> included_paths(std::string_view content);

}  // namespace lockspan
