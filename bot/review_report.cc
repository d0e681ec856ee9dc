#include "bot/review_report.h"

namespace lockspan::bot {

using json = nlohmann::ordered_json;

json review_request_body(const Review& r) {
  json comments = json::array();
  for (const auto& c : r.comments)
    comments.push_back({{"path", c.path}, {"line", c.line}, {"side", c.side}, {"body", c.body}});
  return {{"commit_id", r.head_sha}, {"event", "COMMENT"}, {"body", r.body}, {"comments", comments}};
}

json review_json(const Review& r, const ReportContext& ctx) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f, ctx));
  json file_comments = json::array();
  for (const auto& c : r.file_comments)
    file_comments.push_back({{"path", c.path}, {"subject_type", "file"}, {"body", c.body}});
  json files = json::array();
  for (const auto& n : r.notes) files.push_back({{"path", n.path}, {"status", n.status}, {"detail", n.detail}});
  return {{"version", 1},
          {"tool", {{"name", "lockspan"}, {"version", LOCKSPAN_VERSION}}},
          {"base", r.base_sha},
          {"head", r.head_sha},
          {"merge_base", r.merge_base_sha},
          {"findings", findings},
          {"review", review_request_body(r)},
          {"file_comments", file_comments},
          {"files", files},
          {"summary", r.summary}};
}

std::string review_markdown(const Review& r) {
  std::string out = r.body;
  for (const auto& c : r.comments)
    out += "\n---\n\n#### `" + c.path + "` line " + std::to_string(c.line) + "\n\n" + c.body + "\n";
  for (const auto& c : r.file_comments) out += "\n---\n\n#### `" + c.path + "`\n\n" + c.body + "\n";
  return out;
}

std::string review_text(const Review& r) {
  std::string out;
  auto emit = [&](const ReviewComment& c) {
    const Finding& f = r.findings[c.finding];
    out += c.path + ":" + (c.line ? std::to_string(c.line) : std::string("(file)")) + ": " + to_string(f.severity) +
           ": " + f.message + " [" + f.rule + "]\n";
    out += "  fix: " + f.fix + "\n";
  };
  for (const auto& c : r.comments) emit(c);
  for (const auto& c : r.file_comments) emit(c);
  for (size_t i : r.overflow) {
    const Finding& f = r.findings[i];
    out += f.path + ":" + std::to_string(f.loc.line) + ": " + to_string(f.severity) + ": " + f.message + " [" +
           f.rule + "] (in the summary: over the inline limit)\n";
  }
  for (const auto& n : r.notes) out += n.path + ": " + n.status + ": " + n.detail + "\n";
  out += r.summary + " (" + r.merge_base_sha.substr(0, 12) + ".." + r.head_sha.substr(0, 12) + ")\n";
  return out;
}

json review_sarif(const Review& r, const ReportContext& ctx) {
  AnalysisResult a;
  a.findings = r.findings;
  for (const auto& n : r.notes) {
    FileStatus s = n.status == "error" ? FileStatus::Error : n.status == "degraded" ? FileStatus::Degraded
                                                                                     : FileStatus::Skipped;
    a.files.push_back({n.path, s, n.detail});
  }
  return analysis_sarif(a, ctx);
}

}  // namespace lockspan::bot
