// Helpers for tests that run the real binary and build files on disk.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace lockspan::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command line; stderr is captured through a temporary file.
inline CommandResult run(const std::string& command) {
  CommandResult r;
  char tmpl[] = "/tmp/lockspan-test-err-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd >= 0) close(fd);
  std::string full = command + " 2>" + tmpl;
  FILE* p = popen(full.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(tmpl);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  std::remove(tmpl);
  return r;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/lockspan-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string lockspan_bin() { return LOCKSPAN_BINARY; }

}  // namespace lockspan::test

namespace lockspan::test {

// A git repository in a temporary directory, driven by the git CLI with no
// user or system configuration leaking in.
class GitRepo {
 public:
  GitRepo() { git("init -q -b main"); }
  const std::filesystem::path& path() const { return dir_.path(); }
  std::string dir() const { return dir_.path().string(); }
  void write(const std::string& name, const std::string& content) const { dir_.write(name, content); }
  void remove(const std::string& name) const { std::filesystem::remove(dir_.path() / name); }
  void run_symlink(const std::string& name, const std::string& target) const {
    std::filesystem::create_symlink(target, dir_.path() / name);
  }
  CommandResult git(const std::string& args) const {
    return run("env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=" + dir() +
               " git -C " + dir() + " -c user.name=test -c user.email=test@example.invalid -c commit.gpgsign=false " +
               args);
  }
  void commit(const std::string& message) const {
    git("add -A");
    git("commit -q --allow-empty -m '" + message + "'");
  }

 private:
  TempDir dir_;
};

}  // namespace lockspan::test
