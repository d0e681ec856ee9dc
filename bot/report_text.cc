// Compiler-style text: one diagnostic per finding with notes, then a summary.
#include <map>

#include "bot/report.h"

namespace lockspan::bot {

std::string analysis_text(const AnalysisResult& r, const ReportContext& ctx) {
  std::string out;
  auto at = [](const std::string& path, const Loc& loc) {
    return path + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  };
  std::map<std::string, int> per_rule;
  for (const auto& f : r.findings) {
    ++per_rule[f.rule];
    out += at(f.path, f.loc) + ": " + to_string(f.severity) + ": " + f.message + " [" + f.rule + "]\n";
    out += at(f.path, f.lock.loc) + ": note: lock taken here";
    if (f.lock.helper) out += " by " + f.lock.helper->name + "() (" + f.lock.helper->path + ":" +
                              std::to_string(f.lock.helper->line) + ")";
    out += "\n";
    for (size_t i = 1; i < f.suspensions.size(); ++i)
      out += at(f.path, f.suspensions[i].loc) + ": note: still held at this " + f.suspensions[i].keyword + "\n";
    out += "  why: " + f.why + "\n";
    out += "  fix: " + f.fix + "\n";
    out += "  see: " + guidance_url(ctx, f.rule) + "\n\n";
  }
  int skipped = 0;
  for (const auto& file : r.files) {
    if (file.status == FileStatus::Analyzed) continue;
    ++skipped;
    out += file.path + ": " + to_string(file.status) + ": " + file.detail + "\n";
  }
  out += std::to_string(r.findings.size()) + " finding" + (r.findings.size() == 1 ? "" : "s");
  if (!per_rule.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [rule, n] : per_rule) {
      out += (first ? "" : ", ") + rule + ": " + std::to_string(n);
      first = false;
    }
    out += ")";
  }
  out += " in " + std::to_string(r.files.size()) + " file" + (r.files.size() == 1 ? "" : "s");
  if (skipped) out += ", " + std::to_string(skipped) + " not fully analyzed";
  out += "\n";
  return out;
}

}  // namespace lockspan::bot
