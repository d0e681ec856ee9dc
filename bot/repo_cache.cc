#include "bot/repo_cache.h"

#include <git2.h>

#include <filesystem>
#include <stdexcept>

namespace lockspan::bot {
namespace {

struct Credentials {
  const std::string* token;
  int attempts = 0;
};

int credential_callback(git_credential** out, const char*, const char*, unsigned int allowed, void* payload) {
  auto* c = static_cast<Credentials*>(payload);
  // libgit2 asks again after a rejection; a second ask means the token is bad.
  if (++c->attempts > 2 || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_EAUTH;
  return git_credential_userpass_plaintext_new(out, "x-access-token", c->token->c_str());
}

std::string last_error(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown libgit2 error");
}

std::string safe_dir_name(const std::string& full_name) {
  std::string out;
  for (char c : full_name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '/';
  if (out.find("..") != std::string::npos || out.empty() || out[0] == '/')
    throw std::runtime_error("refusing repository name '" + full_name + "'");
  return out;
}

}  // namespace

std::vector<std::string> pull_refspecs(int number, const std::string& base_ref) {
  std::vector<std::string> specs = {"+refs/pull/" + std::to_string(number) + "/head:refs/lockspan/pull/" +
                                    std::to_string(number)};
  if (!base_ref.empty()) specs.push_back("+refs/heads/" + base_ref + ":refs/lockspan/base/" + base_ref);
  return specs;
}

RepoCache::RepoCache(std::string root) : root_(std::move(root)) {
  git_libgit2_init();
  // The mirrors are ours alone: no user's or system's git config (an unreadable
  // HOME, a credential helper, url.insteadOf) may change how they are fetched.
  for (git_config_level_t level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
                                   GIT_CONFIG_LEVEL_PROGRAMDATA})
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
  std::filesystem::create_directories(root_);
}

std::string RepoCache::fetch(const std::string& full_name, const std::string& url, const std::string& token,
                             const std::vector<std::string>& refspecs, const std::vector<std::string>& need) {
  std::string path = root_ + "/" + safe_dir_name(full_name) + ".git";
  std::shared_ptr<std::mutex> lock;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto& l = locks_[path];
    if (!l) l = std::make_shared<std::mutex>();
    lock = l;
  }
  std::lock_guard<std::mutex> hold(*lock);
  git_repository* repo = nullptr;
  if (std::filesystem::exists(path + "/HEAD")) {
    if (git_repository_open_bare(&repo, path.c_str()) != 0) throw std::runtime_error(last_error("open " + path));
  } else if (git_repository_init(&repo, path.c_str(), /*is_bare=*/1) != 0) {
    throw std::runtime_error(last_error("create " + path));
  }
  std::unique_ptr<git_repository, void (*)(git_repository*)> repo_guard(repo, git_repository_free);
  // An anonymous remote is never written to the repository's config.
  git_remote* remote = nullptr;
  if (git_remote_create_anonymous(&remote, repo, url.c_str()) != 0)
    throw std::runtime_error(last_error("remote for " + full_name));
  std::unique_ptr<git_remote, void (*)(git_remote*)> remote_guard(remote, git_remote_free);
  Credentials creds{&token};
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks.credentials = credential_callback;
  opts.callbacks.payload = &creds;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  std::vector<char*> specs;
  for (const auto& s : refspecs) specs.push_back(const_cast<char*>(s.c_str()));
  git_strarray arr{specs.data(), specs.size()};
  if (git_remote_fetch(remote, &arr, &opts, nullptr) != 0)
    throw std::runtime_error(last_error("fetch " + full_name));
  for (const auto& sha : need) {
    git_oid oid;
    git_commit* commit = nullptr;
    if (git_oid_fromstr(&oid, sha.c_str()) != 0 || git_commit_lookup(&commit, repo, &oid) != 0)
      throw std::runtime_error("fetch " + full_name + ": commit " + sha + " is not in the fetched refs");
    git_commit_free(commit);
  }
  return path;
}

}  // namespace lockspan::bot
