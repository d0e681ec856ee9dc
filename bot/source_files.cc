#include "bot/source_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace lockspan::bot {
namespace fs = std::filesystem;
namespace {

bool read_file(const fs::path& p, std::string& out, std::string& why) {
  std::error_code ec;
  if (!fs::exists(p, ec)) {
    why = "no such file or directory";
    return false;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    why = "cannot open for reading";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return false;
  }
  out = ss.str();
  return true;
}

}  // namespace

std::vector<std::string> include_dirs_from_args(const std::vector<std::string>& args) {
  std::vector<std::string> dirs;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    for (std::string_view flag : {"-I", "-isystem", "-iquote"}) {
      if (a == flag && i + 1 < args.size()) dirs.push_back(args[++i]);
      else if (a.size() > flag.size() && a.starts_with(flag)) dirs.push_back(a.substr(flag.size()));
    }
  }
  return dirs;
}

CollectedSources collect_sources(const std::vector<std::string>& paths,
                                 const std::vector<std::string>& include_dirs) {
  CollectedSources out;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p, const std::string& shown, bool report) {
    std::string key = fs::weakly_canonical(p).string();
    if (!seen.insert(key).second) return;
    SourceFile f;
    f.path = shown;
    f.report = report;
    std::string why;
    if (!read_file(p, f.content, why)) {
      if (report) out.unreadable.push_back({shown, FileStatus::Error, why});
      return;
    }
    out.files.push_back(std::move(f));
  };
  for (const auto& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      out.unreadable.push_back({path, FileStatus::Error, "no such file or directory"});
    } else if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && is_cpp_path(it->path().string())) found.push_back(it->path().string());
      }
      if (ec) out.unreadable.push_back({path, FileStatus::Error, "cannot list directory: " + ec.message()});
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f, f, true);
    } else {
      add(path, path, true);
    }
  }
  // Headers the inputs include, when they can be found: helpers and guard
  // classes often live there. Two levels deep is enough for that.
  size_t begin = 0;
  for (int level = 0; level < 2; ++level) {
    size_t end = out.files.size();
    for (size_t i = begin; i < end; ++i) {
      fs::path dir = fs::path(out.files[i].path).parent_path();
      for (const auto& inc : included_paths(out.files[i].content)) {
        std::vector<fs::path> candidates = {dir / inc};
        for (const auto& d : include_dirs) candidates.push_back(fs::path(d) / inc);
        for (const auto& c : candidates) {
          std::error_code ec;
          if (fs::is_regular_file(c, ec)) {
            add(c, c.lexically_normal().string(), false);
            break;
          }
        }
      }
    }
    begin = end;
  }
  return out;
}

}  // namespace lockspan::bot
