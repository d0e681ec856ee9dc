// Computes a review from git objects: no checkout, no working tree.
#include <set>

#include "bot/analysis_options.h"
#include "bot/review.h"

namespace lockspan::bot {
namespace {

std::string dirname(const std::string& path) {
  size_t cut = path.rfind('/');
  return cut == std::string::npos ? "" : path.substr(0, cut);
}

// "a/b/../c" -> "a/c"; nullopt when it climbs out of the repository.
std::optional<std::string> normalize(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Headers the changed files include, found in HEAD's tree, read as context:
// helpers returning guards and guard classes often live there. Cost grows
// with what the change includes, never with the repository's size.
void add_context(const git::Repository& repo, const std::string& head, const std::vector<std::string>& include_dirs,
                 std::vector<SourceFile>& files) {
  std::set<std::string> seen;
  for (const auto& f : files) seen.insert(f.path);
  size_t begin = 0;
  for (int level = 0; level < 2; ++level) {
    size_t end = files.size();
    for (size_t i = begin; i < end; ++i) {
      std::vector<std::string> roots = {dirname(files[i].path), ""};
      roots.insert(roots.end(), include_dirs.begin(), include_dirs.end());
      for (const auto& inc : included_paths(files[i].content)) {
        if (!is_cpp_path(inc) && inc.find('.') != std::string::npos) continue;
        for (const auto& root : roots) {
          auto path = normalize(root.empty() ? inc : root + "/" + inc);
          if (!path || seen.count(*path)) continue;
          auto content = repo.read_file(head, *path);
          if (!content) continue;
          seen.insert(*path);
          if (may_matter(*content)) files.push_back({*path, std::move(*content), /*report=*/false});
          break;
        }
      }
    }
    begin = end;
  }
}

config::RepoConfig base_config(const git::Repository& repo, const std::string& base_sha) {
  auto text = repo.read_file(base_sha, std::string(config::kRepoConfigPath));
  if (!text) return {};
  return config::parse_repo_config(*text, config::kRepoConfigPath);
}

}  // namespace

Review compute_review(const ReviewRequest& req) {
  git::Repository repo = git::Repository::open(req.repo_dir);
  std::string base = req.base.empty() ? repo.default_branch() : req.base;
  git::Change change = repo.diff(base, req.head);
  config::RepoConfig cfg = req.config ? *req.config : base_config(repo, change.base_sha);

  std::vector<std::string> include_dirs;
  for (size_t i = 0; i < cfg.compiler_args.size(); ++i) {
    const std::string& a = cfg.compiler_args[i];
    if (a == "-I" && i + 1 < cfg.compiler_args.size()) include_dirs.push_back(cfg.compiler_args[++i]);
    else if (a.starts_with("-I")) include_dirs.push_back(a.substr(2));
  }

  std::vector<SourceFile> files;
  std::vector<FileNote> notes;
  int cpp_changed = 0;
  for (const auto& f : change.files) {
    if (!is_cpp_path(f.path)) continue;
    ++cpp_changed;
    if (f.status == git::FileStatus::Deleted) continue;  // nothing left to hold a lock
    if (!config::path_selected(cfg, f.path)) {
      notes.push_back({f.path, "excluded", "excluded by " + std::string(config::kRepoConfigPath)});
    } else if (f.submodule) {
      notes.push_back({f.path, "skipped", "submodule"});
    } else if (f.symlink) {
      notes.push_back({f.path, "skipped", "symbolic link, not followed"});
    } else if (f.binary) {
      notes.push_back({f.path, "skipped", "binary file"});
    } else if (static_cast<size_t>(f.size) > req.max_file_bytes) {
      notes.push_back({f.path, "skipped", "larger than " + std::to_string(req.max_file_bytes >> 10) + " KiB"});
    } else if (f.added_lines.empty()) {
      continue;  // renamed or mode-changed only: no line of it is new
    } else if (auto content = repo.read_file(change.head_sha, f.path)) {
      files.push_back({f.path, std::move(*content), true});
    } else {
      notes.push_back({f.path, "error", "could not read the file at " + change.head_sha.substr(0, 12)});
    }
  }
  add_context(repo, change.head_sha, include_dirs, files);
  AnalyzeOptions options = options_from_config(cfg, req.jobs);
  options.max_file_bytes = req.max_file_bytes;
  AnalysisResult analysis = analyze(std::move(files), options);
  return compose_review(change, std::move(analysis), std::move(notes), cpp_changed, cfg.max_inline_comments,
                        req.report);
}

}  // namespace lockspan::bot
