// Collects the files `lockspan analyze` reads from the file system: the
// paths given (directories searched recursively), plus headers they include
// that can be found, read as context for helpers and guard classes.
#pragma once

#include <string>
#include <vector>

#include "analysis/analyzer.h"

namespace lockspan::bot {

struct CollectedSources {
  std::vector<SourceFile> files;       // reported inputs first, then context headers
  std::vector<FileResult> unreadable;  // paths that could not be read, with why
};

CollectedSources collect_sources(const std::vector<std::string>& paths,
                                 const std::vector<std::string>& include_dirs);

// -I dirs named in extra compiler arguments ("-Ifoo", "-I", "foo", "-isystem", "foo").
std::vector<std::string> include_dirs_from_args(const std::vector<std::string>& args);

}  // namespace lockspan::bot
