// One bare repository per GitHub repository under LOCKSPAN_DATA_DIR, fetched
// incrementally through libgit2. The token travels only through the
// credential callback: never in a URL, a config file or a log line.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lockspan::bot {

class RepoCache {
 public:
  explicit RepoCache(std::string root);

  // Fetches `refspecs` from `url` into the mirror of `full_name` and checks
  // that every commit in `need` is present. Returns the mirror's path.
  // Throws std::runtime_error with a message free of secrets.
  std::string fetch(const std::string& full_name, const std::string& url, const std::string& token,
                    const std::vector<std::string>& refspecs, const std::vector<std::string>& need);

 private:
  std::string root_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

// Refspecs for a pull request: its head (works for forks) and its base branch.
std::vector<std::string> pull_refspecs(int number, const std::string& base_ref);

}  // namespace lockspan::bot
