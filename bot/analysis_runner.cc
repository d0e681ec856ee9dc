#include "bot/analysis_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <vector>

namespace lockspan::bot {
namespace {

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "lockspan";
  buf[n] = '\0';
  return buf;
}

}  // namespace

void apply_limits(int cpu_seconds, int memory_mb) {
  if (cpu_seconds > 0) {
    rlimit cpu{static_cast<rlim_t>(cpu_seconds), static_cast<rlim_t>(cpu_seconds) + 5};
    setrlimit(RLIMIT_CPU, &cpu);
  }
  if (memory_mb > 0) {
    rlim_t bytes = static_cast<rlim_t>(memory_mb) << 20;
    rlimit as{bytes, bytes};
    setrlimit(RLIMIT_AS, &as);
  }
}

AnalysisOutcome run_review_child(const std::string& repo_dir, const std::string& base_sha,
                                 const std::string& head_sha, const AnalysisLimits& limits) {
  AnalysisOutcome out;
  auto start = std::chrono::steady_clock::now();
  std::string exe = limits.executable.empty() ? self_path() : limits.executable;
  std::vector<std::string> args = {exe, "review", "--repo", repo_dir, "--base", base_sha, "--head", head_sha,
                                   "--format", "json", "--fail-on", "none", "-j", "1",
                                   "--limit-cpu", std::to_string(limits.timeout_seconds),
                                   "--limit-memory", std::to_string(limits.memory_mb)};
  // Nothing of the service's environment (tokens, keys, secrets) reaches the child.
  std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8",
                                  "LOCKSPAN_PUBLIC_URL=" + limits.public_url, "HOME=/nonexistent",
                                  "GIT_CONFIG_NOSYSTEM=1"};
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    out.failure = "could not start the analysis (pipe)";
    return out;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    out.failure = "could not start the analysis (posix_spawn error " + std::to_string(rc) + ")";
    return out;
  }
  std::string stdout_text, stderr_text;
  auto deadline = start + std::chrono::seconds(limits.timeout_seconds + 10);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, static_cast<int>(std::min<long>(left.count(), 1000))) < 0 && errno != EINTR) break;
    for (auto& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t n = read(f.fd, buf, sizeof buf);
      if (n <= 0) {
        close(f.fd);
        f.fd = -1;
        --open_fds;
      } else {
        std::string& sink = f.fd == out_pipe[0] ? stdout_text : stderr_text;
        if (sink.size() < (256u << 20)) sink.append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (timed_out || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)) {
    out.failure = "the analysis ran out of time (" + std::to_string(limits.timeout_seconds) + " s)";
  } else if (WIFSIGNALED(status)) {
    out.failure = "the analysis crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
  } else if (WEXITSTATUS(status) != 0) {
    std::string line = stderr_text.substr(0, stderr_text.find('\n'));
    if (line.starts_with("lockspan: error: ")) line = line.substr(17);
    out.failure = line.empty() ? "the analysis failed (exit " + std::to_string(WEXITSTATUS(status)) + ")" : line;
    out.config_error = line.find("lockspan.yml") != std::string::npos;
  } else {
    out.review = nlohmann::json::parse(stdout_text, nullptr, false);
    out.ok = !out.review.is_discarded();
    if (!out.ok) out.failure = "the analysis printed no valid JSON";
  }
  return out;
}

}  // namespace lockspan::bot
