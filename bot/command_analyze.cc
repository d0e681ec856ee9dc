// `lockspan analyze`: files on disk in, a report on stdout.
#include <iostream>

#include "analysis/analyzer.h"
#include "bot/analysis_options.h"
#include "bot/cli.h"
#include "bot/report.h"
#include "bot/source_files.h"

namespace lockspan::bot {

int exit_code_for(const AnalysisResult& result, const std::string& fail_on) {
  if (fail_on == "none") return kExitClean;
  int threshold = fail_on == "notice" ? 2 : fail_on == "warning" ? 1 : 0;
  for (const auto& f : result.findings) {
    int rank = f.severity == Severity::Error ? 0 : f.severity == Severity::Warning ? 1 : 2;
    if (rank <= threshold) return kExitFindings;
  }
  return kExitClean;
}

int run_analyze(const AnalyzeArgs& args) {
  config::RepoConfig cfg;
  if (!args.config_file.empty()) {
    try {
      cfg = load_config_file(args.config_file);
    } catch (const std::exception& e) {
      std::cerr << "lockspan: error: " << e.what() << "\n";
      return kExitFailure;
    }
  }
  std::vector<std::string> compiler_args = cfg.compiler_args;
  compiler_args.insert(compiler_args.end(), args.compiler_args.begin(), args.compiler_args.end());
  CollectedSources sources = collect_sources(args.paths, include_dirs_from_args(compiler_args));
  if (!cfg.include.empty() || !cfg.exclude.empty()) {
    std::erase_if(sources.files, [&](const SourceFile& f) {
      return f.report && !config::path_selected(cfg, f.path);
    });
  }
  AnalysisResult result = analyze(std::move(sources.files), options_from_config(cfg, args.jobs));
  for (const auto& bad : sources.unreadable) {
    std::cerr << "lockspan: error: " << bad.path << ": " << bad.detail << "\n";
    result.files.insert(result.files.begin(), bad);
  }
  ReportContext ctx = report_context_from_env();
  if (args.format == "json") std::cout << dump_json(analysis_json(result, ctx)) << "\n";
  else if (args.format == "sarif") std::cout << dump_json(analysis_sarif(result, ctx)) << "\n";
  else std::cout << analysis_text(result, ctx);
  std::cout.flush();
  if (!sources.unreadable.empty()) return kExitFailure;
  return exit_code_for(result, args.fail_on);
}

}  // namespace lockspan::bot
