#include "bot/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace lockspan::bot {

int run_cli(int argc, char** argv) {
  // Everything after a bare "--" goes to the compiler, untouched.
  std::vector<std::string> extra;
  int own = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own = i;
      for (int k = i + 1; k < argc; ++k) extra.emplace_back(argv[k]);
      break;
    }
  }

  CLI::App app{"lockspan: finds locks held across co_await and co_yield in C++ coroutines", "lockspan"};
  app.set_version_flag("--version", std::string("lockspan ") + LOCKSPAN_VERSION);
  app.require_subcommand(1);

  AnalyzeArgs analyze;
  auto* a = app.add_subcommand("analyze", "Analyze C and C++ files or directories");
  a->add_option("--format", analyze.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->default_val("text");
  a->add_option("--config", analyze.config_file, "Configuration file (.github/lockspan.yml format)");
  a->add_option("--fail-on", analyze.fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "notice", "none"}))
      ->default_val("error");
  a->add_option("-j,--jobs", analyze.jobs, "Parallel jobs (0: one per core)")
      ->check(CLI::Range(0, 256))
      ->default_val(0);
  a->add_option("paths", analyze.paths, "Files, or directories searched recursively")->required();
  a->footer("Arguments after -- are compiler arguments; -I directories are searched for included headers.");

  ReviewArgs review;
  auto* r = app.add_subcommand("review", "Review the change from the merge base of BASE and HEAD to HEAD");
  r->add_option("--repo", review.repo, "Git repository (any directory inside it)")->default_val(".");
  r->add_option("--base", review.base, "Base revision (default: the repository's default branch)");
  r->add_option("--head", review.head, "Head revision")->default_val("HEAD");
  r->add_option("--format", review.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown"}))
      ->default_val("text");
  r->add_option("--config", review.config_file,
                "Configuration file to use instead of .github/lockspan.yml on the base side");
  r->add_option("--fail-on", review.fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "notice", "none"}))
      ->default_val("error");
  r->add_option("-j,--jobs", review.jobs, "Parallel jobs (0: one per core)")->check(CLI::Range(0, 256))->default_val(0);
  r->add_option("--limit-cpu", review.limit_cpu, "CPU seconds this process may use (0: no limit)")->group("");
  r->add_option("--limit-memory", review.limit_memory, "Address space in MiB (0: no limit)")->group("");

  ServeArgs serve;
  auto* s = app.add_subcommand("serve", "Run the GitHub App service (settings from the environment)");
  s->add_option("--config", serve.config_file, "YAML file with the same keys as the environment variables");
  s->add_flag("--dry-run", serve.dry_run, "Compute and store reviews without writing to GitHub");
  ServeArgs rerun_args;
  std::string rerun_target;
  auto* rr = app.add_subcommand("rerun", "Review one pull request now, in the foreground, and print what was posted");
  rr->add_option("--config", rerun_args.config_file, "YAML file with the same keys as the environment variables");
  rr->add_option("target", rerun_target, "OWNER/REPO#NUMBER")->required();

  try {
    std::vector<std::string> args;
    for (int i = own - 1; i >= 1; --i) args.emplace_back(argv[i]);
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kExitClean : kExitFailure;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kExitClean : kExitFailure;
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e) == 0 ? kExitClean : kExitFailure;
  } catch (const CLI::ParseError& e) {
    std::cerr << "lockspan: error: " << e.what() << " (see lockspan --help)\n";
    return kExitFailure;
  }
  if (*s) return run_serve(serve);
  if (*rr) return run_rerun(rerun_args, rerun_target);
  if (*r) {
    if (!extra.empty()) {
      std::cerr << "lockspan: error: review takes no compiler arguments; set compiler_args in .github/lockspan.yml\n";
      return kExitFailure;
    }
    return run_review(review);
  }
  if (*a) {
    analyze.compiler_args = extra;
    return run_analyze(analyze);
  }
  return kExitFailure;
}

}  // namespace lockspan::bot
